/*
 * compare.h - the regression gate of `mmbench compare BASELINE CURRENT`:
 * match configurations across two result sets and decide, per
 * configuration, whether CURRENT is a regression.  The process is the unit
 * of replication: each process's median is one observation (the
 * repetitions inside one process share its page placement, frequency and
 * neighbours, so they are not independent).  A regression needs the whole
 * interval of the ratio beyond 1, adjusted for the number of gated
 * configurations (Holm), and the estimate beyond the threshold; "same"
 * needs the interval inside the threshold band; anything else is "unsure",
 * which never fails.  cmd/compare.c parses the command and prints.
 */
#ifndef MMBENCH_COMPARE_H
#define MMBENCH_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/rankstats.h"
#include "results/table.h"

#define COMPARE_MAX_KEYS 64
#define COMPARE_LABEL 512

struct compare_opts {
	double threshold; /* fraction, e.g. 0.10 */
	double alpha;	  /* familywise, over the gated configurations */
	const char *metric;
	bool higher_better;
	bool gate_warm, gate_cold;
	bool paired;	 /* the i-th process of each side ran in round i */
	bool pool_hosts; /* let rows of several hosts form one sample */
};

struct compare_side {
	const char *path;
	struct table t;
	int cols[COMPARE_MAX_KEYS];
	int metric, cache, verified, resident, backend;
	size_t *rows; /* the usable rows, sorted by configuration */
	size_t nrows;
};

/* One matched configuration. */
struct compare_entry {
	char label[COMPARE_LABEL];
	size_t procs_base, procs_cur, reps_base, reps_cur;
	size_t n;		 /* observations of the test: pairs, or the smaller side */
	double *vb, *vc;	 /* per-process medians, in the order they ran */
	double med_base, med_cur; /* medians of the per-process medians */
	double noise;		 /* the baseline's own A/A spread (factor), or NAN */
	double threshold;	 /* what a change must clear: the user's threshold, or
				  * the noise when that is larger */
	struct rankstats_result r;
	double p_adj;	 /* Holm-adjusted among the gated configurations */
	size_t holm_rank; /* 1-based among them; 0 outside the family */
	bool testable, gated;
	const char *verdict;
	char note[160];
};

/* Both sides, matched. */
struct compare_run {
	struct compare_side b, c;
	int nkeys; /* configuration columns: the same on both sides */
	struct compare_entry *entries;
	size_t matched, regressions; /* gated regressions */
	char **only_b, **only_c; /* labels of configurations on one side only */
	size_t nob, noc;
};

/* Load both sides, match their configurations and judge each.  0, or an
 * exit status after saying why (EXIT_USAGE when nothing matched).  Free
 * with compare_run_free() either way. */
int compare_run(struct compare_run *run, const struct compare_opts *o, const char *baseline,
		const char *current);
void compare_run_free(struct compare_run *run);

#endif
