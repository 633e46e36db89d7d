// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the A64 PC-relative decoder and register tracker
 * (src/kernel/insn.c).
 *
 * Encodings come from two sources independent of the decoder:
 *  - GNU as 2.40 (aarch64-linux-gnu-as -march=armv8.5-a) and ld, which
 *    assembled and linked the listings quoted in the comments below (the
 *    objdump words are copied verbatim, with the addresses ld gave them);
 *  - a small encoder in this file written from the Arm ARM's encoding
 *    diagrams (DDI 0487 C6.2 ADRP, ADR, ADD (immediate), LDR (immediate)),
 *    itself checked against the words from as first.
 * Prints "ok NAME" / "not ok NAME - reason" lines; exits 0.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insn.h"
#include "tap.h"

/* --- the test's own encoder (DDI 0487 C6.2 encoding diagrams) --- */

static uint32_t enc_pcrel(bool page, unsigned rd, uint64_t pc, uint64_t target)
{
	int64_t d = page ? (int64_t)((target & ~0xfffULL) - (pc & ~0xfffULL)) >> 12
			 : (int64_t)(target - pc);
	uint32_t imm = (uint32_t)d & 0x1fffff;		/* 21 bits */

	return (page ? 1u << 31 : 0) | (imm & 3) << 29 | 0x10u << 24 |
	       (imm >> 2) << 5 | rd;
}

static uint32_t enc_add(unsigned rd, unsigned rn, unsigned imm12, bool lsl12)
{
	return 0x91000000u | (lsl12 ? 1u << 22 : 0) | imm12 << 10 | rn << 5 | rd;
}

/* LDR Xt / Wt (immediate, unsigned offset): size 111 0 01 01 imm12 Rn Rt */
static uint32_t enc_ldr(unsigned size, unsigned rt, unsigned rn, unsigned byteoff)
{
	return (uint32_t)size << 30 | 0x39400000u | (byteoff >> size) << 10 | rn << 5 | rt;
}

static void put(uint8_t *p, uint32_t w)
{
	p[0] = w;
	p[1] = w >> 8;
	p[2] = w >> 16;
	p[3] = w >> 24;
}

static void test_encoder_matches_as(void)
{
	/* t.elf: f at 0xffff800008010100 (see test_track_function) */
	ok("encoder adrp x0 (as)", enc_pcrel(true, 0, 0xffff800008010100, 0xffff7ffff0001000) == 0xb0f3ff80,
	   "0x%08x", enc_pcrel(true, 0, 0xffff800008010100, 0xffff7ffff0001000));
	ok("encoder adr x11 (as)", enc_pcrel(false, 11, 0xffff800008010138, 0xffff800008010100) == 0x10fffe4b,
	   "0x%08x", enc_pcrel(false, 11, 0xffff800008010138, 0xffff800008010100));
	ok("encoder add lsl12 (as)", enc_add(7, 7, 1, true) == 0x914004e7, "0x%08x", enc_add(7, 7, 1, true));
	ok("encoder ldr x4 (as)", enc_ldr(3, 4, 1, 568) == 0xf9411c24, "0x%08x", enc_ldr(3, 4, 1, 568));
	ok("encoder ldr w15 (as)", enc_ldr(2, 15, 14, 576) == 0xb94241cf, "0x%08x", enc_ldr(2, 15, 14, 576));
}

/* --- single instructions --- */

struct dcase {
	const char *name;
	uint32_t raw;
	uint64_t pc;
	enum sd_insn_op op;
	unsigned rd, rn;
	int64_t imm;
	unsigned size;
	uint64_t target;
	bool fp;
};

