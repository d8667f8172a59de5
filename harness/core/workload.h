/*
 * workload.h - what is done with the data: an access pattern, the checksum
 * it must produce, and how its result is verified.
 *
 * A workload is one static `struct workload` in its own workloads/NAME.c, listed
 * in workloads.c.  A workload says what its operations are - each worker's
 * stream of offsets and one kind of operation - and the engine (engine.h)
 * issues them through a backend.  plan() runs before the timer starts
 * (streams, expected checksums), verify() and restore() after it stops.
 */
#ifndef MMBENCH_WORKLOAD_H
#define MMBENCH_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "content/consume.h"
#include "core/stream.h"

struct backend;
struct backend_ctx;
struct datafile;

/* Workload flags. */
#define WORKLOAD_WRITES (1u << 0) /* modifies the data: needs a writable file,
				   * and --allow-write on a user's --file */
#define WORKLOAD_RANDOM (1u << 1) /* draws its offsets: --dist applies */

/* What every operation of a workload does with its block. */
enum op_kind {
	OP_READ,   /* read it and consume every word */
	OP_UPDATE, /* read it, add one to every word, write it back */
	OP_WRITE,  /* write the plan's bytes over it without reading */
};

/* One repetition's work, fixed before the timer starts. */
struct plan {
	uint64_t block;	 /* bytes per operation */
	uint64_t passes; /* passes over the file or hot set (effective value) */
	uint64_t hot;	 /* reread: bytes of the hot set; 0 for the others */
	uint64_t ops;	 /* operations in the reported part of the region */
	uint64_t bytes;	 /* bytes consumed or written in the reported part */
	/* Each worker's operations: first (reread's first pass, reported
	 * apart as first_pass_ns; empty for the others), then steady. */
	unsigned workers;
	enum op_kind op;
	size_t touch_step; /* --touch page: consume one word in this many bytes; 0: all */
	struct stream first[CONFIG_MAX_THREADS], steady[CONFIG_MAX_THREADS];
	uint64_t expected_sum; /* checksum the whole timed region must yield */
	/* OP_WRITE: the bytes every write puts down (block bytes, page
	 * aligned) but for its first word, which is stamped with the offset
	 * (workload_write_stamp), and their checksum over a whole block */
	unsigned char *src;
	uint64_t src_sum;
	/* writes: the distinct blocks written and how many times each; for a
	 * user's file, or one without the pattern, a copy of their bytes
	 * before the repetition (NULL for a temporary pattern file, whose
	 * bytes are known) */
	uint64_t *touched, *touch_count;
	unsigned char *saved;
	size_t ntouched;
};

struct workload {
	const char *name;
	const char *summary; /* one line for --list */
	unsigned flags;	     /* WORKLOAD_* */
	enum op_kind op;     /* what each operation does */
	/* Fill p for the iteration-th repetition on df, untimed. */
	int (*plan)(struct plan *p, const struct config *cfg, const struct datafile *df,
		    uint64_t iteration);
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
extern const struct workload workload_seqwrite;
extern const struct workload workload_randwrite;

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

/* The first word of a write at off: src's, plus the offset.  A write that
 * lands on another block - even one the workload also writes, as every
 * seqwrite block is - leaves the wrong stamp there. */
static inline uint64_t workload_write_stamp(const struct plan *p, uint64_t off)
{
	return consume_load_le(p->src) + off + 1;
}

/* The checksum of a write of len bytes at off (src with its stamp). */
static inline uint64_t workload_write_sum(const struct plan *p, uint64_t off, size_t len)
{
	uint64_t sum = len == p->block ? p->src_sum : consume(p->src, len);

	return sum - consume_load_le(p->src) + workload_write_stamp(p, off);
}

/* The weighted checksum of reading [off, off + len) in block units, each
 * block at most `block` bytes (the last may be short), consuming every
 * word, or with touch_step one word in touch_step bytes; untimed. */
int workload_expected_range(const struct datafile *df, uint64_t off, uint64_t len, uint64_t block,
			    size_t touch_step, uint64_t *sum);

/* Untimed: the streams of a workload that walks [0, len) of the file in
 * order, passes times, the range cut into one block-aligned slice per
 * worker (--threads); with first_apart the first pass is a stream of its
 * own, run before the others and reported apart.  Sets ops and bytes (of
 * the steady passes) and the checksum of reading every pass. */
int workload_plan_ranges(struct plan *p, const struct config *cfg, const struct datafile *df,
			 uint64_t len, uint64_t passes, bool first_apart);

/* Untimed: the streams of a random workload, --ops offsets in all (a
 * quarter of the file's blocks by default) split among the workers, each
 * with its own stream from the seed and iteration; with own_slice, a
 * worker's offsets stay in its slice of the file, so no two workers write
 * one block.  Sets block, ops, bytes and, for reads, the checksum. */
int workload_plan_random(struct plan *p, const struct config *cfg, const struct datafile *df,
			 uint64_t iteration, bool own_slice, bool reads);

/* Untimed, for the workloads that write: collect the distinct blocks of
 * the streams (touched, touch_count), save their bytes from a user's file
 * or one without the pattern (the runner journals them during a step:
 * journal.h), and for OP_WRITE make src, the bytes every write puts down. */
int workload_plan_writes(struct plan *p, const struct config *cfg, const struct datafile *df,
			 enum op_kind op);

/* Bytes of touched block i: a block, or less at the end of the file. */
size_t workload_touched_len(const struct plan *p, const struct datafile *df, size_t i);

/* The bytes touched block i held before the repetition, into buf. */
void workload_original(const struct plan *p, const struct datafile *df, size_t i,
		       unsigned char *buf);

/* verify and restore of the workloads that write: every touched block
 * must hold what op leaves there (the original plus its count of updates,
 * or src); afterwards the originals are written back and synced. */
int workload_verify_writes(const struct plan *p, const struct backend *b,
			   struct backend_ctx *ctx, bool durable, bool *ok);
int workload_restore_writes(const struct plan *p, const struct datafile *df);

#endif
