/* residency.c - `mmbench residency FILE`: how much of FILE is cached,
 * and the opening and report that evict shares. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cmd/commands.h"
#include "cmd/residency.h"
#include "sys/datafile.h"
#include "util/error.h"

int residency_open_file(int argc, char **argv, const struct cli_command *cmd,
			struct datafile *df)
{
	const struct cli_option opts[] = { CLI_OPT_END };
	const char *file;
	int status, err;

	status = cli_parse(cmd, opts, argc, argv, &file, NULL);
	if (status)
		return status;
	err = datafile_open(df, file, 0, false);
	if (err) {
		if (err == -EFTYPE_NOT_REGULAR)
			error_msg("'%s' is %s, not a regular file (%s needs one)", file,
				  datafile_kind(file), cmd->name);
		else
			error_msg("cannot open '%s' for %s: %s", file, cmd->name, strerror(-err));
		return EXIT_RUNTIME;
	}
	return 0;
}

int residency_report(const struct datafile *df)
{
	uint64_t resident, pages;
	int err = datafile_residency(df->fd, df->size, &resident, &pages);

	if (err) {
		error_msg("cannot inspect '%s': %s", df->path, strerror(-err));
		return EXIT_RUNTIME;
	}
	printf("%s: %llu of %llu pages resident (%.1f%%)\n", df->path, (unsigned long long)resident,
	       (unsigned long long)pages, pages ? 100.0 * (double)resident / (double)pages : 0.0);
	return 0;
}

static int cmd_residency(int argc, char **argv)
{
	struct datafile df;
	int status = residency_open_file(argc, argv, &residency_command, &df);

	if (status)
		return status;
	status = residency_report(&df);
	datafile_close(&df);
	return status;
}

const struct cli_command residency_command = {
	.name = "residency",
	.args = "FILE",
	.summary = "how much of FILE is in the page cache",
	.about = "How many of FILE's pages are in the page cache (mincore), like vmtouch.\n",
	.main = cmd_residency,
	.min_args = 1,
	.max_args = 1,
};
