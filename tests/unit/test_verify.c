/* Unit tests for verification and the engine: a backend that loses writes,
 * or reads the wrong block, must be caught; the real backends must pass,
 * with one worker and with several; merged histograms keep every sample. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/backends.h"
#include "cli/options.h"
#include "core/backend.h"
#include "core/config.h"
#include "core/engine.h"
#include "core/workload.h"
#include "workloads/workloads.h"
#include "sys/counters.h"
#include "sys/datafile.h"
#include "content/pattern.h"
#include "util/hist.h"

static struct datafile df;
static struct hist lat;

static int setup_file(void **state)
{
	(void)state;
	return datafile_create(&df, "/var/tmp", 256 << 10, 3, true);
}

static int remove_file(void **state)
{
	(void)state;
	datafile_close(&df);
	return 0;
}

/* Run one repetition of w on b with threads workers and qd requests in
 * flight each; report whether checksum and read-back verified. */
static bool verifies_with(const struct workload *w, const struct backend *b, unsigned threads,
			  unsigned qd)
{
	struct config cfg;
	struct op_plan p = { 0 };
	struct backend_ctx ctx = { .df = &df, .block = 4096, .stdio_buffer = 8192, .qd = qd,
				   .cfg = &cfg, .writable = w->flags & WORKLOAD_WRITES };
	struct engine *e;
	struct engine_out out;
	bool ok = true;

	options_defaults(&cfg);
	cfg.block = 4096;
	cfg.ops = 64;
	cfg.threads = threads;
	cfg.qd = qd;
	assert_int_equal(w->plan(&p, &cfg, &df, 1, 0), 0);
	if (b->setup)
		assert_int_equal(b->setup(&ctx), 0);
	assert_int_equal(engine_start(&e, &cfg, b, &ctx, &p), 0);
	assert_int_equal(engine_run(e, &lat, &out), 0);
	engine_stop(e);
	if (w->verify)
		assert_int_equal(w->verify(&p, b, &ctx, false, &ok), 0);
	if (b->teardown)
		b->teardown(&ctx);
	if (w->restore) {
		size_t nfailed = 1;

		assert_int_equal(w->restore(&p, &df, NULL, &nfailed), 0);
		assert_int_equal(nfailed, 0);
	}
	ok = ok && out.checksum == p.expected_sum;
	op_plan_free(&p);
	return ok;
}

static bool verifies(const struct workload *w, const struct backend *b)
{
	return verifies_with(w, b, 1, 1);
}

/* A backend whose writes never land. */
static int lost_queue(struct backend_thread *bt, struct io_req *r)
{
	if (r->write)
		return 0;
	return backend_read.queue(bt, r);
}

/* One block further, wrapping: plausible data, wrong place. */
static int shifted_queue(struct backend_thread *bt, struct io_req *r)
{
	struct io_req moved = *r;
	int err;

	moved.off = (r->off + 4096) % bt->ctx->df->size;
	err = backend_read.queue(bt, &moved);
	r->data = moved.data;
	return err;
}

static void test_real_backends_verify(void **state)
{
	(void)state;
	for (const struct backend *const *b = backends; *b; b++) {
		if ((*b)->unavailable && (*b)->unavailable())
			continue; /* uring without liburing: listed as unavailable */
		for (const struct workload *const *w = workloads; *w; w++) {
			unsigned qd = (*b)->flags & BACKEND_ASYNC ? 8 : 1;

			if ((*w)->flags & WORKLOAD_TRACE)
				continue; /* test_replay_verifies: a trace's files */
			if (!verifies(*w, *b))
				fail_msg("%s %s did not verify", (*b)->name, (*w)->name);
			if (!verifies_with(*w, *b, 3, qd))
				fail_msg("%s %s with 3 threads, qd %u did not verify", (*b)->name,
					 (*w)->name, qd);
		}
	}
}

/* Minor faults of one mmap seqread pass of the file with n workers. */
static uint64_t faults_with(unsigned threads)
{
	struct config cfg;
	struct op_plan p = { 0 };
	struct backend_ctx ctx = { .df = &df, .block = 4096, .qd = 1, .cfg = &cfg };
	struct counters c0, c1, d;
	struct engine *e;
	struct engine_out out;

	options_defaults(&cfg);
	cfg.block = 4096;
	cfg.threads = threads;
	cfg.latency_every = 0;
	assert_int_equal(workload_seqread.plan(&p, &cfg, &df, 1, 0), 0);
	assert_int_equal(engine_start(&e, &cfg, &backend_mmap, &ctx, &p), 0);
	counters_begin(&c0);
	assert_int_equal(engine_run(e, &lat, &out), 0);
	counters_end(&c1);
	engine_stop(e);
	assert_int_equal(out.checksum, p.expected_sum);
	counters_delta(&c0, &c1, &d);
	op_plan_free(&p);
	return d.minor_faults;
}

