/*
 * backends.h - the registry of backends: every backend of backends/NAME.c
 * in one table, in --list order, and those an external worker lists when
 * it starts (backends/worker.h).
 */
#ifndef MMBENCH_BACKENDS_H
#define MMBENCH_BACKENDS_H

#include <stddef.h>

#include "core/backend.h"

extern const struct backend backend_mmap;
extern const struct backend backend_read;
extern const struct backend backend_stdio;
extern const struct backend backend_mem;
extern const struct backend backend_mmapcopy;
extern const struct backend backend_uring;

/* The options the backends declare (core/backend.h), each defined once by
 * the file that reads it; core/backend.h has the shared --fadvise. */
extern const struct option_def mmap_option_madvise;   /* mmap.c: mmap, mmapcopy */
extern const struct option_def mmap_option_populate;  /* mmap.c */
extern const struct option_def mmap_option_map_scope; /* mmap.c */
extern const struct option_def uring_option_qd;	      /* uring.c */
extern const struct option_def stdio_option_buffer;   /* stdio.c */

/* The built-in backends, in --list order, NULL-terminated. */
extern const struct backend *const backends[];

/* Make b findable by name for the rest of the process (an external
 * worker's backends); b must outlive it.  0, or -ENOSPC past 16. */
int backends_add(const struct backend *b);

/* The names of the built-in backends that declare o, in --list order and
 * comma-separated, into buf ("read, stdio, uring"); "" when none does. */
const char *backends_taking(const struct option_def *o, char *buf, size_t len);

/* The same for the built-in backends with every flag of mask set. */
const char *backends_flagged(unsigned mask, char *buf, size_t len);

/* The backend called name, built in or added, or NULL. */
const struct backend *backend_find(const char *name);

#endif
