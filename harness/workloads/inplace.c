/*
 * workloads/inplace.c - --ops read-modify-write updates of --block bytes at
 * random block-aligned offsets: every 64-bit word of the block is read once
 * and incremented by one.  With --threads, each thread updates blocks of
 * its own slice of the file only, so every update is checked.  With --sync
 * end the timed region ends with the backend's durability call (msync,
 * fsync, fflush+fsync); --sync each makes it after every update.
 *
 * Afterwards every updated block is read back (from the device, after
 * eviction, when the writes were synced) and each word must equal its
 * original value plus the number of updates of its block.  Then the original
 * bytes are written back and synced, whether or not the updates landed, so
 * the file holds its original content for the next repetition and for the
 * user, and no step inherits another's dirty pages.  On a user's file the
 * originals are read from it and journaled first (journal.h), so a signal or
 * a SIGKILL cannot leave it changed for good.
 */
#include "workloads/workloads.h"

static int inplace_plan(struct op_plan *p, const struct config *cfg, const struct datafile *df,
			unsigned nfiles, uint64_t iteration)
{
	int err = workload_plan_random(p, cfg, df, iteration, true, false);

	(void)nfiles; /* one file: the runner gives it no more */
	return err ? err : workload_plan_writes(p, cfg, df, OP_UPDATE);
}

const struct workload workload_inplace = {
	.name = "inplace",
	.summary = "--ops read-modify-write updates of --block bytes at random offsets, --sync",
	.flags = WORKLOAD_WRITES | WORKLOAD_RANDOM,
	.op = OP_UPDATE,
	.plan = inplace_plan,
	.verify = workload_verify_writes,
	.restore = workload_restore_writes,
};
