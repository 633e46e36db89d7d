/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Dump access: the only layer that does I/O on the vmcore.
 *
 * Opens ELF vmcores, makedumpfile's compressed (zlib/lzo/snappy/zstd) and
 * flattened formats, QEMU's kdump-compressed files (flattened, 64 KiB
 * blocks, machine "Unknown") and /proc/vmcore, all through libkdumpfile.
 * Flattened input is reassembled into an unlinked temporary file first,
 * because libkdumpfile 0.5.1 cannot read it.  Every header is checked here
 * before libkdumpfile reads it.  Physical reads go through a
 * fixed-size page cache.  A page the dump does not hold is SD_ERR_NODATA,
 * never zeros.
 */
#ifndef SD_DUMP_H
#define SD_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sd_diag.h"
#include "sd_error.h"

struct sd_dump;

/* A physical address range, bounds inclusive. */
struct sd_range {
	uint64_t start, end;
};

struct sd_dump_info {
	const char *format;       /* "elf", "kdump", "kdump (flattened)", "qemu kdump (flattened)", ... */
	const char *compression;  /* "none", "zlib", "lzo", "snappy", "zstd", "mixed", or NULL if unknown */
	uint64_t page_size;       /* the kernel's page size (VMCOREINFO PAGESIZE) */
	int dump_level;           /* makedumpfile -d level, -1 when unknown (ELF, QEMU) */
	bool zero_pages_excluded; /* dump_level & 1: all-zero pages were dropped */
	bool reassembled;         /* input was flattened and reassembled */
	const char *osrelease;    /* VMCOREINFO OSRELEASE or NULL */
};

/*
 * Open @path read-only: a regular file, a block device or /proc/vmcore
 * (anything else is SD_ERR_USAGE, and a FIFO does not block).  Its headers
 * are checked before libkdumpfile reads them: a malformed one is
 * SD_ERR_CORRUPT naming the field and its file offset.  Notes for the user
 * (e.g. "reassembled flattened dump") are added to @diags as SD_DIAG_DUMP
 * records, also when the open fails; NULL drops them.
 */
enum sd_status sd_dump_open(const char *path, struct sd_dump **out,
			    struct sd_diags *diags, struct sd_error *err) SD_MUST_CHECK;
void sd_dump_close(struct sd_dump *dump);

const struct sd_dump_info *sd_dump_info(const struct sd_dump *dump);

/*
 * Read @len bytes of physical memory at @pa.  Returns SD_ERR_NODATA when any
 * page of the range is not in the dump (the message names the first missing
 * page), SD_ERR_IO/SD_ERR_CORRUPT on file errors.
 */
enum sd_status sd_dump_read_phys(struct sd_dump *dump, uint64_t pa,
				 void *buf, size_t len, struct sd_error *err) SD_MUST_CHECK;

/*
 * The lowest run of physical memory the dump holds that ends above @from:
 * [*@start, *@end), *@start >= @from.  ELF: the file data of the PT_LOADs;
 * kdump: the pages its bitmap marks present (filtered pages are holes).
 * false when nothing is held above @from.  Walking "all RAM" is
 *     for (pa = 0; sd_dump_next_range(d, pa, &s, &e); pa = e) ...
 * (src/dump/ranges.c)
 */
bool sd_dump_next_range(struct sd_dump *dump, uint64_t from, uint64_t *start,
			uint64_t *end);

/* Kernel virtual read, translated by libkdumpfile (needs VMCOREINFO). */
enum sd_status sd_dump_read_kv(struct sd_dump *dump, uint64_t va,
			       void *buf, size_t len, struct sd_error *err) SD_MUST_CHECK;

/* Value of a VMCOREINFO line KEY=VALUE, or NULL.  The string lives as long
 * as the dump. */
const char *sd_dump_vmcoreinfo(struct sd_dump *dump, const char *key);

/*
 * The physical memory the dump's own memory map describes: for ELF, its
 * PT_LOAD segments (p_memsz), sorted and merged where they touch (a
 * kexec-made vmcore has one per System RAM range, the crash-kernel
 * reservation cut out).  *@out is malloc'd (the caller frees it), *@n its
 * length; 0 ranges for formats without a memory map (kdump: its bitmap
 * says which pages were dumped, not where RAM was).
 */
enum sd_status sd_dump_ram_ranges(const struct sd_dump *dump, struct sd_range **out, size_t *n,
				  struct sd_error *err) SD_MUST_CHECK;

/* Page-cache statistics, for the benchmark. */
struct sd_dump_stats {
	uint64_t reads, hits, misses, nodata;
};
void sd_dump_stats(const struct sd_dump *dump, struct sd_dump_stats *st);

/* Log "PA LEN" (hex) of every physical read and "v VA LEN" of every
 * kernel-virtual read to @f, for the benchmark's lower bound (tests/bench);
 * NULL stops. */
void sd_dump_set_trace(struct sd_dump *dump, FILE *f);

/*
 * A dump whose memory comes from a host that already has the dump open
 * (the crash extension: crash's readmem()), instead of a file read through
 * libkdumpfile.  Physical reads still go through the page cache; a failed
 * read must be SD_ERR_NODATA (not in the dump) or another error, never
 * zeros.
 */
struct sd_dump_backend {
	SD_MUST_CHECK enum sd_status (*read_phys)(void *ctx, uint64_t pa, void *buf, size_t len,
						  struct sd_error *err);
	/* Kernel virtual reads, translated by the host. */
	SD_MUST_CHECK enum sd_status (*read_kv)(void *ctx, uint64_t va, void *buf, size_t len,
						struct sd_error *err);
	/* A VMCOREINFO value (malloc'ed, the dump frees it), NULL when the
	 * key is absent.  Asked once per key. */
	char *(*vmcoreinfo)(void *ctx, const char *key);
};

/* What the host says about its dump, for sd_dump_info() and the report. */
struct sd_dump_backend_desc {
	const char *path;	/* the dump file as the host names it */
	const char *format;	/* e.g. "elf (crash)"; copied */
	const char *compression;	/* NULL when unknown */
	uint64_t page_size;	/* the kernel's, 0: VMCOREINFO PAGESIZE */
	int dump_level;		/* makedumpfile -d, -1 when unknown */
};

/* Open a dump over @be (@ctx is passed to it; both must outlive the dump).
 * sd_dump_close() frees it and nothing of @ctx. */
SD_MUST_CHECK enum sd_status sd_dump_open_backend(const struct sd_dump_backend *be, void *ctx,
						  const struct sd_dump_backend_desc *desc,
						  struct sd_dump **out, struct sd_error *err);

#endif
