// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kdump-compressed (diskdump) header: read, checked and parsed once,
 * before libkdumpfile sees the file.
 *
 * libkdumpfile 0.5.1 trusts these fields: when its diskdump open fails (a
 * bitmap, sub-header or note range past EOF, block_size 0, ...) it frees
 * the format's private data and kdump_free() frees it again, so the
 * process dies with SIGSEGV instead of getting an error.  Everything it
 * reads while opening is therefore checked here against the file size: the
 * header and the sub-header (block 1), the sub-header blocks, both page
 * bitmaps (which must also cover max_mapnr), the notes, ERASEINFO and, for
 * header_version 3 (the only one that reads it from there), VMCOREINFO.
 * The page descriptors and page data are read page by page later and fail
 * cleanly.  The layout is makedumpfile's 64-bit one (struct
 * disk_dump_header and struct kdump_sub_header in dump-priv.h), in the
 * byte order libkdumpfile picks.  libkdumpfile picks the layout and byte
 * order by trying, in turn, the 32-bit layout little- then big-endian and
 * the 64-bit one little- then big-endian (try_header_32(), try_header_64()),
 * and takes the first whose block_size, bitmap_blocks and max_mapnr pass
 * try_header(); lkf_takes() below is that test, so the header checked here
 * is the one libkdumpfile parses.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dump-priv.h"

/* A block is one page of the dumped kernel (makedumpfile) or QEMU's 64 KiB. */
#define KDUMP_MIN_BLOCK		512u
#define KDUMP_MAX_BLOCK		(1u << 20)
#define KDUMP_MAX_VERSION	0xffff

#define DH_OFF(f)	((uint64_t)offsetof(struct disk_dump_header, f))
#define SH_OFF(f)	((uint64_t)offsetof(struct kdump_sub_header, f))

/* libkdumpfile 0.5.1's page-size bounds (kdumpfile-priv.h: MIN_PAGE_SIZE,
 * MAX_PAGE_SIZE), which try_header() applies to block_size. */
#define LKF_MIN_PAGE		(1u << 12)
#define LKF_MAX_PAGE		(1u << 18)

bool dump_block_size_ok(uint64_t n)
{
	return n >= KDUMP_MIN_BLOCK && n <= KDUMP_MAX_BLOCK && !(n & (n - 1));
}

/* Both headers, converted to host order once. */
struct kdump_raw {
	struct disk_dump_header dh;
	struct kdump_sub_header sh;	/* zero before version 1 */
	uint64_t bs;
	bool be;			/* big-endian fields */
};

static uint32_t h32(uint32_t v, bool be)
{
	return be ? be32toh(v) : le32toh(v);
}

static uint64_t h64(uint64_t v, bool be)
{
	return be ? be64toh(v) : le64toh(v);
}

static void dh_to_host(struct disk_dump_header *dh, bool be)
{
	dh->header_version = (int32_t)h32((uint32_t)dh->header_version, be);
	dh->status = h32(dh->status, be);
	dh->block_size = (int32_t)h32((uint32_t)dh->block_size, be);
	dh->sub_hdr_size = (int32_t)h32((uint32_t)dh->sub_hdr_size, be);
	dh->bitmap_blocks = h32(dh->bitmap_blocks, be);
	dh->max_mapnr = h32(dh->max_mapnr, be);
}

static void sh_to_host(struct kdump_sub_header *sh, bool be)
{
	sh->dump_level = (int32_t)h32((uint32_t)sh->dump_level, be);
	sh->split = (int32_t)h32((uint32_t)sh->split, be);
	sh->start_pfn = h64(sh->start_pfn, be);
	sh->end_pfn = h64(sh->end_pfn, be);
	sh->offset_vmcoreinfo = h64(sh->offset_vmcoreinfo, be);
	sh->size_vmcoreinfo = h64(sh->size_vmcoreinfo, be);
	sh->offset_note = h64(sh->offset_note, be);
	sh->size_note = h64(sh->size_note, be);
	sh->offset_eraseinfo = h64(sh->offset_eraseinfo, be);
	sh->size_eraseinfo = h64(sh->size_eraseinfo, be);
	sh->start_pfn_64 = h64(sh->start_pfn_64, be);
	sh->end_pfn_64 = h64(sh->end_pfn_64, be);
	sh->max_mapnr_64 = h64(sh->max_mapnr_64, be);
}

