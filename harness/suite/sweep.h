/*
 * sweep.h - `mmbench sweep SUITE`: the cartesian product of a suite file's
 * parameter lists, each point one `mmbench run` configuration, into a new
 * results folder.
 *
 * A suite is lines of `key = value value ...` whose keys are `mmbench run`'s
 * option names (one options table serves both), with # comments.  backend
 * and workload lists are the set compared within each point (interleaved);
 * every other key with several values is an axis of the product.
 */
#ifndef MMBENCH_SWEEP_H
#define MMBENCH_SWEEP_H

#include "cli/cli.h"

/* `mmbench sweep`. */
extern const struct cli_command sweep_command;

#endif
