// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bounded string building (sd_str.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sd_str.h"

size_t sd_appendf(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strnlen(buf, size);
	va_list ap;

	if (len + 1 >= size)
		return len;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
	return strnlen(buf, size);
}

static int is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

char *sd_escape_ctl(char *dst, size_t size, const char *src)
{
	size_t o = 0;

	if (!size)
		return dst;
	for (; *src; src++) {
		unsigned char c = *src;
		size_t need = is_ctl(c) ? 4 : 1;

		if (o + need >= size)
			break;
		if (need == 4)
			o += snprintf(dst + o, size - o, "\\x%02x", c);
		else
			dst[o++] = c;
	}
	dst[o] = 0;
	return dst;
}
