/*
 * memlimit.h - --mem-limit: measure with only so much memory left for the
 * page cache, by the first mechanism that works here:
 *
 *   cgroup2  a child of the cgroup v2 the process runs in, with
 *            memory.max set; the process moves into it and back.  Only
 *            inside its own tree, only where that tree is delegated to the
 *            user, and never cgroup v1 (its page-cache charging is shared
 *            with whatever manages the machine).
 *   balloon  memory the process holds so that the page cache's room
 *            (free pages and file pages) is the limit: huge pages
 *            reserved and never touched where root may let the hugetlb
 *            pool grow for a moment, else locked small pages.  Refused
 *            below a safety margin; the process asks to be the OOM
 *            killer's first choice while it holds the balloon, so a
 *            machine that runs short kills mmbench and gets it back.
 *
 * The limit is removed by memlimit_remove(), at exit, and on every signal
 * cleanup.c catches; a balloon also dies with the process on SIGKILL.
 */
#ifndef MMBENCH_MEMLIMIT_H
#define MMBENCH_MEMLIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum memlimit_mechanism { MEMLIMIT_NONE, MEMLIMIT_CGROUP2, MEMLIMIT_BALLOON };

/* The balloon leaves at least this much available: 1/256 of memory, and
 * never less than 128 MiB (so 256M is a limit every machine up to 64 GiB
 * takes, as bench/quick.sweep needs). */
uint64_t memlimit_margin(uint64_t mem_total);

/* Apply a limit of bytes; 0, or -1 with a one-line reason in why.  notes
 * gets why the preferred mechanism was not used (may be empty).  The same
 * limit again keeps what is applied. */
int memlimit_apply(uint64_t bytes, char *why, size_t len, char *notes, size_t nlen);

/* Whether a limit of bytes could be applied on this machine, changing
 * nothing (a sweep skips what cannot run here); 0, or -1 with the reason. */
int memlimit_check(uint64_t bytes, char *why, size_t len);

/* What --mem-limit would use here, and why not the preferred mechanism,
 * for sysinfo: e.g. "balloon of huge pages (no cgroup v2 limit, because
 * ...)".  Changes nothing. */
void memlimit_describe(char *buf, size_t len);

/* Before each step: inflate or deflate the balloon so that MemAvailable is
 * the limit again (other processes grow and shrink); nothing for a cgroup.
 * 0, or -1 with a reason in why. */
int memlimit_hold(char *why, size_t len);

/* Bytes of the balloon that are the process's resident anonymous memory
 * (locked small pages; reserved huge pages are not): the memory-use
 * columns leave them out.  0 without a balloon. */
uint64_t memlimit_balloon_resident(void);

/* Take the limit away; safe to call when none is applied. */
void memlimit_remove(void);

/* The async-signal-safe part of memlimit_remove(), for cleanup.c. */
void memlimit_remove_now(void);

/* What is applied now, and its name for the CSV. */
enum memlimit_mechanism memlimit_current(void);
const char *memlimit_name(enum memlimit_mechanism m);

/* The cgroup v2 path of a /proc/self/cgroup text (the "0::PATH" line) into
 * path; false on a v1-only system.  Exposed for the tests. */
bool memlimit_cgroup2_path(const char *proc_cgroup, char *path, size_t len);

/* What /proc/meminfo says, in bytes.  room is the memory the page cache
 * can have without taking anyone's anonymous memory: free pages and the
 * file pages already cached (MemFree + Active(file) + Inactive(file)),
 * less the free pages the kernel keeps (vm.min_free_kbytes; not by
 * memlimit_parse_meminfo(), which reads only the text it is given).  It
 * is what a balloon brings down to the limit; MemAvailable is higher than
 * the cache can really use by the watermarks the kernel keeps free. */
struct memlimit_info {
	uint64_t total, available, room;
};

/* The machine's figures now; 0 or a negative errno. */
int memlimit_meminfo(struct memlimit_info *mi);

/* The same from a /proc/meminfo text; false when a field is missing.
 * Exposed for the tests. */
bool memlimit_parse_meminfo(const char *meminfo, struct memlimit_info *mi);

/* Whether a balloon may be inflated for bytes, given the machine's memory
 * (available UINT64_MAX: not known); -1 with a reason naming --mem-limit
 * otherwise.  Exposed for the tests. */
int memlimit_balloon_check(uint64_t bytes, uint64_t total, uint64_t available, char *why,
			   size_t len);

#endif
