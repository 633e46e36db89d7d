// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dump access layer: the only code that does I/O on the vmcore.
 *
 * Everything is read through libkdumpfile 0.5.1, with four repairs done
 * here because that version cannot do them itself:
 *
 *  - makedumpfile's flattened format is reassembled into an unlinked
 *    temporary file first (flattened.c);
 *
 *  - QEMU's kdump-compressed output (dump-guest-memory format=kdump-*):
 *    QEMU writes every aarch64 dump in 64 KiB blocks (its dump_info
 *    page_size is the largest arm64 granule, whatever the guest uses):
 *    block_size, max_mapnr, both bitmaps and the page descriptors all
 *    count 64 KiB pages.  libkdumpfile's diskdump.c takes block_size as the
 *    page size in try_header() (set_page_size, set_max_pfn(max_mapnr)),
 *    but while reading the notes the VMCOREINFO hook (vmcoreinfo.c,
 *    lines_post_hook) sees PAGESIZE=4096 and calls set_page_size(4096).
 *    From then on diskdump_read_page() computes pfn = addr >> 12 and
 *    compares it with max_mapnr, which is in 64 KiB units, so every RAM
 *    address is "Out-of-bounds PFN" (and the few below the bound would
 *    hit the wrong descriptors).  Setting arch.page_size back to the block
 *    size after opening makes physical reads correct, but libkdumpfile
 *    also hands that page size to addrxlat as the translation granule
 *    (aarch64 init_pgt_meth uses OPT_pagesize), so kernel-virtual reads
 *    would walk a 4 KiB kernel's page tables as 64 KiB ones.  Patching the
 *    header cannot help either: a block is one compressed 64 KiB unit and
 *    cannot be described as sixteen 4 KiB pages.  So the QEMU file is
 *    opened once with arch.page_size pinned to the block size, every
 *    dumped block is read (libkdumpfile decompresses) and written into an
 *    unlinked temporary ELF vmcore (EM_AARCH64, the original notes
 *    including VMCOREINFO, one PT_LOAD per run of dumped blocks, all-zero
 *    blocks left as sparse holes), which is then opened normally: the
 *    page size is the kernel's and both physical and virtual reads work.
 *    utsname.machine "Unknown" leaves arch.name unset in the QEMU file;
 *    the ELF's e_machine provides it.
 *
 *  - a truncated ELF file reads as zeros past its end in libkdumpfile:
 *    the PT_LOAD extents are compared with the file size at open, and
 *    pages past EOF (or in no PT_LOAD, or beyond p_filesz) are
 *    SD_ERR_NODATA, decided here before libkdumpfile is asked.
 *
 *  - a kdump-compressed file whose header or sub-header points outside the
 *    file (block_size 0, huge bitmap_blocks, sub_hdr_size, size_note ...)
 *    makes 0.5.1 fail its open and then crash in kdump_free(): the header
 *    is checked against the file size first (check_kdump_hdr()), for the
 *    input as well as for a reassembled flattened file, and refused as
 *    SD_ERR_CORRUPT naming the field, its value and its file offset.
 *
 * Physical address space: KDUMP_MACHPHYSADDR, for every format.  In
 * libkdumpfile both the ELF and the diskdump formats read pages by machine
 * physical address (ELF p_paddr, diskdump PFN) with no translation;
 * KDUMP_KPHYSADDR is a separate "kernel physical" space (different only
 * under Xen) that is reached through the OS translation map, so it fails
 * until addrxlat.ostype is set ("Cannot determine VA_BITS: Unsupported OS
 * type") and then needs VMCOREINFO (swapper_pg_dir, kimage_voffset,
 * VA_BITS).  Measured on ELF and kdump files: MACHPHYSADDR reads give the
 * right bytes with or without ostype and VMCOREINFO, KPHYSADDR only with
 * both; on arm64 both spaces hold the same numbers.  (KPHYSADDR reads of
 * an ELF file also leak one 104-byte block per context inside 0.5.1.)
 * The choice is confirmed at open by reading a page known to be present,
 * with KPHYSADDR as the fallback.
 *
 * Physical reads go through a fixed-size page cache (CACHE_PAGES pages of
 * the dump's page size, hashed, clock replacement) that also remembers
 * pages the dump does not hold.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include "dump.h"
#include "flattened.h"

#define CACHE_PAGES 256
#define HASH_BUCKETS 512		/* power of two */
#define MAX_PT_LOADS (1u << 20)
#define MAX_NOTES_SIZE (64u << 20)
#define PROC_SUPER_MAGIC_ 0x9fa0

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
	uint64_t file_size;	/* 0 when unknown (/proc/vmcore, pipes) */

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
	unsigned char *cdata;
	struct cache_ent ent[CACHE_PAGES];
	int32_t bucket[HASH_BUCKETS];
	unsigned hand;
	int32_t nused;

	struct sd_dump_stats stats;
	FILE *trace;		/* sd_dump_set_trace(): every physical read */
	void (*note_cb)(const char *msg);
};

/* --- helpers ---------------------------------------------------------- */

static void note(struct sd_dump *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(struct sd_dump *d, const char *fmt, ...)
{
	char msg[SD_ERROR_MSG_MAX];
	va_list ap;

	if (!d->note_cb)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d->note_cb(msg);
}

static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = pread(fd, (char *)buf + done, len - done,
				  (off_t)(off + done));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		done += (size_t)r;
	}
	return (int)(done == len ? 0 : 1);	/* 1: short (EOF) */
}

static int pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t w = pwrite(fd, (const char *)buf + done, len - done,
				   (off_t)(off + done));
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += (size_t)w;
	}
	return 0;
}

static enum sd_status kstatus(kdump_status ks)
{
	switch (ks) {
	case KDUMP_OK: return SD_OK;
	case KDUMP_ERR_NODATA: return SD_ERR_NODATA;
	case KDUMP_ERR_CORRUPT: return SD_ERR_CORRUPT;
	case KDUMP_ERR_NOTIMPL: return SD_ERR_UNSUPPORTED;
	case KDUMP_ERR_SYSTEM:
	case KDUMP_ERR_EOF: return SD_ERR_IO;
	default: return SD_ERR_CORRUPT;
	}
}

static const char *kerr(kdump_ctx_t *ctx, kdump_status ks)
{
	const char *e = ctx ? kdump_get_err(ctx) : NULL;

	return e && *e ? e : kdump_strerror(ks);
}

