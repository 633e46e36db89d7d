// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the pure SMMUv3 decoders and the IO page-table walker
 * (include/smmu.h): ste_decode/ste_check, cd_decode/cd_check,
 * strtab_cfg_decode, smmu_caps_from_idr, smmu_ps_bits, pt_cfg_s1/s2, pt_walk,
 * pt_translate and ipa_mem_read.
 *
 * Every entry is built here by shifting values into bit positions taken from
 * the specification, never from the project's own field definitions:
 *   - Arm IHI 0070 (SMMUv3) 5.2 STE, 5.4 CD, 6.3 SMMU_IDR0/1/5,
 *     SMMU_STRTAB_BASE and SMMU_STRTAB_BASE_CFG;
 *   - Arm ARM (DDI 0487) VMSAv8-64 translation table descriptor formats and
 *     the stage-2 start-level consistency rule (AArch64.S2InconsistentSL).
 * Bit numbers below are "DW n [hi:lo]" with DW n the little-endian 64-bit
 * word n of the 64-byte structure; the spec numbers STE/CD bits across the
 * whole structure, so spec bit B is DW (B / 64), bit (B % 64).
 *
 * Prints "ok NAME" / "not ok NAME - reason" per assertion; exits 0.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smmu.h"

#include "tap.h"

/* ------------------------------------------------------------------ */
/* reporting                                                          */
/* ------------------------------------------------------------------ */



static const char *NM(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *NM(const char *fmt, ...)
{
	static char buf[8][160];
	static int i;
	va_list ap;

	i = (i + 1) % 8;
	va_start(ap, fmt);
	vsnprintf(buf[i], sizeof(buf[i]), fmt, ap);
	va_end(ap);
	return buf[i];
}

#define X64 "0x%" PRIx64

/* ------------------------------------------------------------------ */
/* bits                                                               */
/* ------------------------------------------------------------------ */

static uint64_t mask(unsigned hi, unsigned lo)
{
	uint64_t top = hi >= 63 ? ~0ULL : ((1ULL << (hi + 1)) - 1);

	return top & ~((1ULL << lo) - 1);
}

static uint64_t wmask(unsigned width)
{
	return width >= 64 ? ~0ULL : (1ULL << width) - 1;
}

/* Put @v into DW @w bits [hi:lo]. */
static void put(uint64_t *dw, unsigned w, unsigned hi, unsigned lo, uint64_t v)
{
	uint64_t m = mask(hi, lo);

	dw[w] = (dw[w] & ~m) | ((v << lo) & m);
}

/* ------------------------------------------------------------------ */
/* problem sink                                                       */
/* ------------------------------------------------------------------ */

struct prob {
	enum sd_problem_kind kind;
	int level;
	bool has_addr;
	uint64_t addr;
	char msg[512];
};

struct probs {
	struct prob v[128];
	size_t n, dropped;
};

static void rec_prob(void *ctx, enum sd_problem_kind kind, int level,
		     bool has_addr, uint64_t addr, const char *msg)
{
	struct probs *p = ctx;

	if (p->n >= sizeof(p->v) / sizeof(p->v[0])) {
		p->dropped++;
		return;
	}
	p->v[p->n].kind = kind;
	p->v[p->n].level = level;
	p->v[p->n].has_addr = has_addr;
	p->v[p->n].addr = addr;
	snprintf(p->v[p->n].msg, sizeof(p->v[p->n].msg), "%s", msg ? msg : "");
	p->n++;
}

static struct probs PR;
static struct sd_problem_sink SINK = { rec_prob, &PR };

static void probs_reset(void)
{
	memset(&PR, 0, sizeof(PR));
}

static size_t nkind(enum sd_problem_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < PR.n; i++)
		n += PR.v[i].kind == k;
	return n;
}

static size_t ntotal(void)
{
	return PR.n + PR.dropped;
}

/* "kind:msg; kind:msg" of what was reported, for failure messages. */
static const char *probs_str(void)
{
	static char buf[2048];
	size_t i, off = 0;

	buf[0] = 0;
	for (i = 0; i < PR.n && off < sizeof(buf) - 1; i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%s(L%d):%s",
				i ? "; " : "", sd_problem_kind_name(PR.v[i].kind),
				PR.v[i].level, PR.v[i].msg);
	if (!PR.n)
		snprintf(buf, sizeof(buf), "(none)");
	return buf;
}

/* ------------------------------------------------------------------ */
/* capabilities used by the check tests (filled by hand, not from IDRs) */
/* ------------------------------------------------------------------ */

static struct smmu_caps caps_std(void)
{
	struct smmu_caps c;

	memset(&c, 0, sizeof(c));
	c.have_idr0 = c.have_idr1 = c.have_idr5 = true;
	c.s1p = c.s2p = true;
	c.cd2l = true;
	c.st_2lvl = true;
	c.ttf_aarch64 = true;	/* AArch64-only SMMU (IDR0.TTF == 0b10) */
	c.ttf_aarch32 = false;
	c.sidsize = 16;
	c.ssidsize = 8;
	c.gran4k = c.gran16k = c.gran64k = true;
	c.oas_bits = 48;
	c.vax52 = false;
	return c;
}

/* ------------------------------------------------------------------ */
/* field tables: name, DW, [hi:lo] from IHI 0070                       */
/* ------------------------------------------------------------------ */

struct fld {
	const char *name;
	unsigned dw, hi, lo;
	bool addr;		/* address field: decoded in place, not shifted */
	size_t off;		/* offset of the member in the decoded struct */
	bool wide;		/* member is uint64_t (else unsigned) */
};

#define SF(n, m, w, h, l) { n, w, h, l, false, offsetof(struct ste, m), false }
#define SA(n, m, w, h, l) { n, w, h, l, true, offsetof(struct ste, m), true }
/* STE, IHI 0070 5.2 (spec bit -> DW/bit) */
static const struct fld ste_fields[] = {
	SF("V", v, 0, 0, 0),			/* [0] */
	SF("CONFIG", config, 0, 3, 1),		/* [3:1] */
	SF("S1FMT", s1fmt, 0, 5, 4),		/* [5:4] */
	SA("S1ContextPtr", s1_context_ptr, 0, 51, 6), /* [51:6] (55:6 in v3.4+, above OAS RES0) */
	SF("S1CDMAX", s1cdmax, 0, 63, 59),	/* [63:59] */
	SF("S1DSS", s1dss, 1, 1, 0),		/* [65:64] */
	SF("S1CIR", s1cir, 1, 3, 2),		/* [67:66] */
	SF("S1COR", s1cor, 1, 5, 4),		/* [69:68] */
	SF("S1CSH", s1csh, 1, 7, 6),		/* [71:70] */
	SF("MEV", mev, 1, 19, 19),		/* [83] */
	SF("S2FWB", s2fwb, 1, 25, 25),		/* [89] */
	SF("S1STALLD", s1stalld, 1, 27, 27),	/* [91] */
	SF("EATS", eats, 1, 29, 28),		/* [93:92] */
	SF("STRW", strw, 1, 31, 30),		/* [95:94] */
	SF("SHCFG", shcfg, 1, 45, 44),		/* [109:108] */
	SF("S2VMID", s2vmid, 2, 15, 0),		/* [143:128] */
	SF("S2T0SZ", s2t0sz, 2, 37, 32),	/* [165:160] */
	SF("S2SL0", s2sl0, 2, 39, 38),		/* [167:166] */
	SF("S2IR0", s2ir0, 2, 41, 40),		/* [169:168] */
	SF("S2OR0", s2or0, 2, 43, 42),		/* [171:170] */
	SF("S2SH0", s2sh0, 2, 45, 44),		/* [173:172] */
	SF("S2TG", s2tg, 2, 47, 46),		/* [175:174] */
	SF("S2PS", s2ps, 2, 50, 48),		/* [178:176] */
	SF("S2AA64", s2aa64, 2, 51, 51),	/* [179] */
	SF("S2ENDI", s2endi, 2, 52, 52),	/* [180] */
	SF("S2AFFD", s2affd, 2, 53, 53),	/* [181] */
	SF("S2PTW", s2ptw, 2, 54, 54),		/* [182] */
	SF("S2S", s2s, 2, 57, 57),		/* [185] */
	SF("S2R", s2r, 2, 58, 58),		/* [186] */
	SA("S2TTB", s2ttb, 3, 51, 4),		/* [243:196] = S2TTB[51:4] */
};
#undef SF
#undef SA

#define CF(n, m, w, h, l) { n, w, h, l, false, offsetof(struct cd, m), false }
#define CA(n, m, w, h, l) { n, w, h, l, true, offsetof(struct cd, m), true }
/* CD, IHI 0070 5.4 */
static const struct fld cd_fields[] = {
	CF("T0SZ", t0sz, 0, 5, 0),
	CF("TG0", tg0, 0, 7, 6),
	CF("IR0", irgn0, 0, 9, 8),
	CF("OR0", orgn0, 0, 11, 10),
	CF("SH0", sh0, 0, 13, 12),
	CF("EPD0", epd0, 0, 14, 14),
	CF("ENDI", endi, 0, 15, 15),
	CF("T1SZ", t1sz, 0, 21, 16),
	CF("TG1", tg1, 0, 23, 22),
	CF("EPD1", epd1, 0, 30, 30),
	CF("V", v, 0, 31, 31),
	CF("IPS", ips, 0, 34, 32),
	CF("TBI0", tbi0, 0, 38, 38),
	CF("AA64", aa64, 0, 41, 41),
	CF("HD", hd, 0, 42, 42),
	CF("HA", ha, 0, 43, 43),
	CF("S", s, 0, 44, 44),
	CF("R", r, 0, 45, 45),
	CF("A", a, 0, 46, 46),
	CF("ASET", aset, 0, 47, 47),
	CF("ASID", asid, 0, 63, 48),
	CF("HAD0", had0, 1, 1, 1),		/* [65] */
	CA("TTB0", ttb0, 1, 51, 4),		/* [115:68] = TTB0[51:4] */
	CA("TTB1", ttb1, 2, 51, 4),		/* [179:132] = TTB1[51:4] */
	{ "MAIR", 3, 63, 0, false, offsetof(struct cd, mair), true }, /* [255:192] MAIR0|MAIR1 */
};
#undef CF
#undef CA

static uint64_t getf(const void *obj, const struct fld *f)
{
	const char *p = (const char *)obj + f->off;

	if (f->wide) {
		uint64_t v;

		memcpy(&v, p, sizeof(v));
		return v;
	}
	{
		unsigned v;

		memcpy(&v, p, sizeof(v));
		return v;
	}
}

/* The value a field decodes to when all its bits are ones. */
static uint64_t ones_val(const struct fld *f)
{
	return f->addr ? mask(f->hi, f->lo) : wmask(f->hi - f->lo + 1);
}

/* An address field whose top is bit 51 may also take bits [55:52] (the
 * field is [55:x] in SMMUv3.4+, where bits above the OAS are RES0); accept
 * both readings when the background has those bits set. */
static bool addr_match(const struct fld *f, uint64_t got, uint64_t exp,
		       bool bg_ones)
{
	if (got == exp)
		return true;
	return f->addr && bg_ones && f->hi == 51 && got == (exp | mask(55, 52));
}

typedef void (*decode_fn)(void *obj, const uint64_t dw[8]);

static void dec_ste(void *obj, const uint64_t dw[8]) { ste_decode(obj, dw); }
static void dec_cd(void *obj, const uint64_t dw[8]) { cd_decode(obj, dw); }

/*
 * For each field: (1) all other bits ones, the field an alternating pattern
 * with bit 0 clear (so that a decoder off by one bit in either direction
 * reads a different value); (2) everything else must still decode as all
 * ones; (3) zero background, the field all ones: the field is all ones and
 * every other field zero (catches masks that are too wide).
 */
static void test_fields(const char *what, const struct fld *fs, size_t nf,
			decode_fn dec, size_t objsize)
{
	void *obj = malloc(objsize);
	size_t i, j;

	for (i = 0; i < nf; i++) {
		const struct fld *f = &fs[i];
		unsigned width = f->hi - f->lo + 1;
		uint64_t pat = 0xAAAAAAAAAAAAAAAAULL & wmask(width);
		uint64_t dw[8], exp, got;
		char bad[1024];
		size_t off = 0;

		/* (1)+(2) all-ones neighbours */
		memset(dw, 0xff, sizeof(dw));
		put(dw, f->dw, f->hi, f->lo, pat);
		memset(obj, 0x5a, objsize);
		dec(obj, dw);
		exp = f->addr ? pat << f->lo : pat;
		got = getf(obj, f);
		ok(NM("%s/%s/pattern_in_ones", what, f->name),
		   addr_match(f, got, exp, true),
		   "DW%u[%u:%u]=" X64 ": expected " X64 ", got " X64,
		   f->dw, f->hi, f->lo, pat, exp, got);
		bad[0] = 0;
		for (j = 0; j < nf; j++) {
			uint64_t e, g;

			if (j == i)
				continue;
			e = ones_val(&fs[j]);
			g = getf(obj, &fs[j]);
			if (!addr_match(&fs[j], g, e, true) && off < sizeof(bad) - 1)
				off += snprintf(bad + off, sizeof(bad) - off,
						" %s=" X64 "(exp " X64 ")",
						fs[j].name, g, e);
		}
		ok(NM("%s/%s/neighbours_intact", what, f->name), !bad[0],
		   "with %s set to a pattern in an all-ones entry:%s",
		   f->name, bad);

		/* (3) zero background */
		memset(dw, 0, sizeof(dw));
		put(dw, f->dw, f->hi, f->lo, ~0ULL);
		memset(obj, 0x5a, objsize);
		dec(obj, dw);
		off = 0;
		bad[0] = 0;
		got = getf(obj, f);
		if (got != ones_val(f))
			off += snprintf(bad + off, sizeof(bad) - off,
					" %s=" X64 "(exp " X64 ")", f->name, got,
					ones_val(f));
		for (j = 0; j < nf; j++) {
			uint64_t g;

			if (j == i)
				continue;
			g = getf(obj, &fs[j]);
			if (g && off < sizeof(bad) - 1)
				off += snprintf(bad + off, sizeof(bad) - off,
						" %s=" X64 "(exp 0)", fs[j].name, g);
		}
		ok(NM("%s/%s/alone_in_zeros", what, f->name), !bad[0],
		   "only DW%u[%u:%u] set:%s", f->dw, f->hi, f->lo, bad);
	}
	free(obj);
}

