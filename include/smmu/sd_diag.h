/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One diagnostic channel for what is not a table problem: how the dump was
 * opened, where the kernel's types and symbols came from, what was tried
 * and why it was not used.  Every layer adds records here (never prints);
 * the report shows them (one summary line in text, all with -v, an array in
 * JSON).  Bounded: SD_DIAG_MAX records are kept, the rest counted.
 * Table problems have their own, richer records (struct sd_problem_rec).
 */
#ifndef SD_DIAG_H
#define SD_DIAG_H

#include <stddef.h>
#include <stdint.h>

enum sd_diag_origin {
	SD_DIAG_DUMP,		/* the dump layer: format, filtering, conversion */
	SD_DIAG_KERNEL,		/* the kernel layer: symbols, types, discovery */
	SD_DIAG_CAPTURE,	/* the live registers */
	SD_DIAG_ORIGIN_COUNT
};
const char *sd_diag_origin_name(enum sd_diag_origin origin);

#define SD_DIAG_MAX	256
#define SD_DIAG_MSG_MAX	512

struct sd_diag {
	enum sd_diag_origin origin;
	char msg[SD_DIAG_MSG_MAX];
};

struct sd_diags {
	struct sd_diag *v;
	size_t n, cap;
	uint64_t dropped;	/* beyond SD_DIAG_MAX, or out of memory */
};

void sd_diag_add(struct sd_diags *d, enum sd_diag_origin origin, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sd_diags_free(struct sd_diags *d);

#endif
