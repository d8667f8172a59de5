/*
 * backend.h - how data gets from the file to the workload.
 *
 * A backend is one static `struct backend` in its own backends/NAME.c,
 * listed in backends/backends.c (the registry, a layer above; the shared
 * helpers below are core/backend.c).  Like fio's ioengines, it is driven
 * one operation at a time through per-request slots (struct io_req): queue() either
 * completes a request at once (the synchronous backends) or leaves it in
 * flight, and reap() collects completions (io_uring).  State is split in
 * two: what the threads share (ctx: descriptor, mapping) and what each
 * thread owns (struct backend_thread: buffers, a FILE *, a ring).  The runner calls, with
 * the timed region marked:
 *
 *     check                      untimed: can it run this configuration here?
 *     setup, thread_setup        untimed: descriptors, buffers (pre-faulted)
 *     [ begin                    timed, once: e.g. mmap()
 *       queue / reap per request timed, in every thread
 *       thread_end               timed, each thread after its last: fflush()
 *       sync                     timed: --sync each (after every write) or end
 *       end ]                    timed, once: e.g. munmap()
 *     peek                       untimed: read back for verification
 *     thread_teardown, teardown  untimed
 *
 * Hooks a backend does not need stay NULL.  Every hook returns 0 or a
 * negative errno (queue: BACKEND_DONE or BACKEND_QUEUED).
 *
 * Run options that only some backends take (--madvise, --fadvise, --qd,
 * --stdio-buffer, ...) are declared by them, as fio's engines declare
 * their .options: `options` lists them, each struct option_def defined once
 * by the code that reads it (a shared one, such as --fadvise, here in
 * core/backend.c), and check_options() checks how they combine.  The
 * options table (cli/options.c) points at every declared option, and
 * refuses a non-default value of one when a selected backend does not
 * declare it, naming those that do.
 */
#ifndef MMBENCH_BACKEND_H
#define MMBENCH_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;
struct datafile;
struct option_def;

/* Backend capability flags. */
#define BACKEND_ANON (1u << 0)	  /* works on a private in-memory copy: the file
				   * and its cache state are not involved */
#define BACKEND_ASYNC (1u << 1)	  /* can have several requests in flight (--qd) */
#define BACKEND_DIRECT (1u << 2)  /* can bypass the page cache (--direct) */
#define BACKEND_INPLACE (1u << 3) /* a read's data is the file's own memory:
				   * an update lands without a write */
#define BACKEND_WORKER (1u << 6)  /* run by an external worker (backends/worker.h), not the engine */

/* What the threads share. */
struct backend_ctx {
	const struct datafile *df;
	uint64_t block;	       /* largest transfer the workload asks for */
	uint64_t stdio_buffer; /* --stdio-buffer */
	unsigned qd;	       /* --qd: requests in flight per thread */
	const struct config *cfg; /* the hints: --madvise, --fadvise, ... */
	bool writable;	       /* the workload writes */
	bool direct;	       /* --direct: O_DIRECT */
	void *priv;	       /* the backend's shared state, from setup */
	const char *pages;     /* set by setup when the backend holds its own copy
				* of the data: "2M" (all in huge pages), "4K", "mixed" */
};

/* What one thread owns. */
struct backend_thread {
	struct backend_ctx *ctx;
	void *priv;	 /* from thread_setup */
	/* A plan over several files gives each thread one backend_thread per
	 * file (ctx that file's); first is the thread's one for the first
	 * file, NULL for that one itself.  A backend with a queue per thread
	 * (io_uring's ring) shares first's, so one reap() sees every file's
	 * completions. */
	struct backend_thread *first;
	bool set_up; /* thread_setup succeeded: the engine tears it down */
	bool release; /* call release() after each request: set by the engine
		       * when the backend has one, cleared by thread_setup when
		       * this configuration needs none (a call saved per op) */
};

