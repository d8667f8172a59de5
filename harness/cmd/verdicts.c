/*
 * verdicts.c - `mmbench verdicts RESULTS [--pair A:B]`: one line per
 * configuration with the verdict of analysis/verdict.h, its ratio and
 * interval, and the evidence it rests on, as TSV: what reports, charts and
 * claims print.
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
#include "analysis/verdict.h"
#include "backends/backends.h"
#include "cli/options.h"
#include "core/backend.h"
#include "results/columns.h"
#include "results/configkey.h"
#include "results/table.h"
#include "util/error.h"
#include "util/parse.h"

#define VERDICTS_MAX_KEYS 64

/* One configuration's verdict and the evidence behind it. */
struct verdicts_line {
	const char *a, *b;
	struct verdict v;
	struct verdict_evidence ev[2]; /* A, B */
	unsigned warnings;
	char config[512], other[256];
};

enum verdicts_id {
	VC_CONFIG, VC_OTHER, VC_RATIO, VC_ESTIMATOR, VC_LO, VC_HI, VC_COVERAGE, VC_OVER, VC_UNITS,
	VC_PAIRS, VC_PROCS, VC_VERDICT, VC_RATIO_MIN, VC_RATIO_MAX, VC_MEDIAN, VC_AMPLIFICATION,
	VC_FAULTS, VC_RESIDENT_MIN, VC_RESIDENT_MAX, VC_FOLIO_MIN, VC_FOLIO_MAX, VC_FOLIO_SPREAD,
	VC_WARNINGS,
};

struct verdicts_column {
	const char *name; /* "A_..."/"B_...": per backend, named by it */
	enum verdicts_id id;
	const char *type, *unit, *better;
};

/* The registry, in output order, after the configuration's key columns
 * (host unless --pool-hosts, then every parameter but backend). */
static const struct verdicts_column verdicts_columns[] = {
	{ "config", VC_CONFIG, "string", "", "neither" },
	{ "other", VC_OTHER, "string", "", "neither" },
	{ "ratio", VC_RATIO, "number", "A/B", "neither" },
	{ "estimator", VC_ESTIMATOR, "string", "", "neither" },
	{ "ratio_lo", VC_LO, "number", "A/B", "neither" },
	{ "ratio_hi", VC_HI, "number", "A/B", "neither" },
	{ "coverage", VC_COVERAGE, "number", "fraction", "neither" },
	{ "decided_over", VC_OVER, "string", "", "neither" },
	{ "units", VC_UNITS, "integer", "", "neither" },
	{ "pairs", VC_PAIRS, "integer", "", "neither" },
	{ "procs", VC_PROCS, "integer", "", "neither" },
	{ "verdict", VC_VERDICT, "string", "", "neither" },
	{ "ratio_min", VC_RATIO_MIN, "number", "A/B", "neither" },
	{ "ratio_max", VC_RATIO_MAX, "number", "A/B", "neither" },
	{ "A_median", VC_MEDIAN, "number", "MiB/s", "higher" },
	{ "B_median", VC_MEDIAN, "number", "MiB/s", "higher" },
	{ "A_amplification", VC_AMPLIFICATION, "number", "bytes/byte", "lower" },
	{ "B_amplification", VC_AMPLIFICATION, "number", "bytes/byte", "lower" },
	{ "A_faults_per_mib", VC_FAULTS, "number", "1/MiB", "lower" },
	{ "B_faults_per_mib", VC_FAULTS, "number", "1/MiB", "lower" },
	{ "A_resident_min", VC_RESIDENT_MIN, "number", "fraction", "neither" },
	{ "A_resident_max", VC_RESIDENT_MAX, "number", "fraction", "neither" },
	{ "B_resident_min", VC_RESIDENT_MIN, "number", "fraction", "neither" },
	{ "B_resident_max", VC_RESIDENT_MAX, "number", "fraction", "neither" },
	{ "folio_large_min", VC_FOLIO_MIN, "number", "fraction", "neither" },
	{ "folio_large_max", VC_FOLIO_MAX, "number", "fraction", "neither" },
	{ "folio_spread", VC_FOLIO_SPREAD, "number", "fraction", "neither" },
	{ "warnings", VC_WARNINGS, "string", "", "neither" },
};
#define VERDICTS_NCOLUMNS (sizeof(verdicts_columns) / sizeof(verdicts_columns[0]))

