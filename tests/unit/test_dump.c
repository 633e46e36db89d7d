// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the dump access layer (src/dump.c, src/flattened.c).
 *
 * Builds its own small dumps in a temporary directory:
 *   - an ELF vmcore (EM_AARCH64, VMCOREINFO note, two PT_LOADs with a hole
 *     between them, a 4-level 4 KiB page table mapping a kernel VA);
 *   - its flattened form (records written in reverse order);
 *   - a truncated copy;
 *   - corrupt flattened files;
 *   - a kdump-compressed file (4 KiB blocks, dump level 1, an all-zero page
 *     excluded) and a QEMU-style flattened kdump (64 KiB blocks, machine
 *     "Unknown", VMCOREINFO PAGESIZE=4096).
 * Prints "ok NAME" / "not ok NAME - reason" lines; exits 0 unless it could
 * not run.  `test_dump --make DIR` only writes the files into DIR.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump.h"

#include "tap.h"

/* ---- the synthetic machine ---- */
#define PS		4096ull
#define R1_PA		0x40000000ull
#define R1_SIZE		0x200000ull		/* 2 MiB: 512 pages */
#define R2_PA		0x40400000ull
#define R2_SIZE		0x8000ull		/* 32 KiB: 8 pages */
#define ZERO_PA		(R1_PA + 0x8000)	/* an all-zero page */
#define PGD_PA		(R1_PA + 0x1000)
#define PUD_PA		(R1_PA + 0x2000)
#define PMD_PA		(R1_PA + 0x3000)
#define PTE_PA		(R1_PA + 0x4000)
#define KV_BASE		0xffff800008000000ull	/* -> R2_PA, 2 pages */
#define SWAPPER_VA	0xffff800009001000ull
#define KIMAGE_VOFFSET	(SWAPPER_VA - PGD_PA)
#define OSREL		"6.1.0-sdtest"

/*
 * libkdumpfile 0.5.1 leaks one 104-byte block per context once it
 * translates kernel virtual addresses of an ELF dump (not our allocation;
 * measured with a plain libkdumpfile program): allocated by libkdumpfile in
 * a callback from libaddrxlat, so only stacks through libaddrxlat are
 * suppressed.  libkdumpfile is built without frame pointers, so the
 * allocation stack reaches libaddrxlat only with the slow unwinder.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libaddrxlat.so\n";
}

static char dir[256];
static char notes_seen[4096];


static unsigned notes_total, notes_bad_origin;

/* sd_dump_open(), its notes (SD_DIAG_DUMP records) appended to notes_seen. */
static enum sd_status open_noted(const char *path, struct sd_dump **d, struct sd_error *e)
{
	struct sd_diags diags = { 0 };
	enum sd_status st = sd_dump_open(path, d, &diags, e);
	size_t i;

	for (i = 0; i < diags.n; i++) {
		size_t l = strlen(notes_seen);

		snprintf(notes_seen + l, sizeof(notes_seen) - l, "%s\n", diags.v[i].msg);
		notes_total++;
		if (diags.v[i].origin != SD_DIAG_DUMP)
			notes_bad_origin++;
	}
	sd_diags_free(&diags);
	return st;
}

static uint8_t pattern(uint64_t pa)
{
	return (uint8_t)(pa ^ (pa >> 8) ^ (pa >> 16) ^ 0x5a);
}

/* Expected byte at @pa, or -1 if the address is not RAM in the model. */
static int mem_byte(uint64_t pa, unsigned char *r1)
{
	if (pa >= R1_PA && pa < R1_PA + R1_SIZE)
		return r1[pa - R1_PA];
	if (pa >= R2_PA && pa < R2_PA + R2_SIZE)
		return pattern(pa);
	return -1;
}

static unsigned char *r1_image(void)
{
	unsigned char *r1 = malloc(R1_SIZE);
	uint64_t i, va = KV_BASE;
	uint64_t *t;

	if (!r1)
		abort();
	for (i = 0; i < R1_SIZE; i++)
		r1[i] = pattern(R1_PA + i);
	memset(r1 + (ZERO_PA - R1_PA), 0, PS);
	memset(r1 + (PGD_PA - R1_PA), 0, 4 * PS);
	t = (uint64_t *)(r1 + (PGD_PA - R1_PA));
	t[(va >> 39) & 511] = htole64(PUD_PA | 3);
	t = (uint64_t *)(r1 + (PUD_PA - R1_PA));
	t[(va >> 30) & 511] = htole64(PMD_PA | 3);
	t = (uint64_t *)(r1 + (PMD_PA - R1_PA));
	t[(va >> 21) & 511] = htole64(PTE_PA | 3);
	t = (uint64_t *)(r1 + (PTE_PA - R1_PA));
	t[(va >> 12) & 511] = htole64(R2_PA | 0x403);
	t[((va >> 12) & 511) + 1] = htole64((R2_PA + PS) | 0x403);
	return r1;
}

static char *vmcoreinfo_text(void)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf),
		 "OSRELEASE=%s\n"
		 "BUILD-ID=0123456789abcdef\n"
		 "PAGESIZE=4096\n"
		 "SYMBOL(swapper_pg_dir)=%llx\n"
		 "SYMBOL(_stext)=ffff800008010000\n"
		 "NUMBER(VA_BITS)=48\n"
		 "NUMBER(kimage_voffset)=0x%llx\n"
		 "NUMBER(PHYS_OFFSET)=0x40000000\n"
		 "KERNELOFFSET=0\n",
		 OSREL, SWAPPER_VA, KIMAGE_VOFFSET);
	return buf;
}

/* An ELF note "VMCOREINFO" into @out; returns its length. */
static size_t vmcoreinfo_note(unsigned char *out)
{
	const char *t = vmcoreinfo_text();
	uint32_t w[3] = { htole32(11), htole32((uint32_t)strlen(t)), 0 };
	size_t dl = (strlen(t) + 3) & ~(size_t)3;

	memcpy(out, w, 12);
	memcpy(out + 12, "VMCOREINFO\0\0", 12);
	memset(out + 24, 0, dl);
	memcpy(out + 24, t, strlen(t));
	return 24 + dl;
}

