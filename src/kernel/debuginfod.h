/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * debuginfod.c, for debuginfo.c only: a debug file by build-id from the
 * servers of $DEBUGINFOD_URLS, through libdebuginfod (its cache, its
 * timeouts, its progress on a terminal).
 */
#ifndef SD_KERNEL_DEBUGINFOD_H
#define SD_KERNEL_DEBUGINFOD_H

#include <stdbool.h>

struct kctx;

/*
 * Whether debuginfod is to be asked: on (not --no-debuginfod) and
 * $DEBUGINFOD_URLS not empty.  A note says why not when it is set but
 * turned off, so a user who expected a download learns why none happened.
 */
bool dbgd_wanted(struct kctx *kc);

/*
 * The debug file of @what (for messages: "vmlinux debuginfo") with build-id
 * @bid_hex (untrusted: the dump's VMCOREINFO, or a module's note in the
 * dump; refused unless hex) into
 * libdebuginfod's cache: its path (free()), or NULL with a note saying why.
 * The file is not checked here: the caller opens it against the build-id.
 */
char *dbgd_fetch(struct kctx *kc, const char *what, const char *bid_hex);

#endif
