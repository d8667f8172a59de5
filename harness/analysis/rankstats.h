/*
 * rankstats.h - distribution-free comparison of two samples, for
 * `mmbench compare`: the Mann-Whitney U test, the Hodges-Lehmann estimate of
 * a ratio and its Moses confidence interval.  Deterministic: no random
 * numbers, no resampling.
 */
#ifndef MMBENCH_RANKSTATS_H
#define MMBENCH_RANKSTATS_H

#include <stdbool.h>
#include <stddef.h>

/* At or below this many samples per side, p-values and interval ranks come
 * from the exact distribution; above it, from the normal approximation. */
#define RANKSTATS_EXACT_MAX 20

struct rankstats_result {
	double u;	  /* Mann-Whitney U of the first sample */
	double p;	  /* two-sided p-value */
	bool exact;	  /* p from the exact (tie-aware) distribution */
	double ratio;	  /* Hodges-Lehmann: exp(median of log(y_j) - log(x_i)) */
	double ci_lo, ci_hi; /* Moses interval for the ratio */
	double ci_level;  /* the interval's actual coverage (>= asked, if possible) */
};

/* Two-sided Mann-Whitney U p-value of x (n values) against y (m values).
 * Exact conditional distribution over the tied ranks when both sides have at
 * most RANKSTATS_EXACT_MAX values, else the normal approximation with tie and
 * continuity correction.  *u receives U of x.  Returns the p-value, or NAN
 * for an empty side. */
double rankstats_mann_whitney(const double *x, size_t n, const double *y, size_t m, double *u,
			      bool *exact);

/* Compare y (current) with x (baseline), both positive: p-value, and the
 * Hodges-Lehmann ratio y/x with its confidence interval at `level` (e.g.
 * 0.99).  Returns 0, -EINVAL for an empty side or a value <= 0, -ENOMEM. */
int rankstats_compare(const double *x, size_t n, const double *y, size_t m, double level,
		      struct rankstats_result *r);

/* Paired comparison of y (current) with x (baseline), n pairs, all values
 * positive: the Wilcoxon signed-rank test on d_i = log(y_i / x_i) (zero
 * differences dropped, exact conditional distribution over tied ranks up to
 * RANKSTATS_SIGNED_EXACT_MAX pairs, normal approximation above), the
 * Hodges-Lehmann ratio exp(median of the Walsh averages (d_i + d_j) / 2)
 * and Tukey's interval from the same distribution.  r->u receives T+, the
 * rank sum of the positive differences.  0, -EINVAL, -ENOMEM. */
#define RANKSTATS_SIGNED_EXACT_MAX 50
int rankstats_paired(const double *x, const double *y, size_t n, double level,
		     struct rankstats_result *r);

/* P(T+ <= k) for the signed-rank statistic of n pairs without ties. */
double rankstats_t_cdf(size_t n, double k);

/* The smallest two-sided p-value a test of that size can give at all:
 * pairs (m == 0) or two independent samples of n and m. */
double rankstats_min_p(size_t n, size_t m);

/* Holm's step-down adjustment of n p-values into adj (NAN entries are left
 * out of the family and stay NAN); rank[i] receives the 1-based position of
 * p[i] among the family (0 for NAN).  Controls the chance of any false
 * positive among the n at the level the adjusted values are compared to. */
void rankstats_holm(const double *p, size_t n, double *adj, size_t *rank);

/* P(U <= k) under the null hypothesis without ties, for sizes n and m. */
double rankstats_u_cdf(size_t n, size_t m, double k);

#endif
