#include "analysis/rankstats.h"

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

static double rankstats_z(double alpha);

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
		double sd = sqrt(nm * (double)(n + m + 1) / 12), kk;

		kk = floor(nm / 2 - rankstats_z(alpha) * sd);
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

/* Ways of choosing a subset of the doubled ranks rank2[0..n) with each
 * doubled sum s, counts[s] for s in 0..*maxsum: the signed-rank statistic's
 * exact null distribution, conditional on ties.  Exact in doubles up to
 * 2^53 subsets, so n <= 50 is safe. */
static double *rankstats_subset_counts(const long *rank2, size_t n, long *maxsum)
{
	long max = 0;
	double *ways;

	for (size_t i = 0; i < n; i++)
		max += rank2[i];
	*maxsum = max;
	ways = calloc((size_t)max + 1, sizeof(*ways));
	if (!ways)
		return NULL;
	ways[0] = 1;
	for (size_t i = 0; i < n; i++)
		for (long s = max; s >= rank2[i]; s--)
			ways[s] += ways[s - rank2[i]];
	return ways;
}

double rankstats_t_cdf(size_t n, double k)
{
	long *rank2 = malloc((n + 1) * sizeof(*rank2)), max;
	double *ways, below = 0, all = 0;

	if (!rank2)
		return NAN;
	for (size_t i = 0; i < n; i++)
		rank2[i] = (long)(2 * (i + 1));
	ways = rankstats_subset_counts(rank2, n, &max);
	free(rank2);
	if (!ways)
		return NAN;
	for (long s = 0; s <= max; s++) {
		all += ways[s];
		if ((double)s / 2 <= k + 1e-9)
			below += ways[s];
	}
	free(ways);
	return below / all;
}

double rankstats_min_p(size_t n, size_t m)
{
	double c = 1;

	if (!m)
		return n ? fmin(1, 2 / pow(2, (double)n)) : 1;
	/* 2 / C(n + m, n) */
	for (size_t i = 1; i <= n; i++)
		c = c * (double)(m + i) / (double)i;
	return fmin(1, 2 / c);
}

/* Normal quantile: z with P(|Z| > z) = alpha, by bisection on erfc: no
 * table, no library. */
