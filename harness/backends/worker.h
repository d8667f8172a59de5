/*
 * worker.h - external workers: a program in another language that runs
 * mmbench's plans under its own timer (docs/external-workers.md).
 *
 * `--worker CMD` names the program.  `CMD --list` prints its backends, one
 * per line: NAME, a tab, the operations it does (read, or read,update), a
 * tab, a summary.  They join the backend table for this run, so --backend
 * takes them beside the C ones and their rows carry their own names.
 *
 * `CMD --serve` runs once per run and talks JSON lines over its standard
 * input and output.  For every step mmbench sends {"type":"run",...} (the
 * backend, file, sync mode and latency sampling), the step and its op lines
 * as `mmbench plan` prints them, then {"type":"end"}.  The worker gets
 * ready (opens, maps) and answers {"type":"ready"}; mmbench reads the
 * worker's counters and sends {"type":"go"}; the worker runs the step under
 * its own timer and answers {"elapsed_ns":N,"first_pass_ns":N,
 * "checksum":"N","latencies_ns":[...]} or {"error":"..."}; mmbench reads the
 * counters and the worker's memory again, then sends {"type":"release"},
 * and the worker closes what it opened and answers {"type":"released"}.  The checksum is verified like any backend's; a worker
 * that lies gets verified=0, a worker that breaks the protocol fails the
 * step, and no row is written for it.
 */
#ifndef MMBENCH_WORKER_H
#define MMBENCH_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "core/backend.h"
#include "core/engine.h"
#include "core/workload.h"
#include "sys/counters.h"
#include "util/hist.h"

struct config;
struct datafile;

/* Ask CMD for its backends and add them to the table; 0, or -1 with a
 * one-line reason naming --worker. */
int worker_register(const char *cmd, char *why, size_t len);

/* Why backend b cannot run workload w (it does not update), or NULL. */
const char *worker_cannot(const struct backend *b, const struct workload *w);

/* One step through the worker: the timed region, its checksum and
 * sampled latencies (into out and lat), and the worker's counters around
 * it (into d).  0, or a negative errno with the reason in why. */
int worker_measure(const struct config *cfg, const struct backend *b, const struct datafile *df,
		   const struct op_plan *p, const char *workload, uint64_t iteration, uint64_t rep,
		   struct engine_out *out, struct counters *d, struct hist *lat, char *why,
		   size_t len);

/* End the worker process, if one runs. */
void worker_stop(void);

#endif
