/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to the dump access layer (src/dump): the state of an open dump,
 * the on-disk headers it checks before libkdumpfile sees a byte of them,
 * and what its files share.
 *
 *   open.c       sd_dump_open/close: the input's file type, the format, the
 *                order of the repairs, VMCOREINFO, the libkdumpfile context
 *   elf.c        ELF header checks, PT_LOAD coverage (truncated files)
 *   kdump.c      the kdump (diskdump) header: checked and parsed once
 *   qemu.c       QEMU kdump -> temporary ELF
 *   flattened.c  makedumpfile's flattened format -> temporary file
 *   cache.c      the page cache; physical and kernel-virtual reads
 *   backend.c    a dump over a host's reads (the crash extension)
 *
 * open.c's top comment says why each repair is needed with libkdumpfile
 * 0.5.1.
 */
#ifndef SD_DUMP_PRIV_H
#define SD_DUMP_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <libkdumpfile/kdumpfile.h>

#include "dump.h"
#include "sd_diag.h"
#include "sd_error.h"

#define CACHE_PAGES	256
#define HASH_BUCKETS	512		/* power of two */
#define MAX_PT_LOADS	(1u << 20)	/* also the cap on ELF sections */
#define MAX_NOTES_SIZE	(64u << 20)	/* a note segment, VMCOREINFO, ERASEINFO */

/* --- on-disk formats ---------------------------------------------------- */

/*
 * makedumpfile's kdump-compressed header, block 0 of the file
 * (diskdump_mod.h: struct disk_dump_header, 64-bit layout, where struct
 * timeval is two longs and so starts 8-aligned).  Byte order: the dumped
 * machine's.
 */
#define KDUMP_SIG_LEN	8
#define UTS_LEN		65		/* struct new_utsname field */
enum { UTS_SYSNAME, UTS_NODENAME, UTS_RELEASE, UTS_VERSION, UTS_MACHINE,
       UTS_DOMAINNAME, UTS_FIELDS };

struct disk_dump_header {
	char signature[KDUMP_SIG_LEN];	/* "KDUMP   " or "DISKDUMP" */
	int32_t header_version;
	char utsname[UTS_FIELDS][UTS_LEN];
	char pad_timestamp[6];
	int64_t timestamp[2];		/* tv_sec, tv_usec */
	uint32_t status;		/* DUMP_DH_COMPRESSED_* */
	int32_t block_size;
	int32_t sub_hdr_size;		/* in blocks */
	uint32_t bitmap_blocks;
	uint32_t max_mapnr;
	uint32_t total_ram_blocks;
	uint32_t device_blocks;
	uint32_t written_blocks;
	uint32_t current_cpu;
	int32_t nr_cpus;
} __attribute__((packed));
_Static_assert(offsetof(struct disk_dump_header, header_version) == 8, "diskdump_mod.h");
_Static_assert(offsetof(struct disk_dump_header, utsname[UTS_MACHINE]) == 272, "diskdump_mod.h");
_Static_assert(offsetof(struct disk_dump_header, timestamp) == 408, "diskdump_mod.h");
_Static_assert(offsetof(struct disk_dump_header, status) == 424, "diskdump_mod.h");
_Static_assert(offsetof(struct disk_dump_header, block_size) == 428, "diskdump_mod.h");
_Static_assert(offsetof(struct disk_dump_header, sub_hdr_size) == 432, "diskdump_mod.h");
_Static_assert(offsetof(struct disk_dump_header, bitmap_blocks) == 436, "diskdump_mod.h");
_Static_assert(offsetof(struct disk_dump_header, max_mapnr) == 440, "diskdump_mod.h");
_Static_assert(sizeof(struct disk_dump_header) == 464, "diskdump_mod.h");

/*
 * The same header as a 32-bit kernel's makedumpfile writes it (struct
 * timeval of two 32-bit longs, 4-aligned).  This tool reads only 64-bit
 * dumps, but libkdumpfile 0.5.1 (diskdump.c, open_common()) tries this
 * layout first and takes it whenever its block_size, bitmap_blocks and
 * max_mapnr pass try_header(), so kdump.c must see what it would see.
 */
