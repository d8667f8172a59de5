/*
 * sweep.h - `mmbench sweep SUITE`: the cartesian product of a suite file's
 * parameter lists, each point one `mmbench run` configuration, into a new
 * results folder.
 *
 * A suite is lines of `key = value value ...` whose keys are `mmbench run`'s
 * option names (one options table serves both), with # comments.  backend
 * and workload lists are the set compared within each point (interleaved);
 * every other key with several values is an axis of the product.  A
 * section with `exec NAME = COMMAND` lines runs mmbench exec instead: its
 * keys are exec's options, and its commands are the set compared within
 * each point, each in a process of its own.  ${NAME} in a value is the
 * environment's NAME.
 */
#ifndef MMBENCH_SWEEP_H
#define MMBENCH_SWEEP_H

#include <stdbool.h>

#include "core/config.h"

#define SWEEP_MAX_CMDS 4

/* A command the processes of a sweep run, and where its rows go. */
struct sweep_cmd {
	const char *name;
	const char *cmd; /* NULL: this mmbench */
	char csv[4200];
};

struct sweep_cmds {
	struct sweep_cmd cmd[SWEEP_MAX_CMDS];
	unsigned n;
};

struct cli_command;

/* What a sweep is asked to do: `mmbench sweep`'s command line. */
struct sweep_request {
	const char *suite, *out, *datadir;
	bool quiet, dry_run;
	struct config flags;	 /* --procs */
	struct sweep_cmds given; /* --cmd; none: this mmbench */
	/* mmbench exec, whose options are an exec section's keys (a command
	 * above this layer, handed down) */
	const struct cli_command *exec;
	int (*exec_check)(int argc, char **argv); /* its command line checked, not run */
};

/* Parse "[NAME=]COMMAND", the next --cmd, into the struct sweep_cmds at
 * value; a bare COMMAND is named base, then head.  0 or -EINVAL. */
int sweep_parse_cmd(const char *arg, void *value);

/* Run the sweep: parse the suite, make the results folder, run every
 * configuration in this process or in rounds of fresh ones.  0, or the
 * exit status after the message. */
int sweep_run(const struct sweep_request *req);

#endif
