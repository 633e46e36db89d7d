// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the live register capture (src/live.c) on a fake root
 * directory built in a temporary directory:
 *   - ROOT/sys/firmware/acpi/tables/IORT: an ITS group node and two SMMUv3
 *     nodes (one generic, one Cavium CN99xx with page-1 registers in page 0);
 *   - ROOT/proc/device-tree: an SMMUv3 at the root (2+2 cells), one behind a
 *     bus with ranges (1+1 cells, translated), a disabled one, another device;
 *   - ROOT/dev/mem: a sparse regular file with register values at the MMIO
 *     offsets, so that the whole capture (mapping, widths, page 1) runs;
 *   - ROOT/sys/bus/platform/devices/NAME/driver and ROOT/proc/iomem for the
 *     "a driver owns the SMMU" refusal, DT and ACPI style.
 * Prints "ok NAME" / "not ok NAME - reason" lines; exits 0 unless it could
 * not run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "kernel.h"
#include "live.h"
#include "match.h"
#include "smmu_fields.h"

static int failures, passes;

static void check(bool cond, const char *name, const char *fmt, ...)
{
	if (cond) {
		printf("ok %s\n", name);
		passes++;
	} else {
		va_list ap;

		printf("not ok %s - ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		putchar('\n');
		failures++;
	}
}

static char tmp[256];

static void mkdirs(const char *rel)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	for (char *s = p + strlen(tmp) + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0755);
			*s = '/';
		}
	mkdir(p, 0755);
}

static void put(const char *rel, const void *buf, size_t len)
{
	char p[1024];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	f = fopen(p, "w");
	if (!f || fwrite(buf, 1, len, f) != len) {
		fprintf(stderr, "test_live: %s: %s\n", p, strerror(errno));
		exit(2);
	}
	fclose(f);
}

static void put_cells(const char *rel, const uint32_t *cells, size_t n)
{
	unsigned char b[64];

	for (size_t i = 0; i < n; i++) {
		b[4 * i] = cells[i] >> 24;
		b[4 * i + 1] = cells[i] >> 16;
		b[4 * i + 2] = cells[i] >> 8;
		b[4 * i + 3] = cells[i];
	}
	put(rel, b, 4 * n);
}

static void put_str(const char *rel, const char *s, size_t len)
{
	put(rel, s, len);
}

static void symlink_rel(const char *target, const char *rel)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	if (symlink(target, p)) {
		fprintf(stderr, "test_live: symlink %s: %s\n", p, strerror(errno));
		exit(2);
	}
}

static void le32(unsigned char *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = v >> (8 * i); }
static void le64(unsigned char *p, uint64_t v) { le32(p, v); le32(p + 4, v >> 32); }

/* An IORT with an ITS group, an SMMUv3 at @b1 and a CN99xx SMMUv3 at @b2. */
static size_t make_iort(unsigned char *t, uint64_t b1, uint64_t b2)
{
	size_t off = 48;

	memset(t, 0, 512);
	memcpy(t, "IORT", 4);
	le32(t + 36, 3);	/* nodes */
	le32(t + 40, 48);	/* offset of the first */
	/* ITS group, type 0, 24 bytes (one ITS) */
	t[off] = 0; le32(t + off + 1, 24); t[off + 3] = 0;
	t[off + 1] = 24; t[off + 2] = 0;
	le32(t + off + 16, 1);
	off += 24;
	/* SMMUv3, type 4, 68 bytes */
	t[off] = 4; t[off + 1] = 68; t[off + 2] = 0; t[off + 3] = 4;
	le64(t + off + 16, b1);
	le32(t + off + 36, 0);	/* model: generic */
	off += 68;
	t[off] = 4; t[off + 1] = 68; t[off + 2] = 0; t[off + 3] = 4;
	le64(t + off + 16, b2);
	le32(t + off + 36, 2);	/* model: Cavium CN99xx */
	off += 68;
	le32(t + 4, off);
	return off;
}

