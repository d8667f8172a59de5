#include "measure/run.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analysis/tally.h"
#include "backends/backends.h"
#include "backends/worker.h"
#include "cli/options.h"
#include "content/consume.h"
#include "core/backend.h"
#include "core/config.h"
#include "core/engine.h"
#include "core/workload.h"
#include "measure/sampler.h"
#include "results/row.h"
#include "results/rowcsv.h"
#include "results/seriescsv.h"
#include "sys/cleanup.h"
#include "sys/counters.h"
#include "sys/datafile.h"
#include "sys/folio.h"
#include "sys/journal.h"
#include "sys/memlimit.h"
#include "sys/memuse.h"
#include "sys/sysinfo.h"
#include "util/clock.h"
#include "util/csv.h"
#include "util/error.h"
#include "util/hist.h"
#include "util/parse.h"
#include "util/progress.h"
#include "util/rng.h"
#include "util/stats.h"
#include "workloads/workloads.h"

/* A step ended by an external worker (the reason in run_state.why);
 * beyond every errno value, as ECLEANUP_SIGBUS and EDATAFILE_SHORT. */
#define RUN_EWORKER 4099

/* Everything one configuration's steps share. */
struct run_state {
	const struct config *cfg;
	struct run_ctx *rc;
	/* The files the steps run on: the one of a synthetic workload (one),
	 * or a replay's (its open_files), each with the hints recorded on it;
	 * df is the first, named in messages about the run's file. */
	struct datafile one, *files, *df;
	/* --nrfiles: the files end to end, as the workloads plan on them
	 * (workload_spread() then puts each operation in its file) */
	struct datafile joined;
	struct workload_hints *hints; /* [file]; NULL: none */
	unsigned nfiles;
	const struct workload *opener; /* whose open_files opened them; NULL: the runner */
	uint64_t total_size;
	char trace_fingerprint[17]; /* a replay's, for its rows; "" */
	struct backend_ctx *ctx; /* [file], a step's */
	struct config *file_cfg; /* [file]: the step's configuration with that file's hints */
	struct hist *lat;
	struct csv_line line;
	struct tally tally; /* what was recorded, for the summary */
	bool *failed;	    /* [combo] a step failed: skip its remaining ones */
	struct config *variants; /* [backend] cfg as that backend runs it: its own
				  * options from --backend over the global ones */
	bool warned_cold, warned_warm, warned_limit;
	/* A step that could not put the file back (restore_err), the blocks
	 * it could not write (NULL: no memory to list them), whether their
	 * journal is kept: the run stops there. */
	int restore_err;
	uint64_t *unrestored;
	size_t nunrestored;
	bool restore_journaled;
	char why[640]; /* what an external worker did wrong (RUN_EWORKER) */
	struct sampler sampler; /* --interval: the series of the last step */
	bool warned_series;
};

void run_make_id(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	uint32_t nonce = 0;

	/* Time and pid alone collide across containers and hosts, and the
	 * run_id is what tells processes apart in every statistic: add 32
	 * random bits (the clock and pid where getrandom() is unavailable). */
	if (getrandom(&nonce, sizeof(nonce), GRND_NONBLOCK) != sizeof(nonce)) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		nonce = (uint32_t)ts.tv_nsec ^ (uint32_t)getpid() << 16;
	}
	gmtime_r(&now, &tm);
	snprintf(buf, len, "%04d%02d%02dT%02d%02d%02dZ-%x-%08x", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)getpid(), nonce);
}

unsigned long long run_steps(const struct config *cfg)
{
	return (unsigned long long)(cfg->warmup + cfg->reps) * cfg->nbackends * cfg->nworkloads;
}

