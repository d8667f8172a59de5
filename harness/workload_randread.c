/*
 * workload_randread.c - --ops reads of --block bytes at uniformly random,
 * block-aligned offsets, generated from --seed before the timer starts.
 */
#include <errno.h>
#include <stdlib.h>

#include "datafile.h"
#include "offsets.h"
#include "workload.h"

static int randread_plan(struct plan *p, const struct config *cfg, const struct datafile *df,
			 uint64_t iteration)
{
	uint64_t nblocks = df->size / cfg->block;

	p->block = cfg->block;
	p->passes = 1;
	p->ops = p->noffsets = cfg->ops;
	p->bytes = cfg->ops * cfg->block;
	p->offsets = malloc(cfg->ops * sizeof(*p->offsets));
	if (!p->offsets)
		return -ENOMEM;
	offsets_generate(p->offsets, cfg->ops, nblocks, cfg->block,
			 workload_offsets_seed(cfg->seed, iteration));
	p->expected_sum = 0;
	for (uint64_t i = 0; i < p->noffsets; i++) {
		uint64_t sum;
		int err = workload_expected_range(df, p->offsets[i], p->block, p->block, &sum);

		if (err)
			return err;
		p->expected_sum += sum;
	}
	return 0;
}

static int randread_execute(struct exec *x)
{
	const struct plan *p = x->plan;

	for (uint64_t i = 0; i < p->noffsets; i++) {
		int err = workload_read_block(x, p->offsets[i], p->block);

		if (err)
			return err;
	}
	return 0;
}

const struct workload workload_randread = {
	.name = "randread",
	.summary = "--ops reads of --block bytes at random block-aligned offsets",
	.plan = randread_plan,
	.execute = randread_execute,
};
