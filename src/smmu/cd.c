// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Context Descriptor decode and checks: Arm IHI 0070, 5.4 "Context Descriptor".
 */
#include "smmu.h"
#include "smmu_fields.h"

void cd_decode(struct cd *cd, const uint64_t dw[8])
{
	for (int i = 0; i < 8; i++)
		cd->dw[i] = dw[i];
	cd->t0sz = FIELD_GET(CTXDESC_CD_0_T0SZ, dw[0]);
	cd->tg0 = FIELD_GET(CTXDESC_CD_0_TG0, dw[0]);
	cd->irgn0 = FIELD_GET(CTXDESC_CD_0_IRGN0, dw[0]);
	cd->orgn0 = FIELD_GET(CTXDESC_CD_0_ORGN0, dw[0]);
	cd->sh0 = FIELD_GET(CTXDESC_CD_0_SH0, dw[0]);
	cd->epd0 = FIELD_GET(CTXDESC_CD_0_EPD0, dw[0]);
	cd->endi = FIELD_GET(CTXDESC_CD_0_ENDI, dw[0]);
	cd->t1sz = FIELD_GET(CTXDESC_CD_0_T1SZ, dw[0]);
	cd->tg1 = FIELD_GET(CTXDESC_CD_0_TG1, dw[0]);
	cd->epd1 = FIELD_GET(CTXDESC_CD_0_EPD1, dw[0]);
	cd->v = FIELD_GET(CTXDESC_CD_0_V, dw[0]);
	cd->ips = FIELD_GET(CTXDESC_CD_0_IPS, dw[0]);
	cd->tbi0 = FIELD_GET(CTXDESC_CD_0_TBI0, dw[0]);
	cd->aa64 = FIELD_GET(CTXDESC_CD_0_AA64, dw[0]);
	cd->hd = FIELD_GET(CTXDESC_CD_0_HD, dw[0]);
	cd->ha = FIELD_GET(CTXDESC_CD_0_HA, dw[0]);
	cd->s = FIELD_GET(CTXDESC_CD_0_S, dw[0]);
	cd->r = FIELD_GET(CTXDESC_CD_0_R, dw[0]);
	cd->a = FIELD_GET(CTXDESC_CD_0_A, dw[0]);
	cd->aset = FIELD_GET(CTXDESC_CD_0_ASET, dw[0]);
	cd->asid = FIELD_GET(CTXDESC_CD_0_ASID, dw[0]);
	cd->had0 = FIELD_GET(CTXDESC_CD_1_HAD0, dw[1]);
	cd->ttb0 = dw[1] & CTXDESC_CD_1_TTB0_MASK;
	cd->ttb1 = dw[2] & CTXDESC_CD_2_TTB1_MASK;
	cd->mair = dw[3];
}

/* What an SMMU rejects with C_BAD_CD (IHI 0070 5.4.1); geometry is checked
 * by pt_cfg_s1() so that the walk and the check cannot disagree. */
bool cd_check(const struct cd *cd, const struct smmu_caps *caps,
	      const struct sd_problem_sink *sink)
{
	struct pt_cfg cfg;

	if (!cd->v)
		return false;
	if (!cd->aa64 && !(caps->have_idr0 && caps->ttf_aarch32)) {
		sd_problem(sink, SD_PROB_BAD_CD, -1, false, 0,
			   "CD.AA64 is 0 (AArch32 tables) but the SMMU%s supports only AArch64 tables",
			   caps->have_idr0 ? "" : " (assumed)");
		return true;
	}
	if (cd->epd0)
		return false;
	return !pt_cfg_s1(&cfg, cd, caps, sink);
}