static void run_timestamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Report a step that did not produce a row, on stderr and in the log. */
static void run_report(struct run_state *st, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void run_report(struct run_state *st, const char *kind, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (st->rc->progress)
		progress_clear(st->rc->progress);
	error_msg("%s: %s", kind, msg);
	if (st->rc->log) {
		fprintf(st->rc->log, "%s: %s\n", kind, msg);
		fflush(st->rc->log);
	}
}

/* Bring the file to the requested cache state; untimed.  Warm is one
 * canonical state, not merely resident: the page cache keeps the folio
 * sizes of however the pages got there (mmap's random read-around leaves
 * small ones, which make sequential mmap reads 3x slower), so the file is
 * evicted and read back in order with large pread()s, which builds large
 * folios wherever the kernel and filesystem do.  asis and resident leave
 * the state to whoever runs mmbench (hyperfine's --prepare, a script). */
static int run_prepare_file(const struct run_state *st, const struct datafile *df)
{
	int err;

	/* O_DIRECT bypasses the cache: start from none of the file in it */
	if (st->cfg->direct)
		return datafile_evict(df);
	switch (st->cfg->cache) {
	case CACHE_COLD:
		return datafile_evict(df);
	case CACHE_WARM:
		err = datafile_evict(df);
		return err ? err : datafile_warm(df);
	default:
		return 0;
	}
}

static int run_prepare_cache(struct run_state *st, const struct backend *b)
{
	int err = 0;

	if (b->flags & BACKEND_ANON)
		return 0;
	for (unsigned i = 0; i < st->nfiles && !err; i++)
		err = run_prepare_file(st, &st->files[i]);
	return err;
}

/* The share of the run's files in the page cache, over all their bytes:
 * a fraction, or a negative errno. */
static double run_resident(const struct run_state *st)
{
	double cached = 0;

	for (unsigned i = 0; i < st->nfiles; i++) {
		double f = datafile_resident_fraction(&st->files[i]);

		if (f < 0)
			return f;
		cached += f * (double)st->files[i].size;
	}
	return st->total_size ? cached / (double)st->total_size : 1.0;
}

/* The file whose folios a row records: the largest of the run's. */
static const struct datafile *run_largest(const struct run_state *st)
{
	const struct datafile *big = st->df;

	for (unsigned i = 1; i < st->nfiles; i++)
		if (st->files[i].size > big->size)
			big = &st->files[i];
	return big;
}

/* The configuration b runs file f with: cfg, and with --hints recorded
 * the advice the trace recorded on the file, on the backends it means
 * something for, where cfg leaves that option at its default.  The
 * program's advice is on the file, whichever call gave it: fadvise's
 * applies to a mapping when it gave no madvise, and the other way round
 * (the first four modes of both are the same advice). */
static void run_file_config(const struct run_state *st, const struct config *cfg,
			    const struct backend *b, unsigned f, struct config *out)
{
	const struct workload_hints *h = st->hints ? &st->hints[f] : NULL;
	int madv, fadv;

	*out = *cfg;
	if (!h || cfg->hints != HINTS_RECORDED)
		return;
	madv = h->madvise >= 0 ? h->madvise : h->fadvise < FADV_MODE_NOREUSE ? h->fadvise : -1;
	fadv = h->fadvise >= 0 ? h->fadvise : h->madvise < MADV_MODE_HUGEPAGE ? h->madvise : -1;
	if (madv >= 0 && cfg->madvise == MADV_MODE_NORMAL && backend_takes(b, &mmap_option_madvise))
		out->madvise = (unsigned)madv;
	if (fadv >= 0 && cfg->fadvise == FADV_MODE_NORMAL && backend_takes(b, &backend_option_fadvise))
		out->fadvise = (unsigned)fadv;
	if (h->populate && !cfg->populate && cfg->map_scope == MAP_SCOPE_RUN &&
	    backend_takes(b, &mmap_option_populate))
		out->populate = true;
}

/* Warn once per run when the measured state is not the one asked for; the
 * row records the fraction either way. */
static void run_check_residency(struct run_state *st, double resident)
{
	if (st->cfg->direct)
		return; /* neither cold nor warm is claimed */
	if (st->cfg->cache == CACHE_COLD && resident > DATAFILE_COLD_MAX && !st->warned_cold) {
		st->warned_cold = true;
		error_warn("cold run found %.0f%% of '%s' still cached (see resident_before)",
			   resident * 100, st->df->path);
	}
	if (st->cfg->cache == CACHE_WARM && resident < DATAFILE_WARM_MIN && !st->warned_warm) {
		st->warned_warm = true;
		error_warn("warm run found only %.0f%% of '%s' cached: does it fit in memory? "
			   "(see resident_before)",
			   resident * 100, st->df->path);
	}
}

/* Warn once per run when more of the file was cached than --mem-limit
 * allows: the limit did not hold, and the row says by how much. */
static void run_check_limit(struct run_state *st, const struct row *row)
{
	uint64_t limit = st->cfg->mem_limit;
	double most = fmax(row->resident_before, row->resident_after) * (double)st->total_size;
	char size[32];

	/* a page-cache limit is kept in pages, give or take a few batches */
	if (!limit || st->warned_limit || !(most > (double)limit * 1.05 + (16 << 20)))
		return;
	st->warned_limit = true;
	error_warn("--mem-limit %s did not hold: %.0f MiB of '%s' were cached (see "
		   "resident_before and resident_after)",
		   parse_format_size(limit, size, sizeof(size)), most / (1024.0 * 1024.0), st->df->path);
}

/* A step's setup, untimed: the cache state first, then the backend's
 * setup, so the hints it gives (--fadvise willneed, --populate) act on the
 * state the step starts from, and resident_before shows what they did;
 * then what the row records of that state, and the journal of a user's
 * file.  On failure, nothing is left set up. */
static void run_teardown_ctx(const struct backend *b, struct backend_ctx *ctx, unsigned n)
{
	for (unsigned f = n; b->teardown && f-- > 0;)
		b->teardown(&ctx[f]);
}

/* One journal for each user's file among the run's that the plan's changes
 * touch (its saved bytes, end to end in the order of the changes, which
 * go file by file); none armed on failure. */
static int run_journal(struct run_state *st, const struct op_plan *plan)
{
	struct journal_range *ranges = malloc((plan->ntouched + 1) * sizeof(*ranges));
	uint64_t saved_at = 0, off, len;
	size_t k = 0;
	int err = ranges ? 0 : -ENOMEM;

	while (!err && k < plan->ntouched) {
		unsigned f = workload_change(plan, st->files, k, &off, &len);
		const struct datafile *df = &st->files[f];
		uint64_t first = saved_at;
		size_t n = 0;

		/* this file's changes, each looked up once */
		do {
			ranges[n++] = (struct journal_range){ .off = off, .len = len };
			saved_at += len;
		} while (++k < plan->ntouched && workload_change(plan, st->files, k, &off, &len) == f);
		if (!df->ours)
			err = journal_begin(df->path, df->fd, df->size, ranges, n, plan->saved + first);
	}
	free(ranges);
	if (err)
		journal_end();
	return err;
}

static int run_step_setup(struct run_state *st, const struct backend *b,
			  const struct op_plan *plan, struct backend_ctx *ctx, struct row *row,
			  const char **stage, volatile bool *journaled)
{
	int err = 0;
	unsigned f;

	*stage = "prepare the cache state of";
	err = run_prepare_cache(st, b);
	if (err)
		return err;
	*stage = "set up";
	for (f = 0; f < st->nfiles && !err; f++)
		err = b->setup ? b->setup(&ctx[f]) : 0;
	if (err) {
		run_teardown_ctx(b, ctx, f - 1); /* those set up before */
		return err;
	}
	row->mem_pages = ctx->pages ? ctx->pages : "none";
	row->resident_before = b->flags & BACKEND_ANON ? 1.0 : run_resident(st);
	if (row->resident_before < 0) {
		err = (int)row->resident_before;
		goto out_teardown;
	}
	if (st->cfg->cache == CACHE_RESIDENT && row->resident_before < 1 &&
	    !(b->flags & BACKEND_ANON)) {
		*stage = "find every page in the page cache of";
		err = -ENODATA;
		goto out_teardown;
	}
	/* The folio structure the timed region starts from (unknown without
	 * root, or for memory that is no page cache). */
	row->folio.large = row->folio.median_bytes = NAN;
	if (!(b->flags & BACKEND_ANON))
		folio_inspect(run_largest(st)->fd, run_largest(st)->size, &row->folio);
	/* A user's files: the ranges this step may change are journaled
	 * first, for signals and SIGKILL, until they are back. */
	if (plan->saved && !(b->flags & BACKEND_ANON)) {
		*stage = "journal the blocks it changes in";
		err = run_journal(st, plan);
		if (err)
			goto out_teardown;
		*journaled = true;
	}
	return 0;

out_teardown:
	run_teardown_ctx(b, ctx, st->nfiles);
	return err;
}

/* What the row records just before the timed region: the room the page
 * cache has and how --mem-limit holds it; the balloon's resident bytes,
 * which are mmbench's, not the backend's. */
static uint64_t run_step_before(struct row *row)
{
	struct memlimit_info mi;

	row->cache_room_before = memlimit_meminfo(&mi) ? NAN : (double)mi.room;
	row->mem_limit_mechanism = memlimit_name(memlimit_current());
	return memlimit_balloon_resident();
}

/* After the timed region, untimed: what it left in the page cache (before
 * a restore moves it), the verification, and the row's results. */
static int run_step_collect(struct run_state *st, const struct backend *b,
			    const struct workload *w, const struct op_plan *plan,
			    struct backend_ctx *ctx, const struct engine_out *out, uint64_t balloon,
			    bool peak_reset, struct row *row, const char **stage)
{
	bool ok = true;
	int err = 0;

	/* anonymous memory is resident by definition, as before */
	row->resident_after = b->flags & BACKEND_ANON ? 1.0 : run_resident(st);
	if (row->resident_after < 0)
		row->resident_after = NAN;
	/* whether the writes are on the device yet, or only in the page
	 * cache (root: /proc/kpageflags); not for the reading workloads */
	row->dirty_after_bytes = NAN;
	for (unsigned f = 0; (w->flags & WORKLOAD_WRITES) && !(b->flags & BACKEND_ANON) &&
			     f < st->nfiles;
	     f++) {
		struct folio_stats fs;

		if (folio_inspect(st->files[f].fd, st->files[f].size, &fs)) {
			row->dirty_after_bytes = NAN;
			break;
		}
		row->dirty_after_bytes = (f ? row->dirty_after_bytes : 0) +
					 (double)fs.dirty_pages * (double)sysconf(_SC_PAGESIZE);
	}
	*stage = "verify";
	if (w->verify)
		err = w->verify(plan, b, ctx, st->cfg->sync != SYNC_NONE, &ok);
	if (err)
		return err;

	row->elapsed_ns = out->t1 - out->steady_ns;
	row->first_pass_ns = out->steady_ns - out->t0;
	row->slowest_worker_mib_per_s = out->slowest_thread_bps / (1024.0 * 1024.0);
	/* the balloon is --mem-limit's, not the backend's */
	row->rss_anon_bytes = out->mem.anon - (double)balloon;
	row->rss_file_bytes = out->mem.file;
	row->rss_peak_bytes = peak_reset ? out->mem.peak - (double)balloon : NAN;
	row->bytes = plan->bytes;
	row->ops = plan->ops;
	row->checksum = out->checksum;
	row->expected_checksum = plan->expected_sum;
	row->verified = ok && out->checksum == plan->expected_sum;
	row->verify_source = st->df->patterned ? "pattern" : "reference";
	row->files = st->nfiles;
	row->seq_share = (w->flags & WORKLOAD_TRACE) && plan->ops
				 ? (double)plan->seq_ops / (double)plan->ops
				 : NAN;
	if ((w->flags & WORKLOAD_TRACE) && !st->trace_fingerprint[0])
		snprintf(st->trace_fingerprint, sizeof(st->trace_fingerprint), "%016llx",
			 (unsigned long long)plan->trace_fingerprint);
	row->trace_fingerprint = st->trace_fingerprint;
	row->lat_p50_ns = hist_percentile(st->lat, 50);
	row->lat_p99_ns = hist_percentile(st->lat, 99);
	row->lat_max_ns = hist_percentile(st->lat, 100);
	row->lat_samples = st->lat->count;
	row_derive_rates(row);
	if (!(b->flags & BACKEND_ANON)) {
		run_check_residency(st, row->resident_before);
		run_check_limit(st, row);
	}
	return 0;
}

/* The blocks of the file a step changed that could not be put back,
 * every one by its offset (failed NULL: no memory to list them), and what
 * is left: the journal, for mmbench restore, or for a file of mmbench's
 * own, nothing to keep. */
static void run_report_unrestored(struct run_state *st, const struct backend *b,
				  const struct workload *w, const struct op_plan *plan)
{
	char *list = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&list, &len);

	for (size_t i = 0; f && st->unrestored && i < st->nunrestored; i++)
		fprintf(f, "%s%llu", i ? " " : "", (unsigned long long)st->unrestored[i]);
	if (f)
		fclose(f);
	/* a replay's changes are ranges, each at an offset in its own file;
	 * a writing workload's are blocks, over its files end to end */
	const char *unit = plan->extents ? "ranges" : "blocks";

	run_report(st, "failed", "%s %s: cannot put back %zu of the %zu %s it changed in '%s'%s: %s",
		   b->name, w->name, st->nunrestored, plan->ntouched, unit, st->df->path,
		   st->nfiles > 1 ? " and the run's other files" : "", datafile_strerror(st->restore_err));
	if (plan->extents)
		error_msg("not restored: %zu ranges at offsets (each in its own file) %s",
			  st->nunrestored, list && st->unrestored ? list : "(unknown: out of memory)");
	else
		error_msg("not restored: %zu blocks of %llu bytes at offsets%s %s", st->nunrestored,
			  (unsigned long long)plan->block,
			  st->nfiles > 1 ? " (of the files end to end)" : "",
			  list && st->unrestored ? list : "(unknown: out of memory)");
	/* every file whose journal is still there, not only the first */
	for (unsigned f = 0; st->restore_journaled && f < st->nfiles; f++)
		if (journal_pending(st->files[f].path))
			error_msg("the journal '%s%s' keeps their original bytes: once the device takes "
				  "writes again, put the file back with mmbench restore '%s'",
				  st->files[f].path, JOURNAL_SUFFIX, st->files[f].path);
	free(list);
	free(st->unrestored);
	st->unrestored = NULL;
}