static void path_of(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static int write_file(const char *name, const void *buf, size_t len)
{
	char p[512];
	FILE *f;

	path_of(p, sizeof(p), name);
	f = fopen(p, "wb");
	if (!f)
		return -1;
	if (len && fwrite(buf, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

/* ---- ELF vmcore ---- */
static unsigned char *build_elf(size_t *len, unsigned char *r1)
{
	size_t r1_off = 0x1000, r2_off = r1_off + R1_SIZE, total = r2_off + R2_SIZE;
	unsigned char *b = calloc(1, total);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
	Elf64_Phdr *ph = (Elf64_Phdr *)(b + sizeof(*eh));
	size_t nl, i;

	if (!b)
		abort();
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_AARCH64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 3;
	nl = vmcoreinfo_note(b + sizeof(*eh) + 3 * sizeof(*ph));
	ph[0].p_type = PT_NOTE;
	ph[0].p_offset = sizeof(*eh) + 3 * sizeof(*ph);
	ph[0].p_filesz = nl;
	for (i = 1; i < 3; i++) {
		ph[i].p_type = PT_LOAD;
		ph[i].p_flags = PF_R | PF_W | PF_X;
		ph[i].p_align = PS;
	}
	ph[1].p_offset = r1_off;
	ph[1].p_paddr = R1_PA;
	ph[1].p_vaddr = 0xffff000000000000ull + (R1_PA - 0x40000000);
	ph[1].p_filesz = ph[1].p_memsz = R1_SIZE;
	ph[2].p_offset = r2_off;
	ph[2].p_paddr = R2_PA;
	ph[2].p_vaddr = 0xffff000000000000ull + (R2_PA - 0x40000000);
	ph[2].p_filesz = ph[2].p_memsz = R2_SIZE;
	memcpy(b + r1_off, r1, R1_SIZE);
	for (i = 0; i < R2_SIZE; i++)
		b[r2_off + i] = pattern(R2_PA + i);
	*len = total;
	return b;
}

/* ---- flattened ---- */
static void put_be64(unsigned char *p, int64_t v)
{
	uint64_t u = htobe64((uint64_t)v);

	memcpy(p, &u, 8);
}

/* Flattened form of @img: records of @chunk bytes, last record first. */
static unsigned char *flatten(const unsigned char *img, size_t len, size_t chunk,
			      size_t *outlen)
{
	size_t nrec = (len + chunk - 1) / chunk, pos = 4096, i;
	unsigned char *b = calloc(1, 4096 + nrec * (16 + chunk) + 16);

	if (!b)
		abort();
	memcpy(b, "makedumpfile", 12);
	put_be64(b + 16, 1);
	put_be64(b + 24, 1);
	for (i = nrec; i-- > 0;) {
		size_t off = i * chunk, n = len - off < chunk ? len - off : chunk;

		put_be64(b + pos, (int64_t)off);
		put_be64(b + pos + 8, (int64_t)n);
		memcpy(b + pos + 16, img + off, n);
		pos += 16 + n;
	}
	put_be64(b + pos, -1);
	put_be64(b + pos + 8, -1);
	*outlen = pos + 16;
	return b;
}

/* ---- kdump-compressed (uncompressed pages) ---- */
static void put_le32(unsigned char *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}

static void put_le64(unsigned char *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, 8);
}

/*
 * A kdump file with blocks of @bs bytes.  With @exclude_zero, all-zero
 * blocks are left out of the dumped bitmap (makedumpfile -d 1).
 */
static unsigned char *build_kdump(uint64_t bs, const char *machine, int dump_level,
				  bool exclude_zero, unsigned char *r1, size_t *outlen)
{
	uint64_t max_mapnr = (R2_PA + R2_SIZE + bs - 1) / bs, pfn, ndump = 0;
	uint64_t bitmap_bytes = (max_mapnr + 7) / 8;
	uint64_t bitmap_blocks = 2 * ((bitmap_bytes + bs - 1) / bs);
	uint64_t sub_blocks = 1, desc_off, data_off, total, i;
	unsigned char *b, *bm1, *bm2, *blk;
	size_t nl;

	blk = malloc(bs);
	if (!blk)
		abort();
	/* count dumped blocks */
	for (pfn = 0; pfn < max_mapnr; pfn++) {
		bool any = false, nz = false;

		for (i = 0; i < bs; i++) {
			int v = mem_byte(pfn * bs + i, r1);

			if (v >= 0)
				any = true;
			if (v > 0)
				nz = true;
		}
		if (any && (nz || !exclude_zero))
			ndump++;
	}
	desc_off = (1 + sub_blocks + bitmap_blocks) * bs;
	data_off = desc_off + ((ndump * 24 + bs - 1) / bs) * bs;
	total = data_off + ndump * bs;
	b = calloc(1, total);
	if (!b)
		abort();
	memcpy(b, "KDUMP   ", 8);
	put_le32(b + 8, 6);
	memcpy(b + 12, "Linux", 5);
	memcpy(b + 12 + 65, "sdtest", 6);
	memcpy(b + 12 + 3 * 65, "#1 SMP", 6);
	memcpy(b + 12 + 5 * 65, "(none)", 6);
	memcpy(b + 12 + 2 * 65, OSREL, strlen(OSREL));
	memcpy(b + 12 + 4 * 65, machine, strlen(machine));
	put_le32(b + 424, 0);			/* status: no compression */
	put_le32(b + 428, (uint32_t)bs);
	put_le32(b + 432, (uint32_t)sub_blocks);
	put_le32(b + 436, (uint32_t)bitmap_blocks);
	put_le32(b + 440, (uint32_t)max_mapnr);
	put_le32(b + 444, (uint32_t)ndump);
	put_le32(b + 460, 1);			/* nr_cpus */
	/* sub header */
	put_le32(b + bs + 8, (uint32_t)dump_level);
	nl = vmcoreinfo_note(b + bs + 104);
	put_le64(b + bs + 32, bs + 104 + 24);	/* offset_vmcoreinfo (desc) */
	put_le64(b + bs + 40, strlen(vmcoreinfo_text()));
	put_le64(b + bs + 48, bs + 104);	/* offset_note */
	put_le64(b + bs + 56, nl);
	put_le64(b + bs + 96, max_mapnr);	/* max_mapnr_64 */
	bm1 = b + 2 * bs;
	bm2 = bm1 + bitmap_blocks / 2 * bs;
	ndump = 0;
	for (pfn = 0; pfn < max_mapnr; pfn++) {
		bool any = false, nz = false;

		for (i = 0; i < bs; i++) {
			int v = mem_byte(pfn * bs + i, r1);

			blk[i] = v > 0 ? (unsigned char)v : 0;
			if (v >= 0)
				any = true;
			if (v > 0)
				nz = true;
		}
		if (!any)
			continue;
		bm1[pfn / 8] |= (unsigned char)(1u << (pfn % 8));
		if (!nz && exclude_zero)
			continue;
		bm2[pfn / 8] |= (unsigned char)(1u << (pfn % 8));
		put_le64(b + desc_off + ndump * 24, data_off + ndump * bs);
		put_le32(b + desc_off + ndump * 24 + 8, (uint32_t)bs);
		put_le32(b + desc_off + ndump * 24 + 12, 0);
		memcpy(b + data_off + ndump * bs, blk, bs);
		ndump++;
	}
	free(blk);
	*outlen = total;
	return b;
}

/* ---- checks ---- */
static bool has(const char *s, const char *sub)
{
	return s && strstr(s, sub) != NULL;
}

/* Compare the whole RAM model of @d against the expected bytes. */
static bool compare_all(struct sd_dump *d, unsigned char *r1, char *why, size_t wn)
{
	unsigned char *buf = malloc(R1_SIZE);
	struct sd_error e = { 0 };
	enum sd_status st;
	uint64_t i;
	bool good = true;

	if (!buf)
		abort();
	st = sd_dump_read_phys(d, R1_PA + 0x123, buf, R1_SIZE - 0x123, &e);
	if (st != SD_OK) {
		snprintf(why, wn, "R1 read: %s", e.msg);
		good = false;
	} else if (memcmp(buf, r1 + 0x123, R1_SIZE - 0x123) != 0) {
		snprintf(why, wn, "R1 content differs");
		good = false;
	}
	if (good) {
		st = sd_dump_read_phys(d, R2_PA, buf, R2_SIZE, &e);
		if (st != SD_OK) {
			snprintf(why, wn, "R2 read: %s", e.msg);
			good = false;
		}
		for (i = 0; good && i < R2_SIZE; i++)
			if (buf[i] != pattern(R2_PA + i)) {
				snprintf(why, wn, "R2 byte 0x%" PRIx64 " differs", i);
				good = false;
			}
	}
	free(buf);
	return good;
}

/* Read every R1 page except @skip (may be 0) page by page. */
static bool compare_pages(struct sd_dump *d, unsigned char *r1, uint64_t skip,
			  char *why, size_t wn)
{
	unsigned char buf[PS];
	struct sd_error e = { 0 };
	uint64_t pa;

	for (pa = R1_PA; pa < R1_PA + R1_SIZE; pa += PS) {
		if (pa == skip)
			continue;
		if (sd_dump_read_phys(d, pa, buf, PS, &e) != SD_OK) {
			snprintf(why, wn, "page 0x%" PRIx64 ": %s", pa, e.msg);
			return false;
		}
		if (memcmp(buf, r1 + (pa - R1_PA), PS) != 0) {
			snprintf(why, wn, "page 0x%" PRIx64 " differs", pa);
			return false;
		}
	}
	return true;
}

static void check_kv(const char *name, struct sd_dump *d)
{
	unsigned char buf[64];
	struct sd_error e = { 0 };
	enum sd_status st;
	int i;
	bool good;

	st = sd_dump_read_kv(d, KV_BASE + PS - 32, buf, sizeof(buf), &e);
	good = st == SD_OK;
	for (i = 0; good && i < 64; i++)
		good = buf[i] == pattern(R2_PA + PS - 32 + (uint64_t)i);
	ok(name, good, "%s", st == SD_OK ? "wrong bytes" : e.msg);
}

static struct sd_dump *open_ok(const char *name, const char *file)
{
	char p[512];
	struct sd_dump *d = NULL;
	struct sd_error e = { 0 };
	enum sd_status st;

	path_of(p, sizeof(p), file);
	notes_seen[0] = '\0';
	st = open_noted(p, &d, &e);
	ok(name, st == SD_OK, "%s: %s", sd_status_name(st), e.msg);
	return st == SD_OK ? d : NULL;
}

static void test_elf(unsigned char *r1)
{
	struct sd_dump *d = open_ok("elf_open", "vmcore.elf");
	const struct sd_dump_info *in;
	struct sd_dump_stats s0, s1;
	struct sd_error e = { 0 };
	unsigned char buf[2 * PS];
	char why[SD_ERROR_MSG_MAX + 128] = "";
	enum sd_status st;
	const char *v;

	if (!d)
		return;
	in = sd_dump_info(d);
	ok("elf_info", in && !strcmp(in->format, "elf") && in->compression &&
	   !strcmp(in->compression, "none") && in->page_size == 4096 &&
	   in->dump_level == -1 && !in->zero_pages_excluded && !in->reassembled &&
	   in->osrelease && !strcmp(in->osrelease, OSREL),
	   "format=%s compression=%s page_size=%" PRIu64 " level=%d osrelease=%s",
	   in ? in->format : "?", in && in->compression ? in->compression : "NULL",
	   in ? in->page_size : 0, in ? in->dump_level : 0,
	   in && in->osrelease ? in->osrelease : "NULL");
	ok("elf_no_notes", notes_seen[0] == '\0', "unexpected note: %s", notes_seen);

	v = sd_dump_vmcoreinfo(d, "SYMBOL(swapper_pg_dir)");
	ok("vmcoreinfo_symbol", v && !strcmp(v, "ffff800009001000"), "got %s", v ? v : "NULL");
	v = sd_dump_vmcoreinfo(d, "PAGESIZE");
	ok("vmcoreinfo_pagesize", v && !strcmp(v, "4096"), "got %s", v ? v : "NULL");
	ok("vmcoreinfo_missing", sd_dump_vmcoreinfo(d, "NO_SUCH_KEY") == NULL, "found");
	ok("vmcoreinfo_prefix_no_match", sd_dump_vmcoreinfo(d, "PAGE") == NULL, "found");

	ok("elf_read_all", compare_all(d, r1, why, sizeof(why)), "%s", why);

	/* range crossing a page boundary inside R2 */
	st = sd_dump_read_phys(d, R2_PA + PS - 7, buf, 20, &e);
	ok("elf_read_cross_page", st == SD_OK && buf[0] == pattern(R2_PA + PS - 7) &&
	   buf[19] == pattern(R2_PA + PS + 12), "%s", e.msg);

	/* hole between the PT_LOADs */
	st = sd_dump_read_phys(d, R1_PA + R1_SIZE + 0x10, buf, 8, &e);
	ok("elf_hole_nodata", st == SD_ERR_NODATA && has(e.msg, "0x40200000"),
	   "%s: %s", sd_status_name(st), e.msg);
	/* range running off the end of R1 into the hole */
	st = sd_dump_read_phys(d, R1_PA + R1_SIZE - 8, buf, 16, &e);
	ok("elf_range_into_hole", st == SD_ERR_NODATA && has(e.msg, "physical page 0x40200000"),
	   "%s: %s", sd_status_name(st), e.msg);
	st = sd_dump_read_phys(d, 0, buf, 8, &e);
	ok("elf_low_nodata", st == SD_ERR_NODATA && has(e.msg, "physical page 0x0 "),
	   "%s: %s", sd_status_name(st), e.msg);
	st = sd_dump_read_phys(d, ~0ull - 3, buf, 8, &e);
	ok("elf_wrap_usage", st == SD_ERR_USAGE, "%s: %s", sd_status_name(st), e.msg);

	/* the negative result is cached */
	sd_dump_stats(d, &s0);
	st = sd_dump_read_phys(d, R1_PA + R1_SIZE + 0x20, buf, 8, &e);
	sd_dump_stats(d, &s1);
	ok("cache_negative_hit", st == SD_ERR_NODATA && s1.hits == s0.hits + 1 &&
	   s1.nodata == s0.nodata + 1 && s1.misses == s0.misses,
	   "st=%s hits %" PRIu64 "->%" PRIu64 " misses %" PRIu64 "->%" PRIu64,
	   sd_status_name(st), s0.hits, s1.hits, s0.misses, s1.misses);
	/* eviction: 512 pages through a 256-page cache, twice */
	ok("cache_evict_pass1", compare_pages(d, r1, 0, why, sizeof(why)), "%s", why);
	ok("cache_evict_pass2", compare_pages(d, r1, 0, why, sizeof(why)), "%s", why);
	sd_dump_stats(d, &s0);
	st = sd_dump_read_phys(d, R1_PA + R1_SIZE - PS, buf, 8, &e);
	sd_dump_stats(d, &s1);
	ok("cache_hit_recent", st == SD_OK && s1.hits == s0.hits + 1, "%s", e.msg);
	ok("stats_reads", s1.reads == s0.reads + 1, "reads %" PRIu64 "->%" PRIu64,
	   s0.reads, s1.reads);

	check_kv("elf_kv_read", d);
	st = sd_dump_read_kv(d, 0xffff800010000000ull, buf, 8, &e);
	ok("elf_kv_unmapped", st == SD_ERR_NODATA && has(e.msg, "0xffff800010000000"),
	   "%s: %s", sd_status_name(st), e.msg);
	sd_dump_close(d);
}

static void test_novmci(unsigned char *r1)
{
	struct sd_dump *d = open_ok("novmci_open", "vmcore.novmci");
	const struct sd_dump_info *in;
	struct sd_error e = { 0 };
	unsigned char buf[8];
	char why[SD_ERROR_MSG_MAX + 128] = "";
	enum sd_status st;

	if (!d)
		return;
	in = sd_dump_info(d);
	ok("novmci_info", in->osrelease == NULL && in->page_size == 4096 &&
	   sd_dump_vmcoreinfo(d, "PAGESIZE") == NULL,
	   "osrelease=%s page_size=%" PRIu64, in->osrelease ? in->osrelease : "NULL",
	   in->page_size);
	ok("novmci_phys_read", compare_all(d, r1, why, sizeof(why)), "%s", why);
	st = sd_dump_read_kv(d, KV_BASE, buf, sizeof(buf), &e);
	ok("novmci_kv_fails", st != SD_OK && has(e.msg, "0xffff800008000000"),
	   "%s: %s", sd_status_name(st), e.msg);
	sd_dump_close(d);
}

/* VMCOREINFO without PAGESIZE (libkdumpfile's SIGFPE, make_files()):
 * opened in 4 KiB pages, physical reads intact.  The old code died of the
 * signal inside this open. */
static void test_nopagesize(unsigned char *r1)
{
	struct sd_dump *d = open_ok("nopagesize_open", "vmcore.nopagesize");
	char why[SD_ERROR_MSG_MAX + 128] = "";

	if (!d)
		return;
	ok("nopagesize_info", sd_dump_info(d)->page_size == 4096 &&
	   strstr(notes_seen, "no VMCOREINFO page size"),
	   "page_size=%" PRIu64 " notes: %s", sd_dump_info(d)->page_size, notes_seen);
	ok("nopagesize_phys_read", compare_all(d, r1, why, sizeof(why)), "%s", why);
	sd_dump_close(d);
}

/* A swapper_pg_dir libkdumpfile would crash on (make_files()): no kernel
 * address translation, a note saying why, physical reads intact.  The
 * old code died of SIGSEGV inside this open. */
static void test_swapper(const char *name, const char *file, unsigned char *r1,
			 const char *why_want)
{
	char n[64], why[SD_ERROR_MSG_MAX + 128] = "";
	struct sd_dump *d;

	snprintf(n, sizeof(n), "%s_open", name);
	d = open_ok(n, file);
	if (!d)
		return;
	snprintf(n, sizeof(n), "%s_note", name);
	ok(n, strstr(notes_seen, why_want) && strstr(notes_seen, "physical reads only"),
	   "notes: %s", notes_seen);
	snprintf(n, sizeof(n), "%s_phys_read", name);
	ok(n, compare_all(d, r1, why, sizeof(why)), "%s", why);
	sd_dump_close(d);
}

static void test_truncated(unsigned char *r1)
{
	struct sd_dump *d = open_ok("trunc_open", "vmcore.trunc");
	struct sd_error e = { 0 };
	unsigned char buf[PS];
	char why[SD_ERROR_MSG_MAX + 128] = "";
	enum sd_status st;

	if (!d)
		return;
	ok("trunc_note", has(notes_seen, "truncated"), "notes: %s", notes_seen);
	ok("trunc_r1_intact", compare_pages(d, r1, 0, why, sizeof(why)), "%s", why);
	st = sd_dump_read_phys(d, R2_PA + 2 * PS, buf, 16, &e);
	ok("trunc_before_cut", st == SD_OK && buf[0] == pattern(R2_PA + 2 * PS), "%s", e.msg);
	st = sd_dump_read_phys(d, R2_PA + 3 * PS + 5, buf, 16, &e);
	ok("trunc_past_eof_nodata", st == SD_ERR_NODATA && has(e.msg, "0x40403000") &&
	   has(e.msg, "truncated"), "%s: %s", sd_status_name(st), e.msg);
	st = sd_dump_read_phys(d, R2_PA + 3 * PS - 8, buf, 16, &e);
	ok("trunc_range_across_eof", st == SD_ERR_NODATA && has(e.msg, "physical page 0x40403000"),
	   "%s: %s", sd_status_name(st), e.msg);
	sd_dump_close(d);
}

static void test_flat(unsigned char *r1)
{
	struct sd_dump *d = open_ok("flat_open", "vmcore.flat");
	const struct sd_dump_info *in;
	char why[SD_ERROR_MSG_MAX + 128] = "";

	if (!d)
		return;
	in = sd_dump_info(d);
	ok("flat_note", has(notes_seen, "reassembled flattened dump into a temporary file ("),
	   "notes: %s", notes_seen);
	ok("flat_info", in->reassembled && !strcmp(in->format, "elf (flattened)") &&
	   in->page_size == 4096, "format=%s reassembled=%d", in->format, in->reassembled);
	ok("flat_equivalent", compare_all(d, r1, why, sizeof(why)) &&
	   compare_pages(d, r1, 0, why, sizeof(why)), "%s", why);
	check_kv("flat_kv_read", d);
	sd_dump_close(d);
}

static void expect_path_fail(const char *name, const char *p, enum sd_status want,
			     const char *sub1, const char *sub2)
{
	struct sd_dump *d = NULL;
	struct sd_error e = { 0 };
	enum sd_status st;

	st = open_noted(p, &d, &e);
	ok(name, st == want && !d && (!sub1 || has(e.msg, sub1)) && (!sub2 || has(e.msg, sub2)),
	   "%s: %s", sd_status_name(st), e.msg);
	if (d)
		sd_dump_close(d);
}

static void expect_open_fail(const char *name, const char *file, enum sd_status want,
			     const char *sub1, const char *sub2)
{
	char p[512];

	path_of(p, sizeof(p), file);
	expect_path_fail(name, p, want, sub1, sub2);
}

static void test_kdump(unsigned char *r1)
{
	struct sd_dump *d = open_ok("kdump_open", "vmcore.kdump");
	const struct sd_dump_info *in;
	struct sd_error e = { 0 };
	unsigned char buf[16];
	char why[SD_ERROR_MSG_MAX + 128] = "";
	enum sd_status st;

	if (!d)
		return;
	in = sd_dump_info(d);
	ok("kdump_info", !strcmp(in->format, "kdump") && in->compression &&
	   !strcmp(in->compression, "none") && in->page_size == 4096 && in->dump_level == 1 &&
	   in->zero_pages_excluded && !in->reassembled && in->osrelease &&
	   !strcmp(in->osrelease, OSREL),
	   "format=%s compression=%s level=%d zero=%d", in->format,
	   in->compression ? in->compression : "NULL", in->dump_level, in->zero_pages_excluded);
	ok("kdump_read", compare_pages(d, r1, ZERO_PA, why, sizeof(why)), "%s", why);
	st = sd_dump_read_phys(d, ZERO_PA + 8, buf, 8, &e);
	ok("kdump_excluded_nodata", st == SD_ERR_NODATA && has(e.msg, "0x40008000"),
	   "%s: %s", sd_status_name(st), e.msg);
	st = sd_dump_read_phys(d, R2_PA + R2_SIZE, buf, 8, &e);
	ok("kdump_beyond_nodata", st == SD_ERR_NODATA && has(e.msg, "0x40408000"),
	   "%s: %s", sd_status_name(st), e.msg);
	check_kv("kdump_kv_read", d);
	sd_dump_close(d);
}

static void test_qemu(unsigned char *r1)
{
	struct sd_dump *d = open_ok("qemu_open", "vmcore.qemu-flat");
	const struct sd_dump_info *in;
	struct sd_error e = { 0 };
	unsigned char buf[16];
	char why[SD_ERROR_MSG_MAX + 128] = "";
	enum sd_status st;

	if (!d)
		return;
	in = sd_dump_info(d);
	ok("qemu_info", !strcmp(in->format, "qemu kdump (flattened)") && in->page_size == 4096 &&
	   in->dump_level == -1 && !in->zero_pages_excluded && in->reassembled &&
	   in->compression && !strcmp(in->compression, "none"),
	   "format=%s page_size=%" PRIu64 " level=%d", in->format, in->page_size, in->dump_level);
	ok("qemu_notes", has(notes_seen, "reassembled flattened dump") &&
	   has(notes_seen, "QEMU kdump"), "notes: %s", notes_seen);
	ok("qemu_read", compare_all(d, r1, why, sizeof(why)) &&
	   compare_pages(d, r1, 0, why, sizeof(why)), "%s", why);
	/* QEMU dumps whole 64 KiB blocks: the tail of R2's block reads as 0 */
	st = sd_dump_read_phys(d, R2_PA + R2_SIZE, buf, 8, &e);
	ok("qemu_block_tail_zero", st == SD_OK && buf[0] == 0 && buf[7] == 0,
	   "%s: %s", sd_status_name(st), e.msg);
	st = sd_dump_read_phys(d, R2_PA + 0x10000, buf, 8, &e);
	ok("qemu_beyond_nodata", st == SD_ERR_NODATA && has(e.msg, "0x40410000"),
	   "%s: %s", sd_status_name(st), e.msg);
	check_kv("qemu_kv_read", d);
	sd_dump_close(d);
}

/* Corrupt kdump headers are refused before libkdumpfile sees them. */
static void test_kdump_corrupt(void)
{
	struct sd_dump *d;
	char p[512];
	struct sd_error e = { 0 };
	enum sd_status st;

	expect_open_fail("kdump_block_size_0", "kdump.bs0", SD_ERR_CORRUPT,
			 "block_size 0 ", "offset 428");
	expect_open_fail("kdump_block_size_not_pow2", "kdump.bs3000", SD_ERR_CORRUPT,
			 "block_size 3000 ", "offset 428");
	expect_open_fail("kdump_flat_block_size_0", "kdump.bs0-flat", SD_ERR_CORRUPT,
			 "reassembled", "block_size 0 ");
	expect_open_fail("kdump_bitmap_beyond_eof", "kdump.bitmap", SD_ERR_CORRUPT,
			 "bitmap_blocks 2147483632 at file offset 436", "end of the file");
	expect_open_fail("kdump_subhdr_beyond_eof", "kdump.subhdr", SD_ERR_CORRUPT,
			 "sub_hdr_size 2147483647 at file offset 432", "end of the file");
	expect_open_fail("kdump_note_size_huge", "kdump.notesize", SD_ERR_CORRUPT,
			 "size_note 140737488289792 at file offset 4152", NULL);
	expect_open_fail("kdump_note_beyond_eof", "kdump.noteoff", SD_ERR_CORRUPT,
			 "at file offset 4144", "end of the file");
	expect_open_fail("kdump_max_mapnr_beyond_bitmap", "kdump.mapnr", SD_ERR_CORRUPT,
			 "max_mapnr_64 1099511627776 at file offset 4192", NULL);
	expect_open_fail("kdump_max_mapnr32_beyond_bitmap", "kdump.mapnr32", SD_ERR_CORRUPT,
			 "max_mapnr 4294967295 at file offset 440", "bits) hold");
	expect_open_fail("kdump_header_reads_as_32bit", "kdump.hdr32", SD_ERR_CORRUPT,
			 "read as a 32-bit kernel's header (little-endian), block_size 4096 at file"
			 " offset 416, bitmap_blocks 1 at file offset 424", "instead of the 64-bit");
	expect_open_fail("kdump_header_reads_as_32bit_be", "kdump.hdr32-be", SD_ERR_CORRUPT,
			 "read as a 32-bit kernel's header (big-endian), block_size 65536 at file"
			 " offset 416, bitmap_blocks 788529152 at file offset 424", "instead of the 64-bit");
	expect_open_fail("kdump_pagesize_empty", "kdump.pagesize-empty", SD_ERR_CORRUPT,
			 "corrupt kdump notes: VMCOREINFO PAGESIZE=\"\"", "is not a page size");
	expect_open_fail("elf_pagesize_4095", "vmcore.pagesize-4095", SD_ERR_CORRUPT,
			 "corrupt ELF PT_NOTE 0: VMCOREINFO PAGESIZE=\"4095\"", "is not a page size");
	expect_open_fail("elf_vmcoreinfo_cut_note", "vmcore.vmci-cut", SD_ERR_CORRUPT,
			 "corrupt ELF PT_NOTE 0: VMCOREINFO PAGESIZE=\"\"", "is not a page size");
	expect_open_fail("elf_vmcoreinfo_key_dot", "vmcore.vmci-dot", SD_ERR_CORRUPT,
			 "corrupt ELF PT_NOTE 0: VMCOREINFO line \".OFFSET(uts_name\"",
			 "starts with a dot");
	expect_open_fail("elf_vmcoreinfo_empty_line", "vmcore.vmci-empty", SD_ERR_CORRUPT,
			 "corrupt ELF PT_NOTE 0: VMCOREINFO line \"\" at byte ", "has an empty key");
	expect_open_fail("elf_vmcoreinfo_key_is_a_directory", "vmcore.vmci-clash", SD_ERR_CORRUPT,
			 "VMCOREINFO line \"A=1\" makes a value of the directory that line"
			 " \"A.B=2\" needs", NULL);
	expect_open_fail("elf_vmcoreinfo_typed_key_is_a_directory", "vmcore.vmci-typed",
			 SD_ERR_CORRUPT, "VMCOREINFO line \"OFFSET(a)=1\" makes a value of the"
			 " directory that line \"OFFSET(a.b)=2\" needs", NULL);
	expect_open_fail("kdump_header_truncated", "kdump.short", SD_ERR_CORRUPT,
			 "truncated", "300 bytes");
	expect_open_fail("kdump_page_desc_size", "kdump.pdsize", SD_ERR_CORRUPT,
			 "descriptor 0 at file offset", "compressed size of 131172 bytes");

	/* version 6 takes VMCOREINFO from the notes: a bad offset is a note */
	notes_seen[0] = '\0';
	path_of(p, sizeof(p), "kdump.vmcioff");
	d = NULL;
	st = open_noted(p, &d, &e);
	ok("kdump_vmcoreinfo_offset_ignored", st == SD_OK && d &&
	   sd_dump_vmcoreinfo(d, "OSRELEASE") && has(notes_seen, "offset_vmcoreinfo"),
	   "%s: %s; notes: %s", sd_status_name(st), e.msg, notes_seen);
	if (d)
		sd_dump_close(d);

	/* QEMU's 64 KiB blocks are not corrupt, flattened or not */
	d = open_ok("qemu_plain_open", "vmcore.qemu");
	if (d)
		sd_dump_close(d);
}

/*
 * Malformed ELF headers, each on the first page of the good ELF file (the
 * header, three program headers and the VMCOREINFO note): libkdumpfile
 * 0.5.1 crashed in kdump_open_fd() on the first three.  Offsets from the
 * System V ABI (ELF-64 header and program header), not from <elf.h>'s
 * structures, which the code under test uses.
 */
#define EH_PHOFF	32
#define EH_SHOFF	40
#define EH_PHENTSIZE	54
#define EH_PHNUM	56
#define EH_SHENTSIZE	58
#define EH_SHNUM	60
#define EH_SIZE		64
#define PH_SIZE		56
#define PH_VADDR	16
#define PH_FILESZ	32
#define SH_INFO		44
#define EH_SHSTRNDX	62
#define SH_OFFSET	24
#define SH_SIZE		32

static void put_le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static int make_bad_elves(const unsigned char *elf)
{
	unsigned char b[0x1000 + 128];
	int rc = 0;

#define BAD_ELF(name, edit) do { memcpy(b, elf, 0x1000); edit; \
		rc |= write_file(name, b, 0x1000); } while (0)
	BAD_ELF("elf.phoff", put_le64(b + EH_PHOFF, ~0ull));
	BAD_ELF("elf.phentsize", put_le16(b + EH_PHENTSIZE, 65535));
	BAD_ELF("elf.phnum", put_le16(b + EH_PHNUM, 65535));
	BAD_ELF("elf.phentsize-small", put_le16(b + EH_PHENTSIZE, 1));
	BAD_ELF("elf.note-huge", put_le64(b + EH_SIZE + PH_FILESZ, 1ull << 40));
	BAD_ELF("elf.shoff", (put_le64(b + EH_SHOFF, 0x7fffffffffffull),
			      put_le16(b + EH_SHENTSIZE, 64), put_le16(b + EH_SHNUM, 3)));
	BAD_ELF("elf.shentsize", (put_le64(b + EH_SHOFF, 0x800),
				  put_le16(b + EH_SHENTSIZE, 1), put_le16(b + EH_SHNUM, 1)));
	/* extended numbering: section header 0 at 0x1000 says 10^6 entries */
	memcpy(b, elf, 0x1000);
	memset(b + 0x1000, 0, 64);
	put_le16(b + EH_PHNUM, 0xffff);
	put_le64(b + EH_SHOFF, 0x1000);
	put_le16(b + EH_SHENTSIZE, 64);
	put_le16(b + EH_SHNUM, 1);
	put_le32(b + 0x1000 + SH_INFO, 1000000);
	rc |= write_file("elf.xnum", b, 0x1000 + 64);
	/* e_shstrndx 1: a SHT_NULL section of 44 GB (fuzz_dump: libkdumpfile
	 * allocated it as the name table) */
	memcpy(b, elf, 0x1000);
	memset(b + 0x1000, 0, 128);
	put_le64(b + EH_SHOFF, 0x1000);
	put_le16(b + EH_SHENTSIZE, 64);
	put_le16(b + EH_SHNUM, 2);
	put_le16(b + EH_SHSTRNDX, 1);
	put_le64(b + 0x1040 + SH_OFFSET, 0x100);
	put_le64(b + 0x1040 + SH_SIZE, 0xb00000000ull);
	rc |= write_file("elf.shstrtab-huge", b, sizeof(b));
	BAD_ELF("elf.class32", b[EI_CLASS] = ELFCLASS32);
	BAD_ELF("elf.nophdr", put_le16(b + EH_PHNUM, 0));
#undef BAD_ELF
	/* 506 bytes, as small as the fuzzer's: old code crashed or hung on these */
#define BAD_ELF_506(name, edit) do { memcpy(b, elf, 506); edit; \
		rc |= write_file(name, b, 506); } while (0)
	BAD_ELF_506("elf.shnum-no-shoff", put_le16(b + EH_SHNUM, 65535));
	BAD_ELF_506("elf.shoff-2^63", put_le64(b + EH_SHOFF, 1ull << 63));
	BAD_ELF_506("elf.ph-65535x65535", (put_le16(b + EH_PHENTSIZE, 65535),
					   put_le16(b + EH_PHNUM, 65535)));
#undef BAD_ELF_506
	/* the 64-byte header cut short */
	rc |= write_file("elf.short", elf, 40);
	return rc;
}

static void test_bad_elf(void)
{
	expect_open_fail("elf_phoff_minus_1", "elf.phoff", SD_ERR_CORRUPT,
			 "e_phoff 0xffffffffffffffff at file offset 32", "end of the file");
	expect_open_fail("elf_phentsize_65535", "elf.phentsize", SD_ERR_CORRUPT,
			 "e_phentsize 65535 at file offset 54", NULL);
	expect_open_fail("elf_phnum_65535", "elf.phnum", SD_ERR_CORRUPT,
			 "65535 entries", "end of the file");
	expect_open_fail("elf_phentsize_1", "elf.phentsize-small", SD_ERR_CORRUPT,
			 "e_phentsize 1 ", NULL);
	expect_open_fail("elf_note_huge", "elf.note-huge", SD_ERR_CORRUPT,
			 "PT_NOTE 0", "p_filesz 1099511627776");
	expect_open_fail("elf_shoff_beyond_eof", "elf.shoff", SD_ERR_CORRUPT,
			 "e_shoff 0x7fffffffffff", NULL);
	expect_open_fail("elf_shentsize_1", "elf.shentsize", SD_ERR_CORRUPT,
			 "e_shentsize 1 ", NULL);
	expect_open_fail("elf_xnum_huge", "elf.xnum", SD_ERR_CORRUPT,
			 "1000000 entries", "end of the file");
	expect_open_fail("elf_shnum_without_shoff", "elf.shnum-no-shoff", SD_ERR_CORRUPT,
			 "e_shnum 65535 at file offset 60 with e_shoff 0", NULL);
	expect_open_fail("elf_shoff_2^63", "elf.shoff-2^63", SD_ERR_CORRUPT,
			 "e_shentsize 0 ", NULL);
	expect_open_fail("elf_phentsize_phnum_65535", "elf.ph-65535x65535", SD_ERR_CORRUPT,
			 "e_phentsize 65535", NULL);
	expect_open_fail("elf_shstrtab_null_huge", "elf.shstrtab-huge", SD_ERR_CORRUPT,
			 "section 1 (header at offset 0x1040", "size 47244640256");
	expect_open_fail("elf_class32", "elf.class32", SD_ERR_UNSUPPORTED, "ELFCLASS32", NULL);
	expect_open_fail("elf_no_phdrs", "elf.nophdr", SD_ERR_UNSUPPORTED,
			 "without program headers", NULL);
	expect_open_fail("elf_header_truncated", "elf.short", SD_ERR_CORRUPT,
			 "64-byte ELF header", "(40 bytes)");
}

/* Only regular files and block devices, and no blocking on a FIFO. */
static void test_file_types(void)
{
	char p[512];

	path_of(p, sizeof(p), "fifo");
	if (mkfifo(p, 0600) != 0) {
		ok("open_fifo", false, "mkfifo %s: %s", p, strerror(errno));
	} else {
		/* a hang here is the failure; tests/dump/test.sh runs it under timeout */
		expect_open_fail("open_fifo", "fifo", SD_ERR_USAGE, "a FIFO, not a dump", NULL);
	}
	path_of(p, sizeof(p), "subdir");
	if (mkdir(p, 0700) != 0)
		ok("open_directory", false, "mkdir %s: %s", p, strerror(errno));
	else
		expect_open_fail("open_directory", "subdir", SD_ERR_USAGE,
				 "a directory, not a dump", NULL);
	/* a character device that never ends */
	expect_path_fail("open_char_device", "/dev/zero", SD_ERR_USAGE,
			 "a character device, not a dump", NULL);
}

/* @elf with VMCOREINFO @t (sizeof - 1 bytes, NULs included; no longer
 * than vmcoreinfo_text()) and, when @novaddr, PT_LOADs without virtual
 * addresses. */
#define write_vmci_variant(name, elf, elen, t, novaddr) \
	vmci_variant(name, elf, elen, t, sizeof(t) - 1, novaddr, false)
/* ... with the note segment ending where the text does, before its padding */
#define write_vmci_variant_cut(name, elf, elen, t) \
	vmci_variant(name, elf, elen, t, sizeof(t) - 1, false, true)
static int vmci_variant(const char *name, const unsigned char *elf, size_t elen,
			const char *t, size_t tl, bool novaddr, bool cut)
{
	size_t note = sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr);
	size_t dl = (tl + 3) & ~(size_t)3;
	unsigned char *c = malloc(elen);
	int rc;

	if (!c)
		abort();
	memcpy(c, elf, elen);
	put_le32(c + note + 4, (uint32_t)tl);
	memset(c + note + 24, 0, dl);
	memcpy(c + note + 24, t, tl);
	put_le64(c + sizeof(Elf64_Ehdr) + PH_FILESZ, 24 + (cut ? tl : dl));
	for (int i = 1; novaddr && i < 3; i++)
		put_le64(c + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr) + PH_VADDR, 0);
	rc = write_file(name, c, elen);
	free(c);
	return rc;
}

