// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The mappings of one stream: its CDs' stage-1 tables, its stage-2 table, or
 * both (nested), walked with pt_walk and coalesced on the fly into IOVA ->
 * PA ranges handed to a callback one at a time.  Nothing is stored per
 * mapping; coalescing holds one pending range.
 */
#include <stdlib.h>
#include <string.h>

#include "decode-priv.h"
#include "model.h"
#include "smmu_fields.h"

/* ---- coalescing: one pending range ---- */

struct coalesce {
	struct sd_mapping cur;
	bool have;
	sd_mapping_fn fn;
	void *arg;
	/* --timeout, replayed (decode.c, streams_stop) */
	struct sd_walk_state *w;
	enum sd_walk_mode mode;
	size_t ordinal;
	uint64_t leaf_tick;
	enum sd_status failed;		/* the callback's error: stop, no problem */
	/* sums of the walk under way, for the memo */
	struct sd_map_totals acc;
	const struct sd_watch *watch;
	sd_totals_fn totals;
};

static bool overlaps(uint64_t a, uint64_t size, uint64_t lo, uint64_t hi)
{
	return size && a <= hi && a + size - 1 >= lo;
}

static void sum_mapping(struct coalesce *c, const struct sd_mapping *m)
{
	struct sd_map_totals *t = &c->acc;

	t->nmaps++;
	t->bytes += m->size;
	if (m->write)
		t->write_bytes += m->size;
	for (int r = 0; r < SD_MAX_WATCH; r++) {
		bool iv, pv;

		if (!c->watch[r].have)
			continue;
		iv = overlaps(m->iova, m->size, c->watch[r].lo, c->watch[r].hi);
		pv = overlaps(m->pa, m->size, c->watch[r].lo, c->watch[r].hi);
		t->watch_iova[r] += iv;
		t->watch_pa[r] += pv;
		t->watch_any[r] += iv || pv;
	}
}

static enum sd_status flush(struct coalesce *c)
{
	if (!c->have)
		return SD_OK;
	c->have = false;
	sum_mapping(c, &c->cur);
	if (c->failed == SD_OK)
		c->failed = c->fn(c->arg, &c->cur);
	return c->failed;
}

static enum sd_status add(struct coalesce *c, int64_t ssid, uint64_t iova, uint64_t pa,
			  uint64_t size, struct pt_perm p)
{
	struct sd_mapping *m = &c->cur;
	enum sd_status st;

	if (c->have && m->ssid == ssid && m->iova + m->size == iova &&
	    m->pa + m->size == pa && m->read == p.read && m->write == p.write &&
	    m->exec == p.exec) {
		m->size += size;
		return SD_OK;
	}
	st = flush(c);
	*m = (struct sd_mapping){ .iova = iova, .pa = pa, .size = size, .ssid = ssid,
				  .read = p.read, .write = p.write, .exec = p.exec };
	c->have = true;
	return st;
}

/*
 * One --timeout check per leaf.  The RECORD walk notes the stream and leaf
 * where the time ran out; a replay stops there, and at the first leaf of
 * every later stream, as the RECORD walk did.
 */
static bool leaf_stop(struct coalesce *c)
{
	struct sd_walk_state *w = c->w;
	uint64_t t = c->leaf_tick++;

	if (c->mode == SD_WALK_REPLAY)
		return w->map_cut && (c->ordinal > w->map_cut_ordinal ||
				      (c->ordinal == w->map_cut_ordinal && t >= w->map_cut_leaf));
	if (!sd_timed_out)
		return false;
	if (!w->map_cut) {
		w->map_cut = true;
		w->map_cut_ordinal = c->ordinal;
		w->map_cut_leaf = t;
	}
	return true;
}

static bool leaf_stop_hook(void *arg);
static bool piece_stop_hook(void *arg);

