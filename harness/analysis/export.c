#include "analysis/export.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "results/columns.h"
#include "results/table.h"
#include "util/error.h"
#include "util/json.h"
#include "util/stats.h"

#define EXPORT_MAX_KEYS 64

struct export_ctx {
	const struct table *t;
	FILE *f;
	int cols[EXPORT_MAX_KEYS], ncols;
	size_t *rows, nrows; /* the exported rows of t, sorted by configuration */
	int mib, ops, elapsed, first_pass, user, sys, p50, p99, timestamp, host, run_id;
	const struct column *metric; /* github-action's value */
	int metric_col;
	int varies[EXPORT_MAX_KEYS]; /* key columns that differ somewhere in the file */
	int nvaries;
};

/* One configuration: rows[i..j) of the sorted table. */
struct export_group {
	size_t i, j, index;
	char name[512];
	double *secs, *metric; /* per repetition */
	double *proc_metric;	/* per process */
	size_t nproc;
	double user_s, sys_s;	/* means */
};

struct export_format {
	const char *name;
	void (*begin)(const struct export_ctx *x);
	void (*group)(const struct export_ctx *x, const struct export_group *g);
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
	*sd = n > 1 ? sqrt(q / (double)(n - 1)) : NAN;
}

static void export_sep(const struct export_ctx *x, size_t index)
{
	fputs(index ? ",\n" : "\n", x->f);
}

/* The CPU time of a row over its reported region: getrusage covers the
 * whole timed region (for reread, the first pass too), so it is scaled to
 * the reported part, and clamped to the wall time, which one thread cannot
 * exceed (getrusage's own microseconds can). */
static double export_cpu_ns(const struct export_ctx *x, size_t row)
{
	double real = table_num(x->t, row, x->elapsed), first = table_num(x->t, row, x->first_pass);
	double cpu = (table_num(x->t, row, x->user) + table_num(x->t, row, x->sys)) * 1000;

	if (real + first > 0)
		cpu *= real / (real + first);
	return cpu < real ? cpu : real;
}

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

static const struct export_format export_formats[] = {
	{ "hyperfine-json", hyperfine_begin, hyperfine_group, hyperfine_end },
	{ "gbench-json", gbench_begin, gbench_group, gbench_end },
	{ "github-action", gha_begin, gha_group, gha_end },
	{ "bencher", bencher_begin, bencher_group, bencher_end },
};

#define EXPORT_NFORMATS (sizeof(export_formats) / sizeof(export_formats[0]))

static int export_run(const struct export_format *f, struct export_ctx *x)
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
		/* gbench numbers its entries: one per repetition */
		index += f->group == gbench_group ? n : 1;
		free(g.metric);
		free(g.proc_metric);
		free(g.secs);
	}
	f->end(x);
	return 0;
}

/* Keep the rows whose throughput, time and metric are finite numbers, in
 * order: JSON has no NaN, and a text cell is no 0.  The others are named. */
static int export_usable_rows(struct export_ctx *x, const char *path)
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
static int export_one_host(const struct table *t, int host, const char *path)
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

static int export_main(int argc, char **argv)
{
	const char *path, *metric = "mib_per_s", *output = NULL;
	const char *format_names[EXPORT_NFORMATS + 1] = { NULL };
	unsigned format = 0;
	const struct cli_option opts[] = {
		{ .type = CLI_CHOICE, .name = "format", .metavar = "F", .value = &format,
		  .choices = format_names, .flags = CLIF_REQUIRED,
		  .help = "hyperfine-json, gbench-json, github-action or bencher" },
		CLI_OPT_STRING("metric", "COLUMN", &metric,
			       "the value github-action and bencher export [mib_per_s]"),
		{ .type = CLI_STRING, .name = "output", .short_name = 'o', .metavar = "FILE",
		  .value = &output, .help = "write FILE (removed again on failure) [stdout]" },
		CLI_OPT_END,
	};
	const struct export_format *f;
	struct table t;
	struct export_ctx x = { .t = &t, .f = stdout };
	int err;

	for (size_t i = 0; i < EXPORT_NFORMATS; i++)
		format_names[i] = export_formats[i].name;
	err = cli_parse(&export_command, opts, argc, argv, &path, NULL);
	if (err)
		return err;
	f = &export_formats[format];
	x.metric = columns_find(metric);
	if (!x.metric || x.metric->group != COLUMN_MEASURE || x.metric->better == BETTER_NEITHER) {
		error_msg("invalid value '%s' for --metric (a measurement where higher or lower "
			  "is better; see mmbench columns)",
			  metric);
		return EXIT_USAGE;
	}
	err = table_open(&t, path);
	if (err)
		return err;
	x.ncols = table_key_columns(&t, x.cols, EXPORT_MAX_KEYS, false);
	x.mib = table_col(&t, "mib_per_s");
	x.ops = table_col(&t, "ops_per_s");
	x.elapsed = table_col(&t, "elapsed_ns");
	x.first_pass = table_col(&t, "first_pass_ns");
	x.user = table_col(&t, "user_us");
	x.sys = table_col(&t, "sys_us");
	x.p50 = table_col(&t, "lat_p50_ns");
	x.p99 = table_col(&t, "lat_p99_ns");
	x.host = table_col(&t, "host");
	x.timestamp = table_col(&t, "timestamp");
	x.metric_col = table_col(&t, metric);
	for (int c = 0; c < x.ncols; c++)
		for (size_t r = 1; r < t.nrows; r++)
			if (strcmp(table_cell(&t, r, x.cols[c]), table_cell(&t, 0, x.cols[c]))) {
				x.varies[x.nvaries++] = x.cols[c];
				break;
			}
	err = export_one_host(&t, x.host, path);
	if (err) {
		table_free(&t);
		return err;
	}
	if (output && !(x.f = fopen(output, "we"))) {
		error_msg("cannot write '%s' for -o: %s", output, strerror(errno));
		table_free(&t);
		return EXIT_RUNTIME;
	}
	x.rows = table_sort_rows(&t, x.cols, x.ncols, -1);
	err = x.rows ? export_usable_rows(&x, path) : -ENOMEM;
	if (!err)
		err = export_run(f, &x);
	if (output && fclose(x.f) && !err)
		err = -EIO;
	free(x.rows);
	table_free(&t);
	if (err) {
		error_msg("%s", err == -ENOMEM	 ? "out of memory"
				: err == -ENODATA ? "no row to export"
						  : "cannot write the export");
		if (output)
			unlink(output);
		return EXIT_RUNTIME;
	}
	return 0;
}

const struct cli_command export_command = {
	.name = "export",
	.args = "RESULTS --format F [--metric COLUMN] [-o FILE]",
	.summary = "hyperfine-json, gbench-json, github-action, bencher",
	.about = "F: hyperfine-json (hyperfine's --export-json), gbench-json (Google Benchmark's\n"
		 "JSON, for its compare.py), github-action (github-action-benchmark's custom\n"
		 "format), bencher (Bencher Metric Format).  --metric: the value github-action\n"
		 "exports (default mib_per_s; a lower-is-better column such as lat_p99_ns or\n"
		 "minor_faults makes a customSmallerIsBetter export; see mmbench columns).\n"
		 "Names come from the configuration alone: backend/workload/file=SIZE/block=SIZE/\n"
		 "cache=MODE, then name=value for each other parameter off its default.\n",
	.main = export_main,
	.min_args = 1,
	.max_args = 1,
};
