// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the kallsyms decoder (src/kallsyms.c).
 *
 * Builds a tiny kallsyms table in memory, the way scripts/kallsyms.c lays
 * it out (token-compressed names with one- and two-byte lengths, a token
 * table and index, kallsyms_num_syms), in each address encoding:
 * absolute kallsyms_addresses[], base-relative offsets, absolute-percpu
 * offsets and place-relative offsets; then decodes it through a reader
 * callback and checks every name, type and address.
 * Prints "ok NAME" / "not ok NAME - reason" lines; exits 0.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"

static int fails;

static void ok(bool cond, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void ok(bool cond, const char *name, const char *fmt, ...)
{
	if (cond) {
		printf("ok %s\n", name);
		return;
	}
	va_list ap;

	printf("not ok %s - ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fails++;
}

/* The fake kernel VA space: one buffer. */
#define VBASE	0xffff800010000000ull
#define VSIZE	(1u << 20)
static uint8_t mem[VSIZE];
static size_t mem_used;

static enum sd_status rd(void *ctx, uint64_t va, void *buf, size_t len, struct sd_error *err)
{
	(void)ctx;
	if (va < VBASE || va - VBASE > mem_used || len > mem_used - (va - VBASE))
		return sd_error_set(err, SD_ERR_NODATA, "VA 0x%" PRIx64 " not in test memory", va);
	memcpy(buf, mem + (va - VBASE), len);
	return SD_OK;
}

static uint64_t place(const void *data, size_t len, size_t align)
{
	uint64_t va;

	mem_used = (mem_used + align - 1) & ~(align - 1);
	va = VBASE + mem_used;
	memcpy(mem + mem_used, data, len);
	mem_used += len;
	return va;
}

struct tsym {
	const char *name;
	char type;
	uint64_t addr;		/* filled per encoding */
};

static char long_name[300];

static struct tsym syms[] = {
	{ "fixed_percpu_data", 'D', 0 },	/* percpu: absolute small address */
	{ "_stext", 'T', 0 },
	{ "arm_smmu_device_probe", 't', 0 },
	{ "iommu_device_list", 'd', 0 },
	{ "__start_BTF", 'R', 0 },
	{ NULL /* long_name */, 't', 0 },
	{ "_end", 'B', 0 },
};
#define NSYMS (sizeof(syms) / sizeof(syms[0]))

/* Tokens: 0x01..0x7f stand for themselves; a few multi-character tokens
 * above 0x80 compress common substrings. */
static const char *multi[] = { "arm_smmu_", "iommu_", "_device", "__", "BTF", "percpu" };
#define NMULTI (sizeof(multi) / sizeof(multi[0]))

static size_t encode(const char *s, uint8_t *out)
{
	size_t n = 0;

	while (*s) {
		size_t k, best = 0, bl = 0;

		for (k = 0; k < NMULTI; k++) {
			size_t l = strlen(multi[k]);

			if (l > bl && !strncmp(s, multi[k], l)) {
				best = k;
				bl = l;
			}
		}
		if (bl) {
			out[n++] = (uint8_t)(0x80 + best);
			s += bl;
		} else {
			out[n++] = (uint8_t)*s++;
		}
	}
	return n;
}

/* Build the tables.  @enc picks how addresses are stored. */
static void build(enum sd_ksym_enc enc, bool long_lengths, struct sd_kallsyms_loc *loc)
{
	static uint8_t names[8192];
	char tokbuf[4096];
	uint16_t index[256];
	size_t np = 0, tp = 0, i;
	uint32_t n = NSYMS;
	uint64_t base, text = VBASE + 0x80000;

	memset(mem, 0, sizeof(mem));
	mem_used = 0;
	memset(loc, 0, sizeof(*loc));
	/* Token table: token 0 unused (empty), 1..127 single chars, 0x80+k multi. */
	for (i = 0; i < 256; i++) {
		index[i] = (uint16_t)tp;
		if (i >= 1 && i < 128) {
			tokbuf[tp++] = (char)i;
		} else if (i >= 0x80 && i < 0x80 + NMULTI) {
			memcpy(tokbuf + tp, multi[i - 0x80], strlen(multi[i - 0x80]));
			tp += strlen(multi[i - 0x80]);
		}
		tokbuf[tp++] = 0;
	}
	/* Addresses: text symbols in order above text, percpu small. */
	for (i = 0; i < NSYMS; i++)
		syms[i].addr = i == 0 ? 0x1000 : text + 0x100 * i;
	if (enc != SD_KSYM_ENC_ABS_PERCPU)
		syms[0].addr = text;	/* only that encoding has percpu at 0 */
	/* Names. */
	for (i = 0; i < NSYMS; i++) {
		char full[400];
		uint8_t enc_name[400];
		size_t len;

		snprintf(full, sizeof(full), "%c%s", syms[i].type, syms[i].name);
		len = encode(full, enc_name);
		if (len >= 128 && long_lengths) {
			names[np++] = (uint8_t)(0x80 | (len & 0x7f));
			names[np++] = (uint8_t)(len >> 7);
		} else {
			names[np++] = (uint8_t)len;
		}
		memcpy(names + np, enc_name, len);
		np += len;
	}
	loc->num_syms = place(&n, 4, 8);
	loc->names = place(names, np, 8);
	loc->token_table = place(tokbuf, tp, 8);
	loc->token_index = place(index, sizeof(index), 8);
	if (enc == SD_KSYM_ENC_ABSOLUTE) {
		uint64_t a[NSYMS];

		for (i = 0; i < NSYMS; i++)
			a[i] = syms[i].addr;
		loc->addresses = place(a, sizeof(a), 8);
	} else {
		int32_t o[NSYMS];

		/* Place first so place-relative knows where each slot is. */
		loc->offsets = place(o, sizeof(o), 8);
		base = text;
		for (i = 0; i < NSYMS; i++) {
			uint64_t a = syms[i].addr;

			if (enc == SD_KSYM_ENC_RELATIVE)
				o[i] = (int32_t)(uint32_t)(a - base);
			else if (enc == SD_KSYM_ENC_ABS_PERCPU)
				o[i] = a < 0x80000000ull ? (int32_t)a : (int32_t)(-(int64_t)(a - base) - 1);
			else
				o[i] = (int32_t)(int64_t)(a - (loc->offsets + 4 * i));
		}
		memcpy(mem + (loc->offsets - VBASE), o, sizeof(o));
		if (enc != SD_KSYM_ENC_PLACE_RELATIVE)
			loc->relative_base = place(&base, 8, 8);
	}
	loc->stext = syms[1].addr;
}

static void check(const char *tname, enum sd_ksym_enc enc, bool give_stext, bool long_lengths,
		  enum sd_ksym_enc force)
{
	struct sd_kallsyms_loc loc;
	struct sd_kallsyms *ks = NULL;
	struct sd_error err = { 0 };
	char name[128];
	enum sd_status st;
	size_t i, bad = 0;

	build(enc, long_lengths, &loc);
	if (!give_stext)
		loc.stext = 0;
	st = sd_kallsyms_load(rd, NULL, &loc, force, -1, &ks, &err);
	snprintf(name, sizeof(name), "kallsyms %s load", tname);
	ok(st == SD_OK, name, "%s", err.msg);
	if (st)
		return;
	snprintf(name, sizeof(name), "kallsyms %s encoding", tname);
	ok(sd_kallsyms_encoding(ks) == enc, name, "decoded as %s, built as %s",
	   sd_ksym_enc_name(sd_kallsyms_encoding(ks)), sd_ksym_enc_name(enc));
	snprintf(name, sizeof(name), "kallsyms %s count", tname);
	ok(sd_kallsyms_count(ks) == NSYMS, name, "%zu symbols", sd_kallsyms_count(ks));
	for (i = 0; i < NSYMS; i++) {
		uint64_t a = 0;
		char t = 0;

		if (!sd_kallsyms_lookup(ks, syms[i].name, &a, &t) || a != syms[i].addr ||
		    t != syms[i].type) {
			printf("# %s: %s -> 0x%" PRIx64 " %c, want 0x%" PRIx64 " %c\n", tname,
			       syms[i].name, a, t ? t : '?', syms[i].addr, syms[i].type);
			bad++;
		}
	}
	snprintf(name, sizeof(name), "kallsyms %s lookups", tname);
	ok(bad == 0, name, "%zu of %zu symbols wrong", bad, NSYMS);
	snprintf(name, sizeof(name), "kallsyms %s missing name", tname);
	ok(!sd_kallsyms_lookup(ks, "no_such_symbol", NULL, NULL), name, "found a symbol that is not there");
	snprintf(name, sizeof(name), "kallsyms %s data symbols", tname);
	ok(sd_kallsyms_data_count(ks) == 4, name, "%zu data symbols, want 4",
	   sd_kallsyms_data_count(ks));
	sd_kallsyms_free(ks);
}

int main(void)
{
	struct sd_kallsyms_loc loc;
	struct sd_kallsyms *ks = NULL;
	struct sd_error err = { 0 };
	enum sd_status st;
	uint32_t bad;

	/* A name of 200 tokens: needs the two-byte length. */
	memset(long_name, 'x', 200);
	memcpy(long_name, "long_", 5);
	long_name[200] = 0;
	syms[5].name = long_name;

	check("absolute", SD_KSYM_ENC_ABSOLUTE, true, true, SD_KSYM_ENC_AUTO);
	check("base-relative", SD_KSYM_ENC_RELATIVE, true, true, SD_KSYM_ENC_AUTO);
	check("absolute-percpu", SD_KSYM_ENC_ABS_PERCPU, true, true, SD_KSYM_ENC_AUTO);
	check("place-relative", SD_KSYM_ENC_PLACE_RELATIVE, true, true, SD_KSYM_ENC_AUTO);
	check("base-relative no-stext", SD_KSYM_ENC_RELATIVE, false, true, SD_KSYM_ENC_AUTO);
	check("absolute-percpu no-stext", SD_KSYM_ENC_ABS_PERCPU, false, true, SD_KSYM_ENC_AUTO);
	check("absolute-percpu forced", SD_KSYM_ENC_ABS_PERCPU, true, true, SD_KSYM_ENC_ABS_PERCPU);

	/* One-byte lengths (before 73bbb94466fd3): a 200-token name would not
	 * fit, so shorten it; the decoder must find the convention itself. */
	long_name[100] = 0;
	check("one-byte lengths", SD_KSYM_ENC_RELATIVE, true, false, SD_KSYM_ENC_AUTO);
	long_name[100] = 'x';

	/* Errors: a wrong forced encoding, a corrupt count, a truncated table. */
	build(SD_KSYM_ENC_RELATIVE, true, &loc);
	st = sd_kallsyms_load(rd, NULL, &loc, SD_KSYM_ENC_PLACE_RELATIVE, -1, &ks, &err);
	ok(st != SD_OK && strstr(err.msg, "_stext"), "kallsyms wrong encoding rejected",
	   "status %d: %s", st, err.msg);
	sd_kallsyms_free(ks);
	ks = NULL;

	build(SD_KSYM_ENC_RELATIVE, true, &loc);
	bad = 0;
	memcpy(mem + (loc.num_syms - VBASE), &bad, 4);
	st = sd_kallsyms_load(rd, NULL, &loc, SD_KSYM_ENC_AUTO, -1, &ks, &err);
	ok(st == SD_ERR_CORRUPT && strstr(err.msg, "kallsyms_num_syms"),
	   "kallsyms zero count rejected", "status %d: %s", st, err.msg);
	sd_kallsyms_free(ks);
	ks = NULL;

	build(SD_KSYM_ENC_RELATIVE, true, &loc);
	loc.offsets = VBASE + VSIZE + 0x1000;	/* outside memory */
	st = sd_kallsyms_load(rd, NULL, &loc, SD_KSYM_ENC_AUTO, -1, &ks, &err);
	ok(st == SD_ERR_NODATA && strstr(err.msg, "kallsyms_offsets"),
	   "kallsyms unreadable offsets reported", "status %d: %s", st, err.msg);
	sd_kallsyms_free(ks);
	ks = NULL;

	build(SD_KSYM_ENC_RELATIVE, true, &loc);
	loc.names = 0;
	st = sd_kallsyms_load(rd, NULL, &loc, SD_KSYM_ENC_AUTO, -1, &ks, &err);
	ok(st == SD_ERR_NOTFOUND, "kallsyms missing table reported", "status %d: %s", st, err.msg);
	sd_kallsyms_free(ks);
	return 0;
}
