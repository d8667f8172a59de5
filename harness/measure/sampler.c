#include "measure/sampler.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/engine.h"
#include "sys/counters.h"
#include "sys/datafile.h"
#include "util/clock.h"

/* The pages mincore() looks at per sample: SAMPLER_WINDOWS runs of
 * SAMPLER_WINDOW_PAGES, evenly spaced; 256 calls of 16 pages cost tens of
 * microseconds, and a scan's resident front moves by at most a window's
 * spacing between what two samples can tell apart. */
#define SAMPLER_WINDOWS 256
#define SAMPLER_WINDOW_PAGES 16
/* Enough for fopen() and scanf() of /proc, far below the default 8 MiB:
 * the stack's first touches are faults the row counts. */
#define SAMPLER_STACK (256 * 1024)

/* The sampled share of the file's pages in the page cache; NAN when it
 * cannot be told. */
static double sampler_resident(const struct sampler *s)
{
	unsigned char vec[SAMPLER_WINDOWS * SAMPLER_WINDOW_PAGES];
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t pages = (s->size + page - 1) / page, seen = 0, resident = 0;

	if (!s->map || !pages)
		return NAN;
	if (pages <= sizeof(vec)) {
		if (mincore((void *)s->map, s->size, vec))
			return NAN;
		for (uint64_t i = 0; i < pages; i++)
			resident += vec[i] & 1;
		return (double)resident / (double)pages;
	}
	for (uint64_t w = 0; w < SAMPLER_WINDOWS; w++) {
		uint64_t first = (pages - SAMPLER_WINDOW_PAGES) * w / (SAMPLER_WINDOWS - 1);

		if (mincore((char *)s->map + first * page, SAMPLER_WINDOW_PAGES * page, vec))
			return NAN;
		for (unsigned i = 0; i < SAMPLER_WINDOW_PAGES; i++)
			resident += vec[i] & 1;
		seen += SAMPLER_WINDOW_PAGES;
	}
	return (double)resident / (double)seen;
}

/* One sample, appended to the series (the first failure is kept). */
static void sampler_take(struct sampler *s)
{
	struct series_sample x;
	int err;

	x.ns = clock_now_ns();
	engine_progress(s->e, &x.ops, &x.bytes);
	counters_end(&x.c);
	x.resident = sampler_resident(s);
	err = series_add(&s->series, &x);
	if (err && !s->err)
		s->err = err;
}

static void *sampler_thread(void *arg)
{
	struct sampler *s = arg;
	uint64_t next = s->series.v[0].ns;

	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		uint64_t now = clock_now_ns();
		struct timespec deadline;

		/* a fixed grid; a tick missed (a descheduled sampler) makes
		 * one longer interval, which its interval_ns says */
		while (next <= now)
			next += s->interval_ns;
		deadline.tv_sec = (time_t)(next / 1000000000ULL);
		deadline.tv_nsec = (long)(next % 1000000000ULL);
		if (pthread_cond_timedwait(&s->cond, &s->lock, &deadline) != ETIMEDOUT || s->stop)
			continue;
		pthread_mutex_unlock(&s->lock);
		sampler_take(s);
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* The thread, its signals blocked (they belong to the run's threads: the
 * SIGBUS guard, the cleanup of SIGINT) and a small stack. */
static int sampler_spawn(struct sampler *s)
{
	sigset_t all, old;
	pthread_attr_t attr;
	int err;

	if (pthread_attr_init(&attr))
		return -ENOMEM;
	pthread_attr_setstacksize(&attr, SAMPLER_STACK);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = -pthread_create(&s->thread, &attr, sampler_thread, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	return err;
}

int sampler_start(struct sampler *s, const struct engine *e, const struct datafile *df,
		  uint64_t interval_ms)
{
	pthread_condattr_t ca;
	int err;

	sampler_stop(s);
	series_clear(&s->series);
	s->e = e;
	s->interval_ns = interval_ms * 1000000ULL;
	s->stop = false;
	s->err = 0;
	s->size = df ? df->size : 0;
	s->map = NULL;
	if (df && df->size) {
		/* only looked at, never touched: it maps no page */
		void *map = mmap(NULL, df->size, PROT_READ, MAP_SHARED, df->fd, 0);

		s->map = map == MAP_FAILED ? NULL : map;
	}
	err = -pthread_condattr_init(&ca);
	if (err)
		goto out_unmap;
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* clock_now_ns()'s */
	err = -pthread_cond_init(&s->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (err)
		goto out_unmap;
	pthread_mutex_init(&s->lock, NULL);
	/* the baseline: every count of the region still 0 */
	sampler_take(s);
	err = s->err ? s->err : sampler_spawn(s);
	if (err)
		goto out_destroy;
	s->running = true;
	return 0;

out_destroy:
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
out_unmap:
	if (s->map)
		munmap((void *)s->map, s->size);
	s->map = NULL;
	series_clear(&s->series);
	return err;
}
void sampler_stop(struct sampler *s)
{
	if (!s->running)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	s->running = false;
	sampler_take(s); /* the region's end */
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	if (s->map)
		munmap((void *)s->map, s->size);
	s->map = NULL;
}

void sampler_free(struct sampler *s)
{
	sampler_stop(s);
	series_free(&s->series);
}