static void write_reg(int fd, uint64_t addr, uint64_t v, int width)
{
	unsigned char b[8];

	le64(b, v);
	if (pwrite(fd, b, width / 8, addr) != width / 8) {
		perror("test_live: pwrite");
		exit(2);
	}
}

static bool find_base(const struct sd_live_smmu *v, size_t n, uint64_t base, const struct sd_live_smmu **out)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].base == base) {
			*out = &v[i];
			return true;
		}
	return false;
}

static void test_iort(void)
{
	unsigned char t[512];
	size_t len = make_iort(t, 0x2b400000, 0x402a0000000ull);
	struct sd_live_smmu *v = NULL;
	size_t n = 0;
	struct sd_error err = {0};
	enum sd_status st = sd_live_parse_iort(t, len, &v, &n, &err);

	check(st == SD_OK && n == 2, "live_iort_two_smmuv3", "status %d n %zu: %s", st, n, err.msg);
	if (st == SD_OK && n == 2) {
		check(v[0].base == 0x2b400000 && !v[0].page0_only, "live_iort_base",
		      "base 0x%" PRIx64 " page0_only %d", v[0].base, v[0].page0_only);
		check(v[1].base == 0x402a0000000ull && v[1].page0_only, "live_iort_cn99xx_page0",
		      "base 0x%" PRIx64 " page0_only %d", v[1].base, v[1].page0_only);
	}
	free(v);
	/* a node running past the table */
	t[48 + 24 + 1] = 200;
	st = sd_live_parse_iort(t, len, &v, &n, &err);
	check(st == SD_ERR_CORRUPT && !v && n == 0, "live_iort_bad_node_length", "status %d", st);
	free(v);
	st = sd_live_parse_iort((const unsigned char *)"DSDT", 4, &v, &n, &err);
	check(st == SD_ERR_CORRUPT, "live_iort_not_iort", "status %d", st);
	free(v);
}

static void make_dt(void)
{
	static const uint32_t two = 2, one = 1, one_b = 1;
	const char smmu[] = "arm,smmu-v3";
	const char other[] = "vendor,thing\0arm,smmu-v3-not";

	mkdirs("proc/device-tree/smmuv3@9050000");
	put_cells("proc/device-tree/#address-cells", &two, 1);
	put_cells("proc/device-tree/#size-cells", &two, 1);
	put_str("proc/device-tree/smmuv3@9050000/compatible", smmu, sizeof(smmu));
	put_cells("proc/device-tree/smmuv3@9050000/reg", (const uint32_t[]){ 0, 0x9050000, 0, 0x20000 }, 4);
	/* a bus with 1+1 cells whose ranges map 0x0.. to 0x8_0000_0000 */
	mkdirs("proc/device-tree/soc/iommu@100000");
	put_str("proc/device-tree/soc/compatible", "simple-bus", 11);
	put_cells("proc/device-tree/soc/#address-cells", &one, 1);
	put_cells("proc/device-tree/soc/#size-cells", &one_b, 1);
	put_cells("proc/device-tree/soc/ranges", (const uint32_t[]){ 0x0, 0x8, 0x0, 0x10000000 }, 4);
	put_str("proc/device-tree/soc/iommu@100000/compatible", "vendor,smmu\0arm,smmu-v3", 24);
	put_cells("proc/device-tree/soc/iommu@100000/reg", (const uint32_t[]){ 0x100000, 0x20000 }, 2);
	/* disabled, and one that only looks alike */
	mkdirs("proc/device-tree/soc/iommu@200000");
	put_str("proc/device-tree/soc/iommu@200000/compatible", smmu, sizeof(smmu));
	put_cells("proc/device-tree/soc/iommu@200000/reg", (const uint32_t[]){ 0x200000, 0x20000 }, 2);
	put_str("proc/device-tree/soc/iommu@200000/status", "disabled", 9);
	mkdirs("proc/device-tree/soc/thing@300000");
	put_str("proc/device-tree/soc/thing@300000/compatible", other, sizeof(other));
	put_cells("proc/device-tree/soc/thing@300000/reg", (const uint32_t[]){ 0x300000, 0x1000 }, 2);
}

