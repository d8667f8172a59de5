/* Unit tests for rankstats.c against known values.  Reference p-values were
 * computed by enumerating every split of the pooled ranks (all C(N, n)
 * subsets) in an independent script; the R help page of wilcox.test gives
 * the same W = 35, p = 0.2544 for the second case. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/rankstats.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_mann_whitney_exact(void **state)
{
	static const double a1[] = { 1, 2, 3, 4, 5 }, a2[] = { 6, 7, 8, 9, 10 };
	/* R: wilcox.test(x, y): W = 35, p-value = 0.2544 */
	static const double x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
	static const double y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
	/* ties, exact conditional distribution */
	static const double t1[] = { 1, 2, 2, 3, 4 }, t2[] = { 2, 3, 3, 5, 6 };
	double u, p;
	bool exact;

	(void)state;
	p = rankstats_mann_whitney(a1, 5, a2, 5, &u, &exact);
	assert_true(exact);
	assert_true(u == 0);
	assert_true(fabs(p - 2.0 / 252) < 1e-12);
	p = rankstats_mann_whitney(x, N(x), y, N(y), &u, &exact);
	assert_true(u == 35);
	assert_true(fabs(p - 0.2544122544122544) < 1e-12);
	p = rankstats_mann_whitney(t1, 5, t2, 5, &u, &exact);
	assert_true(u == 6);
	assert_true(fabs(p - 0.21428571428571427) < 1e-12);
	/* identical samples: nothing to see */
	p = rankstats_mann_whitney(a1, 5, a1, 5, &u, &exact);
	assert_true(p == 1);
}

static void test_mann_whitney_normal_with_ties(void **state)
{
	double x[25], y[25], u, p;
	bool exact;

	(void)state;
	for (int i = 0; i < 25; i++) {
		x[i] = i % 7;
		y[i] = i % 5 + 1;
	}
	/* U = 285; tie- and continuity-corrected normal p = 0.59553638483 */
	p = rankstats_mann_whitney(x, 25, y, 25, &u, &exact);
	assert_false(exact);
	assert_true(u == 285);
	assert_true(fabs(p - 0.5955363848329949) < 1e-9);
}

static void test_u_distribution_matches_tables(void **state)
{
	(void)state;
	/* n = m = 5: P(U <= 2) = 4/252 -- the published two-sided 5%
	 * critical value is U = 2 -- and P(U <= 3) = 7/252 > 0.025. */
	assert_true(fabs(rankstats_u_cdf(5, 5, 2) - 4.0 / 252) < 1e-12);
	assert_true(rankstats_u_cdf(5, 5, 3) > 0.025);
	/* n = m = 10: published 1% two-sided critical value U = 16 */
	assert_true(rankstats_u_cdf(10, 10, 16) <= 0.005);
	assert_true(rankstats_u_cdf(10, 10, 17) > 0.005);
	assert_true(fabs(rankstats_u_cdf(3, 4, 12) - 1) < 1e-12);
}

static void test_hodges_lehmann_ratio(void **state)
{
	static const double base[] = { 10, 20, 40 }, twice[] = { 20, 40, 80 };
	/* y/x over all pairs: .5 1 1 2 2 2 4 4 8 -> median 2 */
	struct rankstats_result r;

	(void)state;
	assert_int_equal(rankstats_compare(base, 3, twice, 3, 0.99, &r), 0);
	assert_true(fabs(r.ratio - 2) < 1e-12);
	/* n = m = 3 cannot reach 99%: the widest interval, honest coverage */
	assert_true(fabs(r.ci_lo - 0.5) < 1e-12 && fabs(r.ci_hi - 8) < 1e-12);
	assert_true(r.ci_level < 0.99);
	assert_int_equal(rankstats_compare(base, 3, base, 0, 0.99, &r), -EINVAL);
	static const double bad[] = { 1, 0 };
	assert_int_equal(rankstats_compare(base, 3, bad, 2, 0.99, &r), -EINVAL);
}

static void test_moses_interval_covers_shift(void **state)
{
	double x[10], y[10];
	struct rankstats_result r;

	(void)state;
	/* a clean 20% slowdown with 1% jitter: the interval brackets 0.8,
	 * excludes 1, and p is the smallest n = m = 10 allows */
	for (int i = 0; i < 10; i++) {
		x[i] = 100 * (1 + 0.01 * (i - 4.5) / 4.5);
		y[i] = 0.8 * x[i];
	}
	assert_int_equal(rankstats_compare(x, 10, y, 10, 0.99, &r), 0);
	assert_true(fabs(r.ratio - 0.8) < 1e-9);
	assert_true(r.ci_lo < 0.8 && r.ci_hi > 0.8 - 1e-12 && r.ci_hi < 1);
	assert_true(r.ci_level >= 0.99);
	assert_true(fabs(r.p - 2.0 / 184756) < 1e-12);
}

