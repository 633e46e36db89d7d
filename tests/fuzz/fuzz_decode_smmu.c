// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the whole stream-table walk of one SMMU
 * (sd_decode_smmu, include/smmu/model.h) over fuzzed memory, with fuzzed
 * ID, stream-table and queue registers: the input is a register header
 * (fz_mem.h) followed by a physical memory image.  The work of one input is
 * capped by the image's read budget, which raises --timeout's flag
 * (fz_mem.h says why that hides no defect).
 */
#include "adapt.h"
#include "fz_mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	struct fz_smmu_in h;
	struct fz_mem m;
	struct sd_mem mem = { fz_mem_read, &m };
	struct sd_smmu s;
	struct sd_decode_opts opts = { .dump_level = -1 };
	struct sd_error err = { 0 };
	struct sd_regs *r = &s.regs;

	fz_smmu_header(&in, &h);
	fz_mem_init(&m, &in, &h);
	memset(&s, 0, sizeof(s));
	snprintf(r->name, sizeof(r->name), "fuzz");
	r->have[SD_REG_IDR0] = h.flags & FZ_HAVE_IDR0;
	r->have[SD_REG_IDR1] = h.flags & FZ_HAVE_IDR1;
	r->have[SD_REG_IDR5] = h.flags & FZ_HAVE_IDR5;
	r->val[SD_REG_IDR0] = h.idr0;
	r->val[SD_REG_IDR1] = h.idr1;
	r->val[SD_REG_IDR5] = h.idr5;
	r->have[SD_REG_STRTAB_BASE] = r->have[SD_REG_STRTAB_BASE_CFG] = true;
	r->val[SD_REG_STRTAB_BASE] = h.strtab_base;
	r->val[SD_REG_STRTAB_BASE_CFG] = h.strtab_cfg;
	r->have[SD_REG_EVTQ_BASE] = r->have[SD_REG_EVTQ_PROD] = r->have[SD_REG_EVTQ_CONS] =
		h.flags & FZ_HAVE_EVTQ;
	r->val[SD_REG_EVTQ_BASE] = h.evtq_base;
	r->val[SD_REG_EVTQ_PROD] = h.evtq_prod;
	r->val[SD_REG_EVTQ_CONS] = h.evtq_cons;
	r->have[SD_REG_CMDQ_BASE] = r->have[SD_REG_CMDQ_PROD] = r->have[SD_REG_CMDQ_CONS] =
		h.flags & FZ_HAVE_CMDQ;
	r->val[SD_REG_CMDQ_BASE] = h.cmdq_base;
	r->val[SD_REG_CMDQ_PROD] = h.cmdq_prod;
	r->val[SD_REG_CMDQ_CONS] = h.cmdq_cons;
	opts.mappings = h.flags & FZ_MAPPINGS;

	if (fz_decode_smmu(&s, &mem, &opts, &err) != SD_OK && !err.msg[0])
		abort();	/* a failure without a message */
	(void)sd_smmu_count(&s, "bypass");
	fz_smmu_free(&s);
	return 0;
}
