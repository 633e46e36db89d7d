// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the kdump adoption check (src/analysis/adoption.c): a
 * healthy SMMU is accepted; each check is then broken alone and must be the
 * one that refuses; several broken at once refuse on the first in the
 * series' order and list the others; the ID inventory flags an ASID with two
 * TTB0s; the placement check flags a table in the crash-kernel reservation,
 * in a hole, and missing from the dump.
 *
 * Register values are written from IHI 0070 6.3 (bit positions as literal
 * numbers), not from the project's header.
 */
#include <stdint.h>
#include <string.h>

#include "adoption.h"
#include "tap.h"

/* IHI 0070 6.3.1 IDR0: ST_LVL [28:27] (1 = 2-level), CD2L [19], VMID16
 * [18], ASID16 [12], COHACC [4]; 6.3.2 IDR1: SSIDSIZE [10:6], SIDSIZE
 * [5:0]; 6.3.9 CR0.SMMUEN [0]; 6.3.15 GERROR.SFM_ERR [8]. */
#define T_IDR0_2LVL	(1ULL << 27)
#define T_IDR0_CD2L	(1ULL << 19)
#define T_IDR0_VMID16	(1ULL << 18)
#define T_IDR0_ASID16	(1ULL << 12)
#define T_IDR0_COHACC	(1ULL << 4)
#define T_IDR1(ssid, sid) (((uint64_t)(ssid) << 6) | (sid))
#define T_SFM		(1ULL << 8)

static void healthy_regs(struct sd_regs *r)
{
	memset(r, 0, sizeof(*r));
	r->have[SD_REG_IDR0] = r->have[SD_REG_IDR1] = r->have[SD_REG_CR0] = true;
	r->have[SD_REG_GERROR] = r->have[SD_REG_GERRORN] = true;
	r->val[SD_REG_IDR0] = T_IDR0_2LVL | T_IDR0_CD2L | T_IDR0_VMID16 | T_IDR0_ASID16 | T_IDR0_COHACC;
	r->val[SD_REG_IDR1] = T_IDR1(20, 16);
	r->val[SD_REG_CR0] = 1;
}

/* 2-level, SPLIT 8, LOG2SIZE 16: 256 L1 descriptors (2 KiB), base aligned. */
static void healthy_st(struct strtab_cfg *st)
{
	memset(st, 0, sizeof(*st));
	st->fmt = 1;
	st->split = 8;
	st->log2size = 16;
	st->addr = 0x40100000;
}

static struct ste s1_ste(void)
{
	struct ste s = {0};

	s.v = 1;
	s.config = 5;			/* S1_TRANS */
	s.s1_context_ptr = 0x40200000;	/* one CD: 64 bytes */
	return s;
}

static struct cd good_cd(unsigned asid, uint64_t ttb0)
{
	struct cd c = {0};

	c.v = 1;
	c.asid = asid;
	c.ttb0 = ttb0;
	return c;
}

struct run {
	struct sd_regs r;
	struct strtab_cfg st;
	struct ste ste;
	struct cd cd;
	uint64_t l1desc;
	const struct sd_memmap *map;
	bool no_st;
};

static void run_default(struct run *x)
{
	memset(x, 0, sizeof(*x));
	healthy_regs(&x->r);
	healthy_st(&x->st);
	x->ste = s1_ste();
	x->cd = good_cd(1, 0x40300000);
	/* SPAN 9 = SPLIT + 1; L2 table of 256 STEs (16 KiB) aligned. */
	x->l1desc = 0x40110000ULL | 9;
}

static void go(struct sd_adopt *a, struct run *x)
{
	struct sd_adopt_facts f;

	sd_adopt_facts_from_regs(&f, &x->r);
	sd_adopt_begin(a, &f, x->no_st ? NULL : &x->st, x->map);
	sd_adopt_l1(a, 0, x->l1desc);
	sd_adopt_ste(a, 0x10, &x->ste);
	if (ste_config_has_s1(x->ste.config))
		sd_adopt_cd(a, 0x10, 0, &x->cd);
	sd_adopt_table(a, SD_TABLE_STRTAB, x->st.addr, 0x800, 0);
	sd_adopt_end(a);
}