void verdicts_columns_print(void)
{
	puts("name\tgroup\ttype\tunit\tbetter\tabsent");
	for (size_t i = 0; i < VERDICTS_NCOLUMNS; i++) {
		const struct verdicts_column *c = &verdicts_columns[i];

		printf("%s\tverdict\t%s\t%s\t%s\t(required)\n", c->name, c->type, c->unit, c->better);
	}
}

/* A column's header: A_ and B_ become the backends' names. */
static void verdicts_print_name(const struct verdicts_column *c, const char *a, const char *b)
{
	if (c->name[1] == '_' && (c->name[0] == 'A' || c->name[0] == 'B'))
		printf("%s%s", c->name[0] == 'A' ? a : b, c->name + 1);
	else
		fputs(c->name, stdout);
}

/* A number, or "unknown" for NAN (not measured, or nothing to divide). */
static void verdicts_num(double v, const char *fmt)
{
	if (isnan(v) || isinf(v))
		fputs("unknown", stdout);
	else
		printf(fmt, v);
}

static void verdicts_cell(const struct verdicts_column *c, const struct verdicts_line *l)
{
	const struct verdict_evidence *e = &l->ev[c->name[0] == 'B' && c->name[1] == '_'];
	char buf[256];
	double lo, hi;

	switch (c->id) {
	case VC_CONFIG:
		fputs(l->config, stdout);
		break;
	case VC_OTHER:
		fputs(l->other, stdout);
		break;
	case VC_RATIO:
		verdicts_num(l->v.ratio, "%.4f");
		break;
	case VC_ESTIMATOR:
		fputs(VERDICT_ESTIMATOR, stdout);
		break;
	case VC_LO:
		verdicts_num(l->v.lo, "%.4f");
		break;
	case VC_HI:
		verdicts_num(l->v.hi, "%.4f");
		break;
	case VC_COVERAGE:
		verdicts_num(l->v.coverage, "%.4f");
		break;
	case VC_OVER:
		fputs(l->v.over_processes ? "processes" : "pairs", stdout);
		break;
	case VC_UNITS:
		printf("%zu", l->v.units);
		break;
	case VC_PAIRS:
		printf("%zu", l->v.pairs);
		break;
	case VC_PROCS:
		printf("%zu", l->v.procs);
		break;
	case VC_VERDICT:
		fputs(verdict_words(&l->v, l->a, l->b, buf, sizeof(buf)), stdout);
		break;
	case VC_RATIO_MIN:
		verdicts_num(l->v.pair_min, "%.4f");
		break;
	case VC_RATIO_MAX:
		verdicts_num(l->v.pair_max, "%.4f");
		break;
	case VC_MEDIAN:
		verdicts_num(c->name[0] == 'A' ? l->v.med_a : l->v.med_b, "%.10g");
		break;
	case VC_AMPLIFICATION:
		verdicts_num(verdict_amplification(e), "%.4f");
		break;
	case VC_FAULTS:
		verdicts_num(verdict_faults_per_mib(e), "%.4f");
		break;
	case VC_RESIDENT_MIN:
		verdicts_num(e->resident_lo, "%.4f");
		break;
	case VC_RESIDENT_MAX:
		verdicts_num(e->resident_hi, "%.4f");
		break;
	case VC_FOLIO_MIN:
	case VC_FOLIO_MAX:
		verdict_folio_range(&l->ev[0], &l->ev[1], &lo, &hi);
		verdicts_num(c->id == VC_FOLIO_MIN ? lo : hi, "%.4f");
		break;
	case VC_FOLIO_SPREAD:
		verdicts_num(verdict_folio_spread(&l->ev[0], &l->ev[1]), "%.4f");
		break;
	case VC_WARNINGS:
		verdict_warning_words(l->warnings, l->a, l->b, buf, sizeof(buf));
		fputs(buf[0] ? buf : "none", stdout);
		break;
	}
}

