// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * smmu-strtab-dump: command line (argp), the one-way data path
 * (open dump -> registers -> decode -> report), and exit codes.
 */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <stddef.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "kernel.h"
#include "live.h"
#include "model.h"
#include "regfile.h"
#include "sd_parse.h"
#include "analysis.h"
#include "report.h"

#define EXIT_CLEAN	0
#define EXIT_FINDINGS	1
#define EXIT_TROUBLE	2
#define EXIT_NO_LIVE	3	/* --capture-regs refused or impossible; nothing analysed */

const char *argp_program_version = "smmu-strtab-dump " SD_VERSION;
const char *argp_program_bug_address = NULL;

enum {
	OPT_STRTAB_BASE = 0x100,
	OPT_STRTAB_BASE_CFG,
	OPT_REGS,
	OPT_LIST_COLUMNS,
	OPT_CAPTURE_REGS,
	OPT_TIMEOUT,
	OPT_DEBUGINFO,
	OPT_NO_KERNEL,
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
	const char *debuginfo;
	bool no_kernel;
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
	{ "debuginfo", OPT_DEBUGINFO, "PATH", 0,
	  "vmlinux with DWARF of the crashed kernel (same as the VMLINUX argument)", 1 },
	{ "no-kernel", OPT_NO_KERNEL, NULL, 0,
	  "do not read the crashed kernel's structures (no device names, no crashkernel check)", 1 },
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
	case OPT_DEBUGINFO: c->debuginfo = arg; break;
	case OPT_NO_KERNEL: c->no_kernel = true; break;
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
		return EXIT_NO_LIVE;
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

/*
 * Which SMMU of the kernel's is the one the registers describe: the same MMIO
 * base, else the same stream-table address, else the only one there is.
 */
static const struct sd_ksmmu *match_kernel(const struct sd_kernel_result *k,
					   const struct sd_regs *r)
{
	for (size_t i = 0; i < k->nsmmus; i++) {
		const struct sd_regs *kr = &k->smmus[i].regs;

		if (r->have[SD_REG_BASE] && kr->have[SD_REG_BASE] &&
		    r->val[SD_REG_BASE] == kr->val[SD_REG_BASE])
			return &k->smmus[i];
	}
	for (size_t i = 0; i < k->nsmmus; i++) {
		const struct sd_regs *kr = &k->smmus[i].regs;

		if (r->have[SD_REG_STRTAB_BASE] && kr->have[SD_REG_STRTAB_BASE] &&
		    sd_strtab_addr(r->val[SD_REG_STRTAB_BASE]) ==
		    sd_strtab_addr(kr->val[SD_REG_STRTAB_BASE]))
			return &k->smmus[i];
	}
	return k->nsmmus == 1 ? &k->smmus[0] : NULL;
}

/* The kernel's copies of the queue registers, where none were given. */
static void add_kernel_queues(struct sd_regs *r, const struct sd_ksmmu *ks)
{
	static const struct { enum sd_reg base, prod, cons; size_t off; } q[] = {
		{ SD_REG_EVTQ_BASE, SD_REG_EVTQ_PROD, SD_REG_EVTQ_CONS, offsetof(struct sd_ksmmu, evtq) },
		{ SD_REG_CMDQ_BASE, SD_REG_CMDQ_PROD, SD_REG_CMDQ_CONS, offsetof(struct sd_ksmmu, cmdq) },
		{ SD_REG_PRIQ_BASE, SD_REG_PRIQ_PROD, SD_REG_PRIQ_CONS, offsetof(struct sd_ksmmu, priq) },
	};

	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		const struct sd_kqueue *kq = (const void *)((const char *)ks + q[i].off);

		if (!kq->valid || r->have[q[i].base])
			continue;
		r->val[q[i].base] = kq->q_base;
		r->val[q[i].prod] = kq->prod;
		r->val[q[i].cons] = kq->cons;
		r->have[q[i].base] = r->have[q[i].prod] = r->have[q[i].cons] = true;
	}
	if (!r->have[SD_REG_BASE] && ks->regs.have[SD_REG_BASE]) {
		r->val[SD_REG_BASE] = ks->regs.val[SD_REG_BASE];
		r->have[SD_REG_BASE] = true;
	}
}

static void note(const char *msg)
{
	fprintf(stderr, "smmu-strtab-dump: note: %s\n", msg);
}

/*
 * For the benchmark (tests/bench): with SD_BENCH_PAGES=FILE set, every
 * physical page read is logged there, so that a reader that does nothing
 * but fetch those pages gives the lower bound.
 */
static FILE *bench_pages;

static enum sd_status dump_mem_read(void *ctx, uint64_t addr, void *buf, size_t len,
				    struct sd_error *err)
{
	return sd_dump_read_phys(ctx, addr, buf, len, err);
}

