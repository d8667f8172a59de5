/* Unit tests for pattern.c and consume.c: the expected checksum of any range
 * equals what consume() computes over the bytes pattern_fill() writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "content/consume.h"
#include "content/pattern.h"

static void test_fill_matches_words(void **state)
{
	unsigned char buf[64];

	(void)state;
	pattern_fill(7, 0, buf, sizeof(buf));
	for (unsigned i = 0; i < 8; i++)
		assert_true(consume_load_le(buf + 8 * i) == pattern_word(7, i));
}

static void test_fill_any_alignment(void **state)
{
	unsigned char whole[256], part[100];

	(void)state;
	pattern_fill(3, 0, whole, sizeof(whole));
	/* A fill that starts and ends mid-word must match the same bytes of
	 * an aligned fill. */
	for (unsigned off = 0; off < 24; off++) {
		pattern_fill(3, off, part, sizeof(part));
		assert_memory_equal(part, whole + off, sizeof(part));
	}
}

static const struct {
	uint64_t off, len;
} sum_cases[] = {
	{ 0, 0 },     { 0, 8 },	      { 0, 4096 }, { 4096, 4096 }, { 8, 1 },
	{ 16, 7 },    { 24, 4093 },   { 0, 12345 }, { 65536, 65536 }, { 800, 9 },
};

static void test_sum_matches_consume(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(sum_cases) / sizeof(sum_cases[0]); i++) {
		size_t len = (size_t)sum_cases[i].len;
		unsigned char *buf = malloc(len + 1);

		assert_non_null(buf);
		pattern_fill(11, sum_cases[i].off, buf, len);
		if (consume(buf, len) != pattern_sum(11, sum_cases[i].off, len))
			fail_msg("checksum mismatch at off %llu len %zu",
				 (unsigned long long)sum_cases[i].off, len);
		free(buf);
	}
}

static void test_seeds_and_offsets_differ(void **state)
{
	(void)state;
	assert_true(pattern_word(1, 0) != pattern_word(2, 0));
	assert_true(pattern_word(1, 0) != pattern_word(1, 1));
	/* A block read from the wrong offset must not sum right. */
	assert_true(pattern_sum(1, 0, 4096) != pattern_sum(1, 4096, 4096));
}

static void test_consume_unaligned_pointer(void **state)
{
	unsigned char raw[4096 + 8], *p = raw + 3;

	(void)state;
	pattern_fill(5, 0, p, 4096);
	assert_true(consume(p, 4096) == pattern_sum(5, 0, 4096));
}

static void test_increment(void **state)
{
	unsigned char buf[64];
	uint64_t before;

	(void)state;
	pattern_fill(9, 0, buf, sizeof(buf));
	before = consume(buf, sizeof(buf));
	assert_true(consume_increment(buf, sizeof(buf), 1) == before);
	assert_true(consume(buf, sizeof(buf)) == before + 8);
	for (unsigned i = 0; i < 8; i++)
		assert_true(consume_load_le(buf + 8 * i) == pattern_word(9, i) + 1);
	/* Adding the negated count restores the bytes exactly. */
	consume_increment(buf, sizeof(buf), (uint64_t)-1);
	assert_true(consume(buf, sizeof(buf)) == before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_matches_words),
		cmocka_unit_test(test_fill_any_alignment),
		cmocka_unit_test(test_sum_matches_consume),
		cmocka_unit_test(test_seeds_and_offsets_differ),
		cmocka_unit_test(test_consume_unaligned_pointer),
		cmocka_unit_test(test_increment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
