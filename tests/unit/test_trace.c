/* Unit tests for trace.c: every format read back from golden files in
 * tests/data/trace, what the writer writes read back the same, and each
 * malformed line refused naming the file and the line. */
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

#include "trace/escape.h"
#include "trace/trace.h"

/* tests/data/trace/, from this file's path (tests/unit/test_trace.c) */
static void data_path(const char *name, char *out, size_t cap)
{
	const char *slash = strrchr(__FILE__, '/');
	int dir = slash ? (int)(slash - __FILE__) : 0;

	snprintf(out, cap, "%.*s/../data/trace/%s", dir, __FILE__, name);
}

struct want {
	enum trace_kind kind;
	unsigned thread, file;
	uint64_t time_ns, off, len;
	enum trace_hint hint;
	enum trace_advice advice;
	unsigned map_flags;
};

/* Read every record of path and compare with want[0..n). */
static void check_records(const char *path, const struct want *want, size_t n)
{
	struct trace_reader *r;
	struct trace_rec rec;
	char msg[512] = "";
	size_t i = 0;
	int got;

	if (trace_open(&r, path, msg, sizeof(msg)))
		fail_msg("%s", msg);
	while ((got = trace_next(r, &rec, msg, sizeof(msg))) == 1) {
		assert_true(i < n);
		assert_int_equal(rec.kind, want[i].kind);
		assert_int_equal(rec.thread, want[i].thread);
		assert_int_equal(rec.file, want[i].file);
		assert_int_equal(rec.time_ns, want[i].time_ns);
		assert_int_equal(rec.off, want[i].off);
		assert_int_equal(rec.len, want[i].len);
		if (rec.kind == TRACE_HINT) {
			assert_int_equal(rec.hint, want[i].hint);
			assert_int_equal(rec.advice, want[i].advice);
			assert_int_equal(rec.map_flags, want[i].map_flags);
		}
		i++;
	}
	if (got)
		fail_msg("%s", msg);
	assert_int_equal(i, n);
	trace_close(r);
}

static const struct want ours_want[] = {
	{ TRACE_HINT, 0, 0, 10000, 0, 0, TRACE_HINT_DIRECT, 0, 0 },
	{ TRACE_HINT, 0, 0, 20000, 0, 0, TRACE_HINT_FADVISE, TRACE_ADV_RANDOM, 0 },
	{ TRACE_READ, 0, 0, 100000, 0, 4096, 0, 0, 0 },
	{ TRACE_WRITE, 1, 1, 150000, 8192, 16384, 0, 0, 0 },
	{ TRACE_HINT, 1, 0, 200000, 0, 1048576, TRACE_HINT_MMAP, 0,
	  TRACE_MAP_SHARED | TRACE_MAP_POPULATE },
	{ TRACE_HINT, 1, 0, 210000, 4096, 8192, TRACE_HINT_MADVISE, TRACE_ADV_WILLNEED, 0 },
	{ TRACE_HINT, 0, 1, 300000, 0, 65536, TRACE_HINT_READAHEAD, 0, 0 },
	{ TRACE_READ, 0, 0, 1500000000, 1044480, 4096, 0, 0, 0 },
};

static void test_ours(void **state)
{
	struct trace_reader *r;
	char path[4096], msg[512];

	(void)state;
	data_path("ours.trace", path, sizeof(path));
	check_records(path, ours_want, sizeof(ours_want) / sizeof(ours_want[0]));
	assert_int_equal(trace_open(&r, path, msg, sizeof(msg)), 0);
	assert_int_equal(trace_format_of(r), TRACE_FORMAT_MMBENCH);
	assert_int_equal(trace_nfiles(r), 2);
	assert_string_equal(trace_file_at(r, 0)->path, "/var/tmp/db/a.sst");
	assert_true(trace_file_at(r, 0)->size_known && trace_file_at(r, 0)->fingerprint_known);
	assert_int_equal(trace_file_at(r, 0)->size, 1048576);
	assert_int_equal(trace_file_at(r, 0)->fingerprint, 0x0123456789abcdefULL);
	/* escapes decoded, unknown size and fingerprint */
	assert_string_equal(trace_file_at(r, 1)->path, "/var/tmp/db/with space\ttab");
	assert_false(trace_file_at(r, 1)->size_known || trace_file_at(r, 1)->fingerprint_known);
	assert_null(trace_file_at(r, 2));
	trace_close(r);
}

