// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command line (argp): options into one struct cli.
 */
#include <argp.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-priv.h"
#include "sd_parse.h"

const char *argp_program_version = "smmu-strtab-dump " SD_VERSION;
const char *argp_program_bug_address = NULL;

/* Longest --timeout: a day.  A decode that needs more has a problem. */
#define TIMEOUT_MAX	86400

enum {
	OPT_STRTAB_BASE = 0x100,
	OPT_STRTAB_BASE_CFG,
	OPT_REGS,
	OPT_LIST_COLUMNS,
	OPT_CAPTURE_REGS,
	OPT_TIMEOUT,
	OPT_DEBUGINFO,
	OPT_NO_KERNEL,
	OPT_NO_DEBUGINFOD,
};

static const struct argp_option options[] = {
	{ NULL, 0, NULL, 0, "Registers:", 1 },
	{ "strtab-base", OPT_STRTAB_BASE, "VALUE", 0,
	  "SMMU_STRTAB_BASE as the hardware holds it (0x... or decimal)", 1 },
	{ "strtab-base-cfg", OPT_STRTAB_BASE_CFG, "VALUE", 0,
	  "SMMU_STRTAB_BASE_CFG as the hardware holds it", 1 },
	{ "regs", OPT_REGS, "FILE", 0,
	  "register snapshot of one or more SMMUs (see REGISTER FILE in the man page)", 1 },
	{ "capture-regs", OPT_CAPTURE_REGS, "FILE", OPTION_ARG_OPTIONAL,
	  "read the live SMMU registers (capture kernel) and write them in the --regs format to FILE or standard output", 1 },
	{ "debuginfo", OPT_DEBUGINFO, "PATH", 0,
	  "vmlinux with DWARF of the crashed kernel (same as the VMLINUX argument)", 1 },
	{ "no-debuginfod", OPT_NO_DEBUGINFOD, NULL, 0,
	  "never fetch debuginfo (vmlinux, the arm_smmu_v3 module) from the servers of $DEBUGINFOD_URLS", 1 },
	{ "no-kernel", OPT_NO_KERNEL, NULL, 0,
	  "do not read the crashed kernel's structures (no device names, no crashkernel check)", 1 },
	{ NULL, 0, NULL, 0, "Selection and detail:", 2 },
	{ "all", 'a', NULL, 0, "list every valid STE, abort ones included", 2 },
	{ "mappings", 'm', NULL, 0, "walk the IO page tables; show coalesced IOVA->PA ranges", 2 },
	{ "sid", 's', "LIST", 0, "only these StreamIDs, e.g. 0x10,0x100-0x1ff", 2 },
	{ "verbose", 'v', NULL, 0, "full field decode; twice (-vv) adds raw dwords", 2 },
	{ NULL, 0, NULL, 0, "Output:", 3 },
	{ "json", 'J', NULL, 0, "JSON output (schema_version 4)", 3 },
	{ "output", 'o', "LIST", 0, "columns of the STE table (+LIST appends to the default)", 3 },
	{ "raw", 'r', NULL, 0, "raw table output", 3 },
	{ "noheadings", 'n', NULL, 0, "no table headings", 3 },
	{ "list-columns", OPT_LIST_COLUMNS, NULL, 0, "list the columns -o accepts", 3 },
	{ "timeout", OPT_TIMEOUT, "SECONDS", 0,
	  "stop decoding after SECONDS and report what was found so far", 3 },
	{ 0 }
};

