/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scope-based cleanup, as systemd's _cleanup_ and libdrgn's _cleanup_free_:
 * a variable declared with one of these is released when it goes out of
 * scope, on every return path, so error paths need no goto ladder.
 * Transfer ownership out of the scope with sd_steal_ptr().
 */
#ifndef SD_CLEANUP_H
#define SD_CLEANUP_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SD_CLEANUP(fn)	__attribute__((cleanup(fn)))

static inline void sd_freep(void *p)
{
	free(*(void **)p);
}
static inline void sd_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
static inline void sd_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

/* char *buf sd_autofree = malloc(...); */
#define sd_autofree	SD_CLEANUP(sd_freep)
/* int fd sd_autoclose = open(...); (-1 is not closed) */
#define sd_autoclose	SD_CLEANUP(sd_closep)
/* FILE *f sd_autofclose = fopen(...); */
#define sd_autofclose	SD_CLEANUP(sd_fclosep)

/* Return *pp and leave NULL behind, so the cleanup does nothing. */
#define sd_steal_ptr(pp) ({ __typeof__(*(pp)) _p = *(pp); *(pp) = NULL; _p; })
/* The same for a file descriptor. */
static inline int sd_steal_fd(int *fd)
{
	int r = *fd;

	*fd = -1;
	return r;
}

#endif
