// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper (not a unit test: tests/run does not run it by itself):
 * src/kernel/textref.c on a real dump.
 *
 *   sd_textref DUMP                 what the finders answer, and the truth
 *                                   the dump itself holds (see below)
 *   sd_textref DUMP refs FUNC...    every reference of each text symbol
 *
 * Prints "key value..." lines for tests/vmcores/real/textref_check.sh:
 *   kerneloffset HEX           VMCOREINFO KERNELOFFSET (KASLR), - if absent
 *   data_symbols N             data symbols in kallsyms (0: no KALLSYMS_ALL)
 *   found NAME HEX via FUNC    a finder's answer (or "found NAME - REASON")
 *   kallsyms NAME HEX          the same global by name in kallsyms, or -
 *   iommu_entry HEX            each node on the list found, then, with the
 *   smmu_pa HEX                vmlinux BTF, the PA of the arm_smmu_device
 *                              around it (what the tool's RAM scan reports
 *                              as "strtab_cfg signature at PA")
 *   crashk_res_range HEX HEX   start and end of the resource found
 *   textref_ms MS              time of the three finders together
 *   textref_misses N           dump pages they read (not in the page cache)
 * Exit status: 0 (the script judges), 3 when the dump cannot be opened.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dump.h"
#include "kallsyms.h"
#include "kmem.h"
#include "ktypes.h"
#include "textref.h"

typedef enum sd_status (*finder_fn)(struct sd_kmem *, const struct sd_kallsyms *,
				    uint64_t *, const char **, struct sd_error *);

static const struct {
	const char *name;
	finder_fn fn;
} finders[] = {
	{ "iommu_device_list", sd_textref_iommu_device_list },
	{ "crashk_res", sd_textref_crashk_res },
	{ "arm_smmu_driver", sd_textref_arm_smmu_driver },
};
#define NFINDERS (sizeof(finders) / sizeof(finders[0]))
/* the SMMUv3 struct, not the SMMUv2 one of the same name (as kernel.c) */
#define SMMU_T "struct arm_smmu_device:strtab_cfg,sid_bits"

static int print_refs(struct sd_kmem *km, struct sd_kallsyms *ks, char **names, int n)
{
	struct sd_insn_ref *refs;
	struct sd_error e = { 0 };
	size_t i, nr;
	int k;

	for (k = 0; k < n; k++) {
		if (sd_textref_refs(km, ks, names[k], &refs, &nr, &e)) {
			printf("%s - %s\n", names[k], e.msg);
			continue;
		}
		for (i = 0; i < nr; i++)
			printf("%s +0x%x 0x%" PRIx64 " %s %u\n", names[k], refs[i].off,
			       refs[i].addr, sd_ref_kind_name(refs[i].kind), refs[i].size);
		free(refs);
	}
	return 0;
}

/* The arm_smmu_device around each node of the list, by the vmlinux BTF. */
static void print_smmus(struct sd_kmem *km, struct sd_kallsyms *ks, uint64_t head)
{
	struct sd_ktypes kt = { 0 };
	struct sd_error e = { 0 };
	uint64_t cur = head, next, off_iommu, pa;
	unsigned i;

	if (sd_btf_from_dump(km, ks, &kt, &e) ||
	    sd_kt_offset(&kt, SMMU_T, "iommu", &off_iommu, &e)) {
		printf("# no arm_smmu_device layout: %s\n", e.msg);
		off_iommu = UINT64_MAX;
	}
	for (i = 0; i < 64 && sd_kmem_u64(km, cur, &next, &e) == SD_OK && next != head; i++) {
		printf("iommu_entry 0x%" PRIx64 "\n", next);
		if (off_iommu != UINT64_MAX &&
		    sd_kmem_va_to_pa(km, next - off_iommu, &pa))
			printf("smmu_pa 0x%" PRIx64 "\n", pa);
		cur = next;
	}
	sd_kt_close(&kt);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

int main(int argc, char **argv)
{
	struct sd_dump *dump = NULL;
	struct sd_kmem km;
	struct sd_kallsyms *ks = NULL;
	struct sd_error e = { 0 };
	uint64_t st, end, koff, found[NFINDERS] = { 0 }, s, en;
	const char *via[NFINDERS] = { 0 };
	char why[NFINDERS][SD_ERROR_MSG_MAX];
	struct timespec t0;
	struct sd_dump_stats st0, st1;
	size_t i;
	int rc = 3;

	if (argc < 2 || (argc > 2 && (strcmp(argv[2], "refs") || argc < 4))) {
		fprintf(stderr, "usage: sd_textref DUMP [refs FUNC...]\n");
		return 3;
	}
	if (sd_dump_open(argv[1], &dump, NULL, &e)) {
		fprintf(stderr, "%s: %s\n", argv[1], e.msg);
		return 3;
	}
	sd_kmem_init(&km, dump);
	if (sd_kallsyms_from_dump(&km, &ks, &e)) {
		fprintf(stderr, "kallsyms: %s\n", e.msg);
		goto out;
	}
	if (sd_kallsyms_lookup(ks, "_end", &end, NULL) &&
	    sd_kallsyms_lookup(ks, "_text", &st, NULL))
		sd_kmem_set_image(&km, st & ~0xffffull, end);
	rc = 0;
	if (argc > 2) {
		rc = print_refs(&km, ks, argv + 3, argc - 3);
		goto out;
	}
	if (sd_vmcoreinfo_u64(dump, "KERNELOFFSET", true, &koff))
		printf("kerneloffset 0x%" PRIx64 "\n", koff);
	else
		printf("kerneloffset -\n");
	printf("data_symbols %zu\n", sd_kallsyms_data_count(ks));

	sd_dump_stats(dump, &st0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < NFINDERS; i++) {
		struct sd_error fe = { 0 };

		why[i][0] = 0;
		if (finders[i].fn(&km, ks, &found[i], &via[i], &fe)) {
			found[i] = 0;
			snprintf(why[i], sizeof(why[i]), "%s", fe.msg);
		}
	}
	printf("textref_ms %.3f\n", ms_since(&t0));
	sd_dump_stats(dump, &st1);
	/* pages the lookups brought in from the dump: their cost, whatever the load */
	printf("textref_misses %" PRIu64 "\n", st1.misses - st0.misses);

	for (i = 0; i < NFINDERS; i++) {
		uint64_t a;

		if (found[i])
			printf("found %s 0x%" PRIx64 " via %s\n", finders[i].name, found[i], via[i]);
		else
			printf("found %s - %s\n", finders[i].name, why[i]);
		if (sd_kallsyms_lookup(ks, finders[i].name, &a, NULL))
			printf("kallsyms %s 0x%" PRIx64 "\n", finders[i].name, a);
		else
			printf("kallsyms %s -\n", finders[i].name);
	}
	if (found[0])
		print_smmus(&km, ks, found[0]);
	if (found[1] && sd_textref_resource_ok(&km, found[1], "Crash kernel", &s, &en))
		printf("crashk_res_range 0x%" PRIx64 " 0x%" PRIx64 "\n", s, en);
out:
	sd_kallsyms_free(ks);
	sd_dump_close(dump);
	return rc;
}
