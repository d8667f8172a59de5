/*
 * tally.h - what one `mmbench run` measured, per backend x workload, for
 * the summary it prints at the end: the throughput of each repetition (by
 * repetition number, so two backends' repetitions of one interleaved round
 * pair up), and the evidence that decides the regime a verdict holds in:
 * residency, device bytes per useful byte, faults per MiB, folio structure.
 */
#ifndef MMBENCH_TALLY_H
#define MMBENCH_TALLY_H

#include <stdint.h>
#include <stdio.h>

#include "analysis/verdict.h"
#include "core/config.h"

struct config;
struct row;

struct tally_combo {
	double *mib;		 /* [reps], by repetition; NAN where none was recorded */
	unsigned n, verified;
	struct verdict_evidence ev; /* sums and extremes over the recorded rows */
};

struct tally {
	const struct config *cfg;
	unsigned ncombo;		 /* backends x workloads, backend-major */
	char names[CONFIG_MAX_BACKENDS][CONFIG_SERIES_MAX]; /* each backend's series name */
	int width; /* of the widest name, at least 8: the summary's column */
	struct tally_combo *c;
};

/* 0 or -ENOMEM. */
int tally_init(struct tally *t, const struct config *cfg);
void tally_free(struct tally *t);

/* Count a recorded row of combination combo. */
void tally_add(struct tally *t, unsigned combo, const struct row *r);

/* Warn when the rows compared within a workload started from page-cache
 * folio structures more than VERDICT_FOLIO_SPREAD apart. */
void tally_check_folios(const struct tally *t);

/* The end-of-run summary: median MiB/s per backend x workload; then, with
 * two or more backends, the verdict (verdict.h; one process, so decided over
 * its paired repetitions) of each against read (or the config's --ratio
 * A:B) with its ratio and interval; and the regime behind it.  file_size is
 * the measured file's. */
void tally_print(const struct tally *t, uint64_t file_size, FILE *f);

#endif
