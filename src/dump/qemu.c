// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QEMU's kdump-compressed output (dump-guest-memory format=kdump-*),
 * rewritten into a temporary ELF vmcore.
 *
 * QEMU writes every aarch64 dump in 64 KiB blocks (its dump_info page_size
 * is the largest arm64 granule, whatever the guest uses): block_size,
 * max_mapnr, both bitmaps and the page descriptors all count 64 KiB pages.
 * libkdumpfile's diskdump.c takes block_size as the page size in
 * try_header() (set_page_size, set_max_pfn(max_mapnr)), but while reading
 * the notes the VMCOREINFO hook (vmcoreinfo.c, lines_post_hook) sees
 * PAGESIZE=4096 and calls set_page_size(4096).  From then on
 * diskdump_read_page() computes pfn = addr >> 12 and compares it with
 * max_mapnr, which is in 64 KiB units, so every RAM address is
 * "Out-of-bounds PFN" (and the few below the bound would hit the wrong
 * descriptors).  Setting arch.page_size back to the block size after
 * opening makes physical reads correct, but libkdumpfile also hands that
 * page size to addrxlat as the translation granule (aarch64 init_pgt_meth
 * uses OPT_pagesize), so kernel-virtual reads would walk a 4 KiB kernel's
 * page tables as 64 KiB ones.  Patching the header cannot help either: a
 * block is one compressed 64 KiB unit and cannot be described as sixteen
 * 4 KiB pages.  So the QEMU file is opened once with arch.page_size pinned
 * to the block size, every dumped block is read (libkdumpfile
 * decompresses) and written into an unlinked temporary ELF vmcore
 * (EM_AARCH64, the original notes including VMCOREINFO, one PT_LOAD per
 * run of dumped blocks, all-zero blocks left as sparse holes), which is
 * then opened normally: the page size is the kernel's and both physical
 * and virtual reads work.  utsname.machine "Unknown" leaves arch.name unset
 * in the QEMU file; the ELF's e_machine provides it.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sd_cleanup.h"
#include "dump-priv.h"

#define VMCI_NOTE_NAME	"VMCOREINFO"

struct run_state {
	kdump_bmp_t *bmp;
	uint64_t max_pfn;
};

/* Where things go in the temporary ELF file. */
struct qemu_layout {
	uint64_t bs;		/* QEMU's block size */
	uint64_t nruns;		/* PT_LOADs; one more program header for the notes */
	uint64_t notes_off, notes_len;
	uint64_t data_off;
};

static void bmp_decrefp(kdump_bmp_t **b)
{
	if (*b)
		kdump_bmp_decref(*b);
}

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

static bool is_zero(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* The notes: the original ones (PRSTATUS + VMCOREINFO), or a VMCOREINFO
 * note rebuilt from the raw text. */
static enum sd_status build_notes(struct sd_dump *d, const struct kdump_hdr *h,
				  const char *vmci_raw, unsigned char **out, uint64_t *len,
				  struct sd_error *err)
{
	unsigned char *notes;

	if (h->note_size && h->note_size <= MAX_NOTES_SIZE) {
		notes = malloc(h->note_size);
		if (!notes)
			return sd_error_set(err, SD_ERR_NOMEM, "%s: no memory for notes", d->path);
		if (dump_pread_full(d->datafd, notes, h->note_size, h->note_off) != 0) {
			free(notes);
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "%s: QEMU kdump notes (%" PRIu64 " bytes at offset 0x%" PRIx64
					    ") unreadable", d->path, h->note_size, h->note_off);
		}
		*len = h->note_size;
	} else {
		size_t tl = vmci_raw ? strlen(vmci_raw) : 0;
		Elf64_Nhdr nh = { sizeof(VMCI_NOTE_NAME), (Elf64_Word)tl, 0 };
		size_t name_len = (sizeof(VMCI_NOTE_NAME) + 3) & ~(size_t)3;

		*len = sizeof(nh) + name_len + ((tl + 3) & ~(size_t)3);
		notes = calloc(1, *len);
		if (!notes)
			return sd_error_set(err, SD_ERR_NOMEM, "%s: no memory for notes", d->path);
		memcpy(notes, &nh, sizeof(nh));
		memcpy(notes + sizeof(nh), VMCI_NOTE_NAME, sizeof(VMCI_NOTE_NAME));
		if (tl)
			memcpy(notes + sizeof(nh) + name_len, vmci_raw, tl);
	}
	*out = notes;
	return SD_OK;
}

static enum sd_status write_err(struct sd_dump *d, struct sd_error *err)
{
	return sd_error_set(err, SD_ERR_IO, "%s: cannot write the converted QEMU kdump: %s",
			    d->path, strerror(errno));
}

