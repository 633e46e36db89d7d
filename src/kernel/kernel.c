// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The crashed kernel's SMMUv3 instances, their stream-table registers and
 * the devices behind each StreamID (include/sd/kernel.h).
 *
 * Sources, chosen automatically:
 *   symbols  DWARF vmlinux (.symtab + KERNELOFFSET), else kallsyms decoded
 *            from VMCOREINFO;
 *   types    DWARF vmlinux (libdw), else the vmlinux BTF in the dump.
 * Every struct offset comes from the type source; only the meaning of
 * macros (STRTAB_BASE_CFG fields, features bit 0, IOMMU_DOMAIN_* values)
 * is written here.
 *
 * Reaching the SMMUs:
 *   1. iommu_device_list (static in drivers/iommu/iommu.c), linked through
 *      struct iommu_device.list; container_of(iommu, struct
 *      arm_smmu_device, iommu); kept when smmu->dev->driver->name is
 *      "arm-smmu-v3".
 *   2. Without that symbol (kallsyms without CONFIG_KALLSYMS_ALL, no
 *      DWARF): scan RAM for struct arm_smmu_device by the signature of its
 *      stream-table configuration (see scan_for_smmus()), each candidate
 *      checked against the type layout: dev_get_drvdata(smmu->dev) ==
 *      smmu, driver "arm-smmu-v3", sane sid_bits, L1 descriptors of the
 *      stream table with SPAN 9 pointing at valid STEs.
 *
 * Register values (arm-smmu-v3.h / arm_smmu_write_strtab()):
 *   up to 6.11  strtab_cfg.strtab_base / strtab_base_cfg are the values
 *               written to the hardware;
 *   6.12 on     recomputed: 2-level CFG = FMT(1) | LOG2SIZE(ilog2(
 *               num_l1_ents) + 8) | SPLIT(8), dma = l2.l1_dma; linear
 *               CFG = LOG2SIZE(sid_bits), dma = linear.ste_dma;
 *               BASE = (dma & GENMASK(51, 6)) | RA (bit 62).
 *               features bit 0 (ARM_SMMU_FEAT_2_LVL_STRTAB) picks the arm.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kallsyms.h"
#include "kernel.h"
#include "kmem.h"
#include "ktypes.h"

#define MAX_SMMUS	64
#define MAX_STREAMS	(1u << 20)
#define MAX_RB_DEPTH	128
#define GENMASK_51_6	0x000fffffffffffc0ull
#define STRTAB_BASE_RA	(1ull << 62)
#define FEAT_2_LVL_STRTAB 1u

#define SMMU_T "struct arm_smmu_device:strtab_cfg,sid_bits"
#define STREAM_T "struct arm_smmu_stream:id,master"
#define MASTER_T "struct arm_smmu_master:smmu,dev"

struct kctx {
	struct sd_dump *dump;
	struct sd_kmem km;
	struct sd_kallsyms *ks;
	struct sd_ktypes kt;
	bool have_kt;
	bool dwarf;
	unsigned kver;		/* KV(major, minor) from OSRELEASE, ~0u unknown */
	struct sd_kernel_result *res;
};

static void note(struct sd_kernel_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(struct sd_kernel_result *r, const char *fmt, ...)
{
	size_t n = strlen(r->notes);
	va_list ap;

	if (n + 3 >= sizeof(r->notes))
		return;
	if (n)
		r->notes[n++] = ';', r->notes[n++] = ' ', r->notes[n] = 0;
	va_start(ap, fmt);
	vsnprintf(r->notes + n, sizeof(r->notes) - n, fmt, ap);
	va_end(ap);
}

/* --- symbols ------------------------------------------------------------ */

static bool ksym(struct kctx *kc, const char *name, uint64_t *addr)
{
	if (kc->dwarf && sd_kt_symbol(&kc->kt, name, addr, NULL) == SD_OK)
		return true;
	return kc->ks && sd_kallsyms_lookup(kc->ks, name, addr, NULL);
}

/* --- typed reads -------------------------------------------------------- */

/* Read member @path of @type at @base as an unsigned integer (1..8 bytes,
 * bitfields extracted). */
static enum sd_status rd_member(struct kctx *kc, uint64_t base, const char *type,
				const char *path, uint64_t *v, struct sd_error *err)
{
	struct sd_kmember m;
	enum sd_status st = sd_kt_member(&kc->kt, type, path, &m, err);
	uint8_t buf[16] = { 0 };
	uint64_t byte, nbytes, raw = 0;
	unsigned shift;

	if (st)
		return st;
	if (m.bit_size) {
		byte = m.bit_offset / 8;
		shift = (unsigned)(m.bit_offset % 8);
		nbytes = (shift + m.bit_size + 7) / 8;
	} else {
		if (m.bit_offset % 8 || !m.size || m.size > 8)
			return sd_error_set(err, SD_ERR_UNSUPPORTED,
					    "%s.%s (%" PRIu64 " bytes) is not a scalar", type, path, m.size);
		byte = m.bit_offset / 8;
		shift = 0;
		nbytes = m.size;
	}
	st = sd_kmem_read(&kc->km, base + byte, buf, (size_t)nbytes, err);
	if (st)
		return sd_error_prefix(err, "reading %s.%s of %s at 0x%" PRIx64, type, path,
				       type, base);
	for (unsigned i = 0; i < nbytes && i < 8; i++)
		raw |= (uint64_t)buf[i] << (8 * i);
	if (m.bit_size) {
		raw >>= shift;
		if (m.bit_size < 64)
			raw &= (1ull << m.bit_size) - 1;
	}
	*v = raw;
	return SD_OK;
}

static enum sd_status rd_ptr(struct kctx *kc, uint64_t base, const char *type,
			     const char *path, uint64_t *v, struct sd_error *err)
{
	enum sd_status st = rd_member(kc, base, type, path, v, err);

	if (st == SD_OK && *v && !sd_kmem_is_kva(&kc->km, *v))
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s.%s of %s at 0x%" PRIx64 " is 0x%" PRIx64 ", not a kernel address",
				    type, path, type, base, *v);
	return st;
}

