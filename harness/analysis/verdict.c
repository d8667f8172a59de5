#include "analysis/verdict.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "util/stats.h"

static int verdict_cmp_pair(const void *x, const void *y)
{
	const struct verdict_pair *a = x, *b = y;

	return strcmp(a->run_id ? a->run_id : "", b->run_id ? b->run_id : "");
}

static bool verdict_same_process(const struct verdict_pair *a, const struct verdict_pair *b)
{
	return !verdict_cmp_pair(a, b);
}

int verdict_estimate_paired(const double *x, const double *y, size_t n, double level,
			    struct rankstats_result *r)
{
	return rankstats_paired(x, y, n, level, r);
}

int verdict_estimate_independent(const double *x, size_t n, const double *y, size_t m,
				 double level, struct rankstats_result *r)
{
	return rankstats_compare(x, n, y, m, level, r);
}

int verdict_decide(struct verdict_pair *p, size_t n, struct verdict *v)
{
	/* units never outnumber the pairs */
	double *ua = malloc((n + 1) * sizeof(*ua)), *ub = malloc((n + 1) * sizeof(*ub));
	double *scratch = malloc((2 * n + 1) * sizeof(*scratch));
	struct rankstats_result r;
	size_t nu = 0;
	int err = 0;

	memset(v, 0, sizeof(*v));
	v->kind = VERDICT_TOO_FEW;
	v->ratio = v->lo = v->hi = v->coverage = NAN;
	if (!ua || !ub || !scratch) {
		err = -ENOMEM;
		goto out;
	}
	if (!n) {
		err = -EINVAL;
		goto out;
	}
	v->pairs = n;
	for (size_t i = 0; i < n; i++)
		scratch[i] = p[i].a / p[i].b;
	stats_minmax(scratch, n, &v->pair_min, &v->pair_max);
	qsort(p, n, sizeof(*p), verdict_cmp_pair);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && verdict_same_process(&p[i], &p[j]); j++)
			;
		v->procs++;
	}
	v->over_processes = v->procs > 1;
	if (v->over_processes) {
		/* each process one paired observation: its medians */
		for (size_t i = 0, j; i < n; i = j) {
			for (j = i; j < n && verdict_same_process(&p[i], &p[j]); j++) {
				scratch[j - i] = p[j].a;
				scratch[n + j - i] = p[j].b;
			}
			ua[nu] = stats_median(scratch, j - i);
			ub[nu++] = stats_median(scratch + n, j - i);
		}
	} else {
		/* one process: its pairs (the medians over all of them), evenly
		 * thinned past VERDICT_MAX_PAIRS for the interval */
		for (size_t k = 0; k < n; k++) {
			scratch[k] = p[k].a;
			scratch[n + k] = p[k].b;
		}
		v->med_a = stats_median(scratch, n);
		v->med_b = stats_median(scratch + n, n);
		nu = n < VERDICT_MAX_PAIRS ? n : VERDICT_MAX_PAIRS;
		for (size_t k = 0; k < nu; k++) {
			ua[k] = p[k * n / nu].a;
			ub[k] = p[k * n / nu].b;
		}
	}
	v->units = nu;
	if (v->over_processes) {
		v->med_a = stats_median(ua, nu);
		v->med_b = stats_median(ub, nu);
	}
	err = verdict_estimate_paired(ub, ua, nu, VERDICT_LEVEL, &r);
	if (err)
		goto out;
	v->ratio = r.ratio;
	v->lo = r.ci_lo;
	v->hi = r.ci_hi;
	v->coverage = r.ci_level;
	/* over processes, only an interval at VERDICT_LEVEL decides (6
	 * processes at least): fewer can lean, not decide (make bench-aa
	 * found 75% and 94% answers flipping between two runs of one build) */
	if (nu < VERDICT_MIN_UNITS ||
	    (v->over_processes && nu < verdict_units_for_level(VERDICT_LEVEL)))
		v->kind = VERDICT_TOO_FEW;
	else if (v->lo > 1)
		v->kind = VERDICT_A_FASTER;
	else if (v->hi < 1)
		v->kind = VERDICT_B_FASTER;
	else
		v->kind = VERDICT_NONE;
out:
	free(ua);
	free(ub);
	free(scratch);
	return err;
}

bool verdict_decided(const struct verdict *v)
{
	return v->kind == VERDICT_A_FASTER || v->kind == VERDICT_B_FASTER;
}

