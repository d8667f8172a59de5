#include "measure/sampler.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/engine.h"
#include "sys/datafile.h"
#include "util/clock.h"

/* The pages mincore() looks at per sample: SAMPLER_WINDOWS runs of
 * SAMPLER_WINDOW_PAGES, evenly spaced.  Its cost is about 60 ns a cached
 * page and 1.3 us a call here (256 runs of 16: 590 us; 64 of 16: about
 * 150), and a scan's resident front moves by at most a window's spacing
 * between what two samples can tell apart. */
#define SAMPLER_WINDOWS 64
#define SAMPLER_WINDOW_PAGES 16
/* Room for the samples, allocated before the sampler starts (it may not
 * allocate): 65536 is 1.8 hours at 100 ms; past it, the last sample is
 * overwritten, so the last interval grows and says so (full). */
#define SAMPLER_CAPACITY 65536
/* Its stack holds the buffer /proc is read into (/proc/interrupts grows
 * with the CPUs). */
#define SAMPLER_BUF ((size_t)256 * 1024)
#define SAMPLER_STACK (SAMPLER_BUF + (size_t)256 * 1024)
/* How long a stopped sampler may take to exit before it is killed. */
#define SAMPLER_REAP_MS 5000

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

/* One sample, into the room made before the start. */
static void sampler_take(struct sampler *s, char *buf)
{
	struct series *r = &s->series;
	struct series_sample x;

	x.ns = clock_now_ns();
	engine_progress(s->e, &x.ops, &x.bytes);
	counters_sample(&s->files, buf, SAMPLER_BUF, &x.c);
	x.resident = sampler_resident(s);
	if (r->n < r->cap) {
		r->v[r->n++] = x;
	} else {
		r->v[r->n - 1] = x;
		s->full = true;
	}
}

/* The sampler task: the baseline, then a sample on a fixed grid until the
 * stop byte (or the process's end closes the pipe), then the last one. */
static int sampler_main(void *arg)
{
	struct sampler *s = arg;
	pid_t parent = getppid();
	char buf[SAMPLER_BUF];
	uint64_t next;

	/* its copies of the parent's ends: the stop pipe must close when
	 * the process ends (s's descriptors stay as they are while it runs) */
	close(s->stop_fd);
	close(s->ready_fd);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sampler_take(s, buf);
	next = s->series.v[0].ns;
	if (getppid() != parent || write(s->ready_wfd, "r", 1) != 1)
		return 1;
	for (;;) {
		struct pollfd p = { .fd = s->wake_fd, .events = POLLIN };
		uint64_t now = clock_now_ns();

		/* a tick missed (a descheduled sampler) makes one longer
		 * interval, which its interval_ns says */
		while (next <= now)
			next += s->interval_ns;
		if (poll(&p, 1, (int)((next - now + 999999) / 1000000)) != 0)
			break; /* stopped, or the process is gone */
		if (clock_now_ns() >= next)
			sampler_take(s, buf);
	}
	sampler_take(s, buf); /* the region's end */
	return 0;
}

/* Reap the sampler, killing one that does not exit in time. */
static void sampler_reap(struct sampler *s)
{
	for (int waited = 0; waited < SAMPLER_REAP_MS; waited++) {
		struct timespec ms = { 0, 1000000 };

		if (waitpid(s->pid, NULL, __WCLONE | WNOHANG) == s->pid) {
			s->pid = 0;
			return;
		}
		nanosleep(&ms, NULL);
	}
	kill(s->pid, SIGKILL);
	while (waitpid(s->pid, NULL, __WCLONE) < 0 && errno == EINTR)
		;
	s->pid = 0;
}

/* The parent's side of a sampler that ran, or did not start: the stop
 * and ready ends, the mapping.  The sampler's own descriptors (wake_fd,
 * ready_wfd, files) were closed in the parent when it started, and their
 * numbers stay as they were while it runs: it reads them. */
