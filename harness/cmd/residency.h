/*
 * residency.h - what `mmbench evict` and `mmbench residency` share.
 */
#ifndef MMBENCH_RESIDENCY_H
#define MMBENCH_RESIDENCY_H

#include "cli/cli.h"

struct datafile;

/* Parse cmd's arguments and open FILE, its one argument, read-only; 0, or
 * the exit status after saying why not. */
int residency_open_file(int argc, char **argv, const struct cli_command *cmd,
			struct datafile *df);

/* Print "FILE: N of M pages resident (P%)"; 0 or EXIT_RUNTIME. */
int residency_report(const struct datafile *df);

#endif
