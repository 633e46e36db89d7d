// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel types and symbols from a vmlinux with DWARF (include/ktypes.h),
 * through libdw and libelf.
 *
 * The vmlinux must be the crashed kernel's: its GNU build-id note is
 * compared with VMCOREINFO's BUILD-ID.  Symbols come from .symtab plus
 * KERNELOFFSET (KASLR).  Types: one pass over the top-level DIEs of every
 * CU indexes each named struct/union/typedef definition (declarations
 * skipped); a name may have many definitions (one per CU, and different
 * types sharing a name, such as the SMMUv2 and SMMUv3 struct
 * arm_smmu_device), so lookups take the first definition that has the
 * ":member,member" discriminators the caller gives.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <elfutils/libdwelf.h>

#include "ktypes.h"

#define MAX_DEPTH 16

struct tent {
	const char *name;
	int tag;
	Dwarf_Off off;
};

struct dsym {
	const char *name;
	uint64_t addr;
};

struct dwarf_impl {
	int fd;
	Dwarf *dw;
	Dwfl *dwfl;		/* relocatable files (a module's .ko): owns dw */
	uint64_t kaslr;
	struct tent *types;
	size_t ntypes;
	bool indexed;
	struct dsym *syms;
	size_t nsyms;
	struct { char spec[160]; Dwarf_Off off; } cache[64];
	size_t ncache;
	char path[256];
};

static int cmp_tent(const void *a, const void *b)
{
	const struct tent *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->tag != y->tag)
		return x->tag - y->tag;
	return x->off < y->off ? -1 : x->off > y->off;
}

static enum sd_status build_index(struct dwarf_impl *d, struct sd_error *err)
{
	Dwarf_Off off = 0, next;
	size_t hsize, cap = 0;

	if (d->indexed)
		return SD_OK;
	while (dwarf_nextcu(d->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, child;

		if (dwarf_offdie(d->dw, off + hsize, &cu) && dwarf_child(&cu, &child) == 0) {
			do {
				int tag = dwarf_tag(&child);
				const char *nm;
				Dwarf_Attribute a;

				if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type &&
				    tag != DW_TAG_typedef)
					continue;
				if (dwarf_attr(&child, DW_AT_declaration, &a))
					continue;
				nm = dwarf_diename(&child);
				if (!nm)
					continue;
				if (d->ntypes == cap) {
					struct tent *nt;

					cap = cap ? cap * 2 : 65536;
					nt = realloc(d->types, cap * sizeof(*nt));
					if (!nt)
						return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
					d->types = nt;
				}
				d->types[d->ntypes].name = nm;
				d->types[d->ntypes].tag = tag;
				d->types[d->ntypes].off = dwarf_dieoffset(&child);
				d->ntypes++;
			} while (dwarf_siblingof(&child, &child) == 0);
		}
		off = next;
	}
	qsort(d->types, d->ntypes, sizeof(*d->types), cmp_tent);
	d->indexed = true;
	return SD_OK;
}

/* Peel typedefs and qualifiers. */
static bool peel(Dwarf_Die *die)
{
	for (int i = 0; i < 32; i++) {
		int tag = dwarf_tag(die);
		Dwarf_Attribute a;

		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type &&
		    tag != DW_TAG_volatile_type && tag != DW_TAG_restrict_type &&
		    tag != DW_TAG_atomic_type)
			return true;
		if (!dwarf_attr(die, DW_AT_type, &a) || !dwarf_formref_die(&a, die))
			return false;
	}
	return false;
}

static bool find_member(Dwarf_Die *outer, const char *name, size_t nlen, uint64_t base,
			struct sd_kmember *m, Dwarf_Die *mtype, int depth)
{
	Dwarf_Die st = *outer, child;