static enum sd_status moff(struct kctx *kc, const char *type, const char *path,
			   uint64_t *off, struct sd_error *err)
{
	return sd_kt_offset(&kc->kt, type, path, off, err);
}

static void read_cstr(struct kctx *kc, uint64_t va, char *buf, size_t size)
{
	buf[0] = 0;
	if (!va || !sd_kmem_is_kva(&kc->km, va) ||
	    sd_kmem_string(&kc->km, va, buf, size, NULL) != SD_OK) {
		buf[0] = 0;
		return;
	}
	for (char *p = buf; *p; p++)
		if (!isprint((unsigned char)*p))
			*p = '?';
}

/* dev_name(): init_name, else kobj.name. */
static void dev_name(struct kctx *kc, uint64_t dev, char *buf, size_t size)
{
	uint64_t p = 0;

	buf[0] = 0;
	if (rd_ptr(kc, dev, "struct device", "init_name", &p, NULL) == SD_OK && p)
		read_cstr(kc, p, buf, size);
	if (!buf[0] && rd_ptr(kc, dev, "struct device", "kobj.name", &p, NULL) == SD_OK && p)
		read_cstr(kc, p, buf, size);
}

static void dev_driver(struct kctx *kc, uint64_t dev, char *buf, size_t size)
{
	uint64_t drv = 0, p = 0;

	buf[0] = 0;
	if (rd_ptr(kc, dev, "struct device", "driver", &drv, NULL) == SD_OK && drv &&
	    rd_ptr(kc, drv, "struct device_driver", "name", &p, NULL) == SD_OK && p)
		read_cstr(kc, p, buf, size);
}

/* --- per-version tables ------------------------------------------------- */

/* IOMMU_DOMAIN_* (include/linux/iommu.h): built from __IOMMU_DOMAIN_PAGING
 * (bit 0), _DMA_API (1), _PT (2), _DMA_FQ (3, 5.15), _SVA (4, 6.2),
 * _PLATFORM (5, 6.6), _NESTED (6, 6.7); the bits never moved. */
