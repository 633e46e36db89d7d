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

/* The crashed kernel's device for @sid (k->devs is sorted by StreamID). */
const struct sd_kdev *sd_find_kdev(const struct sd_ksmmu *k, uint32_t sid)
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
		if (!s->overlaps) {
			sd_note_alloc_failure();
			return;
		}
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
	RANK_ATTEMPTED = 300,
	RANK_WRITABLE = 200,
	RANK_TRANSLATING = 100,
	RANK_IDLE = 10,
	RANK_BLOCKED = 0,

	BONUS_BUS_MASTER = 4,
	BONUS_DRIVER = 2,
	BONUS_USER_SPACE = 30,
	/* Event records: a translating stream with them goes above the
	 * attempted ones (the SMMU saw both doing DMA). */
	BONUS_FAULTS = 150,
	BONUS_ATS = 8,
	BONUS_CRASHK = 60,
};

const char *sd_verdict_name(enum sd_verdict_class v)
{
	static const char *const names[] = {
		[SD_VERDICT_NONE] = NULL,
		[SD_VERDICT_BLOCKED] = "blocked",
		[SD_VERDICT_IDLE] = "idle",
		[SD_VERDICT_ATTEMPTED] = "attempted",
		[SD_VERDICT_TRANSLATING] = "translating",
		[SD_VERDICT_BYPASS] = "bypass",
	};

	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : NULL;
}

/*
 * Bus mastering with its source.  The kernel's is_busmaster alone never
 * says "off": a config write from user space sets PCI_COMMAND's bit behind
 * its back (kernel-structures.md section 7).  True when the device may be
 * mastering, by either source.
 */
static bool bus_master_evidence(const struct sd_kdev *d, char *evid, size_t size)
{
	int k = d->bus_master, h = d->hw_bus_master;

	if (h == 1 && k == 0)
		sd_appendf(evid, size, "; kernel: off, hardware: on");
	else if (h == 1)
		sd_appendf(evid, size, "; bus master on (hardware)");
	else if (h == 0 && k == 1)
		sd_appendf(evid, size, "; kernel: on, hardware: off");
	else if (h == 0)
		sd_appendf(evid, size, "; bus master off (hardware)");
	else if (k == 1)
		sd_appendf(evid, size, "; bus master on (kernel)");
	else if (k == 0)
		sd_appendf(evid, size, "; kernel: off (hardware unknown)");
	return h == 1 || (h < 0 && k == 1);
}

/* vfio-pci hands the device's DMA to a user-space process; an unmanaged
 * domain is one the kernel's DMA API does not manage (VFIO, iommufd, or a
 * driver that runs its own domain: include/linux/iommu.h). */
static bool user_space_evidence(const struct sd_kdev *d, char *evid, size_t size)
{
	char grp[24] = "unknown";

	if (d->iommu_group >= 0)
		snprintf(grp, sizeof(grp), "%d", d->iommu_group);
	if (!strcmp(d->driver, "vfio-pci")) {
		sd_appendf(evid, size, "; DMA owned by user space: VFIO group %s", grp);
		return true;
	}
	if (d->domain_type == SD_DOMAIN_UNMANAGED) {
		sd_appendf(evid, size, "; DMA likely owned by user space: unmanaged domain "
			   "(VFIO or iommufd, or a driver's own), group %s", grp);
		return true;
	}
	return false;
}

/* The evidence that sorts streams of one class: "; driver X bound; ...".
 * Names come from the dump: every append is bounded (sd_appendf).  The
 * event records are added by with_events(). */