/* The counters cover the process: every worker's page faults are in them,
 * not the first thread's alone (each worker maps half the file). */
static void test_counters_cover_every_worker(void **state)
{
	uint64_t one = faults_with(1), four = faults_with(4);

	(void)state;
	assert_true(one > 0);
	/* four workers fault the same pages between them: about as many */
	assert_true(four * 10 >= one * 7);
}

static void test_hist_merge(void **state)
{
	struct hist a, b;

	(void)state;
	hist_reset(&a);
	hist_reset(&b);
	for (uint64_t v = 1; v <= 1000; v++)
		hist_add(v % 2 ? &a : &b, v);
	hist_add(&b, 1000000);
	hist_merge(&a, &b);
	assert_int_equal(a.count, 1001);
	assert_int_equal(a.max, 1000000);
	assert_int_equal(hist_percentile(&a, 100), 1000000);
	/* the median of 1..1000 and one outlier: within a bucket of 500 */
	assert_true(hist_percentile(&a, 50) >= 485 && hist_percentile(&a, 50) <= 515);
}

static void test_lost_writes_are_caught(void **state)
{
	struct backend lossy = backend_read;

	(void)state;
	lossy.queue = lost_queue;
	assert_false(verifies(&workload_inplace, &lossy));
	/* and the file was not left changed by the failed attempt */
	assert_true(verifies(&workload_inplace, &backend_read));
	/* randrw: a lost write shows in the reads after it and the read-back */
	assert_false(verifies(&workload_randrw, &lossy));
	assert_true(verifies(&workload_randrw, &backend_read));
}

static void test_wrong_offsets_are_caught(void **state)
{
	struct backend shifted = backend_read;

	(void)state;
	shifted.queue = shifted_queue;
	for (const struct workload *const *w = workloads; *w; w++)
		if (!((*w)->flags & WORKLOAD_TRACE) && verifies(*w, &shifted))
			fail_msg("%s verified data read from the wrong offset", (*w)->name);
	/* the misplaced writes are not put back: a fresh file for the rest */
	datafile_close(&df);
	assert_int_equal(datafile_create(&df, "/var/tmp", 256 << 10, 3, true), 0);
}

/* A read that meets the end of the file is told apart from an I/O error,
 * and where it ended is noted for the step's message. */
static void test_end_of_file_is_no_io_error(void **state)
{
	unsigned char buf[64];

	(void)state;
	datafile_note_failure(-1);
	assert_int_equal(datafile_pread_all(df.fd, buf, sizeof(buf), df.size - 8), -EDATAFILE_SHORT);
	assert_int_equal(datafile_failed_at(), (int64_t)df.size);
	assert_string_equal(datafile_strerror(-EDATAFILE_SHORT),
			    "the file ended early: it is shorter than expected (did it shrink?)");
	assert_int_equal(datafile_pread_all(-1, buf, 8, 16), -EBADF);
	assert_int_equal(datafile_failed_at(), 16);
}

/* A trace of reads over three pattern files from two threads: lengths
 * that are no multiple of 8 and offsets at any byte among them. */
static void replay_setup(struct datafile files_made[3], char *trace, size_t len, bool writes)
{
	static const uint64_t sizes[3] = { 256 << 10, 100 << 10, 40 << 10 };
	FILE *f;
	int fd;

	for (int i = 0; i < 3; i++)
		assert_int_equal(datafile_create(&files_made[i], "/var/tmp", sizes[i], 11 + i, true), 0);
	snprintf(trace, len, "/var/tmp/mmbench-test-XXXXXX");
	fd = mkstemp(trace);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f, "mmbench-trace 1\n");
	for (int i = 0; i < 3; i++)
		fprintf(f, "file %d - - %s\n", i, files_made[i].path);
	fprintf(f, "thread 0 10\nthread 1 11\n");
	for (unsigned k = 0; k < 600; k++) {
		unsigned file = k * 7 % 3, lens[] = { 4096, 100, 7, 16384 };
		uint64_t n = lens[k % 4], off = (k * 2654435761u) % (sizes[file] - n);
		const char *kind = "read";

		/* thread 0: 4 KiB writes of file 0's first 16 pages, each read
		 * back in part later; the others' reads stay clear of them */
		if (writes && k % 2 == 0 && k % 6 == 0) {
			file = 0, n = 4096, off = (k / 6 % 16) * 4096, kind = "write";
		} else if (writes && k % 2 == 0 && k % 6 == 2 && k > 6) {
			file = 0, n = 100, off = ((k - 2) / 6 % 16) * 4096 + 8;
		} else if (writes && file == 0) {
			off = 65536 + off % (sizes[0] - 65536 - n);
		}
		fprintf(f, "%u 0.%06u %u %llu %llu %s\n", k % 2, k, file, (unsigned long long)off,
			(unsigned long long)n, kind);
	}
	fclose(f);
}