static enum sd_domain_type domain_type_of(uint64_t t)
{
	switch (t) {
	case 0: return SD_DOMAIN_BLOCKED;
	case 1: return SD_DOMAIN_UNMANAGED;
	case 3: return SD_DOMAIN_DMA;
	case 4: return SD_DOMAIN_IDENTITY;
	case 11: return SD_DOMAIN_DMA_FQ;
	case 16: return SD_DOMAIN_SVA;
	case 32: return SD_DOMAIN_PLATFORM;
	case 64: return SD_DOMAIN_NESTED;
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

	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "unknown";
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
#define KV(a, b) ((a) << 8 | (b))
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
static unsigned kernel_version(struct sd_dump *dump)
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

static unsigned ilog2_u64(uint64_t v)
{
	unsigned r = 0;

	while (v >>= 1)
		r++;
	return r;
}

/* --- one SMMU ----------------------------------------------------------- */

static void read_queue(struct kctx *kc, uint64_t smmu, const char *q, struct sd_kqueue *out)
{
	char p[64];
	uint64_t v;

	memset(out, 0, sizeof(*out));
#define QF(field, dst) \
	(snprintf(p, sizeof(p), "%s.q.%s", q, field), \
	 rd_member(kc, smmu, SMMU_T, p, &v, NULL) == SD_OK ? ((dst) = v, true) : false)
	if (!QF("q_base", out->q_base))
		return;
	QF("base_dma", out->base_dma);
	QF("llq.prod", out->prod);
	QF("llq.cons", out->cons);
	QF("llq.max_n_shift", out->max_n_shift);
	QF("ent_dwords", out->ent_dwords);
#undef QF
	out->valid = out->q_base != 0 || out->base_dma != 0;
}

static int cmp_kdev(const void *a, const void *b)
{
	const struct sd_kdev *x = a, *y = b;

	return x->sid < y->sid ? -1 : x->sid > y->sid;
}

static void read_master(struct kctx *kc, uint64_t master, struct sd_kdev *d, uint64_t pci_bus)
{
	uint64_t dev = 0, v, grp = 0, dom = 0, bus = 0, off;

	d->iommu_group = -1;
	d->bus_master = -1;
	d->ats_enabled = -1;
	d->domain_type = SD_DOMAIN_NONE;
	if (rd_member(kc, master, MASTER_T, "ats_enabled", &v, NULL) == SD_OK)
		d->ats_enabled = v != 0;
	if (rd_ptr(kc, master, MASTER_T, "dev", &dev, NULL) || !dev)
		return;
	dev_name(kc, dev, d->name, sizeof(d->name));
	dev_driver(kc, dev, d->driver, sizeof(d->driver));
	/* iommu_group is private to iommu.c: in DWARF and BTF, but degrade. */
	if (rd_ptr(kc, dev, "struct device", "iommu_group", &grp, NULL) == SD_OK && grp) {
		if (rd_member(kc, grp, "struct iommu_group", "id", &v, NULL) == SD_OK)
			d->iommu_group = (int)(uint32_t)v;
		if (rd_ptr(kc, grp, "struct iommu_group", "domain", &dom, NULL) == SD_OK && dom &&
		    rd_member(kc, dom, "struct iommu_domain", "type", &v, NULL) == SD_OK)
			d->domain_type = domain_type_of(v);
	}
	/* PCI: dev->bus == &pci_bus_type, or a bus named "pci". */
	if (rd_ptr(kc, dev, "struct device", "bus", &bus, NULL) == SD_OK && bus) {
		bool is_pci = pci_bus && bus == pci_bus;
		char bn[16];

		if (!is_pci && !pci_bus) {
			uint64_t np = 0;

			if (rd_ptr(kc, bus, "struct bus_type", "name", &np, NULL) == SD_OK) {
				read_cstr(kc, np, bn, sizeof(bn));
				is_pci = !strcmp(bn, "pci");
			}
		}
		if (is_pci && moff(kc, "struct pci_dev", "dev", &off, NULL) == SD_OK) {
			uint64_t pdev = dev - off;

			if (rd_member(kc, pdev, "struct pci_dev", "is_busmaster", &v, NULL) == SD_OK)
				d->bus_master = v != 0;
		}
	}
}

static enum sd_status read_master_sids(struct kctx *kc, uint64_t smmu, struct sd_ksmmu *s,
				       struct sd_error *err);

/* In-order walk of smmu->streams (rb-tree keyed by StreamID). */
static enum sd_status read_streams(struct kctx *kc, uint64_t smmu, struct sd_ksmmu *s,
				   struct sd_error *err)
{
	uint64_t node = 0, node_off, stack[MAX_RB_DEPTH], pci_bus = 0;
	size_t sp = 0, n = 0, cap = 0;
	struct sd_kdev *devs = NULL;
	enum sd_status st;

	if (!sd_kt_has(&kc->kt, SMMU_T, "streams"))
		return read_master_sids(kc, smmu, s, err);
	if ((st = moff(kc, STREAM_T, "node", &node_off, err)))
		return st;
	if ((st = rd_ptr(kc, smmu, SMMU_T, "streams.rb_node", &node, err)))
		return st;
	ksym(kc, "pci_bus_type", &pci_bus);
	while (node || sp) {
		uint64_t sid, master = 0, left;

		while (node) {
			if (sp == MAX_RB_DEPTH) {
				free(devs);
				return sd_error_set(err, SD_ERR_CORRUPT,
						    "smmu->streams of arm_smmu_device 0x%" PRIx64
						    " is deeper than %d (loop?)", smmu, MAX_RB_DEPTH);
			}
			stack[sp++] = node;
			if ((st = rd_ptr(kc, node, "struct rb_node", "rb_left", &left, err))) {
				free(devs);
				return st;
			}
			node = left;
		}
		node = stack[--sp];
		if (n >= MAX_STREAMS) {
			free(devs);
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "smmu->streams of arm_smmu_device 0x%" PRIx64
					    " has more than %u nodes (loop?)", smmu, MAX_STREAMS);
		}
		if ((st = rd_member(kc, node - node_off, STREAM_T, "id", &sid, err)) ||
		    (st = rd_ptr(kc, node - node_off, STREAM_T, "master", &master, err))) {
			free(devs);
			return st;
		}
		if (n && sid <= devs[n - 1].sid) {
			uint32_t prev = devs[n - 1].sid;

			free(devs);
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "smmu->streams of arm_smmu_device 0x%" PRIx64
					    " is not sorted at arm_smmu_stream 0x%" PRIx64 " (sid 0x%" PRIx64
					    " after 0x%x): corrupt or looping", smmu, node - node_off, sid,
					    prev);
		}
		if (n == cap) {
			struct sd_kdev *nd;

			cap = cap ? cap * 2 : 32;
			nd = realloc(devs, cap * sizeof(*devs));
			if (!nd) {
				free(devs);
				return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
			}
			devs = nd;
		}
		memset(&devs[n], 0, sizeof(devs[n]));
		devs[n].sid = (uint32_t)sid;
		if (master)
			read_master(kc, master, &devs[n], pci_bus);
		else {
			devs[n].iommu_group = -1;
			devs[n].bus_master = -1;
			devs[n].ats_enabled = -1;
		}
		n++;
		if ((st = rd_ptr(kc, node, "struct rb_node", "rb_right", &node, err))) {
			free(devs);
			return st;
		}
	}
	qsort(devs, n, sizeof(*devs), cmp_kdev);
	s->devs = devs;
	s->ndevs = n;
	return SD_OK;
}

static enum sd_status add_kdev(struct sd_kdev **devs, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		struct sd_kdev *nd;

		*cap = *cap ? *cap * 2 : 32;
		nd = realloc(*devs, *cap * sizeof(**devs));
		if (!nd)
			return SD_ERR_NOMEM;
		*devs = nd;
	}
	memset(&(*devs)[*n], 0, sizeof(**devs));
	(*n)++;
	return SD_OK;
}

/*
 * Before 5.13 (cdf315f907d4) there is no per-SMMU StreamID index: every
 * device on devices_kset (drivers/base/core.c; kset->list linked through
 * kobject.entry) whose IOMMU private data is an arm_smmu_master of this
 * SMMU contributes master->sids[num_sids].  The private data is
 * dev->iommu->priv since about 5.8, dev->iommu_fwspec->iommu_priv before.
 */
#define MAX_DEVICES	(1u << 20)
#define MAX_MASTER_SIDS	4096
static enum sd_status read_master_sids(struct kctx *kc, uint64_t smmu, struct sd_ksmmu *s,
				       struct sd_error *err)
{
	uint64_t kset_p = 0, kset = 0, head, pos, entry_off, kobj_off, pci_bus = 0;
	struct sd_kdev *devs = NULL;
	size_t n = 0, cap = 0;
	unsigned count = 0;
	enum sd_status st;

