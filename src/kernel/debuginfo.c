// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the kernel's types and symbols come from.
 *
 *   1. A vmlinux with DWARF: given, or found by the kernel release in the
 *      usual debuginfo places, checked against VMCOREINFO's BUILD-ID;
 *      when none matches, fetched by that build-id from debuginfod
 *      (debuginfod.c) and checked again; with arm-smmu-v3 built as a
 *      module, its debug file adds the SMMU's types.
 *   2. kallsyms decoded from the dump (VMCOREINFO, 6.0 on).
 *   3. The vmlinux BTF in the dump, plus the module's split BTF on
 *      btf_modules when arm-smmu-v3 is a module.
 *
 * The release (VMCOREINFO OSRELEASE) comes from the crashed kernel, so it
 * is untrusted: a path is built from it only when it looks like a kernel
 * release (sd_kernel_release_ok()), never "../../x".
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel-priv.h"
#include "debuginfod.h"

/* include/uapi/linux/utsname.h __NEW_UTS_LEN: a release is at most 64
 * characters. */
#define KERNEL_RELEASE_MAX	64

/*
 * A kernel release as the kernel's build makes it (KERNELRELEASE = VERSION
 * .PATCHLEVEL.SUBLEVEL EXTRAVERSION LOCALVERSION, scripts/setlocalversion
 * and the distributions' suffixes: "6.12.9+deb13-arm64", "5.14.0-
 * 427.el9.aarch64", "6.8.0-45-generic", "6.1.0~rc1"): letters, digits and
 * . _ + ~ -, no "..", not empty, at most KERNEL_RELEASE_MAX characters.
 */
bool sd_kernel_release_ok(const char *rel)
{
	size_t n;

	if (!rel || !rel[0] || strstr(rel, ".."))
		return false;
	for (n = 0; rel[n]; n++) {
		unsigned char c = (unsigned char)rel[n];

		if (n >= KERNEL_RELEASE_MAX || !(isascii(c) && (isalnum(c) || strchr("._+~-", c))))
			return false;
	}
	return true;
}

/* @s for a note: non-printable bytes as \xNN, at most @size - 1 bytes. */
static const char *escaped(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	for (; *s && n + 5 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (isascii(c) && isprint(c) && c != '\\')
			buf[n++] = (char)c;
		else
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", c);
	}
	buf[n] = 0;
	return buf;
}

bool sd_dwarf_find_vmlinux(const char *osrelease, char *path, size_t size)
{
	const char *fmts[] = {
		"%s/vmlinux-%s",
		"/usr/lib/debug/boot/vmlinux-%s%s",
		"/usr/lib/debug/lib/modules/%s/vmlinux%s",
		"/boot/vmlinux-%s%s",
		"/lib/modules/%s/build/vmlinux%s",
	};
	const char *dir = getenv("SMMU_STRTAB_DUMP_DEBUGINFO_DIR");

	if (!sd_kernel_release_ok(osrelease))
		return false;
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		if (i == 0) {
			if (!dir || !*dir)
				continue;
			snprintf(path, size, fmts[0], dir, osrelease);
		} else {
			snprintf(path, size, fmts[i], osrelease, "");
		}
		if (access(path, R_OK) == 0)
			return true;
	}
	return false;
}

bool sd_dwarf_find_smmu_module(const char *osrelease, char *path, size_t size)
{
	const char *dir = getenv("SMMU_STRTAB_DUMP_DEBUGINFO_DIR");
	char cand[4][512];
	int n = 0;

	if (dir && *dir) {
		snprintf(cand[n++], sizeof(cand[0]), "%s/arm_smmu_v3.ko", dir);
		snprintf(cand[n++], sizeof(cand[0]), "%s/arm_smmu_v3.ko.xz", dir);
	}
	if (sd_kernel_release_ok(osrelease)) {
		snprintf(cand[n++], sizeof(cand[0]),
			 "/usr/lib/debug/lib/modules/%s/kernel/drivers/iommu/arm/arm-smmu-v3/arm_smmu_v3.ko",
			 osrelease);
		snprintf(cand[n], sizeof(cand[0]), "%s.xz", cand[n - 1]);
		n++;
	}
	for (int i = 0; i < n; i++)
		if (access(cand[i], R_OK) == 0) {
			snprintf(path, size, "%s", cand[i]);
			return true;
		}
	if (!n)
		snprintf(path, size, "nothing: no valid kernel release and no "
			 "$SMMU_STRTAB_DUMP_DEBUGINFO_DIR");
	else
		snprintf(path, size, "%s[.xz]%s", cand[n - 2],
			 dir && *dir && n > 2 ? " nor in $SMMU_STRTAB_DUMP_DEBUGINFO_DIR" : "");
	return false;
}

