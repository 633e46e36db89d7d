/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The --regs register file (format in smmu-strtab-dump(1), REGISTER FILE).
 */
#ifndef SD_REGFILE_H
#define SD_REGFILE_H

#include <stddef.h>
#include <stdio.h>

#include "sd_error.h"
#include "smmu_regs.h"

/* Parse a --regs file into a malloc'd array of snapshots.  Only a regular
 * file of at most 1 MiB, opened without blocking; lines of any length up to
 * 64 KiB.  Messages quote its content escaped (sd_escape_for_terminal). */
SD_MUST_CHECK enum sd_status sd_regs_parse_file(const char *path, struct sd_regs **out,
				  size_t *count, struct sd_error *err);
/* Write snapshots in the same format. */
void sd_regs_write(FILE *f, const struct sd_regs *regs, size_t count);

#endif
