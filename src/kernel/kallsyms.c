// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kallsyms decoding (see include/kallsyms.h for the encodings).
 *
 * Table compression (scripts/kallsyms.c): every name in kallsyms_names is
 * a length (number of tokens; since 73bbb94466fd3 two bytes, little
 * endian 7-bit groups, when the first has bit 7 set) followed by that many
 * token numbers; token n is the NUL-terminated string at
 * kallsyms_token_table + kallsyms_token_index[n].  The first decoded
 * character is the symbol type ('T', 't', 'D', ...).  Symbols are sorted
 * by address; we add a by-name index.
 */
#include <endian.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"

#define MAX_SYMS	(4u << 20)	/* a kernel has ~200k */
#define MAX_NAMES	(64u << 20)	/* bytes of kallsyms_names */
#define MAX_TOKEN	4096
#define CHUNK		65536

struct sd_kallsyms {
	uint32_t n;
	char *strings;		/* all names, NUL-separated */
	uint32_t *name_off;	/* n offsets into strings */
	char *types;		/* n type characters */
	uint64_t *addrs;	/* n addresses */
	uint32_t *by_name;	/* n indexes sorted by name */
	enum sd_ksym_enc enc;
	bool long_names;
	size_t ndata;
};

const char *sd_ksym_enc_name(enum sd_ksym_enc enc)
{
	switch (enc) {
	case SD_KSYM_ENC_AUTO: return "auto";
	case SD_KSYM_ENC_ABSOLUTE: return "absolute";
	case SD_KSYM_ENC_RELATIVE: return "base-relative";
	case SD_KSYM_ENC_ABS_PERCPU: return "absolute-percpu";
	case SD_KSYM_ENC_PLACE_RELATIVE: return "place-relative";
	}
	return "?";
}

enum sd_status sd_kallsyms_loc_from_vmcoreinfo(struct sd_dump *dump,
					       struct sd_kallsyms_loc *loc,
					       struct sd_error *err)
{
	static const struct { const char *key; size_t off; bool need; } keys[] = {
		{ "SYMBOL(kallsyms_names)", offsetof(struct sd_kallsyms_loc, names), true },
		{ "SYMBOL(kallsyms_token_table)", offsetof(struct sd_kallsyms_loc, token_table), true },
		{ "SYMBOL(kallsyms_token_index)", offsetof(struct sd_kallsyms_loc, token_index), true },
		{ "SYMBOL(kallsyms_num_syms)", offsetof(struct sd_kallsyms_loc, num_syms), true },
		{ "SYMBOL(kallsyms_offsets)", offsetof(struct sd_kallsyms_loc, offsets), false },
		{ "SYMBOL(kallsyms_relative_base)", offsetof(struct sd_kallsyms_loc, relative_base), false },
		{ "SYMBOL(kallsyms_addresses)", offsetof(struct sd_kallsyms_loc, addresses), false },
		{ "SYMBOL(_stext)", offsetof(struct sd_kallsyms_loc, stext), false },
	};
	char missing[256] = "";
	size_t i;

	memset(loc, 0, sizeof(*loc));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		uint64_t v;

		if (sd_vmcoreinfo_u64(dump, keys[i].key, true, &v))
			memcpy((char *)loc + keys[i].off, &v, sizeof(v));
		else if (keys[i].need && strlen(missing) + strlen(keys[i].key) + 3 < sizeof(missing))
			strcat(strcat(missing, *missing ? ", " : ""), keys[i].key);
	}
	if (!*missing && !loc->offsets && !loc->addresses)
		strcpy(missing, "SYMBOL(kallsyms_offsets) or SYMBOL(kallsyms_addresses)");
	if (*missing)
		return sd_error_set(err, SD_ERR_NOTFOUND,
				    "no kallsyms in VMCOREINFO (missing %s; exported since Linux 6.0)",
				    missing);
	return SD_OK;
}

/* A growing copy of a table whose length is only known once parsed. */
struct growbuf {
	sd_kread_fn rd;
	void *ctx;
	uint64_t va;
	uint8_t *buf;
	size_t len, max;
};

