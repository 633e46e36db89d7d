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
struct sd_adopt;

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

struct sd_context {
	uint32_t ssid;
	struct cd cd;
};

/*
 * Address ranges (the crash-kernel reservations) whose overlaps with each
 * walk's mappings are counted with the walk, so that a walk met again is
 * summed instead of walked (sd_stream_walk_totals).  Set before the walks.
 */
#define SD_MAX_WATCH	2
struct sd_watch {
	bool have;
	uint64_t lo, hi;	/* inclusive */
};

/* The coalesced mappings of one page-table walk, summed. */
struct sd_map_totals {
	uint64_t nmaps, bytes, write_bytes;
	/* mappings whose IOVA, PA, either, overlaps watch range i */
	uint64_t watch_iova[SD_MAX_WATCH], watch_pa[SD_MAX_WATCH], watch_any[SD_MAX_WATCH];
};

/* Valid CDs kept for one stream; the excess is counted and reported. */
#define SD_MAX_CONTEXTS	16384

/*
 * One decoded stream, as the stream-table walk hands it to its callback:
 * the STE and its valid CDs.  The walk owns the memory; it is valid during
 * the callback only.  Nothing of a stream outlives it.
 */
struct sd_stream {
	uint32_t sid;
	size_t ordinal;		/* position in the walk (0, 1, ...) */
	struct ste ste;
	bool bad;		/* an SMMU would reject it (C_BAD_STE) */
	const struct sd_context *ctx;	/* by SSID */
	size_t nctx;
	uint64_t ctx_dropped;	/* valid CDs beyond SD_MAX_CONTEXTS */
};

/* A verdict's reason: a sentence and the evidence, both cut to fit. */
#define SD_VERDICT_EVIDENCE_MAX	320
#define SD_VERDICT_REASON_MAX	448

/* What a stream could do with DMA (analysis.c; sd_verdict_name()). */
enum sd_verdict_class {
	SD_VERDICT_NONE,	/* not analysed */
	SD_VERDICT_BLOCKED,
	SD_VERDICT_IDLE,
	SD_VERDICT_ATTEMPTED,	/* idle or blocked, but event records show DMA */
	SD_VERDICT_TRANSLATING,
	SD_VERDICT_BYPASS,
};

/* A mapping that overlaps the crash-kernel reservation. */
struct sd_overlap {
	uint32_t sid;
	struct sd_mapping map;
	bool iova_inside, pa_inside;
	const char *region;		/* "Crash kernel" or "Crash kernel (low)" */
};

/* Overlaps kept per SMMU; further ones are counted, not stored. */
#define SD_MAX_OVERLAPS	4096

struct sd_decode_opts {
	bool mappings;			/* walk IO page tables */
	const struct sd_sidset *sids;	/* NULL: all */
	bool zero_pages_excluded;	/* the dump dropped all-zero pages */
	int dump_level;			/* -1 unknown */
};

/*
 * Walks run more than once over the same tables: the first (RECORD) keeps
 * what the report prints before the streams (counts, problems, summaries);
 * the later ones (REPLAY) hand the same streams and mappings again, report
 * no problem, and stop exactly where the first stopped when --timeout cut
 * it, so that every pass sees the same streams.
 */
enum sd_walk_mode { SD_WALK_RECORD, SD_WALK_REPLAY };

struct sd_walk_state;

/* The tables a walk reads, for checks of where they live (the kdump
 * adoption's placement check); addresses are PAs. */
enum sd_table_kind {
	SD_TABLE_STRTAB, SD_TABLE_L2_STRTAB, SD_TABLE_CD, SD_TABLE_L2_CD,
	SD_TABLE_S1_PGTABLE, SD_TABLE_S2_PGTABLE, SD_TABLE_KIND_COUNT
};

/*
 * What the RECORD walk hands out besides the streams (all may be NULL):
 * every L1 stream-table descriptor as read, and every table it reads at a
 * PA (the stream table, L2 stream tables, CD tables, and page-table pages
 * the first time their configuration is walked), with the StreamID that
 * led to it.  Tables read at an IPA (a nested stream's stage 1 and CDs)
 * are not handed out.
 */
struct sd_decode_hooks {
	void (*l1)(void *arg, uint64_t index, uint64_t desc);
	void (*table)(void *arg, enum sd_table_kind kind, uint64_t addr, uint64_t size,
		      uint32_t sid);
	void *arg;
};

struct sd_smmu {
	struct sd_regs regs;
	enum sd_reg_source source;	/* where regs came from */
	struct smmu_caps caps;
	struct strtab_cfg st;
	bool st_valid;			/* FMT was decodable */
	/* from the RECORD walk */
	bool recorded;
	uint64_t count_valid;
	uint64_t count_config[8];	/* by STE.CONFIG value */
	struct sd_problem_rec *probs;
	size_t nprobs, probcap;
	uint64_t probs_dropped;		/* beyond SD_MAX_PROBLEMS */

