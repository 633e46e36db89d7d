// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Linux 6.6 arm-smmu-v3 layout: drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h
 * of a 6.6.y stable tree (eswincomputing/linux-stable, 6.6.126, vendor
 * additions left out; member order exact).  Between 5.15 and 6.12:
 * vmid_map is an IDA, no longer a bitmap; strtab_cfg still keeps the
 * strtab_base/strtab_base_cfg register copies (gone by 6.12); the master
 * still has domain/domain_head and plain-bool ats_enabled, and the CD table
 * still lives in the domain's s1_cfg (moved to the master as cd_table in
 * 6.7).  features last bit 19 (NESTING); options bit 3 CMDQ_FORCE_SYNC.
 * struct iommu_group as drivers/iommu/iommu.c of 6.6 has it: pasid_array
 * and blocking_domain sit between the members the tool reads.
 */
#define EVTQ_IOPF
#define LAYOUT_IOMMU_GROUP
#include "common.h"
#include "smmu-queues-5.10.h"

struct xarray { spinlock_t xa_lock; unsigned int xa_flags; void *xa_head; };
struct ida { struct xarray xa; };

struct iommu_group {
	struct kobject kobj;
	struct kobject *devices_kobj;
	struct list_head devices;
	struct xarray pasid_array;
	struct mutex mutex;
	void *iommu_data;
	void (*iommu_data_release)(void *iommu_data);
	char *name;
	int id;
	struct iommu_domain *default_domain;
	struct iommu_domain *blocking_domain;
	struct iommu_domain *domain;
	struct list_head entry;
	unsigned int owner_cnt;
	void *owner;
};

struct arm_smmu_strtab_l1_desc {
	u8				span;
	__le64				*l2ptr;
	dma_addr_t			l2ptr_dma;
};

struct mm_struct;
struct arm_smmu_ctx_desc {
	u16				asid;
	u64				ttbr;
	u64				tcr;
	u64				mair;
	refcount_t			refs;
	struct mm_struct		*mm;
};

struct arm_smmu_l1_ctx_desc {
	__le64				*l2ptr;
	dma_addr_t			l2ptr_dma;
};

struct arm_smmu_ctx_desc_cfg {
	__le64				*cdtab;
	dma_addr_t			cdtab_dma;
	struct arm_smmu_l1_ctx_desc	*l1_desc;
	unsigned int			num_l1_ents;
};

struct arm_smmu_s1_cfg {
	struct arm_smmu_ctx_desc_cfg	cdcfg;
	struct arm_smmu_ctx_desc	cd;
	u8				s1fmt;
	u8				s1cdmax;
};

struct arm_smmu_s2_cfg {
	u16				vmid;
	u64				vttbr;
	u64				vtcr;
};

struct arm_smmu_strtab_cfg {
	__le64				*strtab;
	dma_addr_t			strtab_dma;
	struct arm_smmu_strtab_l1_desc	*l1_desc;
	unsigned int			num_l1_ents;
	u64				strtab_base;
	u32				strtab_base_cfg;
};

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

enum arm_smmu_domain_stage {
	ARM_SMMU_DOMAIN_S1 = 0,
	ARM_SMMU_DOMAIN_S2,
	ARM_SMMU_DOMAIN_NESTED,
	ARM_SMMU_DOMAIN_BYPASS,
};

struct io_pgtable_ops;
struct arm_smmu_domain {
	struct arm_smmu_device		*smmu;
	struct mutex			init_mutex; /* Protects smmu pointer */
	struct io_pgtable_ops		*pgtbl_ops;
	bool				stall_enabled;
	atomic_t			nr_ats_masters;
	enum arm_smmu_domain_stage	stage;
	union {
		struct arm_smmu_s1_cfg	s1_cfg;
		struct arm_smmu_s2_cfg	s2_cfg;
	};
	struct iommu_domain		domain;
	struct list_head		devices;
	spinlock_t			devices_lock;
	struct list_head		mmu_notifiers;
};

__attribute__((section(".sd_offsets"), used))
static const struct sd_off sd_offsets[] = {
	COMMON_OFFSETS,
	SIZE(arm_smmu_device), SIZE(arm_smmu_master), SIZE(arm_smmu_stream),
	SIZE(arm_smmu_domain),
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
	OFF(arm_smmu_master, smmu), OFF(arm_smmu_master, dev), OFF(arm_smmu_master, domain),
	OFF(arm_smmu_master, streams), OFF(arm_smmu_master, num_streams),
	OFF(arm_smmu_master, ats_enabled),
	OFF(arm_smmu_domain, smmu), OFF(arm_smmu_domain, stage),
	OFF(arm_smmu_domain, s1_cfg.cdcfg.cdtab_dma), OFF(arm_smmu_domain, s1_cfg.s1fmt),
	OFF(arm_smmu_domain, s1_cfg.s1cdmax), OFF(arm_smmu_domain, domain),
	OFF(arm_smmu_domain, s2_cfg.vmid), OFF(arm_smmu_domain, s2_cfg.vttbr),
};
