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

#endif
