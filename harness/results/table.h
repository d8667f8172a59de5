/*
 * table.h - a results CSV read back into memory: a header and rows of
 * string cells, for the commands that summarise, compare and export.
 */
#ifndef MMBENCH_TABLE_H
#define MMBENCH_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

struct table {
	char *text;	/* the file's bytes; cells point into it */
	char **cells;	/* nrows x ncols */
	char **header;	/* ncols names */
	char *names;	/* backend cells renamed as series (table_open); NULL: none */
	size_t nrows, ncols;
	const char *missing; /* a required column the file lacks */
	char unknown[256];   /* columns the registry does not know, joined */
};

/* Load a results CSV (or a folder holding results.csv) with every registry
 * column: one an older mmbench did not write reads as its documented
 * default (columns.h).  Errors are reported here, once: returns 0,
 * EXIT_USAGE for a missing or malformed file, EXIT_RUNTIME when out of
 * memory.  Columns the registry does not know are kept but noted. */
int table_open(struct table *t, const char *path);

/* Load path (a results CSV, or a folder holding results.csv).  0, or a
 * negative errno (-EPROTO when a row's width differs from the header's; the
 * offending line number goes to *bad_line). */
int table_load(struct table *t, const char *path, size_t *bad_line);

void table_free(struct table *t);

/* Index of column name, or -1. */
int table_col(const struct table *t, const char *name);

/* The cell at row r, column c. */
static inline const char *table_cell(const struct table *t, size_t r, int c)
{
	return t->cells[r * t->ncols + (size_t)c];
}

/* The cell at row r, column c, as a number; 0 for a missing column (c < 0)
 * or a cell that is not one. */
static inline double table_num(const struct table *t, size_t r, int c)
{
	return c >= 0 ? strtod(table_cell(t, r, c), NULL) : 0;
}

/* True when the cell at row r, column c is a finite number. */
bool table_is_num(const struct table *t, size_t r, int c);

/* Compare two cells numerically when both are numbers, else as text. */
int table_cmp_cell(const char *a, const char *b);

/* The columns that tell configurations apart into cols[], at most max:
 * host and its fs_type first when by_host (rows of two machines, or of two
 * filesystems, are never pooled unless the user asks), then every
 * parameter column of the registry but those of the options a backend
 * takes, which the backend column's series name says
 * (mmap:madvise=random), so its rows pair with read's.  Their count.
 * t must come from table_open(), which guarantees them all. */
int table_key_columns(const struct table *t, int *cols, int max, bool by_host);

/* The same with the columns of the options a backend takes (columns.h,
 * columns_is_series()) at their places: what a line per series shows. */
int table_series_columns(const struct table *t, int *cols, int max, bool by_host);

/* Compare the configurations of row ra of ta and row rb of tb, column by
 * column (cols_a/cols_b, n each), leaving out position skip (-1: none). */
int table_cmp_config(const struct table *ta, size_t ra, const int *cols_a, const struct table *tb,
		     size_t rb, const int *cols_b, int n, int skip);

/* Row indices of t sorted by configuration (cols, n; position skip left
 * out, -1: none), so rows of one configuration are adjacent; malloc'd, NULL
 * when out of memory. */
size_t *table_sort_rows(const struct table *t, const int *cols, int n, int skip);

/* The same order for rows[0..nrows), a subset of t's rows (those left after
 * a filter), sorted in place. */
void table_sort_subset(const struct table *t, size_t *rows, size_t nrows, const int *cols, int n,
		       int skip);

/* End of the run of rows[i..nrows) sharing the configuration of rows[i]. */
size_t table_group_end(const struct table *t, const size_t *rows, size_t nrows, const int *cols,
		       int n, int skip, size_t i);

/* A short name for the configuration of row: backend and workload, then
 * name=value (sizes as 4K, 1M) for every other configuration column whose
 * value differs somewhere in t or in other (may be NULL), joined by sep. */
void table_config_label(const struct table *t, const int *cols, int n, size_t row,
			const struct table *other, const int *other_cols, char sep, char *buf,
			size_t len);

/* The process is the unit of replication: the median of metric over each
 * process's rows among rows[0..n) (a process is a run_id), into med[] (room
 * for n), in the order the processes first appear in the file, which is the
 * order they ran in.  Their count into *nproc.  0 or -ENOMEM. */
int table_per_process(const struct table *t, const size_t *rows, size_t n, int metric,
		      double *med, size_t *nproc);

/* The configuration's name for exports, the same whatever else the file
 * holds: backend/workload/file=SIZE/block=SIZE/cache=MODE, then name=value
 * for every other parameter that differs from its default (columns.h), in
 * registry order; e.g. mmap/randread/file=64M/block=4K/cache=cold/ops=4096. */
void table_config_name(const struct table *t, size_t row, char *buf, size_t len);

/* The configuration's name without its backend, for people and for the
 * scripts that join on it (`mmbench verdicts`, column config): workload,
 * file size, block size and cache as bare words, then name=value for every
 * other parameter that differs from its default, space-separated; e.g.
 * "randread 64M 4K cold ops=4096". */
void table_config_words(const struct table *t, size_t row, char *buf, size_t len);

#endif
