// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Who owns an SMMU in the capture kernel, and whether its driver's own log
 * says it reset it: the evidence that the stream table the SMMU walks now
 * is the capture kernel's, when the registers themselves cannot be read
 * (a bound driver: --capture-regs refuses, and CONFIG_IO_STRICT_DEVMEM
 * keeps /dev/mem off a claimed region).
 *
 * arm_smmu_device_reset() (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c,
 * every version since 4.x) finds SMMUEN set and warns
 * "SMMU currently enabled! Resetting..." before it disables the SMMU and
 * programs its own STRTAB_BASE.  The record is read from ROOT/dev/kmsg,
 * read-only and non-blocking; nothing is written, and nothing of the SMMU
 * is touched.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "live.h"

#define RESET_MSG	"SMMU currently enabled! Resetting"
/* Records looked at: a log buffer holds far fewer (CONFIG_LOG_BUF_SHIFT 17
 * to 25: up to 32 MiB of text, records of 32 bytes or more). */
#define KMSG_MAX_RECORDS	(1u << 20)
#define KMSG_EPIPE_RETRIES	16

/* The message of one /dev/kmsg record ("PRI,SEQ,USEC,FLAGS;MESSAGE"), or
 * NULL for a continuation line (" KEY=VALUE"). */
static const char *kmsg_text(const char *line)
{
	const char *semi;

	if (line[0] == ' ')
		return NULL;
	semi = strchr(line, ';');
	return semi ? semi + 1 : line;
}

/* The driver's reset warning for @devname (dev_warn(): "DRIVER DEVNAME:
 * message"; any device when @devname is ""), into @out. */
static bool kmsg_reset(const char *root, const char *devname, char *out, size_t len)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	unsigned records = 0, retries = 0;
	bool found = false;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/dev/kmsg", root);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || !(f = fdopen(fd, "r"))) {
		if (fd >= 0)
			close(fd);
		snprintf(out, len, "%s: %s", path, strerror(errno));
		return false;
	}
	while (!found && records < KMSG_MAX_RECORDS) {
		const char *t;

		errno = 0;
		if (getline(&line, &cap, f) < 0) {
			/* EPIPE: records were overwritten under us; go on. */
			if (errno == EPIPE && retries++ < KMSG_EPIPE_RETRIES) {
				clearerr(f);
				continue;
			}
			break;
		}
		records++;
		line[strcspn(line, "\n")] = 0;
		t = kmsg_text(line);
		if (t && strstr(t, RESET_MSG) && (!devname[0] || strstr(t, devname))) {
			snprintf(out, len, "its log: \"%s\"", t);
			found = true;
		}
	}
	if (!found)
		snprintf(out, len, "no \"%s...\" in %s (%u records)", RESET_MSG, path, records);
	free(line);
	fclose(f);
	return found;
}

bool sd_live_owner_find(const char *root, uint64_t base, struct sd_live_owner *o)
{
	struct sd_live_smmu *v = NULL;
	struct sd_error err = {0};
	size_t n = 0;
	bool bound = false;

	memset(o, 0, sizeof(*o));
	o->base = base;
	if (!root || !strcmp(root, "/"))
		root = "";
	if (sd_live_find(root, &v, &n, &err) != SD_OK)
		return false;
	for (size_t i = 0; i < n && !bound; i++) {
		if (v[i].base != base)
			continue;
		bound = sd_live_driver(root, &v[i], o->driver, sizeof(o->driver));
		if (bound)
			o->reset_logged = kmsg_reset(root, v[i].devname, o->evidence,
						     sizeof(o->evidence));
	}
	free(v);
	if (!bound)
		o->driver[0] = 0;
	return bound;
}
