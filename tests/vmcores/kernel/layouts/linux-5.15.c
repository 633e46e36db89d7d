// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Linux 5.15 arm-smmu-v3 layout: drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h
 * of microsoft/CBL-Mariner-Linux-Kernel (5.15) @148e5d42fcbe (member order
 * exact).  Since 5.13 (cdf315f907d4): smmu->streams rb-tree of
 * arm_smmu_stream, master->streams[num_streams]; features last bit 18 (E2H);
 * options bit 3 CMDQ_FORCE_SYNC; evtq gains iopf.
 */
#define EVTQ_IOPF
#include "common.h"
#include "smmu-queues-5.10.h"

struct arm_smmu_strtab_l1_desc {
	u8				span;
	__le64				*l2ptr;
	dma_addr_t			l2ptr_dma;
};

struct arm_smmu_strtab_cfg {
	__le64				*strtab;
	dma_addr_t			strtab_dma;
	struct arm_smmu_strtab_l1_desc	*l1_desc;
	unsigned int			num_l1_ents;
	u64				strtab_base;
	u32				strtab_base_cfg;
};

#define ARM_SMMU_MAX_VMIDS		(1 << 16)
struct arm_smmu_device {
	struct device			*dev;
	void				*base;
	void				*page1;
	u32				features;
	u32				options;
	struct arm_smmu_cmdq		cmdq;
	struct arm_smmu_evtq		evtq;
	struct arm_smmu_priq		priq;
	int				gerr_irq;
	int				combined_irq;
	unsigned long			ias; /* IPA */
	unsigned long			oas; /* PA */
	unsigned long			pgsize_bitmap;
	unsigned int			asid_bits;
	unsigned int			vmid_bits;
	DECLARE_BITMAP(vmid_map, ARM_SMMU_MAX_VMIDS);
	unsigned int			ssid_bits;
	unsigned int			sid_bits;
	struct arm_smmu_strtab_cfg	strtab_cfg;
	struct iommu_device		iommu;
	struct rb_root			streams;
	struct mutex			streams_mutex;
};

struct arm_smmu_stream {
	u32				id;
	struct arm_smmu_master		*master;
	struct rb_node			node;
};

struct arm_smmu_domain;
struct arm_smmu_master {
	struct arm_smmu_device		*smmu;
	struct device			*dev;
	struct arm_smmu_domain		*domain;
	struct list_head		domain_head;
	struct arm_smmu_stream		*streams;
	unsigned int			num_streams;
	bool				ats_enabled;
	bool				stall_enabled;
	bool				sva_enabled;
	bool				iopf_enabled;
	struct list_head		bonds;
	unsigned int			ssid_bits;
};

__attribute__((section(".sd_offsets"), used))
static const struct sd_off sd_offsets[] = {
	COMMON_OFFSETS,
	SIZE(arm_smmu_device), SIZE(arm_smmu_master), SIZE(arm_smmu_stream),
	OFF(arm_smmu_device, dev), OFF(arm_smmu_device, features), OFF(arm_smmu_device, options),
	OFF(arm_smmu_device, sid_bits), OFF(arm_smmu_device, ssid_bits), OFF(arm_smmu_device, iommu),
	OFF(arm_smmu_device, streams),
	SMMU_QUEUE_OFFSETS(cmdq), SMMU_QUEUE_OFFSETS(evtq), SMMU_QUEUE_OFFSETS(priq),
	OFF(arm_smmu_device, strtab_cfg.strtab), OFF(arm_smmu_device, strtab_cfg.strtab_dma),
	OFF(arm_smmu_device, strtab_cfg.l1_desc), OFF(arm_smmu_device, strtab_cfg.num_l1_ents),
	OFF(arm_smmu_device, strtab_cfg.strtab_base), OFF(arm_smmu_device, strtab_cfg.strtab_base_cfg),
	SIZE(arm_smmu_strtab_l1_desc), OFF(arm_smmu_strtab_l1_desc, span),
	OFF(arm_smmu_strtab_l1_desc, l2ptr), OFF(arm_smmu_strtab_l1_desc, l2ptr_dma),
	OFF(arm_smmu_stream, id), OFF(arm_smmu_stream, master), OFF(arm_smmu_stream, node),
	OFF(arm_smmu_master, smmu), OFF(arm_smmu_master, dev), OFF(arm_smmu_master, streams),
	OFF(arm_smmu_master, num_streams), OFF(arm_smmu_master, ats_enabled),
};
