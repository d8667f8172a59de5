/*
 * offsets.h - reproducible random block offsets for the random workloads.
 * They are generated before the timer starts, from the run's seed and the
 * repetition, so every backend in a repetition visits the same blocks.
 */
#ifndef MMBENCH_OFFSETS_H
#define MMBENCH_OFFSETS_H

#include <stddef.h>
#include <stdint.h>

/* A small, fast generator (xoshiro256**) seeded through splitmix64. */
struct offsets_rng {
	uint64_t s[4];
};

void offsets_rng_seed(struct offsets_rng *r, uint64_t seed);
uint64_t offsets_rng_next(struct offsets_rng *r);

/* A uniform integer in [0, bound) without modulo bias (bound > 0). */
uint64_t offsets_rng_below(struct offsets_rng *r, uint64_t bound);

/* Fill out[0..n) with offsets k * block, k uniform in [0, nblocks). */
void offsets_generate(uint64_t *out, size_t n, uint64_t nblocks, uint64_t block, uint64_t seed);

/* Shuffle the n indices of order[] uniformly (Fisher-Yates). */
void offsets_shuffle(size_t *order, size_t n, struct offsets_rng *r);

#endif
