// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel virtual reads for the kernel layer (see include/kmem.h).
 *
 * Why a fallback at all: libkdumpfile translates kernel VAs by walking
 * swapper_pg_dir, which needs addrxlat to understand the dump's paging
 * mode; 0.5.1 misses some arm64 configurations (52-bit VA with LPA2 among
 * them).  The kernel image and the linear map, where everything the SMMU
 * walk touches lives (struct arm_smmu_device is devm_kzalloc'ed, struct
 * device and iommu_group are kmalloc'ed, kallsyms and BTF are in the
 * image), translate by fixed arithmetic, so a failed page-table walk does
 * not stop the walk.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kmem.h"

bool sd_vmcoreinfo_u64(struct sd_dump *dump, const char *key, bool bare_hex,
		       uint64_t *v)
{
	const char *s = sd_dump_vmcoreinfo(dump, key);
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	if (bare_hex)
		*v = strtoull(s, &end, 16);
	else if (*s == '-')
		*v = (uint64_t)strtoll(s, &end, 0);
	else
		*v = strtoull(s, &end, 0);
	return end != s && errno == 0;
}

void sd_kmem_init(struct sd_kmem *km, struct sd_dump *dump)
{
	uint64_t v;

	memset(km, 0, sizeof(*km));
	km->dump = dump;
	if (sd_vmcoreinfo_u64(dump, "NUMBER(kimage_voffset)", false, &v)) {
		km->kimage_voffset = v;
		km->have_kimage_voffset = true;
	}
	if (sd_vmcoreinfo_u64(dump, "NUMBER(PHYS_OFFSET)", false, &v)) {
		km->phys_offset = v;
		km->have_phys_offset = true;
	}
	if (sd_vmcoreinfo_u64(dump, "NUMBER(VA_BITS)", false, &v) && v >= 36 && v <= 52) {
		km->va_bits = (unsigned)v;
		km->page_offset = (uint64_t)0 - (1ull << v);
	}
	/* Until _end is known: 128 MiB from _stext covers any arm64 image. */
	if (sd_vmcoreinfo_u64(dump, "SYMBOL(_stext)", true, &v))
		sd_kmem_set_image(km, v & ~0x1fffffull, v + (128ull << 20));
}

void sd_kmem_set_image(struct sd_kmem *km, uint64_t start, uint64_t end)
{
	km->kimg_start = start;
	km->kimg_end = end;
}

static uint64_t page_end(const struct sd_kmem *km)
{
	/* PAGE_END = _PAGE_END(VA_BITS_MIN); VA_BITS_MIN is 48 for 52-bit
	 * configurations (arch/arm64/include/asm/memory.h). */
	unsigned b = km->va_bits > 48 ? 48 : km->va_bits;

	return (uint64_t)0 - (1ull << (b - 1));
}

static bool in_lm(const struct sd_kmem *km, uint64_t va)
{
	return km->va_bits && km->have_phys_offset &&
	       va >= km->page_offset && va < page_end(km);
}

bool sd_kmem_va_to_pa(const struct sd_kmem *km, uint64_t va, uint64_t *pa)
{
	if (km->have_kimage_voffset && km->kimg_end > km->kimg_start &&
	    va >= km->kimg_start && va < km->kimg_end) {
		*pa = va - km->kimage_voffset;
		return true;
	}
	if (km->va_bits && km->have_phys_offset &&
	    va >= km->page_offset && va < page_end(km)) {
		*pa = va - km->page_offset + km->phys_offset;
		return true;
	}
	return false;
}

bool sd_kmem_pa_to_lm(const struct sd_kmem *km, uint64_t pa, uint64_t *va)
{
	if (!km->va_bits || !km->have_phys_offset || pa < km->phys_offset)
		return false;
	*va = pa - km->phys_offset + km->page_offset;
	return *va < page_end(km);
}

bool sd_kmem_is_kva(const struct sd_kmem *km, uint64_t va)
{
	unsigned b = km->va_bits ? km->va_bits : 48;

	/* TTBR1 range for the configured VA_BITS, and not the top page
	 * (ERR_PTR values). */
	return va >= ((uint64_t)0 - (1ull << b)) && va < (uint64_t)0 - 4096;
}

