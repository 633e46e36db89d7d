// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decode one SMMU: stream table (IHI 0070 5.1), STEs (5.2) and CD tables
 * (5.3, 5.4), handed to a callback one stream at a time (the IO page tables
 * are mapwalk.c's).  Memory comes through a struct sd_mem; nothing here
 * knows what a dump file is.  Nothing per stream is kept: only counts and
 * problems, and a stream's CDs while its callback runs.
 */
#include <endian.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode-priv.h"
#include "model.h"
#include "smmu_fields.h"

/* ---- problems ---- */

static void add_problem(void *p, enum sd_problem_kind kind, int level,
			bool has_addr, uint64_t addr, const char *msg)
{
	struct sink_ctx *c = p;
	struct sd_smmu *s = c->smmu;
	struct sd_problem_rec *r;
	char full[SD_ERROR_MSG_MAX + 160];

	if (kind == SD_PROB_NODATA)
		snprintf(full, sizeof(full), "%s; %s", msg,
			 s->opts->zero_pages_excluded ?
			 "the dump excludes all-zero pages, so the page was probably all zeros (no valid entries)" :
			 "the dump does not filter zero pages, so the memory is missing (hole or truncated file)");
	else
		snprintf(full, sizeof(full), "%s", msg);
	if (s->nprobs >= SD_MAX_PROBLEMS) {
		/* A wrecked table must not cost quadratic time or unbounded memory. */
		s->probs_dropped++;
		return;
	}
	/* A problem met again through a shared table is the same problem. */
	for (size_t i = 0; i < s->nprobs; i++) {
		r = &s->probs[i];
		if (r->kind == kind && r->level == level && r->has_addr == has_addr &&
		    r->addr == addr && !strcmp(r->msg, full) &&
		    (kind == SD_PROB_LOOP || kind == SD_PROB_NODATA ||
		     (r->sid == c->sid && r->ssid == c->ssid)))
			return;
	}
	if (s->nprobs == s->probcap) {
		size_t nc = s->probcap ? 2 * s->probcap : 16;
		struct sd_problem_rec *nv = realloc(s->probs, nc * sizeof(*nv));

		if (!nv)
			return;
		s->probs = nv;
		s->probcap = nc;
	}
	r = &s->probs[s->nprobs];
	r->msg = strdup(full);
	if (!r->msg)
		return;
	r->kind = kind;
	r->sid = c->sid;
	r->ssid = c->ssid;
	r->level = level;
	r->has_addr = has_addr;
	r->addr = addr;
	s->nprobs++;
}

static void drop_problem(void *p, enum sd_problem_kind kind, int level,
			 bool has_addr, uint64_t addr, const char *msg)
{
	(void)p, (void)kind, (void)level, (void)has_addr, (void)addr, (void)msg;
}

/* RECORD walks keep problems; replays found them all already. */
void sd_sink_init(struct sd_problem_sink *sink, struct sink_ctx *sc, struct sd_smmu *s,
		  enum sd_walk_mode mode, int64_t sid)
{
	*sc = (struct sink_ctx){ s, sid, SD_NO_ID };
	*sink = (struct sd_problem_sink){
		mode == SD_WALK_RECORD ? add_problem : drop_problem, sc
	};
}

/* ---- --timeout, replayed ---- */

/*
 * One --timeout check of the stream-table walk.  The RECORD walk notes the
 * first check that found the time up; a replay stops at that same check,
 * so that it hands exactly the streams the RECORD walk counted.
 */
static bool streams_stop(struct sd_walk_state *w)
{
	uint64_t t = w->stream_tick++;

	if (w->mode == SD_WALK_REPLAY)
		return w->stream_cut && t >= w->stream_cut_tick;
	if (!sd_timed_out)
		return false;
	if (!w->stream_cut) {
		w->stream_cut = true;
		w->stream_cut_tick = t;
	}
	return true;
}

/* ---- CD tables, IHI 0070 5.3 ---- */

struct stream_walk {
	struct sd_smmu *s;
	enum sd_walk_mode mode;
	sd_stream_fn fn;
	void *arg;
	size_t ordinal;
	struct sd_stream str;
	struct sd_problem_sink sink;
	struct sink_ctx sc;
};

static void add_context(struct stream_walk *sw, uint32_t ssid, const struct cd *cd)
{
	struct sd_walk_state *w = sw->s->walk;

	if (sw->str.nctx == w->ctxcap) {
		size_t nc = w->ctxcap ? 2 * w->ctxcap : 16;
		struct sd_context *nv;

		if (w->ctxcap >= SD_MAX_CONTEXTS || !(nv = realloc(w->ctx, nc * sizeof(*nv)))) {
			sw->str.ctx_dropped++;
			return;
		}
		w->ctx = nv;
		w->ctxcap = nc;
	}
	w->ctx[sw->str.nctx++] = (struct sd_context){ ssid, *cd };
}

/* A table the RECORD walk reads at a PA, handed to the hooks (model.h). */
static void hook_table(const struct stream_walk *sw, enum sd_table_kind kind, uint64_t addr,
		       uint64_t size, uint64_t sid)
{
	const struct sd_decode_hooks *h = sw->s->hooks;

	if (sw->mode == SD_WALK_RECORD && h && h->table)
		h->table(h->arg, kind, addr, size, (uint32_t)sid);
}

#define CD_CHUNK	64	/* CDs read at once: 4 KB */
#define SD_SSID_BITS_MAX	20	/* SMMU_IDR1.SSIDSIZE is at most 20 */

/* Read CDs [first, first+n) of a table at @addr, keeping the valid ones. */
static void read_cd_run(struct stream_walk *sw, const struct sd_mem *mem, uint64_t addr,
			uint32_t ssid_base, uint64_t n, const char *what)
{
	uint64_t buf[CD_CHUNK * CTXDESC_CD_DWORDS];

	for (uint64_t i = 0; i < n && !streams_stop(sw->s->walk); i += CD_CHUNK) {
		uint64_t cnt = n - i < CD_CHUNK ? n - i : CD_CHUNK;
		struct sd_error err = {0};
		enum sd_status st;

		st = mem->read(mem->ctx, addr + i * CTXDESC_CD_SIZE, buf,
			       cnt * CTXDESC_CD_SIZE, &err);
		if (st != SD_OK) {
			sw->sc.ssid = SD_NO_ID;
			sd_problem(&sw->sink, st == SD_ERR_NODATA ? SD_PROB_NODATA : SD_PROB_READ,
				   -1, true, addr + i * CTXDESC_CD_SIZE,
				   "%s at 0x%llx cannot be read (hides the CDs of SSIDs %llu-%llu): %s",
				   what, (unsigned long long)(addr + i * CTXDESC_CD_SIZE),
				   (unsigned long long)(ssid_base + i),
				   (unsigned long long)(ssid_base + i + cnt - 1), err.msg);
			continue;
		}
		for (uint64_t j = 0; j < cnt; j++) {
			uint64_t dw[8];
			struct cd cd;

			for (int k = 0; k < 8; k++)
				dw[k] = le64toh(buf[j * 8 + k]);
			cd_decode(&cd, dw);
			if (!cd.v)
				continue;
			sw->sc.ssid = ssid_base + i + j;
			add_context(sw, ssid_base + i + j, &cd);
		}
	}
}

/* @pa: @mem reads PAs (not a nested stream's IPAs): the tables are handed
 * to the hooks. */
static void read_cds(struct stream_walk *sw, const struct sd_mem *mem, bool pa)
{
	const struct ste *ste = &sw->str.ste;
	const struct smmu_caps *caps = &sw->s->caps;
	unsigned cdmax = ste_s1cdmax(ste, caps), fmt = ste_s1fmt(ste, caps);
	uint64_t ncd, per, nl1, l1[512];

	if (!caps->have_idr1 && cdmax > SD_SSID_BITS_MAX) {
		/* Without IDR1 the SSID size is unknown; no SMMU has more than 20
		 * SSID bits (IHI 0070 6.3.2, SSIDSIZE), so more is not a table. */
		sw->sc.ssid = SD_NO_ID;
		sd_problem(&sw->sink, SD_PROB_SIZE, -1, true, ste->s1_context_ptr,
			   "S1CDMax %u with SSIDSIZE unknown (no IDR1): only the CDs of SSIDs below 2^%u are read",
			   cdmax, SD_SSID_BITS_MAX);
		cdmax = SD_SSID_BITS_MAX;
	}
	if (cdmax == 0) {
		/* One CD, S1FMT ignored (IHI 0070 5.2: S1FMT applies when S1CDMAX > 0). */
		if (pa)
			hook_table(sw, SD_TABLE_CD, ste->s1_context_ptr, CTXDESC_CD_SIZE, sw->str.sid);
		read_cd_run(sw, mem, ste->s1_context_ptr, 0, 1, "CD");
		return;
	}
	ncd = 1ULL << cdmax;
	if (fmt == STRTAB_STE_0_S1FMT_LINEAR) {
		if (pa)
			hook_table(sw, SD_TABLE_CD, ste->s1_context_ptr, ncd * CTXDESC_CD_SIZE, sw->str.sid);
		read_cd_run(sw, mem, ste->s1_context_ptr, 0, ncd, "linear CD table");
		return;
	}
	per = fmt == STRTAB_STE_0_S1FMT_4K_L2 ? CTXDESC_L2_CDS_4K : CTXDESC_L2_CDS_64K;
	nl1 = ncd > per ? ncd / per : 1;
	if (pa)
		hook_table(sw, SD_TABLE_CD, ste->s1_context_ptr, nl1 * CTXDESC_L1_DESC_SIZE, sw->str.sid);
	for (uint64_t i = 0; i < nl1 && !streams_stop(sw->s->walk); i += 512) {
		uint64_t cnt = nl1 - i < 512 ? nl1 - i : 512;
		struct sd_error err = {0};
		uint64_t a = ste->s1_context_ptr + i * CTXDESC_L1_DESC_SIZE;

		if (mem->read(mem->ctx, a, l1, cnt * 8, &err) != SD_OK) {
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
				hook_table(sw, SD_TABLE_L2_CD, d & CTXDESC_L1_DESC_L2PTR_MASK,
					   (per < ncd ? per : ncd) * CTXDESC_CD_SIZE, sw->str.sid);
			read_cd_run(sw, mem, d & CTXDESC_L1_DESC_L2PTR_MASK, (i + j) * per,
				    per < ncd ? per : ncd, "leaf CD table");
		}
	}
}

/* ---- streams ---- */

static enum sd_status decode_stream(struct stream_walk *sw, uint32_t sid, const struct ste *ste)
{
	struct sd_smmu *s = sw->s;
	struct sd_stream *str = &sw->str;
	struct pt_cfg s2cfg;
	struct ipa_mem_ctx ic;
	struct sd_mem imem;
	const struct sd_mem *cdmem = s->mem;

	if (sw->mode == SD_WALK_RECORD) {
		s->count_valid++;
		s->count_config[ste->config]++;
	}
	if (s->opts->sids && !sd_sidset_has(s->opts->sids, sid))
		return SD_OK;
	sd_sink_init(&sw->sink, &sw->sc, s, sw->mode, sid);
	*str = (struct sd_stream){ .sid = sid, .ordinal = sw->ordinal++, .ste = *ste,
				   .ctx = s->walk->ctx };
	str->bad = ste_check(ste, &s->caps, &sw->sink);
	if (!str->bad && ste_config_has_s1(ste->config)) {
		bool s2 = ste_config_has_s2(ste->config);

		if (!s2 || pt_cfg_s2(&s2cfg, ste, &s->caps, NULL)) {
			if (s2) {
				ic = (struct ipa_mem_ctx){ s->mem, &s2cfg, &sw->sink };
				imem = (struct sd_mem){ ipa_mem_read, &ic };
				cdmem = &imem;
			}
			read_cds(sw, cdmem, cdmem == s->mem);
			str->ctx = s->walk->ctx;
			if (str->ctx_dropped) {
				sw->sc.ssid = SD_NO_ID;
				sd_problem(&sw->sink, SD_PROB_SIZE, -1, false, 0,
					   "%llu valid CDs beyond the first %d not kept (nor their mappings walked)",
					   (unsigned long long)str->ctx_dropped, SD_MAX_CONTEXTS);
			}
		}
	}
	return sw->fn(sw->arg, str);
}

#define STE_CHUNK	64	/* STEs read at once: 4 KB */

/* Problems about the stream table name the first SID they hide. */
static void report_missing(struct stream_walk *sw, uint64_t sid_lo, uint64_t sid_hi,
			   uint64_t addr, const struct sd_error *err, const char *what)
{
	sd_sink_init(&sw->sink, &sw->sc, sw->s, sw->mode, sid_lo);
	sd_problem(&sw->sink, err->status == SD_ERR_NODATA ? SD_PROB_NODATA : SD_PROB_READ,
		   -1, true, addr,
		   "%s at 0x%llx cannot be read (hides the STEs of SIDs 0x%llx-0x%llx): %s",
		   what, (unsigned long long)addr, (unsigned long long)sid_lo,
		   (unsigned long long)sid_hi, err->msg);
}

/* Decode STEs [0, n) of a table at @addr for SIDs sid_base + i. */
static enum sd_status decode_ste_run(struct stream_walk *sw, uint64_t addr, uint64_t sid_base,
				     uint64_t n, const char *what)
{
	const struct sd_mem *mem = sw->s->mem;
	uint64_t buf[STE_CHUNK * STRTAB_STE_DWORDS];
	uint64_t miss_lo = 0, miss_addr = 0;
	bool missing = false;
	struct sd_error miss_err = {0};
	int64_t run_sid = SD_NO_ID;	/* the SID the run's last problem named */

	for (uint64_t i = 0; i < n + STE_CHUNK; i += STE_CHUNK) {
		/* The last round (cnt == 0) only flushes a pending missing run. */
		uint64_t cnt = i < n ? (n - i < STE_CHUNK ? n - i : STE_CHUNK) : 0;
		struct sd_error err = {0};
		enum sd_status st = SD_OK;

		if (cnt)
			st = mem->read(mem->ctx, addr + i * STRTAB_STE_SIZE, buf,
				       cnt * STRTAB_STE_SIZE, &err);
		if (cnt && st != SD_OK) {
			if (!missing) {
				missing = true;
				miss_lo = i;
				miss_addr = addr + i * STRTAB_STE_SIZE;
				miss_err = err;
			}
			continue;
		}
		if (missing) {
			/* One message per run of missing pages. */
			run_sid = sid_base + miss_lo;
			report_missing(sw, sid_base + miss_lo, sid_base + (i < n ? i : n) - 1,
				       miss_addr, &miss_err, what);
			missing = false;
		}
		if (cnt && streams_stop(sw->s->walk)) {
			sd_sink_init(&sw->sink, &sw->sc, sw->s, sw->mode, run_sid);
			sd_problem(&sw->sink, SD_PROB_TIMEOUT, -1, true, addr + i * STRTAB_STE_SIZE,
				   "--timeout expired: STEs of SIDs 0x%llx-0x%llx not decoded",
				   (unsigned long long)(sid_base + i),
				   (unsigned long long)(sid_base + n - 1));
			return SD_OK;
		}
		for (uint64_t j = 0; j < cnt; j++) {
			uint64_t dw[8];
			struct ste ste;

			for (int k = 0; k < 8; k++)
				dw[k] = le64toh(buf[j * 8 + k]);
			if (!(dw[0] & STRTAB_STE_0_V))
				continue;
			ste_decode(&ste, dw);
			st = decode_stream(sw, sid_base + i + j, &ste);
			if (st != SD_OK)
				return st;
		}
	}
	return SD_OK;
}

/* The number of STEs an L1 descriptor's L2 table holds (IHI 0070 5.1.1);
 * 0 when the descriptor is invalid or its span reserved. */
static uint64_t l2_entries(struct stream_walk *sw, uint64_t idx, uint64_t desc_addr,
			   unsigned span)
{
	const struct strtab_cfg *st = &sw->s->st;
	uint64_t per_l2 = 1ULL << st->split, sid0 = idx << st->split, n;

	if (span == 0)
		return 0;
	sd_sink_init(&sw->sink, &sw->sc, sw->s, sw->mode, sid0);
	if (span > STRTAB_L1_DESC_SPAN_MAX) {
		sd_problem(&sw->sink, SD_PROB_BAD_SPAN, -1, true, desc_addr,
			   "L1 descriptor %llu (SIDs 0x%llx-0x%llx) has reserved SPAN %u; L2 table ignored",
			   (unsigned long long)idx, (unsigned long long)sid0,
			   (unsigned long long)(sid0 + per_l2 - 1), span);
		return 0;
	}
	if (span > st->split + 1) {
		/* IHI 0070 5.1.1: a span above SPLIT+1 covers 2^SPLIT STEs. */
		sd_problem(&sw->sink, SD_PROB_BAD_SPAN, -1, true, desc_addr,
			   "L1 descriptor %llu (SIDs 0x%llx-0x%llx) has SPAN %u, larger than SPLIT+1 = %u; reading 2^SPLIT STEs",
			   (unsigned long long)idx, (unsigned long long)sid0,
			   (unsigned long long)(sid0 + per_l2 - 1), span, st->split + 1);
		n = per_l2;
	} else {
		n = 1ULL << (span - 1);
	}
	if (sid0 + n > st->num_sids)
		n = st->num_sids > sid0 ? st->num_sids - sid0 : 0;
	return n;
}

static enum sd_status decode_2lvl(struct stream_walk *sw)
{
	const struct strtab_cfg *st = &sw->s->st;
	const struct sd_mem *mem = sw->s->mem;
	uint64_t l1[512];
	uint64_t per_l2 = 1ULL << st->split;

	for (uint64_t i = 0; i < st->l1_entries; i += 512) {
		uint64_t cnt = st->l1_entries - i < 512 ? st->l1_entries - i : 512;
		uint64_t a = st->addr + i * STRTAB_L1_DESC_SIZE;
		struct sd_error err = {0};

		if (mem->read(mem->ctx, a, l1, cnt * 8, &err) != SD_OK) {
			sd_sink_init(&sw->sink, &sw->sc, sw->s, sw->mode, i * per_l2);
			sd_problem(&sw->sink, err.status == SD_ERR_NODATA ? SD_PROB_NODATA : SD_PROB_READ,
				   -1, true, a,
				   "L1 stream table at 0x%llx cannot be read (hides SIDs 0x%llx-0x%llx): %s",
				   (unsigned long long)a, (unsigned long long)(i * per_l2),
				   (unsigned long long)((i + cnt) * per_l2 - 1), err.msg);
			continue;
		}
		for (uint64_t j = 0; j < cnt && !streams_stop(sw->s->walk); j++) {
			uint64_t d = le64toh(l1[j]);
			uint64_t n = l2_entries(sw, i + j, a + j * 8, FIELD_GET(STRTAB_L1_DESC_SPAN, d));
			const struct sd_decode_hooks *h = sw->s->hooks;
			char what[64];
			enum sd_status rc;

			if (sw->mode == SD_WALK_RECORD && h && h->l1)
				h->l1(h->arg, i + j, d);
			if (!n)
				continue;
			hook_table(sw, SD_TABLE_L2_STRTAB, d & STRTAB_L1_DESC_L2PTR_MASK,
				   n * STRTAB_STE_SIZE, (i + j) << st->split);
			snprintf(what, sizeof(what), "L2 stream table %llu", (unsigned long long)(i + j));
			rc = decode_ste_run(sw, d & STRTAB_L1_DESC_L2PTR_MASK, (i + j) << st->split,
					    n, what);
			if (rc != SD_OK)
				return rc;
		}
	}
	return SD_OK;
}

/* The queue problems, in the place a single decode gave them: after the
 * stream table's. */
static void record_queue_problems(struct sd_smmu *s)
{
	struct sink_ctx sc = { s, SD_NO_ID, SD_NO_ID };

	for (size_t i = 0; i < s->walk->nqprobs; i++) {
		const struct queue_prob *q = &s->walk->qprobs[i];

		add_problem(&sc, q->kind, q->level, q->has_addr, q->addr, q->msg);
	}
	s->walk->nqprobs = 0;
}

enum sd_status sd_smmu_walk_streams(struct sd_smmu *s, enum sd_walk_mode mode,
				    sd_stream_fn fn, void *arg)
{
	struct stream_walk sw = { .s = s, .fn = fn, .arg = arg };
	enum sd_status st = SD_OK;

	if (mode == SD_WALK_RECORD && s->recorded)
		mode = SD_WALK_REPLAY;	/* counts and problems are kept once */
	sw.mode = mode;
	if (!s->st_valid || !s->walk)
		return SD_OK;
	s->walk->mode = mode;
	s->walk->stream_tick = 0;
	hook_table(&sw, SD_TABLE_STRTAB, s->st.addr,
		   s->st.fmt == STRTAB_BASE_CFG_FMT_LINEAR ? s->st.num_sids * STRTAB_STE_SIZE :
		   s->st.l1_entries * STRTAB_L1_DESC_SIZE, 0);
	if (s->st.fmt == STRTAB_BASE_CFG_FMT_LINEAR)
		st = decode_ste_run(&sw, s->st.addr, 0, s->st.num_sids, "linear stream table");
	else
		st = decode_2lvl(&sw);
	if (mode != SD_WALK_RECORD)
		return st;
	s->recorded = true;
	if (sd_timed_out) {
		struct sink_ctx sc = { s, SD_NO_ID, SD_NO_ID };
		struct sd_problem_sink sink = { add_problem, &sc };

		sd_problem(&sink, SD_PROB_TIMEOUT, -1, false, 0,
			   "--timeout expired: the stream table of %s was not decoded completely",
			   s->regs.name);
	}
	record_queue_problems(s);
	return st;
}

/* ---- queues ---- */

static void keep_queue_problem(void *p, enum sd_problem_kind kind, int level,
			       bool has_addr, uint64_t addr, const char *msg)
{
	struct sd_walk_state *w = p;
	struct queue_prob *q;

	if (w->nqprobs == SD_MAX_QUEUE_PROBS)
		return;
	q = &w->qprobs[w->nqprobs++];
	*q = (struct queue_prob){ kind, level, has_addr, addr, "" };
	snprintf(q->msg, sizeof(q->msg), "%s", msg);
}

/* The rings, when the registers that locate them are known. */
static void decode_queues(struct sd_smmu *s)
{
	const struct sd_regs *r = &s->regs;
	struct sd_problem_sink sink = { keep_queue_problem, s->walk };
	struct sd_queue_regs q;

	if (r->have[SD_REG_EVTQ_BASE] && r->have[SD_REG_EVTQ_PROD] && r->have[SD_REG_EVTQ_CONS]) {
		q.base = r->val[SD_REG_EVTQ_BASE];
		q.prod = r->val[SD_REG_EVTQ_PROD];
		q.cons = r->val[SD_REG_EVTQ_CONS];
		s->have_evtq = evtq_read(s->mem, &q, &s->events, &s->nevents, &sink) == SD_OK;
	}
	if (r->have[SD_REG_CMDQ_BASE] && r->have[SD_REG_CMDQ_PROD] && r->have[SD_REG_CMDQ_CONS]) {
		q.base = r->val[SD_REG_CMDQ_BASE];
		q.prod = r->val[SD_REG_CMDQ_PROD];
		q.cons = r->val[SD_REG_CMDQ_CONS];
		s->have_cmdq = cmdq_read(s->mem, &q, &s->commands, &s->ncommands, &sink) == SD_OK;
	}
}

enum sd_status sd_decode_smmu(struct sd_smmu *s, const struct sd_mem *mem,
			      const struct sd_decode_opts *opts,
			      struct sd_error *err)
{
	struct sink_ctx sc = { s, SD_NO_ID, SD_NO_ID };
	struct sd_problem_sink sink = { add_problem, &sc };
	const struct sd_regs *r = &s->regs;

	if (!r->have[SD_REG_STRTAB_BASE] || !r->have[SD_REG_STRTAB_BASE_CFG])
		return sd_error_set(err, SD_ERR_USAGE,
				    "%s: STRTAB_BASE and STRTAB_BASE_CFG are both needed",
				    r->name);
	s->mem = mem;
	s->opts = opts;
	s->walk = calloc(1, sizeof(*s->walk));
	if (!s->walk)
		return sd_error_set(err, SD_ERR_NOMEM, "%s: walk state", r->name);
	smmu_caps_from_idr(&s->caps, r->have[SD_REG_IDR0], r->val[SD_REG_IDR0],
			   r->have[SD_REG_IDR1], r->val[SD_REG_IDR1],
			   r->have[SD_REG_IDR5], r->val[SD_REG_IDR5]);
	strtab_cfg_decode(&s->st, r->val[SD_REG_STRTAB_BASE],
			  r->val[SD_REG_STRTAB_BASE_CFG], &s->caps, &sink);
	s->st_valid = s->st.fmt == STRTAB_BASE_CFG_FMT_LINEAR ||
		      s->st.fmt == STRTAB_BASE_CFG_FMT_2LVL;
	if (s->st_valid)
		decode_queues(s);
	return SD_OK;
}

uint64_t sd_smmu_count(const struct sd_smmu *s, const char *name)
{
	uint64_t n = 0;

	for (unsigned c = 0; c < 8; c++)
		if (!strcmp(ste_config_name(c), name))
			n += s->count_config[c];
	return n;
}

void sd_smmu_free(struct sd_smmu *s)
{
	if (s->release)
		s->release(s);
	for (size_t i = 0; i < s->nprobs; i++)
		free(s->probs[i].msg);
	free(s->probs);
	free(s->events);
	free(s->commands);
	free(s->overlaps);
	free(s->evsids);
	if (s->walk) {
		free(s->walk->ctx);
		free(s->walk->keys);
		free(s->walk);
	}
	memset(s, 0, sizeof(*s));
}