/*
 * libkdumpfile 0.5.1's try_header() over raw (file-order) fields in byte
 * order @be: block_size within its page-size bounds (a negative int32 is
 * compared as a huge unsigned long there, so it fails as it does here) and
 * 8 bits per bitmap byte covering max_mapnr.  It has no power-of-two test.
 */
static bool lkf_takes(int32_t raw_bs, uint32_t raw_bitmap, uint32_t raw_mapnr, bool be)
{
	uint32_t bs = h32((uint32_t)raw_bs, be);

	if (bs < LKF_MIN_PAGE || bs > LKF_MAX_PAGE)
		return false;
	return (uint64_t)8 * h32(raw_bitmap, be) * bs >= h32(raw_mapnr, be);
}

/*
 * The header as libkdumpfile reads it first: a 32-bit kernel's.  When that
 * passes lkf_takes() in either byte order, libkdumpfile parses the file
 * with the 32-bit fields (a page bitmap of bitmap_blocks x block_size bytes
 * read in one piece: 23.5 TiB from a 128 KiB file found by fuzz_dump).
 * A 64-bit header passes it only if its timestamp's tv_usec (offset 416)
 * looks like a block size and its status (offset 424, the 32-bit
 * bitmap_blocks) is not 0; makedumpfile and QEMU leave the timestamp 0.
 */
static enum sd_status check_not_32bit(struct sd_dump *d, const char *where,
				      const struct kdump_raw *r, struct sd_error *err)
{
	struct disk_dump_header_32 h;

	memcpy(&h, &r->dh, sizeof(h));
	for (int be = 0; be <= 1; be++)
		if (lkf_takes(h.block_size, h.bitmap_blocks, h.max_mapnr, be))
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "%s: corrupt kdump header%s: read as a 32-bit kernel's header (%s),"
					    " block_size %" PRIu32 " at file offset %zu, bitmap_blocks %" PRIu32
					    " at file offset %zu and max_mapnr %" PRIu32 " at file offset %zu"
					    " are plausible, and libkdumpfile would read that layout instead of"
					    " the 64-bit one this tool reads",
					    d->path, where, be ? "big-endian" : "little-endian",
					    h32((uint32_t)h.block_size, be),
					    offsetof(struct disk_dump_header_32, block_size),
					    h32(h.bitmap_blocks, be),
					    offsetof(struct disk_dump_header_32, bitmap_blocks),
					    h32(h.max_mapnr, be),
					    offsetof(struct disk_dump_header_32, max_mapnr));
	return SD_OK;
}

/* The header (block 0): read, byte order chosen, block_size checked. */
static enum sd_status read_dh(struct sd_dump *d, int fd, uint64_t size, const char *where,
			      struct kdump_raw *r, struct sd_error *err)
{
	int rd = dump_pread_full(fd, &r->dh, sizeof(r->dh), 0);
	enum sd_status st;
	bool be;

	if (rd < 0)
		return sd_error_set(err, SD_ERR_IO, "%s: cannot read the kdump header%s at offset 0: %s",
				    d->path, where, strerror(errno));
	if (rd > 0)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: kdump header%s truncated: the %zu-byte disk_dump_header at offset 0"
				    " does not fit in the file (%" PRIu64 " bytes)",
				    d->path, where, sizeof(r->dh), size);
	st = check_not_32bit(d, where, r, err);
	if (st != SD_OK)
		return st;
	/* big-endian only when libkdumpfile rejects the little-endian fields */
	be = !lkf_takes(r->dh.block_size, r->dh.bitmap_blocks, r->dh.max_mapnr, false) &&
	     lkf_takes(r->dh.block_size, r->dh.bitmap_blocks, r->dh.max_mapnr, true);
	r->be = be;
	dh_to_host(&r->dh, be);
	if (r->dh.header_version < 0 || r->dh.header_version > KDUMP_MAX_VERSION)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: corrupt kdump header%s: header_version %" PRId32
				    " at file offset %" PRIu64 " is impossible",
				    d->path, where, r->dh.header_version, DH_OFF(header_version));
	/* libkdumpfile's bounds, and a power of two as every page size is */
	if (r->dh.block_size < (int32_t)LKF_MIN_PAGE || r->dh.block_size > (int32_t)LKF_MAX_PAGE ||
	    !dump_block_size_ok((uint64_t)r->dh.block_size))
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: corrupt kdump header%s: block_size %" PRId32
				    " at file offset %" PRIu64 " is not a power of two from %u to %u",
				    d->path, where, r->dh.block_size, DH_OFF(block_size),
				    LKF_MIN_PAGE, LKF_MAX_PAGE);
	r->bs = (uint64_t)r->dh.block_size;
	if (r->dh.header_version >= 1) {
		rd = dump_pread_full(fd, &r->sh, sizeof(r->sh), r->bs);
		if (rd != 0)
			return sd_error_set(err, rd < 0 ? SD_ERR_IO : SD_ERR_CORRUPT,
					    "%s: cannot read the kdump sub-header%s at offset 0x%" PRIx64 ": %s",
					    d->path, where, r->bs, rd < 0 ? strerror(errno) : "end of file");
		sh_to_host(&r->sh, be);
	}
	return SD_OK;
}

