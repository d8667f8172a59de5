#include "core/engine.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "content/consume.h"
#include "sys/cleanup.h"
#include "sys/datafile.h"
#include "util/clock.h"

struct engine;

struct engine_thread {
	struct engine *e;
	unsigned id;
	pthread_t thread;
	bool started; /* its thread (id > 0) is running or parked */
	bool registered; /* a writer known to the signal handler (engine_writers()) */
	struct backend_thread *bt; /* [file]: its state for each of the plan's files */
	struct hist lat;
	uint64_t every, countdown; /* time one operation in `every` */
	uint64_t checksum;
	/* operations and bytes completed so far: written by this thread
	 * alone, read by a sampler (engine_progress()) without a lock */
	uint64_t done_ops, done_bytes;
	uint64_t end_ns;
	int err;
	int64_t failed_at; /* the file offset where err happened, or -1 */
	/* asynchronous backends: the qd slots, the free ones, completions */
	unsigned char **wsrc; /* OP_WRITE: [slot] a copy of src to stamp */
	unsigned nwsrc;
	struct io_req *slots;
	unsigned *free_slots;
	bool *busy; /* [slot] in flight */
	struct io_req **done;
};

struct engine {
	const struct config *cfg;
	const struct backend *b;
	struct backend_ctx *ctx; /* [file] */
	unsigned nfiles;
	const struct op_plan *p;
	const uint64_t *file_base; /* [file]: where its offsets start in the checksum's weights */
	unsigned n;
	bool paced; /* --replay-timing recorded: each operation waits for its time */
	uint64_t start_ns;
	bool first;    /* the plan has a first pass reported apart */
	bool sync_each;
	/* The start gate: parked threads wait for released (any number of
	 * them, so a start that failed half way can still let them go). */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool released, abort; /* abort: released without a run */
	pthread_barrier_t steady;
	uint64_t steady_ns;
	struct engine_thread *threads;
};

/* True when this operation is one of the sampled ones. */
static inline bool engine_sampled(struct engine_thread *th)
{
	if (--th->countdown)
		return false;
	th->countdown = th->every;
	return true;
}

/* Use a completed read's data, or account a completed write: the same
 * consume() for every backend.  Always inlined: once writes of any length
 * made it larger, the compiler called it, 29 instructions an operation. */
static inline __attribute__((always_inline)) void
engine_account(struct engine_thread *th, const struct io_req *r, bool recorded)
{
	const struct op_plan *p = th->e->p;
	uint64_t at = recorded ? r->off + th->e->file_base[r->file] : r->off;

	if (r->write)
		th->checksum += workload_write_sum(p, at, r->len) * workload_weight(at);
	else if (p->touch_step)
		th->checksum += consume_pages(r->data, r->len, p->touch_step) * workload_weight(at);
	else
		th->checksum += consume(r->data, r->len) * workload_weight(at);
}

/* Count one completed operation of len bytes: a plain read of the
 * thread's own words and relaxed stores, so a sampler reading them never
 * sees a torn value and the loop pays no fence. */
static inline void engine_done(struct engine_thread *th, size_t len)
{
	__atomic_store_n(&th->done_ops, th->done_ops + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&th->done_bytes, th->done_bytes + len, __ATOMIC_RELAXED);
}

/* The bytes of a write at at (its offset from its file's base), in
 * slot's own copy of src. */
static inline unsigned char *engine_write_data(struct engine_thread *th, unsigned slot, uint64_t at)
{
	unsigned char *buf = th->wsrc[slot];

	consume_store_le(buf, workload_write_stamp(th->e->p, at));
	return buf;
}

/* --replay-timing recorded: hold the operation until its recorded time
 * since the region's start (an operation already late goes at once). */
static inline void engine_pace(const struct engine *e, uint64_t at_ns)
{
	uint64_t due = e->start_ns + at_ns;
	struct timespec ts = { .tv_sec = (time_t)(due / 1000000000ULL),
			       .tv_nsec = (long)(due % 1000000000ULL) };

	if (clock_now_ns() < due)
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
}

/* The next operation: a recorded stream's, or a synthetic one's (file 0,
 * the plan's kind), told apart at compile time by recorded, so the
 * synthetic loop pays nothing for what a replay needs. */
static inline __attribute__((always_inline)) bool
engine_next(const struct stream *s, struct stream_pos *pos, struct stream_item *it, bool recorded)
{
	if (recorded)
		return stream_next_item(s, pos, it);
	it->file = 0;
	it->write = false;
	it->at_ns = 0;
	return stream_next(s, pos, &it->off, &it->len);
}

