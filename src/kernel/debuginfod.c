// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A debug file by build-id from debuginfod, as gdb and drgn fetch one:
 * libdebuginfod reads $DEBUGINFOD_URLS, keeps its cache
 * ($DEBUGINFOD_CACHE_PATH, else $XDG_CACHE_HOME/debuginfod_client or
 * ~/.cache/debuginfod_client), honours $DEBUGINFOD_TIMEOUT and friends,
 * and we show its progress on standard error when that is a terminal.
 *
 * libdebuginfod is loaded with dlopen() when first needed (as libdw and
 * drgn load it), not linked: the binary's link closure stays what a kdump
 * capture environment carries (make static, tests/vmcores/real/
 * cross-build.sh), and libcurl is loaded only when a download is due.
 * Built without <elfutils/debuginfod.h> (Debian: libdebuginfod-dev), the
 * feature says so in a note.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel-priv.h"
#include "debuginfod.h"

#if __has_include(<elfutils/debuginfod.h>)
#include <elfutils/debuginfod.h>
#define HAVE_DEBUGINFOD_H 1
#endif

/* include/linux/buildid.h BUILD_ID_SIZE_MAX is 20 bytes; a note may be
 * longer in principle (ELF gABI), so accept up to 64 bytes of hex. */
#define BUILD_ID_HEX_MAX	128

static bool debuginfod_on = true;

void sd_kernel_set_debuginfod(bool enabled)
{
	debuginfod_on = enabled;
}

bool dbgd_wanted(struct kctx *kc)
{
	const char *urls = getenv("DEBUGINFOD_URLS");

	if (!urls || !*urls)
		return false;
	if (!debuginfod_on) {
		kdiag(kc, "debuginfod not asked (--no-debuginfod; DEBUGINFOD_URLS is set)");
		return false;
	}
	return true;
}

/* @hex (untrusted) as the lowercase hex string libdebuginfod takes (it
 * becomes part of a URL): false unless 2..BUILD_ID_HEX_MAX hex digits,
 * an even number of them. */
static bool build_id_ok(const char *hex, char *out)
{
	size_t n = 0;

	for (; hex[n]; n++) {
		if (n >= BUILD_ID_HEX_MAX || !isxdigit((unsigned char)hex[n]))
			return false;
		out[n] = (char)tolower((unsigned char)hex[n]);
	}
	out[n] = 0;
	return n >= 2 && n % 2 == 0;
}

#ifdef HAVE_DEBUGINFOD_H

/* The libdebuginfod functions used, resolved once. */
static struct {
	bool tried, ok;
	char why[160];
	__typeof__(debuginfod_begin) *begin;
	__typeof__(debuginfod_end) *end;
	__typeof__(debuginfod_find_debuginfo) *find_debuginfo;
	__typeof__(debuginfod_set_progressfn) *set_progressfn;
	__typeof__(debuginfod_set_user_data) *set_user_data;
	__typeof__(debuginfod_get_user_data) *get_user_data;
} lib;

static bool load_lib(void)
{
	void *h;

	if (lib.tried)
		return lib.ok;
	lib.tried = true;
	h = dlopen(DEBUGINFOD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(lib.why, sizeof(lib.why), "%s", dlerror());
		return false;
	}
	/* dlsym returns void *; POSIX guarantees it converts to a function
	 * pointer (the memcpy keeps -Wpedantic quiet too). */
#define SYM(field, name) do { void *p = dlsym(h, name); \
		if (!p) { snprintf(lib.why, sizeof(lib.why), "%s has no %s", DEBUGINFOD_SONAME, name); \
			  return false; } \
		memcpy(&lib.field, &p, sizeof(p)); } while (0)
	SYM(begin, "debuginfod_begin");
	SYM(end, "debuginfod_end");
	SYM(find_debuginfo, "debuginfod_find_debuginfo");
	SYM(set_progressfn, "debuginfod_set_progressfn");
	SYM(set_user_data, "debuginfod_set_user_data");
	SYM(get_user_data, "debuginfod_get_user_data");
#undef SYM
	/* Never dlclose()d: libcurl's global state must outlive the client. */
	lib.ok = true;
	return true;
}

struct progress {
	const char *what;
	bool shown;
	long last_mib;	/* the line is redrawn when this changes */
};

/* libdebuginfod's progress callback: @done of @total bytes (@total 0 or
 * negative while unknown).  Non-zero would cancel the download. */
static int progress(debuginfod_client *c, long done, long total)
{
	struct progress *p = lib.get_user_data(c);

	if (p->shown && done >> 20 == p->last_mib)
		return 0;
	p->last_mib = done >> 20;
	if (total > 0)
		fprintf(stderr, "\rDownloading %s from debuginfod: %ld/%ld MiB ", p->what,
			done >> 20, total >> 20);
	else
		fprintf(stderr, "\rDownloading %s from debuginfod: %ld MiB ", p->what, done >> 20);
	p->shown = true;
	return 0;
}

/* libdebuginfod's negative errno as a reason. */
static const char *why_not(int rc, char *buf, size_t size)
{
	switch (-rc) {
	case ENOENT:
		/* also a failed transfer: libdebuginfod then remembers the
		 * miss in its cache (cache_miss_s, 600 s by default) */
		return "no server of DEBUGINFOD_URLS delivered it (not there, or the "
		       "download failed; a miss is not retried for a while, see "
		       "cache_miss_s in the cache)";
	case ETIME:
	case ETIMEDOUT:
		return "timed out (DEBUGINFOD_TIMEOUT)";
	default:
		snprintf(buf, size, "%s", strerror(-rc));
		return buf;
	}
}

char *dbgd_fetch(struct kctx *kc, const char *what, const char *bid_hex)
{
	char bid[BUILD_ID_HEX_MAX + 1], buf[128];
	struct progress p = { .what = what };
	debuginfod_client *c;
	char *path = NULL;
	int fd;

	if (!bid_hex || !build_id_ok(bid_hex, bid)) {
		kdiag(kc, "%s not asked of debuginfod: the dump gives no valid build-id for it", what);
		return NULL;
	}
	if (!load_lib()) {
		kdiag(kc, "%s not asked of debuginfod: %s", what, lib.why);
		return NULL;
	}
	c = lib.begin();
	if (!c) {
		kdiag(kc, "%s not asked of debuginfod: debuginfod_begin failed", what);
		return NULL;
	}
	lib.set_user_data(c, &p);
	/* As gdb and drgn do: a progress line only for a person watching. */
	if (isatty(STDERR_FILENO))
		lib.set_progressfn(c, progress);
	fd = lib.find_debuginfo(c, (const unsigned char *)bid, 0, &path);
	if (p.shown)
		fputc('\n', stderr);
	lib.end(c);
	if (fd < 0) {
		kdiag(kc, "%s (build-id %s) not fetched from debuginfod: %s", what, bid,
		      why_not(fd, buf, sizeof(buf)));
		return NULL;
	}
	close(fd);
	return path;
}

#else	/* !HAVE_DEBUGINFOD_H */

char *dbgd_fetch(struct kctx *kc, const char *what, const char *bid_hex)
{
	char bid[BUILD_ID_HEX_MAX + 1];

	if (bid_hex && build_id_ok(bid_hex, bid))
		kdiag(kc, "%s (build-id %s) not asked of debuginfod: built without "
		      "<elfutils/debuginfod.h>", what, bid);
	return NULL;
}

#endif
