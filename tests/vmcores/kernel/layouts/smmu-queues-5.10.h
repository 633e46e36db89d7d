/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arm-smmu-v3.h queue structures, unchanged from the lockless command queue
 * (5.6) through 6.12: WindRiver-Labs/linux-yocto-5.10 @67b814a88191,
 * CBL-Mariner 5.15 @148e5d42fcbe; 5.15 adds evtq.iopf. */
#ifndef LAYOUT_QUEUES_H
#define LAYOUT_QUEUES_H
struct arm_smmu_ll_queue {
	union {
		u64			val;
		struct {
			u32		prod;
			u32		cons;
		};
		struct {
			atomic_t	prod;
			atomic_t	cons;
		} atomic;
		u8			__pad[SMP_CACHE_BYTES];
	} ____cacheline_aligned_in_smp;
	u32				max_n_shift;
};

struct arm_smmu_queue {
	struct arm_smmu_ll_queue	llq;
	int				irq; /* Wired interrupt */
	__le64				*base;
	dma_addr_t			base_dma;
	u64				q_base;
	size_t				ent_dwords;
	u32				*prod_reg;
	u32				*cons_reg;
};

struct arm_smmu_cmdq {
	struct arm_smmu_queue		q;
	atomic_long_t			*valid_map;
	atomic_t			owner_prod;
	atomic_t			lock;
};

struct arm_smmu_evtq {
	struct arm_smmu_queue		q;
#ifdef EVTQ_IOPF
	struct iopf_queue		*iopf;
#endif
	u32				max_stalls;
};

struct arm_smmu_priq {
	struct arm_smmu_queue		q;
};

#define SMMU_QUEUE_OFFSETS(Q) \
	OFF(arm_smmu_device, Q.q.q_base), OFF(arm_smmu_device, Q.q.base_dma), \
	OFF(arm_smmu_device, Q.q.base), OFF(arm_smmu_device, Q.q.llq.prod), \
	OFF(arm_smmu_device, Q.q.llq.cons), OFF(arm_smmu_device, Q.q.llq.max_n_shift), \
	OFF(arm_smmu_device, Q.q.ent_dwords)
#endif
