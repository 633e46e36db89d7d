/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel type layouts: the one small interface that both type sources
 * implement, so the struct walker never knows where offsets came from.
 *
 *   BTF   (src/btf.c):   the vmlinux BTF found in the dump's memory,
 *                         parsed with libbpf.  No symbols.
 *   DWARF (src/dwarf.c): a vmlinux with debug info, through libdw/libelf;
 *                         also gives symbol addresses (.symtab + KASLR).
 *
 * Type names: "struct NAME", "union NAME" or a bare NAME (struct, then
 * union, then typedef).  Member paths: "a.b.c" descends into members
 * embedded by value; anonymous structs/unions are searched transparently,
 * as C does ("strtab_cfg.l2.l1_dma" works whether l2 sits in an anonymous
 * union or not).
 */
#ifndef SD_KTYPES_H
#define SD_KTYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kallsyms.h"
#include "kmem.h"
#include "sd_error.h"

struct sd_kmember {
	uint64_t bit_offset;	/* from the start of the outer type */
	uint32_t bit_size;	/* 0: not a bitfield */
	uint64_t size;		/* byte size of the member's type */
};

struct sd_ktypes_ops {
	enum sd_status (*type_size)(void *impl, const char *type, uint64_t *size,
				    struct sd_error *err);
	enum sd_status (*member)(void *impl, const char *type, const char *path,
				 struct sd_kmember *m, struct sd_error *err);
	/* Address of a global (already relocated), or NULL when the source
	 * has no symbols. */
	enum sd_status (*symbol)(void *impl, const char *name, uint64_t *addr,
				 struct sd_error *err);
	void (*destroy)(void *impl);
};

struct sd_ktypes {
	const char *source;		/* "btf" or "dwarf" */
	const struct sd_ktypes_ops *ops;
	void *impl;
	char desc[256];			/* where it came from, for the report */
};

SD_MUST_CHECK enum sd_status sd_kt_size(const struct sd_ktypes *kt, const char *type,
			  uint64_t *size, struct sd_error *err);
SD_MUST_CHECK enum sd_status sd_kt_member(const struct sd_ktypes *kt, const char *type,
			    const char *path, struct sd_kmember *m,
			    struct sd_error *err);
/* The first of the NULL-terminated @paths that exists (renamed members);
 * @which (may be NULL) gets its index. */
SD_MUST_CHECK enum sd_status sd_kt_member_any(const struct sd_ktypes *kt, const char *type,
				const char *const *paths, struct sd_kmember *m,
				int *which, struct sd_error *err);
bool sd_kt_has(const struct sd_ktypes *kt, const char *type, const char *path);
/* Byte offset of a non-bitfield member (SD_ERR_UNSUPPORTED for a bitfield). */
SD_MUST_CHECK enum sd_status sd_kt_offset(const struct sd_ktypes *kt, const char *type,
			    const char *path, uint64_t *off, struct sd_error *err);
SD_MUST_CHECK enum sd_status sd_kt_symbol(const struct sd_ktypes *kt, const char *name,
			    uint64_t *addr, struct sd_error *err);
void sd_kt_close(struct sd_ktypes *kt);
/* One source made of two: every lookup tries @first, then @second when
 * @first has no such type/member/symbol (a vmlinux plus a module's debug
 * file).  Takes ownership of both; @out->source is @first's. */
SD_MUST_CHECK enum sd_status sd_kt_chain(struct sd_ktypes *first, struct sd_ktypes *second,
			   struct sd_ktypes *out, struct sd_error *err);

/* --- BTF ---------------------------------------------------------------- */

/* Parse a raw BTF blob (copied). */
SD_MUST_CHECK enum sd_status sd_btf_open_raw(const void *data, size_t len, struct sd_ktypes *out,
			       struct sd_error *err);

/*
 * Find the vmlinux BTF in the dump: between __start_BTF and __stop_BTF
 * when kallsyms has them (@ks may be NULL), else by scanning the kernel
 * image from _etext/_stext for a valid BTF header (magic 0xeB9F, version
 * 1, hdr_len 24, type and string sections consistent, libbpf accepts it).
 * out->desc says which way was used.
 */
SD_MUST_CHECK enum sd_status sd_btf_from_dump(struct sd_kmem *km, const struct sd_kallsyms *ks,
				struct sd_ktypes *out, struct sd_error *err);

/*
 * Parse a split BTF blob (a module's; type IDs continue those of @base)
 * on top of @base, which must be a BTF source.  On success @base is taken
 * over (cleared) and @out resolves both the blob's types and the base's;
 * on failure @base is untouched.
 */
