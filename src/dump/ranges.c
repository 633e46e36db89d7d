// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The physical memory a dump holds, as runs of bytes (include/sd/dump.h,
 * sd_dump_next_range()): what a search of "all RAM" must walk, bank by
 * bank, instead of assuming RAM contiguous from PHYS_OFFSET.
 *
 *   ELF (QEMU dump-guest-memory, /proc/vmcore, converted QEMU kdumps): the
 *       file data of each PT_LOAD (d->loads, sorted by address, already
 *       cut at the end of a truncated file by elf.c);
 *   kdump (makedumpfile, diskdump): the set bits of the page bitmap
 *       libkdumpfile exposes as "file.pagemap", one bit per page of
 *       "arch.page_size" bytes: the pages stored in the file.
 */
#define _GNU_SOURCE
#include "dump-priv.h"

static bool elf_next(const struct sd_dump *d, uint64_t from, uint64_t *start, uint64_t *end)
{
	for (size_t i = 0; i < d->nloads; i++) {
		const struct load *l = &d->loads[i];

		if (!l->avail || l->pa + l->avail <= from)
			continue;
		*start = l->pa > from ? l->pa : from;
		*end = l->pa + l->avail;
		return true;
	}
	return false;
}

static bool bitmap_next(const struct sd_dump *d, uint64_t from, uint64_t *start,
			uint64_t *end)
{
	kdump_attr_t attr;
	kdump_num_t ps;
	kdump_addr_t idx;

	if (kdump_get_attr(d->ctx, KDUMP_ATTR_FILE_PAGEMAP, &attr) != KDUMP_OK ||
	    attr.type != KDUMP_BITMAP ||
	    kdump_get_number_attr(d->ctx, KDUMP_ATTR_PAGE_SIZE, &ps) != KDUMP_OK || !ps)
		return false;
	idx = from / ps;
	if (kdump_bmp_find_set(attr.val.bitmap, &idx) != KDUMP_OK || idx > UINT64_MAX / ps)
		return false;
	*start = (uint64_t)idx * ps > from ? (uint64_t)idx * ps : from;
	/* No clear bit after it: set to the end of the bitmap, whose length
	 * libkdumpfile does not say; one page, and the next call goes on. */
	if (kdump_bmp_find_clear(attr.val.bitmap, &idx) != KDUMP_OK)
		idx = *start / ps + 1;
	*end = idx > UINT64_MAX / ps ? UINT64_MAX : (uint64_t)idx * ps;
	return *end > *start;
}

bool sd_dump_next_range(struct sd_dump *d, uint64_t from, uint64_t *start, uint64_t *end)
{
	return d->is_elf ? elf_next(d, from, start, end) : bitmap_next(d, from, start, end);
}
