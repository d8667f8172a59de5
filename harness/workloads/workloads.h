/*
 * workloads.h - the registry of workloads (every workloads/NAME.c in one
 * table, in --list order) and the untimed helpers they share: streams per
 * thread, expected checksums, and the saving, checking and restoring of
 * what the writing workloads change.
 */
#ifndef MMBENCH_WORKLOADS_H
#define MMBENCH_WORKLOADS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/workload.h"

extern const struct workload workload_seqread;
extern const struct workload workload_randread;
extern const struct workload workload_reread;
extern const struct workload workload_inplace;
extern const struct workload workload_seqwrite;
extern const struct workload workload_randwrite;
extern const struct workload workload_randrw;
extern const struct workload workload_replay;

/* All workloads, in --list order, NULL-terminated. */
extern const struct workload *const workloads[];

/* The workload called name, or NULL. */
const struct workload *workload_find(const char *name);

/* The seed of the random offsets of one iteration: a different but
 * reproducible sequence per repetition, the same for every backend. */
uint64_t workload_offsets_seed(uint64_t seed, uint64_t iteration);

/* The weighted checksum of reading [off, off + len) in block units, each
 * block at most `block` bytes (the last may be short), consuming every
 * word, or with touch_step one word in touch_step bytes; untimed. */
int workload_expected_range(const struct datafile *df, uint64_t off, uint64_t len, uint64_t block,
			    size_t touch_step, uint64_t *sum);

/* Untimed: the streams of a workload that walks [0, len) of the file in
 * order, passes times, the range cut into one block-aligned slice per
 * thread (--threads); with first_apart the first pass is a stream of its
 * own, run before the others and reported apart.  Sets ops and bytes (of
 * the steady passes) and the checksum of reading every pass. */
int workload_plan_ranges(struct op_plan *p, const struct config *cfg, const struct datafile *df,
			 uint64_t len, uint64_t passes, bool first_apart);

/* The operations of a random workload left at --ops 0: a quarter of the
 * blocks of a file_size file (at least 1).  Its rows record this number,
 * so whoever names configurations tells it from an --ops given. */
uint64_t workload_default_ops(uint64_t file_size, uint64_t block);

/* Untimed: the streams of a random workload, --ops offsets in all (a
 * quarter of the file's blocks by default) split among the threads, each
 * with its own stream from the seed and iteration; with own_slice, a
 * thread's offsets stay in its slice of the file, so no two threads write
 * one block.  Sets block, ops, bytes and, for reads, the checksum. */
int workload_plan_random(struct op_plan *p, const struct config *cfg, const struct datafile *df,
			 uint64_t iteration, bool own_slice, bool reads);

/* Untimed, for the workloads that write: collect the distinct blocks of
 * the streams (touched, touch_count), save their bytes from a user's file
 * or one without the pattern (the runner journals them during a step:
 * journal.h), and for OP_WRITE make src, the bytes every write puts down. */
int workload_plan_writes(struct op_plan *p, const struct config *cfg, const struct datafile *df,
			 enum op_kind op);

/* Untimed, the parts of workload_plan_writes() a workload that finds its
 * own touched blocks uses: the originals of p->touched from a user's file
 * or one without the pattern (-E2BIG beyond 1 GiB), and src, the bytes
 * every write puts down (p->block of them, with their sum). */
int workload_save_touched(struct op_plan *p, const struct datafile *df);

/* p->touched and p->touch_count from the offsets of every write, offs[0]
 * to offs[n - 1] (sorted here): the distinct blocks and how many times each
 * is written.  0 or -ENOMEM. */
int workload_set_touched(struct op_plan *p, uint64_t *offs, size_t n);
int workload_make_src(struct op_plan *p, const struct config *cfg);

/* src's prefix sums, for writes shorter than p->block (workload_write_sum):
 * 0 or -ENOMEM. */
int workload_src_prefix(struct op_plan *p);

/* A file for recorded streams' operations (struct stream_op) in dir,
 * unlinked (O_TMPFILE, else a name removed at once), so none outlives the
 * process: its descriptor, or a negative errno. */
int workload_records_file(const char *dir);

/* Untimed: a plan made on a view of the files end to end (--nrfiles:
 * struct datafile's parts, so its checksum and the originals of what it
 * changes are each file's already) spread over the files themselves: every
 * operation at offset v goes to file v / size at v % size, a write staying
 * a write, each thread's streams become recorded ones, and the files'
 * offsets weigh from v on (file_base), as the plan weighed them.  The
 * touched blocks keep their offsets v (workload_touched_file() finds them). */
int workload_spread(struct op_plan *p, const struct config *cfg, const struct datafile *files,
		    unsigned nfiles);

/* The pattern seed of file i of --nrfiles: the first keeps --seed, the
 * others differ, so a read from the right offset of the wrong file shows. */
uint64_t workload_file_seed(uint64_t seed, unsigned i);

/* Bytes of the block at off of df: a block, or less at the end of the
 * file. */
size_t workload_block_len(const struct op_plan *p, const struct datafile *df, uint64_t off);

/* Bytes of touched block i, of the file (or view) the plan was made on. */
size_t workload_touched_len(const struct op_plan *p, const struct datafile *df, size_t i);

/* Which of the plan's files touched block i is in (0 for a plan of one
 * file), and its offset there into *off. */
unsigned workload_touched_file(const struct op_plan *p, size_t i, uint64_t *off);

/* The bytes touched block i, at off of df (a file, or a view of parts),
 * held before the repetition, into buf: saved, or df's pattern. */
void workload_original(const struct op_plan *p, const struct datafile *df, uint64_t off, size_t i,
		       unsigned char *buf);

/* A restore copy of a user's file's blocks is kept in memory (and in its
 * journal); beyond this many bytes a write workload on such a file is
 * refused. */
#define WORKLOAD_MAX_SAVED (1ULL << 30)

/* Change k of the plan's ntouched, the ranges a step may change: touched
 * block k of a writing workload, or extent k of a replay (op_plan.extents):
 * the index of its file among files[], its offset there and its length.
 * A plan's saved bytes are those of its changes end to end, in order. */
unsigned workload_change(const struct op_plan *p, const struct datafile *files, size_t k,
			 uint64_t *off, uint64_t *len);

/* verify and restore of the workloads that write: every touched block
 * must hold what op leaves there (the original plus its count of updates,
 * or src); afterwards the originals are written back and synced.  ctx and
 * files: one for each of the plan's files. */
int workload_verify_writes(const struct op_plan *p, const struct backend *b,
			   struct backend_ctx *ctx, bool durable, bool *ok);
int workload_restore_writes(const struct op_plan *p, const struct datafile *files, uint64_t *failed,
			    size_t *nfailed);

#endif
