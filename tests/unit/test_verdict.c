/* Unit tests for verdict.c: the one rule, as a table of cases - decided
 * over processes, over the pairs of one process, too few, undecided - and
 * the evidence (amplification, faults, warnings) at and around each
 * threshold of verdict.h. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/verdict.h"
#include "core/config.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MAXP 16

struct decide_case {
	const char *what;
	size_t n;
	struct verdict_pair p[MAXP];
	enum verdict_kind kind;
	bool over_processes;
	size_t units, procs;
	double ratio;	 /* NAN: not checked */
	double coverage; /* NAN: not checked */
};

static const struct decide_case decide_cases[] = {
	{ "six processes, mmap twice as fast in each: decided over processes at 95%",
	  12,
	  { { "p1", 200, 100 }, { "p2", 210, 100 }, { "p3", 190, 100 },
	    { "p4", 200, 100 }, { "p5", 205, 100 }, { "p6", 195, 100 },
	    { "p1", 200, 100 }, { "p2", 210, 100 }, { "p3", 190, 100 },
	    { "p4", 200, 100 }, { "p5", 205, 100 }, { "p6", 195, 100 } },
	  VERDICT_A_FASTER, true, 6, 6, 2.0, 0.96875 },
	{ "five processes, every one twice as fast: 94% decides nothing over processes",
	  5,
	  { { "p1", 200, 100 }, { "p2", 210, 100 }, { "p3", 190, 100 },
	    { "p4", 200, 100 }, { "p5", 205, 100 } },
	  VERDICT_TOO_FEW, true, 5, 5, 2.0, 0.9375 },
	{ "three processes, mmap twice as fast in each: too few to say",
	  3,
	  { { "p1", 200, 100 }, { "p2", 210, 100 }, { "p3", 190, 100 } },
	  VERDICT_TOO_FEW, true, 3, 3, 2.0, 0.75 },
	{ "one process, five pairs all at half: decided over its pairs",
	  5,
	  { { "p", 50, 100 }, { "p", 51, 100 }, { "p", 49, 100 }, { "p", 50, 100 }, { "p", 50, 100 } },
	  VERDICT_B_FASTER, false, 5, 1, 0.5, 0.9375 },
	{ "two processes of many pairs: the process is the unit, too few",
	  8,
	  { { "p1", 200, 100 }, { "p1", 200, 100 }, { "p1", 200, 100 }, { "p1", 200, 100 },
	    { "p2", 200, 100 }, { "p2", 200, 100 }, { "p2", 200, 100 }, { "p2", 200, 100 } },
	  VERDICT_TOO_FEW, true, 2, 2, 2.0, NAN },
	{ "one process, two pairs: too few",
	  2,
	  { { "p", 200, 100 }, { "p", 200, 100 } },
	  VERDICT_TOO_FEW, false, 2, 1, 2.0, NAN },
	{ "one process, pairs on both sides of 1: no consistent difference",
	  6,
	  { { "p", 110, 100 }, { "p", 90, 100 }, { "p", 105, 100 }, { "p", 95, 100 },
	    { "p", 120, 100 }, { "p", 85, 100 } },
	  VERDICT_NONE, false, 6, 1, NAN, NAN },
	{ "six processes, one of them disagrees: no consistent difference",
	  6,
	  { { "p1", 200, 100 }, { "p2", 200, 100 }, { "p3", 90, 100 },
	    { "p4", 200, 100 }, { "p5", 200, 100 }, { "p6", 200, 100 } },
	  VERDICT_NONE, true, 6, 6, NAN, 0.96875 },
	{ "within a process the medians, not every pair, stand for it",
	  12,
	  /* p1's pairs disagree, but its medians 300 vs 100 do not */
	  { { "p1", 300, 100 }, { "p1", 50, 100 }, { "p1", 300, 400 },
	    { "p2", 150, 100 }, { "p2", 150, 100 }, { "p2", 150, 100 },
	    { "p3", 120, 100 }, { "p3", 120, 100 }, { "p3", 120, 100 },
	    { "p4", 130, 100 }, { "p5", 140, 100 }, { "p6", 125, 100 } },
	  VERDICT_A_FASTER, true, 6, 6, NAN, 0.96875 },
};

