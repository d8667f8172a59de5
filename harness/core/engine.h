/*
 * engine.h - the timed region: --threads threads issue a plan's operations
 * through a backend, each with up to --qd requests in flight.
 *
 * engine_start() sets the threads up outside the timer (their backend
 * state, threads parked at a barrier); engine_run() is the timed region
 * itself - the backend's begin, the threads released together, each
 * walking its streams (the first pass apart when the plan has one), the
 * backend's sync and end - and engine_stop() joins and frees them.  A
 * synchronous backend completes every request inside queue(); an
 * asynchronous one (io_uring) keeps up to --qd in flight and reaps them.
 * What every request's data is used for is the workload's kind of
 * operation: consume it, update it and write it back, or write the plan's
 * bytes.
 */
#ifndef MMBENCH_ENGINE_H
#define MMBENCH_ENGINE_H

#include <stdint.h>

#include "core/backend.h"
#include "core/config.h"
#include "core/workload.h"
#include "sys/memuse.h"
#include "util/hist.h"

struct engine;

/* What the timed region measured. */
struct engine_out {
	uint64_t t0, steady_ns, t1; /* start, start of the reported part, end */
	uint64_t checksum;	    /* of every thread, summed */
	/* the slowest thread's own throughput over the reported part, in
	 * bytes per second (the aggregate is bytes over t1 - steady_ns) */
	double slowest_thread_bps;
	/* the process's memory after every operation, before the backend's
	 * end (mmap's munmap) */
	struct memuse mem;
};

/* Set up cfg->threads threads for p on b (ctx set up already), untimed.
 * 0 or a negative errno. */
int engine_start(struct engine **e, const struct config *cfg, const struct backend *b,
		 struct backend_ctx *ctx, const struct op_plan *p);

/* The timed region; every thread's sampled latencies are merged into lat.
 * 0 or the first negative errno of a backend hook (-ECLEANUP_SIGBUS: a
 * mapping faulted under a thread); the file offset where the failing
 * thread failed is then the caller's datafile_failed_at(). */
int engine_run(struct engine *e, struct hist *lat, struct engine_out *out);

/* The operations and bytes every thread has completed so far, first pass
 * included; safe from another thread while engine_run() runs (each
 * thread's count is exact, the sum a moment's snapshot). */
void engine_progress(const struct engine *e, uint64_t *ops, uint64_t *bytes);

/* Join the threads and free them (also after a failed or skipped run). */
void engine_stop(struct engine *e);

#endif
