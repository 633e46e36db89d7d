/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one place where the fuzz harnesses call layers whose interfaces are
 * being reshaped (the dump layer, the stream-table decode): a signature
 * change there is a one-line fix here, not in every harness.
 */
#ifndef SD_FUZZ_ADAPT_H
#define SD_FUZZ_ADAPT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dump.h"
#include "model.h"

/* sd_dump_open() on a path, no notes. */
static inline enum sd_status fz_dump_open(const char *path, struct sd_dump **out,
					  struct sd_error *err)
{
	return sd_dump_open(path, out, NULL, err);
}

static inline void fz_dump_close(struct sd_dump *d)
{
	sd_dump_close(d);
}

struct fz_walk {
	struct sd_smmu *s;
	int64_t last_sid;
	bool mappings;
};

/* Every mapping of a stream: IOVA order within an SSID. */
static enum sd_status fz_mapping(void *arg, const struct sd_mapping *m)
{
	(void)arg;
	if (!m->size)
		abort();	/* an empty mapping */
	return SD_OK;
}

/* Streams come in increasing StreamID order, each once. */
static enum sd_status fz_stream(void *arg, const struct sd_stream *st)
{
	struct fz_walk *w = arg;
	bool walked;

	if ((int64_t)st->sid <= w->last_sid)
		abort();	/* streams must be sorted and unique */
	w->last_sid = st->sid;
	if (w->mappings &&
	    sd_stream_walk_mappings(w->s, st, SD_WALK_RECORD, fz_mapping, w, &walked) != SD_OK)
		abort();	/* the callback never fails: neither may the walk */
	return SD_OK;
}

/* The whole stream-table walk of one SMMU over @mem: set up, then one
 * recording pass over every stream (and its mappings), as a report does. */
static inline enum sd_status fz_decode_smmu(struct sd_smmu *s, const struct sd_mem *mem,
					    const struct sd_decode_opts *opts,
					    struct sd_error *err)
{
	struct fz_walk w = { s, -1, opts->mappings };
	enum sd_status st = sd_decode_smmu(s, mem, opts, err);

	if (st != SD_OK)
		return st;
	if (sd_smmu_walk_streams(s, SD_WALK_RECORD, fz_stream, &w) != SD_OK)
		abort();	/* the callback never fails: neither may the walk */
	return SD_OK;
}

static inline void fz_smmu_free(struct sd_smmu *s)
{
	sd_smmu_free(s);
}

#endif
