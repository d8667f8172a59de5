#include "rankstats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct rankstats_item {
	double v;
	int side; /* 0: x, 1: y */
};

static int rankstats_cmp_item(const void *a, const void *b)
{
	double x = ((const struct rankstats_item *)a)->v, y = ((const struct rankstats_item *)b)->v;

	return (x > y) - (x < y);
}

static int rankstats_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Doubled mid-ranks (integers even with ties) of the pooled sample, in
 * sorted order, and the tie term sum(t^3 - t).  Returns the items sorted. */
static struct rankstats_item *rankstats_rank(const double *x, size_t n, const double *y, size_t m,
					     long *rank2, double *ties)
{
	size_t total = n + m;
	struct rankstats_item *it = malloc(total * sizeof(*it));

	if (!it)
		return NULL;
	for (size_t i = 0; i < n; i++)
		it[i] = (struct rankstats_item){ x[i], 0 };
	for (size_t j = 0; j < m; j++)
		it[n + j] = (struct rankstats_item){ y[j], 1 };
	qsort(it, total, sizeof(*it), rankstats_cmp_item);
	*ties = 0;
	for (size_t i = 0, j; i < total; i = j) {
		for (j = i; j < total && it[j].v == it[i].v; j++)
			;
		/* positions i..j-1 share rank (i+1 + j) / 2; doubled: i+1+j */
		for (size_t k = i; k < j; k++)
			rank2[k] = (long)(i + 1 + j);
		*ties += (double)(j - i) * (double)(j - i) * (double)(j - i) - (double)(j - i);
	}
	return it;
}

/* Number of ways to pick n of the N doubled ranks with each possible sum,
 * counts[s] for s in 0..maxsum: the exact null distribution of the rank sum,
 * conditional on the ties.  Counts stay exact in doubles up to C(40,20). */
static double *rankstats_sum_counts(const long *rank2, size_t N, size_t n, long *maxsum)
{
	long max = 0;
	double *ways;

	for (size_t i = 0; i < N; i++)
		max += rank2[i];
	*maxsum = max;
	ways = calloc((n + 1) * (size_t)(max + 1), sizeof(*ways));
	if (!ways)
		return NULL;
	ways[0] = 1;
	for (size_t i = 0; i < N; i++)
		for (size_t k = (i + 1 < n ? i + 1 : n); k >= 1; k--)
			for (long s = max; s >= rank2[i]; s--)
				ways[k * (size_t)(max + 1) + (size_t)s] +=
					ways[(k - 1) * (size_t)(max + 1) + (size_t)(s - rank2[i])];
	return ways;
}

double rankstats_mann_whitney(const double *x, size_t n, const double *y, size_t m, double *u,
			      bool *exact)
{
	size_t N = n + m;
	long *rank2, w2 = 0;
	double ties, p;
	struct rankstats_item *it;

	if (!n || !m)
		return NAN;
	rank2 = malloc(N * sizeof(*rank2));
	if (!rank2)
		return NAN;
	it = rankstats_rank(x, n, y, m, rank2, &ties);
	if (!it) {
		free(rank2);
		return NAN;
	}
	for (size_t i = 0; i < N; i++)
		if (it[i].side == 0)
			w2 += rank2[i];
	*u = (double)w2 / 2 - (double)n * (double)(n + 1) / 2;
	*exact = n <= RANKSTATS_EXACT_MAX && m <= RANKSTATS_EXACT_MAX;
	if (*exact) {
		/* Doubled rank sums: mean n(N+1); count the sums at least as
		 * far from it as the observed one. */
		long max, mean2 = (long)(n * (N + 1)), dev = labs(w2 - mean2);
		double *ways = rankstats_sum_counts(rank2, N, n, &max), hit = 0, all = 0;

		if (!ways) {
			p = NAN;
		} else {
			for (long s = 0; s <= max; s++) {
				double c = ways[n * (size_t)(max + 1) + (size_t)s];

				all += c;
				if (labs(s - mean2) >= dev)
					hit += c;
			}
			p = hit / all;
			free(ways);
		}
	} else {
		double mean = (double)n * (double)m / 2;
		double var = (double)n * (double)m / 12 *
			     ((double)(N + 1) - ties / ((double)N * (double)(N - 1)));
		double z = var > 0 ? (fabs(*u - mean) - 0.5) / sqrt(var) : 0;

		p = z > 0 ? erfc(z / sqrt(2)) : 1;
	}
	free(it);
	free(rank2);
	return p > 1 ? 1 : p;
}

