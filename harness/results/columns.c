#include "results/columns.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/options.h"
#include "core/config.h"
#include "results/row.h"

/* A measurement a file lacks reads as empty: not measured, never 0. */
#define M(name, type, unit, better, field) \
	{ name, COLUMN_MEASURE, type, unit, better, "", NULL, offsetof(struct row, field) }
/* One every results file has had since the first version: a file without
 * it is no results file. */
#define M_REQUIRED(name, type, unit, better, field) \
	{ name, COLUMN_MEASURE, type, unit, better, NULL, NULL, offsetof(struct row, field) }

static const struct column columns_context[] = {
	{ "run_id", COLUMN_CONTEXT, COLUMN_STR, "", BETTER_NEITHER, "unknown", NULL, 0 },
	{ "timestamp", COLUMN_CONTEXT, COLUMN_STR, "ISO 8601", BETTER_NEITHER, "", NULL, 0 },
	{ "host", COLUMN_CONTEXT, COLUMN_STR, "", BETTER_NEITHER, "unknown", NULL, 0 },
	{ "cpu_model", COLUMN_CONTEXT, COLUMN_STR, "", BETTER_NEITHER, "unknown", NULL, 0 },
	{ "kernel", COLUMN_CONTEXT, COLUMN_STR, "", BETTER_NEITHER, "unknown", NULL, 0 },
	{ "fs_type", COLUMN_CONTEXT, COLUMN_STR, "", BETTER_NEITHER, "unknown", NULL, 0 },
	{ "fs_mount_options", COLUMN_CONTEXT, COLUMN_STR, "", BETTER_NEITHER, "unknown", NULL, 0 },
};

/* After the parameters: the build that measured, then the measurements. */
static const struct column columns_measure[] = {
	{ "mmbench_version", COLUMN_CONTEXT, COLUMN_STR, "", BETTER_NEITHER, "unknown", NULL, 0 },
	M("rep", COLUMN_U64, "", BETTER_NEITHER, rep),
	M_REQUIRED("elapsed_ns", COLUMN_U64, "ns", BETTER_LOWER, elapsed_ns),
	M("first_pass_ns", COLUMN_U64, "ns", BETTER_LOWER, first_pass_ns),
	M("bytes", COLUMN_U64, "bytes", BETTER_NEITHER, bytes),
	M_REQUIRED("mib_per_s", COLUMN_F2, "MiB/s", BETTER_HIGHER, mib_per_s),
	M("ops_per_s", COLUMN_F2, "1/s", BETTER_HIGHER, ops_per_s),
	M("slowest_worker_mib_per_s", COLUMN_F2, "MiB/s", BETTER_HIGHER, slowest_worker_mib_per_s),
	M("lat_p50_ns", COLUMN_U64, "ns", BETTER_LOWER, lat_p50_ns),
	M("lat_p99_ns", COLUMN_U64, "ns", BETTER_LOWER, lat_p99_ns),
	M("lat_max_ns", COLUMN_U64, "ns", BETTER_LOWER, lat_max_ns),
	M("lat_samples", COLUMN_U64, "", BETTER_NEITHER, lat_samples),
	M("minor_faults", COLUMN_U64, "", BETTER_LOWER, d.minor_faults),
	M("major_faults", COLUMN_U64, "", BETTER_LOWER, d.major_faults),
	M("vol_ctx_switches", COLUMN_U64, "", BETTER_LOWER, d.vol_ctx_switches),
	M("invol_ctx_switches", COLUMN_U64, "", BETTER_LOWER, d.invol_ctx_switches),
	M("user_us", COLUMN_U64, "us", BETTER_LOWER, d.user_us),
	M("sys_us", COLUMN_U64, "us", BETTER_LOWER, d.sys_us),
	M("dev_read_bytes", COLUMN_U64, "bytes", BETTER_LOWER, d.dev_read_bytes),
	M("dev_write_bytes", COLUMN_U64, "bytes", BETTER_LOWER, d.dev_write_bytes),
	M("tlb_shootdowns_system", COLUMN_U64, "", BETTER_LOWER, d.tlb_shootdowns),
	M("resident_before", COLUMN_F4, "fraction", BETTER_NEITHER, resident_before),
	M("resident_after", COLUMN_F4, "fraction", BETTER_NEITHER, resident_after),
	M("dirty_after_bytes", COLUMN_F0, "bytes", BETTER_NEITHER, dirty_after_bytes),
	M("rss_anon_bytes", COLUMN_F0, "bytes", BETTER_LOWER, rss_anon_bytes),
	M("rss_file_bytes", COLUMN_F0, "bytes", BETTER_LOWER, rss_file_bytes),
	M("rss_peak_bytes", COLUMN_F0, "bytes", BETTER_LOWER, rss_peak_bytes),
	M("mem_limit_mechanism", COLUMN_STR, "", BETTER_NEITHER, mem_limit_mechanism),
	M("cache_room_before", COLUMN_F0, "bytes", BETTER_NEITHER, cache_room_before),
	M("folio_large", COLUMN_F4, "fraction", BETTER_NEITHER, folio.large),
	M("folio_median_bytes", COLUMN_F0, "bytes", BETTER_NEITHER, folio.median_bytes),
	M("checksum", COLUMN_U64, "", BETTER_NEITHER, checksum),
	M("expected_checksum", COLUMN_U64, "", BETTER_NEITHER, expected_checksum),
	M_REQUIRED("verified", COLUMN_BOOL, "", BETTER_NEITHER, verified),
	M("verify_source", COLUMN_STR, "", BETTER_NEITHER, verify_source),
	M("clock_overhead_ns", COLUMN_F2, "ns", BETTER_NEITHER, clock_overhead_ns),
	/* what mem's copy lived in (backends/mem.c); files before it: unknown */
	{ "mem_pages", COLUMN_MEASURE, COLUMN_STR, "", BETTER_NEITHER, "unknown", NULL,
	  offsetof(struct row, mem_pages) },
	/* what a replay ran (workloads/replay.c); files before them: one file */
	{ "files", COLUMN_MEASURE, COLUMN_U64, "", BETTER_NEITHER, "1", NULL,
	  offsetof(struct row, files) },
	M("seq_share", COLUMN_F4, "fraction", BETTER_NEITHER, seq_share),
	{ "trace_fingerprint", COLUMN_MEASURE, COLUMN_STR, "", BETTER_NEITHER, "", NULL,
	  offsetof(struct row, trace_fingerprint) },
	/* mmbench exec --metric: the program's own figure, in its unit
	 * (ops/sec for db_bench); higher is taken as faster */
	M("metric", COLUMN_F4, "", BETTER_HIGHER, metric),
};