static bool is_zero(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* --- VMCOREINFO ------------------------------------------------------- */

static void parse_vmcoreinfo(struct sd_dump *d, char *raw)
{
	size_t n = 0, cap = 0;
	char *p = raw, *nl, *eq;

	d->vmci = raw;
	while (*p) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		eq = strchr(p, '=');
		if (eq && eq != p) {
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				struct kv_line *nl2 = realloc(d->lines, ncap * sizeof(*nl2));

				if (!nl2)
					break;	/* keep what we have */
				d->lines = nl2;
				cap = ncap;
			}
			*eq = '\0';
			d->lines[n].key = p;
			d->lines[n].val = eq + 1;
			n++;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	d->nlines = n;
}

const char *sd_dump_vmcoreinfo(struct sd_dump *dump, const char *key)
{
	size_t i;

	if (!dump || !key)
		return NULL;
	for (i = 0; i < dump->nlines; i++)
		if (strcmp(dump->lines[i].key, key) == 0)
			return dump->lines[i].val;
	return NULL;
}

/* --- ELF program headers (coverage / truncation) ---------------------- */

static int load_cmp(const void *a, const void *b)
{
	const struct load *x = a, *y = b;

	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

static enum sd_status read_elf_loads(struct sd_dump *d, struct sd_error *err)
{
	Elf64_Ehdr eh;
	uint64_t phnum, i, phoff;
	struct load *loads;
	size_t n = 0;

	if (pread_full(d->datafd, &eh, sizeof(eh), 0) != 0)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: ELF header truncated at offset 0", d->path);
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return SD_OK;	/* no coverage table; libkdumpfile decides */
	phoff = eh.e_phoff;
	phnum = eh.e_phnum;
	if (phnum == PN_XNUM) {
		Elf64_Shdr sh;

		if (!eh.e_shoff ||
		    pread_full(d->datafd, &sh, sizeof(sh), eh.e_shoff) != 0)
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "%s: ELF section header 0 (holding e_phnum) unreadable at offset 0x%" PRIx64,
					    d->path, (uint64_t)eh.e_shoff);
		phnum = sh.sh_info;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || phnum > MAX_PT_LOADS)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: bad ELF program header table at offset 0x%" PRIx64
				    " (%" PRIu64 " entries of %u bytes)",
				    d->path, phoff, phnum, eh.e_phentsize);
	loads = calloc(phnum ? phnum : 1, sizeof(*loads));
	if (!loads)
		return sd_error_set(err, SD_ERR_NOMEM,
				    "%s: no memory for %" PRIu64 " program headers", d->path, phnum);
	for (i = 0; i < phnum; i++) {
		Elf64_Phdr ph;
		uint64_t at = phoff + i * sizeof(ph);

		if (pread_full(d->datafd, &ph, sizeof(ph), at) != 0) {
			free(loads);
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "%s: ELF program header %" PRIu64 " truncated at offset 0x%" PRIx64,
					    d->path, i, at);
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset + ph.p_filesz < ph.p_offset ||
		    ph.p_paddr + ph.p_memsz < ph.p_paddr) {
			free(loads);
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "%s: PT_LOAD %" PRIu64 " (header at offset 0x%" PRIx64
					    ", paddr 0x%" PRIx64 ") has impossible sizes",
					    d->path, i, at, (uint64_t)ph.p_paddr);
		}
		loads[n].pa = ph.p_paddr;
		loads[n].filesz = ph.p_filesz;
		loads[n].memsz = ph.p_memsz;
		loads[n].off = ph.p_offset;
		loads[n].avail = ph.p_filesz;
		if (d->file_size) {
			if (ph.p_offset >= d->file_size)
				loads[n].avail = 0;
			else if (ph.p_offset + ph.p_filesz > d->file_size)
				loads[n].avail = d->file_size - ph.p_offset;
			if (loads[n].avail < ph.p_filesz)
				d->truncated = true;
		}
		n++;
	}
	qsort(loads, n, sizeof(*loads), load_cmp);
	d->loads = loads;
	d->nloads = n;
	return SD_OK;
}

/*
 * ELF coverage of [pa, pa+len): returns true when every byte is backed by
 * file data.  Otherwise *bad is the first address that is not and *why
 * says why.
 */
static bool elf_covered(const struct sd_dump *d, uint64_t pa, uint64_t len,
			uint64_t *bad, enum nodata_why *why)
{
	uint64_t cur = pa, end = pa + len;

	while (cur < end) {
		uint64_t best = cur;	/* furthest covered end found */
		enum nodata_why w = WHY_NO_LOAD;
		size_t i;

		for (i = 0; i < d->nloads && d->loads[i].pa <= cur; i++) {
			const struct load *l = &d->loads[i];

			if (cur >= l->pa + l->memsz)
				continue;
			if (cur < l->pa + l->avail) {
				if (l->pa + l->avail > best)
					best = l->pa + l->avail;
			} else if (w == WHY_NO_LOAD) {
				w = cur < l->pa + l->filesz ? WHY_PAST_EOF : WHY_NOT_STORED;
			}
		}
		if (best == cur) {
			*bad = cur;
			*why = w;
			return false;
		}
		cur = best;
	}
	return true;
}

/* --- page cache ------------------------------------------------------- */

static unsigned hash_pfn(uint64_t pfn)
{
	return (unsigned)((pfn * 0x9e3779b97f4a7c15ull) >> 32) & (HASH_BUCKETS - 1);
}

static int32_t cache_find(struct sd_dump *d, uint64_t pfn)
{
	int32_t i;

	for (i = d->bucket[hash_pfn(pfn)]; i >= 0; i = d->ent[i].next)
		if (d->ent[i].pfn == pfn)
			return i;
	return -1;
}

static void cache_unlink(struct sd_dump *d, int32_t idx)
{
	int32_t *pp = &d->bucket[hash_pfn(d->ent[idx].pfn)];

	while (*pp >= 0) {
		if (*pp == idx) {
			*pp = d->ent[idx].next;
			break;
		}
		pp = &d->ent[*pp].next;
	}
	d->ent[idx].state = PG_EMPTY;
}

static int32_t cache_victim(struct sd_dump *d)
{
	int32_t idx;

	if (d->nused < CACHE_PAGES)
		return d->nused++;
	for (;;) {
		idx = (int32_t)d->hand;
		d->hand = (d->hand + 1) % CACHE_PAGES;
		if (d->ent[idx].ref) {
			d->ent[idx].ref = 0;
			continue;
		}
		cache_unlink(d, idx);
		return idx;
	}
}

static void cache_insert(struct sd_dump *d, int32_t idx, uint64_t pfn,
			 enum page_state st, enum nodata_why why)
{
	unsigned b = hash_pfn(pfn);

	d->ent[idx].pfn = pfn;
	d->ent[idx].state = (uint8_t)st;
	d->ent[idx].why = (uint8_t)why;
	d->ent[idx].ref = 1;
	d->ent[idx].next = d->bucket[b];
	d->bucket[b] = idx;
}

static enum sd_status nodata_err(struct sd_dump *d, uint64_t addr,
				 enum nodata_why why, struct sd_error *err)
{
	uint64_t page = addr & ~(d->ps - 1);

	switch (why) {
	case WHY_NO_LOAD:
		return sd_error_set(err, SD_ERR_NODATA,
				    "physical page 0x%" PRIx64 " is not in the dump (address 0x%" PRIx64
				    " is in no PT_LOAD segment)", page, addr);
	case WHY_PAST_EOF:
		return sd_error_set(err, SD_ERR_NODATA,
				    "physical page 0x%" PRIx64 " is not in the dump (address 0x%" PRIx64
				    " lies past the end of the truncated file %s)", page, addr, d->path);
	case WHY_NOT_STORED:
		return sd_error_set(err, SD_ERR_NODATA,
				    "physical page 0x%" PRIx64 " is not in the dump (address 0x%" PRIx64
				    " is beyond its PT_LOAD's file data: filtered)", page, addr);
	case WHY_EXCLUDED:
	default:
		if (d->info.dump_level > 0)
			return sd_error_set(err, SD_ERR_NODATA,
					    "physical page 0x%" PRIx64 " is not in the dump (excluded by"
					    " makedumpfile -d %d%s)", page, d->info.dump_level,
					    d->info.zero_pages_excluded ? ", possibly all-zero" : "");
		return sd_error_set(err, SD_ERR_NODATA,
				    "physical page 0x%" PRIx64 " is not in the dump", page);
	}
}

/* Read one page from libkdumpfile into @buf; NODATA is reported through
 * *why (and SD_ERR_NODATA). */
#define KDUMP_CACHE_ENTRIES	64

static enum sd_status fetch_page(struct sd_dump *d, uint64_t pfn, void *buf,
				 enum nodata_why *why, struct sd_error *err)
{
	uint64_t pa = pfn << d->ps_shift;
	size_t len = d->ps;
	kdump_status ks;