/* Undo the step, after a failure too; err is its outcome so far, and the
 * result.  Once the region ran, the file is put back, so the next step
 * starts from the pattern and a user's file is left as it was; the journal
 * stays while the file is not what it was. */
static int run_step_teardown(struct run_state *st, const struct backend *b,
			     const struct workload *w, const struct op_plan *plan,
			     struct backend_ctx *ctx, struct engine *eng, bool ran, bool journaled,
			     int err, const char **stage)
{
	cleanup_catch_bus(NULL);
	/* before the engine's threads go: it reads their counters */
	sampler_stop(&st->sampler);
	engine_stop(eng);
	run_teardown_ctx(b, ctx, st->nfiles);
	if (ran && w->restore && !(b->flags & BACKEND_ANON)) {
		uint64_t *failed = calloc(plan->ntouched + 1, sizeof(*failed));
		size_t nfailed = 0;
		int rerr = w->restore(plan, st->df, failed, &nfailed);

		if (rerr) {
			/* the file is not what it was: keep its journal */
			if (!err) {
				*stage = "put back";
				err = rerr;
			}
			st->restore_err = rerr;
			st->unrestored = failed;
			st->nunrestored = nfailed;
			st->restore_journaled = journaled;
			if (journaled)
				journal_keep();
			return err;
		}
		if (journaled)
			journal_end();
		free(failed);
	}
	return err;
}