int main(int argc, char **argv)
{
	struct cli c = {0};
	struct sd_error err = {0};
	struct sd_dump *dump = NULL;
	struct sd_regs *regs = NULL, *crashed = NULL;
	size_t nregs = 0, ncrashed = 0;
	struct sd_smmu *smmus = NULL;
	struct sd_sidset sids = {0};
	int rc = EXIT_CLEAN;
	const char *source = "options";
	struct sd_kernel_result kres = {0};
	bool have_kres = false;
	char kernel_why[SD_ERROR_MSG_MAX] = "";

	argp_err_exit_status = EXIT_TROUBLE;	/* usage errors: 2, as documented */
	argp_parse(&argp, argc, argv, 0, NULL, &c);
	c.ro.width = 80;
	{
		struct winsize ws;

		if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 60)
			c.ro.width = ws.ws_col;
	}
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
	/* With live registers, --regs names the crashed kernel's, to compare with. */
	if (c.regs_file && nregs &&
	    sd_regs_parse_file(c.regs_file, &crashed, &ncrashed, &err) != SD_OK) {
		fprintf(stderr, "smmu-strtab-dump: %s\n", err.msg);
		rc = EXIT_TROUBLE;
		goto out;
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
	if (sd_dump_open(c.vmcore, &dump, note, &err) != SD_OK) {
		fprintf(stderr, "smmu-strtab-dump: %s: %s\n", c.vmcore, err.msg);
		rc = EXIT_TROUBLE;
		goto out;
	}
	if (bench_pages)
		sd_dump_set_trace(dump, bench_pages);
	/* The crashed kernel's own view: SMMUs, devices, queues, crashkernel. */
	if (!c.no_kernel) {
		struct sd_error kerr = {0};

		if (sd_kernel_find_smmus(dump, c.debuginfo ? c.debuginfo : c.vmlinux,
					 &kres, &kerr) == SD_OK) {
			have_kres = true;
		} else {
			snprintf(kernel_why, sizeof(kernel_why), "%s", kerr.msg);
			sd_kernel_result_free(&kres);
			memset(&kres, 0, sizeof(kres));
		}
	} else {
		snprintf(kernel_why, sizeof(kernel_why), "not searched (--no-kernel)");
	}
	if (!nregs && have_kres && kres.nsmmus) {
		regs = calloc(kres.nsmmus, sizeof(*regs));
		if (!regs) {
			rc = EXIT_TROUBLE;
			goto out;
		}
		for (size_t i = 0; i < kres.nsmmus; i++)
			regs[i] = kres.smmus[i].regs;
		nregs = kres.nsmmus;
		source = NULL;	/* per SMMU, from the kernel layer */
	}
	if (!nregs && sd_timed_out) {
		/* Not an unreadable dump: the time ran out first (exit 1). */
		fprintf(stderr, "smmu-strtab-dump: %s: --timeout expired before an SMMU was found\n",
			c.vmcore);
		rc = EXIT_FINDINGS;
		goto out;
	}
	if (!nregs) {
		fprintf(stderr, "smmu-strtab-dump: %s: no SMMU found in the crashed kernel (%s); "
			"give the registers with --strtab-base and --strtab-base-cfg, or --regs=FILE\n",
			c.vmcore, kernel_why[0] ? kernel_why : "no SMMUv3 instance");
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
		struct sd_report rep = { c.vmcore, di, smmus, nregs, &c.ro,
					 have_kres ? &kres : NULL, kernel_why };

		for (size_t i = 0; i < nregs; i++) {
			const struct sd_ksmmu *ks = have_kres ? match_kernel(&kres, &regs[i]) : NULL;

			smmus[i].regs = regs[i];
			smmus[i].crashed = crashed ? sd_live_match(crashed, ncrashed, &regs[i]) : NULL;
			smmus[i].source = source ? source : (ks ? ks->source : "kernel");
			if (ks)
				add_kernel_queues(&smmus[i].regs, ks);
			if (sd_decode_smmu(&smmus[i], &mem, &dopt, &err) != SD_OK) {
				fprintf(stderr, "smmu-strtab-dump: %s\n", err.msg);
				rc = EXIT_TROUBLE;
				goto out;
			}
			sd_analysis_bind(&smmus[i], ks, have_kres ? &kres : NULL);
		}
		/* The report drives the walks: a first pass analyses every stream
		 * (keeping per-SMMU summaries only), later passes print them. */
		if ((c.json ? sd_report_json(stdout, &rep, &err)
			    : sd_report_text(stdout, &rep, &err)) != SD_OK) {
			fprintf(stderr, "smmu-strtab-dump: %s\n", err.msg);
			rc = EXIT_TROUBLE;
		}
		for (size_t i = 0; i < nregs && rc != EXIT_TROUBLE; i++)
			if (sd_smmu_needs_attention(&smmus[i]))
				rc = EXIT_FINDINGS;
	}
out:
	if (fflush(stdout) == EOF)
		rc = EXIT_TROUBLE;
	for (size_t i = 0; smmus && i < nregs; i++)
		sd_smmu_free(&smmus[i]);
	free(smmus);
	free(regs);
	free(crashed);
	sd_sidset_free(&sids);
	sd_kernel_result_free(&kres);
	if (dump)
		sd_dump_close(dump);
	if (bench_pages)
		fclose(bench_pages);
	return rc;
}
