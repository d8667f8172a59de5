/*
 * workloads/reread.c - repeated reads of a hot set: the first --hot bytes
 * (default 1/8 of the file), --passes times (default 8).  The row reports the
 * steady-state passes; the first pass, with the cost of first touch (and the
 * backend's begin, e.g. mmap()), is reported apart as first_pass_ns.
 */
#include "clock.h"
#include "datafile.h"
#include "hist.h"
#include "workload.h"

static int reread_plan(struct plan *p, const struct config *cfg, const struct datafile *df,
		       uint64_t iteration)
{
	uint64_t hot = cfg->hot ? cfg->hot : df->size / 8;
	uint64_t sum;
	int err;

	(void)iteration;
	/* Whole blocks only, at least one, never past the end of the file. */
	if (hot > df->size)
		hot = df->size;
	hot = hot / cfg->block * cfg->block;
	if (hot < cfg->block)
		hot = cfg->block;
	err = workload_expected_range(df, 0, hot, cfg->block, &sum);
	if (err)
		return err;
	p->block = cfg->block;
	p->hot = hot;
	p->passes = cfg->passes ? cfg->passes : 8;
	p->ops = hot / cfg->block * (p->passes - 1);
	p->bytes = hot * (p->passes - 1);
	p->expected_sum = sum * p->passes;
	return 0;
}

static int reread_pass(struct exec *x)
{
	for (uint64_t off = 0; off < x->plan->hot; off += x->plan->block) {
		int err = workload_op(x, off, x->plan->block, false);

		if (err)
			return err;
	}
	return 0;
}

static int reread_execute(struct exec *x)
{
	int err = reread_pass(x);

	if (err)
		return err;
	/* Latencies describe the steady state, like the throughput. */
	hist_reset(x->lat);
	x->steady_start_ns = clock_now_ns();
	for (uint64_t pass = 1; pass < x->plan->passes && !err; pass++)
		err = reread_pass(x);
	return err;
}

const struct workload workload_reread = {
	.name = "reread",
	.summary = "--passes reads of the first --hot bytes; reports steady passes, first pass apart",
	.plan = reread_plan,
	.execute = reread_execute,
};
