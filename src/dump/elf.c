// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF vmcores: the headers checked before libkdumpfile reads them, and the
 * PT_LOAD coverage table.
 *
 * libkdumpfile 0.5.1 (elfdump.c, init_elf64) reads e_phnum program headers
 * of e_phentsize bytes from e_phoff and e_shnum section headers of
 * e_shentsize bytes from e_shoff, casts each to Elf64_Phdr/Elf64_Shdr
 * whatever the entry size, takes the counts from section header 0 under
 * extended numbering (e_phnum PN_XNUM, e_shnum 0), then reads every
 * PT_NOTE segment whole and the section-name string table.  None of it is
 * checked against the file: e_phoff -1, e_phentsize or e_phnum 65535 made
 * it crash (SIGSEGV in kdump_open_fd) on inputs of 506 bytes.  So every
 * table and range it will read is checked here first (System V ABI,
 * "ELF Header", "Program Header", "Sections": extended numbering).
 *
 * A truncated ELF file reads as zeros past its end in libkdumpfile: the
 * PT_LOAD extents are compared with the file size, and pages past EOF (or
 * in no PT_LOAD, or beyond p_filesz) are SD_ERR_NODATA, decided here
 * before libkdumpfile is asked.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sd_cleanup.h"
#include "dump-priv.h"

#define EH_OFF(f)	((uint64_t)offsetof(Elf64_Ehdr, f))

/* The header fields libkdumpfile uses, in host order. */
struct elf_tables {
	bool be;
	uint64_t phoff, phnum, phentsize;
	uint64_t shoff, shnum, shentsize, shstrndx;
};

struct elf_ctx {
	struct sd_dump *d;
	int fd;
	uint64_t size;		/* 0: unknown */
	const char *where;
	struct elf_tables t;
};

static uint16_t e16(uint16_t v, bool be) { return be ? be16toh(v) : le16toh(v); }
static uint32_t e32(uint32_t v, bool be) { return be ? be32toh(v) : le32toh(v); }
static uint64_t e64(uint64_t v, bool be) { return be ? be64toh(v) : le64toh(v); }

/* [off, off+len) is addressable and, when the size is known, in the file. */
static bool in_file(const struct elf_ctx *c, uint64_t off, uint64_t len)
{
	return off + len >= off && (!c->size || off + len <= c->size);
}

