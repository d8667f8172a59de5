#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>

static void error_vprint(const char *prefix, const char *fmt, va_list ap)
{
	/* One fprintf per line so concurrent writers do not interleave words. */
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "mmbench: %s%s\n", prefix, line);
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
