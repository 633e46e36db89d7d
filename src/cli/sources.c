// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The live registers (--capture-regs): the first of the register sources,
 * and the command line's own; the others (the command line's values, a
 * --regs file, the crashed kernel's memory) are the session's
 * (src/session).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-priv.h"
#include "analysis.h"
#include "live.h"
#include "regfile.h"

/*
 * The running system's root: "" (the real one), or
 * $SMMU_STRTAB_DUMP_LIVE_ROOT, a directory laid out like it (the tests'
 * device tree, /dev/mem, sysfs and /dev/kmsg; read-only as the real ones).
 */
static const char *live_root(void)
{
	const char *r = getenv("SMMU_STRTAB_DUMP_LIVE_ROOT");

	return r && *r ? r : "";
}

/* A capture kernel: --capture-regs, /proc/vmcore, or a test root. */
static bool on_live_system(const struct cli *c)
{
	return c->capture || (c->vmcore && !strcmp(c->vmcore, "/proc/vmcore")) || *live_root();
}

int sources_capture(const struct cli *c, struct sd_session *s)
{
	struct sd_error err = {0};
	FILE *f = NULL;
	bool bad;

	if (sd_live_capture_at(live_root(), &s->regs, &s->nregs, &err) != SD_OK) {
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
	bad = ferror(f);
	errno = 0;
	bad |= (f == stdout ? fflush(f) : fclose(f)) == EOF;
	if (bad) {
		int e = errno;

		fprintf(stderr, "smmu-strtab-dump: %s: cannot write the register snapshot%s%s\n",
			f == stdout ? "standard output" : c->capture_file, e ? ": " : "",
			e ? strerror(e) : "");
		return EXIT_INCOMPLETE;
	}
	return EXIT_CLEAN;
}

/*
 * In the capture kernel (--capture-regs, or /proc/vmcore read with sysfs
 * there), the PCI devices' bus-master bits as the crashed kernel left them
 * in the hardware; offline they stay unknown.
 */
void sources_pci(const struct cli *c, struct sd_session *s)
{
	if (s->have_kres && on_live_system(c) && sd_live_pci_available(live_root()))
		sd_live_pci_bus_masters(live_root(), &s->kres);
}

/*
 * In the capture kernel without live registers (--capture-regs not given,
 * or refused because a driver owns the SMMU): which driver owns each SMMU
 * the crashed kernel had, and whether its log says it reset it.
 */
void sources_owner(const struct cli *c, struct sd_session *s)
{
	if (c->capture || !s->have_kres || !on_live_system(c) || !s->kres.nsmmus)
		return;
	s->owners = calloc(s->kres.nsmmus, sizeof(*s->owners));
	for (size_t i = 0; s->owners && i < s->kres.nsmmus; i++) {
		const struct sd_regs *r = &s->kres.smmus[i].regs;

		if (r->have[SD_REG_BASE] &&
		    sd_live_owner_find(live_root(), r->val[SD_REG_BASE], &s->owners[s->nowners]))
			s->nowners++;
	}
}
