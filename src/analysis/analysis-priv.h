/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the files of src/analysis only: the event records by StreamID
 * (events.c), which the verdicts (analysis.c) read; the kdump adoption
 * check fed from the first pass (adopt_run.c, called by sd_analyse).
 */
#ifndef SD_ANALYSIS_PRIV_H
#define SD_ANALYSIS_PRIV_H

#include <stdbool.h>

#include "analysis.h"

/* The entry of @sid in s->evsids (every record of the ring by StreamID,
 * summed up as it was read: evtq_collect), or NULL when no record names it. */
struct sd_event_sid *sd_find_evsid(const struct sd_smmu *s, uint32_t sid);

/* Before the first walk: the facts, the memory map, the decode hooks. */
void adopt_start(struct sd_smmu *s);

/* Between a stream's mappings and the caller's mapping hook: notes a
 * writable mapping whose PA is in the crash-kernel reservation. */
struct adopt_maps {
	const struct sd_smmu *s;
	sd_mapping_fn next;
	void *next_arg;
	bool crash_writer;
};
enum sd_status adopt_on_mapping(void *arg, const struct sd_mapping *m);

/* Every stream of the first walk, with what its mappings showed. */
void adopt_stream(struct sd_smmu *s, const struct sd_stream *st, bool crash_writer);

/* After the first walk: the verdict. */
void adopt_finish(struct sd_smmu *s);

#endif
