/* prepare.c - `mmbench prepare FILE --size SIZE`: a pattern file for run --file. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "cmd/commands.h"
#include "core/config.h"
#include "sys/datafile.h"
#include "util/error.h"

static int cmd_prepare(int argc, char **argv)
{
	struct config cfg;
	struct datafile df;
	const char *file;
	bool force = false;
	struct cli_option opts[] = {
		{ .type = CLI_RUN, .name = "size", .value = &cfg, .flags = CLIF_REQUIRED },
		CLI_OPT_RUN("seed", &cfg),
		CLI_OPT_FLAG("force", &force, "replace FILE if it is a regular file"),
		CLI_OPT_END,
	};
	int status, err;

	options_defaults(&cfg);
	status = cli_parse(&prepare_command, opts, argc, argv, &file, NULL);
	if (status)
		return status;
	if (!access(file, F_OK)) {
		/* --force replaces a file, never a device, FIFO or directory */
		if (strcmp(datafile_kind(file), "a regular file")) {
			error_msg("'%s' is %s, not a regular file: prepare will not replace it", file,
				  datafile_kind(file));
			return EXIT_USAGE;
		}
		if (!force) {
			error_msg("'%s' exists; add --force to replace it", file);
			return EXIT_USAGE;
		}
		if (unlink(file)) {
			error_msg("cannot remove '%s': %s", file, strerror(errno));
			return EXIT_RUNTIME;
		}
	}
	err = datafile_create(&df, file, cfg.size, cfg.seed, false);
	if (err) {
		error_msg("cannot create '%s': %s", file, datafile_strerror(err));
		return EXIT_RUNTIME;
	}
	err = fsync(df.fd) ? -errno : 0;
	datafile_close(&df);
	if (err) {
		error_msg("cannot sync '%s': %s", file, strerror(-err));
		return EXIT_RUNTIME;
	}
	return 0;
}

const struct cli_command prepare_command = {
	.name = "prepare",
	.args = "FILE --size SIZE [--seed N] [--force]",
	.summary = "write a pattern file for run --file",
	.about = "Write a pattern file for run --file: every range's checksum is then known\n"
		 "without a reference read.  --force replaces an existing regular file.\n",
	.main = cmd_prepare,
	.min_args = 1,
	.max_args = 1,
};
