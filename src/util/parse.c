// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parsing what a user types: 64-bit numbers as the hardware holds them, and
 * StreamID lists for -s.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sd_parse.h"
#include "sd_text.h"

/* How much of a bad value a message quotes (escaped: it may come from a file). */
#define QUOTE_MAX	96

enum sd_status sd_parse_u64(const char *s, uint64_t *out, struct sd_error *err)
{
	char *end, q[QUOTE_MAX];
	unsigned long long v;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s || *s == '-')
		return sd_error_set(err, SD_ERR_USAGE, "'%s' is not a number",
				    sd_escape_for_terminal(s, q, sizeof(q)));
	errno = 0;
	v = strtoull(s, &end, 0);
	while (isspace((unsigned char)*end))
		end++;
	if (errno || *end)
		return sd_error_set(err, SD_ERR_USAGE,
				    "'%s' is not a 64-bit number (hex with 0x, or decimal)",
				    sd_escape_for_terminal(s, q, sizeof(q)));
	*out = v;
	return SD_OK;
}

/* Binary search: the ranges are sorted and disjoint (sd_sidset_parse). */
bool sd_sidset_has(const struct sd_sidset *s, uint64_t sid)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sid < s->r[mid].lo)
			hi = mid;
		else if (sid > s->r[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

static int cmp_range(const void *a, const void *b)
{
	const struct sd_sidrange *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sort and merge overlapping or adjacent ranges, so that lookups can bisect. */
static void sidset_normalise(struct sd_sidset *s)
{
	size_t j = 0;

	qsort(s->r, s->n, sizeof(*s->r), cmp_range);
	for (size_t i = 0; i < s->n; i++) {
		/* hi <= SD_SID_MAX < UINT64_MAX, so hi + 1 cannot wrap */
		if (j && s->r[i].lo <= s->r[j - 1].hi + 1) {
			if (s->r[i].hi > s->r[j - 1].hi)
				s->r[j - 1].hi = s->r[i].hi;
		} else {
			s->r[j++] = s->r[i];
		}
	}
	s->n = j;
}

/* One item of the list, "N" or "LO-HI", @len bytes at @item (not terminated). */
static enum sd_status sidset_item(struct sd_sidset *s, const char *item, size_t len,
				  struct sd_error *err)
{
	char buf[SD_SIDSET_ITEM_MAX + 1], q[QUOTE_MAX], *dash;
	uint64_t lo, hi;
	enum sd_status st;

	if (len > SD_SIDSET_ITEM_MAX)
		return sd_error_set(err, SD_ERR_USAGE, "--sid: item of %zu characters", len);
	memcpy(buf, item, len);
	buf[len] = 0;
	sd_escape_for_terminal(buf, q, sizeof(q));
	/* Search from the second character: a leading '-' is a bad number. */
	dash = len ? strchr(buf + 1, '-') : NULL;
	if (dash)
		*dash = 0;
	if ((st = sd_parse_u64(buf, &lo, err)) != SD_OK ||
	    (st = sd_parse_u64(dash ? dash + 1 : buf, &hi, err)) != SD_OK)
		return sd_error_prefix(err, "--sid: '%s'", q);
	if (hi < lo)
		return sd_error_set(err, SD_ERR_USAGE, "--sid: '%s' ends before it starts", q);
	if (hi > SD_SID_MAX)
		return sd_error_set(err, SD_ERR_USAGE,
				    "--sid: '%s' is beyond the largest StreamID (0x%llx, IDR1.SIDSIZE 32)",
				    q, (unsigned long long)SD_SID_MAX);
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		void *nv = cap > SIZE_MAX / sizeof(*s->r) ? NULL :
			   realloc(s->r, cap * sizeof(*s->r));

		if (!nv)
			return sd_error_set(err, SD_ERR_NOMEM, "--sid");
		s->r = nv;
		s->cap = cap;
	}
	s->r[s->n].lo = lo;
	s->r[s->n].hi = hi;
	s->n++;
	return SD_OK;
}

/*
 * Items separated by commas; an empty item (",,", a leading or trailing
 * comma) is an error, not skipped, since it is most likely a typing slip.
 * The memory is bounded by the list's length (one range per item).
 */
enum sd_status sd_sidset_parse(struct sd_sidset *s, const char *list,
			       struct sd_error *err)
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		size_t t = len;
		enum sd_status st;

		while (t && isspace((unsigned char)p[t - 1]))
			t--;
		if (strspn(p, " \t") >= t)
			return sd_error_set(err, SD_ERR_USAGE, "--sid: empty item in the list");
		if ((st = sidset_item(s, p, len, err)) != SD_OK)
			return st;
		if (!p[len])
			break;
		p += len + 1;
	}
	sidset_normalise(s);
	return SD_OK;
}

void sd_sidset_free(struct sd_sidset *s)
{
	free(s->r);
	s->r = NULL;
	s->n = s->cap = 0;
}