static void sampler_release(struct sampler *s)
{
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	if (s->ready_fd >= 0)
		close(s->ready_fd);
	s->stop_fd = s->ready_fd = s->wake_fd = s->ready_wfd = -1;
	s->files.stat = s->files.io = s->files.interrupts = -1;
	if (s->map)
		munmap((void *)s->map, s->size);
	s->map = NULL;
}

/* Close the parent's copies of the descriptors the sampler reads, leaving
 * their numbers in s for it. */
static void sampler_close_theirs(const struct sampler *s)
{
	const int fds[] = { s->wake_fd, s->ready_wfd, s->files.stat, s->files.io,
			    s->files.interrupts };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* The sampler task, every signal blocked in it (they belong to the run's
 * threads: the SIGBUS guard, the cleanup of SIGINT); 0 or a negative
 * errno. */
static int sampler_spawn(struct sampler *s)
{
	sigset_t all, old;
	pid_t pid;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	/* CLONE_VM alone: the memory, but no descriptor table, no thread
	 * group; no exit signal, reaped with __WCLONE */
	pid = clone(sampler_main, (char *)s->stack + SAMPLER_STACK, CLONE_VM, s);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
		return -errno;
	s->pid = pid;
	return 0;
}

int sampler_start(struct sampler *s, const struct engine *e, const struct datafile *df,
		  uint64_t interval_ms)
{
	int stop[2], ready[2], err;
	char byte;

	sampler_stop(s);
	series_clear(&s->series);
	if (s->series.cap < SAMPLER_CAPACITY) {
		struct series_sample *v = realloc(s->series.v, SAMPLER_CAPACITY * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->series.v = v;
		s->series.cap = SAMPLER_CAPACITY;
	}
	/* kept from step to step: its frames' sanitizer shadow with it */
	if (!s->stack) {
		void *stack = mmap(NULL, SAMPLER_STACK, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

		if (stack == MAP_FAILED)
			return -errno;
		s->stack = stack;
	}
	s->e = e;
	s->interval_ns = interval_ms * 1000000ULL;
	s->full = false;
	s->size = df ? df->size : 0;
	s->map = NULL;
	s->stop_fd = s->wake_fd = s->ready_fd = s->ready_wfd = -1;
	if (df && df->size) {
		/* only looked at, never touched: it maps no page */
		void *map = mmap(NULL, df->size, PROT_READ, MAP_SHARED, df->fd, 0);

		s->map = map == MAP_FAILED ? NULL : map;
	}
	err = counters_open_files(getpid(), &s->files);
	if (!err && pipe2(stop, O_CLOEXEC))
		err = -errno;
	if (err) {
		counters_close_files(&s->files);
		goto out_release;
	}
	if (pipe2(ready, O_CLOEXEC)) {
		err = -errno;
		close(stop[0]);
		close(stop[1]);
		counters_close_files(&s->files);
		goto out_release;
	}
	s->wake_fd = stop[0];
	s->stop_fd = stop[1];
	s->ready_fd = ready[0];
	s->ready_wfd = ready[1];
	err = sampler_spawn(s);
	/* its ends are its own copies now (or, failed, nobody's) */
	sampler_close_theirs(s);
	if (err)
		goto out_release;
	/* the region starts after the baseline, never before it; a sampler
	 * that died first closes the pipe */
	if (read(s->ready_fd, &byte, 1) != 1) {
		err = -ECHILD;
		sampler_reap(s);
		goto out_release;
	}
	return 0;

out_release:
	sampler_release(s);
	series_clear(&s->series);
	return err;
}

void sampler_stop(struct sampler *s)
{
	if (!s->pid)
		return;
	if (write(s->stop_fd, "s", 1) != 1) {
		/* the closing below stops it as well */
	}
	close(s->stop_fd);
	s->stop_fd = -1;
	sampler_reap(s);
	sampler_release(s);
}

void sampler_free(struct sampler *s)
{
	sampler_stop(s);
	series_free(&s->series);
	if (s->stack)
		munmap(s->stack, SAMPLER_STACK);
	s->stack = NULL;
}
