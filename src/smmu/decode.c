// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decode one SMMU: stream table (IHI 0070 5.1), STEs (5.2), CD tables (5.3,
 * 5.4) and IO page tables, into the model.  Memory comes through a struct
 * sd_mem; nothing here knows what a dump file is.
 */
#include <endian.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "smmu_fields.h"

/* ---- problems ---- */

struct sink_ctx {
	struct sd_smmu *smmu;
	const struct sd_decode_opts *opts;
	int64_t sid, ssid;
};

static void add_problem(void *p, enum sd_problem_kind kind, int level,
			bool has_addr, uint64_t addr, const char *msg)
{
	struct sink_ctx *c = p;
	struct sd_smmu *s = c->smmu;
	struct sd_problem_rec *r;
	char full[SD_ERROR_MSG_MAX + 160];

	if (kind == SD_PROB_NODATA)
		snprintf(full, sizeof(full), "%s; %s", msg,
			 c->opts->zero_pages_excluded ?
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

/* ---- mapping lists with coalescing ---- */

static enum sd_status maplist_add(struct sd_maplist *l, int64_t ssid, uint64_t iova,
				  uint64_t pa, uint64_t size, struct pt_perm p)
{
	struct sd_mapping *last = l->n ? &l->v[l->n - 1] : NULL;

	l->bytes += size;
	if (last && last->ssid == ssid && last->iova + last->size == iova &&
	    last->pa + last->size == pa && last->read == p.read &&
	    last->write == p.write && last->exec == p.exec) {
		last->size += size;
		return SD_OK;
	}
	if (l->n == l->cap) {
		size_t nc = l->cap ? 2 * l->cap : 16;
		struct sd_mapping *nv = realloc(l->v, nc * sizeof(*nv));

		if (!nv)
			return SD_ERR_NOMEM;
		l->v = nv;
		l->cap = nc;
	}
	l->v[l->n++] = (struct sd_mapping){
		.iova = iova, .pa = pa, .size = size, .ssid = ssid,
		.read = p.read, .write = p.write, .exec = p.exec,
	};
	return SD_OK;
}

static enum sd_status maplist_append(struct sd_maplist *dst, const struct sd_maplist *src,
				     int64_t ssid)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct sd_mapping *m = &src->v[i];
		struct pt_perm p = { m->read, m->write, m->exec };
		enum sd_status st = maplist_add(dst, ssid, m->iova, m->pa, m->size, p);

		if (st != SD_OK)
			return st;
	}
	return SD_OK;
}

/* ---- walk memo: a page table shared by several streams is walked once ---- */

struct memo_key {
	struct pt_cfg s1;	/* stage 1, or zero */
	struct pt_cfg s2;	/* stage 2, or zero */
};

struct sd_walk_memo {
	struct memo_key key;
	struct sd_maplist maps;
	struct sd_walk_memo *next;
};

static struct sd_walk_memo *memo_find(struct sd_smmu *s, const struct memo_key *k)
{
	for (struct sd_walk_memo *m = s->memo; m; m = m->next)
		if (!memcmp(&m->key, k, sizeof(*k)))
			return m;
	return NULL;
}

struct s1_leaf_ctx {
	struct sd_maplist *out;
	const struct sd_mem *pa_mem;
	const struct pt_cfg *s2;	/* NULL: single stage */
	const struct sd_problem_sink *sink;
};

struct s2_piece_ctx {
	struct sd_maplist *out;
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

	return maplist_add(c->out, SD_NO_ID, c->iova + (ipa - c->ipa), pa, size, p);
}

static enum sd_status s1_leaf(void *arg, uint64_t va, uint64_t oa, uint64_t size,
			      struct pt_perm p)
{
	struct s1_leaf_ctx *c = arg;
	struct s2_piece_ctx pc = { c->out, va, oa, p };

	if (sd_timed_out)
		return SD_ERR_TIMEOUT;
	if (!c->s2)
		return maplist_add(c->out, SD_NO_ID, va, oa, size, p);
	/* Nested: the stage-1 output is an IPA; translate the whole leaf. */
	return pt_walk(c->pa_mem, c->s2, oa, oa + size - 1, s2_piece, &pc, c->sink);
}

