/* export_gbench.c - Google Benchmark's JSON, for its compare.py. */
#include "analysis/export.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "results/columns.h"
#include "results/table.h"
#include "util/json.h"
#include "util/stats.h"

/* Google Benchmark --benchmark_format=json: one iteration entry per
 * repetition, then the mean, median, stddev and cv aggregates that
 * --benchmark_repetitions writes; one family per configuration. */
static void gbench_begin(const struct export_ctx *x)
{
	fputs("{\n  \"context\": {\"executable\": \"mmbench\", \"host_name\": ", x->f);
	json_write_string(x->f, x->t->nrows ? table_cell(x->t, 0, x->host) : "");
	fputs(", \"date\": ", x->f);
	json_write_string(x->f, x->t->nrows ? table_cell(x->t, 0, x->timestamp) : "");
	fputs(", \"library_build_type\": \"release\"},\n  \"benchmarks\": [", x->f);
}

static void gbench_entry(const struct export_ctx *x, const struct export_group *g, bool comma,
			 const char *run_type, const char *aggregate, size_t rep, double real,
			 double cpu, double bytes_per_s)
{
	size_t n = g->j - g->i;

	export_sep(x, comma);
	fputs("    {\"name\": ", x->f);
	if (aggregate) {
		char name[600];

		snprintf(name, sizeof(name), "%s_%s", g->name, aggregate);
		json_write_string(x->f, name);
	} else {
		json_write_string(x->f, g->name);
	}
	fputs(", \"run_name\": ", x->f);
	json_write_string(x->f, g->name);
	fprintf(x->f, ", \"run_type\": \"%s\", \"family_index\": %zu, "
		      "\"per_family_instance_index\": 0, \"repetitions\": %zu, ",
		run_type, g->index, n);
	if (aggregate)
		fprintf(x->f, "\"aggregate_name\": \"%s\", \"aggregate_unit\": \"%s\", ", aggregate,
			strcmp(aggregate, "cv") ? "time" : "percentage");
	else
		fprintf(x->f, "\"repetition_index\": %zu, ", rep);
	fprintf(x->f, "\"threads\": 1, \"iterations\": %zu, \"real_time\": ", aggregate ? n : 1);
	json_write_number(x->f, real);
	fputs(", \"cpu_time\": ", x->f);
	json_write_number(x->f, cpu);
	fputs(aggregate && !strcmp(aggregate, "cv") ? "" : ", \"time_unit\": \"ns\"", x->f);
	if (bytes_per_s >= 0)
		fprintf(x->f, ", \"bytes_per_second\": %.9g", bytes_per_s);
	fputc('}', x->f);
}

static void gbench_group(const struct export_ctx *x, const struct export_group *g)
{
	static const char *const aggregates[] = { "mean", "median", "stddev", "cv" };
	size_t n = g->j - g->i;
	double *real = malloc((n + 1) * sizeof(*real)), *cpu = malloc((n + 1) * sizeof(*cpu));

	if (!real || !cpu) {
		free(real);
		free(cpu);
		return;
	}
	for (size_t k = 0; k < n; k++) {
		size_t row = x->rows[g->i + k];

		real[k] = g->secs[k] * 1e9;
		cpu[k] = export_cpu_ns(x, row);
		gbench_entry(x, g, g->index + k > 0, "iteration", NULL, k, real[k], cpu[k],
			     table_num(x->t, row, x->mib) * 1048576);
	}
	for (size_t a = 0; a < 4; a++) {
		double rm, rs, cm, cs, r, c;

		export_stats(real, n, &rm, &rs);
		export_stats(cpu, n, &cm, &cs);
		switch (a) {
		case 0: r = rm; c = cm; break;
		case 1: r = stats_median(real, n); c = stats_median(cpu, n); break;
		case 2: r = rs; c = cs; break;
		default: r = rm > 0 ? rs / rm : NAN; c = cm > 0 ? cs / cm : NAN; break;
		}
		gbench_entry(x, g, true, "aggregate", aggregates[a], 0, r, c, -1);
	}
	free(real);
	free(cpu);
}

static void gbench_end(const struct export_ctx *x)
{
	fputs("\n  ]\n}\n", x->f);
}

const struct export_format export_gbench = {
	.name = "gbench-json",
	.entry_per_rep = true,
	.begin = gbench_begin,
	.group = gbench_group,
	.end = gbench_end,
};
