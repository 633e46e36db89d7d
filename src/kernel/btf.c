// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel types from the vmlinux BTF held in the dump (include/ktypes.h).
 *
 * The BTF is the memory between __start_BTF and __stop_BTF
 * (include/asm-generic/vmlinux.lds.h, in the read-only data of the kernel
 * image); no VMCOREINFO key points at it.  kallsyms names it only with
 * CONFIG_KALLSYMS_ALL, so otherwise the image is scanned for a BTF header
 * (struct btf_header, include/uapi/linux/btf.h): magic 0xeB9F, version 1,
 * hdr_len 24, the type section at offset 0 and the string section right
 * after it, the string section starting and ending with NUL, and libbpf
 * accepting the whole.  The scan runs over physical memory from
 * PA(_etext) (PA = VA - kimage_voffset), where .rodata starts, for at most
 * 256 MiB, in 1 MiB steps, at 4-byte alignment (the section's).
 *
 * Module BTF (sd_btf_module_from_dump): when arm-smmu-v3 is a module, its
 * types are in the module's split BTF, kept by kernel/bpf/btf.c on the
 * static list btf_modules of struct btf_module {list, module, btf, ...};
 * struct btf holds the raw blob as data/data_size and the module's name as
 * name[].  The blob's type IDs continue the vmlinux BTF's, so it is parsed
 * with btf__new_split() on top of it (libbpf then resolves base types
 * through the split object too).  Every offset of those two structs comes
 * from the vmlinux BTF itself.  btf_modules is static data: it has a
 * kallsyms name only with CONFIG_KALLSYMS_ALL.
 *
 * Parsing is libbpf's (btf__new); lookups go through
 * btf__find_by_name_kind and the btf_member_* accessors, which handle the
 * kind_flag bitfield encoding.
 */
#define _GNU_SOURCE		/* memfd_create */
#include <endian.h>
#include <inttypes.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <linux/btf.h>

#include "ktypes.h"

#define BTF_MAGIC_LE	0xeb9f
#define BTF_MAX		(64u << 20)
#define SCAN_CHUNK	(1u << 20)
#define SCAN_MAX	(256ull << 20)
#define MAX_DEPTH	16
/* Members one lookup may visit, anonymous ones' included: a kernel struct
 * has a few hundred, but a corrupt BTF whose anonymous members are the
 * struct itself (or share one type) makes the search vlen^MAX_DEPTH long
 * (fuzz_btf).  Beyond this the member is not found. */
#define MAX_MEMBER_VISITS	(1u << 16)

struct btf_impl {
	struct btf *btf;
	void *data;
	struct { char spec[160]; __s32 id; } cache[64];
	size_t ncache;
	/* Split BTF (a module's): the base it was parsed on, owned here and
	 * freed after btf, which points into it. */
	struct sd_ktypes base;
	bool has_base;
};

static const struct btf_type *skip_mods(const struct btf *btf, __u32 *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);
	int n = 0;

	while (t && n++ < 32 && (btf_is_typedef(t) || btf_is_mod(t))) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

static bool find_member(const struct btf *btf, __u32 id, const char *name, size_t nlen,
			uint64_t base_bits, struct sd_kmember *m, __u32 *mtype, int depth,
			unsigned *visits);

/* Does composite @id have every member of the comma-separated @need? */
static bool has_members(const struct btf *btf, __u32 id, const char *need)
{
	while (need && *need) {
		const char *c = strchr(need, ',');
		size_t n = c ? (size_t)(c - need) : strlen(need);
		struct sd_kmember m;
		__u32 mt;
		unsigned visits = MAX_MEMBER_VISITS;

		if (n && !find_member(btf, id, need, n, 0, &m, &mt, 0, &visits))
			return false;
		need = c ? c + 1 : NULL;
	}
	return true;
}

/*
 * "struct NAME", "union NAME" or "NAME", optionally followed by
 * ":MEMBER,MEMBER" to pick, among several types of that name (the SMMUv2
 * and SMMUv3 drivers both define struct arm_smmu_device), the one that
 * has those members.
 */
static __s32 find_type(struct btf_impl *b, const char *spec)
{
	static const int kinds_any[] = { BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_TYPEDEF };
	char name[128];
	const char *colon, *nm = spec;
	const int *kinds = kinds_any;
	int nkinds = 3, k;
	int kstruct = BTF_KIND_STRUCT, kunion = BTF_KIND_UNION;
	__u32 id, cnt = btf__type_cnt(b->btf);
	size_t i;

	for (i = 0; i < b->ncache; i++)
		if (!strcmp(b->cache[i].spec, spec))
			return b->cache[i].id;
	if (!strncmp(spec, "struct ", 7)) {
		nm = spec + 7;
		kinds = &kstruct;
		nkinds = 1;
	} else if (!strncmp(spec, "union ", 6)) {
		nm = spec + 6;
		kinds = &kunion;
		nkinds = 1;
	}
	colon = strchr(nm, ':');
	snprintf(name, sizeof(name), "%.*s", (int)(colon ? colon - nm : (long)strlen(nm)), nm);
	for (k = 0; k < nkinds; k++) {
		if (!colon) {
			__s32 r = btf__find_by_name_kind(b->btf, name, kinds[k]);

			if (r > 0) {
				id = (__u32)r;
				goto found;
			}
			continue;
		}
		for (id = 1; id < cnt; id++) {
			const struct btf_type *t = btf__type_by_id(b->btf, id);
			const char *tn;

			if (!t || (int)btf_kind(t) != kinds[k])
				continue;
			tn = btf__name_by_offset(b->btf, t->name_off);
			if (tn && !strcmp(tn, name) && has_members(b->btf, id, colon + 1))
				goto found;
		}
	}
	return -1;
found:
	if (b->ncache < sizeof(b->cache) / sizeof(b->cache[0])) {
		snprintf(b->cache[b->ncache].spec, sizeof(b->cache[0].spec), "%s", spec);
		b->cache[b->ncache++].id = (__s32)id;
	}
	return (__s32)id;
}

static enum sd_status btf_type_size(void *impl, const char *type, uint64_t *size,
				    struct sd_error *err)
{
	struct btf_impl *b = impl;
	__s32 id = find_type(b, type);
	__s64 sz;

	if (id < 0)
		return sd_error_set(err, SD_ERR_NOTFOUND, "BTF has no type %s", type);
	sz = btf__resolve_size(b->btf, (__u32)id);
	if (sz < 0)
		return sd_error_set(err, SD_ERR_CORRUPT, "BTF: cannot size %s", type);
	*size = (uint64_t)sz;
	return SD_OK;
}

/* Find member @name in composite @id, looking through anonymous members,
 * at most *@visits members in all. */
static bool find_member(const struct btf *btf, __u32 id, const char *name, size_t nlen,
			uint64_t base_bits, struct sd_kmember *m, __u32 *mtype, int depth,
			unsigned *visits)
{
	const struct btf_type *t = skip_mods(btf, &id);
	const struct btf_member *mem;
	__u16 i, vlen;

	if (!t || !btf_is_composite(t) || depth > MAX_DEPTH)
		return false;
	mem = btf_members(t);
	vlen = btf_vlen(t);
	for (i = 0; i < vlen; i++) {
		const char *mn = btf__name_by_offset(btf, mem[i].name_off);
		uint64_t bits = base_bits + btf_member_bit_offset(t, i);

		if (!*visits)
			return false;
		--*visits;
		if (mn && *mn) {
			if (strlen(mn) == nlen && !memcmp(mn, name, nlen)) {
				__s64 sz = btf__resolve_size(btf, mem[i].type);

				m->bit_offset = bits;
				m->bit_size = btf_member_bitfield_size(t, i);
				m->size = sz > 0 ? (uint64_t)sz : 0;
				*mtype = mem[i].type;
				return true;
			}
		} else if (find_member(btf, mem[i].type, name, nlen, bits, m, mtype, depth + 1,
				       visits)) {
			return true;
		}
	}
	return false;
}

static enum sd_status btf_member(void *impl, const char *type, const char *path,
				 struct sd_kmember *m, struct sd_error *err)
{
	struct btf_impl *b = impl;
	__s32 sid = find_type(b, type);
	__u32 id;
	const char *p = path;
	uint64_t base = 0;
	unsigned visits = MAX_MEMBER_VISITS;

	if (sid < 0)
		return sd_error_set(err, SD_ERR_NOTFOUND, "BTF has no type %s", type);
	id = (__u32)sid;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		__u32 mt;

		if (!find_member(b->btf, id, p, n, base, m, &mt, 0, &visits))
			return sd_error_set(err, SD_ERR_NOTFOUND, "BTF: %s has no member %s",
					    type, path);
		if (!dot)
			return SD_OK;
		if (m->bit_size)
			return sd_error_set(err, SD_ERR_CORRUPT, "BTF: %s.%.*s is a bitfield",
					    type, (int)n, p);
		base = m->bit_offset;
		id = mt;
		p = dot + 1;
	}
}

