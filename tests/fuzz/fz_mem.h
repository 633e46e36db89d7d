/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzed bytes as physical memory for the SMMU decoders, and the register
 * header that precedes them in every input of fuzz_decoders and
 * fuzz_decode_smmu (mkcorpus.py writes the same layout).
 */
#ifndef SD_FUZZ_MEM_H
#define SD_FUZZ_MEM_H

#include <endian.h>
#include <inttypes.h>
#include <stdbool.h>

#include "fuzz.h"
#include "smmu.h"

/* Input header, little-endian, FZ_SMMU_HDR bytes. */
#define FZ_HAVE_IDR0	(1u << 0)
#define FZ_HAVE_IDR1	(1u << 1)
#define FZ_HAVE_IDR5	(1u << 2)
#define FZ_WRAP		(1u << 3)	/* addresses outside the image fold into it */
#define FZ_MAPPINGS	(1u << 4)	/* walk IO page tables */
#define FZ_HAVE_EVTQ	(1u << 5)
#define FZ_HAVE_CMDQ	(1u << 6)
#define FZ_SMMU_HDR	72

struct fz_smmu_in {
	uint32_t idr0, idr1, idr5, flags;
	uint64_t strtab_base, strtab_cfg;
	uint64_t evtq_base, cmdq_base;
	uint32_t evtq_prod, evtq_cons, cmdq_prod, cmdq_cons;
	uint64_t mem_base;
};

/* The image: [base, base + len) reads the bytes; anything else is a page
 * the dump does not hold, unless @wrap folds it into the image (so that
 * any pointer leads somewhere, as in a dump that holds everything). */
struct fz_mem {
	const uint8_t *buf;
	size_t len;
	uint64_t base;
	bool wrap;
};

static inline void fz_smmu_header(struct fz_in *in, struct fz_smmu_in *h)
{
	h->idr0 = (uint32_t)fz_take(in, 4);
	h->idr1 = (uint32_t)fz_take(in, 4);
	h->idr5 = (uint32_t)fz_take(in, 4);
	h->flags = (uint32_t)fz_take(in, 4);
	h->strtab_base = fz_take(in, 8);
	h->strtab_cfg = fz_take(in, 8);
	h->evtq_base = fz_take(in, 8);
	h->evtq_prod = (uint32_t)fz_take(in, 4);
	h->evtq_cons = (uint32_t)fz_take(in, 4);
	h->cmdq_base = fz_take(in, 8);
	h->cmdq_prod = (uint32_t)fz_take(in, 4);
	h->cmdq_cons = (uint32_t)fz_take(in, 4);
	h->mem_base = fz_take(in, 8);
}

static inline enum sd_status fz_mem_read(void *ctx, uint64_t addr, void *out, size_t len,
					 struct sd_error *err)
{
	const struct fz_mem *m = ctx;
	uint64_t off = addr - m->base;
	uint8_t *o = out;

	if (addr >= m->base && off <= m->len && len <= m->len - off) {
		memcpy(out, m->buf + off, len);
		return SD_OK;
	}
	if (!m->wrap || !m->len)
		return sd_error_set(err, SD_ERR_NODATA, "PA 0x%" PRIx64 " not in the image", addr);
	for (size_t i = 0; i < len; i++)
		o[i] = m->buf[(off + i) % m->len];
	return SD_OK;
}

#endif
