/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bounded string building, for text made of strings read from a dump (whose
 * lengths the dump decides): append with truncation, never past the buffer;
 * and control characters escaped before they reach a terminal.
 */
#ifndef SD_STR_H
#define SD_STR_H

#include <stddef.h>

/* Append to the NUL-terminated string in @buf[@size]; what does not fit is
 * cut (the result stays terminated).  Returns the new length. */
size_t sd_appendf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Copy @src into @dst[@size] with every C0 control character and DEL written
 * as the four characters \xNN (as lsblk does), so that a name from a
 * crashed kernel cannot drive the terminal.  Cut to fit; returns @dst. */
char *sd_escape_ctl(char *dst, size_t size, const char *src);

/* Room for the escaped copy of a string of @n bytes. */
#define SD_ESCAPED_SIZE(n)	(4 * (n) + 1)

#endif