	ks = kdump_read(d->ctx, d->phys_as, pa, buf, &len);
	if (ks == KDUMP_OK && len == d->ps)
		return SD_OK;
	if (ks == KDUMP_ERR_NODATA) {
		*why = WHY_EXCLUDED;
		return SD_ERR_NODATA;
	}
	if (ks == KDUMP_OK)
		return sd_error_set(err, SD_ERR_IO,
				    "%s: short read of physical page 0x%" PRIx64 " (%zu of %" PRIu64 " bytes)",
				    d->path, pa, len, d->ps);
	return sd_error_set(err, kstatus(ks),
			    "%s: cannot read physical page 0x%" PRIx64 ": %s",
			    d->path, pa, kerr(d->ctx, ks));
}

/* True when some byte of [pa, pa+len) is backed by file data. */
static bool elf_overlaps(const struct sd_dump *d, uint64_t pa, uint64_t len)
{
	size_t i;

	for (i = 0; i < d->nloads && d->loads[i].pa < pa + len; i++)
		if (d->loads[i].avail && d->loads[i].pa + d->loads[i].avail > pa)
			return true;
	return false;
}

static enum sd_status read_uncached(struct sd_dump *d, uint64_t pa, void *buf,
				    size_t len, struct sd_error *err)
{
	size_t got = len;
	kdump_status ks = kdump_read(d->ctx, d->phys_as, pa, buf, &got);

	if (ks == KDUMP_OK && got == len)
		return SD_OK;
	if (ks == KDUMP_ERR_NODATA)
		return sd_error_set(err, SD_ERR_NODATA,
				    "physical page 0x%" PRIx64 " is not in the dump (%s)",
				    (pa + got) & ~(d->ps - 1), kerr(d->ctx, ks));
	return sd_error_set(err, ks == KDUMP_OK ? SD_ERR_IO : kstatus(ks),
			    "%s: cannot read physical 0x%" PRIx64 "+0x%zx: %s",
			    d->path, pa, len, ks == KDUMP_OK ? "short read" : kerr(d->ctx, ks));
}

enum sd_status sd_dump_read_phys(struct sd_dump *d, uint64_t pa,
				 void *buf, size_t len, struct sd_error *err)
{
	unsigned char *out = buf;
	enum sd_status st;

	if (!d || (!buf && len))
		return sd_error_set(err, SD_ERR_USAGE, "sd_dump_read_phys: bad arguments");
	d->stats.reads++;
	if (d->trace && len)
		fprintf(d->trace, "%" PRIx64 " %zx\n", pa, len);
	if (len && pa + len - 1 < pa)
		return sd_error_set(err, SD_ERR_USAGE,
				    "physical range 0x%" PRIx64 "+0x%zx wraps around", pa, len);

	while (len) {
		uint64_t pfn = pa >> d->ps_shift;
		size_t in = (size_t)(pa & (d->ps - 1));
		size_t chunk = d->ps - in;
		int32_t idx;

		if (chunk > len)
			chunk = len;

		idx = cache_find(d, pfn);
		if (idx >= 0) {
			d->stats.hits++;
			d->ent[idx].ref = 1;
			if (d->ent[idx].state == PG_NODATA) {
				d->stats.nodata++;
				return nodata_err(d, pa, (enum nodata_why)d->ent[idx].why, err);
			}
		} else {
			enum nodata_why why = WHY_EXCLUDED;
			uint64_t page = pfn << d->ps_shift, bad;

			d->stats.misses++;
			if (d->is_elf && d->loads &&
			    !elf_covered(d, page, d->ps, &bad, &why)) {
				if (elf_covered(d, pa, chunk, &bad, &why)) {
					/* A partly covered page: read just the
					 * covered range asked for, uncached. */
					st = read_uncached(d, pa, out, chunk, err);
					if (st != SD_OK)
						return st;
					goto next;
				}
				if (!elf_overlaps(d, page, d->ps)) {
					idx = cache_victim(d);
					cache_insert(d, idx, pfn, PG_NODATA, why);
				}
				d->stats.nodata++;
				return nodata_err(d, bad, why, err);
			}
			idx = cache_victim(d);
			st = fetch_page(d, pfn, d->cdata + (size_t)idx * d->ps, &why, err);
			if (st == SD_ERR_NODATA) {
				cache_insert(d, idx, pfn, PG_NODATA, why);
				d->stats.nodata++;
				return nodata_err(d, pa, why, err);
			}
			if (st != SD_OK) {
				/* the slot stays empty and out of the hash */
				d->ent[idx].state = PG_EMPTY;
				d->ent[idx].ref = 0;
				return st;
			}
			cache_insert(d, idx, pfn, PG_DATA, WHY_EXCLUDED);
		}
		memcpy(out, d->cdata + (size_t)idx * d->ps + in, chunk);
next:
		out += chunk;
		pa += chunk;
		len -= chunk;
	}
	return SD_OK;
}

enum sd_status sd_dump_read_kv(struct sd_dump *d, uint64_t va,
			       void *buf, size_t len, struct sd_error *err)
{
	size_t got = len;
	kdump_status ks;

	if (!d || (!buf && len))
		return sd_error_set(err, SD_ERR_USAGE, "sd_dump_read_kv: bad arguments");
	if (d->trace && len)
		fprintf(d->trace, "v %" PRIx64 " %zx\n", va, len);
	if (!len)
		return SD_OK;
	ks = kdump_read(d->ctx, KDUMP_KVADDR, va, buf, &got);
	if (ks == KDUMP_OK && got == len)
		return SD_OK;
	if (ks == KDUMP_OK)
		return sd_error_set(err, SD_ERR_IO,
				    "%s: short read at kernel VA 0x%" PRIx64 " (%zu of %zu bytes)",
				    d->path, va, got, len);
	if (ks == KDUMP_ERR_NODATA || ks == KDUMP_ERR_ADDRXLAT)
		return sd_error_set(err, SD_ERR_NODATA,
				    "kernel VA 0x%" PRIx64 " (byte %zu of %zu) is not in the dump: %s",
				    va + got, got, len, kerr(d->ctx, ks));
	return sd_error_set(err, kstatus(ks),
			    "%s: cannot read kernel VA 0x%" PRIx64 ": %s",
			    d->path, va + got, kerr(d->ctx, ks));
}

/* --- kdump (diskdump) header ------------------------------------------ */

/* disk_dump_header_64 / kdump_sub_header_64 field offsets (makedumpfile
 * diskdump_mod.h), little-endian. */
#define DH_SIG		0
#define DH_VERSION	8
#define DH_MACHINE	(12 + 4 * 65)
#define DH_STATUS	424
#define DH_BLOCK_SIZE	428
#define DH_SUB_HDR_SIZE	432
#define DH_BITMAP_BLOCKS 436
#define DH_MAX_MAPNR	440
#define DH_SIZE		464
#define SH_DUMP_LEVEL	8
#define SH_SPLIT	12
#define SH_START_PFN	16
#define SH_END_PFN	24
#define SH_OFFSET_VMCI	32
#define SH_SIZE_VMCI	40
#define SH_OFFSET_NOTE	48
#define SH_SIZE_NOTE	56
#define SH_OFFSET_ERASE	64
#define SH_SIZE_ERASE	72
#define SH_START_PFN_64	80
#define SH_END_PFN_64	88
#define SH_MAX_MAPNR_64	96
#define SH_SIZE		104

/* Limits for the header check; a block is one page of the dumped kernel
 * (makedumpfile) or QEMU's 64 KiB. */
#define KDUMP_MIN_BLOCK		512u
#define KDUMP_MAX_BLOCK		(1u << 20)
#define KDUMP_MAX_VERSION	0xffff
#define MAX_BLOB_SIZE		MAX_NOTES_SIZE	/* VMCOREINFO, ERASEINFO */

