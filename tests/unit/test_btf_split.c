// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of module (split) BTF in src/btf.c: builds, with libbpf's
 * btf__add_* API, a tiny base BTF (standing in for vmlinux's: int,
 * struct list_head, struct device) and a split BTF on top of it (standing
 * in for arm_smmu_v3.ko's: struct arm_smmu_device using the base types),
 * serialises both, and checks that member offsets of the split struct and
 * of base types reached through it resolve via sd_btf_open_split().
 * The btf_modules walk itself is checked on the real dumps
 * (tests/vmcores/real/modbtf_check.py, on modules the guests load: Debian
 * builds arm-smmu-v3 in).
 * Prints "ok NAME" / "not ok NAME - reason" lines; exits 0.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "ktypes.h"

static int fails;

static void ok(bool cond, const char *name, const char *why)
{
	if (cond)
		printf("ok %s\n", name);
	else
		printf("not ok %s - %s\n", name, why), fails++;
}

/*
 * A corrupt BTF (fuzz_btf): struct loop's 64 anonymous members are struct
 * loop itself.  Looking up a member it lacks searched 64^17 members; now it
 * stops after a bounded number, not found.  SIGALRM kills the test if not.
 */
static void self_nested(void)
{
	struct btf *b = btf__new_empty();
	struct sd_ktypes kt;
	struct sd_error e = { 0 };
	struct sd_kmember m;
	const void *raw;
	void *copy;
	__u32 len;
	int t = btf__add_struct(b, "loop", 8), i, added = 0;

	for (i = 0; i < 64; i++)
		added += btf__add_field(b, NULL, t, 0, 0) == 0;
	ok(t > 0 && added == 64, "build self-nested", "btf__add_* failed");
	raw = btf__raw_data(b, &len);
	copy = malloc(len);
	memcpy(copy, raw, len);
	ok(sd_btf_open_raw(copy, len, &kt, &e) == SD_OK, "open self-nested", e.msg);
	alarm(20);
	ok(sd_kt_member(&kt, "struct loop", "missing", &m, &e) == SD_ERR_NOTFOUND,
	   "self-nested member lookup ends", e.msg);
	alarm(0);
	sd_kt_close(&kt);
	btf__free(b);
	free(copy);
}

int main(void)
{
	struct btf *base = btf__new_empty(), *split;
	int t_int, t_u64, t_lh, t_lhp, t_dev, t_devp, t_smmu;
	const void *raw;
	__u32 base_len, split_len;
	void *base_copy;
	struct sd_ktypes kbase, kt, kbad;
	struct sd_error e = { 0 };
	uint64_t off = 0, size = 0;
	struct sd_kmember m;

	/* base: int, u64, struct list_head {next, prev}, struct device */
	t_int = btf__add_int(base, "int", 4, BTF_INT_SIGNED);
	t_u64 = btf__add_int(base, "long long unsigned int", 8, 0);
	/* Fields go to the type added last, so the self-pointers are typed
	 * as a forward-declared struct list_head. */
	t_lhp = btf__add_ptr(base, btf__add_fwd(base, "list_head", BTF_FWD_STRUCT));
	t_lh = btf__add_struct(base, "list_head", 16);
	ok(btf__add_field(base, "next", t_lhp, 0, 0) == 0 &&
	   btf__add_field(base, "prev", t_lhp, 64, 0) == 0, "build base", "add_field failed");
	t_dev = btf__add_struct(base, "device", 24);
	btf__add_field(base, "kobj_name", t_u64, 0, 0);
	btf__add_field(base, "node", t_lh, 64, 0);
	raw = btf__raw_data(base, &base_len);
	base_copy = malloc(base_len);
	memcpy(base_copy, raw, base_len);

	/* split: struct arm_smmu_device {dev*, features:u32, sid_bits,
	 * bitfield, iommu (a base list_head embedded at byte 48)} */
	split = btf__new_empty_split(base);
	t_devp = btf__add_ptr(split, t_dev);
	t_smmu = btf__add_struct(split, "arm_smmu_device", 64);
	btf__add_field(split, "dev", t_devp, 0, 0);
	btf__add_field(split, "features", t_int, 64, 0);
	btf__add_field(split, "sid_bits", t_int, 96, 0);
	btf__add_field(split, "strtab_cfg", t_u64, 128, 0);
	btf__add_field(split, "flag", t_int, 320, 3);	/* bitfield, 3 bits at 320 */
	btf__add_field(split, "iommu", t_lh, 384, 0);
	ok(t_int > 0 && t_smmu > t_lh && t_devp > 0, "build", "btf__add_* failed");
	raw = btf__raw_data(split, &split_len);

	ok(sd_btf_open_raw(base_copy, base_len, &kbase, &e) == SD_OK, "open base", e.msg);
	ok(!sd_kt_has(&kbase, "struct arm_smmu_device", "sid_bits"), "base lacks smmu",
	   "base BTF already has struct arm_smmu_device");

	/* A DWARF-less, non-BTF base is refused and left alone. */
	memset(&kbad, 0, sizeof(kbad));
	ok(sd_btf_open_split(raw, split_len, &kbad, &kt, &e) == SD_ERR_UNSUPPORTED,
	   "refuse non-BTF base", "accepted");

	memset(&e, 0, sizeof(e));
	ok(sd_btf_open_split(raw, split_len, &kbase, &kt, &e) == SD_OK, "open split", e.msg);
	ok(kbase.ops == NULL, "base taken over", "base still set");
	ok(sd_kt_offset(&kt, "struct arm_smmu_device:strtab_cfg,sid_bits", "sid_bits", &off,
			&e) == SD_OK && off == 12, "split member offset", "sid_bits not at 12");
	ok(sd_kt_offset(&kt, "struct arm_smmu_device", "iommu.prev", &off, &e) == SD_OK &&
	   off == 56, "split -> base member path", "iommu.prev not at 56");
	ok(sd_kt_member(&kt, "struct arm_smmu_device", "flag", &m, &e) == SD_OK &&
	   m.bit_offset == 320 && m.bit_size == 3, "split bitfield", "flag wrong");
	ok(sd_kt_offset(&kt, "struct device", "node.next", &off, &e) == SD_OK && off == 8,
	   "base type through split", "device.node.next not at 8");
	ok(sd_kt_size(&kt, "struct arm_smmu_device", &size, &e) == SD_OK && size == 64,
	   "split type size", "size not 64");
	ok(strstr(kt.desc, "split BTF") != NULL, "desc", kt.desc);

	/* A truncated blob is refused and the base stays with the caller. */
	memset(&e, 0, sizeof(e));
	ok(sd_btf_open_raw(base_copy, base_len, &kbase, &e) == SD_OK, "reopen base", e.msg);
	ok(sd_btf_open_split(raw, 20, &kbase, &kbad, &e) != SD_OK && kbase.ops != NULL,
	   "refuse truncated split", "accepted or base lost");
	sd_kt_close(&kbase);

	sd_kt_close(&kt);
	btf__free(split);
	btf__free(base);
	free(base_copy);
	self_nested();
	return fails ? 1 : 0;
}