static void btf_destroy(void *impl)
{
	struct btf_impl *b = impl;

	if (!b)
		return;
	btf__free(b->btf);
	free(b->data);
	if (b->has_base)
		sd_kt_close(&b->base);
	free(b);
}

static const struct sd_ktypes_ops btf_ops = {
	.type_size = btf_type_size,
	.member = btf_member,
	.symbol = NULL,
	.destroy = btf_destroy,
};

size_t sd_btf_header_ok(const void *hdr, size_t avail)
{
	struct btf_header h;
	uint64_t total;

	if (avail < sizeof(h))
		return 0;
	memcpy(&h, hdr, sizeof(h));
	if (le16toh(h.magic) != BTF_MAGIC_LE || h.version != 1 || h.flags != 0 ||
	    le32toh(h.hdr_len) != sizeof(h))
		return 0;
	h.type_off = le32toh(h.type_off);
	h.type_len = le32toh(h.type_len);
	h.str_off = le32toh(h.str_off);
	h.str_len = le32toh(h.str_len);
	/* pahole writes types at 0 and strings right after them. */
	if (h.type_off != 0 || h.type_len == 0 || h.type_len % 4 ||
	    h.str_off != h.type_len || h.str_len < 2)
		return 0;
	total = (uint64_t)sizeof(h) + h.str_off + h.str_len;
	if (total > BTF_MAX)
		return 0;
	return (size_t)total;
}

