// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Data addresses that kernel text refers to (textref.h).
 */
#include "textref.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sd_cleanup.h"

/* kallsyms types of code: t/T, and w/W for weak functions
 * (scripts/kallsyms.c keeps nm's letters). */
static bool is_text_type(char t)
{
	return t == 't' || t == 'T' || t == 'w' || t == 'W';
}

/* Where the code of the symbol at @addr ends: the next higher symbol
 * address, at most SD_TEXTREF_MAX_BYTES on.  kallsyms is sorted by address
 * in the kernel, but nothing here depends on it: one pass over all. */
static uint64_t code_end(const struct sd_kallsyms *ks, uint64_t addr)
{
	uint64_t end = addr + SD_TEXTREF_MAX_BYTES, a;
	size_t i, n = sd_kallsyms_count(ks);

	for (i = 0; i < n; i++) {
		a = sd_kallsyms_addr(ks, i);
		if (a > addr && a < end)
			end = a;
	}
	return end;
}

enum sd_status sd_textref_refs(struct sd_kmem *km, const struct sd_kallsyms *ks,
			       const char *name, struct sd_insn_ref **refs,
			       size_t *n, struct sd_error *err)
{
	sd_autofree uint8_t *code = NULL;
	sd_autofree struct sd_insn_ref *out = NULL;
	uint64_t addr, len;
	size_t ninsn, found;
	enum sd_status st;
	char type;

	*refs = NULL;
	*n = 0;
	if (!sd_kallsyms_lookup(ks, name, &addr, &type) || !is_text_type(type))
		return sd_error_set(err, SD_ERR_NOTFOUND, "%s: no such text symbol in kallsyms",
				    name);
	len = code_end(ks, addr) - addr;
	ninsn = len / SD_INSN_SIZE;
	code = malloc(ninsn * SD_INSN_SIZE);
	if (!code)
		return sd_error_set(err, SD_ERR_NOMEM, "%s: code buffer", name);
	st = sd_kmem_read(km, addr, code, ninsn * SD_INSN_SIZE, err);
	if (st)
		return sd_error_prefix(err, "%s at 0x%" PRIx64, name, addr);
	/* a bounded first pass counts, the second fills */
	found = sd_insn_track(code, ninsn, addr, NULL, 0);
	if (!found)
		return SD_OK;
	out = calloc(found, sizeof(*out));
	if (!out)
		return sd_error_set(err, SD_ERR_NOMEM, "%s: %zu references", name, found);
	sd_insn_track(code, ninsn, addr, out, found);
	*refs = sd_steal_ptr(&out);
	*n = found;
	return SD_OK;
}

static bool seen(const uint64_t *v, size_t n, uint64_t a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == a)
			return true;
	return false;
}

/* The distinct valid candidates of one function: 0, 1 or more. */
static size_t valid_in(struct sd_kmem *km, const struct sd_insn_ref *refs, size_t n,
		       sd_textref_valid_fn valid, void *ctx, uint64_t *first)
{
	sd_autofree uint64_t *tried = calloc(n ? n : 1, sizeof(*tried));
	size_t i, ntried = 0, nvalid = 0;

	if (!tried)
		return 0;
	for (i = 0; i < n; i++) {
		uint64_t a = refs[i].addr;

		if (seen(tried, ntried, a))
			continue;
		tried[ntried++] = a;
		if (!sd_kmem_is_kva(km, a) || !valid(km, a, ctx))
			continue;
		if (!nvalid++)
			*first = a;
	}
	return nvalid;
}

enum sd_status sd_textref_find(struct sd_kmem *km, const struct sd_kallsyms *ks,
			       const char *const *funcs, sd_textref_valid_fn valid,
			       void *ctx, uint64_t *addr, const char **via,
			       struct sd_error *err)
{
	char tried[SD_ERROR_MSG_MAX] = "";
	size_t used = 0;

	for (; *funcs; funcs++) {
		sd_autofree struct sd_insn_ref *refs = NULL;
		struct sd_error e = { 0 };
		const char *why;
		uint64_t a = 0;
		size_t n, nvalid = 0;

		if (sd_textref_refs(km, ks, *funcs, &refs, &n, &e) == SD_OK) {
			nvalid = valid_in(km, refs, n, valid, ctx, &a);
			if (nvalid == 1) {
				*addr = a;
				if (via)
					*via = *funcs;
				return SD_OK;
			}
		}
		why = e.status == SD_ERR_NOTFOUND ? "absent" : e.status ? "unreadable" :
		      nvalid ? "ambiguous" : "no valid reference";
		if (used < sizeof(tried))
			used += snprintf(tried + used, sizeof(tried) - used, "%s%s (%s)",
					 used ? ", " : "", *funcs, why);
	}
	return sd_error_set(err, SD_ERR_NOTFOUND, "no text symbol leads to it: %s", tried);
}

