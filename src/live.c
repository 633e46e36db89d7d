// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder until the live capture lands. */
#include "live.h"

enum sd_status sd_live_capture(struct sd_regs **out, size_t *count,
			       struct sd_error *err)
{
	*out = NULL;
	*count = 0;
	return sd_error_set(err, SD_ERR_UNSUPPORTED, "live register capture is not implemented yet");
}