static const struct sd_maplist *walk_memo(struct sd_smmu *s, const struct sd_mem *pa_mem,
					  const struct pt_cfg *s1, const struct pt_cfg *s2,
					  const struct sd_problem_sink *sink)
{
	struct memo_key key;
	struct sd_walk_memo *m;
	enum sd_status st;

	memset(&key, 0, sizeof(key));
	if (s1)
		key.s1 = *s1;
	if (s2)
		key.s2 = *s2;
	if ((m = memo_find(s, &key)))
		return &m->maps;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->key = key;
	if (s1) {
		struct ipa_mem_ctx ic = { pa_mem, s2, sink };
		struct sd_mem imem = { ipa_mem_read, &ic };
		struct s1_leaf_ctx lc = { &m->maps, pa_mem, s2, sink };

		st = pt_walk(s2 ? &imem : pa_mem, s1, 0, ~0ULL, s1_leaf, &lc, sink);
	} else {
		struct s1_leaf_ctx lc = { &m->maps, pa_mem, NULL, sink };

		st = pt_walk(pa_mem, s2, 0, ~0ULL, s1_leaf, &lc, sink);
	}
	if (st == SD_ERR_TIMEOUT)
		sd_problem(sink, SD_PROB_TIMEOUT, -1, true, s1 ? s1->root : s2->root,
			   "--timeout expired: the page-table walk from 0x%llx is incomplete",
			   (unsigned long long)(s1 ? s1->root : s2->root));
	else if (st != SD_OK)
		sd_problem(sink, SD_PROB_READ, -1, false, 0,
			   "page-table walk stopped: %s", sd_status_name(st));
	m->next = s->memo;
	s->memo = m;
	return &m->maps;
}

/* ---- CD tables, IHI 0070 5.3 ---- */

static enum sd_status add_context(struct sd_stream *str, uint32_t ssid, const struct cd *cd)
{
	struct sd_context *nv = realloc(str->ctx, (str->nctx + 1) * sizeof(*nv));

	if (!nv)
		return SD_ERR_NOMEM;
	str->ctx = nv;
	str->ctx[str->nctx].ssid = ssid;
	str->ctx[str->nctx].cd = *cd;
	str->nctx++;
	return SD_OK;
}

#define CD_CHUNK	64	/* CDs read at once: 4 KB */

/* Read CDs [first, first+n) of a table at @addr, keeping the valid ones. */
static void read_cd_run(struct sd_stream *str, const struct sd_mem *mem, uint64_t addr,
			uint32_t ssid_base, uint64_t n, const struct sd_problem_sink *sink,
			struct sink_ctx *sc, const char *what)
{
	uint64_t buf[CD_CHUNK * CTXDESC_CD_DWORDS];

