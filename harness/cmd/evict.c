/* evict.c - `mmbench evict FILE`: FILE's pages out of the page cache. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cmd/commands.h"
#include "cmd/residency.h"
#include "sys/datafile.h"
#include "util/error.h"

static int cmd_evict(int argc, char **argv)
{
	struct datafile df;
	int status = residency_open_file(argc, argv, &evict_command, &df), err;

	if (status)
		return status;
	err = datafile_evict(&df);
	if (err) {
		error_msg("cannot evict '%s': %s", df.path, strerror(-err));
		status = EXIT_RUNTIME;
	} else {
		status = residency_report(&df);
	}
	datafile_close(&df);
	return status;
}

const struct cli_command evict_command = {
	.name = "evict",
	.args = "FILE",
	.summary = "drop FILE's pages from the page cache",
	.about = "Write back FILE's dirty pages and drop its pages from the page cache\n"
		 "(posix_fadvise DONTNEED), then report how many are still resident.\n",
	.main = cmd_evict,
	.min_args = 1,
	.max_args = 1,
};
