#include "export.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json.h"
#include "stats.h"
#include "table.h"

#define EXPORT_MAX_KEYS 64

struct export_ctx {
	const struct table *t;
	int cols[EXPORT_MAX_KEYS], ncols;
	size_t *rows;
	int mib, elapsed, user, sys, rep, timestamp, host;
};

/* One configuration: rows[i..j) of the sorted table. */
struct export_group {
	size_t i, j;
	char label[512];
	double *mib, *secs; /* per repetition */
	double user_s, sys_s; /* means */
};

struct export_format {
	const char *name;
	void (*begin)(const struct export_ctx *x);
	void (*group)(const struct export_ctx *x, const struct export_group *g, size_t index);
	void (*end)(const struct export_ctx *x);
};

static void export_stats(const double *v, size_t n, double *mean, double *sd)
{
	double s = 0, q = 0;

	for (size_t i = 0; i < n; i++)
		s += v[i];
	*mean = n ? s / (double)n : 0;
	for (size_t i = 0; i < n; i++)
		q += (v[i] - *mean) * (v[i] - *mean);
	*sd = n > 1 ? sqrt(q / (double)(n - 1)) : 0;
}

static void export_sep(size_t index)
{
	fputs(index ? ",\n" : "\n", stdout);
}

/* hyperfine --export-json: results[] with per-run times in seconds. */
static void hyperfine_begin(const struct export_ctx *x)
{
	(void)x;
	fputs("{\n  \"results\": [", stdout);
}

static void hyperfine_group(const struct export_ctx *x, const struct export_group *g, size_t index)
{
	size_t n = g->j - g->i;
	double mean, sd, lo, hi;

	export_sep(index);
	export_stats(g->secs, n, &mean, &sd);
	stats_minmax(g->secs, n, &lo, &hi);
	fputs("    {\"command\": ", stdout);
	json_write_string(stdout, g->label);
	printf(", \"mean\": %.9g, \"stddev\": %.9g, \"median\": %.9g, \"user\": %.9g, "
	       "\"system\": %.9g, \"min\": %.9g, \"max\": %.9g,\n     \"times\": [",
	       mean, sd, stats_median(g->secs, n), g->user_s, g->sys_s, lo, hi);
	for (size_t k = 0; k < n; k++)
		printf("%s%.9g", k ? ", " : "", g->secs[k]);
	fputs("],\n     \"exit_codes\": [", stdout);
	for (size_t k = 0; k < n; k++)
		printf("%s0", k ? ", " : "");
	fputs("],\n     \"parameters\": {", stdout);
	for (int c = 0; c < x->ncols; c++) {
		printf("%s\"%s\": ", c ? ", " : "", x->t->header[x->cols[c]]);
		json_write_string(stdout, table_cell(x->t, x->rows[g->i], x->cols[c]));
	}
	fputs("}}", stdout);
}

static void hyperfine_end(const struct export_ctx *x)
{
	(void)x;
	fputs("\n  ]\n}\n", stdout);
}

/* Google Benchmark --benchmark_format=json, one entry per repetition. */
static void gbench_begin(const struct export_ctx *x)
{
	fputs("{\n  \"context\": {\"executable\": \"mmbench\", \"host_name\": ", stdout);
	json_write_string(stdout, x->t->nrows && x->host >= 0 ? table_cell(x->t, 0, x->host) : "");
	fputs(", \"date\": ", stdout);
	json_write_string(stdout,
			  x->t->nrows && x->timestamp >= 0 ? table_cell(x->t, 0, x->timestamp) : "");
	fputs(", \"library_build_type\": \"release\"},\n  \"benchmarks\": [", stdout);
}

static void gbench_group(const struct export_ctx *x, const struct export_group *g, size_t index)
{
	size_t n = g->j - g->i;

	for (size_t k = 0; k < n; k++) {
		size_t row = x->rows[g->i + k];
		double cpu_ns = (table_num(x->t, row, x->user) + table_num(x->t, row, x->sys)) * 1000;

		export_sep(index + k);
		fputs("    {\"name\": ", stdout);
		json_write_string(stdout, g->label);
		fputs(", \"run_name\": ", stdout);
		json_write_string(stdout, g->label);
		printf(", \"run_type\": \"iteration\", \"family_index\": %zu, "
		       "\"per_family_instance_index\": 0, \"repetitions\": %zu, "
		       "\"repetition_index\": %zu, \"threads\": 1, \"iterations\": 1, "
		       "\"real_time\": %.9g, \"cpu_time\": %.9g, \"time_unit\": \"ns\", "
		       "\"bytes_per_second\": %.9g}",
		       index, n, k, g->secs[k] * 1e9, cpu_ns, g->mib[k] * 1048576);
	}
}

static void gbench_end(const struct export_ctx *x)
{
	(void)x;
	fputs("\n  ]\n}\n", stdout);
}

/* github-action-benchmark, tool: customBiggerIsBetter. */
static void gha_begin(const struct export_ctx *x)
{
	(void)x;
	fputs("[", stdout);
}

