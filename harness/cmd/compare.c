/* compare.c - `mmbench compare BASELINE CURRENT`: the regression gate of
 * analysis/compare.h, as a table, Markdown or JSON. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"

#include "cli/cli.h"
#include "cmd/commands.h"
#include "results/columns.h"
#include "util/error.h"
#include "util/json.h"

enum compare_format { FORMAT_TABLE, FORMAT_MARKDOWN, FORMAT_JSON };

static int compare_width = 44; /* of the configuration column in table format */

static void compare_print_entry(const struct compare_entry *e, unsigned format, bool first)
{
	const char *gate = e->gated ? "" : " (not gated)";
	char procs[32], reps[32], ci[48] = "-", p[16] = "-", noise[16] = "-";

	snprintf(procs, sizeof(procs), "%zu/%zu", e->procs_base, e->procs_cur);
	snprintf(reps, sizeof(reps), "%zu/%zu", e->reps_base, e->reps_cur);
	if (e->testable) {
		snprintf(ci, sizeof(ci), "[%.3f, %.3f] %.1f%%", e->r.ci_lo, e->r.ci_hi,
			 100 * e->r.ci_level);
		snprintf(p, sizeof(p), "%.3g", e->p_adj);
	}
	if (!isnan(e->noise))
		snprintf(noise, sizeof(noise), "%.1f%%", 100 * (e->noise - 1));
	if (format == FORMAT_TABLE) {
		printf("%-*s %7s %7s %12.6g %12.6g %7.3f  %-25s %8s %6s  %s%s%s%s\n", compare_width,
		       e->label, procs, reps, e->med_base, e->med_cur, e->r.ratio, ci, p, noise,
		       e->verdict, gate, e->note[0] ? ": " : "", e->note);
	} else if (format == FORMAT_MARKDOWN) {
		printf("| %s | %s | %s | %.6g | %.6g | %.3f | %s | %s | %s | %s%s%s%s |\n", e->label,
		       procs, reps, e->med_base, e->med_cur, e->r.ratio, ci, p, noise, e->verdict, gate,
		       e->note[0] ? ": " : "", e->note);
	} else {
		printf("%s\n    {\"configuration\": ", first ? "" : ",");
		json_write_string(stdout, e->label);
		printf(", \"processes_baseline\": %zu, \"processes_current\": %zu, "
		       "\"repetitions_baseline\": %zu, \"repetitions_current\": %zu, "
		       "\"median_baseline\": %.10g, \"median_current\": %.10g, \"ratio\": ",
		       e->procs_base, e->procs_cur, e->reps_base, e->reps_cur, e->med_base, e->med_cur);
		json_write_number(stdout, e->r.ratio);
		fputs(", \"ci_low\": ", stdout);
		json_write_number(stdout, e->testable ? e->r.ci_lo : NAN);
		fputs(", \"ci_high\": ", stdout);
		json_write_number(stdout, e->testable ? e->r.ci_hi : NAN);
		fputs(", \"ci_level\": ", stdout);
		json_write_number(stdout, e->testable ? e->r.ci_level : NAN);
		fputs(", \"p\": ", stdout);
		json_write_number(stdout, e->testable ? e->r.p : NAN);
		fputs(", \"p_holm\": ", stdout);
		json_write_number(stdout, e->testable ? e->p_adj : NAN);
		fputs(", \"baseline_noise\": ", stdout);
		json_write_number(stdout, e->noise);
		printf(", \"threshold\": %.6g, \"verdict\": \"%s\", \"gated\": %s, \"note\": ",
		       e->threshold, e->verdict, e->gated ? "true" : "false");
		json_write_string(stdout, e->note);
		putchar('}');
	}
}

