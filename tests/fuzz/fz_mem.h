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
#define FZ_SPARSE	(1u << 7)	/* the image is given as extents */
#define FZ_SMMU_HDR	72

/*
 * FZ_SPARSE: the image is a little-endian u64 span, then extents, each a
 * u64 offset from mem_base, a u32 length and that many bytes (the last one
 * may be cut short by the input's end); the image is span bytes, zero where
 * no extent says otherwise, later extents over earlier ones.  The tables of
 * a dump are a few KB of non-zero bytes in MBs of zeros: as extents, a seed
 * of mkcorpus.py is a few KB instead of 256 KB, and libFuzzer (which copies,
 * hashes and mutates the whole input) runs several times as many of them.
 */
#define FZ_EXTENTS_MAX	256
struct fz_extent {
	uint64_t off;
	const uint8_t *p;
	size_t len;
};

struct fz_smmu_in {
	uint32_t idr0, idr1, idr5, flags;
	uint64_t strtab_base, strtab_cfg;
	uint64_t evtq_base, cmdq_base;
	uint32_t evtq_prod, evtq_cons, cmdq_prod, cmdq_cons;
	uint64_t mem_base;
};

/* The image: [base, base + len) reads the bytes; anything else is a page
 * the dump does not hold, unless @wrap folds it into the image (so that
 * any pointer leads somewhere, as in a dump that holds everything).
 *
 * @budget is the fuzz-only cap on the work of one input (FZ_READ_BUDGET:
 * the bytes read plus FZ_READ_COST per read, for the decoding that
 * follows each, e.g. a 16-byte command whose operands are formatted, so
 * at most 4096 reads): once it is spent, the tool's --timeout flag (sd_timed_out)
 * is raised, as the SIGALRM of --timeout would, and every further read
 * fails as a page the dump does not hold.  Without it, one input whose
 * tables (or, with @wrap, the whole PA space) lead to 2^24-leaf walks,
 * 2^20 CDs or 2^19-slot rings costs seconds, and the campaign ran ~200
 * inputs a second.  The cap hides no defect in the decoders' logic: what
 * runs after it (a walk cut by --timeout, reads that fail) are paths of
 * the tool the fuzzer then exercises on every large input, a loop that
 * ignores --timeout still shows as a libFuzzer timeout, and the bounds
 * themselves (PT_WALK_MAX_LEAVES, SD_MAX_CONTEXTS, Q_MAX_LOG2SIZE, the
 * pathological tables of gen.py --bounds, --timeout's end) are tested by
 * tests/vmcores/synth/bounds.py and tests/unit/test_decoders.c.  1 MiB is
 * 1.8 times what the hungriest seed of mkcorpus.py spends (580 KB, the
 * synthetic dumps' tables walked whole), so every seed runs uncut.
 */
#define FZ_READ_BUDGET	(1u << 20)
#define FZ_READ_COST	256

struct fz_mem {
	const uint8_t *buf;	/* flat image, or NULL when sparse */
	uint64_t len;		/* image bytes */
	uint64_t base;
	bool wrap;
	uint64_t budget;
	struct fz_extent ext[FZ_EXTENTS_MAX];
	size_t next;
};

/* The image of one input (flat or extents); sd_timed_out starts clear. */
static inline void fz_mem_init(struct fz_mem *m, struct fz_in *in, const struct fz_smmu_in *h)
{
	m->base = h->mem_base;
	m->wrap = h->flags & FZ_WRAP;
	m->budget = FZ_READ_BUDGET;
	m->next = 0;
	sd_timed_out = 0;
	if (!(h->flags & FZ_SPARSE)) {
		m->buf = in->p;
		m->len = in->n;
		return;
	}
	m->buf = NULL;
	m->len = fz_take(in, 8);
	while (in->n && m->next < FZ_EXTENTS_MAX) {
		struct fz_extent *e = &m->ext[m->next++];
		uint64_t n;

		e->off = fz_take(in, 8);
		n = fz_take(in, 4);
		e->p = in->p;
		e->len = n < in->n ? (size_t)n : in->n;
		in->p += e->len;
		in->n -= e->len;
	}
}

/* Image bytes [off, off + len), within the image. */
static inline void fz_mem_copy(const struct fz_mem *m, uint64_t off, uint8_t *o, size_t len)
{
	if (m->buf) {
		memcpy(o, m->buf + off, len);
		return;
	}
	memset(o, 0, len);
	for (size_t i = 0; i < m->next; i++) {
		const struct fz_extent *e = &m->ext[i];
		uint64_t end = e->off > UINT64_MAX - e->len ? UINT64_MAX : e->off + e->len;
		uint64_t lo = e->off > off ? e->off : off;
		uint64_t hi = end < off + len ? end : off + len;

		if (lo < hi)
			memcpy(o + (lo - off), e->p + (lo - e->off), hi - lo);
	}
}

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
	struct fz_mem *m = ctx;
	uint64_t off = addr - m->base;
	uint8_t *o = out;

	uint64_t cost = len + FZ_READ_COST;

	if (cost > m->budget) {
		m->budget = 0;
		sd_timed_out = 1;
		return sd_error_set(err, SD_ERR_NODATA,
				    "PA 0x%" PRIx64 " not read: fuzz read budget spent", addr);
	}
	m->budget -= cost;
	if (addr >= m->base && off <= m->len && len <= m->len - off) {
		fz_mem_copy(m, off, o, len);
		return SD_OK;
	}
	if (!m->wrap || !m->len)
		return sd_error_set(err, SD_ERR_NODATA, "PA 0x%" PRIx64 " not in the image", addr);
	/* Folded: whole runs up to the image's end, then from its start. */
	off %= m->len;
	while (len) {
		size_t run = m->len - off < len ? m->len - off : len;

		fz_mem_copy(m, off, o, run);
		o += run;
		len -= run;
		off = 0;
	}
	return SD_OK;
}

#endif
