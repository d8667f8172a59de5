/*
 * workloads/replay.c - a recorded pattern replayed (--workload replay
 * --trace TRACE, docs/traces.md): every recorded thread's operations, in
 * their order, as one engine thread, on the files the trace names.
 *
 * The trace is converted once per run (replay_open_files), before any
 * step: every line is checked (the files are the ones recorded, no read
 * goes past a file's end), the operations are written to a file of their
 * own, thread by thread, in 24-byte records (struct stream_op), and the
 * checksum every replay must yield is computed from a reference read of
 * the files, as for a user's --file.  A repetition's plan then only points
 * each thread's stream at its records; the engine reads them a chunk at a
 * time (stream_ops_fill), so a trace of any length replays in bounded
 * memory: STREAM_OPS_CHUNK records per thread.
 *
 * Hints: the advice the program gave on each file (fadvise, madvise,
 * MAP_POPULATE) is kept per file; the runner applies it with --hints
 * recorded (run.c).
 *
 * Writes: on pattern copies (--trace-files remap=DIR), put back from the
 * pattern; on the recorded files themselves only with --allow-write, as
 * the writing workloads on a user's --file: each plan reads the original
 * bytes of every range written, the runner journals them (journal.h), and
 * the restore writes them back.  Either way every range written is read
 * back after each step.
 */
#include "workloads/workloads.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content/pattern.h"
#include "core/backend.h"
#include "sys/datafile.h"
#include "sys/fingerprint.h"
#include "sys/journal.h"
#include "trace/trace.h"

/* The longest operation replayed: every thread has buffers this large. */
#define REPLAY_MAX_LEN (1ULL << 30)

/* The run's converted trace, from replay_open_files() to
 * replay_close_files(): one at a time, as the runner measures one
 * configuration at a time. */
static struct replay {
	int fd; /* the records, thread after thread; -1: none */
	unsigned threads;
	uint64_t nops[CONFIG_MAX_THREADS], bytes[CONFIG_MAX_THREADS], base[CONFIG_MAX_THREADS];
	uint64_t *file_base;
	unsigned nfiles;
	uint64_t max_len, expected_sum, seq_ops, total_ops, skipped_empty;
	uint64_t fingerprint; /* of the trace file itself */
	/* writes: every write as the
	 * first pass met it, then the distinct ranges written, each with the
	 * one thread that writes it and whether the second pass has met its
	 * first write yet; scratch holds the bytes writes put down */
	struct replay_write *writes;
	size_t nwrites, cap_writes;
	struct op_extent *extents;
	unsigned *extent_thread;
	bool *extent_written;
	size_t nextents;
	struct op_plan scratch;
} replay = { .fd = -1 };

/* A write of the trace as the first pass met it. */
struct replay_write {
	struct op_extent e;
	unsigned thread;
	uint64_t line;
};

static void replay_close_files(struct datafile *files, unsigned nfiles);

/* How the advice of a trace maps onto mmbench's options. */
static int replay_madvise_of(enum trace_advice a)
{
	switch (a) {
	case TRACE_ADV_NORMAL: return MADV_MODE_NORMAL;
	case TRACE_ADV_RANDOM: return MADV_MODE_RANDOM;
	case TRACE_ADV_SEQUENTIAL: return MADV_MODE_SEQUENTIAL;
	case TRACE_ADV_WILLNEED: return MADV_MODE_WILLNEED;
	case TRACE_ADV_HUGEPAGE: return MADV_MODE_HUGEPAGE;
	case TRACE_ADV_NOHUGEPAGE: return MADV_MODE_NOHUGEPAGE;
	default: return -1; /* DONTNEED, NOREUSE: no standing advice on a mapping */
	}
}

static int replay_fadvise_of(enum trace_advice a)
{
	switch (a) {
	case TRACE_ADV_NORMAL: return FADV_MODE_NORMAL;
	case TRACE_ADV_RANDOM: return FADV_MODE_RANDOM;
	case TRACE_ADV_SEQUENTIAL: return FADV_MODE_SEQUENTIAL;
	case TRACE_ADV_WILLNEED: return FADV_MODE_WILLNEED;
	case TRACE_ADV_NOREUSE: return FADV_MODE_NOREUSE;
	default: return -1;
	}
}

