// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Analysis: what each StreamID could do with DMA at the crash, from the STE,
 * the live mappings, the kernel's view of the device and the event queue;
 * and which mappings touch the crash-kernel reservation.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "kernel.h"
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

static void add_overlap(struct sd_smmu *s, const struct sd_stream *st,
			const struct sd_mapping *m, bool iova, bool pa, const char *region)
{
	struct sd_overlap *nv = realloc(s->overlaps, (s->noverlaps + 1) * sizeof(*nv));

	if (!nv)
		return;
	s->overlaps = nv;
	nv[s->noverlaps++] = (struct sd_overlap){ st->sid, *m, iova, pa, region };
}

static void check_crashk(struct sd_smmu *s, struct sd_stream *st,
			 const struct sd_kernel_result *kres)
{
	for (size_t i = 0; kres && i < st->maps.n; i++) {
		const struct sd_mapping *m = &st->maps.v[i];

		for (int r = 0; r < 2; r++) {
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
			st->crash_iova += iv;
			st->crash_pa += pv;
			add_overlap(s, st, m, iv, pv, r ? "Crash kernel (low)" : "Crash kernel");
		}
	}
}

/*
 * Rank (higher = more dangerous): bypass 400+, translating with writable
 * mappings 200+ (+100 with live faults), other translating 100+, idle 10,
 * blocked 0.  Evidence adds a few points so that equal classes sort by it.
 */
static void verdict(struct sd_smmu *s, struct sd_stream *st)
{
	const struct ste *e = &st->ste;
	const struct sd_kdev *d = st->dev;
	char evid[160] = "", b1[32], b2[32];
	int bonus = 0;

	for (size_t i = 0; i < s->nevents; i++)
		if (!s->events[i].stale && s->events[i].sid == st->sid)
			st->faults++;
	for (size_t i = 0; i < st->maps.n; i++)
		if (st->maps.v[i].write)
			st->write_bytes += st->maps.v[i].size;

	if (d && d->bus_master == 1) {
		strcat(evid, "; bus master on");
		bonus += 4;
	}
	if (d && d->driver[0]) {
		snprintf(evid + strlen(evid), sizeof(evid) - strlen(evid), "; driver %s bound", d->driver);
		bonus += 2;
	}
	if (st->faults) {
		snprintf(evid + strlen(evid), sizeof(evid) - strlen(evid), "; %u recent fault%s",
			 st->faults, st->faults == 1 ? "" : "s");
		bonus += 50;
	}
	if ((d && d->ats_enabled == 1) || e->eats) {
		strcat(evid, "; ATS enabled (the device may cache translations)");
		bonus += 8;
	}
	if (st->crash_iova || st->crash_pa) {
		snprintf(evid + strlen(evid), sizeof(evid) - strlen(evid),
			 "; %zu mapping%s touch the crash kernel", st->crash_iova + st->crash_pa,
			 st->crash_iova + st->crash_pa == 1 ? "" : "s");
		bonus += 60;
	}

	if (e->config == STRTAB_STE_0_CFG_BYPASS ||
	    (d && d->domain_type && !strcmp(d->domain_type, "identity") &&
	     e->config != STRTAB_STE_0_CFG_ABORT)) {
		st->verdict = "bypass";
		snprintf(st->reason, sizeof(st->reason), "could DMA anywhere: %s%s",
			 e->config == STRTAB_STE_0_CFG_BYPASS ? "bypass STE" : "identity domain", evid);
		st->rank = 400 + bonus;
		return;
	}
	if (e->config != STRTAB_STE_0_CFG_S1_TRANS && e->config != STRTAB_STE_0_CFG_S2_TRANS &&
	    e->config != STRTAB_STE_0_CFG_NESTED) {
		st->verdict = "blocked";
		snprintf(st->reason, sizeof(st->reason), "blocked: %s STE%s",
			 ste_config_name(e->config), evid);
		st->rank = 0;
		return;
	}
	if (st->bad) {
		st->verdict = "blocked";
		snprintf(st->reason, sizeof(st->reason), "blocked: the SMMU rejects this STE (C_BAD_STE)%s", evid);
		st->rank = 0;
		return;
	}
	if (ste_config_has_s1(e->config) && ste_s1cdmax(e, &s->caps) > 0 && e->s1dss == 1) {
		/* IHI 0070 5.2: S1DSS = BYPASS lets traffic without an SSID through untranslated. */
		st->verdict = "bypass";
		snprintf(st->reason, sizeof(st->reason),
			 "could DMA anywhere without a PASID: S1DSS = bypass%s", evid);
		st->rank = 390 + bonus;
		return;
	}
	if (d && d->domain_type && !strcmp(d->domain_type, "blocked")) {
		st->verdict = "blocked";
		snprintf(st->reason, sizeof(st->reason), "blocked domain%s", evid);
		st->rank = 0;
		return;
	}
	if (st->walked && st->maps.bytes == 0) {
		st->verdict = "idle";
		snprintf(st->reason, sizeof(st->reason), "no live mappings%s", evid);
		st->rank = 10 + bonus;
		return;
	}
	st->verdict = "translating";
	if (st->walked) {
		mib(b1, sizeof(b1), st->maps.bytes);
		mib(b2, sizeof(b2), st->write_bytes);
		snprintf(st->reason, sizeof(st->reason),
			 "could DMA to %s through %zu range%s (%s writable)%s", b1, st->maps.n,
			 st->maps.n == 1 ? "" : "s", b2, evid);
	} else {
		snprintf(st->reason, sizeof(st->reason), "translating (mappings not walked)%s", evid);
	}
	st->rank = (st->write_bytes ? 200 : 100) + bonus;
}

void sd_analyse(struct sd_smmu *s, const struct sd_ksmmu *k,
		const struct sd_kernel_result *kres)
{
	s->kernel = k;
	for (size_t i = 0; i < s->nstreams; i++) {
		struct sd_stream *st = &s->streams[i];

		st->dev = find_dev(k, st->sid);
		check_crashk(s, st, kres);
		verdict(s, st);
	}
}

bool sd_smmu_needs_attention(const struct sd_smmu *s)
{
	if (s->nprobs || s->probs_dropped || s->noverlaps)
		return true;
	for (size_t i = 0; i < s->nstreams; i++)
		if (s->streams[i].bad ||
		    (s->streams[i].verdict && !strcmp(s->streams[i].verdict, "bypass")))
			return true;
	return false;
}
