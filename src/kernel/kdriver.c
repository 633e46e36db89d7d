// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One struct arm_smmu_device, per kernel version (arm-smmu-v3.h; the
 * reference kernel-structures.md, sections 2 and 3).
 *
 * Register values (arm_smmu_write_strtab(), arm_smmu_init_one_queue()):
 *   up to 6.11  strtab_cfg.strtab_base / strtab_base_cfg are the values
 *               written to the hardware;
 *   6.12 on     recomputed: 2-level CFG = FMT(2-level) | LOG2SIZE(ilog2(
 *               num_l1_ents) + STRTAB_SPLIT) | SPLIT(STRTAB_SPLIT), dma =
 *               l2.l1_dma; linear CFG = LOG2SIZE(sid_bits), dma =
 *               linear.ste_dma; BASE = (dma & ADDR) | RA.  features bit 0
 *               (ARM_SMMU_FEAT_2_LVL_STRTAB) picks the arm.
 *   queues      q_base is the CMDQ_BASE/EVTQ_BASE/PRIQ_BASE image in every
 *               version; llq.prod/cons the shadow PROD/CONS.
 * Field positions are smmu_fields.h's (IHI 0070 6.3.23, 6.3.24, 3.4.3).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kernel-priv.h"
#include "smmu.h"
#include "smmu_fields.h"

/* Linux's STRTAB_SPLIT (arm-smmu-v3.h): 8, i.e. 256 STEs per L2 table. */
#define LINUX_STRTAB_SPLIT	STRTAB_SPLIT_16K
/* arm-smmu-v3.h STRTAB_MAX_L1_ENTRIES: 1 << 17. */
#define LINUX_STRTAB_MAX_L1	(1ull << 17)

static unsigned ilog2_u64(uint64_t v)
{
	unsigned r = 0;

	while (v >>= 1)
		r++;
	return r;
}

/* STRTAB_BASE as the driver writes it: the table's address and RA. */
static uint64_t strtab_base_reg(uint64_t dma)
{
	return (dma & STRTAB_BASE_ADDR_MASK) | STRTAB_BASE_RA;
}

/* Registers from strtab_cfg in either layout. */
static enum sd_status read_strtab(struct kctx *kc, uint64_t smmu, struct sd_ksmmu *s,
				  char *how, size_t howlen, struct sd_error *err)
{
	uint64_t base, cfg, dma, n;
	enum sd_status st;

	if (sd_kt_has(&kc->kt, SMMU_T, "strtab_cfg.strtab_base")) {
		if ((st = rd_member(kc, smmu, SMMU_T, "strtab_cfg.strtab_base", &base, err)) ||
		    (st = rd_member(kc, smmu, SMMU_T, "strtab_cfg.strtab_base_cfg", &cfg, err)))
			return st;
		snprintf(how, howlen, "registers copied from strtab_cfg (<= 6.11 layout)");
	} else if (s->features & ARM_SMMU_FEAT_2_LVL_STRTAB) {
		if ((st = rd_member(kc, smmu, SMMU_T, "strtab_cfg.l2.l1_dma", &dma, err)) ||
		    (st = rd_member(kc, smmu, SMMU_T, "strtab_cfg.l2.num_l1_ents", &n, err)))
			return st;
		if (!n || n > LINUX_STRTAB_MAX_L1 || (n & (n - 1)))
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "strtab_cfg.l2.num_l1_ents of arm_smmu_device 0x%" PRIx64
					    " is %" PRIu64, smmu, n);
		cfg = FIELD_PREP(STRTAB_BASE_CFG_FMT, STRTAB_BASE_CFG_FMT_2LVL) |
		      FIELD_PREP(STRTAB_BASE_CFG_SPLIT, LINUX_STRTAB_SPLIT) |
		      FIELD_PREP(STRTAB_BASE_CFG_LOG2SIZE, ilog2_u64(n) + LINUX_STRTAB_SPLIT);
		base = strtab_base_reg(dma);
		snprintf(how, howlen, "registers recomputed from strtab_cfg.l2 (>= 6.12, %" PRIu64
			 " L1 entries)", n);
	} else {
		if ((st = rd_member(kc, smmu, SMMU_T, "strtab_cfg.linear.ste_dma", &dma, err)))
			return st;
		cfg = FIELD_PREP(STRTAB_BASE_CFG_FMT, STRTAB_BASE_CFG_FMT_LINEAR) |
		      FIELD_PREP(STRTAB_BASE_CFG_LOG2SIZE, s->sid_bits);
		base = strtab_base_reg(dma);
		snprintf(how, howlen, "registers recomputed from strtab_cfg.linear (>= 6.12)");
	}
	s->regs.val[SD_REG_STRTAB_BASE] = base;
	s->regs.have[SD_REG_STRTAB_BASE] = true;
	s->regs.val[SD_REG_STRTAB_BASE_CFG] = cfg;
	s->regs.have[SD_REG_STRTAB_BASE_CFG] = true;
	return SD_OK;
}

/* smmu->@q.q (struct arm_smmu_queue).  A kernel whose struct has no such
 * queue leaves it invalid; a queue that cannot be read fails. */
