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

enum sd_status sd_parse_u64(const char *s, uint64_t *out, struct sd_error *err)
{
	char *end;
	unsigned long long v;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s || *s == '-')
		return sd_error_set(err, SD_ERR_USAGE, "'%s' is not a number", s);
	errno = 0;
	v = strtoull(s, &end, 0);
	while (isspace((unsigned char)*end))
		end++;
	if (errno || *end)
		return sd_error_set(err, SD_ERR_USAGE,
				    "'%s' is not a 64-bit number (hex with 0x, or decimal)", s);
	*out = v;
	return SD_OK;
}

/* The ranges are sorted and disjoint (sd_sidset_parse): binary search, so
 * that a long -s list costs log(n) per STE of a large table. */
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

/* sd_parse.h's range struct has no name. */
typedef __typeof__(((struct sd_sidset *)0)->r[0]) sidrange;

static int cmp_range(const void *a, const void *b)
{
	const sidrange *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sort by start and merge ranges that overlap or touch ("1,2" is 1-2):
 * the form sd_parse.h promises and sd_sidset_has relies on. */
static void sidset_normalise(struct sd_sidset *s)
{
	size_t out = 0;

	qsort(s->r, s->n, sizeof(*s->r), cmp_range);
	for (size_t i = 1; i < s->n; i++) {
		/* hi <= UINT32_MAX (checked when parsed): hi + 1 cannot wrap. */
		if (s->r[i].lo <= s->r[out].hi + 1) {
			if (s->r[i].hi > s->r[out].hi)
				s->r[out].hi = s->r[i].hi;
		} else {
			s->r[++out] = s->r[i];
		}
	}
	if (s->n)
		s->n = out + 1;
}

enum sd_status sd_sidset_parse(struct sd_sidset *s, const char *list,
			       struct sd_error *err)
{
	char *copy = strdup(list), *save = NULL, *tok;
	enum sd_status st = SD_OK;

	if (!copy)
		return sd_error_set(err, SD_ERR_NOMEM, "--sid");
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok + 1, '-');
		uint64_t lo, hi;
		void *nv;

		if (dash)
			*dash = 0;
		if ((st = sd_parse_u64(tok, &lo, err)) != SD_OK ||
		    (st = sd_parse_u64(dash ? dash + 1 : tok, &hi, err)) != SD_OK) {
			sd_error_prefix(err, "--sid");
			break;
		}
		if (hi < lo || hi > UINT32_MAX) {
			st = sd_error_set(err, SD_ERR_USAGE, "--sid: bad range %s", list);
			break;
		}
		nv = realloc(s->r, (s->n + 1) * sizeof(*s->r));
		if (!nv) {
			st = sd_error_set(err, SD_ERR_NOMEM, "--sid");
			break;
		}
		s->r = nv;
		s->r[s->n].lo = lo;
		s->r[s->n].hi = hi;
		s->n++;
	}
	free(copy);
	if (st == SD_OK && !s->n)
		st = sd_error_set(err, SD_ERR_USAGE, "--sid: empty list");
	if (st == SD_OK)
		sidset_normalise(s);
	return st;
}

void sd_sidset_free(struct sd_sidset *s)
{
	free(s->r);
	s->r = NULL;
	s->n = 0;
}
