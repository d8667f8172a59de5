/*
 * commands.h - the subcommands of cmd/, one file each, for the command
 * table in main.c (as git's builtin.h).
 */
#ifndef MMBENCH_COMMANDS_H
#define MMBENCH_COMMANDS_H

#include "cli/cli.h"

extern const struct cli_command run_command;
extern const struct cli_command prepare_command;
extern const struct cli_command evict_command;
extern const struct cli_command residency_command;
extern const struct cli_command sysinfo_command;
extern const struct cli_command sweep_command;
extern const struct cli_command summary_command;
extern const struct cli_command restore_command;
extern const struct cli_command columns_command;
extern const struct cli_command compare_command;
extern const struct cli_command export_command;
extern const struct cli_command merge_command;
extern const struct cli_command plan_command;
extern const struct cli_command verdicts_command;
extern const struct cli_command record_command;
extern const struct cli_command trace_command;
extern const struct cli_command exec_command;

/* Print the registry of verdict columns as `mmbench columns` prints the
 * results columns (name, group "verdict", type, unit, better, absent); A_
 * and B_ stand for the two backends' names (cmd/verdicts.c). */
void verdicts_columns_print(void);

/* Parse and check an exec command line (argv after "exec") as exec would,
 * without running it: a sweep checks each exec line of its suite so before
 * anything runs.  0, or the exit status after the message. */
int exec_check(int argc, char **argv);

/* `mmbench --list`: backends and workloads, and why any is unavailable. */
int cmd_list(void);

#endif
