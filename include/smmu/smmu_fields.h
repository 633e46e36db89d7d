/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arm SMMUv3 and VMSAv8-64 bit fields, named after Arm IHI 0070 and written
 * the way Linux's drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h writes them.
 * Every bit position the program knows lives here and nowhere else.
 *
 * "DWn" is the little-endian 64-bit word n of an entry.
 */
#ifndef SMMU_FIELDS_H
#define SMMU_FIELDS_H

#include <stdint.h>

#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK_ULL(h, l)	(((~0ULL) << (l)) & (~0ULL >> (63 - (h))))
#define FIELD_GET(mask, reg)	(((reg) & (mask)) >> __builtin_ctzll(mask))
#define FIELD_PREP(mask, val)	(((uint64_t)(val) << __builtin_ctzll(mask)) & (mask))

/* ---- Registers, IHI 0070 6.3 (offsets in register page 0) ---- */
#define ARM_SMMU_IDR0			0x0
#define IDR0_ST_LVL			GENMASK_ULL(28, 27)
#define IDR0_ST_LVL_2LVL		1
#define IDR0_TERM_MODEL			BIT_ULL(26)
#define IDR0_STALL_MODEL		GENMASK_ULL(25, 24)
#define IDR0_TTENDIAN			GENMASK_ULL(22, 21)
#define IDR0_CD2L			BIT_ULL(19)
#define IDR0_VMID16			BIT_ULL(18)
#define IDR0_PRI			BIT_ULL(16)
#define IDR0_SEV			BIT_ULL(14)
#define IDR0_MSI			BIT_ULL(13)
#define IDR0_ASID16			BIT_ULL(12)
#define IDR0_ATS			BIT_ULL(10)
#define IDR0_HYP			BIT_ULL(9)
#define IDR0_HTTU			GENMASK_ULL(7, 6)
#define IDR0_COHACC			BIT_ULL(4)
#define IDR0_TTF			GENMASK_ULL(3, 2)
#define IDR0_TTF_AARCH32		BIT_ULL(0)	/* within the TTF value */
#define IDR0_TTF_AARCH64		BIT_ULL(1)
#define IDR0_S1P			BIT_ULL(1)
#define IDR0_S2P			BIT_ULL(0)

#define ARM_SMMU_IDR1			0x4
#define IDR1_TABLES_PRESET		BIT_ULL(30)
#define IDR1_QUEUES_PRESET		BIT_ULL(29)
#define IDR1_REL			BIT_ULL(28)
#define IDR1_CMDQS			GENMASK_ULL(25, 21)
#define IDR1_EVTQS			GENMASK_ULL(20, 16)
#define IDR1_PRIQS			GENMASK_ULL(15, 11)
#define IDR1_SSIDSIZE			GENMASK_ULL(10, 6)
#define IDR1_SIDSIZE			GENMASK_ULL(5, 0)
/* The largest StreamID and SubstreamID widths (6.3.2: SIDSIZE <= 32,
 * SSIDSIZE <= 20). */
#define SMMU_MAX_SID_BITS		32
#define SMMU_MAX_SSID_BITS		20

#define ARM_SMMU_IDR5			0x14
#define IDR5_STALL_MAX			GENMASK_ULL(31, 16)
#define IDR5_VAX			GENMASK_ULL(11, 10)
#define IDR5_GRAN64K			BIT_ULL(6)
#define IDR5_GRAN16K			BIT_ULL(5)
#define IDR5_GRAN4K			BIT_ULL(4)
#define IDR5_OAS			GENMASK_ULL(2, 0)

/* The other registers the live capture reads (offsets from page 0; the
 * EVTQ/PRIQ PROD/CONS live in register page 1, base + 0x10000). */
