/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The arm64 (A64) instructions that form PC-relative data addresses, and a
 * register tracker that follows them through a function's code.
 *
 * A kernel built without CONFIG_KALLSYMS_ALL lists no data symbols, but
 * every function that takes the address of a global does it with
 *
 *     ADRP Xd, sym            (page of sym, PC-relative, +/- 4 GiB)
 *     ADD  Xd, Xd, #:lo12:sym (or LDR/STR Xt, [Xd, #:lo12:sym])
 *
 * (AAELF64 relocations R_AARCH64_ADR_PREL_PG_HI21 + ADD_ABS_LO12_NC /
 * LDST*_ABS_LO12_NC), with other instructions and other registers between
 * the two.  sd_insn_track() reads such a stream and lists every address it
 * can compute, so that discovery can reach a global from a text symbol.
 *
 * Encodings: Arm Architecture Reference Manual for A-profile, DDI 0487,
 * chapter C6.2 (alphabetical list of A64 base instructions) and the
 * encoding index of C4.1; the section of each is cited in insn.c.
 */
#ifndef SD_INSN_H
#define SD_INSN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A64 instructions are 32 bits, little-endian in the kernel image. */
#define SD_INSN_SIZE	4u
/* X0..X30; encoding 31 is SP or XZR depending on the instruction. */
#define SD_INSN_NREGS	31u
#define SD_INSN_REG_31	31u

enum sd_insn_op {
	SD_INSN_OTHER = 0,	/* not one of the below: see sd_insn_clobbers() */
	SD_INSN_ADR,		/* rd = pc + imm */
	SD_INSN_ADRP,		/* rd = (pc & ~0xfff) + imm */
	SD_INSN_ADD_IMM,	/* rd = rn + imm (64-bit; imm already shifted) */
	SD_INSN_MOV_REG,	/* rd = rn (ORR Xd, XZR, Xm) */
	SD_INSN_LOAD,		/* rt (, rt2) = [rn + imm], size bytes */
	SD_INSN_STORE,		/* [rn + imm] = rt (, rt2), size bytes */
	SD_INSN_LDR_LIT,	/* rt = [pc + imm], size bytes */
	SD_INSN_HINT,		/* NOP, BTI, PACIASP, ... (HINT space) */
	SD_INSN_CALL,		/* BL, BLR: the callee may change X0..X18, X30 */
};

struct sd_insn {
	enum sd_insn_op op;
	unsigned rd;		/* destination (Rd or Rt) */
	unsigned rn;		/* base / source register */
	int64_t imm;		/* offset, already scaled or shifted */
	unsigned size;		/* LOAD/STORE/LDR_LIT: access size in bytes */
	bool fp;		/* LOAD/STORE/LDR_LIT: rd is a SIMD&FP register */
	bool pair;		/* LOAD/STORE: LDP/STP, rt2 is the second register */
	unsigned rt2;
	uint64_t target;	/* ADR/ADRP/LDR_LIT: the computed address */
};

/* Decode @raw, fetched from address @pc.  Never fails: anything outside the
 * list is SD_INSN_OTHER. */
void sd_insn_decode(uint32_t raw, uint64_t pc, struct sd_insn *out);

/* For an instruction the tracker does not model: the bit set of general
 * registers (bit n = Xn) whose value it may change.  Conservative: a bit
 * too many only loses a reference, a bit too few could invent one. */
uint32_t sd_insn_clobbers(uint32_t raw, const struct sd_insn *in);

enum sd_ref_kind {
	SD_REF_ADDR = 1,	/* the address itself was computed (ADR, ADRP+ADD) */
	SD_REF_LOAD,		/* a load from it (ADRP+LDR, LDR literal) */
	SD_REF_STORE,		/* a store to it (ADRP+STR) */
};

struct sd_insn_ref {
	uint32_t off;		/* byte offset of the instruction in the stream */
	uint64_t addr;		/* effective address */
	enum sd_ref_kind kind;
	unsigned size;		/* access size for LOAD/STORE, 0 for ADDR */
};

/*
 * Follow @n instructions (raw little-endian bytes @code, fetched from
 * @pc) and write up to @max references to @out, in instruction order.
 * Returns the number found (it may exceed @max: only @max are written).
 *
 * The walk is linear, as objdump's symbolizer does: registers keep their
 * value across branches, a call clobbers X0..X18 and X30 (AAPCS64 caller-
 * saved), any other instruction clobbers what sd_insn_clobbers() says.  A
 * path-insensitive walk can pair an ADRP with an ADD of another path, so
 * every reference is a candidate for the caller to validate.
 */
size_t sd_insn_track(const uint8_t *code, size_t n, uint64_t pc,
		     struct sd_insn_ref *out, size_t max);

const char *sd_ref_kind_name(enum sd_ref_kind kind);

#endif
