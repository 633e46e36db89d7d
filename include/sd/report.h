/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reports: render the model as text (libsmartcols) or JSON (jansson).
 * The report never reads the dump.
 */
#ifndef SD_REPORT_H
#define SD_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "dump.h"
#include "model.h"

struct sd_report_opts {
	bool all;		/* -a: every valid STE */
	int verbose;		/* -v, -vv */
	bool mappings;		/* -m */
	bool raw;		/* -r */
	bool noheadings;	/* -n */
	const char *columns;	/* -o; NULL for the default set */
	unsigned width;		/* wrap free text here: the terminal's, else 80 */
};

struct sd_report {
	const char *path;
	const struct sd_dump_info *dump;	/* may be NULL */
	struct sd_smmu *smmus;
	size_t nsmmus;
	const struct sd_report_opts *opts;
	const struct sd_kernel_result *kernel;	/* NULL when not found */
	const char *kernel_why;			/* why not, when NULL */
};

enum sd_status sd_report_text(FILE *out, const struct sd_report *r, struct sd_error *err);
enum sd_status sd_report_json(FILE *out, const struct sd_report *r, struct sd_error *err);

/* Column names for -o, and a check of a user's list. */
void sd_report_list_columns(FILE *out);
enum sd_status sd_report_check_columns(const char *list, struct sd_error *err);

#endif
