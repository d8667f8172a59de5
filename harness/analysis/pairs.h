/*
 * pairs.h - the interleaved rounds of two backends in one configuration of
 * a results table: the rows of backend A and of backend B that share a
 * process (run_id) and a repetition number ran in the same round, so their
 * throughputs pair up.  What verdict_decide() takes.
 */
#ifndef MMBENCH_PAIRS_H
#define MMBENCH_PAIRS_H

#include <stddef.h>

#include "analysis/verdict.h"

struct table;

/* Columns of t that pairing reads; pairs_columns() fills them. */
struct pairs_cols {
	int run_id, rep, backend, mib;
};

void pairs_columns(const struct table *t, struct pairs_cols *c);

/* The pairs of backends a and b among rows[0..n) (one configuration,
 * backend aside) into out[] (room for n), rows with a throughput that is
 * not a positive number left out; scratch has room for n indices.  Their
 * count.  run_id strings point into t. */
size_t pairs_collect(const struct table *t, const struct pairs_cols *c, const size_t *rows,
		     size_t n, const char *a, const char *b, struct verdict_pair *out,
		     size_t *scratch);

/* The two series of spec "A:B" (--pair, --ratio) into a and b (len bytes
 * each): a series name may hold colons (mmap:madvise=random:read), so the
 * split is where both sides are backends of t; else, for names of no
 * series of t, the one colon of "A:B".  0, or -EINVAL. */
int pairs_names(const struct table *t, const struct pairs_cols *c, const char *spec, char *a,
		char *b, size_t len);

#endif
