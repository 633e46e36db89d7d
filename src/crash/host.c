// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What crash gives the libraries (crash-priv.h): the dump's memory through
 * readmem() (struct sd_dump_backend), the kernel's types through crash's
 * gdb and its symbols through crash's symbol table (struct sd_khost).
 *
 * Types: a one-member path is asked of gdb as crash's own MEMBER_OFFSET()
 * does (GNU_GET_DATATYPE: anonymous structs and unions are searched, the
 * offset comes in bits); a dotted path ("strtab_cfg.l2.l1_dma", whose
 * middle members may have anonymous types) goes through gdb's expression
 * evaluator as ANON_MEMBER_OFFSET()/ANON_MEMBER_SIZE() do.  gdb's datatype
 * request does not say whether a member is a bitfield, so the widths come
 * from `ptype` of the type, once per type.  Every answer is cached: the
 * walk asks the same few dozen members for every stream and device.
 *
 * Two structs of one name: Linux has two struct arm_smmu_device (arm-smmu
 * for SMMUv2, arm-smmu-v3), and gdb's datatype request takes whichever it
 * finds first.  The kernel layer names the one it wants by members
 * ("struct arm_smmu_device:strtab_cfg,sid_bits"); such a type is asked
 * through gdb's expression evaluator, whose names resolve in the scope of
 * gdb's current source file: the first of contexts[] where every listed
 * member exists is kept for that type (`list FILE:1` makes it current).
 */
#include "defs.h"	/* crash's, first: it sets the feature macros */

#include <ctype.h>
#include <inttypes.h>

#include "crash-priv.h"

/* Distinct (type, member) pairs and types the kernel layer asks about:
 * a few dozen; past these bounds answers are simply not cached. */
#define MAX_CACHED_MEMBERS	512
#define MAX_CACHED_TYPES	64
#define MAX_BITFIELDS		256
#define NAME_MAX_LEN		128

struct member_ans {
	char type[NAME_MAX_LEN], path[NAME_MAX_LEN];
	bool found;
	uint64_t bit_offset, size;
	uint32_t bit_size;
};

struct bitfield { char name[64]; uint32_t width; };

struct type_bits {
	char type[NAME_MAX_LEN];
	struct bitfield *v;
	size_t n;
};

struct hinted {
	char type[NAME_MAX_LEN];
	int ctx;		/* index in contexts[], -1: none has the members */
};
static struct hinted hinted[MAX_CACHED_TYPES];
static size_t nhinted;
static struct member_ans members[MAX_CACHED_MEMBERS];
static size_t nmembers;
static struct type_bits types[MAX_CACHED_TYPES];
static size_t ntypes;

void crash_host_reset(void)
{
	for (size_t i = 0; i < ntypes; i++)
		free(types[i].v);
	ntypes = nmembers = nhinted = 0;
}

/* --- memory ------------------------------------------------------------- */

static enum sd_status read_phys(void *ctx, uint64_t pa, void *buf, size_t len,
				struct sd_error *err)
{
	(void)ctx;
	/* crash says only that it could not: a page the dump does not hold
	 * (filtered, or in no segment) is the case a walk meets. */
	if (readmem(pa, PHYSADDR, buf, (long)len, "smmu physical", RETURN_ON_ERROR | QUIET))
		return SD_OK;
	return sd_error_set(err, SD_ERR_NODATA, "physical 0x%" PRIx64 "+0x%zx: crash cannot read it",
			    pa, len);
}

static enum sd_status read_kv(void *ctx, uint64_t va, void *buf, size_t len,
			      struct sd_error *err)
{
	(void)ctx;
	if (readmem(va, KVADDR, buf, (long)len, "smmu kernel", RETURN_ON_ERROR | QUIET))
		return SD_OK;
	return sd_error_set(err, SD_ERR_NODATA, "kernel VA 0x%" PRIx64 "+0x%zx: crash cannot read it",
			    va, len);
}

