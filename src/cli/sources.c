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
#include "live.h"
#include "regfile.h"

int sources_capture(const struct cli *c, struct sd_session *s)
{
	struct sd_error err = {0};
	FILE *f = NULL;
	bool bad;

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
	bool live = c->capture || (c->vmcore && !strcmp(c->vmcore, "/proc/vmcore"));

	if (s->have_kres && live && sd_live_pci_available(""))
		sd_live_pci_bus_masters("", &s->kres);
}