#define ARM_SMMU_IDR2			0x8
#define ARM_SMMU_IDR3			0xc
#define ARM_SMMU_IDR4			0x10
#define ARM_SMMU_IIDR			0x18
#define ARM_SMMU_AIDR			0x1c
#define ARM_SMMU_CR0			0x20
#define ARM_SMMU_CR0ACK			0x24
#define ARM_SMMU_CR1			0x28
#define ARM_SMMU_CR2			0x2c
#define ARM_SMMU_GBPA			0x44
#define ARM_SMMU_IRQ_CTRL		0x50
#define ARM_SMMU_GERROR			0x60
#define ARM_SMMU_GERRORN		0x64
#define ARM_SMMU_STRTAB_BASE		0x80	/* 64-bit */
#define ARM_SMMU_STRTAB_BASE_CFG	0x88
#define ARM_SMMU_CMDQ_BASE		0x90	/* 64-bit */
#define ARM_SMMU_CMDQ_PROD		0x98
#define ARM_SMMU_CMDQ_CONS		0x9c
#define ARM_SMMU_EVTQ_BASE		0xa0	/* 64-bit */
#define ARM_SMMU_EVTQ_PROD		0x100a8	/* page 1 */
#define ARM_SMMU_EVTQ_CONS		0x100ac	/* page 1 */
#define ARM_SMMU_PRIQ_BASE		0xc0	/* 64-bit */
#define ARM_SMMU_PRIQ_PROD		0x100c8	/* page 1 */
#define ARM_SMMU_PRIQ_CONS		0x100cc	/* page 1 */
#define ARM_SMMU_REG_SZ			0x10000	/* one register page */

#define CR0_ATSCHK			BIT_ULL(4)
#define CR0_CMDQEN			BIT_ULL(3)
#define CR0_EVTQEN			BIT_ULL(2)
#define CR0_PRIQEN			BIT_ULL(1)
#define CR0_SMMUEN			BIT_ULL(0)

#define GBPA_UPDATE			BIT_ULL(31)
#define GBPA_ABORT			BIT_ULL(20)

/* STRTAB_BASE, IHI 0070 6.3.23 */
#define STRTAB_BASE_RA			BIT_ULL(62)
#define STRTAB_BASE_ADDR_MASK		GENMASK_ULL(51, 6)

/* STRTAB_BASE_CFG, IHI 0070 6.3.24 */
#define STRTAB_BASE_CFG_FMT		GENMASK_ULL(17, 16)
#define STRTAB_BASE_CFG_FMT_LINEAR	0
#define STRTAB_BASE_CFG_FMT_2LVL	1
#define STRTAB_BASE_CFG_SPLIT		GENMASK_ULL(10, 6)
#define STRTAB_BASE_CFG_LOG2SIZE	GENMASK_ULL(5, 0)

/* Queue base registers: CMDQ_BASE, EVTQ_BASE, PRIQ_BASE */
#define Q_BASE_RWA			BIT_ULL(62)
#define Q_BASE_ADDR_MASK		GENMASK_ULL(51, 5)
#define Q_BASE_LOG2SIZE			GENMASK_ULL(4, 0)

/* Output/intermediate size encodings (IDR5.OAS, CD.IPS, STE.S2PS) */
#define SMMU_PS_MAX_ENCODING		6

/* ---- Stream table, IHI 0070 5.1 and 5.2 ---- */
#define STRTAB_STE_DWORDS		8
#define STRTAB_STE_SIZE			(STRTAB_STE_DWORDS * 8)
#define STRTAB_L1_DESC_SIZE		8
#define STRTAB_L1_DESC_SPAN		GENMASK_ULL(4, 0)
#define STRTAB_L1_DESC_L2PTR_MASK	GENMASK_ULL(51, 6)
/* SPAN 1..11 give 2^(SPAN-1) STEs; 12..31 are reserved (5.1.1). */
#define STRTAB_L1_DESC_SPAN_MAX		11
#define STRTAB_SPLIT_4K			6
#define STRTAB_SPLIT_16K		8
#define STRTAB_SPLIT_64K		10

