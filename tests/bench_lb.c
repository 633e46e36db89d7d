// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Lower bound for the benchmark: open the dump and fetch exactly the
 * distinct pages the tool's decode touched (list from SD_BENCH_PAGES), with
 * no decoding, then write OUTBYTES bytes to standard output (the size of the
 * tool's report; tests/bench sends both to /dev/null).  Whatever the tool
 * does on top of this is its own cost.
 * Usage: bench_lb DUMP PAGELIST [OUTBYTES]
 * Prints the number of pages read on standard error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump.h"

static int cmp(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct sd_dump *d;
	struct sd_error err = {0};
	unsigned long long a, *v = NULL;
	size_t len, n = 0, cap = 0, pages = 0, failed = 0;
	unsigned long long psize;
	static unsigned char buf[65536];
	FILE *f;

	if ((argc != 3 && argc != 4) || !(f = fopen(argv[2], "r")))
		return 2;
	if (sd_dump_open(argv[1], &d, NULL, &err) != SD_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	psize = sd_dump_info(d)->page_size;
	char line[128];
	size_t kv_bytes = 0;

	while (fgets(line, sizeof(line), f)) {
		if (line[0] == 'v') {
			/* Kernel-virtual reads are replayed as they came. */
			if (sscanf(line + 1, "%llx %zx", &a, &len) == 2)
				for (size_t off = 0; off < len; off += sizeof(buf)) {
					size_t n = len - off < sizeof(buf) ? len - off : sizeof(buf);

					/* A read the tool also saw fail costs the
					 * same here: count it, go on. */
					if (sd_dump_read_kv(d, a + off, buf, n, &err) != SD_OK)
						failed++;
					kv_bytes += n;
				}
			continue;
		}
		if (sscanf(line, "%llx %zx", &a, &len) != 2)
			continue;
		for (unsigned long long p = a & ~(psize - 1); p < a + len; p += psize) {
			if (n == cap) {
				cap = cap ? 2 * cap : 1024;
				v = realloc(v, cap * sizeof(*v));
				if (!v)
					return 2;
			}
			v[n++] = p;
		}
	}
	fclose(f);
	qsort(v, n, sizeof(*v), cmp);
	for (size_t i = 0; i < n; i++) {
		if (i && v[i] == v[i - 1])
			continue;
		pages++;
		if (sd_dump_read_phys(d, v[i], buf, psize, &err) != SD_OK)
			failed++;
	}
	/* The first word on standard error is the page count (tests/bench). */
	fprintf(stderr, "%zu\n", pages + (size_t)(kv_bytes / psize));
	if (failed)
		fprintf(stderr, "bench_lb: %zu reads failed (as they did for the tool)\n", failed);
	free(v);
	sd_dump_close(d);
	/* The report's bytes, in the 64 KiB writes of a buffered stream. */
	memset(buf, ' ', sizeof(buf));
	for (unsigned long long left = argc == 4 ? strtoull(argv[3], NULL, 0) : 0; left;) {
		size_t n = left < sizeof(buf) ? left : sizeof(buf);
		ssize_t w = write(STDOUT_FILENO, buf, n);

		if (w <= 0)
			return 2;
		left -= (unsigned long long)w;
	}
	return 0;
}
