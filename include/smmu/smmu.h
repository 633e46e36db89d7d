/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SMMUv3 architecture, and nothing of Linux: pure decoders over bytes and
 * bounded walkers that read memory through a callback.  No I/O, no printing.
 */
#ifndef SD_SMMU_H
#define SD_SMMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sd_error.h"

/* ---- memory access, supplied by the caller ---- */
struct sd_mem {
	/* Read @len bytes at address @addr (a PA, or an IPA for nested). */
	enum sd_status (*read)(void *ctx, uint64_t addr, void *buf, size_t len,
			       struct sd_error *err);
	void *ctx;
};

/* ---- problems found in tables ---- */
enum sd_problem_kind {
	SD_PROB_NODATA,
	SD_PROB_RESERVED,
	SD_PROB_BAD_STE,
	SD_PROB_BAD_CD,
	SD_PROB_BAD_SPAN,
	SD_PROB_LOOP,
	SD_PROB_SIZE,
	SD_PROB_ADDR_SIZE,
	SD_PROB_CONTIGUOUS,
	SD_PROB_READ,		/* I/O or corruption reading the dump */
	SD_PROB_TIMEOUT,	/* --timeout expired: the decode is incomplete */
};
const char *sd_problem_kind_name(enum sd_problem_kind kind);

#define SD_NO_ID	(-1LL)

/* Where the walkers send what they find wrong.  sid/ssid are filled by the
 * caller's sink; level is -1 when not a page-table level. */