static enum sd_status corrupt(const struct elf_ctx *c, struct sd_error *err,
			      const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static enum sd_status corrupt(const struct elf_ctx *c, struct sd_error *err,
			      const char *fmt, ...)
{
	char why[SD_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return sd_error_set(err, SD_ERR_CORRUPT, "%s: corrupt ELF header%s: %s", c->d->path,
			    c->where, why);
}

/* Read @len bytes at @off, which in_file() accepted; @what for messages. */
static enum sd_status read_at(const struct elf_ctx *c, void *buf, size_t len, uint64_t off,
			      const char *what, struct sd_error *err)
{
	int r = dump_pread_full(c->fd, buf, len, off);

	if (r < 0)
		return sd_error_set(err, SD_ERR_IO, "%s: cannot read the %s%s at offset 0x%" PRIx64
				    ": %s", c->d->path, what, c->where, off, strerror(errno));
	if (r > 0)
		return corrupt(c, err, "the %s at offset 0x%" PRIx64 " is cut by the end of the file",
			       what, off);
	return SD_OK;
}

/* ELF header: identification, then the counts, with extended numbering. */
static enum sd_status read_ehdr(struct elf_ctx *c, struct sd_error *err)
{
	struct elf_tables *t = &c->t;
	Elf64_Ehdr eh;
	int r = dump_pread_full(c->fd, &eh, sizeof(eh), 0);

	if (r < 0)
		return sd_error_set(err, SD_ERR_IO, "%s: cannot read the ELF header%s at offset 0: %s",
				    c->d->path, c->where, strerror(errno));
	if (r > 0)
		return corrupt(c, err, "the %zu-byte ELF header at offset 0 does not fit in the file"
			       " (%" PRIu64 " bytes)", sizeof(eh), c->size);
	if (eh.e_ident[EI_CLASS] == ELFCLASS32)
		return sd_error_set(err, SD_ERR_UNSUPPORTED,
				    "%s: a 32-bit ELF file (ELFCLASS32)%s: only 64-bit (arm64) vmcores are read",
				    c->d->path, c->where);
	if (eh.e_ident[EI_CLASS] != ELFCLASS64)
		return corrupt(c, err, "EI_CLASS %u at file offset %u is not ELFCLASS64",
			       eh.e_ident[EI_CLASS], EI_CLASS);
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB && eh.e_ident[EI_DATA] != ELFDATA2MSB)
		return corrupt(c, err, "EI_DATA %u at file offset %u is no byte order",
			       eh.e_ident[EI_DATA], EI_DATA);
	t->be = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	t->phoff = e64(eh.e_phoff, t->be);
	t->phnum = e16(eh.e_phnum, t->be);
	t->phentsize = e16(eh.e_phentsize, t->be);
	t->shoff = e64(eh.e_shoff, t->be);
	t->shnum = e16(eh.e_shnum, t->be);
	t->shentsize = e16(eh.e_shentsize, t->be);
	t->shstrndx = e16(eh.e_shstrndx, t->be);
	return SD_OK;
}

/* Extended numbering: section header 0 holds the real counts, read as
 * libkdumpfile reads them (whenever e_shoff is set and a count overflowed). */
static enum sd_status read_sh0(struct elf_ctx *c, struct sd_error *err)
{
	struct elf_tables *t = &c->t;
	Elf64_Shdr sh;
	enum sd_status st;

	if (t->shnum && t->shoff == 0)
		return corrupt(c, err, "e_shnum %" PRIu64 " at file offset %" PRIu64
			       " with e_shoff 0", t->shnum, EH_OFF(e_shnum));
	if (!t->shoff)
		return SD_OK;
	if (t->shentsize != sizeof(Elf64_Shdr))
		return corrupt(c, err, "e_shentsize %" PRIu64 " at file offset %" PRIu64
			       " is not %zu", t->shentsize, EH_OFF(e_shentsize), sizeof(Elf64_Shdr));
	if (!in_file(c, t->shoff, sizeof(sh)))
		return corrupt(c, err, "e_shoff 0x%" PRIx64 " at file offset %" PRIu64
			       " is beyond the end of the file (%" PRIu64 " bytes)",
			       t->shoff, EH_OFF(e_shoff), c->size);
	if (t->shnum && t->phnum != PN_XNUM)
		return SD_OK;
	st = read_at(c, &sh, sizeof(sh), t->shoff, "ELF section header 0", err);
	if (st != SD_OK)
		return st;
	if (!t->shnum)
		t->shnum = e64(sh.sh_size, t->be);
	if (t->shnum && t->phnum == PN_XNUM)
		t->phnum = e32(sh.sh_info, t->be);
	return SD_OK;
}

/* Both header tables: sane counts and entry sizes, inside the file. */
static enum sd_status check_tables(struct elf_ctx *c, struct sd_error *err)
{
	struct elf_tables *t = &c->t;

	if (!t->phnum)
		return sd_error_set(err, SD_ERR_UNSUPPORTED,
				    "%s: an ELF file without program headers%s is not a vmcore",
				    c->d->path, c->where);
	if (t->phentsize != sizeof(Elf64_Phdr))
		return corrupt(c, err, "e_phentsize %" PRIu64 " at file offset %" PRIu64
			       " is not %zu", t->phentsize, EH_OFF(e_phentsize), sizeof(Elf64_Phdr));
	if (t->phnum > MAX_PT_LOADS)
		return corrupt(c, err, "%" PRIu64 " program headers (more than %u)",
			       t->phnum, MAX_PT_LOADS);
	if (!in_file(c, t->phoff, t->phnum * sizeof(Elf64_Phdr)))
		return corrupt(c, err, "the program header table (e_phoff 0x%" PRIx64
			       " at file offset %" PRIu64 ", %" PRIu64 " entries of %zu bytes)"
			       " ends beyond the end of the file (%" PRIu64 " bytes)",
			       t->phoff, EH_OFF(e_phoff), t->phnum, sizeof(Elf64_Phdr), c->size);
	if (!t->shnum)
		return SD_OK;
	if (t->shnum > MAX_PT_LOADS)
		return corrupt(c, err, "%" PRIu64 " section headers (more than %u)",
			       t->shnum, MAX_PT_LOADS);
	if (!in_file(c, t->shoff, t->shnum * sizeof(Elf64_Shdr)))
		return corrupt(c, err, "the section header table (e_shoff 0x%" PRIx64
			       " at file offset %" PRIu64 ", %" PRIu64 " entries of %zu bytes)"
			       " ends beyond the end of the file (%" PRIu64 " bytes)",
			       t->shoff, EH_OFF(e_shoff), t->shnum, sizeof(Elf64_Shdr), c->size);
	return SD_OK;
}

/* Every section's data in the file (libkdumpfile reads the name table and
 * Xen's sections whole; the name table, e_shstrndx, whatever its type: a
 * SHT_NULL one of 44 GB made it allocate that much, found by fuzz_dump). */
static enum sd_status check_sections(struct elf_ctx *c, struct sd_error *err)
{
	const struct elf_tables *t = &c->t;
	uint64_t i;

	for (i = 0; i < t->shnum; i++) {
		uint64_t at = t->shoff + i * sizeof(Elf64_Shdr), off, size;
		Elf64_Shdr sh;
		enum sd_status st = read_at(c, &sh, sizeof(sh), at, "ELF section header", err);

		if (st != SD_OK)
			return st;
		if (i != t->shstrndx &&
		    (e32(sh.sh_type, t->be) == SHT_NOBITS || e32(sh.sh_type, t->be) == SHT_NULL))
			continue;
		off = e64(sh.sh_offset, t->be);
		size = e64(sh.sh_size, t->be);
		if (size > MAX_NOTES_SIZE || !in_file(c, off, size))
			return corrupt(c, err, "section %" PRIu64 " (header at offset 0x%" PRIx64
				       ", offset 0x%" PRIx64 ", size %" PRIu64 ") is larger than %u MiB"
				       " or ends beyond the end of the file (%" PRIu64 " bytes)",
				       i, at, off, size, MAX_NOTES_SIZE >> 20, c->size);
	}
	return SD_OK;
}

/* One program header: PT_NOTE read whole by libkdumpfile, PT_LOAD into the
 * coverage table (*n entries so far). */
static enum sd_status check_phdr(struct elf_ctx *c, const Elf64_Phdr *raw, uint64_t i,
				 uint64_t at, struct load *loads, size_t *n, struct sd_error *err)
{
	bool be = c->t.be;
	uint32_t type = e32(raw->p_type, be);
	uint64_t off = e64(raw->p_offset, be), filesz = e64(raw->p_filesz, be);
	uint64_t pa = e64(raw->p_paddr, be), memsz = e64(raw->p_memsz, be);
	struct load *l = &loads[*n];

	if (type == PT_NOTE && (filesz > MAX_NOTES_SIZE || !in_file(c, off, filesz)))
		return corrupt(c, err, "PT_NOTE %" PRIu64 " (header at offset 0x%" PRIx64
			       ", p_offset 0x%" PRIx64 ", p_filesz %" PRIu64 ") is larger than %u MiB"
			       " or ends beyond the end of the file (%" PRIu64 " bytes)",
			       i, at, off, filesz, MAX_NOTES_SIZE >> 20, c->size);
	if (type == PT_NOTE) {
		char what[64];

		snprintf(what, sizeof(what), "ELF PT_NOTE %" PRIu64 "%s", i, c->where);
		return dump_vmci_check(c->d, c->fd, off, filesz, true, what, err);
	}
	if (type != PT_LOAD || memsz == 0)
		return SD_OK;
	if (filesz > memsz || off + filesz < off || pa + memsz < pa)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: PT_LOAD %" PRIu64 " (header at offset 0x%" PRIx64
				    ", paddr 0x%" PRIx64 ") has impossible sizes",
				    c->d->path, i, at, pa);
	l->pa = pa;
	l->filesz = filesz;
	l->memsz = memsz;
	l->off = off;
	l->avail = filesz;
	if (c->size) {
		if (off >= c->size)
			l->avail = 0;
		else if (off + filesz > c->size)
			l->avail = c->size - off;
		if (l->avail < filesz)
			c->d->truncated = true;
	}
	(*n)++;
	return SD_OK;
}

static int load_cmp(const void *a, const void *b)
{
	const struct load *x = a, *y = b;

	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

enum sd_status dump_elf_check(struct sd_dump *d, int fd, uint64_t size,
			      const char *where, struct sd_error *err)
{
	struct elf_ctx c = { .d = d, .fd = fd, .size = size, .where = where };
	struct load *loads sd_autofree = NULL;
	enum sd_status st;
	size_t n = 0;
	uint64_t i;

	st = read_ehdr(&c, err);
	if (st == SD_OK)
		st = read_sh0(&c, err);
	if (st == SD_OK)
		st = check_tables(&c, err);
	if (st == SD_OK)
		st = check_sections(&c, err);
	if (st != SD_OK)
		return st;
	loads = calloc(c.t.phnum, sizeof(*loads));
	if (!loads)
		return sd_error_set(err, SD_ERR_NOMEM, "%s: no memory for %" PRIu64
				    " program headers", d->path, c.t.phnum);
	d->truncated = false;
	for (i = 0; i < c.t.phnum; i++) {
		uint64_t at = c.t.phoff + i * sizeof(Elf64_Phdr);
		Elf64_Phdr ph;

		st = read_at(&c, &ph, sizeof(ph), at, "ELF program header", err);
		if (st == SD_OK)
			st = check_phdr(&c, &ph, i, at, loads, &n, err);
		if (st != SD_OK)
			return st;
	}
	qsort(loads, n, sizeof(*loads), load_cmp);
	free(d->loads);
	d->loads = sd_steal_ptr(&loads);
	d->nloads = n;
	return SD_OK;
}

/*
 * ELF coverage of [pa, pa+len): returns true when every byte is backed by
 * file data.  Otherwise *bad is the first address that is not and *why
 * says why.
 */
bool dump_elf_covered(const struct sd_dump *d, uint64_t pa, uint64_t len,
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

/* True when some byte of [pa, pa+len) is backed by file data. */
bool dump_elf_overlaps(const struct sd_dump *d, uint64_t pa, uint64_t len)
{
	size_t i;

	for (i = 0; i < d->nloads && d->loads[i].pa < pa + len; i++)
		if (d->loads[i].avail && d->loads[i].pa + d->loads[i].avail > pa)
			return true;
	return false;
}

bool dump_elf_probe_addr(const struct sd_dump *d, uint64_t *pa)
{
	size_t i;

	for (i = 0; i < d->nloads; i++) {
		const struct load *l = &d->loads[i];
		uint64_t first = (l->pa + d->ps - 1) & ~(d->ps - 1);

		if (l->avail >= d->ps && first + d->ps <= l->pa + l->avail) {
			*pa = first;
			return true;
		}
	}
	return false;
}