/* ------------------------------------------------------------------ */
/* STE                                                                */
/* ------------------------------------------------------------------ */

static void test_ste_decode(void)
{
	struct ste s;
	uint64_t dw[8];
	unsigned i;

	test_fields("ste_decode", ste_fields,
		    sizeof(ste_fields) / sizeof(ste_fields[0]), dec_ste,
		    sizeof(struct ste));

	for (i = 0; i < 8; i++)
		dw[i] = 0x0123456789abcdefULL * (i + 1);
	ste_decode(&s, dw);
	ok("ste_decode/raw_dwords_kept", !memcmp(s.dw, dw, sizeof(dw)),
	   "ste.dw differs from the input");

	/* IHI 0070 5.2 Config: 0b000 abort, 0b0xx reserved (behaves as
	 * abort), 0b100 bypass, 0b101 S1, 0b110 S2, 0b111 S1+S2. */
	{
		static const char *const exp[8] = {
			"abort", "reserved", "reserved", "reserved",
			"bypass", "s1-trans", "s2-trans", "nested",
		};
		static const bool s1[8] = { 0, 0, 0, 0, 0, 1, 0, 1 };
		static const bool s2[8] = { 0, 0, 0, 0, 0, 0, 1, 1 };

		for (i = 0; i < 8; i++) {
			const char *n = ste_config_name(i);

			ok(NM("ste_config_name/%u", i), n && !strcmp(n, exp[i]),
			   "expected \"%s\", got \"%s\"", exp[i], n ? n : "(null)");
			ok(NM("ste_config_has_s1/%u", i),
			   ste_config_has_s1(i) == s1[i], "expected %d", s1[i]);
			ok(NM("ste_config_has_s2/%u", i),
			   ste_config_has_s2(i) == s2[i], "expected %d", s2[i]);
		}
	}
}

/* Linux-like stage-1 STE (arm_smmu_make_cdtable_ste). */
static void ste_s1(uint64_t dw[8], unsigned s1fmt, unsigned cdmax, uint64_t cdptr)
{
	memset(dw, 0, 64);
	put(dw, 0, 0, 0, 1);		/* V */
	put(dw, 0, 3, 1, 5);		/* Config = S1 translate */
	put(dw, 0, 5, 4, s1fmt);
	dw[0] |= cdptr & mask(51, 6);
	put(dw, 0, 63, 59, cdmax);
	put(dw, 1, 1, 0, cdmax ? 2 : 0);	/* S1DSS = SSID0 */
	put(dw, 1, 3, 2, 1);		/* S1CIR WBRA */
	put(dw, 1, 5, 4, 1);		/* S1COR WBRA */
	put(dw, 1, 7, 6, 3);		/* S1CSH ISH */
	put(dw, 1, 45, 44, 1);		/* SHCFG incoming */
}

/* Linux-like stage-2 STE (arm_smmu_make_s2_domain_ste). */
static void ste_s2(uint64_t dw[8], unsigned t0sz, unsigned sl0, unsigned tg,
		   unsigned ps, uint64_t ttb)
{
	memset(dw, 0, 64);
	put(dw, 0, 0, 0, 1);
	put(dw, 0, 3, 1, 6);		/* Config = S2 translate */
	put(dw, 1, 45, 44, 1);
	put(dw, 2, 15, 0, 1);		/* S2VMID */
	put(dw, 2, 37, 32, t0sz);
	put(dw, 2, 39, 38, sl0);
	put(dw, 2, 41, 40, 1);		/* S2IR0 WBWA */
	put(dw, 2, 43, 42, 1);		/* S2OR0 */
	put(dw, 2, 45, 44, 3);		/* S2SH0 ISH */
	put(dw, 2, 47, 46, tg);
	put(dw, 2, 50, 48, ps);
	put(dw, 2, 51, 51, 1);		/* S2AA64 */
	put(dw, 2, 54, 54, 1);		/* S2PTW */
	put(dw, 2, 58, 58, 1);		/* S2R */
	dw[3] = ttb & mask(51, 4);
}

/* Run ste_check on @dw; returns its result, problems in PR. */
static bool check_ste(const uint64_t dw[8], const struct smmu_caps *caps)
{
	struct ste s;

	probs_reset();
	ste_decode(&s, dw);
	return ste_check(&s, caps, &SINK);
}

static void expect_bad_ste(const char *name, const uint64_t dw[8],
			   const struct smmu_caps *caps)
{
	bool r = check_ste(dw, caps);

	ok(NM("ste_check/%s/returns_bad", name), r,
	   "ste_check returned false; problems: %s", probs_str());
	ok(NM("ste_check/%s/kind_bad_ste", name), nkind(SD_PROB_BAD_STE) >= 1,
	   "no bad_ste problem; problems: %s", probs_str());
}

static void expect_good_ste(const char *name, const uint64_t dw[8],
			    const struct smmu_caps *caps)
{
	bool r = check_ste(dw, caps);

	ok(NM("ste_check/%s/not_flagged", name), !r && ntotal() == 0,
	   "ste_check returned %d; problems: %s", r, probs_str());
}

static void test_ste_check(void)
{
	struct smmu_caps c = caps_std(), c2;
	uint64_t dw[8];

	/* ---- good, Linux-like ---- */
	memset(dw, 0, sizeof(dw));
	put(dw, 0, 0, 0, 1);			/* V, Config 0 = abort */
	expect_good_ste("good_abort", dw, &c);
	memset(dw, 0, sizeof(dw));
	put(dw, 0, 0, 0, 1);
	put(dw, 0, 3, 1, 4);			/* bypass */
	put(dw, 1, 45, 44, 1);
	expect_good_ste("good_bypass", dw, &c);
	ste_s1(dw, 0, 0, 0x41234000);
	expect_good_ste("good_s1_single_cd", dw, &c);
	ste_s1(dw, 2, 8, 0x41230000);		/* 64K L2 CD tables, 256 SSIDs */
	expect_good_ste("good_s1_2lvl_cdmax_eq_ssidsize", dw, &c);
	ste_s2(dw, 24, 1, 0, 2, 0x41000000);	/* 40-bit IPA, L1, 2 tables */
	expect_good_ste("good_s2_4k_t0sz24_sl0_1", dw, &c);
	ste_s2(dw, 22, 1, 1, 5, 0x41000000);	/* 64K, 42-bit IPA, L2 */
	expect_good_ste("good_s2_64k_t0sz22_sl0_1", dw, &c);
	ste_s2(dw, 16, 2, 0, 5, 0x41000000);	/* 4K, 48-bit, L0 */
	expect_good_ste("good_s2_4k_t0sz16_sl0_2", dw, &c);
	/* S2PS above IDR5.OAS is capped (eff_S2PS = MIN(S2PS, OAS)), not ILLEGAL */
	ste_s2(dw, 24, 1, 0, 6, 0x41000000);
	expect_good_ste("good_s2ps_above_oas_capped", dw, &c);
	/* nested */
	ste_s2(dw, 24, 1, 0, 2, 0x41000000);
	put(dw, 0, 3, 1, 7);
	dw[0] |= 0x42000000ULL & mask(51, 6);
	put(dw, 1, 7, 2, 0x35);			/* S1CSH 3, S1COR 1, S1CIR 1 */
	expect_good_ste("good_nested", dw, &c);

	/* ---- IGNORED fields (5.2: S1* ignored when Config == 0b1x0,
	 * S2* ignored when Config == 0b10x; S1Fmt ignored when S1CDMax == 0) ---- */
	ste_s2(dw, 24, 1, 0, 2, 0x41000000);
	put(dw, 0, 5, 4, 3);
	put(dw, 0, 63, 59, 31);
	expect_good_ste("s1_fields_ignored_in_s2_only", dw, &c);
	ste_s1(dw, 0, 0, 0x41234000);
	put(dw, 2, 47, 46, 3);			/* S2TG reserved */
	put(dw, 2, 51, 51, 0);			/* S2AA64 = 0 */
	expect_good_ste("s2_fields_ignored_in_s1_only", dw, &c);
	ste_s1(dw, 3, 0, 0x41234000);
	expect_good_ste("s1fmt_reserved_ignored_when_cdmax0", dw, &c);
	/* S1CDMax IGNORED when IDR1.SSIDSIZE == 0 */
	c2 = c;
	c2.ssidsize = 0;
	ste_s1(dw, 0, 5, 0x41230000);
	expect_good_ste("s1cdmax_ignored_when_ssidsize0", dw, &c2);

	/* ---- C_BAD_STE ---- */
	/* 5.2 S1Fmt: 0b11 is "Reserved (behaves as 0b00)": with CD2L == 1 it
	 * is a reserved encoding, not ILLEGAL. */
	ste_s1(dw, 3, 4, 0x41230000);
	check_ste(dw, &c);
	ok("ste_check/s1fmt_reserved_cdmax4/kind_reserved",
	   nkind(SD_PROB_RESERVED) >= 1,
	   "S1FMT=0b11 with S1CDMAX=4 not reported as reserved; problems: %s",
	   probs_str());
	ok("ste_check/s1fmt_reserved_cdmax4/not_bad_ste",
	   nkind(SD_PROB_BAD_STE) == 0,
	   "IHI 0070 5.2 S1Fmt 0b11 'Reserved (behaves as 0b00)' is not ILLEGAL; problems: %s",
	   probs_str());
	/* 5.2 S1Fmt: CD2L == 0 and S1Fmt != 0 with substreams: ILLEGAL */
	c2 = c;
	c2.cd2l = false;
	ste_s1(dw, 2, 4, 0x41230000);
	expect_bad_ste("s1fmt_2lvl_without_cd2l", dw, &c2);
	ste_s1(dw, 3, 4, 0x41230000);
	expect_bad_ste("s1fmt_reserved_without_cd2l", dw, &c2);
	/* 5.2 S1CDMax: 0..SSIDSIZE inclusive, others ILLEGAL */
	ste_s1(dw, 0, 9, 0x41200000);
	expect_bad_ste("s1cdmax_gt_ssidsize", dw, &c);
	ste_s1(dw, 2, 20, 0x41200000);
	expect_bad_ste("s1cdmax20_gt_ssidsize8", dw, &c);
	/* 5.2 Config: 0b1x1 ILLEGAL without S1P, 0b11x without S2P */
	c2 = c;
	c2.s1p = false;
	ste_s1(dw, 0, 0, 0x41234000);
	expect_bad_ste("s1_trans_without_s1p", dw, &c2);
	ste_s2(dw, 24, 1, 0, 2, 0x41000000);
	put(dw, 0, 3, 1, 7);
	expect_bad_ste("nested_without_s1p", dw, &c2);
	c2 = c;
	c2.s2p = false;
	ste_s2(dw, 24, 1, 0, 2, 0x41000000);
	expect_bad_ste("s2_trans_without_s2p", dw, &c2);
	/* 5.2 S2TG: reserved value or unsupported granule ILLEGAL */
	ste_s2(dw, 24, 1, 3, 2, 0x41000000);
	expect_bad_ste("s2tg_reserved", dw, &c);
	c2 = c;
	c2.gran16k = false;
	ste_s2(dw, 28, 1, 2, 2, 0x41000000);	/* 16K, 36-bit, L2: consistent */
	expect_bad_ste("s2tg_16k_unsupported", dw, &c2);
	c2 = c;
	c2.gran64k = false;
	ste_s2(dw, 22, 1, 1, 2, 0x41000000);
	expect_bad_ste("s2tg_64k_unsupported", dw, &c2);
	c2 = c;
	c2.gran4k = false;
	ste_s2(dw, 24, 1, 0, 2, 0x41000000);
	expect_bad_ste("s2tg_4k_unsupported", dw, &c2);
	/* 5.2 S2SL0: inconsistent with S2T0SZ/S2TG ILLEGAL.
	 * 4K SL0=2 starts at L0, which needs a 40..48-bit IPA; T0SZ 34 is 30. */
	ste_s2(dw, 34, 2, 0, 2, 0x41000000);
	expect_bad_ste("s2sl0_l0_with_30bit_ipa", dw, &c);
	/* 4K SL0=0 (L2) covers at most 30+4 bits; T0SZ 16 is 48 */
	ste_s2(dw, 16, 0, 0, 5, 0x41000000);
	expect_bad_ste("s2sl0_l2_with_48bit_ipa", dw, &c);
	/* 4K SL0=3 is reserved without S2DS/LPA2 */
	ste_s2(dw, 16, 3, 0, 5, 0x41000000);
	expect_bad_ste("s2sl0_3_with_4k", dw, &c);
	/* S2T0SZ below 64-IAS (IAS = OAS = 48 on an AArch64-only SMMU) */
	ste_s2(dw, 12, 2, 1, 5, 0x41000000);	/* 64K, 52-bit IPA */
	expect_bad_ste("s2t0sz_below_64_minus_ias", dw, &c);
	/* 5.2 S2AA64: VMSAv8-32 LPAE without IDR0.TTF[0] ILLEGAL */
	ste_s2(dw, 24, 1, 0, 2, 0x41000000);
	put(dw, 2, 51, 51, 0);
	expect_bad_ste("s2aa64_0_on_aarch64_only", dw, &c);
	/* 5.2 S2TTB: ILLEGAL outside the effective S2PS range (40 bits) */
	ste_s2(dw, 24, 1, 0, 2, 0x10000000000ULL);
	expect_bad_ste("s2ttb_beyond_s2ps", dw, &c);
}

