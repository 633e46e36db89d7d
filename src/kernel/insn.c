// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A64 decoding of PC-relative address computations (insn.h).
 *
 * Every encoding below is from the Arm ARM, DDI 0487, chapter C6.2
 * ("Alphabetical list of A64 base instructions"; the section numbers are
 * those of the issues that list ADDG, E.a on: C6.2.4 ADD (immediate),
 * C6.2.10 ADR, C6.2.11 ADRP, C6.2.238 NOP; the titles are stable across
 * issues, the numbers are not) and from the top-level encoding table of
 * C4.1 for the instruction classes whose destination registers
 * sd_insn_clobbers() must know.  Each MASK / VAL pair is "the bits that
 * are fixed in the encoding diagram" / "their value".
 */
#include "insn.h"

#include "smmu_fields.h"

/* Common operand fields (C4.1: Rd/Rt [4:0], Rn [9:5], Rt2 [14:10],
 * Rm/Rs [20:16]). */
#define A64_RD			GENMASK_ULL(4, 0)
#define A64_RN			GENMASK_ULL(9, 5)
#define A64_RT2			GENMASK_ULL(14, 10)
#define A64_RM			GENMASK_ULL(20, 16)

/* ADR / ADRP: op [31], immlo [30:29], 10000 [28:24], immhi [23:5], Rd.
 * ADR: X[d] = PC + SignExtend(immhi:immlo); ADRP: X[d] = PC<63:12>:Zeros(12)
 * + SignExtend(immhi:immlo:Zeros(12)).  (C6.2.10 ADR, C6.2.11 ADRP) */
#define PCREL_MASK		0x1f000000u
#define PCREL_VAL		0x10000000u
#define PCREL_OP_PAGE		BIT_ULL(31)
#define PCREL_IMMLO		GENMASK_ULL(30, 29)
#define PCREL_IMMHI		GENMASK_ULL(23, 5)
#define PCREL_IMMLO_BITS	2
#define PCREL_IMM_BITS		21
#define ADRP_PAGE_SHIFT		12

/* ADD / SUB (immediate), 64-bit (sf=1, S=0): sf op S 100010 sh imm12 Rn Rd.
 * sh=1 means imm12 LSL #12.  Rd and Rn encoding 31 is SP.  (C6.2.4 ADD
 * (immediate); SUB (immediate) has op=1.) */
#define ADDSUB_IMM64_MASK	0xff800000u
#define ADD_IMM64_VAL		0x91000000u
#define SUB_IMM64_VAL		0xd1000000u
#define ADDSUB_IMM_SH		BIT_ULL(22)
#define ADDSUB_IMM12		GENMASK_ULL(21, 10)
#define ADDSUB_SH_SHIFT		12

/* MOV (register), alias of ORR (shifted register) 64-bit with Rn = XZR,
 * shift = LSL #0: 1 01 01010 00 0 Rm 000000 11111 Rd.  (C6.2 MOV
 * (register)) */
#define MOV_REG64_MASK		0xffe0ffe0u
#define MOV_REG64_VAL		0xaa0003e0u

/* Load/store register (unsigned immediate): size 111 V 01 opc imm12 Rn Rt.
 * Offset = imm12 << scale; scale = size, or 4 for a 128-bit SIMD&FP access
 * (V=1, opc<1>=1).  (C6.2 LDR (immediate) / STR (immediate), unsigned
 * offset variants; LDRB, LDRH, LDRSW, ... are the other sizes.) */
#define LDST_UIMM_MASK		0x3b000000u
#define LDST_UIMM_VAL		0x39000000u
/* Load/store register (unscaled immediate): size 111 V 00 opc 0 imm9 00 Rn
 * Rt; offset = SignExtend(imm9).  (C6.2 LDUR / STUR) */
#define LDST_UNSCALED_MASK	0x3b200c00u
#define LDST_UNSCALED_VAL	0x38000000u
#define LDST_SIZE		GENMASK_ULL(31, 30)
#define LDST_V			BIT_ULL(26)
#define LDST_OPC		GENMASK_ULL(23, 22)
#define LDST_IMM12		GENMASK_ULL(21, 10)
#define LDST_IMM9		GENMASK_ULL(20, 12)
#define LDST_IMM9_BITS		9
#define LDST_OPC_STORE		0	/* V=0: STR*; V=1: opc<0>=0 is a store */
#define LDST_OPC_LOAD_BIT	1	/* opc<0> */
#define LDST_OPC_Q_BIT		2	/* opc<1> with V=1: 128-bit */
#define LDST_SIZE_X		3
#define LDST_OPC_PRFM		2	/* size=11, V=0, opc=10: PRFM */
#define LDST_Q_SCALE		4