struct verdicts {
	const struct table *t;
	int key[VERDICTS_MAX_KEYS];
	unsigned nkey;
	int skip_pos;			/* backend's position in key[] */
	struct config_key ck; /* the key, and which of it goes in "other" */
	int bytes, dev_read, minor, major, resident, folio, cache, backend;
	int measure; /* the throughput compared (--measure): mib_per_s, or metric */
};

/* A cell as a number, NAN when not measured: an unmeasured counter must
 * not read as 0 in a sum. */
static double verdicts_cell_num(const struct table *t, size_t row, int col)
{
	return col >= 0 && table_is_num(t, row, col) ? table_num(t, row, col) : NAN;
}

/* The cache mode a cell names (enum cache_mode), or CACHE_ASIS. */
static unsigned verdicts_cache(const char *v)
{
	const char *const *ch = options_find("cache")->choices;

	for (unsigned i = 0; ch[i]; i++)
		if (!strcmp(ch[i], v))
			return i;
	return CACHE_ASIS;
}

/* Fill l from the rows of one configuration; false when A and B never
 * shared a round. */
static int verdicts_judge(const struct verdicts *s, const size_t *rows, size_t n,
			  struct verdicts_line *l, struct verdict_pair *pairs, size_t *scratch)
{
	struct pairs_cols pc;
	size_t np;
	int err;

	pairs_columns(s->t, &pc);
	pc.mib = s->measure;
	np = pairs_collect(s->t, &pc, rows, n, l->a, l->b, pairs, scratch);
	if (!np)
		return -ENOENT;
	err = verdict_decide(pairs, np, &l->v);
	if (err)
		return err;
	for (int side = 0; side < 2; side++) {
		const struct backend *be = backend_find(side ? l->b : l->a);

		verdict_evidence_init(&l->ev[side], be && (be->flags & BACKEND_ANON));
	}
	for (size_t k = 0; k < n; k++) {
		const char *be = table_cell(s->t, rows[k], s->backend);
		int side = !strcmp(be, l->a) ? 0 : !strcmp(be, l->b) ? 1 : -1;

		if (side < 0)
			continue;
		verdict_evidence_add(&l->ev[side], verdicts_cell_num(s->t, rows[k], s->bytes),
				     verdicts_cell_num(s->t, rows[k], s->dev_read),
				     verdicts_cell_num(s->t, rows[k], s->minor),
				     verdicts_cell_num(s->t, rows[k], s->major),
				     verdicts_cell_num(s->t, rows[k], s->resident),
				     verdicts_cell_num(s->t, rows[k], s->folio));
	}
	l->warnings = verdict_warnings(&l->ev[0], &l->ev[1],
				       verdicts_cache(table_cell(s->t, rows[0], s->cache)));
	table_config_words(s->t, rows[0], l->config, sizeof(l->config));
	config_key_other(&s->ck, rows[0], l->other, sizeof(l->other));
	return 0;
}

static int verdicts_print(struct verdicts *s, const size_t *rows, size_t n, const char *a,
			  const char *b)
{
	struct verdict_pair *pairs = malloc((n + 1) * sizeof(*pairs));
	size_t *scratch = malloc((n + 1) * sizeof(*scratch));
	struct verdicts_line l = { .a = a, .b = b };
	int err = 0;

	if (!pairs || !scratch || config_key_find_varying(&s->ck, rows, n, s->skip_pos)) {
		err = -ENOMEM;
		goto out;
	}
	for (unsigned k = 0; k < s->nkey; k++)
		if ((int)k != s->skip_pos)
			printf("%s\t", s->t->header[s->key[k]]);
	for (size_t c = 0; c < VERDICTS_NCOLUMNS; c++) {
		verdicts_print_name(&verdicts_columns[c], a, b);
		putchar(c + 1 < VERDICTS_NCOLUMNS ? '\t' : '\n');
	}
	for (size_t i = 0, j; i < n; i = j) {
		j = table_group_end(s->t, rows, n, s->key, (int)s->nkey, s->skip_pos, i);
		err = verdicts_judge(s, rows + i, j - i, &l, pairs, scratch);
		if (err == -ENOENT) {
			err = 0;
			continue;
		}
		if (err)
			goto out;
		for (unsigned k = 0; k < s->nkey; k++)
			if ((int)k != s->skip_pos)
				printf("%s\t", table_cell(s->t, rows[i], s->key[k]));
		for (size_t c = 0; c < VERDICTS_NCOLUMNS; c++) {
			verdicts_cell(&verdicts_columns[c], &l);
			putchar(c + 1 < VERDICTS_NCOLUMNS ? '\t' : '\n');
		}
	}
out:
	free(pairs);
	free(scratch);
	return err;
}