/* The sub-header blocks and both page bitmaps lie within the file and the
 * bitmaps hold max_mapnr bits each. */
static enum sd_status check_layout(struct sd_dump *d, uint64_t size, const char *where,
				   const struct kdump_raw *r, struct sd_error *err)
{
	const struct disk_dump_header *dh = &r->dh;
	uint64_t bs = r->bs, sub_end, bm_end, capacity, mapnr = dh->max_mapnr, off;
	bool mapnr64 = dh->header_version >= 6 && r->sh.max_mapnr_64;

	/* block 0 is the header, the sub-header starts at block 1 */
	if (dh->sub_hdr_size < 0)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: corrupt kdump header%s: sub_hdr_size %" PRId32
				    " at file offset %" PRIu64 " is negative",
				    d->path, where, dh->sub_hdr_size, DH_OFF(sub_hdr_size));
	sub_end = (1 + (uint64_t)dh->sub_hdr_size) * bs;
	if (size && sub_end > size)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: corrupt kdump header%s: sub_hdr_size %" PRId32
				    " at file offset %" PRIu64 " puts the sub-header blocks' end at offset 0x%"
				    PRIx64 ", beyond the end of the file (%" PRIu64 " bytes)",
				    d->path, where, dh->sub_hdr_size, DH_OFF(sub_hdr_size), sub_end, size);
	if (dh->bitmap_blocks == 0)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: corrupt kdump header%s: bitmap_blocks 0 at file offset %" PRIu64
				    ": no page bitmap", d->path, where, DH_OFF(bitmap_blocks));
	bm_end = sub_end + (uint64_t)dh->bitmap_blocks * bs;
	if (size && bm_end > size)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: corrupt kdump header%s: bitmap_blocks %" PRIu32
				    " at file offset %" PRIu64 " puts the page bitmaps at offsets 0x%" PRIx64
				    "-0x%" PRIx64 ", beyond the end of the file (%" PRIu64 " bytes)",
				    d->path, where, dh->bitmap_blocks, DH_OFF(bitmap_blocks), sub_end,
				    bm_end, size);
	/* The 32-bit max_mapnr whatever the version: libkdumpfile 0.5.1 tries
	 * the header with it first (try_header(): 8 bits per bitmap byte) and
	 * fails the open otherwise, after which its context cannot be freed
	 * (dump_open_ctx()); found by fuzz_dump with max_mapnr 0xffffffff
	 * next to a valid max_mapnr_64. */
	if ((uint64_t)dh->max_mapnr > (uint64_t)dh->bitmap_blocks * bs * 8)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: corrupt kdump header%s: max_mapnr %" PRIu32
				    " at file offset %" PRIu64 " needs more bits than bitmap_blocks %"
				    PRIu32 " (%" PRIu64 " bits) hold",
				    d->path, where, dh->max_mapnr, DH_OFF(max_mapnr), dh->bitmap_blocks,
				    (uint64_t)dh->bitmap_blocks * bs * 8);
	/* max_mapnr: max_mapnr_64 from version 6 on, when set */
	off = DH_OFF(max_mapnr);
	if (mapnr64) {
		mapnr = r->sh.max_mapnr_64;
		off = bs + SH_OFF(max_mapnr_64);
	}
	/* two bitmaps (all RAM, dumped pages), each of max_mapnr bits */
	capacity = (uint64_t)dh->bitmap_blocks * bs * 4;
	if (mapnr > capacity)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: corrupt kdump %s%s: max_mapnr%s %" PRIu64
				    " at file offset %" PRIu64 " needs more bits than the two page bitmaps"
				    " of bitmap_blocks %" PRIu32 " (%" PRIu64 " bits each) hold",
				    d->path, mapnr64 ? "sub-header" : "header", where,
				    mapnr64 ? "_64" : "", mapnr, off, dh->bitmap_blocks, capacity);
	return SD_OK;
}