/* Load/store pair (signed offset): opc 101 V 010 L imm7 Rt2 Rn Rt; offset
 * = SignExtend(imm7) << scale, scale 2 + opc<1> (V=0: W, X; opc 01 is
 * LDPSW / STGP, left out) or 2 + opc (V=1: S, D, Q).  The pre- and post-
 * indexed forms (010 -> 011 / 001) write Rn back and stay OTHER.
 * (C6.2 LDP, STP) */
#define LDST_PAIR_OFF_MASK	0x3b800000u
#define LDST_PAIR_OFF_VAL	0x29000000u
#define LDST_PAIR_OPC		GENMASK_ULL(31, 30)
#define LDST_PAIR_L		BIT_ULL(22)
#define LDST_PAIR_IMM7		GENMASK_ULL(21, 15)
#define LDST_PAIR_IMM7_BITS	7
#define LDST_PAIR_BASE_SCALE	2
#define LDST_PAIR_OPC_SW	1
#define LDST_PAIR_OPC_MAX	2

/* LDR (literal): opc 011 V 00 imm19 Rt; address = PC + SignExtend(imm19:00).
 * V=0: opc 00 LDR Wt, 01 LDR Xt, 10 LDRSW, 11 PRFM.  V=1: 4/8/16 bytes.
 * (C6.2 LDR (literal), LDRSW (literal), PRFM (literal)) */
#define LDR_LIT_MASK		0x3b000000u
#define LDR_LIT_VAL		0x18000000u
#define LDR_LIT_OPC		GENMASK_ULL(31, 30)
#define LDR_LIT_IMM19		GENMASK_ULL(23, 5)
#define LDR_LIT_IMM_BITS	21
#define LDR_LIT_OPC_W		0
#define LDR_LIT_OPC_X		1
#define LDR_LIT_OPC_SW		2
#define LDR_LIT_OPC_PRFM	3

/* HINT: 1101010100 0 00 011 0010 CRm op2 11111 -- NOP (CRm=op2=0), YIELD,
 * BTI, PACIASP, AUTIASP, ...  The pointer-authentication hints change X17
 * (the *1716 forms) or X30 (the *SP, *Z forms, XPACLRI); nothing else in
 * the space writes a general register.  (C6.2 HINT, C6.2.238 NOP) */
#define HINT_MASK		0xfffff01fu
#define HINT_VAL		0xd503201fu
#define HINT_CRM_OP2		GENMASK_ULL(11, 5)
#define HINT_PAC_CLOBBERS	((uint32_t)(BIT_ULL(17) | BIT_ULL(30)))

/* BL: 100101 imm26; BLR: 1101011 0 0 01 11111 0000 0 0 Rn 00000; BLRAA,
 * BLRAAZ, BLRAB, BLRABZ: 1101011 Z 0 01 11111 0000 1 M Rn Rm.
 * (C6.2 BL, BLR, BLRAA...) */
#define BL_MASK			0xfc000000u
#define BL_VAL			0x94000000u
#define BLR_MASK		0xfffffc1fu
#define BLR_VAL			0xd63f0000u
#define BLRA_MASK		0xfefff800u
#define BLRA_VAL		0xd63f0800u
/* AAPCS64 (IHI 0055) 6.1.1: X0..X18 and LR are not preserved by a call. */
#define CALL_CLOBBERS		((uint32_t)(GENMASK_ULL(18, 0) | BIT_ULL(30)))

/* Top-level classes (C4.1, op0 = bits [28:25]). */
#define A64_OP0			GENMASK_ULL(28, 25)
#define OP0_BRANCH_SYS_MASK	0xe	/* 101x */
#define OP0_BRANCH_SYS_VAL	0xa
#define OP0_LDST_MASK		0x5	/* x1x0 */
#define OP0_LDST_VAL		0x4
/* Write-back forms (C4.1 "Loads and Stores"): load/store pair is
 * opc 101 V 0 idx[24:23] L imm7 Rt2 Rn Rt, idx 01 post-, 11 pre-indexed;
 * load/store register (imm9) is size 111 V 00 opc 0 imm9 idx[11:10] Rn Rt,
 * idx 01 post-, 11 pre-indexed (00 unscaled, 10 unprivileged).  Other
 * load/store forms (register offset, atomics, unsigned offset) leave
 * the base alone and write only Rt. */