static enum sd_status grow_to(struct growbuf *g, size_t need, const char *what,
			      struct sd_error *err)
{
	while (g->len < need) {
		size_t n = CHUNK - ((g->va + g->len) % CHUNK);
		uint8_t *nb;
		enum sd_status st;

		if (g->len + n > g->max)
			n = g->max - g->len;
		if (!n || need > g->max)
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "kallsyms: %s at 0x%" PRIx64 " runs past %zu bytes",
					    what, g->va, g->max);
		nb = realloc(g->buf, g->len + n);
		if (!nb)
			return sd_error_set(err, SD_ERR_NOMEM, "kallsyms: out of memory");
		g->buf = nb;
		st = g->rd(g->ctx, g->va + g->len, g->buf + g->len, n, err);
		if (st && need - g->len < n) {
			/* The table may end just before unreadable memory:
			 * read only what is needed. */
			n = need - g->len;
			st = g->rd(g->ctx, g->va + g->len, g->buf + g->len, n, err);
		}
		if (st)
			return sd_error_prefix(err, "kallsyms: reading %s at 0x%" PRIx64,
					       what, g->va + g->len);
		g->len += n;
	}
	return SD_OK;
}

struct tokens {
	char *tab;		/* token_table copy */
	size_t tab_len;
	uint16_t index[256];
	uint8_t tlen[256];
};

static enum sd_status load_tokens(sd_kread_fn rd, void *ctx, const struct sd_kallsyms_loc *loc,
				  struct tokens *tk, struct sd_error *err)
{
	struct growbuf g = { rd, ctx, loc->token_table, NULL, 0, 0 };
	uint16_t maxi = 0;
	enum sd_status st;
	int i;

	st = rd(ctx, loc->token_index, tk->index, sizeof(tk->index), err);
	if (st)
		return sd_error_prefix(err, "kallsyms: reading kallsyms_token_index at 0x%" PRIx64,
				       loc->token_index);
	for (i = 0; i < 256; i++) {
		tk->index[i] = le16toh(tk->index[i]);
		if (tk->index[i] > maxi)
			maxi = tk->index[i];
	}
	g.max = (size_t)maxi + MAX_TOKEN;
	/* Read up to the NUL that ends the last token. */
	for (;;) {
		size_t need = g.len ? g.len + 1 : (size_t)maxi + 1;
		void *nul;

		st = grow_to(&g, need, "kallsyms_token_table", err);
		if (st) {
			free(g.buf);
			return st;
		}
		nul = g.len > maxi ? memchr(g.buf + maxi, 0, g.len - maxi) : NULL;
		if (nul) {
			tk->tab_len = (size_t)((uint8_t *)nul - g.buf) + 1;
			break;
		}
	}
	tk->tab = (char *)g.buf;
	for (i = 0; i < 256; i++) {
		size_t l = strnlen(tk->tab + tk->index[i], tk->tab_len - tk->index[i]);

		if (l == tk->tab_len - tk->index[i] || l > 255) {
			free(tk->tab);
			tk->tab = NULL;
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "kallsyms: token %d at 0x%" PRIx64 " is not terminated",
					    i, loc->token_table + tk->index[i]);
		}
		tk->tlen[i] = (uint8_t)l;
	}
	return SD_OK;
}

/* Decode all names with one length convention.  Returns SD_ERR_CORRUPT
 * when the table does not parse that way. */
