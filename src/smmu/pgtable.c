// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VMSAv8-64 IO page-table walks, as an SMMUv3 performs them (Arm ARM D8.2-D8.3,
 * IHI 0070 3.4): 4, 16 and 64 KB granules, every start level, stage-2
 * concatenated start tables, 52-bit output with the 64 KB granule.
 *
 * The walk is bounded by the architecture (at most 4 levels, at most 16
 * concatenated tables), by PT_WALK_MAX_LEAVES, and by the caller's stop
 * hook every PT_WALK_STOP_EVERY entries (--timeout); a table that is its own
 * ancestor is reported once and not followed.  Only the slice of each table
 * that the requested input range touches is read.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "smmu.h"
#include "smmu_fields.h"

static unsigned tg_shift(unsigned tg)
{
	switch (tg) {
	case TG_4K: return 12;
	case TG_16K: return 14;
	case TG_64K: return 16;
	}
	return 0;
}

static bool granule_supported(const struct smmu_caps *caps, unsigned shift)
{
	if (!caps->have_idr5)
		return true;
	return (shift == 12 && caps->gran4k) || (shift == 14 && caps->gran16k) ||
	       (shift == 16 && caps->gran64k);
}

static unsigned level_shift(const struct pt_cfg *cfg, unsigned level)
{
	return cfg->granule_shift + (3 - level) * (cfg->granule_shift - 3);
}

/* Smallest T0SZ: 16 (48 bits), or 12 (52 bits) with 64 KB and 52-bit support. */
static unsigned min_t0sz(unsigned gshift, bool big)
{
	return (gshift == 16 && big) ? 12 : 16;
}
#define MAX_T0SZ 39	/* without FEAT_TTST */

bool pt_cfg_s1(struct pt_cfg *cfg, const struct cd *cd,
	       const struct smmu_caps *caps, const struct sd_problem_sink *sink)
{
	unsigned g = tg_shift(cd->tg0), bits, levels;

	memset(cfg, 0, sizeof(*cfg));
	if (!g) {
		sd_problem(sink, SD_PROB_BAD_CD, -1, false, 0,
			   "CD.TG0 %u is a reserved encoding", cd->tg0);
		return false;
	}
	if (!granule_supported(caps, g)) {
		sd_problem(sink, SD_PROB_BAD_CD, -1, false, 0,
			   "CD.TG0 selects a %u KB granule that SMMU_IDR5 does not support",
			   (1u << g) >> 10);
		return false;
	}
	if (cd->t0sz < min_t0sz(g, caps->vax52) || cd->t0sz > MAX_T0SZ) {
		sd_problem(sink, SD_PROB_BAD_CD, -1, false, 0,
			   "CD.T0SZ %u is out of range (%u..%u) for a %u KB granule",
			   cd->t0sz, min_t0sz(g, caps->vax52), MAX_T0SZ, (1u << g) >> 10);
		return false;
	}
	bits = g - 3;
	cfg->stage = 1;
	cfg->granule_shift = g;
	cfg->ias = 64 - cd->t0sz;
	levels = (cfg->ias - g + bits - 1) / bits;
	cfg->start_level = 4 - levels;
	cfg->concat = 1;
	cfg->oas = smmu_ps_bits(cd->ips);
	if (cfg->oas > caps->oas_bits)
		cfg->oas = caps->oas_bits;
	/* 52-bit output addresses exist only with the 64 KB granule here. */
	if (cfg->oas > 48 && g != 16)
		cfg->oas = 48;
	cfg->root = cd->ttb0;
	/* IHI 0070 5.4: a TTB0 outside the effective IPS range (48 bits for
	 * 4 and 16 KB granules) makes the CD ILLEGAL. */
	if (cfg->oas < 64 && (cd->ttb0 >> cfg->oas)) {
		sd_problem(sink, SD_PROB_BAD_CD, -1, true, cd->ttb0,
			   "CD.TTB0 0x%llx is beyond the %u-bit output size",
			   (unsigned long long)cd->ttb0, cfg->oas);
		return false;
	}
	cfg->had = cd->had0;
	cfg->big_endian = cd->endi;
	return true;
}

