// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The streamed table printer (src/report/table.c) against libsmartcols,
 * which the report used to build whole tables with: random tables (widths,
 * empty cells, right-aligned and hinted columns, last column of each kind),
 * with and without -r and -n, must print the same bytes.
 * Prints "ok NAME" / "not ok NAME - reason" lines.
 */
#define _GNU_SOURCE
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/report/report-priv.h"
#include "tap.h"

#define ROWS	12

struct spec {
	int ncols;
	const char *name[8];
	unsigned whint[8];
	bool right[8];
	char cell[ROWS][8][TBL_CELL];
	int nrows;
};

static void random_spec(struct spec *sp, unsigned seed)
{
	static const char *const names[] = { "SID", "CONFIG", "A", "TTB", "MAPPED", "X", "SSID", "" };
	static const char *const words[] = { "", "", "0x1", "s1-trans", "4K", "0x40816000",
					     "abort", "12345678901234", "-", "rw-" };

	srand(seed);
	sp->ncols = 1 + rand() % 8;
	sp->nrows = rand() % ROWS;
	for (int c = 0; c < sp->ncols; c++) {
		sp->name[c] = names[rand() % 7];
		sp->whint[c] = rand() % 3 ? rand() % 14 : 0;
		sp->right[c] = rand() % 2;
	}
	for (int r = 0; r < sp->nrows; r++)
		for (int c = 0; c < sp->ncols; c++)
			snprintf(sp->cell[r][c], TBL_CELL, "%s", words[rand() % 10]);
}

static char *with_scols(const struct spec *sp, bool raw, bool nh)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct libscols_table *tb = scols_new_table();

	scols_table_set_stream(tb, m);
	scols_table_enable_raw(tb, raw);
	scols_table_enable_noheadings(tb, nh);
	for (int c = 0; c < sp->ncols; c++)
		scols_table_new_column(tb, sp->name[c], sp->whint[c], sp->right[c] ? SCOLS_FL_RIGHT : 0);
	for (int r = 0; r < sp->nrows; r++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		for (int c = 0; c < sp->ncols; c++)
			if (sp->cell[r][c][0])
				scols_line_set_data(ln, c, sp->cell[r][c]);
	}
	if (sp->nrows)
		scols_print_table(tb);
	scols_unref_table(tb);
	fclose(m);
	return buf;
}

static char *with_tbl(const struct spec *sp, bool raw, bool nh)
{
	struct sd_report_opts o = { .raw = raw, .noheadings = nh };
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	static tbl_row_t row;
	static struct obuf ob;
	struct tbl t;

	obuf_init(&ob, m);
	tbl_init(&t, &ob, &o);
	for (int c = 0; c < sp->ncols; c++)
		tbl_add_col(&t, sp->name[c], sp->whint[c], sp->right[c]);
	for (int pass = 0; pass < 2; pass++)
		for (int r = 0; r < sp->nrows; r++) {
			for (int c = 0; c < sp->ncols; c++)
				snprintf(row[c], TBL_CELL, "%s", sp->cell[r][c]);
			if (pass && r % 2) {
				/* the mapping rows' path: lengths given */
				size_t len[8];

				for (int c = 0; c < sp->ncols; c++)
					len[c] = strlen(row[c]);
				tbl_print_len(&t, row, len);
			} else if (pass)
				tbl_print(&t, row);
			else
				tbl_measure(&t, row);
		}
	obuf_flush(&ob);
	fclose(m);
	return buf;
}

int main(void)
{
	static struct spec sp;
	int bad = 0;

	for (unsigned seed = 1; seed <= 2000; seed++) {
		random_spec(&sp, seed);
		for (int mode = 0; mode < 4; mode++) {
			char *a = with_scols(&sp, mode & 1, mode & 2);
			char *b = with_tbl(&sp, mode & 1, mode & 2);

			if (strcmp(a, b) && bad++ < 3)
				printf("# seed %u mode %d:\n# libsmartcols:\n%s# table.c:\n%s", seed, mode, a, b);
			free(a);
			free(b);
		}
	}
	ok("table/same-as-libsmartcols", bad == 0, "%d of 8000 tables differ", bad);
	return 0;
}
