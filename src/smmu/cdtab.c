// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CD table of one stream (IHI 0070 5.3, 5.4): its valid CDs, read into
 * the walk's reused buffer.  The cost is bounded by construction: at most
 * 2^SSIDSIZE CDs (2^20 when SSIDSIZE is unknown) per table, SD_MAX_CONTEXTS
 * kept per stream and SD_MAX_SMMU_CONTEXTS per SMMU and pass, and a table
 * shared by consecutive streams is read once (struct cd_memo).
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode-priv.h"
#include "model.h"
#include "smmu_fields.h"

#define CD_CHUNK	64	/* CDs read at once: 4 KB */
#define L1CD_CHUNK	512	/* L1 CD descriptors read at once: 4 KB */
#define SD_SSID_BITS_MAX	20	/* SMMU_IDR1.SSIDSIZE is at most 20 */

static void ctx_budget_problem(struct stream_walk *sw)
{
	struct sd_walk_state *w = sw->s->walk;

	if (w->ctx_budget_hit)
		return;
	w->ctx_budget_hit = true;
	sw->sc.ssid = SD_NO_ID;
	sd_problem(&sw->sink, SD_PROB_SIZE, -1, false, 0,
		   "more than %llu valid CDs in the streams of this SMMU: the CDs of this and later streams are not kept",
		   (unsigned long long)SD_MAX_SMMU_CONTEXTS);
}

static void add_context(struct stream_walk *sw, uint32_t ssid, const struct cd *cd)
{
	struct sd_walk_state *w = sw->s->walk;

	if (w->nctx_total >= SD_MAX_SMMU_CONTEXTS) {
		ctx_budget_problem(sw);
		sw->str.ctx_dropped++;
		return;
	}
	if (sw->str.nctx == w->ctxcap) {
		size_t nc = w->ctxcap ? 2 * w->ctxcap : 16;
		struct sd_context *nv;

		if (w->ctxcap >= SD_MAX_CONTEXTS || !(nv = realloc(w->ctx, nc * sizeof(*nv)))) {
			if (w->ctxcap < SD_MAX_CONTEXTS)
				sd_note_alloc_failure();
			sw->str.ctx_dropped++;
			return;
		}
		w->ctx = nv;
		w->ctxcap = nc;
	}
	w->ctx[sw->str.nctx++] = (struct sd_context){ ssid, *cd };
	w->nctx_total++;
}

static void cd_unreadable(struct stream_walk *sw, uint64_t addr, uint64_t ssid_lo,
			  uint64_t ssid_hi, const struct sd_error *err, const char *what)
{
	sw->sc.ssid = SD_NO_ID;
	sd_problem(&sw->sink, err->status == SD_ERR_NODATA ? SD_PROB_NODATA : SD_PROB_READ,
		   -1, true, addr,
		   "%s at 0x%llx cannot be read (hides the CDs of SSIDs %llu-%llu): %s",
		   what, (unsigned long long)addr, (unsigned long long)ssid_lo,
		   (unsigned long long)ssid_hi, err->msg);
}

/* Read CDs [first, first+n) of a table at @addr, keeping the valid ones;
 * a run of unreadable chunks is one problem. */
static void read_cd_run(struct stream_walk *sw, const struct sd_mem *mem, uint64_t addr,
			uint32_t ssid_base, uint64_t n, const char *what)
{
	uint64_t buf[CD_CHUNK * CTXDESC_CD_DWORDS];
	struct sd_error miss_err = {0};
	uint64_t miss_lo = 0, i;
	bool missing = false;

	for (i = 0; i < n && !sd_streams_stop(sw->s->walk); i += CD_CHUNK) {
		uint64_t cnt = n - i < CD_CHUNK ? n - i : CD_CHUNK;
		struct sd_error err = {0};

		if (mem->read(mem->ctx, addr + i * CTXDESC_CD_SIZE, buf,
			      cnt * CTXDESC_CD_SIZE, &err) != SD_OK) {
			if (!missing)
				miss_lo = i, miss_err = err;
			missing = true;
			continue;
		}
		if (missing)
			cd_unreadable(sw, addr + miss_lo * CTXDESC_CD_SIZE, ssid_base + miss_lo,
				      ssid_base + i - 1, &miss_err, what);
		missing = false;
		for (uint64_t j = 0; j < cnt; j++) {
			uint64_t dw[CTXDESC_CD_DWORDS];
			struct cd cd;

			for (int k = 0; k < CTXDESC_CD_DWORDS; k++)
				dw[k] = le64toh(buf[j * CTXDESC_CD_DWORDS + k]);
			cd_decode(&cd, dw);
			if (!cd.v)
				continue;
			sw->sc.ssid = ssid_base + i + j;
			add_context(sw, ssid_base + i + j, &cd);
		}
	}
	if (missing)
		cd_unreadable(sw, addr + miss_lo * CTXDESC_CD_SIZE, ssid_base + miss_lo,
			      ssid_base + (i < n ? i : n) - 1, &miss_err, what);
}

