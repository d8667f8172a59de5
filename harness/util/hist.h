/*
 * hist.h - per-operation latency histogram with log-linear buckets.
 *
 * Values below 2^HIST_SUB_BITS nanoseconds get a bucket each; above that,
 * every power of two is split into 2^HIST_SUB_BITS equal buckets, so a
 * bucket's width is at most 1/32 of its value (3% relative error) from 1 ns to
 * 2^64 ns.  Recording is a few instructions and never allocates.
 */
#ifndef MMBENCH_HIST_H
#define MMBENCH_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS 5
#define HIST_SUB (1u << HIST_SUB_BITS)
#define HIST_BUCKETS ((64 - HIST_SUB_BITS + 1) * HIST_SUB)

struct hist {
	uint64_t count;
	uint64_t max;
	uint64_t buckets[HIST_BUCKETS];
};

/* The bucket index that holds value v. */
static inline unsigned hist_bucket(uint64_t v)
{
	unsigned shift;

	if (v < HIST_SUB)
		return (unsigned)v;
	shift = (unsigned)(63 - __builtin_clzll(v)) - HIST_SUB_BITS;
	return (shift + 1) * HIST_SUB + (unsigned)((v >> shift) & (HIST_SUB - 1));
}

static inline void hist_add(struct hist *h, uint64_t v)
{
	h->buckets[hist_bucket(v)]++;
	h->count++;
	if (v > h->max)
		h->max = v;
}

/* Empty the histogram. */
void hist_reset(struct hist *h);

/* Add every value recorded in from to into (a worker's into the row's). */
void hist_merge(struct hist *into, const struct hist *from);

/* Smallest value that falls into bucket b. */
uint64_t hist_bucket_low(unsigned b);

/* The p-th percentile (0 < p <= 100): the midpoint of the bucket holding the
 * ceil(p% * count)-th smallest value, never above the recorded maximum; the
 * exact maximum for p == 100; 0 for an empty histogram. */
uint64_t hist_percentile(const struct hist *h, double p);

#endif
