/* sysinfo.c - `mmbench sysinfo`: this machine and a path's filesystem. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cmd/commands.h"
#include "sys/sysinfo.h"
#include "util/error.h"

static int cmd_sysinfo(int argc, char **argv)
{
	struct sysinfo si;
	const char *path = ".";
	bool json = false;
	const struct cli_option opts[] = {
		CLI_OPT_FLAG("json", &json, "as one JSON object"),
		CLI_OPT_STRING("path", "PATH", &path, "describe the filesystem holding PATH [.]"),
		CLI_OPT_END,
	};
	int status = cli_parse(&sysinfo_command, opts, argc, argv, NULL, NULL);

	if (status)
		return status;
	if (access(path, F_OK)) {
		error_msg("cannot find '%s' for --path: %s", path, strerror(errno));
		return EXIT_USAGE;
	}
	sysinfo_collect(&si, path);
	sysinfo_probe_folios(&si, path);
	if (json)
		sysinfo_print_json(&si, stdout);
	else
		sysinfo_print(&si, stdout);
	return 0;
}

const struct cli_command sysinfo_command = {
	.name = "sysinfo",
	.args = "[--json] [--path PATH]",
	.summary = "describe this machine (and PATH's filesystem)",
	.about = "This machine, and the filesystem of PATH: CPU, caches, kernel, memory,\n"
		 "device, read-ahead, huge pages, large page-cache folios, clock.\n",
	.main = cmd_sysinfo,
};