struct sd_problem_sink {
	void (*report)(void *ctx, enum sd_problem_kind kind, int level,
		       bool has_addr, uint64_t addr, const char *msg);
	void *ctx;
};
void sd_problem(const struct sd_problem_sink *sink, enum sd_problem_kind kind,
		int level, bool has_addr, uint64_t addr, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* ---- capabilities from ID registers (all optional) ---- */
struct smmu_caps {
	bool have_idr0, have_idr1, have_idr5;
	bool s1p, s2p, cd2l, st_2lvl, ttf_aarch32, ttf_aarch64;
	unsigned sidsize, ssidsize;
	bool gran4k, gran16k, gran64k;
	unsigned oas_bits;	/* 52 when IDR5 is not known: trust the tables */
	bool vax52;
};
void smmu_caps_from_idr(struct smmu_caps *caps, bool have0, uint32_t idr0,
			bool have1, uint32_t idr1, bool have5, uint32_t idr5);
/* 0..6 -> 32,36,40,42,44,48,52; larger values are treated as 52 */
unsigned smmu_ps_bits(unsigned enc);

/* ---- stream table configuration (STRTAB_BASE, STRTAB_BASE_CFG) ---- */
struct strtab_cfg {
	uint64_t base_reg, cfg_reg;
	uint64_t addr;		/* ADDR[51:6] */
	bool ra;
	unsigned fmt, split, log2size;
	unsigned eff_log2size;	/* LOG2SIZE capped at SIDSIZE when known */
	uint64_t num_sids;	/* 2^eff_log2size */
	uint64_t l1_entries;	/* 2-level only */
};
void strtab_cfg_decode(struct strtab_cfg *cfg, uint64_t base, uint64_t cfg_reg,
		       const struct smmu_caps *caps,
		       const struct sd_problem_sink *sink);

/* ---- Stream Table Entry: every field, raw values ---- */
struct ste {
	uint64_t dw[8];
	unsigned v, config, s1fmt, s1cdmax;
	uint64_t s1_context_ptr;
	unsigned s1dss, s1cir, s1cor, s1csh, mev, s2fwb, s1stalld, eats, strw, shcfg;
	unsigned s2vmid, s2t0sz, s2sl0, s2ir0, s2or0, s2sh0, s2tg, s2ps;
	unsigned s2aa64, s2endi, s2affd, s2ptw, s2s, s2r;
	uint64_t s2ttb;
};
void ste_decode(struct ste *ste, const uint64_t dw[8]);
const char *ste_config_name(unsigned config);	/* abort, bypass, ..., reserved */
bool ste_config_has_s1(unsigned config);
/* The values the SMMU acts on: S1CDMAX is ignored without SSID support,
 * S1FMT without S1CDMAX, and S1FMT 3 behaves as 0 (IHI 0070 5.2). */
unsigned ste_s1cdmax(const struct ste *ste, const struct smmu_caps *caps);
unsigned ste_s1fmt(const struct ste *ste, const struct smmu_caps *caps);
bool ste_config_has_s2(unsigned config);
/* Report what an SMMU would reject with C_BAD_STE; returns true if bad. */
bool ste_check(const struct ste *ste, const struct smmu_caps *caps,
	       const struct sd_problem_sink *sink);

/* ---- Context Descriptor ---- */
struct cd {
	uint64_t dw[8];
	unsigned t0sz, tg0, irgn0, orgn0, sh0, epd0, endi, t1sz, tg1, epd1, v;
	unsigned ips, tbi0, aa64, hd, ha, s, r, a, aset, asid, had0;
	uint64_t ttb0, ttb1, mair;
};
void cd_decode(struct cd *cd, const uint64_t dw[8]);
bool cd_check(const struct cd *cd, const struct smmu_caps *caps,
	      const struct sd_problem_sink *sink);

/* ---- IO page tables ---- */
struct pt_perm {
	bool read, write, exec;
};

struct pt_cfg {
	int stage;		/* 1 or 2 */
	unsigned granule_shift;	/* 12, 14, 16 */
	unsigned ias;		/* input address bits */
	unsigned oas;		/* output address bits (effective) */
	unsigned start_level;
	unsigned concat;	/* start-level tables (stage 2), else 1 */
	uint64_t root;		/* PA (or IPA under nested) of the start table */
	bool had;		/* hierarchical attributes disabled (CD.HAD0) */
	bool big_endian;	/* CD.ENDI / STE.S2ENDI */
};

/* Stage-1 geometry from a CD: fills @cfg or reports bad_cd and returns false. */
bool pt_cfg_s1(struct pt_cfg *cfg, const struct cd *cd,
	       const struct smmu_caps *caps, const struct sd_problem_sink *sink);
/* Stage-2 geometry from an STE: fills @cfg or reports bad_ste, returns false. */
bool pt_cfg_s2(struct pt_cfg *cfg, const struct ste *ste,
	       const struct smmu_caps *caps, const struct sd_problem_sink *sink);

/* A leaf found by the walk: input [va, va+size) -> output [oa, oa+size). */
typedef enum sd_status (*pt_leaf_fn)(void *arg, uint64_t va, uint64_t oa,
				     uint64_t size, struct pt_perm perm);

/* Bound on leaf entries visited in one walk, so that a corrupt table whose
 * entries all point at the same sub-table cannot run for hours. */
#define PT_WALK_MAX_LEAVES	(1ULL << 24)

/*
 * Walk the tables of @cfg over input range [lo, hi] (inclusive), calling @leaf
 * for every valid leaf in increasing input-address order.  Loops (a table
 * that is its own ancestor) are reported once and not followed; tables that
 * cannot be read are reported with the input range they hide.  Returns
 * non-OK only when @leaf did.
 */
enum sd_status pt_walk(const struct sd_mem *mem, const struct pt_cfg *cfg,
		       uint64_t lo, uint64_t hi, pt_leaf_fn leaf, void *arg,
		       const struct sd_problem_sink *sink);

/*
 * The same, with @stop called every PT_WALK_STOP_EVERY table entries the walk
 * examines (valid or not: a table whose descriptors all point at one table
 * of invalid entries makes no leaf but costs 2^27 entries): when it returns
 * true the walk ends with SD_ERR_TIMEOUT.  @stop gets @arg, as @leaf does.
 */
#define PT_WALK_STOP_EVERY	4096
typedef bool (*pt_stop_fn)(void *arg);
enum sd_status pt_walk_stoppable(const struct sd_mem *mem, const struct pt_cfg *cfg,
				 uint64_t lo, uint64_t hi, pt_leaf_fn leaf, pt_stop_fn stop,
				 void *arg, const struct sd_problem_sink *sink);
/* A table the walk is about to read: @bytes at @table (level @level; at
 * the start level, the concatenated tables together). */
typedef void (*pt_table_fn)(void *arg, unsigned level, uint64_t table, uint64_t bytes);

/* pt_walk, also calling @table (may be NULL) for every table it reads,
 * with @arg. */
enum sd_status pt_walk_tables(const struct sd_mem *mem, const struct pt_cfg *cfg,
			      uint64_t lo, uint64_t hi, pt_leaf_fn leaf, pt_table_fn table,
			      void *arg, const struct sd_problem_sink *sink);
/* Both: @table and @stop may each be NULL. */
enum sd_status pt_walk_full(const struct sd_mem *mem, const struct pt_cfg *cfg,
			    uint64_t lo, uint64_t hi, pt_leaf_fn leaf, pt_table_fn table,
			    pt_stop_fn stop, void *arg, const struct sd_problem_sink *sink);

/* Translate one address; SD_ERR_NOTFOUND when unmapped. */
enum sd_status pt_translate(const struct sd_mem *mem, const struct pt_cfg *cfg,
			    uint64_t va, uint64_t *oa, struct pt_perm *perm,
			    const struct sd_problem_sink *sink,
			    struct sd_error *err);

/* An sd_mem that reads IPAs through a stage-2 configuration (nested). */
struct ipa_mem_ctx {
	const struct sd_mem *pa_mem;
	const struct pt_cfg *s2;
	const struct sd_problem_sink *sink;
};
enum sd_status ipa_mem_read(void *ctx, uint64_t ipa, void *buf, size_t len,
			    struct sd_error *err);

#endif
