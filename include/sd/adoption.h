/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Would a capture kernel with the arm-smmu-v3 kdump series adopt this SMMU's
 * stream table (arm_smmu_kdump_adopt_strtab(), v4-v7, 2026), and was that
 * safe?  The series keeps SMMUEN=1 in the capture kernel and takes over the
 * crashed kernel's tables unless one of its structural checks fails; this
 * module reproduces those checks from the decoded state, one stream at a
 * time, and adds the checks the kernel does not do: where the tables live,
 * ASID/VMID aliasing, and what the adopted DMA can reach.
 *
 * Use: sd_adopt_begin() once per SMMU, then sd_adopt_l1() for every L1
 * stream-table descriptor, sd_adopt_ste() for every valid STE,
 * sd_adopt_cd() for every valid CD, sd_adopt_table() for every table page
 * the decode touched, then sd_adopt_end().  Memory is bounded: per-ID
 * inventories keep at most SD_ADOPT_IDS_MAX IDs with SD_ADOPT_USERS_MAX
 * users and SD_ADOPT_TTBS_MAX distinct table bases each; placement
 * problems at most SD_ADOPT_PLACEMENT_MAX; the rest is counted.
 */
#ifndef SD_ADOPTION_H
#define SD_ADOPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dump.h"
#include "model.h"
#include "smmu.h"
#include "smmu_regs.h"

enum sd_check_result { SD_CHECK_PASS, SD_CHECK_FAIL, SD_CHECK_UNKNOWN };
const char *sd_check_result_name(enum sd_check_result r);

/* In the order the series evaluates them: the first failing one is the
 * check that refuses the adoption. */
enum sd_adopt_check {
	SD_ADOPT_SMMUEN,		/* CR0.SMMUEN was 1 */
	SD_ADOPT_COHERENT,		/* IDR0.COHACC */
	SD_ADOPT_NO_SFM,		/* GERROR.SFM_ERR not active */
	SD_ADOPT_FMT,			/* STRTAB_BASE_CFG.FMT linear or 2-level */
	SD_ADOPT_FMT_SUPPORTED,		/* 2-level only where IDR0.ST_LVL allows */
	SD_ADOPT_SPLIT,			/* 2-level: SPLIT == 8 */
	SD_ADOPT_LOG2SIZE,		/* SPLIT <= LOG2SIZE <= SIDSIZE (2-level); LOG2SIZE <= SIDSIZE (linear) */
	SD_ADOPT_L1_ENTRIES,		/* L1 entries within STRTAB_MAX_L1_ENTRIES */
	SD_ADOPT_BASE_ALIGN,		/* base aligned to the (L1) table size */
	SD_ADOPT_L1_DESC,		/* SPAN 0, or SPAN == SPLIT+1 with an aligned L2 pointer */
	SD_ADOPT_STE_CONFIG,		/* Config is one the architecture defines */
	SD_ADOPT_S1_CTXPTR,		/* stage 1: S1ContextPtr non-zero */
	SD_ADOPT_S1_CDMAX,		/* stage 1: S1CDMax within SSIDSIZE */
	SD_ADOPT_S1_FMT,		/* stage 1: S1Fmt allowed by IDR0.CD2L */
	SD_ADOPT_CD_ALIGN,		/* stage 1: CD table aligned to its size */
	SD_ADOPT_CD_ASID,		/* valid CDs: ASID non-zero and < 2^(8|16) */
	SD_ADOPT_VMID,			/* stage 2 / nested: VMID non-zero and < 2^(8|16) */
	SD_ADOPT_CHECK_COUNT
};
const char *sd_adopt_check_name(enum sd_adopt_check c);
/* Where the check comes from, for the man page and -v. */
const char *sd_adopt_check_source(enum sd_adopt_check c);

/* What is known about the SMMU: from its registers when they were captured,
 * else from the crashed kernel's arm_smmu_device.  -1 means unknown. */
struct sd_adopt_facts {
	int smmuen;		/* CR0.SMMUEN */
	const char *smmuen_from;/* "CR0", "crashed kernel's driver", ... */
	int coherent;		/* IDR0.COHACC / ARM_SMMU_FEAT_COHERENCY */
	int sfm_err;		/* GERROR.SFM_ERR active (GERROR ^ GERRORN) */
	int st_2lvl;		/* IDR0.ST_LVL == 2-level / FEAT_2_LVL_STRTAB */
	int cd2l;		/* IDR0.CD2L / FEAT_2_LVL_CDTAB */
	int sidsize;		/* IDR1.SIDSIZE / sid_bits */
	int ssidsize;		/* IDR1.SSIDSIZE / ssid_bits */
	int asid16;		/* IDR0.ASID16 */
	int vmid16;		/* IDR0.VMID16 */
	const char *caps_from;	/* NULL: the ID registers; else where the
				 * capabilities came from (the kernel's struct) */
};

struct sd_adopt_check_state {
	enum sd_check_result result;
	uint64_t nfail;		/* entries that failed (per-entry checks) */
	char detail[192];	/* the first failure, or why unknown, or what passed */
};

