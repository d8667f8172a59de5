/*
 * stream.h - the operations one thread issues, generated on the fly rather
 * than stored: a range walked in block steps (some passes over it), or a
 * count of block-aligned offsets drawn from a seed.  A plan (untimed) walks
 * a stream to know the checksum the run must produce; the engine (timed)
 * walks the same stream to issue the operations.  So a file of hundreds of
 * GiB needs no array of offsets, and every backend in a repetition visits
 * the same blocks.
 */
#ifndef MMBENCH_STREAM_H
#define MMBENCH_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/rng.h"

/* How a random stream picks its blocks (--dist). */
enum stream_dist_kind { DIST_UNIFORM, DIST_ZIPF, DIST_HOT };

struct stream_dist {
	enum stream_dist_kind kind;
	double theta;	       /* zipf: the skew, 0 < theta < 1 */
	double hot_frac, hot_prob; /* hot: this fraction of the blocks gets this share */
};

/* One operation of a recorded stream (a replayed trace): stored, not
 * drawn.  24 bytes, so a chunk of them is a few pages. */
struct stream_op {
	uint64_t off;
	uint64_t at_ns; /* when the recording issued it, since the trace's start */
	uint32_t len;
	uint16_t file; /* which of the plan's files */
	uint8_t write; /* else a read */
	uint8_t pad;
};

/* A recorded stream's operations: kept in a file (unlinked, so it cannot
 * outlive the process) and read a chunk at a time, so a trace of any length
 * replays in bounded memory.  The chunk is the walk's, mutable through a
 * const stream: one walk of a stream at a time. */
struct stream_ops {
	int fd;
	uint64_t base;		 /* where the first operation is in fd */
	uint64_t n, bytes;	 /* operations, and the bytes they move */
	struct stream_op *chunk; /* room for cap operations */
	size_t cap;
	uint64_t chunk_first; /* the index of chunk[0] */
	size_t chunk_n;	      /* operations in the chunk */
	int err;	      /* a chunk that could not be read ends the walk with it */
};

struct stream {
	bool random;
	struct stream_ops *ops; /* non-NULL: a recorded stream; the rest unused */
	uint64_t block;
	/* in order: [start, end) in block steps, passes times; the last
	 * operation of a pass may be short (the end of the file) */
	uint64_t start, end, passes;
	/* random: n offsets base + k * block, k in [0, nblocks) drawn by dist;
	 * the skewed ones scatter their ranks over the range (k = rank *
	 * perm mod nblocks), so the hot blocks are not the first ones */
	uint64_t n, base, nblocks, seed;
	struct stream_dist dist;
	uint64_t perm, nhot;
	double zeta_n, zipf_alpha, zipf_eta, zipf_half; /* Gray et al.'s constants */
};

/* Where a walk of a stream is. */
struct stream_pos {
	uint64_t off, pass, i;
	struct rng rng;
};

static inline void stream_start(const struct stream *s, struct stream_pos *p)
{
	p->off = s->start;
	/* a recorded stream keeps its chunk: the first one is read before the
	 * timer (stream_ops_fill), not here */
	p->pass = 0;
	p->i = 0;
	if (s->random)
		rng_seed(&p->rng, s->seed);
}

/* The next operation's offset and length; false when the stream is done. */
/* A skewed stream's next block (stream.c). */
uint64_t stream_skewed(const struct stream *s, struct rng *rng);

static inline bool stream_next(const struct stream *s, struct stream_pos *p, uint64_t *off,
			       size_t *len)
{
	if (s->random) {
		if (p->i == s->n)
			return false;
		p->i++;
		*off = s->base + (s->dist.kind == DIST_UNIFORM ? rng_below(&p->rng, s->nblocks)
							       : stream_skewed(s, &p->rng)) *
					 s->block;
		*len = (size_t)s->block;
		return true;
	}
	if (p->off >= s->end) {
		if (++p->pass >= s->passes || s->start >= s->end)
			return false;
		p->off = s->start;
	}
	*off = p->off;
	*len = (size_t)(s->end - p->off < s->block ? s->end - p->off : s->block);
	p->off += *len;
	return true;
}

/* One operation as the engine issues it: where, how much, in which of
 * the plan's files, and whether a recorded stream says it writes. */
struct stream_item {
	uint64_t off;
	size_t len;
	unsigned file;
	bool write;
	uint64_t at_ns; /* recorded streams: when it was issued; else 0 */
};

/* Records of a recorded stream read at once: 16384 of 24 bytes, 384 KiB a
 * thread (24 MiB at CONFIG_MAX_THREADS). */
#define STREAM_OPS_CHUNK 16384

/* Read the chunk of ops that starts at operation i: 0, or -1 with ops->err
 * set (stream.c). */
int stream_ops_fill(struct stream_ops *ops, uint64_t i);

/* Untimed: the records of a stream being made, written a batch at a time
 * at at in fd (a plan writes each thread's at its base). */
#define STREAM_OPS_BATCH 4096
struct stream_ops_writer {
	int fd;
	uint64_t at;
	size_t fill;
	struct stream_op batch[STREAM_OPS_BATCH];
};

/* Add op (written when the batch is full), and write what is left: 0 or
 * a negative errno. */
int stream_ops_put(struct stream_ops_writer *w, const struct stream_op *op);
int stream_ops_flush(struct stream_ops_writer *w);

/* Untimed: give ops (fd, base, n and bytes set) its chunk and read the
 * first one, so the timed region starts on it: 0, -ENOMEM, or the error
 * of the read. */
int stream_ops_ready(struct stream_ops *ops);

/* stream_next() for any stream, recorded ones too. */
static inline bool stream_next_item(const struct stream *s, struct stream_pos *p,
				    struct stream_item *it)
{
	struct stream_ops *ops = s->ops;

	if (ops) {
		const struct stream_op *op;

		if (p->i == ops->n)
			return false;
		/* unsigned: an index before the chunk wraps past chunk_n too */
		if (p->i - ops->chunk_first >= ops->chunk_n && stream_ops_fill(ops, p->i))
			return false;
		op = &ops->chunk[p->i++ - ops->chunk_first];
		it->off = op->off;
		it->len = op->len;
		it->file = op->file;
		it->write = op->write;
		it->at_ns = op->at_ns;
		return true;
	}
	it->file = 0;
	it->write = false;
	it->at_ns = 0;
	return stream_next(s, p, &it->off, &it->len);
}

/* Operations in the stream. */
uint64_t stream_ops(const struct stream *s);

/* Bytes the stream's operations cover, counting repeats. */
uint64_t stream_bytes(const struct stream *s);

/* A sequential stream over [start, end), passes times. */
struct stream stream_range(uint64_t start, uint64_t end, uint64_t block, uint64_t passes);

/* A random stream of n offsets in the blocks [base, base + nblocks * block),
 * drawn by dist. */
struct stream stream_random(uint64_t n, uint64_t base, uint64_t nblocks, uint64_t block,
			    uint64_t seed, const struct stream_dist *dist);

/* Parse --dist: "uniform", "zipf:THETA" (0 < THETA < 1) or
 * "hot:FRACTION:PROB" (both between 0 and 1): 0 or -EINVAL. */
int stream_dist_parse(const char *text, struct stream_dist *d);

#endif
