// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: what a user types (include/smmu/sd_parse.h): the
 * --sid list (sd_sidset_parse) and numbers (sd_parse_u64).  An accepted
 * list must come out sorted and merged, and every bound must be a member.
 */
#include "fuzz.h"
#include "sd_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_strndup(data, size);
	struct sd_sidset set = { 0 };
	struct sd_error err = { 0 };
	uint64_t v;

	if (sd_parse_u64(s, &v, &err) != SD_OK && !err.msg[0])
		abort();
	err.msg[0] = 0;
	if (sd_sidset_parse(&set, s, &err) == SD_OK) {
		for (size_t i = 0; i < set.n; i++) {
			if (set.r[i].lo > set.r[i].hi)
				abort();
			/* merged: a gap of at least one SID between ranges */
			if (i && set.r[i - 1].hi + 1 >= set.r[i].lo && set.r[i - 1].hi != UINT64_MAX)
				abort();
			if (!sd_sidset_has(&set, set.r[i].lo) || !sd_sidset_has(&set, set.r[i].hi))
				abort();
		}
	} else if (!err.msg[0]) {
		abort();
	}
	sd_sidset_free(&set);
	free(s);
	return 0;
}
