/*
 * rowcsv.h - the results CSV: its header and one line per row, the
 * columns and their order from the registry (columns.h): the context (run,
 * host, machine), the parameters (from the options table, with the values
 * the row really used) and the measurements.
 */
#ifndef MMBENCH_ROWCSV_H
#define MMBENCH_ROWCSV_H

struct column;
struct csv_line;
struct row;

/* Append the header's column names to l. */
int rowcsv_header(struct csv_line *l);

/* Open path for rows: a new or empty file gets the header, an existing one
 * must start with it (-EPROTO otherwise, nothing written).  NULL means
 * stdout, where the header is written first.  0 or a negative errno. */
int rowcsv_open(const char *path, int *fd);

/* Whether rowcsv_open(path) would succeed, creating and writing nothing
 * (so a run that fails before its first row leaves no header behind). */
int rowcsv_check(const char *path);

/* Append r's value of the parameter column c to l, as its row has it
 * (series.csv repeats them, seriescsv.h). */
int rowcsv_add_param(const struct row *r, const struct column *c, struct csv_line *l);

/* Append r's values to l, in header order. */
int rowcsv_format(const struct row *r, struct csv_line *l);

#endif
