/*
 * config.h - everything one `mmbench run` is asked to do.  Filled from the
 * options table (options.c) by the command line or a sweep file, never by
 * hand, so flags, sweep keys, help and CSV columns cannot drift apart.
 */
#ifndef MMBENCH_CONFIG_H
#define MMBENCH_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define CONFIG_MAX_BACKENDS 16
#define CONFIG_MAX_WORKLOADS 16
#define CONFIG_MAX_THREADS 64
/* The longest option text a backend carries in --backend ("madvise=random"
 * of mmap:madvise=random), and the longest series name (backend and
 * options, as rows name it). */
#define CONFIG_VARIANT_MAX 96
#define CONFIG_SERIES_MAX 160

/* CACHE_BYPASS is what --direct rows record: the page cache is not used,
 * so neither cold nor warm is claimed for them. */
enum cache_mode { CACHE_WARM, CACHE_COLD, CACHE_ASIS, CACHE_RESIDENT, CACHE_BYPASS };
enum sync_mode { SYNC_NONE, SYNC_END, SYNC_EACH };
/* Kernel hints, in the order of their choices (backends/mmap.c,
 * core/backend.c). */
enum madvise_mode { MADV_MODE_NORMAL, MADV_MODE_RANDOM, MADV_MODE_SEQUENTIAL, MADV_MODE_WILLNEED,
		    MADV_MODE_HUGEPAGE, MADV_MODE_NOHUGEPAGE };
enum fadvise_mode { FADV_MODE_NORMAL, FADV_MODE_RANDOM, FADV_MODE_SEQUENTIAL, FADV_MODE_WILLNEED,
		    FADV_MODE_NOREUSE };
enum map_scope { MAP_SCOPE_RUN, MAP_SCOPE_OP };
enum touch_mode { TOUCH_ALL, TOUCH_PAGE };
enum hints_mode { HINTS_RECORDED, HINTS_NONE };
enum replay_timing { REPLAY_TIMING_ASAP, REPLAY_TIMING_RECORDED };

struct backend;
struct workload;

struct config {
	const struct backend *backends[CONFIG_MAX_BACKENDS];
	/* backends[i]'s own options, as given after its name in --backend
	 * ("madvise=random:populate"); "" for none.  They override the
	 * global flags for that backend alone (options_variant()). */
	char variant[CONFIG_MAX_BACKENDS][CONFIG_VARIANT_MAX];
	unsigned nbackends;
	const struct workload *workloads[CONFIG_MAX_WORKLOADS];
	unsigned nworkloads;
	const char *file;     /* existing file to measure, or NULL */
	const char *dir;      /* where to create a temporary pattern file */
	uint64_t size;	      /* bytes of the temporary file */
	uint64_t block;	      /* bytes per operation */
	uint64_t ops;	      /* operations of the random workloads */
	uint64_t passes;      /* 0: the workload's default */
	uint64_t hot;	      /* reread hot set in bytes; 0: 1/8 of the file */
	uint64_t reps;	      /* measured repetitions of each combination */
	uint64_t warmup;      /* unrecorded repetitions before them */
	uint64_t seed;	      /* file pattern and random offsets */
	uint64_t stdio_buffer; /* setvbuf() size of the stdio backend */
	uint64_t latency_every; /* time one operation in this many; 0: none */
	uint64_t interval;    /* ms between samples of series.csv; 0: no sampler */
	const char *dist;     /* --dist: how random offsets are drawn (stream.h) */
	unsigned touch;	      /* enum touch_mode */
	unsigned madvise;     /* enum madvise_mode: advice on the mapping */
	unsigned fadvise;     /* enum fadvise_mode: advice on the descriptor */
	unsigned map_scope;   /* enum map_scope */
	bool populate;	      /* MAP_POPULATE, in setup */
	uint64_t threads;     /* engine threads issuing operations at once */
	uint64_t qd;	      /* operations in flight per thread */
	bool direct;	      /* O_DIRECT: bypass the page cache */
	uint64_t mem_limit;   /* memory left for the page cache (memlimit.h); 0: all */
	const char *worker;   /* --worker: an external worker's command (backends/worker.h) */
	uint64_t procs;	      /* sweep: fresh processes per configuration; 0: none */
	uint64_t settle;      /* sweep: seconds of rounds that settle unsure verdicts */
	uint64_t timeout;     /* sweep: seconds a process may run; 0: no limit */
	unsigned cache;	      /* enum cache_mode */
	unsigned sync;	      /* enum sync_mode */
	const char *ratio;    /* "A:B" for the summary's paired ratio; NULL: each vs read */
	const char *csv;      /* append rows here; NULL: stdout */
	bool quiet;	      /* no summary or progress on stderr */
	bool allow_write;     /* let inplace modify a --file */
	uint64_t read_pct;    /* randrw: percentage of operations that read */
	uint64_t nrfiles;     /* temporary files --size is spread over */
	const char *trace;    /* --trace: what --workload replay replays */
	const char *trace_files; /* "recorded", or "remap=DIR": pattern copies made in DIR */
	unsigned hints;	      /* enum hints_mode: a trace's own advice, applied or not */
	unsigned replay_timing; /* enum replay_timing */
	uint64_t given;	      /* bit i: options[i] (cli/options.h) was set explicitly */
};

#endif
