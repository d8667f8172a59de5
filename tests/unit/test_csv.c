/* Unit tests for csv.c: quoting, parsing back, and refusing to append under
 * a different header. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/csv.h"

static const struct {
	const char *field, *quoted;
} escape_cases[] = {
	{ "plain", "plain" },
	{ "", "" },
	{ "a,b", "\"a,b\"" },
	{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
	{ "two\nlines", "\"two\nlines\"" },
	{ "cr\r", "\"cr\r\"" },
	{ "AMD EPYC 7B13 64-Core", "AMD EPYC 7B13 64-Core" },
};

static void test_escape_and_parse_back(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(escape_cases) / sizeof(escape_cases[0]); i++) {
		struct csv_line l = { 0 };
		char *fields[4];
		size_t pos = 0;

		assert_int_equal(csv_add(&l, escape_cases[i].field), 0);
		assert_string_equal(l.buf, escape_cases[i].quoted);
		assert_int_equal(csv_add(&l, "next"), 0);
		assert_int_equal(csv_parse_record(l.buf, &pos, fields, 4), 2);
		assert_string_equal(fields[0], escape_cases[i].field);
		assert_string_equal(fields[1], "next");
		csv_line_free(&l);
	}
}

static void test_parse_records(void **state)
{
	char text[] = "a,b,c\n1,\"x,y\",3\r\n,,\n";
	char *f[8];
	size_t pos = 0;

	(void)state;
	assert_int_equal(csv_parse_record(text, &pos, f, 8), 3);
	assert_string_equal(f[2], "c");
	assert_int_equal(csv_parse_record(text, &pos, f, 8), 3);
	assert_string_equal(f[1], "x,y");
	assert_string_equal(f[2], "3");
	assert_int_equal(csv_parse_record(text, &pos, f, 8), 3);
	assert_string_equal(f[0], "");
	assert_int_equal(csv_parse_record(text, &pos, f, 8), -1);

	char bad[] = "\"open";
	pos = 0;
	assert_int_equal(csv_parse_record(bad, &pos, f, 8), -EINVAL);
}

static void test_open_header_rules(void **state)
{
	char path[] = "/tmp/mmbench-test-csv-XXXXXX";
	struct csv_line row = { 0 };
	int fd = mkstemp(path), again;
	char buf[128] = { 0 };
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	fd = csv_open(path, "a,b");
	assert_true(fd >= 0);
	csv_add(&row, "1");
	csv_add(&row, "2");
	assert_int_equal(csv_write(fd, &row), 0);
	close(fd);
	/* Same header: append without repeating it. */
	again = csv_open(path, "a,b");
	assert_true(again >= 0);
	assert_int_equal(csv_write(again, &row), 0);
	close(again);
	/* Different header: refused, file untouched. */
	assert_int_equal(csv_open(path, "a,b,c"), -EPROTO);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, sizeof(buf) - 1, f), strlen("a,b\n1,2\n1,2\n"));
	assert_string_equal(buf, "a,b\n1,2\n1,2\n");
	fclose(f);
	unlink(path);
	csv_line_free(&row);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_and_parse_back),
		cmocka_unit_test(test_parse_records),
		cmocka_unit_test(test_open_header_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
