#include "analysis/tally.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/rankstats.h"
#include "cli/options.h"
#include "core/backend.h"
#include "core/config.h"
#include "core/workload.h"
#include "results/row.h"
#include "util/error.h"
#include "util/parse.h"
#include "util/stats.h"

int tally_init(struct tally *t, const struct config *cfg)
{
	t->cfg = cfg;
	t->ncombo = cfg->nbackends * cfg->nworkloads;
	t->width = 8;
	for (unsigned i = 0; i < cfg->nbackends; i++) {
		options_series(cfg, i, t->names[i], sizeof(t->names[i]));
		if ((int)strlen(t->names[i]) > t->width)
			t->width = (int)strlen(t->names[i]);
	}
	t->c = calloc(t->ncombo, sizeof(*t->c));
	if (!t->c)
		return -ENOMEM;
	for (unsigned i = 0; i < t->ncombo; i++) {
		struct tally_combo *c = &t->c[i];

		c->mib = malloc((cfg->reps + 1) * sizeof(*c->mib));
		if (!c->mib)
			return -ENOMEM;
		for (uint64_t r = 0; r < cfg->reps; r++)
			c->mib[r] = NAN;
		verdict_evidence_init(&c->ev, cfg->backends[i / cfg->nworkloads]->flags & BACKEND_ANON);
	}
	return 0;
}

void tally_free(struct tally *t)
{
	for (unsigned i = 0; t->c && i < t->ncombo; i++)
		free(t->c[i].mib);
	free(t->c);
	t->c = NULL;
}

void tally_add(struct tally *t, unsigned combo, const struct row *r)
{
	struct tally_combo *c = &t->c[combo];

	if (r->rep >= 1 && r->rep <= t->cfg->reps)
		c->mib[r->rep - 1] = r->mib_per_s;
	c->n++;
	c->verified += r->verified;
	verdict_evidence_add(&c->ev, (double)r->bytes, (double)r->d.dev_read_bytes,
			     (double)r->d.minor_faults, (double)r->d.major_faults, r->resident_before,
			     r->folio.large);
}

static const struct tally_combo *tally_at(const struct tally *t, unsigned bi, unsigned wi)
{
	return &t->c[bi * t->cfg->nworkloads + wi];
}

void tally_check_folios(const struct tally *t)
{
	const struct config *cfg = t->cfg;

	for (unsigned wi = 0; wi < cfg->nworkloads; wi++) {
		struct verdict_evidence all;

		/* every backend of the workload compared with every other: one group */
		verdict_evidence_init(&all, false);
		for (unsigned bi = 0; bi < cfg->nbackends; bi++)
			verdict_evidence_merge(&all, &tally_at(t, bi, wi)->ev);
		if (verdict_folio_spread(&all, &all) > VERDICT_FOLIO_SPREAD)
			error_warn("%s rows started from different page-cache folio structures "
				   "(%.0f%% to %.0f%% of resident bytes in large folios; see folio_large)",
				   cfg->workloads[wi]->name, 100 * all.folio_lo, 100 * all.folio_hi);
	}
}

/* The median MiB/s table. */
static void tally_print_table(const struct tally *t, uint64_t file_size, FILE *f)
{
	const struct config *cfg = t->cfg;
	char size[32], block[32];

	if (cfg->trace) /* a replay: the trace says files, blocks and threads */
		fprintf(f, "\nreplay of '%s': %s in its files, %s cache, qd %llu, %llu reps (median "
			"MiB/s, min .. max)\n",
			cfg->trace, parse_format_size(file_size, size, sizeof(size)),
			options_find("cache")->choices[cfg->cache], (unsigned long long)cfg->qd,
			(unsigned long long)cfg->reps);
	else
		fprintf(f, "\n%s file, %s blocks, %s cache, %llu thread%s, qd %llu, %llu reps "
			"(median MiB/s, min .. max)\n",
			parse_format_size(file_size, size, sizeof(size)),
			parse_format_size(cfg->block, block, sizeof(block)),
			options_find("cache")->choices[cfg->direct ? CACHE_BYPASS : cfg->cache],
			(unsigned long long)cfg->threads, cfg->threads == 1 ? "" : "s",
			(unsigned long long)cfg->qd, (unsigned long long)cfg->reps);
	fprintf(f, "  %-*s %-9s %12s  %-23s %s\n", t->width, "backend", "workload", "MiB/s",
		"min .. max", "verified");
	double *v = malloc((cfg->reps + 1) * sizeof(*v));

	if (!v)
		return;
	for (unsigned bi = 0; bi < cfg->nbackends; bi++) {
		for (unsigned wi = 0; wi < cfg->nworkloads; wi++) {
			const struct tally_combo *c = tally_at(t, bi, wi);
			double lo, hi;
			size_t n = 0;
			char range[64];

			for (uint64_t r = 0; r < cfg->reps; r++)
				if (!isnan(c->mib[r]))
					v[n++] = c->mib[r];
			if (!n) {
				fprintf(f, "  %-*s %-9s %12s\n", t->width, t->names[bi],
					cfg->workloads[wi]->name, "-");
				continue;
			}
			stats_minmax(v, n, &lo, &hi);
			snprintf(range, sizeof(range), "%.1f .. %.1f", lo, hi);
			fprintf(f, "  %-*s %-9s %12.1f  %-23s %u/%u\n", t->width, t->names[bi],
				cfg->workloads[wi]->name, stats_median(v, n), range, c->verified, c->n);
		}
	}
	free(v);
}

