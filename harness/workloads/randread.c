/*
 * workloads/randread.c - --ops reads of --block bytes at uniformly random,
 * block-aligned offsets, drawn from --seed; with --threads, each thread
 * draws its own share of them from its own stream, anywhere in the file.
 */
#include "workloads/workloads.h"

static int randread_plan(struct op_plan *p, const struct config *cfg, const struct datafile *df,
			 unsigned nfiles, uint64_t iteration)
{
	(void)nfiles; /* one file: the runner gives it no more */
	return workload_plan_random(p, cfg, df, iteration, false, true);
}

const struct workload workload_randread = {
	.name = "randread",
	.summary = "--ops reads of --block bytes at random block-aligned offsets",
	.flags = WORKLOAD_RANDOM,
	.op = OP_READ,
	.plan = randread_plan,
};