/* A synchronous backend: every request completes inside queue(). */
static inline __attribute__((always_inline)) int
engine_stream_sync_as(struct engine_thread *th, const struct stream *s, bool recorded)
{
	const struct backend *b = th->e->b;
	const struct op_plan *p = th->e->p;
	bool paced = recorded && th->e->paced;
	struct backend_thread *const bt0 = th->bt; /* a synthetic plan's one file */
	struct stream_pos pos;
	struct stream_item it;

	stream_start(s, &pos);
	while (engine_next(s, &pos, &it, recorded)) {
		struct backend_thread *bt = recorded ? &th->bt[it.file] : bt0;
		bool timed, write = p->op == OP_WRITE || it.write;
		uint64_t t0;
		struct io_req r = { .off = it.off, .len = it.len, .file = it.file, .write = write };
		int err;

		if (paced)
			engine_pace(th->e, it.at_ns);
		timed = engine_sampled(th);
		t0 = timed ? clock_now_ns() : 0;
		if (r.write)
			r.data = engine_write_data(th, 0, recorded ? it.off + th->e->file_base[it.file]
								   : it.off);
		err = b->queue(bt, &r);

		if (err)
			return err;
		if (p->op == OP_UPDATE) {
			uint64_t at = recorded ? it.off + th->e->file_base[it.file] : it.off;

			th->checksum += consume_increment(r.data, it.len, 1) * workload_weight(at);
			/* through a mapping the update is already in the file */
			if (!(b->flags & BACKEND_INPLACE)) {
				r.write = true;
				err = b->queue(bt, &r);
			}
		} else {
			engine_account(th, &r, recorded);
		}
		if (!err && th->e->sync_each && (r.write || p->op == OP_UPDATE))
			err = b->sync(bt, it.off, it.len);
		if (!err && bt->release)
			err = b->release(bt, &r);
		if (err)
			return err;
		engine_done(th, it.len);
		if (timed)
			hist_add(&th->lat, clock_now_ns() - t0);
	}
	return recorded ? s->ops->err : 0;
}

static int engine_stream_sync(struct engine_thread *th, const struct stream *s)
{
	return s->ops ? engine_stream_sync_as(th, s, true) : engine_stream_sync_as(th, s, false);
}

/* Whether a request that overlaps it's range of its file is in flight. */
static bool engine_in_flight(const struct engine_thread *th, unsigned qd,
			     const struct stream_item *it)
{
	for (unsigned i = 0; i < qd; i++) {
		const struct io_req *r = &th->slots[i];

		if (th->busy[i] && r->file == it->file && r->off < it->off + it->len &&
		    it->off < r->off + r->len)
			return true;
	}
	return false;
}

/* Where a thread's walk of a stream with requests in flight is. */
struct engine_async {
	const struct stream *s;
	struct stream_pos pos;
	unsigned qd, nfree, inflight;
	bool more; /* the stream has operations left */
	bool held; /* an update waits for an earlier one of its block */
	struct stream_item held_item;
};

/* Queue up to limit requests into free slots; 0 or a negative errno. */
static int engine_fill(struct engine_thread *th, struct engine_async *a, unsigned limit)
{
	const struct backend *b = th->e->b;
	const struct op_plan *p = th->e->p;

	while ((a->more || a->held) && a->nfree && limit--) {
		struct io_req *r = &th->slots[th->free_slots[a->nfree - 1]];
		struct stream_item it;
		int err;

		if (a->held) {
			it = a->held_item;
		} else if (!stream_next_item(a->s, &a->pos, &it)) {
			a->more = false;
			break;
		}
		/* Two updates of one block in flight would both read its old
		 * words and one increment would be lost, and a read in flight
		 * with a write of its block may see either: the second waits
		 * (as fio's serialize_overlap). */
		a->held = (p->op == OP_UPDATE || p->op == OP_MIXED) &&
			  engine_in_flight(th, a->qd, &it);
		if (a->held) {
			a->held_item = it;
			break;
		}
		if (th->e->paced)
			engine_pace(th->e, it.at_ns);
		a->nfree--;
		r->off = it.off;
		r->len = it.len;
		r->file = it.file;
		r->slot = (unsigned)(r - th->slots);
		r->write = p->op == OP_WRITE || it.write;
		r->data = r->write ? engine_write_data(th, r->slot, it.off + th->e->file_base[it.file])
				   : NULL;
		r->issue_ns = engine_sampled(th) ? clock_now_ns() : 0;
		/* every file's requests go to the thread's one queue (bt[0]'s,
		 * which the others share: backend_thread.first) */
		err = b->queue(&th->bt[it.file], r);
		if (err < 0)
			return err;
		th->busy[r->slot] = true;
		a->inflight++;
	}
	return 0;
}

