/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which register snapshot, or which of the crashed kernel's SMMUs, is the
 * same SMMU as a given snapshot (src/analysis/match.c); and the one merge
 * of the kernel's queue registers into a snapshot.
 */
#ifndef SD_MATCH_H
#define SD_MATCH_H

#include <stddef.h>
#include <sys/types.h>

#include "kernel.h"
#include "smmu_regs.h"

/*
 * The candidate that describes the same SMMU as @r, among @n snapshots, the
 * first at @first and the others @stride bytes apart (so that the
 * struct sd_regs inside an array of larger structs can be searched):
 *   1. the same MMIO base;
 *   2. else the same stream-table address (STRTAB_BASE.ADDR);
 *   3. else the same name;
 *   4. else the only candidate there is.
 * A candidate whose MMIO base is known and differs from a known base of @r
 * is a different SMMU and never matched.  Returns its index, or -1.
 */
ssize_t sd_smmu_match(const struct sd_regs *r, const struct sd_regs *first, size_t n,
		      size_t stride);

/* The snapshot of @v[0..n) for the same SMMU as @r, or NULL. */
const struct sd_regs *sd_regs_match(const struct sd_regs *v, size_t n, const struct sd_regs *r);

/* The crashed kernel's SMMU that @r describes, or NULL. */
const struct sd_ksmmu *sd_kernel_match(const struct sd_kernel_result *k, const struct sd_regs *r);

/*
 * Complete @r with what the crashed kernel kept of the SMMU's registers:
 * each queue's BASE, PROD and CONS (command, event and PRI queues) whose
 * BASE @r does not hold, and the MMIO base.  The kernel's copy is the value
 * it programmed: q_base is the register image it wrote to *Q_BASE, and llq
 * prod/cons its shadow of the index registers (arm_smmu_device_reset,
 * drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c).
 */
void sd_regs_add_kernel_queues(struct sd_regs *r, const struct sd_ksmmu *ks);

#endif
