#include "analysis/compare.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/rankstats.h"
#include "analysis/verdict.h"
#include "backends/backends.h"
#include "cli/cli.h"
#include "core/backend.h"
#include "results/columns.h"
#include "results/table.h"
#include "sys/datafile.h"
#include "util/error.h"
#include "util/json.h"
#include "util/stats.h"

#define COMPARE_MAX_KEYS 64
#define COMPARE_LABEL 512

enum compare_format { FORMAT_TABLE, FORMAT_MARKDOWN, FORMAT_JSON };

struct compare_opts {
	double threshold; /* fraction, e.g. 0.10 */
	double alpha;	  /* familywise, over the gated configurations */
	const char *metric;
	bool higher_better;
	unsigned format; /* enum compare_format */
	bool gate_warm, gate_cold;
	bool paired;	 /* the i-th process of each side ran in round i */
	bool pool_hosts; /* let rows of several hosts form one sample */
};

struct compare_side {
	const char *path;
	struct table t;
	int cols[COMPARE_MAX_KEYS];
	int metric, cache, verified, resident, backend;
	size_t *rows; /* the usable rows, sorted by configuration */
	size_t nrows;
};

/* One matched configuration. */
struct compare_entry {
	char label[COMPARE_LABEL];
	size_t procs_base, procs_cur, reps_base, reps_cur;
	size_t n;		 /* observations of the test: pairs, or the smaller side */
	double *vb, *vc;	 /* per-process medians, in the order they ran */
	double med_base, med_cur; /* medians of the per-process medians */
	double noise;		 /* the baseline's own A/A spread (factor), or NAN */
	double threshold;	 /* what a change must clear: the user's threshold, or
				  * the noise when that is larger */
	struct rankstats_result r;
	double p_adj;	 /* Holm-adjusted among the gated configurations */
	size_t holm_rank; /* 1-based among them; 0 outside the family */
	bool testable, gated;
	const char *verdict;
	char note[160];
};

static int nkeys; /* configuration columns: the same on both sides */

/* Why a row cannot stand in a verdict, or NULL: a row that did not
 * verify, a metric that is not a positive finite number, or a cache state
 * that did not hold (a cold row that found its file cached). */
static const char *compare_unusable(const struct compare_side *s, size_t row)
{
	const char *cache = table_cell(&s->t, row, s->cache);
	const struct backend *b = backend_find(table_cell(&s->t, row, s->backend));
	double v = table_num(&s->t, row, s->metric), res = table_num(&s->t, row, s->resident);

	if (strcmp(table_cell(&s->t, row, s->verified), "1"))
		return "did not verify";
	if (!table_is_num(&s->t, row, s->metric) || !(v > 0))
		return "metric not a positive number";
	/* an in-memory backend is resident by construction */
	if (b && (b->flags & BACKEND_ANON))
		return NULL;
	if (!strcmp(cache, "cold") && res > DATAFILE_COLD_MAX)
		return "cold row found its file cached";
	if (!strcmp(cache, "warm") && res < DATAFILE_WARM_MIN)
		return "warm row found its file not resident";
	if (!strcmp(cache, "resident") && res < 1)
		return "resident row found its file not resident";
	return NULL;
}

static void compare_label(const struct compare_side *s, const struct compare_side *o, size_t row,
			  char *buf, size_t len)
{
	table_config_label(&s->t, s->cols, nkeys, row, &o->t, o->cols, ' ', buf, len);
}

/* Count the distinct values of column name in t (up to 9: enough to say
 * they differ), joined into buf.  One pass, compared with the few found. */
static size_t compare_distinct(const struct table *t, const char *name, char *buf, size_t len)
{
	const char *seen[9];
	int c = table_col(t, name);
	size_t n = 0, used = 0;

	buf[0] = '\0';
	for (size_t r = 0; r < t->nrows && n < 9; r++) {
		const char *v = table_cell(t, r, c);
		bool known = false;

		for (size_t k = 0; k < n && !known; k++)
			known = !strcmp(seen[k], v);
		if (known)
			continue;
		seen[n++] = v;
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s'%s'", n > 1 ? ", " : "", v);
	}
	return n;
}

/* Warn, from every row, when the sides were measured on different
 * machines or a side pools several.  Returns true when either side holds
 * several hosts, so configurations are matched host by host. */