static int evidence(const struct sd_stream *st, struct sd_verdict *v, char *evid,
		    size_t size)
{
	const struct sd_kdev *d = v->dev;
	size_t crash = v->crash_iova + v->crash_pa;
	int bonus = 0;

	evid[0] = 0;
	if (d && bus_master_evidence(d, evid, size))
		bonus += BONUS_BUS_MASTER;
	if (d && d->driver[0]) {
		sd_appendf(evid, size, "; driver %s bound", d->driver);
		bonus += BONUS_DRIVER;
	}
	if (d && (v->user_space = user_space_evidence(d, evid, size)))
		bonus += BONUS_USER_SPACE;
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

/* The class and reason from the STE, the domain and the mappings; @evid
 * and @bonus from evidence(). */
static void classify(const struct sd_smmu *s, const struct sd_stream *st, struct sd_verdict *v,
		     const char *evid, int bonus)
{
	const struct ste *e = &st->ste;
	const struct sd_kdev *d = v->dev;
	enum sd_domain_type dom = d ? d->domain_type : SD_DOMAIN_NONE;
	char b1[32], b2[32];

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

/*
 * The event records: what the SMMU saw this StreamID do.  An idle or
 * blocked stream with records tried DMA: "attempted", above both, its
 * reason led by the records.  Any other class keeps its reason, the
 * records appended, and ranks higher.  A StreamID with no known device
 * gets the PCI function it decodes to.
 */
static void with_events(struct sd_verdict *v, int bonus)
{
	char ev[160], rid[128] = "", old[SD_VERDICT_REASON_MAX];
	unsigned bus, dev, fn;

	if (!v->events)
		return;
	sd_event_summary(v->events, ev, sizeof(ev));
	if (!v->dev && sd_sid_as_rid(v->events->sid, &bus, &dev, &fn))
		snprintf(rid, sizeof(rid), "; unknown requester: PCI %02x:%02x.%u if StreamID = "
			 "Requester ID (the IORT/DT identity map)", bus, dev, fn);
	if (v->verdict == SD_VERDICT_IDLE || v->verdict == SD_VERDICT_BLOCKED) {
		snprintf(old, sizeof(old), "%s", v->reason);
		set_verdict(v, SD_VERDICT_ATTEMPTED, RANK_ATTEMPTED + bonus,
			    "DMA attempted: %s%s; %s", ev, rid, old);
		return;
	}
	v->rank += BONUS_FAULTS;
	sd_appendf(v->reason, sizeof(v->reason), "; %s%s", ev, rid);
}

static void verdict(const struct sd_smmu *s, const struct sd_stream *st, struct sd_verdict *v)
{
	char evid[SD_VERDICT_EVIDENCE_MAX];
	int bonus = evidence(st, v, evid, sizeof(evid));

	classify(s, st, v, evid, bonus);
	with_events(v, bonus);
}

void sd_analysis_bind(struct sd_smmu *s, const struct sd_ksmmu *k,
		      const struct sd_kernel_result *kres)
{
	s->kernel = k;
	s->kres = kres;
	/* Counted with each walk, so a walk met again is summed, not redone
	 * (check_crashk's regions, in its order). */
	s->watch[0] = (struct sd_watch){ kres && kres->have_crashk,
					 kres ? kres->crashk_start : 0, kres ? kres->crashk_end : 0 };
	s->watch[1] = (struct sd_watch){ kres && kres->have_crashk_low,
					 kres ? kres->crashk_low_start : 0,
					 kres ? kres->crashk_low_end : 0 };
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

/* A walk met before, as sums: taken unless its mappings are needed one by
 * one (a hook, or overlaps still to keep). */
static bool on_totals(void *arg, const struct sd_map_totals *t)
{
	struct stream_maps *c = arg;

	if (c->also || (c->mode == SD_WALK_RECORD && c->s->noverlaps < SD_MAX_OVERLAPS &&
			(t->watch_any[0] || t->watch_any[1])))
		return false;
	c->v->nmaps += t->nmaps;
	c->v->mapped_bytes += t->bytes;
	c->v->write_bytes += t->write_bytes;
	for (int r = 0; r < SD_MAX_WATCH; r++) {
		c->v->crash_iova += t->watch_iova[r];
		c->v->crash_pa += t->watch_pa[r];
		if (c->mode == SD_WALK_RECORD)
			c->s->overlaps_total += t->watch_any[r];
	}
	return true;
}

enum sd_status sd_analyse_stream(struct sd_smmu *s, const struct sd_stream *st,
				 enum sd_walk_mode mode, sd_mapping_fn also, void *also_arg,
				 struct sd_verdict *v)
{
	struct stream_maps c = { s, st->sid, mode, v, also, also_arg };
	const struct sd_event_sid *e = sd_find_evsid(s, st->sid);
	enum sd_status rc;

	memset(v, 0, sizeof(*v));
	v->dev = sd_find_kdev(s->kernel, st->sid);
	v->events = e;
	rc = sd_stream_walk_totals(s, st, mode, on_mapping, on_totals, &c, &v->walked);
	if (rc != SD_OK)
		return rc;
	verdict(s, st, v);
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
	struct sd_event_sid *e = sd_find_evsid(s, st->sid);
	struct adopt_maps am = { s, h ? h->mapping : NULL, h ? h->arg : NULL, false };
	const struct sd_kernel_result *kr = s->kres;
	/* The adoption looks at each mapping only when there is a crash-kernel
	 * reservation to write into; without one the stream's walk totals
	 * (cached for tables shared between streams) are enough. */
	bool per_map = (h && h->mapping) || (kr && (kr->have_crashk || kr->have_crashk_low));
	struct sd_verdict v;
	enum sd_status rc;

	rc = sd_analyse_stream(s, st, SD_WALK_RECORD, per_map ? adopt_on_mapping : NULL,
			       per_map ? &am : NULL, &v);
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
	adopt_start(s);
	rc = sd_smmu_walk_streams(s, SD_WALK_RECORD, first_pass_stream, &fp);
	adopt_finish(s);
	return rc;
}

const struct sd_kdev *sd_event_device(const struct sd_smmu *s, uint32_t sid)
{
	const struct sd_event_sid *e = sd_find_evsid(s, sid);

	return e && e->seen ? sd_find_kdev(s->kernel, sid) : NULL;
}

bool sd_smmu_needs_attention(const struct sd_smmu *s)
{
	const struct sd_live_ste *ls = sd_smmu_live_ste(s);

	return (ls && ls->total) || s->nprobs || s->probs_dropped || s->overlaps_total || s->any_bad ||
	       s->nclass[SD_VERDICT_BYPASS] || sd_adoption_needs_attention(sd_smmu_adoption(s));
}
