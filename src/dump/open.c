// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dump access layer: the only code that does I/O on the vmcore.  This file
 * opens it; dump-priv.h lists the others.
 *
 * Only regular files, block devices and /proc/vmcore are read, opened
 * without blocking (a FIFO with no writer would hang open(2)) and never
 * for writing.  Every header is checked by this layer before libkdumpfile
 * reads a byte of it (elf.c, kdump.c, flattened.c): libkdumpfile 0.5.1
 * trusts them and crashes on malformed ones.  A file with none of the
 * signatures checked here is refused, not handed to libkdumpfile's other
 * format probes.
 *
 * Everything is then read through libkdumpfile 0.5.1, with four repairs
 * done here because that version cannot do them itself:
 *
 *  - makedumpfile's flattened format is reassembled into an unlinked
 *    temporary file first (flattened.c);
 *
 *  - QEMU's kdump-compressed output, with blocks larger than the kernel's
 *    pages, is rewritten into a temporary ELF vmcore (qemu.c);
 *
 *  - a truncated ELF file reads as zeros past its end in libkdumpfile:
 *    pages past EOF (or in no PT_LOAD, or beyond p_filesz) are
 *    SD_ERR_NODATA, decided before libkdumpfile is asked (elf.c, cache.c);
 *
 *  - a kdump-compressed file whose header or sub-header points outside the
 *    file makes 0.5.1 fail its open and then crash in kdump_free(): the
 *    header is checked against the file size first (kdump.c), for the
 *    input as well as for a reassembled flattened file.
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
 * Physical reads go through the page cache in cache.c.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

#include "sd_cleanup.h"
#include "dump-priv.h"

#define PROC_SUPER_MAGIC_ 0x9fa0
/* libkdumpfile's own cache sits behind ours (see dump_open_ctx()). */
#define KDUMP_CACHE_ENTRIES	64
/* Without VMCOREINFO: the smallest arm64 granule (see setup_page_size()). */
#define FALLBACK_PAGE_SIZE	4096

/* --- helpers ---------------------------------------------------------- */

void dump_note(struct sd_dump *d, const char *fmt, ...)
{
	char msg[SD_DIAG_MSG_MAX];
	va_list ap;

	if (!d->diags)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sd_diag_add(d->diags, SD_DIAG_DUMP, "%s", msg);
}

ssize_t dump_read_some(int fd, void *buf, size_t len, int64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = off < 0 ? read(fd, (char *)buf + done, len - done) :
			pread(fd, (char *)buf + done, len - done, (off_t)((uint64_t)off + done));

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		done += (size_t)r;
	}
	return (ssize_t)done;
}

int dump_pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t r = off > INT64_MAX ? -1 : dump_read_some(fd, buf, len, (int64_t)off);

	if (r < 0)
		return -1;
	return (size_t)r == len ? 0 : 1;	/* 1: short (EOF) */
}

int dump_pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
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

enum sd_status dump_kstatus(kdump_status ks)
{
	switch (ks) {
	case KDUMP_OK: return SD_OK;
	case KDUMP_ERR_NODATA: return SD_ERR_NODATA;
	case KDUMP_ERR_CORRUPT: return SD_ERR_CORRUPT;
	case KDUMP_ERR_NOTIMPL: return SD_ERR_UNSUPPORTED;
	/* A failed system call or allocation: errno says which. */
	case KDUMP_ERR_SYSTEM: return errno == ENOMEM ? SD_ERR_NOMEM : SD_ERR_IO;
	case KDUMP_ERR_EOF: return SD_ERR_IO;
	default: return SD_ERR_CORRUPT;
	}
}

const char *dump_kerr(kdump_ctx_t *ctx, kdump_status ks)
{
	const char *e = ctx ? kdump_get_err(ctx) : NULL;

	return e && *e ? e : kdump_strerror(ks);
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
	if (dump->be)
		return dump_backend_vmcoreinfo(dump, key);
	for (i = 0; i < dump->nlines; i++)
		if (strcmp(dump->lines[i].key, key) == 0)
			return dump->lines[i].val;
	return NULL;
}

