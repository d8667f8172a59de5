#include "sys/cleanup.h"


#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CLEANUP_MAX 16

/* The threads that may be changing a user's file (cleanup_writer_enter),
 * by thread id; 0: a free slot. */
#define CLEANUP_MAX_WRITERS 128
static pid_t cleanup_writers[CLEANUP_MAX_WRITERS];

/* The signal that parks a writer (a real-time one, numbered at init), how
 * many have parked, and whether a thread is already cleaning up. */
static int cleanup_park_signal;
static int cleanup_parked;
static int cleanup_stopping;

/* How many threads are inside cleanup_hold's section, and whether this
 * one is (a SIGBUS can still land on it there: the handler must not wait
 * for its own section). */
static int cleanup_holding;
static __thread int cleanup_held_here;

/* The signals that end the process through the handler; SIGBUS is one
 * too, but a synchronous fault cannot wait. */
static const int cleanup_fatal_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
#define CLEANUP_NFATAL (sizeof(cleanup_fatal_signals) / sizeof(cleanup_fatal_signals[0]))

/* Fixed storage: the signal handler may only touch memory that is always
 * valid and call async-signal-safe functions (unlink, raise). */
static char cleanup_paths[CLEANUP_MAX][PATH_MAX];

static void cleanup_all(void)
{
	for (int i = 0; i < CLEANUP_MAX; i++) {
		if (cleanup_paths[i][0]) {
			unlink(cleanup_paths[i]);
			cleanup_paths[i][0] = '\0';
		}
	}
}

/* Where an interruption is recorded (cleanup_note_interrupt); the note is
 * complete before the descriptor is published. */
static volatile int cleanup_note_fd = -1;
static char cleanup_note[4400];

void cleanup_note_interrupt(int fd, const char *note)
{
	cleanup_note_fd = -1;
	if (fd >= 0)
		snprintf(cleanup_note, sizeof(cleanup_note), "%s", note);
	__atomic_store_n(&cleanup_note_fd, fd, __ATOMIC_SEQ_CST);
}

static void cleanup_write(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		return; /* nowhere left to say it */
}

/* "interrupted by SIGINT: <note>" into the log and onto stderr. */
static void cleanup_write_note(int sig)
{
	const char *name = sig == SIGINT    ? "SIGINT"
			   : sig == SIGTERM ? "SIGTERM"
			   : sig == SIGHUP  ? "SIGHUP"
			   : sig == SIGPIPE ? "SIGPIPE"
					    : "SIGBUS";
	int fds[2] = { cleanup_note_fd, STDERR_FILENO };

	if (fds[0] < 0)
		return;
	for (int i = 0; i < 2; i++) {
		cleanup_write(fds[i], i ? "mmbench: interrupted by " : "interrupted by ");
		cleanup_write(fds[i], name);
		cleanup_write(fds[i], ": ");
		cleanup_write(fds[i], cleanup_note);
		cleanup_write(fds[i], "\n");
	}
}

/* Where a SIGBUS goes while a step touches a mapping (cleanup_catch_bus),
 * and the address that faulted: the faulting thread's own, since a SIGBUS
 * is delivered to the thread that touched the page. */
static __thread sigjmp_buf *volatile cleanup_bus_env;
static __thread void *volatile cleanup_bus_addr;

sigjmp_buf *cleanup_catch_bus(sigjmp_buf *env)
{
	sigjmp_buf *was = cleanup_bus_env;

	cleanup_bus_env = env;
	return was;
}

int64_t cleanup_bus_offset(void)
{
	uintptr_t addr = (uintptr_t)cleanup_bus_addr;
	FILE *maps = fopen("/proc/self/maps", "re");
	unsigned long long start, end, pgoff;
	char line[PATH_MAX + 128];
	int64_t off = -1;

	if (!maps)
		return -1;
	/* "start-end perms offset dev inode path": the mapping holding addr */
	while (off < 0 && fgets(line, sizeof(line), maps))
		if (sscanf(line, "%llx-%llx %*s %llx", &start, &end, &pgoff) == 3 && addr >= start &&
		    addr < end)
			off = (int64_t)(pgoff + (addr - start));
	fclose(maps);
	return off;
}

static pid_t cleanup_tid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

