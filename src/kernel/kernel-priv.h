/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the files of the kernel layer share, and nothing outside it sees.
 *
 *   kernel.c     the entry point (sd_kernel_find_smmus), the typed reads
 *                ("member X of struct Y at A") and the device helpers;
 *   kdiscover.c  finding struct arm_smmu_device: the iommu_device_list
 *                walk, the RAM scan over the ranges the dump holds;
 *   textref.c    globals kallsyms lacks, from the code that uses them
 *                (iommu_device_list, crashk_res);
 *   kdriver.c    one SMMU's driver structures per kernel version:
 *                strtab_cfg before/after 6.12, queues, the L1 cross-check;
 *   kstreams.c   StreamID -> master -> device: the streams rb-tree (5.13
 *                on), devices_kset + master->sids (before);
 *   kfeatures.c  tables of what no debug info carries: ARM_SMMU_FEAT_*,
 *                ARM_SMMU_OPT_*, IOMMU_DOMAIN_*;
 *   debuginfo.c  where types and symbols come from: vmlinux paths (built
 *                only from a validated kernel release), build-id, the
 *                module debug file, kallsyms and BTF from the dump;
 *   debuginfod.c a debug file by build-id from debuginfod servers;
 *   kmodule.c    a loaded module's build-id from its note sections;
 *   khost.c      types and symbols given by a host (the crash extension).
 */
#ifndef SD_KERNEL_PRIV_H
#define SD_KERNEL_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kallsyms.h"
#include "kernel.h"
#include "kmem.h"
#include "ktypes.h"
#include "sd_diag.h"
#include "sd_error.h"

/* Bounds on what the crashed kernel's memory may make us walk. */
#define MAX_SMMUS		64
#define MAX_IOMMU_DEVICES	(MAX_SMMUS * 4)	/* every IOMMU, not only SMMUv3s */
#define MAX_STREAMS		(1u << 20)
#define MAX_RB_DEPTH		128	/* an rb-tree of 2^32 nodes is < 64 deep */
#define MAX_DEVICES		(1u << 20)	/* devices_kset->list */
#define MAX_MASTER_SIDS		4096

/* arm-smmu-v3.h: ARM_SMMU_FEAT_2_LVL_STRTAB, bit 0 in every version (a
 * macro, in no debug information; see kfeatures.c). */
#define ARM_SMMU_FEAT_2_LVL_STRTAB	(1ull << 0)

/* Type names with the members that identify the right struct (ktypes.h). */
#define SMMU_T		"struct arm_smmu_device:strtab_cfg,sid_bits"
#define STREAM_T	"struct arm_smmu_stream:id,master"
#define MASTER_T	"struct arm_smmu_master:smmu,dev"

/* Which ways to iommu_device_list (and crashk_res) are tried:
 * SMMU_STRTAB_DUMP_DISCOVERY unset, "text" or "scan" (kernel.c). */
enum kdiscovery {
	KDISC_SYMBOL,		/* by name, then text references, then RAM scan */
	KDISC_TEXT,		/* not by name: as without CONFIG_KALLSYMS_ALL */
	KDISC_SCAN,		/* not by name, SMMUs not through text: the RAM scan */
};

struct kctx {
	struct sd_dump *dump;
	struct sd_kmem km;
	struct sd_kallsyms *ks;
	struct sd_ktypes kt;
	bool have_kt;
	bool dwarf;
	unsigned kver;		/* KV(major, minor) from OSRELEASE, ~0u unknown */
	enum kdiscovery discovery;
	struct sd_kernel_result *res;
};

/* One kernel diagnostic record (res->diags, origin SD_DIAG_KERNEL). */
void kdiag(struct kctx *kc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A global's address from DWARF, else kallsyms; false when neither has it. */
bool ksym(struct kctx *kc, const char *name, uint64_t *addr);

/* Member @path of @type at @base as an unsigned integer (1..8 bytes,
 * bitfields extracted). */
SD_MUST_CHECK enum sd_status rd_member(struct kctx *kc, uint64_t base, const char *type,
				       const char *path, uint64_t *v, struct sd_error *err);
/* The same for a pointer: NULL or a kernel VA, else SD_ERR_CORRUPT. */
SD_MUST_CHECK enum sd_status rd_ptr(struct kctx *kc, uint64_t base, const char *type,
				    const char *path, uint64_t *v, struct sd_error *err);
SD_MUST_CHECK enum sd_status moff(struct kctx *kc, const char *type, const char *path,
				  uint64_t *off, struct sd_error *err);
/* A C string at @va ("" for NULL), non-printable bytes replaced by '?'. */
SD_MUST_CHECK enum sd_status read_cstr(struct kctx *kc, uint64_t va, char *buf, size_t size,
				       struct sd_error *err);
/* dev_name(): init_name, else kobj.name. */
SD_MUST_CHECK enum sd_status dev_name(struct kctx *kc, uint64_t dev, char *buf, size_t size,
				      struct sd_error *err);
/* dev->driver->name, "" when no driver is bound. */
SD_MUST_CHECK enum sd_status dev_driver(struct kctx *kc, uint64_t dev, char *buf, size_t size,
					struct sd_error *err);

/* kfeatures.c */
#define KV(a, b) ((a) << 8 | (b))
unsigned kernel_version(struct sd_dump *dump);
enum sd_domain_type domain_type_of(uint64_t type);
void name_features(const struct kctx *kc, struct sd_ksmmu *s);

/* kdriver.c */
SD_MUST_CHECK enum sd_status read_smmu(struct kctx *kc, uint64_t smmu, const char *found_how,
				       struct sd_ksmmu *s, struct sd_error *err);
void check_strtab(struct kctx *kc, struct sd_ksmmu *s);

/* kstreams.c: s->devs, sorted by StreamID. */
SD_MUST_CHECK enum sd_status read_streams(struct kctx *kc, uint64_t smmu, struct sd_ksmmu *s,
					  struct sd_error *err);

/* kdiscover.c */
/* The SMMUs on the iommu_device_list at @head.  @via: NULL when @head is
 * the symbol's address; else the text symbol whose code led to it, and
 * each entry must pass the drvdata/driver check before it is read. */
SD_MUST_CHECK enum sd_status walk_iommu_list(struct kctx *kc, uint64_t head, const char *via,
					     struct sd_error *err);
SD_MUST_CHECK enum sd_status scan_for_smmus(struct kctx *kc, struct sd_error *err);

/* kresource.c: res->ram from iomem_resource; notes why not. */
void read_iomem_ram(struct kctx *kc);

/* debuginfo.c: fills kc->kt (have_kt, dwarf) and kc->ks; notes why a
 * source was not used. */
void load_sources(struct kctx *kc, const char *vmlinux);
/* kallsyms from the dump (also bounds the kernel image), with its notes. */
void load_kallsyms(struct kctx *kc);

/* khost.c: kc->kt from @host (which must outlive kc), then kallsyms. */
void load_given(struct kctx *kc, const struct sd_khost *host);

#endif
