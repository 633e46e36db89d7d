// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VMCOREINFO lines that libkdumpfile 0.5.1 cannot take, checked before it
 * reads them: PAGESIZE, and keys that start with a dot.
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
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sd_cleanup.h"
#include "dump-priv.h"

#define NOTE_HDR	12		/* namesz, descsz, type */
#define NOTE_ALIGN(n)	(((uint64_t)(n) + 3) & ~(uint64_t)3)	/* namesz + 3 wraps in 32 bits */
#define PAGESIZE_KEY	"PAGESIZE="

/* Up to 16 printable bytes of @t from @i to @n, quoted, into @out. */
static void quote(char *out, size_t outn, const char *t, uint64_t i, uint64_t n)
{
	uint64_t e = i;

	while (e < n && e - i < 16 && t[e] >= ' ' && t[e] < 0x7f)
		e++;
	snprintf(out, outn, "\"%.*s\"", (int)(e - i), t + i);
}

/* Whether a line of VMCOREINFO text @t (@n bytes, NULs included, as
 * libkdumpfile reads them) would hurt libkdumpfile; what, then, in @bad. */
static bool vmci_bad(const char *t, uint64_t n, char *bad, size_t badn)
{
	const size_t klen = sizeof(PAGESIZE_KEY) - 1;
	char q[24];

	for (uint64_t i = 0; i < n; i++) {
		uint64_t v = 0, j;
		bool wide = false;

		if (i && t[i - 1] != '\n')
			continue;
		/* A key starting with a dot: libkdumpfile makes it an attribute
		 * path with an empty first component and crashed (SIGSEGV in
		 * kdump_open_fd, fuzz_dump). */
		if (t[i] == '.') {
			quote(q, sizeof(q), t, i, n);
			snprintf(bad, badn, "line %s starts with a dot", q);
			return true;
		}
		if (i + klen > n || memcmp(t + i, PAGESIZE_KEY, klen))
			continue;
		for (j = i + klen; j < n && t[j] >= '0' && t[j] <= '9'; j++) {
			wide |= v > (UINT64_MAX - 9) / 10;
			v = v * 10 + (uint64_t)(t[j] - '0');
		}
		/* Digits up to the line's end, or libkdumpfile takes something
		 * else (an empty value made it allocate 8 EiB). */
		if (j == i + klen || (j < n && t[j] != '\n' && t[j] != '\0') || wide ||
		    !dump_block_size_ok(v)) {
			quote(q, sizeof(q), t, i + klen, n);
			snprintf(bad, badn, "PAGESIZE=%s is not a page size", q);
			return true;
		}
	}
	return false;
}

enum sd_status dump_vmci_check(struct sd_dump *d, int fd, uint64_t off, uint64_t len,
			       bool notes, const char *what, struct sd_error *err)
{
	char *b sd_autofree = NULL;
	char bad[64];
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
		if (vmci_bad(b, len, bad, sizeof(bad)))
			goto corrupt;
		return SD_OK;
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
		    !memcmp(b + name, "VMCOREINFO", sizeof("VMCOREINFO") - 1) &&
		    vmci_bad(b + desc, descsz < len - desc ? descsz : len - desc, bad,
			     sizeof(bad))) {
			off += desc;
			goto corrupt;
		}
		if (next > len)
			break;
		at = next;
	}
	return SD_OK;
corrupt:
	return sd_error_set(err, SD_ERR_CORRUPT,
			    "%s: corrupt %s: VMCOREINFO %s (in the text at file offset %" PRIu64 ")",
			    d->path, what, bad, off);
}
