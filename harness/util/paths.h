/* paths.h - where `make install` puts what mmbench finds at run time. */
#ifndef MMBENCH_PATHS_H
#define MMBENCH_PATHS_H

/* The build writes build/gen/paths.h from PREFIX (Makefile); these are
 * the defaults of PREFIX=/usr/local. */
#if __has_include("../../build/gen/paths.h")
#include "../../build/gen/paths.h"
#endif
#ifndef MMBENCH_LIBEXECDIR
#define MMBENCH_LIBEXECDIR "/usr/local/libexec/mmbench"
#endif
#ifndef MMBENCH_DATADIR
#define MMBENCH_DATADIR "/usr/local/share/mmbench"
#endif

#endif
