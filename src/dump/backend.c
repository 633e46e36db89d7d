// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A dump over a host's reads (include/sd/dump.h, struct sd_dump_backend):
 * the crash extension gives crash's readmem() and VMCOREINFO, and every
 * layer above sees the same struct sd_dump as for a file.  Physical reads
 * go through the same page cache (cache.c), so the walks ask the host for
 * whole pages, once; kernel-virtual reads and VMCOREINFO go to the host.
 * There is no file here and no libkdumpfile context.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"

/* VMCOREINFO lines a walk asks for: a few dozen keys; more is a bug. */
#define MAX_BACKEND_KEYS	256

enum sd_status sd_dump_open_backend(const struct sd_dump_backend *be, void *ctx,
				    const struct sd_dump_backend_desc *desc,
				    struct sd_dump **out, struct sd_error *err)
{
	struct sd_dump *d;
	const char *v;
	enum sd_status st;

	if (!be || !be->read_phys || !be->read_kv || !be->vmcoreinfo || !desc || !out)
		return sd_error_set(err, SD_ERR_USAGE, "sd_dump_open_backend: bad arguments");
	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return sd_error_set(err, SD_ERR_NOMEM, "no memory for a dump");
	d->fd = d->datafd = -1;
	d->be = be;
	d->be_ctx = ctx;
	d->path = strdup(desc->path ? desc->path : "(host)");
	snprintf(d->format, sizeof(d->format), "%s", desc->format ? desc->format : "unknown");
	snprintf(d->compression, sizeof(d->compression), "%s",
		 desc->compression ? desc->compression : "");
	d->info.format = d->format;
	d->info.compression = d->compression[0] ? d->compression : NULL;
	d->info.dump_level = desc->dump_level;
	d->info.zero_pages_excluded = desc->dump_level > 0 && (desc->dump_level & 1);
	d->info.osrelease = sd_dump_vmcoreinfo(d, "OSRELEASE");
	/* The kernel's page size, as sd_dump_open() takes it: VMCOREINFO
	 * first, the host's when it has none. */
	v = sd_dump_vmcoreinfo(d, "PAGESIZE");
	d->info.page_size = v ? strtoull(v, NULL, 10) : desc->page_size;
	d->ps = d->info.page_size;
	if (!d->path || !dump_block_size_ok(d->ps)) {
		st = d->path ? sd_error_set(err, SD_ERR_UNSUPPORTED, "%s: page size %" PRIu64
					    " unknown or impossible", d->path, d->ps)
			     : sd_error_set(err, SD_ERR_NOMEM, "no memory for a dump");
		sd_dump_close(d);
		return st;
	}
	d->ps_shift = (unsigned)__builtin_ctzll(d->ps);
	if ((st = dump_cache_init(d, err)) != SD_OK) {
		sd_dump_close(d);
		return st;
	}
	*out = d;
	return SD_OK;
}

const char *dump_backend_vmcoreinfo(struct sd_dump *d, const char *key)
{
	struct kv_line *l;
	char *k;

	for (size_t i = 0; i < d->nbe_lines; i++)
		if (!strcmp(d->be_lines[i].key, key))
			return d->be_lines[i].val;
	/* Remembered, absent ones too: the host is asked once per key. */
	if (d->nbe_lines >= MAX_BACKEND_KEYS)
		return NULL;
	l = realloc(d->be_lines, (d->nbe_lines + 1) * sizeof(*l));
	if (!l)
		return NULL;
	d->be_lines = l;
	k = strdup(key);
	if (!k)
		return NULL;
	l[d->nbe_lines].key = k;
	l[d->nbe_lines].val = d->be->vmcoreinfo(d->be_ctx, key);
	return l[d->nbe_lines++].val;
}

void dump_backend_free(struct sd_dump *d)
{
	for (size_t i = 0; i < d->nbe_lines; i++) {
		free((char *)d->be_lines[i].key);
		free((char *)d->be_lines[i].val);
	}
	free(d->be_lines);
	d->be_lines = NULL;
	d->nbe_lines = 0;
}
