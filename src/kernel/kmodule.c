// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A loaded module's GNU build-id, read from the crashed kernel's memory, so
 * that its debug file can be checked, or fetched by build-id (debuginfod):
 * VMCOREINFO carries vmlinux's BUILD-ID only.
 *
 * The module is found by name on the `modules` list (kernel/module/main.c,
 * struct module.list).  Its build-id note is where /sys/module/NAME/notes/
 * reads it: kernel/module/sysfs.c add_notes_attrs() gives every SHF_ALLOC
 * SHT_NOTE section of the module one struct bin_attribute in
 * mod->notes_attrs->attrs[0 .. notes-1], with .size the section's size and
 * .private its address in module memory (sh_addr after layout).  Layouts
 * checked on Debian's 6.1 and 6.12 arm64 DWARF (struct module_notes_attrs
 * {dir, notes, attrs[]}; struct bin_attribute {attr, size, private, ...}),
 * and taken from the dump's own types, never assumed.  A kernel built
 * with CONFIG_STACKTRACE_BUILD_ID also keeps it in mod->build_id
 * (kernel/module/main.c module_init_build_id(), BUILD_ID_SIZE_MAX bytes):
 * the fall-back when the notes cannot be read.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <endian.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktypes.h"

/* Bounds on what the crashed kernel's memory may make us walk or read. */
#define MAX_MODULES		65536
#define MAX_NOTE_SECTIONS	64	/* a module has a handful of them */
#define MAX_NOTE_BYTES		4096	/* .note.gnu.build-id is 36 bytes (SHA-1) */
/* include/linux/module.h MODULE_NAME_LEN: 64 - sizeof(unsigned long) */
#define MODULE_NAME_MAX		64

/* ELF gABI: a note is {namesz, descsz, type} (three 4-byte words, also in
 * ELF64: Elf64_Nhdr), then name and desc each padded to 4 bytes. */
#define NOTE_ALIGN(n)		(((uint64_t)(n) + 3) & ~(uint64_t)3)

bool sd_kmodule_same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') && (*b == '-' || *b == '_')))
			return false;
	return !*a && !*b;
}

bool sd_elf_note_build_id(const void *buf, size_t len, char *hex, size_t size)
{
	const unsigned char *p = buf;
	uint64_t off = 0;

	while (len - off >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr h;
		uint64_t name, desc;

		memcpy(&h, p + off, sizeof(h));
		h.n_namesz = le32toh(h.n_namesz);
		h.n_descsz = le32toh(h.n_descsz);
		h.n_type = le32toh(h.n_type);
		off += sizeof(h);
		if (NOTE_ALIGN(h.n_namesz) > len - off)
			return false;
		name = off;
		off += NOTE_ALIGN(h.n_namesz);
		if (NOTE_ALIGN(h.n_descsz) > len - off)
			return false;
		desc = off;
		off += NOTE_ALIGN(h.n_descsz);
		if (h.n_type != NT_GNU_BUILD_ID || h.n_namesz != sizeof(ELF_NOTE_GNU) ||
		    memcmp(p + name, ELF_NOTE_GNU, sizeof(ELF_NOTE_GNU)))
			continue;
		if (!h.n_descsz || 2 * (uint64_t)h.n_descsz >= size)
			return false;
		for (uint32_t i = 0; i < h.n_descsz; i++)
			snprintf(hex + 2 * i, 3, "%02x", p[desc + i]);
		return true;
	}
	return false;
}

/* Where struct module, module_notes_attrs and bin_attribute keep what is
 * read, from the vmlinux types. */
struct modnote_layout {
	uint64_t o_list, o_name;
	bool notes;			/* notes_attrs and its types exist */
	uint64_t o_nattrs, o_nnotes, o_nattr, battr_size, o_bname, o_bsize, o_bpriv;
	uint64_t nnotes_size;
	bool bid;			/* CONFIG_STACKTRACE_BUILD_ID's build_id[] */
	uint64_t o_bid, bid_size;
};

