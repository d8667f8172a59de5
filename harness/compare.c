#include "compare.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json.h"
#include "rankstats.h"
#include "stats.h"
#include "table.h"

/* Fewer samples than this on a side give "too-few": with n = m = 4 the
 * smallest possible two-sided p is 2/70 = 0.029, so no test could pass. */
#define COMPARE_MIN_SAMPLES 5
#define COMPARE_LEVEL 0.99
#define COMPARE_MAX_KEYS 64

enum compare_format { FORMAT_TABLE, FORMAT_MARKDOWN, FORMAT_JSON };

struct compare_side {
	const char *path;
	struct table t;
	int cols[COMPARE_MAX_KEYS];
	int metric, cache;
	size_t *rows; /* sorted by configuration */
};

struct compare_opts {
	double threshold; /* fraction, e.g. 0.10 */
	double alpha;
	const char *metric;
	bool higher_better;
	enum compare_format format;
	bool gate_warm, gate_cold;
};

/* One matched configuration (or a side-only one, when n_base or n_cur is 0). */
struct compare_entry {
	char label[512];
	size_t n_base, n_cur;
	double med_base, med_cur;
	struct rankstats_result r;
	const char *verdict;
	bool gated;
};

static int ncols; /* configuration columns: the same count on both sides */

static int compare_load(struct compare_side *s, const char *metric)
{
	const char *missing = "";
	size_t bad = 0;
	int err = table_load(&s->t, s->path, &bad);

	if (err == -EPROTO) {
		error_msg("'%s' line %zu: not a well-formed results CSV", s->path, bad);
		return EXIT_USAGE;
	}
	if (err) {
		error_msg("cannot read '%s': %s", s->path, strerror(-err));
		return EXIT_USAGE;
	}
	ncols = table_config_columns(&s->t, s->cols, COMPARE_MAX_KEYS, &missing);
	if (ncols < 0) {
		error_msg("'%s' is not an mmbench results file (no column '%s')", s->path, missing);
		return EXIT_USAGE;
	}
	s->metric = table_col(&s->t, metric);
	s->cache = table_col(&s->t, "cache");
	if (s->metric < 0) {
		error_msg("'%s' has no column '%s' for --metric", s->path, metric);
		return EXIT_USAGE;
	}
	s->rows = table_sort_rows(&s->t, s->cols, ncols, -1);
	return s->rows ? 0 : EXIT_RUNTIME;
}

/* End of the run of rows from i that share row i's configuration. */
static size_t compare_group_end(const struct compare_side *s, size_t i)
{
	return table_group_end(&s->t, s->rows, s->cols, ncols, -1, i);
}

static void compare_label(const struct compare_side *s, const struct compare_side *o, size_t row,
			  char *buf, size_t len)
{
	table_config_label(&s->t, s->cols, ncols, row, &o->t, o->cols, ' ', buf, len);
}

static double *compare_values(const struct compare_side *s, size_t i, size_t j)
{
	double *v = malloc((j - i + 1) * sizeof(*v));

	for (size_t k = i; v && k < j; k++)
		v[k - i] = table_num(&s->t, s->rows[k], s->metric);
	return v;
}

static void compare_judge(struct compare_entry *e, const struct compare_opts *o)
{
	double ratio = e->r.ratio;
	bool worse = o->higher_better ? ratio < 1 - o->threshold : ratio > 1 + o->threshold;
	bool better = o->higher_better ? ratio > 1 + o->threshold : ratio < 1 - o->threshold;
	bool significant = e->r.p < o->alpha;

	if (e->n_base < COMPARE_MIN_SAMPLES || e->n_cur < COMPARE_MIN_SAMPLES)
		e->verdict = "too-few";
	else if (worse && significant)
		e->verdict = "regression";
	else if (better && significant)
		e->verdict = "improvement";
	else if (worse || better)
		e->verdict = "~";
	else
		e->verdict = "same";
}

static int compare_width = 44; /* of the configuration column in table format */

