/*
 * backend.h - how data gets from the file to the workload.
 *
 * A backend is one static `struct backend` in its own backend_*.c, listed in
 * backends.c.  The runner calls the hooks in this order, with the timed
 * region marked:
 *
 *     setup                      untimed: descriptors, buffers (pre-faulted)
 *     [ begin                    timed: e.g. mmap()
 *       get / put per operation  timed
 *       sync                     timed, only for --sync end on writes
 *       end ]                    timed: e.g. munmap(), fflush()
 *     peek                       untimed: read back for verification
 *     teardown                   untimed
 *
 * Hooks a backend does not need stay NULL.  Every hook returns 0 or a
 * negative errno; setup returns -E2BIG when the backend cannot take a file
 * this large here, which the runner reports as a skip, not a failure.
 */
#ifndef MMBENCH_BACKEND_H
#define MMBENCH_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct datafile;

/* Backend capability flags. */
#define BACKEND_ANON (1u << 0) /* works on a private in-memory copy: the file
				* and its cache state are not involved */

struct backend_ctx {
	const struct datafile *df;
	uint64_t block;	       /* largest transfer the workload asks for */
	uint64_t stdio_buffer; /* --stdio-buffer */
	bool writable;	       /* the workload writes through put() */
	void *priv;	       /* the backend's own state, from setup */
};

struct backend {
	const char *name;
	const char *summary; /* one line for --list */
	unsigned flags;	     /* BACKEND_* */
	/* Why the backend cannot run in this build or on this machine, or
	 * NULL when it can. */
	const char *(*unavailable)(void);
	int (*setup)(struct backend_ctx *ctx);
	int (*begin)(struct backend_ctx *ctx);
	/* Make len bytes at off readable (and writable when ctx->writable)
	 * and point *data at them; the pointer is valid until the next call. */
	int (*get)(struct backend_ctx *ctx, uint64_t off, size_t len, unsigned char **data);
	/* Write back the block get() returned, after it was modified. */
	int (*put)(struct backend_ctx *ctx, uint64_t off, size_t len, unsigned char *data);
	int (*sync)(struct backend_ctx *ctx);
	int (*end)(struct backend_ctx *ctx);
	/* Copy len bytes at off as the backend now holds them; NULL: read
	 * the file with pread(). */
	int (*peek)(struct backend_ctx *ctx, uint64_t off, size_t len, void *out);
	void (*teardown)(struct backend_ctx *ctx);
};

extern const struct backend backend_mmap;
extern const struct backend backend_read;
extern const struct backend backend_stdio;
extern const struct backend backend_mem;
extern const struct backend backend_mmapcopy;

/* All backends, in --list order, NULL-terminated. */
extern const struct backend *const backends[];

/* A page-aligned buffer of at least len bytes, every page already touched,
 * so no backend pays for faulting in its own buffer inside the timed region.
 * Free with free(). */
unsigned char *backend_alloc_buffer(size_t len);

/* The backend called name, or NULL. */
const struct backend *backend_find(const char *name);

#endif
