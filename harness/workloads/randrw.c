/*
 * workloads/randrw.c - --ops operations of --block bytes at random
 * block-aligned offsets, each a read (--read-pct of them, fio's rwmixread)
 * or a blind write of the plan's bytes, mixed in one stream per thread;
 * each thread in its own slice of the file, as randwrite's.
 *
 * What a read returns depends on whether its block was written earlier in
 * the repetition: every write of a block puts down the same bytes (src
 * stamped with the offset), and a thread's slice is its own, so the plan
 * follows each thread's operations in order and knows it.  The stream is
 * recorded (struct stream_op, in a file of the plan's own, read a chunk at
 * a time) because each operation's kind is drawn before the timer, not in
 * it.  Afterwards every written block is read back and put back, as for
 * randwrite.
 */
#include "workloads/workloads.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys/datafile.h"
#include "util/rng.h"

/* The kind of each operation comes from a stream of its own. */
#define RANDRW_KIND_SALT 0x2545f4914f6cdd1dULL

/* Thread w's operations: drawn, written to the records at base, with
 * their checksum into p->expected_sum and the offsets of its writes
 * appended to writes[]. */
static int randrw_thread(struct op_plan *p, const struct config *cfg, const struct datafile *df,
			 unsigned w, uint64_t base, unsigned char *written, uint64_t *writes,
			 size_t *nwrites, struct stream_ops_writer *wr)
{
	const struct stream *s = &p->steady[w];
	struct stream_pos pos;
	struct rng kind;
	uint64_t off;
	size_t len;
	int err = 0;

	*wr = (struct stream_ops_writer){ .fd = p->records_fd, .at = base };
	rng_seed(&kind, s->seed ^ RANDRW_KIND_SALT);
	stream_start(s, &pos);
	while (!err && stream_next(s, &pos, &off, &len)) {
		bool write = rng_below(&kind, 100) >= cfg->read_pct;
		uint64_t b = off / p->block, sum;

		if (write) {
			written[b / 8] |= (unsigned char)(1u << (b % 8));
			writes[(*nwrites)++] = off;
			sum = workload_write_sum(p, off, len);
		} else if (written[b / 8] & (1u << (b % 8))) {
			sum = workload_write_sum(p, off, len); /* this thread's own write */
		} else {
			err = datafile_expected_sum(df, off, len, &sum);
		}
		p->expected_sum += sum * workload_weight(off);
		if (!err)
			err = stream_ops_put(wr, &(struct stream_op){ .off = off, .len = (uint32_t)len,
								       .write = write });
	}
	return err ? err : stream_ops_flush(wr);
}

static int randrw_plan(struct op_plan *p, const struct config *cfg, const struct datafile *df,
		       unsigned nfiles, uint64_t iteration)
{
	int err = workload_plan_random(p, cfg, df, iteration, true, false);
	uint64_t nblocks = df->size / cfg->block, base = 0, *writes = NULL;
	unsigned char *written = NULL;
	struct stream_ops_writer *wr = NULL;
	size_t nwrites = 0;
	int fd;

	(void)nfiles; /* one file: the runner gives it no more */
	if (err)
		return err;
	p->op = OP_MIXED;
	err = workload_make_src(p, cfg);
	if (err)
		return err;
	fd = workload_records_file(cfg->dir ? cfg->dir : "/var/tmp");
	if (fd < 0)
		return fd;
	p->owns_records = true;
	p->records_fd = fd;
	written = calloc(nblocks / 8 + 1, 1);
	writes = malloc((p->ops + 1) * sizeof(*writes));
	wr = malloc(sizeof(*wr));
	if (!written || !writes || !wr) {
		err = -ENOMEM;
		goto out;
	}
	p->expected_sum = 0;
	for (unsigned w = 0; w < p->threads && !err; w++) {
		struct stream_ops *o = &p->recorded[w];
		uint64_t n = stream_ops(&p->steady[w]);

		*o = (struct stream_ops){ .fd = fd, .base = base, .n = n, .bytes = n * p->block };
		if (n)
			err = randrw_thread(p, cfg, df, w, base, written, writes, &nwrites, wr);
		base += n * sizeof(struct stream_op);
	}
	if (!err)
		err = workload_set_touched(p, writes, nwrites);
	if (!err)
		err = workload_save_touched(p, df);
	/* the streams are the records now; their first chunks before the timer */
	for (unsigned w = 0; w < p->threads && !err; w++) {
		struct stream_ops *o = &p->recorded[w];

		err = stream_ops_ready(o);
		p->steady[w] = (struct stream){ .ops = o, .block = p->block };
	}
out:
	free(written);
	free(writes);
	free(wr);
	return err;
}

const struct workload workload_randrw = {
	.name = "randrw",
	.summary = "--ops random reads and writes of --block bytes, --read-pct of them reads",
	.flags = WORKLOAD_WRITES | WORKLOAD_RANDOM | WORKLOAD_MIXED,
	.op = OP_MIXED,
	.plan = randrw_plan,
	.verify = workload_verify_writes,
	.restore = workload_restore_writes,
};
