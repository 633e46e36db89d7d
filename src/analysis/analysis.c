// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Analysis: what each StreamID could do with DMA at the crash, from the STE,
 * the live mappings, the kernel's view of the device and the event queue;
 * and which mappings touch the crash-kernel reservation.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adoption.h"
#include "analysis-priv.h"
#include "kernel.h"
#include "sd_str.h"
#include "smmu_fields.h"

static const struct sd_kdev *find_dev(const struct sd_ksmmu *k, uint32_t sid)
{
	size_t lo = 0, hi = k ? k->ndevs : 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (k->devs[mid].sid == sid)
			return &k->devs[mid];
		if (k->devs[mid].sid < sid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void mib(char *b, size_t n, uint64_t bytes)
{
	if (bytes >= (1ULL << 20))
		snprintf(b, n, "%.1f MiB", (double)bytes / (1 << 20));
	else
		snprintf(b, n, "%" PRIu64 " KiB", (bytes + 1023) >> 10);
}

static bool overlaps(uint64_t a, uint64_t size, uint64_t lo, uint64_t hi)
{
	return size && a <= hi && a + size - 1 >= lo;
}

/* Kept: the first SD_MAX_OVERLAPS; all are counted. */
static void add_overlap(struct sd_smmu *s, uint32_t sid, const struct sd_mapping *m,
			bool iova, bool pa, const char *region)
{
	s->overlaps_total++;
	if (s->noverlaps == SD_MAX_OVERLAPS)
		return;
	if (!s->overlaps) {
		s->overlaps = malloc(SD_MAX_OVERLAPS * sizeof(*s->overlaps));
		if (!s->overlaps)
			return;
	}
	s->overlaps[s->noverlaps++] = (struct sd_overlap){ sid, *m, iova, pa, region };
}

/* One mapping against the crash-kernel reservations (high, then low). */
static void check_crashk(struct sd_smmu *s, uint32_t sid, enum sd_walk_mode mode,
			 struct sd_verdict *v, const struct sd_mapping *m)
{
	const struct sd_kernel_result *kres = s->kres;

	for (int r = 0; kres && r < 2; r++) {
		bool have = r ? kres->have_crashk_low : kres->have_crashk;
		uint64_t lo = r ? kres->crashk_low_start : kres->crashk_start;
		uint64_t hi = r ? kres->crashk_low_end : kres->crashk_end;
		bool iv, pv;

		if (!have)
			continue;
		iv = overlaps(m->iova, m->size, lo, hi);
		pv = overlaps(m->pa, m->size, lo, hi);
		if (!iv && !pv)
			continue;
		v->crash_iova += iv;
		v->crash_pa += pv;
		if (mode == SD_WALK_RECORD)
			add_overlap(s, sid, m, iv, pv, r ? "Crash kernel (low)" : "Crash kernel");
	}
}

/*
 * Rank (higher = more dangerous): bypass first, then bypass without a PASID
 * (S1DSS), translating with writable mappings, other translating, idle,
 * blocked.  Evidence adds a few points so that equal classes sort by it.
 */
enum {
	RANK_BYPASS = 400,
	RANK_S1DSS_BYPASS = 390,
	RANK_WRITABLE = 200,
	RANK_TRANSLATING = 100,
	RANK_IDLE = 10,
	RANK_BLOCKED = 0,

	BONUS_BUS_MASTER = 4,
	BONUS_DRIVER = 2,
	BONUS_FAULTS = 50,
	BONUS_ATS = 8,
	BONUS_CRASHK = 60,
};

const char *sd_verdict_name(enum sd_verdict_class v)
{
	static const char *const names[] = {
		[SD_VERDICT_NONE] = NULL,
		[SD_VERDICT_BLOCKED] = "blocked",
		[SD_VERDICT_IDLE] = "idle",
		[SD_VERDICT_TRANSLATING] = "translating",
		[SD_VERDICT_BYPASS] = "bypass",
	};

	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : NULL;
}

/* The evidence that sorts streams of one class: "; driver X bound; ...".
 * Names come from the dump: every append is bounded (sd_appendf). */
static int evidence(const struct sd_stream *st, const struct sd_verdict *v, char *evid,
		    size_t size)
{
	const struct sd_kdev *d = v->dev;
	size_t crash = v->crash_iova + v->crash_pa;
	int bonus = 0;

	evid[0] = 0;
	if (d && d->bus_master == 1) {
		sd_appendf(evid, size, "; bus master on");
		bonus += BONUS_BUS_MASTER;
	}
	if (d && d->driver[0]) {
		sd_appendf(evid, size, "; driver %s bound", d->driver);
		bonus += BONUS_DRIVER;
	}
	if (v->faults) {
		sd_appendf(evid, size, "; %u recent fault%s", v->faults, v->faults == 1 ? "" : "s");
		bonus += BONUS_FAULTS;
	}
	if ((d && d->ats_enabled == 1) || st->ste.eats) {
		sd_appendf(evid, size, "; ATS enabled (the device may cache translations)");
		bonus += BONUS_ATS;
	}
	if (crash) {
		sd_appendf(evid, size, "; %zu mapping%s touch the crash kernel", crash,
			   crash == 1 ? "" : "s");
		bonus += BONUS_CRASHK;
	}
	return bonus;
}

static void set_verdict(struct sd_verdict *v, enum sd_verdict_class cls, int rank,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void set_verdict(struct sd_verdict *v, enum sd_verdict_class cls, int rank,
			const char *fmt, ...)
{
	va_list ap;

	v->verdict = cls;
	v->rank = rank;
	va_start(ap, fmt);
	vsnprintf(v->reason, sizeof(v->reason), fmt, ap);
	va_end(ap);
}

static void verdict(const struct sd_smmu *s, const struct sd_stream *st, struct sd_verdict *v)
{
	const struct ste *e = &st->ste;
	const struct sd_kdev *d = v->dev;
	enum sd_domain_type dom = d ? d->domain_type : SD_DOMAIN_NONE;
	char evid[SD_VERDICT_EVIDENCE_MAX], b1[32], b2[32];
	int bonus;

	bonus = evidence(st, v, evid, sizeof(evid));

	if (e->config == STRTAB_STE_0_CFG_BYPASS ||
	    (dom == SD_DOMAIN_IDENTITY && e->config != STRTAB_STE_0_CFG_ABORT))
		return set_verdict(v, SD_VERDICT_BYPASS, RANK_BYPASS + bonus,
				   "could DMA anywhere: %s%s",
				   e->config == STRTAB_STE_0_CFG_BYPASS ? "bypass STE" : "identity domain",
				   evid);
	if (e->config != STRTAB_STE_0_CFG_S1_TRANS && e->config != STRTAB_STE_0_CFG_S2_TRANS &&
	    e->config != STRTAB_STE_0_CFG_NESTED)
		return set_verdict(v, SD_VERDICT_BLOCKED, RANK_BLOCKED, "blocked: %s STE%s",
				   ste_config_name(e->config), evid);
	if (st->bad)
		return set_verdict(v, SD_VERDICT_BLOCKED, RANK_BLOCKED,
				   "blocked: the SMMU rejects this STE (C_BAD_STE)%s", evid);
	if (ste_config_has_s1(e->config) && ste_s1cdmax(e, &s->caps) > 0 && e->s1dss == 1)
		/* IHI 0070 5.2: S1DSS = BYPASS lets traffic without an SSID through untranslated. */
		return set_verdict(v, SD_VERDICT_BYPASS, RANK_S1DSS_BYPASS + bonus,
				   "could DMA anywhere without a PASID: S1DSS = bypass%s", evid);
	if (dom == SD_DOMAIN_BLOCKED)
		return set_verdict(v, SD_VERDICT_BLOCKED, RANK_BLOCKED, "blocked domain%s", evid);
	if (v->walked && v->mapped_bytes == 0)
		return set_verdict(v, SD_VERDICT_IDLE, RANK_IDLE + bonus, "no live mappings%s", evid);
	bonus += v->write_bytes ? RANK_WRITABLE : RANK_TRANSLATING;
	if (!v->walked)
		return set_verdict(v, SD_VERDICT_TRANSLATING, bonus,
				   "translating (mappings not walked)%s", evid);
	mib(b1, sizeof(b1), v->mapped_bytes);
	mib(b2, sizeof(b2), v->write_bytes);
	set_verdict(v, SD_VERDICT_TRANSLATING, bonus,
		    "could DMA to %s through %zu range%s (%s writable)%s", b1, v->nmaps,
		    v->nmaps == 1 ? "" : "s", b2, evid);
}

void sd_analysis_bind(struct sd_smmu *s, const struct sd_ksmmu *k,
		      const struct sd_kernel_result *kres)
{
	s->kernel = k;
	s->kres = kres;
}

static struct sd_event_sid *find_evsid(const struct sd_smmu *s, uint32_t sid)
{
	size_t lo = 0, hi = s->nevsids;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->evsids[mid].sid == sid)
			return &s->evsids[mid];
		if (s->evsids[mid].sid < sid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct stream_maps {
	struct sd_smmu *s;
	uint32_t sid;
	enum sd_walk_mode mode;
	struct sd_verdict *v;
	sd_mapping_fn also;
	void *also_arg;
};

static enum sd_status on_mapping(void *arg, const struct sd_mapping *m)
{
	struct stream_maps *c = arg;

	c->v->nmaps++;
	c->v->mapped_bytes += m->size;
	if (m->write)
		c->v->write_bytes += m->size;
	check_crashk(c->s, c->sid, c->mode, c->v, m);
	return c->also ? c->also(c->also_arg, m) : SD_OK;
}

enum sd_status sd_analyse_stream(struct sd_smmu *s, const struct sd_stream *st,
				 enum sd_walk_mode mode, sd_mapping_fn also, void *also_arg,
				 struct sd_verdict *v)
{
	struct stream_maps c = { s, st->sid, mode, v, also, also_arg };
	const struct sd_event_sid *e = find_evsid(s, st->sid);
	enum sd_status rc;

	memset(v, 0, sizeof(*v));
	v->dev = find_dev(s->kernel, st->sid);
	v->faults = e ? e->faults : 0;
	rc = sd_stream_walk_mappings(s, st, mode, on_mapping, &c, &v->walked);
	if (rc != SD_OK)
		return rc;
	verdict(s, st, v);
	return SD_OK;
}

static int cmp_evsid(const void *a, const void *b)
{
	const struct sd_event_sid *x = a, *y = b;

	return x->sid < y->sid ? -1 : x->sid > y->sid;
}

/* The event records by StreamID: live faults per SID, in one sorted array. */
static enum sd_status index_events(struct sd_smmu *s)
{
	size_t n = 0;

	if (!s->nevents)
		return SD_OK;
	s->evsids = calloc(s->nevents, sizeof(*s->evsids));
	if (!s->evsids)
		return SD_ERR_NOMEM;
	for (size_t i = 0; i < s->nevents; i++)
		s->evsids[i] = (struct sd_event_sid){ s->events[i].sid, !s->events[i].stale, false };
	qsort(s->evsids, s->nevents, sizeof(*s->evsids), cmp_evsid);
	for (size_t i = 0; i < s->nevents; i++) {
		if (n && s->evsids[n - 1].sid == s->evsids[i].sid)
			s->evsids[n - 1].faults += s->evsids[i].faults;
		else
			s->evsids[n++] = s->evsids[i];
	}
	s->nevsids = n;
	return SD_OK;
}

struct first_pass {
	struct sd_smmu *s;
	const struct sd_analysis_hooks *hooks;
};

static enum sd_status first_pass_stream(void *arg, const struct sd_stream *st)
{
	struct first_pass *fp = arg;
	struct sd_smmu *s = fp->s;
	const struct sd_analysis_hooks *h = fp->hooks;
	struct sd_event_sid *e = find_evsid(s, st->sid);
	struct adopt_maps am = { s, h ? h->mapping : NULL, h ? h->arg : NULL, false };
	struct sd_verdict v;
	enum sd_status rc;

	rc = sd_analyse_stream(s, st, SD_WALK_RECORD, adopt_on_mapping, &am, &v);
	if (rc != SD_OK)
		return rc;
	adopt_stream(s, st, am.crash_writer);
	if (e)
		e->seen = true;
	s->nstreams++;
	s->nclass[v.verdict]++;
	s->any_bad |= st->bad;
	return h && h->stream ? h->stream(h->arg, s, st, &v) : SD_OK;
}

enum sd_status sd_analyse(struct sd_smmu *s, const struct sd_analysis_hooks *hooks)
{
	struct first_pass fp = { s, hooks };
	enum sd_status rc;

	if (s->recorded)
		return SD_OK;
	rc = index_events(s);
	if (rc != SD_OK)
		return rc;
	adopt_start(s);
	rc = sd_smmu_walk_streams(s, SD_WALK_RECORD, first_pass_stream, &fp);
	adopt_finish(s);
	return rc;
}

const struct sd_kdev *sd_event_device(const struct sd_smmu *s, uint32_t sid)
{
	const struct sd_event_sid *e = find_evsid(s, sid);

	return e && e->seen ? find_dev(s->kernel, sid) : NULL;
}

bool sd_smmu_needs_attention(const struct sd_smmu *s)
{
	return s->nprobs || s->probs_dropped || s->overlaps_total || s->any_bad ||
	       s->nclass[SD_VERDICT_BYPASS] || sd_adoption_needs_attention(sd_smmu_adoption(s));
}