struct leaf_ctx {
	struct coalesce *co;
	struct sd_smmu *s;	/* hooks: the tables a first walk reads */
	uint32_t sid;
	int64_t ssid;
	const struct sd_mem *pa_mem;
	const struct pt_cfg *s2;	/* NULL: single stage */
	const struct sd_problem_sink *sink;
	enum sd_table_kind top_kind;	/* of the walk's own tables */
};

struct s2_piece_ctx {
	struct leaf_ctx *lc;
	uint64_t iova, ipa;
	struct pt_perm p1;
};

static enum sd_status s2_piece(void *arg, uint64_t ipa, uint64_t pa, uint64_t size,
			       struct pt_perm p2)
{
	struct s2_piece_ctx *c = arg;
	struct pt_perm p = {
		.read = c->p1.read && p2.read,
		.write = c->p1.write && p2.write,
		.exec = c->p1.exec && p2.exec,
	};

	return add(c->lc->co, c->lc->ssid, c->iova + (ipa - c->ipa), pa, size, p);
}

static enum sd_status s1_leaf(void *arg, uint64_t va, uint64_t oa, uint64_t size,
			      struct pt_perm p)
{
	struct leaf_ctx *c = arg;
	struct s2_piece_ctx pc = { c, va, oa, p };

	if (leaf_stop(c->co))
		return SD_ERR_TIMEOUT;
	if (!c->s2)
		return add(c->co, c->ssid, va, oa, size, p);
	/* Nested: the stage-1 output is an IPA; translate the whole leaf. */
	return pt_walk_stoppable(c->pa_mem, c->s2, oa, oa + size - 1, s2_piece,
				 piece_stop_hook, &pc, c->sink);
}

/* --timeout inside the page-table walks, every PT_WALK_STOP_EVERY entries */
static bool leaf_stop_hook(void *arg)
{
	return leaf_stop(((struct leaf_ctx *)arg)->co);
}
/* A page-table page of the first walk of a configuration, for the hooks. */
static void on_table(void *arg, unsigned level, uint64_t table, uint64_t bytes)
{
	const struct leaf_ctx *c = arg;
	const struct sd_decode_hooks *h = c->s->hooks;

	(void)level;
	h->table(h->arg, c->top_kind, table, bytes, c->sid);
}

/* ---- tables met before: their problems are reported once ---- */

static bool piece_stop_hook(void *arg)
{
	return leaf_stop(((struct s2_piece_ctx *)arg)->lc->co);
}

/* ---- tables met before: their problems are reported once, their sums kept ---- */

bool sd_pt_cfg_eq(const struct pt_cfg *a, const struct pt_cfg *b)
{
	return a->stage == b->stage && a->granule_shift == b->granule_shift &&
	       a->ias == b->ias && a->oas == b->oas && a->start_level == b->start_level &&
	       a->concat == b->concat && a->root == b->root && a->had == b->had &&
	       a->big_endian == b->big_endian;
}

static uint64_t key_hash(const struct pt_cfg *s1, const struct pt_cfg *s2)
{
	uint64_t h = s1->root * 0x9e3779b97f4a7c15ULL ^ s2->root * 0xc2b2ae3d27d4eb4fULL;

	h ^= (uint64_t)(s1->granule_shift + 31 * s1->ias + 961 * s2->ias) << 7;
	return h ^ (h >> 29);
}

#define KEY_SLOTS_MIN	256

/* The index (key number + 1, 0 = free) is rebuilt at twice the size. */
static bool index_grow(struct sd_walk_state *w)
{
	size_t nslots = w->keyslots ? 2 * w->keyslots : KEY_SLOTS_MIN;
	uint32_t *nv = calloc(nslots, sizeof(*nv));

	if (!nv)
		return false;
	for (size_t i = 0; i < w->nkeys; i++) {
		size_t j = key_hash(&w->keys[i].s1, &w->keys[i].s2) & (nslots - 1);

		while (nv[j])
			j = (j + 1) & (nslots - 1);
		nv[j] = i + 1;
	}
	free(w->keyidx);
	w->keyidx = nv;
	w->keyslots = nslots;
	return true;
}