	for (uint64_t i = 0; i < n; i += CD_CHUNK) {
		uint64_t cnt = n - i < CD_CHUNK ? n - i : CD_CHUNK;
		struct sd_error err = {0};
		enum sd_status st;

		st = mem->read(mem->ctx, addr + i * CTXDESC_CD_SIZE, buf,
			       cnt * CTXDESC_CD_SIZE, &err);
		if (st != SD_OK) {
			sc->ssid = SD_NO_ID;
			sd_problem(sink, st == SD_ERR_NODATA ? SD_PROB_NODATA : SD_PROB_READ,
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
			sc->ssid = ssid_base + i + j;
			add_context(str, ssid_base + i + j, &cd);
		}
	}
}

static void read_cds(struct sd_smmu *s, struct sd_stream *str, const struct sd_mem *mem,
		     const struct sd_problem_sink *sink, struct sink_ctx *sc)
{
	const struct ste *ste = &str->ste;
	unsigned cdmax = ste_s1cdmax(ste, &s->caps), fmt = ste_s1fmt(ste, &s->caps);
	uint64_t ncd;

	if (cdmax == 0) {
		/* One CD, S1FMT ignored (IHI 0070 5.2: S1FMT applies when S1CDMAX > 0). */
		read_cd_run(str, mem, ste->s1_context_ptr, 0, 1, sink, sc, "CD");
		return;
	}
	ncd = 1ULL << cdmax;
	if (fmt == STRTAB_STE_0_S1FMT_LINEAR) {
		read_cd_run(str, mem, ste->s1_context_ptr, 0, ncd, sink, sc, "linear CD table");
		return;
	}
	{
		uint64_t per = fmt == STRTAB_STE_0_S1FMT_4K_L2 ?
			CTXDESC_L2_CDS_4K : CTXDESC_L2_CDS_64K;
		uint64_t nl1 = ncd > per ? ncd / per : 1;
		uint64_t l1[512];

		for (uint64_t i = 0; i < nl1; i += 512) {
			uint64_t cnt = nl1 - i < 512 ? nl1 - i : 512;
			struct sd_error err = {0};
			uint64_t a = ste->s1_context_ptr + i * CTXDESC_L1_DESC_SIZE;

			if (mem->read(mem->ctx, a, l1, cnt * 8, &err) != SD_OK) {
				sc->ssid = SD_NO_ID;
				sd_problem(sink, err.status == SD_ERR_NODATA ? SD_PROB_NODATA : SD_PROB_READ,
					   -1, true, a,
					   "L1 CD table at 0x%llx cannot be read (hides SSIDs %llu-%llu): %s",
					   (unsigned long long)a, (unsigned long long)(i * per),
					   (unsigned long long)((i + cnt) * per - 1), err.msg);
				continue;
			}
			for (uint64_t j = 0; j < cnt; j++) {
				uint64_t d = le64toh(l1[j]);
				uint64_t l2 = d & CTXDESC_L1_DESC_L2PTR_MASK;
				uint64_t n = per < ncd ? per : ncd;

				if (!(d & CTXDESC_L1_DESC_V))
					continue;
				read_cd_run(str, mem, l2, (i + j) * per, n, sink, sc,
					    "leaf CD table");
			}
		}
	}
}

/* ---- streams ---- */

static struct sd_stream *add_stream(struct sd_smmu *s, uint32_t sid, const struct ste *ste)
{
	if (s->nstreams == s->cap) {
		size_t nc = s->cap ? 2 * s->cap : 64;
		struct sd_stream *nv = realloc(s->streams, nc * sizeof(*nv));

		if (!nv)
			return NULL;
		s->streams = nv;
		s->cap = nc;
	}
	memset(&s->streams[s->nstreams], 0, sizeof(s->streams[0]));
	s->streams[s->nstreams].sid = sid;
	s->streams[s->nstreams].ste = *ste;
	return &s->streams[s->nstreams++];
}

static void decode_stream(struct sd_smmu *s, const struct sd_mem *mem, uint32_t sid,
			  const struct ste *ste, const struct sd_decode_opts *opts)
{
	struct sink_ctx sc = { s, opts, sid, SD_NO_ID };
	struct sd_problem_sink sink = { add_problem, &sc };
	struct sd_stream *str;
	struct pt_cfg s2cfg;
	bool have_s2 = false;
	struct ipa_mem_ctx ic;
	struct sd_mem imem;
	const struct sd_mem *cdmem = mem;

	s->count_valid++;
	s->count_config[ste->config]++;
	if (opts->sids && !sd_sidset_has(opts->sids, sid))
		return;
	str = add_stream(s, sid, ste);
	if (!str)
		return;
	str->bad = ste_check(ste, &s->caps, &sink);
	if (str->bad || (!ste_config_has_s1(ste->config) && !ste_config_has_s2(ste->config)))
		return;
	if (ste_config_has_s2(ste->config))
		have_s2 = pt_cfg_s2(&s2cfg, ste, &s->caps, NULL);
	if (ste_config_has_s2(ste->config) && !have_s2)
		return;
	if (ste_config_has_s1(ste->config)) {
		if (have_s2) {
			ic = (struct ipa_mem_ctx){ mem, &s2cfg, &sink };
			imem = (struct sd_mem){ ipa_mem_read, &ic };
			cdmem = &imem;
		}
		read_cds(s, str, cdmem, &sink, &sc);
		for (size_t i = 0; i < str->nctx; i++) {
			const struct cd *cd = &str->ctx[i].cd;
			struct pt_cfg s1cfg;
			const struct sd_maplist *ml;

			sc.ssid = str->ctx[i].ssid;
			if (cd_check(cd, &s->caps, &sink) || cd->epd0 ||
			    !opts->mappings || !pt_cfg_s1(&s1cfg, cd, &s->caps, NULL))
				continue;
			ml = walk_memo(s, mem, &s1cfg, have_s2 ? &s2cfg : NULL, &sink);
			if (ml)
				maplist_append(&str->maps, ml, str->ctx[i].ssid);
		}
		str->walked = opts->mappings;
		return;
	}
	if (opts->mappings) {
		const struct sd_maplist *ml = walk_memo(s, mem, NULL, &s2cfg, &sink);

		if (ml)
			maplist_append(&str->maps, ml, SD_NO_ID);
		str->walked = true;
	}
}

#define STE_CHUNK	64	/* STEs read at once: 4 KB */

/* Decode STEs [0, n) of a table at @addr for SIDs sid_base + i. */
static void decode_ste_run(struct sd_smmu *s, const struct sd_mem *mem, uint64_t addr,
			   uint64_t sid_base, uint64_t n, const struct sd_decode_opts *opts,
			   const char *what)
{
	uint64_t buf[STE_CHUNK * STRTAB_STE_DWORDS];
	uint64_t miss_lo = 0, miss_addr = 0;
	bool missing = false;
	struct sd_error miss_err = {0};
	struct sink_ctx sc = { s, opts, SD_NO_ID, SD_NO_ID };
	struct sd_problem_sink sink = { add_problem, &sc };

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
			uint64_t miss_hi = (i < n ? i : n) - 1;

			sc.sid = sid_base + miss_lo;
			sd_problem(&sink, miss_err.status == SD_ERR_NODATA ? SD_PROB_NODATA : SD_PROB_READ,
				   -1, true, miss_addr,
				   "%s at 0x%llx cannot be read (hides the STEs of SIDs 0x%llx-0x%llx): %s",
				   what, (unsigned long long)miss_addr,
				   (unsigned long long)(sid_base + miss_lo),
				   (unsigned long long)(sid_base + miss_hi), miss_err.msg);
			missing = false;
		}
		if (sd_timed_out && cnt) {
			sd_problem(&sink, SD_PROB_TIMEOUT, -1, true, addr + i * STRTAB_STE_SIZE,
				   "--timeout expired: STEs of SIDs 0x%llx-0x%llx not decoded",
				   (unsigned long long)(sid_base + i),
				   (unsigned long long)(sid_base + n - 1));
			return;
		}
		for (uint64_t j = 0; j < cnt; j++) {
			uint64_t dw[8];
			struct ste ste;

			for (int k = 0; k < 8; k++)
				dw[k] = le64toh(buf[j * 8 + k]);
			if (!(dw[0] & STRTAB_STE_0_V))
				continue;
			ste_decode(&ste, dw);
			decode_stream(s, mem, sid_base + i + j, &ste, opts);
		}
	}
}

