// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * smmu-strtab-dump: command line (argp), the one-way data path
 * (open dump -> registers -> decode -> report), and exit codes.
 */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "live.h"
#include "model.h"
#include "regs.h"
#include "report.h"

#define EXIT_CLEAN	0
#define EXIT_FINDINGS	1
#define EXIT_TROUBLE	2

const char *argp_program_version = "smmu-strtab-dump " SD_VERSION;
const char *argp_program_bug_address = NULL;

enum {
	OPT_STRTAB_BASE = 0x100,
	OPT_STRTAB_BASE_CFG,
	OPT_REGS,
	OPT_LIST_COLUMNS,
	OPT_CAPTURE_REGS,
	OPT_TIMEOUT,
};

struct cli {
	const char *vmcore, *vmlinux;
	bool have_base, have_cfg;
	uint64_t base, cfg;
	const char *regs_file;
	bool json, list_columns;
	bool capture;
	const char *capture_file;	/* NULL: standard output */
	unsigned timeout;
	const char *sid_list;
	struct sd_report_opts ro;
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
	{ NULL, 0, NULL, 0, "Selection and detail:", 2 },
	{ "all", 'a', NULL, 0, "list every valid STE, abort ones included", 2 },
	{ "mappings", 'm', NULL, 0, "walk the IO page tables; show coalesced IOVA->PA ranges", 2 },
	{ "sid", 's', "LIST", 0, "only these StreamIDs, e.g. 0x10,0x100-0x1ff", 2 },
	{ "verbose", 'v', NULL, 0, "full field decode; twice (-vv) adds raw dwords", 2 },
	{ NULL, 0, NULL, 0, "Output:", 3 },
	{ "json", 'J', NULL, 0, "JSON output (schema_version 1)", 3 },
	{ "output", 'o', "LIST", 0, "columns of the STE table (+LIST appends to the default)", 3 },
	{ "raw", 'r', NULL, 0, "raw table output", 3 },
	{ "noheadings", 'n', NULL, 0, "no table headings", 3 },
	{ "list-columns", OPT_LIST_COLUMNS, NULL, 0, "list the columns -o accepts", 3 },
	{ "timeout", OPT_TIMEOUT, "SECONDS", 0,
	  "stop decoding after SECONDS and report what was found so far", 3 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct cli *c = state->input;
	struct sd_error err = {0};

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
	case OPT_REGS: c->regs_file = arg; break;
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
	case OPT_TIMEOUT: {
		uint64_t t;

		if (sd_parse_u64(arg, &t, &err) != SD_OK || t == 0 || t > 86400)
			argp_error(state, "--timeout: '%s' is not a number of seconds (1..86400)", arg);
		c->timeout = t;
		break;
	}
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

static const struct argp argp = {
	options, parse_opt, "VMCORE [VMLINUX]",
	"Decode the Arm SMMUv3 stream tables, context descriptors and IO page "
	"tables held in a Linux crash dump, and report which devices could "
	"master DMA.\v"
	"Exit status: 0 clean, 1 decoded with findings that need attention, "
	"2 bad usage or unreadable dump.  See smmu-strtab-dump(1).",
	NULL, NULL, NULL
};

static void on_alarm(int sig)
{
	(void)sig;
	sd_timed_out = 1;
}

/*
 * --capture-regs: read the live registers and write them in the --regs
 * format to the file (or standard output when there is no VMCORE to
 * analyse).  On success *regs holds them for the analysis.
 */
static int capture_regs(const struct cli *c, struct sd_regs **regs, size_t *n)
{
	struct sd_error err = {0};
	FILE *f = NULL;

	if (sd_live_capture(regs, n, &err) != SD_OK) {
		fprintf(stderr, "smmu-strtab-dump: --capture-regs: %s\n", err.msg);
		return EXIT_TROUBLE;
	}
	if (c->capture_file)
		f = fopen(c->capture_file, "we");
	else if (!c->vmcore)
		f = stdout;
	if (c->capture_file && !f) {
		fprintf(stderr, "smmu-strtab-dump: %s: %s\n", c->capture_file, strerror(errno));
		return EXIT_TROUBLE;
	}
	if (!f)
		return EXIT_CLEAN;
	sd_regs_write(f, *regs, *n);
	if ((f == stdout ? fflush(f) : fclose(f)) == EOF) {
		fprintf(stderr, "smmu-strtab-dump: writing the register snapshot failed\n");
		return EXIT_TROUBLE;
	}
	return EXIT_CLEAN;
}

static void note(const char *msg)
{
	fprintf(stderr, "smmu-strtab-dump: note: %s\n", msg);
}

/*
 * For the benchmark (tests/bench): with SD_BENCH_PAGES=FILE set, the
 * physical pages the decode touched are written there, so that a reader
 * that does nothing but fetch those pages gives the lower bound.
 */
static FILE *bench_pages;

static enum sd_status dump_mem_read(void *ctx, uint64_t addr, void *buf, size_t len,
				    struct sd_error *err)
{
	if (bench_pages && len)
		fprintf(bench_pages, "%llx %zx\n", (unsigned long long)addr, len);
	return sd_dump_read_phys(ctx, addr, buf, len, err);
}

int main(int argc, char **argv)
{
	struct cli c = {0};
	struct sd_error err = {0};
	struct sd_dump *dump = NULL;
	struct sd_regs *regs = NULL;
	size_t nregs = 0;
	struct sd_smmu *smmus = NULL;
	struct sd_sidset sids = {0};
	int rc = EXIT_CLEAN;
	const char *source = "options";

	argp_parse(&argp, argc, argv, 0, NULL, &c);
	if (getenv("SD_BENCH_PAGES"))
		bench_pages = fopen(getenv("SD_BENCH_PAGES"), "we");
	if (c.list_columns) {
		sd_report_list_columns(stdout);
		return EXIT_CLEAN;
	}
	if (c.capture) {
		rc = capture_regs(&c, &regs, &nregs);
		if (rc != EXIT_CLEAN || !c.vmcore)
			goto out;
		source = "live";
	}
	if (c.timeout) {
		signal(SIGALRM, on_alarm);
		alarm(c.timeout);
	}
	if (c.sid_list && sd_sidset_parse(&sids, c.sid_list, &err) != SD_OK) {
		fprintf(stderr, "smmu-strtab-dump: %s\n", err.msg);
		return EXIT_TROUBLE;
	}
	if (c.regs_file && !nregs) {
		if (sd_regs_parse_file(c.regs_file, &regs, &nregs, &err) != SD_OK) {
			fprintf(stderr, "smmu-strtab-dump: %s\n", err.msg);
			rc = EXIT_TROUBLE;
			goto out;
		}
	}
	if (c.have_base) {
		/* The command-line registers override the file's first SMMU. */
		if (!nregs) {
			regs = calloc(1, sizeof(*regs));
			if (!regs) {
				rc = EXIT_TROUBLE;
				goto out;
			}
			nregs = 1;
			snprintf(regs[0].name, sizeof(regs[0].name), "smmu0");
		}
		regs[0].val[SD_REG_STRTAB_BASE] = c.base;
		regs[0].have[SD_REG_STRTAB_BASE] = true;
		regs[0].val[SD_REG_STRTAB_BASE_CFG] = c.cfg;
		regs[0].have[SD_REG_STRTAB_BASE_CFG] = true;
	}
	if (!nregs) {
		fprintf(stderr, "smmu-strtab-dump: no SMMU registers given: use --strtab-base and "
			"--strtab-base-cfg, or --regs=FILE\n");
		rc = EXIT_TROUBLE;
		goto out;
	}
	if (sd_dump_open(c.vmcore, &dump, note, &err) != SD_OK) {
		fprintf(stderr, "smmu-strtab-dump: %s: %s\n", c.vmcore, err.msg);
		rc = EXIT_TROUBLE;
		goto out;
	}
	smmus = calloc(nregs, sizeof(*smmus));
	if (!smmus) {
		rc = EXIT_TROUBLE;
		goto out;
	}
	{
		const struct sd_dump_info *di = sd_dump_info(dump);
		struct sd_mem mem = { dump_mem_read, dump };
		struct sd_decode_opts dopt = {
			/* Always walk: the verdicts need the mappings; -m only shows them. */
			.mappings = true,
			.sids = c.sid_list ? &sids : NULL,
			.zero_pages_excluded = di->zero_pages_excluded,
			.dump_level = di->dump_level,
		};
		struct sd_report rep = { c.vmcore, di, smmus, nregs, &c.ro, NULL };

		for (size_t i = 0; i < nregs; i++) {
			smmus[i].regs = regs[i];
			smmus[i].source = source;
			if (sd_decode_smmu(&smmus[i], &mem, &dopt, &err) != SD_OK) {
				fprintf(stderr, "smmu-strtab-dump: %s\n", err.msg);
				rc = EXIT_TROUBLE;
				goto out;
			}
			sd_analyse(&smmus[i], NULL, NULL);
			if (sd_smmu_needs_attention(&smmus[i]))
				rc = EXIT_FINDINGS;
		}
		if ((c.json ? sd_report_json(stdout, &rep, &err)
			    : sd_report_text(stdout, &rep, &err)) != SD_OK) {
			fprintf(stderr, "smmu-strtab-dump: %s\n", err.msg);
			rc = EXIT_TROUBLE;
		}
	}
out:
	if (fflush(stdout) == EOF)
		rc = EXIT_TROUBLE;
	for (size_t i = 0; smmus && i < nregs; i++)
		sd_smmu_free(&smmus[i]);
	free(smmus);
	free(regs);
	sd_sidset_free(&sids);
	if (dump)
		sd_dump_close(dump);
	if (bench_pages)
		fclose(bench_pages);
	return rc;
}
