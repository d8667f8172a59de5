/*
 * man.h - man pages rendered as roff from the tables `--help` prints: the
 * command's usage, about and options (cli.h), so a page and --help cannot
 * disagree.  `mmbench --man` is the hidden entry point (main.c).
 */
#ifndef MMBENCH_MAN_H
#define MMBENCH_MAN_H

#include <stdio.h>

#include "cli/cli.h"

/* What mmbench(1) says beside the command table. */
struct man_main {
	const char *summary;		       /* the NAME line: what mmbench answers */
	const char *about;		       /* the paragraphs of mmbench --help */
	const struct cli_command *const *cmds; /* the built-in commands, NULL-terminated */
	const char *const *scripts;	       /* commands on the exec-path, or NULL */
	const char *version, *date;	       /* the footer */
};

/* Write mmbench(1): synopsis, about, every command with a pointer to its
 * page, the global flags, the environment and the files. */
void man_main(FILE *f, const struct man_main *m);

/* Write mmbench-CMD(1) from cmd and its options (cli_options_of()). */
void man_command(FILE *f, const struct cli_command *cmd, const struct cli_option *opts,
		 const char *version, const char *date);

/* Write mmbench-NAME(1) for a script command from its --help text (the
 * header comment: "scripts/NAME ARGS - what it does..."), the synopsis
 * and the first sentence taken from its first line. */
void man_script(FILE *f, const char *name, const char *help, const char *version,
		const char *date);

#endif
