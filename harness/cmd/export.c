/* export.c - `mmbench export RESULTS --format F`: results in the shapes
 * existing tools read (analysis/export.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/export.h"

#include "cli/cli.h"
#include "cmd/commands.h"
#include "results/columns.h"
#include "results/table.h"
#include "util/error.h"

static int export_main(int argc, char **argv)
{
	const char *path, *metric = "mib_per_s", *output = NULL;
	/* static: cli_options_of() (man pages, completion) keeps the options
	 * after this function has returned */
	static const char *format_names[EXPORT_NFORMATS + 1];
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
		format_names[i] = export_formats[i]->name;
	err = cli_parse(&export_command, opts, argc, argv, &path, NULL);
	if (err)
		return err;
	f = export_formats[format];
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
