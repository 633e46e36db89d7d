/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parsing what a user types (src/util/parse.c).
 */
#ifndef SD_PARSE_H
#define SD_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sd_error.h"

/* Parse a number as the hardware holds it: 0x.. hex or decimal, 64 bits. */
enum sd_status sd_parse_u64(const char *s, uint64_t *out, struct sd_error *err);

/* StreamID selection (-s): sorted, merged inclusive ranges. */
struct sd_sidset {
	struct { uint64_t lo, hi; } *r;
	size_t n;
};
bool sd_sidset_has(const struct sd_sidset *s, uint64_t sid);
enum sd_status sd_sidset_parse(struct sd_sidset *s, const char *list,
			       struct sd_error *err);
void sd_sidset_free(struct sd_sidset *s);

#endif
