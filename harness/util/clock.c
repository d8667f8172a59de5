#include "util/clock.h"

#include "util/stats.h"

uint64_t clock_resolution_ns(void)
{
	struct timespec ts;

	if (clock_getres(CLOCK_MONOTONIC, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

double clock_overhead_ns(void)
{
	/* 64 batches of 256 reads each; the median batch is robust against a
	 * batch that an interrupt or preemption landed in. */
	enum { BATCHES = 64, PER_BATCH = 256 };
	double per_call[BATCHES];

	for (int b = 0; b < BATCHES; b++) {
		uint64_t t0 = clock_now_ns(), t1 = t0;

		for (int i = 0; i < PER_BATCH; i++)
			t1 = clock_now_ns();
		per_call[b] = (double)(t1 - t0) / PER_BATCH;
	}
	return stats_median(per_call, BATCHES);
}