#define DUMP_DH_COMPRESSED_ZLIB   0x1
#define DUMP_DH_COMPRESSED_LZO    0x2
#define DUMP_DH_COMPRESSED_SNAPPY 0x4
#define DUMP_DH_COMPRESSED_ZSTD   0x20

struct kdump_hdr {
	bool valid;
	int32_t version;
	uint32_t status;
	uint32_t block_size;
	int32_t dump_level;	/* -1 if not present */
	char machine[66];
	uint64_t note_off, note_size;
	uint64_t max_mapnr;
};

static uint32_t le32_at(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

static uint64_t le64_at(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

static void read_kdump_hdr(int fd, struct kdump_hdr *h)
{
	unsigned char dh[DH_SIZE], sh[SH_SIZE];

	memset(h, 0, sizeof(*h));
	h->dump_level = -1;
	if (pread_full(fd, dh, sizeof(dh), 0) != 0)
		return;
	h->version = (int32_t)le32_at(dh + DH_VERSION);
	h->status = le32_at(dh + DH_STATUS);
	h->block_size = le32_at(dh + DH_BLOCK_SIZE);
	h->max_mapnr = le32_at(dh + DH_MAX_MAPNR);
	memcpy(h->machine, dh + DH_MACHINE, 65);
	h->machine[65] = '\0';
	if (h->block_size < 512 || h->block_size > (1u << 20) ||
	    (h->block_size & (h->block_size - 1)))
		return;
	h->valid = true;
	if (h->version >= 1 && pread_full(fd, sh, sizeof(sh), h->block_size) == 0) {
		h->dump_level = (int32_t)le32_at(sh + SH_DUMP_LEVEL);
		if (h->version >= 4) {
			h->note_off = le64_at(sh + SH_OFFSET_NOTE);
			h->note_size = le64_at(sh + SH_SIZE_NOTE);
		}
		if (h->version >= 6 && le64_at(sh + SH_MAX_MAPNR_64))
			h->max_mapnr = le64_at(sh + SH_MAX_MAPNR_64);
	}
}

static bool block_size_ok(int32_t bs)
{
	return bs >= (int32_t)KDUMP_MIN_BLOCK && bs <= (int32_t)KDUMP_MAX_BLOCK &&
	       !(bs & (bs - 1));
}

static uint32_t get32(const unsigned char *p, bool be)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return be ? be32toh(v) : le32toh(v);
}

static uint64_t get64(const unsigned char *p, bool be)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return be ? be64toh(v) : le64toh(v);
}

/* A VMCOREINFO, note or ERASEINFO range that libkdumpfile would fail to
 * read: true, with the reason in @why. */
static bool blob_bad(uint64_t off, uint64_t len, uint64_t size, char *why, size_t n)
{
	if (len > MAX_BLOB_SIZE) {
		snprintf(why, n, "is larger than %u MiB", MAX_BLOB_SIZE >> 20);
		return true;
	}
	if (off + len < off || (size && off + len > size)) {
		snprintf(why, n, "ends beyond the end of the file (%" PRIu64 " bytes)", size);
		return true;
	}
	return false;
}

/* The error for a sub-header range (@name: "VMCOREINFO", "note",
 * "ERASEINFO") that blob_bad() rejected: both fields, with their values
 * and file offsets. */
static enum sd_status range_error(struct sd_dump *d, const char *where, const char *name,
				  const char *field, uint64_t off, uint64_t off_at, uint64_t len,
				  uint64_t len_at, const char *why, struct sd_error *err)
{
	return sd_error_set(err, SD_ERR_CORRUPT,
			    "%s: corrupt kdump sub-header%s: the %s range (offset_%s 0x%" PRIx64
			    " at file offset %" PRIu64 ", size_%s %" PRIu64 " at file offset %"
			    PRIu64 ") %s", d->path, where, name, field, off, off_at, field, len,
			    len_at, why);
}

/*
 * Check the disk_dump_header and kdump_sub_header of the file open on @fd
 * (@size bytes, 0 when unknown) before libkdumpfile sees it.
 *
 * libkdumpfile 0.5.1 trusts these fields: when its diskdump open fails
 * (a bitmap, sub-header or note range past EOF, block_size 0, ...) it
 * frees the format's private data and kdump_free() frees it again, so the
 * process dies with SIGSEGV instead of getting an error.  Everything it
 * reads while opening is therefore checked here against the file size:
 * the header and the sub-header (block 1), the sub-header blocks, both
 * page bitmaps (which must also cover max_mapnr), the notes, ERASEINFO
 * and, for header_version 3 (the only one that reads it from there),
 * VMCOREINFO.  The page descriptors and page data are read page by page
 * later and fail cleanly.  The layout is makedumpfile's 64-bit one
 * (diskdump_mod.h), little endian unless only the big-endian block_size
 * makes sense (libkdumpfile tries both); @where names the file in messages
 * ("" or " of the reassembled dump").
 */