/* ------------------------------------------------------------------ */
/* CD                                                                 */
/* ------------------------------------------------------------------ */

/* Linux-like CD (arm_smmu_make_s1_cd): EPD1 with TG1 = 0 (reserved, but
 * IGNORED since EPD1 = 1). */
static void cd_linux(uint64_t dw[8], unsigned t0sz, unsigned tg0, unsigned ips,
		     uint64_t ttb0)
{
	memset(dw, 0, 64);
	put(dw, 0, 5, 0, t0sz);
	put(dw, 0, 7, 6, tg0);
	put(dw, 0, 9, 8, 1);		/* IR0 WBWA */
	put(dw, 0, 11, 10, 1);		/* OR0 WBWA */
	put(dw, 0, 13, 12, 3);		/* SH0 ISH */
	put(dw, 0, 30, 30, 1);		/* EPD1 */
	put(dw, 0, 31, 31, 1);		/* V */
	put(dw, 0, 34, 32, ips);
	put(dw, 0, 41, 41, 1);		/* AA64 */
	put(dw, 0, 45, 45, 1);		/* R */
	put(dw, 0, 46, 46, 1);		/* A */
	put(dw, 0, 47, 47, 1);		/* ASET */
	put(dw, 0, 63, 48, 7);		/* ASID */
	dw[1] = ttb0 & mask(51, 4);
	dw[3] = 0x00000000004404ffULL;	/* MAIR */
}

static bool check_cd(const uint64_t dw[8], const struct smmu_caps *caps)
{
	struct cd cd;

	probs_reset();
	cd_decode(&cd, dw);
	return cd_check(&cd, caps, &SINK);
}

static void expect_bad_cd(const char *name, const uint64_t dw[8],
			  const struct smmu_caps *caps)
{
	bool r = check_cd(dw, caps);

	ok(NM("cd_check/%s/returns_bad", name), r,
	   "cd_check returned false; problems: %s", probs_str());
	ok(NM("cd_check/%s/kind_bad_cd", name), nkind(SD_PROB_BAD_CD) >= 1,
	   "no bad_cd problem; problems: %s", probs_str());
}

static void expect_good_cd(const char *name, const uint64_t dw[8],
			   const struct smmu_caps *caps)
{
	bool r = check_cd(dw, caps);

	ok(NM("cd_check/%s/not_flagged", name), !r && ntotal() == 0,
	   "cd_check returned %d; problems: %s", r, probs_str());
}

static void test_cd(void)
{
	struct smmu_caps c = caps_std(), c2;
	uint64_t dw[8];
	struct cd cd;
	unsigned i;

	test_fields("cd_decode", cd_fields,
		    sizeof(cd_fields) / sizeof(cd_fields[0]), dec_cd,
		    sizeof(struct cd));
	for (i = 0; i < 8; i++)
		dw[i] = 0xfedcba9876543210ULL ^ i;
	cd_decode(&cd, dw);
	ok("cd_decode/raw_dwords_kept", !memcmp(cd.dw, dw, sizeof(dw)),
	   "cd.dw differs from the input");

	cd_linux(dw, 16, 0, 5, 0x41000000);
	expect_good_cd("good_linux_4k_48bit", dw, &c);
	cd_linux(dw, 25, 0, 2, 0x41000000);
	expect_good_cd("good_linux_4k_39bit", dw, &c);
	cd_linux(dw, 16, 1, 5, 0x41010000);
	expect_good_cd("good_linux_64k", dw, &c);
	cd_linux(dw, 17, 2, 5, 0x41004000);
	expect_good_cd("good_linux_16k", dw, &c);
	/* IPS above OAS is capped, not ILLEGAL (5.4 IPS) */
	cd_linux(dw, 16, 0, 6, 0x41000000);
	expect_good_cd("good_ips_above_oas_capped", dw, &c);
	/* T0SZ 12 is valid with IDR5.VAX = 52-bit and a 64K TG0 */
	c2 = c;
	c2.vax52 = true;
	c2.oas_bits = 52;
	cd_linux(dw, 12, 1, 6, 0x41010000);
	expect_good_cd("good_t0sz12_64k_vax52", dw, &c2);
	/* EPD0 = 1: T0SZ/TG0/TTB0 IGNORED */
	cd_linux(dw, 0, 3, 5, 0);
	put(dw, 0, 14, 14, 1);
	expect_good_cd("epd0_makes_tg0_t0sz_ignored", dw, &c);

	cd_linux(dw, 16, 3, 5, 0x41000000);
	expect_bad_cd("tg0_reserved", dw, &c);
	c2 = c;
	c2.gran16k = false;
	cd_linux(dw, 17, 2, 5, 0x41004000);
	expect_bad_cd("tg0_16k_unsupported", dw, &c2);
	cd_linux(dw, 8, 0, 5, 0x41000000);
	expect_bad_cd("t0sz_8_too_small", dw, &c);
	cd_linux(dw, 55, 0, 5, 0x41000000);
	expect_bad_cd("t0sz_55_too_large", dw, &c);
	cd_linux(dw, 12, 1, 5, 0x41010000);
	expect_bad_cd("t0sz_12_without_vax52", dw, &c);
	cd_linux(dw, 12, 0, 5, 0x41000000);
	c2 = c;
	c2.vax52 = true;
	expect_bad_cd("t0sz_12_4k_without_ds", dw, &c2);
	cd_linux(dw, 16, 0, 5, 0x41000000);
	put(dw, 0, 41, 41, 0);
	expect_bad_cd("aa64_0_on_aarch64_only", dw, &c);
	/* 5.4 TTB0: ILLEGAL outside the effective IPS (40 bits here) */
	cd_linux(dw, 16, 0, 2, 0x10000000000ULL);
	expect_bad_cd("ttb0_beyond_ips", dw, &c);
	/* ... and outside 48 bits with a 4K granule and DS == 0 */
	c2 = c;
	c2.oas_bits = 52;
	cd_linux(dw, 16, 0, 6, 0x0008000041000000ULL);
	expect_bad_cd("ttb0_above_48bit_with_4k", dw, &c2);
}

/* ------------------------------------------------------------------ */
/* registers                                                          */
/* ------------------------------------------------------------------ */

static void test_regs(void)
{
	struct smmu_caps c;
	struct strtab_cfg t;
	struct smmu_caps cs = caps_std();
	static const unsigned ps[8] = { 32, 36, 40, 42, 44, 48, 52, 52 };
	unsigned i;
	uint32_t idr0, idr1, idr5;

	for (i = 0; i < 8; i++)
		ok(NM("smmu_ps_bits/%u", i), smmu_ps_bits(i) == ps[i],
		   "expected %u, got %u", ps[i], smmu_ps_bits(i));

	/* QEMU virt under Linux 6.1 (doc/interfaces.md example):
	 * IDR0 0x0d40101a: S1P[1]=1, S2P[0]=0, TTF[3:2]=0b10, CD2L[19]=0,
	 * ST_LEVEL[28:27]=0b01; IDR1 0x02730010: SIDSIZE[5:0]=16,
	 * SSIDSIZE[10:6]=0; IDR5 0x74: OAS[2:0]=0b100 (44), GRAN4K[4],
	 * GRAN16K[5], GRAN64K[6], VAX[11:10]=0. */
	memset(&c, 0x5a, sizeof(c));
	smmu_caps_from_idr(&c, true, 0x0d40101a, true, 0x02730010, true, 0x74);
	ok("caps/qemu/have", c.have_idr0 && c.have_idr1 && c.have_idr5, "have flags");
	ok("caps/qemu/s1p_s2p", c.s1p && !c.s2p, "s1p %d s2p %d", c.s1p, c.s2p);
	ok("caps/qemu/ttf", c.ttf_aarch64 && !c.ttf_aarch32, "aarch64 %d aarch32 %d",
	   c.ttf_aarch64, c.ttf_aarch32);
	ok("caps/qemu/cd2l", !c.cd2l, "cd2l %d", c.cd2l);
	ok("caps/qemu/st_2lvl", c.st_2lvl, "st_2lvl %d", c.st_2lvl);
	ok("caps/qemu/sidsize", c.sidsize == 16, "sidsize %u", c.sidsize);
	ok("caps/qemu/ssidsize", c.ssidsize == 0, "ssidsize %u", c.ssidsize);
	ok("caps/qemu/granules", c.gran4k && c.gran16k && c.gran64k,
	   "4k %d 16k %d 64k %d", c.gran4k, c.gran16k, c.gran64k);
	ok("caps/qemu/oas", c.oas_bits == 44, "oas %u", c.oas_bits);
	ok("caps/qemu/vax", !c.vax52, "vax52 %d", c.vax52);

	/* IDR0: S2P only, TTF = 0b01 (AArch32 only), ST_LEVEL 0, CD2L 0 */
	idr0 = (1u << 0) | (1u << 2);
	smmu_caps_from_idr(&c, true, idr0, false, 0, false, 0);
	ok("caps/idr0_s2p_ttf32/s1p_s2p", !c.s1p && c.s2p, "s1p %d s2p %d", c.s1p, c.s2p);
	ok("caps/idr0_s2p_ttf32/ttf", c.ttf_aarch32 && !c.ttf_aarch64,
	   "aarch32 %d aarch64 %d", c.ttf_aarch32, c.ttf_aarch64);
	ok("caps/idr0_s2p_ttf32/st_cd2l", !c.st_2lvl && !c.cd2l, "st_2lvl %d cd2l %d",
	   c.st_2lvl, c.cd2l);
	/* smmu.h: with IDR5 unknown the tables are trusted up to 52 bits (the
	 * largest OAS encoding), so nothing valid is flagged as too wide. */
	ok("caps/no_idr5/oas52", !c.have_idr5 && c.oas_bits == 52,
	   "have_idr5 %d oas %u", c.have_idr5, c.oas_bits);
	/* IDR0: everything set except S1P; TTF 0b11; CD2L[19]; ST_LEVEL 0b01 */
	idr0 = ~0u;
	idr0 &= ~(1u << 1);
	idr0 &= ~(3u << 27);
	idr0 |= 1u << 27;
	smmu_caps_from_idr(&c, true, idr0, false, 0, false, 0);
	ok("caps/idr0_ones_but_s1p/s1p_s2p", !c.s1p && c.s2p, "s1p %d s2p %d", c.s1p, c.s2p);
	ok("caps/idr0_ones_but_s1p/ttf_both", c.ttf_aarch32 && c.ttf_aarch64,
	   "aarch32 %d aarch64 %d", c.ttf_aarch32, c.ttf_aarch64);
	ok("caps/idr0_ones_but_s1p/cd2l_st", c.cd2l && c.st_2lvl, "cd2l %d st_2lvl %d",
	   c.cd2l, c.st_2lvl);
	/* IDR0: CD2L clear, everything else set (ST_LEVEL 0b01) */
	idr0 = ~0u & ~(1u << 19) & ~(1u << 28);
	smmu_caps_from_idr(&c, true, idr0, false, 0, false, 0);
	ok("caps/idr0_ones_but_cd2l", !c.cd2l && c.s1p && c.s2p && c.st_2lvl,
	   "cd2l %d s1p %d s2p %d st_2lvl %d", c.cd2l, c.s1p, c.s2p, c.st_2lvl);
	/* IDR1: SIDSIZE 21 (0b010101) and SSIDSIZE 10 (0b01010) in all ones */
	idr1 = ~0u & ~0x7ffu;
	idr1 |= 21u | (10u << 6);
	smmu_caps_from_idr(&c, false, 0, true, idr1, false, 0);
	ok("caps/idr1/sidsize", c.sidsize == 21, "sidsize %u", c.sidsize);
	ok("caps/idr1/ssidsize", c.ssidsize == 10, "ssidsize %u", c.ssidsize);
	/* IDR5: OAS 0b110 (52), VAX 0b01, GRAN64K only */
	idr5 = 6u | (1u << 6) | (1u << 10);
	smmu_caps_from_idr(&c, false, 0, false, 0, true, idr5);
	ok("caps/idr5_52/oas", c.oas_bits == 52, "oas %u", c.oas_bits);
	ok("caps/idr5_52/vax52", c.vax52, "vax52 %d", c.vax52);
	ok("caps/idr5_52/granules", !c.gran4k && !c.gran16k && c.gran64k,
	   "4k %d 16k %d 64k %d", c.gran4k, c.gran16k, c.gran64k);
	/* IDR5: OAS 0b001 (36), GRAN4K only, STALL_MAX ones */
	idr5 = 1u | (1u << 4) | 0xffff0000u;
	smmu_caps_from_idr(&c, false, 0, false, 0, true, idr5);
	ok("caps/idr5_36/oas", c.oas_bits == 36, "oas %u", c.oas_bits);
	ok("caps/idr5_36/granules", c.gran4k && !c.gran16k && !c.gran64k,
	   "4k %d 16k %d 64k %d", c.gran4k, c.gran16k, c.gran64k);
	ok("caps/idr5_36/vax", !c.vax52, "vax52 %d", c.vax52);
	/* IDR5: GRAN16K only, OAS 0b101 */
	idr5 = 5u | (1u << 5);
	smmu_caps_from_idr(&c, false, 0, false, 0, true, idr5);
	ok("caps/idr5_16k/granules", !c.gran4k && c.gran16k && !c.gran64k,
	   "4k %d 16k %d 64k %d", c.gran4k, c.gran16k, c.gran64k);
	ok("caps/idr5_16k/oas", c.oas_bits == 48, "oas %u", c.oas_bits);

	/* ---- STRTAB_BASE / STRTAB_BASE_CFG (6.3.24 / 6.3.25) ----
	 * BASE: RA[62], ADDR[51:6] (bits 63, 61:56, 5:0 not part of it).
	 * CFG: FMT[17:16], SPLIT[10:6], LOG2SIZE[5:0]. */
	{
		uint64_t base = (1ULL << 63) | (1ULL << 62) | mask(61, 56) |
				0x00081234567899c0ULL | 0x3f;
		uint32_t cfg = (0u << 16) | (8u << 6) | 10u | 0xfffc0000u;

		probs_reset();
		memset(&t, 0x5a, sizeof(t));
		strtab_cfg_decode(&t, base, cfg, &cs, &SINK);
		ok("strtab/linear/regs_kept", t.base_reg == base && t.cfg_reg == cfg,
		   "base_reg " X64 " cfg_reg " X64, t.base_reg, t.cfg_reg);
		ok("strtab/linear/addr", t.addr == 0x00081234567899c0ULL,
		   "expected 0x00081234567899c0, got " X64, t.addr);
		ok("strtab/linear/ra", t.ra, "ra %d", t.ra);
		ok("strtab/linear/fmt", t.fmt == 0, "fmt %u", t.fmt);
		ok("strtab/linear/log2size", t.log2size == 10 && t.eff_log2size == 10,
		   "log2size %u eff %u", t.log2size, t.eff_log2size);
		ok("strtab/linear/num_sids", t.num_sids == 1024,
		   "num_sids %" PRIu64, t.num_sids);

		base = 0x0000000041a80000ULL;
		cfg = (1u << 16) | (8u << 6) | 16u;
		strtab_cfg_decode(&t, base, cfg, &cs, &SINK);
		ok("strtab/2lvl/ra_clear", !t.ra, "ra %d", t.ra);
		ok("strtab/2lvl/addr", t.addr == 0x41a80000ULL, "addr " X64, t.addr);
		ok("strtab/2lvl/fmt_split", t.fmt == 1 && t.split == 8,
		   "fmt %u split %u", t.fmt, t.split);
		ok("strtab/2lvl/l1_entries", t.l1_entries == 256,
		   "2^(16-8) expected 256, got %" PRIu64, t.l1_entries);
		ok("strtab/2lvl/num_sids", t.num_sids == 65536,
		   "num_sids %" PRIu64, t.num_sids);

		/* The QEMU example: STRTAB_BASE_CFG 0x10210 = FMT 1, SPLIT 8, LOG2SIZE 16 */
		strtab_cfg_decode(&t, 0x4000000041a80000ULL, 0x10210, &cs, &SINK);
		ok("strtab/qemu/decode", t.ra && t.addr == 0x41a80000ULL && t.fmt == 1 &&
		   t.split == 8 && t.log2size == 16 && t.l1_entries == 256,
		   "ra %d addr " X64 " fmt %u split %u log2 %u l1 %" PRIu64,
		   t.ra, t.addr, t.fmt, t.split, t.log2size, t.l1_entries);

		/* Effective LOG2SIZE = MIN(LOG2SIZE, IDR1.SIDSIZE), also for
		 * the L1 index calculation */
		cfg = (1u << 16) | (8u << 6) | 20u;
		strtab_cfg_decode(&t, base, cfg, &cs, &SINK);
		ok("strtab/capped/log2size_raw", t.log2size == 20, "log2size %u", t.log2size);
		ok("strtab/capped/eff_log2size", t.eff_log2size == 16,
		   "expected 16 (SIDSIZE), got %u", t.eff_log2size);
		ok("strtab/capped/num_sids", t.num_sids == 65536, "num_sids %" PRIu64,
		   t.num_sids);
		ok("strtab/capped/l1_entries", t.l1_entries == 256,
		   "2^(16-8) expected 256, got %" PRIu64, t.l1_entries);
		{
			struct smmu_caps nc = cs;

			nc.have_idr1 = false;
			strtab_cfg_decode(&t, base, cfg, &nc, &SINK);
			ok("strtab/no_idr1/not_capped", t.eff_log2size == 20 &&
			   t.num_sids == (1ULL << 20) && t.l1_entries == 4096,
			   "eff %u num %" PRIu64 " l1 %" PRIu64, t.eff_log2size,
			   t.num_sids, t.l1_entries);
		}
		/* SIDSIZE 32: 2^32 SIDs need 64-bit arithmetic */
		{
			struct smmu_caps bc = cs;

			bc.sidsize = 32;
			cfg = (1u << 16) | (10u << 6) | 32u;
			strtab_cfg_decode(&t, base, cfg, &bc, &SINK);
			ok("strtab/sid32/num_sids", t.eff_log2size == 32 &&
			   t.num_sids == (1ULL << 32), "eff %u num %" PRIu64,
			   t.eff_log2size, t.num_sids);
			ok("strtab/sid32/l1_entries", t.l1_entries == (1ULL << 22),
			   "2^(32-10) expected 4194304, got %" PRIu64, t.l1_entries);
		}
		/* Number of L1STDs is MAX(1, 2^(LOG2SIZE-SPLIT)) */
		cfg = (1u << 16) | (10u << 6) | 6u;
		strtab_cfg_decode(&t, base, cfg, &cs, &SINK);
		ok("strtab/split_ge_log2size/l1_entries", t.l1_entries == 1,
		   "MAX(1, 2^(6-10)) expected 1, got %" PRIu64, t.l1_entries);
		/* SPLIT values other than 6/8/10 are reserved, behave as 6 */
		cfg = (1u << 16) | (7u << 6) | 16u;
		strtab_cfg_decode(&t, base, cfg, &cs, &SINK);
		ok("strtab/split_reserved_as_6/l1_entries", t.l1_entries == 1024,
		   "SPLIT 7 behaves as 6: expected 2^(16-6)=1024, got %" PRIu64,
		   t.l1_entries);
	}
}