/* Exclusives and compare-and-swap: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt. */
#define LDST_EXCL_MASK		0x3f000000u
#define LDST_EXCL_VAL		0x08000000u
#define LDST_PAIR_MASK		0x38000000u
#define LDST_PAIR_VAL		0x28000000u
#define LDST_PAIR_WB		BIT_ULL(23)
#define LDST_IMM9_MASK		0x3b200000u
#define LDST_IMM9_VAL		0x38000000u
#define LDST_IMM9_WB		BIT_ULL(10)
/* System instructions with a result register (MRS, SYSL): 1101010100 1 ...
 * (C4.1 "System instructions": L=1 at bit 21). */
#define SYS_READ_MASK		0xffe00000u
#define SYS_READ_VAL		0xd5200000u

static int64_t sext(uint64_t v, unsigned bits)
{
	uint64_t m = 1ULL << (bits - 1);

	v &= (1ULL << bits) - 1;
	return (int64_t)((v ^ m) - m);
}

static bool decode_pcrel(uint32_t raw, uint64_t pc, struct sd_insn *out)
{
	uint64_t imm = (FIELD_GET(PCREL_IMMHI, raw) << PCREL_IMMLO_BITS) |
		       FIELD_GET(PCREL_IMMLO, raw);
	int64_t off = sext(imm, PCREL_IMM_BITS);

	if ((raw & PCREL_MASK) != PCREL_VAL)
		return false;
	out->rd = FIELD_GET(A64_RD, raw);
	if (raw & PCREL_OP_PAGE) {
		out->op = SD_INSN_ADRP;
		out->imm = (int64_t)((uint64_t)off << ADRP_PAGE_SHIFT);
		out->target = (pc & ~((1ULL << ADRP_PAGE_SHIFT) - 1)) + (uint64_t)out->imm;
	} else {
		out->op = SD_INSN_ADR;
		out->imm = off;
		out->target = pc + (uint64_t)off;
	}
	return true;
}

static bool decode_addsub(uint32_t raw, struct sd_insn *out)
{
	uint32_t k = raw & ADDSUB_IMM64_MASK;
	int64_t imm = (int64_t)FIELD_GET(ADDSUB_IMM12, raw);

	if (k != ADD_IMM64_VAL && k != SUB_IMM64_VAL)
		return false;
	if (raw & ADDSUB_IMM_SH)
		imm <<= ADDSUB_SH_SHIFT;
	out->op = SD_INSN_ADD_IMM;
	out->rd = FIELD_GET(A64_RD, raw);
	out->rn = FIELD_GET(A64_RN, raw);
	out->imm = k == SUB_IMM64_VAL ? -imm : imm;
	return true;
}

/* Unsigned-offset and unscaled forms share size/V/opc: which of them is
 * a load, and how many bytes it moves. */
static bool ldst_kind(uint32_t raw, bool *load, unsigned *scale)
{
	unsigned size = FIELD_GET(LDST_SIZE, raw), opc = FIELD_GET(LDST_OPC, raw);

	if (raw & LDST_V) {
		*load = opc & LDST_OPC_LOAD_BIT;
		*scale = (opc & LDST_OPC_Q_BIT) ? LDST_Q_SCALE : size;
		/* only size=00 has a 128-bit form */
		return !((opc & LDST_OPC_Q_BIT) && size);
	}
	if (size == LDST_SIZE_X && opc >= LDST_OPC_PRFM)
		return false;		/* PRFM, unallocated */
	*load = opc != LDST_OPC_STORE;
	*scale = size;
	return true;
}

static bool decode_ldst(uint32_t raw, struct sd_insn *out)
{
	bool uimm = (raw & LDST_UIMM_MASK) == LDST_UIMM_VAL;
	bool load;
	unsigned scale;

	if (!uimm && (raw & LDST_UNSCALED_MASK) != LDST_UNSCALED_VAL)
		return false;
	if (!ldst_kind(raw, &load, &scale))
		return false;
	out->op = load ? SD_INSN_LOAD : SD_INSN_STORE;
	out->rd = FIELD_GET(A64_RD, raw);
	out->rn = FIELD_GET(A64_RN, raw);
	out->size = 1u << scale;
	out->imm = uimm ? (int64_t)(FIELD_GET(LDST_IMM12, raw) << scale)
			: sext(FIELD_GET(LDST_IMM9, raw), LDST_IMM9_BITS);
	/* a SIMD&FP transfer register is no X register */
	out->fp = raw & LDST_V;
	return true;
}

