/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the text report's files: a table printed row by row with its
 * column widths fixed up front, and the answer block's bounded ranking.
 */
#ifndef SD_REPORT_PRIV_H
#define SD_REPORT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "report.h"

/* ---- fmt.c: the per-mapping rows' numbers and output, without stdio ---- */

/* Each writes the number at @b, without a NUL, and returns its length:
 * at most FMT_U64_MAX characters (20 digits, or "-" and 19, or "0x" and 16). */
#define FMT_U64_MAX	20
size_t fmt_u64(char *b, uint64_t v);	/* "%" PRIu64 */
size_t fmt_i64(char *b, int64_t v);	/* "%" PRId64 */
size_t fmt_hex(char *b, uint64_t v);	/* "0x%" PRIx64 */

/*
 * A report's bytes, gathered into blocks for fwrite: a block as large as
 * the bench's lower bound writes (tests/bench_lb.c), so that a report of
 * gigabytes costs as few write(2) calls as the bound.  Whoever writes
 * through an obuf flushes it before writing to its FILE directly.
 */
#define OBUF_SIZE	(64 * 1024)
/* The most a caller may ask obuf_room() for at once. */
#define OBUF_ROOM_MAX	(OBUF_SIZE / 4)

struct obuf {
	FILE *f;
	size_t len;
	bool failed;		/* a write failed: the report is incomplete */
	int err;		/* errno of the first failed write */
	char b[OBUF_SIZE];
};

void obuf_init(struct obuf *o, FILE *f);
/* Hand the block to the FILE; false if this or an earlier write failed. */
bool obuf_flush(struct obuf *o);
void obuf_write(struct obuf *o, const void *p, size_t n);
void obuf_spaces(struct obuf *o, size_t n);
char *obuf_room_slow(struct obuf *o);
/* Flush the block and the FILE: SD_OK, or SD_ERR_IO with "cannot write
 * the output: REASON", the reason of the first write that failed (a
 * later fflush has nothing left to write, and errno would say nothing). */
enum sd_status obuf_finish(struct obuf *o, struct sd_error *err);

/* Where the next @n (<= OBUF_ROOM_MAX) bytes go: write them there, then
 * obuf_commit() how many were written. */
static inline char *obuf_room(struct obuf *o, size_t n)
{
	return o->len + n <= OBUF_SIZE ? o->b + o->len : obuf_room_slow(o);
}

static inline void obuf_commit(struct obuf *o, size_t n)
{
	o->len += n;
}

static inline void obuf_putc(struct obuf *o, char c)
{
	*obuf_room(o, 1) = c;
	o->len++;
}

static inline void obuf_puts(struct obuf *o, const char *s)
{
	obuf_write(o, s, strlen(s));
}

/* ---- table.c: util-linux style columns, streamed ---- */

#define TBL_MAX_COLS	64
#define TBL_CELL	64	/* every cell is a number or a short name */

struct tbl_col {
	const char *name;
	unsigned whint;		/* libsmartcols' absolute width hint */
	bool right;
	size_t maxw, width;
};

struct tbl {
	struct obuf *out;	/* the caller flushes it after the rows */
	bool raw, noheadings, header_done;
	int ncols;
	struct tbl_col col[TBL_MAX_COLS];
};

typedef char tbl_row_t[TBL_MAX_COLS][TBL_CELL];

void tbl_init(struct tbl *t, struct obuf *out, const struct sd_report_opts *o);
void tbl_add_col(struct tbl *t, const char *name, unsigned whint, bool right);
/* First pass: widen the columns to the row's cells. */
void tbl_measure(struct tbl *t, tbl_row_t row);
/* Second pass: the header before the first row, then the row. */
void tbl_print(struct tbl *t, tbl_row_t row);
/* The same, the cells' lengths known (@len[i] == strlen(row[i])). */
void tbl_print_len(struct tbl *t, tbl_row_t row, const size_t *len);

/* ---- answer.c: the first block, most dangerous first ---- */

/* Devices listed without -a; with -a, at most ANSWER_ALL_MAX (then
 * "... and N more"): far above what a real SMMU holds, and a bound on the
 * memory of the first pass. */
#define ANSWER_MAX	16
#define ANSWER_ALL_MAX	65536

struct answer;
struct answer *answer_new(bool all);
void answer_add(struct answer *a, size_t smmu, const struct sd_stream *st,
		const struct sd_verdict *v);
void answer_print(FILE *out, struct answer *a, const struct sd_report *r);
void answer_free(struct answer *a);

/* json_adopt.c: smmus[].adoption; null before the first pass. */
#include <jansson.h>
json_t *sd_json_adoption(const struct sd_smmu *s);
/* The capture kernel's STE comparison and the SMMU's owner, into
 * smmus[].live (json_adopt.c). */
struct sd_live_ste;
void sd_json_live_ste(json_t *l, const struct sd_live_ste *ls);
/* A JSON string of text from the dump or the system (escaped when it is
 * not UTF-8); null for NULL. */
json_t *sd_json_str(const char *s);

/* ---- json_writer.c: the JSON report, streamed ---- */

/*
 * A JSON writer that lays the document out as json_dumps(JSON_INDENT(2))
 * would, but one member at a time: small values are built with jansson and
 * dumped in place (re-indented to their depth); the long arrays (streams,
 * mappings) are opened, filled and closed without ever being held.
 */
#define JW_MAX_DEPTH	16
#define JW_FLAGS	(JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII | JSON_ENCODE_ANY)

struct jw {
	struct obuf *out;	/* every byte of the document goes through it */
	int depth;
	bool first[JW_MAX_DEPTH];
	bool failed;		/* a value could not be built or dumped: no memory */
};

/* Open an object or array ('{' or '['), as member @key (NULL: element). */
void jw_open(struct jw *w, const char *key, char bracket);
void jw_close(struct jw *w, char bracket);
/* One member (or element, @key NULL) from a jansson value; takes @v. */
void jw_value(struct jw *w, const char *key, json_t *v);
/* Every member of @obj, in order, as members of the open object; takes @obj. */
void jw_members(struct jw *w, json_t *obj);
/* One mapping as an element of the open array, as mapping_json() would be. */
void jw_mapping(struct jw *w, const struct sd_mapping *m);
/* One CD as an element of the open array (its ssid, fields, ttb0/1, mair,
 * raw dwords), as json_dumps(JSON_INDENT(2)) would lay it out. */
void jw_cd(struct jw *w, const struct sd_context *c);
/* jansson's allocator while the report is written: a failure is noted. */
void *jw_malloc(size_t n);
/* SD_ERR_IO (the output failed), SD_ERR_NOMEM (a value could not be built
 * or an allocation failed) or SD_OK. */
SD_MUST_CHECK enum sd_status jw_status(const struct jw *w);

/* text_adopt.c: the adoption lines of the first block (-v: the checks). */
void sd_text_adoption(FILE *out, const struct sd_report *r);

/* report_text.c */
void sd_text_wrap(FILE *out, unsigned width, const char *first, unsigned indent,
		  const char *text);

/* text_detail.c */
const char *sd_text_gran_name(unsigned tg);
void sd_text_regs(FILE *out, const struct sd_smmu *s);
void sd_text_verbose(FILE *out, const struct sd_stream *s, int verbose);
void sd_text_events(FILE *out, const struct sd_smmu *s, bool all);
void sd_text_commands(FILE *out, const struct sd_smmu *s, bool all);
/* After the answer: the dump and the kernel, one line each (-v: notes). */
void sd_text_head(FILE *out, const struct sd_report *r);

#endif
