/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The crashed kernel: where are its SMMUs, and which devices sit behind
 * each StreamID?  Symbols (vmlinux DWARF, or kallsyms from VMCOREINFO),
 * types (DWARF via libdw, or the vmlinux BTF in the dump via libbpf), a
 * "member X of struct Y at address A" interface, and the per-version
 * knowledge of arm-smmu-v3.  It hands up plain values: register snapshots
 * and StreamID -> device facts.  Reads go through the dump layer only.
 */
#ifndef SD_KERNEL_H
#define SD_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "dump.h"
#include "sd_diag.h"
#include "smmu_regs.h"

/* The type of the device's default IOMMU domain (IOMMU_DOMAIN_*,
 * include/linux/iommu.h), named by sd_domain_type_name(). */
enum sd_domain_type {
	SD_DOMAIN_NONE,		/* not known: no group, no domain, unreadable */
	SD_DOMAIN_BLOCKED,
	SD_DOMAIN_UNMANAGED,
	SD_DOMAIN_DMA,
	SD_DOMAIN_IDENTITY,
	SD_DOMAIN_DMA_FQ,
	SD_DOMAIN_SVA,
	SD_DOMAIN_PLATFORM,
	SD_DOMAIN_NESTED,
	SD_DOMAIN_UNKNOWN,	/* a value this tool does not know */
};
/* "blocked", "unmanaged", "dma", "identity", "dma-fq", "sva", "platform",
 * "nested", "unknown"; NULL for SD_DOMAIN_NONE. */
const char *sd_domain_type_name(enum sd_domain_type t);

/* What the kernel says about one StreamID. */
struct sd_kdev {
	uint32_t sid;
	char name[64];		/* dev_name(): "0000:01:00.0" */
	char driver[64];	/* "" when no driver is bound */
	int iommu_group;	/* -1 when none */
	bool pci;		/* on the PCI bus (its name is the BDF) */
	/* Bus mastering, by its source.  The kernel's is pci_dev->is_busmaster,
	 * which only pci_set_master()/pci_clear_master() update: a config
	 * write from user space (setpci, sysfs config, vfio-pci) never
	 * reaches it.  The hardware's is PCI_COMMAND's bit, readable only on
	 * a live system (the capture kernel): -1 offline. */
	int bus_master;		/* kernel: 1, 0, or -1 unknown / not PCI */
	int hw_bus_master;	/* hardware: 1, 0, or -1 unknown */
	enum sd_domain_type domain_type;
	int ats_enabled;	/* master->ats_enabled: 1, 0, -1 unknown */
	/* What the crashed kernel's driver wrote into this StreamID's STE,
	 * from its own structures (kstreams.c): in the capture kernel the
	 * STE read now is compared with it (an adopted table the capture
	 * kernel has written into). */
	struct sd_kinstalled {
		int config;		/* STE.Config (IHI 0070 5.2), -1 unknown */
		bool have_ctx;		/* stage 1: S1ContextPtr = the CD table */
		uint64_t s1_ctx;
		int vmid;		/* stage 2: S2VMID, -1 unknown */
		bool have_s2ttb;
		uint64_t s2ttb;
		const char *from;	/* the structure it comes from, or NULL */
	} installed;
};

/* A kernel queue (cmdq, evtq, priq) as the crashed kernel kept it. */
struct sd_kqueue {
	bool valid;
	uint64_t q_base;	/* register image: RWA | ADDR | LOG2SIZE */
	uint64_t base_dma;
	uint32_t prod, cons;	/* shadow llq prod/cons */
	unsigned max_n_shift;
	unsigned ent_dwords;
};

struct sd_ksmmu {
	struct sd_regs regs;	/* name, base, STRTAB_BASE/_CFG (derived), IDRs unknown */
	enum sd_reg_source source;	/* SD_SRC_DWARF or SD_SRC_BTF */
	char how[256];		/* how it was found and how sure: for the report */
	/* The way to it, as a token: "symbol" (iommu_device_list by name),
	 * "text-reference:FUNC" (iommu_device_list from the code of text
	 * symbol FUNC, src/kernel/textref.h), "ram-scan". */
	char found_by[64];
	uint64_t smmu_addr;	/* kernel VA of struct arm_smmu_device */
	uint64_t features, options;
	/* features/options bits by name for the kernel version (per-version
	 * table in kernel.c); an undocumented bit is "bitN". */
	char feature_names[32][20], option_names[32][20];
	unsigned nfeature_names, noption_names;
	unsigned sid_bits, ssid_bits;
	int asid_bits, vmid_bits;	/* 8 or 16 (from IDR0); -1 when not in the struct */
	bool registered;	/* on iommu_device_list: the driver had probed it */
	struct sd_kqueue cmdq, evtq, priq;
	struct sd_kdev *devs;	/* sorted by sid */
	size_t ndevs;
};

