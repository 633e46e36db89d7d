/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Register snapshots of one SMMU, whatever their source (command line,
 * register file, the crashed kernel's memory, the live hardware).
 */
#ifndef SD_SMMU_REGS_H
#define SD_SMMU_REGS_H

#include <stdbool.h>
#include <stdint.h>

#include "sd_error.h"

enum sd_reg {
	SD_REG_BASE,	/* MMIO base of register page 0 (not a register) */
	SD_REG_IDR0, SD_REG_IDR1, SD_REG_IDR2, SD_REG_IDR3, SD_REG_IDR4,
	SD_REG_IDR5, SD_REG_IIDR, SD_REG_AIDR,
	SD_REG_CR0, SD_REG_CR0ACK, SD_REG_CR1, SD_REG_CR2, SD_REG_GBPA,
	SD_REG_IRQ_CTRL, SD_REG_GERROR, SD_REG_GERRORN,
	SD_REG_STRTAB_BASE, SD_REG_STRTAB_BASE_CFG,
	SD_REG_CMDQ_BASE, SD_REG_CMDQ_PROD, SD_REG_CMDQ_CONS,
	SD_REG_EVTQ_BASE, SD_REG_EVTQ_PROD, SD_REG_EVTQ_CONS,
	SD_REG_PRIQ_BASE, SD_REG_PRIQ_PROD, SD_REG_PRIQ_CONS,
	SD_REG_COUNT
};

struct sd_regs {
	char name[96];
	bool have[SD_REG_COUNT];
	uint64_t val[SD_REG_COUNT];
};

const char *sd_reg_name(enum sd_reg reg);

/* Where a snapshot came from.  The names (sd_reg_source_name) are what the
 * reports print and the JSON "source" holds: keep them stable. */
enum sd_reg_source {
	SD_SRC_OPTIONS,	/* "options": --strtab-base/--strtab-base-cfg or --regs */
	SD_SRC_DWARF,	/* "dwarf": the crashed kernel's memory, types from DWARF */
	SD_SRC_BTF,	/* "btf": the crashed kernel's memory, types from BTF */
	SD_SRC_LIVE,	/* "live": the hardware, --capture-regs */
	SD_SRC_KERNEL,	/* "kernel": the crashed kernel's memory, types unknown */
	SD_SRC_COUNT
};
const char *sd_reg_source_name(enum sd_reg_source src);
bool sd_reg_lookup(const char *name, enum sd_reg *reg);

static inline bool sd_regs_get(const struct sd_regs *r, enum sd_reg reg, uint64_t *v)
{
	if (!r->have[reg])
		return false;
	*v = r->val[reg];
	return true;
}

/* The global errors active in a snapshot: (GERROR ^ GERRORN) restricted to
 * the error bits (IHI 0070 6.3.15).  False when either register is unknown. */
bool smmu_gerror_active(const struct sd_regs *r, uint64_t *active);

/* The table address in a STRTAB_BASE image. */
uint64_t sd_strtab_addr(uint64_t strtab_base);

#endif