enum verdict_agreement verdict_agree(const struct verdict *x, const struct verdict *y)
{
	if (verdict_decided(x) && verdict_decided(y))
		return x->kind == y->kind ? VERDICT_AGREE : VERDICT_OPPOSITE;
	return verdict_decided(x) || verdict_decided(y) ? VERDICT_ONE_SIDED : VERDICT_AGREE;
}

const char *verdict_agreement_word(enum verdict_agreement a)
{
	return a == VERDICT_OPPOSITE ? "opposite" : a == VERDICT_ONE_SIDED ? "one-sided" : "agree";
}

bool verdict_aa_holds(size_t opposite, size_t one_sided, size_t decided_either)
{
	/* one_sided / decided_either <= the share, without dividing by 0; the
	 * slack keeps exactly 10% (2 of 20) within it despite rounding */
	return !opposite && (double)one_sided <= VERDICT_AA_ONE_SIDED_MAX * (double)decided_either + 1e-9;
}

size_t verdict_units_for_level(double level)
{
	size_t n = 1;

	while (rankstats_min_p(n, 0) > 1 - level)
		n++;
	return n;
}

double verdict_units_to_narrow(double n, double half, double margin)
{
	return margin > 0 ? n * pow(half / margin, 2) : INFINITY;
}

double verdict_units_to_settle(const struct verdict *v)
{
	double floor = (double)verdict_units_for_level(VERDICT_LEVEL), est, half, need;

	if ((v->kind == VERDICT_A_FASTER || v->kind == VERDICT_B_FASTER) &&
	    v->coverage >= VERDICT_LEVEL)
		return 0;
	/* decided, below the level: the interval clears 1 already, and the
	 * fewest units for the level get there; never hopeless, or a verdict
	 * at 75% would stand (a lopsided interval, 1.10x [1.07, 1.61], made
	 * the narrowing estimate below exceed VERDICT_SETTLE_MAX) */
	if (v->kind == VERDICT_A_FASTER || v->kind == VERDICT_B_FASTER)
		return v->units < floor ? floor : (double)v->units + 1;
	if (!(v->ratio > 0) || !(v->lo > 0) || !(v->hi > 0) || !v->units)
		return v->units < floor ? floor : INFINITY;
	/* the interval must clear 1: the part of it between the estimate and
	 * 1 must shrink below the estimate's distance from 1, and it must
	 * reach the level at all.  That part, not the mean half-width: the
	 * intervals are lopsided.  1.20x [0.97, 1.34] over 6 processes (make
	 * bench-aa) needs 6 by its mean half-width, 0.16 on the log scale
	 * against 0.18 from 1, and so got no more; the 0.22 between the
	 * estimate and 0.97 says 9. */
	est = fabs(log(v->ratio));
	half = v->ratio >= 1 ? log(v->ratio) - log(v->lo) : log(v->hi) - log(v->ratio);
	need = fmax(floor, ceil(verdict_units_to_narrow((double)v->units, half, est)));
	/* fewer processes than can decide at all never give up: an estimate
	 * at 1 from 3 of them (0.81x [0.28, 1.20]) left "too few to say" in
	 * one run of make bench-aa beside "read faster" in the other */
	if (need > VERDICT_SETTLE_MAX)
		return v->units < floor ? floor : INFINITY;
	return need;
}

const char *verdict_words(const struct verdict *v, const char *a, const char *b, char *buf,
			  size_t len)
{
	switch (v->kind) {
	case VERDICT_A_FASTER:
		snprintf(buf, len, "%s faster", a);
		break;
	case VERDICT_B_FASTER:
		snprintf(buf, len, "%s faster", b);
		break;
	case VERDICT_NONE:
		snprintf(buf, len, "no consistent difference");
		break;
	default:
		snprintf(buf, len, "too few to say");
	}
	return buf;
}

void verdict_evidence_init(struct verdict_evidence *e, bool anon)
{
	memset(e, 0, sizeof(*e));
	e->anon = anon;
	e->resident_lo = e->folio_lo = INFINITY;
	e->resident_hi = e->folio_hi = -INFINITY;
}