static enum sd_status check_kdump_hdr(struct sd_dump *d, int fd, uint64_t size,
				      const char *where, struct sd_error *err)
{
	unsigned char dh[DH_SIZE], sh[SH_SIZE];
	char why[96];
	const char *field;
	uint64_t bs, sub_end, bm_end, capacity, mapnr, off, len;
	int32_t version, block_size, sub_blocks;
	uint32_t bitmap_blocks;
	bool be;
	int r;

	memset(sh, 0, sizeof(sh));
	r = pread_full(fd, dh, sizeof(dh), 0);
	if (r < 0)
		return sd_error_set(err, SD_ERR_IO, "%s: cannot read the kdump header%s at offset 0: %s",
				    d->path, where, strerror(errno));
	if (r > 0)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: kdump header%s truncated: the %d-byte disk_dump_header at offset 0"
				    " does not fit in the file (%" PRIu64 " bytes)",
				    d->path, where, DH_SIZE, size);
	/* big-endian dumps: libkdumpfile tries both byte orders too */
	block_size = (int32_t)le32_at(dh + DH_BLOCK_SIZE);
	be = !block_size_ok(block_size) &&
	     block_size_ok((int32_t)get32(dh + DH_BLOCK_SIZE, true));
	version = (int32_t)get32(dh + DH_VERSION, be);
	block_size = (int32_t)get32(dh + DH_BLOCK_SIZE, be);
	sub_blocks = (int32_t)get32(dh + DH_SUB_HDR_SIZE, be);
	bitmap_blocks = get32(dh + DH_BITMAP_BLOCKS, be);
	mapnr = get32(dh + DH_MAX_MAPNR, be);

	if (version < 0 || version > KDUMP_MAX_VERSION)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: corrupt kdump header%s: header_version %" PRId32
				    " at file offset %d is impossible",
				    d->path, where, version, DH_VERSION);
	if (!block_size_ok(block_size))
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: corrupt kdump header%s: block_size %" PRId32
				    " at file offset %d is not a power of two from %u to %u",
				    d->path, where, block_size, DH_BLOCK_SIZE,
				    KDUMP_MIN_BLOCK, KDUMP_MAX_BLOCK);
	bs = (uint64_t)block_size;
	/* block 0 is the header, the sub-header starts at block 1 */
	if (sub_blocks < 0)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: corrupt kdump header%s: sub_hdr_size %" PRId32
				    " at file offset %d is negative",
				    d->path, where, sub_blocks, DH_SUB_HDR_SIZE);
	sub_end = (1 + (uint64_t)sub_blocks) * bs;
	if (size && sub_end > size)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: corrupt kdump header%s: sub_hdr_size %" PRId32
				    " at file offset %d puts the sub-header blocks' end at offset 0x%" PRIx64
				    ", beyond the end of the file (%" PRIu64 " bytes)",
				    d->path, where, sub_blocks, DH_SUB_HDR_SIZE, sub_end, size);
	if (bitmap_blocks == 0)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: corrupt kdump header%s: bitmap_blocks 0 at file offset %d:"
				    " no page bitmap", d->path, where, DH_BITMAP_BLOCKS);
	bm_end = sub_end + (uint64_t)bitmap_blocks * bs;
	if (size && bm_end > size)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: corrupt kdump header%s: bitmap_blocks %" PRIu32
				    " at file offset %d puts the page bitmaps at offsets 0x%" PRIx64
				    "-0x%" PRIx64 ", beyond the end of the file (%" PRIu64 " bytes)",
				    d->path, where, bitmap_blocks, DH_BITMAP_BLOCKS, sub_end, bm_end, size);

	if (version >= 1) {
		r = pread_full(fd, sh, sizeof(sh), bs);
		if (r != 0)
			return sd_error_set(err, r < 0 ? SD_ERR_IO : SD_ERR_CORRUPT,
					    "%s: cannot read the kdump sub-header%s at offset 0x%" PRIx64 ": %s",
					    d->path, where, bs, r < 0 ? strerror(errno) : "end of file");
	}
	/* max_mapnr: max_mapnr_64 from version 6 on, when set */
	off = DH_MAX_MAPNR;
	field = "header";
	if (version >= 6 && get64(sh + SH_MAX_MAPNR_64, be)) {
		mapnr = get64(sh + SH_MAX_MAPNR_64, be);
		off = bs + SH_MAX_MAPNR_64;
		field = "sub-header";
	}
	/* two bitmaps (all RAM, dumped pages), each of max_mapnr bits */
	capacity = (uint64_t)bitmap_blocks * bs * 4;
	if (mapnr > capacity)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: corrupt kdump %s%s: max_mapnr%s %" PRIu64
				    " at file offset %" PRIu64 " needs more bits than the two page bitmaps"
				    " of bitmap_blocks %" PRIu32 " (%" PRIu64 " bits each) hold",
				    d->path, field, where, off == DH_MAX_MAPNR ? "" : "_64", mapnr, off,
				    bitmap_blocks, capacity);
	if (version < 1)
		return SD_OK;

	if (version >= 2 && get32(sh + SH_SPLIT, be)) {
		unsigned so = version >= 6 ? SH_START_PFN_64 : SH_START_PFN;
		unsigned eo = version >= 6 ? SH_END_PFN_64 : SH_END_PFN;
		uint64_t start = get64(sh + so, be), end = get64(sh + eo, be);

		if (start > end)
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "%s: corrupt kdump sub-header%s: start_pfn 0x%" PRIx64
					    " at file offset %" PRIu64 " is above end_pfn 0x%" PRIx64
					    " at file offset %" PRIu64,
					    d->path, where, start, bs + so, end, bs + eo);
	}

	off = get64(sh + SH_OFFSET_VMCI, be);
	len = get64(sh + SH_SIZE_VMCI, be);
	if (version >= 3 && len && blob_bad(off, len, size, why, sizeof(why))) {
		if (version == 3)
			return range_error(d, where, "VMCOREINFO", "vmcoreinfo", off,
					   bs + SH_OFFSET_VMCI, len, bs + SH_SIZE_VMCI, why, err);
		/* from version 4 on libkdumpfile takes VMCOREINFO from the notes */
		note(d, "%s: kdump sub-header%s: the VMCOREINFO range (offset_vmcoreinfo 0x%" PRIx64
		     " at file offset %" PRIu64 ", size_vmcoreinfo %" PRIu64 ") %s;"
		     " ignored, VMCOREINFO is taken from the notes",
		     d->path, where, off, bs + SH_OFFSET_VMCI, len, why);
	}
	if (version < 4)
		return SD_OK;
	off = get64(sh + SH_OFFSET_NOTE, be);
	len = get64(sh + SH_SIZE_NOTE, be);
	if (len && blob_bad(off, len, size, why, sizeof(why)))
		return range_error(d, where, "note", "note", off, bs + SH_OFFSET_NOTE, len,
				   bs + SH_SIZE_NOTE, why, err);
	/* libkdumpfile reads ERASEINFO from version 4 on */
	off = get64(sh + SH_OFFSET_ERASE, be);
	len = get64(sh + SH_SIZE_ERASE, be);
	if (len && blob_bad(off, len, size, why, sizeof(why)))
		return range_error(d, where, "ERASEINFO", "eraseinfo", off, bs + SH_OFFSET_ERASE,
				   len, bs + SH_SIZE_ERASE, why, err);
	return SD_OK;
}

static const char *compression_name(uint32_t status)
{
	uint32_t c = status & (DUMP_DH_COMPRESSED_ZLIB | DUMP_DH_COMPRESSED_LZO |
			       DUMP_DH_COMPRESSED_SNAPPY | DUMP_DH_COMPRESSED_ZSTD);

	switch (c) {
	case 0: return "none";
	case DUMP_DH_COMPRESSED_ZLIB: return "zlib";
	case DUMP_DH_COMPRESSED_LZO: return "lzo";
	case DUMP_DH_COMPRESSED_SNAPPY: return "snappy";
	case DUMP_DH_COMPRESSED_ZSTD: return "zstd";
	default: return "mixed";
	}
}

/* --- QEMU kdump -> temporary ELF ----------------------------------------- */

struct run_state {
	kdump_bmp_t *bmp;
	uint64_t max_pfn;
};

/* Next run of set bits at or after *pos: [*first, *end). */
static bool next_run(struct run_state *rs, uint64_t *pos, uint64_t *first,
		     uint64_t *end)
{
	kdump_addr_t idx = *pos;

	if (idx >= rs->max_pfn || kdump_bmp_find_set(rs->bmp, &idx) != KDUMP_OK ||
	    idx >= rs->max_pfn)
		return false;
	*first = idx;
	if (kdump_bmp_find_clear(rs->bmp, &idx) != KDUMP_OK || idx > rs->max_pfn)
		idx = rs->max_pfn;
	*end = idx;
	*pos = idx;
	return true;
}

static enum sd_status qemu_to_elf(struct sd_dump *d, kdump_ctx_t *ctx,
				  const struct kdump_hdr *h, const char *vmci_raw,
				  int *out_fd, uint64_t *out_size,
				  struct sd_error *err)
{
	uint64_t bs = h->block_size, nruns = 0, pos, first, end, pfn;
	uint64_t notes_off, notes_len, data_off, cur, total_blocks = 0;
	unsigned char *notes = NULL, *blk = NULL;
	struct run_state rs;
	kdump_attr_t attr;
	kdump_status ks;
	kdump_num_t maxpfn = 0;
	enum sd_status st;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int tfd = -1;
	uint64_t i;

	/* Pin the page size to QEMU's block size (see the top comment). */
	ks = kdump_set_number_attr(ctx, KDUMP_ATTR_PAGE_SIZE, bs);
	if (ks != KDUMP_OK)
		return sd_error_set(err, SD_ERR_UNSUPPORTED,
				    "%s: cannot set the page size to QEMU's block size %" PRIu64 ": %s",
				    d->path, bs, kerr(ctx, ks));
	ks = kdump_get_attr(ctx, KDUMP_ATTR_FILE_PAGEMAP, &attr);
	if (ks != KDUMP_OK || attr.type != KDUMP_BITMAP)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: QEMU kdump: no page bitmap: %s", d->path, kerr(ctx, ks));
	rs.bmp = attr.val.bitmap;
	kdump_bmp_incref(rs.bmp);
	maxpfn = h->max_mapnr;
	rs.max_pfn = maxpfn;