static const struct dcase dcases[] = {
	/* from t.elf and u.o (as 2.40) */
	{ "adrp negative", 0xb0f3ff80, 0xffff800008010100, SD_INSN_ADRP, 0, 0, -0x1800f000, 0, 0xffff7ffff0001000, false },
	{ "adrp positive", 0xd01fff87, 0xffff800008010120, SD_INSN_ADRP, 7, 0, 0x3fff2000, 0, 0xffff800048002000, false },
	{ "adr negative", 0x10fffe4b, 0xffff800008010138, SD_INSN_ADR, 11, 0, -0x38, 0, 0xffff800008010100, false },
	{ "add imm", 0x910900a6, 0, SD_INSN_ADD_IMM, 6, 5, 0x240, 0, 0, false },
	{ "add imm lsl 12", 0x914004e7, 0, SD_INSN_ADD_IMM, 7, 7, 0x1000, 0, 0, false },
	{ "sub imm", 0xd1004296, 0, SD_INSN_ADD_IMM, 22, 20, -0x10, 0, 0, false },
	{ "add sp dest", 0x9100403f, 0, SD_INSN_ADD_IMM, 31, 1, 0x10, 0, 0, false },
	{ "mov reg", 0xaa0503ee, 0, SD_INSN_MOV_REG, 14, 5, 0, 0, 0, false },
	{ "ldr x uimm", 0xf9411c24, 0, SD_INSN_LOAD, 4, 1, 568, 8, 0, false },
	{ "ldr w uimm", 0xb94241cf, 0, SD_INSN_LOAD, 15, 14, 576, 4, 0, false },
	{ "ldrb uimm", 0x394901d0, 0, SD_INSN_LOAD, 16, 14, 576, 1, 0, false },
	{ "ldrsw uimm", 0xb9800420, 0, SD_INSN_LOAD, 0, 1, 4, 4, 0, false },
	{ "ldur negative", 0xf85f81d1, 0, SD_INSN_LOAD, 17, 14, -8, 8, 0, false },
	{ "str w uimm", 0xb9000909, 0, SD_INSN_STORE, 9, 8, 8, 4, 0, false },
	{ "str x sp", 0xf90007e0, 0, SD_INSN_STORE, 0, 31, 8, 8, 0, false },
	{ "ldr d uimm", 0xfd400420, 0, SD_INSN_LOAD, 0, 1, 8, 8, 0, true },
	{ "ldr q uimm", 0x3dc00821, 0, SD_INSN_LOAD, 1, 1, 32, 16, 0, true },
	{ "ldr x literal", 0x5800022a, 0xffff800008010134, SD_INSN_LDR_LIT, 10, 0, 0x44, 8, 0xffff800008010178, false },
	{ "ldr w literal negative", 0x18fff803, 0x4c, SD_INSN_LDR_LIT, 3, 0, -0x100, 4, 0x4c - 0x100, false },
	{ "ldr d literal", 0x5c000205, 0x50, SD_INSN_LDR_LIT, 5, 0, 0x40, 8, 0x90, true },
	{ "nop", 0xd503201f, 0, SD_INSN_HINT, 0, 0, 0, 0, 0, false },
	{ "bl", 0x97ffffe7, 0, SD_INSN_CALL, 0, 0, 0, 0, 0, false },
	{ "blr", 0xd63f0060, 0, SD_INSN_CALL, 0, 0, 0, 0, 0, false },
	/* pairs (as 2.40): size covers both registers */
	{ "ldp x signed offset", 0xa9480801, 0, SD_INSN_LOAD, 1, 0, 128, 16, 0, false },
	{ "ldp w negative", 0x297f0801, 0, SD_INSN_LOAD, 1, 0, -8, 8, 0, false },
	{ "stp x negative", 0xa9201023, 0, SD_INSN_STORE, 3, 1, -512, 16, 0, false },
	{ "stp q", 0xad010460, 0, SD_INSN_STORE, 0, 3, 32, 32, 0, true },
	/* look-alikes that are not in the list */
	{ "ldpsw is other", 0x69410801, 0, SD_INSN_OTHER, 0, 0, 0, 0, 0, false },
	{ "ldp post-index is other", 0xa8c10801, 0, SD_INSN_OTHER, 0, 0, 0, 0, 0, false },
	{ "adds imm is other", 0xb1000400, 0, SD_INSN_OTHER, 0, 0, 0, 0, 0, false },
	{ "add w imm is other", 0x11000400, 0, SD_INSN_OTHER, 0, 0, 0, 0, 0, false },
	{ "ldr register is other", 0xf8626820, 0, SD_INSN_OTHER, 0, 0, 0, 0, 0, false },
	{ "ldr pre-index is other", 0xf8408c24, 0, SD_INSN_OTHER, 0, 0, 0, 0, 0, false },
	{ "prfm is other", 0xf9800420, 0, SD_INSN_OTHER, 0, 0, 0, 0, 0, false },
	{ "movz is other", 0xd28000a1, 0, SD_INSN_OTHER, 0, 0, 0, 0, 0, false },
};

