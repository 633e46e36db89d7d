// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the --regs register file (include/sd/regfile.h,
 * sd_regs_parse_file) on the fuzzed bytes as a file; a file it accepts is
 * written back with sd_regs_write and must parse again to the same
 * snapshots.
 */
#include "fuzz.h"
#include "regfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fz_memfile(0, data, size), *path2;
	struct sd_regs *r = NULL, *r2 = NULL;
	size_t n = 0, n2 = 0;
	struct sd_error err = { 0 };
	char *out = NULL;
	size_t outlen = 0;
	FILE *f;

	if (sd_regs_parse_file(path, &r, &n, &err) != SD_OK) {
		if (!err.msg[0])
			abort();
		goto done;
	}
	f = open_memstream(&out, &outlen);
	if (!f)
		abort();
	sd_regs_write(f, r, n);
	fclose(f);
	path2 = fz_memfile(1, (const uint8_t *)out, outlen);
	if (sd_regs_parse_file(path2, &r2, &n2, &err) != SD_OK || n2 != n)
		abort();	/* what it writes, it must read back */
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < SD_REG_COUNT; k++)
			if (r[i].have[k] != r2[i].have[k] ||
			    (r[i].have[k] && r[i].val[k] != r2[i].val[k]))
				abort();
done:
	free(r);
	free(r2);
	free(out);
	return 0;
}
