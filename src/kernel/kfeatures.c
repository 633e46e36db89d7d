// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What no debug information carries, tabled per kernel version: the
 * IOMMU_DOMAIN_* values and the ARM_SMMU_FEAT_* / ARM_SMMU_OPT_* bits of
 * struct arm_smmu_device's features and options (macros of arm-smmu-v3.h).
 */
#include <stdio.h>

#include "kernel-priv.h"

/* IOMMU_DOMAIN_* (include/linux/iommu.h): built from __IOMMU_DOMAIN_PAGING
 * (bit 0), _DMA_API (1), _PT (2), _DMA_FQ (3, 5.15), _SVA (4, 6.2),
 * _PLATFORM (5, 6.6), _NESTED (6, 6.7); the bits never moved. */
#define DOM_PAGING	(1u << 0)
#define DOM_DMA_API	(1u << 1)
#define DOM_PT		(1u << 2)
#define DOM_DMA_FQ	(1u << 3)
#define DOM_SVA		(1u << 4)
#define DOM_PLATFORM	(1u << 5)
#define DOM_NESTED	(1u << 6)

enum sd_domain_type domain_type_of(uint64_t t)
{
	switch (t) {
	case 0: return SD_DOMAIN_BLOCKED;			/* IOMMU_DOMAIN_BLOCKED */
	case DOM_PAGING: return SD_DOMAIN_UNMANAGED;
	case DOM_PAGING | DOM_DMA_API: return SD_DOMAIN_DMA;
	case DOM_PT: return SD_DOMAIN_IDENTITY;
	case DOM_PAGING | DOM_DMA_API | DOM_DMA_FQ: return SD_DOMAIN_DMA_FQ;
	case DOM_SVA: return SD_DOMAIN_SVA;
	case DOM_PLATFORM: return SD_DOMAIN_PLATFORM;
	case DOM_NESTED: return SD_DOMAIN_NESTED;
	}
	return SD_DOMAIN_UNKNOWN;
}

const char *sd_domain_type_name(enum sd_domain_type t)
{
	static const char *const names[] = {
		[SD_DOMAIN_NONE] = NULL,
		[SD_DOMAIN_BLOCKED] = "blocked",
		[SD_DOMAIN_UNMANAGED] = "unmanaged",
		[SD_DOMAIN_DMA] = "dma",
		[SD_DOMAIN_IDENTITY] = "identity",
		[SD_DOMAIN_DMA_FQ] = "dma-fq",
		[SD_DOMAIN_SVA] = "sva",
		[SD_DOMAIN_PLATFORM] = "platform",
		[SD_DOMAIN_NESTED] = "nested",
		[SD_DOMAIN_UNKNOWN] = "unknown",
	};

	return (size_t)t < sizeof(names) / sizeof(names[0]) ? names[t] : "unknown";
}

