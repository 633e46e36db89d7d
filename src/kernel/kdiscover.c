// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Finding the crashed kernel's struct arm_smmu_device instances
 * (kernel-structures.md, section 1).
 *
 *   1. iommu_device_list (static in drivers/iommu/iommu.c), linked through
 *      struct iommu_device.list; container_of(iommu, struct
 *      arm_smmu_device, iommu); kept when smmu->dev->driver->name is
 *      "arm-smmu-v3".  Its address: the symbol (DWARF, or kallsyms with
 *      CONFIG_KALLSYMS_ALL), else the code of a text symbol that takes it
 *      (textref.h: iommu_device_register...; kernel.c), and then every
 *      entry must also pass smmu_confirmed() (drvdata points back).
 *      Cost: the list and the structs, whatever the size of RAM.
 *   2. When neither leads to an SMMU: scan the RAM the dump holds for
 *      struct arm_smmu_device by the signature of its stream-table
 *      configuration (see scan_match()), each candidate checked by
 *      smmu_confirmed(); then check_strtab() cross-checks the L1
 *      descriptors.  Cost: all of RAM (seconds per GiB).
 * Each SMMU says which way found it (sd_ksmmu.found_by).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel-priv.h"
#include "smmu_fields.h"

static enum sd_status add_smmu(struct kctx *kc, uint64_t smmu, const char *how,
			       const char *found_by, struct sd_error *err)
{
	struct sd_kernel_result *r = kc->res;
	struct sd_ksmmu *ns, s;
	struct sd_error e = { 0 };
	enum sd_status st;

	for (size_t i = 0; i < r->nsmmus; i++)
		if (r->smmus[i].smmu_addr == smmu)
			return SD_OK;
	if (r->nsmmus >= MAX_SMMUS)
		return sd_error_set(err, SD_ERR_CORRUPT, "more than %d SMMUv3 instances; "
				    "arm_smmu_device 0x%" PRIx64 " not read", MAX_SMMUS, smmu);
	if ((st = read_smmu(kc, smmu, how, &s, err)))
		return st;
	snprintf(s.found_by, sizeof(s.found_by), "%s", found_by);
	if (read_streams(kc, smmu, &s, &e) != SD_OK)
		kdiag(kc, "%s: devices not named: %s", s.regs.name, e.msg);
	ns = realloc(r->smmus, (r->nsmmus + 1) * sizeof(*ns));
	if (!ns) {
		free(s.devs);
		return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
	}
	r->smmus = ns;
	r->smmus[r->nsmmus++] = s;
	return SD_OK;
}

/*
 * Is the struct arm_smmu_device at @va a bound arm-smmu-v3 instance?
 * sid_bits <= 32, smmu->dev a kernel VA bound to the driver named
 * "arm-smmu-v3", and dev_get_drvdata(smmu->dev) == @va (the probe's
 * platform_set_drvdata(pdev, smmu), arm-smmu-v3.c).  false, with the reason
 * in @e when a read failed, when not.
 */
static bool smmu_confirmed(struct kctx *kc, uint64_t va, struct sd_error *e)
{
	uint64_t sid_bits, dev, dd, drvdata_off;
	char drv[32];

	if (moff(kc, "struct device", "driver_data", &drvdata_off, e) ||
	    rd_member(kc, va, SMMU_T, "sid_bits", &sid_bits, e) ||
	    rd_ptr(kc, va, SMMU_T, "dev", &dev, e) ||
	    (dev && sd_kmem_u64(&kc->km, dev + drvdata_off, &dd, e)) ||
	    (dev && dev_driver(kc, dev, drv, sizeof(drv), e)))
		return false;
	return sid_bits <= 32 && dev && dd == va && !strcmp(drv, "arm-smmu-v3");
}

enum sd_status walk_iommu_list(struct kctx *kc, uint64_t head, const char *via,
			       struct sd_error *err)
{
	uint64_t list_off, iommu_off;
	char found_by[sizeof(((struct sd_ksmmu *)0)->found_by)];
	struct sd_klist l;
	enum sd_status st;

	if ((st = moff(kc, "struct iommu_device", "list", &list_off, err)) ||
	    (st = moff(kc, SMMU_T, "iommu", &iommu_off, err)))
		return st;
	snprintf(found_by, sizeof(found_by), "%s%s", via ? "text-reference:" : "symbol",
		 via ? via : "");
	st = sd_klist_start(&kc->km, &l, "iommu_device_list", head, MAX_IOMMU_DEVICES, err);
	for (; st == SD_OK && sd_klist_more(&l); st = sd_klist_next(&kc->km, &l, err)) {
		uint64_t iommu = l.pos - list_off, smmu = iommu - iommu_off;
		struct sd_error e = { 0 };
		enum sd_status ast;
		char how[128];

		/* A list reached from text: each entry proves itself (another
		 * IOMMU driver's entry is skipped, as below). */
		if (via && !smmu_confirmed(kc, smmu, &e))
			continue;
		snprintf(how, sizeof(how), "on iommu_device_list (entry %" PRIu64 "%s%s)", l.n,
			 via ? ", list reached through a text reference from " : "", via ? via : "");
		ast = add_smmu(kc, smmu, how, found_by, &e);
		if (ast == SD_ERR_NOMEM)
			return sd_error_set(err, ast, "%s", e.msg);
		/* SD_ERR_NOTFOUND: another IOMMU driver's instance, skipped. */
		if (ast && ast != SD_ERR_NOTFOUND)
			kdiag(kc, "iommu_device 0x%" PRIx64 ": %s", iommu, e.msg);
	}
	return st;
}

