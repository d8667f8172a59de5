#include "core/engine.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "content/consume.h"

struct engine;

struct worker {
	struct engine *e;
	unsigned id;
	pthread_t thread;
	bool started; /* its thread (id > 0) is running or parked */
	struct backend_worker bw;
	struct hist lat;
	uint64_t every, countdown; /* time one operation in `every` */
	uint64_t checksum;
	uint64_t end_ns;
	int err;
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
	struct backend_ctx *ctx;
	const struct plan *p;
	unsigned n;
	bool first;    /* the plan has a first pass reported apart */
	bool sync_each;
	/* The start gate: parked workers wait for released (any number of
	 * them, so a start that failed half way can still let them go). */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool released, abort; /* abort: released without a run */
	pthread_barrier_t steady;
	uint64_t steady_ns;
	struct worker *w;
};

/* True when this operation is one of the sampled ones. */
static inline bool engine_sampled(struct worker *wk)
{
	if (--wk->countdown)
		return false;
	wk->countdown = wk->every;
	return true;
}

/* Use a completed read's data, or account a completed write: the same
 * consume() for every backend. */
static inline void engine_account(struct worker *wk, const struct io_req *r)
{
	const struct plan *p = wk->e->p;

	if (p->op == OP_WRITE)
		wk->checksum += workload_write_sum(p, r->off, r->len) * workload_weight(r->off);
	else if (p->touch_step)
		wk->checksum += consume_pages(r->data, r->len, p->touch_step) * workload_weight(r->off);
	else
		wk->checksum += consume(r->data, r->len) * workload_weight(r->off);
}

/* The bytes of a write at off, in slot's own copy of src. */
static inline unsigned char *engine_write_data(struct worker *wk, unsigned slot, uint64_t off)
{
	unsigned char *buf = wk->wsrc[slot];

	consume_store_le(buf, workload_write_stamp(wk->e->p, off));
	return buf;
}

/* A synchronous backend: every request completes inside queue(). */
static int engine_stream_sync(struct worker *wk, const struct stream *s)
{
	const struct backend *b = wk->e->b;
	const struct plan *p = wk->e->p;
	struct stream_pos pos;
	uint64_t off;
	size_t len;

	stream_start(s, &pos);
	while (stream_next(s, &pos, &off, &len)) {
		bool timed = engine_sampled(wk);
		uint64_t t0 = timed ? clock_now_ns() : 0;
		struct io_req r = { .off = off, .len = len, .write = p->op == OP_WRITE };
		int err;

		if (r.write)
			r.data = engine_write_data(wk, 0, off);
		err = b->queue(&wk->bw, &r);

		if (err)
			return err;
		if (p->op == OP_UPDATE) {
			wk->checksum += consume_increment(r.data, len, 1) * workload_weight(off);
			/* through a mapping the update is already in the file */
			if (!(b->flags & BACKEND_INPLACE)) {
				r.write = true;
				err = b->queue(&wk->bw, &r);
			}
		} else {
			engine_account(wk, &r);
		}
		if (!err && wk->e->sync_each && p->op != OP_READ)
			err = b->sync(&wk->bw, off, len);
		if (!err && wk->bw.release)
			err = b->release(&wk->bw, &r);
		if (err)
			return err;
		if (timed)
			hist_add(&wk->lat, clock_now_ns() - t0);
	}
	return 0;
}

/* Whether a request for the block at off is in flight. */
static bool engine_in_flight(const struct worker *wk, unsigned qd, uint64_t off)
{
	for (unsigned i = 0; i < qd; i++)
		if (wk->busy[i] && wk->slots[i].off == off)
			return true;
	return false;
}

/* Where a worker's walk of a stream with requests in flight is. */
struct engine_async {
	const struct stream *s;
	struct stream_pos pos;
	unsigned qd, nfree, inflight;
	bool more; /* the stream has operations left */
	bool held; /* an update waits for an earlier one of its block */
	uint64_t held_off;
	size_t held_len;
};

/* Queue up to limit requests into free slots; 0 or a negative errno. */
static int engine_fill(struct worker *wk, struct engine_async *a, unsigned limit)
{
	const struct backend *b = wk->e->b;
	const struct plan *p = wk->e->p;

	while ((a->more || a->held) && a->nfree && limit--) {
		struct io_req *r = &wk->slots[wk->free_slots[a->nfree - 1]];
		int err;

		if (a->held) {
			r->off = a->held_off;
			r->len = a->held_len;
		} else if (!stream_next(a->s, &a->pos, &r->off, &r->len)) {
			a->more = false;
			break;
		}
		/* Two updates of one block in flight would both read its old
		 * words and one increment would be lost: the second waits (as
		 * fio's serialize_overlap). */
		a->held = p->op == OP_UPDATE && engine_in_flight(wk, a->qd, r->off);
		if (a->held) {
			a->held_off = r->off;
			a->held_len = r->len;
			break;
		}
		a->nfree--;
		r->slot = (unsigned)(r - wk->slots);
		r->write = p->op == OP_WRITE;
		r->data = r->write ? engine_write_data(wk, r->slot, r->off) : NULL;
		r->issue_ns = engine_sampled(wk) ? clock_now_ns() : 0;
		err = b->queue(&wk->bw, r);
		if (err < 0)
			return err;
		wk->busy[r->slot] = true;
		a->inflight++;
	}
	return 0;
}

