/*
 * main.c - mmbench's subcommands: run, prepare, evict, residency, sysinfo,
 * and the --list, --help and --version flags.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "cleanup.h"
#include "columns.h"
#include "compare.h"
#include "config.h"
#include "datafile.h"
#include "error.h"
#include "export.h"
#include "journal.h"
#include "merge.h"
#include "options.h"
#include "parse.h"
#include "run.h"
#include "summary.h"
#include "sweep.h"
#include "sysinfo.h"
#include "version.h"
#include "workload.h"

static void main_usage(FILE *f)
{
	fputs("usage: mmbench <command> [options]\n\n"
	      "Is mmap faster than read()/pread()/stdio on this machine, for this access\n"
	      "pattern, by how much, and why?  Measured, verified, one CSV row per repetition.\n\n"
	      "commands:\n"
	      "  run [options]                  measure backends x workloads (see run --help)\n"
	      "  prepare FILE --size SIZE [--seed N] [--force]\n"
	      "                                 write a pattern file for run --file\n"
	      "  evict FILE                     drop FILE's pages from the page cache\n"
	      "  residency FILE                 how much of FILE is in the page cache\n"
	      "  sysinfo [--json] [--path PATH] describe this machine (and PATH's filesystem)\n"
	      "  sweep SUITE [--out DIR] [--dir DATADIR]\n"
	      "                                 run a parameter suite into a results folder\n"
	      "  summary RESULTS [--ratio A:B]  medians and spreads per configuration (TSV)\n"
	      "  compare BASELINE CURRENT [...] regression verdicts per configuration\n"
	      "  export RESULTS --format F      hyperfine-json, gbench-json, github-action, bencher\n"
	      "  merge RESULTS... --out DIR     combine result sets (versions, hosts) into one folder\n"
	      "  restore FILE                   put back what a killed in-place run changed in FILE\n"
	      "  columns                        the results columns: units, better direction, defaults\n"
	      "  --list                         backends and workloads, and why any is missing\n"
	      "  --help, --version\n",
	      f);
}

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

/* Parse the few `--name value` options of the small subcommands through
 * the run options table, so bounds and messages are the same. */
static int main_parse_opts(struct config *cfg, int argc, char **argv, const char *const *allowed,
			   const char **file, bool *force)
{
	char err[512];

	for (int i = 0; i < argc; i++) {
		const struct option_def *o = NULL;

		if (force && !strcmp(argv[i], "--force")) {
			*force = true;
			continue;
		}
		if (strncmp(argv[i], "--", 2)) {
			if (*file) {
				error_msg("unexpected argument '%s'", argv[i]);
				return EXIT_USAGE;
			}
			*file = argv[i];
			continue;
		}
		for (const char *const *a = allowed; *a; a++)
			if (!strcmp(argv[i] + 2, *a))
				o = options_find(*a);
		if (!o) {
			error_msg("unknown option '%s' (see mmbench --help)", argv[i]);
			return EXIT_USAGE;
		}
		if (i + 1 >= argc) {
			error_msg("missing value for --%s", o->name);
			return EXIT_USAGE;
		}
		if (options_set(cfg, o, argv[++i], err, sizeof(err))) {
			error_msg("%s", err);
			return EXIT_USAGE;
		}
		cfg->given |= 1ULL << (o - options);
	}
	if (!*file) {
		error_msg("missing FILE argument (see mmbench --help)");
		return EXIT_USAGE;
	}
	return 0;
}

