/*
 * workload.h - what is done with the data: an access pattern, the checksum
 * it must produce, and how its result is verified.
 *
 * A workload is one static `struct workload` in its own workload_*.c, listed
 * in workloads.c.  plan() runs before the timer starts (offsets, expected
 * checksums), execute() is the timed body, verify() and restore() run after
 * the timer stops.
 */
#ifndef MMBENCH_WORKLOAD_H
#define MMBENCH_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct backend;
struct backend_ctx;
struct datafile;
struct hist;

/* Workload flags. */
#define WORKLOAD_WRITES (1u << 0) /* modifies the data: needs a writable file */

/* One repetition's work, fixed before the timer starts. */
struct plan {
	uint64_t block;	 /* bytes per operation */
	uint64_t passes; /* passes over the file or hot set (effective value) */
	uint64_t hot;	 /* reread: bytes of the hot set; 0 for the others */
	uint64_t ops;	 /* operations in the reported part of the region */
	uint64_t bytes;	 /* bytes consumed or updated in the reported part */
	uint64_t *offsets; /* random workloads: the offset of each operation */
	uint64_t noffsets;
	uint64_t expected_sum; /* checksum the whole timed region must yield */
	/* inplace: the distinct blocks updated and how many times each; for
	 * a file without the pattern, a copy of their bytes before the
	 * repetition (NULL for a pattern file, whose bytes are known) */
	uint64_t *touched, *touch_count;
	unsigned char *saved;
	size_t ntouched;
	bool journaled; /* saved is armed in journal.h until the plan is freed */
};

/* The state execute() works with. */
struct exec {
	const struct backend *b;
	struct backend_ctx *ctx;
	const struct plan *plan;
	struct hist *lat;	  /* per-operation latencies, sampled */
	uint64_t every, countdown; /* time one operation in `every` */
	uint64_t checksum;	  /* consume() results, summed */
	uint64_t steady_start_ns; /* start of the reported part of the region */
};

struct workload {
	const char *name;
	const char *summary; /* one line for --list */
	unsigned flags;	     /* WORKLOAD_* */
	int (*plan)(struct plan *p, const struct config *cfg, const struct datafile *df,
		    uint64_t iteration);
	int (*execute)(struct exec *x);
	/* Check what the timed region left behind, beyond its checksum; with
	 * durable, the data must be read back from the device. NULL: nothing. */
	int (*verify)(const struct plan *p, const struct backend *b, struct backend_ctx *ctx,
		      bool durable, bool *ok);
	/* Put the file back as it was before the repetition. NULL: unchanged. */
	int (*restore)(const struct plan *p, const struct datafile *df);
};

extern const struct workload workload_seqread;
extern const struct workload workload_randread;
extern const struct workload workload_reread;
extern const struct workload workload_inplace;

/* All workloads, in --list order, NULL-terminated. */
extern const struct workload *const workloads[];

/* The workload called name, or NULL. */
const struct workload *workload_find(const char *name);

/* Free what plan() allocated and zero the plan. */
void workload_plan_free(struct plan *p);

/* The seed of the random offsets of one iteration: a different but
 * reproducible sequence per repetition, the same for every backend. */
uint64_t workload_offsets_seed(uint64_t seed, uint64_t iteration);

/* The weight of an operation's consume() result in the row's checksum:
 * distinct and odd for every 8-byte-aligned offset, so a block read from
 * the wrong place fails verification even when every block is read once
 * (a plain sum would not see a permutation). */
static inline uint64_t workload_weight(uint64_t off)
{
	return off / 4 + 1;
}

/* The weighted checksum of reading [off, off + len) in block units, each
 * block at most `block` bytes (the last may be short); untimed. */
int workload_expected_range(const struct datafile *df, uint64_t off, uint64_t len, uint64_t block,
			    uint64_t *sum);

/* Timed: one operation on len bytes at off through the backend: consume
 * them, or with update read-modify-write them (every word plus one). */
int workload_op(struct exec *x, uint64_t off, size_t len, bool update);

/* Untimed: fill the common fields of a random workload's plan and its
 * offsets, --ops of them, block-aligned, from the seed and iteration. */
int workload_plan_random(struct plan *p, const struct config *cfg, const struct datafile *df,
			 uint64_t iteration);

/* Timed: workload_op() at each of the plan's offsets in turn. */
int workload_run_offsets(struct exec *x, bool update);

#endif
