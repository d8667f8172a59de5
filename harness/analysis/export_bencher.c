/* export_bencher.c - Bencher Metric Format. */
#include "analysis/export.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "results/columns.h"
#include "results/table.h"
#include "util/json.h"
#include "util/stats.h"

/* Bencher Metric Format: {benchmark: {measure: {value, lower_value,
 * upper_value}}}.  "throughput" is Bencher's built-in measure, operations
 * per second; the others are custom measures named for what they hold:
 * mib-per-s, and the per-operation latency percentiles in ns. */
static void bencher_measure(const struct export_ctx *x, const struct export_group *g,
			    const char *slug, int col, bool last)
{
	size_t n = g->j - g->i;
	double *v = malloc((n + 1) * sizeof(*v)), lo, hi;

	if (!v)
		return;
	for (size_t k = 0; k < n; k++)
		v[k] = table_num(x->t, x->rows[g->i + k], col);
	stats_minmax(v, n, &lo, &hi);
	fprintf(x->f, "\"%s\": {\"value\": %.9g, \"lower_value\": %.9g, \"upper_value\": %.9g}%s",
		slug, stats_median(v, n), lo, hi, last ? "" : ", ");
	free(v);
}

static void bencher_begin(const struct export_ctx *x)
{
	fputs("{", x->f);
}

static void bencher_group(const struct export_ctx *x, const struct export_group *g)
{
	export_sep(x, g->index);
	fputs("  ", x->f);
	json_write_string(x->f, g->name);
	fputs(": {", x->f);
	bencher_measure(x, g, "throughput", x->ops, false);
	bencher_measure(x, g, "mib-per-s", x->mib, false);
	bencher_measure(x, g, "latency-p50-ns", x->p50, false);
	bencher_measure(x, g, "latency-p99-ns", x->p99, true);
	fputc('}', x->f);
}

static void bencher_end(const struct export_ctx *x)
{
	fputs("\n}\n", x->f);
}

const struct export_format export_bencher = {
	.name = "bencher",
	.begin = bencher_begin,
	.group = bencher_group,
	.end = bencher_end,
};