/*
 * Without iommu_device_list: find struct arm_smmu_device in RAM.
 *
 * Signature (all offsets from the type source), checked at every 8-byte
 * position of RAM taken as the address of the struct:
 *   <= 6.11: strtab_cfg.strtab_base == STRTAB_BASE image of
 *            strtab_cfg.strtab_dma (ADDR | RA), strtab_dma != 0 and
 *            64-byte aligned (nothing outside ADDR);
 *   >= 6.12: strtab_cfg.l2.l1tab == linear-map VA of strtab_cfg.l2.l1_dma
 *            (2-level) or strtab_cfg.linear.table == VA of ste_dma
 *            (dma_alloc_coherent of a coherent SMMU returns linear-map
 *            memory), dma page aligned.
 * Then smmu_confirmed().
 *
 * Where: every run of physical memory the dump holds (sd_dump_next_range():
 * the PT_LOADs of an ELF dump, the present pages of a kdump file), every
 * bank, wherever it starts: a server's second bank may sit hundreds of GiB
 * above the first, and filtered pages are holes that cost nothing.
 */
struct scan_layout {
	bool old;
	uint64_t size;
	uint64_t a, b;		/* offsets compared (see above) */
	uint64_t a2, b2;	/* linear arm for >= 6.12 */
};

#define SCAN_CHUNK	(1u << 20)
/* Progress on a terminal: at most one line update per this much RAM. */
#define SCAN_PROGRESS_STEP	(64ull << 20)
/* dma_alloc_coherent() memory is page aligned; 4 KiB is the smallest page. */
#define DMA_PAGE_MASK	0xfffull

static bool lm_match(const struct kctx *kc, uint64_t va, uint64_t dma)
{
	uint64_t lm;

	return va && dma && !(dma & DMA_PAGE_MASK) && sd_kmem_pa_to_lm(&kc->km, dma, &lm) &&
	       lm == va;
}

static bool scan_match(const struct kctx *kc, const struct scan_layout *L, const uint8_t *p)
{
	uint64_t x, y;

	memcpy(&x, p + L->a, 8);
	memcpy(&y, p + L->b, 8);
	if (L->old)
		return y && !(y & ~STRTAB_BASE_ADDR_MASK) &&
		       x == ((y & STRTAB_BASE_ADDR_MASK) | STRTAB_BASE_RA);
	if (lm_match(kc, x, y))
		return true;
	memcpy(&x, p + L->a2, 8);
	memcpy(&y, p + L->b2, 8);
	return lm_match(kc, x, y);
}

static enum sd_status scan_layout(struct kctx *kc, struct scan_layout *L, struct sd_error *err)
{
	enum sd_status st;

	memset(L, 0, sizeof(*L));
	if ((st = sd_kt_size(&kc->kt, SMMU_T, &L->size, err)))
		return st;
	if (sd_kt_has(&kc->kt, SMMU_T, "strtab_cfg.strtab_base")) {
		L->old = true;
		if ((st = moff(kc, SMMU_T, "strtab_cfg.strtab_base", &L->a, err)) ||
		    (st = moff(kc, SMMU_T, "strtab_cfg.strtab_dma", &L->b, err)))
			return st;
	} else {
		if ((st = moff(kc, SMMU_T, "strtab_cfg.l2.l1tab", &L->a, err)) ||
		    (st = moff(kc, SMMU_T, "strtab_cfg.l2.l1_dma", &L->b, err)) ||
		    (st = moff(kc, SMMU_T, "strtab_cfg.linear.table", &L->a2, err)) ||
		    (st = moff(kc, SMMU_T, "strtab_cfg.linear.ste_dma", &L->b2, err)))
			return st;
	}
	if (L->size > SCAN_CHUNK / 2)
		return sd_error_set(err, SD_ERR_UNSUPPORTED, "struct arm_smmu_device is %" PRIu64
				    " bytes", L->size);
	return SD_OK;
}

/* One chunk of RAM at @pa, @len bytes in @buf, of which the structs that
 * start in the first @starts bytes are tried (the rest is the overlap
 * with the next chunk). */