SD_MUST_CHECK enum sd_status sd_btf_open_split(const void *data, size_t len, struct sd_ktypes *base,
				 struct sd_ktypes *out, struct sd_error *err);

/*
 * Replace the vmlinux BTF @kt by the split BTF of loaded module @module
 * ("arm_smmu_v3"; '-' and '_' match) on top of it, found on the kernel's
 * btf_modules list (needs kallsyms with CONFIG_KALLSYMS_ALL for that static
 * list).  On failure @kt is untouched.
 */
SD_MUST_CHECK enum sd_status sd_btf_module_from_dump(struct sd_kmem *km, const struct sd_kallsyms *ks,
				       const char *module, struct sd_ktypes *kt,
				       struct sd_error *err);

/*
 * The raw split BTF of loaded module @module as the kernel keeps it
 * (struct btf.data/.data_size of its btf_modules entry), read through
 * the vmlinux BTF @kt's layouts of struct btf_module and struct btf.  On
 * success *blob (malloc'ed, the caller frees it) holds *len bytes read
 * from kernel address *addr (@addr may be NULL).
 */
SD_MUST_CHECK enum sd_status sd_btf_module_blob(struct sd_kmem *km, const struct sd_kallsyms *ks,
				  const struct sd_ktypes *kt, const char *module,
				  void **blob, size_t *len, uint64_t *addr,
				  struct sd_error *err);

/* --- loaded modules (kmodule.c) ------------------------------------------ */

/* "arm-smmu-v3" and "arm_smmu_v3" name the same module. */
bool sd_kmodule_same_name(const char *a, const char *b);

/*
 * The GNU build-id of loaded module @module ('-' and '_' match), as
 * lowercase hex into @hex (@size bytes), read from the crashed kernel: the
 * module found on the `modules` list at @head, its build-id note through
 * mod->notes_attrs (what /sys/module/NAME/notes shows), else
 * mod->build_id (CONFIG_STACKTRACE_BUILD_ID).  Layouts from @kt (the
 * vmlinux's types).  Every count and length read is bounded.
 */
SD_MUST_CHECK enum sd_status sd_kmodule_build_id(struct sd_kmem *km, const struct sd_ktypes *kt,
						 uint64_t head, const char *module, char *hex,
						 size_t size, struct sd_error *err);

/*
 * The first NT_GNU_BUILD_ID note named "GNU" in the ELF notes @buf (@len
 * bytes, untrusted: every size is checked against @len) as lowercase hex
 * into @hex; false when there is none, a note overruns @buf, or the
 * build-id does not fit @size.
 */
bool sd_elf_note_build_id(const void *buf, size_t len, char *hex, size_t size);

/* Check a BTF header; returns the total size (header + sections) or 0. */
size_t sd_btf_header_ok(const void *hdr, size_t avail);

/* --- DWARF -------------------------------------------------------------- */

/*
 * Open a vmlinux with DWARF.  @build_id_hex: the dump's VMCOREINFO
 * BUILD-ID (NULL to skip the check; a mismatch is SD_ERR_CORRUPT).
 * @kaslr: KERNELOFFSET added to symbol addresses.
 */
SD_MUST_CHECK enum sd_status sd_dwarf_open(const char *path, const char *build_id_hex,
			     uint64_t kaslr, struct sd_ktypes *out,
			     struct sd_error *err);

/*
 * Is @rel (from the dump: untrusted) a kernel release a path may be built
 * from?  Letters, digits and . _ + ~ -, no "..", 1 to 64 characters
 * (__NEW_UTS_LEN).  The two lookups below refuse anything else.
 */
bool sd_kernel_release_ok(const char *rel);

/*
 * Look for the vmlinux of @osrelease in the usual places
 * (/usr/lib/debug/boot/vmlinux-REL, /usr/lib/debug/lib/modules/REL/vmlinux,
 * /boot/vmlinux-REL, /lib/modules/REL/build/vmlinux and the directory in
 * $SMMU_STRTAB_DUMP_DEBUGINFO_DIR).  Fills @path (first existing one);
 * false when none exists.
 */
bool sd_dwarf_find_vmlinux(const char *osrelease, char *path, size_t size);

/*
 * The debug file of the arm-smmu-v3 module (arm_smmu_v3.ko, or .ko.xz) for
 * @osrelease: $SMMU_STRTAB_DUMP_DEBUGINFO_DIR/arm_smmu_v3.ko[.xz], then
 * /usr/lib/debug/lib/modules/REL/kernel/drivers/iommu/arm/arm-smmu-v3/.
 * Fills @path with the first that exists, or with the list of places
 * looked at (for the report) and returns false.
 */
bool sd_dwarf_find_smmu_module(const char *osrelease, char *path, size_t size);

#endif
