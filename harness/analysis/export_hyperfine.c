/* export_hyperfine.c - hyperfine's --export-json shape. */
#include "analysis/export.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "results/columns.h"
#include "results/table.h"
#include "util/json.h"
#include "util/stats.h"

/* hyperfine --export-json: results[] with per-run times in seconds, and
 * the parameters that vary in the file, as hyperfine lists them. */
static void hyperfine_begin(const struct export_ctx *x)
{
	fputs("{\n  \"results\": [", x->f);
}

static void hyperfine_group(const struct export_ctx *x, const struct export_group *g)
{
	size_t n = g->j - g->i;
	double mean, sd, lo, hi;

	export_sep(x, g->index);
	export_stats(g->secs, n, &mean, &sd);
	stats_minmax(g->secs, n, &lo, &hi);
	fputs("    {\"command\": ", x->f);
	json_write_string(x->f, g->name);
	fprintf(x->f, ", \"mean\": %.9g, \"stddev\": ", mean);
	json_write_number(x->f, sd); /* null for one run, as hyperfine writes */
	fprintf(x->f, ", \"median\": %.9g, \"user\": %.9g, \"system\": %.9g, \"min\": %.9g, "
		      "\"max\": %.9g,\n     \"times\": [",
		stats_median(g->secs, n), g->user_s, g->sys_s, lo, hi);
	for (size_t k = 0; k < n; k++)
		fprintf(x->f, "%s%.9g", k ? ", " : "", g->secs[k]);
	fputs("],\n     \"exit_codes\": [", x->f);
	for (size_t k = 0; k < n; k++)
		fprintf(x->f, "%s0", k ? ", " : "");
	fputs("],\n     \"parameters\": {", x->f);
	for (int c = 0; c < x->nvaries; c++) {
		fprintf(x->f, "%s\"%s\": ", c ? ", " : "", x->t->header[x->varies[c]]);
		json_write_string(x->f, table_cell(x->t, x->rows[g->i], x->varies[c]));
	}
	fputs("}}", x->f);
}

static void hyperfine_end(const struct export_ctx *x)
{
	fputs("\n  ]\n}\n", x->f);
}

const struct export_format export_hyperfine = {
	.name = "hyperfine-json",
	.begin = hyperfine_begin,
	.group = hyperfine_group,
	.end = hyperfine_end,
};
