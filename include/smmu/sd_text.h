/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text from untrusted input (a register file, a crash dump) made safe to
 * print on a terminal (src/util/text.c).  JSON output has its own escaping;
 * this is for text output and messages.
 */
#ifndef SD_TEXT_H
#define SD_TEXT_H

#include <stddef.h>

/*
 * Copy @s into @buf (@len bytes, at least 4) with every byte outside
 * printable ASCII (0x20..0x7e) written as "\xNN" and the backslash as
 * "\\", so that the output holds no control character (C0, DEL, or a C1
 * control byte an 8-bit terminal would obey) and reads back unambiguously.
 * A result that does not fit ends in "..." instead.  Returns @buf, so a
 * call can be an argument of printf.
 */
const char *sd_escape_for_terminal(const char *s, char *buf, size_t len);

/* Room for the escape of an @n-byte string: 4 bytes a byte at worst, + NUL. */
#define SD_ESCAPED_SIZE(n)	(4 * (n) + 1)

#endif