bool pt_cfg_s2(struct pt_cfg *cfg, const struct ste *ste,
	       const struct smmu_caps *caps, const struct sd_problem_sink *sink)
{
	unsigned g = tg_shift(ste->s2tg), bits, sl, shift;
	int n;

	memset(cfg, 0, sizeof(*cfg));
	if (!ste->s2aa64 && !(caps->have_idr0 && caps->ttf_aarch32)) {
		sd_problem(sink, SD_PROB_BAD_STE, -1, false, 0,
			   "STE.S2AA64 is 0 (AArch32 stage-2 tables) but the SMMU%s supports only AArch64 tables",
			   caps->have_idr0 ? "" : " (assumed)");
		return false;
	}
	if (!g) {
		sd_problem(sink, SD_PROB_BAD_STE, -1, false, 0,
			   "STE.S2TG %u is a reserved encoding", ste->s2tg);
		return false;
	}
	if (!granule_supported(caps, g)) {
		sd_problem(sink, SD_PROB_BAD_STE, -1, false, 0,
			   "STE.S2TG selects a %u KB granule that SMMU_IDR5 does not support",
			   (1u << g) >> 10);
		return false;
	}
	cfg->oas = smmu_ps_bits(ste->s2ps);
	if (cfg->oas > caps->oas_bits)
		cfg->oas = caps->oas_bits;
	if (cfg->oas > 48 && g != 16)
		cfg->oas = 48;
	if (ste->s2t0sz < min_t0sz(g, cfg->oas > 48) || ste->s2t0sz > MAX_T0SZ) {
		sd_problem(sink, SD_PROB_BAD_STE, -1, false, 0,
			   "STE.S2T0SZ %u is out of range (%u..%u) for a %u KB granule",
			   ste->s2t0sz, min_t0sz(g, cfg->oas > 48), MAX_T0SZ,
			   (1u << g) >> 10);
		return false;
	}
	/* Start level from S2SL0 (VTCR_EL2.SL0 semantics, without FEAT_TTST/LPA2). */
	if (g == 12) {
		if (ste->s2sl0 == 3)
			goto bad_sl0;
		sl = 2 - ste->s2sl0;
	} else {
		if (ste->s2sl0 == 3)
			goto bad_sl0;
		sl = 3 - ste->s2sl0;
	}
	bits = g - 3;
	cfg->stage = 2;
	cfg->granule_shift = g;
	cfg->ias = 64 - ste->s2t0sz;
	cfg->start_level = sl;
	shift = level_shift(cfg, sl);
	n = (int)cfg->ias - (int)shift;	/* bits resolved at the start level */
	if (n < 1 || n > (int)bits + 4) {
		sd_problem(sink, SD_PROB_BAD_STE, -1, false, 0,
			   "STE.S2SL0 %u (start level %u) does not fit STE.S2T0SZ %u with a %u KB granule",
			   ste->s2sl0, sl, ste->s2t0sz, (1u << g) >> 10);
		return false;
	}
	cfg->concat = n > (int)bits ? 1u << (n - bits) : 1;
	cfg->root = ste->s2ttb;
	cfg->big_endian = ste->s2endi;
	return true;
bad_sl0:
	sd_problem(sink, SD_PROB_BAD_STE, -1, false, 0,
		   "STE.S2SL0 3 is reserved for a %u KB granule", (1u << g) >> 10);
	return false;
}

/* ---- the walk ---- */

struct walk {
	const struct sd_mem *mem;
	const struct pt_cfg *cfg;
	const struct sd_problem_sink *sink;
	pt_leaf_fn leaf;
	pt_stop_fn stop;
	pt_table_fn table;	/* may be NULL */
	void *arg;
	unsigned bits;
	uint64_t leaves;
	uint64_t entries;		/* examined, for stop */
	bool budget_hit;
	uint64_t path[ARM_MAX_LEVELS];	/* table address at each level */
	uint64_t *buf[ARM_MAX_LEVELS];
	size_t buf_cap[ARM_MAX_LEVELS];	/* in entries */
	uint64_t loops[8];		/* loop targets already reported */
	unsigned nloops;
};

static uint64_t entry_val(const struct walk *w, uint64_t raw)
{
	return w->cfg->big_endian ? be64toh(raw) : le64toh(raw);
}

/* Output address of a descriptor: OA[47:g] plus, for 64 KB with 52-bit
 * output, OA[51:48] from descriptor bits [15:12]. */