static void test_fio2(void **state)
{
	/* wait adds microseconds to the clock; sync and trim move no bytes */
	static const struct want want[] = {
		{ TRACE_READ, 0, 0, 0, 0, 4096, 0, 0, 0 },
		{ TRACE_WRITE, 0, 1, 250000, 4096, 8192, 0, 0, 0 },
		{ TRACE_READ, 0, 0, 250000, 12288, 4096, 0, 0, 0 },
	};
	struct trace_reader *r;
	char path[4096], msg[512];

	(void)state;
	data_path("fio2.log", path, sizeof(path));
	check_records(path, want, sizeof(want) / sizeof(want[0]));
	assert_int_equal(trace_open(&r, path, msg, sizeof(msg)), 0);
	assert_int_equal(trace_format_of(r), TRACE_FORMAT_FIO2);
	assert_int_equal(trace_nfiles(r), 2);
	assert_string_equal(trace_file_at(r, 1)->path, "/var/tmp/fio/f2");
	assert_false(trace_file_at(r, 1)->size_known);
	trace_close(r);
}

static void test_fio3(void **state)
{
	/* as fio 3.33 --write_iolog wrote it: timestamps in microseconds */
	static const struct want want[] = {
		{ TRACE_READ, 0, 0, 224000, 0, 4096, 0, 0, 0 },
		{ TRACE_READ, 0, 0, 4548000, 45056, 4096, 0, 0, 0 },
		{ TRACE_READ, 0, 0, 4653000, 53248, 4096, 0, 0, 0 },
		{ TRACE_WRITE, 0, 0, 4723000, 28672, 4096, 0, 0, 0 },
		{ TRACE_READ, 0, 0, 4742000, 24576, 4096, 0, 0, 0 },
		{ TRACE_READ, 0, 0, 4814000, 57344, 4096, 0, 0, 0 },
	};
	char path[4096];

	(void)state;
	data_path("fio3.log", path, sizeof(path));
	check_records(path, want, sizeof(want) / sizeof(want[0]));
}

static void test_plan(void **state)
{
	/* mmbench plan --workload randread,inplace --size 64K --block 16K
	 * --ops 2 --threads 2: an update is a read, then a write */
	static const struct want want[] = {
		{ TRACE_READ, 0, 0, 0, 49152, 16384, 0, 0, 0 },
		{ TRACE_READ, 1, 0, 0, 32768, 16384, 0, 0, 0 },
		{ TRACE_READ, 0, 0, 0, 16384, 16384, 0, 0, 0 },
		{ TRACE_WRITE, 0, 0, 0, 16384, 16384, 0, 0, 0 },
		{ TRACE_READ, 1, 0, 0, 49152, 16384, 0, 0, 0 },
		{ TRACE_WRITE, 1, 0, 0, 49152, 16384, 0, 0, 0 },
	};
	struct trace_reader *r;
	char path[4096], msg[512];

	(void)state;
	data_path("plan.jsonl", path, sizeof(path));
	check_records(path, want, sizeof(want) / sizeof(want[0]));
	assert_int_equal(trace_open(&r, path, msg, sizeof(msg)), 0);
	assert_int_equal(trace_format_of(r), TRACE_FORMAT_PLAN);
	assert_int_equal(trace_nfiles(r), 1);
	assert_string_equal(trace_file_at(r, 0)->path, "");
	assert_true(trace_file_at(r, 0)->size_known);
	assert_int_equal(trace_file_at(r, 0)->size, 65536);
	trace_close(r);
}

