// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the kernel's types and symbols come from.
 *
 *   1. A vmlinux with DWARF: given, or found by the kernel release in the
 *      usual debuginfo places, checked against VMCOREINFO's BUILD-ID;
 *      when none matches, fetched by that build-id from debuginfod
 *      (debuginfod.c) and checked again; with arm-smmu-v3 built as a
 *      module, its debug file adds the SMMU's types: a local one, else
 *      debuginfod's by the build-id of the module in the dump (kmodule.c);
 *      without one, the DWARF is dropped for 3.
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

/* The loaded module whose debug file has the SMMU's types. */
#define SMMU_MODULE	"arm_smmu_v3"
/* hex of a build-id note (include/linux/buildid.h BUILD_ID_SIZE_MAX is 20
 * bytes; up to 64 accepted, as debuginfod.c does) */
#define MODULE_BID_HEX	129

/* arm_smmu_v3's build-id from the module in the dump (kmodule.c), read
 * through the vmlinux DWARF's types and `modules` symbol; false with a note. */
static bool module_build_id(struct kctx *kc, char *hex, size_t size)
{
	struct sd_error e = { 0 };
	uint64_t head;

	if (!ksym(kc, "modules", &head)) {
		kdiag(kc, "the build-id of module " SMMU_MODULE " not read from the dump: the "
		      "vmlinux DWARF has no symbol modules");
		return false;
	}
	if (sd_kmodule_build_id(&kc->km, &kc->kt, head, SMMU_MODULE, hex, size, &e) != SD_OK) {
		kdiag(kc, "the build-id of module " SMMU_MODULE " not read from the dump: %s", e.msg);
		return false;
	}
	return true;
}

/*
 * The module debug file @path (@from: "local", "debuginfod"), checked
 * against the module's build-id @bid when it was read from the dump (NULL:
 * not checked), its types chained after vmlinux's: true, or false with a
 * note.  Types only: the globals walked (iommu_device_list, devices_kset,
 * crashk_res) are vmlinux's.  A .ko.xz is decompressed with xz(1) into an
 * unlinked temporary file.
 */
static bool chain_module(struct kctx *kc, const char *path, const char *bid, const char *from)
{
	struct sd_ktypes mod, both;
	struct sd_error e = { 0 };
	char tmp[] = "/tmp/smmu-strtab-dump-ko.XXXXXX";
	const char *open_path = path;
	size_t len = strlen(path);
	bool ok = false;
	int fd = -1;

	if (len > 3 && !strcmp(path + len - 3, ".xz")) {
		if ((fd = unxz(kc, path, tmp)) < 0)
			return false;
		open_path = tmp;
	}
	if (sd_dwarf_open(open_path, bid, 0, &mod, &e) != SD_OK) {
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
		kc->res->module_debuginfo.from = from;
		kdiag(kc, "arm-smmu-v3 types from the module debug file %s (%s)", path,
		      bid ? "build-id matches the module in the dump"
			  : "not checked against the dump: the module's build-id was not read");
		ok = true;
	} else {
		kc->have_kt = false;
		kdiag(kc, "%s", e.msg);
	}
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	return ok;
}

/* No local module debug file matched: the one with the build-id of the
 * module in the dump from debuginfod, checked as a local one is. */
static void fetch_module(struct kctx *kc, const char *bid)
{
	char *path;

	if (!dbgd_wanted(kc))
		return;
	if (!bid) {
		kdiag(kc, SMMU_MODULE " module debuginfo not asked of debuginfod: the module's "
		      "build-id was not read from the dump");
		return;
	}
	path = dbgd_fetch(kc, SMMU_MODULE " module debuginfo", bid);
	if (!path)
		return;
	if (chain_module(kc, path, bid, "debuginfod"))
		kdiag(kc, SMMU_MODULE " module debuginfo fetched from debuginfod (cached as %s)", path);
	else
		kdiag(kc, "the debuginfod download %s is not the dump's " SMMU_MODULE " module "
		      "debuginfo (truncated or wrong; remove it from the cache)", path);
	free(path);
}

/*
 * arm-smmu-v3 built as a module (ARM_SMMU_V3=m): its types are in the
 * module's debug file, not in vmlinux.  A local one (checked against the
 * module's build-id in the dump when that could be read), else
 * debuginfod's by that build-id.
 */
static void use_module_debug(struct kctx *kc, const char *rel)
{
	char path[600], bid[MODULE_BID_HEX];
	bool have_bid = module_build_id(kc, bid, sizeof(bid));

	if (sd_dwarf_find_smmu_module(rel, path, sizeof(path))) {
		if (chain_module(kc, path, have_bid ? bid : NULL, "local") || !kc->have_kt)
			return;
	} else {
		kdiag(kc, "struct arm_smmu_device is not in the vmlinux DWARF (arm-smmu-v3 built as a "
		      "module?) and no module debug file was found (looked for %s)", path);
	}
	fetch_module(kc, have_bid ? bid : NULL);
}

/* The vmlinux DWARF without the SMMU's types (no module debug file used):
 * dropped, so that the dump's BTF (vmlinux's and the module's) is tried. */
static void drop_dwarf(struct kctx *kc)
{
	kdiag(kc, "the vmlinux DWARF is not used: it has no arm-smmu-v3 types and no module "
	      "debug file gave them; types from the dump's BTF instead");
	sd_kt_close(&kc->kt);
	kc->have_kt = false;
	kc->dwarf = false;
	kc->res->types = "none";
	kc->res->symbols = "none";
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
	if (kc->have_kt && !sd_kt_has(&kc->kt, SMMU_T, "sid_bits")) {
		use_module_debug(kc, rel);
		if (kc->have_kt && !sd_kt_has(&kc->kt, SMMU_T, "sid_bits"))
			drop_dwarf(kc);
	}
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
