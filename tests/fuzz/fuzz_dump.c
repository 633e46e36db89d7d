// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the dump headers (ELF, diskdump/kdump, flattened,
 * QEMU kdump) through the dump layer's open path (include/sd/dump.h), on
 * the fuzzed bytes as a file.  When the open succeeds it also reads what
 * the tool reads next: the format description, VMCOREINFO keys and a few
 * physical pages (through the decompressors).
 */
#include "adapt.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fz_memfile(0, data, size);
	struct sd_dump *d = NULL;
	struct sd_error err = { 0 };

	if (fz_dump_open(path, &d, &err) != SD_OK) {
		if (!err.msg[0])
			abort();	/* a failure without a message */
		return 0;
	}
	{
		const struct sd_dump_info *info = sd_dump_info(d);
		static const char *const keys[] = { "OSRELEASE", "PAGESIZE", "NUMBER(VA_BITS)",
						    "KERNELOFFSET", "SYMBOL(_stext)" };
		/* Where the synthetic and QEMU dumps keep RAM, and 0. */
		static const uint64_t pas[] = { 0, 0x40000000, 0x40800000, 0x40801000 };
		uint8_t page[4096];

		if (info->format)
			(void)strlen(info->format);
		if (info->osrelease)
			(void)strlen(info->osrelease);
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			const char *v = sd_dump_vmcoreinfo(d, keys[i]);

			if (v)
				(void)strlen(v);
		}
		for (size_t i = 0; i < sizeof(pas) / sizeof(pas[0]); i++) {
			err.msg[0] = 0;
			if (sd_dump_read_phys(d, pas[i], page, sizeof(page), &err) != SD_OK &&
			    !err.msg[0])
				abort();
		}
	}
	fz_dump_close(d);
	return 0;
}
