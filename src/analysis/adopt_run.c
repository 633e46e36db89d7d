// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kdump adoption check (adoption.c) run over one SMMU during the first
 * pass: the facts from the registers or the crashed kernel's struct
 * arm_smmu_device, the memory map (System RAM from the kernel's
 * iomem_resource, else the dump's own map; the crash-kernel reservation;
 * "in the dump" by reading), the L1 descriptors and table pages through
 * the decode's hooks, the STEs and CDs of every stream.
 */
#include <stdlib.h>
#include <string.h>

#include "adoption.h"
#include "analysis-priv.h"
#include "kernel.h"
#include "smmu_fields.h"

/* What hangs on s->adopt: the check first (s->adopt points at it). */
struct adopt_state {
	struct sd_adopt a;
	struct sd_smmu *s;
	struct sd_memmap map;
	struct sd_range crashk[2];
	const struct sd_range *dump_ram;	/* the caller's (sd_analysis_dump_ram) */
	size_t ndump_ram;
	struct sd_decode_hooks hooks;
	bool started;
	struct live_run live;	/* the capture kernel's STE comparison */
};

static struct adopt_state *state_of(struct sd_smmu *s)
{
	return (struct adopt_state *)s->adopt;
}

static void release(struct sd_smmu *s)
{
	struct adopt_state *x = state_of(s);

	if (!x)
		return;
	sd_adopt_free(&x->a);
	live_ste_free(&x->live);
	free(x);
	s->adopt = NULL;
}

static struct adopt_state *state_get(struct sd_smmu *s)
{
	struct adopt_state *x = state_of(s);

	if (x)
		return x;
	x = calloc(1, sizeof(*x));
	if (!x) {
		sd_note_alloc_failure();
		return NULL;
	}
	x->s = s;
	s->adopt = &x->a;
	s->release = release;
	return x;
}

void sd_analysis_dump_ram(struct sd_smmu *s, const struct sd_range *ram, size_t n)
{
	struct adopt_state *x = state_get(s);

	if (!x)
		return;
	x->dump_ram = ram;
	x->ndump_ram = n;
}

void sd_analysis_live_owner(struct sd_smmu *s, const struct sd_live_owner *o)
{
	struct adopt_state *x = state_get(s);

	if (x)
		x->live.l.owner = o;
}

const struct sd_live_owner *sd_smmu_live_owner(const struct sd_smmu *s)
{
	const struct adopt_state *x = (const struct adopt_state *)s->adopt;

	return x ? x->live.l.owner : NULL;
}

const struct sd_live_ste *sd_smmu_live_ste(const struct sd_smmu *s)
{
	const struct adopt_state *x = (const struct adopt_state *)s->adopt;

	return x && x->started && (x->live.l.compared || x->live.l.owner) ? &x->live.l : NULL;
}

const struct sd_adopt *sd_smmu_adoption(const struct sd_smmu *s)
{
	const struct adopt_state *x = (const struct adopt_state *)s->adopt;

	return x && x->started ? &x->a : NULL;
}

/* ---- facts ---- */

/* ARM_SMMU_FEAT_<name>: the kernel layer names the bits that are set for
 * the kernel's version (kfeatures.c); -1 when features were not read. */
static int kfeature(const struct sd_ksmmu *k, const char *name)
{
	for (unsigned i = 0; i < k->nfeature_names && i < 32; i++)
		if (!strcmp(k->feature_names[i], name))
			return 1;
	return 0;
}

static void facts(const struct sd_smmu *s, struct sd_adopt_facts *f)
{
	const struct sd_ksmmu *k = s->kernel;

	sd_adopt_facts_from_regs(f, &s->regs);
	if (f->smmuen >= 0 && s->source == SD_SRC_LIVE)
		f->smmuen_from = "CR0 now, in the capture kernel";
	if (!k)
		return;
	/* The registers were not captured: what the crashed kernel's driver
	 * kept (struct arm_smmu_device, kernel-structures.md 11). */
	if (f->smmuen < 0 && k->registered) {
		f->smmuen = 1;
		f->smmuen_from = "1 per the crashed kernel's driver: it had registered the SMMU; CR0 not captured";
	}
	if (f->coherent < 0 || f->st_2lvl < 0 || f->cd2l < 0)
		f->caps_from = "the crashed kernel's arm_smmu_device";
	if (f->coherent < 0)
		f->coherent = kfeature(k, "COHERENCY");
	if (f->st_2lvl < 0)
		f->st_2lvl = kfeature(k, "2_LVL_STRTAB");
	if (f->cd2l < 0)
		f->cd2l = kfeature(k, "2_LVL_CDTAB");
	if (f->sidsize < 0)
		f->sidsize = (int)k->sid_bits;
	if (f->ssidsize < 0)
		f->ssidsize = (int)k->ssid_bits;
	if (f->asid16 < 0 && k->asid_bits > 0)
		f->asid16 = k->asid_bits == 16;
	if (f->vmid16 < 0 && k->vmid_bits > 0)
		f->vmid16 = k->vmid_bits == 16;
}

