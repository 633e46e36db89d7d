// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VMCOREINFO lines that libkdumpfile 0.5.1 cannot take, checked before it
 * reads them: PAGESIZE, and keys that do not make a tree of attributes.
 *
 * libkdumpfile 0.5.1 sets its page size from the PAGESIZE line of the
 * VMCOREINFO note while it opens the file, and a kdump file then
 * allocates a buffer of that size for compressed pages: PAGESIZE=2^63
 * asked malloc for 8 EiB, and so did an empty value (fuzz_dump;
 * AddressSanitizer aborts, the plain build said "out of memory").  A page
 * size is a power of two that dump_block_size_ok() accepts, written in
 * decimal up to the end of the line; anything else in PAGESIZE is a
 * corrupt dump.  A line whose key starts with a dot made it crash while
 * it built the key's attribute path (fuzz_dump).  The notes are the ELF note format (System V ABI, "Note
 * Section"): namesz, descsz, type, then name and descriptor, each padded
 * to 4 bytes; a kdump file before header version 4 keeps VMCOREINFO as
 * bare text.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sd_cleanup.h"
#include "dump-priv.h"

#define NOTE_HDR	12		/* namesz, descsz, type */
#define NOTE_ALIGN(n)	(((uint64_t)(n) + 3) & ~(uint64_t)3)	/* namesz + 3 wraps in 32 bits */
#define PAGESIZE_KEY	"PAGESIZE="
/* The kernel's VMCOREINFO fills at most a page (VMCOREINFO_BYTES), a few
 * hundred lines. */
#define VMCI_MAX_LINES	65536u

/* Up to 16 printable bytes of @t from @i to @n, quoted, into @out. */
static void quote(char *out, size_t outn, const char *t, uint64_t i, uint64_t n)
{
	uint64_t e = i;

	while (e < n && e - i < 16 && t[e] >= ' ' && t[e] < 0x7f)
		e++;
	snprintf(out, outn, "\"%.*s\"", (int)(e - i), t + i);
}

/* One key path: a VMCOREINFO key (in the text) or the typed path derived
 * from one (in the arena). */
struct vkey {
	const char *p;
	size_t len;
	uint64_t at;		/* the line's offset in the text */
};