	if (depth > MAX_DEPTH || !peel(&st))
		return false;
	if (dwarf_tag(&st) != DW_TAG_structure_type && dwarf_tag(&st) != DW_TAG_union_type)
		return false;
	if (dwarf_child(&st, &child) != 0)
		return false;
	do {
		const char *mn;
		Dwarf_Attribute a;
		Dwarf_Word loc = 0, v;
		Dwarf_Die t;
		uint64_t bits;

		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		if (dwarf_attr(&child, DW_AT_data_member_location, &a))
			dwarf_formudata(&a, &loc);
		bits = base + loc * 8;
		if (!dwarf_attr(&child, DW_AT_type, &a) || !dwarf_formref_die(&a, &t))
			continue;
		mn = dwarf_diename(&child);
		if (mn) {
			Dwarf_Die tp = t;

			if (strlen(mn) != nlen || memcmp(mn, name, nlen))
				continue;
			memset(m, 0, sizeof(*m));
			if (dwarf_attr(&child, DW_AT_bit_size, &a) && dwarf_formudata(&a, &v) == 0)
				m->bit_size = (uint32_t)v;
			if (dwarf_attr(&child, DW_AT_data_bit_offset, &a) &&
			    dwarf_formudata(&a, &v) == 0) {
				bits = base + v;
			} else if (m->bit_size && dwarf_attr(&child, DW_AT_bit_offset, &a) &&
				   dwarf_formudata(&a, &v) == 0) {
				/* DWARF 2/3: offset of the MSB within the storage unit. */
				Dwarf_Word bsz = 0;
				Dwarf_Attribute b;

				if (dwarf_attr(&child, DW_AT_byte_size, &b))
					dwarf_formudata(&b, &bsz);
				else {
					Dwarf_Word s2;

					if (dwarf_aggregate_size(&tp, &s2) == 0)
						bsz = s2;
				}
				bits = base + loc * 8 + bsz * 8 - v - m->bit_size;
			}
			m->bit_offset = bits;
			if (peel(&tp)) {
				Dwarf_Word sz;

				if (dwarf_aggregate_size(&tp, &sz) == 0)
					m->size = sz;
				else if (dwarf_attr(&tp, DW_AT_byte_size, &a) &&
					 dwarf_formudata(&a, &sz) == 0)
					m->size = sz;
			}
			*mtype = t;
			return true;
		}
		if (find_member(&t, name, nlen, bits, m, mtype, depth + 1))
			return true;
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

static bool has_members(Dwarf_Die *die, const char *need)
{
	while (need && *need) {
		const char *c = strchr(need, ',');
		size_t n = c ? (size_t)(c - need) : strlen(need);
		struct sd_kmember m;
		Dwarf_Die t;

		if (n && !find_member(die, need, n, 0, &m, &t, 0))
			return false;
		need = c ? c + 1 : NULL;
	}
	return true;
}

static enum sd_status find_type(struct dwarf_impl *d, const char *spec, Dwarf_Die *out,
				struct sd_error *err)
{
	static const int any[] = { DW_TAG_structure_type, DW_TAG_union_type, DW_TAG_typedef };
	int one[1];
	const int *tags = any;
	int ntags = 3;
	const char *nm = spec, *colon;
	char name[128];
	enum sd_status st;

	for (size_t i = 0; i < d->ncache; i++)
		if (!strcmp(d->cache[i].spec, spec))
			return dwarf_offdie(d->dw, d->cache[i].off, out) ? SD_OK :
				sd_error_set(err, SD_ERR_CORRUPT, "DWARF: lost DIE for %s", spec);
	if ((st = build_index(d, err)))
		return st;
	if (!strncmp(spec, "struct ", 7)) {
		nm = spec + 7;
		one[0] = DW_TAG_structure_type;
		tags = one;
		ntags = 1;
	} else if (!strncmp(spec, "union ", 6)) {
		nm = spec + 6;
		one[0] = DW_TAG_union_type;
		tags = one;
		ntags = 1;
	}
	colon = strchr(nm, ':');
	snprintf(name, sizeof(name), "%.*s", (int)(colon ? colon - nm : (long)strlen(nm)), nm);
	for (int k = 0; k < ntags; k++) {
		struct tent key = { name, tags[k], 0 };
		size_t lo = 0, hi = d->ntypes;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (cmp_tent(&d->types[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < d->ntypes && d->types[lo].tag == tags[k] &&
		       !strcmp(d->types[lo].name, name); lo++) {
			if (!dwarf_offdie(d->dw, d->types[lo].off, out))
				continue;
			if (colon && !has_members(out, colon + 1))
				continue;
			if (d->ncache < sizeof(d->cache) / sizeof(d->cache[0])) {
				snprintf(d->cache[d->ncache].spec, sizeof(d->cache[0].spec), "%s", spec);
				d->cache[d->ncache++].off = d->types[lo].off;
			}
			return SD_OK;
		}
	}
	return sd_error_set(err, SD_ERR_NOTFOUND, "DWARF has no type %s", spec);
}

static enum sd_status dw_type_size(void *impl, const char *type, uint64_t *size,
				   struct sd_error *err)
{
	struct dwarf_impl *d = impl;
	Dwarf_Die die;
	Dwarf_Word sz;
	enum sd_status st = find_type(d, type, &die, err);

	if (st)
		return st;
	if (!peel(&die) || dwarf_aggregate_size(&die, &sz) != 0)
		return sd_error_set(err, SD_ERR_CORRUPT, "DWARF: cannot size %s", type);
	*size = sz;
	return SD_OK;
}

static enum sd_status dw_member(void *impl, const char *type, const char *path,
				struct sd_kmember *m, struct sd_error *err)
{
	struct dwarf_impl *d = impl;
	Dwarf_Die die, mt;
	const char *p = path;
	uint64_t base = 0;
	enum sd_status st = find_type(d, type, &die, err);

	if (st)
		return st;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		if (!find_member(&die, p, n, base, m, &mt, 0))
			return sd_error_set(err, SD_ERR_NOTFOUND, "DWARF: %s has no member %s",
					    type, path);
		if (!dot)
			return SD_OK;
		base = m->bit_offset;
		die = mt;
		p = dot + 1;
	}
}

static int cmp_dsym(const void *a, const void *b)
{
	return strcmp(((const struct dsym *)a)->name, ((const struct dsym *)b)->name);
}

static enum sd_status load_symtab(struct dwarf_impl *d, struct sd_error *err)
{
	Elf *elf = dwarf_getelf(d->dw);
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t n, i;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		n = sh.sh_size / sh.sh_entsize;
		d->syms = calloc(n, sizeof(*d->syms));
		if (!d->syms)
			return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
		for (i = 0; i < n; i++) {
			GElf_Sym s;
			const char *nm;

			if (!gelf_getsym(data, (int)i, &s) || s.st_shndx == SHN_UNDEF)
				continue;
			nm = elf_strptr(elf, sh.sh_link, s.st_name);
			if (!nm || !*nm)
				continue;
			d->syms[d->nsyms].name = nm;
			d->syms[d->nsyms].addr = s.st_value;
			d->nsyms++;
		}
		qsort(d->syms, d->nsyms, sizeof(*d->syms), cmp_dsym);
		return SD_OK;
	}
	return SD_OK;
}

static enum sd_status dw_symbol(void *impl, const char *name, uint64_t *addr,
				struct sd_error *err)
{
	struct dwarf_impl *d = impl;
	struct dsym key = { name, 0 }, *r;

	r = d->nsyms ? bsearch(&key, d->syms, d->nsyms, sizeof(key), cmp_dsym) : NULL;
	if (!r)
		return sd_error_set(err, SD_ERR_NOTFOUND, "%s has no symbol %s", d->path, name);
	*addr = r->addr + d->kaslr;
	return SD_OK;
}

static void dw_destroy(void *impl)
{
	struct dwarf_impl *d = impl;

	if (!d)
		return;
	free(d->types);
	free(d->syms);
	if (d->dwfl)
		dwfl_end(d->dwfl);
	else if (d->dw)
		dwarf_end(d->dw);
	if (d->fd >= 0)
		close(d->fd);
	free(d);
}

static const struct sd_ktypes_ops dwarf_ops = {
	.type_size = dw_type_size,
	.member = dw_member,
	.symbol = dw_symbol,
	.destroy = dw_destroy,
};

enum sd_status sd_dwarf_open(const char *path, const char *build_id_hex,
			     uint64_t kaslr, struct sd_ktypes *out,
			     struct sd_error *err)
{
	struct dwarf_impl *d;
	const void *bid = NULL;
	ssize_t blen;
	char hex[129] = "";
	enum sd_status st;
	struct stat sb;

	elf_version(EV_CURRENT);
	d = calloc(1, sizeof(*d));
	if (!d)
		return sd_error_set(err, SD_ERR_NOMEM, "%s: out of memory", path);
	/* Untrusted path (issue 12): a FIFO with no writer must not block
	 * the open, and only a regular file is an ELF file to map. */
	d->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (d->fd < 0) {
		free(d);
		return sd_error_set(err, SD_ERR_IO, "%s: %m", path);
	}
	if (fstat(d->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(d->fd);
		free(d);
		return sd_error_set(err, SD_ERR_USAGE, "%s: not a regular file", path);
	}
	snprintf(d->path, sizeof(d->path), "%s", path);
	d->kaslr = kaslr;
	{
		/* A .ko is ET_REL: its DWARF needs its relocations applied,
		 * which libdwfl's offline reporting does (dwarf_begin does not). */
		Elf *e = elf_begin(d->fd, ELF_C_READ_MMAP, NULL);
		GElf_Ehdr eh;
		bool rel = e && gelf_getehdr(e, &eh) && eh.e_type == ET_REL;

		if (e)
			elf_end(e);
		if (rel) {
			static char *debuginfo_path;
			static const Dwfl_Callbacks cb = {
				.find_debuginfo = dwfl_standard_find_debuginfo,
				.section_address = dwfl_offline_section_address,
				.debuginfo_path = &debuginfo_path,
			};
			Dwfl_Module *mod;
			Dwarf_Addr bias;

			d->dwfl = dwfl_begin(&cb);
			mod = d->dwfl ? dwfl_report_offline(d->dwfl, "module", path, -1) : NULL;
			if (d->dwfl)
				dwfl_report_end(d->dwfl, NULL, NULL);
			d->dw = mod ? dwfl_module_getdwarf(mod, &bias) : NULL;
		} else {
			d->dw = dwarf_begin(d->fd, DWARF_C_READ);
		}
	}
	if (!d->dw) {
		dw_destroy(d);
		return sd_error_set(err, SD_ERR_UNSUPPORTED, "%s: no DWARF (%s)", path,
				    dwarf_errmsg(-1));
	}
	blen = dwelf_elf_gnu_build_id(dwarf_getelf(d->dw), &bid);
	for (ssize_t i = 0; i < blen && i < 64; i++)
		snprintf(hex + 2 * i, 3, "%02x", ((const unsigned char *)bid)[i]);
	if (build_id_hex && *build_id_hex) {
		/* VMCOREINFO BUILD-ID is the hex of the build-id note (as many
		 * bytes as it has; compare case-insensitively). */
		if (blen <= 0 || strncasecmp(hex, build_id_hex, strlen(hex)) ||
		    strlen(build_id_hex) < strlen(hex)) {
			dw_destroy(d);
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "%s: build-id %s does not match the dump's BUILD-ID %s",
					    path, blen > 0 ? hex : "(none)", build_id_hex);
		}
	}
	if ((st = load_symtab(d, err))) {
		dw_destroy(d);
		return st;
	}
	memset(out, 0, sizeof(*out));
	out->source = "dwarf";
	out->ops = &dwarf_ops;
	out->impl = d;
	snprintf(out->desc, sizeof(out->desc), "DWARF from %s (build-id %s%s)", path,
		 blen > 0 ? hex : "none", build_id_hex && *build_id_hex ? ", matches the dump" : "");
	return SD_OK;
}
