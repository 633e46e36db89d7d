// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: BTF blobs as the kernel layer takes them from a dump
 * (src/kernel/ktypes.h): the header check, a vmlinux blob alone
 * (sd_btf_open_raw), and a module's split blob on top of a base
 * (sd_btf_open_split), each followed by the lookups the kernel walker
 * makes.  Input: a 4-byte little-endian length L; the first L bytes after
 * it are the base (vmlinux) blob and the rest the split blob; with no
 * split part, only the base is parsed.
 */
#include "fuzz.h"
#include "ktypes.h"

static void lookups(const struct sd_ktypes *kt)
{
	static const char *const q[][2] = {
		{ "struct arm_smmu_device", "strtab_cfg.l2.l1_dma" },
		{ "struct arm_smmu_device", "sid_bits" },
		{ "arm_smmu_device", "iommu.list" },
		{ "struct list_head", "next" },
		{ "device", "node.prev" },
		{ "struct btf", "data_size" },
	};
	struct sd_error err = { 0 };

	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		uint64_t v;
		struct sd_kmember mb;

		if (sd_kt_size(kt, q[i][0], &v, &err) != SD_OK && !err.msg[0])
			abort();
		err.msg[0] = 0;
		if (sd_kt_member(kt, q[i][0], q[i][1], &mb, &err) != SD_OK && !err.msg[0])
			abort();
		err.msg[0] = 0;
		(void)sd_kt_offset(kt, q[i][0], q[i][1], &v, &err);
		(void)sd_kt_has(kt, q[i][0], q[i][1]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	size_t blen = (size_t)fz_take(&in, 4);
	struct sd_ktypes base, kt;
	struct sd_error err = { 0 };
	void *b, *s;
	size_t slen;

	if (blen > in.n)
		blen = in.n;
	slen = in.n - blen;
	/* Exact-size copies, so that ASan sees a read past either blob. */
	b = fz_strndup(in.p, blen);
	s = fz_strndup(in.p + blen, slen);
	(void)sd_btf_header_ok(b, blen);
	if (sd_btf_open_raw(b, blen, &base, &err) != SD_OK) {
		if (!err.msg[0])
			abort();
		goto out;
	}
	lookups(&base);
	if (slen) {
		if (sd_btf_open_split(s, slen, &base, &kt, &err) == SD_OK) {
			lookups(&kt);
			sd_kt_close(&kt);
		} else if (!err.msg[0]) {
			abort();
		}
	}
	sd_kt_close(&base);
out:
	free(b);
	free(s);
	return 0;
}