/* ------------------------------------------------------------------ */
/* page-table geometry                                                */
/* ------------------------------------------------------------------ */

static bool cfg_s1(struct pt_cfg *cfg, const uint64_t dw[8],
		   const struct smmu_caps *caps)
{
	struct cd cd;

	probs_reset();
	cd_decode(&cd, dw);
	memset(cfg, 0x5a, sizeof(*cfg));
	return pt_cfg_s1(cfg, &cd, caps, &SINK);
}

static bool cfg_s2(struct pt_cfg *cfg, const uint64_t dw[8],
		   const struct smmu_caps *caps)
{
	struct ste s;

	probs_reset();
	ste_decode(&s, dw);
	memset(cfg, 0x5a, sizeof(*cfg));
	return pt_cfg_s2(cfg, &s, caps, &SINK);
}

static const char *gname(unsigned tg)	/* TG0/S2TG encoding */
{
	return tg == 0 ? "4k" : tg == 1 ? "64k" : tg == 2 ? "16k" : "tg3";
}

static unsigned gshift(unsigned tg)
{
	return tg == 0 ? 12 : tg == 1 ? 16 : 14;
}

static void test_cfg(void)
{
	struct smmu_caps c = caps_std(), c52 = caps_std();
	struct pt_cfg cfg;
	uint64_t dw[8];
	size_t i;

	c52.oas_bits = 52;
	c52.vax52 = true;

	/*
	 * Stage 1 (VMSAv8-64): each level resolves s = g - 3 bits; a walk
	 * needs ceil((IAS - g) / s) levels and starts at 4 - levels.
	 *   4K (g 12, s 9):  T0SZ 16: 48 bits, 36/9 = 4 -> L0;  24: 40, ceil(28/9)=4 -> L0;
	 *                    25: 39, 27/9 = 3 -> L1;  33: 31, ceil(19/9)=3 -> L1;
	 *                    34: 30, 18/9 = 2 -> L2;  39: 25, ceil(13/9)=2 -> L2.
	 *   16K (g 14, s 11): 16: 48, ceil(34/11)=4 -> L0;  17: 47, 33/11=3 -> L1;
	 *                    27: 37, ceil(23/11)=3 -> L1;  28: 36, 22/11=2 -> L2;
	 *                    39: 25, 11/11 = 1 -> L3.
	 *   64K (g 16, s 13): 16: 48, ceil(32/13)=3 -> L1;  12 (VAX 52): 52,
	 *                    ceil(36/13)=3 -> L1;  21: 43, ceil(27/13)=3 -> L1;
	 *                    22: 42, 26/13=2 -> L2;  25: 39, ceil(23/13)=2 -> L2;
	 *                    34: 30, ceil(14/13)=2 -> L2;  35: 29, 13/13=1 -> L3.
	 */
	static const struct { unsigned tg, t0sz, start; } s1[] = {
		{ 0, 16, 0 }, { 0, 24, 0 }, { 0, 25, 1 }, { 0, 33, 1 },
		{ 0, 34, 2 }, { 0, 39, 2 },
		{ 2, 16, 0 }, { 2, 17, 1 }, { 2, 27, 1 }, { 2, 28, 2 }, { 2, 39, 3 },
		{ 1, 16, 1 }, { 1, 12, 1 }, { 1, 21, 1 }, { 1, 22, 2 }, { 1, 25, 2 },
		{ 1, 34, 2 }, { 1, 35, 3 },
	};
	for (i = 0; i < sizeof(s1) / sizeof(s1[0]); i++) {
		const char *n = NM("pt_cfg_s1/%s_t0sz%u", gname(s1[i].tg), s1[i].t0sz);
		uint64_t ttb = 0x41000000ULL;
		bool r;

		cd_linux(dw, s1[i].t0sz, s1[i].tg, s1[i].t0sz == 12 ? 6 : 5, ttb);
		r = cfg_s1(&cfg, dw, &c52);
		ok(NM("%s/accepted", n), r, "pt_cfg_s1 failed: %s", probs_str());
		if (!r)
			continue;
		ok(NM("%s/start_level", n), cfg.start_level == s1[i].start,
		   "expected L%u, got L%u", s1[i].start, cfg.start_level);
		ok(NM("%s/geometry", n), cfg.stage == 1 &&
		   cfg.granule_shift == gshift(s1[i].tg) &&
		   cfg.ias == 64 - s1[i].t0sz && cfg.concat == 1 && cfg.root == ttb,
		   "stage %d gshift %u ias %u concat %u root " X64, cfg.stage,
		   cfg.granule_shift, cfg.ias, cfg.concat, cfg.root);
	}
	/* effective OAS = MIN(IPS, IDR5.OAS) */
	cd_linux(dw, 16, 0, 5, 0x41000000);
	{
		struct smmu_caps c44 = c;

		c44.oas_bits = 44;
		cfg_s1(&cfg, dw, &c44);
		ok("pt_cfg_s1/oas_capped_by_idr5", cfg.oas == 44,
		   "IPS 48 with OAS 44: expected 44, got %u", cfg.oas);
	}
	cd_linux(dw, 16, 0, 2, 0x41000000);
	cfg_s1(&cfg, dw, &c);
	ok("pt_cfg_s1/oas_from_ips", cfg.oas == 40, "IPS 0b010: expected 40, got %u", cfg.oas);
	/* 52-bit TTB0 with a 64K granule, HAD0 and ENDI carried over */
	cd_linux(dw, 16, 1, 6, 0x0008000000040000ULL);
	put(dw, 1, 1, 1, 1);			/* HAD0 */
	put(dw, 0, 15, 15, 1);			/* ENDI */
	cfg_s1(&cfg, dw, &c52);
	ok("pt_cfg_s1/64k_52bit_root", cfg.root == 0x0008000000040000ULL && cfg.oas == 52,
	   "root " X64 " oas %u", cfg.root, cfg.oas);
	ok("pt_cfg_s1/had_endi", cfg.had && cfg.big_endian, "had %d big_endian %d",
	   cfg.had, cfg.big_endian);
	cd_linux(dw, 16, 0, 5, 0x41000000);
	cfg_s1(&cfg, dw, &c);
	ok("pt_cfg_s1/had_endi_clear", !cfg.had && !cfg.big_endian,
	   "had %d big_endian %d", cfg.had, cfg.big_endian);
	/* rejected */
	cd_linux(dw, 16, 3, 5, 0x41000000);
	ok("pt_cfg_s1/reject_tg0_reserved", !cfg_s1(&cfg, dw, &c) &&
	   nkind(SD_PROB_BAD_CD) >= 1, "problems: %s", probs_str());
	cd_linux(dw, 55, 0, 5, 0x41000000);
	ok("pt_cfg_s1/reject_t0sz55", !cfg_s1(&cfg, dw, &c) &&
	   nkind(SD_PROB_BAD_CD) >= 1, "problems: %s", probs_str());
	cd_linux(dw, 12, 0, 6, 0x41000000);
	ok("pt_cfg_s1/reject_t0sz12_4k", !cfg_s1(&cfg, dw, &c52) &&
	   nkind(SD_PROB_BAD_CD) >= 1, "problems: %s", probs_str());

	/*
	 * Stage 2: start level = 2 - SL0 (4K), 3 - SL0 (16K, 64K); SL0 0b11
	 * is invalid for 64K, needs TTST for 4K (L3) and DS + 52-bit PA for
	 * 16K (L0) (AArch64.S2InvalidSL); none of these is set here.  One table
	 * at level L covers g + (4 - L) * s bits; more IPA bits need
	 * 2^(IAS - covered) concatenated tables, at most 16.  The Arm ARM
	 * (AArch64.S2InconsistentSL) also requires
	 *   IAS >= (3 - L) * s + g + 1 (the start level must resolve a bit)
	 *   IAS <= that + (s - 1) + 4.
	 *   4K  L1: 31..43 bits  L0: 40..52  L2: 22..34
	 *   16K L2: 26..40       L1: 37..51  L3: 15..29
	 *   64K L2: 30..46       L1: 43..59  L3: 17..33
	 */
	static const struct { unsigned tg, t0sz, sl0, start, concat; bool big; } s2[] = {
		{ 0, 24, 1, 1, 2, false },	/* 40 bits, L1 table covers 39 */
		{ 0, 25, 1, 1, 1, false },
		{ 0, 33, 1, 1, 1, false },	/* 31 bits: the least L1 accepts */
		{ 0, 21, 1, 1, 16, false },	/* 43 bits */
		{ 0, 16, 2, 0, 1, false },
		{ 0, 30, 0, 2, 16, false },	/* 34 bits, L2 table covers 30 */
		{ 0, 32, 0, 2, 4, false },
		{ 2, 28, 1, 2, 1, false },	/* 36 bits, L2 covers 36 */
		{ 2, 24, 1, 2, 16, false },	/* 40 bits */
		{ 2, 17, 2, 1, 1, false },	/* 47 bits, L1 covers 47 */
		{ 2, 16, 2, 1, 2, false },	/* 48 bits at L1: 2 tables of 47 */
		{ 2, 36, 0, 3, 8, false },	/* 28 bits, L3 covers 25 */
		{ 1, 22, 1, 2, 1, false },	/* 42 bits, L2 covers 42 */
		{ 1, 21, 1, 2, 2, false },
		{ 1, 16, 2, 1, 1, false },
		{ 1, 12, 2, 1, 1, true },	/* 52-bit IPA (OAS 52) */
		{ 1, 34, 0, 3, 2, false },	/* 30 bits, L3 covers 29 */
	};
	for (i = 0; i < sizeof(s2) / sizeof(s2[0]); i++) {
		const char *n = NM("pt_cfg_s2/%s_t0sz%u_sl0_%u", gname(s2[i].tg),
				   s2[i].t0sz, s2[i].sl0);
		uint64_t ttb = 0x48000000ULL;
		bool r;

		ste_s2(dw, s2[i].t0sz, s2[i].sl0, s2[i].tg, s2[i].big ? 6 : 5, ttb);
		r = cfg_s2(&cfg, dw, s2[i].big ? &c52 : &c);
		ok(NM("%s/accepted", n), r, "pt_cfg_s2 failed: %s", probs_str());
		if (!r)
			continue;
		ok(NM("%s/start_level", n), cfg.start_level == s2[i].start,
		   "expected L%u, got L%u", s2[i].start, cfg.start_level);
		ok(NM("%s/concat", n), cfg.concat == s2[i].concat,
		   "expected %u tables, got %u", s2[i].concat, cfg.concat);
		ok(NM("%s/geometry", n), cfg.stage == 2 &&
		   cfg.granule_shift == gshift(s2[i].tg) &&
		   cfg.ias == 64 - s2[i].t0sz && cfg.root == ttb,
		   "stage %d gshift %u ias %u root " X64, cfg.stage,
		   cfg.granule_shift, cfg.ias, cfg.root);
	}
	ste_s2(dw, 24, 1, 0, 2, 0x48000000);
	put(dw, 2, 52, 52, 1);			/* S2ENDI */
	cfg_s2(&cfg, dw, &c);
	ok("pt_cfg_s2/oas_and_endi", cfg.oas == 40 && cfg.big_endian,
	   "S2PS 0b010: oas %u (exp 40), big_endian %d", cfg.oas, cfg.big_endian);
	ste_s2(dw, 24, 1, 0, 6, 0x48000000);
	cfg_s2(&cfg, dw, &c);
	ok("pt_cfg_s2/oas_capped_by_idr5", cfg.oas == 48 && !cfg.big_endian,
	   "S2PS 52 with OAS 48: oas %u, big_endian %d", cfg.oas, cfg.big_endian);

	static const struct { unsigned tg, t0sz, sl0; const char *why; } bad[] = {
		{ 0, 16, 3, "4k_sl0_3_reserved" },
		{ 0, 34, 2, "4k_l0_30bit" },
		{ 0, 16, 0, "4k_l2_48bit_needs_2^18_tables" },
		{ 0, 20, 1, "4k_l1_44bit_needs_32_tables" },
		{ 0, 34, 1, "4k_l1_30bit_below_31" },
		{ 2, 16, 1, "16k_l2_48bit" },
		{ 1, 22, 2, "64k_l1_42bit_below_43" },
		{ 1, 16, 3, "64k_sl0_3_reserved" },
		{ 2, 16, 3, "16k_sl0_3_without_ds" },
		{ 1, 17, 1, "64k_l2_47bit_needs_32_tables" },
		{ 3, 24, 1, "s2tg_reserved" },
		{ 0, 12, 2, "4k_t0sz12_without_ds" },
	};
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bool r;

		ste_s2(dw, bad[i].t0sz, bad[i].sl0, bad[i].tg, 5, 0x48000000);
		r = cfg_s2(&cfg, dw, &c52);
		ok(NM("pt_cfg_s2/reject_%s", bad[i].why),
		   !r && nkind(SD_PROB_BAD_STE) >= 1,
		   "S2TG %u S2T0SZ %u S2SL0 %u: returned %d (start L%u concat %u); problems: %s",
		   bad[i].tg, bad[i].t0sz, bad[i].sl0, r, r ? cfg.start_level : 0,
		   r ? cfg.concat : 0, probs_str());
	}
}

