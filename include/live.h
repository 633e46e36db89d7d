/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Live SMMU registers, on a running system (normally the kdump capture
 * kernel): MMIO bases from the ACPI IORT or the device tree, registers read
 * read-only through /dev/mem with accesses of the right width.
 */
#ifndef SD_LIVE_H
#define SD_LIVE_H

#include <stddef.h>

#include "regs.h"

/* Read every SMMUv3's registers.  *out is malloc'd.  Refuses (SD_ERR_USAGE
 * or SD_ERR_IO, with advice in the message) when the SMMU is claimed by a
 * driver or /dev/mem is not permitted. */
enum sd_status sd_live_capture(struct sd_regs **out, size_t *count,
			       struct sd_error *err);

#endif
