// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the ELF note parser that reads a module's build-id from
 * the crashed kernel's memory (sd_elf_note_build_id, src/kernel/kmodule.c):
 * the note section bytes come from the dump, so every size in them is
 * untrusted.  Notes are laid out as the ELF gABI says (namesz, descsz,
 * type; name and desc padded to 4 bytes), the way ld writes
 * .note.gnu.build-id and Debian's modules carry .note.gnu.property first.
 * Prints "ok NAME" / "not ok NAME - reason" lines; exits 0.
 */
#include <elf.h>
#include <stdint.h>
#include <string.h>

#include "ktypes.h"
#include "tap.h"

/* One note at @p: its length. */
static size_t note(unsigned char *p, const char *name, uint32_t type, const void *desc,
		   uint32_t descsz)
{
	uint32_t h[3] = { (uint32_t)strlen(name) + 1, descsz, type };
	size_t n = sizeof(h);

	memcpy(p, h, sizeof(h));	/* the tests run on little-endian hosts, as arm64 dumps are */
	memset(p + n, 0, (h[0] + 3) & ~3u);
	memcpy(p + n, name, h[0]);
	n += (h[0] + 3) & ~3u;
	memset(p + n, 0, (descsz + 3) & ~3u);
	memcpy(p + n, desc, descsz);
	return n + ((descsz + 3) & ~3u);
}

int main(void)
{
	static const unsigned char bid[20] = { 0xc8, 0xcc, 0x7c, 0x37, 0xaa, 0x84, 0x3b, 0x6e, 0x05,
		0xca, 0x80, 0x12, 0xeb, 0x4a, 0xd6, 0xe5, 0x56, 0x42, 0x4c, 0x2a };
	static const unsigned char prop[16] = { 0x00, 0x00, 0x00, 0xc0, 4, 0, 0, 0, 2 };
	const char *want = "c8cc7c37aa843b6e05ca8012eb4ad6e556424c2a";
	unsigned char buf[256];
	char hex[129];
	size_t n, m;
	uint32_t huge = 0xfffffffdu;

	n = note(buf, "GNU", NT_GNU_BUILD_ID, bid, sizeof(bid));
	ok("elfnote/build-id", sd_elf_note_build_id(buf, n, hex, sizeof(hex)) &&
	   !strcmp(hex, want), "got %s", hex);

	/* .note.gnu.property's note (also named GNU) is skipped */
	m = note(buf, "GNU", NT_GNU_PROPERTY_TYPE_0, prop, sizeof(prop));
	m += note(buf + m, "GNU", NT_GNU_BUILD_ID, bid, sizeof(bid));
	ok("elfnote/after-property", sd_elf_note_build_id(buf, m, hex, sizeof(hex)) &&
	   !strcmp(hex, want), "got %s", hex);

	/* NT_GNU_BUILD_ID under another owner is not one */
	m = note(buf, "Linux", NT_GNU_BUILD_ID, bid, sizeof(bid));
	ok("elfnote/other-owner", !sd_elf_note_build_id(buf, m, hex, sizeof(hex)), "accepted");
	m = note(buf, "GNUX", NT_GNU_BUILD_ID, bid, sizeof(bid));
	ok("elfnote/longer-owner", !sd_elf_note_build_id(buf, m, hex, sizeof(hex)), "accepted");

	/* a desc running past the section: refused, not read beyond */
	ok("elfnote/desc-cut", !sd_elf_note_build_id(buf, n - 4, hex, sizeof(hex)), "accepted");
	n = note(buf, "GNU", NT_GNU_BUILD_ID, bid, sizeof(bid));
	memcpy(buf + 4, &huge, sizeof(huge));	/* descsz near 2^32: padding must not wrap */
	ok("elfnote/descsz-wraps", !sd_elf_note_build_id(buf, n, hex, sizeof(hex)), "accepted");
	n = note(buf, "GNU", NT_GNU_BUILD_ID, bid, sizeof(bid));
	memcpy(buf, &huge, sizeof(huge));	/* namesz near 2^32 */
	ok("elfnote/namesz-wraps", !sd_elf_note_build_id(buf, n, hex, sizeof(hex)), "accepted");

	/* a header alone, or less */
	ok("elfnote/short", !sd_elf_note_build_id(buf, 11, hex, sizeof(hex)) &&
	   !sd_elf_note_build_id(buf, 0, hex, sizeof(hex)), "accepted");

	/* an empty build-id, and one longer than the caller's buffer */
	n = note(buf, "GNU", NT_GNU_BUILD_ID, bid, 0);
	ok("elfnote/empty", !sd_elf_note_build_id(buf, n, hex, sizeof(hex)), "accepted");
	n = note(buf, "GNU", NT_GNU_BUILD_ID, bid, sizeof(bid));
	ok("elfnote/too-long-for-buffer", !sd_elf_note_build_id(buf, n, hex, 40) &&
	   sd_elf_note_build_id(buf, n, hex, 41), "the 41-byte bound is not the limit");

	/* module names: '-' and '_' are the same */
	ok("modname/dash-underscore", sd_kmodule_same_name("arm-smmu-v3", "arm_smmu_v3") &&
	   !sd_kmodule_same_name("arm_smmu_v3", "arm_smmu") &&
	   !sd_kmodule_same_name("arm_smmu", "arm_smmu_v3"), "wrong");
	return 0;
}