static bool compare_check_context(const struct compare_side *b, const struct compare_side *c,
				  const struct compare_opts *o)
{
	static const char *const cols[] = { "host", "cpu_model", "kernel", "fs_type" };
	bool multi_host = false;

	for (int i = 0; i < 4; i++) {
		char vb[256], vc[256];
		size_t nb = compare_distinct(&b->t, cols[i], vb, sizeof(vb));
		size_t nc = compare_distinct(&c->t, cols[i], vc, sizeof(vc));

		if (i == 0)
			multi_host = (nb > 1 || nc > 1) && !o->pool_hosts;
		if (nb == 1 && nc == 1 && strcmp(vb, vc))
			error_warn("%s differs: %s (baseline) vs %s (current)", cols[i], vb, vc);
		else if ((nb > 1 || nc > 1) && (i > 0 || o->pool_hosts))
			error_warn("%s: rows from several values of %s are pooled: %s", nb > 1 ? b->path : c->path,
				   cols[i], nb > 1 ? vb : vc);
	}
	return multi_host;
}

/* Load a side and keep its usable rows; the others are listed on stderr. */
static int compare_load(struct compare_side *s, const struct compare_opts *o)
{
	int status = table_open(&s->t, s->path);
	size_t excluded = 0;

	if (status)
		return status;
	s->metric = table_col(&s->t, o->metric);
	if (s->metric < 0) {
		error_msg("'%s' has no column '%s' for --metric", s->path, o->metric);
		return EXIT_USAGE;
	}
	s->cache = table_col(&s->t, "cache");
	s->verified = table_col(&s->t, "verified");
	s->resident = table_col(&s->t, "resident_before");
	s->backend = table_col(&s->t, "backend");
	s->rows = malloc((s->t.nrows + 1) * sizeof(*s->rows));
	if (!s->rows) {
		error_msg("out of memory");
		return EXIT_RUNTIME;
	}
	for (size_t r = 0; r < s->t.nrows; r++) {
		const char *why = compare_unusable(s, r);

		if (!why) {
			s->rows[s->nrows++] = r;
			continue;
		}
		/* every one is named: a verdict must never hide what it left out */
		if (excluded++ < 20)
			error_warn("%s line %zu (%s %s): excluded from verdicts: %s", s->path, r + 2,
				   table_cell(&s->t, r, s->backend),
				   table_cell(&s->t, r, table_col(&s->t, "workload")), why);
	}
	if (excluded > 20)
		error_warn("%s: %zu rows excluded from verdicts in all", s->path, excluded);
	return 0;
}

static size_t compare_group_end(const struct compare_side *s, size_t i)
{
	return table_group_end(&s->t, s->rows, s->nrows, s->cols, nkeys, -1, i);
}

/* The per-process medians of rows[i..j) of a side, malloc'd. */
static double *compare_processes(const struct compare_side *s, size_t i, size_t j, size_t *nproc)
{
	double *v = malloc((j - i + 1) * sizeof(*v));

	if (v && table_per_process(&s->t, s->rows + i, j - i, s->metric, v, nproc)) {
		free(v);
		v = NULL;
	}
	return v;
}

/* The baseline's own process-to-process spread: how far its farthest
 * process fell from its median, as a factor.  Needs three processes. */
static double compare_noise(const double *v, size_t n)
{
	double med = stats_median(v, n), worst = 0;

	if (n < 3 || !(med > 0))
		return NAN;
	for (size_t i = 0; i < n; i++)
		worst = fmax(worst, fabs(log(v[i] / med)));
	return exp(worst);
}

/* The test itself, at the interval level given. */
static int compare_test(struct compare_entry *e, const struct compare_opts *o, double level)
{
	if (o->paired)
		return verdict_estimate_paired(e->vb, e->vc, e->n, level, &e->r);
	return verdict_estimate_independent(e->vb, e->procs_base, e->vc, e->procs_cur, level, &e->r);
}

/* Fill e from both sides' processes; p-value only, the interval comes once
 * the family is known. */