static void test_decode(void)
{
	char name[96];
	struct sd_insn in;
	size_t i;

	for (i = 0; i < sizeof(dcases) / sizeof(dcases[0]); i++) {
		const struct dcase *c = &dcases[i];

		sd_insn_decode(c->raw, c->pc, &in);
		snprintf(name, sizeof(name), "decode %s", c->name);
		if (c->op == SD_INSN_OTHER) {
			ok(name, in.op == SD_INSN_OTHER, "op %d", in.op);
			continue;
		}
		ok(name, in.op == c->op &&
		   (c->op == SD_INSN_HINT || c->op == SD_INSN_CALL ||
		    (in.rd == c->rd && in.imm == c->imm && in.size == c->size && in.fp == c->fp)) &&
		   (c->op != SD_INSN_ADD_IMM && c->op != SD_INSN_MOV_REG &&
		    c->op != SD_INSN_LOAD && c->op != SD_INSN_STORE ? true : in.rn == c->rn) &&
		   (c->target == 0 || in.target == c->target),
		   "op %d rd %u rn %u imm %" PRId64 " size %u fp %d target 0x%" PRIx64,
		   in.op, in.rd, in.rn, in.imm, in.size, in.fp, in.target);
	}
}

/* ADRP / ADR over their whole range, both signs, from the test's encoder. */
static void test_pcrel_range(void)
{
	static const int64_t deltas[] = {
		0, 1, -1, 0xfff, -0x1000, 0x12345678, -0x12345678,
		0xfffff000LL, -0x100000000LL,	/* ADRP limits: +4 GiB - 4 KiB, -4 GiB */
	};
	static const uint64_t pcs[] = { 0xffff800008010000, 0xffff80000801fffc, 0xffffffc008000ffc };
	unsigned bad_page = 0, bad_adr = 0, n = 0;
	struct sd_insn in;
	size_t i, j;

	for (i = 0; i < sizeof(pcs) / sizeof(pcs[0]); i++) {
		for (j = 0; j < sizeof(deltas) / sizeof(deltas[0]); j++) {
			uint64_t t = (pcs[i] & ~0xfffULL) + (uint64_t)deltas[j];
			uint64_t near = pcs[i] + (uint64_t)(deltas[j] / 4096);	/* within ADR's +/- 1 MiB */

			sd_insn_decode(enc_pcrel(true, 3, pcs[i], t), pcs[i], &in);
			bad_page += in.op != SD_INSN_ADRP || in.rd != 3 || in.target != (t & ~0xfffULL);
			sd_insn_decode(enc_pcrel(false, 30, pcs[i], near), pcs[i], &in);
			bad_adr += in.op != SD_INSN_ADR || in.rd != 30 || in.target != near;
			n++;
		}
	}
	ok("adrp whole range", !bad_page, "%u of %u wrong", bad_page, n);
	ok("adr range", !bad_adr, "%u of %u wrong", bad_adr, n);
}

/*
 * t.S, assembled by as 2.40 and linked with
 *   ld -Ttext=0xffff800008010100 --section-start=.data=0xffff7ffff0001000
 *      --section-start=.hi=0xffff800048000000
 * var_a 0xffff7ffff0001000, var_b ...2238, var_c ...2240 (below the text:
 * negative ADRP), var_w 0xffff800048000008, big 0xffff80004800200c,
 * lit 0xffff800008010178.
 */
