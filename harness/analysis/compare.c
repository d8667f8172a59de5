/*
 * compare.c - the regression gate behind `mmbench compare` (cmd/compare.c):
 * two result sets loaded, their usable rows kept, configurations matched,
 * each judged over processes with Holm over the gated ones.
 */
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
#include "core/backend.h"
#include "results/table.h"
#include "sys/datafile.h"
#include "util/error.h"
#include "util/stats.h"

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

static void compare_label(const struct compare_run *run, const struct compare_side *s,
			  const struct compare_side *o, size_t row, char *buf, size_t len)
{
	table_config_label(&s->t, s->cols, run->nkeys, row, &o->t, o->cols, ' ', buf, len);
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

static size_t compare_group_end(const struct compare_run *run, const struct compare_side *s, size_t i)
{
	return table_group_end(&s->t, s->rows, s->nrows, s->cols, run->nkeys, -1, i);
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

int compare_run(struct compare_run *run, const struct compare_opts *o, const char *baseline,
		const char *current)
{
	struct compare_side *b = &run->b, *c = &run->c;
	size_t i = 0, j = 0;
	bool by_host;
	int status;

	memset(run, 0, sizeof(*run));
	b->path = baseline;
	c->path = current;
	status = compare_load(b, o);
	if (!status)
		status = compare_load(c, o);
	if (status)
		return status;
	by_host = compare_check_context(b, c, o);
	run->nkeys = table_key_columns(&b->t, b->cols, COMPARE_MAX_KEYS, by_host);
	table_key_columns(&c->t, c->cols, COMPARE_MAX_KEYS, by_host);
	table_sort_subset(&b->t, b->rows, b->nrows, b->cols, run->nkeys, -1);
	table_sort_subset(&c->t, c->rows, c->nrows, c->cols, run->nkeys, -1);
	run->only_b = calloc(b->nrows + 1, sizeof(*run->only_b));
	run->only_c = calloc(c->nrows + 1, sizeof(*run->only_c));
	run->entries = calloc(b->nrows + 1, sizeof(*run->entries));
	if (!run->only_b || !run->only_c || !run->entries) {
		error_msg("out of memory");
		return EXIT_RUNTIME;
	}
	/* Merge-join the two sorted sides. */
	while (i < b->nrows || j < c->nrows) {
		size_t ie = i < b->nrows ? compare_group_end(run, b, i) : i;
		size_t je = j < c->nrows ? compare_group_end(run, c, j) : j;
		int cmp = i == b->nrows   ? 1
			  : j == c->nrows ? -1
					  : table_cmp_config(&b->t, b->rows[i], b->cols, &c->t, c->rows[j],
							     c->cols, run->nkeys, -1);
		struct compare_entry *e = &run->entries[run->matched];

		if (cmp < 0) {
			run->only_b[run->nob] = malloc(COMPARE_LABEL);
			if (run->only_b[run->nob])
				compare_label(run, b, c, b->rows[i], run->only_b[run->nob++], COMPARE_LABEL);
			i = ie;
			continue;
		}
		if (cmp > 0) {
			run->only_c[run->noc] = malloc(COMPARE_LABEL);
			if (run->only_c[run->noc])
				compare_label(run, c, b, c->rows[j], run->only_c[run->noc++], COMPARE_LABEL);
			j = je;
			continue;
		}
		compare_label(run, b, c, b->rows[i], e->label, sizeof(e->label));
		e->reps_base = ie - i;
		e->reps_cur = je - j;
		e->vb = compare_processes(b, i, ie, &e->procs_base);
		e->vc = compare_processes(c, j, je, &e->procs_cur);
		if (!e->vb || !e->vc) {
			error_msg("out of memory");
			run->matched++;
			return EXIT_RUNTIME;
		}
		compare_measure(e, o);
		e->gated = compare_gated(o, b, b->rows[i]);
		run->matched++;
		i = ie;
		j = je;
	}
	if (!run->matched) {
		/* one line, not a table of one-sided configurations */
		error_msg("no configuration of '%s' matches one of '%s' (%zu only in the baseline, "
			  "%zu only in the current; compare keys on every parameter column)",
			  c->path, b->path, run->nob, run->noc);
		return EXIT_USAGE;
	}
	compare_family(run->entries, run->matched, o);
	for (size_t k = 0; k < run->matched; k++) {
		compare_judge(&run->entries[k], o);
		if (run->entries[k].gated && !strcmp(run->entries[k].verdict, "regression"))
			run->regressions++;
	}
	return 0;
}

void compare_run_free(struct compare_run *run)
{
	for (size_t k = 0; k < run->nob; k++)
		free(run->only_b[k]);
	for (size_t k = 0; k < run->noc; k++)
		free(run->only_c[k]);
	for (size_t k = 0; run->entries && k < run->matched; k++) {
		free(run->entries[k].vb);
		free(run->entries[k].vc);
	}
	free(run->only_b);
	free(run->only_c);
	free(run->entries);
	free(run->b.rows);
	free(run->c.rows);
	table_free(&run->b.t);
	table_free(&run->c.t);
}
