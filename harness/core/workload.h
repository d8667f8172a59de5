/*
 * workload.h - what is done with the data: an access pattern, the checksum
 * it must produce, and how its result is verified.
 *
 * A workload is one static `struct workload` in its own workloads/NAME.c,
 * listed in workloads/workloads.c (the registry, a layer above, with the
 * helpers the workloads share).  A workload says what its operations are - each thread's
 * stream of offsets and one kind of operation - and the engine (engine.h)
 * issues them through a backend.  plan() runs before the timer starts
 * (streams, expected checksums), verify() and restore() after it stops.
 */
#ifndef MMBENCH_WORKLOAD_H
#define MMBENCH_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "content/consume.h"
#include "core/config.h"
#include "core/op_plan.h"

struct backend;
struct backend_ctx;
struct datafile;

/* Workload flags. */
#define WORKLOAD_WRITES (1u << 0) /* modifies the data: needs a writable file,
				   * and --allow-write on a user's --file */
#define WORKLOAD_RANDOM (1u << 1) /* draws its offsets: --dist applies */
#define WORKLOAD_TRACE (1u << 2)  /* replays --trace: its files are the trace's, its
				   * threads the recorded ones */
#define WORKLOAD_MIXED (1u << 3)  /* reads and writes mixed: --read-pct applies */

/* The advice a trace recorded on one of its files (enum madvise_mode,
 * enum fadvise_mode; -1: none), applied with --hints recorded where the
 * user set none. */
struct workload_hints {
	int madvise, fadvise;
	bool populate; /* mapped with MAP_POPULATE */
	bool direct;   /* opened O_DIRECT: reported, not applied (--direct is the user's) */
};

struct workload {
	const char *name;
	const char *summary; /* one line for --list */
	unsigned flags;	     /* WORKLOAD_* */
	enum op_kind op;     /* what each operation does */
	/* Fill p for the iteration-th repetition on the run's files, df[0]
	 * to df[nfiles - 1], untimed.  Only a WORKLOAD_TRACE workload is
	 * given more than one; --nrfiles gives the others one view of its
	 * files end to end (struct datafile's parts), and the runner spreads
	 * the plan over them (workload_spread()). */
	int (*plan)(struct op_plan *p, const struct config *cfg, const struct datafile *df,
		    unsigned nfiles, uint64_t iteration);
	/* Check what the timed region left behind, beyond its checksum, in
	 * ctx[0] to ctx[nfiles - 1], one for each of the run's files; with
	 * durable, the data must be read back from the device. NULL: nothing. */
	int (*verify)(const struct op_plan *p, const struct backend *b, struct backend_ctx *ctx,
		      bool durable, bool *ok);
	/* Put the files (files[0] to files[nfiles - 1]) back as they were
	 * before the repetition, every block
	 * tried even after one fails: the offsets of those that could not be
	 * written back go to failed[] (room for p->ntouched; NULL: not
	 * kept), their count to *nfailed.  0 or the first negative errno.
	 * NULL: the workload leaves the file unchanged. */
	int (*restore)(const struct op_plan *p, const struct datafile *files, uint64_t *failed,
		       size_t *nfailed);
	/* WORKLOAD_TRACE: the files the workload runs on, opened, with the
	 * hints recorded on each (*files and *hints: nfiles entries, freed by
	 * close_files and free()), in place of the runner's one file.  0, or
	 * a negative errno with msg saying why (-EINVAL: the trace or its
	 * files are not what it needs, a usage error). */
	int (*open_files)(const struct config *cfg, struct datafile **files, unsigned *nfiles,
			  struct workload_hints **hints, char *msg, size_t len);
	void (*close_files)(struct datafile *files, unsigned nfiles);
};

/* The weight of an operation's consume() result in the row's checksum:
 * distinct and odd for every 8-byte-aligned offset, so a block read from
 * the wrong place fails verification even when every block is read once
 * (a plain sum would not see a permutation). */
static inline uint64_t workload_weight(uint64_t off)
{
	return off / 4 + 1;
}

/* The first word of a write at off: src's, plus the offset.  A write that
 * lands on another block - even one the workload also writes, as every
 * seqwrite block is - leaves the wrong stamp there. */
static inline uint64_t workload_write_stamp(const struct op_plan *p, uint64_t off)
{
	return consume_load_le(p->src) + off + 1;
}

/* The checksum of a write of len bytes at off (src with its stamp): what
 * consume() gives for them, a partial last word zero-padded.  A plan whose
 * writes vary in length (a replay's) keeps src's prefix sums, so the timed
 * region does not read src again to know it. */
static inline uint64_t workload_write_sum(const struct op_plan *p, uint64_t off, size_t len)
{
	uint64_t stamp = workload_write_stamp(p, off), sum;
	size_t words = len / 8, tail = len % 8;

	if (len < 8) /* the stamp's own first bytes, no more */
		return stamp & ((1ULL << (8 * len)) - 1);
	if (len == p->block)
		sum = p->src_sum;
	else if (p->src_prefix)
		sum = p->src_prefix[words] +
		      (tail ? consume_load_le(p->src + 8 * words) & ((1ULL << (8 * tail)) - 1) : 0);
	else
		sum = consume(p->src, len);
	return sum - consume_load_le(p->src) + stamp;
}

#endif
