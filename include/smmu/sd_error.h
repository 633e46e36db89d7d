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
#include <stdbool.h>

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

/* Callers see @err declared non-NULL; error.c itself does not, so that its
 * run-time check of a NULL that slipped through is not optimised away. */
#ifdef SD_ERROR_IMPL
#define SD_ERR_NONNULL
#else
#define SD_ERR_NONNULL	, nonnull(1)
#endif

struct sd_error {
	enum sd_status status;
	char msg[SD_ERROR_MSG_MAX];
};

/*
 * Fill @err and return @status.  @err must not be NULL: an error cannot be
 * dropped by passing NULL (a literal NULL does not compile; a NULL that
 * reaches here at run time aborts in the sanitizer build, which the whole
 * test suite runs, and is a failure, never success, in the normal one).
 */
enum sd_status sd_error_set(struct sd_error *err, enum sd_status status,
			    const char *fmt, ...)
	__attribute__((format(printf, 3, 4) SD_ERR_NONNULL));

/* Prefix an existing message with more context: "ctx: old message".
 * Returns the error's status, which is never SD_OK. */
enum sd_status sd_error_prefix(struct sd_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3) SD_ERR_NONNULL));

const char *sd_status_name(enum sd_status status);

/* Set asynchronously when --timeout expires; long loops check it and stop
 * cleanly with what they have. */
#include <signal.h>
extern volatile sig_atomic_t sd_timed_out;

/*
 * Where an allocation fails and the code goes on without what it could not
 * allocate (a list cut short, a check not made, a JSON member missing), it
 * calls sd_note_alloc_failure(): the output is then incomplete, and the
 * program must say so and exit with its own status (SD_EXIT_INCOMPLETE),
 * never 0 or 1 as if the report were whole.
 */
void sd_note_alloc_failure(void);
bool sd_alloc_failed(void);
/* Forget it: before a new run in the same process (the crash extension). */
void sd_alloc_failed_clear(void);

#endif
