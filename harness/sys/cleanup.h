/*
 * cleanup.h - temporary files that must not outlive the process, whether it
 * returns, exits, or is stopped by SIGINT, SIGTERM, SIGHUP, SIGPIPE or
 * SIGBUS; and before them, the blocks an in-place run changed in a user's
 * file (journal.h).
 */
#ifndef MMBENCH_CLEANUP_H
#define MMBENCH_CLEANUP_H

#include <setjmp.h>

/* Install the signal handlers and the exit hook; call once, early. */
void cleanup_init(void);

/* Remember path for removal; 0, or -ENOSPC when too many are registered and
 * -ENAMETOOLONG for an over-long path. */
int cleanup_add(const char *path);

/* Remove path now and forget it. */
void cleanup_remove(const char *path);

/* Forget path without removing it (it was renamed into place). */
void cleanup_forget(const char *path);

/* Until called again with fd -1, a signal that ends the process first
 * writes "interrupted by SIGNAME: note" to fd (a sweep's log, which must be
 * unbuffered or line-buffered) and to stderr. */
void cleanup_note_interrupt(int fd, const char *note);

/* While env is set (not NULL), SIGBUS - a mapped file that another process
 * shrank, or whose device failed - jumps to env (sigsetjmp'ed with its mask
 * saved) instead of ending the process, so the step fails and the run goes
 * on.  Set it around the accesses of a mapping, and back to NULL after. */
void cleanup_catch_bus(sigjmp_buf *env);

#endif