static double rankstats_z(double alpha)
{
	double lo = 0, hi = 10;

	for (int i = 0; i < 100; i++) {
		double mid = (lo + hi) / 2;

		if (erfc(mid / sqrt(2)) > alpha)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/* Signed-rank p-value of the differences d[0..n), zeros dropped. */
static double rankstats_signed_rank_p(const double *d, size_t n, double *tplus)
{
	double *a = malloc((n + 1) * sizeof(*a)), ties = 0, p;
	long *rank2 = malloc((n + 1) * sizeof(*rank2)), t2 = 0;
	size_t k = 0;

	*tplus = 0;
	if (!a || !rank2) {
		free(a);
		free(rank2);
		return NAN;
	}
	for (size_t i = 0; i < n; i++)
		if (d[i] != 0)
			a[k++] = fabs(d[i]);
	qsort(a, k, sizeof(*a), rankstats_cmp_double);
	for (size_t i = 0, j; i < k; i = j) {
		for (j = i; j < k && a[j] == a[i]; j++)
			;
		for (size_t q = i; q < j; q++)
			rank2[q] = (long)(i + 1 + j);
		ties += (double)(j - i) * (double)(j - i) * (double)(j - i) - (double)(j - i);
	}
	/* T+: the doubled ranks of the positive differences. */
	for (size_t i = 0; i < n; i++) {
		size_t lo = 0, hi = k;

		if (!(d[i] > 0))
			continue;
		while (lo < hi) { /* first position holding |d[i]| */
			size_t mid = (lo + hi) / 2;

			if (a[mid] < d[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < k) /* always: d[i] is among a[] */
			t2 += rank2[lo];
	}
	*tplus = (double)t2 / 2;
	if (!k) {
		p = 1;
	} else if (k <= RANKSTATS_SIGNED_EXACT_MAX) {
		long max, dev;
		double *ways = rankstats_subset_counts(rank2, k, &max), hit = 0, all = 0;

		if (!ways) {
			p = NAN;
		} else {
			/* the doubled mean is max / 2 */
			dev = labs(2 * t2 - max);
			for (long s = 0; s <= max; s++) {
				all += ways[s];
				if (labs(2 * s - max) >= dev)
					hit += ways[s];
			}
			p = hit / all;
			free(ways);
		}
	} else {
		double kk = (double)k, mean = kk * (kk + 1) / 4;
		double var = kk * (kk + 1) * (2 * kk + 1) / 24 - ties / 48;
		double z = var > 0 ? (fabs(*tplus - mean) - 0.5) / sqrt(var) : 0;

		p = z > 0 ? erfc(z / sqrt(2)) : 1;
	}
	free(a);
	free(rank2);
	return p > 1 ? 1 : p;
}

/* The rank k (1-based) of Tukey's lower bound among the N Walsh averages:
 * the largest k whose interval [w_(k), w_(N+1-k)] still covers `level`. */
static size_t rankstats_tukey_k(size_t n, double level, double *coverage)
{
	double alpha = 1 - level, N = (double)n * (double)(n + 1) / 2;
	size_t k = 1;

	if (n <= RANKSTATS_SIGNED_EXACT_MAX) {
		while ((double)(k + 1) <= N / 2 && 2 * rankstats_t_cdf(n, (double)k) <= alpha)
			k++;
		*coverage = 1 - 2 * rankstats_t_cdf(n, (double)k - 1);
	} else {
		double sd = sqrt(N * (2 * (double)n + 1) / 12), kk;

		kk = floor(N / 2 - rankstats_z(alpha) * sd);
		k = kk < 1 ? 1 : (size_t)kk;
		*coverage = level;
	}
	return k;
}

int rankstats_paired(const double *x, const double *y, size_t n, double level,
		     struct rankstats_result *r)
{
	size_t N = n * (n + 1) / 2, k, w = 0;
	double *d, *walsh;

	memset(r, 0, sizeof(*r));
	if (!n)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!(x[i] > 0) || !(y[i] > 0) || !isfinite(x[i]) || !isfinite(y[i]))
			return -EINVAL;
	d = malloc(n * sizeof(*d));
	walsh = malloc(N * sizeof(*walsh));
	if (!d || !walsh) {
		free(d);
		free(walsh);
		return -ENOMEM;
	}
	/* Logs again: a ratio is a shift there. */
	for (size_t i = 0; i < n; i++)
		d[i] = log(y[i]) - log(x[i]);
	r->p = rankstats_signed_rank_p(d, n, &r->u);
	r->exact = n <= RANKSTATS_SIGNED_EXACT_MAX;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i; j < n; j++)
			walsh[w++] = (d[i] + d[j]) / 2;
	qsort(walsh, N, sizeof(*walsh), rankstats_cmp_double);
	r->ratio = exp(N % 2 ? walsh[N / 2] : (walsh[N / 2 - 1] + walsh[N / 2]) / 2);
	k = rankstats_tukey_k(n, level, &r->ci_level);
	r->ci_lo = exp(walsh[k - 1]);
	r->ci_hi = exp(walsh[N - k]);
	free(d);
	free(walsh);
	return 0;
}

struct rankstats_pv {
	double p;
	size_t i;
};

static int rankstats_cmp_pv(const void *a, const void *b)
{
	double x = ((const struct rankstats_pv *)a)->p, y = ((const struct rankstats_pv *)b)->p;

	return (x > y) - (x < y);
}

void rankstats_holm(const double *p, size_t n, double *adj, size_t *rank)
{
	struct rankstats_pv *v = malloc((n + 1) * sizeof(*v));
	size_t m = 0;
	double run = 0;

	for (size_t i = 0; i < n; i++) {
		adj[i] = NAN;
		rank[i] = 0;
	}
	if (!v)
		return; /* no adjustment is no verdict: every adj stays NAN */
	for (size_t i = 0; i < n; i++)
		if (!isnan(p[i]))
			v[m++] = (struct rankstats_pv){ p[i], i };
	qsort(v, m, sizeof(*v), rankstats_cmp_pv);
	for (size_t j = 0; j < m; j++) {
		double a = fmin(1, (double)(m - j) * v[j].p);

		run = fmax(run, a); /* step-down: never below an earlier one */
		adj[v[j].i] = run;
		rank[v[j].i] = j + 1;
	}
	free(v);
}