static enum sd_status decode_names(struct growbuf *g, const struct tokens *tk, uint32_t n,
				   bool long_names, struct sd_kallsyms *ks, struct sd_error *err)
{
	size_t pos = 0, slen = 0, scap = 0;
	char *s = NULL;
	uint32_t i;
	enum sd_status st;

	ks->name_off = calloc(n, sizeof(*ks->name_off));
	ks->types = calloc(n, 1);
	if (!ks->name_off || !ks->types)
		return sd_error_set(err, SD_ERR_NOMEM, "kallsyms: out of memory");
	for (i = 0; i < n; i++) {
		unsigned len, j;
		bool first = true;

		if ((st = grow_to(g, pos + 2, "kallsyms_names", err)))
			goto fail;
		len = g->buf[pos++];
		if ((len & 0x80) && long_names)
			len = (len & 0x7f) | ((unsigned)g->buf[pos++] << 7);
		if (!len) {
			st = sd_error_set(err, SD_ERR_CORRUPT,
					  "kallsyms: symbol %u has an empty name (at kallsyms_names+%zu)",
					  i, pos - 1);
			goto fail;
		}
		if ((st = grow_to(g, pos + len, "kallsyms_names", err)))
			goto fail;
		if (slen + (size_t)len * 256 + 1 > scap) {
			/* From 64 KiB: a table that fails on its first names
			 * (a wrong length form, a corrupt dump) costs no more. */
			size_t nc = scap ? scap * 2 : 64 << 10;
			char *ns;

			while (nc < slen + (size_t)len * 256 + 1)
				nc *= 2;
			ns = realloc(s, nc);
			if (!ns) {
				st = sd_error_set(err, SD_ERR_NOMEM, "kallsyms: out of memory");
				goto fail;
			}
			s = ns;
			scap = nc;
		}
		ks->name_off[i] = (uint32_t)slen;
		for (j = 0; j < len; j++) {
			uint8_t t = g->buf[pos + j];
			const char *tok = tk->tab + tk->index[t];
			size_t tl = tk->tlen[t];

			if (first && tl) {
				ks->types[i] = tok[0];
				tok++;
				tl--;
				first = false;
			}
			memcpy(s + slen, tok, tl);
			slen += tl;
		}
		s[slen++] = 0;
		pos += len;
		if (slen > UINT32_MAX - 65536) {
			st = sd_error_set(err, SD_ERR_CORRUPT, "kallsyms: names too large");
			goto fail;
		}
	}
	ks->strings = s;
	return SD_OK;
fail:
	free(s);
	free(ks->name_off);
	free(ks->types);
	ks->name_off = NULL;
	ks->types = NULL;
	return st;
}

static const struct sd_kallsyms *sort_ks;
static int cmp_name(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = strcmp(sort_ks->strings + sort_ks->name_off[x],
		       sort_ks->strings + sort_ks->name_off[y]);

	if (c)
		return c;
	return x < y ? -1 : x > y;
}

static enum sd_status build_index(struct sd_kallsyms *ks, struct sd_error *err)
{
	uint32_t i;

	ks->by_name = malloc((size_t)ks->n * sizeof(*ks->by_name));
	if (!ks->by_name)
		return sd_error_set(err, SD_ERR_NOMEM, "kallsyms: out of memory");
	for (i = 0; i < ks->n; i++)
		ks->by_name[i] = i;
	sort_ks = ks;
	qsort(ks->by_name, ks->n, sizeof(*ks->by_name), cmp_name);
	sort_ks = NULL;
	return SD_OK;
}

static int64_t find_index(const struct sd_kallsyms *ks, const char *name)
{
	size_t lo = 0, hi = ks->n;

	if (!ks->by_name)
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ks->strings + ks->name_off[ks->by_name[mid]], name);

		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ks->n && !strcmp(ks->strings + ks->name_off[ks->by_name[lo]], name))
		return ks->by_name[lo];
	return -1;
}

static uint64_t addr_of(enum sd_ksym_enc enc, const int32_t *off, const uint64_t *abs,
			uint64_t base, uint64_t offsets_va, uint32_t i)
{
	switch (enc) {
	case SD_KSYM_ENC_ABSOLUTE:
		return abs[i];
	case SD_KSYM_ENC_RELATIVE:
		return base + (uint32_t)off[i];
	case SD_KSYM_ENC_ABS_PERCPU:
		return off[i] >= 0 ? (uint64_t)(int64_t)off[i] : base - 1 - (int64_t)off[i];
	case SD_KSYM_ENC_PLACE_RELATIVE:
		return offsets_va + 4ull * i + (uint64_t)(int64_t)off[i];
	case SD_KSYM_ENC_AUTO:
		break;
	}
	return 0;
}

