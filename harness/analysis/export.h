/*
 * export.h - `mmbench export RESULTS --format F`: results in the shapes
 * existing tools read: hyperfine's JSON, Google Benchmark's JSON (for its
 * compare.py), github-action-benchmark's customBiggerIsBetter array, and
 * Bencher's metric format.
 */
#ifndef MMBENCH_EXPORT_H
#define MMBENCH_EXPORT_H

#include "cli/cli.h"

/* `mmbench export`. */
extern const struct cli_command export_command;

#endif