/* The two backends of --pair A:B, series names holding colons among them. */
static int verdicts_pair(const struct table *t, const char *pair, char *a, char *b, size_t len)
{
	struct pairs_cols pc;

	pairs_columns(t, &pc);
	return pairs_names(t, &pc, pair, a, b, len);
}

/* Load path into s (over t): its key, the columns of the evidence, and
 * its rows sorted by configuration into *rows.  0, an exit status after
 * saying why, or -ENOMEM. */
static int verdicts_load(struct verdicts *s, struct table *t, const char *path, bool pool,
			 const char *measure, size_t **rows)
{
	int err = table_open(t, path);

	if (err)
		return err;
	s->t = t;
	s->skip_pos = -1;
	s->nkey = (unsigned)table_key_columns(t, s->key, VERDICTS_MAX_KEYS, !pool);
	config_key_init(&s->ck, t, s->key, s->nkey);
	s->backend = table_col(t, "backend");
	for (unsigned k = 0; k < s->nkey; k++)
		if (s->key[k] == s->backend)
			s->skip_pos = (int)k;
	s->bytes = table_col(t, "bytes");
	s->dev_read = table_col(t, "dev_read_bytes");
	s->minor = table_col(t, "minor_faults");
	s->major = table_col(t, "major_faults");
	s->resident = table_col(t, "resident_before");
	s->folio = table_col(t, "folio_large");
	s->cache = table_col(t, "cache");
	s->measure = table_col(t, measure);
	*rows = table_sort_rows(t, s->key, (int)s->nkey, s->skip_pos);
	return *rows ? 0 : -ENOMEM;
}

/* One side of --against: its rows, and where the merge stands in them. */
struct verdicts_side {
	const char *path;
	struct verdicts s;
	struct table t;
	size_t *rows, i, end;
	struct verdicts_line l;
	bool judged; /* l holds the configuration at i (A and B shared a round) */
};

/* Judge the configuration at side->i, up to side->end. */
static int verdicts_side_next(struct verdicts_side *d, struct verdict_pair *pairs, size_t *scratch)
{
	int err;

	d->judged = false;
	if (d->i >= d->t.nrows)
		return 0;
	d->end = table_group_end(&d->t, d->rows, d->t.nrows, d->s.key, (int)d->s.nkey, d->s.skip_pos,
				 d->i);
	err = verdicts_judge(&d->s, d->rows + d->i, d->end - d->i, &d->l, pairs, scratch);
	d->judged = !err;
	return err == -ENOENT ? 0 : err;
}

/* The cells of one run in a line of --against: verdict, ratio, interval,
 * units; dashes for a configuration the run did not judge. */
static void verdicts_against_cells(const struct verdicts_side *d, bool here)
{
	char buf[128];

	if (!here) {
		fputs("\t-\t-\t-\t-\t-", stdout);
		return;
	}
	printf("\t%s\t", verdict_words(&d->l.v, d->l.a, d->l.b, buf, sizeof(buf)));
	verdicts_num(d->l.v.ratio, "%.4f");
	putchar('\t');
	verdicts_num(d->l.v.lo, "%.4f");
	putchar('\t');
	verdicts_num(d->l.v.hi, "%.4f");
	printf("\t%zu", d->l.v.units);
}

/* `--against`: every configuration of either run, its verdict in each and
 * how they relate (verdict_agree), then on stderr the counts behind the
 * bound of verdict_aa_holds(); exit status 1 when it does not hold. */