/* STE DW0 */
#define STRTAB_STE_0_V			BIT_ULL(0)
#define STRTAB_STE_0_CFG		GENMASK_ULL(3, 1)
#define STRTAB_STE_0_CFG_ABORT		0
#define STRTAB_STE_0_CFG_BYPASS		4
#define STRTAB_STE_0_CFG_S1_TRANS	5
#define STRTAB_STE_0_CFG_S2_TRANS	6
#define STRTAB_STE_0_CFG_NESTED		7
#define STRTAB_STE_0_S1FMT		GENMASK_ULL(5, 4)
#define STRTAB_STE_0_S1FMT_LINEAR	0
#define STRTAB_STE_0_S1FMT_4K_L2	1
#define STRTAB_STE_0_S1FMT_64K_L2	2
#define STRTAB_STE_0_S1FMT_RESERVED	3
#define STRTAB_STE_0_S1CTXPTR_MASK	GENMASK_ULL(51, 6)
#define STRTAB_STE_0_S1CDMAX		GENMASK_ULL(63, 59)

/* STE DW1 */
#define STRTAB_STE_1_S1DSS		GENMASK_ULL(1, 0)
#define STRTAB_STE_1_S1CIR		GENMASK_ULL(3, 2)
#define STRTAB_STE_1_S1COR		GENMASK_ULL(5, 4)
#define STRTAB_STE_1_S1CSH		GENMASK_ULL(7, 6)
#define STRTAB_STE_1_MEV		BIT_ULL(19)
#define STRTAB_STE_1_S2FWB		BIT_ULL(25)
#define STRTAB_STE_1_S1STALLD		BIT_ULL(27)
#define STRTAB_STE_1_EATS		GENMASK_ULL(29, 28)
#define STRTAB_STE_1_STRW		GENMASK_ULL(31, 30)
#define STRTAB_STE_1_SHCFG		GENMASK_ULL(45, 44)

/* STE DW2 */
#define STRTAB_STE_2_S2VMID		GENMASK_ULL(15, 0)
#define STRTAB_STE_2_VTCR		GENMASK_ULL(50, 32)
#define STRTAB_STE_2_S2T0SZ		GENMASK_ULL(37, 32)
#define STRTAB_STE_2_S2SL0		GENMASK_ULL(39, 38)
#define STRTAB_STE_2_S2IR0		GENMASK_ULL(41, 40)
#define STRTAB_STE_2_S2OR0		GENMASK_ULL(43, 42)
#define STRTAB_STE_2_S2SH0		GENMASK_ULL(45, 44)
#define STRTAB_STE_2_S2TG		GENMASK_ULL(47, 46)
#define STRTAB_STE_2_S2PS		GENMASK_ULL(50, 48)
#define STRTAB_STE_2_S2AA64		BIT_ULL(51)
#define STRTAB_STE_2_S2ENDI		BIT_ULL(52)
#define STRTAB_STE_2_S2AFFD		BIT_ULL(53)
#define STRTAB_STE_2_S2PTW		BIT_ULL(54)
#define STRTAB_STE_2_S2S		BIT_ULL(57)
#define STRTAB_STE_2_S2R		BIT_ULL(58)

/* STE DW3 */
#define STRTAB_STE_3_S2TTB_MASK		GENMASK_ULL(51, 4)

/* Translation granule encodings: CD.TG0 and STE.S2TG (not in size order) */
#define TG_4K				0
#define TG_64K				1
#define TG_16K				2

