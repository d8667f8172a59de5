/*
 * export.h - results in the shapes existing tools read, one exporter a
 * file: hyperfine's JSON, Google Benchmark's JSON (for its compare.py),
 * github-action-benchmark's customBiggerIsBetter array, and Bencher's
 * metric format.  An exporter only formats: the configurations, their
 * rows and their per-process figures are worked out once, here.
 */
#ifndef MMBENCH_EXPORT_H
#define MMBENCH_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct column;
struct table;

#define EXPORT_MAX_KEYS 64

struct export_ctx {
	const struct table *t;
	FILE *f;
	int cols[EXPORT_MAX_KEYS], ncols;
	size_t *rows, nrows; /* the exported rows of t, sorted by configuration */
	int mib, ops, elapsed, first_pass, user, sys, p50, p99, timestamp, host, run_id;
	const struct column *metric; /* github-action's value */
	int metric_col;
	int varies[EXPORT_MAX_KEYS]; /* key columns that differ somewhere in the file */
	int nvaries;
};

/* One configuration: rows[i..j) of the sorted table. */
struct export_group {
	size_t i, j, index;
	char name[512];
	double *secs, *metric; /* per repetition */
	double *proc_metric;	/* per process */
	size_t nproc;
	double user_s, sys_s;	/* means */
};

struct export_format {
	const char *name;
	bool entry_per_rep; /* an entry per repetition, not per configuration (gbench) */
	void (*begin)(const struct export_ctx *x);
	void (*group)(const struct export_ctx *x, const struct export_group *g);
	void (*end)(const struct export_ctx *x);
};

/* Every format, in --format order, NULL-terminated. */
extern const struct export_format *const export_formats[];
#define EXPORT_NFORMATS 4

extern const struct export_format export_hyperfine, export_gbench, export_gha, export_bencher;

/* The mean and sample standard deviation (NAN for one value) of v. */
void export_stats(const double *v, size_t n, double *mean, double *sd);

/* The separator before the index-th entry of a JSON array. */
void export_sep(const struct export_ctx *x, size_t index);

/* A row's CPU time over its reported region, in ns. */
double export_cpu_ns(const struct export_ctx *x, size_t row);

/* Walk x's configurations through f; 0 or -ENOMEM. */
int export_run(const struct export_format *f, struct export_ctx *x);

/* Keep the rows whose throughput, time and metric are finite numbers,
 * naming the others; -ENODATA when none is left. */
int export_usable_rows(struct export_ctx *x, const char *path);

/* 0 when every row of t is of one host, else EXIT_USAGE after saying so. */
int export_one_host(const struct table *t, int host, const char *path);

#endif