static bool decode_ldst_pair(uint32_t raw, struct sd_insn *out)
{
	unsigned opc = FIELD_GET(LDST_PAIR_OPC, raw), scale;
	bool fp = raw & LDST_V;

	if ((raw & LDST_PAIR_OFF_MASK) != LDST_PAIR_OFF_VAL || opc > LDST_PAIR_OPC_MAX ||
	    (!fp && opc == LDST_PAIR_OPC_SW))
		return false;
	scale = LDST_PAIR_BASE_SCALE + (fp ? opc : opc >> 1);
	out->op = (raw & LDST_PAIR_L) ? SD_INSN_LOAD : SD_INSN_STORE;
	out->rd = FIELD_GET(A64_RD, raw);
	out->rt2 = FIELD_GET(A64_RT2, raw);
	out->rn = FIELD_GET(A64_RN, raw);
	out->size = 2u << scale;	/* both registers */
	out->imm = sext(FIELD_GET(LDST_PAIR_IMM7, raw), LDST_PAIR_IMM7_BITS) * (1LL << scale);
	out->fp = fp;
	out->pair = true;
	return true;
}

static bool decode_ldr_lit(uint32_t raw, uint64_t pc, struct sd_insn *out)
{
	static const unsigned gp_size[] = {
		[LDR_LIT_OPC_W] = 4, [LDR_LIT_OPC_X] = 8, [LDR_LIT_OPC_SW] = 4,
	};
	unsigned opc = FIELD_GET(LDR_LIT_OPC, raw);

	if ((raw & LDR_LIT_MASK) != LDR_LIT_VAL)
		return false;
	out->fp = raw & LDST_V;
	if (out->fp)
		out->size = 4u << opc;		/* S, D, Q; opc=11 unallocated */
	else if (opc != LDR_LIT_OPC_PRFM)
		out->size = gp_size[opc];
	if (!out->size || out->size > 16)
		return false;
	out->op = SD_INSN_LDR_LIT;
	out->rd = FIELD_GET(A64_RD, raw);
	out->imm = sext(FIELD_GET(LDR_LIT_IMM19, raw) << 2, LDR_LIT_IMM_BITS);
	out->target = pc + (uint64_t)out->imm;
	return true;
}

void sd_insn_decode(uint32_t raw, uint64_t pc, struct sd_insn *out)
{
	*out = (struct sd_insn){ .op = SD_INSN_OTHER };
	if (decode_pcrel(raw, pc, out) || decode_addsub(raw, out) ||
	    decode_ldst(raw, out) || decode_ldst_pair(raw, out) ||
	    decode_ldr_lit(raw, pc, out))
		return;
	*out = (struct sd_insn){ .op = SD_INSN_OTHER };
	if ((raw & MOV_REG64_MASK) == MOV_REG64_VAL) {
		out->op = SD_INSN_MOV_REG;
		out->rd = FIELD_GET(A64_RD, raw);
		out->rn = FIELD_GET(A64_RM, raw);
	} else if ((raw & HINT_MASK) == HINT_VAL) {
		out->op = SD_INSN_HINT;
		out->imm = FIELD_GET(HINT_CRM_OP2, raw);
	} else if ((raw & BL_MASK) == BL_VAL || (raw & BLR_MASK) == BLR_VAL ||
		   (raw & BLRA_MASK) == BLRA_VAL) {
		out->op = SD_INSN_CALL;
	}
}

static uint32_t reg_bit(uint64_t r)
{
	/* encoding 31 is SP or XZR: never tracked */
	return r < SD_INSN_NREGS ? (uint32_t)BIT_ULL(r) : 0;
}

