/* run.c - `mmbench run`: one configuration from the command line, rows to
 * --csv or stdout (measure/run.c measures it). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backends/worker.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "cmd/commands.h"
#include "core/config.h"
#include "measure/run.h"
#include "results/rowcsv.h"
#include "results/seriescsv.h"
#include "sys/datafile.h"
#include "sys/memlimit.h"
#include "sys/sysinfo.h"
#include "util/error.h"
#include "util/progress.h"

/* Where --interval's series go: beside --csv's rows (seriescsv_path()),
 * checked as the rows' file is.  0 or the exit status after the message. */
static int run_series_path(const struct config *cfg, char *path, size_t len)
{
	int err;

	if (!cfg->csv) {
		error_msg("--interval %llu writes its series beside the rows: add --csv FILE",
			  (unsigned long long)cfg->interval);
		return EXIT_USAGE;
	}
	if (seriescsv_path(cfg->csv, path, len)) {
		error_msg("'%s' for --csv is too long a path for its series file", cfg->csv);
		return EXIT_USAGE;
	}
	err = seriescsv_check(path);
	if (err == -EPROTO) {
		error_msg("'%s' (the series of --csv '%s') has a different header: write to a new "
			  "file",
			  path, cfg->csv);
		return EXIT_USAGE;
	}
	if (err) {
		error_msg("cannot write '%s' (the series of --csv '%s'): %s", path, cfg->csv,
			  err == -EINVAL ? "not a regular file" : strerror(-err));
		return err == -EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
	}
	return 0;
}

static int run_main(int argc, char **argv)
{
	struct config cfg;
	struct sysinfo si;
	struct progress progress;
	char run_id[64];
	struct run_ctx rc = { .si = &si, .run_id = run_id };
	const struct cli_option opts[] = { CLI_OPT_RUN(NULL, &cfg), CLI_OPT_END };
	char msg[512], series[4200];
	int status, err;

	options_defaults(&cfg);
	/* A worker's backends must be known before --backend names them,
	 * wherever --worker stands on the line. */
	for (int i = 0; i < argc && argv[i] && strcmp(argv[i], "--"); i++) {
		const char *cmd = NULL;

		if (!strcmp(argv[i], "--worker"))
			cmd = i + 1 < argc ? argv[i + 1] : NULL;
		else if (!strncmp(argv[i], "--worker=", 9))
			cmd = argv[i] + 9;
		if (!cmd)
			continue;
		/* a missing value ("--worker --quiet") is cli_parse()'s to report */
		if (*cmd && *cmd != '-' && worker_register(cmd, msg, sizeof(msg))) {
			error_msg("%s", msg);
			return EXIT_USAGE;
		}
		break;
	}
	status = cli_parse(&run_command, opts, argc, argv, NULL, NULL);
	if (status)
		return status;
	if (options_validate(&cfg, msg, sizeof(msg))) {
		error_msg("%s", msg);
		return EXIT_USAGE;
	}
	sysinfo_collect(&si, cfg.file ? cfg.file : cfg.dir);
	if (cfg.cache == CACHE_COLD && datafile_in_memory(cfg.file ? cfg.file : cfg.dir)) {
		error_msg("'%s' is on %s: a cold cache cannot mean anything there (use a disk "
			  "filesystem, e.g. --dir /var/tmp)",
			  cfg.file ? cfg.file : cfg.dir,
			  datafile_in_memory(cfg.file ? cfg.file : cfg.dir));
		return EXIT_RUNTIME;
	}
	run_make_id(run_id, sizeof(run_id));
	rc.csv_fd = -1;
	rc.csv_path = cfg.csv;
	err = cfg.csv ? rowcsv_check(cfg.csv) : 0;
	if (err == -EPROTO) {
		error_msg("'%s' has a different header: write to a new file", cfg.csv);
		return EXIT_USAGE;
	}
	if (err == -EINVAL) {
		error_msg("'%s' for --csv is %s, not a regular file", cfg.csv, datafile_kind(cfg.csv));
		return EXIT_USAGE;
	}
	if (err) {
		error_msg("cannot write '%s': %s", cfg.csv ? cfg.csv : "stdout", strerror(-err));
		return EXIT_RUNTIME;
	}
	rc.series_fd = -1;
	if (cfg.interval) {
		status = run_series_path(&cfg, series, sizeof(series));
		if (status)
			return status;
		rc.series_path = series;
	}
	progress_init(&progress, run_steps(&cfg), !cfg.quiet && isatty(STDERR_FILENO));
	rc.progress = &progress;
	rc.summary = !cfg.quiet;
	status = run_config(&cfg, &rc);
	worker_stop();
	memlimit_remove();
	if (cfg.csv && rc.csv_fd >= 0)
		close(rc.csv_fd);
	if (rc.series_fd >= 0)
		close(rc.series_fd);
	if (rc.series_lines && !cfg.quiet)
		error_msg("series: %llu intervals in '%s'", rc.series_lines, series);
	if (!status && rc.unverified) {
		error_msg("%u of %u rows did not verify", rc.unverified, rc.rows);
		status = EXIT_RUNTIME;
	}
	return status;
}

const struct cli_command run_command = {
	.name = "run",
	.args = "[options]",
	.summary = "measure backends x workloads (see run --help)",
	.about = "Run every backend x workload on one file, repetitions interleaved in a\n"
		 "shuffled order, and write one CSV row per measured repetition.\n\n"
		 "Sizes take K, M, G, T suffixes (powers of 1024).  Without --file, a pattern\n"
		 "file of --size bytes is created in --dir and removed at exit.\n",
	.main = run_main,
};
