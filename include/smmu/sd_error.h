/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One error convention for the whole program.
 *
 * A function that can fail returns an enum sd_status and, when it is not
 * SD_OK, fills the caller's struct sd_error with a message that names the
 * object and the address.  Nothing below the report layer prints.
 */
#ifndef SD_ERROR_H
#define SD_ERROR_H

#include <stdarg.h>

enum sd_status {
	SD_OK = 0,
	SD_ERR_NODATA,      /* the dump does not hold this page (filtered or hole) */
	SD_ERR_IO,          /* the file could not be read */
	SD_ERR_CORRUPT,     /* the bytes make no sense */
	SD_ERR_NOMEM,
	SD_ERR_USAGE,       /* bad argument or option value */
	SD_ERR_UNSUPPORTED, /* a format or feature we do not handle */
	SD_ERR_NOTFOUND,    /* a symbol, key or object is not there */
	SD_ERR_TIMEOUT,     /* --timeout expired */
};

#define SD_ERROR_MSG_MAX 512

/* On every function that returns enum sd_status: a caller that ignores the
 * status is a compile error (-Werror), so a failure cannot pass unseen. */
#define SD_MUST_CHECK	__attribute__((warn_unused_result))

struct sd_error {
	enum sd_status status;
	char msg[SD_ERROR_MSG_MAX];
};

/* Fill @err (may be NULL) and return @status. */
enum sd_status sd_error_set(struct sd_error *err, enum sd_status status,
			    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix an existing message with more context: "ctx: old message". */
enum sd_status sd_error_prefix(struct sd_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

const char *sd_status_name(enum sd_status status);

/* Set asynchronously when --timeout expires; long loops check it and stop
 * cleanly with what they have. */
#include <signal.h>
extern volatile sig_atomic_t sd_timed_out;

#endif