/* A 2-level CD table: L1 descriptors (IHI 0070 5.3.1), each a leaf table
 * of @per CDs. */
static void read_cd_l1(struct stream_walk *sw, const struct sd_mem *mem, uint64_t ncd,
		       uint64_t per, bool pa)
{
	const struct ste *ste = &sw->str.ste;
	uint64_t nl1 = ncd > per ? ncd / per : 1, l1[L1CD_CHUNK];

	for (uint64_t i = 0; i < nl1 && !sd_streams_stop(sw->s->walk); i += L1CD_CHUNK) {
		uint64_t cnt = nl1 - i < L1CD_CHUNK ? nl1 - i : L1CD_CHUNK;
		struct sd_error err = {0};
		uint64_t a = ste->s1_context_ptr + i * CTXDESC_L1_DESC_SIZE;

		if (mem->read(mem->ctx, a, l1, cnt * CTXDESC_L1_DESC_SIZE, &err) != SD_OK) {
			sw->sc.ssid = SD_NO_ID;
			sd_problem(&sw->sink, err.status == SD_ERR_NODATA ? SD_PROB_NODATA : SD_PROB_READ,
				   -1, true, a,
				   "L1 CD table at 0x%llx cannot be read (hides SSIDs %llu-%llu): %s",
				   (unsigned long long)a, (unsigned long long)(i * per),
				   (unsigned long long)((i + cnt) * per - 1), err.msg);
			continue;
		}
		for (uint64_t j = 0; j < cnt; j++) {
			uint64_t d = le64toh(l1[j]);

			if (!(d & CTXDESC_L1_DESC_V))
				continue;
			if (pa)
				sd_hook_table(sw, SD_TABLE_L2_CD, d & CTXDESC_L1_DESC_L2PTR_MASK,
					      (per < ncd ? per : ncd) * CTXDESC_CD_SIZE, sw->str.sid);
			read_cd_run(sw, mem, d & CTXDESC_L1_DESC_L2PTR_MASK, (i + j) * per,
				    per < ncd ? per : ncd, "leaf CD table");
		}
	}
}

/* Problems met while reading a table, the first SD_CD_MEMO_PROBS kept
 * for the memo: a table with no more can be reused. */
struct counting_sink {
	struct sd_problem_sink inner;
	unsigned n;
	struct stream_walk *sw;
};

static void count_problem(void *p, enum sd_problem_kind kind, int level, bool has_addr,
			  uint64_t addr, const char *msg)
{
	struct counting_sink *c = p;
	struct sd_walk_state *w = c->sw->s->walk;

	if (c->n < SD_CD_MEMO_PROBS) {
		struct cd_memo_prob *q = &w->cdprobs[c->n];

		*q = (struct cd_memo_prob){ kind, level, has_addr, addr, c->sw->sc.ssid, "" };
		snprintf(q->msg, sizeof(q->msg), "%s", msg);
	}
	c->n++;
	c->inner.report(c->inner.ctx, kind, level, has_addr, addr, msg);
}