/* One repetition of one backend x workload, in named steps: setup, the
 * engine's workers, the timed region (here, where it can be seen, with the
 * SIGBUS catch that must outlive it), collect, teardown; cfg is the
 * configuration as this backend runs it (run_state.variants).  Fills row
 * on success; *stage names the step that failed. */
static int run_measure(struct run_state *st, const struct config *cfg, const struct backend *b,
		       const struct workload *w, const struct op_plan *plan, uint64_t iteration,
		       struct row *row, const char **stage)
{
	struct backend_ctx *ctx = st->ctx;
	struct engine *volatile eng = NULL; /* read after a siglongjmp */
	struct engine_out out;
	struct counters c0, c1;
	volatile bool peak_reset = false; /* read after a siglongjmp */
	uint64_t balloon;
	volatile bool ran = false, journaled = false; /* read after a siglongjmp */
	sigjmp_buf bus;
	int err;

	/* a context per file, each with the configuration its hints make */
	for (unsigned f = 0; f < st->nfiles; f++) {
		run_file_config(st, cfg, b, f, &st->file_cfg[f]);
		ctx[f] = (struct backend_ctx){
			.df = &st->files[f],
			.block = plan->block,
			.stdio_buffer = cfg->stdio_buffer,
			.qd = (unsigned)cfg->qd,
			.cfg = &st->file_cfg[f],
			.writable = (w->flags & WORKLOAD_WRITES) || plan->op != OP_READ,
			.direct = cfg->direct,
		};
	}
	datafile_note_failure(-1); /* where this step fails, if it does */
	series_clear(&st->sampler.series); /* the last step's, written or not */
	err = run_step_setup(st, b, plan, ctx, row, stage, &journaled);
	if (err)
		return err;
	/* an external worker has its own process; the engine's workers are
	 * set up here, outside the timer */
	if (!(b->flags & BACKEND_WORKER)) {
		struct engine *e;

		*stage = "read the recorded operations of";
		err = op_plan_rewind(plan);
		if (err)
			goto out_teardown;
		*stage = "set up the workers of";
		err = engine_start(&e, cfg, b, ctx, plan);
		eng = e;
		if (err)
			goto out_teardown;
	}
	balloon = run_step_before(row);
	/* the series of a measured repetition, its thread started before
	 * the counters' bracket opens (a worker's region is its own) */
	if (cfg->interval && eng && iteration >= cfg->warmup) {
		*stage = "start the sampler of";
		err = sampler_start(&st->sampler, eng, b->flags & BACKEND_ANON ? NULL : st->df,
				    cfg->interval);
		if (err)
			goto out_teardown;
	}
	*stage = "run";
	ran = true;
	if (b->flags & BACKEND_WORKER) {
		/* the worker's own region, its counters and memory around it */
		err = worker_measure(cfg, b, st->df, plan, w->name, iteration, row->rep, &out,
				     &row->d, st->lat, st->why, sizeof(st->why));
		if (err) {
			err = -RUN_EWORKER;
			goto out_teardown;
		}
		/* the worker's peak is its own, NAN where it could not be
		 * reset; a balloon is mmbench's, not the worker's */
		balloon = 0;
		peak_reset = true;
	} else {
		/* the high-water mark from here covers this region alone */
		peak_reset = memuse_reset_peak();
		counters_begin(&c0);
		/* a mapping whose file shrank under it: this step fails, not
		 * the run (in the region, or reading it back in collect) */
		if (sigsetjmp(bus, 1)) {
			datafile_note_failure(cleanup_bus_offset());
			err = -ECLEANUP_SIGBUS;
			goto out_teardown;
		}
		cleanup_catch_bus(&bus);
		err = engine_run(eng, st->lat, &out);
		counters_end(&c1);
		sampler_stop(&st->sampler); /* after the bracket closed */
		st->sampler.series.t0_ns = out.t0;
		st->sampler.series.steady_ns = out.steady_ns;
		consume_sink = out.checksum;
		if (err)
			goto out_teardown;
		counters_delta(&c0, &c1, &row->d);
	}
	err = run_step_collect(st, b, w, plan, ctx, &out, balloon, peak_reset, row, stage);
out_teardown:
	return run_step_teardown(st, b, w, plan, ctx, eng, ran, journaled, err, stage);
}

