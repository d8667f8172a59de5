/*
 * summary.c - `mmbench summary RESULTS`: rows grouped by configuration
 * (every parameter column), with medians and spreads, as tab-separated text
 * for the plotting and report scripts; `--ratio A:B` pairs the interleaved
 * repetitions of two backends and summarises their throughput ratios by
 * the one verdict rule (analysis/verdict.h).
 */
#include "cmd/commands.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/pairs.h"
#include "core/config.h"
#include "analysis/rankstats.h"
#include "analysis/verdict.h"
#include "cli/cli.h"
#include "results/configkey.h"
#include "results/table.h"
#include "util/error.h"
#include "util/parse.h"
#include "util/stats.h"

/* Columns summarised by their median, besides the throughput. */
static const char *const summary_medians[] = {
	"elapsed_ns",	"first_pass_ns", "bytes",	 "ops_per_s",	 "lat_p50_ns",
	"lat_p99_ns",	"lat_max_ns",	 "minor_faults", "major_faults", "vol_ctx_switches",
	"invol_ctx_switches", "user_us", "sys_us",	 "dev_read_bytes", "dev_write_bytes",
	"resident_before", "folio_large", "folio_median_bytes",
};
#define SUMMARY_NMEDIANS (sizeof(summary_medians) / sizeof(summary_medians[0]))

struct summary {
	const struct table *t;
	int key[64];	/* host (unless pooled), then the parameter columns */
	unsigned nkey;
	int skip;	/* key column left out of grouping (--ratio: backend), or -1 */
	int skip_pos;	/* its position in key[], or -1 */
	int mib, verified, run_id, rep, backend;
	struct config_key ck; /* which parameters go in the "other" column */
};

/* The last two cells of a line: the configuration in words, and its
 * parameters beyond the ones every table names (configkey.h). */
static void summary_print_names(const struct summary *s, size_t row)
{
	char config[512], other[256];

	table_config_words(s->t, row, config, sizeof(config));
	config_key_other(&s->ck, row, other, sizeof(other));
	printf("\t%s\t%s\n", config, other);
}

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

/* The pages the rows' in-memory copy lived in (mem_pages): their one
 * value, or "mixed" when they differ, so a ceiling is read with them. */
static const char *summary_mem_pages(const struct summary *s, const size_t *rows, size_t n)
{
	int c = table_col(s->t, "mem_pages");
	const char *first = table_cell(s->t, rows[0], c);

	for (size_t k = 1; k < n; k++)
		if (strcmp(first, table_cell(s->t, rows[k], c)))
			return "mixed";
	return first;
}

/* One line per configuration: how many processes and repetitions stand
 * behind it, the median throughput (the median of the per-process medians:
 * the process is the unit), the spread over repetitions and over processes,
 * and the medians of the counters. */
static int summary_groups(const struct summary *s, const size_t *rows, size_t n, double *v)
{
	double *proc = malloc((n + 1) * sizeof(*proc));

	if (!proc)
		return -ENOMEM;
	summary_print_key_header(s);
	printf("procs\tn\tverified\tmib_median\tmib_min\tmib_max\tmib_mad\tmib_proc_min\t"
	       "mib_proc_max");
	for (size_t m = 0; m < SUMMARY_NMEDIANS; m++)
		printf("\t%s", summary_medians[m]);
	printf("\tresident_min\tresident_max\tmem_pages\tconfig\tother\n");
	for (size_t i = 0, j; i < n; i = j) {
		unsigned verified = 0;
		size_t nproc = 0;
		double lo, hi, plo, phi;

		j = table_group_end(s->t, rows, n, s->key, (int)s->nkey, s->skip_pos, i);
		if (table_per_process(s->t, rows + i, j - i, s->mib, proc, &nproc)) {
			free(proc);
			return -ENOMEM;
		}
		for (size_t k = i; k < j; k++) {
			v[k - i] = table_num(s->t, rows[k], s->mib);
			verified += table_num(s->t, rows[k], s->verified) == 1;
		}
		stats_minmax(v, j - i, &lo, &hi);
		stats_minmax(proc, nproc, &plo, &phi);
		summary_print_key(s, rows[i]);
		printf("%zu\t%zu\t%u\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g", nproc, j - i,
		       verified, stats_median(proc, nproc), lo, hi, stats_mad(v, j - i), plo, phi);
		for (size_t m = 0; m < SUMMARY_NMEDIANS; m++) {
			int c = table_col(s->t, summary_medians[m]);
			size_t nv = 0;

			/* over the rows that measured it: "unknown" or an empty
			 * cell (a column an older file lacks) is not a 0 */
			for (size_t k = i; k < j; k++)
				if (table_is_num(s->t, rows[k], c))
					v[nv++] = table_num(s->t, rows[k], c);
			if (nv)
				printf("\t%.10g", stats_median(v, nv));
			else
				printf("\tunknown");
		}
		/* The extremes too: one repetition that was not cold (or not
		 * warm) must stay visible behind a median that was. */
		for (size_t k = i; k < j; k++)
			v[k - i] = table_num(s->t, rows[k], table_col(s->t, "resident_before"));
		stats_minmax(v, j - i, &lo, &hi);
		printf("\t%.4g\t%.4g\t%s", lo, hi, summary_mem_pages(s, rows + i, j - i));
		summary_print_names(s, rows[i]);
	}
	free(proc);
	return 0;
}