/* ELF header, the PT_NOTE program header and the notes. */
static enum sd_status write_head(struct sd_dump *d, int tfd, struct qemu_layout *lo,
				 const unsigned char *notes, struct sd_error *err)
{
	uint64_t nph = lo->nruns + 1;
	Elf64_Ehdr eh = { .e_type = ET_CORE, .e_machine = EM_AARCH64, .e_version = EV_CURRENT,
			  .e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
			  .e_phentsize = sizeof(Elf64_Phdr) };
	Elf64_Phdr ph = { .p_type = PT_NOTE, .p_offset = lo->notes_off,
			  .p_filesz = lo->notes_len };

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_phnum = (uint16_t)(nph >= PN_XNUM ? PN_XNUM : nph);
	if (nph >= PN_XNUM) {
		/* e_phnum overflow: the count lives in section header 0 */
		Elf64_Shdr sh = { .sh_info = (Elf64_Word)nph };

		eh.e_shoff = (lo->notes_off + lo->notes_len + 7) & ~(uint64_t)7;
		eh.e_shentsize = sizeof(sh);
		eh.e_shnum = 1;
		lo->data_off = (eh.e_shoff + sizeof(sh) + lo->bs - 1) / lo->bs * lo->bs;
		if (dump_pwrite_full(tfd, &sh, sizeof(sh), eh.e_shoff) != 0)
			return write_err(d, err);
	}
	if (dump_pwrite_full(tfd, &eh, sizeof(eh), 0) != 0 ||
	    dump_pwrite_full(tfd, &ph, sizeof(ph), sizeof(eh)) != 0 ||
	    dump_pwrite_full(tfd, notes, lo->notes_len, lo->notes_off) != 0)
		return write_err(d, err);
	return SD_OK;
}

/* One PT_LOAD per run of dumped blocks, the blocks' data after them;
 * all-zero blocks stay sparse holes.  *end_off: the file's length. */
static enum sd_status write_runs(struct sd_dump *d, kdump_ctx_t *ctx, int tfd,
				 struct run_state *rs, const struct qemu_layout *lo,
				 unsigned char *blk, uint64_t *end_off, struct sd_error *err)
{
	uint64_t bs = lo->bs, pos = 0, cur = lo->data_off, first, end, pfn, i;

	for (i = 0; next_run(rs, &pos, &first, &end); i++) {
		Elf64_Phdr ph = { .p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X,
				  .p_offset = cur, .p_paddr = first * bs,
				  .p_filesz = (end - first) * bs, .p_memsz = (end - first) * bs,
				  .p_align = bs };

		ph.p_vaddr = ph.p_paddr;	/* as QEMU's own ELF with paging=false */
		if (dump_pwrite_full(tfd, &ph, sizeof(ph),
				     sizeof(Elf64_Ehdr) + (i + 1) * sizeof(ph)) != 0)
			return write_err(d, err);
		for (pfn = first; pfn < end; pfn++, cur += bs) {
			size_t len = bs;
			kdump_status ks = kdump_read(ctx, KDUMP_MACHPHYSADDR, pfn * bs, blk, &len);

			if (ks != KDUMP_OK || len != bs)
				return sd_error_set(err, ks == KDUMP_OK ? SD_ERR_IO :
						    dump_kstatus(ks) == SD_ERR_NODATA ? SD_ERR_CORRUPT :
						    dump_kstatus(ks),
						    "%s: QEMU kdump: cannot read the 64 KiB block at physical 0x%"
						    PRIx64 " that the bitmap lists: %s", d->path, pfn * bs,
						    ks == KDUMP_OK ? "short read" : dump_kerr(ctx, ks));
			if (is_zero(blk, bs))
				continue;	/* sparse hole reads back as zeros */
			if (dump_pwrite_full(tfd, blk, bs, cur) != 0)
				return write_err(d, err);
		}
	}
	*end_off = cur;
	return SD_OK;
}

