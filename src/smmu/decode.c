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

/* A table the RECORD walk reads at a PA, handed to the hooks (model.h). */
void sd_hook_table(const struct stream_walk *sw, enum sd_table_kind kind, uint64_t addr,
		   uint64_t size, uint64_t sid)
{
	const struct sd_decode_hooks *h = sw->s->hooks;

	if (sw->mode == SD_WALK_RECORD && h && h->table)
		h->table(h->arg, kind, addr, size, (uint32_t)sid);
}

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

		if (!nv) {
			sd_note_alloc_failure();
			return;
		}
		s->probs = nv;
		s->probcap = nc;
	}
	r = &s->probs[s->nprobs];
	r->msg = strdup(full);
	if (!r->msg) {
		sd_note_alloc_failure();
		return;
	}
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
bool sd_streams_stop(struct sd_walk_state *w)
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

bool sd_stream_cut(const struct sd_walk_state *w)
{
	/* In both modes: a check at or after the cut has been made. */
	return w->stream_cut && w->stream_tick > w->stream_cut_tick;
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
			sd_read_cds(sw, cdmem, s2 ? &s2cfg : NULL);
			str->ctx = s->walk->ctx;
			if (str->ctx_dropped && !s->walk->ctx_budget_hit) {
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

/* One more valid STE: false while within SD_MAX_STES for this pass. */
static bool ste_budget(struct stream_walk *sw, uint64_t sid, uint64_t addr)
{
	struct sd_walk_state *w = sw->s->walk;

	if (w->nstes < SD_MAX_STES) {
		w->nstes++;
		return false;
	}
	if (!w->ste_budget_hit) {
		w->ste_budget_hit = true;
		sd_sink_init(&sw->sink, &sw->sc, sw->s, sw->mode, sid);
		sd_problem(&sw->sink, SD_PROB_SIZE, -1, true, addr,
			   "more than %llu valid STEs: the tables alias each other or are corrupt; SIDs from 0x%llx not decoded",
			   (unsigned long long)SD_MAX_STES, (unsigned long long)sid);
	}
	return true;
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

		/* Checked before the read: a table in a hole costs reads too. */
		if (cnt && sd_streams_stop(sw->s->walk)) {
			if (missing) {
				run_sid = sid_base + miss_lo;
				report_missing(sw, sid_base + miss_lo, sid_base + i - 1,
					       miss_addr, &miss_err, what);
			}
			sd_sink_init(&sw->sink, &sw->sc, sw->s, sw->mode, run_sid);
			sd_problem(&sw->sink, SD_PROB_TIMEOUT, -1, true, addr + i * STRTAB_STE_SIZE,
				   "--timeout expired: STEs of SIDs 0x%llx-0x%llx not decoded",
				   (unsigned long long)(sid_base + i),
				   (unsigned long long)(sid_base + n - 1));
			return SD_OK;
		}
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
		for (uint64_t j = 0; j < cnt; j++) {
			uint64_t dw[8];
			struct ste ste;

			for (int k = 0; k < 8; k++)
				dw[k] = le64toh(buf[j * 8 + k]);
			if (!(dw[0] & STRTAB_STE_0_V))
				continue;
			if (ste_budget(sw, sid_base + i + j, addr + (i + j) * STRTAB_STE_SIZE))
				return SD_OK;
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

/* The L2 table of L1 descriptor @idx seen before in this pass, or NULL;
 * remembers it otherwise (up to SD_MAX_L2_SEEN tables). */
static struct l2_seen *l2_seen(struct sd_walk_state *w, uint64_t l2, uint64_t sid0)
{
	size_t j;

	if (2 * (w->nl2 + 1) > w->l2slots) {
		size_t ns = w->l2slots ? 2 * w->l2slots : 256;
		struct l2_seen *nv;

		if (w->nl2 >= SD_MAX_L2_SEEN)
			return NULL;	/* not remembered: aliases go unreported */
		if (!(nv = calloc(ns, sizeof(*nv)))) {
			sd_note_alloc_failure();
			return NULL;
		}
		for (size_t i = 0; i < w->l2slots; i++) {
			if (!w->l2[i].used)
				continue;
			for (j = (w->l2[i].addr >> 6) & (ns - 1); nv[j].used; j = (j + 1) & (ns - 1))
				;
			nv[j] = w->l2[i];
		}
		free(w->l2);
		w->l2 = nv;
		w->l2slots = ns;
	}
	for (j = (l2 >> 6) & (w->l2slots - 1); w->l2[j].used; j = (j + 1) & (w->l2slots - 1))
		if (w->l2[j].addr == l2)
			return &w->l2[j];
	w->l2[j] = (struct l2_seen){ l2, sid0, true, false };
	w->nl2++;
	return NULL;
}

/*
 * L2 tables that alias the L1 table or each other (IHI 0070 5.1.2 does not
 * forbid it, and the SMMU would use them): reported once each, and decoded
 * again, within SD_MAX_STES.
 */
static void check_l2(struct stream_walk *sw, uint64_t l2, uint64_t sid0, uint64_t n,
		     uint64_t desc_addr)
{
	const struct strtab_cfg *st = &sw->s->st;
	struct sd_walk_state *w = sw->s->walk;
	uint64_t l1_end = st->addr + st->l1_entries * STRTAB_L1_DESC_SIZE;
	uint64_t per_l2 = 1ULL << st->split;
	struct l2_seen *seen;

	sd_sink_init(&sw->sink, &sw->sc, sw->s, sw->mode, sid0);
	if (l2 < l1_end && l2 + n * STRTAB_STE_SIZE > st->addr && !w->l2_in_l1) {
		w->l2_in_l1 = true;
		sd_problem(&sw->sink, SD_PROB_LOOP, -1, true, st->addr,
			   "L2 stream table 0x%llx for SIDs 0x%llx-0x%llx (L1 descriptor at 0x%llx) lies inside the L1 stream table 0x%llx-0x%llx",
			   (unsigned long long)l2, (unsigned long long)sid0,
			   (unsigned long long)(sid0 + n - 1), (unsigned long long)desc_addr,
			   (unsigned long long)st->addr, (unsigned long long)(l1_end - 1));
	}
	seen = l2_seen(w, l2, sid0);
	if (!seen || seen->reported)
		return;
	seen->reported = true;
	sd_problem(&sw->sink, SD_PROB_LOOP, -1, true, l2,
		   "L2 stream table 0x%llx for SIDs 0x%llx-0x%llx is the same as for SIDs 0x%llx-0x%llx",
		   (unsigned long long)l2, (unsigned long long)sid0,
		   (unsigned long long)(sid0 + per_l2 - 1), (unsigned long long)seen->sid0,
		   (unsigned long long)(seen->sid0 + per_l2 - 1));
}

static void l1_unreadable(struct stream_walk *sw, uint64_t lo, uint64_t hi,
			  const struct sd_error *err)
{
	const struct strtab_cfg *st = &sw->s->st;
	uint64_t a = st->addr + lo * STRTAB_L1_DESC_SIZE;

	sd_sink_init(&sw->sink, &sw->sc, sw->s, sw->mode, lo << st->split);
	sd_problem(&sw->sink, err->status == SD_ERR_NODATA ? SD_PROB_NODATA : SD_PROB_READ,
		   -1, true, a,
		   "L1 stream table at 0x%llx cannot be read (hides SIDs 0x%llx-0x%llx): %s",
		   (unsigned long long)a, (unsigned long long)(lo << st->split),
		   (unsigned long long)(((hi + 1) << st->split) - 1), err->msg);
}

#define L1_CHUNK	512	/* L1 descriptors read at once: 4 KB */

/* At most 2^(LOG2SIZE-SPLIT) L1 descriptors (IHI 0070 5.1.1); a run of
 * unreadable ones is one problem. */
static enum sd_status decode_2lvl(struct stream_walk *sw)
{
	const struct strtab_cfg *st = &sw->s->st;
	const struct sd_mem *mem = sw->s->mem;
	struct sd_walk_state *w = sw->s->walk;
	uint64_t l1[L1_CHUNK], i, miss_lo = 0;
	struct sd_error miss_err = {0};
	bool missing = false;

	for (i = 0; i < st->l1_entries && !sd_streams_stop(w); i += L1_CHUNK) {
		uint64_t cnt = st->l1_entries - i < L1_CHUNK ? st->l1_entries - i : L1_CHUNK;
		uint64_t a = st->addr + i * STRTAB_L1_DESC_SIZE;
		struct sd_error err = {0};

		if (mem->read(mem->ctx, a, l1, cnt * STRTAB_L1_DESC_SIZE, &err) != SD_OK) {
			if (!missing)
				miss_lo = i, miss_err = err;
			missing = true;
			continue;
		}
		if (missing)
			l1_unreadable(sw, miss_lo, i - 1, &miss_err);
		missing = false;
		for (uint64_t j = 0; j < cnt && !sd_streams_stop(w); j++) {
			uint64_t d = le64toh(l1[j]), l2 = d & STRTAB_L1_DESC_L2PTR_MASK;
			uint64_t n = l2_entries(sw, i + j, a + j * 8, FIELD_GET(STRTAB_L1_DESC_SPAN, d));
			const struct sd_decode_hooks *h = sw->s->hooks;
			char what[64];
			enum sd_status rc;

			if (sw->mode == SD_WALK_RECORD && h && h->l1)
				h->l1(h->arg, i + j, d);
			if (!n)
				continue;
			check_l2(sw, l2, (i + j) << st->split, n, a + j * 8);
			sd_hook_table(sw, SD_TABLE_L2_STRTAB, d & STRTAB_L1_DESC_L2PTR_MASK,
				   n * STRTAB_STE_SIZE, (i + j) << st->split);
			snprintf(what, sizeof(what), "L2 stream table %llu", (unsigned long long)(i + j));
			rc = decode_ste_run(sw, l2, (i + j) << st->split, n, what);
			if (rc != SD_OK || w->ste_budget_hit)
				return rc;
		}
	}
	if (missing)
		l1_unreadable(sw, miss_lo, (i < st->l1_entries ? i : st->l1_entries) - 1, &miss_err);
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

/* What a pass counts or remembers starts afresh, so that every pass makes
 * the same decisions (budgets, reuse) at the same streams. */
static void pass_reset(struct sd_walk_state *w)
{
	w->nstes = 0;
	w->ste_budget_hit = false;
	w->nctx_total = 0;
	w->ctx_budget_hit = false;
	w->cdmemo.valid = false;
	w->l2_in_l1 = false;
	if (w->l2)
		memset(w->l2, 0, w->l2slots * sizeof(*w->l2));
	w->nl2 = 0;
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
	pass_reset(s->walk);
	sd_hook_table(&sw, SD_TABLE_STRTAB, s->st.addr,
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
	struct sd_evtq e = {0};
	enum sd_status st;

	if (r->have[SD_REG_EVTQ_BASE] && r->have[SD_REG_EVTQ_PROD] && r->have[SD_REG_EVTQ_CONS]) {
		q.base = r->val[SD_REG_EVTQ_BASE];
		q.prod = r->val[SD_REG_EVTQ_PROD];
		q.cons = r->val[SD_REG_EVTQ_CONS];
		st = evtq_collect(s->mem, &q, &e, &sink);
		if (st == SD_ERR_NOMEM)
			sd_note_alloc_failure();
		s->have_evtq = st == SD_OK;
		s->events = e.ev;
		s->nevents = e.n;
		s->events_total = e.total;
		s->events_pending = e.pending;
		s->evsids = e.sids;
		s->nevsids = e.nsids;
	}
	if (r->have[SD_REG_CMDQ_BASE] && r->have[SD_REG_CMDQ_PROD] && r->have[SD_REG_CMDQ_CONS]) {
		q.base = r->val[SD_REG_CMDQ_BASE];
		q.prod = r->val[SD_REG_CMDQ_PROD];
		q.cons = r->val[SD_REG_CMDQ_CONS];
		st = cmdq_collect(s->mem, &q, &s->commands, &s->ncommands, &s->commands_total,
				  &sink);
		if (st == SD_ERR_NOMEM)
			sd_note_alloc_failure();
		s->have_cmdq = st == SD_OK;
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
		free(s->walk->keyidx);
		free(s->walk->l2);
		free(s->walk);
	}
	memset(s, 0, sizeof(*s));
}