static void expect_refused(const char *name, struct run *x, enum sd_adopt_check c)
{
	struct sd_adopt a;
	char n[128];

	go(&a, x);
	snprintf(n, sizeof(n), "adoption: %s refuses", name);
	ok(n, a.verdict == SD_ADOPT_REFUSED && a.first_fail == c,
	   "verdict %s, first failure %s (%s), expected %s",
	   sd_adopt_verdict_name(a.verdict), sd_adopt_check_name(a.first_fail),
	   a.c[a.first_fail].detail, sd_adopt_check_name(c));
	snprintf(n, sizeof(n), "adoption: %s names the value", name);
	ok(n, a.c[c].result == SD_CHECK_FAIL && a.c[c].detail[0], "detail '%s'", a.c[c].detail);
	sd_adopt_free(&a);
}

static void test_healthy(void)
{
	struct run x;
	struct sd_adopt a;
	int npass = 0;

	run_default(&x);
	go(&a, &x);
	for (int i = 0; i < SD_ADOPT_CHECK_COUNT; i++)
		npass += a.c[i].result == SD_CHECK_PASS;
	ok("adoption: healthy 2-level table accepted", a.verdict == SD_ADOPT_ACCEPTED,
	   "verdict %s (%s: %s)", sd_adopt_verdict_name(a.verdict),
	   sd_adopt_check_name(a.first_fail), a.c[a.first_fail].detail);
	ok("adoption: every check passes", npass == SD_ADOPT_CHECK_COUNT, "%d of %d", npass, SD_ADOPT_CHECK_COUNT);
	sd_adopt_free(&a);

	/* Without registers nothing can be decided about the SMMU itself. */
	memset(&x.r, 0, sizeof(x.r));
	go(&a, &x);
	ok("adoption: no registers -> unknown", a.verdict == SD_ADOPT_UNKNOWN &&
	   a.c[SD_ADOPT_SMMUEN].result == SD_CHECK_UNKNOWN, "verdict %s", sd_adopt_verdict_name(a.verdict));
	sd_adopt_free(&a);
}

