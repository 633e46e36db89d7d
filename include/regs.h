/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Register snapshots: from --strtab-base/--strtab-base-cfg, from a --regs
 * file (format in smmu-strtab-dump(1), REGISTER FILE), and later from the
 * crashed kernel's memory or the live hardware.
 */
#ifndef SD_REGS_H
#define SD_REGS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

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
bool sd_reg_lookup(const char *name, enum sd_reg *reg);

static inline bool sd_regs_get(const struct sd_regs *r, enum sd_reg reg, uint64_t *v)
{
	if (!r->have[reg])
		return false;
	*v = r->val[reg];
	return true;
}

/* The table address in a STRTAB_BASE image. */
uint64_t sd_strtab_addr(uint64_t strtab_base);

/* Parse a number as the hardware holds it: 0x.. hex or decimal, 64 bits. */
enum sd_status sd_parse_u64(const char *s, uint64_t *out, struct sd_error *err);

/* Parse a --regs file into a malloc'd array of snapshots. */
enum sd_status sd_regs_parse_file(const char *path, struct sd_regs **out,
				  size_t *count, struct sd_error *err);
/* Write snapshots in the same format. */
void sd_regs_write(FILE *f, const struct sd_regs *regs, size_t count);

#endif
