/*
 * sampler.h - the time series of a timed region (--interval): a thread that
 * wakes every interval while the engine runs and records what has
 * completed (engine_progress()), the process's counters (sys/counters.h:
 * faults, device bytes, system-wide TLB shootdowns) and the share of the
 * file resident, sampled with mincore() over 256 windows of 16 pages spread
 * evenly over the file (the whole file when it has at most 4096 pages), so
 * a sample costs the same for any file size.
 *
 * sampler_start() takes the baseline sample and starts the thread before
 * the caller opens its counters' bracket; sampler_stop() ends it after the
 * bracket closes, takes the last sample and joins: the thread never
 * outlives a step, failed or not.  The sampler touches no mapped data of
 * the run, so a SIGBUS of a worker is never its own; it blocks every
 * signal, which go to the run's threads.
 */
#ifndef MMBENCH_SAMPLER_H
#define MMBENCH_SAMPLER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "results/seriescsv.h"

struct datafile;
struct engine;

struct sampler {
	struct series series; /* what it recorded; kept until the next start */
	const struct engine *e;
	const void *map; /* the file mapped for mincore() alone; NULL: none */
	uint64_t size;
	uint64_t interval_ns;
	pthread_t thread;
	bool running;
	/* stop wakes the thread at once, whatever its interval */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	int err; /* the first failure to record a sample (-ENOMEM) */
};

/* Record e's region every interval_ms, with the resident share of df
 * (NULL: a backend that reads no file).  The series recorded before is
 * dropped.  0 or a negative errno (nothing left running). */
int sampler_start(struct sampler *s, const struct engine *e, const struct datafile *df,
		  uint64_t interval_ms);

/* Stop and join the thread, with a last sample; nothing when it is not
 * running, so every exit of a step can call it. */
void sampler_stop(struct sampler *s);

/* Free the series (after the last stop). */
void sampler_free(struct sampler *s);

#endif
