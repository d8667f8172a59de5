/* sweep.c - `mmbench sweep SUITE`: its options; the sweep itself is
 * suite/sweep.c's. */
#include <stdbool.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "cmd/commands.h"
#include "suite/sweep.h"
#include "util/paths.h"

static int sweep_main(int argc, char **argv)
{
	struct sweep_request req = { .out = "results", .exec = &exec_command,
				     .exec_check = exec_check };
	struct sweep_request *j = &req;
	const struct cli_option opts[] = {
		CLI_OPT_STRING("out", "DIR", &j->out, "results parent folder [results]"),
		CLI_OPT_STRING("dir", "DATADIR", &j->datadir,
			       "where the temporary data files go [/var/tmp]"),
		CLI_OPT_RUN("procs", &j->flags),
		CLI_OPT_RUN("settle", &j->flags),
		CLI_OPT_RUN("timeout", &j->flags),
		{ .type = CLI_CALLBACK, .name = "cmd", .metavar = "[NAME=]COMMAND",
		  .value = &j->given, .parse = sweep_parse_cmd, .flags = CLIF_REPEAT,
		  .hint = "a command, NAME=COMMAND naming it, each name once, at most 4",
		  .help = "what each process runs instead of this mmbench (up to 4)" },
		CLI_OPT_FLAG("dry-run", &j->dry_run,
			     "print the mmbench run (or exec) arguments of every configuration"),
		CLI_OPT_FLAG("quiet", &j->quiet, "no progress on stderr"),
		CLI_OPT_END,
	};
	int status;

	options_defaults(&j->flags);
	status = cli_parse(&sweep_command, opts, argc, argv, &j->suite, NULL);
	if (status)
		return status;
	/* bench/quick.sweep from anywhere: the installed (or the clone's) suites */
	j->suite = paths_data_file(j->suite);
	return sweep_run(j);
}

const struct cli_command sweep_command = {
	.name = "sweep",
	.args = "SUITE [--out DIR] [--dir DATADIR] [--procs N] [--cmd [NAME=]COMMAND]...",
	.summary = "run a parameter suite into a results folder",
	.about = "Run every combination of the suite's parameter lists and write\n"
		 "DIR/<host>-<UTC time>/ (default DIR: results) holding results.csv,\n"
		 "sysinfo.json, the suite as it ran, and a log of skipped or failed steps.\n"
		 "DATADIR (default /var/tmp) holds the temporary data files.\n\n"
		 "--procs N (suite key procs): run every configuration in N fresh processes,\n"
		 "in shuffled rounds (each configuration once per round, in a new random\n"
		 "order), on data files shared by all of them: the process is the unit of\n"
		 "replication, and drift hits every configuration alike.\n"
		 "--cmd [NAME=]COMMAND (up to 4): what each process runs, instead of this\n"
		 "mmbench; any command that behaves like `mmbench run` (a binary, a wrapper\n"
		 "script).  With several, every round runs each configuration with each\n"
		 "command back to back, each command leading in turn, the configurations\n"
		 "in a new random order; NAME.csv holds each command's rows:\n"
		 "`mmbench compare base.csv head.csv --paired` then pairs them round by round.\n"
		 "--timeout SECONDS (suite key timeout): a process still running then is\n"
		 "stopped and counted as failed.\n"
		 "A section with `exec NAME = COMMAND` lines runs `mmbench exec` points: its\n"
		 "commands (through /bin/sh -c) are compared within each point, each in a\n"
		 "process of its own, back to back in every round, and the rows of a round\n"
		 "share a run_id; its other keys are exec's options.  ${NAME} in a value is\n"
		 "the environment's NAME; every process has MMBENCH_ROUND set (docs/suites.md).\n"
		 "--dry-run: print the `mmbench run` (or exec) arguments of every configuration.\n",
	.main = sweep_main,
	.min_args = 1,
	.max_args = 1,
};
