// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "sd_diag.h"
#include "sd_error.h"

const char *sd_diag_origin_name(enum sd_diag_origin origin)
{
	static const char *const names[SD_DIAG_ORIGIN_COUNT] = {
		[SD_DIAG_DUMP] = "dump",
		[SD_DIAG_KERNEL] = "kernel",
		[SD_DIAG_CAPTURE] = "capture",
	};

	return origin < SD_DIAG_ORIGIN_COUNT ? names[origin] : "unknown";
}

void sd_diag_add(struct sd_diags *d, enum sd_diag_origin origin, const char *fmt, ...)
{
	va_list ap;

	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		struct sd_diag *v;

		if (d->n >= SD_DIAG_MAX || !(v = realloc(d->v, cap * sizeof(*v)))) {
			if (d->n < SD_DIAG_MAX)
				sd_note_alloc_failure();
			d->dropped++;
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n].origin = origin;
	va_start(ap, fmt);
	vsnprintf(d->v[d->n].msg, sizeof(d->v[d->n].msg), fmt, ap);
	va_end(ap);
	d->n++;
}

void sd_diags_free(struct sd_diags *d)
{
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
	d->dropped = 0;
}
