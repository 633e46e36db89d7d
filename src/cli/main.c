// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * smmu-strtab-dump: the command line's driver (options -> live registers
 * -> open dump -> the session: register sources, decode, analyse, report)
 * and its exit status.  Options are in options.c, the live capture in
 * sources.c, the session in src/session (shared with the crash extension).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli-priv.h"
#include "sd_cleanup.h"

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

static void dump_closep(struct sd_dump **d)
{
	if (*d)
		sd_dump_close(*d);
}

/* The session's inputs from the command line (src/session runs it). */
static void session_from_cli(const struct cli *c, struct sd_session *s)
{
	s->vmcore = c->vmcore;
	s->regs_file = c->regs_file;
	s->have_base = c->have_base;
	s->base = c->base;
	s->cfg = c->cfg;
	s->no_kernel = c->no_kernel;
	s->no_debuginfod = c->no_debuginfod;
	s->vmlinux = c->debuginfo ? c->debuginfo : c->vmlinux;
	s->sid_list = c->sid_list;
	s->json = c->json;
	s->ro = c->ro;
	s->out = stdout;
	s->msg = stderr;
	s->prog = "smmu-strtab-dump";
}

/* Everything after the options; every resource is released on return. */
static int run(const struct cli *c)
{
	struct sd_session s SD_CLEANUP(sd_session_free) = {0};
	struct sd_dump *dump SD_CLEANUP(dump_closep) = NULL;
	struct sd_error err = {0};
	int rc;

	session_from_cli(c, &s);
	if (c->list_columns) {
		sd_report_list_columns(stdout);
		return sd_session_finish(&s, EXIT_CLEAN);
	}
	if (c->capture) {
		rc = sources_capture(c, &s);
		if (rc != EXIT_CLEAN || !c->vmcore)
			return rc;
	}
	if (c->timeout) {
		signal(SIGALRM, on_alarm);
		alarm(c->timeout);
	}
	if ((rc = sd_session_sids(&s)) != EXIT_CLEAN ||
	    (rc = sd_session_user_regs(&s)) != EXIT_CLEAN)
		return rc;
	/* The dump layer's messages name the dump. */
	if (open_dump(c->vmcore, &dump, &err) != SD_OK) {
		sd_session_msg(&s, "%s", err.msg);
		return sd_session_failed(err.status);
	}
	if (bench_pages)
		sd_dump_set_trace(dump, bench_pages);
	/* The crashed kernel's own view: SMMUs, devices, queues, crashkernel. */
	sd_session_kernel(&s, dump);
	sources_pci(c, &s);
	sources_owner(c, &s);
	if ((rc = sd_session_resolve(&s)) != EXIT_CLEAN)
		return rc;
	return sd_session_report(&s, dump);
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
	/* A report that could not be written is no report: run() says so
	 * (sd_session_finish) with EXIT_INCOMPLETE. */
	rc = run(&c);
	if (bench_pages)
		fclose(bench_pages);
	return rc;
}
