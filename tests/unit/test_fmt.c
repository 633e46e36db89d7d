// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report's number formatter and output blocks (src/report/fmt.c)
 * against stdio: fmt_u64, fmt_i64 and fmt_hex must write exactly what
 * printf's "%" PRIu64, "%" PRId64 and "0x%" PRIx64 write, and nothing past
 * it, for the edge values (0, one digit, every power of two and of ten and
 * their neighbours, the extremes) and for random ones; struct obuf must
 * hand the FILE the same bytes as direct writes, across block boundaries.
 * Prints "ok NAME" / "not ok NAME - reason" lines.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/report/report-priv.h"
#include "tap.h"

#define CANARY	'#'

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Format @v three ways into canaried buffers; the first difference found
 * is described in @why (empty when all agree). */
static void check_one(uint64_t v, char *why, size_t n)
{
	char want[64], got[FMT_U64_MAX + 8];
	size_t len;

	struct {
		const char *name;
		size_t (*fn)(char *, uint64_t);
	} u[] = { { "fmt_u64", fmt_u64 }, { "fmt_hex", fmt_hex } };

	for (size_t k = 0; k < 3; k++) {
		memset(got, CANARY, sizeof(got));
		if (k == 2) {
			snprintf(want, sizeof(want), "%" PRId64, (int64_t)v);
			len = fmt_i64(got, (int64_t)v);
		} else {
			snprintf(want, sizeof(want), k ? "0x%" PRIx64 : "%" PRIu64, v);
			len = u[k].fn(got, v);
		}
		if (len != strlen(want) || memcmp(got, want, len) || got[len] != CANARY ||
		    len > FMT_U64_MAX) {
			snprintf(why, n, "%s(0x%" PRIx64 "): \"%.*s\" (%zu), want \"%s\"",
				 k == 2 ? "fmt_i64" : u[k].name, v,
				 (int)(len < sizeof(got) ? len : sizeof(got)), got, len, want);
			return;
		}
	}
	why[0] = 0;
}

static void test_numbers(void)
{
	char why[160] = "", first[160] = "";
	unsigned bad = 0, count = 0;
	uint64_t edge[512];
	size_t ne = 0;

	edge[ne++] = 0;
	edge[ne++] = UINT64_MAX;
	edge[ne++] = (uint64_t)INT64_MAX;
	edge[ne++] = (uint64_t)INT64_MIN;
	for (int b = 0; b < 64; b++)
		for (int d = -1; d <= 1; d++)
			edge[ne++] = (1ULL << b) + (uint64_t)d;
	for (uint64_t p = 1, i = 0; i < 20; i++, p *= 10)
		for (int d = -1; d <= 1; d++)
			edge[ne++] = p + (uint64_t)d;
	for (size_t i = 0; i < ne; i++, count++) {
		check_one(edge[i], why, sizeof(why));
		if (why[0] && !bad++)
			strcpy(first, why);
	}
	ok("fmt/edge-values", !bad, "%u of %zu differ; first: %s", bad, ne, first);
	bad = 0;
	for (int i = 0; i < 200000; i++, count++) {
		/* every magnitude: shift a random value down by 0-63 bits */
		uint64_t v = next() >> (next() % 64);

		check_one(v, why, sizeof(why));
		if (why[0] && !bad++)
			strcpy(first, why);
	}
	ok("fmt/random-values", !bad, "%u of 200000 differ; first: %s", bad, first);
}

/* Random writes of every kind through an obuf and straight into a string:
 * the same bytes, whatever crosses a block's end. */
static void test_obuf(void)
{
	static struct obuf ob;
	static char src[3 * OBUF_SIZE], want[8 * OBUF_SIZE];
	char *buf = NULL;
	size_t len = 0, wl = 0, diff = 0;
	FILE *m = open_memstream(&buf, &len);
	bool flushed;

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (char)('a' + next() % 26);
	obuf_init(&ob, m);
	while (wl < sizeof(want) - 2 * OBUF_SIZE - 64) {
		size_t n = next() % (next() % 8 ? 40 : 2 * OBUF_SIZE);
		char *p;

		switch (next() % 5) {
		case 0:
			obuf_write(&ob, src + n % 1000, n);
			memcpy(want + wl, src + n % 1000, n);
			break;
		case 1:
			obuf_spaces(&ob, n);
			memset(want + wl, ' ', n);
			break;
		case 2:
			n = 1;
			obuf_putc(&ob, src[wl % 100]);
			want[wl] = src[wl % 100];
			break;
		case 3:
			n %= OBUF_ROOM_MAX;
			p = obuf_room(&ob, n);
			memcpy(p, src, n);
			obuf_commit(&ob, n);
			memcpy(want + wl, src, n);
			break;
		default:
			n = 0;
			obuf_flush(&ob);
		}
		wl += n;
	}
	flushed = obuf_flush(&ob);
	fclose(m);
	while (diff < len && diff < wl && buf[diff] == want[diff])
		diff++;
	ok("fmt/obuf-blocks", flushed && len == wl && diff == wl,
	   "flush %d, %zu bytes written, %zu expected, first difference at %zu",
	   flushed, len, wl, diff);
	free(buf);
}

int main(void)
{
	test_numbers();
	test_obuf();
	return failures != 0;
}
