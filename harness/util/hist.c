#include "util/hist.h"

#include <math.h>
#include <string.h>

void hist_reset(struct hist *h)
{
	memset(h, 0, sizeof(*h));
}

void hist_merge(struct hist *into, const struct hist *from)
{
	for (unsigned b = 0; b < HIST_BUCKETS; b++)
		into->buckets[b] += from->buckets[b];
	into->count += from->count;
	if (from->max > into->max)
		into->max = from->max;
}

uint64_t hist_bucket_low(unsigned b)
{
	unsigned shift;

	if (b < HIST_SUB)
		return b;
	shift = b / HIST_SUB - 1;
	return (uint64_t)(HIST_SUB + b % HIST_SUB) << shift;
}

uint64_t hist_percentile(const struct hist *h, double p)
{
	uint64_t rank, seen = 0;

	if (h->count == 0)
		return 0;
	if (p >= 100)
		return h->max;
	rank = (uint64_t)ceil(p / 100.0 * (double)h->count);
	if (rank < 1)
		rank = 1;
	for (unsigned b = 0; b < HIST_BUCKETS; b++) {
		seen += h->buckets[b];
		if (seen >= rank) {
			uint64_t low = hist_bucket_low(b);
			uint64_t width = b < HIST_SUB ? 1 : 1ULL << (b / HIST_SUB - 1);
			uint64_t mid = low + (width - 1) / 2;

			return mid < h->max ? mid : h->max;
		}
	}
	return h->max;
}
