/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One analysis of one dump, as every front end runs it: where each SMMU's
 * registers come from (a --regs file, the command line, the crashed
 * kernel's memory), then decode -> analyse -> report.  The command line
 * (src/cli) and the crash extension (src/crash) fill a struct sd_session
 * from their options and call the same steps, so they print the same
 * report; they differ only in how the dump is opened, where the kernel's
 * types come from, and where messages go.
 */
#ifndef SD_SESSION_H
#define SD_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dump.h"
#include "kernel.h"
#include "report.h"
#include "sd_parse.h"
#include "smmu_regs.h"

/* Exit statuses, as smmu-strtab-dump(1) EXIT STATUS and --help list them;
 * the crash extension says the same in words. */
#define SD_EXIT_CLEAN		0
#define SD_EXIT_FINDINGS	1	/* decoded, with findings that need attention */
#define SD_EXIT_TROUBLE		2	/* bad usage, unreadable register file or dump */
#define SD_EXIT_NO_LIVE		3	/* --capture-regs refused or impossible */
#define SD_EXIT_INCOMPLETE	4	/* out of memory, or the output could not be written */

struct sd_session {
	/* --- set by the front end --- */
	const char *vmcore;		/* the dump's name, for the report and messages */
	const char *regs_file;		/* --regs */
	bool have_base;			/* --strtab-base/--strtab-base-cfg */
	uint64_t base, cfg;
	bool no_kernel;			/* --no-kernel */
	bool no_debuginfod;		/* --no-debuginfod */
	const char *vmlinux;		/* a DWARF vmlinux, NULL: look for one */
	const struct sd_khost *host;	/* given types and symbols (crash), or NULL */
	const char *sid_list;		/* -s */
	bool json;			/* -J */
	struct sd_report_opts ro;
	FILE *out;			/* the report */
	FILE *msg;			/* messages, each "PROG: ...\n" */
	const char *prog;

	/* --- the register sources (sd_session_* fill them) --- */
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
	struct sd_sidset sids;
	/* in the capture kernel without live registers: the driver that owns
	 * each SMMU there (matched to an SMMU by its MMIO base) */
	struct sd_live_owner *owners;
	size_t nowners;
};

/* "PROG: " + the message on s->msg. */
void sd_session_msg(const struct sd_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The exit status of a step that failed with @st: SD_EXIT_INCOMPLETE when
 * out of memory, SD_EXIT_TROUBLE otherwise. */
int sd_session_failed(enum sd_status st);
/* The exit status once the output is all written: SD_EXIT_INCOMPLETE, with
 * one message, when writing s->out failed or an allocation failed on the
 * way (sd_note_alloc_failure); @rc otherwise. */
int sd_session_finish(const struct sd_session *s, int rc);
/* -s LIST into s->sids.  An exit status. */
int sd_session_sids(struct sd_session *s);
/* --regs and --strtab-base/--strtab-base-cfg.  An exit status. */
int sd_session_user_regs(struct sd_session *s);
/* The crashed kernel's view (unless no_kernel), with s->host's types when
 * given; never fails, the reason is kept in s->kernel_why. */
void sd_session_kernel(struct sd_session *s, struct sd_dump *dump);
/* The kernel's registers when none were given; an exit status with a
 * message when there are no registers at all. */
int sd_session_resolve(struct sd_session *s);
/* decode -> analyse -> report on s->out.  An exit status. */
int sd_session_report(struct sd_session *s, struct sd_dump *dump);
/* Everything after the options on an open dump: the steps above in order. */
int sd_session_run(struct sd_session *s, struct sd_dump *dump);
void sd_session_free(struct sd_session *s);

#endif