static void test_decide(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(decide_cases); i++) {
		const struct decide_case *c = &decide_cases[i];
		struct verdict_pair p[MAXP];
		struct verdict v;

		print_message("case: %s\n", c->what);
		memcpy(p, c->p, sizeof(p));
		assert_int_equal(verdict_decide(p, c->n, &v), 0);
		assert_int_equal(v.kind, c->kind);
		assert_int_equal(v.over_processes, c->over_processes);
		assert_int_equal(v.units, c->units);
		assert_int_equal(v.procs, c->procs);
		assert_int_equal(v.pairs, c->n);
		if (!isnan(c->ratio))
			assert_true(fabs(v.ratio - c->ratio) < 0.01);
		if (!isnan(c->coverage))
			assert_true(fabs(v.coverage - c->coverage) < 1e-9);
		assert_true(v.lo <= v.ratio && v.ratio <= v.hi);
		assert_true(v.pair_min <= v.pair_max);
	}
}

static void test_decide_edges(void **state)
{
	struct verdict_pair p[40];
	struct verdict v;
	char buf[64];

	(void)state;
	assert_int_equal(verdict_decide(p, 0, &v), -EINVAL);
	/* enough pairs for a real 95% interval */
	for (int i = 0; i < 40; i++)
		p[i] = (struct verdict_pair){ "p", 98 + i % 5, 100 };
	assert_int_equal(verdict_decide(p, 40, &v), 0);
	assert_true(v.coverage >= VERDICT_LEVEL);
	assert_string_equal(verdict_words(&v, "mmap", "read", buf, sizeof(buf)), "no consistent difference");
	v.kind = VERDICT_A_FASTER;
	assert_string_equal(verdict_words(&v, "mmap", "read", buf, sizeof(buf)), "mmap faster");
	v.kind = VERDICT_B_FASTER;
	assert_string_equal(verdict_words(&v, "mmap", "read", buf, sizeof(buf)), "read faster");
	v.kind = VERDICT_TOO_FEW;
	assert_string_equal(verdict_words(&v, "mmap", "read", buf, sizeof(buf)), "too few to say");
}

/* Evidence of one backend: one row, or none (rows 0). */
struct ev {
	int rows;
	double bytes, dev_read, resident, folio;
	bool anon;
};

struct warn_case {
	const char *what;
	unsigned cache;
	struct ev a, b;
	unsigned want;
};

#define ROW(res, folio) { 1, 1048576, 0, res, folio, false }

static const struct warn_case warn_cases[] = {
	{ "cold at the bound", CACHE_COLD, ROW(0.05, NAN), ROW(0, NAN), 0 },
	{ "cold just over it", CACHE_COLD, ROW(0.0501, NAN), ROW(0, NAN), VERDICT_WARN_NOT_COLD_A },
	{ "cold, B over it", CACHE_COLD, ROW(0, NAN), ROW(0.9, NAN), VERDICT_WARN_NOT_COLD_B },
	{ "warm at the bound", CACHE_WARM, ROW(0.95, NAN), ROW(1, NAN), 0 },
	{ "warm just under it", CACHE_WARM, ROW(1, NAN), ROW(0.9499, NAN), VERDICT_WARN_NOT_WARM_B },
	{ "warm residency in a cold configuration is what it is", CACHE_WARM, ROW(1, NAN),
	  ROW(1, NAN), 0 },
	{ "no residency check for other cache modes", CACHE_ASIS, ROW(0.5, NAN), ROW(0.5, NAN), 0 },
	{ "an in-memory backend is never not warm", CACHE_WARM, { 1, 1048576, 0, 0, NAN, true },
	  ROW(1, NAN), 0 },
	{ "folio spread at the bound", CACHE_WARM, ROW(1, 0), ROW(1, 0.25), 0 },
	{ "folio spread just over it", CACHE_WARM, ROW(1, 0), ROW(1, 0.2501),
	  VERDICT_WARN_FOLIO_SPREAD },
	{ "folio measured on one side only: no spread", CACHE_WARM, ROW(1, 0.9), ROW(1, NAN), 0 },
	{ "amplification at the bound", CACHE_COLD, { 1, 1000, 2000, 0, NAN, false }, ROW(0, NAN),
	  VERDICT_WARN_READ_AROUND_A },
	{ "amplification just under it", CACHE_COLD, { 1, 1000, 1999, 0, NAN, false }, ROW(0, NAN),
	  0 },
	{ "amplification of B", CACHE_COLD, ROW(0, NAN), { 1, 1000, 8000, 0, NAN, false },
	  VERDICT_WARN_READ_AROUND_B },
	{ "no useful bytes: no amplification", CACHE_COLD, { 1, 0, 8000, 0, NAN, false },
	  ROW(0, NAN), 0 },
	{ "several at once", CACHE_COLD, { 1, 1000, 3000, 0.5, 0, false }, ROW(0, 0.9),
	  VERDICT_WARN_NOT_COLD_A | VERDICT_WARN_FOLIO_SPREAD | VERDICT_WARN_READ_AROUND_A },
};