static void decode_2lvl(struct sd_smmu *s, const struct sd_mem *mem,
			const struct sd_decode_opts *opts)
{
	const struct strtab_cfg *st = &s->st;
	struct sink_ctx sc = { s, opts, SD_NO_ID, SD_NO_ID };
	struct sd_problem_sink sink = { add_problem, &sc };
	uint64_t l1[512];
	uint64_t per_l2 = 1ULL << st->split;

	for (uint64_t i = 0; i < st->l1_entries; i += 512) {
		uint64_t cnt = st->l1_entries - i < 512 ? st->l1_entries - i : 512;
		uint64_t a = st->addr + i * STRTAB_L1_DESC_SIZE;
		struct sd_error err = {0};

		if (mem->read(mem->ctx, a, l1, cnt * 8, &err) != SD_OK) {
			/* Problems about the stream table name the first SID they hide. */
			sc.sid = i * per_l2;
			sd_problem(&sink, err.status == SD_ERR_NODATA ? SD_PROB_NODATA : SD_PROB_READ,
				   -1, true, a,
				   "L1 stream table at 0x%llx cannot be read (hides SIDs 0x%llx-0x%llx): %s",
				   (unsigned long long)a, (unsigned long long)(i * per_l2),
				   (unsigned long long)((i + cnt) * per_l2 - 1), err.msg);
			continue;
		}
		for (uint64_t j = 0; j < cnt && !sd_timed_out; j++) {
			uint64_t d = le64toh(l1[j]);
			unsigned span = FIELD_GET(STRTAB_L1_DESC_SPAN, d);
			uint64_t l2 = d & STRTAB_L1_DESC_L2PTR_MASK;
			uint64_t sid0 = (i + j) << st->split, n;
			char what[64];

			if (span == 0)
				continue;
			sc.sid = sid0;
			if (span > STRTAB_L1_DESC_SPAN_MAX) {
				sd_problem(&sink, SD_PROB_BAD_SPAN, -1, true, a + j * 8,
					   "L1 descriptor %llu (SIDs 0x%llx-0x%llx) has reserved SPAN %u; L2 table ignored",
					   (unsigned long long)(i + j), (unsigned long long)sid0,
					   (unsigned long long)(sid0 + per_l2 - 1), span);
				continue;
			}
			if (span > st->split + 1) {
				/* IHI 0070 5.1.1: a span above SPLIT+1 covers 2^SPLIT STEs. */
				sd_problem(&sink, SD_PROB_BAD_SPAN, -1, true, a + j * 8,
					   "L1 descriptor %llu (SIDs 0x%llx-0x%llx) has SPAN %u, larger than SPLIT+1 = %u; reading 2^SPLIT STEs",
					   (unsigned long long)(i + j), (unsigned long long)sid0,
					   (unsigned long long)(sid0 + per_l2 - 1), span, st->split + 1);
				n = per_l2;
			} else {
				n = 1ULL << (span - 1);
			}
			if (sid0 + n > st->num_sids)
				n = st->num_sids > sid0 ? st->num_sids - sid0 : 0;
			snprintf(what, sizeof(what), "L2 stream table %llu", (unsigned long long)(i + j));
			decode_ste_run(s, mem, l2, sid0, n, opts, what);
		}
	}
}

