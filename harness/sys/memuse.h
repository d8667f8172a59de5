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

/* Whether transparent huge pages can back memory this process asks for
 * with MADV_HUGEPAGE: /sys/kernel/mm/transparent_hugepage/enabled says
 * [always] or [madvise]. */
bool memuse_thp_available(void);

/* The share of the mapping that holds addr in huge pages now:
 * AnonHugePages over Size of its entry in /proc/self/smaps (a range
 * madvised on its own is an entry of its own); NAN when the entry cannot
 * be read. */
double memuse_huge_share(const void *addr);

/* Parse one /proc/self/smaps text for the entry holding addr into its
 * huge share, as memuse_huge_share; exposed for the tests. */
double memuse_parse_huge(const char *smaps, unsigned long addr);

/* Parse the text of a /proc/PID/status into m; exposed for the tests. */
void memuse_parse(const char *status, struct memuse *m);

#endif