/*
 * The key of a configuration pair, or NULL.  A new pair is added when @add
 * (and there is room): *@first says it was new, or could not be kept (its
 * problems may then repeat).
 */
static struct walk_key *find_key(struct sd_walk_state *w, const struct pt_cfg *s1,
				 const struct pt_cfg *s2, bool add, bool *first)
{
	struct walk_key k;
	size_t j;

	memset(&k, 0, sizeof(k));
	if (s1)
		k.s1 = *s1;
	if (s2)
		k.s2 = *s2;
	*first = true;
	if (!w->keyidx && !index_grow(w))
		return NULL;
	for (j = key_hash(&k.s1, &k.s2) & (w->keyslots - 1); w->keyidx[j];
	     j = (j + 1) & (w->keyslots - 1)) {
		struct walk_key *e = &w->keys[w->keyidx[j] - 1];

		if (sd_pt_cfg_eq(&e->s1, &k.s1) && sd_pt_cfg_eq(&e->s2, &k.s2)) {
			*first = false;
			return e;
		}
	}
	if (!add || w->nkeys >= SD_MAX_WALK_KEYS)
		return NULL;
	if (w->nkeys == w->keycap) {
		size_t nc = w->keycap ? 2 * w->keycap : 64;
		struct walk_key *nv = realloc(w->keys, nc * sizeof(*nv));

		if (!nv)
			return NULL;
		w->keys = nv;
		w->keycap = nc;
	}
	w->keys[w->nkeys] = k;
	w->keyidx[j] = ++w->nkeys;
	if (2 * w->nkeys >= w->keyslots)
		index_grow(w);	/* keep the load under one half */
	return &w->keys[w->nkeys - 1];
}

/*
 * Whether a walk whose sums are known can be skipped without moving where
 * --timeout cuts: the RECORD walk skips only while the time is not up; a
 * replay only when the cut does not fall inside the walk's ticks.
 */
static bool may_skip(const struct coalesce *co, const struct walk_sum *sum)
{
	const struct sd_walk_state *w = co->w;

	if (co->mode == SD_WALK_RECORD)
		return !sd_timed_out;
	return !w->map_cut || co->ordinal < w->map_cut_ordinal ||
	       (co->ordinal == w->map_cut_ordinal && co->leaf_tick + sum->ticks <= w->map_cut_leaf);
}

/* ---- one walk: a stage-1 table (maybe nested) or a stage-2 table ---- */