static enum sd_status open_blob(void *data, size_t len, struct sd_ktypes *out,
				struct sd_error *err)
{
	struct btf_impl *b;
	const unsigned char *d = data;
	size_t total = sd_btf_header_ok(data, len);

	if (!total || total > len) {
		free(data);
		return sd_error_set(err, SD_ERR_CORRUPT, "not a valid BTF header");
	}
	if (d[total - 1] != 0) {
		free(data);
		return sd_error_set(err, SD_ERR_CORRUPT, "BTF string section is not terminated");
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		free(data);
		return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
	}
	b->data = data;
	b->btf = btf__new(data, (__u32)total);
	if (!b->btf) {
		free(data);
		free(b);
		return sd_error_set(err, SD_ERR_CORRUPT, "libbpf rejects the BTF (%zu bytes)", total);
	}
	memset(out, 0, sizeof(*out));
	out->source = "btf";
	out->ops = &btf_ops;
	out->impl = b;
	snprintf(out->desc, sizeof(out->desc), "BTF, %zu bytes, %u types", total,
		 btf__type_cnt(b->btf) - 1);
	return SD_OK;
}

enum sd_status sd_btf_open_raw(const void *data, size_t len, struct sd_ktypes *out,
			       struct sd_error *err)
{
	void *copy = malloc(len ? len : 1);

