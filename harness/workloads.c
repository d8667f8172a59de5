/* workloads.c - the one table of workloads, and the timed helpers they
 * share so every workload consumes data the same way. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "clock.h"
#include "consume.h"
#include "datafile.h"
#include "journal.h"
#include "hist.h"
#include "offsets.h"
#include "workload.h"

const struct workload *const workloads[] = {
	&workload_seqread,
	&workload_randread,
	&workload_reread,
	&workload_inplace,
	NULL,
};

const struct workload *workload_find(const char *name)
{
	for (const struct workload *const *w = workloads; *w; w++)
		if (!strcmp((*w)->name, name))
			return *w;
	return NULL;
}

void workload_plan_free(struct plan *p)
{
	if (p->journaled)
		journal_end(); /* before the saved bytes it points at are freed */
	free(p->offsets);
	free(p->touched);
	free(p->touch_count);
	free(p->saved);
	memset(p, 0, sizeof(*p));
}

uint64_t workload_offsets_seed(uint64_t seed, uint64_t iteration)
{
	return seed ^ (0x632be59bd9b4e019ULL * (iteration + 1));
}

int workload_expected_range(const struct datafile *df, uint64_t off, uint64_t len, uint64_t block,
			    uint64_t *sum)
{
	*sum = 0;
	for (uint64_t done = 0; done < len; done += block) {
		uint64_t n = len - done < block ? len - done : block, s;
		int err = datafile_expected_sum(df, off + done, n, &s);

		if (err)
			return err;
		*sum += s * workload_weight(off + done);
	}
	return 0;
}

/* True when this operation is one of the sampled ones. */
static inline bool workload_sampled(struct exec *x)
{
	if (--x->countdown)
		return false;
	x->countdown = x->every;
	return true;
}

int workload_op(struct exec *x, uint64_t off, size_t len, bool update)
{
	bool timed = workload_sampled(x);
	uint64_t t0 = timed ? clock_now_ns() : 0;
	unsigned char *data;
	int err = x->b->get(x->ctx, off, len, &data);

	if (err)
		return err;
	if (update) {
		x->checksum += consume_increment(data, len, 1) * workload_weight(off);
		if (x->b->put)
			err = x->b->put(x->ctx, off, len, data);
		if (err)
			return err;
	} else {
		x->checksum += consume(data, len) * workload_weight(off);
	}
	if (timed)
		hist_add(x->lat, clock_now_ns() - t0);
	return 0;
}

int workload_plan_random(struct plan *p, const struct config *cfg, const struct datafile *df,
			 uint64_t iteration)
{
	uint64_t nblocks = df->size / cfg->block;
	/* By default a quarter of the blocks: the same bytes whatever the
	 * block size, so rows of different block sizes last alike. */
	uint64_t ops = cfg->ops ? cfg->ops : (nblocks / 4 ? nblocks / 4 : 1);

	p->block = cfg->block;
	p->passes = 1;
	p->ops = p->noffsets = ops;
	p->bytes = ops * cfg->block;
	p->offsets = malloc(ops * sizeof(*p->offsets));
	if (!p->offsets)
		return -ENOMEM;
	offsets_generate(p->offsets, ops, nblocks, cfg->block,
			 workload_offsets_seed(cfg->seed, iteration));
	return 0;
}

int workload_run_offsets(struct exec *x, bool update)
{
	const struct plan *p = x->plan;

	for (uint64_t i = 0; i < p->noffsets; i++) {
		int err = workload_op(x, p->offsets[i], p->block, update);

		if (err)
			return err;
	}
	return 0;
}