/* A VMCOREINFO, note or ERASEINFO range that libkdumpfile would fail to
 * read: true, with the reason in @why. */
static bool blob_bad(uint64_t off, uint64_t len, uint64_t size, char *why, size_t n)
{
	if (len > MAX_NOTES_SIZE) {
		snprintf(why, n, "is larger than %u MiB", MAX_NOTES_SIZE >> 20);
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

/* VMCOREINFO's PAGESIZE where libkdumpfile takes it from: the notes from
 * header_version 4 on, the bare VMCOREINFO in version 3 (vmci.c). */
static enum sd_status check_vmci(struct sd_dump *d, int fd, const char *where,
				 const struct kdump_raw *r, struct sd_error *err)
{
	char what[64];

	if (r->dh.header_version >= 4) {
		snprintf(what, sizeof(what), "kdump notes%s", where);
		return dump_vmci_check(d, fd, r->sh.offset_note, r->sh.size_note, true, what, err);
	}
	if (r->dh.header_version == 3) {
		snprintf(what, sizeof(what), "kdump VMCOREINFO%s", where);
		return dump_vmci_check(d, fd, r->sh.offset_vmcoreinfo, r->sh.size_vmcoreinfo,
				       false, what, err);
	}
	return SD_OK;
}

/* The sub-header's split range and blob ranges, as far as libkdumpfile
 * reads them for this header_version. */
static enum sd_status check_ranges(struct sd_dump *d, uint64_t size, const char *where,
				   const struct kdump_raw *r, struct sd_error *err)
{
	const struct kdump_sub_header *sh = &r->sh;
	int32_t version = r->dh.header_version;
	uint64_t bs = r->bs;
	char why[96];

	if (version >= 2 && sh->split) {
		bool v6 = version >= 6;
		uint64_t start = v6 ? sh->start_pfn_64 : sh->start_pfn;
		uint64_t end = v6 ? sh->end_pfn_64 : sh->end_pfn;

		if (start > end)
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "%s: corrupt kdump sub-header%s: start_pfn 0x%" PRIx64
					    " at file offset %" PRIu64 " is above end_pfn 0x%" PRIx64
					    " at file offset %" PRIu64, d->path, where, start,
					    bs + (v6 ? SH_OFF(start_pfn_64) : SH_OFF(start_pfn)), end,
					    bs + (v6 ? SH_OFF(end_pfn_64) : SH_OFF(end_pfn)));
	}
	if (version >= 3 && sh->size_vmcoreinfo &&
	    blob_bad(sh->offset_vmcoreinfo, sh->size_vmcoreinfo, size, why, sizeof(why))) {
		if (version == 3)
			return range_error(d, where, "VMCOREINFO", "vmcoreinfo", sh->offset_vmcoreinfo,
					   bs + SH_OFF(offset_vmcoreinfo), sh->size_vmcoreinfo,
					   bs + SH_OFF(size_vmcoreinfo), why, err);
		/* from version 4 on libkdumpfile takes VMCOREINFO from the notes */
		dump_note(d, "%s: kdump sub-header%s: the VMCOREINFO range (offset_vmcoreinfo 0x%"
			  PRIx64 " at file offset %" PRIu64 ", size_vmcoreinfo %" PRIu64 ") %s;"
			  " ignored, VMCOREINFO is taken from the notes", d->path, where,
			  sh->offset_vmcoreinfo, bs + SH_OFF(offset_vmcoreinfo),
			  sh->size_vmcoreinfo, why);
	}
	if (version < 4)
		return SD_OK;
	if (sh->size_note && blob_bad(sh->offset_note, sh->size_note, size, why, sizeof(why)))
		return range_error(d, where, "note", "note", sh->offset_note, bs + SH_OFF(offset_note),
				   sh->size_note, bs + SH_OFF(size_note), why, err);
	/* libkdumpfile reads ERASEINFO from version 4 on */
	if (sh->size_eraseinfo &&
	    blob_bad(sh->offset_eraseinfo, sh->size_eraseinfo, size, why, sizeof(why)))
		return range_error(d, where, "ERASEINFO", "eraseinfo", sh->offset_eraseinfo,
				   bs + SH_OFF(offset_eraseinfo), sh->size_eraseinfo,
				   bs + SH_OFF(size_eraseinfo), why, err);
	return SD_OK;
}

/* ---- page descriptors ---- */

#define PD_SIZE		24u		/* makedumpfile's struct page_desc */
#define PD_OFF_SIZE	8u		/* its u32 size */
#define PD_OFF_FLAGS	12u		/* its u32 flags */
#define SCAN_CHUNK	(16u << 10)	/* bytes read at once */
#define DUMP_DH_COMPRESSED	(DUMP_DH_COMPRESSED_ZLIB | DUMP_DH_COMPRESSED_LZO | \
				 DUMP_DH_COMPRESSED_SNAPPY | DUMP_DH_COMPRESSED_ZSTD)