/* ---- Context descriptor, IHI 0070 5.4 ---- */
#define CTXDESC_CD_DWORDS		8
#define CTXDESC_CD_SIZE			(CTXDESC_CD_DWORDS * 8)
#define CTXDESC_CD_0_T0SZ		GENMASK_ULL(5, 0)
#define CTXDESC_CD_0_TG0		GENMASK_ULL(7, 6)
#define CTXDESC_CD_0_IRGN0		GENMASK_ULL(9, 8)
#define CTXDESC_CD_0_ORGN0		GENMASK_ULL(11, 10)
#define CTXDESC_CD_0_SH0		GENMASK_ULL(13, 12)
#define CTXDESC_CD_0_EPD0		BIT_ULL(14)
#define CTXDESC_CD_0_ENDI		BIT_ULL(15)
#define CTXDESC_CD_0_T1SZ		GENMASK_ULL(21, 16)
#define CTXDESC_CD_0_TG1		GENMASK_ULL(23, 22)
#define CTXDESC_CD_0_EPD1		BIT_ULL(30)
#define CTXDESC_CD_0_V			BIT_ULL(31)
#define CTXDESC_CD_0_IPS		GENMASK_ULL(34, 32)
#define CTXDESC_CD_0_TBI0		BIT_ULL(38)
#define CTXDESC_CD_0_AA64		BIT_ULL(41)
#define CTXDESC_CD_0_HD			BIT_ULL(42)
#define CTXDESC_CD_0_HA			BIT_ULL(43)
#define CTXDESC_CD_0_S			BIT_ULL(44)
#define CTXDESC_CD_0_R			BIT_ULL(45)
#define CTXDESC_CD_0_A			BIT_ULL(46)
#define CTXDESC_CD_0_ASET		BIT_ULL(47)
#define CTXDESC_CD_0_ASID		GENMASK_ULL(63, 48)
#define CTXDESC_CD_1_HAD0		BIT_ULL(1)
#define CTXDESC_CD_1_TTB0_MASK		GENMASK_ULL(51, 4)
#define CTXDESC_CD_2_TTB1_MASK		GENMASK_ULL(51, 4)
/* DW3 is MAIR0 (bits 31:0) and MAIR1 (63:32): the whole MAIR_EL1 image */

/* L1 CD descriptor (S1FMT 1 and 2); note L2Ptr is [51:12], not [51:6] */
#define CTXDESC_L1_DESC_V		BIT_ULL(0)
#define CTXDESC_L1_DESC_L2PTR_MASK	GENMASK_ULL(51, 12)
#define CTXDESC_L1_DESC_SIZE		8
#define CTXDESC_L2_CDS_4K		64	/* S1FMT 1: 4 KB leaf tables */
#define CTXDESC_L2_CDS_64K		1024	/* S1FMT 2: 64 KB leaf tables */

/* ---- VMSAv8-64 translation table descriptors (Arm ARM D8.3) ---- */
#define ARM_PTE_VALID			BIT_ULL(0)
#define ARM_PTE_TYPE_TABLE		BIT_ULL(1)	/* table (L0-2) or page (L3) */
#define ARM_PTE_ADDR_MASK		GENMASK_ULL(47, 12)
#define ARM_PTE_ADDR_HI_64K		GENMASK_ULL(15, 12)	/* PA[51:48], 64 KB granule, 52-bit OA */
#define ARM_PTE_ADDR_HI_SHIFT		48
#define ARM_PTE_ATTRINDX		GENMASK_ULL(4, 2)
#define ARM_PTE_NS			BIT_ULL(5)
#define ARM_PTE_AP_UNPRIV		BIT_ULL(6)	/* stage 1 AP[1] */
#define ARM_PTE_AP_RDONLY		BIT_ULL(7)	/* stage 1 AP[2] */
#define ARM_PTE_S2AP_READ		BIT_ULL(6)	/* stage 2 S2AP[0] */
#define ARM_PTE_S2AP_WRITE		BIT_ULL(7)	/* stage 2 S2AP[1] */
#define ARM_PTE_S2_MEMATTR		GENMASK_ULL(5, 2)
#define ARM_PTE_SH			GENMASK_ULL(9, 8)
#define ARM_PTE_AF			BIT_ULL(10)
#define ARM_PTE_NG			BIT_ULL(11)
#define ARM_PTE_DBM			BIT_ULL(51)
#define ARM_PTE_CONT			BIT_ULL(52)
#define ARM_PTE_PXN			BIT_ULL(53)
#define ARM_PTE_XN			BIT_ULL(54)	/* UXN / XN; stage 2 XN[1] */
/* Table descriptor attributes, stage 1 only (hierarchical permissions) */
#define ARM_PTE_PXNTABLE		BIT_ULL(59)
#define ARM_PTE_XNTABLE			BIT_ULL(60)
#define ARM_PTE_APTABLE_NOEL0		BIT_ULL(61)
#define ARM_PTE_APTABLE_RDONLY		BIT_ULL(62)
#define ARM_PTE_NSTABLE			BIT_ULL(63)