static void test_dt(void)
{
	struct sd_live_smmu *v = NULL;
	const struct sd_live_smmu *a = NULL, *b = NULL;
	size_t n = 0;
	struct sd_error err = {0};
	enum sd_status st = sd_live_find(tmp, &v, &n, &err);

	check(st == SD_OK && n == 2, "live_dt_two_enabled_smmuv3", "status %d n %zu: %s", st, n, err.msg);
	check(find_base(v, n, 0x9050000, &a) && a->size == 0x20000 && !strcmp(a->devname, "9050000.smmuv3"),
	      "live_dt_root_node", "%s", a ? a->devname : "missing");
	check(find_base(v, n, 0x800100000ull, &b) && b->size == 0x20000 && !strcmp(b->devname, "800100000.iommu"),
	      "live_dt_ranges_translated", "%s", b ? b->devname : "missing (base not translated?)");
	free(v);
}

/*
 * Registers of the DT SMMU at 0x9050000 in the fake /dev/mem.  The offsets
 * are written here from the specification, not taken from the project's
 * header, so that a wrong offset there fails this test: Arm IHI 0070,
 * chapter 6 (memory map and register overview).  Page 0 holds SMMU_IDR0
 * 0x0, IDR1 0x4, IDR5 0x14, CR0 0x20, CR0ACK 0x24, GBPA 0x44,
 * STRTAB_BASE 0x80 (64-bit), STRTAB_BASE_CFG 0x88, CMDQ_BASE 0x90
 * (64-bit), EVTQ_BASE 0xa0 (64-bit); EVTQ_PROD/CONS and PRIQ_PROD/CONS
 * are at 0xa8/0xac and 0xc8/0xcc of page 1, 64 KiB above page 0 (Linux
 * reads them there, smmu->page1; page 0's copies are not read).
 */
#define B		0x9050000ull
#define SPEC_PAGE1	0x10000ull
static void make_devmem(void)
{
	char p[1024];
	int fd;

	mkdirs("dev");
	snprintf(p, sizeof(p), "%s/dev/mem", tmp);
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, B + 2 * SPEC_PAGE1)) {
		perror("test_live: dev/mem");
		exit(2);
	}
	write_reg(fd, B + 0x0, 0x0d40101a, 32);
	write_reg(fd, B + 0x4, 0x02730010, 32);
	write_reg(fd, B + 0x14, 0x74, 32);
	write_reg(fd, B + 0x20, 0xd, 32);
	write_reg(fd, B + 0x24, 0xd, 32);
	write_reg(fd, B + 0x44, 0x1000, 32);
	/* the word after GBPA must not leak into it */
	write_reg(fd, B + 0x44 + 4, 0xdeadbeef, 32);
	write_reg(fd, B + 0x80, 0x4000000041a80000ull, 64);
	write_reg(fd, B + 0x88, 0x10210, 32);
	write_reg(fd, B + 0x90, 0x4000000042000008ull, 64);
	write_reg(fd, B + 0xa0, 0x4000000043000007ull, 64);
	write_reg(fd, B + SPEC_PAGE1 + 0xa8, 2, 32);
	write_reg(fd, B + SPEC_PAGE1 + 0xac, 2, 32);
	write_reg(fd, B + 0xa8, 0x77, 32);	/* page-0 alias: must not be read */
	write_reg(fd, B + SPEC_PAGE1 + 0xc8, 0x5, 32);
	close(fd);
}

