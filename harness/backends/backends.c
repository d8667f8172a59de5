/* backends.c - the one table of backends, and the backends an external
 * worker brings at run time (backends_add). */
#include "backends/backends.h"

#include <errno.h>
#include <stdio.h>
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

/* The names of the built-in backends that match(b, arg), comma-separated. */
static const char *backends_names(bool (*match)(const struct backend *, const void *),
				  const void *arg, char *buf, size_t len)
{
	size_t used = 0;

	if (len)
		buf[0] = '\0';
	for (const struct backend *const *b = backends; *b && used < len; b++)
		if (match(*b, arg))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
						 (*b)->name);
	return buf;
}

static bool backends_match_option(const struct backend *b, const void *o)
{
	return backend_takes(b, o);
}

static bool backends_match_flags(const struct backend *b, const void *mask)
{
	return (b->flags & *(const unsigned *)mask) == *(const unsigned *)mask;
}

const char *backends_taking(const struct option_def *o, char *buf, size_t len)
{
	return backends_names(backends_match_option, o, buf, len);
}

const char *backends_flagged(unsigned mask, char *buf, size_t len)
{
	return backends_names(backends_match_flags, &mask, buf, len);
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