static uint64_t desc_oa(const struct pt_cfg *cfg, uint64_t desc)
{
	uint64_t oa = desc & ARM_PTE_ADDR_MASK & ~((1ULL << cfg->granule_shift) - 1);

	if (cfg->granule_shift == 16 && cfg->oas > 48)
		oa |= FIELD_GET(ARM_PTE_ADDR_HI_64K, desc) << ARM_PTE_ADDR_HI_SHIFT;
	return oa;
}

static bool block_allowed(const struct pt_cfg *cfg, unsigned level)
{
	switch (cfg->granule_shift) {
	case 12: return level == 1 || level == 2;
	case 14: return level == 2;
	case 16: return level == 2 || (level == 1 && cfg->oas > 48);
	}
	return false;
}

static unsigned contig_count(const struct pt_cfg *cfg, unsigned level)
{
	switch (cfg->granule_shift) {
	case 12: return 16;
	case 14: return level == 3 ? 128 : 32;
	case 16: return 32;
	}
	return 1;
}

static struct pt_perm leaf_perm(const struct pt_cfg *cfg, uint64_t desc,
				bool tbl_ro, bool tbl_xn)
{
	struct pt_perm p;

	if (cfg->stage == 1) {
		p.read = true;
		p.write = !(desc & ARM_PTE_AP_RDONLY) && !tbl_ro;
		p.exec = !(desc & ARM_PTE_XN) && !tbl_xn;
	} else {
		p.read = desc & ARM_PTE_S2AP_READ;
		p.write = desc & ARM_PTE_S2AP_WRITE;
		p.exec = !(desc & ARM_PTE_XN);
	}
	return p;
}

static bool is_leaf(unsigned level, uint64_t desc)
{
	return (desc & ARM_PTE_VALID) &&
	       (level == 3 ? (desc & ARM_PTE_TYPE_TABLE) : !(desc & ARM_PTE_TYPE_TABLE));
}

/* A contiguous run (Arm ARM D8.6.1): aligned group of N leaves, all with the
 * hint, output contiguous and aligned, same permissions.  Anything else is
 * a programming error that lets the TLB return either translation. */
static void check_contig(struct walk *w, unsigned level, uint64_t table,
			 const uint64_t *e, uint64_t first_idx, uint64_t n)
{
	unsigned cnt = contig_count(w->cfg, level);
	uint64_t size = 1ULL << level_shift(w->cfg, level);

	for (uint64_t g = 0; g + cnt <= n; g += cnt) {
		bool any = false, ok = true;
		uint64_t d0 = entry_val(w, e[g]), oa0 = desc_oa(w->cfg, d0);
		struct pt_perm p0 = leaf_perm(w->cfg, d0, false, false);

		for (unsigned i = 0; i < cnt; i++)
			if (entry_val(w, e[g + i]) & ARM_PTE_CONT)
				any = true;
		if (!any)
			continue;
		if (oa0 & (cnt * size - 1))
			ok = false;
		for (unsigned i = 0; ok && i < cnt; i++) {
			uint64_t d = entry_val(w, e[g + i]);
			struct pt_perm p = leaf_perm(w->cfg, d, false, false);

			if (!is_leaf(level, d) || !(d & ARM_PTE_CONT) ||
			    desc_oa(w->cfg, d) != oa0 + i * size ||
			    p.read != p0.read || p.write != p0.write || p.exec != p0.exec)
				ok = false;
		}
		if (!ok)
			sd_problem(w->sink, SD_PROB_CONTIGUOUS, level, true,
				   table + (first_idx + g) * 8,
				   "level %u entries %llu..%llu of table 0x%llx set the contiguous hint but are not %u aligned, contiguous, identical leaves",
				   level, (unsigned long long)(first_idx + g),
				   (unsigned long long)(first_idx + g + cnt - 1),
				   (unsigned long long)table, cnt);
	}
}

static bool grow(struct walk *w, unsigned level, size_t n)
{
	uint64_t *nb;

	if (w->buf_cap[level] >= n)
		return true;
	nb = realloc(w->buf[level], n * sizeof(uint64_t));
	if (!nb) {
		sd_note_alloc_failure();
		return false;
	}
	w->buf[level] = nb;
	w->buf_cap[level] = n;
	return true;
}

static enum sd_status walk_table(struct walk *w, unsigned level, uint64_t table,
				 uint64_t va_base, uint64_t nentries,
				 uint64_t lo, uint64_t hi, bool tbl_ro, bool tbl_xn);

