// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reassembly of makedumpfile's flattened format into a temporary file.
 *
 * Layout (struct makedumpfile_header and struct makedumpfile_data_header
 * in dump-priv.h): a 4096-byte header block, then records of a data header
 * and buf_size bytes of data for file offset @offset, until a record with
 * offset = -1 (makedumpfile and QEMU also write size = -1 there).  Every
 * record is checked before anything is written.  This is what `makedumpfile -R` does, streamed with a
 * fixed buffer; holes between records stay sparse in the output.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sd_cleanup.h"
#include "dump-priv.h"

/* No dump has a file offset beyond 1 PiB; anything larger is garbage and
 * would make a huge sparse temporary file. */
#define MDF_MAX_OFFSET ((int64_t)1 << 50)
#define COPY_BUF_SIZE (1u << 20)

bool sd_flat_detect(const void *hdr, size_t len)
{
	struct makedumpfile_header h;

	if (len < sizeof(h))
		return false;
	memcpy(&h, hdr, sizeof(h));
	if (memcmp(h.signature, MDF_SIGNATURE, sizeof(MDF_SIGNATURE) - 1) != 0)
		return false;
	return be64toh((uint64_t)h.type) == MDF_TYPE_FLAT;
}

static int try_tmpfile_in(const char *dir)
{
	char path[4096];
	int fd;

	fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	if ((size_t)snprintf(path, sizeof(path), "%s/smmu-strtab-dump.XXXXXX",
			     dir) >= sizeof(path))
		return -1;
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (unlink(path) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

enum sd_status sd_tmpfile(int *out_fd, const char *what, struct sd_error *err)
{
	const char *dirs[2];
	int n = 0, fd = -1, saved = 0, i;
	const char *tmpdir = getenv("TMPDIR");

	if (tmpdir && *tmpdir)
		dirs[n++] = tmpdir;
	dirs[n++] = "/var/tmp";
	for (i = 0; i < n && fd < 0; i++) {
		fd = try_tmpfile_in(dirs[i]);
		if (fd < 0 && !saved)
			saved = errno;
	}
	if (fd < 0)
		return sd_error_set(err, SD_ERR_IO,
				    "cannot create a temporary file for %s in %s%s: %s",
				    what, n > 1 ? dirs[0] : "/var/tmp",
				    n > 1 ? " or /var/tmp" : "", strerror(saved));
	*out_fd = fd;
	return SD_OK;
}

/* Read @len bytes from the stream's position (short only at EOF), or -1. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	return dump_read_some(fd, buf, len, -1);
}

static int write_full(int fd, const void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t w = pwrite(fd, (const char *)buf + done, len - done,
				   off + (off_t)done);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += (size_t)w;
	}
	return 0;
}

/* The 4096-byte header block at the start of @infd. */
static enum sd_status read_flat_header(int infd, const char *name, struct sd_error *err)
{
	unsigned char hdr[SD_FLAT_HEADER_SIZE];
	ssize_t r;

	if (lseek(infd, 0, SEEK_SET) < 0 && errno != ESPIPE)
		return sd_error_set(err, SD_ERR_IO, "%s: cannot seek to start: %s",
				    name, strerror(errno));
	r = read_full(infd, hdr, sizeof(hdr));
	if (r < 0)
		return sd_error_set(err, SD_ERR_IO,
				    "%s: cannot read flattened header at offset 0: %s",
				    name, strerror(errno));
	if ((size_t)r < sizeof(hdr))
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: flattened header truncated at offset %zd (need %zu bytes)",
				    name, r, sizeof(hdr));
	if (!sd_flat_detect(hdr, sizeof(hdr)))
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: not a flattened dump of type 1 at offset 0", name);
	return SD_OK;
}

/* The reassembly: input position, output length, copy buffer. */
struct flat_state {
	int infd, outfd;
	const char *name;
	uint64_t pos, end;
	unsigned char *buf;
};

/*
 * The next record header, checked.  *@last: the end marker (makedumpfile
 * -R ignores its size too).
 */
static enum sd_status read_record(struct flat_state *f, int64_t *off, int64_t *size,
				  bool *last, struct sd_error *err)
{
	struct makedumpfile_data_header rh;
	uint64_t rec_pos = f->pos;
	ssize_t r = read_full(f->infd, &rh, sizeof(rh));

	if (r < 0)
		return sd_error_set(err, SD_ERR_IO,
				    "%s: cannot read flattened record header at offset %" PRIu64 ": %s",
				    f->name, rec_pos, strerror(errno));
	if (r == 0)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: flattened dump ends at offset %" PRIu64
				    " without an end marker (truncated)", f->name, rec_pos);
	if ((size_t)r < sizeof(rh))
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: flattened record header at offset %" PRIu64
				    " truncated (%zd of %zu bytes)", f->name, rec_pos, r, sizeof(rh));
	f->pos += sizeof(rh);
	*off = (int64_t)be64toh((uint64_t)rh.offset);
	*size = (int64_t)be64toh((uint64_t)rh.buf_size);
	*last = *off == -1;
	if (*last)
		return SD_OK;
	if (*off < 0 || *off > MDF_MAX_OFFSET)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: flattened record at offset %" PRIu64
				    " has a bad target offset %" PRId64, f->name, rec_pos, *off);
	if (*size < 0 || *size > MDF_MAX_OFFSET - *off)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s: flattened record at offset %" PRIu64
				    " has a bad size %" PRId64 " (target offset 0x%" PRIx64 ")",
				    f->name, rec_pos, *size, (uint64_t)*off);
	return SD_OK;
}

