/* Unit tests for the options table (cli/options.c) and the options the
 * backends declare (core/backend.h): each defined once, in the table once,
 * in the order of the CSV columns, and refused, naming the backends that
 * take them, where a selected backend does not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "backends/backends.h"
#include "cli/options.h"
#include "core/backend.h"
#include "core/config.h"

static size_t test_count_in_table(const struct option_def *o)
{
	size_t n = 0;

	for (size_t i = 0; i < options_count; i++)
		n += options[i] == o;
	return n;
}

/* Every option a backend declares is a row of the table, once; two rows
 * never share a name or a CSV column. */
static void test_declared_once(void **state)
{
	(void)state;
	for (const struct backend *const *b = backends; *b; b++)
		for (const struct option_def *const *o = (*b)->options; o && *o; o++)
			if (test_count_in_table(*o) != 1)
				fail_msg("--%s of %s is %zu times in options[]", (*o)->name,
					 (*b)->name, test_count_in_table(*o));
	for (size_t i = 0; i < options_count; i++) {
		for (size_t k = i + 1; k < options_count; k++) {
			if (!strcmp(options[i]->name, options[k]->name))
				fail_msg("--%s is defined twice", options[i]->name);
			if (options[i]->csv && options[k]->csv &&
			    !strcmp(options[i]->csv, options[k]->csv))
				fail_msg("column %s is recorded twice", options[i]->csv);
		}
		assert_int_equal(options_index(options[i]), i);
	}
	assert_int_equal(options_index(NULL), options_count);
}

/* Which backends take an option comes from their declarations only. */
static const struct {
	const char *name;
	const char *takers;
	bool refused; /* elsewhere a usage error, not ignored */
} taker_cases[] = {
	{ "madvise", "mmap, mmapcopy", true },	  { "populate", "mmap, mmapcopy", true },
	{ "map-scope", "mmap, mmapcopy", true },  { "fadvise", "read, stdio, uring", true },
	{ "qd", "uring", true },		  { "stdio-buffer", "stdio", false },
	{ "block", "", false },			  { "direct", "", false },
};

static void test_takers(void **state)
{
	char buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof(taker_cases) / sizeof(taker_cases[0]); i++) {
		const struct option_def *o = options_find(taker_cases[i].name);

		assert_non_null(o);
		assert_string_equal(backends_taking(o, buf, sizeof(buf)), taker_cases[i].takers);
		if (!o->refuse != !taker_cases[i].refused)
			fail_msg("--%s: refuse is %s", o->name, o->refuse ? "set" : "NULL");
	}
	/* an option other backends refuse has backends that take it */
	for (size_t i = 0; i < options_count; i++)
		if (options[i]->refuse && !*backends_taking(options[i], buf, sizeof(buf)))
			fail_msg("--%s is refused by every backend", options[i]->name);
	assert_string_equal(backends_flagged(BACKEND_DIRECT, buf, sizeof(buf)), "read, uring");
}

/* The CSV parameter columns in their order: a file format. */
static void test_column_order(void **state)
{
	static const char *const want[] = {
		"backend",  "workload", "file_size",	"block_size", "ops",	 "passes",
		"hot_bytes", "cache",	"sync",		"madvise",    "populate", "fadvise",
		"map_scope", "touch",	"dist",		"threads",    "qd",	 "direct",
		"mem_limit", "seed",	"stdio_buffer", "latency_every", "read_pct", "trace",
		"hints",	"replay_timing", "trace_files", "nrfiles", "interval_ms",
	};
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < options_count; i++) {
		if (!options[i]->csv)
			continue;
		if (n >= sizeof(want) / sizeof(want[0]))
			fail_msg("column %s is new: add it to the test", options[i]->csv);
		assert_string_equal(options[i]->csv, want[n]);
		n++;
	}
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
}

#define MAX_ARGS 4