static enum sd_status read_queue(struct kctx *kc, uint64_t smmu, const char *q,
				 struct sd_kqueue *out, struct sd_error *err)
{
	static const char *const fields[] = {
		"q_base", "base_dma", "llq.prod", "llq.cons", "llq.max_n_shift", "ent_dwords",
	};
	uint64_t v[sizeof(fields) / sizeof(fields[0])];
	char p[64];
	enum sd_status st;

	memset(out, 0, sizeof(*out));
	snprintf(p, sizeof(p), "%s.q.q_base", q);
	if (!sd_kt_has(&kc->kt, SMMU_T, p))
		return SD_OK;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		snprintf(p, sizeof(p), "%s.q.%s", q, fields[i]);
		if ((st = rd_member(kc, smmu, SMMU_T, p, &v[i], err)))
			return st;
	}
	out->q_base = v[0];
	out->base_dma = v[1];
	out->prod = (uint32_t)v[2];
	out->cons = (uint32_t)v[3];
	out->max_n_shift = (unsigned)v[4];
	out->ent_dwords = (unsigned)v[5];
	out->valid = out->q_base != 0 || out->base_dma != 0;
	return SD_OK;
}

static void read_queues(struct kctx *kc, uint64_t smmu, struct sd_ksmmu *s)
{
	static const char *const names[] = { "cmdq", "evtq", "priq" };
	struct sd_kqueue *qs[] = { &s->cmdq, &s->evtq, &s->priq };

	for (size_t i = 0; i < 3; i++) {
		struct sd_error e = { 0 };

		if (read_queue(kc, smmu, names[i], qs[i], &e) != SD_OK)
			kdiag(kc, "%s: %s not read (its registers stay unknown): %s",
			      s->regs.name, names[i], e.msg);
	}
	/* The queue registers are merged into a snapshot in one place,
	 * sd_regs_add_kernel_queues (src/analysis/match.c). */
}

/* An optional member: @dflt when this kernel's struct has none; a member
 * that is there but cannot be read is an error. */
static enum sd_status rd_optional(struct kctx *kc, uint64_t smmu, const char *path,
				  uint64_t dflt, uint64_t *v, struct sd_error *err)
{
	if (!sd_kt_has(&kc->kt, SMMU_T, path)) {
		*v = dflt;
		return SD_OK;
	}
	return rd_member(kc, smmu, SMMU_T, path, v, err);
}

/* The SMMU's name: its iommu device's ("smmu3.0x<MMIO base>", from
 * iommu_device_sysfs_add()), else its platform device's. */
static void name_smmu(struct kctx *kc, uint64_t smmu, const char *pname, struct sd_ksmmu *s)
{
	struct sd_error e = { 0 };
	uint64_t iommu_dev = 0, mmio;
	char name[96] = "";

	if (sd_kt_has(&kc->kt, SMMU_T, "iommu.dev") &&
	    (rd_ptr(kc, smmu, SMMU_T, "iommu.dev", &iommu_dev, &e) ||
	     (iommu_dev && dev_name(kc, iommu_dev, name, sizeof(name), &e))))
		kdiag(kc, "arm_smmu_device 0x%" PRIx64 ": iommu device name not read: %s", smmu,
		      e.msg);
	snprintf(s->regs.name, sizeof(s->regs.name), "%s",
		 name[0] ? name : pname[0] ? pname : "smmu");
	if (!strncmp(name, "smmu3.0x", 8) && sscanf(name + 6, "%" SCNx64, &mmio) == 1) {
		s->regs.val[SD_REG_BASE] = mmio;
		s->regs.have[SD_REG_BASE] = true;
	}
}

/* smmu->dev is bound to arm-smmu-v3 (SD_ERR_NOTFOUND for another IOMMU
 * driver on the same list); @pname gets its name. */
static enum sd_status check_driver(struct kctx *kc, uint64_t smmu, char *pname, size_t size,
				   struct sd_error *err)
{
	uint64_t dev;
	char drv[32];
	enum sd_status st;

	if ((st = rd_ptr(kc, smmu, SMMU_T, "dev", &dev, err)))
		return st;
	if (!dev)
		return sd_error_set(err, SD_ERR_CORRUPT, "arm_smmu_device 0x%" PRIx64 " has no dev", smmu);
	if ((st = dev_driver(kc, dev, drv, sizeof(drv), err)))
		return st;
	if (strcmp(drv, "arm-smmu-v3"))
		return sd_error_set(err, SD_ERR_NOTFOUND,
				    "device 0x%" PRIx64 " of iommu 0x%" PRIx64 " is bound to \"%s\", not arm-smmu-v3",
				    dev, smmu, drv);
	if ((st = dev_name(kc, dev, pname, size, err)))
		return sd_error_prefix(err, "arm_smmu_device 0x%" PRIx64, smmu);
	return SD_OK;
}

enum sd_status read_smmu(struct kctx *kc, uint64_t smmu, const char *found_how,
			 struct sd_ksmmu *s, struct sd_error *err)
{
	uint64_t v;
	char pname[64] = "", how[160];
	enum sd_status st;

