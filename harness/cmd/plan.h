/*
 * plan.h - mmbench plan: what a configuration does, operation by
 * operation, and the checksum each step must yield, as JSON or CSV lines
 * for an external worker.
 */
#ifndef MMBENCH_PLAN_H
#define MMBENCH_PLAN_H

#include <stdint.h>
#include <stdio.h>

#include "cli/cli.h"

struct plan;

/* Which step of a configuration a plan is. */
struct plan_step {
	const char *workload;
	uint64_t iteration; /* 0-based, warm-ups first */
	uint64_t rep;	    /* 1-based measured repetition; 0: a warm-up */
};

/* One step's line and its operations' lines; format 0 JSON, 1 CSV. */
void plan_print_step(FILE *f, int format, const struct plan_step *s, const struct plan *p);

extern const struct cli_command plan_command;

#endif
