/*
 * backends.h - the registry of backends: every backend of backends/NAME.c
 * in one table, in --list order, and those an external worker lists when
 * it starts (backends/worker.h).
 */
#ifndef MMBENCH_BACKENDS_H
#define MMBENCH_BACKENDS_H

#include "core/backend.h"

extern const struct backend backend_mmap;
extern const struct backend backend_read;
extern const struct backend backend_stdio;
extern const struct backend backend_mem;
extern const struct backend backend_mmapcopy;
extern const struct backend backend_uring;

/* The built-in backends, in --list order, NULL-terminated. */
extern const struct backend *const backends[];

/* Make b findable by name for the rest of the process (an external
 * worker's backends); b must outlive it.  0, or -ENOSPC past 16. */
int backends_add(const struct backend *b);

/* The backend called name, built in or added, or NULL. */
const struct backend *backend_find(const char *name);

#endif