static char *vmcoreinfo(void *ctx, const char *key)
{
	char *v = pc->read_vmcoreinfo ? pc->read_vmcoreinfo(key) : NULL;

	(void)ctx;
	/* crash knows the release from the kernel itself when the dump has no
	 * VMCOREINFO (a live system, some formats). */
	if (!v && !strcmp(key, "OSRELEASE") && kt->utsname.release[0])
		v = strdup(kt->utsname.release);
	return v;
}

const struct sd_dump_backend crash_memory = { read_phys, read_kv, vmcoreinfo };

/* --- types -------------------------------------------------------------- */

/* Where a struct named twice is the SMMUv3 driver's: the driver's source
 * file (drivers/iommu/arm/arm-smmu-v3/ since 5.9, drivers/iommu/ before;
 * in the module's objfile when crash loaded it with mod -s). */
static const char *const contexts[] = { "", "arm-smmu-v3.c:1" };
#define NCONTEXTS	(sizeof(contexts) / sizeof(contexts[0]))


static void gdb_scope(int ctx)
{
	char cmd[64];

	if (!contexts[ctx][0])
		return;
	snprintf(cmd, sizeof(cmd), "list %s", contexts[ctx]);
	/* Only its side effect: the current source file.  The source itself
	 * is not there ("No such file"), which is fine. */
	gdb_pass_through(cmd, pc->nullfp, GNU_RETURN_ON_ERROR);
}

/* An unsigned value gdb computes for @expr, in the current context. */
static bool expr_u64(const char *expr, uint64_t *v)
{
	char cmd[3 * NAME_MAX_LEN], line[BUFSIZE];
	bool ok = false;

	snprintf(cmd, sizeof(cmd), "printf \"%%lu\\n\", (unsigned long)(%s)", expr);
	open_tmpfile2();
	if (gdb_pass_through(cmd, pc->tmpfile2, GNU_RETURN_ON_ERROR)) {
		rewind(pc->tmpfile2);
		if (fgets(line, sizeof(line), pc->tmpfile2) && isdigit((unsigned char)line[0])) {
			*v = strtoull(line, NULL, 10);
			ok = true;
		}
	}
	close_tmpfile2();
	return ok;
}

/* "struct NAME:m1,m2": the context in which struct NAME has m1 and m2,
 * -1 when none; -2 for a type without a member list. */
static int type_context(const char *type, const char *name)
{
	const char *hints = strchr(type, ':');
	struct hinted *h = NULL;
	char expr[2 * NAME_MAX_LEN];
	uint64_t v;
	int c;

	if (!hints)
		return -2;
	for (size_t i = 0; i < nhinted; i++)
		if (!strcmp(hinted[i].type, type))
			return hinted[i].ctx;
	if (nhinted < MAX_CACHED_TYPES)
		h = &hinted[nhinted++];
	for (c = 0; c < (int)NCONTEXTS; c++) {
		const char *m = hints + 1;
		bool all = true;

		gdb_scope(c);
		while (*m && all) {
			size_t n = strcspn(m, ",");

			snprintf(expr, sizeof(expr), "&((struct %s *)0)->%.*s", name, (int)n, m);
			all = expr_u64(expr, &v);
			m += n + (m[n] == ',');
		}
		if (all)
			break;
	}
	if (c == (int)NCONTEXTS)
		c = -1;
	if (h) {
		snprintf(h->type, sizeof(h->type), "%s", type);
		h->ctx = c;
	}
	return c;
}

/* "struct NAME:m1,m2" -> "NAME", as crash's macros take type names. */
static bool bare_name(const char *type, char *buf, size_t size)
{
	const char *p = type;
	size_t n;

	if (!strncmp(p, "struct ", 7))
		p += 7;
	else if (!strncmp(p, "union ", 6))
		p += 6;
	n = strcspn(p, ":");
	if (!n || n >= size)
		return false;
	memcpy(buf, p, n);
	buf[n] = 0;
	return true;
}

