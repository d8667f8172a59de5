/*
 * op_plan.h - one repetition's work, fixed before the timer starts: the
 * kind of operation, each thread's streams of offsets and the checksum the
 * timed region must yield.  A workload's plan() fills it (workload.h), the
 * engine walks it, and `mmbench plan` prints it for an external worker.
 */
#ifndef MMBENCH_OP_PLAN_H
#define MMBENCH_OP_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/config.h"
#include "core/stream.h"

struct datafile;

/* What every operation of a workload does with its block. */
enum op_kind {
	OP_READ,   /* read it and consume every word */
	OP_UPDATE, /* read it, add one to every word, write it back */
	OP_WRITE,  /* write the plan's bytes over it without reading */
	OP_MIXED,  /* each operation a read or a write of the plan's bytes, as its
		    * (recorded) stream says */
};

/* Whether operations of kind k put down the plan's own bytes (src), which
 * a plan's lines do not carry. */
static inline bool op_kind_writes_src(enum op_kind k)
{
	return k == OP_WRITE || k == OP_MIXED;
}

/* A range a replay writes, of one of the plan's files. */
struct op_extent {
	uint64_t off;
	uint32_t len;
	uint16_t file;
};

/* One repetition's work, fixed before the timer starts. */
struct op_plan {
	uint64_t block;	 /* bytes per operation */
	uint64_t passes; /* passes over the file or hot set (effective value) */
	uint64_t hot;	 /* reread: bytes of the hot set; 0 for the others */
	uint64_t ops;	 /* operations in the reported part of the region */
	uint64_t bytes;	 /* bytes consumed or written in the reported part */
	/* Each thread's operations: first (reread's first pass, reported
	 * apart as first_pass_ns; empty for the others), then steady. */
	unsigned threads;
	enum op_kind op;
	size_t touch_step; /* --touch page: consume one word in this many bytes; 0: all */
	struct stream first[CONFIG_MAX_THREADS], steady[CONFIG_MAX_THREADS];
	/* The files the streams name (struct stream_item.file): 0 or 1 for the
	 * one file of a synthetic plan; each file's offsets weigh in the
	 * checksum from file_base[file] on (NULL: 0), so a block read from
	 * the right offset of the wrong file fails verification. */
	unsigned nfiles;
	uint64_t *file_base;
	bool paced; /* --replay-timing recorded: operations wait for their time */
	/* records_fd: the file of recorded[] when the plan made it (randrw's,
	 * a plan spread over files), closed with the plan */
	bool owns_records;
	int records_fd;
	/* recorded streams: their operations, one per thread (owns its chunk);
	 * how many continue their thread's previous one in its file (a
	 * sequential share), and the trace's own fingerprint */
	struct stream_ops recorded[2 * CONFIG_MAX_THREADS];
	uint64_t seq_ops, trace_fingerprint;
	uint64_t expected_sum; /* checksum the whole timed region must yield */
	/* OP_WRITE: the bytes every write puts down (block bytes, page
	 * aligned) but for its first word, which is stamped with the offset
	 * (workload_write_stamp), and their checksum over a whole block */
	unsigned char *src;
	uint64_t src_sum;
	uint64_t *src_prefix; /* [k]: the sum of src's first k words; NULL: not kept */
	/* A replay's writes: every distinct range written (the workload's,
	 * not freed with the plan), checked and put back after each step. */
	const struct op_extent *extents;
	size_t nextents;
	/* writes: the distinct blocks written and how many times each; for a
	 * user's file, or one without the pattern, a copy of their bytes
	 * before the repetition (NULL for a temporary pattern file, whose
	 * bytes are known) */
	uint64_t *touched, *touch_count;
	unsigned char *saved;
	size_t ntouched;
};

/* Before each step's timer: every recorded stream back at its first
 * chunk, as the plan left it, so each step reads the same records inside
 * its region (an earlier step's walk left the last chunk).  0, or the
 * negative errno of a chunk that could not be read. */
int op_plan_rewind(const struct op_plan *p);

/* Free what a workload's plan() allocated and zero the plan. */
void op_plan_free(struct op_plan *p);

/* Which step of a configuration a plan is. */
struct op_plan_step {
	const char *workload;
	uint64_t iteration; /* 0-based, warm-ups first */
	uint64_t rep;	    /* 1-based measured repetition; 0: a warm-up */
};

enum op_plan_format { OP_PLAN_JSON, OP_PLAN_CSV };

/* The plan's first line: the file, its pattern seed and the checksum rule
 * (for CSV, a comment and the column names). */
void op_plan_print_header(FILE *f, enum op_plan_format fmt, const struct config *cfg,
			  const struct datafile *df);

/* One step's line, then its operations' lines, thread by thread. */
void op_plan_print_step(FILE *f, enum op_plan_format fmt, const struct op_plan_step *s,
			const struct op_plan *p);

#endif