/* ---- the memory map ---- */

static bool in_dump(void *ctx, uint64_t pa)
{
	const struct sd_smmu *s = ctx;
	struct sd_error err = { 0 };
	uint8_t b;

	/* Only "the dump does not hold it" counts; another read error is the
	 * decode's problem to report. */
	return s->mem->read(s->mem->ctx, pa, &b, 1, &err) != SD_ERR_NODATA;
}

static void memmap(struct adopt_state *x)
{
	const struct sd_kernel_result *kr = x->s->kres;
	struct sd_memmap *m = &x->map;

	if (kr && kr->nram) {
		m->ram = kr->ram;
		m->nram = kr->nram;
		m->ram_from = "the crashed kernel's iomem_resource";
	} else if (x->ndump_ram) {
		m->ram = x->dump_ram;
		m->nram = x->ndump_ram;
		m->ram_from = "the dump's program headers";
	}
	if (kr && kr->have_crashk)
		x->crashk[m->ncrashk++] = (struct sd_range){ kr->crashk_start, kr->crashk_end };
	if (kr && kr->have_crashk_low)
		x->crashk[m->ncrashk++] = (struct sd_range){ kr->crashk_low_start, kr->crashk_low_end };
	m->crashk = x->crashk;
	if (x->s->mem) {
		m->in_dump = in_dump;
		m->ctx = x->s;
	}
}

/* ---- the decode's hooks ---- */

static void on_l1(void *arg, uint64_t index, uint64_t desc)
{
	sd_adopt_l1(arg, index, desc);
}

static void on_table(void *arg, enum sd_table_kind kind, uint64_t addr, uint64_t size,
		     uint32_t sid)
{
	sd_adopt_table(arg, kind, addr, size, sid);
}

void adopt_start(struct sd_smmu *s)
{
	struct adopt_state *x = state_get(s);
	struct sd_adopt_facts f;

	if (!x || x->started)
		return;
	facts(s, &f);
	memmap(x);
	sd_adopt_begin(&x->a, &f, &s->st, &x->map);
	x->hooks = (struct sd_decode_hooks){ on_l1, on_table, &x->a };
	s->hooks = &x->hooks;
	live_ste_start(&x->live, s);
	x->started = true;
}

/* ---- streams ---- */

enum sd_status adopt_on_mapping(void *arg, const struct sd_mapping *m)
{
	struct adopt_maps *c = arg;
	const struct sd_kernel_result *kr = c->s->kres;

	if (m->write && m->size && kr) {
		uint64_t hi = m->pa + m->size - 1;

		if ((kr->have_crashk && m->pa <= kr->crashk_end && hi >= kr->crashk_start) ||
		    (kr->have_crashk_low && m->pa <= kr->crashk_low_end && hi >= kr->crashk_low_start))
			c->crash_writer = true;
	}
	return c->next ? c->next(c->next_arg, m) : SD_OK;
}

void adopt_stream(struct sd_smmu *s, const struct sd_stream *st, bool crash_writer)
{
	struct adopt_state *x = state_of(s);

	if (!x || !x->started)
		return;
	sd_adopt_ste(&x->a, st->sid, &st->ste);
	live_ste_stream(&x->live, s, st);
	for (size_t i = 0; i < st->nctx; i++)
		sd_adopt_cd(&x->a, st->sid, st->ctx[i].ssid, &st->ctx[i].cd);
	if (st->ctx_dropped)
		sd_adopt_partial(&x->a, SD_ADOPT_CD_ASID,
				 "valid CDs beyond the decode's limit were not checked");
	x->a.crashk_devices += crash_writer;
}

void adopt_finish(struct sd_smmu *s)
{
	struct adopt_state *x = state_of(s);

	if (!x || !x->started)
		return;
	s->hooks = NULL;
	live_ste_finish(&x->live, s);
	/* The per-entry checks saw only what the walk handed out. */
	for (int c = SD_ADOPT_L1_DESC; c < SD_ADOPT_CHECK_COUNT; c++) {
		if (sd_timed_out)
			sd_adopt_partial(&x->a, c, "--timeout cut the walk: not every entry was checked");
		else if (s->opts && s->opts->sids && c != SD_ADOPT_L1_DESC)
			sd_adopt_partial(&x->a, c, "--sids: only the selected StreamIDs were checked");
	}
	sd_adopt_end(&x->a);
}