/* xz -dc @path into the unlinked-on-close temporary file @tmp (a mkstemp
 * template); the open descriptor, or -1 with a note. */
static int unxz(struct kctx *kc, const char *path, char *tmp)
{
	pid_t pid;
	int status = 0, fd = mkstemp(tmp);

	if (fd < 0) {
		kdiag(kc, "module debug file %s not used: cannot create a temporary file", path);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		dup2(fd, STDOUT_FILENO);
		execlp("xz", "xz", "-dc", "--", path, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		kdiag(kc, "module debug file %s not used: xz -dc failed", path);
		close(fd);
		unlink(tmp);
		return -1;
	}
	return fd;
}

/*
 * arm-smmu-v3 built as a module (ARM_SMMU_V3=m): its types are in the
 * module's debug file, not in vmlinux.  Types only: the globals walked
 * (iommu_device_list, devices_kset, crashk_res) are vmlinux's.  A .ko.xz
 * is decompressed with xz(1) into an unlinked temporary file.
 */
static void use_module_debug(struct kctx *kc, const char *rel)
{
	struct sd_ktypes mod, both;
	struct sd_error e = { 0 };
	char path[600], tmp[] = "/tmp/smmu-strtab-dump-ko.XXXXXX";
	const char *open_path = path;
	size_t len;
	int fd = -1;

	if (!sd_dwarf_find_smmu_module(rel, path, sizeof(path))) {
		/* Its build-id is in the module's .note.gnu.build-id in the
		 * dump, but only a walk of struct module's notes_attrs would
		 * find it: not done, so debuginfod cannot be asked. */
		kdiag(kc, "struct arm_smmu_device is not in the vmlinux DWARF (arm-smmu-v3 built as a "
		      "module?) and no module debug file was found (looked for %s)%s", path,
		      dbgd_wanted(kc) ? "; not asked of debuginfod: the module's build-id is not "
		      "in VMCOREINFO (only vmlinux's is) and is not read from the module" : "");
		return;
	}
	len = strlen(path);
	if (len > 3 && !strcmp(path + len - 3, ".xz")) {
		if ((fd = unxz(kc, path, tmp)) < 0)
			return;
		open_path = tmp;
	}
	if (sd_dwarf_open(open_path, NULL, 0, &mod, &e) != SD_OK) {
		/* The message names the file read (the .xz's when not unpacked). */
		if (open_path == path)
			kdiag(kc, "module debug file not used: %s", e.msg);
		else
			kdiag(kc, "module debug file %s not used: %s", path, e.msg);
	} else if (!sd_kt_has(&mod, SMMU_T, "sid_bits")) {
		kdiag(kc, "module debug file %s not used: it has no struct arm_smmu_device", path);
		sd_kt_close(&mod);
	} else if (sd_kt_chain(&kc->kt, &mod, &both, &e) == SD_OK) {
		kc->kt = both;
		snprintf(kc->res->module_debuginfo.path, sizeof(kc->res->module_debuginfo.path),
			 "%s", path);
		kc->res->module_debuginfo.from = "local";
		kdiag(kc, "arm-smmu-v3 types from the module debug file %s (not checked against "
		      "the dump: module build-ids are not in VMCOREINFO)", path);
	} else {
		kc->have_kt = false;
		kdiag(kc, "%s", e.msg);
	}
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
}

/* @path's DWARF, checked against the dump's build-id: kc->kt and the
 * result's debuginfo, or false with a note. */
static bool open_dwarf(struct kctx *kc, const char *path, const char *from)
{
	struct sd_kernel_result *r = kc->res;
	struct sd_error e = { 0 };
	uint64_t kaslr = 0;

	sd_vmcoreinfo_u64(kc->dump, "KERNELOFFSET", true, &kaslr);
	if (sd_dwarf_open(path, sd_dump_vmcoreinfo(kc->dump, "BUILD-ID"), kaslr, &kc->kt,
			  &e) != SD_OK) {
		kdiag(kc, "debuginfo not used: %s", e.msg);	/* it names @path */
		return false;
	}
	kc->have_kt = true;
	kc->dwarf = true;
	r->types = "dwarf";
	r->symbols = "dwarf";
	snprintf(r->debuginfo.path, sizeof(r->debuginfo.path), "%s", path);
	r->debuginfo.from = from;
	return true;
}

/* No local vmlinux matched: the one with the dump's build-id from
 * debuginfod, when $DEBUGINFOD_URLS names servers.  What arrived is
 * checked as a local file is (open_dwarf): a truncated or wrong download
 * is noted and left to the BTF fall-back. */
static void fetch_dwarf(struct kctx *kc)
{
	char *path;

	if (!dbgd_wanted(kc))
		return;
	path = dbgd_fetch(kc, "vmlinux debuginfo", sd_dump_vmcoreinfo(kc->dump, "BUILD-ID"));
	if (!path)
		return;
	if (open_dwarf(kc, path, "debuginfod"))
		kdiag(kc, "vmlinux debuginfo fetched from debuginfod (cached as %s)", path);
	else
		kdiag(kc, "the debuginfod download %s is not the dump's vmlinux debuginfo "
		      "(truncated or wrong; remove it from the cache)", path);
	free(path);
}

/* 1. DWARF: @vmlinux, else the one found for @rel (NULL: none, or
 * @refused: not a valid release, already noted), else debuginfod's. */
static void load_dwarf(struct kctx *kc, const char *vmlinux, const char *rel, bool refused)
{
	const char *from = "argument";
	char path[512];

	if (!vmlinux && rel && sd_dwarf_find_vmlinux(rel, path, sizeof(path))) {
		vmlinux = path;
		from = "local";
	}
	if (!vmlinux) {
		const char *shown = rel ? rel : "?";

		if (!refused)
			kdiag(kc, "no debuginfo found for %s (looked in /usr/lib/debug/boot/vmlinux-%s, "
			      "/usr/lib/debug/lib/modules/%s/vmlinux)", shown, shown, shown);
	}
	if (!(vmlinux && open_dwarf(kc, vmlinux, from)))
		fetch_dwarf(kc);
	if (kc->have_kt && !sd_kt_has(&kc->kt, SMMU_T, "sid_bits"))
		use_module_debug(kc, rel);
}

/* 2. kallsyms from the dump; it also bounds the kernel image. */
void load_kallsyms(struct kctx *kc)
{
	struct sd_error e = { 0 };
	uint64_t start, end;

	if (sd_kallsyms_from_dump(&kc->km, &kc->ks, &e) != SD_OK) {
		kdiag(kc, "%s", e.msg);
		return;
	}
	if (!kc->dwarf)
		kc->res->symbols = "kallsyms";
	if (sd_kallsyms_data_count(kc->ks) < 100)
		kdiag(kc, "kallsyms has %zu symbols but no data symbols "
		      "(kernel built without CONFIG_KALLSYMS_ALL): iommu_device_list, "
		      "__start_BTF and crashk_res cannot be looked up by name",
		      sd_kallsyms_count(kc->ks));
	if (sd_kallsyms_lookup(kc->ks, "_end", &end, NULL) &&
	    (sd_kallsyms_lookup(kc->ks, "_text", &start, NULL) ||
	     sd_kallsyms_lookup(kc->ks, "_stext", &start, NULL)))
		sd_kmem_set_image(&kc->km, start & ~0xffffull, end);
}

/* 3. BTF from the dump, and the module's when arm-smmu-v3 is one. */
static void load_btf(struct kctx *kc)
{
	struct sd_error e = { 0 };

	if (sd_btf_from_dump(&kc->km, kc->ks, &kc->kt, &e) != SD_OK) {
		kdiag(kc, "%s", e.msg);
		return;
	}
	kc->have_kt = true;
	kc->res->types = "btf";
	if (sd_kt_has(&kc->kt, SMMU_T, "sid_bits"))
		return;
	memset(&e, 0, sizeof(e));
	if (sd_btf_module_from_dump(&kc->km, kc->ks, "arm_smmu_v3", &kc->kt, &e) == SD_OK)
		kdiag(kc, "arm-smmu-v3 types from the module's BTF (%s)", kc->kt.desc);
	else
		kdiag(kc, "the vmlinux BTF has no struct arm_smmu_device "
		      "(arm-smmu-v3 built as a module?) and its module BTF "
		      "was not used: %s", e.msg);
}

void load_sources(struct kctx *kc, const char *vmlinux)
{
	const char *rel = sd_dump_vmcoreinfo(kc->dump, "OSRELEASE");
	bool refused = rel && !sd_kernel_release_ok(rel);

	if (refused) {
		char buf[4 * KERNEL_RELEASE_MAX + 8];

		kdiag(kc, "the dump's kernel release \"%s\" is not a kernel release (letters, "
		      "digits and ._+~- only, no \"..\", at most %d characters): no debuginfo "
		      "path is built from it", escaped(rel, buf, sizeof(buf)), KERNEL_RELEASE_MAX);
		rel = NULL;
	}
	load_dwarf(kc, vmlinux, rel, refused);
	if (!kc->have_kt) {
		/* A module's types that failed to chain drop the DWARF too. */
		memset(&kc->res->debuginfo, 0, sizeof(kc->res->debuginfo));
		memset(&kc->res->module_debuginfo, 0, sizeof(kc->res->module_debuginfo));
	}
	load_kallsyms(kc);
	if (!kc->have_kt)
		load_btf(kc);
}