uint32_t sd_insn_clobbers(uint32_t raw, const struct sd_insn *in)
{
	unsigned op0 = FIELD_GET(A64_OP0, raw);
	uint32_t m;

	switch (in->op) {
	case SD_INSN_ADR:
	case SD_INSN_ADRP:
	case SD_INSN_ADD_IMM:
	case SD_INSN_MOV_REG:
	case SD_INSN_LDR_LIT:
		return in->fp ? 0 : reg_bit(in->rd);
	case SD_INSN_LOAD:
		return in->fp ? 0 : reg_bit(in->rd) | (in->pair ? reg_bit(in->rt2) : 0);
	case SD_INSN_STORE:
		return 0;
	case SD_INSN_HINT:
		return in->imm ? HINT_PAC_CLOBBERS : 0;
	case SD_INSN_CALL:
		return CALL_CLOBBERS;
	case SD_INSN_OTHER:
		break;
	}
	if ((op0 & OP0_BRANCH_SYS_MASK) == OP0_BRANCH_SYS_VAL)
		/* branches and exceptions write nothing (calls are above);
		 * of the system instructions only MRS / SYSL have a result */
		return (raw & SYS_READ_MASK) == SYS_READ_VAL ?
		       reg_bit(FIELD_GET(A64_RD, raw)) : 0;
	m = reg_bit(FIELD_GET(A64_RD, raw));
	if ((op0 & OP0_LDST_MASK) != OP0_LDST_VAL)
		return m;
	/* exclusives (LDXP Rt2, STXR status Rs, CAS Rs) and pairs (Rt2) */
	if ((raw & LDST_EXCL_MASK) == LDST_EXCL_VAL)
		m |= reg_bit(FIELD_GET(A64_RT2, raw)) | reg_bit(FIELD_GET(A64_RM, raw));
	if ((raw & LDST_PAIR_MASK) == LDST_PAIR_VAL)
		m |= reg_bit(FIELD_GET(A64_RT2, raw));
	/* the base register only by the pre-/post-index forms */
	if (((raw & LDST_PAIR_MASK) == LDST_PAIR_VAL && (raw & LDST_PAIR_WB)) ||
	    ((raw & LDST_IMM9_MASK) == LDST_IMM9_VAL && (raw & LDST_IMM9_WB)))
		m |= reg_bit(FIELD_GET(A64_RN, raw));
	return m;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void emit(struct sd_insn_ref *out, size_t max, size_t *n, uint32_t off,
		 uint64_t addr, enum sd_ref_kind kind, unsigned size)
{
	if (*n < max)
		out[*n] = (struct sd_insn_ref){ off, addr, kind, size };
	(*n)++;
}

size_t sd_insn_track(const uint8_t *code, size_t n, uint64_t pc,
		     struct sd_insn_ref *out, size_t max)
{
	uint64_t val[SD_INSN_NREGS] = { 0 };
	uint32_t known = 0, raw;
	size_t i, found = 0;
	struct sd_insn in;

	for (i = 0; i < n; i++) {
		uint32_t off = (uint32_t)(i * SD_INSN_SIZE);
		uint64_t ipc = pc + off, v = 0;
		bool have = false;

		raw = le32(code + off);
		sd_insn_decode(raw, ipc, &in);
		switch (in.op) {
		case SD_INSN_ADR:
			emit(out, max, &found, off, in.target, SD_REF_ADDR, 0);
			/* fall through */
		case SD_INSN_ADRP:
			v = in.target;
			have = true;
			break;
		case SD_INSN_ADD_IMM:
			if (known & reg_bit(in.rn)) {
				v = val[in.rn] + (uint64_t)in.imm;
				have = true;
				emit(out, max, &found, off, v, SD_REF_ADDR, 0);
			}
			break;
		case SD_INSN_MOV_REG:
			have = known & reg_bit(in.rn);
			v = have ? val[in.rn] : 0;
			break;
		case SD_INSN_LOAD:
		case SD_INSN_STORE:
			if (known & reg_bit(in.rn))
				emit(out, max, &found, off, val[in.rn] + (uint64_t)in.imm,
				     in.op == SD_INSN_LOAD ? SD_REF_LOAD : SD_REF_STORE,
				     in.size);
			break;
		case SD_INSN_LDR_LIT:
			emit(out, max, &found, off, in.target, SD_REF_LOAD, in.size);
			break;
		default:
			break;
		}
		known &= ~sd_insn_clobbers(raw, &in);
		if (have && reg_bit(in.rd)) {
			val[in.rd] = v;
			known |= reg_bit(in.rd);
		}
	}
	return found;
}

const char *sd_ref_kind_name(enum sd_ref_kind kind)
{
	switch (kind) {
	case SD_REF_ADDR:
		return "address-of";
	case SD_REF_LOAD:
		return "load-from";
	case SD_REF_STORE:
		return "store-to";
	}
	return "?";
}