/* Is @next a table on the current walk path (a loop)?  Reported once per
 * table; true means: do not follow it. */
static bool path_loop(struct walk *w, unsigned level, uint64_t table, uint64_t i, uint64_t next)
{
	bool loop = false;

	for (unsigned l = w->cfg->start_level; l <= level; l++)
		if (w->path[l] == next)
			loop = true;
	if (!loop)
		return false;
	for (unsigned k = 0; k < w->nloops; k++)
		if (w->loops[k] == next)
			return true;
	if (w->nloops < sizeof(w->loops) / sizeof(w->loops[0]))
		w->loops[w->nloops++] = next;
	sd_problem(w->sink, SD_PROB_LOOP, level, true, next,
		   "level %u descriptor at 0x%llx points back to table 0x%llx on its own walk path (loop); not followed",
		   level, (unsigned long long)(table + i * 8), (unsigned long long)next);
	return true;
}

/* A table descriptor: descend, with the hierarchical permissions of
 * stage 1 (APTable[1], XNTable; ignored with CD.HAD0, Arm ARM D8.4). */
static enum sd_status walk_next(struct walk *w, unsigned level, uint64_t table, uint64_t i,
				uint64_t desc, uint64_t va, uint64_t lo, uint64_t hi,
				bool tbl_ro, bool tbl_xn)
{
	const struct pt_cfg *cfg = w->cfg;
	uint64_t next = desc_oa(cfg, desc);
	bool hier = cfg->stage == 1 && !cfg->had;
	enum sd_status rs;

	if (cfg->oas < 64 && (next >> cfg->oas)) {
		sd_problem(w->sink, SD_PROB_ADDR_SIZE, level, true, next,
			   "level %u table descriptor at 0x%llx points to 0x%llx, beyond the %u-bit output size",
			   level, (unsigned long long)(table + i * 8),
			   (unsigned long long)next, cfg->oas);
		return SD_OK;
	}
	if (path_loop(w, level, table, i, next))
		return SD_OK;
	rs = walk_table(w, level + 1, next, va, 1ULL << w->bits, lo, hi,
			tbl_ro || (hier && (desc & ARM_PTE_APTABLE_RDONLY)),
			tbl_xn || (hier && (desc & ARM_PTE_XNTABLE)));
	w->path[level] = table;
	return rs;
}

/* A block or page descriptor: one leaf, clipped to [lo, hi]. */
static enum sd_status walk_leaf(struct walk *w, unsigned level, uint64_t table, uint64_t i,
				uint64_t desc, uint64_t va, uint64_t size, uint64_t lo,
				uint64_t hi, bool tbl_ro, bool tbl_xn)
{
	const struct pt_cfg *cfg = w->cfg;
	uint64_t oa = desc_oa(cfg, desc) & ~(size - 1);
	uint64_t s = va, e = va + size - 1;

	if (cfg->oas < 64 && (oa >> cfg->oas)) {
		sd_problem(w->sink, SD_PROB_ADDR_SIZE, level, true, oa,
			   "leaf at 0x%llx maps input 0x%llx to 0x%llx, beyond the %u-bit output size",
			   (unsigned long long)(table + i * 8),
			   (unsigned long long)va, (unsigned long long)oa, cfg->oas);
		return SD_OK;
	}
	if (++w->leaves > PT_WALK_MAX_LEAVES) {
		w->budget_hit = true;
		sd_problem(w->sink, SD_PROB_SIZE, level, true, cfg->root,
			   "walk from 0x%llx stopped after %llu leaf entries",
			   (unsigned long long)cfg->root,
			   (unsigned long long)PT_WALK_MAX_LEAVES);
		return SD_OK;
	}
	if (s < lo)
		s = lo;
	if (e > hi)
		e = hi;
	return w->leaf(w->arg, s, oa + (s - va), e - s + 1, leaf_perm(cfg, desc, tbl_ro, tbl_xn));
}

/* Read entries [first, last] of a table (whole contiguous groups, so that
 * the contiguous hint can be checked) into w->buf[level]; false when the
 * table cannot be read (reported with the input range it hides). */
