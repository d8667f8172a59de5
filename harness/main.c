/*
 * main.c - mmbench's command table and its dispatch: `mmbench NAME` runs
 * the command called NAME (each in its own file, most in cmd/), any other
 * NAME mmbench-NAME from the exec-path (cmd/external.h), and the --list,
 * --help, --version and --exec-path flags; the hidden --commands, --man and
 * --completion list and render the same tables as --help for `make install`.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/complete.h"
#include "cli/man.h"
#include "cmd/commands.h"
#include "cmd/external.h"
#include "sys/cleanup.h"
#include "util/error.h"
#include "util/parse.h"
#include "util/version.h"

/* Every subcommand, in the order mmbench --help lists them. */
static const struct cli_command *const main_commands[] = {
	&run_command,	  &prepare_command, &evict_command,	 &residency_command,
	&sysinfo_command, &sweep_command,   &summary_command, &compare_command,
	&export_command,  &merge_command,   &restore_command, &columns_command,
	&plan_command,	  &verdicts_command, &record_command,  &trace_command,   &exec_command,
	NULL,
};

#define MAIN_ABOUT                                                                          \
	"Is mmap faster than read()/pread()/stdio on this machine, for this access\n"          \
	"pattern, by how much, and why?  Measured, verified, one CSV row per repetition.\n"

/* `mmbench --help`: the synopsis of every command, from the commands. */
static void main_usage(FILE *f)
{
	fputs("usage: mmbench <command> [options]\n\n" MAIN_ABOUT "\ncommands:\n", f);
	for (const struct cli_command *const *c = main_commands; *c; c++) {
		char left[128];

		snprintf(left, sizeof(left), "%s %s", (*c)->name, (*c)->args);
		if (strlen(left) > 30)
			fprintf(f, "  %s\n  %-30s %s\n", left, "", (*c)->summary);
		else
			fprintf(f, "  %-30s %s\n", left, (*c)->summary);
	}
	fputs("  --list                         backends and workloads, and why any is missing\n"
	      "  --help, --version\n"
	      "  --exec-path                    where `mmbench NAME` finds the other commands\n"
	      "                                 (report, plot, ci-check, fleet, ...) as mmbench-NAME\n",
	      f);
}

/* The built-in command called name, or NULL. */
static const struct cli_command *main_find(const char *name)
{
	for (const struct cli_command *const *c = main_commands; *c; c++)
		if (!strcmp(name, (*c)->name))
			return *c;
	return NULL;
}

/* mmbench --man: mmbench(1); --man CMD: mmbench-CMD(1); --man mmbench
 * NAME...: mmbench(1) listing the script commands NAME... */
static int main_man(int argc, char **argv)
{
	struct cli_option opts[CLI_MAX_OPTIONS];
	const struct cli_command *cmd;

	if (argc == 0 || !strcmp(argv[0], "mmbench")) {
		struct man_main m = {
			.summary = "is mmap faster than read()/pread()/stdio here, by how much, and why?",
			.about = MAIN_ABOUT,
			.cmds = main_commands,
			.scripts = argc ? (const char *const *)argv + 1 : NULL,
			.version = MMBENCH_VERSION,
			.date = MMBENCH_DATE,
		};

		man_main(stdout, &m);
		return 0;
	}
	cmd = main_find(argv[0]);
	if (!cmd || argc > 1) {
		error_msg("invalid command '%s' for --man (use a command of mmbench --help)", argv[0]);
		return EXIT_USAGE;
	}
	if (cli_options_of(cmd, opts, CLI_MAX_OPTIONS) < 0) {
		error_msg("cannot describe the options of '%s'", cmd->name);
		return 1;
	}
	man_command(stdout, cmd, opts, MMBENCH_VERSION, MMBENCH_DATE);
	return 0;
}

/* mmbench --man-script NAME < HELP: mmbench-NAME(1) of a script command
 * from its --help text on stdin (make doc). */
static int main_man_script(int argc, char **argv)
{
	static char help[64 * 1024];
	size_t n;

	if (argc != 1 || !*argv[0] || strchr(argv[0], '/')) {
		error_msg("invalid command '%s' for --man-script (use a script command's name)",
			  argc ? argv[0] : "");
		return EXIT_USAGE;
	}
	n = fread(help, 1, sizeof(help) - 1, stdin);
	help[n] = '\0';
	if (!n) {
		error_msg("--man-script %s: no help text on stdin", argv[0]);
		return EXIT_USAGE;
	}
	man_script(stdout, argv[0], help, MMBENCH_VERSION, MMBENCH_DATE);
	return 0;
}

/* mmbench --completion bash|zsh [NAME...]: the completion script, the
 * script commands NAME... completed as commands. */
static int main_completion(int argc, char **argv)
{
	const char *const *scripts = (const char *const *)argv + 1;

	if (argc >= 1 && !strcmp(argv[0], "bash"))
		return complete_bash(stdout, main_commands, scripts) ? 1 : 0;
	if (argc >= 1 && !strcmp(argv[0], "zsh"))
		return complete_zsh(stdout, main_commands, scripts) ? 1 : 0;
	error_msg("invalid shell '%s' for --completion (use bash or zsh)", argc ? argv[0] : "");
	return EXIT_USAGE;
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
	if (!strcmp(argv[1], "--exec-path")) {
		puts(external_exec_path());
		return 0;
	}
	if (!strcmp(argv[1], "--commands")) {
		for (const struct cli_command *const *c = main_commands; *c; c++)
			puts((*c)->name);
		return 0;
	}
	if (!strcmp(argv[1], "--man"))
		return main_man(argc - 2, argv + 2);
	if (!strcmp(argv[1], "--man-script"))
		return main_man_script(argc - 2, argv + 2);
	if (!strcmp(argv[1], "--completion"))
		return main_completion(argc - 2, argv + 2);
	for (const struct cli_command *const *c = main_commands; *c; c++) {
		if (!strcmp(argv[1], (*c)->name))
			return (*c)->main(argc - 2, argv + 2);
		names[n++] = (*c)->name;
	}
	if (argv[1][0] != '-') {
		int err = external_run(argv[1], argc - 2, argv + 2);

		if (err != -ENOENT) {
			error_msg("cannot run 'mmbench-%s' from '%s': %s", argv[1],
				  external_exec_path(), strerror(-err));
			return 1;
		}
	}
	near = parse_nearest(argv[1], names, n);
	if (near)
		error_msg("unknown command '%s' (did you mean '%s'? see mmbench --help)", argv[1],
			  near);
	else
		error_msg("unknown command '%s' (see mmbench --help)", argv[1]);
	return EXIT_USAGE;
}