/* The series of the step whose row was just written, beside the rows
 * (the file and its header only once there is a line to put in it). */
static int run_write_series(struct run_state *st, const struct row *row)
{
	const struct series *s = &st->sampler.series;
	int err = 0;

	if (s->n < 2)
		return 0;
	if (st->sampler.full && !st->warned_series) {
		st->warned_series = true;
		error_warn("a series ran out of room for samples: its last interval holds the rest "
			   "of its region (see interval_ns)");
	}
	if (st->rc->series_fd < 0) {
		st->rc->series_fd = seriescsv_open(st->rc->series_path);
		err = st->rc->series_fd < 0 ? st->rc->series_fd : 0;
	}
	if (!err)
		err = seriescsv_write(st->rc->series_fd, row, s, &st->line);
	if (!err)
		st->rc->series_lines += s->n - 1;
	return err;
}

static int run_write_row(struct run_state *st, const struct config *cfg, const struct backend *b,
			 const struct workload *w, const struct op_plan *plan, struct row *row)
{
	struct config eff = *cfg;
	int err;

	/* The row records what this step really used: the backend's own
	 * options are set in cfg already, and name the series. */
	eff.backends[0] = b;
	eff.variant[0][0] = '\0';
	eff.nbackends = 1;
	eff.workloads[0] = w;
	eff.nworkloads = 1;
	eff.size = st->total_size;
	eff.block = plan->block;
	eff.threads = plan->threads ? plan->threads : eff.threads;
	eff.ops = plan->ops;
	eff.passes = plan->passes;
	eff.hot = plan->hot;
	if (!(w->flags & WORKLOAD_WRITES) && plan->op == OP_READ)
		eff.sync = SYNC_NONE;
	if (eff.direct)
		eff.cache = CACHE_BYPASS;
	row->cfg = &eff;
	row->si = st->rc->si;
	row->run_id = st->rc->run_id;
	row->clock_overhead_ns = st->rc->si->clock_overhead_ns;
	run_timestamp(row->timestamp, sizeof(row->timestamp));
	csv_line_reset(&st->line);
	err = rowcsv_format(row, &st->line);
	/* the file (and its header) only once there is a row to put in it */
	if (!err && st->rc->csv_fd < 0)
		err = rowcsv_open(st->rc->csv_path, &st->rc->csv_fd);
	if (!err)
		err = csv_write(st->rc->csv_fd, &st->line);
	if (!err)
		err = run_write_series(st, row);
	row->cfg = NULL; /* eff ends here */
	return err;
}