static bool read_table(struct walk *w, unsigned level, uint64_t table, uint64_t va_base,
		       uint64_t nentries, uint64_t first, uint64_t last, uint64_t *rfirst,
		       enum sd_status *st)
{
	const struct pt_cfg *cfg = w->cfg;
	unsigned shift = level_shift(cfg, level);
	unsigned cnt = level >= 1 ? contig_count(cfg, level) : 1;
	uint64_t rlast, n;
	struct sd_error err = {0};
	enum sd_status rs;

	*st = SD_OK;
	*rfirst = first & ~(uint64_t)(cnt - 1);
	rlast = (last | (cnt - 1));
	if (rlast >= nentries)
		rlast = nentries - 1;
	n = rlast - *rfirst + 1;
	if (!grow(w, level, n)) {
		*st = SD_ERR_NOMEM;	/* pt_walk has no error object: the status says it */
		return false;
	}
	if (w->table)
		w->table(w->arg, level, table, nentries * 8);
	rs = w->mem->read(w->mem->ctx, table + *rfirst * 8, w->buf[level], n * 8, &err);
	if (rs != SD_OK) {
		uint64_t hlo = va_base + (first << shift);
		uint64_t hhi = va_base + (last << shift) + (1ULL << shift) - 1;

		sd_problem(w->sink, rs == SD_ERR_NODATA ? SD_PROB_NODATA : SD_PROB_READ,
			   level, true, table,
			   "stage-%d level %u table at 0x%llx cannot be read (hides input 0x%llx-0x%llx): %s",
			   cfg->stage, level, (unsigned long long)table,
			   (unsigned long long)hlo, (unsigned long long)hhi, err.msg);
		return false;
	}
	if (level >= 1 && (level == 3 || block_allowed(cfg, level)))
		check_contig(w, level, table, w->buf[level], *rfirst, n);
	return true;
}

static enum sd_status walk_table(struct walk *w, unsigned level, uint64_t table,
				 uint64_t va_base, uint64_t nentries,
				 uint64_t lo, uint64_t hi, bool tbl_ro, bool tbl_xn)
{
	const struct pt_cfg *cfg = w->cfg;
	unsigned shift = level_shift(cfg, level);
	uint64_t size = 1ULL << shift;
	uint64_t first, last, rfirst;
	enum sd_status st;

	first = lo > va_base ? (lo - va_base) >> shift : 0;
	last = (hi - va_base) >> shift;
	if (last >= nentries)
		last = nentries - 1;
	if (first > last)
		return SD_OK;
	if (!read_table(w, level, table, va_base, nentries, first, last, &rfirst, &st))
		return st;
	w->path[level] = table;

	for (uint64_t i = first; i <= last; i++) {
		uint64_t desc = entry_val(w, w->buf[level][i - rfirst]);
		uint64_t va = va_base + (i << shift);

		if (w->stop && !(++w->entries % PT_WALK_STOP_EVERY) && w->stop(w->arg))
			return SD_ERR_TIMEOUT;
		if (!(desc & ARM_PTE_VALID))
			continue;
		if (level < 3 && (desc & ARM_PTE_TYPE_TABLE)) {
			st = walk_next(w, level, table, i, desc, va, lo, hi, tbl_ro, tbl_xn);
			if (st != SD_OK)
				return st;
			if (w->budget_hit)
				return SD_OK;
			continue;
		}
		if (level == 3 ? !(desc & ARM_PTE_TYPE_TABLE) : !block_allowed(cfg, level)) {
			sd_problem(w->sink, SD_PROB_RESERVED, level, true, table + i * 8,
				   "level %u descriptor 0x%016llx at 0x%llx is a reserved encoding (%s)",
				   level, (unsigned long long)desc,
				   (unsigned long long)(table + i * 8),
				   level == 3 ? "0b01 at level 3" : "block not allowed at this level");
			continue;
		}
		st = walk_leaf(w, level, table, i, desc, va, size, lo, hi, tbl_ro, tbl_xn);
		if (st != SD_OK || w->budget_hit)
			return st;
	}
	return SD_OK;
}

enum sd_status pt_walk(const struct sd_mem *mem, const struct pt_cfg *cfg,
		       uint64_t lo, uint64_t hi, pt_leaf_fn leaf, void *arg,
		       const struct sd_problem_sink *sink)
{
	return pt_walk_full(mem, cfg, lo, hi, leaf, NULL, NULL, arg, sink);
}