struct disk_dump_header_32 {
	char signature[KDUMP_SIG_LEN];
	int32_t header_version;
	char utsname[UTS_FIELDS][UTS_LEN];
	char pad_timestamp[2];
	int32_t timestamp[2];		/* tv_sec, tv_usec */
	uint32_t status;
	int32_t block_size;
	int32_t sub_hdr_size;
	uint32_t bitmap_blocks;
	uint32_t max_mapnr;
} __attribute__((packed));
_Static_assert(offsetof(struct disk_dump_header_32, timestamp) == 404, "diskdump_mod.h");
_Static_assert(offsetof(struct disk_dump_header_32, block_size) == 416, "diskdump_mod.h");
_Static_assert(offsetof(struct disk_dump_header_32, bitmap_blocks) == 424, "diskdump_mod.h");
_Static_assert(offsetof(struct disk_dump_header_32, max_mapnr) == 428, "diskdump_mod.h");
_Static_assert(sizeof(struct disk_dump_header_32) <= sizeof(struct disk_dump_header), "one read");

/* makedumpfile's struct kdump_sub_header (64-bit), at block 1; the
 * comments give the header_version that introduced each field. */
struct kdump_sub_header {
	uint64_t phys_base;
	int32_t dump_level;		/* 1 */
	int32_t split;			/* 2 */
	uint64_t start_pfn;		/* 2 */
	uint64_t end_pfn;		/* 2 */
	uint64_t offset_vmcoreinfo;	/* 3 */
	uint64_t size_vmcoreinfo;	/* 3 */
	uint64_t offset_note;		/* 4 */
	uint64_t size_note;		/* 4 */
	uint64_t offset_eraseinfo;	/* 5 (libkdumpfile reads it from 4) */
	uint64_t size_eraseinfo;	/* 5 */
	uint64_t start_pfn_64;		/* 6 */
	uint64_t end_pfn_64;		/* 6 */
	uint64_t max_mapnr_64;		/* 6 */
} __attribute__((packed));
_Static_assert(offsetof(struct kdump_sub_header, dump_level) == 8, "diskdump_mod.h");
_Static_assert(offsetof(struct kdump_sub_header, split) == 12, "diskdump_mod.h");
_Static_assert(offsetof(struct kdump_sub_header, start_pfn) == 16, "diskdump_mod.h");
_Static_assert(offsetof(struct kdump_sub_header, offset_vmcoreinfo) == 32, "diskdump_mod.h");
_Static_assert(offsetof(struct kdump_sub_header, offset_note) == 48, "diskdump_mod.h");
_Static_assert(offsetof(struct kdump_sub_header, size_note) == 56, "diskdump_mod.h");
_Static_assert(offsetof(struct kdump_sub_header, offset_eraseinfo) == 64, "diskdump_mod.h");
_Static_assert(offsetof(struct kdump_sub_header, start_pfn_64) == 80, "diskdump_mod.h");
_Static_assert(offsetof(struct kdump_sub_header, max_mapnr_64) == 96, "diskdump_mod.h");
_Static_assert(sizeof(struct kdump_sub_header) == 104, "diskdump_mod.h");

#define DUMP_DH_COMPRESSED_ZLIB		0x1
#define DUMP_DH_COMPRESSED_LZO		0x2
#define DUMP_DH_COMPRESSED_SNAPPY	0x4
#define DUMP_DH_COMPRESSED_ZSTD		0x20

/*
 * makedumpfile's flattened format (makedumpfile.h, QEMU dump.h), all
 * big-endian: a 4096-byte block that starts with struct makedumpfile_header,
 * then records of struct makedumpfile_data_header + buf_size bytes for file
 * offset @offset, ended by offset = -1.
 */
#define MDF_SIGNATURE		"makedumpfile"
#define MDF_SIG_LEN		16
#define MDF_TYPE_FLAT		1
#define SD_FLAT_HEADER_SIZE	4096

struct makedumpfile_header {
	char signature[MDF_SIG_LEN];
	int64_t type;
	int64_t version;
} __attribute__((packed));
_Static_assert(offsetof(struct makedumpfile_header, type) == 16, "makedumpfile.h");
_Static_assert(offsetof(struct makedumpfile_header, version) == 24, "makedumpfile.h");
_Static_assert(sizeof(struct makedumpfile_header) <= SD_FLAT_HEADER_SIZE, "makedumpfile.h");