/* ------------------------------------------------------------------ */
/* fake physical memory: sparse 4K pages                              */
/* ------------------------------------------------------------------ */

struct fpage {
	uint64_t pa;
	uint8_t data[4096];
};

struct fmem {
	struct fpage **pages;
	size_t n, cap;
	unsigned long reads;
};

static struct fpage *fm_find(struct fmem *m, uint64_t pa)
{
	size_t i;

	pa &= ~0xfffULL;
	for (i = 0; i < m->n; i++)
		if (m->pages[i]->pa == pa)
			return m->pages[i];
	return NULL;
}

static struct fpage *fm_get(struct fmem *m, uint64_t pa)
{
	struct fpage *p = fm_find(m, pa);

	if (p)
		return p;
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->pages = realloc(m->pages, m->cap * sizeof(*m->pages));
		if (!m->pages)
			abort();
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		abort();
	p->pa = pa & ~0xfffULL;
	m->pages[m->n++] = p;
	return p;
}

/* Make [pa, pa+len) present (zeroes). */
static void fm_zero(struct fmem *m, uint64_t pa, uint64_t len)
{
	uint64_t a;

	for (a = pa & ~0xfffULL; a < pa + len; a += 4096)
		fm_get(m, a);
}

static void fm_w64(struct fmem *m, uint64_t pa, uint64_t v, bool be)
{
	struct fpage *p = fm_get(m, pa);
	unsigned i;

	for (i = 0; i < 8; i++)
		p->data[(pa & 0xfff) + i] = (uint8_t)(v >> (be ? 56 - 8 * i : 8 * i));
}

static enum sd_status fm_read(void *ctx, uint64_t addr, void *buf, size_t len,
			      struct sd_error *err)
{
	struct fmem *m = ctx;
	uint8_t *out = buf;

	m->reads++;
	while (len) {
		struct fpage *p = fm_find(m, addr);
		size_t off = addr & 0xfff, n = 4096 - off;

		if (n > len)
			n = len;
		if (!p)
			return sd_error_set(err, SD_ERR_NODATA,
					    "test memory: no page at 0x%" PRIx64, addr);
		memcpy(out, p->data + off, n);
		out += n;
		addr += n;
		len -= n;
	}
	return SD_OK;
}

static void fm_free(struct fmem *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->pages[i]);
	free(m->pages);
	memset(m, 0, sizeof(*m));
}

static struct sd_mem fm_mem(struct fmem *m)
{
	struct sd_mem mem = { fm_read, m };

	return mem;
}

/* ------------------------------------------------------------------ */
/* descriptors (Arm ARM VMSAv8-64)                                    */
/* ------------------------------------------------------------------ */

#define D_TABLE		3ULL		/* [1:0] = 0b11 at levels 0-2 */
#define D_PAGE		3ULL		/* [1:0] = 0b11 at level 3 */
#define D_BLOCK		1ULL		/* [1:0] = 0b01 at levels 1-2 */
#define D_AF		(1ULL << 10)
#define D_SH_IS		(3ULL << 8)
#define D_AP_RO		(1ULL << 7)	/* stage 1 AP[2] */
#define D_S2AP_R	(1ULL << 6)	/* stage 2 S2AP[0] */
#define D_S2AP_W	(1ULL << 7)	/* stage 2 S2AP[1] */
#define D_S2_MEMATTR_WB	(0xfULL << 2)
#define D_CONT		(1ULL << 52)
#define D_XN		(1ULL << 54)	/* UXN/XN */
#define D_UXNTABLE	(1ULL << 60)	/* table: UXNTable/XNTable */
#define D_APTABLE_RO	(1ULL << 62)	/* table: APTable[1] */

/* Output/next-level address bits of a descriptor: [47:g]; with the 64K
 * granule and a 52-bit PA, PA[51:48] goes to descriptor bits [15:12]. */
static uint64_t oa_field(uint64_t pa, unsigned g)
{
	uint64_t d = pa & mask(47, g);

	if (g == 16)
		d |= ((pa >> 48) & 0xf) << 12;
	return d;
}

static uint64_t tdesc(uint64_t pa, unsigned g)
{
	return oa_field(pa, g) | D_TABLE;
}

static uint64_t pdesc(uint64_t pa, unsigned g, uint64_t attrs)
{
	return oa_field(pa, g) | D_PAGE | D_AF | D_SH_IS | attrs;
}

static uint64_t bdesc(uint64_t pa, unsigned g, uint64_t attrs)
{
	return oa_field(pa, g) | D_BLOCK | D_AF | D_SH_IS | attrs;
}

/* byte offset of entry @idx in a table at level @l (g, l for readability) */
#define ix(g, l, idx)	((uint64_t)(idx) * 8)

static struct pt_cfg mkcfg(int stage, unsigned g, unsigned ias, unsigned oas,
			   unsigned start, unsigned concat, uint64_t root)
{
	struct pt_cfg c;

	memset(&c, 0, sizeof(c));
	c.stage = stage;
	c.granule_shift = g;
	c.ias = ias;
	c.oas = oas;
	c.start_level = start;
	c.concat = concat;
	c.root = root;
	return c;
}

/* ---- leaf recorder ---- */
struct leaf {
	uint64_t va, oa, size;
	struct pt_perm perm;
};

struct leaves {
	struct leaf v[1024];
	size_t n;
	unsigned long calls;
};

static enum sd_status rec_leaf(void *arg, uint64_t va, uint64_t oa,
			       uint64_t size, struct pt_perm perm)
{
	struct leaves *l = arg;

	l->calls++;
	if (l->n < sizeof(l->v) / sizeof(l->v[0])) {
		l->v[l->n].va = va;
		l->v[l->n].oa = oa;
		l->v[l->n].size = size;
		l->v[l->n].perm = perm;
		l->n++;
	}
	return SD_OK;
}

static struct leaves LV;

static enum sd_status walk(struct fmem *m, const struct pt_cfg *cfg,
			   uint64_t lo, uint64_t hi)
{
	struct sd_mem mem = fm_mem(m);

	memset(&LV, 0, sizeof(LV));
	probs_reset();
	return pt_walk(&mem, cfg, lo, hi, rec_leaf, &LV, &SINK);
}

struct exp_leaf {
	uint64_t va, oa, size;
	bool r, w, x;
};

static const char *leaves_str(void)
{
	static char buf[2048];
	size_t i, off = 0;

	buf[0] = 0;
	for (i = 0; i < LV.n && off < sizeof(buf) - 1; i++)
		off += snprintf(buf + off, sizeof(buf) - off,
				"%s" X64 "->" X64 "+0x%" PRIx64 "%c%c%c", i ? " " : "",
				LV.v[i].va, LV.v[i].oa, LV.v[i].size,
				LV.v[i].perm.read ? 'r' : '-',
				LV.v[i].perm.write ? 'w' : '-',
				LV.v[i].perm.exec ? 'x' : '-');
	if (!LV.n)
		snprintf(buf, sizeof(buf), "(no leaves)");
	return buf;
}

/* Exactly these leaves, in this order. */
static void expect_leaves(const char *name, const struct exp_leaf *e, size_t n)
{
	size_t i;
	bool good = LV.calls == n;

	for (i = 0; good && i < n; i++)
		good = LV.v[i].va == e[i].va && LV.v[i].oa == e[i].oa &&
		       LV.v[i].size == e[i].size && LV.v[i].perm.read == e[i].r &&
		       LV.v[i].perm.write == e[i].w && LV.v[i].perm.exec == e[i].x;
	if (good) {
		ok(name, true, " ");
		return;
	}
	{
		char want[1024];
		size_t off = 0;

		want[0] = 0;
		for (i = 0; i < n && off < sizeof(want) - 1; i++)
			off += snprintf(want + off, sizeof(want) - off,
					"%s" X64 "->" X64 "+0x%" PRIx64 "%c%c%c",
					i ? " " : "", e[i].va, e[i].oa, e[i].size,
					e[i].r ? 'r' : '-', e[i].w ? 'w' : '-',
					e[i].x ? 'x' : '-');
		ok(name, false, "expected [%s], got [%s]", want, leaves_str());
	}
}

static bool leaves_sorted(void)
{
	size_t i;

	for (i = 1; i < LV.n; i++)
		if (LV.v[i].va < LV.v[i - 1].va + LV.v[i - 1].size)
			return false;
	return true;
}