/* Set bits of the dumped-pages bitmap (the second one; check_layout() made
 * max_mapnr fit in half the bitmap blocks, so libkdumpfile reads that one)
 * over the PFNs [lo, hi) that libkdumpfile gives descriptors. */
static enum sd_status count_dumped(struct sd_dump *d, int fd, const char *where,
				   const struct kdump_raw *r, uint64_t *n, struct sd_error *err)
{
	const struct kdump_sub_header *sh = &r->sh;
	uint64_t half = r->dh.bitmap_blocks / 2 * r->bs, lo = 0, hi = half * 8, pos;
	uint64_t off = (1 + (uint64_t)r->dh.sub_hdr_size) * r->bs + half;
	unsigned char buf[SCAN_CHUNK];

	if (r->dh.header_version >= 2 && sh->split) {
		bool v6 = r->dh.header_version >= 6;

		lo = v6 ? sh->start_pfn_64 : sh->start_pfn;
		if ((v6 ? sh->end_pfn_64 : sh->end_pfn) < hi)
			hi = v6 ? sh->end_pfn_64 : sh->end_pfn;
	}
	*n = 0;
	for (pos = lo & ~(uint64_t)7; pos < hi; pos += 8 * (uint64_t)sizeof(buf)) {
		size_t len = (hi - pos + 7) / 8 < sizeof(buf) ? (size_t)((hi - pos + 7) / 8) : sizeof(buf);
		ssize_t got = dump_read_some(fd, buf, len, (int64_t)(off + pos / 8));

		if (got < 0)
			return sd_error_set(err, SD_ERR_IO, "%s: cannot read the kdump page bitmap%s: %s",
					    d->path, where, strerror(errno));
		for (size_t i = 0; i < (size_t)got; i++) {
			uint64_t pfn = pos + 8 * i;
			unsigned bits = buf[i];

			if (pfn < lo)
				bits &= ~0u << (lo - pfn);
			if (hi - pfn < 8)
				bits &= (1u << (hi - pfn)) - 1;
			*n += (uint64_t)__builtin_popcount(bits);
		}
		if ((size_t)got < len)
			break;
	}
	return SD_OK;
}

/*
 * Every page descriptor libkdumpfile may read, in the file.  libkdumpfile
 * 0.5.1 reads a compressed page of pd.size bytes through its file cache in
 * one chunk, and a size of many pages overruns that cache (heap-buffer-
 * overflow found by fuzz_dump: a descriptor of 128512 bytes).  makedumpfile
 * stores a page compressed only when that makes it smaller than a block,
 * so a larger compressed size is corrupt.  The descriptors are read also
 * for translations inside libkdumpfile, so all are checked here, at a cost
 * of 24 bytes per dumped page plus the bitmap.
 */
