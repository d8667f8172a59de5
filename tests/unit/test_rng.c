/* Unit tests for util/rng.c: random offsets are aligned, in range,
 * reproducible, and uniform; the shuffle is a permutation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/rng.h"

static const struct {
	uint64_t nblocks, block;
} shapes[] = { { 1, 4096 }, { 2, 8 }, { 7, 512 }, { 4096, 4096 }, { 1ULL << 40, 1 << 20 } };

static void test_aligned_in_range_reproducible(void **state)
{
	enum { N = 5000 };
	static uint64_t a[N], b[N];

	(void)state;
	for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		rng_offsets(a, N, shapes[s].nblocks, shapes[s].block, 42);
		rng_offsets(b, N, shapes[s].nblocks, shapes[s].block, 42);
		assert_memory_equal(a, b, sizeof(a));
		for (size_t i = 0; i < N; i++) {
			assert_int_equal(a[i] % shapes[s].block, 0);
			assert_true(a[i] / shapes[s].block < shapes[s].nblocks);
		}
	}
	rng_offsets(b, N, 4096, 4096, 43);
	rng_offsets(a, N, 4096, 4096, 42);
	assert_true(memcmp(a, b, sizeof(a)) != 0);
}

static void test_uniform(void **state)
{
	/* Chi-square over 16 blocks with a fixed seed: deterministic, so it
	 * cannot flake; 37.7 is the 0.999 quantile for 15 degrees of freedom. */
	enum { N = 160000, K = 16 };
	static uint64_t o[N];
	double counts[K] = { 0 }, chi = 0, expect = (double)N / K;

	(void)state;
	rng_offsets(o, N, K, 64, 7);
	for (size_t i = 0; i < N; i++)
		counts[o[i] / 64]++;
	for (int k = 0; k < K; k++)
		chi += (counts[k] - expect) * (counts[k] - expect) / expect;
	assert_true(chi < 37.7);
}

static void test_shuffle_is_permutation(void **state)
{
	enum { N = 64 };
	size_t order[N], seen[N] = { 0 };
	struct rng r;
	int moved = 0;

	(void)state;
	for (size_t i = 0; i < N; i++)
		order[i] = i;
	rng_seed(&r, 1);
	rng_shuffle(order, N, &r);
	for (size_t i = 0; i < N; i++) {
		seen[order[i]]++;
		moved += order[i] != i;
	}
	for (size_t i = 0; i < N; i++)
		assert_int_equal(seen[i], 1);
	assert_true(moved > 0);
}

static void test_below_bounds(void **state)
{
	struct rng r;

	(void)state;
	rng_seed(&r, 9);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(rng_below(&r, 1), 0);
		assert_true(rng_below(&r, 3) < 3);
		assert_true(rng_below(&r, UINT64_MAX) < UINT64_MAX);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aligned_in_range_reproducible),
		cmocka_unit_test(test_uniform),
		cmocka_unit_test(test_shuffle_is_permutation),
		cmocka_unit_test(test_below_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
