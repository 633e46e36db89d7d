// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of src/util/parse.c: sd_parse_u64 and the --sid list, which
 * sd_parse.h promises sorted and merged (found by tests/fuzz/fuzz_parse:
 * "1,2,3-7" came out as three ranges, "5,1" unsorted).
 * Prints "ok NAME" / "not ok NAME - reason" lines; exits 0.
 */
#include <inttypes.h>
#include <stdio.h>

#include "sd_parse.h"

static void ok(bool cond, const char *name, const char *why)
{
	if (cond)
		printf("ok parse/%s\n", name);
	else
		printf("not ok parse/%s - %s\n", name, why);
}

/* Parse @list; compare with the @n ranges in @want (lo, hi pairs). */
static void sids(const char *name, const char *list, const uint64_t *want, size_t n)
{
	struct sd_sidset s = { 0 };
	struct sd_error err = { 0 };
	char why[256];
	bool same;

	if (sd_sidset_parse(&s, list, &err) != SD_OK) {
		ok(false, name, err.msg);
		return;
	}
	same = s.n == n;
	for (size_t i = 0; same && i < n; i++)
		same = s.r[i].lo == want[2 * i] && s.r[i].hi == want[2 * i + 1];
	snprintf(why, sizeof(why), "'%s' gave %zu ranges, first 0x%" PRIx64 "-0x%" PRIx64,
		 list, s.n, s.n ? s.r[0].lo : 0, s.n ? s.r[0].hi : 0);
	ok(same, name, why);
	sd_sidset_free(&s);
}

int main(void)
{
	static const uint64_t touching[] = { 1, 7 };
	static const uint64_t unsorted[] = { 1, 1, 5, 5 };
	static const uint64_t overlap[] = { 0x8, 0x20, 0x30, 0x30 };
	static const uint64_t contained[] = { 0, 0xffffffff };
	struct sd_sidset s = { 0 };
	struct sd_error err = { 0 };
	uint64_t v = 0;

	sids("sid-touching-merged", "1,2,3-7", touching, 1);
	sids("sid-sorted", "5,1", unsorted, 2);
	sids("sid-overlap-merged", "0x30,0x10-0x20,0x8-0x12", overlap, 2);
	sids("sid-contained", "4-5,0-0xffffffff,7", contained, 1);

	ok(sd_sidset_parse(&s, "0x30,0x10-0x20,0x8-0x12", &err) == SD_OK &&
	   sd_sidset_has(&s, 0x8) && sd_sidset_has(&s, 0x20) && sd_sidset_has(&s, 0x30) &&
	   !sd_sidset_has(&s, 0x7) && !sd_sidset_has(&s, 0x21) && !sd_sidset_has(&s, 0x31),
	   "sid-has", "membership wrong after merging");
	sd_sidset_free(&s);
	ok(sd_sidset_parse(&s, "0x10-0x1", &err) != SD_OK, "sid-reversed-refused",
	   "0x10-0x1 accepted");
	sd_sidset_free(&s);
	ok(sd_sidset_parse(&s, ",", &err) != SD_OK, "sid-empty-refused", "',' accepted");
	sd_sidset_free(&s);

	ok(sd_parse_u64(" 0x10 ", &v, &err) == SD_OK && v == 0x10, "u64-hex", err.msg);
	ok(sd_parse_u64("18446744073709551616", &v, &err) != SD_OK, "u64-overflow-refused",
	   "2^64 accepted");
	ok(sd_parse_u64("-1", &v, &err) != SD_OK, "u64-negative-refused", "-1 accepted");
	return 0;
}