static void scan_chunk(struct kctx *kc, const struct scan_layout *L, uint64_t pa,
		       const uint8_t *buf, size_t len, size_t starts, unsigned *cands,
		       unsigned *found)
{
	for (size_t o = 0; o < starts && o + L->size <= len; o += 8) {
		uint64_t va;
		char how[200];
		struct sd_error e = { 0 };

		if (!scan_match(kc, L, buf + o))
			continue;
		(*cands)++;
		/* A false match (any 8-byte pattern may look like one) that
		 * fails the checks is not worth a note. */
		if (!sd_kmem_pa_to_lm(&kc->km, pa + o, &va) || !smmu_confirmed(kc, va, &e))
			continue;
		snprintf(how, sizeof(how),
			 "found by a RAM scan (strtab_cfg signature at PA 0x%" PRIx64
			 ", drvdata and driver confirmed: high confidence)", pa + o);
		if (add_smmu(kc, va, how, "ram-scan", &e) == SD_OK)
			(*found)++;
		else
			kdiag(kc, "candidate arm_smmu_device at PA 0x%" PRIx64 ": %s", pa + o, e.msg);
	}
}

/* The progress line on standard error, when that is a terminal. */
struct scan_progress {
	bool on;
	uint64_t total, done, shown;
};

static void progress_start(struct kctx *kc, struct scan_progress *p)
{
	uint64_t pa, s, e;

	memset(p, 0, sizeof(*p));
	p->on = isatty(STDERR_FILENO);
	for (pa = 0; p->on && sd_dump_next_range(kc->dump, pa, &s, &e); pa = e)
		p->total += e - s;
}

static void progress_add(struct scan_progress *p, uint64_t n, bool last)
{
	p->done += n;
	if (!p->on || (!last && p->done - p->shown < SCAN_PROGRESS_STEP))
		return;
	p->shown = p->done;
	fprintf(stderr, "\rsmmu-strtab-dump: scanning RAM for SMMUs: %" PRIu64 " of %" PRIu64
		" MiB", p->done >> 20, p->total >> 20);
	if (last)
		fputs("\r\033[K", stderr);	/* erase it: the scan is over */
	fflush(stderr);
}

/* One run [@start, @end) of held memory, chunk by chunk; false when
 * --timeout stopped it. */
static bool scan_run(struct kctx *kc, const struct scan_layout *L, uint8_t *buf,
		     uint64_t start, uint64_t end, struct scan_progress *prog,
		     unsigned *cands, unsigned *found)
{
	/* structs are 8-byte aligned (kmalloc) */
	for (uint64_t pa = (start + 7) & ~7ull; pa < end; pa += SCAN_CHUNK) {
		size_t starts = end - pa < SCAN_CHUNK ? (size_t)(end - pa) : SCAN_CHUNK;
		size_t len = end - pa < SCAN_CHUNK + L->size ? (size_t)(end - pa)
							      : SCAN_CHUNK + (size_t)L->size;
		struct sd_error e = { 0 };
		enum sd_status st;

		if (sd_timed_out) {
			/* --timeout: stop with what was found so far. */
			kdiag(kc, "--timeout expired: RAM scan stopped at PA 0x%" PRIx64, pa);
			return false;
		}
		progress_add(prog, starts, false);
		if ((st = sd_dump_read_phys(kc->dump, pa, buf, len, &e)) != SD_OK) {
			/* a page in the run the file lacks (truncated, or an
			 * I/O error): say so and go on with the next chunk */
			if (st != SD_ERR_NODATA)
				kdiag(kc, "RAM scan: chunk at PA 0x%" PRIx64 " skipped: %s",
				      pa, e.msg);
			continue;
		}
		scan_chunk(kc, L, pa, buf, len, starts, cands, found);
	}
	return true;
}

enum sd_status scan_for_smmus(struct kctx *kc, struct sd_error *err)
{
	struct scan_layout L;
	struct scan_progress prog;
	uint64_t pa, s, e, held = 0;
	unsigned cands = 0, found = 0, runs = 0;
	uint8_t *buf;
	enum sd_status st;

	if (!kc->km.have_phys_offset || !kc->km.va_bits)
		return sd_error_set(err, SD_ERR_NOTFOUND,
				    "cannot scan RAM: VMCOREINFO lacks PHYS_OFFSET or VA_BITS");
	if ((st = scan_layout(kc, &L, err)))
		return st;
	buf = malloc(SCAN_CHUNK + L.size);
	if (!buf)
		return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
	progress_start(kc, &prog);
	for (pa = 0; sd_dump_next_range(kc->dump, pa, &s, &e); pa = e) {
		runs++;
		held += e - s;
		if (!scan_run(kc, &L, buf, s, e, &prog, &cands, &found))
			break;
	}
	progress_add(&prog, 0, true);
	free(buf);
	kdiag(kc, "RAM scan of %" PRIu64 " MiB in %u run(s) the dump holds: %u strtab_cfg "
	      "signature(s), %u SMMU(s) confirmed", held >> 20, runs, cands, found);
	return SD_OK;
}
