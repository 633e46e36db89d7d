/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The decoded model of one SMMU's tables, built by decode.c from the bytes
 * the dump layer hands up, and rendered by the report without any I/O.
 */
#ifndef SD_MODEL_H
#define SD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "queues.h"
#include "sd_parse.h"
#include "smmu.h"
#include "smmu_regs.h"

/* Filled by the analysis layer; opaque here. */
struct sd_kdev;
struct sd_ksmmu;
struct sd_kernel_result;

/* Problems kept per SMMU; further ones are counted, not stored. */
#define SD_MAX_PROBLEMS	2048

struct sd_problem_rec {
	enum sd_problem_kind kind;
	int64_t sid, ssid;	/* SD_NO_ID when not applicable */
	int level;		/* -1 when not a page-table level */
	bool has_addr;
	uint64_t addr;
	char *msg;
};

struct sd_mapping {
	uint64_t iova, pa, size;
	int64_t ssid;		/* SD_NO_ID for stage-2-only streams */
	bool read, write, exec;
};

struct sd_maplist {
	struct sd_mapping *v;
	size_t n, cap;
	uint64_t bytes;
};

struct sd_context {
	uint32_t ssid;
	struct cd cd;
};

struct sd_stream {
	uint32_t sid;
	struct ste ste;
	bool bad;		/* an SMMU would reject it (C_BAD_STE) */
	struct sd_context *ctx;
	size_t nctx;
	struct sd_maplist maps;
	bool walked;		/* mappings were computed */

	/* analysis.c */
	const struct sd_kdev *dev;	/* the kernel's master, or NULL */
	const char *verdict;		/* bypass, translating, blocked, idle */
	char reason[256];		/* one line: why */
	int rank;			/* danger, higher first */
	unsigned faults;		/* live event records from this SID */
	uint64_t write_bytes;		/* bytes mapped writable */
	size_t crash_iova, crash_pa;	/* mappings overlapping the crash kernel */
};

/* A mapping that overlaps the crash-kernel reservation. */
struct sd_overlap {
	uint32_t sid;
	struct sd_mapping map;
	bool iova_inside, pa_inside;
	const char *region;		/* "Crash kernel" or "Crash kernel (low)" */
};

struct sd_decode_opts {
	bool mappings;			/* walk IO page tables */
	const struct sd_sidset *sids;	/* NULL: all */
	bool zero_pages_excluded;	/* the dump dropped all-zero pages */
	int dump_level;			/* -1 unknown */
};

struct sd_walk_memo;

struct sd_smmu {
	struct sd_regs regs;
	enum sd_reg_source source;	/* where regs came from */
	struct smmu_caps caps;
	struct strtab_cfg st;
	bool st_valid;			/* FMT was decodable */
	uint64_t count_valid;
	uint64_t count_config[8];	/* by STE.CONFIG value */
	struct sd_stream *streams;	/* sorted by sid; only selected SIDs */
	size_t nstreams, cap;
	struct sd_problem_rec *probs;
	size_t nprobs, probcap;
	uint64_t probs_dropped;		/* beyond SD_MAX_PROBLEMS */
	struct sd_walk_memo *memo;

	/* queues (decode.c), when their registers are known */
	bool have_evtq, have_cmdq;
	struct sd_event *events;
	size_t nevents;
	struct sd_command *commands;
	size_t ncommands;

	/* analysis.c */
	const struct sd_ksmmu *kernel;	/* what the crashed kernel said, or NULL */

	/* live snapshot (SD_SRC_LIVE): the crashed kernel's registers from
	 * --regs, to compare STRTAB_BASE with (live.c); NULL when not given */
	const struct sd_regs *crashed;
	struct sd_overlap *overlaps;
	size_t noverlaps;
};

/* Decode one SMMU whose regs (STRTAB_BASE/CFG at least) are set. */
enum sd_status sd_decode_smmu(struct sd_smmu *smmu, const struct sd_mem *mem,
			      const struct sd_decode_opts *opts,
			      struct sd_error *err);
void sd_smmu_free(struct sd_smmu *smmu);

/* Count of valid STEs whose config is abort, bypass, ... for reports */
uint64_t sd_smmu_count(const struct sd_smmu *smmu, const char *config_name);

#endif