enum sd_status sd_kmem_read(struct sd_kmem *km, uint64_t va, void *buf,
			    size_t len, struct sd_error *err)
{
	struct sd_error e1 = {0};
	enum sd_status st;
	uint64_t pa, last;

	if (!len)
		return SD_OK;
	if (va + len < va)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "kernel VA range 0x%" PRIx64 "+%zu wraps", va, len);
	/* The linear map is a fixed offset: arithmetic gives exactly what the
	 * page tables would.  Everything else goes to libkdumpfile first. */
	if (in_lm(km, va) && in_lm(km, va + len - 1) &&
	    sd_kmem_va_to_pa(km, va, &pa)) {
		st = sd_dump_read_phys(km->dump, pa, buf, len, err);
		if (st == SD_OK) {
			km->lm_reads++;
			return SD_OK;
		}
		if (err)
			sd_error_prefix(err, "kernel VA 0x%" PRIx64 " (linear map, PA 0x%" PRIx64 ")", va, pa);
		return st;
	}
	st = sd_dump_read_kv(km->dump, va, buf, len, &e1);
	if (st == SD_OK) {
		km->kv_reads++;
		return SD_OK;
	}
	km->kv_failed = true;
	/* Kernel image: PA = VA - kimage_voffset. */
	if (sd_kmem_va_to_pa(km, va, &pa) && sd_kmem_va_to_pa(km, va + len - 1, &last) &&
	    last - pa == len - 1) {
		st = sd_dump_read_phys(km->dump, pa, buf, len, err);
		if (st == SD_OK) {
			km->img_reads++;
			return SD_OK;
		}
		if (err)
			sd_error_prefix(err, "kernel VA 0x%" PRIx64 " (image, PA 0x%" PRIx64 ")", va, pa);
		return st;
	}
	if (err)
		*err = e1;
	return st;
}

enum sd_status sd_kmem_read_cb(void *ctx, uint64_t va, void *buf, size_t len,
			       struct sd_error *err)
{
	return sd_kmem_read(ctx, va, buf, len, err);
}

enum sd_status sd_kmem_u64(struct sd_kmem *km, uint64_t va, uint64_t *v,
			   struct sd_error *err)
{
	return sd_kmem_read(km, va, v, sizeof(*v), err);
}

enum sd_status sd_kmem_u32(struct sd_kmem *km, uint64_t va, uint32_t *v,
			   struct sd_error *err)
{
	return sd_kmem_read(km, va, v, sizeof(*v), err);
}

enum sd_status sd_kmem_string(struct sd_kmem *km, uint64_t va, char *buf,
			      size_t size, struct sd_error *err)
{
	size_t got = 0;

	if (!size)
		return SD_OK;
	while (got < size - 1) {
		/* Up to the next 256-byte boundary: never crosses a page. */
		size_t n = 256 - ((va + got) & 255);
		enum sd_status st;
		char *nul;

		if (n > size - 1 - got)
			n = size - 1 - got;
		st = sd_kmem_read(km, va + got, buf + got, n, err);
		if (st)
			return st;
		nul = memchr(buf + got, 0, n);
		if (nul)
			return SD_OK;
		got += n;
	}
	buf[size - 1] = 0;
	return SD_OK;
}

/* --- bounded list walks (kmem.h) --------------------------------------- */

static enum sd_status klist_step(struct sd_kmem *km, struct sd_klist *l, uint64_t from,
				 struct sd_error *err)
{
	uint64_t next;
	enum sd_status st;

	if (sd_timed_out)
		return sd_error_set(err, SD_ERR_TIMEOUT, "--timeout expired walking %s at 0x%" PRIx64
				    " after %" PRIu64 " entries", l->what, l->head, l->n);
	/* list_head.next is the first member (include/linux/types.h). */
	if ((st = sd_kmem_u64(km, from, &next, err)))
		return sd_error_prefix(err, "%s at 0x%" PRIx64 ", entry %" PRIu64 " at 0x%" PRIx64,
				       l->what, l->head, l->n, from);
	if (next == l->head) {
		l->pos = next;
		return SD_OK;
	}
	if (!next || !sd_kmem_is_kva(km, next))
		return sd_error_set(err, SD_ERR_CORRUPT, "%s at 0x%" PRIx64 ": entry %" PRIu64
				    " at 0x%" PRIx64 " links to 0x%" PRIx64 ", not a list entry",
				    l->what, l->head, l->n, from, next);
	if (l->n >= l->max)
		return sd_error_set(err, SD_ERR_CORRUPT, "%s at 0x%" PRIx64 " has more than %" PRIu64
				    " entries or a loop", l->what, l->head, l->max);
	if (next == l->mark)
		return sd_error_set(err, SD_ERR_CORRUPT, "%s at 0x%" PRIx64 " has a loop: entry "
				    "0x%" PRIx64 " comes back after %" PRIu64 " entries, never the head",
				    l->what, l->head, next, l->n);
	l->n++;
	if (l->n == l->lap) {
		l->mark = next;
		l->lap *= 2;
	}
	l->pos = next;
	return SD_OK;
}

enum sd_status sd_klist_start(struct sd_kmem *km, struct sd_klist *l, const char *what,
			      uint64_t head, uint64_t max, struct sd_error *err)
{
	memset(l, 0, sizeof(*l));
	l->what = what;
	l->head = head;
	l->max = max;
	l->lap = 1;
	return klist_step(km, l, head, err);
}

enum sd_status sd_klist_next(struct sd_kmem *km, struct sd_klist *l, struct sd_error *err)
{
	return klist_step(km, l, l->pos, err);
}