/* Copy one record's @size data bytes to output offset @off. */
static enum sd_status copy_record(struct flat_state *f, int64_t off, int64_t size,
				  struct sd_error *err)
{
	uint64_t rec_pos = f->pos - sizeof(struct makedumpfile_data_header);
	int64_t left;

	for (left = size; left > 0;) {
		size_t chunk = left > COPY_BUF_SIZE ? COPY_BUF_SIZE : (size_t)left;
		ssize_t r = read_full(f->infd, f->buf, chunk);

		if (r < 0)
			return sd_error_set(err, SD_ERR_IO,
					    "%s: cannot read flattened record data at offset %" PRIu64
					    ": %s", f->name, f->pos, strerror(errno));
		if ((size_t)r < chunk)
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "%s: flattened record at offset %" PRIu64 " truncated: %" PRId64
					    " data bytes announced, file ends at offset %" PRIu64,
					    f->name, rec_pos, size, f->pos + (uint64_t)r);
		if (write_full(f->outfd, f->buf, chunk, (off_t)(off + (size - left))) != 0)
			return sd_error_set(err, SD_ERR_IO,
					    "%s: cannot write the reassembled dump at offset 0x%" PRIx64
					    ": %s", f->name, (uint64_t)(off + (size - left)),
					    strerror(errno));
		f->pos += chunk;
		left -= (int64_t)chunk;
	}
	if ((uint64_t)(off + size) > f->end)
		f->end = (uint64_t)(off + size);
	return SD_OK;
}

enum sd_status sd_flat_reassemble(int infd, const char *name, int *out_fd,
				  uint64_t *out_size, struct sd_error *err)
{
	unsigned char *buf sd_autofree = NULL;
	int outfd sd_autoclose = -1;
	struct flat_state f = { .infd = infd, .name = name, .pos = SD_FLAT_HEADER_SIZE };
	enum sd_status st;
	bool last = false;

	st = read_flat_header(infd, name, err);
	if (st != SD_OK)
		return st;
	buf = malloc(COPY_BUF_SIZE);
	if (!buf)
		return sd_error_set(err, SD_ERR_NOMEM,
				    "%s: cannot allocate the reassembly buffer", name);
	st = sd_tmpfile(&outfd, "the reassembled flattened dump", err);
	if (st != SD_OK)
		return sd_error_prefix(err, "%s", name);
	f.buf = buf;
	f.outfd = outfd;
	while (!last) {
		int64_t off = 0, size = 0;

		st = read_record(&f, &off, &size, &last, err);
		if (st == SD_OK && !last)
			st = copy_record(&f, off, size, err);
		if (st != SD_OK)
			return st;
	}
	if (ftruncate(outfd, (off_t)f.end) != 0)
		return sd_error_set(err, SD_ERR_IO,
				    "%s: cannot size the reassembled dump to %" PRIu64 " bytes: %s",
				    name, f.end, strerror(errno));
	*out_fd = sd_steal_fd(&outfd);
	*out_size = f.end;
	return SD_OK;
}
