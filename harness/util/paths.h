/* paths.h - where `make install` puts what mmbench finds at run time. */
#ifndef MMBENCH_PATHS_H
#define MMBENCH_PATHS_H

/* The build writes build/gen/paths.h from PREFIX (Makefile); these are
 * the defaults of PREFIX=/usr/local. */
#if __has_include("gen/paths.h") /* build/gen/, through -Ibuild */
#include "gen/paths.h"
#endif
#ifndef MMBENCH_LIBEXECDIR
#define MMBENCH_LIBEXECDIR "/usr/local/libexec/mmbench"
#endif
#ifndef MMBENCH_DATADIR
#define MMBENCH_DATADIR "/usr/local/share/mmbench"
#endif

/* The clone this binary was built in: the folder above the last build/ of
 * its path, when that holds scripts/lib.sh and harness/main.c; else NULL. */
const char *paths_clone(void);

/* Where the suites (bench/) and the fleet playbook (fleet/) are:
 * $MMBENCH_DATA_DIR, else the clone, else MMBENCH_DATADIR. */
const char *paths_data_dir(void);

/* path, or when it is relative and missing but the data folder has it
 * (bench/quick.sweep from an installed mmbench, run anywhere), that one. */
const char *paths_data_file(const char *path);

#endif