/* Does some leaf map @va to @oa? */
static bool maps(uint64_t va, uint64_t oa)
{
	size_t i;

	for (i = 0; i < LV.n; i++)
		if (va >= LV.v[i].va && va - LV.v[i].va < LV.v[i].size)
			return LV.v[i].oa + (va - LV.v[i].va) == oa;
	return false;
}

static uint64_t mapped_bytes(void)
{
	size_t i;
	uint64_t n = 0;

	for (i = 0; i < LV.n; i++)
		n += LV.v[i].size;
	return n;
}

/* ------------------------------------------------------------------ */
/* 4K, 4 levels                                                       */
/* ------------------------------------------------------------------ */

#define G4	12
#define P4_L0	0x40000000ULL
#define P4_L1	0x40001000ULL
#define P4_L2	0x40002000ULL
#define P4_L3	0x40003000ULL
#define P4_L1B	0x40004000ULL
#define P4_L2B	0x40005000ULL
#define VA_DEEP	((1ULL << 39) | (2ULL << 30) | (3ULL << 21))	/* L0 1, L1 2, L2 3 */

static void build_4k(struct fmem *m, bool be)
{
	fm_zero(m, P4_L0, 0x6000);
	fm_w64(m, P4_L0 + ix(G4, 0, 0), tdesc(P4_L1, G4), be);
	fm_w64(m, P4_L0 + ix(G4, 0, 1), tdesc(P4_L1B, G4), be);
	fm_w64(m, P4_L1 + ix(G4, 1, 0), tdesc(P4_L2, G4), be);
	fm_w64(m, P4_L1 + ix(G4, 1, 1), bdesc(0xc0000000ULL, G4, 0), be);	/* 1G */
	fm_w64(m, P4_L2 + ix(G4, 2, 0), tdesc(P4_L3, G4), be);
	fm_w64(m, P4_L2 + ix(G4, 2, 1), bdesc(0x80200000ULL, G4, 0), be);	/* 2M */
	fm_w64(m, P4_L3 + ix(G4, 3, 1), pdesc(0x80001000ULL, G4, 0), be);
	fm_w64(m, P4_L3 + ix(G4, 3, 2), pdesc(0x8000f000ULL, G4, D_AP_RO), be);
	fm_w64(m, P4_L3 + ix(G4, 3, 3), pdesc(0x80003000ULL, G4, D_XN), be);
	/* [1:0] = 0b10: bit 0 clear, invalid */
	fm_w64(m, P4_L3 + ix(G4, 3, 4), 0x80004000ULL | 2 | D_AF, be);
	fm_w64(m, P4_L1B + ix(G4, 1, 2), tdesc(P4_L2B, G4), be);
	fm_w64(m, P4_L2B + ix(G4, 2, 3), bdesc(0x100000000ULL, G4, 0), be);
}

static const struct exp_leaf exp_4k[] = {
	{ 0x1000, 0x80001000, 0x1000, 1, 1, 1 },
	{ 0x2000, 0x8000f000, 0x1000, 1, 0, 1 },	/* AP[2] read-only */
	{ 0x3000, 0x80003000, 0x1000, 1, 1, 0 },	/* XN */
	{ 0x200000, 0x80200000, 0x200000, 1, 1, 1 },
	{ 0x40000000, 0xc0000000, 0x40000000, 1, 1, 1 },
	{ VA_DEEP, 0x100000000ULL, 0x200000, 1, 1, 1 },
};

static void test_walk_4k(void)
{
	struct fmem m = { 0 }, mb = { 0 };
	struct pt_cfg cfg = mkcfg(1, G4, 48, 48, 0, 1, P4_L0);
	struct sd_mem mem;
	enum sd_status st;
	uint64_t oa;
	struct pt_perm perm;
	struct sd_error err;

	build_4k(&m, false);
	st = walk(&m, &cfg, 0, (1ULL << 48) - 1);
	ok("pt_walk/4k/status", st == SD_OK, "status %s", sd_status_name(st));
	expect_leaves("pt_walk/4k/leaves_pages_2m_1g_blocks", exp_4k, 6);
	ok("pt_walk/4k/no_problems", ntotal() == 0, "problems: %s", probs_str());
	ok("pt_walk/4k/increasing_order", leaves_sorted(), "leaves: %s", leaves_str());

	/* the same tables, big-endian (CD.ENDI = 1) */
	build_4k(&mb, true);
	cfg.big_endian = true;
	walk(&mb, &cfg, 0, (1ULL << 48) - 1);
	expect_leaves("pt_walk/4k_big_endian/leaves", exp_4k, 6);
	cfg.big_endian = false;

	/* range-restricted walks: [lo, hi] inclusive */
	{
		static const struct exp_leaf a[] = {
			{ 0x2000, 0x8000f000, 0x1000, 1, 0, 1 },
			{ 0x3000, 0x80003000, 0x1000, 1, 1, 0 },
		};
		static const struct exp_leaf b[] = {
			{ 0x1000, 0x80001000, 0x1000, 1, 1, 1 },
		};
		static const struct exp_leaf c[] = {
			{ 0x1000, 0x80001000, 0x1000, 1, 1, 1 },
			{ 0x2000, 0x8000f000, 0x1000, 1, 0, 1 },
		};
		static const struct exp_leaf d[] = {
			{ 0x40000000, 0xc0000000, 0x40000000, 1, 1, 1 },
		};
		static const struct exp_leaf e[] = {
			{ VA_DEEP, 0x100000000ULL, 0x200000, 1, 1, 1 },
		};

		walk(&m, &cfg, 0x2000, 0x1fffff);
		expect_leaves("pt_walk/4k_range/0x2000-0x1fffff", a, 2);
		walk(&m, &cfg, 0x1000, 0x1fff);
		expect_leaves("pt_walk/4k_range/0x1000-0x1fff", b, 1);
		/* hi is inclusive: the page at 0x2000 is in; the walker may
		 * clip it to [0x2000, 0x2000] */
		walk(&m, &cfg, 0x1000, 0x2000);
		if (LV.n == 2 && LV.v[1].size == 1)
			LV.v[1].size = 0x1000;
		expect_leaves("pt_walk/4k_range/hi_inclusive", c, 2);
		walk(&m, &cfg, 0x40000000, 0x7fffffff);
		expect_leaves("pt_walk/4k_range/1g_block_only", d, 1);
		walk(&m, &cfg, 1ULL << 39, (1ULL << 48) - 1);
		expect_leaves("pt_walk/4k_range/upper_l0_entry", e, 1);
		/* a range inside the 1G block: one leaf, whole or clipped,
		 * whose output matches the input at lo and at hi */
		walk(&m, &cfg, 0x40001000, 0x40002fff);
		ok("pt_walk/4k_range/inside_1g_block", LV.calls == 1 &&
		   maps(0x40001000, 0xc0001000) && maps(0x40002fff, 0xc0002fff),
		   "leaves: %s", leaves_str());
		walk(&m, &cfg, 0x5000, 0x1fffff);
		ok("pt_walk/4k_range/empty", LV.calls == 0 && ntotal() == 0,
		   "leaves %s problems %s", leaves_str(), probs_str());
	}

	/* pt_translate */
	mem = fm_mem(&m);
	{
		static const struct { uint64_t va, oa; bool w, x; } t[] = {
			{ 0x1234, 0x80001234, 1, 1 },
			{ 0x2abc, 0x8000fabc, 0, 1 },
			{ 0x3ff8, 0x80003ff8, 1, 0 },
			{ 0x212345, 0x80212345, 1, 1 },
			{ 0x76543210, 0xf6543210, 1, 1 },
			{ VA_DEEP + 0x12345, 0x100012345ULL, 1, 1 },
		};
		static const uint64_t unmapped[] = { 0x0, 0x4000, 0x5000, 0x80000000ULL,
						     0x400000, 1ULL << 40 };
		size_t i;

		for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
			probs_reset();
			oa = 0;
			memset(&perm, 0, sizeof(perm));
			st = pt_translate(&mem, &cfg, t[i].va, &oa, &perm, &SINK, &err);
			ok(NM("pt_translate/4k/" X64, t[i].va),
			   st == SD_OK && oa == t[i].oa && perm.read &&
			   perm.write == t[i].w && perm.exec == t[i].x,
			   "status %s oa " X64 " (exp " X64 ") r%d w%d(exp %d) x%d(exp %d)",
			   sd_status_name(st), oa, t[i].oa, perm.read, perm.write,
			   t[i].w, perm.exec, t[i].x);
		}
		for (i = 0; i < sizeof(unmapped) / sizeof(unmapped[0]); i++) {
			probs_reset();
			st = pt_translate(&mem, &cfg, unmapped[i], &oa, &perm, &SINK, &err);
			ok(NM("pt_translate/4k_unmapped/" X64, unmapped[i]),
			   st == SD_ERR_NOTFOUND, "expected NOTFOUND, got %s (oa " X64 ")",
			   sd_status_name(st), oa);
		}
	}
	fm_free(&m);
	fm_free(&mb);
}

/* hierarchical attributes: APTable[1] and UXNTable in a table descriptor */
static void test_walk_hier(void)
{
	struct fmem m = { 0 };
	struct pt_cfg cfg = mkcfg(1, G4, 48, 48, 0, 1, 0x44000000);
	static const struct exp_leaf ro[] = { { 0x1000, 0x81001000, 0x1000, 1, 0, 0 } };
	static const struct exp_leaf rw[] = { { 0x1000, 0x81001000, 0x1000, 1, 1, 1 } };

	fm_zero(&m, 0x44000000, 0x4000);
	fm_w64(&m, 0x44000000, tdesc(0x44001000, G4), false);
	fm_w64(&m, 0x44001000, tdesc(0x44002000, G4) | D_APTABLE_RO | D_UXNTABLE, false);
	fm_w64(&m, 0x44002000, tdesc(0x44003000, G4), false);
	fm_w64(&m, 0x44003000 + 8, pdesc(0x81001000, G4, 0), false);
	walk(&m, &cfg, 0, (1ULL << 48) - 1);
	expect_leaves("pt_walk/s1_aptable_uxntable/applied", ro, 1);
	cfg.had = true;	/* CD.HAD0: APTable/UXNTable IGNORED */
	walk(&m, &cfg, 0, (1ULL << 48) - 1);
	expect_leaves("pt_walk/s1_aptable_uxntable/ignored_with_had", rw, 1);
	fm_free(&m);
}

/* 4K with a 52-bit OAS: descriptor bits [15:12] are OA[15:12], not
 * OA[51:48] (that encoding is only for the 64K granule). */
static void test_walk_4k_oa52(void)
{
	struct fmem m = { 0 };
	struct pt_cfg cfg = mkcfg(1, G4, 48, 52, 0, 1, 0x43000000);
	static const struct exp_leaf e[] = { { 0x1000, 0x4000f000, 0x1000, 1, 1, 1 } };

	fm_zero(&m, 0x43000000, 0x1000);
	fm_zero(&m, 0x4300f000, 0x1000);
	fm_zero(&m, 0x4301e000, 0x2000);
	fm_w64(&m, 0x43000000, tdesc(0x4300f000, G4), false);
	fm_w64(&m, 0x4300f000, tdesc(0x4301e000, G4), false);
	fm_w64(&m, 0x4301e000, tdesc(0x4301f000, G4), false);
	fm_w64(&m, 0x4301f000 + 8, pdesc(0x4000f000, G4, 0), false);
	walk(&m, &cfg, 0, (1ULL << 48) - 1);
	expect_leaves("pt_walk/4k_oas52/bits_15_12_are_address", e, 1);
	ok("pt_walk/4k_oas52/no_problems", ntotal() == 0, "problems: %s", probs_str());
	fm_free(&m);
}

/* ------------------------------------------------------------------ */
/* loops, missing tables, reserved descriptors                        */
/* ------------------------------------------------------------------ */

#define PL_L0	0x41000000ULL
#define PL_L1	0x41001000ULL
#define PL_L2	0x41002000ULL
#define PL_L3	0x41003000ULL

enum variant { V_PLAIN, V_SELF, V_ANCESTOR, V_SHARED, V_MISSING, V_RESERVED, V_L0BLOCK };

static void build_loop(struct fmem *m, enum variant v)
{
	fm_zero(m, PL_L0, 0x4000);
	fm_w64(m, PL_L0, tdesc(PL_L1, G4), false);
	fm_w64(m, PL_L1, tdesc(PL_L2, G4), false);
	fm_w64(m, PL_L2, tdesc(PL_L3, G4), false);
	fm_w64(m, PL_L3, pdesc(0x90000000, G4, 0), false);		/* VA 0 */
	fm_w64(m, PL_L1 + 2 * 8, bdesc(0x180000000ULL, G4, 0), false);	/* VA 2G */
	fm_w64(m, PL_L1 + 4 * 8, bdesc(0x200000000ULL, G4, 0), false);	/* VA 4G */
	switch (v) {
	case V_SELF:		/* L1[1] -> the L1 table itself */
		fm_w64(m, PL_L1 + 8, tdesc(PL_L1, G4), false);
		break;
	case V_ANCESTOR:	/* L2[1] -> the root (L0) */
		fm_w64(m, PL_L2 + 8, tdesc(PL_L0, G4), false);
		break;
	case V_SHARED:		/* L1[1] -> the same L2 as L1[0]: no loop */
		fm_w64(m, PL_L1 + 8, tdesc(PL_L2, G4), false);
		break;
	case V_MISSING:		/* L1[3] -> a page not in memory */
		fm_w64(m, PL_L1 + 3 * 8, tdesc(0x77770000ULL, G4), false);
		break;
	case V_RESERVED:	/* L3[5]: 0b01 is reserved at level 3 */
		fm_w64(m, PL_L3 + 5 * 8, 0x90005000ULL | D_AF | 1, false);
		break;
	case V_L0BLOCK:		/* L0[1]: no level-0 block with 4K (no DS) */
		fm_w64(m, PL_L0 + 8, 0x8000000000ULL | D_AF | 1, false);
		break;
	case V_PLAIN:
		break;
	}
}

