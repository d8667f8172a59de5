/*
 * cleanup.h - temporary files that must not outlive the process, whether it
 * returns, exits, or is stopped by SIGINT, SIGTERM, SIGHUP, SIGPIPE or
 * SIGBUS; and before them, what the modules that change the machine
 * register to undo: the blocks an in-place run changed in a user's file
 * (journal.h), then the memory a --mem-limit holds (memlimit.h).  They
 * register, so this file knows none of them.
 */
#ifndef MMBENCH_CLEANUP_H
#define MMBENCH_CLEANUP_H

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>

/* Install the signal handlers and the exit hook; call once, early. */
void cleanup_init(void);

/* What is undone at exit or on a fatal signal before the temporary files
 * go, in this order: a program exec runs first, then a user's file. */
enum cleanup_undo {
	CLEANUP_UNDO_CHILD,	   /* a program mmbench exec runs: killed first, so
				    * it neither writes on nor holds the memory */
	CLEANUP_UNDO_USER_FILE,	   /* journal_restore_now() */
	CLEANUP_UNDO_MEMORY_LIMIT, /* memlimit_remove_now() */
	CLEANUP_UNDO_COUNT,
};

/* Run fn in slot's turn at exit and from the signal handler; fn must be
 * async-signal-safe and do nothing when there is nothing to undo.  Setting
 * a slot again replaces its function. */
void cleanup_set_undo(enum cleanup_undo slot, void (*fn)(void));

/* The calling thread may change a user's file until it leaves: a fatal
 * signal, on whichever thread it lands, first stops every other such
 * thread (a real-time signal parks it), so none writes after the undo has
 * put the file back. */
void cleanup_writer_enter(void);
void cleanup_writer_leave(void);

/* A short section that makes or removes a file an undo acts on (a
 * journal) and records that it did: until cleanup_release, the fatal
 * signals wait on this thread, and a handler running on another thread
 * waits for the section to end before it undoes anything, so no undo sees
 * a file made but not yet recorded, or recorded gone but not yet removed.
 * A thread that enters once the process is stopping waits to die with it.
 * saved keeps the thread's signal mask for cleanup_release. */
void cleanup_hold(sigset_t *saved);
void cleanup_release(const sigset_t *saved);

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
 * on.  Per thread: every thread that touches a mapping sets its own, around
 * the accesses, and puts back what it returns (the env it replaced) after;
 * a SIGBUS in a thread without one ends the process. */
sigjmp_buf *cleanup_catch_bus(sigjmp_buf *env);

/* The file offset of the byte whose access raised this thread's last
 * caught SIGBUS (from /proc/self/maps, after the jump), or -1. */
int64_t cleanup_bus_offset(void);

/* A step ended by a caught SIGBUS: beyond every errno value. */
#define ECLEANUP_SIGBUS 4098

#endif