/*
 * ARM_SMMU_FEAT_* and ARM_SMMU_OPT_* (arm-smmu-v3.h): macros, in no debug
 * information.  In mainline a bit number, once given, has never been given
 * another meaning (posted-but-unmerged series used other numbers, e.g. the
 * HTTU postings put HA/HD at 18/19 or 19/20, and vendor trees may too), so a bit's name
 * holds from the first release that defines it; older kernels get "bitN".
 * @since is that release (or the oldest stable/vendor tree seen carrying a
 * backport, as noted), @src the introducing commit where established.
 *
 * Upstream commits (torvalds/linux; release = first mainline tag, from the
 * merge-window pull request that carried it, or inferred where marked):
 *   RANGE_INV (15)      6a481a95d4c1 "Add SMMUv3.2 range invalidation
 *                       support", Arm SMMU updates for 5.7 -> v5.7
 *   BTM (16), SVA (17)  "iommu/arm-smmu-v3: Check for SVA features"
 *                       (J-P. Brucker, [PATCH v10 10/13], Message-Id
 *                       20200918101852.582559-11-jean-philippe@linaro.org,
 *                       whose diff adds both bits): commit not established;
 *                       Will queued patches 4-11 for v5.10 and the subject
 *                       is in the "IOMMU Updates for Linux v5.10" pull ->
 *                       v5.10 (Y510 has both)
 *   E2H (18)            9111aebf770d "Add support for VHE", Arm SMMU updates
 *                       for 5.12 -> v5.12 (Y510 lacks it)
 *   NESTING (19)        1d9777b9f3d5 "Add explicit feature for nesting"
 *                       (R. Murphy, May 2023) -> v6.5 (inferred); backport
 *                       posted for 6.1.y (Aug 2023), hence @since 6.1
 *   ATTR_TYPES_OVR (20) ec9098d6bffe "Fix access for STE.SHCFG" (M. Saleh,
 *                       Mar 2024, iommu fixes) -> v6.9 (inferred)
 *   HA (21), HD (22)    2f8d6178b4fe "Add feature detection for HTTU",
 *                       IOMMU updates for v6.11 -> v6.11
 *   S2FWB (23)          67e4fe398513 "Use S2FWB for NESTED domains"
 *                       (J. Gunthorpe, Oct 2024) -> v6.13 (inferred)
 *   0..12               48ec83bcbcf5 "iommu/arm-smmu: Add initial driver
 *                       support for ARM SMMUv3 devices" (id from Fixes: tags,
 *                       e.g. the stable backport of upstream 655c447c97d7,
 *                       SFM added to GERROR_ERR_MASK); v4.2 as given, not
 *                       re-established here; its own #defines were not
 *                       read, but O44 (4.4.y) has exactly bits 0..12
 *   STALL_FORCE (13), VAX (14): commit not established; absent from O44,
 *                       present in Y418, hence @since 4.18 (oldest tree
 *                       seen; they may be older)
 *   opt SKIP_PREFETCH (0)    commit not established; in O44, hence @since
 *                       4.4 (4.2/4.3 not checked)
 *   opt PAGE0_REGS_ONLY (1)  ("Cavium ThunderX2 erratum #74") commit not
 *                       established; absent from O44, in Y418 -> @since 4.18
 *   opt MSIPOLL (2)     bd07a20a38b6 "permit users to disable msi polling"
 *                       (B. Song, v5 3/3 adds the bit; Will's "Applied"
 *                       mail) -> v5.10 ("IOMMU Updates for Linux v5.10")
 *   opt CMDQ_FORCE_SYNC (3)  309a15cb16bb "Document MMU-700 erratum
 *                       2812531" (R. Murphy, May 2023) -> v6.5 (inferred);
 *                       backports: 6.1.y posted (Aug 2023), and M515 (5.15)
 *                       carries it; the vendor 5.10 tree Y510 has bit 3 as
 *                       FORCE_QDRAIN instead
 *   opt TEGRA241_CMDQV (4)   b935a5b1c670 "Add ARM_SMMU_OPT_TEGRA241_CMDQV"
 *                       (N. Chen, v14 05/10; Will's "Applied" mail, with
 *                       918eb5c856f6 for the CMDQV driver) -> v6.12 ("IOMMU
 *                       Updates for Linux v6.12"; an earlier posting named
 *                       bit 4 SECONDARY_CMDQ_CS_NONE_ONLY)
 * Trees read for the bit lists:
 *   O44   daiyuanxinshi/linux-owersun-4.4.y drivers/iommu/arm-smmu-v3.c @2d4067d8a638
 *   Y418  WindRiver-Labs/linux-yocto-4.18 drivers/iommu/arm-smmu-v3.c @2087a71d9dc5
 *         (vendor tree: its opt bit 2 is FORCE_QDRAIN, left unnamed)
 *   Y52   WindRiver-Labs/linux-yocto-5.2 drivers/iommu/arm-smmu-v3.c @02668e1ec5a9
 *   Y510  WindRiver-Labs/linux-yocto-5.10 arm-smmu-v3.h @67b814a88191 (vendor tree)
 *   H513  torvalds/linux arm-smmu-v3.h @cdf315f907d4 (5.13)
 *   M515  microsoft/CBL-Mariner-Linux-Kernel 5.15 arm-smmu-v3.h @148e5d42fcbe
 *   H612  torvalds/linux arm-smmu-v3.h @0401bbf56da5 (6.12)
 *   GK    gregkh/linux arm-smmu-v3.h @d2cb798d2d8c (~6.15)
 * The kdump series' OPT_KDUMP_ADOPT (bit 5) is not merged: not named.
 */
struct bitname {
	unsigned bit;
	const char *name;
	unsigned since, until;	/* [since, until); until 0: still */
	const char *src;	/* introducing commit, or the tree it was seen in */
};

