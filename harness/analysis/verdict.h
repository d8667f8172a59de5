/*
 * verdict.h - the one rule that says whether backend A is faster than B in
 * a configuration, by how much, and what the answer rests on.  `mmbench
 * run`'s end summary (tally.c), `summary --ratio`, `mmbench verdicts` and,
 * through verdicts, every report, chart and claim take it from here; a
 * threshold is a constant below, nowhere else.  Pure functions: no I/O.
 *
 * The rule, and why:
 *   - The unit of replication is the process (Kalibera & Jones): two
 *     processes of one configuration differ more than two repetitions
 *     inside one (ASLR, page-cache history, frequency).  So with two or
 *     more processes each contributes ONE paired observation, the median of
 *     each backend over its repetitions, and the interval is over
 *     processes.  Only with a single process (mmbench run, or a sweep
 *     without --procs) are its interleaved repetitions the units: the
 *     answer then holds for that process, and says so (decided_over).
 *   - One estimator: the Hodges-Lehmann ratio of the paired units
 *     (rankstats_paired: exp of the median Walsh average of the log
 *     ratios), with Tukey's interval from the Wilcoxon signed-rank
 *     distribution at VERDICT_LEVEL.  Too few units cannot reach that level:
 *     then the widest interval is used, with the coverage it really has
 *     (3 units: 75%, every unit on one side of 1).
 *   - A is faster when the whole interval lies above 1, B when below; else
 *     no consistent difference.  Under VERDICT_MIN_UNITS units nothing is
 *     decided ("too few to say"), whatever the interval: two processes
 *     cannot tell a difference from process noise.  Over processes, under
 *     verdict_units_for_level(VERDICT_LEVEL) (6) nothing is decided either:
 *     answers at 75% and 94% flipped between two make bench runs of one
 *     build (make bench-aa).  The pairs of one process still decide from
 *     VERDICT_MIN_UNITS, at the coverage they have: that answer is the
 *     process's own, and says so (decided_over).
 *   - Amplification is sum(dev_read_bytes) / sum(bytes) over a backend's
 *     rows (not a ratio of medians: rows that fetched nothing weigh in).
 */
#ifndef MMBENCH_VERDICT_H
#define MMBENCH_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/rankstats.h"
#include "sys/datafile.h"

/* The coverage an interval is asked for. */
#define VERDICT_LEVEL 0.95
/* Fewer units than this decide nothing. */
#define VERDICT_MIN_UNITS 3
/* At most this many pairs of one process enter its interval (evenly
 * spaced): the Walsh averages grow with the square. */
#define VERDICT_MAX_PAIRS 1000
/* folio_large may differ this much between compared rows before it is
 * flagged: beyond it, mmap's fault count differs severalfold. */
#define VERDICT_FOLIO_SPREAD 0.25
/* Device bytes per useful byte from which read-ahead or read-around is
 * named as part of the answer. */
#define VERDICT_AMPLIFIED 2.0
/* A cold row with more of its file resident than this, or a warm one with
 * less than this, is not what it claims: the same bounds the run warns with
 * and compare excludes rows by (sys/datafile.h). */
#define VERDICT_COLD_MAX DATAFILE_COLD_MAX
#define VERDICT_WARM_MIN DATAFILE_WARM_MIN
/* A verdict is settled when decided with at least VERDICT_LEVEL coverage
 * (6 processes at least: 5 reach 93.75%).  Beyond this many units in all,
 * more rounds will hardly settle it: the difference is smaller than the
 * process noise can resolve in the minutes a sweep's settling affords, and
 * "no consistent difference" is its answer. */
#define VERDICT_SETTLE_MAX 24
/* Two runs of one build on one machine reproduce their verdicts (make
 * bench-aa) when none is decided in opposite directions and, of the
 * configurations decided in either run, at most this share is decided in
 * one and undecided in the other. */
#define VERDICT_AA_ONE_SIDED_MAX 0.10
/* The estimator's name, for the `estimator` column. */
#define VERDICT_ESTIMATOR "hodges-lehmann"

/* One interleaved round: backend A's and B's throughput in it, and the
 * process (run_id) it ran in; a and b positive. */
struct verdict_pair {
	const char *run_id;
	double a, b;
};

enum verdict_kind { VERDICT_TOO_FEW, VERDICT_NONE, VERDICT_A_FASTER, VERDICT_B_FASTER };

struct verdict {
	enum verdict_kind kind;
	double ratio;		/* A/B, Hodges-Lehmann over the units */
	double lo, hi, coverage; /* the interval and its real coverage; NAN if none */
	bool over_processes;	/* units are processes (else the pairs of one) */
	size_t units, pairs, procs;
	double med_a, med_b;	/* medians over the units */
	double pair_min, pair_max; /* range of the per-pair ratios */
};

/* Decide from n pairs (reordered in place: grouped by run_id).  0, -EINVAL
 * for no pairs, -ENOMEM. */
int verdict_decide(struct verdict_pair *p, size_t n, struct verdict *v);

/* "A faster", "B faster", "no consistent difference" or "too few to say"
 * into buf, with a and b the backends' names; returns buf. */
