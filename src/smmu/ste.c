// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stream Table Entry decode and checks: Arm IHI 0070, 5.2 "Stream Table Entry".
 */
#include <stdio.h>

#include "smmu.h"
#include "smmu_fields.h"

void ste_decode(struct ste *ste, const uint64_t dw[8])
{
	for (int i = 0; i < 8; i++)
		ste->dw[i] = dw[i];
	ste->v = FIELD_GET(STRTAB_STE_0_V, dw[0]);
	ste->config = FIELD_GET(STRTAB_STE_0_CFG, dw[0]);
	ste->s1fmt = FIELD_GET(STRTAB_STE_0_S1FMT, dw[0]);
	ste->s1_context_ptr = dw[0] & STRTAB_STE_0_S1CTXPTR_MASK;
	ste->s1cdmax = FIELD_GET(STRTAB_STE_0_S1CDMAX, dw[0]);

	ste->s1dss = FIELD_GET(STRTAB_STE_1_S1DSS, dw[1]);
	ste->s1cir = FIELD_GET(STRTAB_STE_1_S1CIR, dw[1]);
	ste->s1cor = FIELD_GET(STRTAB_STE_1_S1COR, dw[1]);
	ste->s1csh = FIELD_GET(STRTAB_STE_1_S1CSH, dw[1]);
	ste->mev = FIELD_GET(STRTAB_STE_1_MEV, dw[1]);
	ste->s2fwb = FIELD_GET(STRTAB_STE_1_S2FWB, dw[1]);
	ste->s1stalld = FIELD_GET(STRTAB_STE_1_S1STALLD, dw[1]);
	ste->eats = FIELD_GET(STRTAB_STE_1_EATS, dw[1]);
	ste->strw = FIELD_GET(STRTAB_STE_1_STRW, dw[1]);
	ste->shcfg = FIELD_GET(STRTAB_STE_1_SHCFG, dw[1]);

	ste->s2vmid = FIELD_GET(STRTAB_STE_2_S2VMID, dw[2]);
	ste->s2t0sz = FIELD_GET(STRTAB_STE_2_S2T0SZ, dw[2]);
	ste->s2sl0 = FIELD_GET(STRTAB_STE_2_S2SL0, dw[2]);
	ste->s2ir0 = FIELD_GET(STRTAB_STE_2_S2IR0, dw[2]);
	ste->s2or0 = FIELD_GET(STRTAB_STE_2_S2OR0, dw[2]);
	ste->s2sh0 = FIELD_GET(STRTAB_STE_2_S2SH0, dw[2]);
	ste->s2tg = FIELD_GET(STRTAB_STE_2_S2TG, dw[2]);
	ste->s2ps = FIELD_GET(STRTAB_STE_2_S2PS, dw[2]);
	ste->s2aa64 = FIELD_GET(STRTAB_STE_2_S2AA64, dw[2]);
	ste->s2endi = FIELD_GET(STRTAB_STE_2_S2ENDI, dw[2]);
	ste->s2affd = FIELD_GET(STRTAB_STE_2_S2AFFD, dw[2]);
	ste->s2ptw = FIELD_GET(STRTAB_STE_2_S2PTW, dw[2]);
	ste->s2s = FIELD_GET(STRTAB_STE_2_S2S, dw[2]);
	ste->s2r = FIELD_GET(STRTAB_STE_2_S2R, dw[2]);

	ste->s2ttb = dw[3] & STRTAB_STE_3_S2TTB_MASK;
}

const char *ste_config_name(unsigned config)
{
	switch (config) {
	case STRTAB_STE_0_CFG_ABORT: return "abort";
	case STRTAB_STE_0_CFG_BYPASS: return "bypass";
	case STRTAB_STE_0_CFG_S1_TRANS: return "s1-trans";
	case STRTAB_STE_0_CFG_S2_TRANS: return "s2-trans";
	case STRTAB_STE_0_CFG_NESTED: return "nested";
	}
	/* 1..3: IHI 0070 5.2 calls them reserved; QEMU treats them as abort. */
	return "reserved";
}

bool ste_config_has_s1(unsigned config)
{
	return config == STRTAB_STE_0_CFG_S1_TRANS ||
	       config == STRTAB_STE_0_CFG_NESTED;
}

bool ste_config_has_s2(unsigned config)
{
	return config == STRTAB_STE_0_CFG_S2_TRANS ||
	       config == STRTAB_STE_0_CFG_NESTED;
}