static enum sd_status qemu_to_elf(struct sd_dump *d, kdump_ctx_t *ctx,
				  const struct kdump_hdr *h, const char *vmci_raw,
				  int *out_fd, uint64_t *out_size, struct sd_error *err)
{
	struct qemu_layout lo = { .bs = h->block_size };
	unsigned char *notes sd_autofree = NULL, *blk sd_autofree = NULL;
	kdump_bmp_t *bmp SD_CLEANUP(bmp_decrefp) = NULL;
	int tfd sd_autoclose = -1;
	struct run_state rs;
	uint64_t pos = 0, first, end;
	kdump_attr_t attr;
	kdump_status ks;
	enum sd_status st;

	/* Pin the page size to QEMU's block size (see the top comment). */
	ks = kdump_set_number_attr(ctx, KDUMP_ATTR_PAGE_SIZE, lo.bs);
	if (ks != KDUMP_OK)
		return sd_error_set(err, SD_ERR_UNSUPPORTED,
				    "%s: cannot set the page size to QEMU's block size %" PRIu64 ": %s",
				    d->path, lo.bs, dump_kerr(ctx, ks));
	ks = kdump_get_attr(ctx, KDUMP_ATTR_FILE_PAGEMAP, &attr);
	if (ks != KDUMP_OK || attr.type != KDUMP_BITMAP)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: QEMU kdump: no page bitmap: %s", d->path, dump_kerr(ctx, ks));
	bmp = attr.val.bitmap;
	kdump_bmp_incref(bmp);
	rs.bmp = bmp;
	rs.max_pfn = h->max_mapnr;

	st = build_notes(d, h, vmci_raw, &notes, &lo.notes_len, err);
	if (st != SD_OK)
		return st;
	while (next_run(&rs, &pos, &first, &end))
		lo.nruns++;
	if (lo.nruns + 1 > MAX_PT_LOADS)
		return sd_error_set(err, SD_ERR_UNSUPPORTED,
				    "%s: QEMU kdump has %" PRIu64 " separate memory runs", d->path,
				    lo.nruns);
	st = sd_tmpfile(&tfd, "the converted QEMU kdump", err);
	if (st != SD_OK)
		return sd_error_prefix(err, "%s", d->path);
	blk = malloc(lo.bs);
	if (!blk)
		return sd_error_set(err, SD_ERR_NOMEM, "%s: no memory for a %" PRIu64 "-byte block",
				    d->path, lo.bs);
	lo.notes_off = sizeof(Elf64_Ehdr) + (lo.nruns + 1) * sizeof(Elf64_Phdr);
	lo.data_off = (lo.notes_off + lo.notes_len + lo.bs - 1) / lo.bs * lo.bs;
	st = write_head(d, tfd, &lo, notes, err);
	if (st == SD_OK)
		st = write_runs(d, ctx, tfd, &rs, &lo, blk, out_size, err);
	if (st != SD_OK)
		return st;
	if (ftruncate(tfd, (off_t)*out_size) != 0)
		return write_err(d, err);
	*out_fd = sd_steal_fd(&tfd);
	return SD_OK;
}

/* The VMCOREINFO PAGESIZE value in @raw, 0 when absent. */
static unsigned long vmci_pagesize(const char *raw)
{
	static const char key[] = "PAGESIZE=";
	const char *p = raw ? strstr(raw, key) : NULL;

	while (p && p != raw && p[-1] != '\n')
		p = strstr(p + 1, key);
	return p ? strtoul(p + sizeof(key) - 1, NULL, 10) : 0;
}

enum sd_status dump_qemu_convert(struct sd_dump *d, const struct kdump_hdr *h,
				 const char *vmci_raw, kdump_status *ostype_ks,
				 struct sd_error *err)
{
	unsigned long vps = vmci_pagesize(vmci_raw);
	uint64_t sz = 0;
	int tfd = -1;
	enum sd_status st;

	/* QEMU kdump: blocks larger than the kernel's pages. */
	if ((vps && vps != h->block_size) || strcmp(h->machine, "Unknown") == 0)
		d->qemu = true;
	if (!d->qemu || !vps || vps >= h->block_size)
		return SD_OK;
	st = qemu_to_elf(d, d->ctx, h, vmci_raw, &tfd, &sz, err);
	if (st != SD_OK)
		return st;
	dump_note(d, "QEMU kdump with %u KiB blocks for a kernel with %lu-byte pages:"
		  " converted into a temporary ELF file (%" PRIu64 " MiB apparent size)",
		  h->block_size >> 10, vps, (sz + (1 << 20) - 1) >> 20);
	kdump_free(d->ctx);
	d->ctx = NULL;
	if (d->datafd != d->fd)
		close(d->datafd);
	d->datafd = tfd;
	d->file_size = sz;
	d->is_elf = true;
	/* our own file, but checked like any other before libkdumpfile opens it */
	st = dump_elf_check(d, d->datafd, d->file_size, " of the converted QEMU kdump", err);
	if (st == SD_OK)
		st = dump_open_ctx(d, d->datafd, NULL, false, &d->ctx, err);
	if (st == SD_OK)
		*ostype_ks = dump_set_ostype(d);
	return st;
}
