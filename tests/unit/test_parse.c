/* Unit tests for parse.c: sizes, numbers, and formatting round trips. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "util/parse.h"

static const struct {
	const char *in;
	int rc;
	uint64_t out;
} size_cases[] = {
	{ "0", 0, 0 },
	{ "4096", 0, 4096 },
	{ "4K", 0, 4096 },
	{ "4k", 0, 4096 },
	{ "4KiB", 0, 4096 },
	{ "4KB", 0, 4096 },
	{ "1M", 0, 1ULL << 20 },
	{ "3G", 0, 3ULL << 30 },
	{ "2T", 0, 2ULL << 40 },
	{ "16777215T", 0, 16777215ULL << 40 },
	{ "16777216T", -ERANGE, 0 },
	{ "18446744073709551615", 0, UINT64_MAX },
	{ "18446744073709551616", -ERANGE, 0 },
	{ "99999999999999999999999", -ERANGE, 0 },
	{ "", -EINVAL, 0 },
	{ "K", -EINVAL, 0 },
	{ "4Q", -EINVAL, 0 },
	{ "-4K", -EINVAL, 0 },
	{ "+4K", -EINVAL, 0 },
	{ " 4K", -EINVAL, 0 },
	{ "4K ", -EINVAL, 0 },
	{ "4.5M", -EINVAL, 0 },
	{ "0x10", -EINVAL, 0 },
	{ "4KK", -EINVAL, 0 },
};

static void test_parse_size_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(size_cases) / sizeof(size_cases[0]); i++) {
		uint64_t out = 12345;
		int rc = parse_size(size_cases[i].in, &out);

		if (rc != size_cases[i].rc)
			fail_msg("parse_size('%s') returned %d, want %d", size_cases[i].in, rc,
				 size_cases[i].rc);
		if (!rc && out != size_cases[i].out)
			fail_msg("parse_size('%s') gave %llu", size_cases[i].in,
				 (unsigned long long)out);
	}
}

static void test_parse_uint(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(parse_uint("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_uint("16384", &v), 0);
	assert_int_equal(v, 16384);
	assert_int_equal(parse_uint("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_uint("18446744073709551616", &v), -ERANGE);
	assert_int_equal(parse_uint("4K", &v), -EINVAL);
	assert_int_equal(parse_uint("-1", &v), -EINVAL);
	assert_int_equal(parse_uint("", &v), -EINVAL);
}

static void test_format_round_trip(void **state)
{
	static const uint64_t values[] = { 0, 1, 1000, 4096, 65536, 1536 << 10, 1ULL << 30,
					   3ULL << 40, (1ULL << 20) + 1 };
	static const char *const want[] = { "0", "1", "1000", "4K", "64K", "1536K", "1G", "3T",
					    "1048577" };

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char buf[32];
		uint64_t back;

		assert_string_equal(parse_format_size(values[i], buf, sizeof(buf)), want[i]);
		assert_int_equal(parse_size(buf, &back), 0);
		assert_true(back == values[i]);
	}
}

/* A split into a and b, or -EINVAL when want_a is NULL. */
static void test_pair_is(int err, const char *a, const char *b, const char *want_a,
			 const char *want_b)
{
	if (!want_a) {
		assert_int_equal(err, -EINVAL);
		return;
	}
	assert_int_equal(err, 0);
	assert_string_equal(a, want_a);
	assert_string_equal(b, want_b);
}

static void test_parse_pair(void **state)
{
	static const struct {
		const char *in, *a, *b; /* a NULL: refused */
	} cases[] = {
		{ "mmap:read", "mmap", "read" }, { "uring:mmapcopy", "uring", "mmapcopy" },
		{ "mmap:mmap", NULL, NULL },	 { "mmap", NULL, NULL },
		{ "mmap:", NULL, NULL },	 { ":read", NULL, NULL },
		{ "a:b:c", NULL, NULL },	 { "", NULL, NULL },
	};
	char a[64], b[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err = parse_pair(cases[i].in, a, b);

		test_pair_is(err, a, b, cases[i].a, cases[i].b);
	}
}

/* Names that may hold colons (a backend with its options): the split is
 * where both sides are known names. */
static bool test_known_series(const char *name, const void *ctx)
{
	for (const char *const *n = ctx; *n; n++)
		if (!strcmp(*n, name))
			return true;
	return false;
}

static void test_parse_pair_known(void **state)
{
	static const char *const names[] = { "mmap", "read", "mmap:madvise=random",
					     "read:fadvise=random", "mmap:populate", NULL };
	static const struct {
		const char *in, *a, *b; /* a NULL: -EINVAL */
	} cases[] = {
		{ "mmap:read", "mmap", "read" },
		{ "mmap:madvise=random:read", "mmap:madvise=random", "read" },
		{ "read:mmap:madvise=random", "read", "mmap:madvise=random" },
		{ "mmap:madvise=random:read:fadvise=random", "mmap:madvise=random",
		  "read:fadvise=random" },
		{ "mmap:populate:mmap", "mmap:populate", "mmap" },
		{ "mmap:mmap", NULL, NULL },
		{ "mmap:uring", NULL, NULL },
		{ "mmap", NULL, NULL },
		{ "", NULL, NULL },
	};
	char a[64], b[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err = parse_pair_known(cases[i].in, a, b, sizeof(a), test_known_series, names);

		test_pair_is(err, a, b, cases[i].a, cases[i].b);
	}
	/* a name longer than the room is no name */
	assert_int_equal(parse_pair_known("mmap:madvise=random:read", a, b, 8, test_known_series,
					  names),
			 -EINVAL);
}

static void test_trim(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" },	      { "  ", "" },	       { "a", "a" },
		{ " \ta b\t ", "a b" }, { "key = v\r", "key = v" }, { "AMD EPYC \n", "AMD EPYC" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		assert_string_equal(parse_trim(buf), cases[i].out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size_table),
		cmocka_unit_test(test_parse_uint),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_parse_pair),
		cmocka_unit_test(test_parse_pair_known),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
