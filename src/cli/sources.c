// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where each SMMU's registers come from: the live hardware (--capture-regs),
 * the command line, a --regs file, or the crashed kernel's memory
 * (cli-priv.h, struct sources).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-priv.h"
#include "live.h"
#include "regfile.h"

int sources_capture(const struct cli *c, struct sources *s)
{
	struct sd_error err = {0};
	FILE *f = NULL;

	if (sd_live_capture(&s->regs, &s->nregs, &err) != SD_OK) {
		fprintf(stderr, "smmu-strtab-dump: --capture-regs: %s\n", err.msg);
		return EXIT_NO_LIVE;
	}
	s->source = SD_SRC_LIVE;
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
	sd_regs_write(f, s->regs, s->nregs);
	if ((f == stdout ? fflush(f) : fclose(f)) == EOF) {
		fprintf(stderr, "smmu-strtab-dump: writing the register snapshot failed\n");
		return EXIT_TROUBLE;
	}
	return EXIT_CLEAN;
}

int sources_user(const struct cli *c, struct sources *s)
{
	struct sd_error err = {0};

	/* With live registers, --regs names the crashed kernel's, to compare with. */
	if (c->regs_file &&
	    (s->nregs ? sd_regs_parse_file(c->regs_file, &s->crashed, &s->ncrashed, &err)
		      : sd_regs_parse_file(c->regs_file, &s->regs, &s->nregs, &err)) != SD_OK) {
		fprintf(stderr, "smmu-strtab-dump: %s\n", err.msg);
		return EXIT_TROUBLE;
	}
	if (!c->have_base)
		return EXIT_CLEAN;
	/* The command-line registers override the file's first SMMU. */
	if (!s->nregs) {
		s->regs = calloc(1, sizeof(*s->regs));
		if (!s->regs) {
			fprintf(stderr, "smmu-strtab-dump: out of memory\n");
			return EXIT_TROUBLE;
		}
		s->nregs = 1;
		snprintf(s->regs[0].name, sizeof(s->regs[0].name), "smmu0");
	}
	s->regs[0].val[SD_REG_STRTAB_BASE] = c->base;
	s->regs[0].have[SD_REG_STRTAB_BASE] = true;
	s->regs[0].val[SD_REG_STRTAB_BASE_CFG] = c->cfg;
	s->regs[0].have[SD_REG_STRTAB_BASE_CFG] = true;
	return EXIT_CLEAN;
}

void sources_kernel(const struct cli *c, struct sd_dump *dump, struct sources *s)
{
	struct sd_error kerr = {0};

	if (c->no_kernel) {
		snprintf(s->kernel_why, sizeof(s->kernel_why), "not searched (--no-kernel)");
		return;
	}
	sd_kernel_set_debuginfod(!c->no_debuginfod);
	if (sd_kernel_find_smmus(dump, c->debuginfo ? c->debuginfo : c->vmlinux,
				 &s->kres, &kerr) == SD_OK) {
		s->have_kres = true;
	} else {
		snprintf(s->kernel_why, sizeof(s->kernel_why), "%s", kerr.msg);
		sd_kernel_result_free(&s->kres);
		memset(&s->kres, 0, sizeof(s->kres));
	}
}

/*
 * In the capture kernel (--capture-regs, or /proc/vmcore read with sysfs
 * there), the PCI devices' bus-master bits as the crashed kernel left them
 * in the hardware; offline they stay unknown.
 */
void sources_pci(const struct cli *c, struct sources *s)
{
	bool live = c->capture || (c->vmcore && !strcmp(c->vmcore, "/proc/vmcore"));

	if (s->have_kres && live && sd_live_pci_available(""))
		sd_live_pci_bus_masters("", &s->kres);
}

int sources_resolve(const struct cli *c, struct sources *s)
{
	if (!s->nregs && s->have_kres && s->kres.nsmmus) {
		s->regs = calloc(s->kres.nsmmus, sizeof(*s->regs));
		if (!s->regs) {
			fprintf(stderr, "smmu-strtab-dump: out of memory\n");
			return EXIT_TROUBLE;
		}
		for (size_t i = 0; i < s->kres.nsmmus; i++)
			s->regs[i] = s->kres.smmus[i].regs;
		s->nregs = s->kres.nsmmus;
		s->per_smmu = true;	/* each from the kernel layer's source */
	}
	if (!s->nregs && sd_timed_out) {
		/* Not an unreadable dump: the time ran out first (exit 1). */
		fprintf(stderr, "smmu-strtab-dump: %s: --timeout expired before an SMMU was found\n",
			c->vmcore);
		return EXIT_FINDINGS;
	}
	if (!s->nregs) {
		fprintf(stderr, "smmu-strtab-dump: %s: no SMMU found in the crashed kernel (%s); "
			"give the registers with --strtab-base and --strtab-base-cfg, or --regs=FILE\n",
			c->vmcore, s->kernel_why[0] ? s->kernel_why : "no SMMUv3 instance");
		return EXIT_TROUBLE;
	}
	return EXIT_CLEAN;
}

void sources_free(struct sources *s)
{
	free(s->regs);
	free(s->crashed);
	sd_kernel_result_free(&s->kres);
	memset(s, 0, sizeof(*s));
}