static const struct bitname feat_bits[] = {
	{ 0, "2_LVL_STRTAB", 0, 0, "48ec83bcbcf5" },
	{ 1, "2_LVL_CDTAB", 0, 0, "48ec83bcbcf5" },
	{ 2, "TT_LE", 0, 0, "48ec83bcbcf5" },
	{ 3, "TT_BE", 0, 0, "48ec83bcbcf5" },
	{ 4, "PRI", 0, 0, "48ec83bcbcf5" },
	{ 5, "ATS", 0, 0, "48ec83bcbcf5" },
	{ 6, "SEV", 0, 0, "48ec83bcbcf5" },
	{ 7, "MSI", 0, 0, "48ec83bcbcf5" },
	{ 8, "COHERENCY", 0, 0, "48ec83bcbcf5" },
	{ 9, "TRANS_S1", 0, 0, "48ec83bcbcf5" },
	{ 10, "TRANS_S2", 0, 0, "48ec83bcbcf5" },
	{ 11, "STALLS", 0, 0, "48ec83bcbcf5" },
	{ 12, "HYP", 0, 0, "48ec83bcbcf5" },
	{ 13, "STALL_FORCE", KV(4, 18), 0, "Y418 (commit not established)" },
	{ 14, "VAX", KV(4, 18), 0, "Y418 (commit not established)" },
	{ 15, "RANGE_INV", KV(5, 7), 0, "6a481a95d4c1" },
	{ 16, "BTM", KV(5, 10), 0, "Y510 (commit not established)" },
	{ 17, "SVA", KV(5, 10), 0, "Y510 (commit not established)" },
	{ 18, "E2H", KV(5, 12), 0, "9111aebf770d" },
	{ 19, "NESTING", KV(6, 1), 0, "1d9777b9f3d5" },
	{ 20, "ATTR_TYPES_OVR", KV(6, 9), 0, "ec9098d6bffe" },
	{ 21, "HA", KV(6, 11), 0, "2f8d6178b4fe" },
	{ 22, "HD", KV(6, 11), 0, "2f8d6178b4fe" },
	{ 23, "S2FWB", KV(6, 13), 0, "67e4fe398513" },
};

static const struct bitname opt_bits[] = {
	{ 0, "SKIP_PREFETCH", KV(4, 4), 0, "O44 (commit not established)" },
	{ 1, "PAGE0_REGS_ONLY", KV(4, 18), 0, "Y418 (commit not established)" },
	{ 2, "MSIPOLL", KV(5, 10), 0, "bd07a20a38b6" },
	{ 3, "FORCE_QDRAIN", KV(5, 10), KV(5, 15), "Y510 (vendor name)" },
	{ 3, "CMDQ_FORCE_SYNC", KV(5, 15), 0, "309a15cb16bb; M515 backport" },
	{ 4, "TEGRA241_CMDQV", KV(6, 12), 0, "b935a5b1c670" },
};

/* "5.10.0-9-arm64" -> KV(5, 10); unknown: the newest table applies. */
unsigned kernel_version(struct sd_dump *dump)
{
	const char *rel = sd_dump_vmcoreinfo(dump, "OSRELEASE");
	unsigned a, b;

	if (rel && sscanf(rel, "%u.%u", &a, &b) == 2 && a < 256 && b < 256)
		return KV(a, b);
	return ~0u;
}

static unsigned name_bits(uint64_t v, const struct bitname *t, size_t nt, unsigned kv,
			  char names[32][20])
{
	unsigned n = 0;

	for (unsigned bit = 0; bit < 32; bit++) {
		const char *nm = NULL;

		if (!(v & (1ull << bit)))
			continue;
		for (size_t i = 0; i < nt; i++)
			if (t[i].bit == bit && kv >= t[i].since && (!t[i].until || kv < t[i].until))
				nm = t[i].name;
		if (nm)
			snprintf(names[n++], 20, "%s", nm);
		else
			snprintf(names[n++], 20, "bit%u", bit);
	}
	return n;
}

void name_features(const struct kctx *kc, struct sd_ksmmu *s)
{
	s->nfeature_names = name_bits(s->features, feat_bits,
				      sizeof(feat_bits) / sizeof(feat_bits[0]), kc->kver,
				      s->feature_names);
	s->noption_names = name_bits(s->options, opt_bits,
				     sizeof(opt_bits) / sizeof(opt_bits[0]), kc->kver,
				     s->option_names);
}