const char *verdict_words(const struct verdict *v, const char *a, const char *b, char *buf,
			  size_t len);

/* A verdict on one side: A faster or B faster. */
bool verdict_decided(const struct verdict *v);

/* How the verdicts of one configuration in two runs relate. */
enum verdict_agreement {
	VERDICT_AGREE,	    /* decided alike, or undecided in both */
	VERDICT_OPPOSITE,   /* decided in opposite directions */
	VERDICT_ONE_SIDED,  /* decided in one run, undecided in the other */
};
enum verdict_agreement verdict_agree(const struct verdict *x, const struct verdict *y);
/* "agree", "opposite" or "one-sided". */
const char *verdict_agreement_word(enum verdict_agreement a);
/* True when two runs reproduce (VERDICT_AA_ONE_SIDED_MAX): no opposite
 * verdict, and at most that share of the decided_either configurations
 * decided in one run only. */
bool verdict_aa_holds(size_t opposite, size_t one_sided, size_t decided_either);

/* The fewest paired units whose interval can reach level at all (0.95:
 * 6, since the smallest two-sided signed-rank p of n is 2/2^n). */
size_t verdict_units_for_level(double level);

/* The units in all an interval over n units, of half-width half (on the
 * log scale), would likely need to shrink to margin, narrowing as
 * 1/sqrt(n): n (half / margin)^2; INFINITY for a margin <= 0.  The one
 * "about N more rounds would likely settle it" estimate: compare's gate
 * and the sweep's settling both take it from here. */
double verdict_units_to_narrow(double n, double half, double margin);

/* The units in all that would likely settle v (decide it at
 * VERDICT_LEVEL): 0 when it is settled, INFINITY when more units will
 * hardly settle it (the estimate sits at 1, or it would take more than
 * VERDICT_SETTLE_MAX), which only units enough to decide at all can say. */
double verdict_units_to_settle(const struct verdict *v);

/* The ratio y/x and its interval at level by the one estimator, for
 * callers with their own decision (compare's regression gate): paired, or
 * two independent samples (Hodges-Lehmann of all cross ratios, Moses
 * interval).  0, -EINVAL, -ENOMEM, as rankstats. */
int verdict_estimate_paired(const double *x, const double *y, size_t n, double level,
			    struct rankstats_result *r);
int verdict_estimate_independent(const double *x, size_t n, const double *y, size_t m,
				 double level, struct rankstats_result *r);

/* What one backend's rows of a configuration did: sums and extremes. */
struct verdict_evidence {
	size_t rows;
	double bytes, dev_read, minor, major;
	double resident_lo, resident_hi;
	double folio_lo, folio_hi; /* over the rows that measured it; lo > hi: none */
	bool anon;		   /* in memory: residency says nothing */
};

void verdict_evidence_init(struct verdict_evidence *e, bool anon);
/* One row; resident or folio NAN when not measured. */
void verdict_evidence_add(struct verdict_evidence *e, double bytes, double dev_read, double minor,
			  double major, double resident, double folio);
/* Fold src into dst (several backends compared as one group). */
void verdict_evidence_merge(struct verdict_evidence *dst, const struct verdict_evidence *src);

/* Device bytes per useful byte; NAN without useful bytes. */
double verdict_amplification(const struct verdict_evidence *e);
/* Minor + major page faults per MiB of useful bytes; NAN without bytes. */
double verdict_faults_per_mib(const struct verdict_evidence *e);
/* folio_large's lowest and highest over the rows of a and b; lo > hi
 * (INFINITY, -INFINITY) if neither measured it. */
void verdict_folio_range(const struct verdict_evidence *a, const struct verdict_evidence *b,
			 double *lo, double *hi);
/* The spread of folio_large between the rows of a and b; NAN if neither
 * measured it. */
double verdict_folio_spread(const struct verdict_evidence *a, const struct verdict_evidence *b);

/* Warnings, as bits. */
#define VERDICT_WARN_NOT_COLD_A	   0x01 /* a cold row of A found > VERDICT_COLD_MAX cached */
#define VERDICT_WARN_NOT_COLD_B	   0x02
#define VERDICT_WARN_NOT_WARM_A	   0x04 /* a warm row of A found < VERDICT_WARM_MIN cached */
#define VERDICT_WARN_NOT_WARM_B	   0x08
#define VERDICT_WARN_FOLIO_SPREAD  0x10 /* > VERDICT_FOLIO_SPREAD between A and B */
#define VERDICT_WARN_READ_AROUND_A 0x20 /* A's amplification >= VERDICT_AMPLIFIED */
#define VERDICT_WARN_READ_AROUND_B 0x40

/* The warnings of A against B in a configuration whose cache mode is
 * `cache` (enum cache_mode). */
unsigned verdict_warnings(const struct verdict_evidence *a, const struct verdict_evidence *b,
			  unsigned cache);

/* The warnings as words, comma-separated, backends named:
 * "not-cold:read,read-around:mmap"; "" for none.  Returns buf. */
const char *verdict_warning_words(unsigned w, const char *a, const char *b, char *buf, size_t len);

#endif
