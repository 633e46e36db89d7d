// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the pure SMMU decoders of libsmmu.a over fuzzed
 * memory (include/smmu/smmu.h, queues.h).  The input is a register header
 * (fz_mem.h) followed by a physical memory image.  It decodes
 * STRTAB_BASE/CFG with the fuzzed ID registers, the first STE of the table,
 * the first CD it points at, the stage-1 and stage-2 page tables they
 * describe (pt_walk over the whole input range, pt_translate of a few
 * addresses, a nested IPA read) and the event and command rings.  The walks
 * stop as --timeout stops them once the image's read budget is spent
 * (fz_mem.h says why that hides no defect).
 */
#include "fz_mem.h"
#include "queues.h"
#include "smmu_fields.h"

static void sink_report(void *ctx, enum sd_problem_kind kind, int level, bool has_addr,
			uint64_t addr, const char *msg)
{
	unsigned *n = ctx;

	(void)kind, (void)level, (void)has_addr, (void)addr;
	/* Touch every byte, so that a bad message is seen here. */
	*n += (unsigned)strlen(msg);
}

static enum sd_status count_leaf(void *arg, uint64_t va, uint64_t oa, uint64_t size,
				 struct pt_perm perm)
{
	uint64_t *n = arg;

	(void)va, (void)oa, (void)perm;
	if (!size)
		abort();	/* a leaf of no size is a walker bug */
	(*n)++;
	return SD_OK;
}

/* --timeout's hook: raised by fz_mem_read when the read budget is spent. */
static bool budget_spent(void *arg)
{
	(void)arg;
	return sd_timed_out;
}

static void tables(const struct sd_mem *mem, const struct pt_cfg *cfg,
		   const struct sd_problem_sink *sink)
{
	uint64_t leaves = 0, hi = cfg->ias >= 64 ? UINT64_MAX : (1ULL << cfg->ias) - 1;
	const uint64_t probes[] = { 0, 0x1000, hi >> 1, hi };
	struct sd_error err = { 0 };
	enum sd_status st;

	st = pt_walk_stoppable(mem, cfg, 0, hi, count_leaf, budget_spent, &leaves, sink);
	if (st != SD_OK && !(st == SD_ERR_TIMEOUT && sd_timed_out))
		abort();	/* count_leaf never fails; only the budget stops the walk */
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		uint64_t oa;
		struct pt_perm perm;

		if (pt_translate(mem, cfg, probes[i], &oa, &perm, sink, &err) != SD_OK && !err.msg[0])
			abort();	/* a failure without a message */
		err.msg[0] = 0;
	}
}

static void one_cd(const struct sd_mem *mem, const struct ste *ste, const struct smmu_caps *caps,
		   const struct sd_problem_sink *sink, const struct pt_cfg *s2)
{
	uint64_t dw[8];
	struct cd cd;
	struct pt_cfg s1;
	struct sd_error err = { 0 };

	if (mem->read(mem->ctx, ste->s1_context_ptr, dw, sizeof(dw), &err) != SD_OK)
		return;
	for (int k = 0; k < 8; k++)
		dw[k] = le64toh(dw[k]);
	cd_decode(&cd, dw);
	cd_check(&cd, caps, sink);
	if (!pt_cfg_s1(&s1, &cd, caps, sink))
		return;
	if (s2) {
		/* Nested: the stage-1 tables are read through stage 2. */
		struct ipa_mem_ctx ictx = { mem, s2, sink };
		struct sd_mem imem = { ipa_mem_read, &ictx };

		tables(&imem, &s1, sink);
	} else {
		tables(mem, &s1, sink);
	}
}

static void queues(const struct sd_mem *mem, const struct fz_smmu_in *h,
		   const struct sd_problem_sink *sink)
{
	struct sd_queue_regs q;

	if (h->flags & FZ_HAVE_EVTQ) {
		struct sd_event *ev = NULL;
		size_t n = 0;

		q = (struct sd_queue_regs){ h->evtq_base, h->evtq_prod, h->evtq_cons };
		if (evtq_read(mem, &q, &ev, &n, sink) == SD_OK)
			for (size_t i = 0; i < n; i++)
				(void)evt_name(ev[i].id);
		free(ev);
	}
	if (h->flags & FZ_HAVE_CMDQ) {
		struct sd_command *c = NULL;
		size_t n = 0;

		q = (struct sd_queue_regs){ h->cmdq_base, h->cmdq_prod, h->cmdq_cons };
		if (cmdq_read(mem, &q, &c, &n, sink) == SD_OK)
			for (size_t i = 0; i < n; i++)
				if (strnlen(c[i].operands, sizeof(c[i].operands)) == sizeof(c[i].operands))
					abort();	/* operands not terminated */
		free(c);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	struct fz_smmu_in h;
	struct fz_mem m;
	struct sd_mem mem = { fz_mem_read, &m };
	unsigned msgs = 0;
	struct sd_problem_sink sink = { sink_report, &msgs };
	struct smmu_caps caps;
	struct strtab_cfg st;
	struct sd_error err = { 0 };
	uint64_t dw[8];
	struct ste ste;
	struct pt_cfg s2;
	bool have_s2 = false;

	fz_smmu_header(&in, &h);
	fz_mem_init(&m, &in, &h);
	smmu_caps_from_idr(&caps, h.flags & FZ_HAVE_IDR0, h.idr0, h.flags & FZ_HAVE_IDR1, h.idr1,
			   h.flags & FZ_HAVE_IDR5, h.idr5);
	strtab_cfg_decode(&st, h.strtab_base, h.strtab_cfg, &caps, &sink);
	queues(&mem, &h, &sink);

	/* The first STE of the table, else the first 64 bytes of the image. */
	if (mem.read(mem.ctx, st.addr, dw, sizeof(dw), &err) != SD_OK &&
	    mem.read(mem.ctx, h.mem_base, dw, sizeof(dw), &err) != SD_OK)
		return 0;
	for (int k = 0; k < 8; k++)
		dw[k] = le64toh(dw[k]);
	ste_decode(&ste, dw);
	(void)ste_config_name(ste.config);
	if (ste_check(&ste, &caps, &sink))
		return 0;	/* an SMMU would not use it */
	(void)ste_s1cdmax(&ste, &caps);
	(void)ste_s1fmt(&ste, &caps);
	if (ste_config_has_s2(ste.config) && pt_cfg_s2(&s2, &ste, &caps, &sink)) {
		have_s2 = true;
		tables(&mem, &s2, &sink);
	}
	if (ste_config_has_s1(ste.config))
		one_cd(&mem, &ste, &caps, &sink, have_s2 ? &s2 : NULL);
	return 0;
}
