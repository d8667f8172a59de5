/*
 * clock.h - the one clock every timed region uses: CLOCK_MONOTONIC, read
 * through the vDSO, in nanoseconds.
 */
#ifndef MMBENCH_CLOCK_H
#define MMBENCH_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t clock_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The clock's advertised resolution, in nanoseconds. */
uint64_t clock_resolution_ns(void);

/* The median cost of one clock_now_ns() call, measured now over many back-to
 * -back reads; recorded with results so per-operation latencies can be read
 * against it. */
double clock_overhead_ns(void);

#endif