static void compare_print_entry(const struct compare_entry *e, enum compare_format f, bool first)
{
	const char *gate = e->gated ? "" : " (not gated)";

	if (f == FORMAT_TABLE) {
		printf("%-*s %4zu %12.6g %4zu %12.6g  %7.3f  [%6.3f, %6.3f]  %9.3g  %s%s\n", compare_width, e->label,
		       e->n_base, e->med_base, e->n_cur, e->med_cur, e->r.ratio, e->r.ci_lo,
		       e->r.ci_hi, e->r.p, e->verdict, gate);
	} else if (f == FORMAT_MARKDOWN) {
		printf("| %s | %zu | %.6g | %zu | %.6g | %.3f | %.3f..%.3f | %.3g | %s%s |\n", e->label,
		       e->n_base, e->med_base, e->n_cur, e->med_cur, e->r.ratio, e->r.ci_lo,
		       e->r.ci_hi, e->r.p, e->verdict, gate);
	} else {
		printf("%s\n    {\"configuration\": ", first ? "" : ",");
		json_write_string(stdout, e->label);
		printf(", \"n_baseline\": %zu, \"median_baseline\": %.10g, \"n_current\": %zu, "
		       "\"median_current\": %.10g, \"ratio\": %.6g, \"ci_low\": %.6g, "
		       "\"ci_high\": %.6g, \"ci_level\": %.4f, \"p\": %.6g, \"exact\": %s, "
		       "\"verdict\": \"%s\", \"gated\": %s}",
		       e->n_base, e->med_base, e->n_cur, e->med_cur, e->r.ratio, e->r.ci_lo, e->r.ci_hi,
		       e->r.ci_level, e->r.p, e->r.exact ? "true" : "false", e->verdict,
		       e->gated ? "true" : "false");
	}
}

static void compare_print_header(const struct compare_opts *o, const struct compare_side *b,
				 const struct compare_side *c)
{
	if (o->format == FORMAT_TABLE) {
		printf("%s: %s (baseline) vs %s (current); ratio = current/baseline "
		       "(Hodges-Lehmann), 99%% CI, Mann-Whitney p\n",
		       o->metric, b->path, c->path);
		printf("%-*s %4s %12s %4s %12s  %7s  %-16s  %9s  %s\n", compare_width, "configuration", "n",
		       "baseline", "n", "current", "ratio", "99% CI", "p", "verdict");
	} else if (o->format == FORMAT_MARKDOWN) {
		printf("### mmbench compare: %s\n\n", o->metric);
		printf("Baseline `%s`, current `%s`. Ratio = current/baseline (Hodges-Lehmann) "
		       "with its 99%% confidence interval; regression = p < %g and worse than "
		       "%g%%.\n\n",
		       b->path, c->path, o->alpha, o->threshold * 100);
		printf("| configuration | n | baseline | n | current | ratio | 99%% CI | p | verdict |\n");
		printf("|---|---:|---:|---:|---:|---:|---|---:|---|\n");
	} else {
		printf("{\n  \"metric\": \"%s\", \"threshold\": %g, \"alpha\": %g, "
		       "\"higher_is_better\": %s,\n  \"baseline\": ",
		       o->metric, o->threshold, o->alpha, o->higher_better ? "true" : "false");
		json_write_string(stdout, b->path);
		printf(", \"current\": ");
		json_write_string(stdout, c->path);
		printf(",\n  \"configurations\": [");
	}
}

/* Warn when the two sides were measured on different machines. */
static void compare_check_context(const struct compare_side *b, const struct compare_side *c)
{
	static const char *const cols[] = { "host", "cpu_model", "kernel", "fs_type" };

	for (int i = 0; i < 4; i++) {
		int cb = table_col(&b->t, cols[i]), cc = table_col(&c->t, cols[i]);

		if (cb < 0 || cc < 0 || !b->t.nrows || !c->t.nrows)
			continue;
		if (strcmp(table_cell(&b->t, 0, cb), table_cell(&c->t, 0, cc)))
			error_warn("%s differs: '%s' (baseline) vs '%s' (current)", cols[i],
				   table_cell(&b->t, 0, cb), table_cell(&c->t, 0, cc));
	}
}

static bool compare_gated(const struct compare_opts *o, const struct compare_side *s, size_t row)
{
	const char *cache = s->cache >= 0 ? table_cell(&s->t, row, s->cache) : "warm";

	return strcmp(cache, "cold") ? o->gate_warm : o->gate_cold;
}