/* name=value settings, and the start of the message (NULL: valid). */
static const struct {
	const char *args[MAX_ARGS];
	const char *err;
} validate_cases[] = {
	{ { "backend=read" }, NULL },
	{ { "backend=read", "madvise=random" },
	  "--madvise is advice on a mapping (mmap, mmapcopy); read has none" },
	{ { "backend=read", "populate=1" },
	  "--populate is advice on a mapping (mmap, mmapcopy); read has none" },
	{ { "backend=mem", "map-scope=op" },
	  "--map-scope is advice on a mapping (mmap, mmapcopy); mem has none" },
	{ { "backend=mmap,mmapcopy", "madvise=random", "populate=1", "map-scope=run" }, NULL },
	{ { "backend=mmap", "populate=1", "map-scope=op" },
	  "--populate maps the file once before the timer; --map-scope op maps at every "
	  "operation (choose one)" },
	{ { "backend=mmapcopy", "populate=1", "map-scope=op" }, "--populate maps the file once" },
	/* a global flag applies where it means something: read's rows record
	 * madvise as not applicable */
	{ { "backend=mmap,read", "madvise=willneed" }, NULL },
	{ { "backend=mmap,read", "qd=4" },
	  "--qd 4 needs backends that keep several operations in flight (uring); mmap " },
	{ { "backend=uring,read", "qd=4" }, NULL },
	/* a backend's own options combine with the global ones */
	{ { "backend=mmap:populate,read", "map-scope=op" },
	  "--populate maps the file once before the timer" },
	{ { "backend=mmap:populate:map-scope=run,mmap", "map-scope=op" }, NULL },
	/* two entries that run as one series */
	{ { "backend=mmap:madvise=normal,mmap" },
	  "--backend: mmap:madvise=normal and mmap run the same, as mmap" },
	{ { "backend=mmap:madvise=random,mmap", "madvise=random" },
	  "--backend: mmap:madvise=random and mmap run the same, as mmap:madvise=random" },
	{ { "backend=mmap:madvise=random,read", "ratio=mmap:madvise=random:read" }, NULL },
	{ { "backend=mmap,read", "madvise=random", "ratio=mmap:madvise=random:read" }, NULL },
	{ { "backend=mmap:madvise=random,read", "ratio=mmap:read" },
	  "invalid value 'mmap:read' for --ratio" },
	{ { "backend=mmap", "fadvise=random" },
	  "--fadvise is advice on a descriptor (read, stdio, uring); mmap reads none" },
	{ { "backend=read,stdio,uring", "fadvise=willneed" }, NULL },
	{ { "backend=read", "qd=4" },
	  "--qd 4 needs backends that keep several operations in flight (uring); read "
	  "completes one at a time (use --qd 1)" },
	{ { "backend=read", "qd=1" }, NULL },
	{ { "backend=uring", "qd=32" }, NULL },
	{ { "backend=read,mmap", "stdio-buffer=64K" }, NULL },
	{ { "backend=mmap", "direct=1" },
	  "--direct is for backends with a descriptor to open O_DIRECT (read, uring); mmap has "
	  "none" },
	{ { "backend=mem", "mem-limit=1M" }, "--mem-limit limits the page cache, and mem" },
	{ { "block=12" }, "invalid size '12' for --block (must be a multiple of 8)" },
	{ { "size=8K", "block=16K" }, "--block 16K is larger than the file (--size 8K)" },
	{ { "size=8K", "hot=16K" }, "--hot 16K is larger than the file (--size 8K)" },
	{ { "file=/nonexistent", "dir=/tmp" }, "--file cannot be combined with --dir or --size" },
	{ { "backend=read,mmap", "ratio=mmap:mem" }, "invalid value 'mmap:mem' for --ratio" },
	{ { "backend=read,mmap", "ratio=mmap:read" }, NULL },
	{ { "workload=reread", "passes=1" }, "--passes 1 leaves reread no steady-state pass" },
	{ { "workload=seqread", "dist=zipf:0.9" }, "--dist zipf:0.9 is for the random workloads" },
	{ { "workload=randread", "dist=zipf:2" }, "invalid value 'zipf:2' for --dist" },
	{ { "workload=inplace", "touch=page" },
	  "--touch page is for the reading workloads; inplace writes every word" },
	{ { "cache=bypass" }, "--cache bypass is what --direct rows record; use --direct" },
	{ { "backend=read", "direct=1", "cache=warm" },
	  "--direct bypasses the page cache: --cache does not apply" },
	{ { "backend=read", "direct=1" }, NULL },
};