	/* Notes: the original ones (PRSTATUS + VMCOREINFO), or a VMCOREINFO
	 * note rebuilt from the raw text. */
	if (h->note_size && h->note_size <= MAX_NOTES_SIZE) {
		notes_len = h->note_size;
		notes = malloc(notes_len);
		if (!notes) {
			st = sd_error_set(err, SD_ERR_NOMEM, "%s: no memory for notes", d->path);
			goto out;
		}
		if (pread_full(d->datafd, notes, notes_len, h->note_off) != 0) {
			st = sd_error_set(err, SD_ERR_CORRUPT,
					  "%s: QEMU kdump notes (%" PRIu64 " bytes at offset 0x%" PRIx64 ") unreadable",
					  d->path, notes_len, h->note_off);
			goto out;
		}
	} else {
		size_t tl = vmci_raw ? strlen(vmci_raw) : 0;
		uint32_t w[3] = { 11, (uint32_t)tl, 0 };

		notes_len = 12 + 12 + ((tl + 3) & ~(size_t)3);
		notes = calloc(1, notes_len);
		if (!notes) {
			st = sd_error_set(err, SD_ERR_NOMEM, "%s: no memory for notes", d->path);
			goto out;
		}
		memcpy(notes, w, 12);
		memcpy(notes + 12, "VMCOREINFO", 11);
		if (tl)
			memcpy(notes + 24, vmci_raw, tl);
	}

	pos = 0;
	while (next_run(&rs, &pos, &first, &end))
		nruns++;
	if (nruns + 1 > MAX_PT_LOADS) {
		st = sd_error_set(err, SD_ERR_UNSUPPORTED,
				  "%s: QEMU kdump has %" PRIu64 " separate memory runs", d->path, nruns);
		goto out;
	}

	st = sd_tmpfile(&tfd, "the converted QEMU kdump", err);
	if (st != SD_OK)
		goto out;
	blk = malloc(bs);
	if (!blk) {
		st = sd_error_set(err, SD_ERR_NOMEM, "%s: no memory for a %" PRIu64 "-byte block",
				  d->path, bs);
		goto out;
	}

	notes_off = sizeof(eh) + (nruns + 1) * sizeof(ph);
	data_off = (notes_off + notes_len + bs - 1) / bs * bs;

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_AARCH64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = (uint16_t)(nruns + 1 >= PN_XNUM ? PN_XNUM : nruns + 1);
	if (nruns + 1 >= PN_XNUM) {
		Elf64_Shdr sh;

		/* e_phnum overflow: the count lives in section header 0 */
		memset(&sh, 0, sizeof(sh));
		sh.sh_info = (uint32_t)(nruns + 1);
		eh.e_shoff = notes_off + notes_len;
		eh.e_shoff = (eh.e_shoff + 7) & ~(uint64_t)7;
		eh.e_shentsize = sizeof(sh);
		eh.e_shnum = 1;
		data_off = (eh.e_shoff + sizeof(sh) + bs - 1) / bs * bs;
		if (pwrite_full(tfd, &sh, sizeof(sh), eh.e_shoff) != 0)
			goto werr;
	}
	if (pwrite_full(tfd, &eh, sizeof(eh), 0) != 0)
		goto werr;

	memset(&ph, 0, sizeof(ph));
	ph.p_type = PT_NOTE;
	ph.p_offset = notes_off;
	ph.p_filesz = notes_len;
	if (pwrite_full(tfd, &ph, sizeof(ph), sizeof(eh)) != 0 ||
	    pwrite_full(tfd, notes, notes_len, notes_off) != 0)
		goto werr;

	pos = 0;
	cur = data_off;
	for (i = 0; next_run(&rs, &pos, &first, &end); i++) {
		memset(&ph, 0, sizeof(ph));
		ph.p_type = PT_LOAD;
		ph.p_flags = PF_R | PF_W | PF_X;
		ph.p_offset = cur;
		ph.p_paddr = first * bs;
		ph.p_vaddr = ph.p_paddr;	/* as QEMU's own ELF with paging=false */
		ph.p_filesz = ph.p_memsz = (end - first) * bs;
		ph.p_align = bs;
		if (pwrite_full(tfd, &ph, sizeof(ph), sizeof(eh) + (i + 1) * sizeof(ph)) != 0)
			goto werr;
		for (pfn = first; pfn < end; pfn++, cur += bs) {
			size_t len = bs;

			ks = kdump_read(ctx, KDUMP_MACHPHYSADDR, pfn * bs, blk, &len);
			if (ks != KDUMP_OK || len != bs) {
				st = sd_error_set(err, ks == KDUMP_OK ? SD_ERR_IO : kstatus(ks) == SD_ERR_NODATA ?
						  SD_ERR_CORRUPT : kstatus(ks),
						  "%s: QEMU kdump: cannot read the 64 KiB block at physical 0x%" PRIx64
						  " that the bitmap lists: %s", d->path, pfn * bs,
						  ks == KDUMP_OK ? "short read" : kerr(ctx, ks));
				goto out;
			}
			total_blocks++;
			if (is_zero(blk, bs))
				continue;	/* sparse hole reads back as zeros */
			if (pwrite_full(tfd, blk, bs, cur) != 0)
				goto werr;
		}
	}
	if (ftruncate(tfd, (off_t)cur) != 0)
		goto werr;
	*out_fd = tfd;
	*out_size = cur;
	tfd = -1;
	st = SD_OK;
	(void)total_blocks;
	goto out;

werr:
	st = sd_error_set(err, SD_ERR_IO, "%s: cannot write the converted QEMU kdump: %s",
			  d->path, strerror(errno));
out:
	kdump_bmp_decref(rs.bmp);
	free(notes);
	free(blk);
	if (tfd >= 0)
		close(tfd);
	return st;
}

/* --- open / close ------------------------------------------------------ */

static enum sd_status open_ctx(struct sd_dump *d, int fd, const char *arch,
			       bool diskdump, kdump_ctx_t **out, struct sd_error *err)
{
	kdump_ctx_t *ctx = kdump_new();
	kdump_status ks;

	if (!ctx)
		return sd_error_set(err, SD_ERR_NOMEM, "%s: cannot allocate a libkdumpfile context",
				    d->path);
	if (arch) {
		/* before the fd, or PRSTATUS notes are not parsed */
		ks = kdump_set_string_attr(ctx, KDUMP_ATTR_ARCH_NAME, arch);
		if (ks != KDUMP_OK) {
			enum sd_status st = sd_error_set(err, kstatus(ks),
							 "%s: cannot set arch.name=%s: %s",
							 d->path, arch, kerr(ctx, ks));
			kdump_free(ctx);
			return st;
		}
	}
	/*
	 * read(2), never mmap(2): our temporary files were just written,
	 * mostly sparse, and read(2) is about 3x faster there; and on
	 * makedumpfile lzo dumps libkdumpfile 0.5.1 with mmap let
	 * lzo1x_decompress_safe() fault reading past a mapped window (seen
	 * on a -d 31 dump of Debian's 6.1 at PA 0x7ff00000, depending on the
	 * order of earlier reads).
	 */
	kdump_set_number_attr(ctx, "file.mmap_policy", KDUMP_MMAP_NEVER);
	/*
	 * libkdumpfile's own cache sits behind ours, so it can be small.  With
	 * its default of 1024 entries, 0.5.1 handed lzo1x_decompress_safe() a
	 * NULL output buffer during the 6.1 RAM scan of a -d 31 lzo dump
	 * (valgrind: invalid write at address 0); 64 entries avoid the state
	 * and are faster here (4.4 s against 8.7 s for 4096 on that scan).
	 */
	kdump_set_number_attr(ctx, "cache.size", KDUMP_CACHE_ENTRIES);
	ks = kdump_open_fd(ctx, fd);
	if (ks != KDUMP_OK) {
		enum sd_status st = kstatus(ks);

		if (ks == KDUMP_ERR_NOTIMPL)
			st = SD_ERR_UNSUPPORTED;
		st = sd_error_set(err, st, "%s: libkdumpfile cannot open the dump: %s",
				  d->path, kerr(ctx, ks));
		/*
		 * After a failed diskdump open, 0.5.1 has already freed the
		 * format's private data and kdump_free() would free it again
		 * (SIGSEGV).  check_kdump_hdr() rules out the known causes;
		 * for anything it missed, leak the context rather than crash.
		 */
		if (!diskdump)
			kdump_free(ctx);
		return st;
	}
	*out = ctx;
	return SD_OK;
}