static int compare_usage(FILE *f, int status)
{
	fputs("usage: mmbench compare BASELINE CURRENT [--threshold PCT] [--alpha A]\n"
	      "                       [--metric COLUMN] [--format table|markdown|json]\n"
	      "                       [--gate warm|cold|warm,cold]\n\n"
	      "BASELINE and CURRENT are results CSVs or results folders.  Exit status: 0 no\n"
	      "regression, 1 at least one gated regression, 2 bad input or nothing matched.\n",
	      f);
	return status;
}

static int compare_parse(int argc, char **argv, struct compare_opts *o, const char **paths)
{
	int npaths = 0;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;

		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return compare_usage(stdout, -1);
		if (a[0] != '-') {
			if (npaths == 2) {
				error_msg("unexpected argument '%s' for compare", a);
				return EXIT_USAGE;
			}
			paths[npaths++] = a;
			continue;
		}
		if (!v) {
			error_msg("missing value for %s", a);
			return EXIT_USAGE;
		}
		i++;
		if (!strcmp(a, "--threshold")) {
			o->threshold = strtod(v, &end) / 100;
			if (*end || !(o->threshold >= 0 && o->threshold < 10)) {
				error_msg("invalid value '%s' for --threshold (a percentage, e.g. 10)", v);
				return EXIT_USAGE;
			}
		} else if (!strcmp(a, "--alpha")) {
			o->alpha = strtod(v, &end);
			if (*end || !(o->alpha > 0 && o->alpha < 1)) {
				error_msg("invalid value '%s' for --alpha (between 0 and 1, e.g. 0.01)", v);
				return EXIT_USAGE;
			}
		} else if (!strcmp(a, "--metric")) {
			o->metric = v;
		} else if (!strcmp(a, "--format")) {
			if (!strcmp(v, "table"))
				o->format = FORMAT_TABLE;
			else if (!strcmp(v, "markdown"))
				o->format = FORMAT_MARKDOWN;
			else if (!strcmp(v, "json"))
				o->format = FORMAT_JSON;
			else {
				error_msg("invalid value '%s' for --format (use table, markdown or json)", v);
				return EXIT_USAGE;
			}
		} else if (!strcmp(a, "--gate")) {
			o->gate_warm = strstr(v, "warm") != NULL;
			o->gate_cold = strstr(v, "cold") != NULL;
			if (strspn(v, "warmcold,") != strlen(v) || (!o->gate_warm && !o->gate_cold)) {
				error_msg("invalid value '%s' for --gate (use warm, cold or warm,cold)", v);
				return EXIT_USAGE;
			}
		} else {
			error_msg("unknown option '%s' for compare (see mmbench compare --help)", a);
			return EXIT_USAGE;
		}
	}
	if (npaths != 2)
		return compare_usage(stderr, EXIT_USAGE);
	/* Throughput-like columns are better higher; times, latencies and
	 * counters are better lower. */
	o->higher_better = !strcmp(o->metric, "mib_per_s") || !strcmp(o->metric, "ops_per_s");
	return 0;
}