/* --nrfiles N: N temporary pattern files of --size / N bytes each (whole
 * blocks), each with a seed of its own. */
static int run_create_files(struct run_state *st)
{
	const struct config *cfg = st->cfg;
	uint64_t each = cfg->size / cfg->nrfiles / cfg->block * cfg->block;
	int err = 0;

	st->files = calloc(cfg->nrfiles, sizeof(*st->files));
	if (!st->files) {
		error_msg("out of memory");
		return EXIT_RUNTIME;
	}
	for (unsigned i = 0; i < cfg->nrfiles && !err; i++) {
		err = datafile_create(&st->files[i], cfg->dir, each, workload_file_seed(cfg->seed, i),
				      true);
		st->nfiles = i + !err;
	}
	st->df = st->files;
	if (err) {
		char size[32];

		error_msg("cannot create %llu files of %s in '%s': %s",
			  (unsigned long long)cfg->nrfiles, parse_format_size(each, size, sizeof(size)),
			  cfg->dir, datafile_strerror(err));
		return EXIT_RUNTIME;
	}
	/* planned on, never opened: each part's pattern says its bytes */
	st->joined = st->files[0];
	st->joined.fd = -1;
	st->joined.size = each * cfg->nrfiles;
	st->joined.parts = st->files;
	st->joined.nparts = st->nfiles;
	return 0;
}

/* A replay's files: the trace's, opened and checked by the workload. */
static int run_open_trace_files(struct run_state *st, const struct workload *w)
{
	char msg[1024];
	int err = w->open_files(st->cfg, &st->files, &st->nfiles, &st->hints, msg, sizeof(msg));

	if (err) {
		error_msg("%s", msg);
		return err == -EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
	}
	st->opener = w;
	st->df = st->files;
	return 0;
}

static int run_open_file(struct run_state *st)
{
	const struct config *cfg = st->cfg;
	bool writes = false;
	int err;

	st->files = st->df = &st->one;
	st->nfiles = 1;
	for (unsigned i = 0; i < cfg->nworkloads; i++)
		if (cfg->workloads[i]->open_files)
			return run_open_trace_files(st, cfg->workloads[i]);
	if (cfg->nrfiles > 1)
		return run_create_files(st);

	for (unsigned i = 0; i < cfg->nworkloads; i++)
		writes |= cfg->workloads[i]->flags & WORKLOAD_WRITES;
	if (cfg->file) {
		char refusal[3 * PATH_MAX];

		/* an in-place run was killed: the file is not what the user had */
		if (journal_refuse_pending(cfg->file, refusal, sizeof(refusal))) {
			error_msg("%s", refusal);
			return EXIT_RUNTIME;
		}
		err = datafile_open(st->df, cfg->file, cfg->seed, writes);
		if (err) {
			if (err == -EFTYPE_NOT_REGULAR)
				error_msg("'%s' for --file is %s, not a regular file", cfg->file,
					  datafile_kind(cfg->file));
			else
				error_msg("cannot open '%s': %s", cfg->file, strerror(-err));
			return EXIT_RUNTIME;
		}
		if (st->df->size < cfg->block) {
			error_msg("--block %llu is larger than '%s' (%llu bytes)",
				  (unsigned long long)cfg->block, cfg->file,
				  (unsigned long long)st->df->size);
			return EXIT_USAGE;
		}
		/* The reference read would fill the page cache after whoever
		 * runs us set it up: asis would then measure our own reads. */
		if (!st->df->patterned && (cfg->cache == CACHE_ASIS || cfg->cache == CACHE_RESIDENT)) {
			error_msg("--cache %s needs '%s' to hold the pattern for --seed %llu (make it "
				  "with mmbench prepare): a reference read would change the page cache "
				  "before the timer starts",
				  options_find("cache")->choices[cfg->cache], cfg->file,
				  (unsigned long long)cfg->seed);
			return EXIT_USAGE;
		}
		/* the sweep's own file, shared by its configurations */
		st->df->ours = st->rc->file_ours && st->df->patterned;
		if (!st->df->patterned && st->rc->summary)
			error_msg("'%s' does not hold the pattern for --seed %llu: expected "
				  "checksums come from a reference read",
				  cfg->file, (unsigned long long)cfg->seed);
		return 0;
	}
	err = datafile_create(st->df, cfg->dir, cfg->size, cfg->seed, true);
	if (err) {
		char size[32];

		error_msg("cannot create a %s file in '%s': %s",
			  parse_format_size(cfg->size, size, sizeof(size)), cfg->dir,
			  datafile_strerror(err));
		return EXIT_RUNTIME;
	}
	return 0;
}

/* What a failed step's err means, in buf: the error, the file offset
 * where it happened when one was noted, and for a file that ended early
 * the size it has now against the size the run opened. */