static void test_capture(void)
{
	struct sd_regs *r = NULL;
	size_t n = 0;
	struct sd_error err = {0};
	enum sd_status st;
	char p[1024];

	/* only the DT SMMU at 0x9050000 is backed by the fake /dev/mem: drop the other */
	put_str("proc/device-tree/soc/iommu@100000/status", "fail", 5);
	st = sd_live_capture_at(tmp, &r, &n, &err);
	check(st == SD_OK && n == 1, "live_capture_reads", "status %d n %zu: %s", st, n, err.msg);
	if (st == SD_OK && n == 1) {
		check(!strcmp(r[0].name, "smmu3.0x0000000009050000") && r[0].val[SD_REG_BASE] == B,
		      "live_capture_name_base", "%s", r[0].name);
		check(r[0].val[SD_REG_STRTAB_BASE] == 0x4000000041a80000ull &&
		      r[0].val[SD_REG_STRTAB_BASE_CFG] == 0x10210, "live_capture_strtab_64bit",
		      "0x%" PRIx64 " 0x%" PRIx64, r[0].val[SD_REG_STRTAB_BASE], r[0].val[SD_REG_STRTAB_BASE_CFG]);
		check(r[0].val[SD_REG_GBPA] == 0x1000 && r[0].val[SD_REG_IDR0] == 0x0d40101a,
		      "live_capture_32bit_width", "GBPA 0x%" PRIx64, r[0].val[SD_REG_GBPA]);
		check(r[0].val[SD_REG_EVTQ_PROD] == 2 && r[0].val[SD_REG_EVTQ_CONS] == 2 &&
		      r[0].val[SD_REG_PRIQ_PROD] == 5, "live_capture_page1",
		      "EVTQ_PROD 0x%" PRIx64, r[0].val[SD_REG_EVTQ_PROD]);
		check(r[0].have[SD_REG_AIDR] && r[0].have[SD_REG_IRQ_CTRL] && r[0].have[SD_REG_CR0ACK] &&
		      r[0].have[SD_REG_PRIQ_BASE] && r[0].have[SD_REG_CMDQ_CONS], "live_capture_all_registers", "missing");
		check(!strcmp(sd_live_dma_state(&r[0]), "translated"), "live_dma_state_translated", "%s",
		      sd_live_dma_state(&r[0]));
	}
	free(r);
	r = NULL;

	/* DT style: NAME.smmuv3 bound to arm-smmu-v3 */
	mkdirs("sys/bus/platform/drivers/arm-smmu-v3");
	mkdirs("sys/bus/platform/devices/9050000.smmuv3");
	symlink_rel("../../../bus/platform/drivers/arm-smmu-v3", "sys/bus/platform/devices/9050000.smmuv3/driver");
	st = sd_live_capture_at(tmp, &r, &n, &err);
	check(st == SD_ERR_USAGE && strstr(err.msg, "arm-smmu-v3") && strstr(err.msg, "initcall_blacklist=arm_smmu_driver_init"),
	      "live_refuses_driver_bound_dt", "status %d: %s", st, err.msg);
	free(r);
	r = NULL;
	snprintf(p, sizeof(p), "%s/sys/bus/platform/devices/9050000.smmuv3/driver", tmp);
	unlink(p);

	/* ACPI style: the name comes from /proc/iomem */
	mkdirs("sys/bus/platform/devices/arm-smmu-v3.0.auto");
	symlink_rel("../../../bus/platform/drivers/arm-smmu-v3", "sys/bus/platform/devices/arm-smmu-v3.0.auto/driver");
	{
		static const char iomem[] = "09000000-09000fff : pl011@9000000\n"
			"09050000-0906ffff : arm-smmu-v3.0.auto\n  09050000-0906ffff : arm-smmu-v3.0.auto\n";

		put_str("proc/iomem", iomem, strlen(iomem));
	}
	st = sd_live_capture_at(tmp, &r, &n, &err);
	check(st == SD_ERR_USAGE && strstr(err.msg, "owned"), "live_refuses_driver_bound_iomem",
	      "status %d: %s", st, err.msg);
	free(r);
	r = NULL;
	snprintf(p, sizeof(p), "%s/sys/bus/platform/devices/arm-smmu-v3.0.auto/driver", tmp);
	unlink(p);

	/* no /dev/mem */
	snprintf(p, sizeof(p), "%s/dev/mem", tmp);
	unlink(p);
	st = sd_live_capture_at(tmp, &r, &n, &err);
	check(st == SD_ERR_IO && strstr(err.msg, "CONFIG_DEVMEM"), "live_no_devmem", "status %d: %s", st, err.msg);
	free(r);
}

