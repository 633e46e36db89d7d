// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Finding the crashed kernel's struct arm_smmu_device instances
 * (kernel-structures.md, section 1).
 *
 *   1. iommu_device_list (static in drivers/iommu/iommu.c), linked through
 *      struct iommu_device.list; container_of(iommu, struct
 *      arm_smmu_device, iommu); kept when smmu->dev->driver->name is
 *      "arm-smmu-v3".
 *   2. Without that symbol (kallsyms without CONFIG_KALLSYMS_ALL, no
 *      DWARF): scan RAM for struct arm_smmu_device by the signature of its
 *      stream-table configuration (see scan_match()), each candidate
 *      checked against the type layout: dev_get_drvdata(smmu->dev) ==
 *      smmu, driver "arm-smmu-v3", sane sid_bits; then check_strtab()
 *      cross-checks the L1 descriptors.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel-priv.h"
#include "smmu_fields.h"

static enum sd_status add_smmu(struct kctx *kc, uint64_t smmu, const char *how,
			       struct sd_error *err)
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

enum sd_status walk_iommu_list(struct kctx *kc, uint64_t head, struct sd_error *err)
{
	uint64_t list_off, iommu_off;
	struct sd_klist l;
	enum sd_status st;

	if ((st = moff(kc, "struct iommu_device", "list", &list_off, err)) ||
	    (st = moff(kc, SMMU_T, "iommu", &iommu_off, err)))
		return st;
	st = sd_klist_start(&kc->km, &l, "iommu_device_list", head, MAX_IOMMU_DEVICES, err);
	for (; st == SD_OK && sd_klist_more(&l); st = sd_klist_next(&kc->km, &l, err)) {
		uint64_t iommu = l.pos - list_off, smmu = iommu - iommu_off;
		struct sd_error e = { 0 };
		enum sd_status ast;
		char how[96];

		snprintf(how, sizeof(how), "on iommu_device_list (entry %" PRIu64 ")", l.n);
		ast = add_smmu(kc, smmu, how, &e);
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
 * Then: sid_bits <= 32, dev a kernel VA, dev->driver->name "arm-smmu-v3",
 * dev_get_drvdata(dev) == this struct (the probe's platform_set_drvdata).
 */
struct scan_layout {
	bool old;
	uint64_t size;
	uint64_t a, b;		/* offsets compared (see above) */
	uint64_t a2, b2;	/* linear arm for >= 6.12 */
	uint64_t drvdata_off;	/* struct device.driver_data */
};

#define SCAN_CHUNK	(1u << 20)
#define SCAN_MAX	(1ull << 40)	/* at most 1 TiB of RAM */
#define SCAN_PAST_DATA	(1ull << 30)	/* stop 1 GiB past the last RAM seen */
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
	if ((st = sd_kt_size(&kc->kt, SMMU_T, &L->size, err)) ||
	    (st = moff(kc, "struct device", "driver_data", &L->drvdata_off, err)))
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

/* A signature match at linear-map VA @va: is it a bound arm-smmu-v3
 * instance?  false, with the reason in @e, when not. */
static bool scan_confirm(struct kctx *kc, const struct scan_layout *L, uint64_t va,
			 struct sd_error *e)
{
	uint64_t sid_bits, dev, dd;
	char drv[32];

	if (rd_member(kc, va, SMMU_T, "sid_bits", &sid_bits, e) ||
	    rd_ptr(kc, va, SMMU_T, "dev", &dev, e) ||
	    (dev && sd_kmem_u64(&kc->km, dev + L->drvdata_off, &dd, e)) ||
	    (dev && dev_driver(kc, dev, drv, sizeof(drv), e)))
		return false;
	return sid_bits <= 32 && dev && dd == va && !strcmp(drv, "arm-smmu-v3");
}

/* One chunk of RAM at @pa, @len bytes in @buf. */
static void scan_chunk(struct kctx *kc, const struct scan_layout *L, uint64_t pa,
		       const uint8_t *buf, size_t len, unsigned *cands, unsigned *found)
{
	for (size_t o = 0; o + L->size <= len; o += 8) {
		uint64_t va;
		char how[200];
		struct sd_error e = { 0 };

		if (!scan_match(kc, L, buf + o))
			continue;
		(*cands)++;
		/* A false match (any 8-byte pattern may look like one) that
		 * fails the checks is not worth a note. */
		if (!sd_kmem_pa_to_lm(&kc->km, pa + o, &va) || !scan_confirm(kc, L, va, &e))
			continue;
		snprintf(how, sizeof(how),
			 "found by a RAM scan (strtab_cfg signature at PA 0x%" PRIx64
			 ", drvdata and driver confirmed: high confidence)", pa + o);
		if (add_smmu(kc, va, how, &e) == SD_OK)
			(*found)++;
		else
			kdiag(kc, "candidate arm_smmu_device at PA 0x%" PRIx64 ": %s", pa + o, e.msg);
	}
}

enum sd_status scan_for_smmus(struct kctx *kc, struct sd_error *err)
{
	struct scan_layout L;
	uint64_t pa, last_data, start = kc->km.phys_offset;
	uint8_t *buf;
	unsigned cands = 0, found = 0;
	enum sd_status st;

	if (!kc->km.have_phys_offset || !kc->km.va_bits)
		return sd_error_set(err, SD_ERR_NOTFOUND,
				    "cannot scan RAM: VMCOREINFO lacks PHYS_OFFSET or VA_BITS");
	if ((st = scan_layout(kc, &L, err)))
		return st;
	buf = malloc(SCAN_CHUNK + L.size);
	if (!buf)
		return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
	last_data = start;
	/* RAM from PHYS_OFFSET until SCAN_PAST_DATA past the last present
	 * chunk: holes (SD_ERR_NODATA) are skipped. */
	for (pa = start; pa < start + SCAN_MAX && pa < last_data + SCAN_PAST_DATA; pa += SCAN_CHUNK) {
		size_t len = SCAN_CHUNK + (size_t)L.size;
		struct sd_error e = { 0 };

		if (sd_timed_out) {
			/* --timeout: stop with what was found so far. */
			kdiag(kc, "--timeout expired: RAM scan stopped at PA 0x%" PRIx64, pa);
			break;
		}
		if (sd_dump_read_phys(kc->dump, pa, buf, len, &e) != SD_OK) {
			/* The overlap may run into a hole: try the chunk alone. */
			len = SCAN_CHUNK;
			memset(&e, 0, sizeof(e));
			if ((st = sd_dump_read_phys(kc->dump, pa, buf, len, &e)) != SD_OK) {
				if (st != SD_ERR_NODATA)
					kdiag(kc, "RAM scan: chunk at PA 0x%" PRIx64 " skipped: %s",
					      pa, e.msg);
				continue;
			}
		}
		last_data = pa;
		scan_chunk(kc, &L, pa, buf, len, &cands, &found);
	}
	free(buf);
	kdiag(kc, "RAM scan: %u strtab_cfg signature(s), %u SMMU(s) confirmed", cands, found);
	return SD_OK;
}
