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

struct stream {
	bool random;
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