	if (!sd_kt_has(&kc->kt, MASTER_T, "sids"))
		return sd_error_set(err, SD_ERR_UNSUPPORTED,
				    "struct arm_smmu_master has neither streams nor sids");
	if (!ksym(kc, "devices_kset", &kset_p))
		return sd_error_set(err, SD_ERR_NOTFOUND,
				    "kernel before 5.13 (master->sids) and devices_kset is not among the "
				    "symbols: masters cannot be enumerated");
	if ((st = sd_kmem_u64(&kc->km, kset_p, &kset, err)))
		return sd_error_prefix(err, "devices_kset");
	if (!kset || !sd_kmem_is_kva(&kc->km, kset))
		return sd_error_set(err, SD_ERR_CORRUPT, "devices_kset is 0x%" PRIx64, kset);
	if ((st = moff(kc, "struct kset", "list", &head, err)) ||
	    (st = moff(kc, "struct kobject", "entry", &entry_off, err)) ||
	    (st = moff(kc, "struct device", "kobj", &kobj_off, err)))
		return st;
	head += kset;
	ksym(kc, "pci_bus_type", &pci_bus);
	if ((st = rd_ptr(kc, head, "struct list_head", "next", &pos, err)))
		return sd_error_prefix(err, "devices_kset->list");
	while (pos != head) {
		uint64_t dev = pos - entry_off - kobj_off, priv = 0, p = 0, msmmu = 0, mdev = 0;
		uint64_t sids = 0, nsids = 0, next;

		if (!pos || ++count > MAX_DEVICES) {
			free(devs);
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "devices_kset->list: %s after %u entries",
					    pos ? "too long (loop?)" : "NULL next pointer", count);
		}
		if (rd_ptr(kc, dev, "struct device", "iommu", &p, NULL) == SD_OK) {
			if (p)
				rd_ptr(kc, p, "struct dev_iommu", "priv", &priv, NULL);
		} else if (rd_ptr(kc, dev, "struct device", "iommu_fwspec", &p, NULL) == SD_OK && p) {
			rd_ptr(kc, p, "struct iommu_fwspec", "iommu_priv", &priv, NULL);
		}
		if (priv &&
		    rd_ptr(kc, priv, MASTER_T, "smmu", &msmmu, NULL) == SD_OK && msmmu == smmu &&
		    rd_ptr(kc, priv, MASTER_T, "dev", &mdev, NULL) == SD_OK && mdev == dev &&
		    rd_ptr(kc, priv, MASTER_T, "sids", &sids, NULL) == SD_OK &&
		    rd_member(kc, priv, MASTER_T, "num_sids", &nsids, NULL) == SD_OK) {
			if (nsids > MAX_MASTER_SIDS) {
				note(kc->res, "%s: master 0x%" PRIx64 " claims %" PRIu64 " StreamIDs; ignored",
				     s->regs.name, priv, nsids);
				nsids = 0;
			}
			for (uint64_t i = 0; sids && i < nsids; i++) {
				uint32_t sid;

				if (sd_kmem_u32(&kc->km, sids + 4 * i, &sid, NULL) != SD_OK)
					break;
				if (add_kdev(&devs, &n, &cap)) {
					free(devs);
					return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
				}
				devs[n - 1].sid = sid;
				read_master(kc, priv, &devs[n - 1], pci_bus);
			}
		}
		if ((st = rd_ptr(kc, pos, "struct list_head", "next", &next, err))) {
			free(devs);
			return sd_error_prefix(err, "devices_kset->list entry %u", count);
		}
		pos = next;
	}
	qsort(devs, n, sizeof(*devs), cmp_kdev);
	/* A StreamID claimed by two masters (aliases): one is kept. */
	{
		size_t j = 0;

		for (size_t i = 0; i < n; i++)
			if (!j || devs[i].sid != devs[j - 1].sid)
				devs[j++] = devs[i];
		n = j;
	}
	s->devs = devs;
	s->ndevs = n;
	return SD_OK;
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
	} else if (s->features & FEAT_2_LVL_STRTAB) {
		if ((st = rd_member(kc, smmu, SMMU_T, "strtab_cfg.l2.l1_dma", &dma, err)) ||
		    (st = rd_member(kc, smmu, SMMU_T, "strtab_cfg.l2.num_l1_ents", &n, err)))
			return st;
		if (!n || n > (1u << 17) || (n & (n - 1)))
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "strtab_cfg.l2.num_l1_ents of arm_smmu_device 0x%" PRIx64
					    " is %" PRIu64, smmu, n);
		cfg = (1ull << 16) | (8ull << 6) | (ilog2_u64(n) + 8);
		base = (dma & GENMASK_51_6) | STRTAB_BASE_RA;
		snprintf(how, howlen, "registers recomputed from strtab_cfg.l2 (>= 6.12, %" PRIu64
			 " L1 entries)", n);
	} else {
		if ((st = rd_member(kc, smmu, SMMU_T, "strtab_cfg.linear.ste_dma", &dma, err)))
			return st;
		cfg = s->sid_bits & 0x3f;
		base = (dma & GENMASK_51_6) | STRTAB_BASE_RA;
		snprintf(how, howlen, "registers recomputed from strtab_cfg.linear (>= 6.12)");
	}
	s->regs.val[SD_REG_STRTAB_BASE] = base;
	s->regs.have[SD_REG_STRTAB_BASE] = true;
	s->regs.val[SD_REG_STRTAB_BASE_CFG] = cfg;
	s->regs.have[SD_REG_STRTAB_BASE_CFG] = true;
	return SD_OK;
}

static enum sd_status read_smmu(struct kctx *kc, uint64_t smmu, const char *found_how,
				struct sd_ksmmu *s, struct sd_error *err)
{
	uint64_t v, iommu_dev = 0, dev = 0;
	char name[96] = "", pname[64] = "", drv[32] = "", how[160];
	enum sd_status st;
	uint64_t mmio = 0;

