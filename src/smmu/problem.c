// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The problem sink every decoder reports through: kinds and their names.
 * Here, not in a decoder, so that no decoder depends on another to report.
 */
#include <stdarg.h>
#include <stdio.h>

#include "smmu.h"

const char *sd_problem_kind_name(enum sd_problem_kind kind)
{
	switch (kind) {
	case SD_PROB_NODATA: return "nodata";
	case SD_PROB_RESERVED: return "reserved";
	case SD_PROB_BAD_STE: return "bad_ste";
	case SD_PROB_BAD_CD: return "bad_cd";
	case SD_PROB_BAD_SPAN: return "bad_span";
	case SD_PROB_LOOP: return "loop";
	case SD_PROB_SIZE: return "size";
	case SD_PROB_ADDR_SIZE: return "addr_size";
	case SD_PROB_CONTIGUOUS: return "contiguous";
	case SD_PROB_READ: return "read";
	case SD_PROB_TIMEOUT: return "timeout";
	}
	return "unknown";
}

void sd_problem(const struct sd_problem_sink *sink, enum sd_problem_kind kind,
		int level, bool has_addr, uint64_t addr, const char *fmt, ...)
{
	char msg[SD_ERROR_MSG_MAX];
	va_list ap;

	if (!sink || !sink->report)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sink->report(sink->ctx, kind, level, has_addr, addr, msg);
}