static enum sd_status modnote_layout(const struct sd_ktypes *kt, struct modnote_layout *L,
				     struct sd_error *err)
{
	struct sd_error e = { 0 };	/* optional members: a miss is an answer */
	struct sd_kmember m = { 0 }, b = { 0 };
	enum sd_status st;

	memset(L, 0, sizeof(*L));
	if ((st = sd_kt_offset(kt, "struct module", "list", &L->o_list, err)) ||
	    (st = sd_kt_offset(kt, "struct module", "name", &L->o_name, err)))
		return sd_error_prefix(err, "modules");
	/* struct module_notes_attrs is private to kernel/module/sysfs.c, but
	 * in vmlinux's DWARF and BTF (the sysfs.c unit defines it). */
	L->notes = sd_kt_offset(kt, "struct module", "notes_attrs", &L->o_nattrs, &e) == SD_OK &&
		sd_kt_member(kt, "struct module_notes_attrs", "notes", &m, &e) == SD_OK &&
		!m.bit_size && m.bit_offset % 8 == 0 && m.size == 4 &&
		sd_kt_offset(kt, "struct module_notes_attrs", "attrs", &L->o_nattr, &e) == SD_OK &&
		sd_kt_size(kt, "struct bin_attribute", &L->battr_size, &e) == SD_OK &&
		sd_kt_offset(kt, "struct bin_attribute", "attr.name", &L->o_bname, &e) == SD_OK &&
		sd_kt_offset(kt, "struct bin_attribute", "size", &L->o_bsize, &e) == SD_OK &&
		sd_kt_offset(kt, "struct bin_attribute", "private", &L->o_bpriv, &e) == SD_OK &&
		L->battr_size > 0;
	L->o_nnotes = m.bit_offset / 8;
	L->bid = sd_kt_member(kt, "struct module", "build_id", &b, &e) == SD_OK &&
		b.size > 0 && b.size <= MAX_NOTE_BYTES;
	L->o_bid = b.bit_offset / 8;
	L->bid_size = b.size;
	if (!L->notes && !L->bid)
		return sd_error_set(err, SD_ERR_UNSUPPORTED, "the kernel's types have neither "
				    "struct module.notes_attrs (with struct module_notes_attrs and "
				    "struct bin_attribute) nor struct module.build_id");
	return SD_OK;
}

/* The struct module named @module on the list at @head. */
static enum sd_status find_module(struct sd_kmem *km, const struct modnote_layout *L,
				  uint64_t head, const char *module, uint64_t *mod,
				  struct sd_error *err)
{
	struct sd_klist l;
	enum sd_status st;

	st = sd_klist_start(km, &l, "modules", head, MAX_MODULES, err);
	for (; st == SD_OK && sd_klist_more(&l); st = sd_klist_next(km, &l, err)) {
		char name[MODULE_NAME_MAX];
		struct sd_error e = { 0 };

		/* an unreadable name is not the module's: go on */
		if (sd_kmem_string(km, l.pos - L->o_list + L->o_name, name, sizeof(name), &e))
			continue;
		if (sd_kmodule_same_name(name, module)) {
			*mod = l.pos - L->o_list;
			return SD_OK;
		}
	}
	if (st)
		return st;
	return sd_error_set(err, SD_ERR_NOTFOUND, "no module %s among the %" PRIu64 " entries of "
			    "modules (built in, or not loaded)", module, l.n);
}

