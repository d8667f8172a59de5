/*
 * columns.h - the one registry of results columns: every column a results
 * CSV holds, in CSV order, with its unit, which direction is better, and
 * the value a file written before the column existed is read with.  The row
 * writer, the results reader (table.c), summary, compare, export, merge and
 * `mmbench columns` (for the scripts) all read it.
 *
 * Three groups, in this order: the context (which process, which machine),
 * the parameters (one per options-table entry with a CSV column, so a flag
 * and its column never disagree) and the measurements.
 */
#ifndef MMBENCH_COLUMNS_H
#define MMBENCH_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

struct option_def;

enum column_group { COLUMN_CONTEXT, COLUMN_PARAM, COLUMN_MEASURE };
enum column_better { BETTER_NEITHER, BETTER_HIGHER, BETTER_LOWER };
enum column_type { COLUMN_U64, COLUMN_F0, COLUMN_F2, COLUMN_F4, COLUMN_BOOL, COLUMN_STR };

struct column {
	const char *name;
	enum column_group group;
	enum column_type type;
	const char *unit;	  /* "" for counts and labels */
	enum column_better better;
	/* What a file that lacks the column reads as: an option's default
	 * for parameters; NULL for the columns no results file can lack. */
	const char *absent;
	const struct option_def *option; /* COLUMN_PARAM: its option */
	size_t offset;		  /* COLUMN_MEASURE: where in struct row */
};

/* The registry, in CSV order. */
size_t columns_count(void);
const struct column *columns_at(size_t i);

/* The column called name, or NULL. */
const struct column *columns_find(const char *name);

/* Whether c records an option only some backends take (--madvise, --qd,
 * ...; options_is_scoped()): a column of the series, which the backend
 * column names with it ("mmap:madvise=random"), not of the configuration,
 * so rows of backends that do not take it ("-") pair with the others. */
bool columns_is_series(const struct column *c);

/* What a series column holds in the rows of backends that do not take its
 * option. */
#define COLUMNS_NOT_APPLICABLE "-"

/* Print the registry as TSV (name, group, type, unit, better, absent): what
 * scripts read instead of counting positions. */
void columns_print(void);

#endif