/* The verdict on A against B for workload wi, as a line: the repetitions
 * of one round pair up, all of one process. */
static void tally_print_ratio(const struct tally *t, unsigned a, unsigned b, unsigned wi, FILE *f)
{
	const struct config *cfg = t->cfg;
	const struct tally_combo *ca = tally_at(t, a, wi), *cb = tally_at(t, b, wi);
	const char *na = t->names[a], *nb = t->names[b];
	/* "mmap/read" fits in 12; longer series names widen the column */
	int w = t->width > 8 ? 2 * t->width + 1 : 12;
	struct verdict_pair *p = malloc((cfg->reps + 1) * sizeof(*p));
	struct verdict v;
	size_t n = 0;
	char name[2 * CONFIG_SERIES_MAX + 1], words[2 * CONFIG_SERIES_MAX + 64];

	if (!p)
		return;
	for (uint64_t k = 0; k < cfg->reps; k++) {
		if (isnan(ca->mib[k]) || isnan(cb->mib[k]) || !(ca->mib[k] > 0 && cb->mib[k] > 0))
			continue;
		p[n++] = (struct verdict_pair){ "", ca->mib[k], cb->mib[k] };
	}
	snprintf(name, sizeof(name), "%s/%s", na, nb);
	if (!n || verdict_decide(p, n, &v)) {
		fprintf(f, "  %-9s %-*s %zu pair%s: too few to say\n", cfg->workloads[wi]->name, w, name,
			n, n == 1 ? "" : "s");
		goto out;
	}
	fprintf(f, "  %-9s %-*s %6.2fx  [%.2f, %.2f] %2.0f%%, %zu pair%s: %s\n",
		cfg->workloads[wi]->name, w, name, v.ratio, v.lo, v.hi, 100 * v.coverage, n,
		n == 1 ? "" : "s", verdict_words(&v, na, nb, words, sizeof(words)));
out:
	free(p);
}

/* The evidence behind workload wi's answer: residency, device bytes per
 * useful byte and faults per MiB of each file-backed backend, and a note
 * when read-ahead or read-around fetched much more than was used. */
static void tally_print_regime(const struct tally *t, unsigned wi, uint64_t file_size, FILE *f)
{
	const struct config *cfg = t->cfg;
	double lo = INFINITY, hi = -INFINITY;

	for (unsigned bi = 0; bi < cfg->nbackends; bi++) {
		if (!(cfg->backends[bi]->flags & BACKEND_ANON) && tally_at(t, bi, wi)->n) {
			lo = fmin(lo, tally_at(t, bi, wi)->ev.resident_lo);
			hi = fmax(hi, tally_at(t, bi, wi)->ev.resident_hi);
		}
	}
	if (lo > hi)
		return;
	fprintf(f, "  %-9s resident before: %.0f%%%s", cfg->workloads[wi]->name, 100 * lo,
		hi - lo > 0.005 ? "" : "\n");
	if (hi - lo > 0.005)
		fprintf(f, " to %.0f%%\n", 100 * hi);
	for (unsigned bi = 0; bi < cfg->nbackends; bi++) {
		const struct tally_combo *c = tally_at(t, bi, wi);
		double mib = c->ev.bytes / 1048576, amp = verdict_amplification(&c->ev);

		if ((cfg->backends[bi]->flags & BACKEND_ANON) || !c->n || !(mib > 0))
			continue;
		fprintf(f, "  %-9s %-*s %5.2f device bytes per useful byte, %.1f minor + %.1f major "
			   "faults per MiB\n",
			"", t->width, t->names[bi], amp, c->ev.minor / mib, c->ev.major / mib);
		if (amp >= VERDICT_AMPLIFIED)
			fprintf(f, "  %-9s note: %s fetched %.1fx the bytes it used%s (read-ahead or "
				   "read-around): its standing may change with how much of the file "
				   "the workload touches (--ops) or with access advice\n",
				"", t->names[bi], amp,
				c->ev.dev_read / c->n >= (double)file_size * 0.9 ? ", the whole file each repetition"
									       : "");
	}
}

void tally_print(const struct tally *t, uint64_t file_size, FILE *f)
{
	const struct config *cfg = t->cfg;
	int base = -1, only = -1;

	tally_print_table(t, file_size, f);
	if (cfg->nbackends < 2)
		return;
	/* --ratio was validated with the options: both are among the backends */
	if (options_ratio(cfg, &only, &base)) {
		only = -1;
		base = options_series_index(cfg, "read");
		if (base < 0)
			base = 0;
	}
	fprintf(f, "\nPaired ratios (repetitions of one interleaved round; Hodges-Lehmann with its "
		   "95%% interval over the pairs of this\nprocess, Wilcoxon signed-rank, or the widest "
		   "one for fewer; decided from %d pairs; across processes, use\nmmbench sweep --procs "
		   "and mmbench verdicts):\n", VERDICT_MIN_UNITS);
	for (unsigned wi = 0; wi < cfg->nworkloads; wi++)
		for (unsigned bi = 0; bi < cfg->nbackends; bi++)
			if ((int)bi != base && (only < 0 || (int)bi == only))
				tally_print_ratio(t, bi, (unsigned)base, wi, f);
	fprintf(f, "\nWhat decided it (over all rows: residency before the timer, device bytes and "
		   "faults per useful byte):\n");
	for (unsigned wi = 0; wi < cfg->nworkloads; wi++)
		tally_print_regime(t, wi, file_size, f);
}
