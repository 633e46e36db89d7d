// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SMMU capabilities from the ID registers (IHI 0070 6.3.1-6.3.6) and the
 * stream-table configuration registers (6.3.23 STRTAB_BASE, 6.3.24
 * STRTAB_BASE_CFG).
 */
#include <stdio.h>
#include <string.h>

#include "smmu.h"
#include "smmu_fields.h"

unsigned smmu_ps_bits(unsigned enc)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	/* Encodings above the largest are treated as the largest (IHI 0070
	 * 6.3.6 and 5.4: "values greater than ... behave as ..."). */
	return enc < sizeof(bits) / sizeof(bits[0]) ? bits[enc] : 52;
}

void smmu_caps_from_idr(struct smmu_caps *caps, bool have0, uint32_t idr0,
			bool have1, uint32_t idr1, bool have5, uint32_t idr5)
{
	memset(caps, 0, sizeof(*caps));
	caps->have_idr0 = have0;
	caps->have_idr1 = have1;
	caps->have_idr5 = have5;
	caps->oas_bits = 48;
	if (have0) {
		unsigned ttf = FIELD_GET(IDR0_TTF, idr0);

		caps->s1p = idr0 & IDR0_S1P;
		caps->s2p = idr0 & IDR0_S2P;
		caps->cd2l = idr0 & IDR0_CD2L;
		caps->st_2lvl = FIELD_GET(IDR0_ST_LVL, idr0) == IDR0_ST_LVL_2LVL;
		caps->ttf_aarch32 = ttf & IDR0_TTF_AARCH32;
		caps->ttf_aarch64 = ttf & IDR0_TTF_AARCH64;
	}
	if (have1) {
		caps->sidsize = FIELD_GET(IDR1_SIDSIZE, idr1);
		caps->ssidsize = FIELD_GET(IDR1_SSIDSIZE, idr1);
	}
	if (have5) {
		caps->gran4k = idr5 & IDR5_GRAN4K;
		caps->gran16k = idr5 & IDR5_GRAN16K;
		caps->gran64k = idr5 & IDR5_GRAN64K;
		caps->oas_bits = smmu_ps_bits(FIELD_GET(IDR5_OAS, idr5));
		caps->vax52 = FIELD_GET(IDR5_VAX, idr5) == 1;
	} else {
		/* Unknown: allow what the tables say, up to 52 bits. */
		caps->oas_bits = 52;
	}
}

/* Largest linear table we agree to read: 2^24 STEs (1 GiB).  Linux switches
 * to 2-level tables long before; a bigger LOG2SIZE is a corrupt register. */
#define STRTAB_LINEAR_MAX_LOG2	24

void strtab_cfg_decode(struct strtab_cfg *cfg, uint64_t base, uint64_t cfg_reg,
		       const struct smmu_caps *caps,
		       const struct sd_problem_sink *sink)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->base_reg = base;
	cfg->cfg_reg = cfg_reg;
	cfg->addr = base & STRTAB_BASE_ADDR_MASK;
	cfg->ra = base & STRTAB_BASE_RA;
	cfg->fmt = FIELD_GET(STRTAB_BASE_CFG_FMT, cfg_reg);
	cfg->split = FIELD_GET(STRTAB_BASE_CFG_SPLIT, cfg_reg);
	cfg->log2size = FIELD_GET(STRTAB_BASE_CFG_LOG2SIZE, cfg_reg);
	cfg->eff_log2size = cfg->log2size;

	if (cfg->fmt != STRTAB_BASE_CFG_FMT_LINEAR &&
	    cfg->fmt != STRTAB_BASE_CFG_FMT_2LVL) {
		sd_problem(sink, SD_PROB_RESERVED, -1, false, 0,
			   "STRTAB_BASE_CFG.FMT %u is reserved; stream table not decoded",
			   cfg->fmt);
		return;
	}
	if (cfg->log2size > 32) {
		sd_problem(sink, SD_PROB_SIZE, -1, false, 0,
			   "STRTAB_BASE_CFG.LOG2SIZE %u is larger than 32", cfg->log2size);
		cfg->eff_log2size = 32;
	}
	if (caps->have_idr1 && cfg->eff_log2size > caps->sidsize) {
		/* IHI 0070 6.3.24: LOG2SIZE above SIDSIZE behaves as SIDSIZE. */
		sd_problem(sink, SD_PROB_SIZE, -1, false, 0,
			   "STRTAB_BASE_CFG.LOG2SIZE %u exceeds SMMU_IDR1.SIDSIZE %u; using %u",
			   cfg->log2size, caps->sidsize, caps->sidsize);
		cfg->eff_log2size = caps->sidsize;
	}
	if (!caps->oas_bits || (cfg->addr >> caps->oas_bits))
		sd_problem(sink, SD_PROB_ADDR_SIZE, -1, true, cfg->addr,
			   "STRTAB_BASE.ADDR 0x%llx is beyond the %u-bit output size",
			   (unsigned long long)cfg->addr, caps->oas_bits);
	if (cfg->fmt == STRTAB_BASE_CFG_FMT_LINEAR) {
		if (cfg->eff_log2size > STRTAB_LINEAR_MAX_LOG2) {
			sd_problem(sink, SD_PROB_SIZE, -1, false, 0,
				   "linear stream table of 2^%u STEs is implausible; reading the first 2^%u",
				   cfg->eff_log2size, STRTAB_LINEAR_MAX_LOG2);
			cfg->eff_log2size = STRTAB_LINEAR_MAX_LOG2;
		}
		cfg->num_sids = 1ULL << cfg->eff_log2size;
		return;
	}
	if (caps->have_idr0 && !caps->st_2lvl)
		sd_problem(sink, SD_PROB_RESERVED, -1, false, 0,
			   "2-level stream table but SMMU_IDR0.ST_LVL does not support it");
	if (cfg->split != STRTAB_SPLIT_4K && cfg->split != STRTAB_SPLIT_16K &&
	    cfg->split != STRTAB_SPLIT_64K) {
		/* IHI 0070 6.3.24: other values are reserved and behave as 6. */
		sd_problem(sink, SD_PROB_RESERVED, -1, false, 0,
			   "STRTAB_BASE_CFG.SPLIT %u is reserved (6, 8 or 10); it behaves as 6",
			   cfg->split);
		cfg->split = STRTAB_SPLIT_4K;
	}
	cfg->num_sids = 1ULL << cfg->eff_log2size;
	cfg->l1_entries = cfg->eff_log2size > cfg->split ?
		1ULL << (cfg->eff_log2size - cfg->split) : 1;
}