static void test_verdicts(void)
{
	struct sd_regs r = {0}, k = {0};
	struct sd_smmu s = {0};
	uint64_t crashed;
	const char *from, *v;

	r.have[SD_REG_CR0] = true;
	check(sd_live_dma_state(&r) == NULL, "live_dma_state_gbpa_unknown", "not NULL");
	r.have[SD_REG_GBPA] = true;
	r.val[SD_REG_GBPA] = GBPA_ABORT;
	check(!strcmp(sd_live_dma_state(&r), "aborted"), "live_dma_state_aborted", "%s", sd_live_dma_state(&r));
	r.val[SD_REG_GBPA] = 0;
	check(!strcmp(sd_live_dma_state(&r), "bypassed"), "live_dma_state_bypassed", "%s", sd_live_dma_state(&r));
	r.have[SD_REG_CR0] = false;
	check(sd_live_dma_state(&r) == NULL, "live_dma_state_no_cr0", "not NULL");

	s.source = SD_SRC_OPTIONS;
	s.regs.have[SD_REG_STRTAB_BASE] = true;
	s.regs.val[SD_REG_STRTAB_BASE] = 0x4000000041a80000ull;
	check(sd_live_strtab_verdict(&s, &crashed, &from) == NULL, "live_verdict_not_live", "not NULL");
	s.source = SD_SRC_LIVE;
	v = sd_live_strtab_verdict(&s, &crashed, &from);
	check(v && !strcmp(v, "unknown"), "live_verdict_unknown", "%s", v ? v : "NULL");
	k.have[SD_REG_STRTAB_BASE] = true;
	k.val[SD_REG_STRTAB_BASE] = 0x41a80000ull;	/* RA not set: addresses compared */
	s.crashed = &k;
	v = sd_live_strtab_verdict(&s, &crashed, &from);
	check(v && !strcmp(v, "crashed-kernel") && !strcmp(from, "--regs"), "live_verdict_same_table", "%s",
	      v ? v : "NULL");
	k.val[SD_REG_STRTAB_BASE] = 0x4000000050000000ull;
	v = sd_live_strtab_verdict(&s, &crashed, &from);
	check(v && !strcmp(v, "replaced") && crashed == 0x4000000050000000ull, "live_verdict_replaced", "%s",
	      v ? v : "NULL");
}

static void set_reg(struct sd_regs *r, enum sd_reg reg, uint64_t v)
{
	r->val[reg] = v;
	r->have[reg] = true;
}

/* The one SMMU matcher (src/analysis/match.c), for --regs against a live
 * capture and for snapshots against the crashed kernel's SMMUs. */