/* The hints of one record, onto its file's. */
static void replay_note_hint(const struct trace_rec *rec, struct workload_hints *h)
{
	int m;

	switch (rec->hint) {
	case TRACE_HINT_FADVISE:
		if ((m = replay_fadvise_of(rec->advice)) >= 0)
			h->fadvise = m;
		break;
	case TRACE_HINT_MADVISE:
		if ((m = replay_madvise_of(rec->advice)) >= 0)
			h->madvise = m;
		break;
	case TRACE_HINT_MMAP:
		h->populate |= (rec->map_flags & TRACE_MAP_POPULATE) != 0;
		break;
	case TRACE_HINT_DIRECT:
		h->direct = true;
		break;
	default:
		break;
	}
}

/* --trace-files remap=DIR: the folder, or NULL for the recorded files. */
static const char *replay_remap_dir(const struct config *cfg)
{
	return cfg->trace_files && !strncmp(cfg->trace_files, "remap=", 6) ? cfg->trace_files + 6
									    : NULL;
}

/* The bytes each file must have for the trace's reads: its recorded size,
 * or where its farthest read ends (an iolog records no size); into size[]. */
static int replay_extents(const struct config *cfg, unsigned n, uint64_t *size, char *msg,
			  size_t len)
{
	struct trace_reader *r = NULL;
	struct trace_rec rec;
	int got = trace_open(&r, cfg->trace, msg, len);

	if (got)
		return got;
	while ((got = trace_next(r, &rec, msg, len)) > 0)
		if (rec.kind != TRACE_HINT && rec.file < n && rec.off + rec.len > size[rec.file])
			size[rec.file] = rec.off + rec.len;
	trace_close(r);
	return got < 0 ? got : 0;
}

/* --trace-files remap=DIR: a pattern file of each recorded file's size in
 * DIR (temporary, removed at exit), each with a seed of its own, in place
 * of the recorded files, which need not exist: a trace from another
 * machine, or of files since changed, replays on them. */
static int replay_remap_each(struct trace_reader *r, const struct config *cfg,
			     struct datafile *files, char *msg, size_t len)
{
	unsigned n = trace_nfiles(r);
	uint64_t *size = calloc(n + 1, sizeof(*size));
	int err = size ? 0 : -ENOMEM;

	for (unsigned i = 0; i < n && !err; i++)
		size[i] = trace_file_at(r, i)->size_known ? trace_file_at(r, i)->size : 0;
	if (!err)
		err = replay_extents(cfg, n, size, msg, len);
	for (unsigned i = 0; i < n && !err; i++) {
		err = datafile_create(&files[i], replay_remap_dir(cfg), size[i] ? size[i] : 8,
				      workload_file_seed(cfg->seed, i), true);
		if (err)
			snprintf(msg, len, "--trace-files %s: cannot make a copy of file %u (%llu bytes): %s",
				 cfg->trace_files, i, (unsigned long long)size[i], datafile_strerror(err));
	}
	free(size);
	return err;
}

/* Open the trace's files, each checked against the header. */
static int replay_open_each(struct trace_reader *r, const struct config *cfg,
			    struct datafile *files, char *msg, size_t len)
{
	if (replay_remap_dir(cfg))
		return replay_remap_each(r, cfg, files, msg, len);
	for (unsigned i = 0; i < trace_nfiles(r); i++) {
		const struct trace_file *tf = trace_file_at(r, i);
		char why[512];
		bool checked;
		int err;

		if (!tf->path[0]) {
			snprintf(msg, len,
				 "trace '%s': file %u has no path (a plan of mmbench's temporary "
				 "pattern file): nothing to replay it on",
				 cfg->trace, i);
			return -EINVAL;
		}
		err = trace_file_check(tf, &checked, why, sizeof(why));
		if (!err)
			err = datafile_open(&files[i], tf->path, cfg->seed, false);
		if (err == -EFTYPE_NOT_REGULAR)
			snprintf(why, sizeof(why), "%s", datafile_kind(tf->path));
		else if (err && err != -ETRACE_CHANGED)
			snprintf(why, sizeof(why), "%s", strerror(-err));
		if (err) {
			snprintf(msg, len,
				 "trace '%s': %s file %u '%s': %s (--trace-files remap=DIR replays on "
				 "pattern copies instead)",
				 cfg->trace, err == -ETRACE_CHANGED ? "not the recorded" : "cannot open", i,
				 tf->path, why);
			return err == -ETRACE_CHANGED ? -EINVAL : err;
		}
	}
	return 0;
}

