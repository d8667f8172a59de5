/*
 * run.h - the measurement loop: every backend x workload of one
 * configuration, repetitions interleaved in a shuffled order, one CSV row per
 * measured repetition.
 */
#ifndef MMBENCH_RUN_H
#define MMBENCH_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct config;
struct progress;
struct sysinfo;

struct run_ctx {
	const struct sysinfo *si;
	const char *run_id;
	int csv_fd;		   /* rows go here; -1: open csv_path at the first row */
	const char *csv_path;	   /* where, when csv_fd is -1; NULL: stdout */
	/* --interval: series lines go to series_fd, or, when it is -1, to
	 * series_path, opened at the first line (seriescsv_path()) */
	int series_fd;
	const char *series_path;
	unsigned long long series_lines;
	FILE *log;		   /* skipped and failed steps, besides stderr; may be NULL */
	struct progress *progress; /* may be NULL */
	const char *label;	   /* the configuration, for progress; may be NULL */
	bool summary;		   /* print the summary table on stderr */
	bool file_ours;		   /* cfg->file is the sweep's pattern file, no user's */
	unsigned rows, failures, unverified, skipped;
};

/* Run one configuration.  Returns 0 when every step ran (rows may still
 * fail verification: see rc->unverified), EXIT_USAGE when the configuration
 * does not fit the file, EXIT_RUNTIME when a step or the setup failed. */
int run_config(const struct config *cfg, struct run_ctx *rc);

/* A fresh run identifier: UTC time and process id. */
void run_make_id(char *buf, size_t len);

/* The number of measurements run_config() will make (for progress). */
unsigned long long run_steps(const struct config *cfg);

#endif
