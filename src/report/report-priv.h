/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the text report's files: a table printed row by row with its
 * column widths fixed up front, and the answer block's bounded ranking.
 */
#ifndef SD_REPORT_PRIV_H
#define SD_REPORT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis.h"
#include "report.h"

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
	FILE *out;
	bool raw, noheadings, header_done;
	int ncols;
	struct tbl_col col[TBL_MAX_COLS];
};

typedef char tbl_row_t[TBL_MAX_COLS][TBL_CELL];

void tbl_init(struct tbl *t, FILE *out, const struct sd_report_opts *o);
void tbl_add_col(struct tbl *t, const char *name, unsigned whint, bool right);
/* First pass: widen the columns to the row's cells. */
void tbl_measure(struct tbl *t, tbl_row_t row);
/* Second pass: the header before the first row, then the row. */
void tbl_print(struct tbl *t, tbl_row_t row);

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
