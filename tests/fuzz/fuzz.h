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

/*
 * Make @data the content of memfd number @slot (0 or 1) and return the name
 * open(2) takes for it.  The memfds are created once per process and
 * rewritten (ftruncate, pwrite) per input: a memfd_create and close per
 * input cost more than the parsers of small inputs.  The tool opens the
 * name itself, so it sees a fresh open file every time.
 */
#define FZ_MEMFILES	2
static inline const char *fz_memfile(unsigned slot, const uint8_t *data, size_t size)
{
	static int fd[FZ_MEMFILES] = { -1, -1 };
	static char path[FZ_MEMFILES][32];
	size_t done = 0;

	if (slot >= FZ_MEMFILES)
		abort();
	if (fd[slot] < 0) {
		fd[slot] = memfd_create("fuzz-input", MFD_CLOEXEC);
		if (fd[slot] < 0)
			abort();	/* the harness cannot run: not a finding */
		snprintf(path[slot], sizeof(path[slot]), "/proc/self/fd/%d", fd[slot]);
	}
	if (ftruncate(fd[slot], (off_t)size) != 0)
		abort();
	while (done < size) {
		ssize_t w = pwrite(fd[slot], data + done, size - done, (off_t)done);

		if (w <= 0)
			abort();
		done += (size_t)w;
	}
	return path[slot];
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
