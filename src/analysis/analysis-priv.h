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

/* The crashed kernel's device for @sid, or NULL (analysis.c). */
const struct sd_kdev *sd_find_kdev(const struct sd_ksmmu *k, uint32_t sid);

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

/* The capture kernel's comparison of the STEs now with what the crashed
 * kernel installed (live_ste.c), run by the adoption's first pass. */
struct live_run {
	struct sd_live_ste l;
	bool *seen;		/* by index of s->kernel->devs */
};
void live_ste_start(struct live_run *r, const struct sd_smmu *s);
void live_ste_stream(struct live_run *r, const struct sd_smmu *s, const struct sd_stream *st);
void live_ste_finish(struct live_run *r, const struct sd_smmu *s);
void live_ste_free(struct live_run *r);
/* sd_analysis_live_owner()'s, or NULL (capture.c's verdict reads it). */
const struct sd_live_owner *sd_smmu_live_owner(const struct sd_smmu *s);

#endif
