/* Unit tests for strace.c: golden strace outputs in tests/data/trace, every
 * traced system call, descriptors through dup and reuse, threads sharing a
 * table and a fork copying it, unfinished and resumed calls, hints, the
 * files left out; and malformed lines named by file and line. */
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

#include "trace/strace.h"
#include "trace/trace.h"

static void data_path(const char *name, char *out, size_t cap)
{
	const char *slash = strrchr(__FILE__, '/');
	int dir = slash ? (int)(slash - __FILE__) : 0;

	snprintf(out, cap, "%.*s/../data/trace/%s", dir, __FILE__, name);
}

#define MAX_RECS 64

struct got {
	struct trace_rec rec[MAX_RECS];
	size_t n;
	char mapped[256];
	uint64_t mapped_len;
	unsigned nmapped;
};

static void on_rec(const struct trace_rec *rec, void *ctx)
{
	struct got *g = ctx;

	assert_true(g->n < MAX_RECS);
	g->rec[g->n++] = *rec;
}

static void on_mapped(const char *path, uint64_t len, void *ctx)
{
	struct got *g = ctx;

	snprintf(g->mapped, sizeof(g->mapped), "%s", path);
	g->mapped_len = len;
	g->nmapped++;
}

/* /w/log has 1000 bytes after the run: its appends started at 990 */
static int64_t size_now(const char *path, void *ctx)
{
	(void)ctx;
	return strcmp(path, "/w/log") ? -1 : 1000;
}

static const struct strace_events events = { on_rec, on_mapped };

/* Parse tests/data/trace/name into g and res; a failure fails the test. */
static void parse(const char *name, const struct strace_options *o, struct got *g,
		  struct strace_result *res)
{
	char path[4096], msg[512] = "";
	FILE *f;
	int err;

	data_path(name, path, sizeof(path));
	f = fopen(path, "r");
	assert_non_null(f);
	memset(g, 0, sizeof(*g));
	err = strace_parse(f, name, o, &events, g, res, msg, sizeof(msg));
	fclose(f);
	if (err)
		fail_msg("%s", msg);
}

struct want {
	enum trace_kind kind;
	unsigned thread, file;
	uint64_t time_us, off, len;
	enum trace_hint hint;
	enum trace_advice advice;
	unsigned map_flags;
};

static void check(const struct got *g, const struct want *w, size_t n)
{
	for (size_t i = 0; i < n && i < g->n; i++) {
		const struct trace_rec *r = &g->rec[i];

		if (r->kind != w[i].kind || r->thread != w[i].thread || r->file != w[i].file ||
		    r->time_ns != w[i].time_us * 1000 || r->off != w[i].off || r->len != w[i].len ||
		    (r->kind == TRACE_HINT &&
		     (r->hint != w[i].hint || r->advice != w[i].advice ||
		      r->map_flags != w[i].map_flags)))
			fail_msg("record %zu: kind %d thread %u file %u time %llu off %llu len %llu "
				 "hint %d advice %d flags %u", i, r->kind, r->thread, r->file,
				 (unsigned long long)r->time_ns, (unsigned long long)r->off,
				 (unsigned long long)r->len, r->hint, r->advice, r->map_flags);
	}
	assert_int_equal(g->n, n);
}

