/*
 * merge.h - `mmbench merge RESULTS... --out DIR`: result sets from any
 * mmbench version and any host combined into one folder, with today's
 * columns (the registry's defaults fill what older files lack) and one
 * sysinfo entry per host.
 */
#ifndef MMBENCH_MERGE_H
#define MMBENCH_MERGE_H

#include "cli/cli.h"

/* `mmbench merge`. */
extern const struct cli_command merge_command;

#endif