static void test_validate_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(validate_cases) / sizeof(validate_cases[0]); i++) {
		struct config cfg;
		char err[512] = "", name[32];
		int rc;

		options_defaults(&cfg);
		for (size_t k = 0; k < MAX_ARGS && validate_cases[i].args[k]; k++) {
			const char *arg = validate_cases[i].args[k], *eq = strchr(arg, '=');
			const struct option_def *o;

			snprintf(name, sizeof(name), "%.*s", (int)(eq - arg), arg);
			o = options_find(name);
			assert_non_null(o);
			if (options_set(&cfg, o, eq + 1, err, sizeof(err)))
				fail_msg("case %zu: %s", i, err);
			cfg.given |= 1ULL << options_index(o);
		}
		rc = options_validate(&cfg, err, sizeof(err));
		if (!validate_cases[i].err) {
			if (rc)
				fail_msg("case %zu (%s): %s", i, validate_cases[i].args[0], err);
			continue;
		}
		if (!rc || strncmp(err, validate_cases[i].err, strlen(validate_cases[i].err)))
			fail_msg("case %zu: got '%s' (%d), want '%s'", i, rc ? err : "", rc,
				 validate_cases[i].err);
	}
}

/* An entry of --backend with options of its own: parsed by the entry of
 * each option, its messages naming the item and the flag's own message. */
static const struct {
	const char *value;
	const char *err; /* NULL: valid */
} variant_cases[] = {
	{ "mmap:madvise=random,mmap,read:fadvise=random", NULL },
	{ "mmap:populate", NULL },
	{ "mmap:populate=1:madvise=willneed", NULL },
	{ "uring:qd=32:fadvise=random", NULL },
	{ "stdio:stdio-buffer=64K", NULL },
	{ "mmap:madvise=sideways",
	  "--backend mmap:madvise=sideways: invalid value 'sideways' for --madvise (use normal, "
	  "random, sequential, willneed, hugepage or nohugepage)" },
	{ "read:madvise=random", "--backend read:madvise=random: read has no madvise (an option "
				 "of mmap, mmapcopy)" },
	{ "mmap:fadvise=random", "--backend mmap:fadvise=random: mmap has no fadvise" },
	{ "read:qd=8", "--backend read:qd=8: read has no qd (an option of uring)" },
	{ "uring:qd=0", "--backend uring:qd=0: number '0' for --qd is out of range (1 to 4096)" },
	{ "stdio:stdio-buffer=4Q", "--backend stdio:stdio-buffer=4Q: invalid size '4Q' for "
				   "--stdio-buffer" },
	{ "mmap:block=1M", "--backend mmap:block=1M: 'block' is not an option of a backend (use "
			   "madvise, populate, fadvise, map-scope, qd, stdio-buffer)" },
	{ "mmap:nosuch=1", "--backend mmap:nosuch=1: 'nosuch' is not an option of a backend" },
	{ "mmap:madvise", "--backend mmap:madvise: missing value for madvise (use madvise=ADVICE)" },
	{ "mmap:populate=2", "--backend mmap:populate=2: invalid value '2' for --populate" },
	{ "mmap:", "--backend mmap:: nothing after the colon" },
	{ "mmap:madvise=random::populate", "--backend mmap:madvise=random::populate: an empty "
					   "option" },
	{ "mmap:madvise=random:madvise=normal",
	  "--backend mmap:madvise=random:madvise=normal: madvise given twice" },
	{ "mmap:madvise=random,mmap:madvise=random",
	  "backend 'mmap:madvise=random' given twice in --backend" },
	{ "mmapx:madvise=random", "unknown backend 'mmapx' for --backend" },
};