	memset(s, 0, sizeof(*s));
	s->smmu_addr = smmu;
	s->source = kc->dwarf ? "dwarf" : "btf";
	if ((st = rd_ptr(kc, smmu, SMMU_T, "dev", &dev, err)))
		return st;
	if (!dev)
		return sd_error_set(err, SD_ERR_CORRUPT, "arm_smmu_device 0x%" PRIx64 " has no dev", smmu);
	dev_driver(kc, dev, drv, sizeof(drv));
	if (strcmp(drv, "arm-smmu-v3"))
		return sd_error_set(err, SD_ERR_NOTFOUND,
				    "device 0x%" PRIx64 " of iommu 0x%" PRIx64 " is bound to \"%s\", not arm-smmu-v3",
				    dev, smmu, drv);
	dev_name(kc, dev, pname, sizeof(pname));
	if (rd_ptr(kc, smmu, SMMU_T, "iommu.dev", &iommu_dev, NULL) == SD_OK && iommu_dev)
		dev_name(kc, iommu_dev, name, sizeof(name));
	snprintf(s->regs.name, sizeof(s->regs.name), "%s", name[0] ? name : pname[0] ? pname : "smmu");
	/* "smmu3.0x0000000009050000": the MMIO base (iommu_device_sysfs_add). */
	if (!strncmp(name, "smmu3.0x", 8) && sscanf(name + 6, "%" SCNx64, &mmio) == 1) {
		s->regs.val[SD_REG_BASE] = mmio;
		s->regs.have[SD_REG_BASE] = true;
	}
	if ((st = rd_member(kc, smmu, SMMU_T, "features", &v, err)))
		return st;
	s->features = v;
	if (rd_member(kc, smmu, SMMU_T, "options", &v, NULL) == SD_OK)
		s->options = v;
	s->nfeature_names = name_bits(s->features, feat_bits, sizeof(feat_bits) / sizeof(feat_bits[0]),
				      kc->kver, s->feature_names);
	s->noption_names = name_bits(s->options, opt_bits, sizeof(opt_bits) / sizeof(opt_bits[0]),
				     kc->kver, s->option_names);
	if ((st = rd_member(kc, smmu, SMMU_T, "sid_bits", &v, err)))
		return st;
	if (v > 32)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "sid_bits of arm_smmu_device 0x%" PRIx64 " is %" PRIu64, smmu, v);
	s->sid_bits = (unsigned)v;
	if (rd_member(kc, smmu, SMMU_T, "ssid_bits", &v, NULL) == SD_OK)
		s->ssid_bits = (unsigned)v;
	if ((st = read_strtab(kc, smmu, s, how, sizeof(how), err)))
		return st;
	read_queue(kc, smmu, "cmdq", &s->cmdq);
	read_queue(kc, smmu, "evtq", &s->evtq);
	read_queue(kc, smmu, "priq", &s->priq);
#define QREG(q, B, P, C) \
	if (s->q.valid) { \
		s->regs.val[B] = s->q.q_base; s->regs.have[B] = true; \
		s->regs.val[P] = s->q.prod; s->regs.have[P] = true; \
		s->regs.val[C] = s->q.cons; s->regs.have[C] = true; \
	}
	QREG(cmdq, SD_REG_CMDQ_BASE, SD_REG_CMDQ_PROD, SD_REG_CMDQ_CONS)
	QREG(evtq, SD_REG_EVTQ_BASE, SD_REG_EVTQ_PROD, SD_REG_EVTQ_CONS)
#undef QREG
	snprintf(s->how, sizeof(s->how), "%s %s via %s; %s", pname[0] ? pname : "?", found_how,
		 kc->kt.source, how);
	return SD_OK;
}

/* --- finding them ------------------------------------------------------- */

static enum sd_status add_smmu(struct kctx *kc, uint64_t smmu, const char *how,
			       struct sd_error *err)
{
	struct sd_kernel_result *r = kc->res;
	struct sd_ksmmu *ns, s;
	struct sd_error e = { 0 };
	enum sd_status st;

	for (size_t i = 0; i < r->nsmmus; i++)
		if (r->smmus[i].smmu_addr == smmu)
			return SD_OK;
	st = read_smmu(kc, smmu, how, &s, err);
	if (st)
		return st;
	if (read_streams(kc, smmu, &s, &e) != SD_OK)
		note(r, "%s: devices not named: %s", s.regs.name, e.msg);
	ns = realloc(r->smmus, (r->nsmmus + 1) * sizeof(*ns));
	if (!ns) {
		free(s.devs);
		return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
	}
	r->smmus = ns;
	r->smmus[r->nsmmus++] = s;
	return SD_OK;
}

static enum sd_status walk_iommu_list(struct kctx *kc, uint64_t head, struct sd_error *err)
{
	uint64_t list_off, iommu_off, pos;
	unsigned count = 0;
	enum sd_status st;

	if ((st = moff(kc, "struct iommu_device", "list", &list_off, err)) ||
	    (st = moff(kc, SMMU_T, "iommu", &iommu_off, err)))
		return st;
	if ((st = rd_ptr(kc, head, "struct list_head", "next", &pos, err)))
		return sd_error_prefix(err, "iommu_device_list");
	while (pos != head) {
		uint64_t iommu = pos - list_off, smmu = iommu - iommu_off, next;
		struct sd_error e = { 0 };
		char how[96];

		if (!pos)
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "iommu_device_list: NULL next pointer after %u entries", count);
		if (++count > MAX_SMMUS * 4)
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "iommu_device_list at 0x%" PRIx64 " has more than %d entries (loop?)",
					    head, MAX_SMMUS * 4);
		snprintf(how, sizeof(how), "on iommu_device_list (entry %u)", count);
		st = add_smmu(kc, smmu, how, &e);
		if (st == SD_ERR_NOMEM) {
			if (err)
				*err = e;
			return st;
		}
		if (st && st != SD_ERR_NOTFOUND)
			note(kc->res, "iommu_device 0x%" PRIx64 ": %s", iommu, e.msg);
		if ((st = rd_ptr(kc, pos, "struct list_head", "next", &next, err)))
			return sd_error_prefix(err, "iommu_device_list entry %u", count);
		pos = next;
	}
	return SD_OK;
}

