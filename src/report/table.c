// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A table printed row by row: the widths are measured in a first pass over
 * the same rows, so that nothing is buffered.  The layout is libsmartcols'
 * (2.38, calculate.c and print.c) for output that is not a terminal, which
 * the report used to build whole: a column is as wide as its widest cell,
 * at least its header; when the cells are at least as wide as the header
 * but narrower than the width hint, the hint.  Cells are separated by one
 * space, right-aligned columns padded on the left, the last column not
 * padded on the right; raw mode (-r) pads nothing.  On a terminal
 * libsmartcols could also shrink columns to the terminal's width; these
 * tables (numbers and short names) fit 80 columns, so that never happened.
 */
#include <string.h>

#include "report-priv.h"

void tbl_init(struct tbl *t, FILE *out, const struct sd_report_opts *o)
{
	memset(t, 0, sizeof(*t));
	t->out = out;
	t->raw = o->raw;
	t->noheadings = o->noheadings;
}

void tbl_add_col(struct tbl *t, const char *name, unsigned whint, bool right)
{
	if (t->ncols < TBL_MAX_COLS)
		t->col[t->ncols++] = (struct tbl_col){ name, whint, right, 0, 0 };
}

void tbl_measure(struct tbl *t, tbl_row_t row)
{
	for (int i = 0; i < t->ncols; i++) {
		size_t n = strlen(row[i]);

		if (n > t->col[i].maxw)
			t->col[i].maxw = n;
	}
}

/* libsmartcols' count_column_width(), for output that is not a terminal. */
static void layout(struct tbl *t)
{
	for (int i = 0; i < t->ncols; i++) {
		struct tbl_col *c = &t->col[i];
		size_t min = strlen(c->name) ? strlen(c->name) : 1;

		c->width = c->maxw;
		if (c->width < min)
			c->width = min;
		else if (c->whint >= 1 && c->width < c->whint && min < c->whint)
			c->width = c->whint;
	}
}

static void put_row(struct tbl *t, const char *const *cells)
{
	for (int i = 0; i < t->ncols; i++) {
		const struct tbl_col *c = &t->col[i];
		size_t n = strlen(cells[i]);
		bool last = i == t->ncols - 1;

		if (i)
			fputc(' ', t->out);
		if (t->raw || (last && !n)) {
			fputs(cells[i], t->out);
			continue;
		}
		if (c->right)
			fprintf(t->out, "%*s", (int)c->width, cells[i]);
		else if (last)
			fputs(cells[i], t->out);
		else
			fprintf(t->out, "%-*s", (int)c->width, cells[i]);
	}
	fputc('\n', t->out);
}

void tbl_print(struct tbl *t, tbl_row_t row)
{
	const char *cells[TBL_MAX_COLS];

	if (!t->header_done) {
		layout(t);
		t->header_done = true;
		if (!t->noheadings) {
			for (int i = 0; i < t->ncols; i++)
				cells[i] = t->col[i].name;
			put_row(t, cells);
		}
	}
	for (int i = 0; i < t->ncols; i++)
		cells[i] = row[i];
	put_row(t, cells);
}