/* An asynchronous backend: up to qd requests in flight, reaped as they
 * complete; an update's write goes out from its slot when its read is in.
 * A freed slot is filled and submitted at once, before the rest of the
 * batch is consumed: the device is not left idle while the data of a
 * batch of completions is being read (fio reads none). */
static int engine_stream_async(struct worker *wk, const struct stream *s)
{
	const struct backend *b = wk->e->b;
	const struct plan *p = wk->e->p;
	struct engine_async a = { .s = s, .qd = wk->e->ctx->qd, .more = true };
	int err;

	a.nfree = a.qd;
	for (unsigned i = 0; i < a.qd; i++)
		wk->free_slots[i] = i;
	stream_start(s, &a.pos);
	err = engine_fill(wk, &a, a.qd);
	while (!err && a.inflight) {
		int n = b->reap(&wk->bw, 1, wk->done, a.qd);

		if (n < 0)
			return n;
		for (int i = 0; i < n && !err; i++) {
			struct io_req *r = wk->done[i];

			if (r->result)
				return r->result;
			if (p->op == OP_UPDATE && !r->write) {
				wk->checksum += consume_increment(r->data, r->len, 1) *
						workload_weight(r->off);
				r->write = true;
				err = b->queue(&wk->bw, r);
				err = err < 0 ? err : 0;
				continue; /* still in flight, as its write */
			}
			if (p->op != OP_UPDATE)
				engine_account(wk, r);
			if (wk->e->sync_each && r->write)
				err = b->sync(&wk->bw, r->off, r->len);
			if (r->issue_ns)
				hist_add(&wk->lat, clock_now_ns() - r->issue_ns);
			wk->free_slots[a.nfree++] = r->slot;
			wk->busy[r->slot] = false;
			a.inflight--;
			/* the freed slot goes back to the device now */
			if (!err && i + 1 < n && (a.more || a.held)) {
				err = engine_fill(wk, &a, 1);
				if (!err)
					err = b->reap(&wk->bw, 0, wk->done + n, 0) < 0 ? -EIO : 0;
			}
		}
		if (!err)
			err = engine_fill(wk, &a, a.qd);
	}
	return err;
}

static int engine_stream(struct worker *wk, const struct stream *s)
{
	return wk->e->b->reap ? engine_stream_async(wk, s) : engine_stream_sync(wk, s);
}

/* One worker's part of the timed region. */
static void engine_work(struct worker *wk)
{
	struct engine *e = wk->e;
	int err = 0;

	if (e->first) {
		err = engine_stream(wk, &e->p->first[wk->id]);
		/* Latencies describe the steady state, like the throughput. */
		hist_reset(&wk->lat);
		if (e->n > 1)
			pthread_barrier_wait(&e->steady);
		if (wk->id == 0)
			e->steady_ns = clock_now_ns();
		if (e->n > 1)
			pthread_barrier_wait(&e->steady);
	}
	if (!err)
		err = engine_stream(wk, &e->p->steady[wk->id]);
	if (!err && e->b->worker_end)
		err = e->b->worker_end(&wk->bw);
	wk->end_ns = clock_now_ns();
	wk->err = err;
}

static void *engine_thread(void *arg)
{
	struct worker *wk = arg;
	struct engine *e = wk->e;

	pthread_mutex_lock(&e->lock);
	while (!e->released)
		pthread_cond_wait(&e->cond, &e->lock);
	pthread_mutex_unlock(&e->lock);
	if (!e->abort)
		engine_work(wk);
	return NULL;
}

/* Let every parked worker go: to work, or with abort to leave. */
static void engine_release(struct engine *e, bool abort)
{
	pthread_mutex_lock(&e->lock);
	e->abort = abort;
	e->released = true;
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

/* Every slot's copy of the plan's bytes to write, made before the timer. */
static int engine_alloc_wsrc(struct worker *wk, unsigned n)
{
	const struct plan *p = wk->e->p;

	wk->nwsrc = n;
	wk->wsrc = calloc(n, sizeof(*wk->wsrc));
	if (!wk->wsrc)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		wk->wsrc[i] = backend_alloc_buffer(p->block);
		if (!wk->wsrc[i])
			return -ENOMEM;
		memcpy(wk->wsrc[i], p->src, p->block);
	}
	return 0;
}

int engine_start(struct engine **out, const struct config *cfg, const struct backend *b,
		 struct backend_ctx *ctx, const struct plan *p)
{
	struct engine *e = calloc(1, sizeof(*e));
	unsigned n = p->workers ? p->workers : 1;
	int err = 0;

