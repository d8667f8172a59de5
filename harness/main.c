/*
 * main.c - mmbench's command table and its dispatch: `mmbench NAME` runs
 * the command called NAME (each in its own file, most in cmd/), and the
 * --list, --help and --version flags.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/commands.h"
#include "sys/cleanup.h"
#include "util/error.h"
#include "util/parse.h"
#include "util/version.h"

/* Every subcommand, in the order mmbench --help lists them. */
static const struct cli_command *const main_commands[] = {
	&run_command,	  &prepare_command, &evict_command,	 &residency_command,
	&sysinfo_command, &sweep_command,   &summary_command, &compare_command,
	&export_command,  &merge_command,   &restore_command, &columns_command,
	&plan_command,	  &verdicts_command,
	NULL,
};

/* `mmbench --help`: the synopsis of every command, from the commands. */
static void main_usage(FILE *f)
{
	fputs("usage: mmbench <command> [options]\n\n"
	      "Is mmap faster than read()/pread()/stdio on this machine, for this access\n"
	      "pattern, by how much, and why?  Measured, verified, one CSV row per repetition.\n\n"
	      "commands:\n",
	      f);
	for (const struct cli_command *const *c = main_commands; *c; c++) {
		char left[128];

		snprintf(left, sizeof(left), "%s %s", (*c)->name, (*c)->args);
		if (strlen(left) > 30)
			fprintf(f, "  %s\n  %-30s %s\n", left, "", (*c)->summary);
		else
			fprintf(f, "  %-30s %s\n", left, (*c)->summary);
	}
	fputs("  --list                         backends and workloads, and why any is missing\n"
	      "  --help, --version\n",
	      f);
}

int main(int argc, char **argv)
{
	const char *names[sizeof(main_commands) / sizeof(main_commands[0])], *near;
	unsigned long n = 0;

	cleanup_init();
	if (argc < 2) {
		error_msg("missing command (see mmbench --help)");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		main_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("mmbench %s\n", MMBENCH_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--list"))
		return cmd_list();
	for (const struct cli_command *const *c = main_commands; *c; c++) {
		if (!strcmp(argv[1], (*c)->name))
			return (*c)->main(argc - 2, argv + 2);
		names[n++] = (*c)->name;
	}
	near = parse_nearest(argv[1], names, n);
	if (near)
		error_msg("unknown command '%s' (did you mean '%s'? see mmbench --help)", argv[1],
			  near);
	else
		error_msg("unknown command '%s' (see mmbench --help)", argv[1]);
	return EXIT_USAGE;
}