static void test_each_check(void)
{
	struct run x;

	run_default(&x); x.r.val[SD_REG_CR0] = 0;
	expect_refused("SMMUEN 0", &x, SD_ADOPT_SMMUEN);
	run_default(&x); x.r.val[SD_REG_IDR0] &= ~T_IDR0_COHACC;
	expect_refused("non-coherent SMMU", &x, SD_ADOPT_COHERENT);
	run_default(&x); x.r.val[SD_REG_GERROR] = T_SFM;
	expect_refused("SFM_ERR active", &x, SD_ADOPT_NO_SFM);
	run_default(&x); x.st.fmt = 2;
	expect_refused("reserved FMT", &x, SD_ADOPT_FMT);
	run_default(&x); x.r.val[SD_REG_IDR0] &= ~T_IDR0_2LVL;
	expect_refused("2-level without ST_LVL", &x, SD_ADOPT_FMT_SUPPORTED);
	run_default(&x); x.st.split = 6; x.l1desc = 0x40110000ULL | 7;
	expect_refused("SPLIT 6", &x, SD_ADOPT_SPLIT);
	run_default(&x); x.st.log2size = 17;
	expect_refused("LOG2SIZE above SIDSIZE", &x, SD_ADOPT_LOG2SIZE);
	run_default(&x); x.r.val[SD_REG_IDR1] = T_IDR1(20, 32); x.st.log2size = 32; x.st.addr = 0;
	expect_refused("2^24 L1 entries", &x, SD_ADOPT_L1_ENTRIES);
	run_default(&x); x.st.addr = 0x40100400;
	expect_refused("misaligned L1 table", &x, SD_ADOPT_BASE_ALIGN);
	run_default(&x); x.l1desc = 0x40110000ULL | 3;
	expect_refused("L1 SPAN 3", &x, SD_ADOPT_L1_DESC);
	run_default(&x); x.l1desc = 9;
	expect_refused("L1 zero L2 pointer", &x, SD_ADOPT_L1_DESC);
	run_default(&x); x.l1desc = 0x40112000ULL | 9;
	expect_refused("L1 misaligned L2 table", &x, SD_ADOPT_L1_DESC);
	run_default(&x); x.ste.config = 2;
	expect_refused("STE Config 2", &x, SD_ADOPT_STE_CONFIG);
	run_default(&x); x.ste.s1_context_ptr = 0;
	expect_refused("S1ContextPtr 0", &x, SD_ADOPT_S1_CTXPTR);
	run_default(&x); x.r.val[SD_REG_IDR1] = T_IDR1(4, 16); x.ste.s1cdmax = 5;
	expect_refused("S1CDMax above SSIDSIZE", &x, SD_ADOPT_S1_CDMAX);
	run_default(&x); x.r.val[SD_REG_IDR0] &= ~T_IDR0_CD2L; x.ste.s1fmt = 1;
	expect_refused("S1Fmt 1 without CD2L", &x, SD_ADOPT_S1_FMT);
	run_default(&x); x.ste.s1cdmax = 4; x.ste.s1_context_ptr = 0x40200040;
	expect_refused("misaligned CD table", &x, SD_ADOPT_CD_ALIGN);
	run_default(&x); x.cd.asid = 0;
	expect_refused("ASID 0", &x, SD_ADOPT_CD_ASID);
	run_default(&x); x.r.val[SD_REG_IDR0] &= ~T_IDR0_ASID16; x.cd.asid = 0x100;
	expect_refused("ASID 0x100 with 8-bit ASIDs", &x, SD_ADOPT_CD_ASID);
	run_default(&x); x.ste.config = 6; x.ste.s2vmid = 0;
	expect_refused("VMID 0", &x, SD_ADOPT_VMID);
	run_default(&x); x.r.val[SD_REG_IDR0] &= ~T_IDR0_VMID16; x.ste.config = 6; x.ste.s2vmid = 0x1ff;
	expect_refused("VMID 0x1ff with 8-bit VMIDs", &x, SD_ADOPT_VMID);
}

static void test_several(void)
{
	struct run x;
	struct sd_adopt a;

	run_default(&x);
	x.l1desc = 0x40110000ULL | 3;	/* L1 SPAN */
	x.cd.asid = 0;			/* ASID */
	x.r.val[SD_REG_IDR0] &= ~T_IDR0_COHACC;	/* coherent: first */
	go(&a, &x);
	ok("adoption: several failures refuse on the first in order",
	   a.verdict == SD_ADOPT_REFUSED && a.first_fail == SD_ADOPT_COHERENT,
	   "first %s", sd_adopt_check_name(a.first_fail));
	ok("adoption: the others are listed as failing too",
	   a.c[SD_ADOPT_L1_DESC].result == SD_CHECK_FAIL && a.c[SD_ADOPT_CD_ASID].result == SD_CHECK_FAIL,
	   "l1 %s asid %s", sd_check_result_name(a.c[SD_ADOPT_L1_DESC].result),
	   sd_check_result_name(a.c[SD_ADOPT_CD_ASID].result));
	sd_adopt_free(&a);
}