struct makedumpfile_data_header {
	int64_t offset;
	int64_t buf_size;
} __attribute__((packed));
_Static_assert(offsetof(struct makedumpfile_data_header, buf_size) == 8, "makedumpfile.h");
_Static_assert(sizeof(struct makedumpfile_data_header) == 16, "makedumpfile.h");

/* --- the kdump header, parsed once (kdump.c) ----------------------------- */

struct kdump_hdr {
	bool valid;		/* a kdump header was checked and parsed */
	bool diskdump;		/* signature "DISKDUMP" rather than "KDUMP   " */
	int32_t version;
	uint32_t status;
	uint32_t block_size;
	int32_t dump_level;	/* -1 without a sub-header (version 0) */
	char machine[UTS_LEN + 1];
	uint64_t note_off, note_size;	/* from version 4, else 0 */
	uint64_t max_mapnr;	/* max_mapnr_64 when set (version 6+) */
};

/* --- the open dump --------------------------------------------------------- */

enum page_state { PG_EMPTY = 0, PG_DATA, PG_NODATA };

/* Why a page is not in the dump (cached with negative entries). */
enum nodata_why {
	WHY_EXCLUDED = 0,	/* libkdumpfile: KDUMP_ERR_NODATA */
	WHY_NO_LOAD,		/* ELF: in no PT_LOAD */
	WHY_PAST_EOF,		/* ELF: PT_LOAD data past the end of a truncated file */
	WHY_NOT_STORED,		/* ELF: between p_filesz and p_memsz */
};

struct cache_ent {
	uint64_t pfn;
	int32_t next;		/* hash chain, -1 ends */
	uint8_t state;
	uint8_t ref;
	uint8_t why;
};

struct load {
	uint64_t pa, filesz, memsz, off;
	uint64_t avail;		/* bytes of file data actually present */
};

struct kv_line {
	const char *key, *val;
};

struct sd_dump {
	char *path;
	int fd;			/* the input, O_RDONLY */
	int datafd;		/* what libkdumpfile reads: fd or a temp file */
	kdump_ctx_t *ctx;
	kdump_addrspace_t phys_as;
	bool is_elf;
	bool truncated;
	bool flattened;		/* reassembled from the flattened format */
	bool qemu;		/* a QEMU kdump (converted or not) */
	/* why addrxlat.ostype is not set (VMCOREINFO that would crash
	 * libkdumpfile's translation), empty when it is */
	char xlat_refused[160];
	uint64_t file_size;	/* of datafd; 0 when unknown (/proc/vmcore) */

	struct load *loads;	/* ELF only, sorted by pa */
	size_t nloads;

	char *vmci;		/* VMCOREINFO copy, NUL-separated */
	struct kv_line *lines;
	size_t nlines;

	struct sd_dump_info info;
	char format[48];
	char compression[16];

	uint64_t ps;		/* cache page size */
	unsigned ps_shift;
	bool ps_fallback;	/* FALLBACK_PAGE_SIZE set: the dump gave none */
	unsigned char *cdata;
	struct cache_ent ent[CACHE_PAGES];
	int32_t bucket[HASH_BUCKETS];
	unsigned hand;
	int32_t nused;

	struct sd_dump_stats stats;
	FILE *trace;		/* sd_dump_set_trace(): every physical read */
	struct sd_diags *diags;	/* the caller's, or NULL */

	/* backend.c: memory from a host, not libkdumpfile (ctx is NULL) */
	const struct sd_dump_backend *be;
	void *be_ctx;
	struct kv_line *be_lines;	/* VMCOREINFO asked so far, both strings owned */
	size_t nbe_lines;
};

/* --- open.c ------------------------------------------------------------------ */