	struct sd_watch watch[SD_MAX_WATCH];	/* see struct sd_watch */

	/* decode.c: where the tables are read, how, and the walks' state */
	const struct sd_mem *mem;
	const struct sd_decode_opts *opts;
	struct sd_walk_state *walk;
	const struct sd_decode_hooks *hooks;	/* RECORD walk only; may be NULL */

	/* queues (decode.c), when their registers are known */
	bool have_evtq, have_cmdq;
	struct sd_event *events;	/* the newest SD_MAX_EVENTS records */
	size_t nevents;
	uint64_t events_total;		/* every record in the ring */
	uint64_t events_pending;	/* of them, not consumed */
	struct sd_event_sid *evsids;	/* every record by StreamID, sorted */
	size_t nevsids;
	struct sd_command *commands;	/* the oldest SD_MAX_COMMANDS pending */
	size_t ncommands;
	uint64_t commands_total;	/* every pending command */

	/* analysis.c */
	const struct sd_ksmmu *kernel;	/* what the crashed kernel said, or NULL */
	const struct sd_kernel_result *kres;	/* crash-kernel reservation, or NULL */
	size_t nstreams;		/* decoded (selected) streams */
	size_t nclass[SD_VERDICT_BYPASS + 1];	/* streams by verdict */
	bool any_bad;			/* a stream the SMMU would reject */
	struct sd_adopt *adopt;		/* the kdump adoption check, or NULL */
	/* Frees what the analysis layer hung on the SMMU; sd_smmu_free()
	 * calls it (libsmmu does not know those types). */
	void (*release)(struct sd_smmu *smmu);

	/* live snapshot (SD_SRC_LIVE): the crashed kernel's registers from
	 * --regs, to compare STRTAB_BASE with (live.c); NULL when not given */
	const struct sd_regs *crashed;
	struct sd_overlap *overlaps;	/* the first SD_MAX_OVERLAPS */
	size_t noverlaps;
	uint64_t overlaps_total;
};

/*
 * Set up one SMMU whose regs (STRTAB_BASE/CFG at least) are set: the ID
 * registers, STRTAB_BASE/_CFG and the queues.  The tables are read later, by
 * the walks below, through @mem and with @opts (both kept: they must outlive
 * @smmu's use).
 */
enum sd_status sd_decode_smmu(struct sd_smmu *smmu, const struct sd_mem *mem,
			      const struct sd_decode_opts *opts,
			      struct sd_error *err) SD_MUST_CHECK;
void sd_smmu_free(struct sd_smmu *smmu);

/*
 * Walk the stream table in StreamID order, calling @fn for each valid,
 * selected STE with its CDs.  In RECORD mode (once per SMMU, first) it also
 * counts the valid STEs, keeps the problems, and adds the queue problems at
 * the end.  Returns @fn's first non-OK status, else SD_OK.
 */
typedef enum sd_status (*sd_stream_fn)(void *arg, const struct sd_stream *st);
enum sd_status sd_smmu_walk_streams(struct sd_smmu *smmu, enum sd_walk_mode mode,
				    sd_stream_fn fn, void *arg) SD_MUST_CHECK;

/*
 * The coalesced IOVA -> PA mappings of @st, in SSID then IOVA order, one
 * call of @fn each (nothing is stored).  *@walked says whether the tables
 * were walked (a translating, valid STE).  RECORD problems only the first
 * time a table is met, as one walk of a shared table would.
 */
typedef enum sd_status (*sd_mapping_fn)(void *arg, const struct sd_mapping *m);
enum sd_status sd_stream_walk_mappings(struct sd_smmu *smmu, const struct sd_stream *st,
				       enum sd_walk_mode mode, sd_mapping_fn fn, void *arg,
				       bool *walked) SD_MUST_CHECK;

/*
 * The same walk, for a caller that needs only sums: each page-table walk
 * met before in this pass (same tables, same geometry) is offered to
 * @totals as its sums instead of walked; when @totals returns true it took
 * them, else the walk's mappings go to @fn as usual.  A table shared by
 * many streams is thus walked once per pass.
 */
typedef bool (*sd_totals_fn)(void *arg, const struct sd_map_totals *t);
enum sd_status sd_stream_walk_totals(struct sd_smmu *smmu, const struct sd_stream *st,
				     enum sd_walk_mode mode, sd_mapping_fn fn,
				     sd_totals_fn totals, void *arg, bool *walked) SD_MUST_CHECK;

/* Count of valid STEs whose config is abort, bypass, ... for reports */
uint64_t sd_smmu_count(const struct sd_smmu *smmu, const char *config_name);

#endif
