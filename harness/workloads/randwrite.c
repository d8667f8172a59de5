/*
 * workloads/randwrite.c - --ops blind writes of --block bytes at random
 * block-aligned offsets (each thread in its own slice of the file), no read
 * first; verified and put back like seqwrite.
 */
#include "workloads/workloads.h"

static int randwrite_plan(struct op_plan *p, const struct config *cfg, const struct datafile *df,
			  unsigned nfiles, uint64_t iteration)
{
	int err = workload_plan_random(p, cfg, df, iteration, true, false);

	(void)nfiles; /* one file: the runner gives it no more */
	return err ? err : workload_plan_writes(p, cfg, df, OP_WRITE);
}

const struct workload workload_randwrite = {
	.name = "randwrite",
	.summary = "--ops writes of --block bytes at random block-aligned offsets, no read first",
	.flags = WORKLOAD_WRITES | WORKLOAD_RANDOM,
	.op = OP_WRITE,
	.plan = randwrite_plan,
	.verify = workload_verify_writes,
	.restore = workload_restore_writes,
};
