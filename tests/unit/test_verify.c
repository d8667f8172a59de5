/* Unit tests for verification: a backend that loses writes, or reads the
 * wrong block, must be caught; the real backends must pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backend.h"
#include "config.h"
#include "datafile.h"
#include "hist.h"
#include "options.h"
#include "workload.h"

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

/* Run one repetition of w on b; report whether checksum and read-back
 * verified. */
static bool verifies(const struct workload *w, const struct backend *b)
{
	struct config cfg;
	struct plan p = { 0 };
	struct backend_ctx ctx = { .df = &df, .block = 4096, .stdio_buffer = 8192,
				   .writable = w->flags & WORKLOAD_WRITES };
	struct exec x = { .b = b, .ctx = &ctx, .plan = &p, .lat = &lat,
			  .every = UINT64_MAX, .countdown = UINT64_MAX };
	bool ok = true;

	options_defaults(&cfg);
	cfg.block = 4096;
	cfg.ops = 64;
	assert_int_equal(w->plan(&p, &cfg, &df, 0), 0);
	assert_int_equal(b->setup(&ctx), 0);
	if (b->begin)
		assert_int_equal(b->begin(&ctx), 0);
	assert_int_equal(w->execute(&x), 0);
	if (b->end)
		assert_int_equal(b->end(&ctx), 0);
	if (w->verify)
		assert_int_equal(w->verify(&p, b, &ctx, false, &ok), 0);
	b->teardown(&ctx);
	if (w->restore)
		assert_int_equal(w->restore(&p, &df), 0);
	ok = ok && x.checksum == p.expected_sum;
	workload_plan_free(&p);
	return ok;
}

static int lost_put(struct backend_ctx *ctx, uint64_t off, size_t len, unsigned char *data)
{
	(void)ctx, (void)off, (void)len, (void)data;
	return 0;
}

static int shifted_get(struct backend_ctx *ctx, uint64_t off, size_t len, unsigned char **data)
{
	/* One block further, wrapping: plausible data, wrong place. */
	return backend_read.get(ctx, (off + 4096) % ctx->df->size, len, data);
}

static void test_real_backends_verify(void **state)
{
	(void)state;
	for (const struct backend *const *b = backends; *b; b++)
		for (const struct workload *const *w = workloads; *w; w++)
			if (!verifies(*w, *b))
				fail_msg("%s %s did not verify", (*b)->name, (*w)->name);
}

static void test_lost_writes_are_caught(void **state)
{
	struct backend lossy = backend_read;

	(void)state;
	lossy.put = lost_put;
	assert_false(verifies(&workload_inplace, &lossy));
	/* and the file was not left changed by the failed attempt */
	assert_true(verifies(&workload_inplace, &backend_read));
}

static void test_wrong_offsets_are_caught(void **state)
{
	struct backend shifted = backend_read;

	(void)state;
	shifted.get = shifted_get;
	for (const struct workload *const *w = workloads; *w; w++)
		if (verifies(*w, &shifted))
			fail_msg("%s verified data read from the wrong offset", (*w)->name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_backends_verify),
		cmocka_unit_test(test_lost_writes_are_caught),
		cmocka_unit_test(test_wrong_offsets_are_caught),
	};

	return cmocka_run_group_tests(tests, setup_file, remove_file);
}
