// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * smmu-strtab-dump: the driver of the one-way data path
 * (options -> register sources -> open dump -> decode -> analyse -> report)
 * and its exit status.  Options are in options.c, register sources in
 * sources.c.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "analysis.h"
#include "cli-priv.h"
#include "match.h"
#include "model.h"
#include "sd_cleanup.h"
#include "sd_parse.h"

/* Narrowest terminal the text report adapts to; below it, 80 columns. */
#define MIN_WIDTH	60
#define DEFAULT_WIDTH	80

static void on_alarm(int sig)
{
	(void)sig;
	sd_timed_out = 1;
}

static void note(const char *msg)
{
	fprintf(stderr, "smmu-strtab-dump: note: %s\n", msg);
}

/* Open the dump; its diagnostics go to standard error as notes, also when
 * the open fails (they may say why). */
static enum sd_status open_dump(const char *path, struct sd_dump **dump, struct sd_error *err)
{
	struct sd_diags diags = {0};
	enum sd_status st = sd_dump_open(path, dump, &diags, err);

	for (size_t i = 0; i < diags.n; i++)
		note(diags.v[i].msg);
	sd_diags_free(&diags);
	if (st != SD_OK)
		*dump = NULL;
	return st;
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

static void sources_freep(struct sources *s)
{
	sources_free(s);
}

static void dump_closep(struct sd_dump **d)
{
	if (*d)
		sd_dump_close(*d);
}

/*
 * decode -> analyse -> report: each SMMU of @src decoded from @dump,
 * analysed with what the crashed kernel knew, then the report.  Returns the
 * exit status.  Kept as one piece: the streaming pipeline replaces it.
 */
static int run_pipeline(const struct cli *c, struct sd_dump *dump, const struct sources *src,
			const struct sd_sidset *sids)
{
	struct sd_error err = {0};
	struct sd_smmu *smmus = NULL;
	struct sd_range *ram sd_autofree = NULL;	/* the dump's memory map */
	size_t nram = 0;
	const struct sd_regs *regs = src->regs;
	size_t nregs = src->nregs;
	const struct sd_kernel_result *kres = src->have_kres ? &src->kres : NULL;
	int rc = EXIT_CLEAN;

	smmus = calloc(nregs, sizeof(*smmus));
	if (!smmus || sd_dump_ram_ranges(dump, &ram, &nram, &err) != SD_OK) {
		rc = EXIT_TROUBLE;
		goto out;
	}
	{
		const struct sd_dump_info *di = sd_dump_info(dump);
		struct sd_mem mem = { dump_mem_read, dump };
		struct sd_decode_opts dopt = {
			/* Always walk: the verdicts need the mappings; -m only shows them. */
			.mappings = true,
			.sids = c->sid_list ? sids : NULL,
			.zero_pages_excluded = di->zero_pages_excluded,
			.dump_level = di->dump_level,
		};
		struct sd_report rep = { c->vmcore, di, smmus, nregs, &c->ro,
					 kres, src->kernel_why };

		for (size_t i = 0; i < nregs; i++) {
			const struct sd_ksmmu *ks = kres ? sd_kernel_match(kres, &regs[i]) : NULL;

			smmus[i].regs = regs[i];
			smmus[i].crashed = src->crashed ?
				sd_regs_match(src->crashed, src->ncrashed, &regs[i]) : NULL;
			smmus[i].source = !src->per_smmu ? src->source : ks ? ks->source : SD_SRC_KERNEL;
			if (ks)
				sd_regs_add_kernel_queues(&smmus[i].regs, ks);
			if (sd_decode_smmu(&smmus[i], &mem, &dopt, &err) != SD_OK) {
				fprintf(stderr, "smmu-strtab-dump: %s\n", err.msg);
				rc = EXIT_TROUBLE;
				goto out;
			}
			sd_analysis_bind(&smmus[i], ks, kres);
			sd_analysis_dump_ram(&smmus[i], ram, nram);
		}
		/* The report drives the walks: a first pass analyses every stream
		 * (keeping per-SMMU summaries only), later passes print them. */
		if ((c->json ? sd_report_json(stdout, &rep, &err)
			     : sd_report_text(stdout, &rep, &err)) != SD_OK) {
			fprintf(stderr, "smmu-strtab-dump: %s\n", err.msg);
			rc = EXIT_TROUBLE;
		}
		for (size_t i = 0; i < nregs && rc != EXIT_TROUBLE; i++)
			if (sd_smmu_needs_attention(&smmus[i]))
				rc = EXIT_FINDINGS;
	}
out:
	for (size_t i = 0; smmus && i < nregs; i++)
		sd_smmu_free(&smmus[i]);
	free(smmus);
	return rc;
}

/* Everything after the options; every resource is released on return. */
static int run(const struct cli *c)
{
	struct sources src SD_CLEANUP(sources_freep) = {0};
	struct sd_dump *dump SD_CLEANUP(dump_closep) = NULL;
	struct sd_sidset sids SD_CLEANUP(sd_sidset_free) = {0};
	struct sd_error err = {0};
	int rc;

	if (c->list_columns) {
		sd_report_list_columns(stdout);
		return EXIT_CLEAN;
	}
	if (c->capture) {
		rc = sources_capture(c, &src);
		if (rc != EXIT_CLEAN || !c->vmcore)
			return rc;
	}
	if (c->timeout) {
		signal(SIGALRM, on_alarm);
		alarm(c->timeout);
	}
	if (c->sid_list && sd_sidset_parse(&sids, c->sid_list, &err) != SD_OK) {
		fprintf(stderr, "smmu-strtab-dump: %s\n", err.msg);
		return EXIT_TROUBLE;
	}
	if ((rc = sources_user(c, &src)) != EXIT_CLEAN)
		return rc;
	if (open_dump(c->vmcore, &dump, &err) != SD_OK) {
		fprintf(stderr, "smmu-strtab-dump: %s: %s\n", c->vmcore, err.msg);
		return EXIT_TROUBLE;
	}
	if (bench_pages)
		sd_dump_set_trace(dump, bench_pages);
	/* The crashed kernel's own view: SMMUs, devices, queues, crashkernel. */
	sources_kernel(c, dump, &src);
	sources_pci(c, &src);
	if ((rc = sources_resolve(c, &src)) != EXIT_CLEAN)
		return rc;
	return run_pipeline(c, dump, &src, &sids);
}

int main(int argc, char **argv)
{
	struct cli c = {0};
	struct winsize ws;
	int rc;

	cli_parse(argc, argv, &c);
	c.ro.width = DEFAULT_WIDTH;
	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= MIN_WIDTH)
		c.ro.width = ws.ws_col;
	if (getenv("SD_BENCH_PAGES"))
		bench_pages = fopen(getenv("SD_BENCH_PAGES"), "we");
	rc = run(&c);
	/* A report that could not be written is no report. */
	if (fflush(stdout) == EOF)
		rc = EXIT_TROUBLE;
	if (bench_pages)
		fclose(bench_pages);
	return rc;
}
