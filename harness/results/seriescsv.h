/*
 * seriescsv.h - series.csv, the time series of a timed region beside its
 * rows (--interval): one line per interval, what completed in it and what
 * the kernel counted, keyed by the row's run_id, parameters (backend,
 * workload, every option column of results.csv, as the row has them) and
 * rep.  The samples come from measure/sampler.c; this file only turns two
 * consecutive samples into a line.
 *
 * Invariant: samples are in time order, the first taken before the region
 * began (every count 0 there), the last after it ended; n samples give n-1
 * lines.
 */
#ifndef MMBENCH_SERIESCSV_H
#define MMBENCH_SERIESCSV_H

#include <stddef.h>
#include <stdint.h>

#include "sys/counters.h"

struct csv_line;
struct row;

/* What the sampler saw at one moment of a region. */
struct series_sample {
	uint64_t ns;	     /* clock_now_ns() */
	uint64_t ops, bytes; /* completed so far, every thread's (engine_progress()) */
	struct counters c;   /* the process's counters (counters_end()) */
	double resident;     /* the sampled share of the file's pages cached; NAN: none */
};

/* The samples of one region, and when it began. */
struct series {
	struct series_sample *v;
	size_t n, cap;
	uint64_t t0_ns;	    /* the region's start */
	uint64_t steady_ns; /* the start of its reported part (after a first pass) */
};

/* Append x to s (growing it); 0 or -ENOMEM. */
int series_add(struct series *s, const struct series_sample *x);

/* Forget the samples, keeping the allocation; free it. */
void series_clear(struct series *s);
void series_free(struct series *s);

/* Print the series columns as TSV (name, unit): `mmbench columns --series`. */
void seriescsv_columns_print(void);

/* Append the header's column names to l. */
int seriescsv_header(struct csv_line *l);

/* Where the series of rows written to rows_csv go, in buf: its directory,
 * "series.csv" for "results.csv" (a sweep's folder), else the name with
 * its ".csv" (if any) replaced by "-series.csv" (runs.csv: runs-series.csv).
 * -ENAMETOOLONG when it does not fit. */
int seriescsv_path(const char *rows_csv, char *buf, size_t len);

/* Open path for series lines (the header for a new or empty file, an
 * existing one must start with it: -EPROTO); or check that it could be,
 * creating nothing (csv.h's csv_open and csv_check).  A descriptor, 0, or
 * a negative errno. */
int seriescsv_open(const char *path);
int seriescsv_check(const char *path);

/* Append the line of interval i (from 1) between samples a and b of s, for
 * row r, to l. */
int seriescsv_format(const struct row *r, const struct series *s, size_t i, struct csv_line *l);

/* Write every interval of s, for row r, to fd, a line per write() (an
 * interruption leaves whole lines); l is scratch.  0 or a negative errno. */
int seriescsv_write(int fd, const struct row *r, const struct series *s, struct csv_line *l);

#endif
