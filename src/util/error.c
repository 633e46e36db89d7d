// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SD_ERROR_IMPL
#include "sd_error.h"

/* A NULL error is a programming error (sd_error.h). */
static enum sd_status null_error(enum sd_status status)
{
#ifdef SD_STRICT_ERRORS
	fprintf(stderr, "smmu-strtab-dump: internal error: an error was passed no struct sd_error\n");
	abort();
#endif
	return status != SD_OK ? status : SD_ERR_CORRUPT;
}

volatile sig_atomic_t sd_timed_out;

static bool alloc_failed;

void sd_note_alloc_failure(void)
{
	alloc_failed = true;
}

bool sd_alloc_failed(void)
{
	return alloc_failed;
}

void sd_alloc_failed_clear(void)
{
	alloc_failed = false;
}

enum sd_status sd_error_set(struct sd_error *err, enum sd_status status,
			    const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return null_error(status);
	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return status;
}

enum sd_status sd_error_prefix(struct sd_error *err, const char *fmt, ...)
{
	char old[SD_ERROR_MSG_MAX], pre[SD_ERROR_MSG_MAX];
	char both[2 * SD_ERROR_MSG_MAX + 2];
	size_t n;
	va_list ap;

	if (!err)
		return null_error(SD_ERR_CORRUPT);
	if (err->status == SD_OK)	/* prefixing no error: still a failure */
		err->status = SD_ERR_CORRUPT;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	/* Compose in a buffer that cannot overflow, then truncate. */
	snprintf(both, sizeof(both), "%s: %s", pre, old);
	n = strlen(both);
	if (n >= sizeof(err->msg))
		n = sizeof(err->msg) - 1;
	memcpy(err->msg, both, n);
	err->msg[n] = 0;
	return err->status;
}

const char *sd_status_name(enum sd_status status)
{
	switch (status) {
	case SD_OK: return "ok";
	case SD_ERR_NODATA: return "not in dump";
	case SD_ERR_IO: return "I/O error";
	case SD_ERR_CORRUPT: return "corrupt";
	case SD_ERR_NOMEM: return "out of memory";
	case SD_ERR_USAGE: return "usage";
	case SD_ERR_UNSUPPORTED: return "unsupported";
	case SD_ERR_NOTFOUND: return "not found";
	case SD_ERR_TIMEOUT: return "timeout";
	}
	return "unknown";
}