enum sd_status pt_walk_stoppable(const struct sd_mem *mem, const struct pt_cfg *cfg,
				 uint64_t lo, uint64_t hi, pt_leaf_fn leaf, pt_stop_fn stop,
				 void *arg, const struct sd_problem_sink *sink)
{
	return pt_walk_full(mem, cfg, lo, hi, leaf, NULL, stop, arg, sink);
}

enum sd_status pt_walk_tables(const struct sd_mem *mem, const struct pt_cfg *cfg,
			      uint64_t lo, uint64_t hi, pt_leaf_fn leaf, pt_table_fn table,
			      void *arg, const struct sd_problem_sink *sink)
{
	return pt_walk_full(mem, cfg, lo, hi, leaf, table, NULL, arg, sink);
}

enum sd_status pt_walk_full(const struct sd_mem *mem, const struct pt_cfg *cfg,
			    uint64_t lo, uint64_t hi, pt_leaf_fn leaf, pt_table_fn table,
			    pt_stop_fn stop, void *arg, const struct sd_problem_sink *sink)
{
	struct walk w = {
		.mem = mem, .cfg = cfg, .sink = sink, .leaf = leaf, .table = table, .stop = stop,
		.arg = arg,
		.bits = cfg->granule_shift - 3,
	};
	unsigned shift = level_shift(cfg, cfg->start_level);
	uint64_t nentries, top;
	enum sd_status st;

	top = cfg->ias >= 64 ? ~0ULL : (1ULL << cfg->ias) - 1;
	if (lo > top)
		return SD_OK;
	if (hi > top)
		hi = top;
	/* Entries at the start level, concatenated tables included. */
	nentries = 1ULL << (cfg->ias - shift);
	for (unsigned l = 0; l < ARM_MAX_LEVELS; l++)
		w.path[l] = ~0ULL;
	st = walk_table(&w, cfg->start_level, cfg->root, 0, nentries, lo, hi,
			false, false);
	for (unsigned l = 0; l < ARM_MAX_LEVELS; l++)
		free(w.buf[l]);
	return st;
}

struct xlate {
	bool found;
	uint64_t oa;
	struct pt_perm perm;
};

static enum sd_status xlate_leaf(void *arg, uint64_t va, uint64_t oa,
				 uint64_t size, struct pt_perm perm)
{
	struct xlate *x = arg;

	(void)va;
	(void)size;
	x->found = true;
	x->oa = oa;
	x->perm = perm;
	return SD_OK;
}

enum sd_status pt_translate(const struct sd_mem *mem, const struct pt_cfg *cfg,
			    uint64_t va, uint64_t *oa, struct pt_perm *perm,
			    const struct sd_problem_sink *sink,
			    struct sd_error *err)
{
	struct xlate x = {0};
	enum sd_status st = pt_walk(mem, cfg, va, va, xlate_leaf, &x, sink);

	if (st != SD_OK)
		return sd_error_set(err, st, "translating 0x%llx", (unsigned long long)va);
	if (!x.found)
		return sd_error_set(err, SD_ERR_NOTFOUND,
				    "address 0x%llx is not mapped by stage %d",
				    (unsigned long long)va, cfg->stage);
	*oa = x.oa;
	if (perm)
		*perm = x.perm;
	return SD_OK;
}

/* Nested: every stage-1 structure address is an IPA (IHI 0070 3.4.2). */
enum sd_status ipa_mem_read(void *ctx, uint64_t ipa, void *buf, size_t len,
			    struct sd_error *err)
{
	struct ipa_mem_ctx *c = ctx;
	uint64_t gsize = 1ULL << c->s2->granule_shift;
	uint8_t *out = buf;

	while (len) {
		uint64_t pa, chunk = gsize - (ipa & (gsize - 1));
		enum sd_status st;

		if (chunk > len)
			chunk = len;
		st = pt_translate(c->pa_mem, c->s2, ipa, &pa, NULL, c->sink, err);
		if (st != SD_OK)
			return sd_error_prefix(err, "stage-2 translation of IPA 0x%llx",
					       (unsigned long long)ipa);
		st = c->pa_mem->read(c->pa_mem->ctx, pa, out, chunk, err);
		if (st != SD_OK)
			return st;
		ipa += chunk;
		out += chunk;
		len -= chunk;
	}
	return SD_OK;
}
