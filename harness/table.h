/*
 * table.h - a results CSV read back into memory: a header and rows of
 * string cells, for the commands that summarise, compare and export.
 */
#ifndef MMBENCH_TABLE_H
#define MMBENCH_TABLE_H

#include <stddef.h>

struct table {
	char *text;	/* the file's bytes; cells point into it */
	char **cells;	/* nrows x ncols */
	char **header;	/* ncols names */
	size_t nrows, ncols;
};

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

#endif
