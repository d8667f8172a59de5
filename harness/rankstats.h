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

/* P(U <= k) under the null hypothesis without ties, for sizes n and m. */
double rankstats_u_cdf(size_t n, size_t m, double k);

#endif