static void test_signed_rank_distribution_matches_tables(void **state)
{
	(void)state;
	/* n = 10: published two-sided 5% critical value T = 8, 1%: T = 3 */
	assert_true(fabs(rankstats_t_cdf(10, 8) - 25.0 / 1024) < 1e-12);
	assert_true(rankstats_t_cdf(10, 9) > 0.025);
	assert_true(fabs(rankstats_t_cdf(10, 3) - 5.0 / 1024) < 1e-12);
	assert_true(rankstats_t_cdf(10, 4) > 0.005);
	assert_true(fabs(rankstats_min_p(10, 0) - 2.0 / 1024) < 1e-15);
	assert_true(fabs(rankstats_min_p(5, 5) - 2.0 / 252) < 1e-15);
	assert_true(rankstats_min_p(1, 1) == 1);
}

static void test_paired_ratio_and_ties(void **state)
{
	/* ties among |log ratios| (11/10 three times, 12/10 twice): p from
	 * enumerating all 2^8 sign patterns in an independent script */
	static const double x[] = { 10, 10, 10, 10, 10, 10, 10, 10 };
	static const double y[] = { 11, 12, 9, 11, 13, 8, 11, 12 };
	double base[10], slow[10];
	struct rankstats_result r;

	(void)state;
	assert_int_equal(rankstats_paired(x, y, 8, 0.95, &r), 0);
	assert_true(r.u == 25);
	assert_true(fabs(r.p - 0.3515625) < 1e-12);
	assert_true(fabs(r.ratio - 1.1) < 1e-9);
	assert_true(r.ci_lo < 1 && r.ci_hi > 1.1);
	/* a clean 20% slowdown behind large per-round offsets: every pair
	 * says 0.8, so p is the smallest 10 pairs allow */
	for (int i = 0; i < 10; i++) {
		base[i] = 100 * (1 + 0.3 * (i % 3));
		slow[i] = 0.8 * base[i] * (1 + 0.01 * (i - 4.5) / 4.5);
	}
	assert_int_equal(rankstats_paired(base, slow, 10, 0.99, &r), 0);
	assert_true(fabs(r.p - 2.0 / 1024) < 1e-12);
	assert_true(fabs(r.ratio - 0.8) < 0.005);
	assert_true(r.ci_hi < 1 && r.ci_lo > 0.78);
	assert_true(r.ci_level >= 0.99);
	/* identical pairs: no evidence at all */
	assert_int_equal(rankstats_paired(base, base, 10, 0.99, &r), 0);
	assert_true(r.p == 1 && r.ratio == 1);
	assert_int_equal(rankstats_paired(base, x, 0, 0.99, &r), -EINVAL);
}

static void test_holm(void **state)
{
	static const double p[] = { 0.01, 0.04, 0.03, NAN, 0.5 };
	double adj[5];
	size_t rank[5];

	(void)state;
	/* family of 4: 0.01*4, 0.03*3, max(0.04*2, 0.09), max(0.5, 0.09) */
	rankstats_holm(p, 5, adj, rank);
	assert_true(fabs(adj[0] - 0.04) < 1e-12 && rank[0] == 1);
	assert_true(fabs(adj[2] - 0.09) < 1e-12 && rank[2] == 2);
	assert_true(fabs(adj[1] - 0.09) < 1e-12 && rank[1] == 3);
	assert_true(fabs(adj[4] - 0.5) < 1e-12 && rank[4] == 4);
	assert_true(isnan(adj[3]) && rank[3] == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mann_whitney_exact),
		cmocka_unit_test(test_mann_whitney_normal_with_ties),
		cmocka_unit_test(test_u_distribution_matches_tables),
		cmocka_unit_test(test_hodges_lehmann_ratio),
		cmocka_unit_test(test_moses_interval_covers_shift),
		cmocka_unit_test(test_signed_rank_distribution_matches_tables),
		cmocka_unit_test(test_paired_ratio_and_ties),
		cmocka_unit_test(test_holm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