static void ev_fill(struct verdict_evidence *e, const struct ev *s)
{
	verdict_evidence_init(e, s->anon);
	for (int i = 0; i < s->rows; i++)
		verdict_evidence_add(e, s->bytes, s->dev_read, 0, 0, s->resident, s->folio);
}

static void test_warnings(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(warn_cases); i++) {
		const struct warn_case *c = &warn_cases[i];
		struct verdict_evidence a, b;

		print_message("case: %s\n", c->what);
		ev_fill(&a, &c->a);
		ev_fill(&b, &c->b);
		assert_int_equal(verdict_warnings(&a, &b, c->cache), c->want);
	}
}

static void test_amplification_and_faults(void **state)
{
	struct verdict_evidence e, f;
	char buf[128];

	(void)state;
	/* the sum over sum, not a ratio of medians: a row that fetched
	 * nothing weighs in */
	verdict_evidence_init(&e, false);
	verdict_evidence_add(&e, 1048576, 4 * 1048576, 10, 2, 0, NAN);
	verdict_evidence_add(&e, 1048576, 0, 10, 2, 0, NAN);
	verdict_evidence_add(&e, 2097152, 0, 0, 0, 0, NAN);
	assert_true(fabs(verdict_amplification(&e) - 1.0) < 1e-12);
	assert_true(fabs(verdict_faults_per_mib(&e) - 6.0) < 1e-12);
	verdict_evidence_init(&f, false);
	assert_true(isnan(verdict_amplification(&f)));
	assert_true(isnan(verdict_faults_per_mib(&f)));
	verdict_evidence_merge(&f, &e);
	assert_int_equal(f.rows, 3);
	assert_true(fabs(verdict_amplification(&f) - 1.0) < 1e-12);
	assert_string_equal(verdict_warning_words(VERDICT_WARN_NOT_COLD_B | VERDICT_WARN_FOLIO_SPREAD |
							  VERDICT_WARN_READ_AROUND_A,
						  "mmap", "read", buf, sizeof(buf)),
			    "not-cold:read,folio-spread,read-around:mmap");
	assert_string_equal(verdict_warning_words(0, "mmap", "read", buf, sizeof(buf)), "");
}

/* How many units would likely settle a verdict: the estimate every
 * sweep's settling rounds and compare's "about N more" take. */
struct settle_case {
	const char *what;
	enum verdict_kind kind;
	double ratio, lo, hi, coverage;
	size_t units;
	double want; /* units in all; 0 settled, INFINITY hopeless */
};

