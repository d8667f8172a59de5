/*
 * trace.h - a recorded pattern of file I/O (docs/traces.md): the files it
 * touches, then its operations and hints in the order they were issued.
 *
 * The one reader of every trace format mmbench takes: its own text format
 * (what `mmbench record` writes), fio's iolog versions 2 and 3, and the
 * JSON lines of `mmbench plan`.  The reader streams: it holds the header
 * (one entry per file) and one line, never the operations, so a trace of
 * any length is read in bounded memory.  The writer of mmbench's format is
 * here too, so the format has one definition.
 */
#ifndef MMBENCH_TRACE_H
#define MMBENCH_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The first line of a trace in mmbench's format. */
#define TRACE_MAGIC "mmbench-trace 1"

/* The most files one trace may name (its header stays small). */
#define TRACE_MAX_FILES 4096

/* The longest line the reader takes; a longer one is malformed. */
#define TRACE_MAX_LINE 8192

/* A reader's failure on a line that is not of its format: beyond the errno
 * range, so no system error is mistaken for it.  The message names the
 * trace and the line; a command exits 2 on it. */
#define ETRACE_MALFORMED 4200

enum trace_format {
	TRACE_FORMAT_MMBENCH, /* TRACE_MAGIC */
	TRACE_FORMAT_FIO2,    /* "fio version 2 iolog" */
	TRACE_FORMAT_FIO3,    /* "fio version 3 iolog" */
	TRACE_FORMAT_PLAN,    /* mmbench plan --format json */
};

/* One file of the header.  size and fingerprint are what the recording
 * saw; a format that does not carry them (fio's, a plan's fingerprint)
 * leaves them unknown. */
struct trace_file {
	char *path; /* as recorded; "" for a plan of the pattern file */
	uint64_t size, fingerprint;
	bool size_known, fingerprint_known;
};

enum trace_kind {
	TRACE_READ,
	TRACE_WRITE,
	TRACE_HINT, /* advice or a mapping: not an operation, part of the pattern */
};

/* What a hint record says. */
enum trace_hint {
	TRACE_HINT_FADVISE,   /* posix_fadvise(off, len, advice) */
	TRACE_HINT_MADVISE,   /* madvise on a mapping of the file, off/len in the file */
	TRACE_HINT_READAHEAD, /* readahead(off, len) */
	TRACE_HINT_DIRECT,    /* the file was opened O_DIRECT */
	TRACE_HINT_MMAP,      /* the file was mapped: off/len in the file, map_flags */
	TRACE_HINT_COUNT,
};

/* The advice of a fadvise or madvise hint. */
enum trace_advice {
	TRACE_ADV_NORMAL,
	TRACE_ADV_RANDOM,
	TRACE_ADV_SEQUENTIAL,
	TRACE_ADV_WILLNEED,
	TRACE_ADV_DONTNEED,
	TRACE_ADV_NOREUSE,
	TRACE_ADV_HUGEPAGE,
	TRACE_ADV_NOHUGEPAGE,
	TRACE_ADV_COUNT,
};

/* The flags of a mmap hint. */
#define TRACE_MAP_SHARED (1u << 0)
#define TRACE_MAP_PRIVATE (1u << 1)
#define TRACE_MAP_POPULATE (1u << 2)
#define TRACE_MAP_WRITE (1u << 3) /* PROT_WRITE */

/* One line of a trace: an operation or a hint. */
struct trace_rec {
	enum trace_kind kind;
	unsigned thread;  /* the recorded thread, numbered from 0 */
	uint64_t time_ns; /* since the trace's start; 0 where a format has no time */
	unsigned file;	  /* index in the header */
	uint64_t off, len;
	/* TRACE_HINT only */
	enum trace_hint hint;
	enum trace_advice advice; /* FADVISE, MADVISE */
	unsigned map_flags;	  /* MMAP: TRACE_MAP_* */
};

struct trace_reader;

/* Open the trace at path (a regular file), tell its format from the first
 * line and read its header.  0, or a negative errno or -ETRACE_MALFORMED
 * with msg (of len bytes) saying why, naming path and the line. */
int trace_open(struct trace_reader **out, const char *path, char *msg, size_t len);

/* The format, the number of files and each file of an open trace. */
enum trace_format trace_format_of(const struct trace_reader *r);
unsigned trace_nfiles(const struct trace_reader *r);
const struct trace_file *trace_file_at(const struct trace_reader *r, unsigned i);

/* The next record: 1 with *rec filled, 0 at the end, or a negative errno or
 * -ETRACE_MALFORMED with msg naming the trace and the line. */
int trace_next(struct trace_reader *r, struct trace_rec *rec, char *msg, size_t len);

/* Close the trace and free the reader (NULL is fine). */
void trace_close(struct trace_reader *r);

/* trace_file_check()'s answer for a file that is not the one recorded:
 * another size or fingerprint (msg says which). */
#define ETRACE_CHANGED 4201

/* Whether the file at tf->path is the one the trace recorded: 0 when its
 * size and fingerprint are those of the header (or the header has none to
 * compare: *checked false), -ETRACE_CHANGED, or a negative errno (missing,
 * unreadable); msg says what differs. */
int trace_file_check(const struct trace_file *tf, bool *checked, char *msg, size_t len);

/* Seconds with up to nine decimals ("12.000345") as nanoseconds: 0,
 * -EINVAL or -ERANGE. */
int trace_parse_time(const char *s, uint64_t *ns);

/* The names the format uses, for messages and the writer. */
const char *trace_format_name(enum trace_format f);
const char *trace_advice_name(enum trace_advice a);

/* Writing mmbench's format: the magic line, one line per file (all before
 * the first record), then the records.  A time is seconds since the start
 * with nanosecond digits; a path is written with C escapes for a
 * backslash and control bytes, so one line holds any path. */
void trace_write_magic(FILE *f);
void trace_write_file(FILE *f, unsigned index, const struct trace_file *tf);
void trace_write_thread(FILE *f, unsigned index, long tid);
void trace_write_rec(FILE *f, const struct trace_rec *rec);

#endif
