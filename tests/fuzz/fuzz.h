/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the libFuzzer harnesses: fuzzed bytes as a file (a
 * memfd, so nothing touches the disk) and a little-endian cursor over the
 * input's leading fields.
 */
#ifndef SD_FUZZ_H
#define SD_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write @data to a fresh memfd; fill @path with a name open(2) accepts.
 * Returns the fd (the caller closes it), or -1. */
static inline int fz_memfile(const uint8_t *data, size_t size, char *path, size_t psize)
{
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		abort();	/* the harness cannot run: not a finding */
	while (done < size) {
		ssize_t w = write(fd, data + done, size - done);

		if (w <= 0)
			abort();
		done += (size_t)w;
	}
	snprintf(path, psize, "/proc/self/fd/%d", fd);
	return fd;
}

/* A cursor over the input: fields past its end read as zero. */
struct fz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint64_t fz_take(struct fz_in *in, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++)
		if (i < in->n)
			v |= (uint64_t)in->p[i] << (8 * i);
	if (bytes > in->n)
		bytes = (unsigned)in->n;
	in->p += bytes;
	in->n -= bytes;
	return v;
}

/* A NUL-terminated copy of @size bytes (malloc'd, so ASan sees its end). */
static inline char *fz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = 0;
	return s;
}

#endif