/* Every file's reads through file 0 instead: the same offsets, the wrong
 * bytes. */
static int wrong_file_queue(struct backend_thread *t, struct io_req *r)
{
	return backend_read.queue(t->first ? t->first : t, r);
}

/* One replay of the trace on b: whether its checksum is the reference's,
 * and with remap (pattern copies, writes) whether its writes read back. */
static bool replay_verifies_on(const struct backend *b, const char *trace, const char *remap)
{
	struct config cfg;
	struct op_plan p = { 0 };
	struct datafile *files;
	struct workload_hints *hints;
	struct backend_ctx ctx[3];
	unsigned n;
	struct engine *e;
	struct engine_out out;
	char msg[512];

	bool ok = true;

	options_defaults(&cfg);
	cfg.trace = trace;
	if (remap)
		cfg.trace_files = remap;
	cfg.qd = b->flags & BACKEND_ASYNC ? 4 : 1;
	if (workload_replay.open_files(&cfg, &files, &n, &hints, msg, sizeof(msg)))
		fail_msg("%s", msg);
	assert_int_equal(n, 3);
	assert_int_equal(workload_replay.plan(&p, &cfg, files, n, 0), 0);
	assert_int_equal(p.threads, 2);
	assert_int_equal(p.ops, 600);
	for (unsigned i = 0; i < n; i++) {
		ctx[i] = (struct backend_ctx){ .df = &files[i], .block = p.block, .stdio_buffer = 8192,
					       .qd = (unsigned)cfg.qd, .cfg = &cfg,
					       .writable = p.op != OP_READ };
		if (b->setup)
			assert_int_equal(b->setup(&ctx[i]), 0);
	}
	assert_int_equal(engine_start(&e, &cfg, b, ctx, &p), 0);
	assert_int_equal(engine_run(e, &lat, &out), 0);
	if (p.nextents)
		assert_int_equal(workload_replay.verify(&p, b, ctx, false, &ok), 0);
	engine_stop(e);
	for (unsigned i = 0; i < n; i++)
		if (b->teardown)
			b->teardown(&ctx[i]);
	if (p.nextents) {
		size_t nfailed;

		assert_int_equal(workload_replay.restore(&p, files, NULL, &nfailed), 0);
	}
	workload_replay.close_files(files, n);
	free(hints);
	ok = ok && out.checksum == p.expected_sum;
	op_plan_free(&p);
	return ok;
}

static bool replay_verifies(const struct backend *b, const char *trace)
{
	return replay_verifies_on(b, trace, NULL);
}

static void test_replay_verifies(void **state)
{
	struct datafile made[3];
	struct backend wrong = backend_read;
	char trace[64];

	(void)state;
	replay_setup(made, trace, sizeof(trace), false);
	for (const struct backend *const *b = backends; *b; b++) {
		if (((*b)->unavailable && (*b)->unavailable()) || ((*b)->flags & BACKEND_WORKER))
			continue;
		if (!replay_verifies(*b, trace))
			fail_msg("%s did not verify a replay over 3 files from 2 threads", (*b)->name);
	}
	wrong.queue = wrong_file_queue;
	if (replay_verifies(&wrong, trace))
		fail_msg("a replay verified reads from the wrong file");
	unlink(trace);
	for (int i = 0; i < 3; i++)
		datafile_close(&made[i]);
	/* writes too, on pattern copies: thread 0 writes ranges of file 0 and
	 * reads inside them after; lost writes are caught */
	replay_setup(made, trace, sizeof(trace), true);
	for (const struct backend *const *b = backends; *b; b++) {
		if (((*b)->unavailable && (*b)->unavailable()) || ((*b)->flags & BACKEND_WORKER))
			continue;
		if (!replay_verifies_on(*b, trace, "remap=/var/tmp"))
			fail_msg("%s did not verify a replay with writes", (*b)->name);
	}
	{
		struct backend lossy = backend_read;

		lossy.queue = lost_queue;
		if (replay_verifies_on(&lossy, trace, "remap=/var/tmp"))
			fail_msg("a replay verified with its writes lost");
	}
	unlink(trace);
	for (int i = 0; i < 3; i++)
		datafile_close(&made[i]);
}

/* --nrfiles: three pattern files of seeds of their own, as the runner
 * makes them, and the view of them end to end that plans are made on. */
