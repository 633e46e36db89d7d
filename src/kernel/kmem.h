/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel virtual memory of the crashed arm64 kernel, read through the dump
 * layer.  sd_dump_read_kv() (libkdumpfile's page-table walk) is tried first;
 * when it cannot translate, two arm64 address ranges are converted by
 * arithmetic from VMCOREINFO, exactly as the kernel does:
 *
 *   kernel image  (__kimg_to_phys):  PA = VA - kimage_voffset
 *   linear map    (__lm_to_phys):    PA = VA - PAGE_OFFSET + PHYS_OFFSET,
 *                                    PAGE_OFFSET = -(1 << VA_BITS)
 *
 * (arch/arm64/include/asm/memory.h; NUMBER(kimage_voffset),
 * NUMBER(PHYS_OFFSET), NUMBER(VA_BITS) are exported since 4.x.)  Every
 * other VA (vmalloc, modules, vmemmap) needs the page tables.
 */
#ifndef SD_KMEM_H
#define SD_KMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dump.h"

/* A reader of kernel virtual memory: the abstraction kallsyms, BTF and the
 * struct walker use, so that tests can supply memory of their own. */
typedef enum sd_status (*sd_kread_fn)(void *ctx, uint64_t va, void *buf,
				      size_t len, struct sd_error *err);

struct sd_kmem {
	struct sd_dump *dump;
	bool have_kimage_voffset, have_phys_offset;
	uint64_t kimage_voffset, phys_offset;
	unsigned va_bits;		/* 0 when unknown */
	uint64_t page_offset;		/* start of the linear map */
	uint64_t kimg_start, kimg_end;	/* kernel image VA window [start, end) */
	bool kv_failed;			/* libkdumpfile could not translate once */
	unsigned long kv_reads, lm_reads, img_reads;	/* statistics */
};

/* Fill @km from the dump's VMCOREINFO.  Never fails: missing numbers only
 * disable the arithmetic fallback. */
void sd_kmem_init(struct sd_kmem *km, struct sd_dump *dump);

/* Set the kernel image window (e.g. from _stext/_end once known). */
void sd_kmem_set_image(struct sd_kmem *km, uint64_t start, uint64_t end);

/* Kernel VA -> PA by arithmetic (image or linear map).  false if @va is in
 * neither range or the numbers are missing. */
bool sd_kmem_va_to_pa(const struct sd_kmem *km, uint64_t va, uint64_t *pa);
/* PA -> linear-map VA. */
bool sd_kmem_pa_to_lm(const struct sd_kmem *km, uint64_t pa, uint64_t *va);

/* Is @va a plausible kernel VA (top bits set for the dump's VA_BITS)? */
bool sd_kmem_is_kva(const struct sd_kmem *km, uint64_t va);

SD_MUST_CHECK enum sd_status sd_kmem_read(struct sd_kmem *km, uint64_t va, void *buf,
			    size_t len, struct sd_error *err);
/* sd_kread_fn adapter; @ctx is a struct sd_kmem. */
SD_MUST_CHECK enum sd_status sd_kmem_read_cb(void *ctx, uint64_t va, void *buf, size_t len,
			       struct sd_error *err);

SD_MUST_CHECK enum sd_status sd_kmem_u64(struct sd_kmem *km, uint64_t va, uint64_t *v,
			   struct sd_error *err);
SD_MUST_CHECK enum sd_status sd_kmem_u32(struct sd_kmem *km, uint64_t va, uint32_t *v,
			   struct sd_error *err);
/* NUL-terminated string of at most @size-1 bytes (read page by page). */
SD_MUST_CHECK enum sd_status sd_kmem_string(struct sd_kmem *km, uint64_t va, char *buf,
			      size_t size, struct sd_error *err);

/*
 * A bounded walk of a kernel list (include/linux/list.h: struct list_head
 * {next, prev}, next first) whose links come from a crashed kernel and may
 * be corrupt: a NULL or non-kernel link, more than @max entries, or a loop
 * that never returns to the head (Brent's cycle detection: one saved
 * entry, checkpoints at powers of two, found within twice the loop's
 * length) stop it with SD_ERR_CORRUPT naming @what and the head's address;
 * --timeout stops it with SD_ERR_TIMEOUT.
 *
 *     if ((st = sd_klist_start(km, &l, "btf_modules", head, MAX, err)))
 *             return st;
 *     for (; sd_klist_more(&l); st = sd_klist_next(km, &l, err)) ... l.pos ...
 */
struct sd_klist {
	const char *what;
	uint64_t head;
	uint64_t pos;		/* the current entry's list_head */
	uint64_t n, max;	/* entries seen (pos is the n-th), the bound */
	uint64_t mark, lap;	/* Brent: saved entry, next checkpoint */
};
SD_MUST_CHECK enum sd_status sd_klist_start(struct sd_kmem *km, struct sd_klist *l,
					    const char *what, uint64_t head, uint64_t max,
					    struct sd_error *err);
static inline bool sd_klist_more(const struct sd_klist *l)
{
	return l->pos != l->head;
}
SD_MUST_CHECK enum sd_status sd_klist_next(struct sd_kmem *km, struct sd_klist *l,
					   struct sd_error *err);

/* Parse a VMCOREINFO number ("0x..." or decimal, or bare hex for SYMBOL()
 * and KERNELOFFSET). */
bool sd_vmcoreinfo_u64(struct sd_dump *dump, const char *key, bool bare_hex,
		       uint64_t *v);

#endif
