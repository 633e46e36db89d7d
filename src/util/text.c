// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Terminal-safe copies of untrusted text (include/smmu/sd_text.h).
 */
#include <stdio.h>
#include <string.h>

#include "sd_text.h"

const char *sd_escape_for_terminal(const char *s, char *buf, size_t len)
{
	static const char more[] = "...";
	size_t o = 0;

	if (len < sizeof(more)) {
		if (len)
			buf[0] = 0;
		return buf;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char e[5];
		size_t n;

		if (c == '\\')
			n = (size_t)snprintf(e, sizeof(e), "\\\\");
		else if (c < 0x20 || c > 0x7e)
			n = (size_t)snprintf(e, sizeof(e), "\\x%02x", c);
		else
			n = (size_t)snprintf(e, sizeof(e), "%c", c);
		/* Keep room for "..." + NUL unless this is the last byte. */
		if (o + n + (s[1] ? sizeof(more) - 1 : 0) >= len) {
			if (o + n < len && !s[1]) {
				memcpy(buf + o, e, n);
				o += n;
				break;
			}
			/* Every earlier step left room for it. */
			memcpy(buf + o, more, sizeof(more));
			return buf;
		}
		memcpy(buf + o, e, n);
		o += n;
	}
	buf[o] = 0;
	return buf;
}