#define ARM_MAX_LEVELS			4	/* levels 0..3 */
#define ARM_S2_MAX_CONCAT		16	/* concatenated start-level tables */

/* ---- Queues, IHI 0070 3.5, 4 and 7 ---- */
#define CMDQ_ENT_DWORDS			2
#define EVTQ_ENT_DWORDS			4
#define PRIQ_ENT_DWORDS			2
/* PROD/CONS: index in the low LOG2SIZE bits, wrap flag just above */
#define Q_IDX(log2, p)			((p) & ((1U << (log2)) - 1))
#define Q_WRP(log2, p)			((p) & (1U << (log2)))
#define Q_MAX_LOG2SIZE			19	/* IDR1.CMDQS/EVTQS/PRIQS maximum */
#define CMDQ_CONS_ERR			GENMASK_ULL(30, 24)

/* Event record, IHI 0070 7.3 */
#define EVTQ_0_ID			GENMASK_ULL(7, 0)
#define EVTQ_0_SSV			BIT_ULL(11)
#define EVTQ_0_SSID			GENMASK_ULL(31, 12)
#define EVTQ_0_SID			GENMASK_ULL(63, 32)
#define EVTQ_1_STAG			GENMASK_ULL(15, 0)
#define EVTQ_1_STALL			BIT_ULL(31)
#define EVTQ_1_PnU			BIT_ULL(33)
#define EVTQ_1_InD			BIT_ULL(34)
#define EVTQ_1_RnW			BIT_ULL(35)
#define EVTQ_1_S2			BIT_ULL(39)
#define EVTQ_1_CLASS			GENMASK_ULL(41, 40)
#define EVTQ_2_ADDR			GENMASK_ULL(63, 0)
#define EVTQ_3_IPA			GENMASK_ULL(51, 12)
#define EVTQ_3_FETCH_ADDR		GENMASK_ULL(51, 3)

/* Event IDs, IHI 0070 7.3 table of event records */
#define EVT_ID_UUT			0x01
#define EVT_ID_BAD_STREAMID		0x02
#define EVT_ID_STE_FETCH		0x03
#define EVT_ID_BAD_STE			0x04
#define EVT_ID_BAD_ATS_TREQ		0x05
#define EVT_ID_STREAM_DISABLED		0x06
#define EVT_ID_TRANSL_FORBIDDEN		0x07
#define EVT_ID_BAD_SUBSTREAMID		0x08
#define EVT_ID_CD_FETCH			0x09
#define EVT_ID_BAD_CD			0x0a
#define EVT_ID_WALK_EABT		0x0b
#define EVT_ID_TRANSLATION		0x10
#define EVT_ID_ADDR_SIZE		0x11
#define EVT_ID_ACCESS			0x12
#define EVT_ID_PERMISSION		0x13
#define EVT_ID_TLB_CONFLICT		0x20
#define EVT_ID_CFG_CONFLICT		0x21
#define EVT_ID_PAGE_REQUEST		0x24
#define EVT_ID_VMS_FETCH		0x25

