/*
 * progress.h - one status line on stderr for long runs: steps done / total,
 * elapsed, ETA and what runs now.  Silent unless enabled, and callers enable
 * it only when stderr is a terminal and --quiet is not given.
 */
#ifndef MMBENCH_PROGRESS_H
#define MMBENCH_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress {
	bool enabled;
	uint64_t done, total;
	uint64_t start_ns;
};

void progress_init(struct progress *p, uint64_t total, bool enabled);

/* Redraw the line for the step about to run, described by what. */
void progress_show(struct progress *p, const char *what);

/* Count one step as done. */
void progress_step(struct progress *p);

/* Erase the line (before other output, and at the end). */
void progress_clear(struct progress *p);

#endif
