// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One matcher for "is this the same SMMU" (--regs against the live
 * capture, register snapshots against the crashed kernel's SMMUs), and one
 * merge of the kernel's queue registers (include/sd/match.h).
 */
#include <string.h>

#include "match.h"

static const struct sd_regs *cand(const struct sd_regs *first, size_t i, size_t stride)
{
	return (const struct sd_regs *)((const char *)first + i * stride);
}

static bool other_base(const struct sd_regs *r, const struct sd_regs *c)
{
	return r->have[SD_REG_BASE] && c->have[SD_REG_BASE] &&
	       r->val[SD_REG_BASE] != c->val[SD_REG_BASE];
}

static bool same_strtab(const struct sd_regs *r, const struct sd_regs *c)
{
	return r->have[SD_REG_STRTAB_BASE] && c->have[SD_REG_STRTAB_BASE] &&
	       sd_strtab_addr(r->val[SD_REG_STRTAB_BASE]) ==
	       sd_strtab_addr(c->val[SD_REG_STRTAB_BASE]);
}

ssize_t sd_smmu_match(const struct sd_regs *r, const struct sd_regs *first, size_t n,
		      size_t stride)
{
	/* The MMIO base names the SMMU: a match on it is certain. */
	for (size_t i = 0; i < n; i++) {
		const struct sd_regs *c = cand(first, i, stride);

		if (r->have[SD_REG_BASE] && c->have[SD_REG_BASE] && !other_base(r, c))
			return (ssize_t)i;
	}
	/* Each SMMU has a stream table of its own. */
	for (size_t i = 0; i < n; i++)
		if (!other_base(r, cand(first, i, stride)) && same_strtab(r, cand(first, i, stride)))
			return (ssize_t)i;
	for (size_t i = 0; i < n; i++)
		if (!other_base(r, cand(first, i, stride)) &&
		    !strcmp(r->name, cand(first, i, stride)->name))
			return (ssize_t)i;
	return n == 1 && !other_base(r, first) ? 0 : -1;
}

const struct sd_regs *sd_regs_match(const struct sd_regs *v, size_t n, const struct sd_regs *r)
{
	ssize_t i = sd_smmu_match(r, v, n, sizeof(*v));

	return i < 0 ? NULL : &v[i];
}

const struct sd_ksmmu *sd_kernel_match(const struct sd_kernel_result *k, const struct sd_regs *r)
{
	ssize_t i;

	if (!k->nsmmus)
		return NULL;
	i = sd_smmu_match(r, &k->smmus[0].regs, k->nsmmus, sizeof(k->smmus[0]));
	return i < 0 ? NULL : &k->smmus[i];
}

void sd_regs_add_kernel_queues(struct sd_regs *r, const struct sd_ksmmu *ks)
{
	/*
	 * The PRI queue as the others: the kernel allocates and programs it
	 * only with ARM_SMMU_FEAT_PRI (arm_smmu_init_queues,
	 * arm_smmu_device_reset), and struct arm_smmu_device is zeroed
	 * memory, so without PRI its queue is all zero and not valid.
	 */
	const struct {
		const struct sd_kqueue *q;
		enum sd_reg base, prod, cons;
	} qs[] = {
		{ &ks->evtq, SD_REG_EVTQ_BASE, SD_REG_EVTQ_PROD, SD_REG_EVTQ_CONS },
		{ &ks->cmdq, SD_REG_CMDQ_BASE, SD_REG_CMDQ_PROD, SD_REG_CMDQ_CONS },
		{ &ks->priq, SD_REG_PRIQ_BASE, SD_REG_PRIQ_PROD, SD_REG_PRIQ_CONS },
	};

	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		if (!qs[i].q->valid || r->have[qs[i].base])
			continue;
		r->val[qs[i].base] = qs[i].q->q_base;
		r->val[qs[i].prod] = qs[i].q->prod;
		r->val[qs[i].cons] = qs[i].q->cons;
		r->have[qs[i].base] = r->have[qs[i].prod] = r->have[qs[i].cons] = true;
	}
	if (!r->have[SD_REG_BASE] && ks->regs.have[SD_REG_BASE]) {
		r->val[SD_REG_BASE] = ks->regs.val[SD_REG_BASE];
		r->have[SD_REG_BASE] = true;
	}
}