static void test_match(void)
{
	struct sd_regs v[2], r;
	struct sd_ksmmu ks[2];
	struct sd_kernel_result k = { .smmus = ks, .nsmmus = 2 };

	memset(v, 0, sizeof(v));
	memset(&r, 0, sizeof(r));
	snprintf(v[0].name, sizeof(v[0].name), "smmu0");
	snprintf(v[1].name, sizeof(v[1].name), "smmu1");
	set_reg(&v[0], SD_REG_BASE, 0x9050000);
	set_reg(&v[1], SD_REG_BASE, 0x9060000);
	set_reg(&v[1], SD_REG_STRTAB_BASE, 0x4000000041a80000ull);
	set_reg(&r, SD_REG_BASE, 0x9060000);
	check(sd_regs_match(v, 2, &r) == &v[1], "match_same_base", "wrong snapshot");
	memset(&r, 0, sizeof(r));
	/* RA differs, the address is the same */
	set_reg(&r, SD_REG_STRTAB_BASE, 0x41a80000ull);
	check(sd_regs_match(v, 2, &r) == &v[1], "match_same_strtab", "wrong snapshot");
	memset(&r, 0, sizeof(r));
	snprintf(r.name, sizeof(r.name), "smmu1");
	check(sd_regs_match(v, 2, &r) == &v[1], "match_same_name", "wrong snapshot");
	snprintf(r.name, sizeof(r.name), "other");
	check(sd_regs_match(v, 2, &r) == NULL, "match_none_of_two", "matched");
	check(sd_regs_match(v, 1, &r) == &v[0], "match_the_only_one", "not matched");
	/* The only candidate, but another MMIO base: another SMMU. */
	set_reg(&r, SD_REG_BASE, 0x9070000);
	check(sd_regs_match(v, 1, &r) == NULL, "match_not_another_base", "matched");

	memset(ks, 0, sizeof(ks));
	ks[0].regs = v[0];
	ks[1].regs = v[1];
	memset(&r, 0, sizeof(r));
	set_reg(&r, SD_REG_STRTAB_BASE, 0x4000000041a80000ull);
	check(sd_kernel_match(&k, &r) == &ks[1], "match_kernel_strtab", "wrong kernel SMMU");

	/* The queue merge: every queue the kernel kept, PRI queue included,
	 * unless the snapshot holds that queue's BASE. */
	ks[1].priq = (struct sd_kqueue){ .valid = true, .q_base = 0x4000000044000006ull,
					 .prod = 3, .cons = 1 };
	ks[1].evtq = (struct sd_kqueue){ .valid = true, .q_base = 0x4000000043000007ull,
					 .prod = 2, .cons = 2 };
	set_reg(&r, SD_REG_EVTQ_BASE, 0x4000000045000007ull);
	sd_regs_add_kernel_queues(&r, &ks[1]);
	check(r.have[SD_REG_PRIQ_BASE] && r.val[SD_REG_PRIQ_BASE] == 0x4000000044000006ull &&
	      r.val[SD_REG_PRIQ_PROD] == 3 && r.val[SD_REG_PRIQ_CONS] == 1, "merge_kernel_priq",
	      "PRIQ_BASE %d 0x%" PRIx64, r.have[SD_REG_PRIQ_BASE], r.val[SD_REG_PRIQ_BASE]);
	check(r.val[SD_REG_EVTQ_BASE] == 0x4000000045000007ull && !r.have[SD_REG_EVTQ_PROD],
	      "merge_keeps_given_queue", "EVTQ_BASE 0x%" PRIx64, r.val[SD_REG_EVTQ_BASE]);
	check(!r.have[SD_REG_CMDQ_BASE], "merge_skips_invalid_queue", "CMDQ_BASE set");
	check(r.have[SD_REG_BASE] && r.val[SD_REG_BASE] == 0x9060000, "merge_mmio_base",
	      "base 0x%" PRIx64, r.val[SD_REG_BASE]);
}

int main(void)
{
	unsigned char t[512];
	size_t len;
	char cmd[300];

	snprintf(tmp, sizeof(tmp), "%s/test_live.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp)) {
		perror("test_live: mkdtemp");
		return 2;
	}
	test_iort();
	test_verdicts();
	test_match();
	make_dt();
	test_dt();
	make_devmem();
	test_capture();

	/* An IORT wins over the device tree */
	mkdirs("sys/firmware/acpi/tables");
	len = make_iort(t, 0x2b400000, 0x402a0000000ull);
	put("sys/firmware/acpi/tables/IORT", t, len);
	{
		struct sd_live_smmu *v = NULL;
		size_t n = 0;
		struct sd_error err = {0};
		enum sd_status st = sd_live_find(tmp, &v, &n, &err);

		check(st == SD_OK && n == 2 && v[0].base == 0x2b400000 && strstr(v[0].from, "IORT"),
		      "live_iort_before_dt", "status %d n %zu: %s", st, n, err.msg);
		free(v);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "test_live: could not remove %s\n", tmp);
	fprintf(stderr, "test_live: %d passed, %d failed\n", passes, failures);
	return 0;
}