static void compare_print_header(const struct compare_opts *o, unsigned format,
				 const struct compare_side *b, const struct compare_side *c)
{
	const char *unit = o->paired ? "pairs of processes, one pair a round (Wilcoxon signed-rank)"
				     : "process medians (Mann-Whitney)";

	if (format == FORMAT_TABLE) {
		printf("%s: %s (baseline) vs %s (current); ratio = current/baseline "
		       "(Hodges-Lehmann) over %s; interval and p adjusted for %s (Holm)\n",
		       o->metric, b->path, c->path, unit, "the gated configurations");
		printf("%-*s %7s %7s %12s %12s %7s  %-25s %8s %6s  %s\n", compare_width,
		       "configuration", "procs", "reps", "baseline", "current", "ratio", "interval",
		       "p", "noise", "verdict");
	} else if (format == FORMAT_MARKDOWN) {
		printf("### mmbench compare: %s\n\n", o->metric);
		printf("Baseline `%s`, current `%s`. Ratio = current/baseline (Hodges-Lehmann) over "
		       "%s, with its interval; p and intervals adjusted for the gated "
		       "configurations (Holm, familywise alpha %g). A regression needs the whole "
		       "interval beyond 1 and the estimate beyond %g%% (or the baseline's own "
		       "noise, when larger).\n\n",
		       b->path, c->path, unit, o->alpha, o->threshold * 100);
		printf("| configuration | procs | reps | baseline | current | ratio | interval | p | "
		       "noise | verdict |\n");
		printf("|---|---:|---:|---:|---:|---:|---|---:|---:|---|\n");
	} else {
		printf("{\n  \"metric\": \"%s\", \"threshold\": %g, \"alpha\": %g, "
		       "\"higher_is_better\": %s, \"paired\": %s,\n  \"baseline\": ",
		       o->metric, o->threshold, o->alpha, o->higher_better ? "true" : "false",
		       o->paired ? "true" : "false");
		json_write_string(stdout, b->path);
		printf(", \"current\": ");
		json_write_string(stdout, c->path);
		printf(",\n  \"configurations\": [");
	}
}

static int compare_parse_threshold(const char *arg, void *value)
{
	char *end;
	double pct = strtod(arg, &end);

	*(double *)value = pct / 100;
	return *end || !(pct >= 0 && pct < 1000) ? -EINVAL : 0;
}

static int compare_parse_alpha(const char *arg, void *value)
{
	char *end;
	double a = strtod(arg, &end);

	*(double *)value = a;
	return *end || !(a > 0 && a < 1) ? -EINVAL : 0;
}

static int compare_parse_gate(const char *arg, void *value)
{
	struct compare_opts *o = value;

	o->gate_warm = !strcmp(arg, "warm") || !strcmp(arg, "warm,cold") || !strcmp(arg, "cold,warm");
	o->gate_cold = !strcmp(arg, "cold") || !strcmp(arg, "warm,cold") || !strcmp(arg, "cold,warm");
	return o->gate_warm || o->gate_cold ? 0 : -EINVAL;
}

static int compare_parse(int argc, char **argv, struct compare_opts *o, unsigned *format,
			 const char **paths)
{
	static const char *const formats[] = { "table", "markdown", "json", NULL };
	const struct cli_option opts[] = {
		CLI_OPT_FLAG("paired", &o->paired,
			     "the i-th process of each side ran in the same round"),
		CLI_OPT_CALLBACK("threshold", "PCT", &o->threshold, compare_parse_threshold,
				 "a percentage, e.g. 10",
				 "smallest change that counts, or the baseline's A/A noise [10]"),
		CLI_OPT_CALLBACK("alpha", "A", &o->alpha, compare_parse_alpha,
				 "between 0 and 1, e.g. 0.05",
				 "familywise error rate over the gated configurations [0.05]"),
		CLI_OPT_STRING("metric", "COLUMN", &o->metric,
			       "the measurement compared (see mmbench columns) [mib_per_s]"),
		CLI_OPT_CHOICE("format", "F", format, formats,
			       "table, markdown or json [table]"),
		CLI_OPT_CALLBACK("gate", "CACHE", o, compare_parse_gate, "use warm, cold or warm,cold",
				 "which cache states can fail the job [warm,cold]"),
		CLI_OPT_FLAG("pool-hosts", &o->pool_hosts,
			     "let rows of several hosts form one sample"),
		CLI_OPT_END,
	};
	const struct column *metric;
	int status = cli_parse(&compare_command, opts, argc, argv, paths, NULL);

	if (status)
		return status;
	/* Direction comes from the column registry. */
	metric = columns_find(o->metric);
	if (metric && metric->group == COLUMN_MEASURE && metric->better == BETTER_NEITHER) {
		error_msg("invalid value '%s' for --metric (neither higher nor lower is better; "
			  "see mmbench columns)",
			  o->metric);
		return EXIT_USAGE;
	}
	o->higher_better = metric && metric->better == BETTER_HIGHER;
	return 0;
}

