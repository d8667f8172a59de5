/* restore.c - `mmbench restore FILE`: put back what a killed in-place run
 * changed, from its journal. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cmd/commands.h"
#include "sys/datafile.h"
#include "sys/journal.h"
#include "util/error.h"

static int cmd_restore(int argc, char **argv)
{
	const struct cli_option opts[] = { CLI_OPT_END };
	const char *file;
	size_t blocks;
	int err = cli_parse(&restore_command, opts, argc, argv, &file, NULL);

	if (err)
		return err;
	err = journal_replay(file, &blocks);
	if (err == -ENOENT) {
		error_msg("'%s' has no journal ('%s%s'): nothing to restore", file, file,
			  JOURNAL_SUFFIX);
		return EXIT_RUNTIME;
	}
	if (err == -ENODATA) {
		printf("%s: the run stopped while writing its journal, before changing the file: "
		       "nothing to restore, journal removed\n",
		       file);
		return 0;
	}
	if (err) {
		error_msg("cannot restore '%s' from '%s%s': %s", file, file, JOURNAL_SUFFIX,
			  err == -EPROTO ? "the journal does not match the file" : datafile_strerror(err));
		return EXIT_RUNTIME;
	}
	printf("%s: %zu blocks restored from %s%s\n", file, blocks, file, JOURNAL_SUFFIX);
	return 0;
}

const struct cli_command restore_command = {
	.name = "restore",
	.args = "FILE",
	.summary = "put back what a killed in-place run changed in FILE",
	.about = "Put back the blocks an in-place run on FILE (--allow-write) changed, from\n"
		 "FILE.mmbench-journal, when that run was killed (SIGKILL, a power cut) before\n"
		 "it could; then remove the journal.  run refuses FILE until then.\n",
	.main = cmd_restore,
	.min_args = 1,
	.max_args = 1,
};
