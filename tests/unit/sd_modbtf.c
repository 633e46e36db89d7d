// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper (not a unit test: tests/run does not run it by itself):
 * the btf_modules walk of src/btf.c on a real dump.
 *
 *   sd_modbtf DUMP MODULE OUT [TYPE MEMBER]...
 *
 * Finds kallsyms and the vmlinux BTF in DUMP the way the tool does, walks
 * btf_modules to MODULE's split BTF, writes the raw blob to OUT (so that
 * tests/vmcores/real/test.sh can compare it with the .BTF section of the
 * module's .ko file), parses that blob on the vmlinux BTF and prints, for each
 * TYPE MEMBER pair, "TYPE MEMBER OFFSET" (bytes) or "TYPE MEMBER -".
 * Exit status: 0 found, 2 the module BTF was not reached (message on
 * stderr), 3 other failure.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "kallsyms.h"
#include "kmem.h"
#include "ktypes.h"

int main(int argc, char **argv)
{
	struct sd_dump *dump = NULL;
	struct sd_kmem km;
	struct sd_kallsyms *ks = NULL;
	struct sd_ktypes kt = { 0 }, split = { 0 };
	struct sd_error e = { 0 };
	uint64_t st, end, addr = 0, off;
	void *blob = NULL;
	size_t len = 0;
	FILE *f;
	int i, rc = 3;

	if (argc < 4 || (argc - 4) % 2) {
		fprintf(stderr, "usage: sd_modbtf DUMP MODULE OUT [TYPE MEMBER]...\n");
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
	if (sd_btf_from_dump(&km, ks, &kt, &e)) {
		fprintf(stderr, "vmlinux BTF: %s\n", e.msg);
		goto out;
	}
	if (sd_btf_module_blob(&km, ks, &kt, argv[2], &blob, &len, &addr, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		rc = 2;
		goto out;
	}
	f = fopen(argv[3], "wb");
	if (!f || fwrite(blob, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "%s: cannot write\n", argv[3]);
		goto out;
	}
	printf("blob %zu bytes at 0x%" PRIx64 "\n", len, addr);
	/* the blob just read, parsed on the vmlinux BTF (kt is taken over) */
	if (sd_btf_open_split(blob, len, &kt, &split, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		goto out;
	}
	printf("types %s\n", split.desc);
	for (i = 4; i + 1 < argc; i += 2) {
		if (sd_kt_offset(&split, argv[i], argv[i + 1], &off, NULL) == SD_OK)
			printf("%s %s %" PRIu64 "\n", argv[i], argv[i + 1], off);
		else
			printf("%s %s -\n", argv[i], argv[i + 1]);
	}
	rc = 0;
out:
	free(blob);
	sd_kt_close(&split);
	sd_kt_close(&kt);
	sd_kallsyms_free(ks);
	sd_dump_close(dump);
	return rc;
}
