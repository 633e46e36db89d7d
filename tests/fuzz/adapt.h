/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one place where the fuzz harnesses call layers whose interfaces are
 * being reshaped (the dump layer, the stream-table decode): a signature
 * change there is a one-line fix here, not in every harness.
 */
#ifndef SD_FUZZ_ADAPT_H
#define SD_FUZZ_ADAPT_H

#include <stdint.h>
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

/* The whole stream-table walk of one SMMU over @mem. */
static inline enum sd_status fz_decode_smmu(struct sd_smmu *s, const struct sd_mem *mem,
					    const struct sd_decode_opts *opts,
					    struct sd_error *err)
{
	return sd_decode_smmu(s, mem, opts, err);
}

static inline void fz_smmu_free(struct sd_smmu *s)
{
	sd_smmu_free(s);
}

#endif
