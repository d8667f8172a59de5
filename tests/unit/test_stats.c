/* Unit tests for stats.c and hist.c: percentiles of samples and of the
 * latency histogram. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/hist.h"
#include "util/stats.h"

static void test_median_and_percentiles(void **state)
{
	const double odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3, 2 };
	const double ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	double lo, hi;

	(void)state;
	assert_true(stats_median(odd, 3) == 3);
	assert_true(stats_median(even, 4) == 2.5);
	assert_true(stats_median(odd, 0) == 0);
	/* h = (n-1)p; numpy.percentile([1..10], 90) = 9.1 */
	assert_true(fabs(stats_percentile(ten, 10, 90) - 9.1) < 1e-9);
	assert_true(stats_percentile(ten, 10, 0) == 1);
	assert_true(stats_percentile(ten, 10, 100) == 10);
	stats_minmax(even, 4, &lo, &hi);
	assert_true(lo == 1 && hi == 4);
	/* |x - 3| over {5,1,3} = {2,2,0}: median 2 */
	assert_true(stats_mad(odd, 3) == 2);
}

static void test_hist_buckets(void **state)
{
	(void)state;
	/* Exact below 32, then 32 buckets per power of two. */
	for (uint64_t v = 0; v < 32; v++)
		assert_int_equal(hist_bucket(v), v);
	assert_int_equal(hist_bucket(32), 32);
	assert_int_equal(hist_bucket(63), 63);
	assert_int_equal(hist_bucket(64), 64);
	assert_int_equal(hist_bucket(65), 64);
	assert_int_equal(hist_bucket(66), 65);
	assert_true(hist_bucket(UINT64_MAX) < HIST_BUCKETS);
	/* Every bucket's lower bound maps back to that bucket, and bounds
	 * grow monotonically. */
	for (unsigned b = 1; b < HIST_BUCKETS; b++) {
		assert_int_equal(hist_bucket(hist_bucket_low(b)), b);
		assert_true(hist_bucket_low(b) > hist_bucket_low(b - 1));
	}
}

static void test_hist_percentiles(void **state)
{
	static struct hist h;

	(void)state;
	hist_reset(&h);
	assert_int_equal(hist_percentile(&h, 50), 0);
	for (uint64_t v = 1; v <= 1000; v++)
		hist_add(&h, v * 1000);
	assert_int_equal(h.count, 1000);
	assert_int_equal(hist_percentile(&h, 100), 1000000);
	/* Within the 1/32 bucket width of the true values. */
	assert_true(fabs((double)hist_percentile(&h, 50) - 500000) <= 500000 / 32.0);
	assert_true(fabs((double)hist_percentile(&h, 99) - 990000) <= 990000 / 32.0);
	assert_true(hist_percentile(&h, 99) <= h.max);
	/* A single value is its own every percentile, up to bucket width. */
	hist_reset(&h);
	hist_add(&h, 7);
	assert_int_equal(hist_percentile(&h, 1), 7);
	assert_int_equal(hist_percentile(&h, 99), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median_and_percentiles),
		cmocka_unit_test(test_hist_buckets),
		cmocka_unit_test(test_hist_percentiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