static enum sd_status check_descs(struct sd_dump *d, int fd, const char *where,
				  const struct kdump_raw *r, struct sd_error *err)
{
	uint64_t n, i = 0, off = (1 + (uint64_t)r->dh.sub_hdr_size + r->dh.bitmap_blocks) * r->bs;
	unsigned char buf[SCAN_CHUNK / PD_SIZE * PD_SIZE];
	enum sd_status st = count_dumped(d, fd, where, r, &n, err);

	while (st == SD_OK && i < n) {
		size_t want = n - i < sizeof(buf) / PD_SIZE ? (size_t)(n - i) * PD_SIZE : sizeof(buf);
		ssize_t got = dump_read_some(fd, buf, want, (int64_t)(off + i * PD_SIZE));

		if (got < 0)
			return sd_error_set(err, SD_ERR_IO, "%s: cannot read the kdump page descriptors%s: %s",
					    d->path, where, strerror(errno));
		for (size_t k = 0; k + PD_SIZE <= (size_t)got; k += PD_SIZE, i++) {
			uint32_t size, flags;

			memcpy(&size, buf + k + PD_OFF_SIZE, 4);
			memcpy(&flags, buf + k + PD_OFF_FLAGS, 4);
			size = h32(size, r->be);
			flags = h32(flags, r->be);
			if ((flags & DUMP_DH_COMPRESSED) && size > r->bs)
				return sd_error_set(err, SD_ERR_CORRUPT,
						    "%s: corrupt kdump page descriptor%s: descriptor %" PRIu64
						    " at file offset %" PRIu64 " gives a compressed size of %"
						    PRIu32 " bytes, more than the %" PRIu64 "-byte block",
						    d->path, where, i, off + i * PD_SIZE, size, r->bs);
		}
		if ((size_t)got < want)
			break;	/* past the end of the file: libkdumpfile fails cleanly */
	}
	return st;
}

/*
 * Check and parse the disk_dump_header and kdump_sub_header of the file
 * open on @fd (@size bytes, 0 when unknown); @where names the file in
 * messages ("" or " of the reassembled dump").
 */
enum sd_status dump_kdump_hdr(struct sd_dump *d, int fd, uint64_t size, const char *where,
			      struct kdump_hdr *h, struct sd_error *err)
{
	struct kdump_raw r;
	enum sd_status st;

	memset(&r, 0, sizeof(r));
	memset(h, 0, sizeof(*h));
	h->dump_level = -1;
	st = read_dh(d, fd, size, where, &r, err);
	if (st == SD_OK)
		st = check_layout(d, size, where, &r, err);
	if (st == SD_OK)
		st = check_ranges(d, size, where, &r, err);
	if (st == SD_OK)
		st = check_vmci(d, fd, where, &r, err);
	if (st == SD_OK)
		st = check_descs(d, fd, where, &r, err);
	if (st != SD_OK)
		return st;

	h->valid = true;
	h->diskdump = memcmp(r.dh.signature, "DISKDUMP", KDUMP_SIG_LEN) == 0;
	h->version = r.dh.header_version;
	h->status = r.dh.status;
	h->block_size = (uint32_t)r.dh.block_size;
	memcpy(h->machine, r.dh.utsname[UTS_MACHINE], UTS_LEN);
	h->machine[UTS_LEN] = '\0';
	h->max_mapnr = r.dh.max_mapnr;
	if (h->version >= 1)
		h->dump_level = r.sh.dump_level;
	if (h->version >= 4) {
		h->note_off = r.sh.offset_note;
		h->note_size = r.sh.size_note;
	}
	if (h->version >= 6 && r.sh.max_mapnr_64)
		h->max_mapnr = r.sh.max_mapnr_64;
	return SD_OK;
}

const char *dump_kdump_compression(uint32_t status)
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

/*
 * libkdumpfile 0.5.1's diskdump takes the architecture from utsname only
 * when the whole utsname looks sane, and without it KPHYSADDR and kernel
 * VA reads fail ("No way to translate").  QEMU writes machine "Unknown".
 * This tool reads arm64 dumps, so aarch64 is the default.
 */
const char *dump_kdump_arch(const struct kdump_hdr *h)
{
	static const char *const known[] = { "x86_64", "ppc64le", "ppc64", "s390x", "riscv64" };
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (h->valid && !strcmp(h->machine, known[i]))
			return h->machine;
	return "aarch64";
}
