/*
 * workloads/seqread.c - the whole file front to back in --block units,
 * --passes times (default 1); with --threads, each thread reads its own
 * slice of the file front to back.
 */
#include "sys/datafile.h"
#include "workloads/workloads.h"

static int seqread_plan(struct op_plan *p, const struct config *cfg, const struct datafile *df,
			unsigned nfiles, uint64_t iteration)
{
	(void)nfiles; /* one file: the runner gives it no more */
	(void)iteration;
	return workload_plan_ranges(p, cfg, df, df->size, cfg->passes ? cfg->passes : 1, false);
}

const struct workload workload_seqread = {
	.name = "seqread",
	.summary = "read the whole file front to back in --block units, --passes times",
	.op = OP_READ,
	.plan = seqread_plan,
};
