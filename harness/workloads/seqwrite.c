/*
 * workloads/seqwrite.c - overwrite the whole file front to back in --block
 * units, --passes times (default 1), without reading it first: every write
 * puts down the same block of bytes (a pattern of its own), as fio's
 * writes do.  With --threads, each thread overwrites its own slice.
 *
 * Through a mapping this is a memcpy() into the page cache: a blind write
 * faults each folio once, where inplace's read-modify-write takes a read
 * fault and then a write-protect fault per page (compare minor_faults).
 * Verified and put back like inplace: every block must hold the written
 * bytes, then the originals are written back and synced.
 */
#include "sys/datafile.h"
#include "workloads/workloads.h"

static int seqwrite_plan(struct op_plan *p, const struct config *cfg, const struct datafile *df,
			 unsigned nfiles, uint64_t iteration)
{
	int err = workload_plan_ranges(p, cfg, df, df->size, cfg->passes ? cfg->passes : 1, false);

	(void)nfiles; /* one file: the runner gives it no more */
	(void)iteration;
	return err ? err : workload_plan_writes(p, cfg, df, OP_WRITE);
}

const struct workload workload_seqwrite = {
	.name = "seqwrite",
	.summary = "overwrite the whole file front to back in --block units, no read first",
	.flags = WORKLOAD_WRITES,
	.op = OP_WRITE,
	.plan = seqwrite_plan,
	.verify = workload_verify_writes,
	.restore = workload_restore_writes,
};
