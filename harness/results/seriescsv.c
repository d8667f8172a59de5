/* seriescsv.c - series.csv lines from consecutive samples of a region. */
#include "results/seriescsv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/columns.h"
#include "results/row.h"
#include "results/rowcsv.h"
#include "util/csv.h"

/* The columns after the key (run_id, the parameters, rep), in CSV order.
 * A file format: add at the end, never reorder. */
static const struct {
	const char *name, *unit;
} seriescsv_columns[] = {
	{ "interval", "" },	      /* from 1 */
	{ "t_s", "s" },		      /* the interval's end, since the region began */
	{ "interval_ns", "ns" },      /* its length */
	{ "phase", "" },	      /* first (holds some of a first pass) or steady */
	/* completed in it ("ops" is the parameter column) */
	{ "done_ops", "operations" },
	{ "done_bytes", "bytes" },
	{ "mib_per_s", "MiB/s" },
	{ "ops_per_s", "1/s" },
	{ "dev_read_bytes", "bytes" },
	{ "dev_write_bytes", "bytes" },
	{ "minor_faults", "" },
	{ "major_faults", "" },
	{ "tlb_shootdowns_system", "" },
	{ "resident_sampled", "fraction" }, /* at its end, from a subset of pages */
};

#define NSERIES (sizeof(seriescsv_columns) / sizeof(seriescsv_columns[0]))

int series_add(struct series *s, const struct series_sample *x)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct series_sample *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = *x;
	return 0;
}

void series_clear(struct series *s)
{
	s->n = 0;
	s->t0_ns = s->steady_ns = 0;
}

void series_free(struct series *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void seriescsv_columns_print(void)
{
	puts("name\tunit");
	puts("run_id\t");
	for (size_t i = 0; i < columns_count(); i++)
		if (columns_at(i)->group == COLUMN_PARAM)
			printf("%s\t%s\n", columns_at(i)->name, columns_at(i)->unit);
	puts("rep\t");
	for (size_t i = 0; i < NSERIES; i++)
		printf("%s\t%s\n", seriescsv_columns[i].name, seriescsv_columns[i].unit);
}

int seriescsv_header(struct csv_line *l)
{
	int err = csv_add(l, "run_id");

	for (size_t i = 0; i < columns_count(); i++)
		if (columns_at(i)->group == COLUMN_PARAM)
			err |= csv_add(l, columns_at(i)->name);
	err |= csv_add(l, "rep");
	for (size_t i = 0; i < NSERIES; i++)
		err |= csv_add(l, seriescsv_columns[i].name);
	return err;
}

int seriescsv_path(const char *rows_csv, char *buf, size_t len)
{
	const char *slash = strrchr(rows_csv, '/');
	const char *name = slash ? slash + 1 : rows_csv;
	size_t dir = (size_t)(name - rows_csv), stem = strlen(name);
	int n;

	if (stem > 4 && !strcmp(name + stem - 4, ".csv"))
		stem -= 4;
	if (!strcmp(name, "results.csv"))
		n = snprintf(buf, len, "%.*sseries.csv", (int)dir, rows_csv);
	else
		n = snprintf(buf, len, "%.*s%.*s-series.csv", (int)dir, rows_csv, (int)stem, name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Run f (csv_open or csv_check) on path with the series header. */
static int seriescsv_with_header(const char *path, int (*f)(const char *, const char *))
{
	struct csv_line header = { 0 };
	int err = seriescsv_header(&header);

	err = err ? -ENOMEM : f(path, header.buf);
	csv_line_free(&header);
	return err;
}

int seriescsv_open(const char *path)
{
	return seriescsv_with_header(path, csv_open);
}

int seriescsv_check(const char *path)
{
	return seriescsv_with_header(path, csv_check);
}

/* A counter's growth, or "unknown" where it could not be read. */
static int seriescsv_add_delta(struct csv_line *l, bool have, uint64_t a, uint64_t b)
{
	return have ? csv_add_u64(l, b - a) : csv_add(l, "unknown");
}

int seriescsv_format(const struct row *r, const struct series *s, size_t i, struct csv_line *l)
{
	const struct series_sample *a = &s->v[i - 1], *b = &s->v[i];
	uint64_t ns = b->ns - a->ns;
	double secs = ns ? (double)ns / 1e9 : NAN;
	bool first = s->steady_ns > s->t0_ns && a->ns < s->steady_ns;
	int err = csv_add(l, r->run_id);

	for (size_t k = 0; k < columns_count(); k++)
		if (columns_at(k)->group == COLUMN_PARAM)
			err |= rowcsv_add_param(r, columns_at(k), l);
	err |= csv_add_u64(l, r->rep);
	err |= csv_add_u64(l, i);
	/* the baseline sample is taken just before t0: never a negative time */
	err |= csv_addf(l, "%.3f", b->ns > s->t0_ns ? (double)(b->ns - s->t0_ns) / 1e9 : 0.0);
	err |= csv_add_u64(l, ns);
	err |= csv_add(l, first ? "first" : "steady");
	err |= csv_add_u64(l, b->ops - a->ops);
	err |= csv_add_u64(l, b->bytes - a->bytes);
	if (isnan(secs)) {
		err |= csv_add(l, "unknown");
		err |= csv_add(l, "unknown");
	} else {
		err |= csv_addf(l, "%.2f", (double)(b->bytes - a->bytes) / (1024.0 * 1024.0) / secs);
		err |= csv_addf(l, "%.2f", (double)(b->ops - a->ops) / secs);
	}
	err |= seriescsv_add_delta(l, a->c.have_io && b->c.have_io, a->c.dev_read_bytes,
				   b->c.dev_read_bytes);
	err |= seriescsv_add_delta(l, a->c.have_io && b->c.have_io, a->c.dev_write_bytes,
				   b->c.dev_write_bytes);
	err |= csv_add_u64(l, b->c.minor_faults - a->c.minor_faults);
	err |= csv_add_u64(l, b->c.major_faults - a->c.major_faults);
	err |= seriescsv_add_delta(l, a->c.have_tlb && b->c.have_tlb, a->c.tlb_shootdowns,
				   b->c.tlb_shootdowns);
	if (isnan(b->resident))
		err |= csv_add(l, "unknown");
	else
		err |= csv_addf(l, "%.4f", b->resident);
	return err;
}

int seriescsv_write(int fd, const struct row *r, const struct series *s, struct csv_line *l)
{
	for (size_t i = 1; i < s->n; i++) {
		int err;

		csv_line_reset(l);
		if (seriescsv_format(r, s, i, l))
			return -ENOMEM;
		err = csv_write(fd, l);
		if (err)
			return err;
	}
	return 0;
}
