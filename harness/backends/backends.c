/* backends.c - the one table of backends, and the backends an external
 * worker brings at run time (backends_add). */
#include "backends/backends.h"

#include <errno.h>
#include <string.h>

const struct backend *const backends[] = {
	&backend_mmap,
	&backend_read,
	&backend_stdio,
	&backend_mem,
	&backend_mmapcopy,
	&backend_uring,
	NULL,
};

/* Added at run time: a lower layer registers, the table never calls up. */
#define BACKENDS_MAX_ADDED 16
static const struct backend *backends_added[BACKENDS_MAX_ADDED];
static unsigned backends_nadded;

int backends_add(const struct backend *b)
{
	if (backends_nadded == BACKENDS_MAX_ADDED)
		return -ENOSPC;
	backends_added[backends_nadded++] = b;
	return 0;
}

const struct backend *backend_find(const char *name)
{
	for (const struct backend *const *b = backends; *b; b++)
		if (!strcmp((*b)->name, name))
			return *b;
	for (unsigned i = 0; i < backends_nadded; i++)
		if (!strcmp(backends_added[i]->name, name))
			return backends_added[i];
	return NULL;
}
