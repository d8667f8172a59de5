#include "analysis/summary.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/rankstats.h"
#include "cli/cli.h"
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
	printf("\tresident_min\tresident_max\n");
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
		printf("\t%.4g\t%.4g\n", lo, hi);
	}
	free(proc);
	return 0;
}

/* Order rows by process, then repetition: the rows of one interleaved
 * round of one process become neighbours (sorting, not a search per row,
 * so 100,000 rows take milliseconds). */
static int summary_cmp_round(const void *x, const void *y, void *arg)
{
	const struct summary *s = arg;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int c = strcmp(table_cell(s->t, a, s->run_id), table_cell(s->t, b, s->run_id));

	return c ? c : table_cmp_cell(table_cell(s->t, a, s->rep), table_cell(s->t, b, s->rep));
}

/* At most this many pairs of one process enter its interval (evenly
 * spaced): the Walsh averages grow with the square. */
#define SUMMARY_MAX_PAIRS 1000

/* A pair of interleaved repetitions of the two backends. */
struct summary_pair {
	const char *run_id;
	double a, b;
};

static int summary_cmp_pair(const void *x, const void *y)
{
	return strcmp(((const struct summary_pair *)x)->run_id,
		      ((const struct summary_pair *)y)->run_id);
}

/* Fold pairs[0..n) (sorted by process) into per-process medians of each
 * backend, in place; returns how many processes. */
static size_t summary_fold_processes(struct summary_pair *p, size_t n, double *va, double *vb)
{
	size_t nproc = 0;

	for (size_t i = 0, j; i < n; i = j) {
		double *a = va + nproc, *b = vb + nproc; /* scratch past the folded ones */

		for (j = i; j < n && !strcmp(p[j].run_id, p[i].run_id); j++) {
			a[j - i] = p[j].a;
			b[j - i] = p[j].b;
		}
		va[nproc] = stats_median(a, j - i);
		vb[nproc] = stats_median(b, j - i);
		nproc++;
	}
	return nproc;
}

/* One line per configuration (backend aside) holding both backends: the
 * ratio A/B of throughput over repetitions that ran in the same round of
 * one process, with a 95% interval (Wilcoxon signed-rank, Tukey) over the
 * processes when there are several, else over the repetitions of the one. */
static int summary_ratios(const struct summary *s, const size_t *rows, size_t n, double *v,
			  const char *a, const char *b)
{
	/* Pairs never outnumber the rows, so arrays of n values hold them all. */
	double *va = malloc((n + 1) * sizeof(*va)), *vb = malloc((n + 1) * sizeof(*vb));
	struct summary_pair *pairs = malloc((n + 1) * sizeof(*pairs));
	size_t *round = malloc((n + 1) * sizeof(*round));

	if (!va || !vb || !pairs || !round) {
		free(va);
		free(vb);
		free(pairs);
		free(round);
		return -ENOMEM;
	}
	summary_print_key_header(s);
	printf("procs\tpairs\tratio_median\tratio_lo\tratio_hi\tinterval_level\tinterval_over\t"
	       "ratio_min\tratio_max\t%s_median\t%s_median\n",
	       a, b);
	for (size_t i = 0, j; i < n; i = j) {
		size_t np = 0, nproc;
		struct rankstats_result r = { 0 };
		double lo, hi, ma, mb;
		bool ok;

		j = table_group_end(s->t, rows, n, s->key, (int)s->nkey, s->skip_pos, i);
		memcpy(round, rows + i, (j - i) * sizeof(*round));
		qsort_r(round, j - i, sizeof(*round), summary_cmp_round, (void *)s);
		for (size_t k = 0, e; k < j - i; k = e) {
			size_t ra = (size_t)-1, rb = (size_t)-1;

			for (e = k; e < j - i && !summary_cmp_round(&round[k], &round[e], (void *)s); e++) {
				const char *be = table_cell(s->t, round[e], s->backend);

				if (!strcmp(be, a))
					ra = round[e];
				else if (!strcmp(be, b))
					rb = round[e];
			}
			if (ra == (size_t)-1 || rb == (size_t)-1)
				continue;
			pairs[np].run_id = table_cell(s->t, ra, s->run_id);
			pairs[np].a = table_num(s->t, ra, s->mib);
			pairs[np].b = table_num(s->t, rb, s->mib);
			v[np] = pairs[np].a / pairs[np].b;
			np++;
		}
		if (!np)
			continue;
		stats_minmax(v, np, &lo, &hi);
		qsort(pairs, np, sizeof(*pairs), summary_cmp_pair);
		nproc = summary_fold_processes(pairs, np, va, vb);
		if (nproc == 1) { /* within the one process: the pairs themselves */
			for (size_t k = 0; k < np; k++) {
				va[k] = pairs[k].a;
				vb[k] = pairs[k].b;
			}
		}
		ma = stats_median(va, nproc > 1 ? nproc : np);
		mb = stats_median(vb, nproc > 1 ? nproc : np);
		if (nproc == 1 && np > SUMMARY_MAX_PAIRS) {
			for (size_t k = 0; k < SUMMARY_MAX_PAIRS; k++) {
				va[k] = va[k * np / SUMMARY_MAX_PAIRS];
				vb[k] = vb[k * np / SUMMARY_MAX_PAIRS];
			}
		}
		ok = !rankstats_paired(vb, va, nproc > 1 ? nproc : np < SUMMARY_MAX_PAIRS ? np : SUMMARY_MAX_PAIRS,
				       0.95, &r);
		for (size_t k = 0; k < nproc && nproc > 1; k++)
			v[k] = va[k] / vb[k];
		summary_print_key(s, rows[i]);
		/* too few to reach 95%: the widest interval, with the coverage
		 * it really has */
		printf("%zu\t%zu\t%.4f\t%.4f\t%.4f\t%.4f\t%s\t%.4f\t%.4f\t%.10g\t%.10g\n", nproc, np,
		       stats_median(v, nproc > 1 ? nproc : np), ok ? r.ci_lo : NAN, ok ? r.ci_hi : NAN,
		       ok ? r.ci_level : NAN, nproc > 1 ? "processes" : "repetitions", lo, hi, ma, mb);
	}
	free(va);
	free(vb);
	free(pairs);
	free(round);
	return 0;
}

static int summary_main(int argc, char **argv)
{
	struct table t;
	struct summary s = { .t = &t, .skip = -1, .skip_pos = -1 };
	const char *path, *ratio = NULL;
	char a[64] = "", b[64] = "";
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
	if (ratio && parse_pair(ratio, a, b)) {
		error_msg("invalid value '%s' for --ratio (use e.g. mmap:read)", ratio);
		return EXIT_USAGE;
	}
	err = table_open(&t, path);
	if (err)
		return err;
	s.nkey = (unsigned)table_key_columns(&t, s.key, 64, !pool);
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
	if (!err)
		err = ratio ? summary_ratios(&s, rows, t.nrows, v, a, b)
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