static void compare_measure(struct compare_entry *e, const struct compare_opts *o)
{
	e->med_base = stats_median(e->vb, e->procs_base);
	e->med_cur = stats_median(e->vc, e->procs_cur);
	e->threshold = o->threshold;
	e->noise = o->paired ? NAN : compare_noise(e->vb, e->procs_base);
	if (e->noise - 1 > e->threshold)
		e->threshold = e->noise - 1;
	e->r.p = NAN;
	if (o->paired) {
		e->n = e->procs_base < e->procs_cur ? e->procs_base : e->procs_cur;
		if (e->procs_base != e->procs_cur)
			snprintf(e->note, sizeof(e->note), "%zu and %zu processes: the first %zu paired",
				 e->procs_base, e->procs_cur, e->n);
		e->testable = e->n >= 2 && rankstats_min_p(e->n, 0) < o->alpha;
	} else {
		e->n = e->procs_base < e->procs_cur ? e->procs_base : e->procs_cur;
		e->testable = e->n >= 2 && rankstats_min_p(e->procs_base, e->procs_cur) < o->alpha;
	}
	if (!e->testable) {
		/* no test, but the ratio still by the one estimator (verdict.h),
		 * not a ratio of medians beside it */
		if (compare_test(e, o, 1 - o->alpha))
			e->r.ratio = NAN;
		e->r.p = NAN;
		e->r.ci_lo = e->r.ci_hi = e->r.ci_level = NAN;
		if (e->n < 2)
			snprintf(e->note, sizeof(e->note),
				 "one process on a side cannot separate process noise from a change");
		else
			snprintf(e->note, sizeof(e->note),
				 "%zu %s cannot reach p < %g whatever the data", e->n,
				 o->paired ? "pairs" : "processes a side", o->alpha);
		return;
	}
	if (compare_test(e, o, 1 - o->alpha))
		e->testable = false;
}

/* How many more rounds (pairs, or processes a side) would likely settle an
 * unsure verdict: the interval narrows as 1/sqrt(n), and must either fit
 * inside the threshold band or clear 1 with the estimate beyond the change
 * threshold. */
static void compare_more_needed(struct compare_entry *e, const struct compare_opts *o)
{
	double est = fabs(log(e->r.ratio)), half = (log(e->r.ci_hi) - log(e->r.ci_lo)) / 2;
	double band = log(1 + o->threshold), need, n = (double)e->n;

	need = verdict_units_to_narrow(n, half, band - est);
	if (est > log(1 + e->threshold))
		need = fmin(need, verdict_units_to_narrow(n, half, est));
	if (est >= band && est <= log(1 + e->threshold))
		snprintf(e->note, sizeof(e->note), "the change lies within the baseline's own "
			 "noise: only a quieter baseline can settle it");
	else if (!isfinite(need) || need > 1000)
		snprintf(e->note, sizeof(e->note), "the estimate sits near the threshold: more %s "
			 "will hardly settle it", o->paired ? "rounds" : "processes");
	else
		snprintf(e->note, sizeof(e->note), "about %.0f more %s would likely settle it",
			 fmax(1, ceil(need - n)), o->paired ? "rounds" : "processes a side");
}

static void compare_judge(struct compare_entry *e, const struct compare_opts *o)
{
	/* A change must clear the larger of the threshold and the baseline's
	 * own noise; "same" must fit inside the user's threshold band. */
	double ratio = e->r.ratio, lo = e->r.ci_lo, hi = e->r.ci_hi, t = e->threshold;
	double band = o->threshold;
	bool significant = e->p_adj < o->alpha;
	bool worse = o->higher_better ? ratio < 1 - t : ratio > 1 + t;
	bool better = o->higher_better ? ratio > 1 + t : ratio < 1 - t;
	bool ci_worse = o->higher_better ? hi < 1 : lo > 1;
	bool ci_better = o->higher_better ? lo > 1 : hi < 1;

	if (!e->testable)
		e->verdict = "too-few";
	else if (significant && ci_worse && worse)
		e->verdict = "regression";
	else if (significant && ci_better && better)
		e->verdict = "improvement";
	else if (lo >= 1 - band && hi <= 1 + band)
		e->verdict = "same";
	else {
		e->verdict = "unsure";
		compare_more_needed(e, o);
	}
}

static bool compare_gated(const struct compare_opts *o, const struct compare_side *s, size_t row)
{
	return strcmp(table_cell(&s->t, row, s->cache), "cold") ? o->gate_warm : o->gate_cold;
}

/* Holm over the gated, testable configurations; then each interval at the
 * level of its step, so "the interval clears 1" and "Holm rejects" agree.
 * Outside the family (not gated) an interval is at 1 - alpha. */
