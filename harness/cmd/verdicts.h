/*
 * verdicts.h - `mmbench verdicts RESULTS [--pair A:B]`: one line per
 * configuration with the verdict of verdict.h, its ratio and interval, and
 * the evidence it rests on, as TSV: what reports, charts and claims print.
 */
#ifndef MMBENCH_VERDICTS_H
#define MMBENCH_VERDICTS_H

#include "cli/cli.h"

/* `mmbench verdicts`. */
extern const struct cli_command verdicts_command;

/* Print the registry of verdict columns as `mmbench columns` prints the
 * results columns (name, group "verdict", type, unit, better, absent); A_
 * and B_ stand for the two backends' names. */
void verdicts_columns_print(void);

#endif
