#include "core/stream.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys/datafile.h"

uint64_t stream_ops(const struct stream *s)
{
	if (s->ops)
		return s->ops->n;
	if (s->random)
		return s->n;
	if (s->start >= s->end)
		return 0;
	return (s->end - s->start + s->block - 1) / s->block * s->passes;
}

uint64_t stream_bytes(const struct stream *s)
{
	if (s->ops)
		return s->ops->bytes;
	if (s->random)
		return s->n * s->block;
	return s->start >= s->end ? 0 : (s->end - s->start) * s->passes;
}

int stream_ops_fill(struct stream_ops *ops, uint64_t i)
{
	size_t want = ops->n - i < ops->cap ? (size_t)(ops->n - i) : ops->cap;
	size_t bytes = want * sizeof(*ops->chunk), done = 0;

	while (done < bytes) {
		ssize_t got = pread(ops->fd, (char *)ops->chunk + done, bytes - done,
				    (off_t)(ops->base + i * sizeof(*ops->chunk) + done));

		if (got <= 0) {
			ops->err = got < 0 ? -errno : -EIO;
			ops->chunk_n = 0;
			return -1;
		}
		done += (size_t)got;
	}
	ops->chunk_first = i;
	ops->chunk_n = want;
	return 0;
}

int stream_ops_flush(struct stream_ops_writer *w)
{
	int err = datafile_pwrite_all(w->fd, w->batch, w->fill * sizeof(*w->batch), w->at);

	w->at += w->fill * sizeof(*w->batch);
	w->fill = 0;
	return err;
}

int stream_ops_put(struct stream_ops_writer *w, const struct stream_op *op)
{
	w->batch[w->fill++] = *op;
	return w->fill == STREAM_OPS_BATCH ? stream_ops_flush(w) : 0;
}

int stream_ops_ready(struct stream_ops *ops)
{
	ops->cap = ops->n < STREAM_OPS_CHUNK ? (size_t)ops->n : STREAM_OPS_CHUNK;
	ops->chunk = malloc(ops->cap * sizeof(*ops->chunk) + 1);
	if (!ops->chunk)
		return -ENOMEM;
	return ops->n && stream_ops_fill(ops, 0) ? ops->err : 0;
}

struct stream stream_range(uint64_t start, uint64_t end, uint64_t block, uint64_t passes)
{
	return (struct stream){ .random = false, .block = block, .start = start, .end = end,
				.passes = passes };
}

static uint64_t stream_gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* zeta(n, theta) = sum of 1/i^theta for i = 1..n: exact for the first
 * terms, then the integral of x^-theta, which the sum's tail follows to a
 * part in a million from there on. */
static double stream_zeta(uint64_t n, double theta)
{
	uint64_t exact = n < 10000 ? n : 10000;
	double sum = 0;

	for (uint64_t i = 1; i <= exact; i++)
		sum += pow((double)i, -theta);
	if (n > exact)
		sum += (pow((double)n + 0.5, 1 - theta) - pow((double)exact + 0.5, 1 - theta)) /
		       (1 - theta);
	return sum;
}

struct stream stream_random(uint64_t n, uint64_t base, uint64_t nblocks, uint64_t block,
			    uint64_t seed, const struct stream_dist *dist)
{
	struct stream s = { .random = true, .block = block, .n = n, .base = base,
			    .nblocks = nblocks ? nblocks : 1, .seed = seed };

	if (dist)
		s.dist = *dist;
	/* a multiplier coprime with nblocks: rank -> block is a permutation */
	s.perm = 0x9e3779b97f4a7c15ULL % s.nblocks | 1;
	while (stream_gcd(s.perm, s.nblocks) != 1)
		s.perm += 2;
	if (s.dist.kind == DIST_HOT) {
		s.nhot = (uint64_t)(s.dist.hot_frac * (double)s.nblocks);
		if (!s.nhot)
			s.nhot = 1;
	}
	if (s.dist.kind == DIST_ZIPF) {
		double theta = s.dist.theta, zeta2 = 1 + pow(0.5, theta);

		s.zeta_n = stream_zeta(s.nblocks, theta);
		s.zipf_alpha = 1 / (1 - theta);
		s.zipf_eta = (1 - pow(2.0 / (double)s.nblocks, 1 - theta)) / (1 - zeta2 / s.zeta_n);
		s.zipf_half = zeta2;
	}
	return s;
}

/* A uniform double in [0, 1). */
static double stream_unit(struct rng *rng)
{
	return (double)(rng_next(rng) >> 11) * 0x1.0p-53;
}

uint64_t stream_skewed(const struct stream *s, struct rng *rng)
{
	uint64_t rank;

	if (!s->nblocks) /* stream_random() makes it at least 1 */
		return 0;
	if (s->dist.kind == DIST_HOT) {
		bool hot = stream_unit(rng) < s->dist.hot_prob || s->nhot == s->nblocks;

		rank = hot ? rng_below(rng, s->nhot)
			   : s->nhot + rng_below(rng, s->nblocks - s->nhot);
	} else {
		/* Gray et al., "Quickly generating billion-record synthetic
		 * databases" (SIGMOD 1994), as YCSB draws its zipfian keys */
		double u = stream_unit(rng), uz = u * s->zeta_n;

		if (uz < 1)
			rank = 0;
		else if (uz < s->zipf_half)
			rank = 1;
		else
			rank = (uint64_t)((double)s->nblocks *
					  pow(s->zipf_eta * u - s->zipf_eta + 1, s->zipf_alpha));
		if (rank >= s->nblocks)
			rank = s->nblocks - 1;
	}
	return (uint64_t)((unsigned __int128)rank * s->perm % s->nblocks);
}

int stream_dist_parse(const char *text, struct stream_dist *d)
{
	char extra;

	memset(d, 0, sizeof(*d));
	if (!strcmp(text, "uniform"))
		return 0;
	if (sscanf(text, "zipf:%lf%c", &d->theta, &extra) == 1)
		return d->theta > 0 && d->theta < 1 ? (d->kind = DIST_ZIPF, 0) : -EINVAL;
	if (sscanf(text, "hot:%lf:%lf%c", &d->hot_frac, &d->hot_prob, &extra) == 2)
		return d->hot_frac > 0 && d->hot_frac < 1 && d->hot_prob > 0 && d->hot_prob < 1
			       ? (d->kind = DIST_HOT, 0)
			       : -EINVAL;
	return -EINVAL;
}
