/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the files of src/analysis only: the event records by StreamID
 * (events.c), which the verdicts (analysis.c) read.
 */
#ifndef SD_ANALYSIS_PRIV_H
#define SD_ANALYSIS_PRIV_H

#include "analysis.h"

/* s->evsids from s->events: one entry per StreamID, sorted. */
enum sd_status sd_index_events(struct sd_smmu *s) SD_MUST_CHECK;
/* The entry of @sid, or NULL when no record names it. */
struct sd_event_sid *sd_find_evsid(const struct sd_smmu *s, uint32_t sid);

#endif
