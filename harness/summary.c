#include "summary.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "stats.h"
#include "table.h"

/* Columns summarised by their median, besides the throughput. */
static const char *const summary_medians[] = {
	"elapsed_ns",	"first_pass_ns", "bytes",	 "ops_per_s",	 "lat_p50_ns",
	"lat_p99_ns",	"lat_max_ns",	 "minor_faults", "major_faults", "vol_ctx_switches",
	"invol_ctx_switches", "user_us", "sys_us",	 "dev_read_bytes", "dev_write_bytes",
	"resident_before",
};
#define SUMMARY_NMEDIANS (sizeof(summary_medians) / sizeof(summary_medians[0]))

struct summary {
	const struct table *t;
	int key[64];	/* parameter columns, in options-table order */
	unsigned nkey;
	int skip;	/* key column left out of grouping (--ratio: backend), or -1 */
	int skip_pos;	/* its position in key[], or -1 */
	int mib, verified, run_id, rep, backend;
};

static void summary_print_key(const struct summary *s, size_t row)
{
	for (unsigned k = 0; k < s->nkey; k++)
		if (s->key[k] != s->skip)
			printf("%s\t", table_cell(s->t, row, s->key[k]));
}

static void summary_print_key_header(const struct summary *s)
{
	for (unsigned k = 0; k < s->nkey; k++)
		if (s->key[k] != s->skip)
			printf("%s\t", s->t->header[s->key[k]]);
}

/* One line per configuration. */
static void summary_groups(const struct summary *s, const size_t *rows, size_t n, double *v)
{
	summary_print_key_header(s);
	printf("n\tverified\tmib_median\tmib_min\tmib_max\tmib_mad");
	for (size_t m = 0; m < SUMMARY_NMEDIANS; m++)
		printf("\t%s", summary_medians[m]);
	printf("\tresident_min\tresident_max\n");
	for (size_t i = 0, j; i < n; i = j) {
		unsigned verified = 0;
		double lo, hi;

		j = table_group_end(s->t, rows, s->key, (int)s->nkey, s->skip_pos, i);
		for (size_t k = i; k < j; k++) {
			v[k - i] = table_num(s->t, rows[k], s->mib);
			verified += table_num(s->t, rows[k], s->verified) == 1;
		}
		stats_minmax(v, j - i, &lo, &hi);
		summary_print_key(s, rows[i]);
		printf("%zu\t%u\t%.10g\t%.10g\t%.10g\t%.10g", j - i, verified, stats_median(v, j - i), lo,
		       hi, stats_mad(v, j - i));
		for (size_t m = 0; m < SUMMARY_NMEDIANS; m++) {
			int c = table_col(s->t, summary_medians[m]);

			for (size_t k = i; k < j; k++)
				v[k - i] = table_num(s->t, rows[k], c);
			printf("\t%.10g", stats_median(v, j - i));
		}
		/* The extremes too: one repetition that was not cold (or not
		 * warm) must stay visible behind a median that was. */
		for (size_t k = i; k < j; k++)
			v[k - i] = table_num(s->t, rows[k], table_col(s->t, "resident_before"));
		stats_minmax(v, j - i, &lo, &hi);
		printf("\t%.4g\t%.4g\n", lo, hi);
	}
}

/* The row of backend `name` in [i, j) with the same run and repetition as
 * row r, or (size_t)-1. */
static size_t summary_partner(const struct summary *s, const size_t *rows, size_t i, size_t j,
			      size_t r, const char *name)
{
	for (size_t k = i; k < j; k++) {
		size_t q = rows[k];

		if (!strcmp(table_cell(s->t, q, s->backend), name) &&
		    !strcmp(table_cell(s->t, q, s->run_id), table_cell(s->t, r, s->run_id)) &&
		    !strcmp(table_cell(s->t, q, s->rep), table_cell(s->t, r, s->rep)))
			return q;
	}
	return (size_t)-1;
}

/* One line per configuration (backend aside) holding both backends: the
 * ratio A/B of throughput over repetitions that ran in the same iteration. */
