/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * makedumpfile's flattened format (makedumpfile -F, QEMU's kdump output):
 * a 4096-byte header starting with "makedumpfile", then records of
 * {be64 offset, be64 size} + size bytes, ended by offset = size = -1.
 * libkdumpfile 0.5.1 cannot read it, so it is reassembled into an
 * unlinked temporary file.  Part of the dump access layer (dump.c).
 */
#ifndef SD_FLATTENED_H
#define SD_FLATTENED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sd_error.h"

#define SD_FLAT_HEADER_SIZE 4096

/* True when @hdr (@len bytes from the start of a file) is a flattened
 * header of type 1. */
bool sd_flat_detect(const void *hdr, size_t len);

/*
 * Open an unlinked read-write temporary file: O_TMPFILE in $TMPDIR, then
 * /var/tmp, then mkstemp()+unlink() in the same places.  @what names the
 * file's purpose in error messages.
 */
enum sd_status sd_tmpfile(int *out_fd, const char *what, struct sd_error *err);

/*
 * Reassemble the flattened file open on @infd (read sequentially from its
 * start, so a pipe would do) into a new unlinked temporary file.  Memory
 * use is bounded by a fixed copy buffer.  Every record is validated; a
 * bad or truncated record is SD_ERR_CORRUPT naming its file offset.  On
 * success *@out_fd is the temporary file and *@out_size its length.
 */
enum sd_status sd_flat_reassemble(int infd, const char *name, int *out_fd,
				  uint64_t *out_size, struct sd_error *err);

#endif
