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
SD_MUST_CHECK enum sd_status sd_parse_u64(const char *s, uint64_t *out, struct sd_error *err);

/* StreamIDs are at most 32 bits (IDR1.SIDSIZE <= 32, IHI 0070 6.3.2). */
#define SD_SID_MAX		UINT32_MAX
/* Longest item of a --sid list: "0x" + 16 hex digits, twice, and a dash,
 * with room for blanks. */
#define SD_SIDSET_ITEM_MAX	64

/* StreamID selection (-s): sorted, merged inclusive ranges. */
struct sd_sidrange {
	uint64_t lo, hi;
};
struct sd_sidset {
	struct sd_sidrange *r;
	size_t n, cap;
};
bool sd_sidset_has(const struct sd_sidset *s, uint64_t sid);
/* Add the ranges of a list such as "0x10,0x100-0x1ff" to @s: each bound a
 * number as sd_parse_u64 reads it, at most SD_SID_MAX; an empty item or
 * a range that ends before it starts is an error. */
SD_MUST_CHECK enum sd_status sd_sidset_parse(struct sd_sidset *s, const char *list,
					     struct sd_error *err);
void sd_sidset_free(struct sd_sidset *s);

#endif