static int make_files(unsigned char *r1)
{
	unsigned char *elf, *flat, *bad, *kd, *qk, *qf;
	size_t elen, flen, klen, qlen, qflen;
	int rc = 0;

	elf = build_elf(&elen, r1);
	rc |= write_file("vmcore.elf", elf, elen);
	/* truncated 3 pages into R2 */
	rc |= write_file("vmcore.trunc", elf, 0x1000 + R1_SIZE + 3 * PS);
	/* the same without VMCOREINFO (the note renamed) */
	{
		unsigned char *c = malloc(elen);

		if (!c)
			abort();
		memcpy(c, elf, elen);
		memcpy(c + sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr) + 12, "NOTVMCINFO", 10);
		rc |= write_file("vmcore.novmci", c, elen);
		free(c);
	}
	rc |= make_bad_elves(elf);
	/* VMCOREINFO PAGESIZE not a power of two */
	{
		unsigned char *c = malloc(elen), *p;

		if (!c)
			abort();
		memcpy(c, elf, elen);
		p = memmem(c, elen, "PAGESIZE=4096\n", 14);
		if (p)
			memcpy(p, "PAGESIZE=4095\n", 14);
		rc |= p ? write_file("vmcore.pagesize-4095", c, elen) : -1;
		free(c);
	}
	/* a VMCOREINFO key starting with a dot: libkdumpfile 0.5.1 crashed
	 * making it an attribute path (SIGSEGV in kdump_open_fd, fuzz_dump) */
	/* PAGESIZE with no value at the end of a descriptor whose padding the
	 * note segment cuts off: libkdumpfile 0.5.1 reads it (and allocated
	 * 8 EiB in a kdump file); the check skipped the cut note (fuzz_dump) */
	rc |= write_vmci_variant_cut("vmcore.vmci-cut", elf, elen,
				     "OSRELEASE=" OSREL "\n" "X=\n" "PAGESIZE=");
	rc |= write_vmci_variant("vmcore.vmci-dot", elf, elen,
				 "OSRELEASE=" OSREL "\n" "PAGESIZE=4096\n"
				 ".OFFSET(uts_namespace.name)=4\n", false);
	/* Keys that do not make a tree of attributes: libkdumpfile 0.5.1
	 * leaked the values and templates of an empty key (fuzz_dump,
	 * LeakSanitizer at exit) and links a child under any attribute with
	 * the parent's path, in its lines (A, A.B) or typed (OFFSET.a,
	 * OFFSET.a.b) directory */
	rc |= write_vmci_variant("vmcore.vmci-empty", elf, elen,
				 "OSRELEASE=" OSREL "\n" "PAGESIZE=4096\n" "\n" "X=1\n", false);
	rc |= write_vmci_variant("vmcore.vmci-clash", elf, elen,
				 "OSRELEASE=" OSREL "\n" "PAGESIZE=4096\n" "A.B=2\n" "A=1\n", false);
	rc |= write_vmci_variant("vmcore.vmci-typed", elf, elen,
				 "OSRELEASE=" OSREL "\n" "PAGESIZE=4096\n" "OFFSET(a)=1\n"
				 "OFFSET(a.b)=2\n", false);
	/* VMCOREINFO naming init_uts_ns but no PAGESIZE, PT_LOADs without
	 * virtual addresses: libkdumpfile 0.5.1 read init_uts_ns when the OS
	 * type was set and divided by its page size, 0 (SIGFPE; fuzz_dump) */
	rc |= write_vmci_variant("vmcore.nopagesize", elf, elen,
				 "OSRELEASE=" OSREL "\n"
				 "SYMBOL(init_uts_ns)=ffff800009c91000\n"
				 "OFFSET(uts_namespace.name)=4\n", true);
	/* SYMBOL(swapper_pg_dir) not page-aligned, or wider than 64 bits
	 * (after a NUL byte, where a C string of VMCOREINFO ends): 0.5.1
	 * walked from it into uninitialised memory (SEGV; fuzz_dump) */
	rc |= write_vmci_variant("vmcore.swapper-unaligned", elf, elen,
				 "OSRELEASE=" OSREL "\n" "PAGESIZE=4096\n"
				 "SYMBOL(init_uts_ns)=ffff800009c91000\n"
				 "SYMBOL(swapper_pg_dir)=ffff800009a3d008\n"
				 "NUMBER(VA_BITS)=48\n", false);
	rc |= write_vmci_variant("vmcore.swapper-wide", elf, elen,
				 "OSRELEASE=" OSREL "\n" "PAGESIZE=4096\n"
				 "SYMBOL(init_uts_ns)=ffff800009c91000\n"
				 "OFFSET(uts_namespace.name)=4\0\n"
				 "SYMBOL(swapper_pg_dir)=ffff800009a3d00000\n"
				 "NUMBER(VA_BITS)=48\n", false);
	flat = flatten(elf, elen, 3000, &flen);
	rc |= write_file("vmcore.flat", flat, flen);

	/* corrupt flattened files; the first record header is at 4096 */
	bad = malloc(flen);
	if (!bad)
		abort();
	memcpy(bad, flat, flen);
	put_be64(bad + 4096, -5);
	rc |= write_file("flat.negoff", bad, flen);
	memcpy(bad, flat, flen);
	put_be64(bad + 4096, (int64_t)1 << 62);
	rc |= write_file("flat.hugeoff", bad, flen);
	memcpy(bad, flat, flen);
	put_be64(bad + 4096 + 8, -7);
	rc |= write_file("flat.negsize", bad, flen);
	rc |= write_file("flat.trunc-data", flat, 4096 + 16 + 100);
	rc |= write_file("flat.trunc-hdr", flat, 4096 + 10);
	rc |= write_file("flat.noend", flat, flen - 16);
	rc |= write_file("flat.short", flat, 1000);
	free(bad);
	rc |= write_file("garbage", "this is not a dump at all\n", 26);

	kd = build_kdump(PS, "aarch64", 1, true, r1, &klen);
	rc |= write_file("vmcore.kdump", kd, klen);
	qk = build_kdump(0x10000, "Unknown", 1, false, r1, &qlen);
	rc |= write_file("vmcore.qemu", qk, qlen);
	qf = flatten(qk, qlen, 65536 + 24, &qflen);
	rc |= write_file("vmcore.qemu-flat", qf, qflen);

	/* corrupt kdump headers (libkdumpfile 0.5.1 crashes on them) */
	bad = malloc(klen);
	if (!bad)
		abort();
	memcpy(bad, kd, klen);
	put_le32(bad + 428, 0);				/* block_size */
	rc |= write_file("kdump.bs0", bad, klen);
	free(flat);
	flat = flatten(bad, klen, 3000, &flen);
	rc |= write_file("kdump.bs0-flat", flat, flen);
	memcpy(bad, kd, klen);
	put_le32(bad + 428, 3000);			/* not a power of two */
	rc |= write_file("kdump.bs3000", bad, klen);
	memcpy(bad, kd, klen);
	put_le32(bad + 436, 0x7ffffff0);		/* bitmap_blocks */
	rc |= write_file("kdump.bitmap", bad, klen);
	memcpy(bad, kd, klen);
	put_le32(bad + 432, 0x7fffffff);		/* sub_hdr_size */
	rc |= write_file("kdump.subhdr", bad, klen);
	memcpy(bad, kd, klen);
	put_le64(bad + PS + 56, 0x7fffffff0000ull);	/* size_note */
	rc |= write_file("kdump.notesize", bad, klen);
	memcpy(bad, kd, klen);
	put_le64(bad + PS + 48, klen - 8);		/* offset_note */
	rc |= write_file("kdump.noteoff", bad, klen);
	memcpy(bad, kd, klen);
	put_le64(bad + PS + 96, 1ull << 40);		/* max_mapnr_64 */
	rc |= write_file("kdump.mapnr", bad, klen);
	/* the 32-bit max_mapnr beyond the bitmap, max_mapnr_64 valid: libkdumpfile
	 * 0.5.1 checks the former and failed the open, its context not
	 * freeable (a 4 MB leak per open under fuzz_dump) */
	memcpy(bad, kd, klen);
	put_le32(bad + 440, 0xffffffffu);		/* max_mapnr */
	rc |= write_file("kdump.mapnr32", bad, klen);
	/* A header that also reads as a 32-bit kernel's one (timeval of two
	 * 32-bit longs: block_size at 416, bitmap_blocks at 424, max_mapnr at
	 * 428), which libkdumpfile 0.5.1 tries first.  Little endian: tv_usec
	 * 4096 and status 1 make block_size 4096 and one bitmap block covering
	 * the 64-bit block_size as max_mapnr.  Big endian, fuzz_dump's shape:
	 * 0x00010000 and status 0x2f read as block_size 65536 and 0x2f000000
	 * bitmap blocks, which libkdumpfile read in one 23.5 TiB piece. */
	memcpy(bad, kd, klen);
	put_le32(bad + 416, 4096);
	put_le32(bad + 424, 1);
	rc |= write_file("kdump.hdr32", bad, klen);
	memcpy(bad, kd, klen);
	put_le32(bad + 416, 0x100);
	put_le32(bad + 424, 0x2f);
	rc |= write_file("kdump.hdr32-be", bad, klen);
	/* VMCOREINFO PAGESIZE with no value: libkdumpfile 0.5.1 then asked
	 * malloc for 8 EiB for compressed pages (fuzz_dump) */
	memcpy(bad, kd, klen);
	{
		unsigned char *p = memmem(bad, klen, "PAGESIZE=4096\n", 14);

		if (p)
			memcpy(p, "PAGESIZE=\0\0\0\0\n", 14);
		rc |= p ? write_file("kdump.pagesize-empty", bad, klen) : -1;
	}
	memcpy(bad, kd, klen);
	put_le64(bad + PS + 32, 0x7fffffff0000ull);	/* offset_vmcoreinfo: unused in v6 */
	rc |= write_file("kdump.vmcioff", bad, klen);
	/* The first page descriptor (after block 0, the sub-header block and
	 * the bitmaps): LZO-compressed, 32 blocks and a bit long.  libkdumpfile
	 * 0.5.1 overran its file cache on it (fuzz_dump). */
	memcpy(bad, kd, klen);
	{
		uint32_t bitmap_blocks;
		uint64_t desc0;

		memcpy(&bitmap_blocks, bad + 436, 4);
		desc0 = (2 + (uint64_t)le32toh(bitmap_blocks)) * PS;

		put_le32(bad + desc0 + 8, 32 * PS + 100);	/* size */
		put_le32(bad + desc0 + 12, 0x2);		/* flags: LZO */
		rc |= write_file("kdump.pdsize", bad, klen);
	}
	rc |= write_file("kdump.short", kd, 300);
	free(bad);
	free(elf);
	free(flat);
	free(kd);
	free(qk);
	free(qf);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned char *r1 = r1_image();
	char cmd[600];
	bool keep = false;

	if (argc == 3 && !strcmp(argv[1], "--make")) {
		snprintf(dir, sizeof(dir), "%s", argv[2]);
		keep = true;
	} else {
		const char *t = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/test_dump.XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(dir)) {
			fprintf(stderr, "test_dump: mkdtemp %s: %s\n", dir, strerror(errno));
			return 2;
		}
	}
	if (make_files(r1) != 0) {
		fprintf(stderr, "test_dump: cannot write test files in %s\n", dir);
		return 2;
	}
	if (keep) {
		free(r1);
		return 0;
	}

	test_elf(r1);
	test_novmci(r1);
	test_nopagesize(r1);
	test_swapper("swapper_unaligned", "vmcore.swapper-unaligned", r1,
		     "SYMBOL(swapper_pg_dir) 0xffff800009a3d008 is not page-aligned");
	test_swapper("swapper_wide", "vmcore.swapper-wide", r1,
		     "SYMBOL(swapper_pg_dir) is wider than 64 bits");
	test_truncated(r1);
	test_flat(r1);
	expect_open_fail("flat_negative_offset", "flat.negoff", SD_ERR_CORRUPT,
			 "offset 4096", "-5");
	expect_open_fail("flat_huge_offset", "flat.hugeoff", SD_ERR_CORRUPT,
			 "offset 4096", "target offset");
	expect_open_fail("flat_negative_size", "flat.negsize", SD_ERR_CORRUPT,
			 "offset 4096", "size -7");
	expect_open_fail("flat_truncated_data", "flat.trunc-data", SD_ERR_CORRUPT,
			 "offset 4096", "truncated");
	expect_open_fail("flat_truncated_header", "flat.trunc-hdr", SD_ERR_CORRUPT,
			 "offset 4096", "truncated");
	expect_open_fail("flat_no_end_marker", "flat.noend", SD_ERR_CORRUPT,
			 "end marker", NULL);
	expect_open_fail("flat_short_header", "flat.short", SD_ERR_CORRUPT,
			 "offset 1000", NULL);
	expect_open_fail("open_missing", "no-such-file", SD_ERR_IO, "no-such-file", NULL);
	expect_open_fail("open_garbage", "garbage", SD_ERR_UNSUPPORTED, "garbage", NULL);
	test_kdump(r1);
	test_qemu(r1);
	test_kdump_corrupt();
	test_bad_elf();
	test_file_types();
	ok("notes_are_dump_diags", notes_total > 0 && notes_bad_origin == 0,
	   "%u notes, %u not of origin dump", notes_total, notes_bad_origin);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test_dump: could not remove %s\n", dir);
	free(r1);
	fprintf(stderr, "test_dump: %d passed, %d failed\n", passes, failures);
	return 0;
}