void verdict_evidence_add(struct verdict_evidence *e, double bytes, double dev_read, double minor,
			  double major, double resident, double folio)
{
	e->rows++;
	e->bytes += bytes;
	e->dev_read += dev_read;
	e->minor += minor;
	e->major += major;
	if (!isnan(resident)) {
		e->resident_lo = fmin(e->resident_lo, resident);
		e->resident_hi = fmax(e->resident_hi, resident);
	}
	if (!isnan(folio)) {
		e->folio_lo = fmin(e->folio_lo, folio);
		e->folio_hi = fmax(e->folio_hi, folio);
	}
}

void verdict_evidence_merge(struct verdict_evidence *dst, const struct verdict_evidence *src)
{
	dst->rows += src->rows;
	dst->bytes += src->bytes;
	dst->dev_read += src->dev_read;
	dst->minor += src->minor;
	dst->major += src->major;
	dst->resident_lo = fmin(dst->resident_lo, src->resident_lo);
	dst->resident_hi = fmax(dst->resident_hi, src->resident_hi);
	dst->folio_lo = fmin(dst->folio_lo, src->folio_lo);
	dst->folio_hi = fmax(dst->folio_hi, src->folio_hi);
}

double verdict_amplification(const struct verdict_evidence *e)
{
	return e->bytes > 0 ? e->dev_read / e->bytes : NAN;
}

double verdict_faults_per_mib(const struct verdict_evidence *e)
{
	return e->bytes > 0 ? (e->minor + e->major) / (e->bytes / 1048576) : NAN;
}

void verdict_folio_range(const struct verdict_evidence *a, const struct verdict_evidence *b,
			 double *lo, double *hi)
{
	*lo = fmin(a->folio_lo, b->folio_lo);
	*hi = fmax(a->folio_hi, b->folio_hi);
}

double verdict_folio_spread(const struct verdict_evidence *a, const struct verdict_evidence *b)
{
	double lo, hi;

	verdict_folio_range(a, b, &lo, &hi);
	return lo <= hi ? hi - lo : NAN;
}

/* The residency warnings of one backend's rows. */
static unsigned verdict_residency(const struct verdict_evidence *e, unsigned cache,
				  unsigned not_cold, unsigned not_warm)
{
	if (e->anon || !e->rows || e->resident_lo > e->resident_hi)
		return 0;
	if (cache == CACHE_COLD && e->resident_hi > VERDICT_COLD_MAX)
		return not_cold;
	if (cache == CACHE_WARM && e->resident_lo < VERDICT_WARM_MIN)
		return not_warm;
	return 0;
}

unsigned verdict_warnings(const struct verdict_evidence *a, const struct verdict_evidence *b,
			  unsigned cache)
{
	unsigned w = verdict_residency(a, cache, VERDICT_WARN_NOT_COLD_A, VERDICT_WARN_NOT_WARM_A) |
		     verdict_residency(b, cache, VERDICT_WARN_NOT_COLD_B, VERDICT_WARN_NOT_WARM_B);
	double spread = verdict_folio_spread(a, b);

	if (!isnan(spread) && spread > VERDICT_FOLIO_SPREAD)
		w |= VERDICT_WARN_FOLIO_SPREAD;
	/* NAN (no useful bytes) compares false: nothing to warn of */
	if (verdict_amplification(a) >= VERDICT_AMPLIFIED)
		w |= VERDICT_WARN_READ_AROUND_A;
	if (verdict_amplification(b) >= VERDICT_AMPLIFIED)
		w |= VERDICT_WARN_READ_AROUND_B;
	return w;
}

const char *verdict_warning_words(unsigned w, const char *a, const char *b, char *buf, size_t len)
{
	static const struct {
		const char *word;
		unsigned bit;
		int side; /* 'a', 'b' or 0 */
	} words[] = {
		{ "not-cold", VERDICT_WARN_NOT_COLD_A, 'a' },
		{ "not-cold", VERDICT_WARN_NOT_COLD_B, 'b' },
		{ "not-warm", VERDICT_WARN_NOT_WARM_A, 'a' },
		{ "not-warm", VERDICT_WARN_NOT_WARM_B, 'b' },
		{ "folio-spread", VERDICT_WARN_FOLIO_SPREAD, 0 },
		{ "read-around", VERDICT_WARN_READ_AROUND_A, 'a' },
		{ "read-around", VERDICT_WARN_READ_AROUND_B, 'b' },
	};
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]) && used < len; i++) {
		if (!(w & words[i].bit))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s%s%s", used ? "," : "",
					 words[i].word, words[i].side ? ":" : "",
					 words[i].side == 'a' ? a : words[i].side == 'b' ? b : "");
	}
	return buf;
}