static void compare_print_footer(const struct compare_run *run, unsigned format)
{
	const struct compare_entry *entries = run->entries;
	char *const *only_b = run->only_b, *const *only_c = run->only_c;
	size_t matched = run->matched, nob = run->nob, noc = run->noc;
	size_t regressions = run->regressions;
	double geo = 0;
	size_t geo_n = 0;

	for (size_t k = 0; k < matched; k++) {
		if (entries[k].testable && entries[k].r.ratio > 0) {
			geo += log(entries[k].r.ratio);
			geo_n++;
		}
	}
	if (format == FORMAT_JSON) {
		fputs("\n  ],\n  \"geomean_ratio\": ", stdout);
		json_write_number(stdout, geo_n ? exp(geo / (double)geo_n) : NAN);
		printf(", \"regressions\": %zu,\n  \"only_baseline\": [", regressions);
		for (size_t k = 0; k < nob; k++) {
			printf("%s", k ? ", " : "");
			json_write_string(stdout, only_b[k]);
		}
		printf("],\n  \"only_current\": [");
		for (size_t k = 0; k < noc; k++) {
			printf("%s", k ? ", " : "");
			json_write_string(stdout, only_c[k]);
		}
		printf("]\n}\n");
		return;
	}
	if (geo_n && format == FORMAT_TABLE)
		printf("%-*s %7s %7s %12s %12s %7.3f\n", compare_width, "geometric mean", "", "", "",
		       "", exp(geo / (double)geo_n));
	else if (geo_n)
		printf("| geometric mean | | | | | %.3f | | | | |\n", exp(geo / (double)geo_n));
	for (size_t k = 0; k < nob; k++)
		printf(format == FORMAT_TABLE ? "only in baseline: %s\n" : "\nOnly in baseline: %s\n",
		       only_b[k]);
	for (size_t k = 0; k < noc; k++)
		printf(format == FORMAT_TABLE ? "only in current: %s\n" : "\nOnly in current: %s\n",
		       only_c[k]);
	printf(format == FORMAT_TABLE ? "%zu matched, %zu regression%s\n"
					 : "\n%zu matched, %zu regression%s.\n",
	       matched, regressions, regressions == 1 ? "" : "s");
}

static int compare_main(int argc, char **argv)
{
	struct compare_opts o = { .threshold = 0.10, .alpha = 0.05, .metric = "mib_per_s",
				  .gate_warm = true, .gate_cold = true };
	unsigned format = FORMAT_TABLE;
	const char *paths[2] = { NULL, NULL };
	struct compare_run run;
	int status = compare_parse(argc, argv, &o, &format, paths);

	if (status)
		return status;
	status = compare_run(&run, &o, paths[0], paths[1]);
	if (!status) {
		for (size_t k = 0; k < run.matched; k++)
			if ((int)strlen(run.entries[k].label) > compare_width)
				compare_width = (int)strlen(run.entries[k].label);
		compare_print_header(&o, format, &run.b, &run.c);
		for (size_t k = 0; k < run.matched; k++)
			compare_print_entry(&run.entries[k], format, k == 0);
		compare_print_footer(&run, format);
		status = run.regressions ? 1 : 0;
	}
	compare_run_free(&run);
	return status;
}

const struct cli_command compare_command = {
	.name = "compare",
	.args = "BASELINE CURRENT [options]",
	.summary = "regression verdicts per configuration",
	.about = "BASELINE and CURRENT are results CSVs or folders.  The process (run_id) is the\n"
		 "unit: each process's median is one observation.  --paired: the i-th process of\n"
		 "each side ran in the same round (scripts/ci-check writes them so).\n"
		 "Exit status: 0 no gated regression, 1 a gated regression, 2 bad input or\n"
		 "nothing matched.\n",
	.main = compare_main,
	.min_args = 2,
	.max_args = 2,
};