static enum sd_status type_size(void *ctx, const char *type, uint64_t *size,
				struct sd_error *err)
{
	char name[NAME_MAX_LEN];
	long sz;

	char expr[NAME_MAX_LEN + 16];
	uint64_t v;
	int c;

	(void)ctx;
	if (!bare_name(type, name, sizeof(name)))
		return sd_error_set(err, SD_ERR_NOTFOUND, "%s: not among crash's types", type);
	if ((c = type_context(type, name)) >= 0) {
		gdb_scope(c);
		snprintf(expr, sizeof(expr), "sizeof(struct %s)", name);
		if (!expr_u64(expr, &v))
			return sd_error_set(err, SD_ERR_NOTFOUND, "%s: not among crash's types", type);
		*size = v;
		return SD_OK;
	}
	if (c == -1 || (sz = STRUCT_SIZE(name)) < 0)
		return sd_error_set(err, SD_ERR_NOTFOUND, "%s: not among crash's types", type);
	*size = (uint64_t)sz;
	return SD_OK;
}

/* Bitfield widths of struct/union @name from gdb's ptype ("    unsigned
 * int is_busmaster : 1;"); NULL when gdb does not know the type. */
static struct type_bits *type_bitfields(const char *name)
{
	char cmd[NAME_MAX_LEN + 16], line[BUFSIZE];
	struct type_bits *t;

	for (size_t i = 0; i < ntypes; i++)
		if (!strcmp(types[i].type, name))
			return &types[i];
	if (ntypes == MAX_CACHED_TYPES)
		crash_host_reset();
	t = &types[ntypes];
	memset(t, 0, sizeof(*t));
	snprintf(t->type, sizeof(t->type), "%s", name);
	open_tmpfile2();
	snprintf(cmd, sizeof(cmd), "ptype struct %s", name);
	if (!gdb_pass_through(cmd, pc->tmpfile2, GNU_RETURN_ON_ERROR)) {
		rewind(pc->tmpfile2);
		snprintf(cmd, sizeof(cmd), "ptype union %s", name);
		if (!gdb_pass_through(cmd, pc->tmpfile2, GNU_RETURN_ON_ERROR)) {
			close_tmpfile2();
			return NULL;
		}
	}
	rewind(pc->tmpfile2);
	while (fgets(line, sizeof(line), pc->tmpfile2)) {
		char member[64];
		unsigned width;
		char *colon = strstr(line, " : "), *start;
		struct bitfield *nv;

		if (!colon || sscanf(colon, " : %u;", &width) != 1 || t->n >= MAX_BITFIELDS)
			continue;
		for (start = colon; start > line && (isalnum((unsigned char)start[-1]) || start[-1] == '_'); start--)
			;
		if (colon == start || (size_t)(colon - start) >= sizeof(member))
			continue;
		memcpy(member, start, (size_t)(colon - start));
		member[colon - start] = 0;
		nv = realloc(t->v, (t->n + 1) * sizeof(*nv));
		if (!nv)
			break;
		t->v = nv;
		snprintf(t->v[t->n].name, sizeof(t->v[t->n].name), "%s", member);
		t->v[t->n++].width = width;
	}
	close_tmpfile2();
	ntypes++;
	return t;
}

