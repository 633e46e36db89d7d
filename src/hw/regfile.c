// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The --regs register file: parse and write (format in smmu-strtab-dump(1),
 * REGISTER FILE).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "regfile.h"
#include "sd_parse.h"

#define REGS_MAX_SMMUS	64

enum sd_status sd_regs_parse_file(const char *path, struct sd_regs **out,
				  size_t *count, struct sd_error *err)
{
	FILE *f = fopen(path, "re");
	struct sd_regs *v = NULL;
	size_t n = 0;
	char line[512];
	unsigned lineno = 0;
	enum sd_status st = SD_OK;

	if (!f)
		return sd_error_set(err, SD_ERR_USAGE, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *hash, *key, *val;
		enum sd_reg reg;

		lineno++;
		if ((hash = strchr(p, '#')))
			*hash = 0;
		while (isspace((unsigned char)*p))
			p++;
		for (char *e = p + strlen(p); e > p && isspace((unsigned char)e[-1]);)
			*--e = 0;
		if (!*p)
			continue;
		key = p;
		while (*p && !isspace((unsigned char)*p) && *p != '=')
			p++;
		if (*p)
			*p++ = 0;
		while (isspace((unsigned char)*p) || *p == '=')
			p++;
		val = p;
		if (!strcasecmp(key, "smmu") || n == 0) {
			struct sd_regs *nv;

			if (n >= REGS_MAX_SMMUS) {
				st = sd_error_set(err, SD_ERR_USAGE, "%s:%u: more than %d SMMUs",
						  path, lineno, REGS_MAX_SMMUS);
				goto out;
			}
			nv = realloc(v, (n + 1) * sizeof(*v));
			if (!nv) {
				st = sd_error_set(err, SD_ERR_NOMEM, "%s", path);
				goto out;
			}
			v = nv;
			memset(&v[n], 0, sizeof(v[n]));
			snprintf(v[n].name, sizeof(v[n].name), "smmu%zu", n);
			n++;
			if (!strcasecmp(key, "smmu")) {
				if (*val)
					snprintf(v[n - 1].name, sizeof(v[n - 1].name), "%s", val);
				continue;
			}
		}
		if (!sd_reg_lookup(key, &reg)) {
			st = sd_error_set(err, SD_ERR_USAGE, "%s:%u: unknown register '%s'",
					  path, lineno, key);
			goto out;
		}
		if (sd_parse_u64(val, &v[n - 1].val[reg], err) != SD_OK) {
			st = sd_error_prefix(err, "%s:%u: %s", path, lineno, key);
			goto out;
		}
		v[n - 1].have[reg] = true;
	}
	if (ferror(f))
		st = sd_error_set(err, SD_ERR_IO, "%s: read error", path);
	else if (!n)
		st = sd_error_set(err, SD_ERR_USAGE, "%s: no registers", path);
out:
	fclose(f);
	if (st != SD_OK) {
		free(v);
		return st;
	}
	*out = v;
	*count = n;
	return SD_OK;
}

void sd_regs_write(FILE *f, const struct sd_regs *regs, size_t count)
{
	fprintf(f, "# smmu-strtab-dump register snapshot\n");
	for (size_t i = 0; i < count; i++) {
		fprintf(f, "smmu %s\n", regs[i].name);
		for (int r = 0; r < SD_REG_COUNT; r++)
			if (regs[i].have[r])
				fprintf(f, "%s = 0x%" PRIx64 "\n", sd_reg_name(r), regs[i].val[r]);
	}
}