/* The build-id from the note sections of mod->notes_attrs. */
static enum sd_status from_notes(struct sd_kmem *km, const struct modnote_layout *L,
				 uint64_t mod, char *hex, size_t size, struct sd_error *err)
{
	uint64_t na, a;
	uint32_t n;
	enum sd_status st;

	if ((st = sd_kmem_u64(km, mod + L->o_nattrs, &na, err)))
		return sd_error_prefix(err, "module->notes_attrs");
	na = le64toh(na);
	if (!na)
		return sd_error_set(err, SD_ERR_NOTFOUND, "module->notes_attrs is NULL");
	if ((st = sd_kmem_u32(km, na + L->o_nnotes, &n, err)))
		return sd_error_prefix(err, "module_notes_attrs at 0x%" PRIx64, na);
	n = le32toh(n);
	if (n > MAX_NOTE_SECTIONS)
		return sd_error_set(err, SD_ERR_CORRUPT, "module_notes_attrs at 0x%" PRIx64 ": %u "
				    "note sections (more than %d)", na, n, MAX_NOTE_SECTIONS);
	for (uint32_t i = 0; i < n; i++) {
		unsigned char buf[MAX_NOTE_BYTES];
		uint64_t len, at;

		a = na + L->o_nattr + i * L->battr_size;
		if ((st = sd_kmem_u64(km, a + L->o_bsize, &len, err)) ||
		    (st = sd_kmem_u64(km, a + L->o_bpriv, &at, err)))
			return sd_error_prefix(err, "notes_attrs->attrs[%u] at 0x%" PRIx64, i, a);
		len = le64toh(len);
		at = le64toh(at);
		if (len < sizeof(Elf64_Nhdr) || len > sizeof(buf))
			continue;	/* not a build-id note section */
		if ((st = sd_kmem_read(km, at, buf, (size_t)len, err)))
			return sd_error_prefix(err, "note section %u of the module at 0x%" PRIx64,
					       i, at);
		if (sd_elf_note_build_id(buf, (size_t)len, hex, size))
			return SD_OK;
	}
	return sd_error_set(err, SD_ERR_NOTFOUND, "none of the module's %u note sections "
			    "(module_notes_attrs at 0x%" PRIx64 ") has a GNU build-id", n, na);
}

/* CONFIG_STACKTRACE_BUILD_ID: mod->build_id, all zero when it had none. */
static enum sd_status from_member(struct sd_kmem *km, const struct modnote_layout *L,
				  uint64_t mod, char *hex, size_t size, struct sd_error *err)
{
	unsigned char buf[MAX_NOTE_BYTES];
	bool zero = true;
	enum sd_status st;

	if (2 * L->bid_size >= size)
		return sd_error_set(err, SD_ERR_UNSUPPORTED, "module->build_id is too long");
	if ((st = sd_kmem_read(km, mod + L->o_bid, buf, (size_t)L->bid_size, err)))
		return sd_error_prefix(err, "module->build_id");
	for (uint64_t i = 0; i < L->bid_size; i++) {
		zero = zero && !buf[i];
		snprintf(hex + 2 * i, 3, "%02x", buf[i]);
	}
	if (zero)
		return sd_error_set(err, SD_ERR_NOTFOUND, "module->build_id is empty");
	return SD_OK;
}

enum sd_status sd_kmodule_build_id(struct sd_kmem *km, const struct sd_ktypes *kt,
				   uint64_t head, const char *module, char *hex, size_t size,
				   struct sd_error *err)
{
	struct modnote_layout L;
	struct sd_error e = { 0 };
	uint64_t mod = 0;
	enum sd_status st;

	if ((st = modnote_layout(kt, &L, err)) ||
	    (st = find_module(km, &L, head, module, &mod, err)))
		return st;
	if (L.notes) {
		enum sd_status nst = from_notes(km, &L, mod, hex, size, &e);

		if (nst == SD_OK)
			return SD_OK;
		/* the notes' failure is the one told: build_id[] is rarer */
		if (!L.bid || from_member(km, &L, mod, hex, size, err) != SD_OK)
			return sd_error_set(err, nst, "module %s at 0x%" PRIx64 ": %s", module,
					    mod, e.msg);
		return SD_OK;
	}
	if ((st = from_member(km, &L, mod, hex, size, err)))
		return sd_error_prefix(err, "module %s at 0x%" PRIx64, module, mod);
	return SD_OK;
}