/* VMCOREINFO text (malloc'd) or NULL.  kdump_vmcoreinfo_raw() looks the
 * blob up by OS type, so addrxlat.ostype must be set before. */
static char *get_vmcoreinfo_raw(kdump_ctx_t *ctx)
{
	char *raw = NULL;
	kdump_attr_t attr;

	if (kdump_vmcoreinfo_raw(ctx, &raw) == KDUMP_OK && raw)
		return raw;
	if (kdump_get_attr(ctx, "linux.vmcoreinfo.raw", &attr) == KDUMP_OK &&
	    attr.type == KDUMP_BLOB) {
		void *p = kdump_blob_pin(attr.val.blob);
		size_t n = p ? kdump_blob_size(attr.val.blob) : 0;

		raw = malloc(n + 1);
		if (raw) {
			if (n)
				memcpy(raw, p, n);
			raw[n] = '\0';
		}
		if (p)
			kdump_blob_unpin(attr.val.blob);
	}
	return raw;
}

/* Kernel VA translation (and reads of the non-native physical space)
 * need the OS type; VMCOREINFO is looked up by it too. */
static kdump_status set_ostype(kdump_ctx_t *ctx)
{
	return kdump_set_string_attr(ctx, "addrxlat.ostype", "linux");
}

/* A physical address the dump should hold, to confirm the address space. */
static bool probe_addr(struct sd_dump *d, uint64_t *pa)
{
	kdump_attr_t attr;
	kdump_addr_t idx = 0;
	kdump_num_t ps;
	size_t i;

	if (d->is_elf) {
		for (i = 0; i < d->nloads; i++)
			if (d->loads[i].avail >= d->ps &&
			    ((d->loads[i].pa + d->ps - 1) & ~(d->ps - 1)) + d->ps <=
			    d->loads[i].pa + d->loads[i].avail) {
				*pa = (d->loads[i].pa + d->ps - 1) & ~(d->ps - 1);
				return true;
			}
		return false;
	}
	if (kdump_get_attr(d->ctx, KDUMP_ATTR_FILE_PAGEMAP, &attr) != KDUMP_OK ||
	    attr.type != KDUMP_BITMAP)
		return false;
	if (kdump_bmp_find_set(attr.val.bitmap, &idx) != KDUMP_OK)
		return false;
	if (kdump_get_number_attr(d->ctx, KDUMP_ATTR_PAGE_SIZE, &ps) != KDUMP_OK)
		return false;
	*pa = idx * ps;
	return true;
}

static enum sd_status choose_phys_as(struct sd_dump *d, struct sd_error *err)
{
	kdump_addrspace_t cand[2];
	kdump_status last = KDUMP_OK;
	unsigned char *tmp;
	uint64_t pa;
	size_t len;
	int i;

	cand[0] = KDUMP_MACHPHYSADDR;
	cand[1] = KDUMP_KPHYSADDR;
	d->phys_as = cand[0];
	if (!probe_addr(d, &pa))
		return SD_OK;	/* empty dump: keep the native space */
	tmp = malloc(d->ps);
	if (!tmp)
		return sd_error_set(err, SD_ERR_NOMEM, "%s: no memory", d->path);
	for (i = 0; i < 2; i++) {
		kdump_status ks;

		len = d->ps;
		ks = kdump_read(d->ctx, cand[i], pa, tmp, &len);
		if (i == 0)
			last = ks;
		if (ks == KDUMP_OK || ks == KDUMP_ERR_NODATA) {
			d->phys_as = cand[i];
			free(tmp);
			return SD_OK;
		}
	}
	free(tmp);
	return sd_error_set(err, kstatus(last),
			    "%s: cannot read physical page 0x%" PRIx64
			    " that the dump lists: %s", d->path, pa, kerr(d->ctx, last));
}

void sd_dump_close(struct sd_dump *d)
{
	if (!d)
		return;
	if (d->ctx)
		kdump_free(d->ctx);
	if (d->datafd >= 0 && d->datafd != d->fd)
		close(d->datafd);
	if (d->fd >= 0)
		close(d->fd);
	free(d->cdata);
	free(d->loads);
	free(d->lines);
	free(d->vmci);
	free(d->path);
	free(d);
}

enum sd_status sd_dump_open(const char *path, struct sd_dump **out,
			    void (*note_cb)(const char *msg),
			    struct sd_error *err)
{
	unsigned char head[SD_FLAT_HEADER_SIZE];
	struct sd_dump *d;
	struct kdump_hdr kh;
	struct stat sb;
	struct statfs sfs;
	enum sd_status st;
	const char *arch = NULL, *v;
	bool flattened = false, qemu = false, regular, kh_sig = false;
	char *raw;
	kdump_status ostype_ks;
	kdump_num_t num;
	int r, i;

	if (!path || !out)
		return sd_error_set(err, SD_ERR_USAGE, "sd_dump_open: bad arguments");
	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return sd_error_set(err, SD_ERR_NOMEM, "%s: no memory", path);
	d->fd = d->datafd = -1;
	d->note_cb = note_cb;
	d->info.dump_level = -1;
	d->path = strdup(path);
	if (!d->path) {
		free(d);
		return sd_error_set(err, SD_ERR_NOMEM, "%s: no memory", path);
	}
	for (i = 0; i < HASH_BUCKETS; i++)
		d->bucket[i] = -1;

