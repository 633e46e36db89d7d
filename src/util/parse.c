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

bool sd_sidset_has(const struct sd_sidset *s, uint64_t sid)
{
	for (size_t i = 0; i < s->n; i++)
		if (sid >= s->r[i].lo && sid <= s->r[i].hi)
			return true;
	return false;
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
	return st;
}

void sd_sidset_free(struct sd_sidset *s)
{
	free(s->r);
	s->r = NULL;
	s->n = 0;
}
