/* version.h - mmbench's version; the release, plus the commit when built from git. */
#ifndef MMBENCH_VERSION_H
#define MMBENCH_VERSION_H

/* The build writes build/gen/version.h from git describe; a build from a
 * tarball without git falls back to the release number. */
#if __has_include("gen/version.h") /* build/gen/, through -Ibuild */
#include "gen/version.h"
#endif
#ifndef MMBENCH_VERSION
#define MMBENCH_VERSION "0.1.0"
#endif
/* the man pages' date: the commit's, written with the version */
#ifndef MMBENCH_DATE
#define MMBENCH_DATE "unknown"
#endif

#endif