	if (!copy)
		return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
	memcpy(copy, data, len);
	return open_blob(copy, len, out, err);
}

/* A vmlinux BTF, not a module's split BTF or a stray header: it defines
 * the core types. */
static bool is_vmlinux_btf(const struct sd_ktypes *kt)
{
	struct btf_impl *b = kt->impl;

	return btf__find_by_name_kind(b->btf, "task_struct", BTF_KIND_STRUCT) > 0 &&
	       btf__find_by_name_kind(b->btf, "list_head", BTF_KIND_STRUCT) > 0;
}

static enum sd_status read_phys_blob(struct sd_kmem *km, uint64_t pa, size_t len,
				     void **out, struct sd_error *err)
{
	void *buf = malloc(len);
	enum sd_status st;

	if (!buf)
		return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
	st = sd_dump_read_phys(km->dump, pa, buf, len, err);
	if (st) {
		free(buf);
		return st;
	}
	*out = buf;
	return SD_OK;
}

/* Scan the kernel image from PA @from_pa for a valid vmlinux BTF header
 * (@why: why the symbols did not give it, for the messages). */
static enum sd_status scan_image(struct sd_kmem *km, uint64_t from_pa, const char *why,
				 struct sd_ktypes *out, struct sd_error *err)
{
	unsigned char *chunk;
	uint64_t pa;
	enum sd_status st;

	chunk = malloc(SCAN_CHUNK + 32);
	if (!chunk)
		return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
	for (pa = from_pa; pa < from_pa + SCAN_MAX; pa += SCAN_CHUNK) {
		size_t i;
		struct sd_error re = { 0 };

		if (sd_timed_out) {
			free(chunk);
			return sd_error_set(err, SD_ERR_TIMEOUT, "--timeout expired scanning the "
					    "kernel image for the vmlinux BTF at PA 0x%" PRIx64, pa);
		}
		/* 24 bytes of overlap so a header straddling chunks is seen.
		 * A hole or the end of RAM ends the image: the scan stops
		 * there, and the message below says how far it got. */
		st = sd_dump_read_phys(km->dump, pa, chunk, SCAN_CHUNK + 24, &re);
		if (st)
			break;
		for (i = 0; i < SCAN_CHUNK; i += 4) {
			size_t total;
			void *data = NULL;
			struct sd_error e = { 0 };

			if (chunk[i] != 0x9f || chunk[i + 1] != 0xeb || chunk[i + 2] != 1)
				continue;
			total = sd_btf_header_ok(chunk + i, 24);
			if (!total)
				continue;
			if (read_phys_blob(km, pa + i, total, &data, &e))
				continue;
			if (open_blob(data, total, out, &e))
				continue;
			if (!is_vmlinux_btf(out)) {
				sd_kt_close(out);
				continue;
			}
			free(chunk);
			snprintf(out->desc + strlen(out->desc), sizeof(out->desc) - strlen(out->desc),
				 ", found by scanning the kernel image at PA 0x%" PRIx64
				 " (VA 0x%" PRIx64 ") because %s", pa + i,
				 pa + i + km->kimage_voffset, why);
			return SD_OK;
		}
	}
	free(chunk);
	return sd_error_set(err, SD_ERR_NOTFOUND,
			    "no vmlinux BTF: %s, and no valid BTF header in the %" PRIu64
			    " MiB of the kernel image after PA 0x%" PRIx64
			    " (kernel built without CONFIG_DEBUG_INFO_BTF?)", why,
			    (pa - from_pa) >> 20, from_pa);
}

enum sd_status sd_btf_from_dump(struct sd_kmem *km, const struct sd_kallsyms *ks,
				struct sd_ktypes *out, struct sd_error *err)
{
	uint64_t start = 0, stop = 0, from_va = 0;
	enum sd_status st;
	char why[160] = "";

