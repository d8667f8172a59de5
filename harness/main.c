/*
 * main.c - mmbench's subcommands: run, prepare, evict, residency, sysinfo,
 * and the --list, --help and --version flags.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/backend.h"
#include "sys/cleanup.h"
#include "results/columns.h"
#include "cmd/verdicts.h"
#include "analysis/compare.h"
#include "core/config.h"
#include "sys/datafile.h"
#include "util/error.h"
#include "analysis/export.h"
#include "sys/journal.h"
#include "analysis/merge.h"
#include "cli/options.h"
#include "util/parse.h"
#include "cmd/plan.h"
#include "measure/run.h"
#include "analysis/summary.h"
#include "suite/sweep.h"
#include "sys/sysinfo.h"
#include "util/version.h"
#include "core/workload.h"

static int main_list(void)
{
	puts("backends:");
	for (const struct backend *const *b = backends; *b; b++) {
		const char *why = (*b)->unavailable ? (*b)->unavailable() : NULL;

		printf("  %-9s %s%s%s%s\n", (*b)->name, (*b)->summary, why ? " (unavailable: " : "",
		       why ? why : "", why ? ")" : "");
	}
	puts("workloads:");
	for (const struct workload *const *w = workloads; *w; w++)
		printf("  %-9s %s\n", (*w)->name, (*w)->summary);
	return 0;
}

static const struct cli_command main_prepare_command;

static int main_prepare(int argc, char **argv)
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
	status = cli_parse(&main_prepare_command, opts, argc, argv, &file, NULL);
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

/* Open FILE, cmd's one argument, read-only for evict and residency. */
static int main_open_file(int argc, char **argv, const struct cli_command *cmd,
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

static int main_residency_report(const struct datafile *df)
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

static const struct cli_command main_evict_command, main_residency_command;

static int main_evict(int argc, char **argv)
{
	struct datafile df;
	int status = main_open_file(argc, argv, &main_evict_command, &df), err;

	if (status)
		return status;
	err = datafile_evict(&df);
	if (err) {
		error_msg("cannot evict '%s': %s", df.path, strerror(-err));
		status = EXIT_RUNTIME;
	} else {
		status = main_residency_report(&df);
	}
	datafile_close(&df);
	return status;
}

static int main_residency(int argc, char **argv)
{
	struct datafile df;
	int status = main_open_file(argc, argv, &main_residency_command, &df);

	if (status)
		return status;
	status = main_residency_report(&df);
	datafile_close(&df);
	return status;
}

static const struct cli_command main_sysinfo_command;

static int main_sysinfo(int argc, char **argv)
{
	struct sysinfo si;
	const char *path = ".";
	bool json = false;
	const struct cli_option opts[] = {
		CLI_OPT_FLAG("json", &json, "as one JSON object"),
		CLI_OPT_STRING("path", "PATH", &path, "describe the filesystem holding PATH [.]"),
		CLI_OPT_END,
	};
	int status = cli_parse(&main_sysinfo_command, opts, argc, argv, NULL, NULL);

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

static const struct cli_command main_restore_command;

static int main_restore(int argc, char **argv)
{
	const struct cli_option opts[] = { CLI_OPT_END };
	const char *file;
	size_t blocks;
	int err = cli_parse(&main_restore_command, opts, argc, argv, &file, NULL);

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
			  err == -EPROTO ? "the journal does not match the file" : strerror(-err));
		return EXIT_RUNTIME;
	}
	printf("%s: %zu blocks restored from %s%s\n", file, blocks, file, JOURNAL_SUFFIX);
	return 0;
}

static const struct cli_command main_columns_command;

static int main_columns(int argc, char **argv)
{
	bool verdicts = false;
	const struct cli_option opts[] = {
		CLI_OPT_FLAG("verdicts", &verdicts, "the columns of mmbench verdicts instead"),
		CLI_OPT_END,
	};
	int status = cli_parse(&main_columns_command, opts, argc, argv, NULL, NULL);

	if (!status && verdicts)
		verdicts_columns_print();
	else if (!status)
		columns_print();
	return status;
}

static const struct cli_command main_prepare_command = {
	.name = "prepare",
	.args = "FILE --size SIZE [--seed N] [--force]",
	.summary = "write a pattern file for run --file",
	.about = "Write a pattern file for run --file: every range's checksum is then known\n"
		 "without a reference read.  --force replaces an existing regular file.\n",
	.main = main_prepare,
	.min_args = 1,
	.max_args = 1,
};

static const struct cli_command main_evict_command = {
	.name = "evict",
	.args = "FILE",
	.summary = "drop FILE's pages from the page cache",
	.about = "Write back FILE's dirty pages and drop its pages from the page cache\n"
		 "(posix_fadvise DONTNEED), then report how many are still resident.\n",
	.main = main_evict,
	.min_args = 1,
	.max_args = 1,
};

static const struct cli_command main_residency_command = {
	.name = "residency",
	.args = "FILE",
	.summary = "how much of FILE is in the page cache",
	.about = "How many of FILE's pages are in the page cache (mincore), like vmtouch.\n",
	.main = main_residency,
	.min_args = 1,
	.max_args = 1,
};

static const struct cli_command main_sysinfo_command = {
	.name = "sysinfo",
	.args = "[--json] [--path PATH]",
	.summary = "describe this machine (and PATH's filesystem)",
	.about = "This machine, and the filesystem of PATH: CPU, caches, kernel, memory,\n"
		 "device, read-ahead, huge pages, large page-cache folios, clock.\n",
	.main = main_sysinfo,
};

static const struct cli_command main_restore_command = {
	.name = "restore",
	.args = "FILE",
	.summary = "put back what a killed in-place run changed in FILE",
	.about = "Put back the blocks an in-place run on FILE (--allow-write) changed, from\n"
		 "FILE.mmbench-journal, when that run was killed (SIGKILL, a power cut) before\n"
		 "it could; then remove the journal.  run refuses FILE until then.\n",
	.main = main_restore,
	.min_args = 1,
	.max_args = 1,
};

static const struct cli_command main_columns_command = {
	.name = "columns",
	.args = "",
	.summary = "the results columns: units, better direction, defaults",
	.about = "The results columns as TSV: name, group, type, unit, which direction is\n"
		 "better, and what a file written before the column existed reads as.\n"
		 "--verdicts: the columns of mmbench verdicts (A_ and B_ name the backends).\n",
	.main = main_columns,
};

/* Every subcommand, in the order mmbench --help lists them. */
static const struct cli_command *const main_commands[] = {
	&run_command,	      &main_prepare_command, &main_evict_command, &main_residency_command,
	&main_sysinfo_command, &sweep_command,	      &summary_command,	  &compare_command,
	&export_command,      &merge_command,	      &main_restore_command, &main_columns_command,
	&plan_command,	      &verdicts_command,
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
		return main_list();
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