	*out = e;
	if (!e)
		return -ENOMEM;
	e->cfg = cfg;
	e->b = b;
	e->ctx = ctx;
	e->p = p;
	e->n = n;
	e->sync_each = cfg->sync == SYNC_EACH && b->sync;
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->cond, NULL);
	for (unsigned i = 0; i < n; i++)
		e->first |= stream_ops(&p->first[i]) > 0;
	e->w = calloc(n, sizeof(*e->w));
	if (!e->w)
		return -ENOMEM;
	if (n > 1 && pthread_barrier_init(&e->steady, NULL, n)) {
		e->n = 0; /* nothing to join or destroy */
		return -EAGAIN;
	}
	for (unsigned i = 0; i < n && !err; i++) {
		struct worker *wk = &e->w[i];

		wk->e = e;
		wk->id = i;
		wk->bw.ctx = ctx;
		wk->bw.release = b->release != NULL;
		wk->every = wk->countdown = cfg->latency_every ? cfg->latency_every : UINT64_MAX;
		if (b->reap) {
			wk->slots = calloc(ctx->qd, sizeof(*wk->slots));
			wk->free_slots = calloc(ctx->qd, sizeof(*wk->free_slots));
			/* an array of pointers to slots, as sizeof says */
			wk->done = calloc(ctx->qd, sizeof(*wk->done)); // NOLINT(bugprone-sizeof-expression)
			wk->busy = calloc(ctx->qd, sizeof(*wk->busy));
			if (!wk->slots || !wk->free_slots || !wk->done || !wk->busy)
				err = -ENOMEM;
		}
		if (!err && p->op == OP_WRITE)
			err = engine_alloc_wsrc(wk, b->reap ? ctx->qd : 1);
		if (!err && b->worker_setup)
			err = b->worker_setup(&wk->bw);
		if (!err && i > 0) {
			err = -pthread_create(&wk->thread, NULL, engine_thread, wk);
			wk->started = !err;
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
	out->t0 = clock_now_ns();
	e->steady_ns = out->t0;
	if (b->begin)
		err = b->begin(e->ctx);
	if (e->n > 1)
		engine_release(e, err != 0); /* every worker starts now */
	if (!err)
		engine_work(&e->w[0]);
	for (unsigned i = 1; i < e->n; i++) {
		pthread_join(e->w[i].thread, NULL);
		e->w[i].started = false;
	}
	for (unsigned i = 0; i < e->n && !err; i++)
		err = e->w[i].err;
	if (!err && e->p->op != OP_READ && e->cfg->sync == SYNC_END && b->sync)
		err = b->sync(&e->w[0].bw, 0, 0);
	/* What the process holds at the height of the region: every
	 * operation done and the mapping not yet unmapped by end().  The
	 * sample's own time is left out of the region. */
	{
		uint64_t a = clock_now_ns();

		memuse_sample(&out->mem);
		sampled_ns = clock_now_ns() - a;
	}
	if (!err && b->end)
		err = b->end(e->ctx);
	out->t1 = clock_now_ns() - sampled_ns;
	out->steady_ns = e->steady_ns;
	hist_reset(lat);
	for (unsigned i = 0; i < e->n; i++) {
		struct worker *wk = &e->w[i];
		uint64_t wbytes = stream_bytes(&e->p->steady[i]);
		uint64_t ns = wk->end_ns > e->steady_ns ? wk->end_ns - e->steady_ns : 1;
		double rate = (double)wbytes * 1e9 / (double)ns;

		out->checksum += wk->checksum;
		hist_merge(lat, &wk->lat);
		/* the slowest: the lowest rate of a worker that had work */
		if (wbytes && (out->slowest_worker_bps == 0 || rate < out->slowest_worker_bps))
			out->slowest_worker_bps = rate;
	}
	return err;
}

void engine_stop(struct engine *e)
{
	if (!e)
		return;
	/* parked workers of a run that never started leave through the gate */
	if (e->w && !e->released) {
		engine_release(e, true);
		for (unsigned i = 1; i < e->n; i++)
			if (e->w[i].started)
				pthread_join(e->w[i].thread, NULL);
	}
	for (unsigned i = 0; e->w && i < e->n; i++) {
		struct worker *wk = &e->w[i];

		if (e->b->worker_teardown && wk->e)
			e->b->worker_teardown(&wk->bw);
		free(wk->slots);
		free(wk->free_slots);
		free(wk->done);
		free(wk->busy);
		for (unsigned k = 0; wk->wsrc && k < wk->nwsrc; k++)
			free(wk->wsrc[k]);
		free(wk->wsrc);
	}
	if (e->n > 1)
		pthread_barrier_destroy(&e->steady);
	pthread_mutex_destroy(&e->lock);
	pthread_cond_destroy(&e->cond);
	free(e->w);
	free(e);
}