static int verdicts_against(struct verdicts_side *x, struct verdicts_side *y)
{
	size_t n = x->t.nrows + y->t.nrows;
	struct verdict_pair *pairs = malloc((n + 1) * sizeof(*pairs));
	size_t *scratch = malloc((n + 1) * sizeof(*scratch));
	size_t decided[2] = { 0, 0 }, either = 0, opposite = 0, one_sided = 0, only = 0;
	int err = 0;

	if (!pairs || !scratch || config_key_find_varying(&x->s.ck, x->rows, x->t.nrows, x->s.skip_pos) ||
	    config_key_find_varying(&y->s.ck, y->rows, y->t.nrows, y->s.skip_pos)) {
		err = -ENOMEM;
		goto out;
	}
	for (unsigned k = 0; k < x->s.nkey; k++)
		if ((int)k != x->s.skip_pos)
			printf("%s\t", x->t.header[x->s.key[k]]);
	puts("config\tother\tverdict\tratio\tratio_lo\tratio_hi\tunits\tagainst_verdict\t"
	     "against_ratio\tagainst_ratio_lo\tagainst_ratio_hi\tagainst_units\tagreement");
	err = verdicts_side_next(x, pairs, scratch);
	if (!err)
		err = verdicts_side_next(y, pairs, scratch);
	while (!err && (x->i < x->t.nrows || y->i < y->t.nrows)) {
		int cmp = x->i >= x->t.nrows   ? 1
			  : y->i >= y->t.nrows ? -1
					       : table_cmp_config(&x->t, x->rows[x->i], x->s.key, &y->t,
								  y->rows[y->i], y->s.key,
								  (int)x->s.nkey, x->s.skip_pos);
		bool in_x = cmp <= 0 && x->judged, in_y = cmp >= 0 && y->judged;
		const struct verdicts_side *name = in_x ? x : y;
		const char *agreement = "unmatched";

		if (in_x || in_y) {
			decided[0] += in_x && verdict_decided(&x->l.v);
			decided[1] += in_y && verdict_decided(&y->l.v);
			if (in_x && in_y) {
				enum verdict_agreement a = verdict_agree(&x->l.v, &y->l.v);

				either += verdict_decided(&x->l.v) || verdict_decided(&y->l.v);
				opposite += a == VERDICT_OPPOSITE;
				one_sided += a == VERDICT_ONE_SIDED;
				agreement = verdict_agreement_word(a);
			} else {
				only++;
			}
			for (unsigned k = 0; k < name->s.nkey; k++)
				if ((int)k != name->s.skip_pos)
					printf("%s\t", table_cell(&name->t, name->rows[name->i],
								    name->s.key[k]));
			printf("%s\t%s", name->l.config, name->l.other);
			verdicts_against_cells(x, in_x);
			verdicts_against_cells(y, in_y);
			printf("\t%s\n", agreement);
		}
		if (cmp <= 0) {
			x->i = x->end;
			err = verdicts_side_next(x, pairs, scratch);
		}
		if (cmp >= 0 && !err) {
			y->i = y->end;
			err = verdicts_side_next(y, pairs, scratch);
		}
	}
	if (err)
		goto out;
	fprintf(stderr,
		"decided: %zu in the first run, %zu in the second, %zu in either (of those in both)\n"
		"decided in opposite directions: %zu (must be 0)\n"
		"decided in one, undecided in the other: %zu of %zu (%.0f%%; at most %.0f%%)\n"
		"judged in one run only: %zu\n",
		decided[0], decided[1], either, opposite, one_sided, either,
		either ? 100.0 * (double)one_sided / (double)either : 0.0,
		100 * VERDICT_AA_ONE_SIDED_MAX, only);
	if (!verdict_aa_holds(opposite, one_sided, either)) {
		error_msg("the verdicts of '%s' and '%s' do not reproduce", x->path, y->path);
		err = EXIT_RUNTIME;
	}
out:
	free(pairs);
	free(scratch);
	return err;
}