/* The options that take a number. */
static void parse_number(int key, const char *arg, struct argp_state *state, struct cli *c)
{
	struct sd_error err = {0};
	uint64_t t;

	switch (key) {
	case OPT_STRTAB_BASE:
		if (sd_parse_u64(arg, &c->base, &err) != SD_OK)
			argp_error(state, "--strtab-base: %s", err.msg);
		c->have_base = true;
		break;
	case OPT_STRTAB_BASE_CFG:
		if (sd_parse_u64(arg, &c->cfg, &err) != SD_OK)
			argp_error(state, "--strtab-base-cfg: %s", err.msg);
		if (c->cfg > UINT32_MAX)
			argp_error(state, "--strtab-base-cfg: 0x%llx is wider than the 32-bit register",
				   (unsigned long long)c->cfg);
		c->have_cfg = true;
		break;
	case OPT_TIMEOUT:
		if (sd_parse_u64(arg, &t, &err) != SD_OK || t == 0 || t > TIMEOUT_MAX)
			argp_error(state, "--timeout: '%s' is not a number of seconds (1..%u)",
				   arg, TIMEOUT_MAX);
		c->timeout = t;
		break;
	}
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct cli *c = state->input;
	struct sd_error err = {0};

	switch (key) {
	case OPT_STRTAB_BASE:
	case OPT_STRTAB_BASE_CFG:
	case OPT_TIMEOUT:
		parse_number(key, arg, state, c);
		break;
	case OPT_REGS: c->regs_file = arg; break;
	case OPT_DEBUGINFO: c->debuginfo = arg; break;
	case OPT_NO_KERNEL: c->no_kernel = true; break;
	case OPT_NO_DEBUGINFOD: c->no_debuginfod = true; break;
	case 'a': c->ro.all = true; break;
	case 'm': c->ro.mappings = true; break;
	case 's': c->sid_list = arg; break;
	case 'v': c->ro.verbose++; break;
	case 'J': c->json = true; break;
	case 'o':
		if (sd_report_check_columns(arg, &err) != SD_OK)
			argp_error(state, "--output: %s", err.msg);
		c->ro.columns = arg;
		break;
	case 'r': c->ro.raw = true; break;
	case 'n': c->ro.noheadings = true; break;
	case OPT_LIST_COLUMNS: c->list_columns = true; break;
	case OPT_CAPTURE_REGS:
		c->capture = true;
		c->capture_file = arg;
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num == 0)
			c->vmcore = arg;
		else if (state->arg_num == 1)
			c->vmlinux = arg;
		else
			argp_error(state, "too many arguments");
		break;
	case ARGP_KEY_END:
		if (!c->vmcore && !c->list_columns && !c->capture)
			argp_error(state, "no VMCORE given");
		if (c->have_base != c->have_cfg)
			argp_error(state, "--strtab-base and --strtab-base-cfg go together");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* The exit statuses are those of smmu-strtab-dump(1), EXIT STATUS. */
static const struct argp argp = {
	options, parse_opt, "VMCORE [VMLINUX]",
	"Decode the Arm SMMUv3 stream tables, context descriptors and IO page "
	"tables held in a Linux crash dump, and report which devices could "
	"master DMA.\v"
	"Exit status:\n"
	"  0  decoded; nothing needs attention\n"
	"  1  decoded, with findings that need attention (a device that can\n"
	"     bypass the SMMU, a mapping over the crash-kernel reservation,\n"
	"     STEs the SMMU would reject, problems in the tables)\n"
	"  2  bad usage, an unreadable register file, or an unreadable dump\n"
	"  3  --capture-regs could not read the live registers; nothing was\n"
	"     analysed\n"
	"  4  out of memory, or the output could not be written: the report\n"
	"     is incomplete\n"
	"See smmu-strtab-dump(1).",
	NULL, NULL, NULL
};

void cli_parse(int argc, char **argv, struct cli *c)
{
	error_t e;

	argp_err_exit_status = EXIT_TROUBLE;	/* usage errors: 2, as documented */
	/* argp exits by itself on a usage error; what it returns is its own
	 * failure, in practice ENOMEM (the options then half parsed). */
	e = argp_parse(&argp, argc, argv, 0, NULL, c);
	if (e) {
		fprintf(stderr, "smmu-strtab-dump: cannot parse the options: %s\n", strerror(e));
		exit(e == ENOMEM ? EXIT_INCOMPLETE : EXIT_TROUBLE);
	}
}