/* A note for the user: a SD_DIAG_DUMP record in the caller's diagnostics. */
void dump_note(struct sd_dump *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* 0: all read; 1: short (end of file); -1: error (errno). */
int dump_pread_full(int fd, void *buf, size_t len, uint64_t off);
/* Read up to @len bytes at @off (or, with @off < 0, from the file position),
 * retrying short reads; the bytes read (< @len only at end of file) or -1. */
ssize_t dump_read_some(int fd, void *buf, size_t len, int64_t off);
int dump_pwrite_full(int fd, const void *buf, size_t len, uint64_t off);
enum sd_status dump_kstatus(kdump_status ks);
const char *dump_kerr(kdump_ctx_t *ctx, kdump_status ks);
/* A new libkdumpfile context on @fd; @arch (may be NULL) is set first. */
enum sd_status dump_open_ctx(struct sd_dump *d, int fd, const char *arch,
			     bool diskdump, kdump_ctx_t **out, struct sd_error *err) SD_MUST_CHECK;
kdump_status dump_set_ostype(struct sd_dump *d);

/* --- elf.c ------------------------------------------------------------------- */

/*
 * Check the ELF header, program headers and section headers of the file
 * open on @fd (@size bytes, 0 when unknown) against the file, and build
 * d->loads.  @where names the file in messages ("" or " of the
 * reassembled dump").
 */
enum sd_status dump_elf_check(struct sd_dump *d, int fd, uint64_t size,
			      const char *where, struct sd_error *err) SD_MUST_CHECK;
bool dump_elf_covered(const struct sd_dump *d, uint64_t pa, uint64_t len,
		      uint64_t *bad, enum nodata_why *why);
bool dump_elf_overlaps(const struct sd_dump *d, uint64_t pa, uint64_t len);
/* A page-aligned physical address with a whole page of file data. */
bool dump_elf_probe_addr(const struct sd_dump *d, uint64_t *pa);

/* --- kdump.c ----------------------------------------------------------------- */

/* The one rule for a kdump block size and a page size: a power of two
 * from 512 bytes to 1 MiB. */
bool dump_block_size_ok(uint64_t n);
/* VMCOREINFO at @off (@len bytes: ELF notes when @notes, else bare text)
 * whose PAGESIZE is no page size: SD_ERR_CORRUPT naming @what (vmci.c). */
enum sd_status dump_vmci_check(struct sd_dump *d, int fd, uint64_t off, uint64_t len,
			       bool notes, const char *what, struct sd_error *err);
enum sd_status dump_kdump_hdr(struct sd_dump *d, int fd, uint64_t size, const char *where,
			      struct kdump_hdr *h, struct sd_error *err) SD_MUST_CHECK;
const char *dump_kdump_compression(uint32_t status);
const char *dump_kdump_arch(const struct kdump_hdr *h);

/* --- qemu.c ------------------------------------------------------------------ */

/* When the kdump file open in d->ctx is QEMU's, set d->qemu and, if its
 * blocks are larger than the kernel's pages, replace it by a temporary ELF
 * file (d->datafd, d->ctx reopened, *ostype_ks updated). */
enum sd_status dump_qemu_convert(struct sd_dump *d, const struct kdump_hdr *h,
				 const char *vmci_raw, kdump_status *ostype_ks,
				 struct sd_error *err) SD_MUST_CHECK;

/* --- flattened.c ------------------------------------------------------------- */

/* True when @hdr (@len bytes from the start of a file) is a flattened
 * header of type 1. */
bool sd_flat_detect(const void *hdr, size_t len);

/*
 * Open an unlinked read-write temporary file: O_TMPFILE in $TMPDIR, then
 * /var/tmp, then mkstemp()+unlink() in the same places.  @what names the
 * file's purpose in error messages.
 */
enum sd_status sd_tmpfile(int *out_fd, const char *what, struct sd_error *err) SD_MUST_CHECK;

/*
 * Reassemble the flattened file open on @infd (read sequentially from its
 * start, so a pipe would do) into a new unlinked temporary file.  Memory
 * use is bounded by a fixed copy buffer.  Every record is validated; a
 * bad or truncated record is SD_ERR_CORRUPT naming its file offset.  On
 * success *@out_fd is the temporary file and *@out_size its length.
 */
enum sd_status sd_flat_reassemble(int infd, const char *name, int *out_fd,
				  uint64_t *out_size, struct sd_error *err) SD_MUST_CHECK;

/* --- backend.c ---------------------------------------------------------------- */

const char *dump_backend_vmcoreinfo(struct sd_dump *d, const char *key);
void dump_backend_free(struct sd_dump *d);

/* --- cache.c ----------------------------------------------------------------- */

/* Allocate the page cache for d->ps-byte pages and empty it. */
enum sd_status dump_cache_init(struct sd_dump *d, struct sd_error *err) SD_MUST_CHECK;

#endif