/*
 * Without iommu_device_list: find struct arm_smmu_device in RAM.
 *
 * Signature (all offsets from the type source), checked at every 8-byte
 * position of RAM taken as the address of the struct:
 *   <= 6.11: strtab_cfg.strtab_base == (strtab_cfg.strtab_dma &
 *            GENMASK(51,6)) | RA, strtab_dma != 0;
 *   >= 6.12: strtab_cfg.l2.l1tab == linear-map VA of strtab_cfg.l2.l1_dma
 *            (2-level) or strtab_cfg.linear.table == VA of ste_dma
 *            (dma_alloc_coherent of a coherent SMMU returns linear-map
 *            memory), dma page aligned.
 * Then: sid_bits <= 32, dev a kernel VA, dev->driver->name "arm-smmu-v3",
 * dev_get_drvdata(dev) == this struct (the probe's platform_set_drvdata).
 */
struct scan_layout {
	bool old;
	uint64_t size;
	uint64_t a, b;		/* offsets compared (see above) */
	uint64_t a2, b2;	/* linear arm for >= 6.12 */
};

static bool scan_match(const struct kctx *kc, const struct scan_layout *L, const uint8_t *p)
{
	uint64_t x, y, va;

	memcpy(&x, p + L->a, 8);
	memcpy(&y, p + L->b, 8);
	if (L->old)
		return y && (y & 63) == 0 && (y >> 52) == 0 &&
		       x == ((y & GENMASK_51_6) | STRTAB_BASE_RA);
	if (x && (y & 0xfff) == 0 && y && sd_kmem_pa_to_lm(&kc->km, y, &va) && va == x)
		return true;
	memcpy(&x, p + L->a2, 8);
	memcpy(&y, p + L->b2, 8);
	return x && (y & 0xfff) == 0 && y && sd_kmem_pa_to_lm(&kc->km, y, &va) && va == x;
}

static enum sd_status scan_for_smmus(struct kctx *kc, struct sd_error *err)
{
	struct scan_layout L = { 0 };
	const size_t chunk = 1u << 20;
	uint64_t pa, last_data, drvdata_off, start = kc->km.phys_offset;
	uint8_t *buf;
	unsigned cands = 0, found = 0;
	enum sd_status st;

	if (!kc->km.have_phys_offset || !kc->km.va_bits)
		return sd_error_set(err, SD_ERR_NOTFOUND,
				    "cannot scan RAM: VMCOREINFO lacks PHYS_OFFSET or VA_BITS");
	if ((st = sd_kt_size(&kc->kt, SMMU_T, &L.size, err)) ||
	    (st = moff(kc, "struct device", "driver_data", &drvdata_off, err)))
		return st;
	if (sd_kt_has(&kc->kt, SMMU_T, "strtab_cfg.strtab_base")) {
		L.old = true;
		if ((st = moff(kc, SMMU_T, "strtab_cfg.strtab_base", &L.a, err)) ||
		    (st = moff(kc, SMMU_T, "strtab_cfg.strtab_dma", &L.b, err)))
			return st;
	} else {
		if ((st = moff(kc, SMMU_T, "strtab_cfg.l2.l1tab", &L.a, err)) ||
		    (st = moff(kc, SMMU_T, "strtab_cfg.l2.l1_dma", &L.b, err)) ||
		    (st = moff(kc, SMMU_T, "strtab_cfg.linear.table", &L.a2, err)) ||
		    (st = moff(kc, SMMU_T, "strtab_cfg.linear.ste_dma", &L.b2, err)))
			return st;
	}
	if (L.size > chunk / 2)
		return sd_error_set(err, SD_ERR_UNSUPPORTED, "struct arm_smmu_device is %" PRIu64
				    " bytes", L.size);
	buf = malloc(chunk + L.size);
	if (!buf)
		return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
	last_data = start;
	/* RAM from PHYS_OFFSET until 1 GiB past the last present chunk
	 * (holes are skipped), at most 1 TiB. */
	for (pa = start; pa < start + (1ull << 40) && pa < last_data + (1ull << 30); pa += chunk) {
		size_t len = chunk + (size_t)L.size;

		if (sd_timed_out) {
			/* --timeout: stop with what was found so far. */
			note(kc->res, "--timeout expired: RAM scan stopped at PA 0x%" PRIx64, pa);
			break;
		}

		if (sd_dump_read_phys(kc->dump, pa, buf, len, NULL) != SD_OK) {
			/* The overlap may run into a hole: try the chunk alone. */
			len = chunk;
			if (sd_dump_read_phys(kc->dump, pa, buf, len, NULL) != SD_OK)
				continue;
		}
		last_data = pa;
		for (size_t o = 0; o + L.size <= len; o += 8) {
			uint64_t va, dev = 0, dd = 0, sid_bits;
			char drv[32], how[200];
			struct sd_error e = { 0 };

			if (!scan_match(kc, &L, buf + o))
				continue;
			cands++;
			if (!sd_kmem_pa_to_lm(&kc->km, pa + o, &va))
				continue;
			if (rd_member(kc, va, SMMU_T, "sid_bits", &sid_bits, NULL) || sid_bits > 32 ||
			    rd_ptr(kc, va, SMMU_T, "dev", &dev, NULL) || !dev ||
			    sd_kmem_u64(&kc->km, dev + drvdata_off, &dd, NULL) || dd != va)
				continue;
			dev_driver(kc, dev, drv, sizeof(drv));
			if (strcmp(drv, "arm-smmu-v3"))
				continue;
			snprintf(how, sizeof(how),
				 "found by a RAM scan (strtab_cfg signature at PA 0x%" PRIx64
				 ", drvdata and driver confirmed: high confidence)", pa + o);
			st = add_smmu(kc, va, how, &e);
			if (st == SD_OK)
				found++;
			else
				note(kc->res, "candidate arm_smmu_device at PA 0x%" PRIx64 ": %s",
				     pa + o, e.msg);
		}
	}
	free(buf);
	note(kc->res, "RAM scan: %u strtab_cfg signature(s), %u SMMU(s) confirmed", cands, found);
	return SD_OK;
}