static void summary_ratios(const struct summary *s, const size_t *rows, size_t n, double *v,
			   const char *a, const char *b)
{
	/* Pairs never outnumber the rows, so arrays of n values hold them all. */
	double *va = malloc((n + 1) * sizeof(*va)), *vb = malloc((n + 1) * sizeof(*vb));

	if (!va || !vb) {
		error_msg("out of memory");
		free(va);
		free(vb);
		return;
	}
	summary_print_key_header(s);
	printf("pairs\tratio_median\tratio_min\tratio_max\t%s_median\t%s_median\n", a, b);
	for (size_t i = 0, j; i < n; i = j) {
		size_t pairs = 0;
		double lo, hi;

		j = table_group_end(s->t, rows, s->key, (int)s->nkey, s->skip_pos, i);
		for (size_t k = i; k < j; k++) {
			size_t r = rows[k], q;

			if (strcmp(table_cell(s->t, r, s->backend), a))
				continue;
			q = summary_partner(s, rows, i, j, r, b);
			if (q == (size_t)-1)
				continue;
			va[pairs] = table_num(s->t, r, s->mib);
			vb[pairs] = table_num(s->t, q, s->mib);
			v[pairs] = va[pairs] / vb[pairs];
			pairs++;
		}
		if (!pairs)
			continue;
		stats_minmax(v, pairs, &lo, &hi);
		summary_print_key(s, rows[i]);
		printf("%zu\t%.4f\t%.4f\t%.4f\t%.10g\t%.10g\n", pairs, stats_median(v, pairs), lo, hi,
		       stats_median(va, pairs), stats_median(vb, pairs));
	}
	free(va);
	free(vb);
}

static int summary_usage(void)
{
	error_msg("usage: mmbench summary RESULTS [--ratio A:B | --meta]");
	return EXIT_USAGE;
}

int summary_main(int argc, char **argv)
{
	struct table t;
	struct summary s = { .t = &t, .skip = -1, .skip_pos = -1 };
	const char *path = NULL, *ratio = NULL;
	char a[64] = "", b[64] = "";
	bool meta = false;
	size_t bad = 0, *rows;
	double *v;
	int err;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--ratio") && i + 1 < argc)
			ratio = argv[++i];
		else if (!strcmp(argv[i], "--meta"))
			meta = true;
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else
			return summary_usage();
	}
	if (!path)
		return summary_usage();
	if (ratio && (sscanf(ratio, "%63[^:]:%63s", a, b) != 2)) {
		error_msg("invalid value '%s' for --ratio (use e.g. mmap:read)", ratio);
		return EXIT_USAGE;
	}
	err = table_load(&t, path, &bad);
	if (err == -EPROTO) {
		error_msg("'%s' line %zu: not a well-formed results CSV", path, bad);
		return EXIT_USAGE;
	}
	if (err) {
		error_msg("cannot read '%s': %s", path, strerror(-err));
		return EXIT_USAGE;
	}
	{
		const char *missing = "";
		int n = table_config_columns(&t, s.key, 64, &missing);

		if (n < 0) {
			error_msg("'%s' is not an mmbench results file (no column '%s')", path,
				  missing);
			table_free(&t);
			return EXIT_USAGE;
		}
		s.nkey = (unsigned)n;
	}
	s.mib = table_col(&t, "mib_per_s");
	s.verified = table_col(&t, "verified");
	s.run_id = table_col(&t, "run_id");
	s.rep = table_col(&t, "rep");
	s.backend = table_col(&t, "backend");
	if (s.mib < 0 || s.verified < 0 || s.run_id < 0 || s.rep < 0) {
		error_msg("'%s' is not an mmbench results file", path);
		table_free(&t);
		return EXIT_USAGE;
	}
	if (meta) {
		static const char *const cols[] = { "host", "cpu_model", "kernel", "fs_type" };

		for (int i = 0; i < 4; i++) {
			int c = table_col(&t, cols[i]);

			printf("%s%s", i ? "\t" : "", c >= 0 && t.nrows ? table_cell(&t, 0, c) : "");
		}
		putchar('\n');
		table_free(&t);
		return 0;
	}
	if (ratio) {
		s.skip = s.backend;
		for (unsigned k = 0; k < s.nkey; k++)
			if (s.key[k] == s.backend)
				s.skip_pos = (int)k;
	}
	rows = table_sort_rows(&t, s.key, (int)s.nkey, s.skip_pos);
	v = malloc((t.nrows + 1) * sizeof(*v));
	if (!rows || !v) {
		error_msg("out of memory");
		free(rows);
		free(v);
		table_free(&t);
		return EXIT_RUNTIME;
	}
	if (ratio)
		summary_ratios(&s, rows, t.nrows, v, a, b);
	else
		summary_groups(&s, rows, t.nrows, v);
	free(rows);
	free(v);
	table_free(&t);
	return 0;
}
