/*
 * complete.h - the bash and zsh completions of mmbench, generated from the tables
 * `--help` prints (cli.h): the commands, each command's options, the values
 * of choice options (--backend, --workload, --cache, ...), files and
 * folders where an option takes a path.  `mmbench --completion bash|zsh`
 * is the hidden entry point (main.c); `make install` writes its output.
 */
#ifndef MMBENCH_COMPLETE_H
#define MMBENCH_COMPLETE_H

#include <stdio.h>

#include "cli/cli.h"

/* Write the bash completion function _mmbench and its `complete` line for
 * the built-in commands cmds and the script commands scripts (both
 * NULL-terminated).  0, or -EINVAL when a command's options cannot be read. */
int complete_bash(FILE *f, const struct cli_command *const *cmds, const char *const *scripts);

/* The same for zsh: the file _mmbench (#compdef mmbench), an _arguments
 * spec per option with its help, choices, files and folders. */
int complete_zsh(FILE *f, const struct cli_command *const *cmds, const char *const *scripts);

#endif