/* Cross-check a found SMMU's stream table against the architecture:
 * L1 descriptors with SPAN 9 (= SPLIT + 1) pointing at L2 tables whose
 * STEs are valid.  Appends the result to how. */
static void check_strtab(struct kctx *kc, struct sd_ksmmu *s)
{
	uint64_t base = s->regs.val[SD_REG_STRTAB_BASE] & GENMASK_51_6;
	uint64_t cfg = s->regs.val[SD_REG_STRTAB_BASE_CFG];
	unsigned fmt = (cfg >> 16) & 3, log2 = cfg & 0x3f, split = (cfg >> 6) & 0x1f;
	uint64_t n, i, good = 0, bad = 0, desc;
	size_t hl = strlen(s->how);

	if (fmt != 1 || split != 8 || log2 < split)
		return;
	n = 1ull << (log2 - split);
	if (n > (1u << 17))
		return;
	for (i = 0; i < n; i++) {
		uint64_t ste0;

		if (sd_dump_read_phys(kc->dump, base + i * 8, &desc, 8, NULL) != SD_OK) {
			bad++;
			break;
		}
		if (!desc)
			continue;
		if ((desc & 0x1f) != split + 1 ||
		    sd_dump_read_phys(kc->dump, desc & GENMASK_51_6, &ste0, 8, NULL) != SD_OK ||
		    !(ste0 & 1))
			bad++;
		else
			good++;
	}
	snprintf(s->how + hl, sizeof(s->how) - hl,
		 "; L1 check: %" PRIu64 " SPAN-%u descriptor(s) to valid STEs, %" PRIu64 " bad",
		 good, split + 1, bad);
}

/* --- sources ------------------------------------------------------------ */

/*
 * arm-smmu-v3 built as a module (ARM_SMMU_V3=m): its types are in the
 * module's debug file, not in vmlinux.  Types only: the globals walked
 * (iommu_device_list, devices_kset, crashk_res) are vmlinux's.  A .ko.xz
 * is decompressed with xz(1) into an unlinked temporary file.
 */