	memset(s, 0, sizeof(*s));
	s->smmu_addr = smmu;
	s->source = kc->dwarf ? SD_SRC_DWARF : SD_SRC_BTF;
	if ((st = check_driver(kc, smmu, pname, sizeof(pname), err)))
		return st;
	name_smmu(kc, smmu, pname, s);
	if ((st = rd_member(kc, smmu, SMMU_T, "features", &s->features, err)) ||
	    (st = rd_optional(kc, smmu, "options", 0, &s->options, err)))
		return st;
	name_features(kc, s);
	if ((st = rd_member(kc, smmu, SMMU_T, "sid_bits", &v, err)))
		return st;
	if (v > 32)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "sid_bits of arm_smmu_device 0x%" PRIx64 " is %" PRIu64, smmu, v);
	s->sid_bits = (unsigned)v;
	if ((st = rd_optional(kc, smmu, "ssid_bits", 0, &v, err)))
		return st;
	s->ssid_bits = (unsigned)v;
	/* asid_bits / vmid_bits: set from IDR0.ASID16 / VMID16 at probe
	 * (arm_smmu_device_hw_probe(), 8 or 16); members of struct
	 * arm_smmu_device since the driver's first version, read when the
	 * types have them. */
	s->asid_bits = s->vmid_bits = -1;
	if (sd_kt_has(&kc->kt, SMMU_T, "asid_bits") &&
	    (st = rd_member(kc, smmu, SMMU_T, "asid_bits", &v, err)) == SD_OK)
		s->asid_bits = v <= 16 ? (int)v : -1;
	if (st)
		return st;
	if (sd_kt_has(&kc->kt, SMMU_T, "vmid_bits") &&
	    (st = rd_member(kc, smmu, SMMU_T, "vmid_bits", &v, err)) == SD_OK)
		s->vmid_bits = v <= 16 ? (int)v : -1;
	if (st)
		return st;
	/* iommu_device_register() put it on iommu_device_list: the driver
	 * probed it to the end (kdiscover.c names the list in found_how). */
	s->registered = !strncmp(found_how, "on iommu_device_list", strlen("on iommu_device_list"));
	if ((st = read_strtab(kc, smmu, s, how, sizeof(how), err)))
		return st;
	read_queues(kc, smmu, s);
	snprintf(s->how, sizeof(s->how), "%s %s via %s; %s", pname[0] ? pname : "?", found_how,
		 kc->kt.source, how);
	return SD_OK;
}

/*
 * Cross-check a found SMMU's stream table against the architecture: L1
 * descriptors (IHI 0070 3.4.3) with SPAN = SPLIT + 1 pointing at L2
 * tables whose first STE is valid.  Appends the result to s->how.
 */
void check_strtab(struct kctx *kc, struct sd_ksmmu *s)
{
	struct strtab_cfg cfg;
	struct smmu_caps caps;
	uint64_t i, good = 0, bad = 0;
	size_t hl = strlen(s->how);

	/* No ID registers: the table is taken as the registers describe it
	 * (what the decoder would object to is its business, not this
	 * plausibility check's: no problem sink). */
	smmu_caps_from_idr(&caps, false, 0, false, 0, false, 0);
	strtab_cfg_decode(&cfg, s->regs.val[SD_REG_STRTAB_BASE],
			  s->regs.val[SD_REG_STRTAB_BASE_CFG], &caps, NULL);
	if (cfg.fmt != STRTAB_BASE_CFG_FMT_2LVL || cfg.split != LINUX_STRTAB_SPLIT ||
	    cfg.log2size < cfg.split || cfg.l1_entries > LINUX_STRTAB_MAX_L1)
		return;
	for (i = 0; i < cfg.l1_entries && !sd_timed_out; i++) {
		uint64_t desc, ste0;
		struct sd_error e = { 0 };

		if (sd_dump_read_phys(kc->dump, cfg.addr + i * STRTAB_L1_DESC_SIZE, &desc,
				      sizeof(desc), &e) != SD_OK) {
			kdiag(kc, "%s: L1 check stopped at descriptor %" PRIu64 ": %s",
			      s->regs.name, i, e.msg);
			bad++;
			break;
		}
		if (!desc)
			continue;
		if (FIELD_GET(STRTAB_L1_DESC_SPAN, desc) != cfg.split + 1) {
			bad++;
			continue;
		}
		if (sd_dump_read_phys(kc->dump, desc & STRTAB_L1_DESC_L2PTR_MASK, &ste0,
				      sizeof(ste0), &e) != SD_OK) {
			kdiag(kc, "%s: L1 check: L2 table of descriptor %" PRIu64 ": %s",
			      s->regs.name, i, e.msg);
			bad++;
		} else if (!(ste0 & STRTAB_STE_0_V)) {
			bad++;
		} else {
			good++;
		}
	}
	snprintf(s->how + hl, sizeof(s->how) - hl,
		 "; L1 check: %" PRIu64 " SPAN-%u descriptor(s) to valid STEs, %" PRIu64 " bad",
		 good, cfg.split + 1, bad);
}