/* The address tables as read, and the encoding (AUTO until decided). */
struct kaddrs {
	int32_t *off;
	uint64_t *abs;
	uint64_t base;
	enum sd_ksym_enc enc;
};

/* The names table ends before whichever other table follows it. */
static size_t names_max(const struct sd_kallsyms_loc *loc)
{
	const uint64_t others[] = { loc->token_table, loc->token_index, loc->num_syms,
				    loc->offsets, loc->relative_base, loc->addresses };
	size_t max = MAX_NAMES;

	for (size_t k = 0; k < sizeof(others) / sizeof(others[0]); k++)
		if (others[k] > loc->names && others[k] - loc->names < max)
			max = (size_t)(others[k] - loc->names);
	return max;
}

static enum sd_status read_num_syms(sd_kread_fn rd, void *ctx, const struct sd_kallsyms_loc *loc,
				    uint32_t *n, struct sd_error *err)
{
	enum sd_status st = rd(ctx, loc->num_syms, n, sizeof(*n), err);

	if (st)
		return sd_error_prefix(err, "kallsyms: reading kallsyms_num_syms at 0x%" PRIx64,
				       loc->num_syms);
	*n = le32toh(*n);
	if (*n == 0 || *n > MAX_SYMS)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "kallsyms: kallsyms_num_syms at 0x%" PRIx64 " is %u",
				    loc->num_syms, *n);
	return SD_OK;
}

/* kallsyms_addresses[] (ABSOLUTE) or kallsyms_offsets[] and, when
 * exported, kallsyms_relative_base (without it: PLACE_RELATIVE). */
static enum sd_status load_addrs(sd_kread_fn rd, void *ctx, const struct sd_kallsyms_loc *loc,
				 uint32_t n, struct kaddrs *a, struct sd_error *err)
{
	enum sd_status st;

	if (a->enc == SD_KSYM_ENC_AUTO && loc->addresses && !loc->offsets)
		a->enc = SD_KSYM_ENC_ABSOLUTE;
	if (a->enc == SD_KSYM_ENC_ABSOLUTE) {
		if (!loc->addresses)
			return sd_error_set(err, SD_ERR_NOTFOUND, "kallsyms: no kallsyms_addresses");
		if (!(a->abs = malloc((size_t)n * 8)))
			return sd_error_set(err, SD_ERR_NOMEM, "kallsyms: out of memory");
		if ((st = rd(ctx, loc->addresses, a->abs, (size_t)n * 8, err)))
			return sd_error_prefix(err, "kallsyms: reading kallsyms_addresses at 0x%"
					       PRIx64, loc->addresses);
		for (uint32_t i = 0; i < n; i++)
			a->abs[i] = le64toh(a->abs[i]);
		return SD_OK;
	}
	if (!loc->offsets)
		return sd_error_set(err, SD_ERR_NOTFOUND, "kallsyms: no kallsyms_offsets");
	if (!(a->off = malloc((size_t)n * 4)))
		return sd_error_set(err, SD_ERR_NOMEM, "kallsyms: out of memory");
	if ((st = rd(ctx, loc->offsets, a->off, (size_t)n * 4, err)))
		return sd_error_prefix(err, "kallsyms: reading kallsyms_offsets at 0x%" PRIx64,
				       loc->offsets);
	for (uint32_t i = 0; i < n; i++)
		a->off[i] = (int32_t)le32toh((uint32_t)a->off[i]);
	if (loc->relative_base) {
		if ((st = rd(ctx, loc->relative_base, &a->base, 8, err)))
			return sd_error_prefix(err, "kallsyms: reading kallsyms_relative_base at 0x%"
					       PRIx64, loc->relative_base);
		a->base = le64toh(a->base);
	} else if (a->enc == SD_KSYM_ENC_AUTO) {
		a->enc = SD_KSYM_ENC_PLACE_RELATIVE;
	}
	return SD_OK;
}

static void drop_names(struct sd_kallsyms *ks)
{
	free(ks->strings);
	free(ks->name_off);
	free(ks->types);
	free(ks->by_name);
	ks->strings = NULL;
	ks->name_off = NULL;
	ks->types = NULL;
	ks->by_name = NULL;
}

