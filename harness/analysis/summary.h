/*
 * summary.h - `mmbench summary RESULTS`: rows grouped by configuration
 * (every parameter column), with medians and spreads, as tab-separated text
 * for the plotting and report scripts; `--ratio A:B` pairs the interleaved
 * repetitions of two backends and summarises their throughput ratios.
 */
#ifndef MMBENCH_SUMMARY_H
#define MMBENCH_SUMMARY_H

#include "cli/cli.h"

/* `mmbench summary`. */
extern const struct cli_command summary_command;

#endif