static void test_ids(void)
{
	struct run x;
	struct sd_adopt a;
	struct sd_adopt_facts f;
	struct ste s = s1_ste();
	struct cd c1 = good_cd(7, 0x41000000), c2 = good_cd(7, 0x42000000), c3 = good_cd(8, 0x43000000);

	run_default(&x);
	sd_adopt_facts_from_regs(&f, &x.r);
	sd_adopt_begin(&a, &f, &x.st, NULL);
	sd_adopt_ste(&a, 0x10, &s);
	sd_adopt_cd(&a, 0x10, 0, &c1);
	sd_adopt_ste(&a, 0x11, &s);
	sd_adopt_cd(&a, 0x11, 0, &c2);
	sd_adopt_cd(&a, 0x12, 0, &c3);
	sd_adopt_cd(&a, 0x13, 0, &c3);
	sd_adopt_end(&a);
	ok("adoption: ASID inventory has 2 ASIDs", a.asids.n == 2, "%zu", a.asids.n);
	ok("adoption: ASID 7 with two TTB0s is a duplicate", a.asid_dups == 1 &&
	   a.asids.v[0].id == 7 && a.asids.v[0].nttbs == 2 && a.asids.v[0].nusers == 2,
	   "dups %llu", (unsigned long long)a.asid_dups);
	ok("adoption: ASID 8 shared with one TTB0 is not", a.asids.v[1].id == 8 && a.asids.v[1].nttbs == 1,
	   "nttbs %zu", a.asids.v[1].nttbs);
	sd_adopt_free(&a);
}

static bool not_in_dump(void *ctx, uint64_t pa)
{
	(void)ctx;
	return pa != 0x40500000;
}

static void test_placement(void)
{
	static const struct sd_range ram[] = { { 0x40000000, 0x7fffffff }, { 0x8000000000, 0x80ffffffff } };
	static const struct sd_range ck[] = { { 0x70000000, 0x7fffffff } };
	const struct sd_memmap map = { ram, 2, "test", ck, 1, not_in_dump, NULL };
	struct run x;
	struct sd_adopt a;
	struct sd_adopt_facts f;

	run_default(&x);
	sd_adopt_facts_from_regs(&f, &x.r);
	sd_adopt_begin(&a, &f, &x.st, &map);
	sd_adopt_table(&a, SD_TABLE_STRTAB, 0x40100000, 0x4000, 0);	/* fine */
	sd_adopt_table(&a, SD_TABLE_S1_PGTABLE, 0x70001000, 0x1000, 0x10);	/* crash kernel */
	sd_adopt_table(&a, SD_TABLE_CD, 0x90000000, 0x40, 0x11);		/* hole */
	sd_adopt_table(&a, SD_TABLE_L2_STRTAB, 0x404fc000, 0x8000, 0x100);	/* 2nd page not dumped */
	sd_adopt_table(&a, SD_TABLE_S1_PGTABLE, 0x70001000, 0x1000, 0x20);	/* the same table again */
	/* A table that runs off the end of RAM: named at the first byte outside. */
	sd_adopt_table(&a, SD_TABLE_CD, 0x80fffff000, 0x2000, 0x12);
	sd_adopt_end(&a);
	ok("adoption: placement finds 4 problems, the repeated table once", a.nplace == 4, "%zu", a.nplace);
	ok("adoption: a table straddling the end of RAM is named where RAM ends",
	   a.nplace > 3 && a.place[3].problem == SD_PLACE_NOT_RAM && a.place[3].addr == 0x8100000000ULL,
	   "addr 0x%llx", a.nplace > 3 ? (unsigned long long)a.place[3].addr : 0ULL);
	ok("adoption: table in the crash-kernel reservation",
	   a.nplace > 0 && a.place[0].problem == SD_PLACE_CRASHKERNEL && a.place[0].addr == 0x70001000 &&
	   a.place[0].table == SD_TABLE_S1_PGTABLE, "first %s", a.nplace ? sd_place_problem_name(a.place[0].problem) : "-");
	ok("adoption: table in a memory hole",
	   a.nplace > 1 && a.place[1].problem == SD_PLACE_NOT_RAM && a.place[1].sid == 0x11, "second");
	ok("adoption: table missing from the dump",
	   a.nplace > 2 && a.place[2].problem == SD_PLACE_NOT_IN_DUMP && a.place[2].addr == 0x40500000,
	   "third");
	ok("adoption: placement does not change the verdict", a.verdict == SD_ADOPT_ACCEPTED,
	   "%s", sd_adopt_verdict_name(a.verdict));
	sd_adopt_free(&a);
}

int main(void)
{
	test_healthy();
	test_each_check();
	test_several();
	test_ids();
	test_placement();
	printf("# test_adoption: %d passed, %d failed\n", passes, failures);
	return 0;
}