/* Write text to a temporary file; its path into path (room for 64). */
static void write_temp(char *path, const char *text)
{
	int fd;

	strcpy(path, "/tmp/mmbench-test-trace-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void test_writer_round_trip(void **state)
{
	static const struct trace_file files[] = {
		{ (char *)"/data/x", 12345, 0xfeedfacecafebeefULL, true, true },
		{ (char *)" odd\\name\n ", 0, 0, false, false },
	};
	char path[64], *text = NULL, msg[512];
	size_t textlen = 0;
	FILE *f = open_memstream(&text, &textlen);
	struct trace_reader *r;
	size_t n = sizeof(ours_want) / sizeof(ours_want[0]);

	(void)state;
	assert_non_null(f);
	trace_write_magic(f);
	for (unsigned i = 0; i < 2; i++)
		trace_write_file(f, i, &files[i]);
	trace_write_thread(f, 0, 99);
	for (size_t i = 0; i < n; i++) {
		struct trace_rec rec = { .kind = ours_want[i].kind, .thread = ours_want[i].thread,
					 .time_ns = ours_want[i].time_ns, .file = ours_want[i].file,
					 .off = ours_want[i].off, .len = ours_want[i].len,
					 .hint = ours_want[i].hint, .advice = ours_want[i].advice,
					 .map_flags = ours_want[i].map_flags };

		trace_write_rec(f, &rec);
	}
	fclose(f);
	write_temp(path, text);
	free(text);
	check_records(path, ours_want, n);
	assert_int_equal(trace_open(&r, path, msg, sizeof(msg)), 0);
	assert_string_equal(trace_file_at(r, 0)->path, "/data/x");
	assert_int_equal(trace_file_at(r, 0)->fingerprint, 0xfeedfacecafebeefULL);
	assert_string_equal(trace_file_at(r, 1)->path, " odd\\name\n ");
	trace_close(r);
	unlink(path);
}

/* Each malformed trace fails, at open or at a record, with a message that
 * names the file and the line and says what is wrong. */
static const struct {
	const char *text, *line, *says;
} malformed_cases[] = {
	{ "", ":0:", "empty" },
	{ "hello\n", ":1:", "not a trace" },
	{ TRACE_MAGIC "\n", ":1:", "no file in the header" },
	{ TRACE_MAGIC "\nfile 0 10 - /a\n0 0.1 0 0 4096 read", ":3:", "cut short" },
	{ TRACE_MAGIC "\nfile 1 10 - /a\n", ":2:", "file 1 where 0 comes next" },
	{ TRACE_MAGIC "\nfile 0 10 xyz /a\n", ":2:", "invalid fingerprint 'xyz'" },
	{ TRACE_MAGIC "\nfile 0 ten - /a\n", ":2:", "invalid size 'ten'" },
	{ TRACE_MAGIC "\nfile 0 10 -\n", ":2:", "file INDEX SIZE FINGERPRINT PATH" },
	{ TRACE_MAGIC "\nfile 0 10 - /a\n0 0.1 0 0 4096 read\nfile 1 10 - /b\n", ":4:",
	  "a file line after the first record" },
	{ TRACE_MAGIC "\nfile 0 10 - /a\n0 0.1 1 0 4096 read\n", ":3:",
	  "file 1 is not in the header (1 files)" },
	{ TRACE_MAGIC "\nfile 0 10 - /a\n0 0.1 0 0 4096 scan\n", ":3:", "invalid kind 'scan'" },
	{ TRACE_MAGIC "\nfile 0 10 - /a\n0 0.1 0 -5 4096 read\n", ":3:", "invalid offset '-5'" },
	{ TRACE_MAGIC "\nfile 0 10 - /a\n0 x 0 0 4096 read\n", ":3:", "invalid time 'x'" },
	{ TRACE_MAGIC "\nfile 0 10 - /a\n0 0.1 0 0 4096\n", ":3:", "(5 fields)" },
	{ TRACE_MAGIC "\nfile 0 10 - /a\n0 0.1 0 0 4096 read extra\n", ":3:", "(7 fields)" },
	{ TRACE_MAGIC "\nfile 0 10 - /a\n0 0.1 0 18446744073709551615 2 read\n", ":3:",
	  "beyond 2^64" },
	{ TRACE_MAGIC "\nfile 0 10 - /a\nhint 0 0.1 0 fadvise 0 0 fast\n", ":3:",
	  "unknown advice 'fast'" },
	{ TRACE_MAGIC "\nfile 0 10 - /a\nhint 0 0.1 0 prefetch\n", ":3:", "unknown hint" },
	{ TRACE_MAGIC "\nfile 0 10 - /a\nhint 0 0.1 0 readahead 0\n", ":3:",
	  "hint readahead takes 2 values, not 1" },
	{ TRACE_MAGIC "\nfile 0 10 - /a\nhint 0 0.1 0 mmap 0 10 shared,huge\n", ":3:",
	  "unknown mmap flag 'huge'" },
	{ TRACE_MAGIC "\nfile 0 10 - /a\n70000 0.1 0 0 1 read\n", ":3:", "beyond 65535" },
	{ "fio version 2 iolog\n/a add\n/b read 0 4096\n", ":3:", "'/b' was not added" },
	{ "fio version 2 iolog\n/a add\n/a read 0 4096\n/b add\n", ":4:",
	  "added after the first I/O" },
	{ "fio version 2 iolog\n/a add\n/a read 0\n", ":3:", "FILE ACTION [OFFSET LENGTH]" },
	{ "fio version 2 iolog\n/a add\n/a punch 0 1\n", ":3:", "invalid action 'punch'" },
	{ "fio version 3 iolog\n1 /a add\n2 /a wait 10 0\n", ":3:", "'wait' is not in version 3" },
	{ "fio version 3 iolog\nsoon /a add\n", ":2:", "invalid timestamp 'soon'" },
	{ "{\"type\":\"step\"}\n", ":1:", "not a plan header" },
	{ "{\"type\":\"plan\",\"file\":\"\",\"file_size\":64}\n{\"type\":\"op\",\"worker\":0,"
	  "\"off\":0,\"len\":1}\n", ":2:", "an op before the first step" },
	{ "{\"type\":\"plan\",\"file\":\"\",\"file_size\":64}\n{\"type\":\"step\",\"op\":\"read\"}\n"
	  "{\"type\":\"op\",\"worker\":0,\"len\":1}\n", ":3:", "no number \"off\"" },
	{ "{\"type\":\"plan\",\"file\":\"\",\"file_size\":64}\n{\"type\":\"step\",\"op\":\"write\"}\n",
	  ":2:", "invalid op 'write'" },
};

static void test_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(malformed_cases) / sizeof(malformed_cases[0]); i++) {
		struct trace_reader *r;
		struct trace_rec rec;
		char path[64], msg[512] = "", where[80];
		int err;

		write_temp(path, malformed_cases[i].text);
		err = trace_open(&r, path, msg, sizeof(msg));
		if (!err) {
			while ((err = trace_next(r, &rec, msg, sizeof(msg))) == 1)
				;
			trace_close(r);
		}
		unlink(path);
		if (err != -ETRACE_MALFORMED || !strstr(msg, malformed_cases[i].says))
			fail_msg("case %zu: err %d, message '%s', wanted '%s'", i, err, msg,
				 malformed_cases[i].says);
		snprintf(where, sizeof(where), "%s%s", path, malformed_cases[i].line);
		if (strncmp(msg, where, strlen(where)))
			fail_msg("case %zu: message '%s' does not start with '%s'", i, msg, where);
	}
}

