/* columns.c - `mmbench columns`: the results columns, for the scripts. */
#include <stdbool.h>

#include "cli/cli.h"
#include "cmd/commands.h"
#include "results/columns.h"
#include "results/seriescsv.h"

static int cmd_columns(int argc, char **argv)
{
	bool verdicts = false, series = false;
	const struct cli_option opts[] = {
		CLI_OPT_FLAG("verdicts", &verdicts, "the columns of mmbench verdicts instead"),
		CLI_OPT_FLAG("series", &series, "the columns of series.csv (--interval) instead"),
		CLI_OPT_END,
	};
	int status = cli_parse(&columns_command, opts, argc, argv, NULL, NULL);

	if (!status && verdicts)
		verdicts_columns_print();
	else if (!status && series)
		seriescsv_columns_print();
	else if (!status)
		columns_print();
	return status;
}

const struct cli_command columns_command = {
	.name = "columns",
	.args = "",
	.summary = "the results columns: units, better direction, defaults",
	.about = "The results columns as TSV: name, group, type, unit, which direction is\n"
		 "better, and what a file written before the column existed reads as.\n"
		 "--verdicts: the columns of mmbench verdicts (A_ and B_ name the backends).\n"
		 "--series: the columns of series.csv (name, unit), --interval's time series.\n",
	.main = cmd_columns,
};