static const struct settle_case settle_cases[] = {
	{ "decided at 95%: settled", VERDICT_A_FASTER, 2.0, 1.5, 2.5, 0.97, 6, 0 },
	{ "decided at 75% (3 processes): to the fewest units for 95%", VERDICT_A_FASTER, 2.0, 1.9,
	  2.1, 0.75, 3, 6 },
	{ "read faster at 75%, narrow: 6", VERDICT_B_FASTER, 0.5, 0.45, 0.55, 0.75, 3, 6 },
	{ "decided at 88%, lopsided interval: to the floor, never hopeless", VERDICT_A_FASTER, 1.10,
	  1.07, 1.61, 0.88, 4, 6 },
	{ "straddling 1, estimate off it: the interval must shrink below it", VERDICT_NONE,
	  exp(0.1), exp(-0.1), exp(0.3), 0.75, 3, 12 },
	{ "straddling 1 at 1, 3 processes: to the floor first", VERDICT_NONE, 1.0, 0.9, 1.1, 0.75, 3,
	  6 },
	{ "straddling 1 at 1, 6 processes: hopeless", VERDICT_NONE, 1.0, 0.9, 1.1, 0.97, 6, INFINITY },
	{ "lopsided, the side toward 1 decides: 6 (0.22 / 0.18)^2 = 8.6", VERDICT_NONE, 1.2, 0.965,
	  1.336, 0.97, 6, 9 },
	{ "lopsided below 1, the side toward 1 decides", VERDICT_NONE, 1 / 1.2, 1 / 1.336, 1 / 0.965,
	  0.97, 6, 9 },
	{ "beyond VERDICT_SETTLE_MAX: hopeless", VERDICT_NONE, exp(0.05), exp(-0.2), exp(0.3),
	  0.97, 6, INFINITY },
	{ "two processes: too few, to the floor", VERDICT_TOO_FEW, 2.0, 1.8, 2.2, 0.5, 2, 6 },
	{ "no units: the floor", VERDICT_TOO_FEW, NAN, NAN, NAN, NAN, 0, 6 },
};

static void test_settle(void **state)
{
	(void)state;
	assert_int_equal(verdict_units_for_level(0.95), 6);
	assert_int_equal(verdict_units_for_level(0.75), 3);
	assert_true(isinf(verdict_units_to_narrow(4, 0.1, 0)));
	assert_true(fabs(verdict_units_to_narrow(4, 0.2, 0.1) - 16) < 1e-9);
	for (size_t i = 0; i < N(settle_cases); i++) {
		const struct settle_case *c = &settle_cases[i];
		struct verdict v = { .kind = c->kind, .ratio = c->ratio, .lo = c->lo, .hi = c->hi,
				     .coverage = c->coverage, .units = c->units };
		double got = verdict_units_to_settle(&v);

		print_message("%s: %g\n", c->what, got);
		if (isinf(c->want))
			assert_true(isinf(got));
		else
			assert_true(fabs(got - c->want) < 1e-9);
	}
}

/* Two runs' verdicts: how they relate, and the bound make bench-aa holds
 * them to. */
static void test_agreement(void **state)
{
	static const struct {
		enum verdict_kind x, y;
		enum verdict_agreement want;
	} cases[] = {
		{ VERDICT_A_FASTER, VERDICT_A_FASTER, VERDICT_AGREE },
		{ VERDICT_B_FASTER, VERDICT_B_FASTER, VERDICT_AGREE },
		{ VERDICT_A_FASTER, VERDICT_B_FASTER, VERDICT_OPPOSITE },
		{ VERDICT_B_FASTER, VERDICT_A_FASTER, VERDICT_OPPOSITE },
		{ VERDICT_A_FASTER, VERDICT_NONE, VERDICT_ONE_SIDED },
		{ VERDICT_TOO_FEW, VERDICT_B_FASTER, VERDICT_ONE_SIDED },
		{ VERDICT_NONE, VERDICT_TOO_FEW, VERDICT_AGREE },
		{ VERDICT_NONE, VERDICT_NONE, VERDICT_AGREE },
	};
	static const struct {
		size_t opposite, one_sided, either;
		bool holds;
	} bounds[] = {
		{ 0, 0, 0, true },   { 0, 0, 25, true },  { 1, 0, 25, false }, { 0, 2, 20, true },
		{ 0, 3, 20, false }, { 0, 2, 25, true },  { 0, 5, 26, false }, { 0, 1, 5, false },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct verdict x = { .kind = cases[i].x }, y = { .kind = cases[i].y };

		assert_int_equal(verdict_agree(&x, &y), cases[i].want);
	}
	assert_string_equal(verdict_agreement_word(VERDICT_OPPOSITE), "opposite");
	assert_string_equal(verdict_agreement_word(VERDICT_ONE_SIDED), "one-sided");
	for (size_t i = 0; i < N(bounds); i++)
		assert_int_equal(verdict_aa_holds(bounds[i].opposite, bounds[i].one_sided, bounds[i].either),
				 bounds[i].holds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_decide_edges),
		cmocka_unit_test(test_settle),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_amplification_and_faults),
		cmocka_unit_test(test_agreement),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
