// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a live register snapshot (the capture kernel's) means: what in-flight
 * DMA meets, and whether the live STRTAB_BASE is still the crashed kernel's.
 */

#include "analysis-priv.h"
#include "kernel.h"
#include "smmu_fields.h"

const char *sd_live_dma_state(const struct sd_regs *r)
{
	uint64_t cr0, gbpa;

	if (!sd_regs_get(r, SD_REG_CR0, &cr0))
		return NULL;
	if (cr0 & CR0_SMMUEN)
		return "translated";
	if (!sd_regs_get(r, SD_REG_GBPA, &gbpa))
		return NULL;
	return (gbpa & GBPA_ABORT) ? "aborted" : "bypassed";
}

bool sd_live_crashed_strtab(const struct sd_smmu *s, uint64_t *strtab_base, const char **from)
{
	if (s->crashed && sd_regs_get(s->crashed, SD_REG_STRTAB_BASE, strtab_base)) {
		*from = "--regs";
		return true;
	}
	/* The kernel-memory finder's view (struct arm_smmu_device of the crashed kernel). */
	if (s->kernel && sd_regs_get(&s->kernel->regs, SD_REG_STRTAB_BASE, strtab_base)) {
		*from = "crashed kernel's memory";
		return true;
	}
	return false;
}

const char *sd_live_strtab_verdict(const struct sd_smmu *s, uint64_t *crashed, const char **from)
{
	uint64_t live;

	*crashed = 0;
	*from = NULL;
	if (s->source != SD_SRC_LIVE) {
		const struct sd_live_owner *o = sd_smmu_live_owner(s);

		/* No live registers: a driver of the capture kernel owns the
		 * SMMU.  Its reset writes a new STRTAB_BASE
		 * (arm_smmu_device_reset -> arm_smmu_write_strtab); only its
		 * own log says the reset happened. */
		if (!o || !o->driver[0])
			return NULL;
		sd_live_crashed_strtab(s, crashed, from);
		return o->reset_logged ? "replaced" : "unknown";
	}
	if (!sd_regs_get(&s->regs, SD_REG_STRTAB_BASE, &live))
		return NULL;
	/*
	 * TODO(kernel-memory finder): once it attaches the crashed kernel's
	 * own STRTAB_BASE to every SMMU (s->kernel, from struct
	 * arm_smmu_device), that is the reference; --regs of the crashed
	 * kernel is the fallback a user can give by hand.
	 */
	if (!sd_live_crashed_strtab(s, crashed, from))
		return "unknown";
	return (live & STRTAB_BASE_ADDR_MASK) == (*crashed & STRTAB_BASE_ADDR_MASK) ?
		"crashed-kernel" : "replaced";
}