/* Commands, IHI 0070 4.1-4.7 */
#define CMDQ_0_OP			GENMASK_ULL(7, 0)
#define CMDQ_0_SSV			BIT_ULL(11)
#define CMDQ_0_SSID			GENMASK_ULL(31, 12)
#define CMDQ_0_SID			GENMASK_ULL(63, 32)
#define CMDQ_0_VMID			GENMASK_ULL(47, 32)
#define CMDQ_0_ASID			GENMASK_ULL(63, 48)
#define CMDQ_0_NUM			GENMASK_ULL(16, 12)
#define CMDQ_0_SCALE			GENMASK_ULL(24, 20)
#define CMDQ_1_LEAF			BIT_ULL(0)
#define CMDQ_1_RANGE			GENMASK_ULL(4, 0)
#define CMDQ_1_TTL			GENMASK_ULL(9, 8)
#define CMDQ_1_TG			GENMASK_ULL(11, 10)
#define CMDQ_1_ADDR			GENMASK_ULL(63, 12)
#define CMDQ_ATC_1_SIZE			GENMASK_ULL(5, 0)
#define CMDQ_ATC_0_GLOBAL		BIT_ULL(9)
#define CMDQ_SYNC_0_CS			GENMASK_ULL(13, 12)
#define CMDQ_SYNC_0_MSIDATA		GENMASK_ULL(63, 32)
#define CMDQ_SYNC_1_MSIADDR		GENMASK_ULL(51, 2)
#define CMDQ_PRI_1_RESP			GENMASK_ULL(13, 12)
#define CMDQ_PRI_1_GRPID		GENMASK_ULL(8, 0)
#define CMDQ_RESUME_0_ACTION		GENMASK_ULL(13, 12)
#define CMDQ_RESUME_1_STAG		GENMASK_ULL(15, 0)

#define CMDQ_OP_PREFETCH_CFG		0x01
#define CMDQ_OP_PREFETCH_ADDR		0x02
#define CMDQ_OP_CFGI_STE		0x03
#define CMDQ_OP_CFGI_STE_RANGE		0x04	/* CFGI_ALL is RANGE 31 */
#define CMDQ_OP_CFGI_CD			0x05
#define CMDQ_OP_CFGI_CD_ALL		0x06
#define CMDQ_OP_CFGI_VMS_PIDM		0x07
#define CMDQ_OP_TLBI_NH_ALL		0x10
#define CMDQ_OP_TLBI_NH_ASID		0x11
#define CMDQ_OP_TLBI_NH_VA		0x12
#define CMDQ_OP_TLBI_NH_VAA		0x13
#define CMDQ_OP_TLBI_EL3_ALL		0x18
#define CMDQ_OP_TLBI_EL3_VA		0x1a
#define CMDQ_OP_TLBI_EL2_ALL		0x20
#define CMDQ_OP_TLBI_EL2_ASID		0x21
#define CMDQ_OP_TLBI_EL2_VA		0x22
#define CMDQ_OP_TLBI_EL2_VAA		0x23
#define CMDQ_OP_TLBI_S12_VMALL		0x28
#define CMDQ_OP_TLBI_S2_IPA		0x2a
#define CMDQ_OP_TLBI_NSNH_ALL		0x30
#define CMDQ_OP_ATC_INV			0x40
#define CMDQ_OP_PRI_RESP		0x41
#define CMDQ_OP_RESUME			0x44
#define CMDQ_OP_STALL_TERM		0x45
#define CMDQ_OP_CMD_SYNC		0x46

/* GERROR / GERRORN, IHI 0070 6.3.15-16: an error is active while the bits
 * differ.  Bit 1 is reserved (RES0), as are bits 31:9: the error bits are
 * 8 and 7:2 and 0 (Linux: GERROR_ERR_MASK 0x1fd, arm-smmu-v3.h). */
#define GERROR_SFM_ERR			BIT_ULL(8)
#define GERROR_MSI_GERROR_ABT		BIT_ULL(7)
#define GERROR_MSI_PRIQ_ABT		BIT_ULL(6)
#define GERROR_MSI_EVTQ_ABT		BIT_ULL(5)
#define GERROR_MSI_CMDQ_ABT		BIT_ULL(4)
#define GERROR_PRIQ_ABT			BIT_ULL(3)
#define GERROR_EVTQ_ABT			BIT_ULL(2)
#define GERROR_CMDQ_ERR			BIT_ULL(0)
#define GERROR_ERR_MASK			(GERROR_SFM_ERR | GERROR_MSI_GERROR_ABT | \
					 GERROR_MSI_PRIQ_ABT | GERROR_MSI_EVTQ_ABT | \
					 GERROR_MSI_CMDQ_ABT | GERROR_PRIQ_ABT | \
					 GERROR_EVTQ_ABT | GERROR_CMDQ_ERR)

#endif