static void spread_files(struct datafile files[3], struct datafile *view)
{
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(datafile_create(&files[i], "/var/tmp", 64 << 10,
						 workload_file_seed(3, i), true),
				 0);
	*view = files[0];
	view->fd = -1;
	view->size = 3 * files[0].size;
	view->parts = files;
	view->nparts = 3;
}

/* Whether every file holds its pattern again. */
static bool spread_files_put_back(const struct datafile files[3])
{
	static unsigned char got[64 << 10], want[64 << 10];

	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(datafile_pread_all(files[i].fd, got, sizeof(got), 0), 0);
		pattern_fill(files[i].seed, 0, want, sizeof(want));
		if (memcmp(got, want, sizeof(got)))
			return false;
	}
	return true;
}

/* One repetition of w planned on the view, spread over the files and run
 * on b: whether its checksum and read-back verified. */
static bool spread_verifies(const struct workload *w, const struct backend *b,
			    struct datafile files[3], const struct datafile *view, unsigned threads)
{
	struct config cfg;
	struct op_plan p = { 0 };
	struct backend_ctx ctx[3];
	struct engine *e;
	struct engine_out out;
	bool ok = true;

	options_defaults(&cfg);
	cfg.block = 4096;
	cfg.ops = 64;
	cfg.threads = threads;
	cfg.qd = b->flags & BACKEND_ASYNC ? 4 : 1;
	cfg.hot = view->size; /* reread's hot set over every file, not file 0's first blocks */
	assert_int_equal(w->plan(&p, &cfg, view, 1, 0), 0);
	assert_int_equal(workload_spread(&p, &cfg, files, 3), 0);
	for (unsigned i = 0; i < 3; i++) {
		ctx[i] = (struct backend_ctx){ .df = &files[i], .block = p.block, .stdio_buffer = 8192,
					       .qd = (unsigned)cfg.qd, .cfg = &cfg,
					       .writable = w->flags & WORKLOAD_WRITES };
		if (b->setup)
			assert_int_equal(b->setup(&ctx[i]), 0);
	}
	assert_int_equal(engine_start(&e, &cfg, b, ctx, &p), 0);
	assert_int_equal(engine_run(e, &lat, &out), 0);
	engine_stop(e);
	if (w->verify)
		assert_int_equal(w->verify(&p, b, ctx, false, &ok), 0);
	for (unsigned i = 0; i < 3; i++)
		if (b->teardown)
			b->teardown(&ctx[i]);
	if (w->restore) {
		size_t nfailed = 1;

		assert_int_equal(w->restore(&p, files, NULL, &nfailed), 0);
		assert_int_equal(nfailed, 0);
	}
	ok = ok && out.checksum == p.expected_sum;
	op_plan_free(&p);
	return ok;
}

/* Every synthetic workload, spread over three files, verifies through
 * every backend and leaves the files as they were; one that reads and
 * writes file 0 in place of the others is caught by each. */
static void test_spread_verifies(void **state)
{
	struct datafile files[3], view;
	struct backend wrong = backend_read;

	(void)state;
	spread_files(files, &view);
	for (const struct backend *const *b = backends; *b; b++) {
		if (((*b)->unavailable && (*b)->unavailable()) || ((*b)->flags & BACKEND_WORKER))
			continue;
		for (const struct workload *const *w = workloads; *w; w++) {
			if ((*w)->flags & WORKLOAD_TRACE)
				continue;
			if (!spread_verifies(*w, *b, files, &view, 1) ||
			    !spread_verifies(*w, *b, files, &view, 3))
				fail_msg("%s %s over 3 files did not verify", (*b)->name, (*w)->name);
			if (!spread_files_put_back(files))
				fail_msg("%s %s over 3 files left them changed", (*b)->name, (*w)->name);
		}
	}
	wrong.queue = wrong_file_queue;
	for (const struct workload *const *w = workloads; *w; w++) {
		if ((*w)->flags & WORKLOAD_TRACE)
			continue;
		if (spread_verifies(*w, &wrong, files, &view, 1))
			fail_msg("%s over 3 files verified through file 0 alone", (*w)->name);
		/* the misplaced writes are not put back: fresh files */
		for (unsigned i = 0; i < 3; i++)
			datafile_close(&files[i]);
		spread_files(files, &view);
	}
	for (unsigned i = 0; i < 3; i++)
		datafile_close(&files[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_backends_verify),
		cmocka_unit_test(test_lost_writes_are_caught),
		cmocka_unit_test(test_wrong_offsets_are_caught),
		cmocka_unit_test(test_hist_merge),
		cmocka_unit_test(test_counters_cover_every_worker),
		cmocka_unit_test(test_end_of_file_is_no_io_error),
		cmocka_unit_test(test_replay_verifies),
		cmocka_unit_test(test_spread_verifies),
	};

	return cmocka_run_group_tests(tests, setup_file, remove_file);
}
