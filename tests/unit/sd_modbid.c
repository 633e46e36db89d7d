// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper (not a unit test: tests/run does not run it by itself): the
 * module build-id reader of src/kernel/kmodule.c on a dump.
 *
 *   sd_modbid DUMP VMLINUX MODULE...
 *
 * Opens DUMP, takes the types and the `modules` symbol from VMLINUX's
 * DWARF (checked against the dump's BUILD-ID, KASLR applied) as the tool
 * does before it looks for arm-smmu-v3's module debug file, and prints one
 * line per MODULE: "MODULE BUILD-ID", or "MODULE - why" (on stderr too).
 * Exit status: 0 every module's build-id was read, 2 some was not, 3 the
 * dump or VMLINUX could not be used.
 */
#include <stdio.h>

#include "dump.h"
#include "kmem.h"
#include "ktypes.h"

int main(int argc, char **argv)
{
	struct sd_dump *dump = NULL;
	struct sd_kmem km;
	struct sd_ktypes kt = { 0 };
	struct sd_error e = { 0 };
	uint64_t kaslr = 0, head;
	int rc = 3;

	if (argc < 4) {
		fprintf(stderr, "usage: sd_modbid DUMP VMLINUX MODULE...\n");
		return 3;
	}
	if (sd_dump_open(argv[1], &dump, NULL, &e)) {
		fprintf(stderr, "%s: %s\n", argv[1], e.msg);
		return 3;
	}
	sd_kmem_init(&km, dump);
	sd_vmcoreinfo_u64(dump, "KERNELOFFSET", true, &kaslr);
	if (sd_dwarf_open(argv[2], sd_dump_vmcoreinfo(dump, "BUILD-ID"), kaslr, &kt, &e) ||
	    sd_kt_symbol(&kt, "modules", &head, &e)) {
		fprintf(stderr, "%s: %s\n", argv[2], e.msg);
		goto out;
	}
	rc = 0;
	for (int i = 3; i < argc; i++) {
		char hex[129];

		if (sd_kmodule_build_id(&km, &kt, head, argv[i], hex, sizeof(hex), &e) == SD_OK) {
			printf("%s %s\n", argv[i], hex);
		} else {
			printf("%s - %s\n", argv[i], e.msg);
			fprintf(stderr, "%s: %s\n", argv[i], e.msg);
			rc = 2;
		}
	}
out:
	sd_kt_close(&kt);
	sd_dump_close(dump);
	return rc;
}
