#include "analysis/pairs.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/table.h"
#include "util/parse.h"

void pairs_columns(const struct table *t, struct pairs_cols *c)
{
	c->run_id = table_col(t, "run_id");
	c->rep = table_col(t, "rep");
	c->backend = table_col(t, "backend");
	c->mib = table_col(t, "mib_per_s");
}

struct pairs_sort {
	const struct table *t;
	const struct pairs_cols *c;
};

/* Order rows by process, then repetition: the rows of one interleaved
 * round become neighbours (sorting, not a search per row, so 100,000 rows
 * take milliseconds). */
static int pairs_cmp_round(const void *x, const void *y, void *arg)
{
	const struct pairs_sort *s = arg;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int c = strcmp(table_cell(s->t, a, s->c->run_id), table_cell(s->t, b, s->c->run_id));

	return c ? c : table_cmp_cell(table_cell(s->t, a, s->c->rep), table_cell(s->t, b, s->c->rep));
}

static size_t pairs_distance(size_t x, size_t y)
{
	return x > y ? x - y : y - x;
}

size_t pairs_collect(const struct table *t, const struct pairs_cols *c, const size_t *rows,
		     size_t n, const char *a, const char *b, struct verdict_pair *out,
		     size_t *scratch)
{
	struct pairs_sort s = { t, c };
	size_t np = 0;

	memcpy(scratch, rows, n * sizeof(*scratch));
	qsort_r(scratch, n, sizeof(*scratch), pairs_cmp_round, &s);
	for (size_t k = 0, e; k < n; k = e) {
		size_t ra = (size_t)-1, rb = (size_t)-1;

		for (e = k; e < n && !pairs_cmp_round(&scratch[k], &scratch[e], &s); e++)
			if (!strcmp(table_cell(t, scratch[e], c->backend), a) && scratch[e] < ra)
				ra = scratch[e];
		/* B's row of A's round: a series that does not take an option
		 * swept in one process (read, while mmap's madvise varies) has
		 * a row per point in each repetition; the one written nearest
		 * A's ran in its round */
		for (size_t x = k; x < e && ra != (size_t)-1; x++)
			if (!strcmp(table_cell(t, scratch[x], c->backend), b) &&
			    (rb == (size_t)-1 || pairs_distance(scratch[x], ra) < pairs_distance(rb, ra)))
				rb = scratch[x];
		if (ra == (size_t)-1 || rb == (size_t)-1)
			continue;
		out[np] = (struct verdict_pair){ table_cell(t, ra, c->run_id),
						 table_num(t, ra, c->mib), table_num(t, rb, c->mib) };
		if (out[np].a > 0 && out[np].b > 0)
			np++;
	}
	return np;
}

struct pairs_known {
	const struct table *t;
	int backend;
};

/* Whether name is the backend of a row of the table. */
static bool pairs_is_backend(const char *name, const void *ctx)
{
	const struct pairs_known *k = ctx;

	for (size_t r = 0; r < k->t->nrows; r++)
		if (!strcmp(table_cell(k->t, r, k->backend), name))
			return true;
	return false;
}

int pairs_names(const struct table *t, const struct pairs_cols *c, const char *spec, char *a,
		char *b, size_t len)
{
	struct pairs_known k = { t, c->backend };
	char sa[64], sb[64];

	if (!parse_pair_known(spec, a, b, len, pairs_is_backend, &k))
		return 0;
	if (parse_pair(spec, sa, sb))
		return -EINVAL;
	snprintf(a, len, "%s", sa);
	snprintf(b, len, "%s", sb);
	return 0;
}