/* _stext (VMCOREINFO) against symbol @si: picks the encoding when it was
 * not decided (RELATIVE and ABS_PERCPU share their keys). */
static enum sd_status check_stext(const struct sd_kallsyms_loc *loc, struct kaddrs *a,
				  uint32_t si, struct sd_error *err)
{
	enum sd_ksym_enc cand[2] = { a->enc, SD_KSYM_ENC_AUTO };

	if (a->enc == SD_KSYM_ENC_AUTO) {
		cand[0] = SD_KSYM_ENC_RELATIVE;
		cand[1] = SD_KSYM_ENC_ABS_PERCPU;
	}
	for (int k = 0; k < 2 && cand[k] != SD_KSYM_ENC_AUTO; k++)
		if (addr_of(cand[k], a->off, a->abs, a->base, loc->offsets, si) == loc->stext) {
			a->enc = cand[k];
			return SD_OK;
		}
	return sd_error_set(err, SD_ERR_CORRUPT,
			    "kallsyms: _stext decodes to 0x%" PRIx64 ", VMCOREINFO says 0x%" PRIx64,
			    addr_of(cand[0], a->off, a->abs, a->base, loc->offsets, si), loc->stext);
}

/* Names with one length convention, checked against _stext when
 * VMCOREINFO gives it.  *parsed: the names decoded (whatever the check
 * said). */
static enum sd_status try_names(struct growbuf *g, const struct tokens *tk, uint32_t n,
				bool ln, const struct sd_kallsyms_loc *loc, struct kaddrs *a,
				struct sd_kallsyms *ks, bool *parsed, struct sd_error *err)
{
	enum sd_status st;
	int64_t si;

	*parsed = false;
	if ((st = decode_names(g, tk, n, ln, ks, err)))
		return st;
	*parsed = true;
	ks->long_names = ln;
	if ((st = build_index(ks, err)))
		return st;
	if (!loc->stext)
		return SD_OK;		/* nothing to check against */
	if ((si = find_index(ks, "_stext")) < 0)
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "kallsyms: no _stext among %u decoded names", n);
	return check_stext(loc, a, (uint32_t)si, err);
}

/* Names: the length convention that finds _stext where VMCOREINFO says
 * wins; without _stext, the one that parses (two-byte first).  On failure
 * the error of the convention whose names parsed, which says more than
 * "the table does not parse". */
static enum sd_status choose_names(struct growbuf *g, const struct tokens *tk, uint32_t n,
				   int long_names, const struct sd_kallsyms_loc *loc,
				   struct kaddrs *a, struct sd_kallsyms *ks, struct sd_error *err)
{
	struct sd_error first = { 0 };

	for (int try = 0; try < 2; try++) {
		bool ln = long_names >= 0 ? long_names != 0 : try == 0;
		struct sd_error e = { 0 };
		bool parsed;

		if (try_names(g, tk, n, ln, loc, a, ks, &parsed, &e) == SD_OK)
			return SD_OK;
		drop_names(ks);
		if (try == 0 || parsed)
			first = e;
		if (long_names >= 0)
			break;
	}
	*err = first;
	return first.status;
}

/* Every symbol's address, and the count of data symbols. */
static enum sd_status fill_addrs(struct sd_kallsyms *ks, struct kaddrs *a,
				 const struct sd_kallsyms_loc *loc, struct sd_error *err)
{
	if (a->enc == SD_KSYM_ENC_AUTO) {
		/* No _stext to check: offsets below zero only make sense as
		 * absolute-percpu (a relative kernel would have to span 2 GiB). */
		a->enc = SD_KSYM_ENC_RELATIVE;
		for (uint32_t i = 0; i < ks->n; i++)
			if (a->off[i] < 0) {
				a->enc = SD_KSYM_ENC_ABS_PERCPU;
				break;
			}
	}
	ks->enc = a->enc;
	ks->addrs = malloc((size_t)ks->n * 8);
	if (!ks->addrs)
		return sd_error_set(err, SD_ERR_NOMEM, "kallsyms: out of memory");
	for (uint32_t i = 0; i < ks->n; i++) {
		char t = ks->types[i] | 0x20;

		ks->addrs[i] = addr_of(a->enc, a->off, a->abs, a->base, loc->offsets, i);
		if (t == 'd' || t == 'b' || t == 'r' || t == 'g' || t == 's')
			ks->ndata++;
	}
	return SD_OK;
}