static int vkey_cmp(const void *a, const void *b)
{
	const struct vkey *x = a, *y = b;
	int c = memcmp(x->p, y->p, x->len < y->len ? x->len : y->len);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/*
 * libkdumpfile 0.5.1 turns every VMCOREINFO line into an attribute under
 * linux.vmcoreinfo.lines whose path is the key split at dots
 * (vmcoreinfo.c add_parsed_row(), attr.c create_attr_path()), and each
 * TYPE(name) line with TYPE one of SYMBOL, LENGTH, NUMBER, OFFSET, SIZE into
 * linux.vmcoreinfo.TYPE.name (lines_post_hook()).  It links a child under
 * whatever attribute has the parent's path, directory or not, and gives an
 * empty key no attribute of its own: fuzz_dump found such lines leaking
 * their values and attribute templates (LeakSanitizer at exit, 492 bytes in
 * 41 blocks over 0.9 M inputs).  So the paths must form a tree: no empty
 * component, no key that is also another key's directory.  Keys are
 * printable ASCII in every kernel's VMCOREINFO.
 */
static const char *const typed_dirs[] = { "SYMBOL", "LENGTH", "NUMBER", "OFFSET", "SIZE" };

/* The typed path of @k ("TYPE.name" for "TYPE(name)"), into @arena, or 0. */
static size_t typed_path(const char *k, size_t len, char *arena)
{
	for (size_t i = 0; i < sizeof(typed_dirs) / sizeof(typed_dirs[0]); i++) {
		size_t tl = strlen(typed_dirs[i]);

		if (len > tl + 1 && !memcmp(k, typed_dirs[i], tl) && k[tl] == '(' &&
		    k[len - 1] == ')' && !memchr(k + tl + 1, ')', len - tl - 2)) {
			memcpy(arena, k, tl);
			arena[tl] = '.';
			memcpy(arena + tl + 1, k + tl + 1, len - tl - 2);
			return len - 1;
		}
	}
	return 0;
}

/* A key path that another one needs as its directory, among @n sorted
 * paths: its index and, in @other, that one's; -1 if none.  The paths
 * under P sort from P + "." on, together; @probe holds the longest path
 * and a dot. */
static ptrdiff_t tree_clash(const struct vkey *v, size_t n, char *probe, size_t *other)
{
	for (size_t i = 0; i < n; i++) {
		struct vkey pk = { probe, v[i].len + 1, 0 };
		size_t lo = 0, hi = n;

		memcpy(probe, v[i].p, v[i].len);
		probe[v[i].len] = '.';
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (vkey_cmp(&v[mid], &pk) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n && v[lo].len > pk.len - 1 && !memcmp(v[lo].p, probe, pk.len)) {
			*other = lo;
			return (ptrdiff_t)i;
		}
	}
	return -1;
}

/* Whether a line of VMCOREINFO text @t (@n bytes, NULs included, as
 * libkdumpfile reads them) would hurt libkdumpfile; what, then, in @bad.
 * -1 when out of memory. */
static int vmci_bad(const char *t, uint64_t n, char *bad, size_t badn)
{
	const size_t klen = sizeof(PAGESIZE_KEY) - 1;
	struct vkey *keys sd_autofree = NULL, *typed sd_autofree = NULL;
	char *arena sd_autofree = NULL, *probe sd_autofree = NULL;
	size_t nkeys = 0, ntyped = 0, used = 0, other;
	uint64_t lines = 0;
	char q[24], q2[24];
	ptrdiff_t c;

	for (uint64_t i = 0; i < n; i++)
		lines += t[i] == '\n';
	if (lines >= VMCI_MAX_LINES) {
		snprintf(bad, badn, "has more than %u lines", VMCI_MAX_LINES);
		return 1;
	}
	keys = calloc(lines + 1, sizeof(*keys));
	typed = calloc(lines + 1, sizeof(*typed));
	arena = malloc(n + 1);
	probe = malloc(n + 1);
	if (!keys || !typed || !arena || !probe)
		return -1;
	for (uint64_t i = 0, e; i < n; i = e + 1) {
		const char *eol = memchr(t + i, '\n', n - i), *eq;
		uint64_t v = 0, j, k, z;
		bool wide = false;

		e = eol ? (uint64_t)(eol - t) : n;
		/* the end of the text: NULs after the last line, or nothing */
		for (z = i; z < e && !t[z]; z++)
			;
		if (!eol && z == e)
			break;
		eq = memchr(t + i, '=', e - i);
		k = eq ? (uint64_t)(eq - t) : e;
		quote(q, sizeof(q), t, i, n);
		/* A key starting with a dot: libkdumpfile makes it an attribute
		 * path with an empty first component and crashed (SIGSEGV in
		 * kdump_open_fd, fuzz_dump). */
		if (k > i && t[i] == '.') {
			snprintf(bad, badn, "line %s starts with a dot", q);
			return 1;
		}
		if (k == i) {
			snprintf(bad, badn, "line %s at byte %" PRIu64 " has an empty key", q, i);
			return 1;
		}
		for (j = i; j < k; j++)
			if (t[j] <= ' ' || t[j] >= 0x7f || (t[j] == '.' && (j + 1 == k || t[j + 1] == '.'))) {
				snprintf(bad, badn, "line %s has %s in its key", q,
					 t[j] == '.' ? "an empty path component" : "a byte that is not printable");
				return 1;
			}
		keys[nkeys++] = (struct vkey){ t + i, k - i, i };
		z = typed_path(t + i, k - i, arena + used);
		if (z) {
			typed[ntyped++] = (struct vkey){ arena + used, z, i };
			if (arena[used + z - 1] == '.' || memmem(arena + used, z, "..", 2)) {
				snprintf(bad, badn, "line %s has an empty path component in its name", q);
				return 1;
			}
			used += z;
		}
		if (k - i != klen - 1 || memcmp(t + i, PAGESIZE_KEY, klen - 1))
			continue;
		/* "PAGESIZE" alone is an empty value to libkdumpfile */
		if (!eq) {
			snprintf(bad, badn, "line %s has no value", q);
			return 1;
		}
		for (j = k + 1; j < n && t[j] >= '0' && t[j] <= '9'; j++) {
			wide |= v > (UINT64_MAX - 9) / 10;
			v = v * 10 + (uint64_t)(t[j] - '0');
		}
		/* Digits up to the line's end, or libkdumpfile takes something
		 * else (an empty value made it allocate 8 EiB). */
		if (j == k + 1 || (j < n && t[j] != '\n' && t[j] != '\0') || wide ||
		    !dump_block_size_ok(v)) {
			quote(q, sizeof(q), t, k + 1, n);
			snprintf(bad, badn, "PAGESIZE=%s is not a page size", q);
			return 1;
		}
	}
	for (int pass = 0; pass < 2; pass++) {
		struct vkey *v = pass ? typed : keys;
		size_t nv = pass ? ntyped : nkeys;

		qsort(v, nv, sizeof(*v), vkey_cmp);
		c = tree_clash(v, nv, probe, &other);
		if (c >= 0) {
			quote(q, sizeof(q), t, v[c].at, n);
			quote(q2, sizeof(q2), t, v[other].at, n);
			snprintf(bad, badn, "line %s makes a value of the directory that line %s needs", q, q2);
			return 1;
		}
	}
	return 0;
}

static enum sd_status corrupt(struct sd_dump *d, const char *what, const char *bad, uint64_t off,
			      struct sd_error *err)
{
	return sd_error_set(err, SD_ERR_CORRUPT,
			    "%s: corrupt %s: VMCOREINFO %s (in the text at file offset %" PRIu64 ")",
			    d->path, what, bad, off);
}

enum sd_status dump_vmci_check(struct sd_dump *d, int fd, uint64_t off, uint64_t len,
			       bool notes, const char *what, struct sd_error *err)
{
	char *b sd_autofree = NULL;
	char bad[128];
	int r;

	if (!len || len > MAX_NOTES_SIZE)
		return SD_OK;	/* the range checks said what is wrong */
	b = malloc(len);
	if (!b)
		return sd_error_set(err, SD_ERR_NOMEM, "%s: %s of %" PRIu64 " bytes: out of memory",
				    d->path, what, len);
	r = dump_pread_full(fd, b, len, off);
	if (r < 0)
		return sd_error_set(err, SD_ERR_IO, "%s: cannot read the %s at offset 0x%" PRIx64
				    ": %s", d->path, what, off, strerror(errno));
	if (r > 0)
		return SD_OK;	/* cut by the end of the file: the range checks */
	if (!notes) {
		r = vmci_bad(b, len, bad, sizeof(bad));
		if (r < 0)
			goto nomem;
		return r ? corrupt(d, what, bad, off, err) : SD_OK;
	}
	for (uint64_t at = 0; at + NOTE_HDR <= len;) {
		uint32_t namesz, descsz;
		uint64_t name, desc, next;

		memcpy(&namesz, b + at, 4);
		memcpy(&descsz, b + at + 4, 4);
		name = at + NOTE_HDR;
		desc = name + NOTE_ALIGN(namesz);
		next = desc + NOTE_ALIGN(descsz);
		if (desc > len)
			break;		/* the rest is not a note */
		/* A descriptor cut by the segment's end, its padding or more, is
		 * still read by libkdumpfile (fuzz_dump: a 0x333-byte segment hid
		 * PAGESIZE==1700000000 from a check that wanted the padding). */
		if (namesz >= sizeof("VMCOREINFO") - 1 &&
		    !memcmp(b + name, "VMCOREINFO", sizeof("VMCOREINFO") - 1)) {
			r = vmci_bad(b + desc, descsz < len - desc ? descsz : len - desc, bad,
				     sizeof(bad));
			if (r < 0)
				goto nomem;
			if (r)
				return corrupt(d, what, bad, off + desc, err);
		}
		if (next > len)
			break;
		at = next;
	}
	return SD_OK;
nomem:
	return sd_error_set(err, SD_ERR_NOMEM, "%s: %s of %" PRIu64 " bytes: out of memory",
			    d->path, what, len);
}