static void test_every_syscall(void **state)
{
	static const struct want want[] = {
		/* /w/data: read, lseek, a read at the end (no record), dup
		 * sharing the position, pread64, readv, preadv, preadv2 at
		 * the position, dup2/dup3/F_DUPFD_CLOEXEC */
		{ TRACE_READ, 0, 0, 1100, 0, 4096, 0, 0, 0 },
		{ TRACE_READ, 0, 0, 1300, 8192, 100, 0, 0, 0 },
		{ TRACE_READ, 0, 0, 1700, 0, 10, 0, 0, 0 },
		{ TRACE_READ, 0, 0, 1800, 65536, 512, 0, 0, 0 },
		{ TRACE_READ, 0, 0, 1900, 10, 5, 0, 0, 0 },
		{ TRACE_READ, 0, 0, 2000, 300, 2, 0, 0, 0 },
		{ TRACE_READ, 0, 0, 2100, 15, 3, 0, 0, 0 },
		{ TRACE_READ, 0, 0, 2500, 18, 1, 0, 0, 0 },
		/* hints: fadvise64, readahead, mmap, madvise inside it */
		{ TRACE_HINT, 0, 0, 2600, 0, 0, TRACE_HINT_FADVISE, TRACE_ADV_RANDOM, 0 },
		{ TRACE_HINT, 0, 0, 2700, 4096, 65536, TRACE_HINT_READAHEAD, 0, 0 },
		{ TRACE_HINT, 0, 0, 2800, 4096, 8192, TRACE_HINT_MMAP, 0,
		  TRACE_MAP_SHARED | TRACE_MAP_POPULATE },
		{ TRACE_HINT, 0, 0, 2900, 8192, 4096, TRACE_HINT_MADVISE, TRACE_ADV_WILLNEED, 0 },
		/* /w/log O_APPEND: at its end (1000 now, less 10 appended) */
		{ TRACE_WRITE, 0, 1, 3300, 990, 5, 0, 0, 0 },
		{ TRACE_WRITE, 0, 1, 3400, 995, 3, 0, 0, 0 },
		{ TRACE_WRITE, 0, 1, 3500, 998, 2, 0, 0, 0 },
		/* /w/out: open O_TRUNC|O_DIRECT, pwrite64, write at the
		 * position, pwritev, pwritev2 at the position */
		{ TRACE_HINT, 0, 2, 3700, 0, 0, TRACE_HINT_DIRECT, 0, 0 },
		{ TRACE_WRITE, 0, 2, 3800, 4096, 4096, 0, 0, 0 },
		{ TRACE_WRITE, 0, 2, 3900, 0, 4096, 0, 0, 0 },
		{ TRACE_WRITE, 0, 2, 4000, 8192, 512, 0, 0, 0 },
		{ TRACE_WRITE, 0, 2, 4100, 4096, 512, 0, 0, 0 },
		/* creat; an inherited fd 0 on a file (cmd < file) */
		{ TRACE_WRITE, 0, 3, 4300, 0, 1, 0, 0, 0 },
		{ TRACE_READ, 0, 4, 4400, 0, 100, 0, 0, 0 },
		{ TRACE_READ, 0, 4, 4500, 100, 50, 0, 0, 0 },
	};
	const struct strace_options o = { .size_now = size_now };
	struct strace_result res;
	struct got g;

	(void)state;
	parse("strace-syscalls.txt", &o, &g, &res);
	check(&g, want, sizeof(want) / sizeof(want[0]));
	/* the C library (system folder) and a library mapped executable
	 * elsewhere are left out, and so is the pipe */
	assert_int_equal(res.npaths, 5);
	assert_string_equal(res.paths[0], "/w/data");
	assert_string_equal(res.paths[1], "/w/log");
	assert_string_equal(res.paths[2], "/w/out");
	assert_string_equal(res.paths[3], "/w/new");
	assert_string_equal(res.paths[4], "/w/stdin-file");
	assert_int_equal(res.nthreads, 1);
	assert_int_equal(res.tids[0], 100);
	assert_int_equal(res.reads, 10);
	assert_int_equal(res.read_bytes, 4096 + 100 + 10 + 512 + 5 + 2 + 3 + 1 + 150);
	assert_int_equal(res.writes, 8);
	assert_int_equal(res.write_bytes, 5 + 3 + 2 + 4096 * 2 + 512 * 2 + 1);
	assert_int_equal(res.hints, 5);
	/* the mapping is told once, with its size */
	assert_int_equal(g.nmapped, 1);
	assert_string_equal(g.mapped, "/w/data");
	assert_int_equal(g.mapped_len, 8192);
	strace_result_free(&res);
}

/* copy_file_range and sendfile, as cp and cat copy: a read of the input
 * and a write of the output, each at its offset or its position. */
static void test_copies(void **state)
{
	static const struct want want[] = {
		{ TRACE_READ, 0, 0, 200, 0, 3000, 0, 0, 0 },
		{ TRACE_WRITE, 0, 1, 200, 0, 3000, 0, 0, 0 },
		{ TRACE_READ, 0, 0, 400, 100, 50, 0, 0, 0 },
		{ TRACE_WRITE, 0, 1, 400, 4096, 50, 0, 0, 0 },
		/* sendfile: the input at its position (3000), the output at its own */
		{ TRACE_READ, 0, 0, 500, 3000, 200, 0, 0, 0 },
		{ TRACE_WRITE, 0, 1, 500, 3000, 200, 0, 0, 0 },
		/* into a pipe: the read alone, at its offset */
		{ TRACE_READ, 0, 0, 600, 7, 10, 0, 0, 0 },
	};
	const struct strace_options o = { 0 };
	struct strace_result res;
	struct got g;

	(void)state;
	parse("strace-copy.txt", &o, &g, &res);
	check(&g, want, sizeof(want) / sizeof(want[0]));
	strace_result_free(&res);
}