static int main_prepare(int argc, char **argv)
{
	static const char *const allowed[] = { "size", "seed", NULL };
	struct config cfg;
	struct datafile df;
	const char *file = NULL;
	bool force = false;
	int status, err;

	options_defaults(&cfg);
	status = main_parse_opts(&cfg, argc, argv, allowed, &file, &force);
	if (status)
		return status;
	if (!(cfg.given & (1ULL << (options_find("size") - options)))) {
		error_msg("missing --size for prepare");
		return EXIT_USAGE;
	}
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

/* Open FILE read-only for evict and residency. */
static int main_open_file(int argc, char **argv, const char *cmd, struct datafile *df)
{
	static const char *const none[] = { NULL };
	struct config cfg;
	const char *file = NULL;
	int status, err;

	options_defaults(&cfg);
	status = main_parse_opts(&cfg, argc, argv, none, &file, NULL);
	if (status)
		return status;
	err = datafile_open(df, file, 0, false);
	if (err) {
		if (err == -EFTYPE_NOT_REGULAR)
			error_msg("'%s' is %s, not a regular file (%s needs one)", file,
				  datafile_kind(file), cmd);
		else
			error_msg("cannot open '%s' for %s: %s", file, cmd, strerror(-err));
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

static int main_evict(int argc, char **argv)
{
	struct datafile df;
	int status = main_open_file(argc, argv, "evict", &df), err;

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
	int status = main_open_file(argc, argv, "residency", &df);

	if (status)
		return status;
	status = main_residency_report(&df);
	datafile_close(&df);
	return status;
}

static int main_sysinfo(int argc, char **argv)
{
	struct sysinfo si;
	const char *path = ".";
	bool json = false;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--path") && i + 1 < argc) {
			path = argv[++i];
		} else {
			error_msg("unknown option '%s' for sysinfo (use --json, --path PATH)", argv[i]);
			return EXIT_USAGE;
		}
	}
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

static int main_restore(int argc, char **argv)
{
	size_t blocks;
	int err;

	if (argc != 1 || argv[0][0] == '-') {
		error_msg("restore needs FILE, the file an interrupted in-place run changed");
		return EXIT_USAGE;
	}
	err = journal_replay(argv[0], &blocks);
	if (err == -ENOENT) {
		error_msg("'%s' has no journal ('%s%s'): nothing to restore", argv[0], argv[0],
			  JOURNAL_SUFFIX);
		return EXIT_RUNTIME;
	}
	if (err == -ENODATA) {
		printf("%s: the run stopped while writing its journal, before changing the file: "
		       "nothing to restore, journal removed\n",
		       argv[0]);
		return 0;
	}
	if (err) {
		error_msg("cannot restore '%s' from '%s%s': %s", argv[0], argv[0], JOURNAL_SUFFIX,
			  err == -EPROTO ? "the journal does not match the file" : strerror(-err));
		return EXIT_RUNTIME;
	}
	printf("%s: %zu blocks restored from %s%s\n", argv[0], blocks, argv[0], JOURNAL_SUFFIX);
	return 0;
}

static int main_columns(int argc, char **argv)
{
	if (argc == 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		puts("usage: mmbench columns\n\nThe results columns as TSV: name, group, type, unit, "
		     "which direction is\nbetter, and what a file written before the column existed "
		     "reads as.");
		return 0;
	}
	if (argc) {
		error_msg("unexpected argument '%s' for columns", argv[0]);
		return EXIT_USAGE;
	}
	columns_print();
	return 0;
}

/* The subcommands; usage is for those that do not print their own --help. */
static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} main_commands[] = {
	{ "run", run_main, NULL },
	{ "prepare", main_prepare,
	  "usage: mmbench prepare FILE --size SIZE [--seed N] [--force]\n\n"
	  "Write a pattern file for run --file: every range's checksum is then known\n"
	  "without a reference read.  --force replaces an existing file.\n" },
	{ "evict", main_evict,
	  "usage: mmbench evict FILE\n\n"
	  "Write back FILE's dirty pages and drop its pages from the page cache\n"
	  "(posix_fadvise DONTNEED), then report how many are still resident.\n" },
	{ "residency", main_residency,
	  "usage: mmbench residency FILE\n\n"
	  "How many of FILE's pages are in the page cache (mincore), like vmtouch.\n" },
	{ "sysinfo", main_sysinfo,
	  "usage: mmbench sysinfo [--json] [--path PATH]\n\n"
	  "This machine, and the filesystem of PATH (default .): CPU, caches, kernel,\n"
	  "memory, device, read-ahead, huge pages, large page-cache folios, clock.\n" },
	{ "summary", summary_main, NULL },
	{ "sweep", sweep_main, NULL },
	{ "compare", compare_main, NULL },
	{ "export", export_main, NULL },
	{ "columns", main_columns, NULL },
	{ "restore", main_restore,
	  "usage: mmbench restore FILE\n\n"
	  "Put back the blocks an in-place run on FILE (--allow-write) changed, from\n"
	  "FILE.mmbench-journal, when that run was killed (SIGKILL, a power cut) before\n"
	  "it could; then remove the journal.  run refuses FILE until then.\n" },
	{ "merge", merge_main, NULL },
};

int main(int argc, char **argv)
{
	cleanup_init();
	if (argc < 2) {
		main_usage(stderr);
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
	for (size_t i = 0; i < sizeof(main_commands) / sizeof(main_commands[0]); i++) {
		if (strcmp(argv[1], main_commands[i].name))
			continue;
		for (int a = 2; a < argc && main_commands[i].usage; a++) {
			if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
				fputs(main_commands[i].usage, stdout);
				return 0;
			}
		}
		return main_commands[i].fn(argc - 2, argv + 2);
	}
	{
		const char *names[sizeof(main_commands) / sizeof(main_commands[0])];
		const char *near;

		for (size_t i = 0; i < sizeof(main_commands) / sizeof(main_commands[0]); i++)
			names[i] = main_commands[i].name;
		near = parse_nearest(argv[1], names, sizeof(names) / sizeof(names[0]));
		if (near)
			error_msg("unknown command '%s' (did you mean '%s'? see mmbench --help)", argv[1],
				  near);
		else
			error_msg("unknown command '%s' (see mmbench --help)", argv[1]);
	}
	return EXIT_USAGE;
}