enum sd_status dump_open_ctx(struct sd_dump *d, int fd, const char *arch,
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
			enum sd_status st = sd_error_set(err, dump_kstatus(ks),
							 "%s: cannot set arch.name=%s: %s",
							 d->path, arch, dump_kerr(ctx, ks));
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
		enum sd_status st = dump_kstatus(ks);

		if (ks == KDUMP_ERR_NOTIMPL)
			st = SD_ERR_UNSUPPORTED;
		st = sd_error_set(err, st, "%s: libkdumpfile cannot open the dump: %s",
				  d->path, dump_kerr(ctx, ks));
		/*
		 * After a failed diskdump open, 0.5.1 has already freed the
		 * format's private data and kdump_free() would free it again
		 * (SIGSEGV).  dump_kdump_hdr() rules out the known causes;
		 * for anything it missed, leak the context rather than crash
		 * (and tell LeakSanitizer that this one is on purpose).
		 */
		if (!diskdump)
			kdump_free(ctx);
#ifdef __SANITIZE_ADDRESS__
		else
			__lsan_ignore_object(ctx);
#endif
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
 * need the OS type; VMCOREINFO is looked up by it too.  Not set when
 * check_xlat_inputs() refused VMCOREINFO. */
kdump_status dump_set_ostype(struct sd_dump *d)
{
	if (d->xlat_refused[0])
		return KDUMP_ERR_CORRUPT;
	return kdump_set_string_attr(d->ctx, "addrxlat.ostype", "linux");
}

/*
 * Setting the OS type makes libkdumpfile build the kernel's translation
 * from VMCOREINFO and read through it at once (init_uts_ns).  0.5.1 trusts
 * SYMBOL(swapper_pg_dir): one not page-aligned, or beyond 64 bits (read as
 * all ones), made it use uninitialised memory and crash (SEGV, fuzz_dump).
 * The kernel page-aligns it (arch/arm64/kernel/vmlinux.lds.S), so such a
 * value is not the kernel's: VMCOREINFO is kept for its other keys, and
 * kernel addresses are not translated.
 */
static void check_xlat_inputs(struct sd_dump *d)
{
	static const char key[] = "SYMBOL(swapper_pg_dir)=";
	const size_t klen = sizeof(key) - 1;
	kdump_attr_t attr;
	const char *b;
	size_t n;

	/* The blob by its length: libkdumpfile reads lines past a NUL byte,
	 * where a C string of it ends. */
	if (kdump_get_attr(d->ctx, "linux.vmcoreinfo.raw", &attr) != KDUMP_OK ||
	    attr.type != KDUMP_BLOB)
		return;
	b = kdump_blob_pin(attr.val.blob);
	n = b ? kdump_blob_size(attr.val.blob) : 0;
	for (size_t i = 0; i + klen <= n; i++) {
		uint64_t v = 0;
		unsigned digits = 0;
		size_t j;

		if ((i && b[i - 1] != '\n') || memcmp(b + i, key, klen))
			continue;
		for (j = i + klen; j < n && isxdigit((unsigned char)b[j]); j++) {
			if (!digits && b[j] == '0')
				continue;	/* leading zeros */
			digits++;
			v = v << 4 | (uint64_t)(isdigit((unsigned char)b[j]) ?
						b[j] - '0' : (tolower((unsigned char)b[j]) - 'a' + 10));
		}
		if (digits > 16)
			snprintf(d->xlat_refused, sizeof(d->xlat_refused),
				 "VMCOREINFO SYMBOL(swapper_pg_dir) is wider than 64 bits");
		else if (v & (FALLBACK_PAGE_SIZE - 1))
			snprintf(d->xlat_refused, sizeof(d->xlat_refused),
				 "VMCOREINFO SYMBOL(swapper_pg_dir) 0x%" PRIx64 " is not page-aligned", v);
	}
	if (b)
		kdump_blob_unpin(attr.val.blob);
}

/* A physical address the dump should hold, to confirm the address space. */
static bool probe_addr(struct sd_dump *d, uint64_t *pa)
{
	kdump_attr_t attr;
	kdump_addr_t idx = 0;
	kdump_num_t ps;

	if (d->is_elf)
		return dump_elf_probe_addr(d, pa);
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
	unsigned char *tmp sd_autofree = NULL;
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
			return SD_OK;
		}
	}
	return sd_error_set(err, dump_kstatus(last),
			    "%s: cannot read physical page 0x%" PRIx64
			    " that the dump lists: %s", d->path, pa, dump_kerr(d->ctx, last));
}

