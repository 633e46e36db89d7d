// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The --regs register file: parse and write (format in smmu-strtab-dump(1),
 * REGISTER FILE).
 *
 * The file is untrusted input (issue 12): only a regular file is read, it is
 * opened without blocking (a FIFO with no writer would block open(2)),
 * its size and its lines are bounded, and every message that quotes its
 * content escapes what a terminal would obey.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "regfile.h"
#include "sd_cleanup.h"
#include "sd_parse.h"
#include "sd_text.h"

#define REGS_MAX_SMMUS	64
/*
 * 64 SMMUs of 29 registers at about 40 bytes a line are 75 KiB: 1 MiB
 * leaves room for comments and bounds the cost of a wrong file (/dev/zero,
 * a dump given by mistake).  A line may be long (a comment), but not longer
 * than this.
 */
#define REGS_FILE_MAX	(1u << 20)
#define REGS_LINE_MAX	(64u << 10)
/* How much of a bad key a message quotes. */
#define REGS_QUOTE_MAX	80

struct regs_parse {
	const char *path;
	unsigned lineno;
	struct sd_regs *v;
	size_t n;
};

/*
 * Open @path for reading only if it is a regular file of at most
 * REGS_FILE_MAX bytes.  O_NONBLOCK: open(2) of a FIFO returns at once
 * instead of waiting for a writer, and fstat then refuses it.
 */
static SD_MUST_CHECK enum sd_status open_regs_file(const char *path, FILE **out,
						   struct sd_error *err)
{
	int fd sd_autoclose = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return sd_error_set(err, SD_ERR_USAGE, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st))
		return sd_error_set(err, SD_ERR_IO, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return sd_error_set(err, SD_ERR_USAGE,
				    "%s: not a regular file (a register file is a text file)", path);
	if (st.st_size > (off_t)REGS_FILE_MAX)
		return sd_error_set(err, SD_ERR_USAGE,
				    "%s: %jd bytes; a register file is at most %u bytes",
				    path, (intmax_t)st.st_size, REGS_FILE_MAX);
	*out = fdopen(fd, "re");
	if (!*out)
		return sd_error_set(err, SD_ERR_NOMEM, "%s: %s", path, strerror(errno));
	sd_steal_fd(&fd);
	return SD_OK;
}

/* Start the next SMMU of the file, named "smmuN" until a name is given. */
static SD_MUST_CHECK enum sd_status new_smmu(struct regs_parse *ps, struct sd_error *err)
{
	struct sd_regs *nv;

	if (ps->n >= REGS_MAX_SMMUS)
		return sd_error_set(err, SD_ERR_USAGE, "%s:%u: more than %d SMMUs",
				    ps->path, ps->lineno, REGS_MAX_SMMUS);
	nv = realloc(ps->v, (ps->n + 1) * sizeof(*ps->v));
	if (!nv)
		return sd_error_set(err, SD_ERR_NOMEM, "%s", ps->path);
	ps->v = nv;
	memset(&ps->v[ps->n], 0, sizeof(ps->v[ps->n]));
	snprintf(ps->v[ps->n].name, sizeof(ps->v[ps->n].name), "smmu%zu", ps->n);
	ps->n++;
	return SD_OK;
}

/* One line, NUL-terminated, without its newline: "# comment", "smmu NAME",
 * or "REGISTER = VALUE". */
static SD_MUST_CHECK enum sd_status parse_line(struct regs_parse *ps, char *p,
					       struct sd_error *err)
{
	char *hash, *key, *val, q[REGS_QUOTE_MAX];
	enum sd_status st;
	enum sd_reg reg;
	bool is_smmu;

	if ((hash = strchr(p, '#')))
		*hash = 0;
	while (isspace((unsigned char)*p))
		p++;
	for (char *e = p + strlen(p); e > p && isspace((unsigned char)e[-1]);)
		*--e = 0;
	if (!*p)
		return SD_OK;
	key = p;
	while (*p && !isspace((unsigned char)*p) && *p != '=')
		p++;
	if (*p)
		*p++ = 0;
	while (isspace((unsigned char)*p) || *p == '=')
		p++;
	val = p;
	is_smmu = !strcasecmp(key, "smmu");
	if (is_smmu || ps->n == 0) {
		if ((st = new_smmu(ps, err)) != SD_OK)
			return st;
		if (is_smmu) {
			if (*val)
				snprintf(ps->v[ps->n - 1].name, sizeof(ps->v[ps->n - 1].name), "%s", val);
			return SD_OK;
		}
	}
	if (!sd_reg_lookup(key, &reg))
		return sd_error_set(err, SD_ERR_USAGE, "%s:%u: unknown register '%s'", ps->path,
				    ps->lineno, sd_escape_for_terminal(key, q, sizeof(q)));
	if (sd_parse_u64(val, &ps->v[ps->n - 1].val[reg], err) != SD_OK)
		return sd_error_prefix(err, "%s:%u: %s", ps->path, ps->lineno, key);
	ps->v[ps->n - 1].have[reg] = true;
	return SD_OK;
}

/* Every line of @f, each of any length up to REGS_LINE_MAX. */
static SD_MUST_CHECK enum sd_status parse_lines(struct regs_parse *ps, FILE *f,
						struct sd_error *err)
{
	char *line sd_autofree = NULL;
	size_t cap = 0, total = 0;
	ssize_t len;
	enum sd_status st;

	errno = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		ps->lineno++;
		total += (size_t)len;
		/* The size was checked, but a file can grow, or lie (procfs). */
		if (total > REGS_FILE_MAX)
			return sd_error_set(err, SD_ERR_USAGE, "%s: more than %u bytes",
					    ps->path, REGS_FILE_MAX);
		if ((size_t)len > REGS_LINE_MAX)
			return sd_error_set(err, SD_ERR_USAGE, "%s:%u: line of %zd bytes (at most %u)",
					    ps->path, ps->lineno, len, REGS_LINE_MAX);
		if (memchr(line, 0, (size_t)len))
			return sd_error_set(err, SD_ERR_USAGE,
					    "%s:%u: a NUL byte: this is not a register file",
					    ps->path, ps->lineno);
		if ((st = parse_line(ps, line, err)) != SD_OK)
			return st;
	}
	if (ferror(f))
		return sd_error_set(err, SD_ERR_IO, "%s: read error: %s", ps->path,
				    strerror(errno ? errno : EIO));
	return SD_OK;
}

enum sd_status sd_regs_parse_file(const char *path, struct sd_regs **out,
				  size_t *count, struct sd_error *err)
{
	FILE *f sd_autofclose = NULL;
	struct regs_parse ps = { .path = path };
	enum sd_status st;

	if ((st = open_regs_file(path, &f, err)) != SD_OK)
		return st;
	st = parse_lines(&ps, f, err);
	if (st == SD_OK && !ps.n)
		st = sd_error_set(err, SD_ERR_USAGE, "%s: no registers", path);
	if (st != SD_OK) {
		free(ps.v);
		return st;
	}
	*out = ps.v;
	*count = ps.n;
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