static int cmp_stream(const void *a, const void *b)
{
	const struct sd_stream *x = a, *y = b;

	return x->sid < y->sid ? -1 : x->sid > y->sid;
}

/* The rings, when the registers that locate them are known. */
static void decode_queues(struct sd_smmu *s, const struct sd_mem *mem,
			  const struct sd_problem_sink *sink)
{
	const struct sd_regs *r = &s->regs;
	struct sd_queue_regs q;

	if (r->have[SD_REG_EVTQ_BASE] && r->have[SD_REG_EVTQ_PROD] && r->have[SD_REG_EVTQ_CONS]) {
		q.base = r->val[SD_REG_EVTQ_BASE];
		q.prod = r->val[SD_REG_EVTQ_PROD];
		q.cons = r->val[SD_REG_EVTQ_CONS];
		s->have_evtq = evtq_read(mem, &q, &s->events, &s->nevents, sink) == SD_OK;
	}
	if (r->have[SD_REG_CMDQ_BASE] && r->have[SD_REG_CMDQ_PROD] && r->have[SD_REG_CMDQ_CONS]) {
		q.base = r->val[SD_REG_CMDQ_BASE];
		q.prod = r->val[SD_REG_CMDQ_PROD];
		q.cons = r->val[SD_REG_CMDQ_CONS];
		s->have_cmdq = cmdq_read(mem, &q, &s->commands, &s->ncommands, sink) == SD_OK;
	}
}

enum sd_status sd_decode_smmu(struct sd_smmu *s, const struct sd_mem *mem,
			      const struct sd_decode_opts *opts,
			      struct sd_error *err)
{
	struct sink_ctx sc = { s, opts, SD_NO_ID, SD_NO_ID };
	struct sd_problem_sink sink = { add_problem, &sc };
	const struct sd_regs *r = &s->regs;

	if (!r->have[SD_REG_STRTAB_BASE] || !r->have[SD_REG_STRTAB_BASE_CFG])
		return sd_error_set(err, SD_ERR_USAGE,
				    "%s: STRTAB_BASE and STRTAB_BASE_CFG are both needed",
				    r->name);
	smmu_caps_from_idr(&s->caps, r->have[SD_REG_IDR0], r->val[SD_REG_IDR0],
			   r->have[SD_REG_IDR1], r->val[SD_REG_IDR1],
			   r->have[SD_REG_IDR5], r->val[SD_REG_IDR5]);
	strtab_cfg_decode(&s->st, r->val[SD_REG_STRTAB_BASE],
			  r->val[SD_REG_STRTAB_BASE_CFG], &s->caps, &sink);
	s->st_valid = s->st.fmt == STRTAB_BASE_CFG_FMT_LINEAR ||
		      s->st.fmt == STRTAB_BASE_CFG_FMT_2LVL;
	if (!s->st_valid)
		return SD_OK;
	if (s->st.fmt == STRTAB_BASE_CFG_FMT_LINEAR)
		decode_ste_run(s, mem, s->st.addr, 0, s->st.num_sids, opts,
			       "linear stream table");
	else
		decode_2lvl(s, mem, opts);
	if (s->nstreams)
		qsort(s->streams, s->nstreams, sizeof(*s->streams), cmp_stream);
	if (sd_timed_out) {
		sc.sid = sc.ssid = SD_NO_ID;
		sd_problem(&sink, SD_PROB_TIMEOUT, -1, false, 0,
			   "--timeout expired: the stream table of %s was not decoded completely",
			   s->regs.name);
	}
	decode_queues(s, mem, &sink);
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
	for (size_t i = 0; i < s->nstreams; i++) {
		free(s->streams[i].ctx);
		free(s->streams[i].maps.v);
	}
	free(s->streams);
	for (size_t i = 0; i < s->nprobs; i++)
		free(s->probs[i].msg);
	free(s->probs);
	free(s->events);
	free(s->commands);
	free(s->overlaps);
	while (s->memo) {
		struct sd_walk_memo *m = s->memo;

		s->memo = m->next;
		free(m->maps.v);
		free(m);
	}
	memset(s, 0, sizeof(*s));
}