	/* 1. __start_BTF .. __stop_BTF (kallsyms with CONFIG_KALLSYMS_ALL). */
	if (ks && sd_kallsyms_lookup(ks, "__start_BTF", &start, NULL) &&
	    sd_kallsyms_lookup(ks, "__stop_BTF", &stop, NULL)) {
		void *data;
		size_t len = (size_t)(stop - start);

		if (stop <= start || stop - start > BTF_MAX) {
			snprintf(why, sizeof(why), "__start_BTF 0x%" PRIx64 " .. __stop_BTF 0x%" PRIx64
				 " is not a plausible range", start, stop);
		} else {
			data = malloc(len);
			if (!data)
				return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
			st = sd_kmem_read(km, start, data, len, err);
			if (st) {
				free(data);
				return sd_error_prefix(err, "reading the vmlinux BTF (__start_BTF)");
			}
			st = open_blob(data, len, out, err);
			if (st)
				return sd_error_prefix(err, "vmlinux BTF at __start_BTF 0x%" PRIx64, start);
			snprintf(out->desc + strlen(out->desc), sizeof(out->desc) - strlen(out->desc),
				 ", at __start_BTF 0x%" PRIx64 " (kallsyms)", start);
			return SD_OK;
		}
	} else {
		snprintf(why, sizeof(why), "kallsyms has no __start_BTF/__stop_BTF");
	}

	/* 2. Scan the kernel image. */
	if (!km->have_kimage_voffset)
		return sd_error_set(err, SD_ERR_NOTFOUND,
				    "cannot find the vmlinux BTF: %s, and VMCOREINFO has no "
				    "NUMBER(kimage_voffset) to scan the kernel image", why);
	if (!(ks && sd_kallsyms_lookup(ks, "_etext", &from_va, NULL)) &&
	    !(ks && sd_kallsyms_lookup(ks, "_stext", &from_va, NULL)) &&
	    !sd_vmcoreinfo_u64(km->dump, "SYMBOL(_stext)", true, &from_va))
		return sd_error_set(err, SD_ERR_NOTFOUND,
				    "cannot find the vmlinux BTF: %s, and neither _etext nor "
				    "_stext is known", why);
	return scan_image(km, (from_va - km->kimage_voffset) & ~3ull, why, out, err);
}

/* --- split (module) BTF ------------------------------------------------- */

/*
 * btf__new_split() is declared by libbpf's btf.h since 0.3 but exported
 * only from libbpf 1.2 on (Debian 12 ships 1.1.2, where the link fails).
 * Take it when the library has it; otherwise hand the blob to the
 * exported btf__parse_raw_split() through an anonymous memory file.
 */
#pragma weak btf__new_split

static struct btf *new_split(const void *data, __u32 size, struct btf *base)
{
	char path[64];
	struct btf *r = NULL;
	int fd;

	if (btf__new_split)
		return btf__new_split(data, size, base);
	fd = memfd_create("smmu-strtab-dump-btf", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		r = btf__parse_raw_split(path, base);	/* libbpf 1.x: NULL on error */
	}
	close(fd);
	return r;
}

enum sd_status sd_btf_open_split(const void *data, size_t len, struct sd_ktypes *base,
				 struct sd_ktypes *out, struct sd_error *err)
{
	struct btf_impl *b, *bb;
	size_t total = sd_btf_header_ok(data, len);
	void *copy;