struct sd_kernel_result {
	struct sd_ksmmu *smmus;
	size_t nsmmus;
	const char *symbols;	/* "dwarf", "kallsyms", "none" */
	const char *types;	/* "dwarf", "btf", "none" */
	/* With types "dwarf": the file they came from and how it was found:
	 * "argument" (the caller's @vmlinux), "local" (a debuginfo path),
	 * "debuginfod" (libdebuginfod's cache), "crash" (the vmlinux crash
	 * was started with: sd_kernel_find_smmus_given); from NULL otherwise.  module:
	 * arm-smmu-v3's own debug file, when it is a module and one was used
	 * ("local", or "debuginfod": fetched by the build-id of the module
	 * in the dump). */
	struct sd_kdebuginfo {
		char path[512];
		const char *from;
	} debuginfo, module_debuginfo;
	/* Notes of the kernel layer (origin SD_DIAG_KERNEL), one record each:
	 * why a source was not used, what could not be read. */
	struct sd_diags diags;
	bool have_crashk;	/* crashk_res found */
	uint64_t crashk_start, crashk_end;	/* inclusive */
	bool have_crashk_low;
	uint64_t crashk_low_start, crashk_low_end;
	/* "System RAM" children of iomem_resource (kresource.c); NULL when
	 * the tree was not read. */
	struct sd_range *ram;
	size_t nram;
};

/*
 * Find every SMMUv3 in the crashed kernel.  @vmlinux may be NULL (then the
 * usual debuginfo paths are tried); when neither matches the dump's
 * build-id, debuginfod (sd_kernel_set_debuginfod), then BTF + kallsyms
 * from the dump (also when the vmlinux DWARF lacks arm-smmu-v3's types
 * and no module debug file gives them).
 * Returns SD_ERR_NOTFOUND with an explanation when no way worked.
 */
SD_MUST_CHECK enum sd_status sd_kernel_find_smmus(struct sd_dump *dump, const char *vmlinux,
				    struct sd_kernel_result *out,
				    struct sd_error *err);
void sd_kernel_result_free(struct sd_kernel_result *res);

/*
 * Whether sd_kernel_find_smmus() may fetch the vmlinux debug file (and
 * arm-smmu-v3's module debug file) by build-id from the debuginfod servers
 * of $DEBUGINFOD_URLS when no local one matches the dump (default: yes).  Process-wide, as libdebuginfod's
 * own configuration (its environment) is.
 */
void sd_kernel_set_debuginfod(bool enabled);

/* The notes as one line, "; "-separated (the text report's form): writes
 * at most @size bytes (NUL included) and returns the length of the whole
 * line, as snprintf does. */
size_t sd_kernel_notes_join(const struct sd_kernel_result *res, char *buf, size_t size);

/*
 * Types and symbols of the crashed kernel given by a host that already has
 * them (the crash extension: crash's gdb over the vmlinux it was started
 * with), instead of looked for: sd_kernel_find_smmus_given() uses them as
 * sd_kernel_find_smmus() uses a DWARF vmlinux, and decodes kallsyms from
 * the dump as it does (a fall-back for symbols, and its notes).
 *
 * Type names: "struct NAME", "union NAME" or a typedef NAME, possibly
 * followed by ":m1,m2" (members that identify the right one of several
 * same-named types; a host that resolves names uniquely ignores it).
 * Member paths: "a.b.c" through members embedded by value, anonymous
 * structs and unions searched as C does.  Each returns SD_ERR_NOTFOUND
 * when the type, member or symbol does not exist.
 */
struct sd_khost_ops {
	SD_MUST_CHECK enum sd_status (*type_size)(void *ctx, const char *type, uint64_t *size,
						  struct sd_error *err);
	/* Offset in bits from the start of @type; @bit_size 0 unless a
	 * bitfield; @size: the byte size of the member's type. */
	SD_MUST_CHECK enum sd_status (*member)(void *ctx, const char *type, const char *path,
					       uint64_t *bit_offset, uint32_t *bit_size,
					       uint64_t *size, struct sd_error *err);
	/* A global's address, relocated (KASLR) as the host knows it. */
	SD_MUST_CHECK enum sd_status (*symbol)(void *ctx, const char *name, uint64_t *addr,
					       struct sd_error *err);
};

struct sd_khost {
	const struct sd_khost_ops *ops;
	void *ctx;
	/* What the report says for kernel.types and kernel.symbols:
	 * "dwarf" for a debugger over a vmlinux with debug info. */
	const char *types, *symbols;
	const char *desc;	/* e.g. "crash's gdb over /path/vmlinux" */
	/* The file the types came from, for kernel.debuginfo (from "crash");
	 * NULL: not said. */
	const char *debuginfo;
};

SD_MUST_CHECK enum sd_status sd_kernel_find_smmus_given(struct sd_dump *dump,
							const struct sd_khost *host,
							struct sd_kernel_result *out,
							struct sd_error *err);

#endif
