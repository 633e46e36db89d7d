/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the files of src/crash only (the crash extension, smmu.so):
 *   smmu.c   the `smmu` command: options, help text, the session;
 *   host.c   crash as the libraries' memory (readmem) and types/symbols
 *            (gdb, the symbol table).
 * Both include crash's defs.h first; the project's headers after it.
 */
#ifndef SD_CRASH_PRIV_H
#define SD_CRASH_PRIV_H

#include "dump.h"
#include "kernel.h"

extern const struct sd_dump_backend crash_memory;
extern const struct sd_khost_ops crash_types;

/* Forget the cached type answers (a new session: crash may have loaded
 * module debuginfo since). */
void crash_host_reset(void);

#endif
