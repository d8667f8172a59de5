/* Unit tests for seriescsv.c: where series.csv goes beside the rows, and
 * the line of an interval from two samples (deltas, rates, phase, the
 * counters that could not be read). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backends/backends.h"
#include "cli/options.h"
#include "core/config.h"
#include "results/row.h"
#include "results/seriescsv.h"
#include "util/csv.h"
#include "workloads/workloads.h"

static const struct {
	const char *rows, *series;
} path_cases[] = {
	{ "results.csv", "series.csv" },
	{ "out/vm-1/results.csv", "out/vm-1/series.csv" },
	{ "/tmp/r.csv", "/tmp/r-series.csv" },
	{ "runs", "runs-series.csv" },
	{ "a.b/runs.txt", "a.b/runs.txt-series.csv" },
	{ "dir/.csv", "dir/.csv-series.csv" },
	{ "my-results.csv", "my-results-series.csv" },
};

static void test_path(void **state)
{
	char buf[256], tiny[8];

	(void)state;
	for (size_t i = 0; i < sizeof(path_cases) / sizeof(path_cases[0]); i++) {
		assert_int_equal(seriescsv_path(path_cases[i].rows, buf, sizeof(buf)), 0);
		assert_string_equal(buf, path_cases[i].series);
	}
	assert_int_equal(seriescsv_path("results.csv", tiny, sizeof(tiny)), -ENAMETOOLONG);
}

/* The fields of the line of interval i of s, parsed back; the series
 * columns start after run_id, the parameters and rep. */
static int line_fields(const struct series *s, size_t i, char **f, int max, char **text)
{
	static struct config cfg;
	struct row r = { .cfg = &cfg, .run_id = "RUN", .rep = 2 };
	struct csv_line l = { 0 };
	size_t pos = 0;
	int n;

	options_defaults(&cfg);
	cfg.backends[0] = backend_find("read");
	cfg.nbackends = 1;
	cfg.workloads[0] = workload_find("randread");
	cfg.nworkloads = 1;
	assert_int_equal(seriescsv_format(&r, s, i, &l), 0);
	*text = l.buf;
	n = csv_parse_record(l.buf, &pos, f, max);
	return n;
}

/* The index of a column in the header. */
static int header_index(const char *name)
{
	struct csv_line l = { 0 };
	char *f[128];
	size_t pos = 0;
	int n, at = -1;

	assert_int_equal(seriescsv_header(&l), 0);
	n = csv_parse_record(l.buf, &pos, f, 128);
	for (int k = 0; k < n; k++)
		if (!strcmp(f[k], name))
			at = k;
	csv_line_free(&l);
	assert_true(at >= 0);
	return at;
}

static const struct {
	const char *column, *want[3]; /* lines 1, 2, 3 */
} line_cases[] = {
	{ "run_id", { "RUN", "RUN", "RUN" } },
	{ "backend", { "read", "read", "read" } },
	{ "rep", { "2", "2", "2" } },
	{ "interval", { "1", "2", "3" } },
	/* the baseline is before t0: the first end is 0.100 s after it */
	{ "t_s", { "0.100", "0.250", "0.260" } },
	{ "interval_ns", { "100001000", "150000000", "10000000" } },
	{ "phase", { "first", "first", "steady" } }, /* 2 began before steady_ns */
	{ "done_ops", { "256", "512", "0" } },
	{ "done_bytes", { "1048576", "2097152", "0" } },
	{ "mib_per_s", { "10.00", "13.33", "0.00" } },
	{ "ops_per_s", { "2559.97", "3413.33", "0.00" } },
	{ "dev_read_bytes", { "4096", "unknown", "unknown" } },
	{ "minor_faults", { "3", "0", "1" } },
	{ "major_faults", { "1", "0", "0" } },
	{ "tlb_shootdowns_system", { "7", "0", "unknown" } },
	{ "resident_sampled", { "0.2500", "unknown", "1.0000" } },
};

static void test_lines(void **state)
{
	const uint64_t t0 = 1000000000;
	struct series s = { .t0_ns = t0, .steady_ns = t0 + 200000000 };
	struct series_sample x[4] = {
		{ .ns = t0 - 1000, .resident = 0 },
		{ .ns = t0 + 100000000, .ops = 256, .bytes = 1 << 20, .resident = 0.25 },
		{ .ns = t0 + 250000000, .ops = 768, .bytes = 3 << 20, .resident = NAN },
		{ .ns = t0 + 260000000, .ops = 768, .bytes = 3 << 20, .resident = 1 },
	};

	(void)state;
	x[0].c = (struct counters){ .have_io = true, .have_tlb = true, .dev_read_bytes = 100 };
	x[1].c = (struct counters){ .have_io = true, .have_tlb = true, .dev_read_bytes = 4196,
				    .minor_faults = 3, .major_faults = 1, .tlb_shootdowns = 7 };
	x[2].c = x[1].c;
	x[2].c.have_io = false; /* /proc/self/io unreadable at that moment */
	x[3].c = x[2].c;
	x[3].c.have_tlb = false;
	x[3].c.minor_faults = 4;
	for (int i = 0; i < 4; i++)
		assert_int_equal(series_add(&s, &x[i]), 0);
	for (size_t i = 1; i <= 3; i++) {
		char *f[128], *text;
		int n = line_fields(&s, i, f, 128, &text);

		for (size_t k = 0; k < sizeof(line_cases) / sizeof(line_cases[0]); k++) {
			int at = header_index(line_cases[k].column);

			assert_true(at < n);
			if (strcmp(f[at], line_cases[k].want[i - 1]))
				fail_msg("line %zu, %s: '%s', expected '%s'", i, line_cases[k].column,
					 f[at], line_cases[k].want[i - 1]);
		}
		free(text);
	}
	series_free(&s);
}

/* Two samples at one moment: no interval to divide by, never inf. */
static void test_empty_interval(void **state)
{
	struct series s = { .t0_ns = 5 };
	struct series_sample x = { .ns = 10, .resident = NAN };
	char *f[128], *text;

	(void)state;
	assert_int_equal(series_add(&s, &x), 0);
	assert_int_equal(series_add(&s, &x), 0);
	line_fields(&s, 1, f, 128, &text);
	assert_string_equal(f[header_index("mib_per_s")], "unknown");
	assert_string_equal(f[header_index("phase")], "steady");
	free(text);
	series_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_empty_interval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