static void test_walk_problems(void)
{
	struct pt_cfg cfg = mkcfg(1, G4, 48, 48, 0, 1, PL_L0);
	static const struct exp_leaf base[] = {
		{ 0, 0x90000000, 0x1000, 1, 1, 1 },
		{ 0x80000000, 0x180000000ULL, 0x40000000, 1, 1, 1 },
		{ 0x100000000ULL, 0x200000000ULL, 0x40000000, 1, 1, 1 },
	};
	static const struct exp_leaf shared[] = {
		{ 0, 0x90000000, 0x1000, 1, 1, 1 },
		{ 0x40000000, 0x90000000, 0x1000, 1, 1, 1 },
		{ 0x80000000, 0x180000000ULL, 0x40000000, 1, 1, 1 },
		{ 0x100000000ULL, 0x200000000ULL, 0x40000000, 1, 1, 1 },
	};
	struct fmem m;
	enum sd_status st;
	size_t i;

	memset(&m, 0, sizeof(m));
	build_loop(&m, V_PLAIN);
	walk(&m, &cfg, 0, (1ULL << 48) - 1);
	expect_leaves("pt_walk/plain/leaves", base, 3);
	ok("pt_walk/plain/no_problems", ntotal() == 0, "problems: %s", probs_str());
	fm_free(&m);

	build_loop(&m, V_SELF);
	st = walk(&m, &cfg, 0, (1ULL << 48) - 1);
	ok("pt_walk/self_loop/status_ok", st == SD_OK, "status %s", sd_status_name(st));
	ok("pt_walk/self_loop/reported_once", nkind(SD_PROB_LOOP) == 1,
	   "%zu loop problems; problems: %s", nkind(SD_PROB_LOOP), probs_str());
	ok("pt_walk/self_loop/only_loop_reported", ntotal() == nkind(SD_PROB_LOOP),
	   "problems: %s", probs_str());
	expect_leaves("pt_walk/self_loop/walk_continues", base, 3);
	fm_free(&m);

	build_loop(&m, V_ANCESTOR);
	st = walk(&m, &cfg, 0, (1ULL << 48) - 1);
	ok("pt_walk/ancestor_loop/status_ok", st == SD_OK, "status %s", sd_status_name(st));
	ok("pt_walk/ancestor_loop/reported_once", nkind(SD_PROB_LOOP) == 1,
	   "%zu loop problems; problems: %s", nkind(SD_PROB_LOOP), probs_str());
	ok("pt_walk/ancestor_loop/only_loop_reported", ntotal() == nkind(SD_PROB_LOOP),
	   "problems: %s", probs_str());
	expect_leaves("pt_walk/ancestor_loop/walk_continues", base, 3);
	fm_free(&m);

	build_loop(&m, V_SHARED);
	walk(&m, &cfg, 0, (1ULL << 48) - 1);
	ok("pt_walk/shared_subtable/not_a_loop", ntotal() == 0, "problems: %s", probs_str());
	expect_leaves("pt_walk/shared_subtable/walked_twice", shared, 4);
	fm_free(&m);

	build_loop(&m, V_MISSING);
	st = walk(&m, &cfg, 0, (1ULL << 48) - 1);
	ok("pt_walk/missing_table/status_ok", st == SD_OK, "status %s", sd_status_name(st));
	ok("pt_walk/missing_table/kind_nodata", nkind(SD_PROB_NODATA) == 1,
	   "%zu nodata problems; problems: %s", nkind(SD_PROB_NODATA), probs_str());
	{
		bool range = false;

		for (i = 0; i < PR.n; i++)
			if (PR.v[i].kind == SD_PROB_NODATA &&
			    strcasestr(PR.v[i].msg, "c0000000") &&
			    (strcasestr(PR.v[i].msg, "ffffffff") ||
			     strcasestr(PR.v[i].msg, "100000000")))
				range = true;
		ok("pt_walk/missing_table/hidden_range_in_message", range,
		   "expected input range 0xc0000000-0xffffffff in the message; problems: %s",
		   probs_str());
	}
	expect_leaves("pt_walk/missing_table/walk_continues", base, 3);
	fm_free(&m);

	build_loop(&m, V_RESERVED);
	walk(&m, &cfg, 0, (1ULL << 48) - 1);
	ok("pt_walk/l3_0b01/kind_reserved", nkind(SD_PROB_RESERVED) == 1,
	   "problems: %s", probs_str());
	{
		bool lvl = false;

		for (i = 0; i < PR.n; i++)
			if (PR.v[i].kind == SD_PROB_RESERVED && PR.v[i].level == 3)
				lvl = true;
		ok("pt_walk/l3_0b01/level3", lvl, "problems: %s", probs_str());
	}
	expect_leaves("pt_walk/l3_0b01/not_a_leaf", base, 3);
	fm_free(&m);

	build_loop(&m, V_L0BLOCK);
	walk(&m, &cfg, 0, (1ULL << 48) - 1);
	expect_leaves("pt_walk/4k_l0_block/not_a_leaf", base, 3);
	ok("pt_walk/4k_l0_block/reported", ntotal() >= 1, "problems: %s", probs_str());
	fm_free(&m);
}

/* ------------------------------------------------------------------ */
/* contiguous hint (bit 52): 16 entries at 4K level 3                 */
/* ------------------------------------------------------------------ */

static void test_walk_contig(void)
{
	struct fmem m = { 0 };
	struct pt_cfg cfg = mkcfg(1, G4, 48, 48, 0, 1, 0x42000000);
	uint64_t l3[5] = { 0x42003000, 0x42004000, 0x42005000, 0x42006000, 0x42007000 };
	unsigned i, t;

	fm_zero(&m, 0x42000000, 0x8000);
	fm_w64(&m, 0x42000000, tdesc(0x42001000, G4), false);
	fm_w64(&m, 0x42001000, tdesc(0x42002000, G4), false);
	for (t = 0; t < 5; t++)	/* L2[t] -> L3 table t, VA t * 2M */
		fm_w64(&m, 0x42002000 + 8 * t, tdesc(l3[t], G4), false);
	for (i = 0; i < 16; i++) {
		/* t0: good run at entries 16..31 (VA 0x10000), OA 64K-aligned */
		fm_w64(&m, l3[0] + 8 * (16 + i),
		       pdesc(0xa0000000 + 0x1000 * i, G4, D_CONT), false);
		/* t1: output addresses not adjacent (entry 5) */
		fm_w64(&m, l3[1] + 8 * i,
		       pdesc(i == 5 ? 0xa0205000 : 0xa0100000 + 0x1000 * i, G4, D_CONT),
		       false);
		/* t2: run not aligned to 64K in the output */
		fm_w64(&m, l3[2] + 8 * i, pdesc(0xa0301000 + 0x1000 * i, G4, D_CONT), false);
		/* t3: entry 15 lacks the contiguous bit */
		fm_w64(&m, l3[3] + 8 * i,
		       pdesc(0xa0400000 + 0x1000 * i, G4, i == 15 ? 0 : D_CONT), false);
		/* t4: entry 7 has different permissions */
		fm_w64(&m, l3[4] + 8 * i,
		       pdesc(0xa0500000 + 0x1000 * i, G4, D_CONT | (i == 7 ? D_AP_RO : 0)),
		       false);
	}
	walk(&m, &cfg, 0, 0x1fffff);
	ok("pt_walk/contig_good/no_problem", ntotal() == 0, "problems: %s", probs_str());
	ok("pt_walk/contig_good/mapping", mapped_bytes() == 0x10000 &&
	   maps(0x10000, 0xa0000000) && maps(0x1f123, 0xa000f123),
	   "leaves: %s", leaves_str());

	walk(&m, &cfg, 0x200000, 0x3fffff);
	ok("pt_walk/contig_bad_not_adjacent/kind_contiguous",
	   nkind(SD_PROB_CONTIGUOUS) >= 1, "problems: %s", probs_str());
	ok("pt_walk/contig_bad_not_adjacent/mapping_unchanged",
	   mapped_bytes() == 0x10000 && maps(0x205000, 0xa0205000) &&
	   maps(0x206000, 0xa0106000), "leaves: %s", leaves_str());

	walk(&m, &cfg, 0x400000, 0x5fffff);
	ok("pt_walk/contig_bad_misaligned/kind_contiguous",
	   nkind(SD_PROB_CONTIGUOUS) >= 1, "problems: %s", probs_str());

	walk(&m, &cfg, 0x600000, 0x7fffff);
	ok("pt_walk/contig_bad_partial_bit/kind_contiguous",
	   nkind(SD_PROB_CONTIGUOUS) >= 1, "problems: %s", probs_str());

	walk(&m, &cfg, 0x800000, 0x9fffff);
	ok("pt_walk/contig_bad_attrs/kind_contiguous",
	   nkind(SD_PROB_CONTIGUOUS) >= 1, "problems: %s", probs_str());
	ok("pt_walk/contig_bad_attrs/perm_per_entry",
	   maps(0x807000, 0xa0507000) && leaves_sorted(), "leaves: %s", leaves_str());
	{
		size_t k;
		bool ro = false;

		for (k = 0; k < LV.n; k++)
			if (LV.v[k].va <= 0x807000 && 0x807000 - LV.v[k].va < LV.v[k].size)
				ro = !LV.v[k].perm.write;
		ok("pt_walk/contig_bad_attrs/entry7_read_only", ro, "leaves: %s", leaves_str());
	}
	fm_free(&m);
}

/* ------------------------------------------------------------------ */
/* 16K and 64K granules                                               */
/* ------------------------------------------------------------------ */

static void test_walk_16k_64k(void)
{
	struct fmem m = { 0 };
	struct pt_cfg cfg;

	/* 16K, T0SZ 28 (36 bits): start L2, L2 index VA[35:25], L3 VA[24:14] */
	{
		static const struct exp_leaf e[] = {
			{ (1ULL << 25) | (2ULL << 14), 0x6000c000, 0x4000, 1, 1, 1 },
			{ 3ULL << 25, 0x200000000ULL, 0x2000000, 1, 1, 1 },	/* 32M */
		};

		fm_zero(&m, 0x50000000, 0x8000);
		fm_w64(&m, 0x50000000 + 8 * 1, tdesc(0x50004000, 14), false);
		fm_w64(&m, 0x50000000 + 8 * 3, bdesc(0x200000000ULL, 14, 0), false);
		fm_w64(&m, 0x50004000 + 8 * 2, pdesc(0x6000c000, 14, 0), false);
		cfg = mkcfg(1, 14, 36, 48, 2, 1, 0x50000000);
		walk(&m, &cfg, 0, (1ULL << 36) - 1);
		expect_leaves("pt_walk/16k_l2_start/leaves", e, 2);
		ok("pt_walk/16k_l2_start/no_problems", ntotal() == 0, "problems: %s",
		   probs_str());
		fm_free(&m);
	}
	/* 16K, T0SZ 16 (48 bits): start L0, which resolves VA[47] only */
	{
		static const struct exp_leaf e[] = {
			{ (1ULL << 47) | (1ULL << 14), 0x61004000, 0x4000, 1, 1, 1 },
		};

		fm_zero(&m, 0x51000000, 0x10000);
		fm_w64(&m, 0x51000000 + 8, tdesc(0x51004000, 14), false);
		fm_w64(&m, 0x51004000, tdesc(0x51008000, 14), false);
		fm_w64(&m, 0x51008000, tdesc(0x5100c000, 14), false);
		fm_w64(&m, 0x5100c000 + 8, pdesc(0x61004000, 14, 0), false);
		cfg = mkcfg(1, 14, 48, 48, 0, 1, 0x51000000);
		walk(&m, &cfg, 0, (1ULL << 48) - 1);
		expect_leaves("pt_walk/16k_l0_start/leaves", e, 1);
		fm_free(&m);
	}
	/* 64K, T0SZ 16: start L1 (VA[47:42]), L2 VA[41:29], L3 VA[28:16] */
	{
		static const struct exp_leaf e[] = {
			{ (1ULL << 42) | (2ULL << 29) | (3ULL << 16), 0x70030000, 0x10000, 1, 1, 1 },
			{ (1ULL << 42) | (5ULL << 29), 0x200000000ULL, 0x20000000, 1, 1, 1 },
		};

		fm_zero(&m, 0x52000000, 0x30000);
		fm_w64(&m, 0x52000000 + 8, tdesc(0x52010000, 16), false);
		fm_w64(&m, 0x52010000 + 8 * 2, tdesc(0x52020000, 16), false);
		fm_w64(&m, 0x52010000 + 8 * 5, bdesc(0x200000000ULL, 16, 0), false);
		fm_w64(&m, 0x52020000 + 8 * 3, pdesc(0x70030000, 16, 0), false);
		cfg = mkcfg(1, 16, 48, 48, 1, 1, 0x52000000);
		walk(&m, &cfg, 0, (1ULL << 48) - 1);
		expect_leaves("pt_walk/64k/leaves_page_512m_block", e, 2);
		ok("pt_walk/64k/no_problems", ntotal() == 0, "problems: %s", probs_str());
		fm_free(&m);
	}
	/* 64K with 52-bit PAs: PA[51:48] in descriptor bits [15:12], for
	 * table and page descriptors; tables themselves above 2^48. */
	{
		const uint64_t root = 0x0008000000040000ULL, l2 = 0x000a000000120000ULL,
			       l3 = 0x0009000000340000ULL, pg = 0x000c000012340000ULL;
		const uint64_t va = (1ULL << 42) | (2ULL << 29) | (3ULL << 16);
		const uint64_t va52 = (0xfULL << 48) | (2ULL << 29) | (3ULL << 16);
		static struct exp_leaf e48[1], e52[2];

		fm_zero(&m, root, 0x10000);
		fm_zero(&m, l2, 0x10000);
		fm_zero(&m, l3, 0x10000);
		fm_w64(&m, root + 8 * 1, tdesc(l2, 16), false);
		fm_w64(&m, root + 8 * 960, tdesc(l2, 16), false); /* VA[51:42] = 0x3c0 */
		fm_w64(&m, l2 + 8 * 2, tdesc(l3, 16), false);
		fm_w64(&m, l3 + 8 * 3, pdesc(pg, 16, 0), false);
		e48[0] = (struct exp_leaf){ va, pg, 0x10000, 1, 1, 1 };
		e52[0] = e48[0];
		e52[1] = (struct exp_leaf){ va52, pg, 0x10000, 1, 1, 1 };
		cfg = mkcfg(1, 16, 48, 52, 1, 1, root);
		walk(&m, &cfg, 0, (1ULL << 48) - 1);
		expect_leaves("pt_walk/64k_pa52/leaves", e48, 1);
		ok("pt_walk/64k_pa52/no_problems", ntotal() == 0, "problems: %s",
		   probs_str());
		cfg = mkcfg(1, 16, 52, 52, 1, 1, root);
		walk(&m, &cfg, 0, (1ULL << 52) - 1);
		expect_leaves("pt_walk/64k_va52_pa52/leaves", e52, 2);
		fm_free(&m);
	}
	/* address size: an output address above the OAS (40 bits) */
	{
		fm_zero(&m, 0x45000000, 0x4000);
		fm_w64(&m, 0x45000000, tdesc(0x45001000, G4), false);
		fm_w64(&m, 0x45001000, tdesc(0x45002000, G4), false);
		fm_w64(&m, 0x45002000, tdesc(0x45003000, G4), false);
		fm_w64(&m, 0x45003000 + 8, pdesc(0x10000001000ULL, G4, 0), false);
		cfg = mkcfg(1, G4, 48, 40, 0, 1, 0x45000000);
		walk(&m, &cfg, 0, (1ULL << 48) - 1);
		ok("pt_walk/oa_beyond_oas/kind_addr_size", nkind(SD_PROB_ADDR_SIZE) >= 1,
		   "problems: %s", probs_str());
		fm_free(&m);
	}
}

