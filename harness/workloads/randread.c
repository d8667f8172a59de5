/*
 * workloads/randread.c - --ops reads of --block bytes at uniformly random,
 * block-aligned offsets, generated from --seed before the timer starts.
 */
#include "datafile.h"
#include "workload.h"

static int randread_plan(struct plan *p, const struct config *cfg, const struct datafile *df,
			 uint64_t iteration)
{
	int err = workload_plan_random(p, cfg, df, iteration);

	p->expected_sum = 0;
	for (uint64_t i = 0; i < p->noffsets && !err; i++) {
		uint64_t sum;

		err = workload_expected_range(df, p->offsets[i], p->block, p->block, &sum);
		p->expected_sum += sum;
	}
	return err;
}

static int randread_execute(struct exec *x)
{
	return workload_run_offsets(x, false);
}

const struct workload workload_randread = {
	.name = "randread",
	.summary = "--ops reads of --block bytes at random block-aligned offsets",
	.plan = randread_plan,
	.execute = randread_execute,
};
