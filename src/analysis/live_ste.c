// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In the capture kernel, an adopted (or never reset) stream table: each
 * STE as it is now against what the crashed kernel's structures say its
 * driver installed (include/sd/kernel.h, struct sd_kinstalled).
 *
 * Why: the arm-smmu-v3 kdump series keeps the crashed kernel's table and
 * writes the capture kernel's own STEs into it when a driver attaches
 * (arm_smmu_kdump_adopt_strtab(), v4-v7).  /proc/vmcore reads the crashed
 * kernel's memory as it is now, so the STE decoded from it is the one the
 * SMMU walks now; a StreamID whose STE no longer matches the crashed
 * kernel's domain was rewritten after the crash.  A table pointer inside
 * the crash-kernel reservation is the capture kernel's own memory.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis-priv.h"
#include "kernel.h"
#include "sd_parse.h"
#include "smmu_fields.h"

static bool in_crashk(const struct sd_kernel_result *kr, uint64_t pa)
{
	return kr && ((kr->have_crashk && pa >= kr->crashk_start && pa <= kr->crashk_end) ||
		      (kr->have_crashk_low && pa >= kr->crashk_low_start && pa <= kr->crashk_low_end));
}

static void record(struct live_run *r, uint32_t sid, const char *field, uint64_t expected,
		   uint64_t found, bool ck)
{
	struct sd_live_ste *l = &r->l;

	l->total++;
	l->in_crashk += ck;
	if (l->n < SD_LIVE_OVERWRITES_MAX)
		l->v[l->n++] = (struct sd_live_overwrite){ sid, field, expected, found, ck };
}

/* The first field that differs: the configuration, else the pointer or
 * ID the configuration uses. */
static void compare(struct live_run *r, const struct sd_smmu *s, const struct sd_kdev *d,
		    const struct ste *ste)
{
	const struct sd_kinstalled *in = &d->installed;
	bool s1 = ste_config_has_s1(ste->config), s2 = ste_config_has_s2(ste->config);

	if ((int)ste->config != in->config)
		record(r, d->sid, "config", (uint64_t)in->config, ste->config,
		       (s1 && in_crashk(s->kres, ste->s1_context_ptr)) ||
		       (s2 && in_crashk(s->kres, ste->s2ttb)));
	else if (s1 && in->have_ctx && ste->s1_context_ptr != in->s1_ctx)
		record(r, d->sid, "s1_context_ptr", in->s1_ctx, ste->s1_context_ptr,
		       in_crashk(s->kres, ste->s1_context_ptr));
	else if (s2 && in->vmid >= 0 && ste->s2vmid != (unsigned)in->vmid)
		record(r, d->sid, "s2_vmid", (uint64_t)in->vmid, ste->s2vmid, false);
	else if (s2 && in->have_s2ttb && ste->s2ttb != in->s2ttb)
		record(r, d->sid, "s2ttb", in->s2ttb, ste->s2ttb, in_crashk(s->kres, ste->s2ttb));
}

void live_ste_start(struct live_run *r, const struct sd_smmu *s)
{
	uint64_t crashed;
	const char *from, *v = sd_live_strtab_verdict(s, &crashed, &from);

	if (!v || strcmp(v, "crashed-kernel") || s->source != SD_SRC_LIVE || !s->kernel)
		return;
	r->seen = calloc(s->kernel->ndevs ? s->kernel->ndevs : 1, sizeof(*r->seen));
	if (!r->seen)
		return;
	r->l.compared = true;
}

void live_ste_stream(struct live_run *r, const struct sd_smmu *s, const struct sd_stream *st)
{
	const struct sd_kdev *d;

	if (!r->l.compared || !(d = sd_find_kdev(s->kernel, st->sid)))
		return;
	r->seen[d - s->kernel->devs] = true;
	if (d->installed.config < 0)
		return;
	r->l.checked++;
	compare(r, s, d, &st->ste);
}

/* The kernel's StreamIDs the walk did not hand out: no valid STE now
 * (unless the walk was cut or the selection left them out). */
void live_ste_finish(struct live_run *r, const struct sd_smmu *s)
{
	const struct sd_ksmmu *k = s->kernel;

	if (!r->l.compared)
		return;
	if (sd_timed_out)
		r->l.partial = "--timeout cut the walk";
	for (size_t i = 0; i < k->ndevs; i++) {
		const struct sd_kdev *d = &k->devs[i];

		if (s->opts && s->opts->sids && !sd_sidset_has(s->opts->sids, d->sid))
			continue;
		if (d->installed.config < 0) {
			r->l.unknown++;
			continue;
		}
		if (r->seen[i] || sd_timed_out)
			continue;
		r->l.checked++;
		record(r, d->sid, "valid", 1, 0, false);
	}
	free(r->seen);
	r->seen = NULL;
}

void live_ste_free(struct live_run *r)
{
	free(r->seen);
	r->seen = NULL;
}