void cleanup_writer_enter(void)
{
	pid_t me = cleanup_tid();

	for (int i = 0; i < CLEANUP_MAX_WRITERS; i++) {
		pid_t none = 0;

		if (!__atomic_compare_exchange_n(&cleanup_writers[i], &none, me, false,
						 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			continue;
		/* A signal's handler that read the slots before this one was
		 * taken parks nobody here: a thread that finds it cleaning up
		 * writes nothing more and waits to die with the process.  Both
		 * sides are sequentially consistent, so either the handler sees
		 * the slot or this thread sees the flag. */
		if (__atomic_load_n(&cleanup_stopping, __ATOMIC_SEQ_CST))
			for (;;)
				pause();
		return;
	}
	/* more writers than slots: CONFIG_MAX_THREADS keeps below it */
	abort();
}

void cleanup_writer_leave(void)
{
	pid_t me = cleanup_tid();

	for (int i = 0; i < CLEANUP_MAX_WRITERS; i++)
		if (__atomic_load_n(&cleanup_writers[i], __ATOMIC_SEQ_CST) == me)
			__atomic_store_n(&cleanup_writers[i], 0, __ATOMIC_SEQ_CST);
}

/* A writer told to stop: it says so and waits to die with the process. */
static void cleanup_on_park(int sig)
{
	(void)sig;
	__atomic_add_fetch(&cleanup_parked, 1, __ATOMIC_SEQ_CST);
	for (;;)
		pause();
}

/* From the signal handler: every other writer parked (or 2 s gone by, for
 * one held in the kernel), then a moment for writes that io_uring still
 * has in flight to land, so nothing writes on a user's file after its
 * bytes go back. */
static void cleanup_park_writers(void)
{
	pid_t me = cleanup_tid(), pid = getpid();
	struct timespec tick = { 0, 1000000 };
	int sent = 0;

	for (int i = 0; i < CLEANUP_MAX_WRITERS; i++) {
		pid_t t = __atomic_load_n(&cleanup_writers[i], __ATOMIC_SEQ_CST);

		if (t && t != me && !syscall(SYS_tgkill, pid, t, cleanup_park_signal))
			sent++;
	}
	if (!sent)
		return;
	for (int ms = 0; ms < 2000 && __atomic_load_n(&cleanup_parked, __ATOMIC_SEQ_CST) < sent; ms++)
		nanosleep(&tick, NULL);
	tick.tv_nsec = 20000000;
	nanosleep(&tick, NULL);
}

void cleanup_hold(sigset_t *saved)
{
	sigset_t fatal;

	sigemptyset(&fatal);
	for (unsigned i = 0; i < CLEANUP_NFATAL; i++)
		sigaddset(&fatal, cleanup_fatal_signals[i]);
	pthread_sigmask(SIG_BLOCK, &fatal, saved);
	cleanup_held_here = 1;
	__atomic_add_fetch(&cleanup_holding, 1, __ATOMIC_SEQ_CST);
	/* as in cleanup_writer_enter: either the handler sees the count or
	 * this thread sees the flag */
	if (__atomic_load_n(&cleanup_stopping, __ATOMIC_SEQ_CST)) {
		__atomic_sub_fetch(&cleanup_holding, 1, __ATOMIC_SEQ_CST);
		cleanup_held_here = 0;
		for (;;)
			pause();
	}
}

void cleanup_release(const sigset_t *saved)
{
	__atomic_sub_fetch(&cleanup_holding, 1, __ATOMIC_SEQ_CST);
	cleanup_held_here = 0;
	pthread_sigmask(SIG_SETMASK, saved, NULL);
}

/* From the signal handler: the sections held on other threads ended (a
 * file made or removed and recorded so), or 2 s gone by; not this
 * thread's own, which cannot end while it waits. */
static void cleanup_wait_held(void)
{
	struct timespec tick = { 0, 1000000 };

	for (int ms = 0; ms < 2000 && __atomic_load_n(&cleanup_holding, __ATOMIC_SEQ_CST) >
					      cleanup_held_here;
	     ms++)
		nanosleep(&tick, NULL);
}

static void (*volatile cleanup_undo_fn[CLEANUP_UNDO_COUNT])(void);

void cleanup_set_undo(enum cleanup_undo slot, void (*fn)(void))
{
	cleanup_undo_fn[slot] = fn;
}

/* Every registered undo, in slot order. */
static void cleanup_undo_all(void)
{
	for (int i = 0; i < CLEANUP_UNDO_COUNT; i++) {
		void (*fn)(void) = cleanup_undo_fn[i];

		if (fn)
			fn();
	}
}

static void cleanup_on_signal(int sig, siginfo_t *info, void *uctx)
{
	static const char bus[] = "mmbench: the file shrank or failed under a mapping (SIGBUS)\n";

	(void)uctx;
	/* a synchronous fault inside a guarded step: that step fails */
	if (sig == SIGBUS && cleanup_bus_env) {
		sigjmp_buf *env = cleanup_bus_env;

		cleanup_bus_env = NULL;
		cleanup_bus_addr = info ? info->si_addr : NULL;
		siglongjmp(*env, 1);
	}

	/* One thread cleans up; one that gets a signal while it does waits to
	 * die with the process.  A file being made or removed is first made
	 * or removed, and the others stop writing. */
	if (__atomic_exchange_n(&cleanup_stopping, 1, __ATOMIC_SEQ_CST))
		for (;;)
			pause();
	cleanup_wait_held();
	cleanup_park_writers();
	/* a user's file first: put back what an in-place run changed */
	cleanup_undo_all();
	cleanup_all();
	cleanup_write_note(sig);
	if (sig == SIGBUS) {
		/* A fault: returning would re-run the faulting access, and a
		 * sanitizer runtime may keep SIG_DFL from taking effect, so
		 * exit with the status a shell gives a signal death. */
		if (write(STDERR_FILENO, bus, sizeof(bus) - 1) < 0)
			_exit(128 + sig);
		_exit(128 + sig);
	}
	/* Die of the same signal so the parent (a shell, make) sees it. */
	signal(sig, SIG_DFL);
	raise(sig);
}

static void cleanup_exit(void)
{
	cleanup_undo_all();
	cleanup_all();
}

void cleanup_init(void)
{
	/* SIGBUS: an mmap run whose file shrank under it dies of it. */
	/* SIGPIPE: `mmbench run | head -1` must not leave its data file. */
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = cleanup_on_signal;
	sa.sa_flags = SA_SIGINFO; /* si_addr: where a mapping faulted */
	/* no second one on the thread that cleans up, where it would wait
	 * for itself */
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGBUS);
	for (unsigned i = 0; i < CLEANUP_NFATAL; i++)
		sigaddset(&sa.sa_mask, cleanup_fatal_signals[i]);
	sigaction(SIGBUS, &sa, NULL);
	for (unsigned i = 0; i < CLEANUP_NFATAL; i++)
		sigaction(cleanup_fatal_signals[i], &sa, NULL);
	cleanup_park_signal = SIGRTMIN;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cleanup_on_park;
	sigfillset(&sa.sa_mask);
	sigaction(cleanup_park_signal, &sa, NULL);
	/* A file size limit (ulimit -f) is then a write error (EFBIG) that
	 * removes the partial file and reports it, not a death leaving it. */
	signal(SIGXFSZ, SIG_IGN);
	atexit(cleanup_exit);
}

int cleanup_add(const char *path)
{
	if (!path[0])
		return -EINVAL;
	if (strlen(path) >= PATH_MAX)
		return -ENAMETOOLONG;
	for (int i = 0; i < CLEANUP_MAX; i++) {
		if (!cleanup_paths[i][0]) {
			/* Copy then publish the first byte last, so a signal
			 * never sees a half-written path. */
			strcpy(cleanup_paths[i] + 1, path + 1);
			__atomic_store_n(&cleanup_paths[i][0], path[0], __ATOMIC_SEQ_CST);
			return 0;
		}
	}
	return -ENOSPC;
}

static int cleanup_find(const char *path)
{
	for (int i = 0; i < CLEANUP_MAX; i++)
		if (cleanup_paths[i][0] && !strcmp(cleanup_paths[i], path))
			return i;
	return -1;
}

void cleanup_remove(const char *path)
{
	int i = cleanup_find(path);

	unlink(path);
	if (i >= 0)
		cleanup_paths[i][0] = '\0';
}

void cleanup_forget(const char *path)
{
	int i = cleanup_find(path);

	if (i >= 0)
		cleanup_paths[i][0] = '\0';
}