int compare_main(int argc, char **argv)
{
	struct compare_opts o = { .threshold = 0.10, .alpha = 0.01, .metric = "mib_per_s",
				  .format = FORMAT_TABLE, .gate_warm = true, .gate_cold = true };
	struct compare_side b = { 0 }, c = { 0 };
	const char *paths[2] = { NULL, NULL };
	size_t i = 0, j = 0, matched = 0, regressions = 0, geo_n = 0;
	double geo = 0;
	char **only_b = NULL, **only_c = NULL;
	struct compare_entry *entries = NULL;
	size_t nob = 0, noc = 0;
	int status = compare_parse(argc, argv, &o, paths);

	if (status)
		return status < 0 ? 0 : status;
	b.path = paths[0];
	c.path = paths[1];
	status = compare_load(&b, o.metric);
	if (!status) {
		int nb = ncols;

		status = compare_load(&c, o.metric);
		if (!status && nb != ncols) {
			error_msg("'%s' and '%s' have different configuration columns", b.path, c.path);
			status = EXIT_USAGE;
		}
	}
	if (status)
		goto out;
	compare_check_context(&b, &c);
	only_b = calloc(b.t.nrows + 1, sizeof(*only_b));
	only_c = calloc(c.t.nrows + 1, sizeof(*only_c));
	entries = calloc(b.t.nrows + 1, sizeof(*entries));
	if (!only_b || !only_c || !entries) {
		error_msg("out of memory");
		status = EXIT_RUNTIME;
		goto out;
	}
	/* Merge-join the two sorted sides. */
	while (i < b.t.nrows || j < c.t.nrows) {
		size_t ie = i < b.t.nrows ? compare_group_end(&b, i) : i;
		size_t je = j < c.t.nrows ? compare_group_end(&c, j) : j;
		int cmp = i == b.t.nrows ? 1
			  : j == c.t.nrows
				  ? -1
				  : table_cmp_config(&b.t, b.rows[i], b.cols, &c.t, c.rows[j], c.cols,
						     ncols, -1);
		struct compare_entry e = { 0 };
		double *vb, *vc;
		int w;

		if (cmp < 0) {
			only_b[nob] = malloc(512);
			if (only_b[nob])
				compare_label(&b, &c, b.rows[i], only_b[nob++], 512);
			i = ie;
			continue;
		}
		if (cmp > 0) {
			only_c[noc] = malloc(512);
			if (only_c[noc])
				compare_label(&c, &b, c.rows[j], only_c[noc++], 512);
			j = je;
			continue;
		}
		vb = compare_values(&b, i, ie);
		vc = compare_values(&c, j, je);
		compare_label(&b, &c, b.rows[i], e.label, sizeof(e.label));
		e.n_base = ie - i;
		e.n_cur = je - j;
		e.med_base = vb ? stats_median(vb, e.n_base) : NAN;
		e.med_cur = vc ? stats_median(vc, e.n_cur) : NAN;
		if (!vb || !vc || rankstats_compare(vb, e.n_base, vc, e.n_cur, COMPARE_LEVEL, &e.r)) {
			e.r.ratio = e.med_base > 0 ? e.med_cur / e.med_base : NAN;
			e.r.p = NAN;
		}
		compare_judge(&e, &o);
		e.gated = compare_gated(&o, &b, b.rows[i]);
		if (e.gated && !strcmp(e.verdict, "regression"))
			regressions++;
		if (strcmp(e.verdict, "too-few") && e.r.ratio > 0) {
			geo += log(e.r.ratio);
			geo_n++;
		}
		w = (int)strlen(e.label);
		if (w > compare_width)
			compare_width = w;
		entries[matched++] = e;
		free(vb);
		free(vc);
		i = ie;
		j = je;
	}
	compare_print_header(&o, &b, &c);
	for (size_t k = 0; k < matched; k++)
		compare_print_entry(&entries[k], o.format, k == 0);
	if (o.format == FORMAT_JSON) {
		printf("\n  ],\n  \"geomean_ratio\": %.6g, \"regressions\": %zu,\n",
		       geo_n ? exp(geo / (double)geo_n) : NAN, regressions);
		printf("  \"only_baseline\": [");
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
	} else {
		if (geo_n && o.format == FORMAT_TABLE)
			printf("%-*s %4s %12s %4s %12s  %7.3f\n", compare_width, "geometric mean", "", "",
			       "", "", exp(geo / (double)geo_n));
		else if (geo_n)
			printf("| geometric mean | | | | | %.3f | | | |\n", exp(geo / (double)geo_n));
		for (size_t k = 0; k < nob; k++)
			printf(o.format == FORMAT_TABLE ? "only in baseline: %s\n"
							: "\nOnly in baseline: %s\n",
			       only_b[k]);
		for (size_t k = 0; k < noc; k++)
			printf(o.format == FORMAT_TABLE ? "only in current: %s\n"
							: "\nOnly in current: %s\n",
			       only_c[k]);
		printf(o.format == FORMAT_TABLE ? "%zu matched, %zu regression%s\n"
						: "\n%zu matched, %zu regression%s.\n",
		       matched, regressions, regressions == 1 ? "" : "s");
	}
	if (!matched) {
		error_msg("no configuration of '%s' matches one of '%s'", c.path, b.path);
		status = EXIT_USAGE;
	} else {
		status = regressions ? 1 : 0;
	}
out:
	for (size_t k = 0; k < nob; k++)
		free(only_b[k]);
	for (size_t k = 0; k < noc; k++)
		free(only_c[k]);
	free(only_b);
	free(only_c);
	free(entries);
	free(b.rows);
	free(c.rows);
	table_free(&b.t);
	table_free(&c.t);
	return status;
}
