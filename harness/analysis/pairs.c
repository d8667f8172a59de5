#include "analysis/pairs.h"

#include <stdlib.h>
#include <string.h>

#include "results/table.h"

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

		for (e = k; e < n && !pairs_cmp_round(&scratch[k], &scratch[e], &s); e++) {
			const char *be = table_cell(t, scratch[e], c->backend);

			if (!strcmp(be, a))
				ra = scratch[e];
			else if (!strcmp(be, b))
				rb = scratch[e];
		}
		if (ra == (size_t)-1 || rb == (size_t)-1)
			continue;
		out[np] = (struct verdict_pair){ table_cell(t, ra, c->run_id),
						 table_num(t, ra, c->mib), table_num(t, rb, c->mib) };
		if (out[np].a > 0 && out[np].b > 0)
			np++;
	}
	return np;
}