/* ------------------------------------------------------------------ */
/* stage 2: S2AP, concatenated start tables; nested reads             */
/* ------------------------------------------------------------------ */

static void test_walk_s2(void)
{
	struct fmem m = { 0 };
	/* 4K, S2T0SZ 24, S2SL0 1: L1 start with 2 concatenated tables */
	struct pt_cfg cfg = mkcfg(2, G4, 40, 48, 1, 2, 0x48000000);
	const uint64_t ipa_hi = (1ULL << 39) | (1ULL << 30);	/* 2nd table, idx 1 */
	static struct exp_leaf e[5];
	struct sd_mem mem;
	uint64_t oa = 0;
	struct pt_perm perm;
	struct sd_error err;
	enum sd_status st;

	fm_zero(&m, 0x48000000, 0x4000);
	/* bit 62 is APTable only at stage 1; stage-2 table bits [63:59] are RES0 */
	fm_w64(&m, 0x48000000, tdesc(0x48002000, G4) | D_APTABLE_RO, false);
	fm_w64(&m, 0x48002000, tdesc(0x48003000, G4), false);
	fm_w64(&m, 0x48003000 + 8 * 1, pdesc(0x90001000, G4, D_S2_MEMATTR_WB | D_S2AP_R), false);
	fm_w64(&m, 0x48003000 + 8 * 2,
	       pdesc(0x90002000, G4, D_S2_MEMATTR_WB | D_S2AP_W | D_XN), false);
	fm_w64(&m, 0x48003000 + 8 * 3, pdesc(0x90003000, G4, D_S2_MEMATTR_WB), false);
	fm_w64(&m, 0x48003000 + 8 * 4,
	       pdesc(0x90004000, G4, D_S2_MEMATTR_WB | D_S2AP_R | D_S2AP_W), false);
	fm_w64(&m, 0x48001000 + 8 * 1,
	       bdesc(0x140000000ULL, G4, D_S2_MEMATTR_WB | D_S2AP_R | D_S2AP_W), false);
	e[0] = (struct exp_leaf){ 0x1000, 0x90001000, 0x1000, 1, 0, 1 };
	e[1] = (struct exp_leaf){ 0x2000, 0x90002000, 0x1000, 0, 1, 0 };
	e[2] = (struct exp_leaf){ 0x3000, 0x90003000, 0x1000, 0, 0, 1 };
	e[3] = (struct exp_leaf){ 0x4000, 0x90004000, 0x1000, 1, 1, 1 };
	e[4] = (struct exp_leaf){ ipa_hi, 0x140000000ULL, 0x40000000, 1, 1, 1 };
	walk(&m, &cfg, 0, (1ULL << 40) - 1);
	expect_leaves("pt_walk/s2_concat2/leaves_s2ap_xn", e, 5);
	ok("pt_walk/s2_concat2/no_problems", ntotal() == 0, "problems: %s", probs_str());

	mem = fm_mem(&m);
	probs_reset();
	st = pt_translate(&mem, &cfg, ipa_hi + 0x1234, &oa, &perm, &SINK, &err);
	ok("pt_translate/s2_second_concat_table", st == SD_OK && oa == 0x140001234ULL,
	   "status %s oa " X64, sd_status_name(st), oa);
	st = pt_translate(&mem, &cfg, 0x1008, &oa, &perm, &SINK, &err);
	ok("pt_translate/s2_read_only", st == SD_OK && oa == 0x90001008 && perm.read &&
	   !perm.write, "status %s oa " X64 " r%d w%d", sd_status_name(st), oa,
	   perm.read, perm.write);
	st = pt_translate(&mem, &cfg, 1ULL << 39, &oa, &perm, &SINK, &err);
	ok("pt_translate/s2_unmapped", st == SD_ERR_NOTFOUND, "status %s",
	   sd_status_name(st));
	fm_free(&m);
}

static void test_nested(void)
{
	struct fmem m = { 0 };
	/* stage 2: 4K, S2T0SZ 32, S2SL0 0: L2 start, 4 concatenated tables */
	struct pt_cfg s2 = mkcfg(2, G4, 32, 48, 2, 4, 0x49000000);
	/* stage 1: 4K, T0SZ 39 (25 bits): L2 start; tables at IPAs */
	struct pt_cfg s1 = mkcfg(1, G4, 25, 48, 2, 1, 0x80000000);
	struct sd_mem pa_mem = fm_mem(&m), ipa_mem;
	struct ipa_mem_ctx ictx = { &pa_mem, &s2, &SINK };
	const uint64_t rwx = D_S2_MEMATTR_WB | D_S2AP_R | D_S2AP_W;
	uint8_t buf[16], exp[16];
	struct sd_error err;
	enum sd_status st;
	unsigned i;

	fm_zero(&m, 0x49000000, 0x4000);
	fm_zero(&m, 0x49010000, 0x1000);
	/* IPA 0x80000000: IPA[31:30] = 2 selects the third table, index 0 */
	fm_w64(&m, 0x49002000, tdesc(0x49010000, G4), false);
	fm_w64(&m, 0x49010000 + 8 * 0, pdesc(0x4a000000, G4, rwx), false);
	fm_w64(&m, 0x49010000 + 8 * 1, pdesc(0x4b000000, G4, rwx), false);
	fm_w64(&m, 0x49010000 + 8 * 5, pdesc(0x4c000000, G4, rwx), false);
	fm_w64(&m, 0x49010000 + 8 * 6, pdesc(0x4d000000, G4, rwx), false);
	/* stage-1 L2 at IPA 0x80000000 (PA 0x4a000000) -> L3 at IPA
	 * 0x80001000 (PA 0x4b000000) -> VA 0x4000 -> IPA 0x80005000 */
	fm_zero(&m, 0x4a000000, 0x1000);
	fm_zero(&m, 0x4b000000, 0x1000);
	fm_w64(&m, 0x4a000000, tdesc(0x80001000, G4), false);
	fm_w64(&m, 0x4b000000 + 8 * 4, pdesc(0x80005000, G4, 0), false);
	fm_w64(&m, 0x4c000ff8, 0x1122334455667788ULL, false);
	fm_w64(&m, 0x4d000000, 0x99aabbccddeeff00ULL, false);

	probs_reset();
	memset(buf, 0, sizeof(buf));
	st = ipa_mem_read(&ictx, 0x80005ff8, buf, 8, &err);
	for (i = 0; i < 8; i++)
		exp[i] = (uint8_t)(0x1122334455667788ULL >> (8 * i));
	ok("ipa_mem_read/one_page", st == SD_OK && !memcmp(buf, exp, 8),
	   "status %s", sd_status_name(st));
	for (i = 0; i < 8; i++)
		exp[8 + i] = (uint8_t)(0x99aabbccddeeff00ULL >> (8 * i));
	memset(buf, 0, sizeof(buf));
	st = ipa_mem_read(&ictx, 0x80005ff8, buf, 16, &err);
	ok("ipa_mem_read/across_ipa_pages_to_distant_pas",
	   st == SD_OK && !memcmp(buf, exp, 16), "status %s, bytes %s",
	   sd_status_name(st), memcmp(buf, exp, 16) ? "differ" : "match");
	st = ipa_mem_read(&ictx, 0x90000000, buf, 8, &err);
	ok("ipa_mem_read/unmapped_ipa_fails", st != SD_OK, "status %s",
	   sd_status_name(st));
	st = ipa_mem_read(&ictx, 0x80002000, buf, 8, &err);
	ok("ipa_mem_read/invalid_s2_entry_fails", st != SD_OK, "status %s",
	   sd_status_name(st));

	ipa_mem.read = ipa_mem_read;
	ipa_mem.ctx = &ictx;
	memset(&LV, 0, sizeof(LV));
	probs_reset();
	st = pt_walk(&ipa_mem, &s1, 0, (1ULL << 25) - 1, rec_leaf, &LV, &SINK);
	{
		static const struct exp_leaf e[] = { { 0x4000, 0x80005000, 0x1000, 1, 1, 1 } };

		ok("pt_walk/nested_s1_through_s2/status", st == SD_OK, "status %s",
		   sd_status_name(st));
		expect_leaves("pt_walk/nested_s1_through_s2/leaves", e, 1);
		ok("pt_walk/nested_s1_through_s2/no_problems", ntotal() == 0,
		   "problems: %s", probs_str());
	}
	{
		uint64_t oa = 0;
		struct pt_perm perm;

		probs_reset();
		st = pt_translate(&ipa_mem, &s1, 0x4321, &oa, &perm, &SINK, &err);
		ok("pt_translate/nested_s1_through_s2", st == SD_OK && oa == 0x80005321,
		   "status %s oa " X64, sd_status_name(st), oa);
	}
	fm_free(&m);
}

/* ---- the stop hook: a walk with no leaf still ends on --timeout ---- */

static unsigned stop_calls, stop_after;

static bool stop_hook(void *arg)
{
	(void)arg;
	return ++stop_calls >= stop_after;
}

/*
 * 4 KB granule, 39-bit input, start level 1: every L1 entry points at one
 * L2 table, every L2 entry at one L3 table of invalid entries.  No leaf,
 * no loop on any walk path, 512 + 512^2 + 512^3 entries: the hook must be
 * called every PT_WALK_STOP_EVERY entries and end the walk when it says so.
 */
static void test_walk_stop(void)
{
	const uint64_t L1 = 0x50000000, L2 = 0x50001000, L3 = 0x50002000;
	struct pt_cfg cfg = mkcfg(1, 12, 39, 48, 1, 1, L1);
	struct fmem m = {0};
	struct sd_mem mem;
	enum sd_status st;

	fm_zero(&m, L1, 0x3000);
	for (unsigned i = 0; i < 512; i++) {
		fm_w64(&m, L1 + ix(12, 1, i), tdesc(L2, 12), false);
		fm_w64(&m, L2 + ix(12, 2, i), tdesc(L3, 12), false);
	}
	mem = fm_mem(&m);
	memset(&LV, 0, sizeof(LV));
	probs_reset();
	stop_calls = 0;
	stop_after = 3;
	st = pt_walk_stoppable(&mem, &cfg, 0, ~0ULL, rec_leaf, stop_hook, &LV, &SINK);
	ok("walk_stop/ends_with_timeout", st == SD_ERR_TIMEOUT, "status %s", sd_status_name(st));
	ok("walk_stop/hook_called_until_true", stop_calls == 3, "%u calls", stop_calls);
	ok("walk_stop/bounded_reads", m.reads <= 3 * PT_WALK_STOP_EVERY / 512 + 3,
	   "%lu table reads", m.reads);
	ok("walk_stop/no_leaf", LV.calls == 0, "%lu leaves", LV.calls);
	fm_free(&m);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(300);	/* a walker that never ends must not hang the suite */
	test_ste_decode();
	test_ste_check();
	test_cd();
	test_regs();
	test_cfg();
	test_walk_4k();
	test_walk_hier();
	test_walk_4k_oa52();
	test_walk_problems();
	test_walk_contig();
	test_walk_16k_64k();
	test_walk_s2();
	test_nested();
	test_walk_stop();
	printf("# test_decoders: %d passed, %d failed\n", passes, failures);
	return 0;
}
