#include "util/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int stats_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Return a sorted copy of v, or NULL when out of memory. */
static double *stats_sorted_copy(const double *v, size_t n)
{
	double *c = malloc(n * sizeof(*c));

	if (!c)
		return NULL;
	memcpy(c, v, n * sizeof(*c));
	qsort(c, n, sizeof(*c), stats_cmp_double);
	return c;
}

double stats_percentile(const double *v, size_t n, double p)
{
	double *s, h, r;
	size_t lo;

	if (n == 0)
		return 0;
	s = stats_sorted_copy(v, n);
	if (!s)
		return NAN;
	h = (double)(n - 1) * (p < 0 ? 0 : p > 100 ? 100 : p) / 100.0;
	lo = (size_t)floor(h);
	r = lo + 1 < n ? s[lo] + (h - (double)lo) * (s[lo + 1] - s[lo]) : s[lo];
	free(s);
	return r;
}

double stats_median(const double *v, size_t n)
{
	return stats_percentile(v, n, 50);
}

void stats_minmax(const double *v, size_t n, double *min, double *max)
{
	*min = *max = n ? v[0] : 0;
	for (size_t i = 1; i < n; i++) {
		if (v[i] < *min)
			*min = v[i];
		if (v[i] > *max)
			*max = v[i];
	}
}

double stats_mad(const double *v, size_t n)
{
	double med, *dev, r;

	if (n == 0)
		return 0;
	dev = malloc(n * sizeof(*dev));
	if (!dev)
		return NAN;
	med = stats_median(v, n);
	for (size_t i = 0; i < n; i++)
		dev[i] = fabs(v[i] - med);
	r = stats_median(dev, n);
	free(dev);
	return r;
}
