/* export.c - what every exporter shares: the table of formats, the walk
 * over configurations, and the rows fit to export. */
#include "analysis/export.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/columns.h"
#include "results/table.h"
#include "util/error.h"
#include "util/stats.h"

void export_stats(const double *v, size_t n, double *mean, double *sd)
{
	double s = 0, q = 0;

	for (size_t i = 0; i < n; i++)
		s += v[i];
	*mean = n ? s / (double)n : 0;
	for (size_t i = 0; i < n; i++)
		q += (v[i] - *mean) * (v[i] - *mean);
	*sd = n > 1 ? sqrt(q / (double)(n - 1)) : NAN;
}

void export_sep(const struct export_ctx *x, size_t index)
{
	fputs(index ? ",\n" : "\n", x->f);
}

/* The CPU time of a row over its reported region: getrusage covers the
 * whole timed region (for reread, the first pass too), so it is scaled to
 * the reported part, and clamped to the wall time, which one thread cannot
 * exceed (getrusage's own microseconds can). */
double export_cpu_ns(const struct export_ctx *x, size_t row)
{
	double real = table_num(x->t, row, x->elapsed), first = table_num(x->t, row, x->first_pass);
	double cpu = (table_num(x->t, row, x->user) + table_num(x->t, row, x->sys)) * 1000;

	if (real + first > 0)
		cpu *= real / (real + first);
	return cpu < real ? cpu : real;
}

const struct export_format *const export_formats[] = {
	&export_hyperfine,
	&export_gbench,
	&export_gha,
	&export_bencher,
	NULL,
};
_Static_assert(sizeof(export_formats) / sizeof(export_formats[0]) == EXPORT_NFORMATS + 1,
	       "EXPORT_NFORMATS counts export_formats[]");

int export_run(const struct export_format *f, struct export_ctx *x)
{
	size_t index = 0;

	f->begin(x);
	for (size_t i = 0, j; i < x->nrows; i = j) {
		struct export_group g = { .i = i, .index = index };
		size_t n;

		j = g.j = table_group_end(x->t, x->rows, x->nrows, x->cols, x->ncols, -1, i);
		n = j - i;
		g.metric = malloc(n * sizeof(*g.metric));
		g.proc_metric = malloc(n * sizeof(*g.proc_metric));
		g.secs = malloc(n * sizeof(*g.secs));
		if (!g.metric || !g.secs || !g.proc_metric ||
		    table_per_process(x->t, x->rows + i, n, x->metric_col, g.proc_metric, &g.nproc)) {
			free(g.metric);
			free(g.proc_metric);
			free(g.secs);
			return -ENOMEM;
		}
		for (size_t k = 0; k < n; k++) {
			size_t row = x->rows[i + k];

			g.metric[k] = table_num(x->t, row, x->metric_col);
			g.secs[k] = table_num(x->t, row, x->elapsed) / 1e9;
			g.user_s += table_num(x->t, row, x->user) / 1e6 / (double)n;
			g.sys_s += table_num(x->t, row, x->sys) / 1e6 / (double)n;
		}
		table_config_name(x->t, x->rows[i], g.name, sizeof(g.name));
		f->group(x, &g);
		index += f->entry_per_rep ? n : 1;
		free(g.metric);
		free(g.proc_metric);
		free(g.secs);
	}
	f->end(x);
	return 0;
}

/* Keep the rows whose throughput, time and metric are finite numbers, in
 * order: JSON has no NaN, and a text cell is no 0.  The others are named. */
int export_usable_rows(struct export_ctx *x, const char *path)
{
	size_t kept = 0, dropped = 0;
	const struct table *t = x->t;

	for (size_t k = 0; k < t->nrows; k++) {
		size_t r = x->rows[k];

		if (table_is_num(t, r, x->mib) && table_is_num(t, r, x->elapsed) &&
		    table_is_num(t, r, x->metric_col)) {
			x->rows[kept++] = r;
		} else if (dropped++ < 20) {
			error_warn("%s line %zu: not exported: a throughput, time or %s that is not a number",
				   path, r + 2, x->metric->name);
		}
	}
	x->nrows = kept;
	return kept ? 0 : -ENODATA;
}

/* Several hosts in one file would give one name two series. */
int export_one_host(const struct table *t, int host, const char *path)
{
	for (size_t r = 1; r < t->nrows; r++) {
		if (strcmp(table_cell(t, r, host), table_cell(t, 0, host))) {
			error_msg("'%s' holds results of several hosts ('%s', '%s'): export one "
				  "host at a time",
				  path, table_cell(t, 0, host), table_cell(t, r, host));
			return EXIT_USAGE;
		}
	}
	return 0;
}