/* An asynchronous backend: up to qd requests in flight, reaped as they
 * complete; an update's write goes out from its slot when its read is in.
 * A freed slot is filled and submitted at once, before the rest of the
 * batch is consumed: the device is not left idle while the data of a
 * batch of completions is being read (fio reads none). */
static int engine_stream_async(struct engine_thread *th, const struct stream *s)
{
	const struct backend *b = th->e->b;
	const struct op_plan *p = th->e->p;
	struct engine_async a = { .s = s, .qd = th->e->ctx->qd, .more = true };
	int err;

	a.nfree = a.qd;
	for (unsigned i = 0; i < a.qd; i++)
		th->free_slots[i] = i;
	stream_start(s, &a.pos);
	err = engine_fill(th, &a, a.qd);
	while (!err && a.inflight) {
		int n = b->reap(&th->bt[0], 1, th->done, a.qd);

		if (n < 0)
			return n;
		for (int i = 0; i < n && !err; i++) {
			struct io_req *r = th->done[i];

			if (r->result)
				return r->result;
			if (p->op == OP_UPDATE && !r->write) {
				th->checksum += consume_increment(r->data, r->len, 1) *
						workload_weight(r->off + th->e->file_base[r->file]);
				r->write = true;
				err = b->queue(&th->bt[r->file], r);
				err = err < 0 ? err : 0;
				continue; /* still in flight, as its write */
			}
			if (p->op != OP_UPDATE)
				engine_account(th, r, true);
			if (th->e->sync_each && r->write)
				err = b->sync(&th->bt[r->file], r->off, r->len);
			engine_done(th, r->len);
			if (r->issue_ns)
				hist_add(&th->lat, clock_now_ns() - r->issue_ns);
			th->free_slots[a.nfree++] = r->slot;
			th->busy[r->slot] = false;
			a.inflight--;
			/* the freed slot goes back to the device now */
			if (!err && i + 1 < n && (a.more || a.held)) {
				err = engine_fill(th, &a, 1);
				if (!err)
					err = b->reap(&th->bt[0], 0, th->done + n, 0) < 0 ? -EIO : 0;
			}
		}
		if (!err)
			err = engine_fill(th, &a, a.qd);
	}
	return err ? err : s->ops ? s->ops->err : 0;
}

static int engine_stream(struct engine_thread *th, const struct stream *s)
{
	return th->e->b->reap ? engine_stream_async(th, s) : engine_stream_sync(th, s);
}

/* engine_stream() with this thread's own SIGBUS guard: a mapping whose
 * file shrank or whose device failed under any thread fails the stream
 * with -ECLEANUP_SIGBUS and the faulting offset noted, instead of ending
 * the process.  Once per stream, outside the per-operation loop. */
static int engine_stream_guarded(struct engine_thread *th, const struct stream *s)
{
	sigjmp_buf bus;
	sigjmp_buf *outer = cleanup_catch_bus(NULL); /* the runner's, on thread 0 */
	int err;

	if (sigsetjmp(bus, 1)) {
		cleanup_catch_bus(outer);
		datafile_note_failure(cleanup_bus_offset());
		return -ECLEANUP_SIGBUS;
	}
	cleanup_catch_bus(&bus);
	err = engine_stream(th, s);
	cleanup_catch_bus(outer);
	return err;
}

/* One thread's part of the timed region. */
static void engine_work(struct engine_thread *th)
{
	struct engine *e = th->e;
	int err = 0;

	if (e->first) {
		err = engine_stream_guarded(th, &e->p->first[th->id]);
		/* Latencies describe the steady state, like the throughput. */
		hist_reset(&th->lat);
		if (e->n > 1)
			pthread_barrier_wait(&e->steady);
		if (th->id == 0)
			e->steady_ns = clock_now_ns();
		if (e->n > 1)
			pthread_barrier_wait(&e->steady);
	}
	if (!err)
		err = engine_stream_guarded(th, &e->p->steady[th->id]);
	for (unsigned f = 0; f < e->nfiles && !err && e->b->thread_end; f++)
		err = e->b->thread_end(&th->bt[f]);
	th->end_ns = clock_now_ns();
	th->err = err;
	/* where it failed, from this thread to the runner's */
	th->failed_at = err ? datafile_failed_at() : -1;
}

