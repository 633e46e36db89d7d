// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Numbers and output without stdio, for the rows a report prints once per
 * mapping (10^7 of them on a large server): printf parses its format and
 * honours the locale on every call, and fprintf takes the stream's lock;
 * these functions only write digits into the caller's buffer, and struct
 * obuf hands the report to stdio in blocks (report-priv.h).  Every format
 * here is the C locale's, as printf prints it in that locale.
 */
#include <errno.h>
#include <string.h>

#include "report-priv.h"

static const char hexdigits[] = "0123456789abcdef";

/* Two digits at a time: "00" to "99", and "00" to "ff". */
static const char dec2[200] =
	"0001020304050607080910111213141516171819202122232425262728293031"
	"3233343536373839404142434445464748495051525354555657585960616263"
	"6465666768697071727374757677787980818283848586878889909192939495"
	"96979899";
static const char hex2[512] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
	"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
	"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

/* "%" PRIu64: the digits from the right into a scratch array, two at a
 * time, then copied (one digit when the number has one: SSIDs' common
 * case). */
size_t fmt_u64(char *b, uint64_t v)
{
	char t[FMT_U64_MAX];
	char *q = t + sizeof(t);
	size_t n;

	if (v < 10) {
		b[0] = (char)('0' + v);
		return 1;
	}
	while (v >= 100) {
		q -= 2;
		memcpy(q, dec2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		q -= 2;
		memcpy(q, dec2 + 2 * v, 2);
	} else {
		*--q = (char)('0' + v);
	}
	n = (size_t)(t + sizeof(t) - q);
	for (size_t i = 0; i < n; i++)	/* not memcpy: a call for 2-20 bytes */
		b[i] = q[i];
	return n;
}

/* "%" PRId64: the magnitude of INT64_MIN is taken in unsigned arithmetic,
 * where it exists. */
size_t fmt_i64(char *b, int64_t v)
{
	if (v >= 0)
		return fmt_u64(b, (uint64_t)v);
	b[0] = '-';
	return 1 + fmt_u64(b + 1, -(uint64_t)v);
}

/* "0x%" PRIx64: lowercase, no leading zeros, "0x0" for zero; written from
 * the right, a byte (two digits) at a time. */
size_t fmt_hex(char *b, uint64_t v)
{
	/* digits: one per started nibble of the highest set bit, at least one */
	size_t nd = v ? (size_t)(64 - __builtin_clzll(v) + 3) / 4 : 1;
	char *q = b + 2 + nd;

	b[0] = '0';
	b[1] = 'x';
	while (q - b >= 4) {
		q -= 2;
		memcpy(q, hex2 + 2 * (v & 0xff), 2);
		v >>= 8;
	}
	if (q - b == 3)
		b[2] = hexdigits[v & 0xf];
	return 2 + nd;
}

void obuf_init(struct obuf *o, FILE *f)
{
	o->f = f;
	o->len = 0;
	o->failed = false;
	o->err = 0;
}

bool obuf_flush(struct obuf *o)
{
	if (o->len && fwrite_unlocked(o->b, 1, o->len, o->f) != o->len && !o->failed) {
		o->failed = true;
		o->err = errno;
	}
	o->len = 0;
	return !o->failed;
}

enum sd_status obuf_finish(struct obuf *o, struct sd_error *err)
{
	int e;

	obuf_flush(o);
	errno = 0;
	if (fflush(o->f) != EOF && !ferror(o->f) && !o->failed)
		return SD_OK;
	e = o->failed ? o->err : errno;
	return sd_error_set(err, SD_ERR_IO, "cannot write the output%s%s", e ? ": " : "",
			    e ? strerror(e) : "");
}

char *obuf_room_slow(struct obuf *o)
{
	obuf_flush(o);
	return o->b;
}

void obuf_write(struct obuf *o, const void *p, size_t n)
{
	while (n) {
		size_t k = sizeof(o->b) - o->len;

		if (!k) {
			obuf_flush(o);
			continue;
		}
		if (k > n)
			k = n;
		memcpy(o->b + o->len, p, k);
		o->len += k;
		p = (const char *)p + k;
		n -= k;
	}
}

void obuf_spaces(struct obuf *o, size_t n)
{
	while (n) {
		size_t k = sizeof(o->b) - o->len;

		if (!k) {
			obuf_flush(o);
			continue;
		}
		if (k > n)
			k = n;
		memset(o->b + o->len, ' ', k);
		o->len += k;
		n -= k;
	}
}
