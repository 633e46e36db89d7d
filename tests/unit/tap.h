/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The unit tests' one reporting helper: a line "ok NAME" or
 * "not ok NAME - reason" per assertion, counted by tests/run.
 */
#ifndef SD_TAP_H
#define SD_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int passes, failures;

static void ok(const char *name, bool cond, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), unused));
static void ok(const char *name, bool cond, const char *fmt, ...)
{
	va_list ap;

	if (cond) {
		printf("ok %s\n", name);
		passes++;
		return;
	}
	printf("not ok %s - ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failures++;
}

#endif