/* One member, as crash's datatype_info() asks gdb, but keeping bits. */
static bool member_direct(char *name, const char *member, struct member_ans *a)
{
	struct gnu_request req;
	char buf[NAME_MAX_LEN + 8];
	struct type_bits *t;

	for (int kind = 0; kind < 3; kind++) {
		snprintf(buf, sizeof(buf), "%s%s", kind == 1 ? "struct " : kind == 2 ? "union " : "",
			 name);
		memset(&req, 0, sizeof(req));
		req.command = GNU_GET_DATATYPE;
		req.flags = GNU_RETURN_ON_ERROR;
		req.name = buf;
		req.member = (char *)member;
		req.fp = pc->nullfp;
		gdb_interface(&req);
		if (req.flags & GNU_COMMAND_FAILED)
			return false;
		if (req.typecode)
			break;
	}
	if ((req.typecode != TYPE_CODE_STRUCT && req.typecode != TYPE_CODE_UNION) ||
	    req.member_offset < 0)
		return false;
	a->bit_offset = (uint64_t)req.member_offset;
	a->size = (uint64_t)req.member_length;
	a->bit_size = 0;
	if ((t = type_bitfields(name)))
		for (size_t i = 0; i < t->n; i++)
			if (!strcmp(t->v[i].name, member))
				a->bit_size = t->v[i].width;
	return true;
}

static bool member_path(char *name, char *path, struct member_ans *a)
{
	long off = ANON_MEMBER_OFFSET(name, path), size = ANON_MEMBER_SIZE(name, path);

	if (off < 0 || size <= 0)
		return false;
	a->bit_offset = (uint64_t)off * 8;
	a->size = (uint64_t)size;
	a->bit_size = 0;
	return true;
}

/* A member of a type named twice, in its context (bitfields not
 * supported: gdb takes no address of one, and none is read). */
static bool member_in_context(int c, const char *name, const char *path, struct member_ans *a)
{
	char expr[3 * NAME_MAX_LEN];
	uint64_t off, size;

	gdb_scope(c);
	snprintf(expr, sizeof(expr), "&((struct %s *)0)->%s", name, path);
	if (!expr_u64(expr, &off))
		return false;
	snprintf(expr, sizeof(expr), "sizeof(((struct %s *)0)->%s)", name, path);
	if (!expr_u64(expr, &size))
		return false;
	a->bit_offset = off * 8;
	a->size = size;
	a->bit_size = 0;
	return true;
}

static enum sd_status member(void *ctx, const char *type, const char *path,
			     uint64_t *bit_offset, uint32_t *bit_size, uint64_t *size,
			     struct sd_error *err)
{
	char name[NAME_MAX_LEN], p[NAME_MAX_LEN];
	struct member_ans a = { .found = false }, *hit = NULL;

	(void)ctx;
	for (size_t i = 0; i < nmembers && !hit; i++)
		if (!strcmp(members[i].type, type) && !strcmp(members[i].path, path))
			hit = &members[i];
	if (!hit) {
		if (bare_name(type, name, sizeof(name)) && strlen(path) < sizeof(p)) {
			int c = type_context(type, name);

			strcpy(p, path);
			if (c >= 0)
				a.found = member_in_context(c, name, p, &a);
			else if (c == -2)
				a.found = strchr(p, '.') ? member_path(name, p, &a)
							 : member_direct(name, p, &a);
		}
		snprintf(a.type, sizeof(a.type), "%s", type);
		snprintf(a.path, sizeof(a.path), "%s", path);
		hit = &a;
		if (nmembers < MAX_CACHED_MEMBERS)
			members[nmembers++] = a;
	}
	if (!hit->found)
		return sd_error_set(err, SD_ERR_NOTFOUND, "%s has no member %s (crash's types)",
				    type, path);
	*bit_offset = hit->bit_offset;
	*bit_size = hit->bit_size;
	*size = hit->size;
	return SD_OK;
}

static enum sd_status symbol(void *ctx, const char *name, uint64_t *addr, struct sd_error *err)
{
	char buf[NAME_MAX_LEN];

	(void)ctx;
	if (strlen(name) >= sizeof(buf))
		return sd_error_set(err, SD_ERR_NOTFOUND, "symbol %.64s...: name too long", name);
	strcpy(buf, name);
	if (!symbol_exists(buf))
		return sd_error_set(err, SD_ERR_NOTFOUND, "symbol %s: not in crash's symbol table", name);
	*addr = symbol_value(buf);
	return SD_OK;
}

const struct sd_khost_ops crash_types = { type_size, member, symbol };