static void gha_group(const struct export_ctx *x, const struct export_group *g, size_t index)
{
	size_t n = g->j - g->i;
	double lo, hi;

	(void)x;
	stats_minmax(g->mib, n, &lo, &hi);
	export_sep(index);
	fputs("  {\"name\": ", stdout);
	json_write_string(stdout, g->label);
	printf(", \"unit\": \"MiB/s\", \"value\": %.6g, \"range\": \"%.6g..%.6g\", "
	       "\"extra\": \"median of %zu repetitions\"}",
	       stats_median(g->mib, n), lo, hi, n);
}

static void gha_end(const struct export_ctx *x)
{
	(void)x;
	fputs("\n]\n", stdout);
}

/* Bencher Metric Format: {benchmark: {measure: {value, lower_value,
 * upper_value}}}, with the throughput and latency measures. */
static void bencher_begin(const struct export_ctx *x)
{
	(void)x;
	fputs("{", stdout);
}

static void bencher_group(const struct export_ctx *x, const struct export_group *g, size_t index)
{
	size_t n = g->j - g->i;
	double lo, hi, tlo, thi;

	(void)x;
	stats_minmax(g->mib, n, &lo, &hi);
	stats_minmax(g->secs, n, &tlo, &thi);
	export_sep(index);
	fputs("  ", stdout);
	json_write_string(stdout, g->label);
	printf(": {\"throughput\": {\"value\": %.6g, \"lower_value\": %.6g, \"upper_value\": %.6g}, "
	       "\"latency\": {\"value\": %.9g, \"lower_value\": %.9g, \"upper_value\": %.9g}}",
	       stats_median(g->mib, n), lo, hi, stats_median(g->secs, n) * 1e9, tlo * 1e9,
	       thi * 1e9);
}

static void bencher_end(const struct export_ctx *x)
{
	(void)x;
	fputs("\n}\n", stdout);
}

static const struct export_format export_formats[] = {
	{ "hyperfine-json", hyperfine_begin, hyperfine_group, hyperfine_end },
	{ "gbench-json", gbench_begin, gbench_group, gbench_end },
	{ "github-action", gha_begin, gha_group, gha_end },
	{ "bencher", bencher_begin, bencher_group, bencher_end },
};

static int export_run(const struct export_format *f, struct export_ctx *x)
{
	size_t index = 0;

	f->begin(x);
	for (size_t i = 0, j; i < x->t->nrows; i = j) {
		struct export_group g = { .i = i };
		size_t n;

		j = g.j = table_group_end(x->t, x->rows, x->cols, x->ncols, -1, i);
		n = j - i;
		g.mib = malloc(n * sizeof(*g.mib));
		g.secs = malloc(n * sizeof(*g.secs));
		if (!g.mib || !g.secs) {
			free(g.mib);
			free(g.secs);
			return -ENOMEM;
		}
		for (size_t k = 0; k < n; k++) {
			size_t row = x->rows[i + k];

			g.mib[k] = table_num(x->t, row, x->mib);
			g.secs[k] = table_num(x->t, row, x->elapsed) / 1e9;
			g.user_s += table_num(x->t, row, x->user) / 1e6 / (double)n;
			g.sys_s += table_num(x->t, row, x->sys) / 1e6 / (double)n;
		}
		table_config_label(x->t, x->cols, x->ncols, x->rows[i], NULL, NULL, '/', g.label,
				   sizeof(g.label));
		f->group(x, &g, index);
		/* gbench writes one entry per repetition */
		index += f->group == gbench_group ? n : 1;
		free(g.mib);
		free(g.secs);
	}
	f->end(x);
	return 0;
}

int export_main(int argc, char **argv)
{
	const char *path = NULL, *format = NULL;
	const struct export_format *f = NULL;
	struct table t;
	struct export_ctx x = { .t = &t };
	int err;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--format") && i + 1 < argc)
			format = argv[++i];
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else {
			error_msg("unexpected argument '%s' for export", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (!path || !format) {
		error_msg("usage: mmbench export RESULTS --format "
			  "hyperfine-json|gbench-json|github-action|bencher");
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(export_formats) / sizeof(export_formats[0]); i++)
		if (!strcmp(export_formats[i].name, format))
			f = &export_formats[i];
	if (!f) {
		error_msg("invalid value '%s' for --format (use hyperfine-json, gbench-json, "
			  "github-action or bencher)",
			  format);
		return EXIT_USAGE;
	}
	err = table_open(&t, path);
	if (err)
		return err;
	x.ncols = table_key_columns(&t, x.cols, EXPORT_MAX_KEYS, false);
	x.mib = table_col(&t, "mib_per_s");
	x.elapsed = table_col(&t, "elapsed_ns");
	x.user = table_col(&t, "user_us");
	x.sys = table_col(&t, "sys_us");
	x.host = table_col(&t, "host");
	x.timestamp = table_col(&t, "timestamp");
	x.rows = table_sort_rows(&t, x.cols, x.ncols, -1);
	err = x.rows ? export_run(f, &x) : -ENOMEM;
	free(x.rows);
	table_free(&t);
	if (err) {
		error_msg("out of memory");
		return EXIT_RUNTIME;
	}
	return 0;
}