static const uint32_t tfunc[] = {
	0xb0f3ff80, /* 0100: adrp x0, var_a */
	0x91000000, /* 0104: add x0, x0, #0x0 */
	0xd0f3ff81, /* 0108: adrp x1, var_b page */
	0xaa0303e2, /* 010c: mov x2, x3 */
	0xd503201f, /* 0110: nop */
	0xf9411c24, /* 0114: ldr x4, [x1, #568] */
	0xd0f3ff85, /* 0118: adrp x5, var_c page */
	0x910900a6, /* 011c: add x6, x5, #0x240 */
	0xd01fff87, /* 0120: adrp x7, big page */
	0x914004e7, /* 0124: add x7, x7, #0x1, lsl #12 */
	0x910030e7, /* 0128: add x7, x7, #0xc */
	0x901fff88, /* 012c: adrp x8, var_w page */
	0xb9000909, /* 0130: str w9, [x8, #8] */
	0x5800022a, /* 0134: ldr x10, lit */
	0x10fffe4b, /* 0138: adr x11, f */
	0xf940066d, /* 013c: ldr x13, [x19, #8] */
	0xaa0503ee, /* 0140: mov x14, x5 */
	0xb94241cf, /* 0144: ldr w15, [x14, #576] */
	0xd503233f, /* 0148: paciasp */
	0xd503245f, /* 014c: bti c */
	0x394901d0, /* 0150: ldrb w16, [x14, #576] */
	0xf85f81d1, /* 0154: ldur x17, [x14, #-8] */
	0xf94120a5, /* 0158: ldr x5, [x5, #576] */
	0xf94004b2, /* 015c: ldr x18, [x5, #8] */
	0x91002034, /* 0160: add x20, x1, #0x8 */
	0x97ffffe7, /* 0164: bl f */
	0x9108e02c, /* 0168: add x12, x1, #0x238 */
	0x91002295, /* 016c: add x21, x20, #0x8 */
	0xd1004296, /* 0170: sub x22, x20, #0x10 */
	0xd65f03c0, /* 0174: ret */
};

static const struct sd_insn_ref texpect[] = {
	{ 0x04, 0xffff7ffff0001000, SD_REF_ADDR, 0 },	/* ADRP+ADD adjacent */
	{ 0x14, 0xffff7ffff0002238, SD_REF_LOAD, 8 },	/* ADRP ... LDR, 2 between */
	{ 0x1c, 0xffff7ffff0002240, SD_REF_ADDR, 0 },	/* ADD into another register */
	{ 0x24, 0xffff800048003000, SD_REF_ADDR, 0 },	/* page + (1 LSL 12) */
	{ 0x28, 0xffff80004800300c, SD_REF_ADDR, 0 },	/* ... + lo12 */
	{ 0x30, 0xffff800048000008, SD_REF_STORE, 4 },	/* ADRP+STR w */
	{ 0x34, 0xffff800008010178, SD_REF_LOAD, 8 },	/* LDR literal */
	{ 0x38, 0xffff800008010100, SD_REF_ADDR, 0 },	/* ADR */
	/* 0x3c: x19 unknown */
	{ 0x44, 0xffff7ffff0002240, SD_REF_LOAD, 4 },	/* through MOV x14, x5 */
	{ 0x50, 0xffff7ffff0002240, SD_REF_LOAD, 1 },	/* across PACIASP, BTI */
	{ 0x54, 0xffff7ffff0001ff8, SD_REF_LOAD, 8 },	/* LDUR, negative */
	{ 0x58, 0xffff7ffff0002240, SD_REF_LOAD, 8 },	/* x5 overwritten by the load */
	/* 0x5c: x5 no longer known */
	{ 0x60, 0xffff7ffff0002008, SD_REF_ADDR, 0 },
	/* 0x68: x1 clobbered by BL; x20 is callee-saved and survives: */
	{ 0x6c, 0xffff7ffff0002010, SD_REF_ADDR, 0 },
	{ 0x70, 0xffff7ffff0001ff8, SD_REF_ADDR, 0 },
};

static void test_track_function(void)
{
	size_t n = sizeof(tfunc) / sizeof(tfunc[0]), ne = sizeof(texpect) / sizeof(texpect[0]);
	struct sd_insn_ref out[64];
	uint8_t code[sizeof(tfunc)];
	char name[64];
	size_t i, got;

	for (i = 0; i < n; i++)
		put(code + 4 * i, tfunc[i]);
	got = sd_insn_track(code, n, 0xffff800008010100, out, 64);
	ok("track count", got == ne, "%zu references, want %zu", got, ne);
	for (i = 0; i < ne && i < got; i++) {
		snprintf(name, sizeof(name), "track ref at +0x%x", texpect[i].off);
		ok(name, out[i].off == texpect[i].off && out[i].addr == texpect[i].addr &&
		   out[i].kind == texpect[i].kind && out[i].size == texpect[i].size,
		   "got +0x%x 0x%" PRIx64 " %s size %u", out[i].off, out[i].addr,
		   sd_ref_kind_name(out[i].kind), out[i].size);
	}
	got = sd_insn_track(code, n, 0xffff800008010100, out, 3);
	ok("track max", got == ne && out[2].off == texpect[2].off, "%zu", got);
}