static const char *run_step_failure(const struct run_state *st, int err, char *buf, size_t len)
{
	int64_t at = datafile_failed_at();
	struct stat now;
	size_t n;

	if (err == -RUN_EWORKER)
		return st->why;
	snprintf(buf, len, "%s",
		 err == -ECLEANUP_SIGBUS ? "SIGBUS: the file shrank or failed under the mapping"
					 : datafile_strerror(err));
	n = strlen(buf);
	if (at >= 0 && n < len)
		n += (size_t)snprintf(buf + n, len - n, " at offset %lld", (long long)at);
	/* a file that shrank, or reads that ended before its size (a FUSE
	 * filesystem's short read is an end of file to the kernel) */
	if (err == -EDATAFILE_SHORT && !fstat(st->df->fd, &now) && n < len)
		snprintf(buf + n, len - n,
			 (uint64_t)now.st_size == st->df->size
				 ? " (its size is still %lld bytes, %llu when the run opened it: the "
				   "reads ended before it)"
				 : " (%lld bytes now, %llu when the run opened it)",
			 (long long)now.st_size, (unsigned long long)st->df->size);
	return buf;
}

/* One iteration: plan every workload, then run every backend x workload
 * once in a shuffled order. */
static int run_iteration(struct run_state *st, uint64_t it, size_t *order, struct rng *rng)
{
	const struct config *cfg = st->cfg;
	struct run_ctx *rc = st->rc;
	unsigned nw = cfg->nworkloads, ncombo = cfg->nbackends * nw;
	struct op_plan plans[CONFIG_MAX_WORKLOADS] = { 0 };
	bool measured = it >= cfg->warmup;
	int status = 0;

	for (unsigned wi = 0; wi < nw; wi++) {
		int err;
		char why[256];

		datafile_note_failure(-1);
		const struct workload *w = cfg->workloads[wi];

		if (st->nfiles > 1 && !w->open_files) { /* --nrfiles */
			err = w->plan(&plans[wi], cfg, &st->joined, 1, it);
			if (!err)
				err = workload_spread(&plans[wi], cfg, st->files, st->nfiles);
		} else {
			err = w->plan(&plans[wi], cfg, st->files, st->nfiles, it);
		}
		if (err) {
			run_report(st, "failed", "cannot plan %s: %s", cfg->workloads[wi]->name,
				   err == -E2BIG ? "it would change more than 1 GiB of a file "
						   "it must put back (lower --ops, or a smaller file)"
						 : run_step_failure(st, err, why, sizeof(why)));
			status = EXIT_RUNTIME;
			goto out;
		}
	}
	rng_shuffle(order, ncombo, rng);
	for (unsigned k = 0; k < ncombo; k++) {
		unsigned c = (unsigned)order[k];
		const struct backend *b = cfg->backends[c / nw];
		const struct config *bcfg = &st->variants[c / nw];
		const struct workload *w = cfg->workloads[c % nw];
		const char *why = b->unavailable ? b->unavailable() : NULL, *stage = "";
		struct row row = { .rep = it - cfg->warmup + 1, .metric = NAN };
		char what[640], cannot[256];
		int err;

		const char *name = st->tally.names[c / nw];

		snprintf(what, sizeof(what), "%s%s%s %s %s", rc->label ? rc->label : "",
			 rc->label ? " | " : "", name, w->name, measured ? "" : "(warm-up)");
		if (rc->progress)
			progress_show(rc->progress, what);
		/* a backend that cannot run this here is skipped, not failed */
		for (unsigned f = 0; f < st->nfiles && !why && b->check; f++)
			if (b->check(bcfg, &st->files[f], cannot, sizeof(cannot)))
				why = cannot;
		if (!why && (b->flags & BACKEND_WORKER))
			why = st->nfiles > 1 ? "a worker is given a plan of one file" : worker_cannot(b, w);
		if (why) {
			if (it == 0)
				run_report(st, "skipped", "backend %s: %s", name, why);
			rc->skipped++;
			goto next;
		}
		if (st->failed[c])
			goto next;
		/* others on the machine grow and shrink: the balloon follows */
		if (cfg->mem_limit && memlimit_hold(cannot, sizeof(cannot))) {
			run_report(st, "failed", "%s", cannot);
			rc->failures++;
			status = EXIT_RUNTIME;
			goto out;
		}
		err = run_measure(st, bcfg, b, w, &plans[c % nw], it, &row, &stage);
		if (err) {
			/* Once is enough: the same step would fail the same way
			 * in every later repetition. */
			run_report(st, "failed", "%s %s: cannot %s '%s': %s (no more repetitions of it)",
				   name, w->name, stage, st->df->path,
				   run_step_failure(st, err, cannot, sizeof(cannot)));
			rc->failures++;
			st->failed[c] = true;
			/* a file not put back: no other step may run on it */
			if (st->restore_err) {
				run_report_unrestored(st, b, w, &plans[c % nw]);
				status = EXIT_RUNTIME;
				goto out;
			}
			goto next;
		}
		if (!measured)
			goto next;
		err = run_write_row(st, bcfg, b, w, &plans[c % nw], &row);
		if (err) {
			run_report(st, "failed", "cannot write a row: %s", strerror(-err));
			rc->failures++;
			status = EXIT_RUNTIME;
			goto out;
		}
		rc->rows++;
		tally_add(&st->tally, c, &row);
		if (!row.verified) {
			rc->unverified++;
			run_report(st, "unverified",
				   "%s %s rep %llu: checksum %llu, expected %llu", name, w->name,
				   (unsigned long long)row.rep, (unsigned long long)row.checksum,
				   (unsigned long long)row.expected_checksum);
		}
next:
		if (rc->progress)
			progress_step(rc->progress);
	}
out:
	for (unsigned wi = 0; wi < nw; wi++)
		op_plan_free(&plans[wi]);
	return status;
}

