/*
 * workloads/reread.c - repeated reads of a hot set: the first --hot bytes
 * (default 1/8 of the file), --passes times (default 8); with --threads,
 * each thread rereads its own slice of the hot set.  The row reports the
 * steady-state passes; the first pass, with the cost of first touch (and
 * the backend's begin, e.g. mmap()), is reported apart as first_pass_ns.
 */
#include "sys/datafile.h"
#include "workloads/workloads.h"

static int reread_plan(struct op_plan *p, const struct config *cfg, const struct datafile *df,
		       unsigned nfiles, uint64_t iteration)
{
	uint64_t hot = cfg->hot ? cfg->hot : df->size / 8;
	int err;

	(void)nfiles; /* one file: the runner gives it no more */
	(void)iteration;
	/* Whole blocks only, at least one, never past the end of the file. */
	if (hot > df->size)
		hot = df->size;
	hot = hot / cfg->block * cfg->block;
	if (hot < cfg->block)
		hot = cfg->block;
	err = workload_plan_ranges(p, cfg, df, hot, cfg->passes ? cfg->passes : 8, true);
	p->hot = hot;
	return err;
}

const struct workload workload_reread = {
	.name = "reread",
	.summary = "--passes reads of the first --hot bytes; reports steady passes, first pass apart",
	.op = OP_READ,
	.plan = reread_plan,
};
