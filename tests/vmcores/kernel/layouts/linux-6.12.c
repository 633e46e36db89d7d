// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Linux 6.12 arm-smmu-v3 layout: drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h
 * of torvalds/linux @0401bbf56da5 (kernel-structures.md H612); struct
 * arm_smmu_master as Debian's 6.12.118 DWARF has it.  strtab_cfg keeps
 * only the table's DMA address and size (85196f54743d, 8c153ef95697): the
 * registers must be recomputed.  master->ats_enabled is a bool bit-field.
 */
#include "common.h"
#include "smmu-queues-5.10.h"

struct arm_smmu_ste { __le64 data[8]; };
struct arm_smmu_strtab_l1 { __le64 l2ptr; };
struct arm_smmu_strtab_l2 { struct arm_smmu_ste stes[256]; };

struct arm_smmu_strtab_cfg {
	union {
		struct {
			struct arm_smmu_ste *table;
			dma_addr_t ste_dma;
			unsigned int num_ents;
		} linear;
		struct {
			struct arm_smmu_strtab_l1 *l1tab;
			struct arm_smmu_strtab_l2 **l2ptrs;
			dma_addr_t l1_dma;
			unsigned int num_l1_ents;
		} l2;
	};
};

struct ida { void *xa_head; unsigned int xa_flags; };
struct arm_smmu_impl_ops;
struct arm_smmu_device {
	struct device			*dev;
	struct device			*impl_dev;
	const struct arm_smmu_impl_ops	*impl_ops;
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
	struct ida			vmid_map;
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

struct arm_smmu_ctx_desc_cfg {
	union {
		struct { void *table; unsigned int num_ents; } linear;
		struct { void *l1tab; void **l2ptrs; unsigned int num_l1_ents; } l2;
	};
	dma_addr_t			cdtab_dma;
	unsigned int			used_ssids;
	u8				in_ste;
	u8				s1fmt;
	u8				s1cdmax;
};

struct arm_smmu_master {
	struct arm_smmu_device		*smmu;
	struct device			*dev;
	struct arm_smmu_stream		*streams;
	struct arm_smmu_ctx_desc_cfg	cd_table;
	unsigned int			num_streams;
	u8				__ats_word[0];
	bool				ats_enabled : 1;
	bool				ste_ats_enabled : 1;
	bool				stall_enabled;
	bool				sva_enabled;
	bool				iopf_enabled;
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
	OFF(arm_smmu_device, strtab_cfg.l2.l1tab), OFF(arm_smmu_device, strtab_cfg.l2.l2ptrs),
	OFF(arm_smmu_device, strtab_cfg.l2.l1_dma), OFF(arm_smmu_device, strtab_cfg.l2.num_l1_ents),
	OFF(arm_smmu_device, strtab_cfg.linear.table), OFF(arm_smmu_device, strtab_cfg.linear.ste_dma),
	OFF(arm_smmu_stream, id), OFF(arm_smmu_stream, master), OFF(arm_smmu_stream, node),
	OFF(arm_smmu_master, smmu), OFF(arm_smmu_master, dev), OFF(arm_smmu_master, streams),
	OFF(arm_smmu_master, num_streams), BITOFF(arm_smmu_master, ats_enabled, __ats_word, 0),
	OFF(arm_smmu_master, cd_table.cdtab_dma), OFF(arm_smmu_master, cd_table.in_ste),
};