static void use_module_debug(struct kctx *kc, const char *rel)
{
	struct sd_kernel_result *r = kc->res;
	struct sd_ktypes mod, both;
	struct sd_error e = { 0 };
	char path[600], tmp[] = "/tmp/smmu-strtab-dump-ko.XXXXXX";
	const char *open_path;
	size_t len;
	int fd = -1;

	if (!sd_dwarf_find_smmu_module(rel, path, sizeof(path))) {
		note(r, "struct arm_smmu_device is not in the vmlinux DWARF (arm-smmu-v3 built as a "
		     "module?) and no module debug file was found (looked for %s)", path);
		return;
	}
	open_path = path;
	len = strlen(path);
	if (len > 3 && !strcmp(path + len - 3, ".xz")) {
		pid_t pid;
		int status = 0;

		fd = mkstemp(tmp);
		if (fd < 0) {
			note(r, "module debug file %s not used: cannot create a temporary file", path);
			return;
		}
		pid = fork();
		if (pid == 0) {
			dup2(fd, STDOUT_FILENO);
			execlp("xz", "xz", "-dc", "--", path, (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			note(r, "module debug file %s not used: xz -dc failed", path);
			close(fd);
			unlink(tmp);
			return;
		}
		open_path = tmp;
	}
	if (sd_dwarf_open(open_path, NULL, 0, &mod, &e) != SD_OK) {
		note(r, "module debug file %s not used: %s", path, e.msg);
	} else if (!sd_kt_has(&mod, SMMU_T, "sid_bits")) {
		note(r, "module debug file %s not used: it has no struct arm_smmu_device", path);
		sd_kt_close(&mod);
	} else if (sd_kt_chain(&kc->kt, &mod, &both, &e) == SD_OK) {
		kc->kt = both;
		note(r, "arm-smmu-v3 types from the module debug file %s (not checked against "
		     "the dump: module build-ids are not in VMCOREINFO)", path);
	} else {
		kc->have_kt = false;
		note(r, "%s", e.msg);
	}
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
}

static void load_sources(struct kctx *kc, const char *vmlinux)
{
	struct sd_kernel_result *r = kc->res;
	struct sd_error e = { 0 };
	const char *rel = sd_dump_vmcoreinfo(kc->dump, "OSRELEASE");
	const char *bid = sd_dump_vmcoreinfo(kc->dump, "BUILD-ID");
	uint64_t kaslr = 0, end;
	char path[512];

	sd_vmcoreinfo_u64(kc->dump, "KERNELOFFSET", true, &kaslr);
	if (!vmlinux && rel && sd_dwarf_find_vmlinux(rel, path, sizeof(path)))
		vmlinux = path;
	if (vmlinux) {
		if (sd_dwarf_open(vmlinux, bid, kaslr, &kc->kt, &e) == SD_OK) {
			kc->have_kt = true;
			kc->dwarf = true;
			r->types = "dwarf";
			r->symbols = "dwarf";
			if (!sd_kt_has(&kc->kt, SMMU_T, "sid_bits"))
				use_module_debug(kc, rel ? rel : "?");
		} else {
			note(r, "debuginfo %s not used: %s", vmlinux, e.msg);
		}
	} else {
		note(r, "no debuginfo found for %s (looked in /usr/lib/debug/boot/vmlinux-%s, "
		     "/usr/lib/debug/lib/modules/%s/vmlinux)", rel ? rel : "?", rel ? rel : "?",
		     rel ? rel : "?");
	}
	memset(&e, 0, sizeof(e));
	if (sd_kallsyms_from_dump(&kc->km, &kc->ks, &e) == SD_OK) {
		if (!kc->dwarf)
			r->symbols = "kallsyms";
		if (sd_kallsyms_data_count(kc->ks) < 100)
			note(r, "kallsyms has %zu symbols but no data symbols "
			     "(kernel built without CONFIG_KALLSYMS_ALL): iommu_device_list, "
			     "__start_BTF and crashk_res cannot be looked up by name",
			     sd_kallsyms_count(kc->ks));
		if (sd_kallsyms_lookup(kc->ks, "_end", &end, NULL)) {
			uint64_t st;

			if (sd_kallsyms_lookup(kc->ks, "_text", &st, NULL) ||
			    sd_kallsyms_lookup(kc->ks, "_stext", &st, NULL))
				sd_kmem_set_image(&kc->km, st & ~0xffffull, end);
		}
	} else {
		note(r, "%s", e.msg);
	}
	if (!kc->have_kt) {
		memset(&e, 0, sizeof(e));
		if (sd_btf_from_dump(&kc->km, kc->ks, &kc->kt, &e) == SD_OK) {
			kc->have_kt = true;
			r->types = "btf";
			/* arm-smmu-v3 built as a module: its types are in the
			 * module's split BTF, not in vmlinux's. */
			if (!sd_kt_has(&kc->kt, SMMU_T, "sid_bits")) {
				memset(&e, 0, sizeof(e));
				if (sd_btf_module_from_dump(&kc->km, kc->ks, "arm_smmu_v3",
							    &kc->kt, &e) == SD_OK)
					note(r, "arm-smmu-v3 types from the module's BTF (%s)",
					     kc->kt.desc);
				else
					note(r, "the vmlinux BTF has no struct arm_smmu_device "
					     "(arm-smmu-v3 built as a module?) and its module BTF "
					     "was not used: %s", e.msg);
			}
		} else {
			note(r, "%s", e.msg);
		}
	}
}

static void read_crashk(struct kctx *kc)
{
	struct sd_kernel_result *r = kc->res;
	uint64_t a, s, e;

	if (ksym(kc, "crashk_res", &a) &&
	    rd_member(kc, a, "struct resource", "start", &s, NULL) == SD_OK &&
	    rd_member(kc, a, "struct resource", "end", &e, NULL) == SD_OK && e > s) {
		r->have_crashk = true;
		r->crashk_start = s;
		r->crashk_end = e;
	}
	if (ksym(kc, "crashk_low_res", &a) &&
	    rd_member(kc, a, "struct resource", "start", &s, NULL) == SD_OK &&
	    rd_member(kc, a, "struct resource", "end", &e, NULL) == SD_OK && e > s) {
		r->have_crashk_low = true;
		r->crashk_low_start = s;
		r->crashk_low_end = e;
	}
}

enum sd_status sd_kernel_find_smmus(struct sd_dump *dump, const char *vmlinux,
				    struct sd_kernel_result *out,
				    struct sd_error *err)
{
	struct kctx kc = { 0 };
	uint64_t head;
	enum sd_status st = SD_OK;

	memset(out, 0, sizeof(*out));
	out->symbols = "none";
	out->types = "none";
	kc.dump = dump;
	kc.res = out;
	kc.kver = kernel_version(dump);
	sd_kmem_init(&kc.km, dump);
	load_sources(&kc, vmlinux);
	if (!kc.have_kt) {
		st = sd_error_set(err, SD_ERR_NOTFOUND,
				  "no kernel type information (neither DWARF nor BTF): %s", out->notes);
		goto done;
	}
	if (ksym(&kc, "iommu_device_list", &head)) {
		st = walk_iommu_list(&kc, head, err);
		if (st) {
			if (err && out->notes[0]) {
				char m[SD_ERROR_MSG_MAX];

				snprintf(m, sizeof(m), "%s", err->msg);
				sd_error_set(err, st, "%s; %s", m, out->notes);
			}
			goto done;
		}
	} else {
		note(out, "iommu_device_list not among the symbols: SMMUs located by scanning RAM");
		st = scan_for_smmus(&kc, err);
		if (st)
			goto done;
	}
	for (size_t i = 0; i < out->nsmmus; i++)
		check_strtab(&kc, &out->smmus[i]);
	read_crashk(&kc);
	if (!out->nsmmus)
		st = sd_error_set(err, SD_ERR_NOTFOUND, "no arm-smmu-v3 instance in the kernel (%s)",
				  out->notes);
done:
	if (kc.have_kt)
		sd_kt_close(&kc.kt);
	sd_kallsyms_free(kc.ks);
	return st;
}

void sd_kernel_result_free(struct sd_kernel_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->nsmmus; i++)
		free(res->smmus[i].devs);
	free(res->smmus);
	res->smmus = NULL;
	res->nsmmus = 0;
}
