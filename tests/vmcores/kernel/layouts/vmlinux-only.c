// SPDX-License-Identifier: GPL-2.0-or-later
/* A vmlinux without arm-smmu-v3 (ARM_SMMU_V3=m): only the generic kernel
 * structures and globals; the SMMU types come from the module's debug file. */
#include "common.h"

__attribute__((section(".sd_offsets"), used))
static const struct sd_off sd_offsets[] = { COMMON_OFFSETS };