/* One line per configuration (backend aside) holding both backends: the
 * ratio A/B and its interval by the one rule (verdict.h: over processes
 * when there are several, else over the repetitions of the one).
 * ratio_median is the verdict's ratio, ratio_min/max the range over pairs. */
static int summary_ratios(const struct summary *s, const size_t *rows, size_t n, const char *a,
			  const char *b)
{
	struct verdict_pair *pairs = malloc((n + 1) * sizeof(*pairs));
	size_t *scratch = malloc((n + 1) * sizeof(*scratch));
	struct pairs_cols pc;
	int err = 0;

	if (!pairs || !scratch) {
		err = -ENOMEM;
		goto out;
	}
	pairs_columns(s->t, &pc);
	summary_print_key_header(s);
	printf("procs\tpairs\tratio_median\tratio_lo\tratio_hi\tinterval_level\tinterval_over\t"
	       "ratio_min\tratio_max\t%s_median\t%s_median\tconfig\tother\n",
	       a, b);
	for (size_t i = 0, j; i < n; i = j) {
		struct verdict v;
		size_t np;

		j = table_group_end(s->t, rows, n, s->key, (int)s->nkey, s->skip_pos, i);
		np = pairs_collect(s->t, &pc, rows + i, j - i, a, b, pairs, scratch);
		if (!np)
			continue;
		err = verdict_decide(pairs, np, &v);
		if (err)
			goto out;
		summary_print_key(s, rows[i]);
		/* too few to reach 95%: the widest interval, with the coverage
		 * it really has */
		printf("%zu\t%zu\t%.4f\t%.4f\t%.4f\t%.4f\t%s\t%.4f\t%.4f\t%.10g\t%.10g", v.procs,
		       v.pairs, v.ratio, v.lo, v.hi, v.coverage,
		       v.over_processes ? "processes" : "repetitions", v.pair_min, v.pair_max, v.med_a,
		       v.med_b);
		summary_print_names(s, rows[i]);
	}
out:
	free(pairs);
	free(scratch);
	return err;
}

static int summary_main(int argc, char **argv)
{
	struct table t;
	struct summary s = { .t = &t, .skip = -1, .skip_pos = -1 };
	const char *path, *ratio = NULL;
	char a[CONFIG_SERIES_MAX] = "", b[CONFIG_SERIES_MAX] = "";
	bool meta = false, pool = false;
	const struct cli_option opts[] = {
		CLI_OPT_STRING("ratio", "A:B", &ratio,
			       "pair backend A with B: a ratio and its interval per configuration"),
		CLI_OPT_FLAG("meta", &meta, "host, CPU, kernel and filesystem of the first row"),
		CLI_OPT_FLAG("pool-hosts", &pool, "one line for a configuration of several hosts"),
		CLI_OPT_END,
	};
	size_t *rows;
	double *v;
	int err = cli_parse(&summary_command, opts, argc, argv, &path, NULL);

	if (err)
		return err;
	err = table_open(&t, path);
	if (err)
		return err;
	if (ratio) {
		struct pairs_cols pc;

		pairs_columns(&t, &pc);
		if (pairs_names(&t, &pc, ratio, a, b, sizeof(a))) {
			error_msg("invalid value '%s' for --ratio (use e.g. mmap:read, or "
				  "mmap:madvise=random:read)",
				  ratio);
			table_free(&t);
			return EXIT_USAGE;
		}
	}
	/* a line per series shows its options; ratios pair series */
	s.nkey = (unsigned)(ratio ? table_key_columns : table_series_columns)(&t, s.key, 64, !pool);
	s.mib = table_col(&t, "mib_per_s");
	s.verified = table_col(&t, "verified");
	s.run_id = table_col(&t, "run_id");
	s.rep = table_col(&t, "rep");
	s.backend = table_col(&t, "backend");
	if (meta) {
		static const char *const cols[] = { "host", "cpu_model", "kernel", "fs_type" };

		for (int i = 0; i < 4; i++)
			printf("%s%s", i ? "\t" : "", t.nrows ? table_cell(&t, 0, table_col(&t, cols[i])) : "");
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
	err = rows && v ? 0 : -ENOMEM;
	config_key_init(&s.ck, &t, s.key, s.nkey);
	if (!err)
		err = config_key_find_varying(&s.ck, rows, t.nrows, s.skip_pos);
	if (!err)
		err = ratio ? summary_ratios(&s, rows, t.nrows, a, b)
			    : summary_groups(&s, rows, t.nrows, v);
	if (err)
		error_msg("out of memory");
	free(rows);
	free(v);
	table_free(&t);
	return err ? EXIT_RUNTIME : 0;
}

const struct cli_command summary_command = {
	.name = "summary",
	.args = "RESULTS [--ratio A:B | --meta] [--pool-hosts]",
	.summary = "medians and spreads per configuration (TSV)",
	.about = "Medians and spreads per configuration (host and every parameter), as TSV.\n"
		 "procs and n say how many processes and repetitions stand behind a line;\n"
		 "mib_median is the median of the per-process medians.  --ratio A:B pairs the\n"
		 "interleaved repetitions of two backends, with a 95% interval (or, for too\n"
		 "few, the widest one and its real coverage: interval_level).\n",
	.main = summary_main,
	.min_args = 1,
	.max_args = 1,
};
