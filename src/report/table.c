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

void tbl_init(struct tbl *t, struct obuf *out, const struct sd_report_opts *o)
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

/* Spaces copied as one constant block, the end moved back over the excess
 * (which the next bytes overwrite): a short memset without a call. */
#define PAD_BLOCK	64
static const char spaces[PAD_BLOCK] = { [0 ... PAD_BLOCK - 1] = ' ' };

/* One cell and its padding: the cell at most TBL_CELL - 1 characters, the
 * padding what is left of the column's width.  This runs once per cell of
 * every mapping row: when @s is a cell of a tbl_row_t (@whole), its whole
 * TBL_CELL bytes are copied as one constant block, like the spaces. */
static void put_cell(struct obuf *o, const char *s, size_t n, size_t lpad, size_t rpad,
		     bool whole)
{
	char *p, *start;

	if (lpad > PAD_BLOCK || rpad > PAD_BLOCK || n >= TBL_CELL) {
		/* a wide header or width hint: no hurry */
		obuf_spaces(o, lpad);
		obuf_write(o, s, n);
		obuf_spaces(o, rpad);
		return;
	}
	p = start = obuf_room(o, 2 * PAD_BLOCK + TBL_CELL);
	memcpy(p, spaces, PAD_BLOCK);
	p += lpad;
	if (whole)
		memcpy(p, s, TBL_CELL);
	else
		memcpy(p, s, n);
	p += n;
	memcpy(p, spaces, PAD_BLOCK);
	p += rpad;
	obuf_commit(o, (size_t)(p - start));
}

/* One row; @len the cells' lengths, or NULL to measure them (@cells are
 * then a header's names, else a tbl_row_t's cells). */
static void put_row(struct tbl *t, const char *const *cells, const size_t *len)
{
	for (int i = 0; i < t->ncols; i++) {
		const struct tbl_col *c = &t->col[i];
		size_t n = len ? len[i] : strlen(cells[i]);
		bool last = i == t->ncols - 1;
		size_t pad = n < c->width ? c->width - n : 0;

		if (i)
			obuf_putc(t->out, ' ');
		if (t->raw || (last && !n) || (last && !c->right))
			pad = 0;
		if (c->right)
			put_cell(t->out, cells[i], n, pad, 0, len);
		else
			put_cell(t->out, cells[i], n, 0, pad, len);
	}
	obuf_putc(t->out, '\n');
}

void tbl_print_len(struct tbl *t, tbl_row_t row, const size_t *len)
{
	const char *cells[TBL_MAX_COLS];

	if (!t->header_done) {
		layout(t);
		t->header_done = true;
		if (!t->noheadings) {
			for (int i = 0; i < t->ncols; i++)
				cells[i] = t->col[i].name;
			put_row(t, cells, NULL);
		}
	}
	for (int i = 0; i < t->ncols; i++)
		cells[i] = row[i];
	put_row(t, cells, len);
}

void tbl_print(struct tbl *t, tbl_row_t row)
{
	tbl_print_len(t, row, NULL);
}
