/*
 * row.h - what one measured repetition recorded: one CSV row.  Which of
 * its fields are columns, and in what order, is the registry's
 * (columns.h); rowcsv.h writes rows.
 */
#ifndef MMBENCH_ROW_H
#define MMBENCH_ROW_H

#include <stdbool.h>
#include <stdint.h>

#include "sys/counters.h"
#include "sys/folio.h"

struct config;
struct sysinfo;

struct row {
	const struct config *cfg; /* one backend, one workload, effective values */
	const struct sysinfo *si;
	const char *run_id;
	char timestamp[32]; /* UTC, ISO 8601, when the repetition ended */
	uint64_t rep;	    /* 1-based measured repetition */
	uint64_t elapsed_ns, first_pass_ns;
	uint64_t bytes, ops;
	double mib_per_s, ops_per_s;
	double slowest_worker_mib_per_s; /* the slowest --threads worker's own rate */
	uint64_t lat_p50_ns, lat_p99_ns, lat_max_ns, lat_samples;
	struct counters d;	/* deltas over the timed region */
	double resident_before; /* fraction of the file's pages cached */
	double resident_after;	/* the same right after the region; NAN: no file */
	double dirty_after_bytes; /* of it, written and not yet on the device; NAN: unknown */
	/* bytes the process held: anonymous and file-backed at the end of the
	 * operations, and the peak of the whole region; NAN: unknown */
	double rss_anon_bytes, rss_file_bytes, rss_peak_bytes;
	const char *mem_limit_mechanism; /* "none", "cgroup2" or "balloon" */
	double cache_room_before; /* memory the page cache could have; NAN: unknown */
	struct folio_stats folio; /* their folio structure; NAN: unknown */
	uint64_t checksum, expected_checksum;
	bool verified;
	const char *verify_source; /* "pattern" or "reference" */
	double clock_overhead_ns;
	const char *mem_pages; /* the backend's own copy: "2M", "4K", "mixed"; "none" */
	/* a replay's: the files it ran on, the share of its operations that
	 * continued their thread's previous one in the same file, and the
	 * trace's fingerprint (16 hex digits); a synthetic row: 1, NAN, "" */
	uint64_t files;
	double seq_share;
	const char *trace_fingerprint;
	double metric; /* the figure mmbench exec --metric read from its program; NAN: none */
};

/* Fill the derived rates from bytes, ops and elapsed_ns; the one place
 * throughput is computed. */
void row_derive_rates(struct row *r);

#endif