static void test_missing_and_not_regular(void **state)
{
	struct trace_reader *r;
	char msg[512];

	(void)state;
	assert_int_equal(trace_open(&r, "/nonexistent/t", msg, sizeof(msg)), -ENOENT);
	assert_non_null(strstr(msg, "cannot open '/nonexistent/t'"));
	assert_true(trace_open(&r, "/tmp", msg, sizeof(msg)) < 0);
	assert_non_null(strstr(msg, "a directory"));
}

static void test_escapes(void **state)
{
	static const struct {
		const char *in, *out;
		int json;
	} cases[] = {
		{ "plain", "plain", 0 },
		{ "a\\tb\\n\\\\\\\"", "a\tb\n\\\"", 0 },
		{ "\\x41\\x4a", "AJ", 0 },
		{ "\\101\\60", "A0", 0 },
		{ "\\u0041\\/\\\"", "A/\"", 1 },
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long n = cases[i].json ? escape_decode_json(cases[i].in, strlen(cases[i].in), out,
							    sizeof(out))
				       : escape_decode(cases[i].in, strlen(cases[i].in), out,
						       sizeof(out));

		assert_int_equal(n, (long)strlen(cases[i].out));
		assert_string_equal(out, cases[i].out);
	}
	/* an escaped NUL, a bad escape, a dangling backslash, no room */
	assert_int_equal(escape_decode("a\\0", 3, out, sizeof(out)), -1);
	assert_int_equal(escape_decode("\\q", 2, out, sizeof(out)), -1);
	assert_int_equal(escape_decode("a\\", 2, out, sizeof(out)), -1);
	assert_int_equal(escape_decode("abcd", 4, out, 4), -1);
	assert_int_equal(escape_decode_json("\\u1234", 6, out, sizeof(out)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ours),
		cmocka_unit_test(test_fio2),
		cmocka_unit_test(test_fio3),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_writer_round_trip),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_missing_and_not_regular),
		cmocka_unit_test(test_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
