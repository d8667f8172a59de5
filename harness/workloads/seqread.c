/*
 * workloads/seqread.c - the whole file front to back in --block units,
 * --passes times (default 1).
 */
#include "backend.h"
#include "datafile.h"
#include "workload.h"

static int seqread_plan(struct plan *p, const struct config *cfg, const struct datafile *df,
			uint64_t iteration)
{
	uint64_t sum;
	int err = workload_expected_range(df, 0, df->size, cfg->block, &sum);

	(void)iteration;
	if (err)
		return err;
	p->block = cfg->block;
	p->passes = cfg->passes ? cfg->passes : 1;
	p->ops = (df->size + cfg->block - 1) / cfg->block * p->passes;
	p->bytes = df->size * p->passes;
	p->expected_sum = sum * p->passes;
	return 0;
}

static int seqread_execute(struct exec *x)
{
	const struct plan *p = x->plan;
	uint64_t size = x->ctx->df->size;

	for (uint64_t pass = 0; pass < p->passes; pass++) {
		for (uint64_t off = 0; off < size; off += p->block) {
			size_t len = (size_t)(size - off < p->block ? size - off : p->block);
			int err = workload_op(x, off, len, false);

			if (err)
				return err;
		}
	}
	return 0;
}

const struct workload workload_seqread = {
	.name = "seqread",
	.summary = "read the whole file front to back in --block units, --passes times",
	.plan = seqread_plan,
	.execute = seqread_execute,
};