static enum sd_status walk_one(struct sd_smmu *s, struct coalesce *co, uint32_t sid,
			       int64_t ssid, const struct pt_cfg *s1, const struct pt_cfg *s2,
			       const struct sd_problem_sink *stream_sink)
{
	const struct sd_mem *pa_mem = s->mem;
	struct sd_problem_sink drop;
	struct sink_ctx dsc;
	const struct sd_problem_sink *sink = stream_sink;
	const struct pt_cfg *top = s1 ? s1 : s2;
	struct leaf_ctx lc = { co, s, sid, ssid, pa_mem, s1 ? s2 : NULL, NULL,
			       s1 ? SD_TABLE_S1_PGTABLE : SD_TABLE_S2_PGTABLE };
	pt_table_fn on_tbl = NULL;
	struct ipa_mem_ctx ic = { pa_mem, s2, NULL };
	struct sd_mem imem = { ipa_mem_read, &ic };
	uint64_t tick0 = co->leaf_tick;
	struct walk_key *k;
	bool first;
	enum sd_status st;

	if (co->failed != SD_OK)
		return co->failed;
	k = find_key(s->walk, s1, s2, co->mode == SD_WALK_RECORD, &first);
	if (k && k->have_sum && may_skip(co, &k->sum) &&
	    (co->totals ? co->totals(co->arg, &k->sum.t) : k->sum.t.nmaps == 0)) {
		/* Met before: summed (or nothing to hand), not walked again. */
		co->leaf_tick += k->sum.ticks;
		return SD_OK;
	}
	if (co->mode == SD_WALK_RECORD && !first) {
		sd_sink_init(&drop, &dsc, s, SD_WALK_REPLAY, SD_NO_ID);
		sink = &drop;
	} else if (co->mode == SD_WALK_RECORD && s->hooks && s->hooks->table && !(s1 && s2)) {
		/* The first walk of these tables; a nested stream's stage-1
		 * tables are at IPAs, and not handed out. */
		on_tbl = on_table;
	}
	lc.sink = ic.sink = sink;
	memset(&co->acc, 0, sizeof(co->acc));
	st = pt_walk_full(s1 && s2 ? &imem : pa_mem, top, 0, ~0ULL, s1_leaf, on_tbl,
			  leaf_stop_hook, &lc, sink);
	if (st == SD_OK)
		st = flush(co);		/* the walk's last range, in its sums */
	if (co->failed != SD_OK)
		return co->failed;
	if (st == SD_OK && k && !k->have_sum && co->mode == SD_WALK_RECORD) {
		k->sum = (struct walk_sum){ co->acc, co->leaf_tick - tick0 };
		k->have_sum = true;
	}
	if (st == SD_ERR_TIMEOUT)
		sd_problem(sink, SD_PROB_TIMEOUT, -1, true, top->root,
			   "--timeout expired: the page-table walk from 0x%llx is incomplete",
			   (unsigned long long)top->root);
	else if (st != SD_OK)
		sd_problem(sink, SD_PROB_READ, -1, false, 0,
			   "page-table walk stopped: %s", sd_status_name(st));
	return SD_OK;
}

/* ---- the stream ---- */

enum sd_status sd_stream_walk_mappings(struct sd_smmu *s, const struct sd_stream *str,
				       enum sd_walk_mode mode, sd_mapping_fn fn, void *arg,
				       bool *walked)
{
	return sd_stream_walk_totals(s, str, mode, fn, NULL, arg, walked);
}

enum sd_status sd_stream_walk_totals(struct sd_smmu *s, const struct sd_stream *str,
				     enum sd_walk_mode mode, sd_mapping_fn fn,
				     sd_totals_fn totals, void *arg, bool *walked)
{
	const struct ste *ste = &str->ste;
	struct coalesce co = { .fn = fn, .arg = arg, .w = s->walk, .mode = mode,
			       .ordinal = str->ordinal, .watch = s->watch, .totals = totals };
	struct sd_problem_sink sink;
	struct sink_ctx sc;
	struct pt_cfg s1cfg, s2cfg;
	bool have_s2 = false;
	enum sd_status st;

	*walked = false;
	if (str->bad || (!ste_config_has_s1(ste->config) && !ste_config_has_s2(ste->config)))
		return SD_OK;
	if (ste_config_has_s2(ste->config)) {
		have_s2 = pt_cfg_s2(&s2cfg, ste, &s->caps, NULL);
		if (!have_s2)
			return SD_OK;
	}
	sd_sink_init(&sink, &sc, s, mode, str->sid);
	if (!ste_config_has_s1(ste->config)) {
		*walked = s->opts->mappings;
		if (!s->opts->mappings)
			return SD_OK;
		st = walk_one(s, &co, str->sid, SD_NO_ID, NULL, &s2cfg, &sink);
		return st != SD_OK ? st : flush(&co);
	}
	for (size_t i = 0; i < str->nctx; i++) {
		const struct cd *cd = &str->ctx[i].cd;

		sc.ssid = str->ctx[i].ssid;
		if (cd_check(cd, &s->caps, &sink) || cd->epd0 || !s->opts->mappings ||
		    !pt_cfg_s1(&s1cfg, cd, &s->caps, NULL))
			continue;
		st = walk_one(s, &co, str->sid, str->ctx[i].ssid, &s1cfg, have_s2 ? &s2cfg : NULL, &sink);
		if (st != SD_OK)
			return st;
	}
	*walked = s->opts->mappings;
	return flush(&co);
}