/* The placement checks: a table page outside System RAM, inside the
 * crash-kernel reservation, or missing from the dump. */
enum sd_place_problem {
	SD_PLACE_NOT_RAM,
	SD_PLACE_CRASHKERNEL,
	SD_PLACE_NOT_IN_DUMP,
	SD_PLACE_PROBLEM_COUNT
};
const char *sd_place_problem_name(enum sd_place_problem p);

/* enum sd_table_kind: model.h (the decode hands the tables out). */
const char *sd_table_kind_name(enum sd_table_kind k);

struct sd_adopt_place {
	enum sd_table_kind table;
	uint64_t addr;
	uint32_t sid;		/* the first StreamID that uses it */
	enum sd_place_problem problem;
};

/* Where RAM is, for the placement checks: inclusive ranges (struct
 * sd_range, dump.h).  Any of these may be empty (then that check is not
 * made). */
struct sd_memmap {
	const struct sd_range *ram;	/* System RAM */
	size_t nram;
	const char *ram_from;		/* "iomem_resource", "dump program headers" */
	const struct sd_range *crashk;	/* crash-kernel reservations */
	size_t ncrashk;
	/* Is the page holding @pa in the dump?  NULL: not known. */
	bool (*in_dump)(void *ctx, uint64_t pa);
	void *ctx;
};

#define SD_ADOPT_IDS_MAX	4096
#define SD_ADOPT_USERS_MAX	8
#define SD_ADOPT_TTBS_MAX	4
#define SD_ADOPT_PLACEMENT_MAX	256

struct sd_adopt_user {
	uint32_t sid;
	int64_t ssid;		/* SD_NO_ID for stage 2 */
};

struct sd_adopt_id {
	uint32_t id;		/* ASID or VMID */
	uint64_t nusers;
	struct sd_adopt_user users[SD_ADOPT_USERS_MAX];
	size_t nttbs;		/* distinct TTB0s / S2TTBs kept */
	uint64_t ttbs[SD_ADOPT_TTBS_MAX];
	bool more_ttbs;		/* more distinct values than kept */
};

struct sd_adopt_ids {
	struct sd_adopt_id *v;	/* sorted by id once sd_adopt_end() ran */
	size_t n, cap;
	uint64_t dropped;	/* IDs beyond SD_ADOPT_IDS_MAX */
};

enum sd_adopt_verdict { SD_ADOPT_ACCEPTED, SD_ADOPT_REFUSED, SD_ADOPT_UNKNOWN };
const char *sd_adopt_verdict_name(enum sd_adopt_verdict v);

struct sd_adopt {
	struct sd_adopt_facts f;
	struct strtab_cfg st;
	bool st_valid;
	struct sd_adopt_check_state c[SD_ADOPT_CHECK_COUNT];
	const struct sd_memmap *map;

	struct sd_adopt_place *place;	/* SD_ADOPT_PLACEMENT_MAX at most */
	size_t nplace;
	uint64_t place_dropped;
	uint64_t tables_checked;
	bool ram_known, crashk_known, dump_known;	/* which placement checks ran */

	struct sd_adopt_ids asids, vmids;
	uint64_t asid_dups, vmid_dups;	/* IDs with more than one table base */

	/* Filled by the caller from the crash-kernel overlap analysis. */
	uint64_t crashk_devices;	/* StreamIDs that can write into it */

	enum sd_adopt_verdict verdict;
	enum sd_adopt_check first_fail;	/* when refused */
};

/* @regs: the registers used for the decode (IDRs, CR0, GERROR may be
 * absent); @st: the decoded STRTAB_BASE/_CFG (NULL when not decodable). */
void sd_adopt_begin(struct sd_adopt *a, const struct sd_adopt_facts *f,
		    const struct strtab_cfg *st, const struct sd_memmap *map);
void sd_adopt_l1(struct sd_adopt *a, uint64_t index, uint64_t desc);
void sd_adopt_ste(struct sd_adopt *a, uint32_t sid, const struct ste *ste);
void sd_adopt_cd(struct sd_adopt *a, uint32_t sid, uint32_t ssid, const struct cd *cd);
/* A table of @size bytes at @addr: each problem once per table, at the
 * first address that has it. */
void sd_adopt_table(struct sd_adopt *a, enum sd_table_kind kind, uint64_t addr,
		    uint64_t size, uint32_t sid);
/* @c could not be decided for every entry (the walk was cut, or showed
 * only some): "unknown" with @why, unless it failed already. */
void sd_adopt_partial(struct sd_adopt *a, enum sd_adopt_check c, const char *why);
void sd_adopt_end(struct sd_adopt *a);
void sd_adopt_free(struct sd_adopt *a);

/* Exit status 1: refused, a table misplaced, or an ASID/VMID aliased
 * (false for NULL). */
bool sd_adoption_needs_attention(const struct sd_adopt *a);

/* The facts from a register snapshot; fields the snapshot lacks stay -1. */
void sd_adopt_facts_from_regs(struct sd_adopt_facts *f, const struct sd_regs *r);

#endif