static void test_only(void **state)
{
	static const char *const only[] = { "*/std*" };
	const struct strace_options o = { .only = only, .nonly = 1 };
	struct strace_result res;
	struct got g;

	(void)state;
	parse("strace-syscalls.txt", &o, &g, &res);
	assert_int_equal(res.npaths, 1);
	assert_string_equal(res.paths[0], "/w/stdin-file");
	assert_int_equal(g.n, 2);
	/* with no size known, appends count from 0: checked on /w/log */
	strace_result_free(&res);
}

static void test_threads_fork_resumed(void **state)
{
	static const struct want want[] = {
		/* the thread's pread64, split around the clone's return: its
		 * start time, and the thread numbered first */
		{ TRACE_READ, 0, 0, 200, 8192, 4096, 0, 0, 0 },
		{ TRACE_READ, 1, 0, 400, 0, 100, 0, 0, 0 },
		/* the thread shares the table, so the position */
		{ TRACE_READ, 0, 0, 500, 100, 100, 0, 0, 0 },
		/* fd 3 reused for /w/u, seen by the thread */
		{ TRACE_READ, 0, 1, 800, 0, 10, 0, 0, 0 },
		/* the fork copies the table: the same description, so the
		 * position moves for both */
		{ TRACE_READ, 2, 1, 1000, 10, 10, 0, 0, 0 },
		/* the child's own fd 3, a new description of /w/t */
		{ TRACE_READ, 2, 0, 1300, 0, 7, 0, 0, 0 },
		/* the parent's fd 3 is still /w/u */
		{ TRACE_READ, 1, 1, 1400, 20, 10, 0, 0, 0 },
	};
	struct strace_result res;
	struct got g;

	(void)state;
	parse("strace-threads.txt", NULL, &g, &res);
	check(&g, want, sizeof(want) / sizeof(want[0]));
	assert_int_equal(res.nthreads, 3);
	assert_int_equal(res.tids[0], 201);
	assert_int_equal(res.tids[1], 200);
	assert_int_equal(res.tids[2], 300);
	strace_result_free(&res);
}

static void test_no_pid_and_escaped_path(void **state)
{
	static const struct want want[] = {
		{ TRACE_READ, 0, 0, 0, 0, 5, 0, 0, 0 },
		{ TRACE_READ, 0, 0, 100, 5, 5, 0, 0, 0 },
	};
	struct strace_result res;
	struct got g;

	(void)state;
	parse("strace-nopid.txt", NULL, &g, &res);
	check(&g, want, sizeof(want) / sizeof(want[0]));
	assert_int_equal(res.npaths, 1);
	assert_string_equal(res.paths[0], "/w/a>b, c)d\ne");
	strace_result_free(&res);
}

static const struct {
	const char *text, *says;
} malformed_cases[] = {
	{ "garbage\n", "t.txt:1: not a line of strace -ttt" },
	{ "100 1.0 read(0</w/x>, \"a\", 5) = 5\nx12 1.0 read()\n", "t.txt:2: not a thread id" },
	{ "100 soon read(0</w/x>, \"a\", 5) = 5\n", "t.txt:1: not a time" },
	{ "100 1.0 read(0</w/x>, \"a\", 5\n", "t.txt:1: a call that does not close" },
	{ "100 1.0 read(0</w/x>, \"a, 5) = 5\n", "t.txt:1: a call that does not close" },
	{ "100 1.0 pread64(0</w/x>, \"a\", 5) = 5\n", "t.txt:1: pread64 without an offset" },
	{ "100 1.0 <... read resumed \"a\", 5) = 5\n", "t.txt:1: a resumed call without" },
	{ "100 1.0 nothing here\n", "t.txt:1: not a system call" },
};

static void test_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(malformed_cases) / sizeof(malformed_cases[0]); i++) {
		FILE *f = fmemopen((void *)malformed_cases[i].text, strlen(malformed_cases[i].text),
				   "r");
		struct strace_result res;
		struct got g = { 0 };
		char msg[512] = "";
		int err;

		assert_non_null(f);
		err = strace_parse(f, "t.txt", NULL, &events, &g, &res, msg, sizeof(msg));
		fclose(f);
		if (err != -ETRACE_MALFORMED || strncmp(msg, malformed_cases[i].says,
							strlen(malformed_cases[i].says)))
			fail_msg("case %zu: err %d, '%s', wanted '%s'", i, err, msg,
				 malformed_cases[i].says);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_syscall),
		cmocka_unit_test(test_copies),
		cmocka_unit_test(test_only),
		cmocka_unit_test(test_threads_fork_resumed),
		cmocka_unit_test(test_no_pid_and_escaped_path),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