static void compare_family(struct compare_entry *e, size_t n, const struct compare_opts *o)
{
	double *p = malloc((n + 1) * sizeof(*p)), *adj = malloc((n + 1) * sizeof(*adj));
	size_t *rank = malloc((n + 1) * sizeof(*rank)), m = 0;

	if (!p || !adj || !rank) {
		free(p);
		free(adj);
		free(rank);
		for (size_t i = 0; i < n; i++)
			e[i].testable = false; /* no verdict rather than a wrong one */
		return;
	}
	for (size_t i = 0; i < n; i++)
		m += e[i].testable && e[i].gated;
	/* Holm's first step needs p < alpha/m: a gated configuration whose
	 * sample size cannot give that (9 pairs over 18 configurations) can
	 * never fail the job, and says so.  Decided by sizes, not data. */
	for (size_t i = 0; i < n; i++) {
		double min_p = o->paired ? rankstats_min_p(e[i].n, 0)
					 : rankstats_min_p(e[i].procs_base, e[i].procs_cur);
		if (e[i].testable && e[i].gated && min_p * (double)m >= o->alpha) {
			e[i].testable = false;
			snprintf(e[i].note, sizeof(e[i].note),
				 "%zu %s cannot reach p < %g/%zu (Holm over the gated configurations) "
				 "whatever the data: add rounds",
				 e[i].n, o->paired ? "pairs" : "processes a side", o->alpha, m);
		}
	}
	m = 0;
	for (size_t i = 0; i < n; i++) {
		p[i] = e[i].testable && e[i].gated ? e[i].r.p : NAN;
		m += !isnan(p[i]);
	}
	rankstats_holm(p, n, adj, rank);
	for (size_t i = 0; i < n; i++) {
		double level = 1 - o->alpha;

		e[i].p_adj = e[i].gated ? adj[i] : e[i].r.p;
		e[i].holm_rank = rank[i];
		if (rank[i])
			level = 1 - o->alpha / (double)(m - rank[i] + 1);
		if (e[i].testable && compare_test(&e[i], o, level))
			e[i].testable = false;
	}
	free(p);
	free(adj);
	free(rank);
}

static int compare_width = 44; /* of the configuration column in table format */

