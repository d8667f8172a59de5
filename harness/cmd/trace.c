/*
 * trace.c - `mmbench trace TRACE`: read a trace of any format mmbench takes
 * (its own, fio iolog v2/v3, plan JSON lines) line by line, as a replay
 * would, and print what it holds: its files (and whether each on this
 * machine is the one recorded), threads, operations, bytes, hints and the
 * share of sequential continuations.  A malformed line is named by file
 * and line, exit status 2.
 */
#include "cmd/commands.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "trace/trace.h"
#include "util/error.h"

/* Where each thread's last operation ended, to count continuations. */
struct trace_last {
	unsigned file;
	uint64_t end;
	bool seen, has_op;
};

static int trace_main(int argc, char **argv)
{
	const struct cli_option opts[] = { CLI_OPT_END };
	const char *path;
	struct trace_reader *r;
	struct trace_rec rec;
	struct trace_last *last = NULL;
	uint64_t ops = 0, reads = 0, writes = 0, rbytes = 0, wbytes = 0, hints = 0, seq = 0;
	unsigned nlast = 0, threads = 0;
	char msg[1024] = "";
	int status = cli_parse(&trace_command, opts, argc, argv, &path, NULL), err;

	if (status)
		return status;
	err = trace_open(&r, path, msg, sizeof(msg));
	if (err) {
		error_msg("%s", err == -ENOMEM ? strerror(ENOMEM) : msg);
		return err == -ETRACE_MALFORMED ? EXIT_USAGE : EXIT_RUNTIME;
	}
	while ((err = trace_next(r, &rec, msg, sizeof(msg))) == 1) {
		if (rec.thread >= nlast) {
			unsigned n = rec.thread + 1;
			struct trace_last *p = realloc(last, n * sizeof(*p));

			if (!p) {
				err = -ENOMEM;
				break;
			}
			memset(p + nlast, 0, (n - nlast) * sizeof(*p));
			last = p;
			nlast = n;
		}
		if (!last[rec.thread].seen) {
			last[rec.thread].seen = true;
			threads++;
		}
		if (rec.kind == TRACE_HINT) {
			hints++;
			continue;
		}
		ops++;
		if (rec.kind == TRACE_READ) {
			reads++;
			rbytes += rec.len;
		} else {
			writes++;
			wbytes += rec.len;
		}
		if (last[rec.thread].has_op && last[rec.thread].file == rec.file &&
		    last[rec.thread].end == rec.off)
			seq++;
		last[rec.thread].has_op = true;
		last[rec.thread].file = rec.file;
		last[rec.thread].end = rec.off + rec.len;
	}
	free(last);
	if (err) {
		error_msg("%s", err == -ENOMEM ? strerror(ENOMEM) : msg);
		trace_close(r);
		return err == -ETRACE_MALFORMED ? EXIT_USAGE : EXIT_RUNTIME;
	}
	printf("trace\t%s\nformat\t%s\nfiles\t%u\nthreads\t%u\noperations\t%" PRIu64
	       "\nreads\t%" PRIu64 "\nread_bytes\t%" PRIu64 "\nwrites\t%" PRIu64
	       "\nwrite_bytes\t%" PRIu64 "\nhints\t%" PRIu64 "\nsequential\t%.4f\n",
	       path, trace_format_name(trace_format_of(r)), trace_nfiles(r), threads, ops, reads,
	       rbytes, writes, wbytes, hints, ops ? (double)seq / (double)ops : 0.0);
	for (unsigned i = 0; i < trace_nfiles(r); i++) {
		const struct trace_file *tf = trace_file_at(r, i);
		bool checked;
		int c = trace_file_check(tf, &checked, msg, sizeof(msg));

		printf("file %u\t%s\t%s: %s\n", i, tf->path,
		       c == -ETRACE_CHANGED ? "changed"
		       : c		    ? "unreadable"
		       : checked	    ? "matches"
					    : "unchecked",
		       msg);
	}
	trace_close(r);
	return 0;
}

const struct cli_command trace_command = {
	.name = "trace",
	.args = "TRACE",
	.summary = "check a trace and print what it holds",
	.about = "Read TRACE as a replay reads it, line by line in bounded memory: mmbench's\n"
		 "format (mmbench record), a fio iolog (version 2 or 3) or mmbench plan's\n"
		 "JSON lines (docs/traces.md).  Print its format, files, threads, operations,\n"
		 "bytes read and written, hints, and the share of operations that continue\n"
		 "where their thread's last one on the same file ended; then each file and\n"
		 "whether the one at its path is the file recorded (size and fingerprint).\n"
		 "A malformed line is named by file and line (exit status 2).\n",
	.main = trace_main,
	.min_args = 1,
	.max_args = 1,
};