#define NCONTEXT (sizeof(columns_context) / sizeof(columns_context[0]))
#define NMEASURE (sizeof(columns_measure) / sizeof(columns_measure[0]))
#define MAX_PARAMS 64

/* Parameter entries are made once from the options table, with the
 * defaults in the form the CSV records them. */
static struct column columns_param[MAX_PARAMS];
static char columns_absent[MAX_PARAMS][64];
static size_t nparam;
static bool columns_ready;

static void columns_init(void)
{
	struct config defaults;

	if (columns_ready)
		return;
	options_defaults(&defaults);
	for (size_t i = 0; i < options_count && nparam < MAX_PARAMS; i++) {
		const struct option_def *o = options[i];
		bool size = o->type == OPT_SIZE;

		if (!o->csv)
			continue;
		options_format(&defaults, o, columns_absent[nparam], sizeof(columns_absent[0]));
		/* a workload's own option (--read-pct, --trace) came with that
		 * workload: a file from before it has none of its rows */
		if (OPTF_WORKLOAD_FLAGS(o->flags))
			snprintf(columns_absent[nparam], sizeof(columns_absent[0]), "%s",
				 COLUMNS_NOT_APPLICABLE);
		columns_param[nparam] = (struct column){
			o->csv,
			COLUMN_PARAM,
			size || o->type == OPT_COUNT ? COLUMN_U64 : COLUMN_STR,
			size ? "bytes" : "",
			BETTER_NEITHER,
			/* backend and workload name the configuration itself */
			o->type == OPT_BACKENDS || o->type == OPT_WORKLOADS ? NULL
									  : columns_absent[nparam],
			o,
			0,
		};
		nparam++;
	}
	columns_ready = true;
}

size_t columns_count(void)
{
	columns_init();
	return NCONTEXT + nparam + NMEASURE;
}

const struct column *columns_at(size_t i)
{
	columns_init();
	if (i < NCONTEXT)
		return &columns_context[i];
	i -= NCONTEXT;
	if (i < nparam)
		return &columns_param[i];
	i -= nparam;
	return i < NMEASURE ? &columns_measure[i] : NULL;
}

const struct column *columns_find(const char *name)
{
	for (size_t i = 0; i < columns_count(); i++)
		if (!strcmp(columns_at(i)->name, name))
			return columns_at(i);
	return NULL;
}

bool columns_is_series(const struct column *c)
{
	return c->group == COLUMN_PARAM && c->option && options_is_scoped(c->option);
}

void columns_print(void)
{
	static const char *const groups[] = { "context", "parameter", "measurement" };
	static const char *const types[] = { "integer", "number", "number", "number", "bool",
					     "string" };
	static const char *const better[] = { "neither", "higher", "lower" };

	puts("name\tgroup\ttype\tunit\tbetter\tabsent");
	for (size_t i = 0; i < columns_count(); i++) {
		const struct column *c = columns_at(i);

		printf("%s\t%s\t%s\t%s\t%s\t%s\n", c->name, groups[c->group], types[c->type],
		       c->unit, better[c->better], c->absent ? c->absent : "(required)");
	}
}
