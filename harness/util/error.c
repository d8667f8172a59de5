#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>

static const char *error_where;

void error_context(const char *context)
{
	error_where = context;
}

static void error_vprint(const char *prefix, const char *fmt, va_list ap)
{
	/* One fprintf per line so concurrent writers do not interleave words. */
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "mmbench: %s%s%s%s\n", error_where ? error_where : "", error_where ? ": " : "",
		prefix, line);
}

void error_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vprint("", fmt, ap);
	va_end(ap);
}

void error_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vprint("warning: ", fmt, ap);
	va_end(ap);
}
