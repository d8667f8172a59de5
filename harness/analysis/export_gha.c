/* export_gha.c - github-action-benchmark's custom arrays. */
#include "analysis/export.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "results/columns.h"
#include "results/table.h"
#include "util/json.h"
#include "util/stats.h"

/* github-action-benchmark: customBiggerIsBetter or customSmallerIsBetter,
 * by the metric's direction.  The value is the median over processes (of
 * their medians) and range is "± x", x the standard deviation between
 * processes, or between repetitions when there is one process. */
static void gha_begin(const struct export_ctx *x)
{
	fputs("[", x->f);
}

static void gha_group(const struct export_ctx *x, const struct export_group *g)
{
	size_t n = g->j - g->i;
	bool procs = g->nproc > 1;
	double mean, sd;

	export_stats(procs ? g->proc_metric : g->metric, procs ? g->nproc : n, &mean, &sd);
	export_sep(x, g->index);
	fputs("  {\"name\": ", x->f);
	json_write_string(x->f, g->name);
	fputs(", \"unit\": ", x->f);
	json_write_string(x->f, x->metric->unit[0] ? x->metric->unit : "count");
	fprintf(x->f, ", \"value\": %.6g, \"range\": \"± %.6g\", \"extra\": \"%s: median of %zu "
		      "process%s, %zu repetitions\"}",
		stats_median(g->proc_metric, g->nproc), isnan(sd) ? 0 : sd, x->metric->name,
		g->nproc, g->nproc == 1 ? "" : "es", n);
}

static void gha_end(const struct export_ctx *x)
{
	fputs("\n]\n", x->f);
}

const struct export_format export_gha = {
	.name = "github-action",
	.begin = gha_begin,
	.group = gha_group,
	.end = gha_end,
};