bool sd_textref_list_ok(struct sd_kmem *km, uint64_t head, unsigned max,
			unsigned *entries)
{
	/* include/linux/list.h: struct list_head { next; prev; } */
	const uint64_t prev_off = sizeof(uint64_t);
	struct sd_error e = { 0 };
	uint64_t cur = head, next, back;
	unsigned i;

	for (i = 0; i <= max; i++) {
		if (sd_kmem_u64(km, cur, &next, &e) || !sd_kmem_is_kva(km, next) ||
		    sd_kmem_u64(km, next + prev_off, &back, &e) || back != cur)
			return false;
		if (next == head) {
			if (entries)
				*entries = i;
			return true;
		}
		cur = next;
	}
	return false;
}

bool sd_textref_resource_ok(struct sd_kmem *km, uint64_t res, const char *name,
			    uint64_t *start, uint64_t *end)
{
	/* include/linux/ioport.h: struct resource { resource_size_t start,
	 * end; const char *name; ... } -- resource_size_t is phys_addr_t,
	 * 64-bit on arm64 */
	enum { RES_START = 0, RES_END = 8, RES_NAME = 16 };
	struct sd_error e = { 0 };
	uint64_t s, en, np;
	char buf[64];

	if (sd_kmem_u64(km, res + RES_START, &s, &e) ||
	    sd_kmem_u64(km, res + RES_END, &en, &e) ||
	    sd_kmem_u64(km, res + RES_NAME, &np, &e) || !sd_kmem_is_kva(km, np) ||
	    sd_kmem_string(km, np, buf, sizeof(buf), &e) || strcmp(buf, name) || s > en)
		return false;
	if (start)
		*start = s;
	if (end)
		*end = en;
	return true;
}

bool sd_textref_platform_driver_ok(struct sd_kmem *km, uint64_t drv,
				   const char *name, unsigned *name_off)
{
	struct sd_error e = { 0 };
	uint64_t p;
	char buf[64];
	unsigned i;

	for (i = 0; i < SD_TEXTREF_PDRV_SLOTS; i++) {
		unsigned off = i * (unsigned)sizeof(uint64_t);

		if (sd_kmem_u64(km, drv + off, &p, &e) || !sd_kmem_is_kva(km, p) ||
		    sd_kmem_string(km, p, buf, sizeof(buf), &e) || strcmp(buf, name))
			continue;
		if (name_off)
			*name_off = off;
		return true;
	}
	return false;
}

/* --- the globals --- */

/* More entries than any machine has IOMMUs: a list longer is no list. */
#define IOMMU_LIST_MAX	4096u

static bool valid_iommu_list(struct sd_kmem *km, uint64_t a, void *ctx)
{
	(void)ctx;
	return sd_textref_list_ok(km, a, IOMMU_LIST_MAX, NULL);
}

enum sd_status sd_textref_iommu_device_list(struct sd_kmem *km,
					    const struct sd_kallsyms *ks,
					    uint64_t *addr, const char **via,
					    struct sd_error *err)
{
	/* drivers/iommu/iommu.c: iommu_device_register() does
	 * list_add_tail(&iommu->list, &iommu_device_list) (all versions
	 * with the list); iommu_ops_from_fwnode() walks it (to 6.12) */
	static const char *const funcs[] = {
		"iommu_device_register", "iommu_ops_from_fwnode",
		"iommu_device_unregister", NULL,
	};

	return sd_textref_find(km, ks, funcs, valid_iommu_list, NULL, addr, via, err);
}

static bool valid_crashk(struct sd_kmem *km, uint64_t a, void *ctx)
{
	(void)ctx;
	return sd_textref_resource_ok(km, a, "Crash kernel", NULL, NULL);
}

enum sd_status sd_textref_crashk_res(struct sd_kmem *km, const struct sd_kallsyms *ks,
				     uint64_t *addr, const char **via,
				     struct sd_error *err)
{
	/* kernel/kexec_core.c sanity_check_segment_list() bounds a crash
	 * image by crashk_res alone; kexec_file.c kexec_locate_mem_hole()
	 * walks crashk_res alone; crash_shrink_memory() and
	 * crash_get_memory_size() use crashk_low_res as well since 6.4
	 * (then ambiguous, and skipped) */
	static const char *const funcs[] = {
		"sanity_check_segment_list", "kexec_locate_mem_hole",
		"crash_shrink_memory", "crash_get_memory_size", NULL,
	};

	return sd_textref_find(km, ks, funcs, valid_crashk, NULL, addr, via, err);
}

static bool valid_smmu_driver(struct sd_kmem *km, uint64_t a, void *ctx)
{
	(void)ctx;
	return sd_textref_platform_driver_ok(km, a, "arm-smmu-v3", NULL);
}

enum sd_status sd_textref_arm_smmu_driver(struct sd_kmem *km,
					  const struct sd_kallsyms *ks,
					  uint64_t *addr, const char **via,
					  struct sd_error *err)
{
	/* module_platform_driver(arm_smmu_driver) generates
	 * arm_smmu_driver_init() / _exit(); init text is freed after boot
	 * (arm64 free_initmem() poisons it), so these only work while the
	 * memory still holds the code */
	static const char *const funcs[] = {
		"arm_smmu_driver_init", "arm_smmu_driver_exit", NULL,
	};

	return sd_textref_find(km, ks, funcs, valid_smmu_driver, NULL, addr, via, err);
}