/* One request: a slot of a thread, qd of them. */
struct io_req {
	uint64_t off;
	size_t len;
	unsigned file;	     /* which of the plan's files (its backend_thread) */
	bool write;	     /* else a read */
	unsigned slot;	     /* which of the thread's qd slots (its buffer) */
	unsigned char *data; /* read: where the bytes are once complete (a
			      * buffer, or the mapping itself); write: the
			      * bytes to write */
	uint64_t issue_ns;   /* when it was queued, for latency; 0: not timed */
	int result;	     /* 0 or a negative errno, once complete */
};

#define BACKEND_DONE 0	 /* queue(): complete already, result set */
#define BACKEND_QUEUED 1 /* queue(): in flight; reap() returns it */

struct backend {
	const char *name;
	const char *summary; /* one line for --list */
	unsigned flags;	     /* BACKEND_* */
	/* The run options it takes beyond the generic ones, NULL-terminated;
	 * NULL: none. */
	const struct option_def *const *options;
	/* Whether its options combine in cfg (--populate with --map-scope
	 * op does not): 0, or -EINVAL with the message in why.  NULL: any
	 * combination is fine. */
	int (*check_options)(const struct config *cfg, char *why, size_t len);
	/* Why the backend cannot run in this build or on this machine, or
	 * NULL when it can. */
	const char *(*unavailable)(void);
	/* Why it cannot run cfg on df here (a file too large for memory, a
	 * filesystem without O_DIRECT): the step is skipped with that reason.
	 * 0, or -EOPNOTSUPP with the reason in why. */
	int (*check)(const struct config *cfg, const struct datafile *df, char *why, size_t len);
	int (*setup)(struct backend_ctx *ctx);
	int (*thread_setup)(struct backend_thread *t);
	int (*begin)(struct backend_ctx *ctx);
	int (*queue)(struct backend_thread *t, struct io_req *r);
	/* Submit what is queued, wait until at least min requests are
	 * complete, and put up to max of them in done[]; their count. */
	int (*reap)(struct backend_thread *t, unsigned min, struct io_req **done, unsigned max);
	/* The engine is done with a completed request's data (mmap with
	 * --map-scope op unmaps it here).  NULL: nothing to do. */
	int (*release)(struct backend_thread *t, struct io_req *r);
	int (*thread_end)(struct backend_thread *t);
	/* Make [off, off + len) durable (len 0: everything the thread wrote). */
	int (*sync)(struct backend_thread *t, uint64_t off, uint64_t len);
	int (*end)(struct backend_ctx *ctx);
	/* Copy len bytes at off as the backend now holds them; NULL: read
	 * the file with pread(). */
	int (*peek)(struct backend_ctx *ctx, uint64_t off, size_t len, void *out);
	void (*thread_teardown)(struct backend_thread *t);
	void (*teardown)(struct backend_ctx *ctx);
};

/* A page-aligned buffer of at least len bytes, every page already touched,
 * so no backend pays for faulting in its own buffer inside the timed region.
 * Free with free(). */
unsigned char *backend_alloc_buffer(size_t len);

/* The descriptor the fd backends use: the data file's own, or with
 * ctx->direct one of their own opened with O_DIRECT (close it with
 * backend_close_fd()).  0 or a negative errno. */
int backend_open_fd(const struct backend_ctx *ctx, int *fd);
void backend_close_fd(const struct backend_ctx *ctx, int fd);

/* Whether b declares the option o. */
bool backend_takes(const struct backend *b, const struct option_def *o);

/* --fadvise, the option of the backends that read through a descriptor
 * (read, stdio, uring). */
extern const struct option_def backend_option_fadvise;

/* posix_fadvise() of --fadvise on fd, over the whole file; and back to
 * POSIX_FADV_NORMAL once the step is over (a descriptor outlives it). */
int backend_fadvise(const struct backend_ctx *ctx, int fd);
void backend_fadvise_reset(const struct backend_ctx *ctx, int fd);

/* Shared check of the backends that take --direct: the filesystem must
 * accept O_DIRECT. */
int backend_check_direct(const struct config *cfg, const struct datafile *df, char *why,
			 size_t len);

#endif