	if (!base || base->ops != &btf_ops)
		return sd_error_set(err, SD_ERR_UNSUPPORTED,
				    "split BTF needs a BTF base (the vmlinux BTF)");
	bb = base->impl;
	if (!total || total > len)
		return sd_error_set(err, SD_ERR_CORRUPT, "not a valid BTF header");
	if (((const unsigned char *)data)[total - 1] != 0)
		return sd_error_set(err, SD_ERR_CORRUPT, "BTF string section is not terminated");
	copy = malloc(total);
	b = calloc(1, sizeof(*b));
	if (!copy || !b) {
		free(copy);
		free(b);
		return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
	}
	memcpy(copy, data, total);
	b->data = copy;
	b->btf = new_split(copy, (__u32)total, bb->btf);
	if (!b->btf) {
		free(copy);
		free(b);
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "libbpf rejects the split BTF (%zu bytes) on its base", total);
	}
	b->base = *base;
	b->has_base = true;
	memset(base, 0, sizeof(*base));
	memset(out, 0, sizeof(*out));
	out->source = "btf";
	out->ops = &btf_ops;
	out->impl = b;
	snprintf(out->desc, sizeof(out->desc), "split BTF, %zu bytes, %u types, on %.160s",
		 total, btf__type_cnt(b->btf) - btf__type_cnt(bb->btf), b->base.desc);
	return SD_OK;
}

#define MAX_BTF_MODULES 4096

/* Where struct btf_module and struct btf keep what the walk needs, from
 * the vmlinux BTF. */
struct modbtf_layout {
	uint64_t o_list, o_mod, o_btf, o_data, o_size, o_name, o_mname;
	uint64_t size_bytes;	/* struct btf.data_size: 4 or 8 */
	bool by_btf_name;	/* btf->name (5.11 on), else module->name */
};

static enum sd_status modbtf_layout(const struct sd_ktypes *kt, struct modbtf_layout *L,
				    struct sd_error *err)
{
	static const char *const size_names[] = { "data_size", NULL };
	struct sd_kmember m;
	enum sd_status st;

	memset(L, 0, sizeof(*L));
	if ((st = sd_kt_offset(kt, "struct btf_module", "list", &L->o_list, err)) ||
	    (st = sd_kt_offset(kt, "struct btf_module", "module", &L->o_mod, err)) ||
	    (st = sd_kt_offset(kt, "struct btf_module", "btf", &L->o_btf, err)) ||
	    (st = sd_kt_offset(kt, "struct btf", "data", &L->o_data, err)) ||
	    (st = sd_kt_member_any(kt, "struct btf", size_names, &m, NULL, err)))
		return sd_error_prefix(err, "module BTF");
	if (m.bit_size || m.bit_offset % 8 || (m.size != 4 && m.size != 8))
		return sd_error_set(err, SD_ERR_UNSUPPORTED, "module BTF: struct btf.data_size "
				    "is not a 4- or 8-byte integer");
	L->o_size = m.bit_offset / 8;
	L->size_bytes = m.size;
	L->by_btf_name = sd_kt_has(kt, "struct btf", "name");
	if ((st = L->by_btf_name ? sd_kt_offset(kt, "struct btf", "name", &L->o_name, err)
				 : sd_kt_offset(kt, "struct module", "name", &L->o_mname, err)))
		return sd_error_prefix(err, "module BTF");
	return SD_OK;
}

/* The BTF blob of struct btf @btf (module @module). */
static enum sd_status modbtf_read(struct sd_kmem *km, const struct modbtf_layout *L,
				  const char *module, uint64_t btf, void **blob, size_t *len,
				  uint64_t *addr, struct sd_error *err)
{
	uint64_t data, size = 0;
	void *buf;
	enum sd_status st;

	if ((st = sd_kmem_u64(km, btf + L->o_data, &data, err)) ||
	    (st = sd_kmem_read(km, btf + L->o_size, &size, (size_t)L->size_bytes, err)))
		return sd_error_prefix(err, "struct btf of module %s at 0x%" PRIx64, module, btf);
	size = le64toh(size);	/* the read filled the low bytes */
	if (L->size_bytes == 4)
		size &= 0xffffffffull;
	if (size < 24 || size > BTF_MAX)
		return sd_error_set(err, SD_ERR_CORRUPT, "module %s: BTF size %" PRIu64
				    " at 0x%" PRIx64 " is implausible", module, size, data);
	buf = malloc((size_t)size);
	if (!buf)
		return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
	if ((st = sd_kmem_read(km, data, buf, (size_t)size, err))) {
		free(buf);
		return sd_error_prefix(err, "BTF of module %s at 0x%" PRIx64, module, data);
	}
	*blob = buf;
	*len = (size_t)size;
	if (addr)
		*addr = data;
	return SD_OK;
}

