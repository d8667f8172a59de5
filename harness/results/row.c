#include "results/row.h"

void row_derive_rates(struct row *r)
{
	double secs = (double)r->elapsed_ns / 1e9;

	r->mib_per_s = secs > 0 ? (double)r->bytes / (1024.0 * 1024.0) / secs : 0;
	r->ops_per_s = secs > 0 ? (double)r->ops / secs : 0;
}
