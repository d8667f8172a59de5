/* backends.c - the one table of backends. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"

const struct backend *const backends[] = {
	&backend_mmap,
	&backend_read,
	&backend_stdio,
	&backend_mem,
	&backend_mmapcopy,
	NULL,
};

const struct backend *backend_find(const char *name)
{
	for (const struct backend *const *b = backends; *b; b++)
		if (!strcmp((*b)->name, name))
			return *b;
	return NULL;
}

unsigned char *backend_alloc_buffer(size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t rounded = (len + page - 1) / page * page;
	unsigned char *buf = aligned_alloc(page, rounded ? rounded : page);

	if (buf)
		memset(buf, 0, rounded);
	return buf;
}