	d->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (d->fd < 0) {
		st = sd_error_set(err, SD_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
		goto fail;
	}
	d->datafd = d->fd;
	if (fstat(d->fd, &sb) != 0) {
		st = sd_error_set(err, SD_ERR_IO, "%s: cannot stat: %s", path, strerror(errno));
		goto fail;
	}
	/* /proc/vmcore is an ELF file whose size must not be trusted or used. */
	regular = S_ISREG(sb.st_mode) &&
		  !(fstatfs(d->fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC_);

	memset(head, 0, sizeof(head));
	r = pread_full(d->fd, head, sizeof(head), 0);
	if (r < 0) {
		st = sd_error_set(err, SD_ERR_IO, "%s: cannot read offset 0: %s", path,
				  strerror(errno));
		goto fail;
	}

	if (sd_flat_detect(head, sizeof(head))) {
		uint64_t sz;

		st = sd_flat_reassemble(d->fd, path, &d->datafd, &sz, err);
		if (st != SD_OK) {
			d->datafd = d->fd;
			goto fail;
		}
		flattened = true;
		d->info.reassembled = true;
		note(d, "reassembled flattened dump into a temporary file (%" PRIu64 " MiB)",
		     (sz + (1 << 20) - 1) >> 20);
		if (pread_full(d->datafd, head, sizeof(head), 0) < 0) {
			st = sd_error_set(err, SD_ERR_IO, "%s: cannot read the reassembled dump: %s",
					  path, strerror(errno));
			goto fail;
		}
		regular = true;
	}

	if (regular) {
		if (fstat(d->datafd, &sb) != 0) {
			st = sd_error_set(err, SD_ERR_IO, "%s: cannot stat: %s", path, strerror(errno));
			goto fail;
		}
		d->file_size = (uint64_t)sb.st_size;
	}

	d->is_elf = memcmp(head, ELFMAG, SELFMAG) == 0;
	memset(&kh, 0, sizeof(kh));
	kh.dump_level = -1;
	if (!d->is_elf && (memcmp(head, "KDUMP   ", 8) == 0 ||
			   memcmp(head, "DISKDUMP", 8) == 0)) {
		kh_sig = true;
		/* before libkdumpfile sees it: see check_kdump_hdr() */
		st = check_kdump_hdr(d, d->datafd, d->file_size,
				     flattened ? " of the reassembled dump" : "", err);
		if (st != SD_OK)
			goto fail;
		read_kdump_hdr(d->datafd, &kh);
		/*
		 * libkdumpfile 0.5.1's diskdump takes the architecture from
		 * utsname only when the whole utsname looks sane, and without
		 * it KPHYSADDR and kernel VA reads fail ("No way to
		 * translate").  QEMU writes machine "Unknown".  This tool
		 * reads arm64 dumps, so aarch64 is the default.
		 */
		if (kh.valid && (!strcmp(kh.machine, "x86_64") || !strcmp(kh.machine, "ppc64le") ||
				 !strcmp(kh.machine, "ppc64") || !strcmp(kh.machine, "s390x") ||
				 !strcmp(kh.machine, "riscv64")))
			arch = kh.machine;
		else
			arch = "aarch64";
	}

	st = open_ctx(d, d->datafd, arch, kh_sig, &d->ctx, err);
	if (st != SD_OK)
		goto fail;
	ostype_ks = set_ostype(d->ctx);
	raw = get_vmcoreinfo_raw(d->ctx);

	/* QEMU kdump: blocks larger than the kernel's pages. */
	if (kh.valid) {
		unsigned long vps = 0;
		const char *p = raw ? strstr(raw, "PAGESIZE=") : NULL;

		while (p && p != raw && p[-1] != '\n')
			p = strstr(p + 1, "PAGESIZE=");
		if (p)
			vps = strtoul(p + 9, NULL, 10);
		if ((vps && vps != kh.block_size) || strcmp(kh.machine, "Unknown") == 0)
			qemu = true;
		if (qemu && vps && vps < kh.block_size) {
			int tfd = -1;
			uint64_t sz = 0;

			st = qemu_to_elf(d, d->ctx, &kh, raw, &tfd, &sz, err);
			if (st != SD_OK) {
				free(raw);
				goto fail;
			}
			note(d, "QEMU kdump with %u KiB blocks for a kernel with %lu-byte pages:"
			     " converted into a temporary ELF file (%" PRIu64 " MiB apparent size)",
			     kh.block_size >> 10, vps, (sz + (1 << 20) - 1) >> 20);
			kdump_free(d->ctx);
			d->ctx = NULL;
			if (d->datafd != d->fd)
				close(d->datafd);
			d->datafd = tfd;
			d->file_size = sz;
			d->is_elf = true;
			st = open_ctx(d, d->datafd, NULL, false, &d->ctx, err);
			if (st != SD_OK) {
				free(raw);
				goto fail;
			}
			ostype_ks = set_ostype(d->ctx);
		}
	}
	if (raw)
		parse_vmcoreinfo(d, raw);

	if (ostype_ks != KDUMP_OK)
		note(d, "%s: kernel virtual addresses cannot be translated (%s);"
		     " physical reads only", path, kerr(d->ctx, ostype_ks));

	/* Page size: VMCOREINFO, else libkdumpfile's. */
	v = sd_dump_vmcoreinfo(d, "PAGESIZE");
	d->info.page_size = v ? strtoull(v, NULL, 10) : 0;
	if (kdump_get_number_attr(d->ctx, KDUMP_ATTR_PAGE_SIZE, &num) == KDUMP_OK && num) {
		d->ps = num;
	} else {
		/*
		 * An ELF file without VMCOREINFO leaves arch.page_size unset
		 * and libkdumpfile then finds no page at all ("Page not
		 * found").  4 KiB, the smallest arm64 granule, works for any
		 * PT_LOAD alignment; physical reads do not depend on the
		 * kernel's page size.
		 */
		kdump_status ks = kdump_set_number_attr(d->ctx, KDUMP_ATTR_PAGE_SIZE, 4096);

		if (ks != KDUMP_OK) {
			st = sd_error_set(err, SD_ERR_UNSUPPORTED,
					  "%s: the dump does not say its page size and it cannot be set: %s",
					  path, kerr(d->ctx, ks));
			goto fail;
		}
		d->ps = 4096;
		note(d, "%s has no VMCOREINFO page size: reading in 4096-byte pages", path);
	}
	if (!d->info.page_size)
		d->info.page_size = d->ps;
	if (d->ps < 512 || d->ps > (1u << 20) || (d->ps & (d->ps - 1))) {
		st = sd_error_set(err, SD_ERR_CORRUPT, "%s: impossible page size %" PRIu64,
				  path, d->ps);
		goto fail;
	}
	d->ps_shift = (unsigned)__builtin_ctzll(d->ps);
	d->cdata = malloc((size_t)CACHE_PAGES * d->ps);
	if (!d->cdata) {
		st = sd_error_set(err, SD_ERR_NOMEM, "%s: no memory for the page cache", path);
		goto fail;
	}
	for (i = 0; i < CACHE_PAGES; i++)
		d->ent[i].next = -1;

	if (d->is_elf) {
		st = read_elf_loads(d, err);
		if (st != SD_OK)
			goto fail;
		if (d->truncated)
			note(d, "%s is truncated (%" PRIu64 " bytes, PT_LOAD data ends beyond):"
			     " pages past the end are reported as not in the dump", path,
			     d->file_size);
	}

	/* info */
	v = sd_dump_vmcoreinfo(d, "OSRELEASE");
	d->info.osrelease = v;
	if (qemu) {
		snprintf(d->format, sizeof(d->format), "qemu kdump%s",
			 flattened ? " (flattened)" : "");
		d->info.dump_level = -1;
		d->info.zero_pages_excluded = false;
	} else if (kh.valid) {
		snprintf(d->format, sizeof(d->format), "%s%s",
			 memcmp(head, "DISKDUMP", 8) == 0 ? "diskdump" : "kdump",
			 flattened ? " (flattened)" : "");
		d->info.dump_level = kh.dump_level;
		d->info.zero_pages_excluded = kh.dump_level > 0 && (kh.dump_level & 1);
	} else {
		snprintf(d->format, sizeof(d->format), "%s%s",
			 d->is_elf ? "elf" : "unknown", flattened ? " (flattened)" : "");
	}
	d->info.format = d->format;
	if (kh.valid)
		snprintf(d->compression, sizeof(d->compression), "%s",
			 compression_name(kh.status));
	else if (d->is_elf)
		snprintf(d->compression, sizeof(d->compression), "none");
	d->info.compression = d->compression[0] ? d->compression : NULL;

	st = choose_phys_as(d, err);
	if (st != SD_OK)
		goto fail;

	*out = d;
	return SD_OK;

fail:
	sd_dump_close(d);
	return st;
}

const struct sd_dump_info *sd_dump_info(const struct sd_dump *dump)
{
	return dump ? &dump->info : NULL;
}

void sd_dump_set_trace(struct sd_dump *dump, FILE *f)
{
	dump->trace = f;
}

void sd_dump_stats(const struct sd_dump *dump, struct sd_dump_stats *st)
{
	if (!st)
		return;
	if (!dump) {
		memset(st, 0, sizeof(*st));
		return;
	}
	*st = dump->stats;
}