double rankstats_u_cdf(size_t n, size_t m, double k)
{
	size_t N = n + m;
	long *rank2 = malloc(N * sizeof(*rank2)), max;
	double *ways, below = 0, all = 0;

	if (!rank2)
		return NAN;
	for (size_t i = 0; i < N; i++)
		rank2[i] = (long)(2 * (i + 1));
	ways = rankstats_sum_counts(rank2, N, n, &max);
	free(rank2);
	if (!ways)
		return NAN;
	for (long s = 0; s <= max; s++) {
		double c = ways[n * (size_t)(max + 1) + (size_t)s];
		double u = (double)s / 2 - (double)n * (double)(n + 1) / 2;

		all += c;
		if (u <= k + 1e-9)
			below += c;
	}
	free(ways);
	return below / all;
}

/* The rank k (1-based) of the lower Moses bound: the largest k whose
 * interval [d_(k), d_(nm+1-k)] still covers at least `level`. */
static size_t rankstats_moses_k(size_t n, size_t m, double level, double *coverage)
{
	double alpha = 1 - level, nm = (double)n * (double)m;
	size_t k = 1;

	if (n <= RANKSTATS_EXACT_MAX && m <= RANKSTATS_EXACT_MAX) {
		/* coverage of rank k: 1 - 2 P(U <= k - 1) */
		while ((double)(k + 1) <= nm / 2 && 2 * rankstats_u_cdf(n, m, (double)k) <= alpha)
			k++;
		*coverage = 1 - 2 * rankstats_u_cdf(n, m, (double)k - 1);
	} else {
		/* Normal quantile by bisection on erfc: no table, no library. */
		double lo = 0, hi = 10, sd = sqrt(nm * (double)(n + m + 1) / 12), kk;

		for (int i = 0; i < 100; i++) {
			double mid = (lo + hi) / 2;

			if (erfc(mid / sqrt(2)) > alpha)
				lo = mid;
			else
				hi = mid;
		}
		kk = floor(nm / 2 - hi * sd);
		k = kk < 1 ? 1 : (size_t)kk;
		*coverage = level;
	}
	return k;
}

int rankstats_compare(const double *x, size_t n, const double *y, size_t m, double level,
		      struct rankstats_result *r)
{
	size_t nm = n * m, k;
	double *d;

	memset(r, 0, sizeof(*r));
	if (!n || !m)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!(x[i] > 0))
			return -EINVAL;
	for (size_t j = 0; j < m; j++)
		if (!(y[j] > 0))
			return -EINVAL;
	r->p = rankstats_mann_whitney(x, n, y, m, &r->u, &r->exact);
	d = malloc(nm * sizeof(*d));
	if (!d)
		return -ENOMEM;
	/* Work on logs: a ratio is a shift there, which is what the
	 * Hodges-Lehmann estimator and the Moses interval assume. */
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < m; j++)
			d[i * m + j] = log(y[j]) - log(x[i]);
	qsort(d, nm, sizeof(*d), rankstats_cmp_double);
	r->ratio = exp(nm % 2 ? d[nm / 2] : (d[nm / 2 - 1] + d[nm / 2]) / 2);
	k = rankstats_moses_k(n, m, level, &r->ci_level);
	r->ci_lo = exp(d[k - 1]);
	r->ci_hi = exp(d[nm - k]);
	free(d);
	return 0;
}