static void test_variants(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(variant_cases) / sizeof(variant_cases[0]); i++) {
		struct config cfg;
		char err[512] = "";
		int rc;

		options_defaults(&cfg);
		rc = options_set(&cfg, options_find("backend"), variant_cases[i].value, err,
				 sizeof(err));
		if (!variant_cases[i].err) {
			if (rc)
				fail_msg("%s: %s", variant_cases[i].value, err);
			continue;
		}
		if (!rc || strncmp(err, variant_cases[i].err, strlen(variant_cases[i].err)))
			fail_msg("%s: got '%s' (%d), want '%s'", variant_cases[i].value, rc ? err : "",
				 rc, variant_cases[i].err);
	}
}

/* A series is named by its backend and its options that are not the
 * default, wherever they were given; a backend's own override the global
 * flags for it alone. */
static const struct {
	const char *backend, *global; /* global: NAME=VALUE or NULL */
	const char *series;	      /* comma-separated, one per backend */
	const char *madvise;	      /* each backend's effective --madvise */
} series_cases[] = {
	{ "mmap:madvise=random,mmap,read", NULL, "mmap:madvise=random,mmap,read",
	  "random,normal,normal" },
	{ "mmap,read", "madvise=random", "mmap:madvise=random,read", "random,random" },
	{ "mmap:madvise=sequential,read", "madvise=random", "mmap:madvise=sequential,read",
	  "sequential,random" },
	{ "mmap:madvise=normal,read", "madvise=random", "mmap,read", "normal,random" },
	{ "mmap:populate=1:madvise=willneed", NULL, "mmap:madvise=willneed:populate", "willneed" },
	{ "stdio:stdio-buffer=65536,read", NULL, "stdio:stdio-buffer=64K,read", "normal,normal" },
	{ "uring:qd=32,read:fadvise=random", NULL, "uring:qd=32,read:fadvise=random",
	  "normal,normal" },
};

static void test_series_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(series_cases) / sizeof(series_cases[0]); i++) {
		struct config cfg;
		char err[512], names[512] = "", advice[256] = "", name[CONFIG_SERIES_MAX];

		options_defaults(&cfg);
		if (options_set(&cfg, options_find("backend"), series_cases[i].backend, err,
				sizeof(err)))
			fail_msg("%s: %s", series_cases[i].backend, err);
		if (series_cases[i].global) {
			const char *eq = strchr(series_cases[i].global, '=');
			char flag[32];

			snprintf(flag, sizeof(flag), "%.*s", (int)(eq - series_cases[i].global),
				 series_cases[i].global);
			assert_int_equal(options_set(&cfg, options_find(flag), eq + 1, err, sizeof(err)),
					 0);
		}
		for (unsigned b = 0; b < cfg.nbackends; b++) {
			struct config v;

			options_series(&cfg, b, name, sizeof(name));
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
				 b ? "," : "", name);
			assert_int_equal(options_series_index(&cfg, name), b);
			options_variant(&cfg, b, &v);
			options_format(&v, options_find("madvise"), name, sizeof(name));
			snprintf(advice + strlen(advice), sizeof(advice) - strlen(advice), "%s%s",
				 b ? "," : "", name);
		}
		assert_string_equal(names, series_cases[i].series);
		assert_string_equal(advice, series_cases[i].madvise);
		/* the backend column: the series names, which parse back */
		options_format(&cfg, options_find("backend"), name, sizeof(name));
		assert_string_equal(name, series_cases[i].series);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_declared_once),
		cmocka_unit_test(test_takers),
		cmocka_unit_test(test_column_order),
		cmocka_unit_test(test_validate_table),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_series_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
