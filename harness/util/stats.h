/*
 * stats.h - summaries of repeated measurements.  Arrays are never modified:
 * functions that need order sort a private copy.
 */
#ifndef MMBENCH_STATS_H
#define MMBENCH_STATS_H

#include <stddef.h>

/* Median of n values (mean of the middle two for even n); 0 when n == 0. */
double stats_median(const double *v, size_t n);

/* Percentile p (0..100) of n values with linear interpolation between the
 * closest ranks (the "R-7" definition used by numpy and R); 0 when n == 0. */
double stats_percentile(const double *v, size_t n, double p);

/* Smallest and largest of n values; both 0 when n == 0. */
void stats_minmax(const double *v, size_t n, double *min, double *max);

/* Median absolute deviation from the median (unscaled); 0 when n == 0. */
double stats_mad(const double *v, size_t n);

#endif
