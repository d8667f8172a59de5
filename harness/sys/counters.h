/*
 * counters.h - what the kernel says the process did during a timed region:
 * page faults, context switches and CPU time from getrusage(), bytes fetched
 * from and sent to the storage device from /proc/self/io.
 */
#ifndef MMBENCH_COUNTERS_H
#define MMBENCH_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct counters {
	uint64_t minor_faults, major_faults;
	uint64_t vol_ctx_switches, invol_ctx_switches;
	uint64_t user_us, sys_us;
	uint64_t dev_read_bytes, dev_write_bytes;
	bool have_io; /* false when /proc/self/io is not readable */
	uint64_t tlb_shootdowns; /* system-wide, from /proc/interrupts */
	bool have_tlb;		 /* false where it has no TLB line */
};

/* Read the counters just before / just after a timed region, each in the
 * order that keeps its own cost out of the region's CPU time; 0 or a
 * negative errno from getrusage(). */
int counters_begin(struct counters *c);
int counters_end(struct counters *c);

/* The same counters of another process (an external worker) as they stand,
 * from /proc/PID/stat, status and io; CPU time in clock ticks, so coarser
 * than getrusage()'s.  0 or a negative errno. */
int counters_of_process(pid_t pid, struct counters *c);

/* Another process's counters for a sampler that may use no stdio, no
 * allocation and no errno (measure/sampler.c: it shares the memory of a
 * process that believes itself single-threaded): its /proc files opened
 * once, then read whole with pread() into buf, len bytes of the caller's
 * (/proc/interrupts grows with the CPUs: 256 KiB is ample).  Faults are
 * the whole process's, as getrusage(RUSAGE_SELF) counts them; CPU time
 * and context switches are not sampled.  A file that could not be opened
 * is -1, and its counters read as unavailable (have_io, have_tlb). */
struct counters_files {
	int stat, io, interrupts;
};

/* 0, or the negative errno of /proc/PID/stat (the others may be -1). */
int counters_open_files(pid_t pid, struct counters_files *f);
void counters_close_files(struct counters_files *f);
void counters_sample(const struct counters_files *f, char *buf, size_t len, struct counters *c);

/* after - before, field by field, into out. */
void counters_delta(const struct counters *before, const struct counters *after,
		    struct counters *out);

#endif