enum sd_status sd_btf_module_blob(struct sd_kmem *km, const struct sd_kallsyms *ks,
				  const struct sd_ktypes *kt, const char *module,
				  void **blob, size_t *len, uint64_t *addr,
				  struct sd_error *err)
{
	struct modbtf_layout L;
	struct sd_klist l;
	uint64_t head;
	unsigned unreadable = 0;
	char first[SD_ERROR_MSG_MAX / 2] = "";
	enum sd_status st;

	if (!kt || kt->ops != &btf_ops)
		return sd_error_set(err, SD_ERR_UNSUPPORTED, "module BTF needs the vmlinux BTF");
	if (!ks || !sd_kallsyms_lookup(ks, "btf_modules", &head, NULL))
		return sd_error_set(err, SD_ERR_NOTFOUND,
				    "kallsyms has no btf_modules (a static list: named only with "
				    "CONFIG_KALLSYMS_ALL), so the module BTF of %s cannot be reached",
				    module);
	if ((st = modbtf_layout(kt, &L, err)))
		return st;
	/* Bounded, and a loop that never returns to the head is caught. */
	st = sd_klist_start(km, &l, "btf_modules", head, MAX_BTF_MODULES, err);
	for (; st == SD_OK && sd_klist_more(&l); st = sd_klist_next(km, &l, err)) {
		uint64_t ent = l.pos - L.o_list, btf, mod, namep;
		char name[64];
		struct sd_error e = { 0 };

		if ((st = sd_kmem_u64(km, ent + L.o_btf, &btf, err)) ||
		    (st = sd_kmem_u64(km, ent + L.o_mod, &mod, err)))
			return sd_error_prefix(err, "btf_modules entry 0x%" PRIx64, ent);
		namep = L.by_btf_name ? btf + L.o_name : mod + L.o_mname;
		/* An entry whose name cannot be read cannot be recognised:
		 * skipped, and counted in the answer. */
		if (sd_kmem_string(km, namep, name, sizeof(name), &e)) {
			if (!unreadable++)
				snprintf(first, sizeof(first), "entry 0x%" PRIx64 ": %s", ent, e.msg);
			continue;
		}
		if (sd_kmodule_same_name(name, module))
			return modbtf_read(km, &L, module, btf, blob, len, addr, err);
	}
	if (st)
		return sd_error_prefix(err, "module %s not found", module);
	if (unreadable)
		return sd_error_set(err, SD_ERR_NOTFOUND, "no module %s among the %" PRIu64
				    " entries of btf_modules, %u of them with an unreadable name "
				    "(first %s)", module, l.n, unreadable, first);
	return sd_error_set(err, SD_ERR_NOTFOUND, "no module %s among the %" PRIu64 " entries of "
			    "btf_modules (built in, not loaded, or its BTF not loaded)", module, l.n);
}

enum sd_status sd_btf_module_from_dump(struct sd_kmem *km, const struct sd_kallsyms *ks,
				       const char *module, struct sd_ktypes *kt,
				       struct sd_error *err)
{
	struct sd_ktypes split;
	enum sd_status st;
	uint64_t data = 0;
	void *blob = NULL;
	size_t len = 0;

	if ((st = sd_btf_module_blob(km, ks, kt, module, &blob, &len, &data, err)))
		return st;
	st = sd_btf_open_split(blob, len, kt, &split, err);
	free(blob);
	if (st)
		return sd_error_prefix(err, "BTF of module %s at 0x%" PRIx64, module, data);
	snprintf(split.desc + strlen(split.desc), sizeof(split.desc) - strlen(split.desc),
		 " (module %s, from btf_modules)", module);
	*kt = split;	/* kt's old contents now live inside split */
	return SD_OK;
}
