/*
 * sampler.h - the time series of a timed region (--interval): a sampler
 * that wakes every interval while the engine runs and records what has
 * completed (engine_progress()), the process's faults and device bytes and
 * the system's TLB shootdowns (sys/counters.h, from /proc) and the share of
 * the file resident, sampled with mincore() over 64 windows of 16 pages
 * spread evenly over the file (the whole file when it has at most 1024
 * pages), so a sample costs the same for any file size.
 *
 * Why not a thread: a second thread alone made one-thread read() 5%
 * slower (an idle one, LD_PRELOADed: 4861 against 4521 MiB/s over 6 pairs
 * of processes): the kernel takes a reference on the file at every pread()
 * once the descriptor table is shared, and glibc's wrappers do the work of
 * a multi-threaded process.  So the sampler is a task of its own created
 * with clone(CLONE_VM) alone: it shares the memory (the engine's counters
 * are read directly) but neither the descriptor table nor the thread group,
 * so the process stays single-threaded to the kernel and to glibc, and its
 * CPU time and faults are not the row's.  The price is that it must not
 * touch glibc's state: no malloc, no stdio, no call that can set errno
 * (the samples go to memory allocated before it starts; /proc is read
 * with pread() into its own stack).
 *
 * sampler_start() starts it and waits for its baseline sample, before the
 * caller opens its counters' bracket; sampler_stop() ends it after the
 * bracket closes (its last sample, then it exits and is reaped): it never
 * outlives a step, failed or not, and dies with the process.  It touches no
 * mapped data of the run, and every signal is blocked in it.
 */
#ifndef MMBENCH_SAMPLER_H
#define MMBENCH_SAMPLER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "results/seriescsv.h"
#include "sys/counters.h"

struct datafile;
struct engine;

struct sampler {
	struct series series; /* what it recorded; kept until the next start */
	const struct engine *e;
	const void *map; /* the file mapped for mincore() alone; NULL: none */
	uint64_t size;
	uint64_t interval_ns;
	struct counters_files files; /* the process's /proc files */
	void *stack;		     /* the sampler's own stack */
	pid_t pid;		     /* the sampler task; 0: none running */
	int stop_fd;		     /* write end: a byte (or its closing) stops it */
	int wake_fd;		     /* the sampler's read end of it */
	int ready_fd;		     /* read end: a byte once the baseline is taken */
	int ready_wfd;		     /* the sampler's write end of it */
	bool full;		     /* the series ran out of room: the last interval is longer */
};

/* Record e's region every interval_ms, with the resident share of df
 * (NULL: a backend that reads no file).  The series recorded before is
 * dropped.  0 or a negative errno (nothing left running). */
int sampler_start(struct sampler *s, const struct engine *e, const struct datafile *df,
		  uint64_t interval_ms);

/* Stop the sampler, with its last sample, and reap it; nothing when none
 * is running, so every exit of a step can call it. */
void sampler_stop(struct sampler *s);

/* Free the series (after the last stop). */
void sampler_free(struct sampler *s);

#endif