void sd_dump_close(struct sd_dump *d)
{
	if (!d)
		return;
	if (d->ctx)
		kdump_free(d->ctx);
	dump_backend_free(d);
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


static void dump_closep(struct sd_dump **d)
{
	sd_dump_close(*d);
}

static enum sd_status dump_new(const char *path, struct sd_diags *diags,
			       struct sd_dump **out, struct sd_error *err)
{
	struct sd_dump *d = calloc(1, sizeof(*d));

	if (!d)
		return sd_error_set(err, SD_ERR_NOMEM, "%s: no memory", path);
	d->fd = d->datafd = -1;
	d->diags = diags;
	d->info.dump_level = -1;
	d->path = strdup(path);
	if (!d->path) {
		free(d);
		return sd_error_set(err, SD_ERR_NOMEM, "%s: no memory", path);
	}
	*out = d;
	return SD_OK;
}

/* Regular files (/proc/vmcore is one) and block devices; anything else is
 * refused before it is opened: a FIFO blocks, a character device may
 * never end or have side effects. */
static enum sd_status check_file_type(struct sd_dump *d, mode_t mode, struct sd_error *err)
{
	const char *what;

	if (S_ISREG(mode) || S_ISBLK(mode))
		return SD_OK;
	what = S_ISDIR(mode) ? "a directory" : S_ISCHR(mode) ? "a character device" :
	       S_ISFIFO(mode) ? "a FIFO" : S_ISSOCK(mode) ? "a socket" : "not a file";
	return sd_error_set(err, SD_ERR_USAGE,
			    "%s: %s, not a dump: only regular files, block devices and /proc/vmcore"
			    " are read", d->path, what);
}

/* Open the input read-only without blocking, and learn its size. */
static enum sd_status open_input(struct sd_dump *d, struct sd_error *err)
{
	struct stat sb, fsb;
	struct statfs sfs;
	enum sd_status st;
	int fl;

	if (stat(d->path, &sb) != 0)
		return sd_error_set(err, SD_ERR_IO, "%s: cannot open: %s", d->path, strerror(errno));
	st = check_file_type(d, sb.st_mode, err);
	if (st != SD_OK)
		return st;
	d->fd = open(d->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (d->fd < 0)
		return sd_error_set(err, SD_ERR_IO, "%s: cannot open: %s", d->path, strerror(errno));
	d->datafd = d->fd;
	if (fstat(d->fd, &fsb) != 0)
		return sd_error_set(err, SD_ERR_IO, "%s: cannot stat: %s", d->path, strerror(errno));
	/* replaced between stat() and open()? check what was opened */
	st = check_file_type(d, fsb.st_mode, err);
	if (st != SD_OK)
		return st;
	fl = fcntl(d->fd, F_GETFL);
	if (fl < 0 || fcntl(d->fd, F_SETFL, fl & ~O_NONBLOCK) != 0)
		return sd_error_set(err, SD_ERR_IO, "%s: cannot clear O_NONBLOCK: %s", d->path,
				    strerror(errno));
	if (S_ISBLK(fsb.st_mode)) {
		uint64_t bytes = 0;

		if (ioctl(d->fd, BLKGETSIZE64, &bytes) == 0)
			d->file_size = bytes;
	} else if (!(fstatfs(d->fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC_)) {
		/* /proc/vmcore is an ELF file whose size must not be trusted or used. */
		d->file_size = (uint64_t)fsb.st_size;
	}
	return SD_OK;
}

/* A flattened input is reassembled; @head then holds the new file's start. */
static enum sd_status unflatten(struct sd_dump *d, unsigned char *head, size_t len,
				struct sd_error *err)
{
	uint64_t sz;
	enum sd_status st;

	st = sd_flat_reassemble(d->fd, d->path, &d->datafd, &sz, err);
	if (st != SD_OK) {
		d->datafd = d->fd;
		return st;
	}
	d->flattened = true;
	d->info.reassembled = true;
	d->file_size = sz;
	dump_note(d, "reassembled flattened dump into a temporary file (%" PRIu64 " MiB)",
		  (sz + (1 << 20) - 1) >> 20);
	memset(head, 0, len);
	if (dump_pread_full(d->datafd, head, len, 0) < 0)
		return sd_error_set(err, SD_ERR_IO, "%s: cannot read the reassembled dump: %s",
				    d->path, strerror(errno));
	return SD_OK;
}

/* The format from its signature, and its headers checked: all before
 * libkdumpfile sees the file. */
static enum sd_status detect_and_check(struct sd_dump *d, struct kdump_hdr *kh,
				       struct sd_error *err)
{
	unsigned char head[SD_FLAT_HEADER_SIZE];
	const char *where;
	enum sd_status st;

	memset(head, 0, sizeof(head));
	if (dump_pread_full(d->fd, head, sizeof(head), 0) < 0)
		return sd_error_set(err, SD_ERR_IO, "%s: cannot read offset 0: %s", d->path,
				    strerror(errno));
	if (sd_flat_detect(head, sizeof(head))) {
		st = unflatten(d, head, sizeof(head), err);
		if (st != SD_OK)
			return st;
	}
	where = d->flattened ? " of the reassembled dump" : "";
	memset(kh, 0, sizeof(*kh));
	kh->dump_level = -1;
	d->is_elf = memcmp(head, ELFMAG, SELFMAG) == 0;
	if (d->is_elf)
		return dump_elf_check(d, d->datafd, d->file_size, where, err);
	if (memcmp(head, "KDUMP   ", KDUMP_SIG_LEN) == 0 ||
	    memcmp(head, "DISKDUMP", KDUMP_SIG_LEN) == 0)
		return dump_kdump_hdr(d, d->datafd, d->file_size, where, kh, err);
	return sd_error_set(err, SD_ERR_UNSUPPORTED,
			    "%s: not a dump this tool reads%s: no ELF, KDUMP, DISKDUMP or"
			    " makedumpfile signature at offset 0", d->path, where);
}

/*
 * A page size before the OS type is set: setting it makes libkdumpfile
 * read the kernel's init_uts_ns (a VMCOREINFO symbol), and 0.5.1 divides
 * by arch.page_size in that read.  An ELF file sets it at open from
 * VMCOREINFO's PAGESIZE; one whose VMCOREINFO names symbols but no
 * PAGESIZE was a SIGFPE (fuzz_dump).  Without one: 4 KiB, the smallest
 * arm64 granule, which works for any PT_LOAD alignment; physical reads do
 * not depend on the kernel's page size.
 */
static enum sd_status page_size_fallback(struct sd_dump *d, struct sd_error *err)
{
	kdump_num_t num;
	kdump_status ks;

	if (kdump_get_number_attr(d->ctx, KDUMP_ATTR_PAGE_SIZE, &num) == KDUMP_OK && num)
		return SD_OK;
	ks = kdump_set_number_attr(d->ctx, KDUMP_ATTR_PAGE_SIZE, FALLBACK_PAGE_SIZE);
	if (ks != KDUMP_OK)
		return sd_error_set(err, SD_ERR_UNSUPPORTED,
				    "%s: the dump does not say its page size and it cannot be set: %s",
				    d->path, dump_kerr(d->ctx, ks));
	d->ps_fallback = true;
	return SD_OK;
}

/* VMCOREINFO, the OS type, and the QEMU conversion, which needs both. */
static enum sd_status read_vmcoreinfo(struct sd_dump *d, const struct kdump_hdr *kh,
				      struct sd_error *err)
{
	char *raw sd_autofree = NULL;
	kdump_status ostype_ks;
	enum sd_status st;

	st = page_size_fallback(d, err);
	if (st != SD_OK)
		return st;
	check_xlat_inputs(d);
	ostype_ks = dump_set_ostype(d);
	raw = get_vmcoreinfo_raw(d->ctx);
	if (kh->valid) {
		st = dump_qemu_convert(d, kh, raw, &ostype_ks, err);
		if (st != SD_OK)
			return st;
	}
	if (raw)
		parse_vmcoreinfo(d, sd_steal_ptr(&raw));
	if (ostype_ks != KDUMP_OK)
		dump_note(d, "%s: kernel virtual addresses cannot be translated (%s);"
			  " physical reads only", d->path,
			  d->xlat_refused[0] ? d->xlat_refused : dump_kerr(d->ctx, ostype_ks));
	return SD_OK;
}

/* Page size: VMCOREINFO, else libkdumpfile's; then the page cache. */
static enum sd_status setup_page_size(struct sd_dump *d, struct sd_error *err)
{
	const char *v = sd_dump_vmcoreinfo(d, "PAGESIZE");
	kdump_num_t num;
	enum sd_status st;

	d->info.page_size = v ? strtoull(v, NULL, 10) : 0;
	/* An ELF file without VMCOREINFO leaves arch.page_size unset, and
	 * libkdumpfile then finds no page at all ("Page not found"). */
	st = page_size_fallback(d, err);
	if (st != SD_OK)
		return st;
	if (kdump_get_number_attr(d->ctx, KDUMP_ATTR_PAGE_SIZE, &num) != KDUMP_OK || !num)
		return sd_error_set(err, SD_ERR_UNSUPPORTED, "%s: the dump's page size cannot be read",
				    d->path);
	d->ps = num;
	if (d->ps_fallback)
		dump_note(d, "%s has no VMCOREINFO page size: reading in %u-byte pages", d->path,
			  FALLBACK_PAGE_SIZE);
	if (!d->info.page_size)
		d->info.page_size = d->ps;
	if (!dump_block_size_ok(d->ps))
		return sd_error_set(err, SD_ERR_CORRUPT, "%s: impossible page size %" PRIu64,
				    d->path, d->ps);
	d->ps_shift = (unsigned)__builtin_ctzll(d->ps);
	if (d->truncated)
		dump_note(d, "%s is truncated (%" PRIu64 " bytes, PT_LOAD data ends beyond):"
			  " pages past the end are reported as not in the dump", d->path,
			  d->file_size);
	return dump_cache_init(d, err);
}

static void fill_info(struct sd_dump *d, const struct kdump_hdr *kh)
{
	const char *flat = d->flattened ? " (flattened)" : "";

	d->info.osrelease = sd_dump_vmcoreinfo(d, "OSRELEASE");
	if (d->qemu) {
		snprintf(d->format, sizeof(d->format), "qemu kdump%s", flat);
		d->info.dump_level = -1;
		d->info.zero_pages_excluded = false;
	} else if (kh->valid) {
		snprintf(d->format, sizeof(d->format), "%s%s",
			 kh->diskdump ? "diskdump" : "kdump", flat);
		d->info.dump_level = kh->dump_level;
		d->info.zero_pages_excluded = kh->dump_level > 0 && (kh->dump_level & 1);
	} else {
		snprintf(d->format, sizeof(d->format), "%s%s", d->is_elf ? "elf" : "unknown", flat);
	}
	d->info.format = d->format;
	if (kh->valid)
		snprintf(d->compression, sizeof(d->compression), "%s",
			 dump_kdump_compression(kh->status));
	else if (d->is_elf)
		snprintf(d->compression, sizeof(d->compression), "none");
	d->info.compression = d->compression[0] ? d->compression : NULL;
}

enum sd_status sd_dump_open(const char *path, struct sd_dump **out,
			    struct sd_diags *diags, struct sd_error *err)
{
	struct sd_dump *d SD_CLEANUP(dump_closep) = NULL;
	struct kdump_hdr kh;
	enum sd_status st;

	if (!path || !out)
		return sd_error_set(err, SD_ERR_USAGE, "sd_dump_open: bad arguments");
	*out = NULL;
	st = dump_new(path, diags, &d, err);
	if (st == SD_OK)
		st = open_input(d, err);
	if (st == SD_OK)
		st = detect_and_check(d, &kh, err);
	if (st == SD_OK)
		st = dump_open_ctx(d, d->datafd, kh.valid ? dump_kdump_arch(&kh) : NULL,
				   kh.valid, &d->ctx, err);
	if (st == SD_OK)
		st = read_vmcoreinfo(d, &kh, err);
	if (st == SD_OK)
		st = setup_page_size(d, err);
	if (st != SD_OK)
		return st;
	fill_info(d, &kh);
	st = choose_phys_as(d, err);
	if (st != SD_OK)
		return st;
	*out = sd_steal_ptr(&d);
	return SD_OK;
}

const struct sd_dump_info *sd_dump_info(const struct sd_dump *dump)
{
	return dump ? &dump->info : NULL;
}