static void *engine_thread(void *arg)
{
	struct engine_thread *th = arg;
	struct engine *e = th->e;

	/* known before it is let go (engine_writers()) */
	if (e->p->op != OP_READ)
		cleanup_writer_enter();
	__atomic_store_n(&th->registered, true, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&e->lock);
	while (!e->released)
		pthread_cond_wait(&e->cond, &e->lock);
	pthread_mutex_unlock(&e->lock);
	if (!e->abort)
		engine_work(th);
	if (e->p->op != OP_READ)
		cleanup_writer_leave();
	return NULL;
}

/* A plan that writes: every thread that will write known to the signal
 * handler before any starts (cleanup_writer_enter), so a signal stops
 * them all before a user's file goes back.  Untimed: the workers are
 * parked at the gate. */
static void engine_writers(struct engine *e)
{
	if (e->p->op == OP_READ)
		return;
	cleanup_writer_enter();
	for (unsigned i = 1; i < e->n; i++)
		while (e->threads[i].started &&
		       !__atomic_load_n(&e->threads[i].registered, __ATOMIC_SEQ_CST))
			sched_yield();
}

/* Let every parked thread go: to work, or with abort to leave. */
static void engine_release(struct engine *e, bool abort)
{
	pthread_mutex_lock(&e->lock);
	e->abort = abort;
	e->released = true;
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

/* Every slot's copy of the plan's bytes to write, made before the timer. */
static int engine_alloc_wsrc(struct engine_thread *th, unsigned n)
{
	const struct op_plan *p = th->e->p;

	th->nwsrc = n;
	th->wsrc = calloc(n, sizeof(*th->wsrc));
	if (!th->wsrc)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		th->wsrc[i] = backend_alloc_buffer(p->block);
		if (!th->wsrc[i])
			return -ENOMEM;
		memcpy(th->wsrc[i], p->src, p->block);
	}
	return 0;
}

/* A plan of one file starts its weights at 0. */
static const uint64_t engine_one_file_base[1];

int engine_start(struct engine **out, const struct config *cfg, const struct backend *b,
		 struct backend_ctx *ctx, const struct op_plan *p)
{
	struct engine *e = calloc(1, sizeof(*e));
	unsigned n = p->threads ? p->threads : 1;
	int err = 0;

	*out = e;
	if (!e)
		return -ENOMEM;
	e->cfg = cfg;
	e->b = b;
	e->ctx = ctx;
	e->nfiles = p->nfiles ? p->nfiles : 1;
	e->file_base = p->file_base ? p->file_base : engine_one_file_base;
	e->paced = p->paced;
	e->p = p;
	e->n = n;
	e->sync_each = cfg->sync == SYNC_EACH && b->sync;
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->cond, NULL);
	for (unsigned i = 0; i < n; i++)
		e->first |= stream_ops(&p->first[i]) > 0;
	e->threads = calloc(n, sizeof(*e->threads));
	if (!e->threads)
		return -ENOMEM;
	if (n > 1 && pthread_barrier_init(&e->steady, NULL, n)) {
		e->n = 0; /* nothing to join or destroy */
		return -EAGAIN;
	}
	for (unsigned i = 0; i < n && !err; i++) {
		struct engine_thread *th = &e->threads[i];

		th->e = e;
		th->id = i;
		th->bt = calloc(e->nfiles + 1, sizeof(*th->bt)); /* + 1: never 0 bytes */
		if (!th->bt) {
			err = -ENOMEM;
			break;
		}
		th->every = th->countdown = cfg->latency_every ? cfg->latency_every : UINT64_MAX;
		if (b->reap) {
			th->slots = calloc(ctx->qd, sizeof(*th->slots));
			th->free_slots = calloc(ctx->qd, sizeof(*th->free_slots));
			/* an array of pointers to slots, as sizeof says */
			th->done = calloc(ctx->qd, sizeof(*th->done)); // NOLINT(bugprone-sizeof-expression)
			th->busy = calloc(ctx->qd, sizeof(*th->busy));
			if (!th->slots || !th->free_slots || !th->done || !th->busy)
				err = -ENOMEM;
		}
		if (!err && p->src)
			err = engine_alloc_wsrc(th, b->reap ? ctx->qd : 1);
		for (unsigned f = 0; f < e->nfiles && !err; f++) {
			th->bt[f].ctx = &ctx[f];
			th->bt[f].first = f ? &th->bt[0] : NULL;
			th->bt[f].release = b->release != NULL;
			if (b->thread_setup)
				err = b->thread_setup(&th->bt[f]);
			th->bt[f].set_up = !err;
		}
		if (!err && i > 0) {
			err = -pthread_create(&th->thread, NULL, engine_thread, th);
			th->started = !err;
		}
	}
	return err;
}