/*
 * GCC's section anchors: one ADRP+ADD to the first static object of a
 * file, the others at offsets from it (6.1 sanity_check_segment_list()
 * reads crashk_res.start/end with one LDP at anchor + 0x80):
 *   adrp x0, A; add x0, x0, #0x970; ldp x1, x2, [x0, #128]; ldp x1, x2,
 *   [x0], #16 (post-index: x0 changes, not followed); ldr x3, [x0, #8]
 */
static void test_track_anchor(void)
{
	uint64_t pc = 0xffffdbd8b0400000, a = 0xffffdbd8b1965000;
	uint32_t w[] = { enc_pcrel(true, 0, pc, a), enc_add(0, 0, 0x970, false),
			 0xa9480801, 0xa8c10801, enc_ldr(3, 3, 0, 8) };
	struct sd_insn_ref out[8];
	uint8_t code[sizeof(w)];
	size_t i, got;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		put(code + 4 * i, w[i]);
	got = sd_insn_track(code, sizeof(w) / sizeof(w[0]), pc, out, 8);
	ok("track anchor + ldp", got == 2 && out[1].off == 8 && out[1].addr == a + 0x9f0 &&
	   out[1].kind == SD_REF_LOAD && out[1].size == 16,
	   "%zu refs, last +0x%x 0x%" PRIx64, got, got ? out[got - 1].off : 0,
	   got ? out[got - 1].addr : 0);
}

/* adrp x1, P; INSN; add x2, x1, #8: whether INSN loses x1. */
static void test_clobbers(void)
{
	static const struct { const char *name; uint32_t raw; bool keeps; } c[] = {
		{ "movz x1", 0xd28000a1, false },
		{ "add w0 32-bit (x0)", 0x11000400, true },
		{ "add w1 32-bit", 0x11000421, false },
		{ "mrs x1", 0xd538d081, false },
		{ "ldp x2,x3,[x1]", 0xa9410c22, true },
		{ "ldr x4,[x1,#8]! write-back", 0xf8408c24, false },
		{ "stp pre-index sp", 0xa9bf7bfd, true },
		{ "mrs x0", 0xd538d080, true },
		{ "add x1, sp, #16", 0x910043e1, false },
		{ "stxr w5,x6,[x1]", 0xc8057c26, true },
		{ "stxr w1,x6,[x5]", 0xc8017ca6, false },
		{ "ldp x1,x4,[x5]", 0xa94010a1, false },
		{ "ldp x3,x1,[x5]", 0xa94004a3, false },
		{ "blr x3", 0xd63f0060, false },
		{ "b", 0x14000002, true },
		{ "cbz x0", 0xb4000040, true },
		{ "autiasp", 0xd50323bf, true },
		{ "ldr d0,[x1,#8]", 0xfd400420, true },
		{ "ldr x1 literal", 0x58000001, false },
	};
	uint64_t pc = 0xffff800008000000;
	struct sd_insn_ref out[4];
	uint8_t code[12];
	char name[80];
	size_t i, got;

	put(code, enc_pcrel(true, 1, pc, 0xffff800009234000));
	put(code + 8, enc_add(2, 1, 8, false));
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		bool kept;

		put(code + 4, c[i].raw);
		got = sd_insn_track(code, 3, pc, out, 4);
		kept = got && out[got - 1].off == 8 && out[got - 1].addr == 0xffff800009234008;
		snprintf(name, sizeof(name), "clobber %s %s x1", c[i].name, c[i].keeps ? "keeps" : "loses");
		ok(name, kept == c[i].keeps, "%zu refs", got);
	}
}

int main(void)
{
	test_encoder_matches_as();
	test_decode();
	test_pcrel_range();
	test_track_function();
	test_track_anchor();
	test_clobbers();
	return failures ? 1 : 0;
}