/* Keep a write the first pass met. */
static int replay_note_write(const struct stream_op *op, unsigned thread, uint64_t line)
{
	if (replay.nwrites == replay.cap_writes) {
		size_t cap = replay.cap_writes ? 2 * replay.cap_writes : 1024;
		struct replay_write *grown = realloc(replay.writes, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		replay.writes = grown;
		replay.cap_writes = cap;
	}
	replay.writes[replay.nwrites++] = (struct replay_write){
		.e = { .off = op->off, .len = op->len, .file = op->file }, .thread = thread, .line = line
	};
	return 0;
}

static int replay_cmp_write(const void *a, const void *b)
{
	const struct replay_write *x = a, *y = b;

	if (x->e.file != y->e.file)
		return x->e.file < y->e.file ? -1 : 1;
	if (x->e.off != y->e.off)
		return x->e.off < y->e.off ? -1 : 1;
	return (x->e.len > y->e.len) - (x->e.len < y->e.len);
}

/* The distinct ranges the writes cover.  What a read returns must be known
 * for each one, whatever order the threads run in: so a range is written
 * by one thread only, and two writes overlap only where they are the same
 * range (each write puts down the same bytes for the same range). */
static int replay_extents_of_writes(const struct config *cfg, char *msg, size_t len)
{
	size_t n = 0;

	qsort(replay.writes, replay.nwrites, sizeof(*replay.writes), replay_cmp_write);
	replay.extents = malloc((replay.nwrites + 1) * sizeof(*replay.extents));
	replay.extent_thread = malloc((replay.nwrites + 1) * sizeof(*replay.extent_thread));
	replay.extent_written = calloc(replay.nwrites + 1, sizeof(*replay.extent_written));
	if (!replay.extents || !replay.extent_thread || !replay.extent_written) {
		snprintf(msg, len, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < replay.nwrites; i++) {
		const struct replay_write *w = &replay.writes[i];
		const struct op_extent *last = n ? &replay.extents[n - 1] : NULL;

		if (last && last->file == w->e.file && last->off == w->e.off && last->len == w->e.len) {
			if (replay.extent_thread[n - 1] == w->thread)
				continue;
			snprintf(msg, len,
				 "trace '%s': record %" PRIu64 " writes a range another thread writes: "
				 "which lands last is not in the trace, so a replay cannot check it",
				 cfg->trace, w->line);
			return -EINVAL;
		}
		if (last && last->file == w->e.file && w->e.off < last->off + last->len) {
			snprintf(msg, len,
				 "trace '%s': record %" PRIu64 " writes %u bytes at %" PRIu64
				 ", over part of another write's range: a replay checks writes of "
				 "whole ranges only",
				 cfg->trace, w->line, w->e.len, w->e.off);
			return -EINVAL;
		}
		replay.extents[n] = w->e;
		replay.extent_thread[n++] = w->thread;
	}
	replay.nextents = n;
	return 0;
}

/* The extent that holds byte off of file, or the first after it; index. */
static size_t replay_extent_at(unsigned file, uint64_t off)
{
	size_t lo = 0, hi = replay.nextents;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct op_extent *e = &replay.extents[mid];

		if (e->file < file || (e->file == file && e->off + e->len <= off))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* --allow-write: each recorded file the trace writes, opened again for
 * writing, refused while it has the journal of an interrupted run. */
static int replay_open_written(const struct config *cfg, struct datafile *files, char *msg,
			       size_t len)
{
	unsigned written = 0;

	for (size_t i = 0; i < replay.nextents; i++) {
		struct datafile *df = &files[replay.extents[i].file];
		char path[sizeof(df->path)];
		int err;

		if (df->ours || df->writable)
			continue;
		if (++written > JOURNAL_MAX_FILES) {
			snprintf(msg, len,
				 "trace '%s' writes more than %d of its recorded files: --allow-write "
				 "journals at most %d (replay on copies with --trace-files remap=DIR)",
				 cfg->trace, JOURNAL_MAX_FILES, JOURNAL_MAX_FILES);
			return -EINVAL;
		}
		if (journal_refuse_pending(df->path, msg, len))
			return -EEXIST;
		snprintf(path, sizeof(path), "%s", df->path);
		datafile_close(df);
		err = datafile_open(df, path, cfg->seed, true);
		if (err) {
			snprintf(msg, len, "cannot open '%s' for writing (--allow-write): %s", path,
				 err == -EFTYPE_NOT_REGULAR ? "no longer a regular file" : strerror(-err));
			return err == -EFTYPE_NOT_REGULAR ? -EINVAL : err;
		}
	}
	return 0;
}

/* The bytes a write of len at at (its offset from its file's base) puts
 * down, into buf: the plan's src with its stamp (engine.c). */
static void replay_written_bytes(uint64_t at, size_t len, unsigned char *buf)
{
	unsigned char stamp[8];

	memcpy(buf, replay.scratch.src, len);
	consume_store_le(stamp, workload_write_stamp(&replay.scratch, at));
	memcpy(buf, stamp, len < 8 ? len : 8);
}

/* What op adds to the checksum: a write its bytes; a read the file's, or,
 * inside a range its thread wrote before, what that write put down. */
static int replay_expect(const struct config *cfg, const struct datafile *df,
			 const struct stream_op *op, unsigned thread, uint64_t line, char *msg,
			 size_t len)
{
	uint64_t at = replay.file_base[op->file] + op->off, sum;
	size_t k = replay.nextents ? replay_extent_at(op->file, op->off) : 0;
	const struct op_extent *e = k < replay.nextents ? &replay.extents[k] : NULL;
	bool overlaps = e && e->file == op->file && e->off < op->off + op->len;
	int err;

	if (op->write) {
		replay.extent_written[k] = true;
		replay.expected_sum += workload_write_sum(&replay.scratch, at, op->len) *
				       workload_weight(at);
		return 0;
	}
	if (overlaps && (replay.extent_thread[k] != thread || !replay.extent_written[k] ||
			 op->off + op->len > e->off + e->len)) {
		snprintf(msg, len,
			 "trace '%s': record %" PRIu64 " reads %u bytes at %" PRIu64 " of '%s', which "
			 "a write %s: what it returns depends on how the threads run",
			 cfg->trace, line, op->len, op->off, df->path,
			 replay.extent_thread[k] != thread ? "of another thread covers"
			 : !replay.extent_written[k]	   ? "later in its thread covers"
							   : "covers only in part");
		return -EINVAL;
	}
	if (overlaps) {
		unsigned char *buf = malloc(e->len + 1);

		if (!buf) {
			snprintf(msg, len, "out of memory");
			return -ENOMEM;
		}
		replay_written_bytes(replay.file_base[op->file] + e->off, e->len, buf);
		sum = consume(buf + (op->off - e->off), op->len);
		free(buf);
	} else {
		err = datafile_expected_sum(df, op->off, op->len, &sum);
		if (err) {
			snprintf(msg, len, "cannot read '%s' for the reference checksum: %s", df->path,
				 strerror(-err));
			return err;
		}
	}
	replay.expected_sum += sum * workload_weight(at);
	return 0;
}

/* The threads that issue operations, numbered in order of their first. */
struct replay_threads {
	int of[1u << 16]; /* recorded thread -> engine thread, -1: none yet */
	unsigned n;
};

/* One pass over the records: the first (count) checks them, numbers the
 * threads and counts each one's operations; the second (out) writes them
 * and sums what a reference read of them yields. */
static int replay_pass(struct trace_reader *r, const struct config *cfg,
		       const struct datafile *files, struct workload_hints *hints,
		       struct replay_threads *th, struct stream_ops_writer *out, char *msg,
		       size_t len)
{
	uint64_t last_end[CONFIG_MAX_THREADS] = { 0 };
	unsigned last_file[CONFIG_MAX_THREADS];
	uint64_t line = 0;
	struct trace_rec rec;
	int got, err;

	memset(last_file, 0xff, sizeof(last_file));
	while ((got = trace_next(r, &rec, msg, len)) > 0) {
		const struct datafile *df;
		struct stream_op op;
		unsigned t;

		line++;
		if (rec.kind == TRACE_HINT) {
			if (!out && rec.file < replay.nfiles)
				replay_note_hint(&rec, &hints[rec.file]);
			continue;
		}
		if (rec.file >= replay.nfiles) { /* an iolog's file added after the header */
			snprintf(msg, len,
				 "trace '%s': record %" PRIu64 " names file %u, added after the "
				 "trace's first operation: list every file first",
				 cfg->trace, line, rec.file);
			return -EINVAL;
		}
		df = &files[rec.file];
		if (rec.kind == TRACE_WRITE && !df->ours && !cfg->allow_write) {
			snprintf(msg, len,
				 "trace '%s': record %" PRIu64 " writes %" PRIu64 " bytes at %" PRIu64
				 " of '%s', a recorded file: add --allow-write to let the replay write it "
				 "(journaled and put back after each repetition), or replay on copies "
				 "(--trace-files remap=DIR)",
				 cfg->trace, line, rec.len, rec.off, df->path);
			return -EINVAL;
		}
		if (rec.len == 0) { /* a read at the end of a file: nothing moved */
			if (!out)
				replay.skipped_empty++;
			continue;
		}
		if (rec.off > df->size || rec.len > df->size - rec.off) {
			snprintf(msg, len,
				 "trace '%s': record %" PRIu64 " %s %" PRIu64 " bytes at %" PRIu64
				 ", past the end of '%s' (%" PRIu64 " bytes)",
				 cfg->trace, line, rec.kind == TRACE_WRITE ? "writes" : "reads", rec.len,
				 rec.off, df->path, df->size);
			return -EINVAL;
		}
		if (rec.len > REPLAY_MAX_LEN) {
			snprintf(msg, len,
				 "trace '%s': record %" PRIu64 " reads %" PRIu64
				 " bytes at once: the most replayed is 1 GiB",
				 cfg->trace, line, rec.len);
			return -EINVAL;
		}
		if (rec.thread >= sizeof(th->of) / sizeof(th->of[0])) {
			snprintf(msg, len, "trace '%s': record %" PRIu64 " names thread %u", cfg->trace,
				 line, rec.thread);
			return -EINVAL;
		}
		if (th->of[rec.thread] < 0) {
			if (th->n == CONFIG_MAX_THREADS) {
				snprintf(msg, len,
					 "trace '%s': more than %d threads issue operations (record "
					 "%" PRIu64 ")",
					 cfg->trace, CONFIG_MAX_THREADS, line);
				return -EINVAL;
			}
			th->of[rec.thread] = (int)th->n++;
		}
		t = (unsigned)th->of[rec.thread];
		op = (struct stream_op){ .off = rec.off, .at_ns = rec.time_ns, .len = (uint32_t)rec.len,
					 .file = (uint16_t)rec.file, .write = rec.kind == TRACE_WRITE };
		if (!out && op.write) {
			err = replay_note_write(&op, t, line);
			if (err) {
				snprintf(msg, len, "out of memory");
				return err;
			}
		}
		if (!out) {
			replay.nops[t]++;
			replay.bytes[t] += rec.len;
			replay.total_ops++;
			replay.max_len = rec.len > replay.max_len ? rec.len : replay.max_len;
			replay.seq_ops += last_file[t] == rec.file && last_end[t] == rec.off;
			last_file[t] = rec.file;
			last_end[t] = rec.off + rec.len;
			continue;
		}
		err = replay_expect(cfg, df, &op, t, line, msg, len);
		if (err)
			return err;
		err = stream_ops_put(&out[t], &op);
		if (err) {
			snprintf(msg, len, "cannot write the replay's records: %s", strerror(-err));
			return err;
		}
	}
	return got;
}

/* The second pass: the records, thread by thread, and the checksum. */
static int replay_write_records(const struct config *cfg, const struct datafile *files,
				struct replay_threads *th, char *msg, size_t len)
{
	/* one writer per thread, at where its records start */
	struct stream_ops_writer *out = calloc(th->n + 1, sizeof(*out));
	struct trace_reader *r = NULL;
	uint64_t at = 0;
	unsigned n = th->n;
	int err = out ? 0 : -ENOMEM;

	for (unsigned t = 0; t < n && out; t++) {
		replay.base[t] = at;
		out[t] = (struct stream_ops_writer){ .fd = replay.fd, .at = at };
		at += replay.nops[t] * sizeof(struct stream_op);
	}
	if (!err)
		err = trace_open(&r, cfg->trace, msg, len);
	/* the same lines, the same threads in the same order */
	memset(th->of, 0xff, sizeof(th->of));
	th->n = 0;
	if (!err)
		err = replay_pass(r, cfg, files, NULL, th, out, msg, len);
	for (unsigned t = 0; t < n && !err; t++) {
		err = stream_ops_flush(&out[t]);
		if (err)
			snprintf(msg, len, "cannot write the replay's records: %s", strerror(-err));
	}
	free(out);
	trace_close(r);
	return err;
}

static int replay_open_files(const struct config *cfg, struct datafile **files, unsigned *nfiles,
		      struct workload_hints **hints, char *msg, size_t len)
{
	struct trace_reader *r = NULL;
	struct replay_threads *th = NULL;
	uint64_t size;
	unsigned n = 0;
	int err;

	*files = NULL;
	*hints = NULL;
	*nfiles = 0;
	replay_close_files(NULL, 0);
	err = trace_open(&r, cfg->trace, msg, len);
	if (err == -ETRACE_MALFORMED)
		return -EINVAL;
	if (err) { /* missing, unreadable: the flag's value is wrong */
		char why[512];

		snprintf(why, sizeof(why), "%s", msg);
		snprintf(msg, len, "invalid --trace '%s': %s", cfg->trace, why);
		return -EINVAL;
	}
	n = trace_nfiles(r);
	th = malloc(sizeof(*th));
	*files = calloc(n + 1, sizeof(**files));
	*hints = calloc(n + 1, sizeof(**hints));
	replay.file_base = calloc(n + 1, sizeof(*replay.file_base));
	if (!th || !*files || !*hints || !replay.file_base) {
		snprintf(msg, len, "out of memory");
		err = -ENOMEM;
		goto out;
	}
	for (unsigned i = 0; i <= n; i++) {
		(*files)[i].fd = -1;
		(*hints)[i] = (struct workload_hints){ .madvise = -1, .fadvise = -1 };
	}
	*nfiles = n;
	replay.nfiles = n;
	if (!n) {
		snprintf(msg, len, "trace '%s' names no file: nothing to replay", cfg->trace);
		err = -EINVAL;
		goto out;
	}
	err = replay_open_each(r, cfg, *files, msg, len);
	if (err)
		goto out;
	/* each file's offsets weigh from where the one before it ended */
	for (unsigned i = 1; i < n; i++)
		replay.file_base[i] = replay.file_base[i - 1] + ((*files)[i - 1].size + 7) / 8 * 8;
	err = fingerprint_path(cfg->trace, &size, &replay.fingerprint);
	if (err) {
		snprintf(msg, len, "cannot read trace '%s': %s", cfg->trace, strerror(-err));
		goto out;
	}
	memset(th->of, 0xff, sizeof(th->of));
	th->n = 0;
	err = replay_pass(r, cfg, *files, *hints, th, NULL, msg, len);
	if (err)
		goto out;
	if (!replay.total_ops) {
		snprintf(msg, len, "trace '%s' has no read or write to replay", cfg->trace);
		err = -EINVAL;
		goto out;
	}
	replay.threads = th->n;
	/* the bytes writes put down, as every plan's src, for the checksum */
	replay.scratch.block = replay.max_len > 8 ? replay.max_len : 8;
	err = replay.nwrites ? replay_extents_of_writes(cfg, msg, len) : 0;
	if (!err && replay.nwrites)
		err = replay_open_written(cfg, *files, msg, len);
	if (!err && replay.nwrites && (err = workload_make_src(&replay.scratch, cfg)) == 0)
		err = workload_src_prefix(&replay.scratch);
	if (err) {
		if (err == -ENOMEM)
			snprintf(msg, len, "out of memory");
		goto out;
	}
	replay.fd = workload_records_file(cfg->dir ? cfg->dir : "/var/tmp");
	if (replay.fd < 0) {
		err = replay.fd;
		replay.fd = -1;
		snprintf(msg, len, "cannot make a file for the replay's records in '%s': %s",
			 cfg->dir ? cfg->dir : "/var/tmp", strerror(-err));
		goto out;
	}
	err = replay_write_records(cfg, *files, th, msg, len);
out:
	trace_close(r);
	free(th);
	if (err) {
		replay_close_files(*files, *nfiles);
		free(*hints);
		*files = NULL;
		*hints = NULL;
		*nfiles = 0;
		return err == -ETRACE_MALFORMED ? -EINVAL : err;
	}
	return 0;
}

static void replay_close_files(struct datafile *files, unsigned nfiles)
{
	for (unsigned i = 0; files && i < nfiles; i++)
		if (files[i].fd >= 0)
			datafile_close(&files[i]);
	free(files);
	if (replay.fd >= 0)
		close(replay.fd);
	free(replay.file_base);
	free(replay.writes);
	free(replay.extents);
	free(replay.extent_thread);
	free(replay.extent_written);
	op_plan_free(&replay.scratch);
	memset(&replay, 0, sizeof(replay));
	replay.fd = -1;
}

/* The original bytes of every range the writes change in a recorded
 * file (--allow-write), end to end, read from the files as this
 * repetition finds them: what the restore and the journal put back.  None
 * for pattern copies, which are put back from their pattern. */
static int replay_save(struct op_plan *p, const struct datafile *files)
{
	uint64_t total = 0, at = 0;
	int err = 0;

	if (files[p->extents[0].file].ours)
		return 0; /* --trace-files remap: every file is a copy */
	for (size_t i = 0; i < p->nextents; i++)
		total += p->extents[i].len;
	if (total > WORKLOAD_MAX_SAVED)
		return -E2BIG;
	p->saved = malloc(total + 1);
	if (!p->saved)
		return -ENOMEM;
	for (size_t i = 0; i < p->nextents && !err; i++) {
		const struct op_extent *e = &p->extents[i];

		err = datafile_pread_all(files[e->file].fd, p->saved + at, e->len, e->off);
		at += e->len;
	}
	return err;
}

static int replay_plan(struct op_plan *p, const struct config *cfg, const struct datafile *df,
		       unsigned nfiles, uint64_t iteration)
{
	(void)cfg, (void)df, (void)iteration;
	if (replay.fd < 0 || nfiles != replay.nfiles)
		return -EINVAL; /* replay_open_files() first: a programmer's mistake */
	p->op = replay.nextents ? OP_MIXED : OP_READ;
	p->block = replay.scratch.block;
	p->passes = 1;
	if (replay.nextents) { /* the writes' bytes, and the ranges to check and put back */
		int err = workload_make_src(p, cfg);

		if (!err)
			err = workload_src_prefix(p);
		if (err)
			return err;
		p->extents = replay.extents;
		p->nextents = p->ntouched = replay.nextents;
		err = replay_save(p, df);
		if (err)
			return err;
	}
	p->threads = replay.threads;
	p->nfiles = replay.nfiles;
	p->paced = cfg->replay_timing == REPLAY_TIMING_RECORDED;
	p->expected_sum = replay.expected_sum;
	p->seq_ops = replay.seq_ops;
	p->trace_fingerprint = replay.fingerprint;
	p->file_base = malloc(replay.nfiles * sizeof(*p->file_base));
	if (!p->file_base)
		return -ENOMEM;
	memcpy(p->file_base, replay.file_base, replay.nfiles * sizeof(*p->file_base));
	p->ops = p->bytes = 0;
	for (unsigned t = 0; t < replay.threads; t++) {
		struct stream_ops *o = &p->recorded[t];

		*o = (struct stream_ops){ .fd = replay.fd, .base = replay.base[t],
					  .n = replay.nops[t], .bytes = replay.bytes[t] };
		int err = stream_ops_ready(o);

		if (err)
			return err;
		p->steady[t] = (struct stream){ .ops = o, .block = p->block };
		p->ops += o->n;
		p->bytes += o->bytes;
	}
	return 0;
}

/* A replay's writes, read back: every range holds what its writes put
 * down (from the device, after eviction, when they were synced). */
static int replay_verify(const struct op_plan *p, const struct backend *b, struct backend_ctx *ctx,
			 bool durable, bool *ok)
{
	unsigned char *got = malloc(p->block + 1), *want = malloc(p->block + 1);
	int err = 0;

	*ok = true;
	if (!got || !want)
		err = -ENOMEM;
	for (unsigned f = 0; f < p->nfiles && !err && p->nextents && durable &&
			     !(b->flags & BACKEND_ANON);
	     f++)
		err = datafile_evict(ctx[f].df);
	for (size_t i = 0; i < p->nextents && !err && *ok; i++) {
		const struct op_extent *e = &p->extents[i];
		struct backend_ctx *c = &ctx[e->file];

		err = b->peek ? b->peek(c, e->off, e->len, got)
			      : datafile_pread_all(c->df->fd, got, e->len, e->off);
		replay_written_bytes(p->file_base[e->file] + e->off, e->len, want);
		*ok = !err && !memcmp(got, want, e->len);
	}
	free(got);
	free(want);
	return err;
}

/* Put every written range back, a recorded file's from its saved bytes,
 * a copy's from its pattern, then sync each file that was written. */
static int replay_restore(const struct op_plan *p, const struct datafile *files, uint64_t *failed,
			  size_t *nfailed)
{
	unsigned char *buf = malloc(p->block + 1);
	uint64_t at = 0;
	int err = 0;

	*nfailed = 0;
	if (!buf)
		return p->nextents ? -ENOMEM : 0;
	for (size_t i = 0; i < p->nextents; at += p->extents[i++].len) {
		const struct op_extent *e = &p->extents[i];
		/* a recorded file's own bytes as saved, a copy's its pattern */
		const unsigned char *orig = p->saved ? p->saved + at : buf;
		int e2;

		if (!p->saved)
			pattern_fill(files[e->file].seed, e->off, buf, e->len);
		e2 = datafile_pwrite_all(files[e->file].fd, orig, e->len, e->off);
		if (!e2)
			continue;
		err = err ? err : e2;
		if (failed)
			failed[*nfailed] = e->off;
		++*nfailed;
	}
	free(buf);
	for (unsigned f = 0; f < p->nfiles && !err && p->nextents; f++)
		if (fdatasync(files[f].fd))
			err = -errno;
	return err;
}

const struct workload workload_replay = {
	.name = "replay",
	.summary = "the operations of --trace, each recorded thread as one thread, on its files",
	.flags = WORKLOAD_TRACE,
	.op = OP_READ,
	.plan = replay_plan,
	.verify = replay_verify,
	.restore = replay_restore,
	.open_files = replay_open_files,
	.close_files = replay_close_files,
};