int engine_run(struct engine *e, struct hist *lat, struct engine_out *out)
{
	const struct backend *b = e->b;
	uint64_t sampled_ns;
	int err = 0;

	memset(out, 0, sizeof(*out));
	engine_writers(e);
	out->t0 = clock_now_ns();
	e->steady_ns = e->start_ns = out->t0;
	for (unsigned f = 0; f < e->nfiles && !err && b->begin; f++)
		err = b->begin(&e->ctx[f]);
	if (e->n > 1)
		engine_release(e, err != 0); /* every thread starts now */
	if (!err)
		engine_work(&e->threads[0]);
	if (e->p->op != OP_READ)
		cleanup_writer_leave();
	for (unsigned i = 1; i < e->n; i++) {
		pthread_join(e->threads[i].thread, NULL);
		e->threads[i].started = false;
	}
	for (unsigned i = 0; i < e->n && !err; i++) {
		err = e->threads[i].err;
		if (err)
			datafile_note_failure(e->threads[i].failed_at);
	}
	bool wrote = e->p->op != OP_READ;

	for (unsigned f = 0; f < e->nfiles && !err && wrote && e->cfg->sync == SYNC_END && b->sync; f++)
		err = b->sync(&e->threads[0].bt[f], 0, 0);
	/* What the process holds at the height of the region: every
	 * operation done and the mapping not yet unmapped by end().  The
	 * sample's own time is left out of the region. */
	{
		uint64_t a = clock_now_ns();

		memuse_sample(&out->mem);
		sampled_ns = clock_now_ns() - a;
	}
	for (unsigned f = 0; f < e->nfiles && !err && b->end; f++)
		err = b->end(&e->ctx[f]);
	out->t1 = clock_now_ns() - sampled_ns;
	out->steady_ns = e->steady_ns;
	hist_reset(lat);
	for (unsigned i = 0; i < e->n; i++) {
		struct engine_thread *th = &e->threads[i];
		uint64_t wbytes = stream_bytes(&e->p->steady[i]);
		uint64_t ns = th->end_ns > e->steady_ns ? th->end_ns - e->steady_ns : 1;
		double rate = (double)wbytes * 1e9 / (double)ns;

		out->checksum += th->checksum;
		hist_merge(lat, &th->lat);
		/* the slowest: the lowest rate of a thread that had work */
		if (wbytes && (out->slowest_thread_bps == 0 || rate < out->slowest_thread_bps))
			out->slowest_thread_bps = rate;
	}
	return err;
}

void engine_progress(const struct engine *e, uint64_t *ops, uint64_t *bytes)
{
	*ops = *bytes = 0;
	for (unsigned i = 0; i < e->n; i++) {
		*ops += __atomic_load_n(&e->threads[i].done_ops, __ATOMIC_RELAXED);
		*bytes += __atomic_load_n(&e->threads[i].done_bytes, __ATOMIC_RELAXED);
	}
}

void engine_stop(struct engine *e)
{
	if (!e)
		return;
	/* parked threads of a run that never started leave through the gate */
	if (e->threads && !e->released) {
		engine_release(e, true);
		for (unsigned i = 1; i < e->n; i++)
			if (e->threads[i].started)
				pthread_join(e->threads[i].thread, NULL);
	}
	for (unsigned i = 0; e->threads && i < e->n; i++) {
		struct engine_thread *th = &e->threads[i];

		/* the shared queue's owner, bt[0], goes last */
		for (unsigned f = e->nfiles; th->bt && f-- > 0;)
			if (e->b->thread_teardown && th->bt[f].set_up)
				e->b->thread_teardown(&th->bt[f]);
		free(th->bt);
		free(th->slots);
		free(th->free_slots);
		free(th->done);
		free(th->busy);
		for (unsigned k = 0; th->wsrc && k < th->nwsrc; k++)
			free(th->wsrc[k]);
		free(th->wsrc);
	}
	if (e->n > 1)
		pthread_barrier_destroy(&e->steady);
	pthread_mutex_destroy(&e->lock);
	pthread_cond_destroy(&e->cond);
	free(e->threads);
	free(e);
}
