/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the files of src/cli only: the parsed command line
 * (options.c), the register sources (sources.c) and exit statuses.
 */
#ifndef SD_CLI_PRIV_H
#define SD_CLI_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dump.h"
#include "kernel.h"
#include "report.h"
#include "session.h"
#include "smmu_regs.h"

/* Exit statuses, as smmu-strtab-dump(1) EXIT STATUS and --help list them
 * (session.h). */
#define EXIT_CLEAN	SD_EXIT_CLEAN
#define EXIT_FINDINGS	SD_EXIT_FINDINGS
#define EXIT_TROUBLE	SD_EXIT_TROUBLE
#define EXIT_NO_LIVE	SD_EXIT_NO_LIVE
#define EXIT_INCOMPLETE	SD_EXIT_INCOMPLETE

struct cli {
	const char *vmcore, *vmlinux;
	bool have_base, have_cfg;
	uint64_t base, cfg;
	const char *regs_file;
	bool json, list_columns;
	bool capture;
	const char *capture_file;	/* NULL: standard output */
	unsigned timeout;
	const char *debuginfo;
	bool no_kernel;
	bool no_debuginfod;
	const char *sid_list;
	struct sd_report_opts ro;
};

/* options.c: parse argv into @c; a usage error exits with EXIT_TROUBLE. */
void cli_parse(int argc, char **argv, struct cli *c);

/*
 * sources.c: --capture-regs reads the live registers into @s (they come
 * first; the session's other register sources are in src/session) and
 * writes them to the capture file (or standard output without a VMCORE).
 * An exit status.
 */
int sources_capture(const struct cli *c, struct sd_session *s);
/* The live PCI_COMMAND bus-master bits, in the capture kernel only. */
void sources_pci(const struct cli *c, struct sd_session *s);
/* The capture kernel's driver of each SMMU, without live registers. */
void sources_owner(const struct cli *c, struct sd_session *s);

#endif
