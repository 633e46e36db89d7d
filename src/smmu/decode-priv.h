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

/* A stage-1 / stage-2 configuration pair walked once already. */
struct walk_key {
	struct pt_cfg s1, s2;	/* zero when absent */
	bool used;
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
 * streams reports its problems once; beyond this many, they may repeat. */
#define SD_MAX_WALK_KEYS	65536

struct sd_walk_state {
	enum sd_walk_mode mode;		/* of the stream walk under way */
	struct sd_context *ctx;		/* the current stream's CDs */
	size_t ctxcap;
	uint64_t stream_tick;		/* --timeout checks in this stream walk */

	/* where --timeout cut the RECORD walk, for the replays */
	bool stream_cut, map_cut;
	uint64_t stream_cut_tick, map_cut_leaf;
	size_t map_cut_ordinal;

	struct walk_key *keys;		/* open addressing, load under 1/2 */
	size_t nkeys, keyslots;

	struct queue_prob qprobs[SD_MAX_QUEUE_PROBS];
	size_t nqprobs;
};

#endif