static void run_close_files(struct run_state *st)
{
	if (st->opener) {
		st->opener->close_files(st->files, st->nfiles);
		free(st->hints);
	} else if (st->files != &st->one) { /* --nrfiles */
		for (unsigned i = 0; i < st->nfiles; i++)
			datafile_close(&st->files[i]);
		free(st->files);
	} else {
		datafile_close(&st->one);
	}
	st->files = st->df = NULL;
	st->hints = NULL;
	st->nfiles = 0;
}

int run_config(const struct config *cfg, struct run_ctx *rc)
{
	struct run_state st = { .cfg = cfg, .rc = rc };
	unsigned ncombo = cfg->nbackends * cfg->nworkloads;
	size_t order[CONFIG_MAX_BACKENDS * CONFIG_MAX_WORKLOADS];
	struct rng rng;
	int status;

	status = run_open_file(&st);
	if (status)
		return status;
	for (unsigned f = 0; f < st.nfiles; f++)
		st.total_size += st.files[f].size;
	/* O_DIRECT moves whole aligned blocks or fails */
	if (cfg->direct && cfg->block % datafile_direct_align(st.df)) {
		error_msg("invalid size '%llu' for --block with --direct (a multiple of the "
			  "%u-byte O_DIRECT alignment of '%s')",
			  (unsigned long long)cfg->block, datafile_direct_align(st.df), st.df->path);
		run_close_files(&st);
		return EXIT_USAGE;
	}
	/* ... and so does the file's last block: a short one fails in the
	 * middle of a step (EINVAL: a write always, a read on filesystems
	 * that do not round the tail), so refuse before any work rather
	 * than measure a part of the file the rows would not show */
	if (cfg->direct && st.df->size % datafile_direct_align(st.df)) {
		uint32_t align = datafile_direct_align(st.df);

		error_msg("--direct needs the size of '%s' to be a multiple of its %u-byte O_DIRECT "
			  "alignment: it is %llu bytes (its last %llu cannot be read or written with "
			  "O_DIRECT)",
			  st.df->path, align, (unsigned long long)st.df->size,
			  (unsigned long long)(st.df->size % align));
		run_close_files(&st);
		return EXIT_USAGE;
	}
	if (cfg->mem_limit) {
		static bool noted; /* once per process, not per configuration */
		char why[512], notes[PATH_MAX + 300];

		if (memlimit_apply(cfg->mem_limit, why, sizeof(why), notes, sizeof(notes))) {
			error_msg("%s", why);
			run_close_files(&st);
			return EXIT_RUNTIME;
		}
		if (notes[0] && !noted && rc->summary) {
			noted = true;
			error_msg("--mem-limit: %s; a %s holds the rest of memory", notes,
				  memlimit_name(memlimit_current()));
		}
	} else {
		memlimit_remove(); /* a sweep's earlier configuration had one */
	}
	st.lat = malloc(sizeof(*st.lat));
	st.failed = calloc(ncombo, sizeof(*st.failed));
	st.variants = malloc((cfg->nbackends + 1) * sizeof(*st.variants));
	st.ctx = calloc(st.nfiles + 1, sizeof(*st.ctx));
	st.file_cfg = calloc(st.nfiles + 1, sizeof(*st.file_cfg));
	if (!st.lat || !st.failed || !st.variants || !st.ctx || !st.file_cfg ||
	    tally_init(&st.tally, cfg)) {
		error_msg("out of memory");
		status = EXIT_RUNTIME;
		goto out;
	}
	for (unsigned i = 0; i < cfg->nbackends; i++)
		options_variant(cfg, i, &st.variants[i]);
	for (unsigned c = 0; c < ncombo; c++)
		order[c] = c;
	/* The order is shuffled anew each repetition, reproducibly. */
	rng_seed(&rng, cfg->seed ^ 0x5eed5eed5eed5eedULL);
	for (uint64_t it = 0; it < cfg->warmup + cfg->reps && !status; it++) {
		unsigned alive = 0;

		status = run_iteration(&st, it, order, &rng);
		/* Stop once every step has failed: nothing is left to measure. */
		for (unsigned c = 0; c < ncombo; c++)
			alive += !st.failed[c];
		if (!alive)
			break;
	}
	if (rc->failures && !status)
		status = EXIT_RUNTIME;
	if (rc->progress)
		progress_clear(rc->progress);
	tally_check_folios(&st.tally);
	if (rc->summary)
		tally_print(&st.tally, st.total_size, stderr);
out:
	run_close_files(&st);
	csv_line_free(&st.line);
	free(st.lat);
	sampler_free(&st.sampler);
	tally_free(&st.tally);
	free(st.failed);
	free(st.variants);
	free(st.ctx);
	free(st.file_cfg);
	return status;
}