static bool memo_hit(struct stream_walk *sw, const struct cd_memo *k)
{
	struct sd_walk_state *w = sw->s->walk;
	const struct cd_memo *m = &w->cdmemo;
	size_t n = m->nctx;

	if (!m->valid || sd_stream_cut(w) || m->ptr != k->ptr || m->cdmax != k->cdmax ||
	    m->fmt != k->fmt || !sd_pt_cfg_eq(&m->s2, &k->s2))
		return false;
	/* The same CDs again, within the SMMU's budget. */
	if (w->nctx_total + n > SD_MAX_SMMU_CONTEXTS) {
		n = SD_MAX_SMMU_CONTEXTS - w->nctx_total;
		ctx_budget_problem(sw);
	}
	sw->str.nctx = n;
	sw->str.ctx_dropped = m->dropped + (m->nctx - n);
	w->nctx_total += n;
	/* A table that could not be read whole is as unreadable for this
	 * stream: the same problems, for its SID. */
	if (w->ncdprobs) {
		int64_t ssid = sw->sc.ssid;

		for (size_t i = 0; i < w->ncdprobs; i++) {
			const struct cd_memo_prob *q = &w->cdprobs[i];

			sw->sc.ssid = q->ssid;
			sw->sink.report(sw->sink.ctx, q->kind, q->level, q->has_addr, q->addr, q->msg);
		}
		sw->sc.ssid = ssid;
	}
	return true;
}

/* The valid CDs of the stream in sw->str, through @mem (IPAs when @s2). */
void sd_read_cds(struct stream_walk *sw, const struct sd_mem *mem, const struct pt_cfg *s2)
{
	const struct ste *ste = &sw->str.ste;
	const struct smmu_caps *caps = &sw->s->caps;
	struct sd_walk_state *w = sw->s->walk;
	unsigned cdmax = ste_s1cdmax(ste, caps), fmt = ste_s1fmt(ste, caps);
	struct cd_memo key;
	struct counting_sink cs;

	if (!caps->have_idr1 && cdmax > SD_SSID_BITS_MAX) {
		/* Without IDR1 the SSID size is unknown; no SMMU has more than 20
		 * SSID bits (IHI 0070 6.3.2, SSIDSIZE), so more is not a table. */
		sw->sc.ssid = SD_NO_ID;
		sd_problem(&sw->sink, SD_PROB_SIZE, -1, true, ste->s1_context_ptr,
			   "S1CDMax %u with SSIDSIZE unknown (no IDR1): only the CDs of SSIDs below 2^%u are read",
			   cdmax, SD_SSID_BITS_MAX);
		cdmax = SD_SSID_BITS_MAX;
	}
	memset(&key, 0, sizeof(key));
	key.valid = true;
	key.ptr = ste->s1_context_ptr;
	key.fmt = fmt;
	key.cdmax = cdmax;
	if (s2)
		key.s2 = *s2;
	if (memo_hit(sw, &key))
		return;
	w->cdmemo.valid = false;
	/* Count the problems this read meets: ic.sink of a nested read points
	 * at sw->sink too. */
	cs = (struct counting_sink){ sw->sink, 0, sw };
	sw->sink = (struct sd_problem_sink){ count_problem, &cs };
	/* The tables are handed to the hooks when they are at PAs (not a
	 * nested stream's IPAs). */
	if (cdmax == 0) {
		/* One CD, S1FMT ignored (IHI 0070 5.2: S1FMT applies when S1CDMAX > 0). */
		if (!s2)
			sd_hook_table(sw, SD_TABLE_CD, ste->s1_context_ptr, CTXDESC_CD_SIZE, sw->str.sid);
		read_cd_run(sw, mem, ste->s1_context_ptr, 0, 1, "CD");
	} else if (fmt == STRTAB_STE_0_S1FMT_LINEAR) {
		if (!s2)
			sd_hook_table(sw, SD_TABLE_CD, ste->s1_context_ptr,
				      (1ULL << cdmax) * CTXDESC_CD_SIZE, sw->str.sid);
		read_cd_run(sw, mem, ste->s1_context_ptr, 0, 1ULL << cdmax, "linear CD table");
	} else {
		uint64_t per = fmt == STRTAB_STE_0_S1FMT_4K_L2 ? CTXDESC_L2_CDS_4K : CTXDESC_L2_CDS_64K;
		uint64_t ncd = 1ULL << cdmax;

		if (!s2)
			sd_hook_table(sw, SD_TABLE_CD, ste->s1_context_ptr,
				      (ncd > per ? ncd / per : 1) * CTXDESC_L1_DESC_SIZE, sw->str.sid);
		read_cd_l1(sw, mem, ncd, per, !s2);
	}
	sw->sink = cs.inner;
	if (cs.n > SD_CD_MEMO_PROBS || sd_stream_cut(w) || w->ctx_budget_hit)
		return;		/* not the whole table: read it again next time */
	key.nctx = sw->str.nctx;
	key.dropped = sw->str.ctx_dropped;
	w->cdmemo = key;
	w->ncdprobs = cs.n;
}
