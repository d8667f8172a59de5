/*
 * memuse.h - how much memory the process holds, from /proc/self/status:
 * resident anonymous memory (heap, buffers, a balloon), resident
 * file-backed memory (the pages of a mapped file, and the binary's own),
 * and the high-water mark of the whole, which clear_refs resets so that it
 * covers one timed region.
 */
#ifndef MMBENCH_MEMUSE_H
#define MMBENCH_MEMUSE_H

#include <stdbool.h>
#include <sys/types.h>

/* Bytes; NAN where the kernel did not say. */
struct memuse {
	double anon;	/* RssAnon */
	double file;	/* RssFile: page-cache pages mapped by the process */
	double peak;	/* VmHWM: the most resident at once since the reset */
};

/* Reset VmHWM to what is resident now (writes 5 to /proc/self/clear_refs,
 * Linux 4.0 and later).  false where that is not allowed: the peak then
 * covers the whole process's life and must not be reported. */
bool memuse_reset_peak(void);

/* Read the current values (peak as it stands). */
void memuse_sample(struct memuse *m);

/* The same for another process (an external worker); pid 0: this one. */
bool memuse_reset_peak_of(pid_t pid);
void memuse_sample_of(pid_t pid, struct memuse *m);

/* Parse the text of a /proc/PID/status into m; exposed for the tests. */
void memuse_parse(const char *status, struct memuse *m);

#endif
