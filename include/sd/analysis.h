/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Analysis: what the decoded tables mean for DMA at the crash, combined with
 * what the crashed kernel knew.
 */
#ifndef SD_ANALYSIS_H
#define SD_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct sd_ksmmu;
struct sd_kernel_result;

/* Analysis: verdicts per StreamID and the crash-kernel overlap check.
 * @k and @kres may be NULL. */
void sd_analyse(struct sd_smmu *smmu, const struct sd_ksmmu *k,
		const struct sd_kernel_result *kres);

/* Exit status 1: table problems, rejected STEs, a device that bypasses the
 * SMMU, or a mapping touching the crash-kernel reservation. */
bool sd_smmu_needs_attention(const struct sd_smmu *smmu);

/*
 * The report's view of a live snapshot.
 * sd_live_dma_state: with CR0 known, "translated" (SMMUEN 1), "aborted"
 * (SMMUEN 0, GBPA.ABORT 1), "bypassed" (SMMUEN 0, ABORT 0); NULL otherwise
 * (no CR0, or SMMUEN 0 with GBPA unknown).
 * sd_live_crashed_strtab: the STRTAB_BASE the crashed kernel had
 * programmed, and where that came from ("--regs", or the crashed kernel's
 * memory); false when neither is known.
 */
const char *sd_live_dma_state(const struct sd_regs *r);
bool sd_live_crashed_strtab(const struct sd_smmu *s, uint64_t *strtab_base, const char **from);

/* For a live snapshot (SD_SRC_LIVE): "crashed-kernel" when the live
 * STRTAB_BASE points at the table the crashed kernel had programmed
 * (untouched, or adopted), "replaced" when it points elsewhere (the capture
 * kernel's driver or firmware reset the SMMU), "unknown" when the crashed
 * kernel's value is not known; NULL when the snapshot is not live. */
const char *sd_live_strtab_verdict(const struct sd_smmu *s, uint64_t *crashed, const char **from);

#endif