static void compare_print_entry(const struct compare_entry *e, const struct compare_opts *o,
				bool first)
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
	if (o->format == FORMAT_TABLE) {
		printf("%-*s %7s %7s %12.6g %12.6g %7.3f  %-25s %8s %6s  %s%s%s%s\n", compare_width,
		       e->label, procs, reps, e->med_base, e->med_cur, e->r.ratio, ci, p, noise,
		       e->verdict, gate, e->note[0] ? ": " : "", e->note);
	} else if (o->format == FORMAT_MARKDOWN) {
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

static void compare_print_header(const struct compare_opts *o, const struct compare_side *b,
				 const struct compare_side *c)
{
	const char *unit = o->paired ? "pairs of processes, one pair a round (Wilcoxon signed-rank)"
				     : "process medians (Mann-Whitney)";

	if (o->format == FORMAT_TABLE) {
		printf("%s: %s (baseline) vs %s (current); ratio = current/baseline "
		       "(Hodges-Lehmann) over %s; interval and p adjusted for %s (Holm)\n",
		       o->metric, b->path, c->path, unit, "the gated configurations");
		printf("%-*s %7s %7s %12s %12s %7s  %-25s %8s %6s  %s\n", compare_width,
		       "configuration", "procs", "reps", "baseline", "current", "ratio", "interval",
		       "p", "noise", "verdict");
	} else if (o->format == FORMAT_MARKDOWN) {
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

static int compare_parse(int argc, char **argv, struct compare_opts *o, const char **paths)
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
		CLI_OPT_CHOICE("format", "F", &o->format, formats,
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

static void compare_print_footer(const struct compare_entry *entries, size_t matched,
				 char **only_b, size_t nob, char **only_c, size_t noc,
				 size_t regressions, const struct compare_opts *o)
{
	double geo = 0;
	size_t geo_n = 0;

	for (size_t k = 0; k < matched; k++) {
		if (entries[k].testable && entries[k].r.ratio > 0) {
			geo += log(entries[k].r.ratio);
			geo_n++;
		}
	}
	if (o->format == FORMAT_JSON) {
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
	if (geo_n && o->format == FORMAT_TABLE)
		printf("%-*s %7s %7s %12s %12s %7.3f\n", compare_width, "geometric mean", "", "", "",
		       "", exp(geo / (double)geo_n));
	else if (geo_n)
		printf("| geometric mean | | | | | %.3f | | | | |\n", exp(geo / (double)geo_n));
	for (size_t k = 0; k < nob; k++)
		printf(o->format == FORMAT_TABLE ? "only in baseline: %s\n" : "\nOnly in baseline: %s\n",
		       only_b[k]);
	for (size_t k = 0; k < noc; k++)
		printf(o->format == FORMAT_TABLE ? "only in current: %s\n" : "\nOnly in current: %s\n",
		       only_c[k]);
	printf(o->format == FORMAT_TABLE ? "%zu matched, %zu regression%s\n"
					 : "\n%zu matched, %zu regression%s.\n",
	       matched, regressions, regressions == 1 ? "" : "s");
}

static int compare_main(int argc, char **argv)
{
	struct compare_opts o = { .threshold = 0.10, .alpha = 0.05, .metric = "mib_per_s",
				  .format = FORMAT_TABLE, .gate_warm = true, .gate_cold = true };
	struct compare_side b = { 0 }, c = { 0 };
	const char *paths[2] = { NULL, NULL };
	size_t i = 0, j = 0, matched = 0, regressions = 0, nob = 0, noc = 0;
	char **only_b = NULL, **only_c = NULL;
	struct compare_entry *entries = NULL;
	bool by_host;
	int status = compare_parse(argc, argv, &o, paths);

	if (status)
		return status;
	b.path = paths[0];
	c.path = paths[1];
	status = compare_load(&b, &o);
	if (!status)
		status = compare_load(&c, &o);
	if (status)
		goto out;
	by_host = compare_check_context(&b, &c, &o);
	nkeys = table_key_columns(&b.t, b.cols, COMPARE_MAX_KEYS, by_host);
	table_key_columns(&c.t, c.cols, COMPARE_MAX_KEYS, by_host);
	table_sort_subset(&b.t, b.rows, b.nrows, b.cols, nkeys, -1);
	table_sort_subset(&c.t, c.rows, c.nrows, c.cols, nkeys, -1);
	only_b = calloc(b.nrows + 1, sizeof(*only_b));
	only_c = calloc(c.nrows + 1, sizeof(*only_c));
	entries = calloc(b.nrows + 1, sizeof(*entries));
	if (!only_b || !only_c || !entries) {
		error_msg("out of memory");
		status = EXIT_RUNTIME;
		goto out;
	}
	/* Merge-join the two sorted sides. */
	while (i < b.nrows || j < c.nrows) {
		size_t ie = i < b.nrows ? compare_group_end(&b, i) : i;
		size_t je = j < c.nrows ? compare_group_end(&c, j) : j;
		int cmp = i == b.nrows	 ? 1
			  : j == c.nrows ? -1
					 : table_cmp_config(&b.t, b.rows[i], b.cols, &c.t, c.rows[j],
							    c.cols, nkeys, -1);
		struct compare_entry *e = &entries[matched];
		int w;

		if (cmp < 0) {
			only_b[nob] = malloc(COMPARE_LABEL);
			if (only_b[nob])
				compare_label(&b, &c, b.rows[i], only_b[nob++], COMPARE_LABEL);
			i = ie;
			continue;
		}
		if (cmp > 0) {
			only_c[noc] = malloc(COMPARE_LABEL);
			if (only_c[noc])
				compare_label(&c, &b, c.rows[j], only_c[noc++], COMPARE_LABEL);
			j = je;
			continue;
		}
		compare_label(&b, &c, b.rows[i], e->label, sizeof(e->label));
		e->reps_base = ie - i;
		e->reps_cur = je - j;
		e->vb = compare_processes(&b, i, ie, &e->procs_base);
		e->vc = compare_processes(&c, j, je, &e->procs_cur);
		if (!e->vb || !e->vc) {
			error_msg("out of memory");
			status = EXIT_RUNTIME;
			matched++;
			goto out;
		}
		compare_measure(e, &o);
		e->gated = compare_gated(&o, &b, b.rows[i]);
		w = (int)strlen(e->label);
		if (w > compare_width)
			compare_width = w;
		matched++;
		i = ie;
		j = je;
	}
	if (!matched) {
		/* one line, not a table of one-sided configurations */
		error_msg("no configuration of '%s' matches one of '%s' (%zu only in the baseline, "
			  "%zu only in the current; compare keys on every parameter column)",
			  c.path, b.path, nob, noc);
		status = EXIT_USAGE;
		goto out;
	}
	compare_family(entries, matched, &o);
	for (size_t k = 0; k < matched; k++) {
		compare_judge(&entries[k], &o);
		if (entries[k].gated && !strcmp(entries[k].verdict, "regression"))
			regressions++;
	}
	compare_print_header(&o, &b, &c);
	for (size_t k = 0; k < matched; k++)
		compare_print_entry(&entries[k], &o, k == 0);
	compare_print_footer(entries, matched, only_b, nob, only_c, noc, regressions, &o);
	status = regressions ? 1 : 0;
out:
	for (size_t k = 0; k < nob; k++)
		free(only_b[k]);
	for (size_t k = 0; k < noc; k++)
		free(only_c[k]);
	for (size_t k = 0; entries && k < matched; k++) {
		free(entries[k].vb);
		free(entries[k].vc);
	}
	free(only_b);
	free(only_c);
	free(entries);
	free(b.rows);
	free(c.rows);
	table_free(&b.t);
	table_free(&c.t);
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
