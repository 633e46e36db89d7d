/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by decode.c (the stream-table walk) and mapwalk.c (the IO page
 * table walk of one stream): the walks' state and the problem sink.
 */
#ifndef SD_DECODE_PRIV_H
#define SD_DECODE_PRIV_H

#include "model.h"

/* The problem sink of one SMMU: who (sid, ssid) a problem is about. */
struct sink_ctx {
	struct sd_smmu *smmu;
	int64_t sid, ssid;
};

void sd_sink_init(struct sd_problem_sink *sink, struct sink_ctx *sc, struct sd_smmu *s,
		  enum sd_walk_mode mode, int64_t sid);

/* What one page-table walk yielded, remembered so that a table shared by
 * several streams (or CDs) is walked once per pass (mapwalk.c). */
struct walk_sum {
	struct sd_map_totals t;
	uint64_t ticks;			/* --timeout checks the walk made */
};

/* A stage-1 / stage-2 configuration pair walked once already. */
struct walk_key {
	struct pt_cfg s1, s2;	/* zero when absent */
	bool have_sum;		/* sum is complete (the walk was not cut) */
	struct walk_sum sum;
};

/* A queue problem, found when the queues are read (before the streams) and
 * recorded after them, where a single decode once put it. */
struct queue_prob {
	enum sd_problem_kind kind;
	int level;
	bool has_addr;
	uint64_t addr;
	char msg[SD_ERROR_MSG_MAX];
};

#define SD_MAX_QUEUE_PROBS	64

/* Page-table configurations remembered so that a table shared by several
 * streams reports its problems once and is walked once per pass; beyond
 * this many, they may repeat and are walked again (memory: about 200 bytes
 * a key, plus 8 to 16 bytes of index). */
#define SD_MAX_WALK_KEYS	65536

/* The stream-table walk of one pass (decode.c, cdtab.c). */
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

/* The last CD table read (cdtab.c): the next stream with the same table
 * (the same pointer, size, format and stage-2 translation) reuses its CDs
 * instead of reading them again. */
struct cd_memo {
	bool valid;
	uint64_t ptr;
	unsigned cdmax, fmt;
	struct pt_cfg s2;	/* zero when not nested */
	size_t nctx;
	uint64_t dropped;
};

/* A problem the memoised CD table's read met, with the SSID it was
 * reported for: the next stream with the same table is given the problems
 * a second read would give it, without the read (cdtab.c).  A table that
 * met more is read again for each stream. */
struct cd_memo_prob {
	enum sd_problem_kind kind;
	int level;
	bool has_addr;
	uint64_t addr;
	int64_t ssid;
	char msg[SD_ERROR_MSG_MAX];
};

#define SD_CD_MEMO_PROBS	8

/* An L2 stream table already walked in this pass (decode.c). */
struct l2_seen {
	uint64_t addr;
	uint64_t sid0;		/* the first SID it was walked for */
	bool used, reported;
};

/* Valid STEs decoded per SMMU and pass: 2^24 (IHI 0070 allows 2^32
 * StreamIDs, but no system has more than a few million devices' worth;
 * beyond, the tables alias each other or are corrupt). */
#define SD_MAX_STES		(1ULL << 24)
/* L2 stream-table addresses remembered to detect aliases; beyond, not. */
#define SD_MAX_L2_SEEN		65536
/* Valid CDs kept per SMMU and pass, over all its streams: the output lists
 * each stream's CDs, so this bounds the report of a shared CD table. */
#define SD_MAX_SMMU_CONTEXTS	(1ULL << 16)

/* One --timeout check of the stream-table walk (decode.c); whether the
 * walk of this pass has been cut already. */
bool sd_streams_stop(struct sd_walk_state *w);
bool sd_stream_cut(const struct sd_walk_state *w);
void sd_read_cds(struct stream_walk *sw, const struct sd_mem *mem, const struct pt_cfg *s2);
/* A table read at a PA in the RECORD walk, handed to the decode hooks. */
void sd_hook_table(const struct stream_walk *sw, enum sd_table_kind kind, uint64_t addr,
		   uint64_t size, uint64_t sid);
bool sd_pt_cfg_eq(const struct pt_cfg *a, const struct pt_cfg *b);

struct sd_walk_state {
	enum sd_walk_mode mode;		/* of the stream walk under way */
	struct sd_context *ctx;		/* the current stream's CDs */
	size_t ctxcap;
	uint64_t stream_tick;		/* --timeout checks in this stream walk */

	/* where --timeout cut the RECORD walk, for the replays */
	bool stream_cut, map_cut;
	uint64_t stream_cut_tick, map_cut_leaf;
	size_t map_cut_ordinal;

	struct walk_key *keys;		/* in the order met */
	size_t nkeys, keycap;
	uint32_t *keyidx;		/* open addressing (key + 1), load under 1/2 */
	size_t keyslots;

	/* per pass, reset by sd_smmu_walk_streams */
	uint64_t nstes;			/* valid STEs decoded */
	bool ste_budget_hit;
	uint64_t nctx_total;		/* CDs kept, all streams */
	bool ctx_budget_hit;
	struct cd_memo cdmemo;
	struct cd_memo_prob cdprobs[SD_CD_MEMO_PROBS];	/* of cdmemo */
	size_t ncdprobs;
	struct l2_seen *l2;		/* open addressing, load under 1/2 */
	size_t nl2, l2slots;
	bool l2_in_l1;			/* reported */

	struct queue_prob qprobs[SD_MAX_QUEUE_PROBS];
	size_t nqprobs;
};

#endif
