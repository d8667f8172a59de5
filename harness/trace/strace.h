/*
 * strace.h - turn strace's output into trace records (trace.h).
 *
 * The output is strace's with -f -ttt -T -qq -y (STRACE_ARGS): a line per
 * system call, the thread id first, its start time, fds printed with their
 * paths.  The parser follows descriptors as the kernel does: open and
 * openat give an open file description with a position, dup, dup2, dup3
 * and fcntl F_DUPFD share it, close drops one reference, and a number is
 * reused by the next open; lseek moves the position, read/write/readv/
 * writev use and advance it, the p- variants carry their offset, and a
 * write through an O_APPEND description lands at the file's end.  A clone
 * without CLONE_FILES (a fork) copies the table, one with it (a thread)
 * shares it; a call strace splits into "<unfinished ...>" and
 * "<... resumed>" is put back together.  Hints become hint records:
 * fadvise64, readahead, O_DIRECT opens, mmap of a file (and its flags),
 * and madvise on a range of such a mapping, with the file behind it.
 *
 * The output is read twice (so it must be a seekable file): the first
 * pass finds every clone's child and the bytes appended to each file, the
 * second emits the records.
 */
#ifndef MMBENCH_STRACE_H
#define MMBENCH_STRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "trace/trace.h"

/* The system calls strace is asked to show (-e trace=...). */
#define STRACE_SYSCALLS                                                                    \
	"open,openat,openat2,creat,close,dup,dup2,dup3,fcntl,lseek,read,write,pread64,"    \
	"pwrite64,readv,writev,preadv,pwritev,preadv2,pwritev2,mmap,munmap,madvise,"       \
	"fadvise64,readahead,copy_file_range,sendfile,sendfile64,clone,clone3,fork,vfork"

/* Which files a trace keeps: with only, those whose path matches one of
 * the globs (fnmatch, '*' crossing '/'); without, every regular path but
 * those under the system's folders (STRACE_SYSTEM_DIRS: libraries,
 * locales, configuration, /proc, /sys, /dev) and any file mapped
 * executable (a library elsewhere). */
#define STRACE_SYSTEM_DIRS "/usr/ /lib/ /lib32/ /lib64/ /libx32/ /etc/ /proc/ /sys/ /dev/ /run/"

struct strace_options {
	const char *const *only; /* globs, or NULL */
	unsigned nonly;
	/* The size of path now (after the program ran), for the end an
	 * O_APPEND write lands at in a file not created or truncated by the
	 * program: that size less what the trace appends.  NULL or -1:
	 * unknown, counted from 0. */
	int64_t (*size_now)(const char *path, void *ctx);
};

struct strace_events {
	/* A record, its file the index among the kept files (in order of
	 * their first record), its thread the index among the threads (in
	 * order of their first record). */
	void (*rec)(const struct trace_rec *rec, void *ctx);
	/* The first mapping of a kept file, len bytes. */
	void (*mapped)(const char *path, uint64_t len, void *ctx);
};

/* What a parse found. */
struct strace_result {
	char **paths; /* the kept files, by index */
	unsigned npaths;
	long *tids; /* the recorded thread ids, by index */
	unsigned nthreads;
	uint64_t reads, writes, hints;	  /* records emitted */
	uint64_t read_bytes, write_bytes; /* of the operations */
};

/* Parse the strace output in f (name for messages) and call ev for every
 * record, in the order strace completed the calls.  0, -ETRACE_MALFORMED
 * with msg naming name and the line, or a negative errno. */
int strace_parse(FILE *f, const char *name, const struct strace_options *o,
		 const struct strace_events *ev, void *ctx, struct strace_result *res, char *msg,
		 size_t len);

void strace_result_free(struct strace_result *res);

#endif