static int verdicts_main(int argc, char **argv)
{
	struct verdicts_side x = { 0 }, y = { 0 };
	const char *path, *pair = "mmap:read", *against = NULL, *measure = "mib_per_s";
	const struct column *mc;
	char a[CONFIG_SERIES_MAX], b[CONFIG_SERIES_MAX];
	bool pool = false;
	const struct cli_option opts[] = {
		CLI_OPT_STRING("pair", "A:B", &pair, "the two backends compared, A/B [mmap:read]"),
		CLI_OPT_FLAG("pool-hosts", &pool, "one line for a configuration of several hosts"),
		CLI_OPT_STRING("against", "RESULTS2", &against,
			       "each configuration's verdict here and in RESULTS2, and whether they agree"),
		CLI_OPT_STRING("measure", "COLUMN", &measure,
			       "the throughput compared, a measurement where higher is faster: "
			       "metric for mmbench exec's rows [mib_per_s]"),
		CLI_OPT_END,
	};
	int err = cli_parse(&verdicts_command, opts, argc, argv, &path, NULL);

	if (err)
		return err;
	mc = columns_find(measure);
	if (!mc || mc->group != COLUMN_MEASURE || mc->better != BETTER_HIGHER ||
	    mc->type == COLUMN_STR || mc->type == COLUMN_BOOL) {
		error_msg("invalid value '%s' for --measure (a measurement where higher is faster: "
			  "mib_per_s, ops_per_s or metric)", measure);
		return EXIT_USAGE;
	}
	x.path = path;
	y.path = against;
	x.l.a = y.l.a = a;
	x.l.b = y.l.b = b;
	err = verdicts_load(&x.s, &x.t, path, pool, measure, &x.rows);
	/* series names hold colons (mmap:madvise=random): the file's own
	 * series say where A ends */
	if (!err && verdicts_pair(&x.t, pair, a, b, sizeof(a))) {
		error_msg("invalid value '%s' for --pair (use e.g. mmap:read, or "
			  "mmap:madvise=random:read)",
			  pair);
		err = EXIT_USAGE;
	}
	if (!err && against)
		err = verdicts_load(&y.s, &y.t, against, pool, measure, &y.rows);
	if (!err)
		err = against ? verdicts_against(&x, &y) : verdicts_print(&x.s, x.rows, x.t.nrows, a, b);
	if (err < 0)
		error_msg("out of memory");
	free(x.rows);
	free(y.rows);
	if (x.s.t)
		table_free(&x.t);
	if (y.s.t)
		table_free(&y.t);
	return err < 0 ? EXIT_RUNTIME : err;
}

const struct cli_command verdicts_command = {
	.name = "verdicts",
	.args = "RESULTS [--pair A:B] [--pool-hosts] [--against RESULTS2] [--measure COLUMN]",
	.summary = "is A faster than B, per configuration, and why (TSV)",
	.about = "One line per configuration (host and every parameter but backend): the\n"
		 "verdict on backend A against B (default mmap:read) - 'A faster', 'B faster',\n"
		 "'no consistent difference' or 'too few to say' - by the one rule (docs/suites.md,\n"
		 "\"Verdicts: the one rule\"): the Hodges-Lehmann ratio A/B with its 95%\n"
		 "interval (or, for too few units, the widest one and its real coverage)\n"
		 "over processes when there are several, else over the paired repetitions\n"
		 "of the one, decided from 6 processes (95%), or from 3 pairs of one; then\n"
		 "the evidence: medians, device bytes per useful byte, faults per MiB,\n"
		 "residency, the share of resident bytes in large folios (its range over\n"
		 "both backends' rows) and its spread, and warnings.  Columns:\n"
		 "mmbench columns --verdicts.  --against RESULTS2 sets the verdicts of two\n"
		 "runs side by side (make bench-aa): per configuration both verdicts and\n"
		 "'agree', 'opposite', 'one-sided' (decided in one run only) or 'unmatched';\n"
		 "on stderr the counts, and exit status 1 when a verdict is opposite or more\n"
		 "than 10% of those decided in either run are one-sided.  --measure metric\n"
		 "compares the figure mmbench exec --metric read from a program (A_median\n"
		 "and B_median are then in its unit).\n",
	.main = verdicts_main,
	.min_args = 1,
	.max_args = 1,
};
