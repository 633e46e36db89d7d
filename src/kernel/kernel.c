// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The crashed kernel's SMMUv3 instances, their stream-table registers and
 * the devices behind each StreamID (include/sd/kernel.h): the entry point,
 * the typed reads every other file of the layer uses, and the device
 * helpers (kernel-priv.h says which file does what).
 *
 * Sources, chosen automatically (debuginfo.c):
 *   symbols  DWARF vmlinux (.symtab + KERNELOFFSET), else kallsyms decoded
 *            from VMCOREINFO;
 *   types    DWARF vmlinux (libdw), else the vmlinux BTF in the dump.
 * Every struct offset comes from the type source; only the meaning of
 * macros (features bits, IOMMU_DOMAIN_* values) is tabled (kfeatures.c),
 * and the register layout is smmu_fields.h's.
 *
 * Errors: every read returns a status with a message naming the object
 * and its address; a failed read is never taken for a value.  What may
 * legitimately be missing (a member a kernel version lacks, a NULL
 * pointer) gives an explicit "unknown"; what could not be read gives a
 * diagnostic record and "unknown", or fails the object it belongs to.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel-priv.h"
#include "textref.h"

void kdiag(struct kctx *kc, const char *fmt, ...)
{
	char msg[SD_DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sd_diag_add(&kc->res->diags, SD_DIAG_KERNEL, "%s", msg);
}

/* --- symbols ------------------------------------------------------------ */

bool ksym(struct kctx *kc, const char *name, uint64_t *addr)
{
	if (kc->dwarf) {
		struct sd_error e = { 0 };
		enum sd_status st = sd_kt_symbol(&kc->kt, name, addr, &e);

		if (st == SD_OK)
			return true;
		/* Not there is the normal miss; anything else is worth a note
		 * before kallsyms is asked. */
		if (st != SD_ERR_NOTFOUND)
			kdiag(kc, "symbol %s: %s", name, e.msg);
	}
	return kc->ks && sd_kallsyms_lookup(kc->ks, name, addr, NULL);
}

/* --- typed reads -------------------------------------------------------- */

enum sd_status rd_member(struct kctx *kc, uint64_t base, const char *type,
			 const char *path, uint64_t *v, struct sd_error *err)
{
	struct sd_kmember m;
	enum sd_status st = sd_kt_member(&kc->kt, type, path, &m, err);
	uint8_t buf[16] = { 0 };
	uint64_t byte, nbytes, raw = 0;
	unsigned shift;

	if (st)
		return st;
	if (m.bit_size) {
		byte = m.bit_offset / 8;
		shift = (unsigned)(m.bit_offset % 8);
		nbytes = (shift + m.bit_size + 7) / 8;
	} else {
		if (m.bit_offset % 8 || !m.size || m.size > 8)
			return sd_error_set(err, SD_ERR_UNSUPPORTED,
					    "%s.%s (%" PRIu64 " bytes) is not a scalar", type, path, m.size);
		byte = m.bit_offset / 8;
		shift = 0;
		nbytes = m.size;
	}
	st = sd_kmem_read(&kc->km, base + byte, buf, (size_t)nbytes, err);
	if (st)
		return sd_error_prefix(err, "reading %s.%s of %s at 0x%" PRIx64, type, path,
				       type, base);
	for (unsigned i = 0; i < nbytes && i < 8; i++)
		raw |= (uint64_t)buf[i] << (8 * i);
	if (m.bit_size) {
		raw >>= shift;
		if (m.bit_size < 64)
			raw &= (1ull << m.bit_size) - 1;
	}
	*v = raw;
	return SD_OK;
}

enum sd_status rd_ptr(struct kctx *kc, uint64_t base, const char *type,
		      const char *path, uint64_t *v, struct sd_error *err)
{
	enum sd_status st = rd_member(kc, base, type, path, v, err);

	if (st == SD_OK && *v && !sd_kmem_is_kva(&kc->km, *v))
		return sd_error_set(err, SD_ERR_CORRUPT,
				    "%s.%s of %s at 0x%" PRIx64 " is 0x%" PRIx64 ", not a kernel address",
				    type, path, type, base, *v);
	return st;
}

enum sd_status moff(struct kctx *kc, const char *type, const char *path,
		    uint64_t *off, struct sd_error *err)
{
	return sd_kt_offset(&kc->kt, type, path, off, err);
}

enum sd_status read_cstr(struct kctx *kc, uint64_t va, char *buf, size_t size,
			 struct sd_error *err)
{
	enum sd_status st;

	buf[0] = 0;
	if (!va)
		return SD_OK;
	if (!sd_kmem_is_kva(&kc->km, va))
		return sd_error_set(err, SD_ERR_CORRUPT, "string pointer 0x%" PRIx64
				    " is not a kernel address", va);
	if ((st = sd_kmem_string(&kc->km, va, buf, size, err))) {
		buf[0] = 0;
		return sd_error_prefix(err, "string at 0x%" PRIx64, va);
	}
	for (char *p = buf; *p; p++)
		if (!isprint((unsigned char)*p))
			*p = '?';
	return SD_OK;
}

enum sd_status dev_name(struct kctx *kc, uint64_t dev, char *buf, size_t size,
			struct sd_error *err)
{
	uint64_t p;
	enum sd_status st;

	buf[0] = 0;
	if ((st = rd_ptr(kc, dev, "struct device", "init_name", &p, err)) ||
	    (st = read_cstr(kc, p, buf, size, err)))
		return st;
	if (buf[0])
		return SD_OK;
	if ((st = rd_ptr(kc, dev, "struct device", "kobj.name", &p, err)) ||
	    (st = read_cstr(kc, p, buf, size, err)))
		return st;
	return SD_OK;
}

enum sd_status dev_driver(struct kctx *kc, uint64_t dev, char *buf, size_t size,
			  struct sd_error *err)
{
	uint64_t drv, p;
	enum sd_status st;

	buf[0] = 0;
	if ((st = rd_ptr(kc, dev, "struct device", "driver", &drv, err)))
		return st;
	if (!drv)
		return SD_OK;
	if ((st = rd_ptr(kc, drv, "struct device_driver", "name", &p, err)) ||
	    (st = read_cstr(kc, p, buf, size, err)))
		return sd_error_prefix(err, "driver of device 0x%" PRIx64, dev);
	return SD_OK;
}

/* --- crash-kernel reservation ------------------------------------------ */

/* The address of global @name: by name unless the test switch says
 * otherwise (SMMU_STRTAB_DUMP_DISCOVERY, sd_kernel_find_smmus()). */
static bool ksym_global(struct kctx *kc, const char *name, uint64_t *addr)
{
	return kc->discovery == KDISC_SYMBOL && ksym(kc, name, addr);
}

/* struct resource at @a (crashk_res, crashk_low_res: kernel/crash_reserve.c
 * and its predecessors), inclusive bounds; false when empty. */
static bool read_resource(struct kctx *kc, const char *sym, uint64_t a, uint64_t *start,
			  uint64_t *end)
{
	struct sd_error e = { 0 };

	if (rd_member(kc, a, "struct resource", "start", start, &e) ||
	    rd_member(kc, a, "struct resource", "end", end, &e)) {
		kdiag(kc, "%s at 0x%" PRIx64 " not read: %s", sym, a, e.msg);
		return false;
	}
	return *end > *start;
}

/* crashk_res by name, else through the code that uses it (textref.h):
 * kernels without CONFIG_KALLSYMS_ALL (Debian 12's 6.1) list no data
 * symbol.  false when neither finds it. */
static bool crashk_res_addr(struct kctx *kc, uint64_t *a)
{
	struct sd_error e = { 0 };
	const char *via = NULL;

	if (ksym_global(kc, "crashk_res", a))
		return true;
	if (!kc->ks)
		return false;	/* no kallsyms, no text to read */
	if (sd_textref_crashk_res(&kc->km, kc->ks, a, &via, &e) != SD_OK) {
		kdiag(kc, "crashk_res not among the symbols: %s", e.msg);
		return false;
	}
	kdiag(kc, "crashk_res not among the symbols: reached through a text reference "
	      "from %s (0x%" PRIx64 ")", via, *a);
	return true;
}

static void read_crashk(struct kctx *kc)
{
	struct sd_kernel_result *r = kc->res;
	uint64_t a;

	r->have_crashk = crashk_res_addr(kc, &a) &&
			 read_resource(kc, "crashk_res", a, &r->crashk_start, &r->crashk_end);
	/* crashk_low_res: by name only; no text symbol uses it alone */
	r->have_crashk_low = ksym_global(kc, "crashk_low_res", &a) &&
			     read_resource(kc, "crashk_low_res", a, &r->crashk_low_start,
					   &r->crashk_low_end);
}

/* --- entry point -------------------------------------------------------- */

size_t sd_kernel_notes_join(const struct sd_kernel_result *res, char *buf, size_t size)
{
	size_t n = 0;

	if (size)
		buf[0] = 0;
	for (size_t i = 0; i < res->diags.n; i++) {
		const char *sep = i ? "; " : "";

		if (n < size)
			snprintf(buf + n, size - n, "%s%s", sep, res->diags.v[i].msg);
		n += strlen(sep) + strlen(res->diags.v[i].msg);
	}
	return n;
}

/*
 * The notes for an error message, which holds SD_ERROR_MSG_MAX bytes with
 * its own words: cut short with a pointer to where they are all (-v: the
 * session prints each on its own line when the search fails; the JSON's
 * kernel.notes when it succeeds)
 * rather than in mid-word.
 */
static void notes_for_error(const struct sd_kernel_result *res, char *buf, size_t size)
{
	static const char more[] = " ... (-v lists every note)";

	if (sd_kernel_notes_join(res, buf, size) < size)
		return;
	snprintf(buf + size - sizeof(more), sizeof(more), "%s", more);
}

/* A failed search's message, followed by what the notes say, in the room
 * the message leaves. */
static enum sd_status append_notes(const struct sd_kernel_result *out, enum sd_status st,
				   struct sd_error *err)
{
	char m[SD_ERROR_MSG_MAX], notes[SD_ERROR_MSG_MAX];
	size_t used = strlen(err->msg) + sizeof("; ");

	if (used + 64 > sizeof(notes))
		return st;	/* no room for a useful note */
	notes_for_error(out, notes, sizeof(notes) - used);
	if (!notes[0])
		return st;
	snprintf(m, sizeof(m), "%s", err->msg);
	return sd_error_set(err, st, "%s; %s", m, notes);
}

/*
 * Without the symbol: iommu_device_list from the code of a text symbol
 * that uses it (textref.h), each entry confirmed through the types.
 * *@found: at least one SMMU came from it; when not, a note says why and
 * the caller scans RAM.
 */
static enum sd_status smmus_by_text(struct kctx *kc, bool *found, struct sd_error *err)
{
	struct sd_error e = { 0 };
	const char *via = NULL;
	uint64_t head;
	enum sd_status st;

	*found = false;
	if (kc->discovery == KDISC_SCAN) {
		kdiag(kc, "SMMU_STRTAB_DUMP_DISCOVERY=scan: SMMUs located by scanning RAM");
		return SD_OK;
	}
	if (!kc->ks) {
		kdiag(kc, "iommu_device_list not among the symbols and no kallsyms to reach it "
		      "through: SMMUs located by scanning RAM");
		return SD_OK;
	}
	if (sd_textref_iommu_device_list(&kc->km, kc->ks, &head, &via, &e) != SD_OK) {
		kdiag(kc, "iommu_device_list not among the symbols: %s; SMMUs located by "
		      "scanning RAM", e.msg);
		return SD_OK;
	}
	st = walk_iommu_list(kc, head, via, &e);
	if (st == SD_ERR_NOMEM)
		return sd_error_set(err, st, "%s", e.msg);
	if (st)
		kdiag(kc, "iommu_device_list at 0x%" PRIx64 " (from %s): %s", head, via, e.msg);
	*found = kc->res->nsmmus > 0;
	kdiag(kc, "iommu_device_list not among the symbols: reached through a text reference "
	      "from %s (0x%" PRIx64 ")%s", via, head,
	      *found ? "" : ", no arm-smmu-v3 instance on it: SMMUs located by scanning RAM");
	return SD_OK;
}

static enum sd_status find_smmus(struct kctx *kc, struct sd_error *err)
{
	struct sd_kernel_result *out = kc->res;
	enum sd_status st;
	uint64_t head;
	bool found;

	if (ksym_global(kc, "iommu_device_list", &head)) {
		if ((st = walk_iommu_list(kc, head, NULL, err)))
			return append_notes(out, st, err);
	} else {
		if ((st = smmus_by_text(kc, &found, err)))
			return st;
		if (!found && (st = scan_for_smmus(kc, err)))
			return st;
	}
	for (size_t i = 0; i < out->nsmmus; i++)
		check_strtab(kc, &out->smmus[i]);
	read_crashk(kc);
	read_iomem_ram(kc);
	if (!out->nsmmus) {
		char notes[SD_ERROR_MSG_MAX];

		sd_kernel_notes_join(out, notes, sizeof(notes));
		return sd_error_set(err, SD_ERR_NOTFOUND, "no arm-smmu-v3 instance in the kernel (%s)",
				    notes);
	}
	return SD_OK;
}

/* SMMU_STRTAB_DUMP_DISCOVERY, a switch for tests (doc/interfaces.md): the
 * paths a kernel without data symbols takes, on a dump that has them. */
static enum kdiscovery discovery_mode(void)
{
	const char *v = getenv("SMMU_STRTAB_DUMP_DISCOVERY");

	if (v && !strcmp(v, "text"))
		return KDISC_TEXT;
	if (v && !strcmp(v, "scan"))
		return KDISC_SCAN;
	return KDISC_SYMBOL;
}

/* @host: types and symbols given (sd_kernel_find_smmus_given), else looked for. */
static enum sd_status find_in_kernel(struct sd_dump *dump, const char *vmlinux,
				     const struct sd_khost *host, struct sd_kernel_result *out,
				     struct sd_error *err)
{
	struct kctx kc = { 0 };
	enum sd_status st;

	memset(out, 0, sizeof(*out));
	out->symbols = "none";
	out->types = "none";
	kc.dump = dump;
	kc.res = out;
	kc.kver = kernel_version(dump);
	kc.discovery = discovery_mode();
	sd_kmem_init(&kc.km, dump);
	if (host)
		load_given(&kc, host);
	else
		load_sources(&kc, vmlinux);
	if (!kc.have_kt) {
		static const char what[] = "no kernel type information (neither DWARF nor BTF): ";
		char notes[SD_ERROR_MSG_MAX - sizeof(what) + 1];

		notes_for_error(out, notes, sizeof(notes));
		st = sd_error_set(err, SD_ERR_NOTFOUND, "%s%s", what, notes);
	} else {
		st = find_smmus(&kc, err);
		sd_kt_close(&kc.kt);
	}
	sd_kallsyms_free(kc.ks);
	return st;
}

enum sd_status sd_kernel_find_smmus(struct sd_dump *dump, const char *vmlinux,
				    struct sd_kernel_result *out, struct sd_error *err)
{
	return find_in_kernel(dump, vmlinux, NULL, out, err);
}

enum sd_status sd_kernel_find_smmus_given(struct sd_dump *dump, const struct sd_khost *host,
					  struct sd_kernel_result *out, struct sd_error *err)
{
	return find_in_kernel(dump, NULL, host, out, err);
}

void sd_kernel_result_free(struct sd_kernel_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->nsmmus; i++)
		free(res->smmus[i].devs);
	free(res->smmus);
	free(res->ram);
	res->ram = NULL;
	res->smmus = NULL;
	res->nsmmus = 0;
	sd_diags_free(&res->diags);
}
