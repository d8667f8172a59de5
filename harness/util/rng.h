/*
 * rng.h - the one random generator: the random workloads' block offsets,
 * and the shuffled order of interleaved rounds.  Offsets are generated
 * before the timer starts, from the run's seed and the repetition, so every
 * backend in a repetition visits the same blocks.
 */
#ifndef MMBENCH_RNG_H
#define MMBENCH_RNG_H

#include <stddef.h>
#include <stdint.h>

/* A small, fast generator (xoshiro256**) seeded through splitmix64. */
struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);

/* A uniform integer in [0, bound) without modulo bias (bound > 0). */
uint64_t rng_below(struct rng *r, uint64_t bound);

/* Fill out[0..n) with offsets k * block, k uniform in [0, nblocks). */
void rng_offsets(uint64_t *out, size_t n, uint64_t nblocks, uint64_t block, uint64_t seed);

/* Shuffle the n indices of order[] uniformly (Fisher-Yates). */
void rng_shuffle(size_t *order, size_t n, struct rng *r);

#endif