unsigned ste_s1cdmax(const struct ste *ste, const struct smmu_caps *caps)
{
	/* IHI 0070 5.2: S1CDMax is IGNORED when SMMU_IDR1.SSIDSIZE == 0. */
	return caps->have_idr1 && caps->ssidsize == 0 ? 0 : ste->s1cdmax;
}

unsigned ste_s1fmt(const struct ste *ste, const struct smmu_caps *caps)
{
	/* S1Fmt applies only with S1CDMax > 0; 0b11 behaves as 0b00. */
	if (ste_s1cdmax(ste, caps) == 0 || ste->s1fmt == STRTAB_STE_0_S1FMT_RESERVED)
		return STRTAB_STE_0_S1FMT_LINEAR;
	return ste->s1fmt;
}

static bool addr_fits(uint64_t addr, unsigned bits)
{
	return bits >= 64 || (addr >> bits) == 0;
}

/*
 * The checks an SMMU makes before it uses an STE (IHI 0070 5.2, "STE
 * validity"): what fails here is reported as C_BAD_STE by the hardware.
 */
bool ste_check(const struct ste *ste, const struct smmu_caps *caps,
	       const struct sd_problem_sink *sink)
{
	bool bad = false;

	if (!ste->v)
		return false;
	if (ste->config != STRTAB_STE_0_CFG_ABORT &&
	    ste->config < STRTAB_STE_0_CFG_BYPASS) {
		sd_problem(sink, SD_PROB_RESERVED, -1, false, 0,
			   "STE.CONFIG %u is a reserved encoding", ste->config);
		return true;
	}
	if (ste_config_has_s1(ste->config)) {
		if (caps->have_idr0 && !caps->s1p) {
			sd_problem(sink, SD_PROB_BAD_STE, -1, false, 0,
				   "stage 1 configured but SMMU_IDR0.S1P is 0");
			bad = true;
		}
		if (ste_s1cdmax(ste, caps) > 0 && ste->s1fmt == STRTAB_STE_0_S1FMT_RESERVED)
			/* IHI 0070 5.2: S1Fmt 0b11 is reserved and behaves as 0b00. */
			sd_problem(sink, SD_PROB_RESERVED, -1, false, 0,
				   "STE.S1FMT 3 is reserved (behaves as a linear CD table)");
		/* Without CD2L any S1Fmt but 0b00, the reserved one included, is ILLEGAL. */
		if (ste_s1cdmax(ste, caps) > 0 && ste->s1fmt != STRTAB_STE_0_S1FMT_LINEAR &&
		    caps->have_idr0 && !caps->cd2l) {
			sd_problem(sink, SD_PROB_BAD_STE, -1, false, 0,
				   "2-level CD table (S1FMT %u) but SMMU_IDR0.CD2L is 0",
				   ste->s1fmt);
			bad = true;
		}
		if (caps->have_idr1 && caps->ssidsize && ste->s1cdmax > caps->ssidsize) {
			sd_problem(sink, SD_PROB_BAD_STE, -1, false, 0,
				   "STE.S1CDMAX %u exceeds SMMU_IDR1.SSIDSIZE %u",
				   ste->s1cdmax, caps->ssidsize);
			bad = true;
		}
		if (!addr_fits(ste->s1_context_ptr, caps->oas_bits)) {
			sd_problem(sink, SD_PROB_BAD_STE, -1, true, ste->s1_context_ptr,
				   "STE.S1ContextPtr 0x%llx is beyond the %u-bit output size",
				   (unsigned long long)ste->s1_context_ptr, caps->oas_bits);
			bad = true;
		}
	}
	if (ste_config_has_s2(ste->config)) {
		struct pt_cfg cfg;

		if (caps->have_idr0 && !caps->s2p) {
			sd_problem(sink, SD_PROB_BAD_STE, -1, false, 0,
				   "stage 2 configured but SMMU_IDR0.S2P is 0");
			bad = true;
		}
		if (!pt_cfg_s2(&cfg, ste, caps, sink))
			bad = true;
		else if (!addr_fits(ste->s2ttb, cfg.oas)) {
			sd_problem(sink, SD_PROB_BAD_STE, -1, true, ste->s2ttb,
				   "STE.S2TTB 0x%llx is beyond the %u-bit stage-2 output size",
				   (unsigned long long)ste->s2ttb, cfg.oas);
			bad = true;
		}
	}
	return bad;
}
