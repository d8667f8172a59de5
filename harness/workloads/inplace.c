/*
 * workloads/inplace.c - --ops read-modify-write updates of --block bytes at
 * random block-aligned offsets: every 64-bit word of the block is read once
 * and incremented by one.  With --sync end the timed region ends with the
 * backend's durability call (msync, fsync, fflush+fsync).
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
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "consume.h"
#include "datafile.h"
#include "journal.h"
#include "pattern.h"
#include "workload.h"

/* A restore copy of a user's file's blocks is kept in memory (and in its
 * journal); beyond this many bytes inplace on such a file is refused. */
#define INPLACE_MAX_SAVED (1ULL << 30)

static int inplace_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Collapse the offsets into distinct blocks with their update counts. */
static int inplace_touched(struct plan *p)
{
	uint64_t *sorted = malloc(p->noffsets * sizeof(*sorted));
	size_t n = 0;

	p->touched = malloc(p->noffsets * sizeof(*p->touched));
	p->touch_count = malloc(p->noffsets * sizeof(*p->touch_count));
	if (!sorted || !p->touched || !p->touch_count) {
		free(sorted);
		return -ENOMEM;
	}
	memcpy(sorted, p->offsets, p->noffsets * sizeof(*sorted));
	qsort(sorted, p->noffsets, sizeof(*sorted), inplace_cmp_u64);
	for (uint64_t i = 0; i < p->noffsets; i++) {
		if (n && p->touched[n - 1] == sorted[i]) {
			p->touch_count[n - 1]++;
			continue;
		}
		p->touched[n] = sorted[i];
		p->touch_count[n++] = 1;
	}
	p->ntouched = n;
	free(sorted);
	return 0;
}

/* The bytes touched block i held before the repetition, into buf. */
static void inplace_original(const struct plan *p, const struct datafile *df, size_t i,
			     unsigned char *buf)
{
	if (p->saved)
		memcpy(buf, p->saved + i * p->block, p->block);
	else
		pattern_fill(df->seed, p->touched[i], buf, p->block);
}

static int inplace_plan(struct plan *p, const struct config *cfg, const struct datafile *df,
			uint64_t iteration)
{
	uint64_t words = cfg->block / 8;
	unsigned char *orig;
	int err;

	err = workload_plan_random(p, cfg, df, iteration);
	if (!err)
		err = inplace_touched(p);
	if (err)
		return err;
	/* A user's file is put back from its own bytes, read before the first
	 * touch, never from the pattern it seems to hold (a few sampled words
	 * cannot prove the rest); they are journaled for signals and SIGKILL. */
	if (!df->patterned || !df->temporary) {
		if (p->ntouched * p->block > INPLACE_MAX_SAVED)
			return -E2BIG;
		p->saved = malloc(p->ntouched * p->block);
		if (!p->saved)
			return -ENOMEM;
		for (size_t i = 0; i < p->ntouched && !err; i++)
			err = datafile_pread_all(df->fd, p->saved + i * p->block, p->block,
						 p->touched[i]);
		if (!err && !df->temporary)
			err = journal_begin(df->path, df->fd, df->size, p->touched, p->saved,
					    p->ntouched, p->block);
		if (err)
			return err;
		p->journaled = !df->temporary;
	}
	orig = malloc(p->block);
	if (!orig)
		return -ENOMEM;
	/* The k-th update of a block (k from 0) reads its original sum plus
	 * k per word; over c updates that is c * sum + words * c(c-1)/2. */
	p->expected_sum = 0;
	for (size_t i = 0; i < p->ntouched; i++) {
		uint64_t c = p->touch_count[i];

		inplace_original(p, df, i, orig);
		p->expected_sum += (c * consume(orig, p->block) + words * (c * (c - 1) / 2)) *
				   workload_weight(p->touched[i]);
	}
	free(orig);
	return 0;
}

static int inplace_execute(struct exec *x)
{
	return workload_run_offsets(x, true);
}

static int inplace_verify(const struct plan *p, const struct backend *b, struct backend_ctx *ctx,
			  bool durable, bool *ok)
{
	unsigned char *got = malloc(p->block), *want = malloc(p->block);
	int err = 0;

	if (!got || !want) {
		err = -ENOMEM;
		goto out;
	}
	/* After a sync the pages are clean: dropping them makes the read-back
	 * come from the device, proving the update reached it. */
	if (durable && !(b->flags & BACKEND_ANON))
		err = datafile_evict(ctx->df);
	*ok = true;
	for (size_t i = 0; i < p->ntouched && !err && *ok; i++) {
		if (b->peek)
			err = b->peek(ctx, p->touched[i], p->block, got);
		else
			err = datafile_pread_all(ctx->df->fd, got, p->block, p->touched[i]);
		inplace_original(p, ctx->df, i, want);
		consume_increment(want, p->block, p->touch_count[i]);
		*ok = !memcmp(got, want, p->block);
	}
out:
	free(got);
	free(want);
	return err;
}

static int inplace_restore(const struct plan *p, const struct datafile *df)
{
	unsigned char *buf = malloc(p->block);
	int err = 0;

	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < p->ntouched && !err; i++) {
		inplace_original(p, df, i, buf);
		err = datafile_pwrite_all(df->fd, buf, p->block, p->touched[i]);
	}
	free(buf);
	/* Leave no dirty pages behind: writing them back would otherwise
	 * land inside the next step's timed region (its fsync or msync, or
	 * background writeback), charging one backend for another's work. */
	if (!err && fdatasync(df->fd))
		err = -errno;
	return err;
}

const struct workload workload_inplace = {
	.name = "inplace",
	.summary = "--ops read-modify-write updates of --block bytes at random offsets, --sync",
	.flags = WORKLOAD_WRITES,
	.plan = inplace_plan,
	.execute = inplace_execute,
	.verify = inplace_verify,
	.restore = inplace_restore,
};
