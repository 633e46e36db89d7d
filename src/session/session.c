// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One analysis of one dump (include/sd/session.h): the register sources in
 * order of precedence (the command line over the first SMMU of a --regs
 * file, a --regs file, the crashed kernel's memory), then decode ->
 * analyse -> report.  Shared by the command line and the crash extension,
 * so that both print the same report from the same dump.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "match.h"
#include "model.h"
#include "regfile.h"
#include "sd_cleanup.h"
#include "session.h"

void sd_session_msg(const struct sd_session *s, const char *fmt, ...)
{
	va_list ap;

	fprintf(s->msg, "%s: ", s->prog);
	va_start(ap, fmt);
	vfprintf(s->msg, fmt, ap);
	va_end(ap);
	fputc('\n', s->msg);
}

int sd_session_failed(enum sd_status st)
{
	return st == SD_ERR_NOMEM ? SD_EXIT_INCOMPLETE : SD_EXIT_TROUBLE;
}

int sd_session_finish(const struct sd_session *s, int rc)
{
	int e;

	if (rc == SD_EXIT_INCOMPLETE)
		return rc;	/* already said */
	errno = 0;
	if (fflush(s->out) == EOF || ferror(s->out)) {
		e = errno;
		sd_session_msg(s, "cannot write the output%s%s", e ? ": " : "",
			       e ? strerror(e) : "");
		return SD_EXIT_INCOMPLETE;
	}
	if (sd_alloc_failed()) {
		sd_session_msg(s, "out of memory: the output is incomplete");
		return SD_EXIT_INCOMPLETE;
	}
	return rc;
}

int sd_session_sids(struct sd_session *s)
{
	struct sd_error err = {0};

	if (s->sid_list && sd_sidset_parse(&s->sids, s->sid_list, &err) != SD_OK) {
		sd_session_msg(s, "%s", err.msg);
		return sd_session_failed(err.status);
	}
	return SD_EXIT_CLEAN;
}

int sd_session_user_regs(struct sd_session *s)
{
	struct sd_error err = {0};

	/* With live registers, --regs names the crashed kernel's, to compare with. */
	if (s->regs_file &&
	    (s->nregs ? sd_regs_parse_file(s->regs_file, &s->crashed, &s->ncrashed, &err)
		      : sd_regs_parse_file(s->regs_file, &s->regs, &s->nregs, &err)) != SD_OK) {
		sd_session_msg(s, "%s", err.msg);
		return sd_session_failed(err.status);
	}
	if (!s->have_base)
		return SD_EXIT_CLEAN;
	/* The command-line registers override the file's first SMMU. */
	if (!s->nregs) {
		s->regs = calloc(1, sizeof(*s->regs));
		if (!s->regs) {
			sd_session_msg(s, "out of memory");
			return SD_EXIT_INCOMPLETE;
		}
		s->nregs = 1;
		snprintf(s->regs[0].name, sizeof(s->regs[0].name), "smmu0");
	}
	s->regs[0].val[SD_REG_STRTAB_BASE] = s->base;
	s->regs[0].have[SD_REG_STRTAB_BASE] = true;
	s->regs[0].val[SD_REG_STRTAB_BASE_CFG] = s->cfg;
	s->regs[0].have[SD_REG_STRTAB_BASE_CFG] = true;
	return SD_EXIT_CLEAN;
}

void sd_session_kernel(struct sd_session *s, struct sd_dump *dump)
{
	struct sd_error kerr = {0};
	enum sd_status st;

	if (s->no_kernel) {
		snprintf(s->kernel_why, sizeof(s->kernel_why), "not searched (--no-kernel)");
		return;
	}
	sd_kernel_set_debuginfod(!s->no_debuginfod);
	st = s->host ? sd_kernel_find_smmus_given(dump, s->host, &s->kres, &kerr)
		     : sd_kernel_find_smmus(dump, s->vmlinux, &s->kres, &kerr);
	if (st == SD_OK) {
		s->have_kres = true;
	} else {
		/* Reported without the kernel's view, but not as if whole. */
		if (kerr.status == SD_ERR_NOMEM)
			sd_note_alloc_failure();
		snprintf(s->kernel_why, sizeof(s->kernel_why), "%s", kerr.msg);
		/* The message holds only the first notes (sd_kernel_find_smmus):
		 * -v gives them all, one per line, before they are freed. */
		for (size_t i = 0; s->ro.verbose && i < s->kres.diags.n; i++)
			sd_session_msg(s, "kernel: %s", s->kres.diags.v[i].msg);
		sd_kernel_result_free(&s->kres);
		memset(&s->kres, 0, sizeof(s->kres));
	}
}

int sd_session_resolve(struct sd_session *s)
{
	if (!s->nregs && s->have_kres && s->kres.nsmmus) {
		s->regs = calloc(s->kres.nsmmus, sizeof(*s->regs));
		if (!s->regs) {
			sd_session_msg(s, "out of memory");
			return SD_EXIT_INCOMPLETE;
		}
		for (size_t i = 0; i < s->kres.nsmmus; i++)
			s->regs[i] = s->kres.smmus[i].regs;
		s->nregs = s->kres.nsmmus;
		s->per_smmu = true;	/* each from the kernel layer's source */
	}
	if (!s->nregs && sd_timed_out) {
		/* Not an unreadable dump: the time ran out first (exit 1). */
		sd_session_msg(s, "%s: --timeout expired before an SMMU was found", s->vmcore);
		return SD_EXIT_FINDINGS;
	}
	if (!s->nregs) {
		sd_session_msg(s, "%s: no SMMU found in the crashed kernel (%s); "
			       "give the registers with --strtab-base and --strtab-base-cfg, or --regs=FILE",
			       s->vmcore, s->kernel_why[0] ? s->kernel_why : "no SMMUv3 instance");
		return SD_EXIT_TROUBLE;
	}
	return SD_EXIT_CLEAN;
}

static enum sd_status dump_mem_read(void *ctx, uint64_t addr, void *buf, size_t len,
				    struct sd_error *err)
{
	return sd_dump_read_phys(ctx, addr, buf, len, err);
}

/* Decode SMMU @i of @s from @mem and bind what the kernel knew of it. */
static enum sd_status decode_one(const struct sd_session *s, size_t i, struct sd_smmu *smmu,
				 const struct sd_mem *mem, const struct sd_decode_opts *dopt,
				 struct sd_error *err)
{
	const struct sd_kernel_result *kres = s->have_kres ? &s->kres : NULL;
	const struct sd_ksmmu *ks = kres ? sd_kernel_match(kres, &s->regs[i]) : NULL;
	enum sd_status st;

	smmu->regs = s->regs[i];
	smmu->crashed = s->crashed ? sd_regs_match(s->crashed, s->ncrashed, &s->regs[i]) : NULL;
	smmu->source = !s->per_smmu ? s->source : ks ? ks->source : SD_SRC_KERNEL;
	if (ks)
		sd_regs_add_kernel_queues(&smmu->regs, ks);
	if ((st = sd_decode_smmu(smmu, mem, dopt, err)) != SD_OK)
		return st;
	sd_analysis_bind(smmu, ks, kres);
	for (size_t j = 0; j < s->nowners; j++)
		if (smmu->regs.have[SD_REG_BASE] && s->owners[j].base == smmu->regs.val[SD_REG_BASE])
			sd_analysis_live_owner(smmu, &s->owners[j]);
	return SD_OK;
}

int sd_session_report(struct sd_session *s, struct sd_dump *dump)
{
	struct sd_error err = {0};
	const struct sd_dump_info *di = sd_dump_info(dump);
	struct sd_mem mem = { dump_mem_read, dump };
	struct sd_decode_opts dopt = {
		/* Always walk: the verdicts need the mappings; -m only shows them. */
		.mappings = true,
		.sids = s->sid_list ? &s->sids : NULL,
		.zero_pages_excluded = di->zero_pages_excluded,
		.dump_level = di->dump_level,
	};
	struct sd_smmu *smmus = calloc(s->nregs, sizeof(*smmus));
	struct sd_report rep = { s->vmcore, di, smmus, s->nregs, &s->ro,
				 s->have_kres ? &s->kres : NULL, s->kernel_why };
	struct sd_range *ram sd_autofree = NULL;	/* the dump's memory map */
	size_t nram = 0;
	int rc = SD_EXIT_CLEAN;
	enum sd_status st;

	if (!smmus) {
		sd_session_msg(s, "out of memory");
		rc = SD_EXIT_INCOMPLETE;
		goto out;
	}
	if ((st = sd_dump_ram_ranges(dump, &ram, &nram, &err)) != SD_OK)
		goto failed;
	for (size_t i = 0; i < s->nregs; i++) {
		if ((st = decode_one(s, i, &smmus[i], &mem, &dopt, &err)) != SD_OK)
			goto failed;
		sd_analysis_dump_ram(&smmus[i], ram, nram);
	}
	/* The report drives the walks: a first pass analyses every stream
	 * (keeping per-SMMU summaries only), later passes print them. */
	st = s->json ? sd_report_json(s->out, &rep, &err) : sd_report_text(s->out, &rep, &err);
	/* A failed write is said once: with its reason by the report, or by
	 * sd_session_finish. */
	if (st == SD_ERR_IO) {
		sd_session_msg(s, "%s", err.msg);
		rc = SD_EXIT_INCOMPLETE;
		goto out;
	}
	if (ferror(s->out)) {
		rc = sd_session_finish(s, rc);
		goto out;
	}
	if (st != SD_OK)
		goto failed;
	for (size_t i = 0; i < s->nregs; i++)
		if (sd_smmu_needs_attention(&smmus[i]))
			rc = SD_EXIT_FINDINGS;
	rc = sd_session_finish(s, rc);
	goto out;
failed:
	sd_session_msg(s, "%s", err.msg);
	rc = sd_session_failed(st);
out:
	for (size_t i = 0; smmus && i < s->nregs; i++)
		sd_smmu_free(&smmus[i]);
	free(smmus);
	return rc;
}

int sd_session_run(struct sd_session *s, struct sd_dump *dump)
{
	int rc;

	if ((rc = sd_session_sids(s)) != SD_EXIT_CLEAN ||
	    (rc = sd_session_user_regs(s)) != SD_EXIT_CLEAN)
		return rc;
	sd_session_kernel(s, dump);
	if ((rc = sd_session_resolve(s)) != SD_EXIT_CLEAN)
		return rc;
	return sd_session_report(s, dump);
}

void sd_session_free(struct sd_session *s)
{
	free(s->regs);
	free(s->crashed);
	free(s->owners);
	s->owners = NULL;
	s->nowners = 0;
	sd_kernel_result_free(&s->kres);
	sd_sidset_free(&s->sids);
	s->regs = s->crashed = NULL;
	s->nregs = s->ncrashed = 0;
	s->have_kres = false;
}
