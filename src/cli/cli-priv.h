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
#include "smmu_regs.h"

/* Exit statuses, as smmu-strtab-dump(1) EXIT STATUS and --help list them. */
#define EXIT_CLEAN	0
#define EXIT_FINDINGS	1	/* decoded, with findings that need attention */
#define EXIT_TROUBLE	2	/* bad usage, unreadable register file or dump */
#define EXIT_NO_LIVE	3	/* --capture-regs refused or impossible; nothing analysed */

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
 * sources.c: where each SMMU's registers come from, in order of
 * precedence: the live hardware (--capture-regs), the command line
 * (--strtab-base/--strtab-base-cfg, over the first SMMU of --regs), a
 * --regs file, the crashed kernel's memory.
 */
struct sources {
	struct sd_regs *regs;		/* the SMMUs to decode */
	size_t nregs;
	/* with live registers, --regs holds the crashed kernel's, to compare */
	struct sd_regs *crashed;
	size_t ncrashed;
	enum sd_reg_source source;	/* of regs, unless per_smmu */
	bool per_smmu;			/* from the kernel: each SMMU's own source */
	struct sd_kernel_result kres;
	bool have_kres;
	char kernel_why[SD_ERROR_MSG_MAX];	/* why kres is empty */
};

/* --capture-regs: read the live registers into @s and write them to the
 * capture file (or standard output without a VMCORE).  An exit status. */
int sources_capture(const struct cli *c, struct sources *s);
/* --regs and --strtab-base/--strtab-base-cfg.  An exit status. */
int sources_user(const struct cli *c, struct sources *s);
/* The crashed kernel's view (unless --no-kernel); never fails, the reason
 * is kept in s->kernel_why. */
void sources_kernel(const struct cli *c, struct sd_dump *dump, struct sources *s);
/* The live PCI_COMMAND bus-master bits, in the capture kernel only. */
void sources_pci(const struct cli *c, struct sources *s);
/* The kernel's registers when none were given; an exit status with a
 * message when there are no registers at all. */
int sources_resolve(const struct cli *c, struct sources *s);
void sources_free(struct sources *s);

#endif
