// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Register snapshots: register names (IHI 0070 6.2, the register map) and
 * the table address in a STRTAB_BASE image.
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "smmu_fields.h"
#include "smmu_regs.h"

uint64_t sd_strtab_addr(uint64_t strtab_base)
{
	return strtab_base & STRTAB_BASE_ADDR_MASK;
}

bool smmu_gerror_active(const struct sd_regs *r, uint64_t *active)
{
	if (!r->have[SD_REG_GERROR] || !r->have[SD_REG_GERRORN])
		return false;
	*active = (r->val[SD_REG_GERROR] ^ r->val[SD_REG_GERRORN]) & GERROR_ERR_MASK;
	return true;
}

static const char *const reg_names[SD_REG_COUNT] = {
	[SD_REG_BASE] = "base",
	[SD_REG_IDR0] = "IDR0", [SD_REG_IDR1] = "IDR1", [SD_REG_IDR2] = "IDR2",
	[SD_REG_IDR3] = "IDR3", [SD_REG_IDR4] = "IDR4", [SD_REG_IDR5] = "IDR5",
	[SD_REG_IIDR] = "IIDR", [SD_REG_AIDR] = "AIDR",
	[SD_REG_CR0] = "CR0", [SD_REG_CR0ACK] = "CR0ACK", [SD_REG_CR1] = "CR1",
	[SD_REG_CR2] = "CR2", [SD_REG_GBPA] = "GBPA", [SD_REG_IRQ_CTRL] = "IRQ_CTRL",
	[SD_REG_GERROR] = "GERROR", [SD_REG_GERRORN] = "GERRORN",
	[SD_REG_STRTAB_BASE] = "STRTAB_BASE",
	[SD_REG_STRTAB_BASE_CFG] = "STRTAB_BASE_CFG",
	[SD_REG_CMDQ_BASE] = "CMDQ_BASE", [SD_REG_CMDQ_PROD] = "CMDQ_PROD",
	[SD_REG_CMDQ_CONS] = "CMDQ_CONS",
	[SD_REG_EVTQ_BASE] = "EVTQ_BASE", [SD_REG_EVTQ_PROD] = "EVTQ_PROD",
	[SD_REG_EVTQ_CONS] = "EVTQ_CONS",
	[SD_REG_PRIQ_BASE] = "PRIQ_BASE", [SD_REG_PRIQ_PROD] = "PRIQ_PROD",
	[SD_REG_PRIQ_CONS] = "PRIQ_CONS",
};

const char *sd_reg_name(enum sd_reg reg)
{
	return reg < SD_REG_COUNT ? reg_names[reg] : "?";
}

bool sd_reg_lookup(const char *name, enum sd_reg *reg)
{
	for (int i = 0; i < SD_REG_COUNT; i++)
		if (!strcasecmp(name, reg_names[i])) {
			*reg = i;
			return true;
		}
	return false;
}

static const char *const source_names[SD_SRC_COUNT] = {
	[SD_SRC_OPTIONS] = "options", [SD_SRC_DWARF] = "dwarf", [SD_SRC_BTF] = "btf",
	[SD_SRC_LIVE] = "live", [SD_SRC_KERNEL] = "kernel",
};

const char *sd_reg_source_name(enum sd_reg_source src)
{
	return src < SD_SRC_COUNT ? source_names[src] : "?";
}