enum sd_status sd_kallsyms_load(sd_kread_fn rd, void *rd_ctx,
				const struct sd_kallsyms_loc *loc,
				enum sd_ksym_enc enc, int long_names,
				struct sd_kallsyms **out, struct sd_error *err)
{
	struct sd_kallsyms *ks;
	struct tokens tk = { 0 };
	struct growbuf g = { rd, rd_ctx, loc->names, NULL, 0, 0 };
	struct kaddrs a = { .enc = enc };
	uint32_t n;
	enum sd_status st;

	*out = NULL;
	if (!loc->names || !loc->token_table || !loc->token_index || !loc->num_syms ||
	    (!loc->offsets && !loc->addresses))
		return sd_error_set(err, SD_ERR_NOTFOUND, "kallsyms: table addresses missing");
	if ((st = read_num_syms(rd, rd_ctx, loc, &n, err)))
		return st;
	g.max = names_max(loc);
	ks = calloc(1, sizeof(*ks));
	if (!ks)
		return sd_error_set(err, SD_ERR_NOMEM, "kallsyms: out of memory");
	ks->n = n;
	if (!(st = load_tokens(rd, rd_ctx, loc, &tk, err)) &&
	    !(st = load_addrs(rd, rd_ctx, loc, n, &a, err)) &&
	    !(st = choose_names(&g, &tk, n, long_names, loc, &a, ks, err)))
		st = fill_addrs(ks, &a, loc, err);
	free(a.off);
	free(a.abs);
	free(tk.tab);
	free(g.buf);
	if (st) {
		sd_kallsyms_free(ks);
		return st;
	}
	*out = ks;
	return SD_OK;
}

enum sd_status sd_kallsyms_from_dump(struct sd_kmem *km, struct sd_kallsyms **out,
				     struct sd_error *err)
{
	struct sd_kallsyms_loc loc;
	enum sd_status st;

	*out = NULL;
	if ((st = sd_kallsyms_loc_from_vmcoreinfo(km->dump, &loc, err)))
		return st;
	return sd_kallsyms_load(sd_kmem_read_cb, km, &loc, SD_KSYM_ENC_AUTO, -1,
				out, err);
}

void sd_kallsyms_free(struct sd_kallsyms *ks)
{
	if (!ks)
		return;
	free(ks->strings);
	free(ks->name_off);
	free(ks->types);
	free(ks->addrs);
	free(ks->by_name);
	free(ks);
}

bool sd_kallsyms_lookup(const struct sd_kallsyms *ks, const char *name,
			uint64_t *addr, char *type)
{
	int64_t i;

	if (!ks)
		return false;
	i = find_index(ks, name);
	if (i < 0)
		return false;
	if (addr)
		*addr = ks->addrs[i];
	if (type)
		*type = ks->types[i];
	return true;
}

size_t sd_kallsyms_count(const struct sd_kallsyms *ks) { return ks ? ks->n : 0; }
const char *sd_kallsyms_name(const struct sd_kallsyms *ks, size_t i) { return ks->strings + ks->name_off[i]; }
uint64_t sd_kallsyms_addr(const struct sd_kallsyms *ks, size_t i) { return ks->addrs[i]; }
char sd_kallsyms_type(const struct sd_kallsyms *ks, size_t i) { return ks->types[i]; }
enum sd_ksym_enc sd_kallsyms_encoding(const struct sd_kallsyms *ks) { return ks->enc; }
bool sd_kallsyms_long_names(const struct sd_kallsyms *ks) { return ks->long_names; }
size_t sd_kallsyms_data_count(const struct sd_kallsyms *ks) { return ks ? ks->ndata : 0; }
