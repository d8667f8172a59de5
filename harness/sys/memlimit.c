#include "sys/memlimit.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "sys/cleanup.h"
#include "util/parse.h"

#define CGROUP_ROOT "/sys/fs/cgroup"
#define CGROUP2_MAGIC 0x63677270
/* Balloon steps: half of what is still to lock, in [MIN, MAX]; and how far
 * MemAvailable may stray from the limit before memlimit_hold() acts. */
#define BALLOON_STEP_MIN (16ULL << 20)
#define BALLOON_STEP_MAX (1ULL << 30)
#define BALLOON_SLACK (32ULL << 20)
#define BALLOON_HUGE_STEP (64ULL << 20)
#define BALLOON_MAX_CHUNKS 4096

static enum memlimit_mechanism ml_mech;
static uint64_t ml_limit;

/* cgroup2: fixed storage, so the signal handler may undo it */
static char ml_child[PATH_MAX - 128], ml_parent_procs[PATH_MAX], ml_parent_subtree[PATH_MAX];
static char ml_pid[24];
static volatile int ml_cg_active;
static volatile int ml_enabled_memory; /* we wrote +memory to the parent */

/* balloon */
static struct {
	void *at;
	size_t len;
	bool huge; /* reserved huge pages, never touched; else locked pages */
} ml_chunks[BALLOON_MAX_CHUNKS];
static size_t ml_nchunks;
static char ml_oom_adj[16]; /* oom_score_adj before the balloon */
/* huge pages: the surplus the process holds, and the knob that allows it
 * while it is raised (for the signal handler to put back) */
#define HUGE_KNOB "/proc/sys/vm/nr_overcommit_hugepages"
#define HUGE_PAGE (2ULL << 20)
static uint64_t ml_huge_pages;
static char ml_knob_orig[32];
static volatile int ml_knob_raised;

uint64_t memlimit_margin(uint64_t mem_total)
{
	uint64_t m = mem_total / 256;

	return m < (128ULL << 20) ? 128ULL << 20 : m;
}

const char *memlimit_name(enum memlimit_mechanism m)
{
	return m == MEMLIMIT_CGROUP2 ? "cgroup2" : m == MEMLIMIT_BALLOON ? "balloon" : "none";
}

enum memlimit_mechanism memlimit_current(void)
{
	return ml_mech;
}

/* The whole of a small text file (procfs, cgroupfs) into buf, terminated;
 * its length or a negative errno. */
static ssize_t memlimit_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, got = 0;

	buf[0] = '\0'; /* empty, never garbage, whatever the caller checks */
	if (fd < 0)
		return -errno;
	while ((size_t)got < len - 1 && (n = read(fd, buf + got, len - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return got;
}

/* One write of s to a control file: async-signal-safe. */
static int memlimit_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Whether a space-separated list (cgroup.controllers) names word. */
static bool memlimit_has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			return true;
	return false;
}

bool memlimit_cgroup2_path(const char *proc_cgroup, char *path, size_t len)
{
	for (const char *p = proc_cgroup; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		size_t n;

		if (strncmp(p, "0::", 3))
			continue;
		p += 3;
		n = strcspn(p, "\n");
		if (!n || n >= len || *p != '/')
			return false;
		memcpy(path, p, n);
		path[n] = '\0';
		return true;
	}
	return false;
}

bool memlimit_parse_meminfo(const char *meminfo, struct memlimit_info *mi)
{
	static const char *const keys[] = { "MemTotal", "MemAvailable", "MemFree",
					    "Active(file)", "Inactive(file)" };
	uint64_t v[5];
	unsigned found = 0;

	for (const char *p = meminfo; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		for (unsigned k = 0; k < 5; k++) {
			size_t n = strlen(keys[k]);
			unsigned long long kib;

			if (!strncmp(p, keys[k], n) && p[n] == ':' &&
			    sscanf(p + n + 1, " %llu kB", &kib) == 1) {
				v[k] = (uint64_t)kib << 10;
				found |= 1u << k;
			}
		}
	}
	if (found != 0x1f)
		return false;
	mi->total = v[0];
	mi->available = v[1];
	mi->room = v[2] + v[3] + v[4];
	return true;
}

int memlimit_meminfo(struct memlimit_info *mi)
{
	char buf[8192], reserve[32];
	ssize_t n = memlimit_read("/proc/meminfo", buf, sizeof(buf));
	uint64_t kept;

	if (n < 0)
		return (int)n;
	if (!memlimit_parse_meminfo(buf, mi))
		return -ENODATA;
	/* Free pages below the zones' min watermarks (vm.min_free_kbytes,
	 * 66 MiB on a 24 GiB VM) are the kernel's, never the page cache's: a
	 * balloon that counted them left a 257M limit about 80 MiB short, and
	 * the sanitizer build of a limited run was OOM-killed once its own
	 * memory took the rest (tests/memory.bats, 4 of 4 on a long-running
	 * VM). */
	kept = memlimit_read("/proc/sys/vm/min_free_kbytes", reserve, sizeof(reserve)) > 0
		       ? strtoull(reserve, NULL, 10) << 10
		       : 0;
	mi->room = mi->room > kept ? mi->room - kept : 0;
	return 0;
}

/* ---- cgroup v2 ---- */

void memlimit_remove_now(void)
{
	if (ml_knob_raised) {
		memlimit_write(HUGE_KNOB, ml_knob_orig);
		ml_knob_raised = 0;
	}
	if (!ml_cg_active)
		return;
	ml_cg_active = 0;
	/* a cgroup with a controller in its subtree_control may hold no
	 * process: turn it off, then come home, then remove the child */
	if (ml_enabled_memory)
		memlimit_write(ml_parent_subtree, "-memory");
	ml_enabled_memory = 0;
	memlimit_write(ml_parent_procs, ml_pid);
	rmdir(ml_child);
}

/* A one-line reason into why, with strerror(-err) after it when err is
 * set; -1, for returning. */
static int memlimit_fail(char *why, size_t len, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int memlimit_fail(char *why, size_t len, int err, const char *fmt, ...)
{
	char msg[PATH_MAX + 128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (err)
		snprintf(why, len, "%s: %s", msg, strerror(-err));
	else
		snprintf(why, len, "%s", msg);
	return -1;
}

/* Whether the process may limit itself in a child of its own cgroup v2:
 * reads only.  Fills parent (its cgroup's folder), the control files'
 * paths for memlimit_remove_now(), and whether memory is on in the
 * folder's subtree_control already; -1 with the reason otherwise. */
static int memlimit_cgroup2_find(char *parent, size_t plen, bool *has_memory, char *why,
				 size_t len)
{
	/* bounded so that every control file's path fits in PATH_MAX */
	char text[4096], own[PATH_MAX - 512], path[PATH_MAX];
	struct statfs fs;
	bool root;

	*has_memory = false; /* set on every path, not only the one that finds it */

	if (memlimit_read("/proc/self/cgroup", text, sizeof(text)) < 0 ||
	    !memlimit_cgroup2_path(text, own, sizeof(own)))
		return memlimit_fail(why, len, 0, "this process is in no cgroup v2 hierarchy "
				     "(cgroup v1, whose charging mmbench does not touch)");
	if (statfs(CGROUP_ROOT, &fs) || fs.f_type != CGROUP2_MAGIC)
		return memlimit_fail(why, len, 0, "%s is not a cgroup2 mount (a hybrid layout)",
				     CGROUP_ROOT);
	root = !strcmp(own, "/");
	snprintf(parent, plen, "%s%s", CGROUP_ROOT, root ? "" : own);
	snprintf(path, sizeof(path), "%s/cgroup.controllers", parent);
	if (memlimit_read(path, text, sizeof(text)) < 0 || !memlimit_has_word(text, "memory"))
		return memlimit_fail(why, len, 0, "the memory controller is not delegated to '%s'",
				     parent);
	snprintf(ml_parent_procs, sizeof(ml_parent_procs), "%s/cgroup.procs", parent);
	snprintf(ml_parent_subtree, sizeof(ml_parent_subtree), "%s/cgroup.subtree_control", parent);
	if (access(ml_parent_procs, W_OK) || access(ml_parent_subtree, W_OK))
		return memlimit_fail(why, len, 0, "'%s' is not delegated to this user", parent);
	if (memlimit_read(ml_parent_subtree, text, sizeof(text)) < 0)
		return memlimit_fail(why, len, 0, "cannot read '%s'", ml_parent_subtree);
	*has_memory = memlimit_has_word(text, "memory");
	snprintf(ml_pid, sizeof(ml_pid), "%d", (int)getpid());
	/* Only the root may hold processes beside children with controllers;
	 * anywhere else the process may move only itself, so it must be alone. */
	if (!root) {
		char alone[32];

		snprintf(alone, sizeof(alone), "%s\n", ml_pid);
		if (memlimit_read(ml_parent_procs, text, sizeof(text)) < 0)
			return memlimit_fail(why, len, 0, "cannot read '%s'", ml_parent_procs);
		if (strcmp(text, alone))
			return memlimit_fail(why, len, 0, "'%s' holds other processes: mmbench moves "
					     "only itself", parent);
	}
	return 0;
}

static int memlimit_cgroup2(uint64_t bytes, char *why, size_t len)
{
	char parent[PATH_MAX - 256], path[PATH_MAX], value[32];
	bool has_memory;
	int err;

	if (memlimit_cgroup2_find(parent, sizeof(parent), &has_memory, why, len))
		return -1;
	snprintf(ml_child, sizeof(ml_child), "%s/mmbench-%s", parent, ml_pid);
	if (mkdir(ml_child, 0755) && errno != EEXIST)
		return memlimit_fail(why, len, -errno, "cannot create '%s'", ml_child);
	snprintf(path, sizeof(path), "%s/cgroup.procs", ml_child);
	err = memlimit_write(path, ml_pid);
	if (err) {
		rmdir(ml_child);
		return memlimit_fail(why, len, err, "cannot move into '%s'", ml_child);
	}
	ml_cg_active = 1;
	if (!has_memory) {
		err = memlimit_write(ml_parent_subtree, "+memory");
		if (err) {
			memlimit_remove_now();
			return memlimit_fail(why, len, err, "cannot enable memory in '%s'",
					     ml_parent_subtree);
		}
		ml_enabled_memory = 1;
	}
	snprintf(path, sizeof(path), "%s/memory.max", ml_child);
	snprintf(value, sizeof(value), "%llu", (unsigned long long)bytes);
	err = memlimit_write(path, value);
	if (err) {
		memlimit_remove_now();
		return memlimit_fail(why, len, err, "cannot set '%s'", path);
	}
	/* swapping the process's own memory out would not be the page cache
	 * shrinking: keep it in, where the kernel accounts swap */
	snprintf(path, sizeof(path), "%s/memory.swap.max", ml_child);
	memlimit_write(path, "0");
	return 0;
}

/* ---- balloon ---- */

int memlimit_balloon_check(uint64_t bytes, uint64_t total, uint64_t available, char *why,
			   size_t len)
{
	char a[32], b[32];
	uint64_t margin = memlimit_margin(total);

	if (bytes < margin) {
		snprintf(why, len, "--mem-limit %s would leave this machine short: the balloon "
			 "leaves at least %s (1/256 of memory, never under 128 MiB)",
			 parse_format_size(bytes, a, sizeof(a)), parse_format_size(margin, b, sizeof(b)));
		return -1;
	}
	if (available != UINT64_MAX && bytes + BALLOON_SLACK >= available) {
		snprintf(why, len, "--mem-limit %s is not below the %s this machine has available: "
			 "there is nothing to limit",
			 parse_format_size(bytes, a, sizeof(a)), parse_format_size(available, b, sizeof(b)));
		return -1;
	}
	return 0;
}

static void memlimit_deflate_one(void)
{
	ml_nchunks--;
	/* unmapping ends a huge-page reservation and frees the surplus */
	munmap(ml_chunks[ml_nchunks].at, ml_chunks[ml_nchunks].len);
	if (ml_chunks[ml_nchunks].huge)
		ml_huge_pages -= ml_chunks[ml_nchunks].len / HUGE_PAGE;
}

/* Take bytes out of free memory without touching them: a private hugetlb
 * mapping reserves its huge pages when it is made, as surplus pages taken
 * from the free lists and zeroed only on a fault that never comes.  So a
 * VM's host never has to back them (locking 23 GiB of small pages took
 * 18 to 52 s here; this takes milliseconds), and they go back when the
 * mapping or the process ends.  It needs root to let the pool grow for a
 * moment (nr_overcommit_hugepages, put back right after, and by the signal
 * handler); NULL wherever it cannot, and the caller locks pages instead. */
static void *memlimit_reserve_huge(uint64_t bytes, uint64_t *got)
{
	uint64_t n = bytes / HUGE_PAGE;
	char raised[32];
	ssize_t k;
	void *at;

	if (!n)
		return NULL;
	k = memlimit_read(HUGE_KNOB, ml_knob_orig, sizeof(ml_knob_orig));
	if (k <= 0 || access(HUGE_KNOB, W_OK))
		return NULL;
	snprintf(raised, sizeof(raised), "%llu",
		 strtoull(ml_knob_orig, NULL, 10) + (unsigned long long)(ml_huge_pages + n));
	ml_knob_raised = 1;
	if (memlimit_write(HUGE_KNOB, raised)) {
		ml_knob_raised = 0;
		return NULL;
	}
	at = mmap(NULL, n * HUGE_PAGE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	memlimit_write(HUGE_KNOB, ml_knob_orig);
	ml_knob_raised = 0;
	if (at == MAP_FAILED)
		return NULL;
	madvise(at, n * HUGE_PAGE, MADV_DONTFORK);
	ml_huge_pages += n;
	*got = n * HUGE_PAGE;
	return at;
}

/* Lock step bytes of small pages; NULL with why filled on failure. */
static void *memlimit_lock(uint64_t step, char *why, size_t len)
{
	void *at = mmap(NULL, step, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	int err;

	if (at == MAP_FAILED) {
		memlimit_fail(why, len, -errno, "cannot map the balloon");
		return NULL;
	}
	/* a child of a fork (the sweep's --procs) must not inherit it; no
	 * transparent huge pages: compacting memory for them near the limit
	 * costs more than it saves */
	madvise(at, step, MADV_DONTFORK);
	madvise(at, step, MADV_NOHUGEPAGE);
	if (mlock(at, step)) {
		err = -errno;
		munmap(at, step);
		memlimit_fail(why, len, err, "cannot lock memory for the balloon (it needs root, "
			      "CAP_IPC_LOCK or a large enough ulimit -l)");
		return NULL;
	}
	/* mlock() populates; a sanitizer runtime makes it a no-op, so
	 * populate again where the kernel can (5.14 and later) */
	madvise(at, step, MADV_POPULATE_WRITE);
	return at;
}

/* Lock or free memory until the page cache's room is the limit, within the
 * slack.
 * Locking evicts page cache one for one, so each step reads the kernel's
 * figure again rather than trusting a plan made before it. */
static int memlimit_balloon_adjust(char *why, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t locked = 0;

	for (unsigned guard = 0; guard < 100000; guard++) {
		struct memlimit_info mi;
		uint64_t step, got;
		bool huge;
		void *at;
		int err = memlimit_meminfo(&mi);

		if (err)
			return memlimit_fail(why, len, err, "cannot read /proc/meminfo");
		if (mi.room + BALLOON_SLACK < ml_limit && ml_nchunks) {
			memlimit_deflate_one();
			continue;
		}
		if (mi.room <= ml_limit)
			return 0;
		step = (mi.room - ml_limit) / 2;
		step = step < BALLOON_STEP_MIN	 ? BALLOON_STEP_MIN
		       : step > BALLOON_STEP_MAX ? BALLOON_STEP_MAX
						 : step;
		step = step / (uint64_t)page * (uint64_t)page;
		if (ml_nchunks == BALLOON_MAX_CHUNKS)
			return memlimit_fail(why, len, 0, "the balloon has too many pieces");
		/* huge pages for all but the last stretch, small ones near the
		 * limit, where a 2 MiB grain is coarse */
		got = 0;
		at = step >= BALLOON_HUGE_STEP ? memlimit_reserve_huge(step, &got) : NULL;
		huge = at != NULL;
		if (!at) {
			at = memlimit_lock(step, why, len);
			if (!at)
				return -1;
			got = step;
		}
		ml_chunks[ml_nchunks].at = at;
		ml_chunks[ml_nchunks].len = got;
		ml_chunks[ml_nchunks].huge = huge;
		ml_nchunks++;
		/* memory that was held but not taken from the page cache's
		 * room (a runtime that ignores the lock) would grow the balloon
		 * for ever.  Only a balloon larger than the machine proves it:
		 * MemFree can lag a hugetlb reservation (6.18 here: after the
		 * first 1 GiB step the room had not moved, then fell a step a
		 * step), so comparing each step's drop with what it held
		 * failed working balloons in back-to-back processes */
		locked += got;
		if (locked > mi.total)
			return memlimit_fail(why, len, 0, "locking memory did not take it from the "
					     "page cache (is the balloon locked and populated?)");
	}
	return memlimit_fail(why, len, 0, "the free memory never settled at the limit");
}

uint64_t memlimit_balloon_resident(void)
{
	uint64_t n = 0;

	for (size_t i = 0; i < ml_nchunks; i++)
		n += ml_chunks[i].huge ? 0 : ml_chunks[i].len;
	return n;
}

static void memlimit_balloon_free(void)
{
	while (ml_nchunks)
		memlimit_deflate_one();
	if (ml_oom_adj[0])
		memlimit_write("/proc/self/oom_score_adj", ml_oom_adj);
	ml_oom_adj[0] = '\0';
}

static int memlimit_balloon(uint64_t bytes, char *why, size_t len)
{
	struct memlimit_info mi;
	int err = memlimit_meminfo(&mi);

	if (err)
		return memlimit_fail(why, len, err, "cannot read /proc/meminfo");
	if (memlimit_balloon_check(bytes, mi.total, mi.available, why, len))
		return -1;
	/* If the machine runs short anyway, the OOM killer picks mmbench,
	 * and the balloon goes with it. */
	if (memlimit_read("/proc/self/oom_score_adj", ml_oom_adj, sizeof(ml_oom_adj)) < 0)
		ml_oom_adj[0] = '\0';
	memlimit_write("/proc/self/oom_score_adj", "1000");
	ml_limit = bytes;
	if (memlimit_balloon_adjust(why, len)) {
		memlimit_balloon_free();
		return -1;
	}
	return 0;
}

/* ---- both ---- */

int memlimit_apply(uint64_t bytes, char *why, size_t len, char *notes, size_t nlen)
{
	char reason[PATH_MAX + 256];

	notes[0] = '\0';
	cleanup_set_undo(CLEANUP_UNDO_MEMORY_LIMIT, memlimit_remove_now);
	/* A balloon costs tens of seconds to inflate on a VM (the host backs
	 * each page on first touch): a sweep's configurations with the same
	 * limit share it. */
	if (ml_mech != MEMLIMIT_NONE && ml_limit == bytes)
		return memlimit_hold(why, len);
	memlimit_remove();
	if (!memlimit_cgroup2(bytes, reason, sizeof(reason))) {
		ml_mech = MEMLIMIT_CGROUP2;
		ml_limit = bytes;
		return 0;
	}
	snprintf(notes, nlen, "no cgroup v2 limit, because %s", reason);
	if (memlimit_balloon(bytes, why, len))
		return -1;
	ml_mech = MEMLIMIT_BALLOON;
	return 0;
}

int memlimit_check(uint64_t bytes, char *why, size_t len)
{
	char parent[PATH_MAX - 256];
	struct memlimit_info mi;
	bool has_memory;

	if (!memlimit_cgroup2_find(parent, sizeof(parent), &has_memory, why, len))
		return 0;
	/* what is available now depends on a balloon that may be up: only
	 * the machine's size decides here */
	if (memlimit_meminfo(&mi))
		return 0;
	return memlimit_balloon_check(bytes, mi.total, UINT64_MAX, why, len);
}

void memlimit_describe(char *buf, size_t len)
{
	char parent[PATH_MAX - 256], why[PATH_MAX + 128];
	bool has_memory;

	if (ml_mech != MEMLIMIT_NONE) {
		snprintf(buf, len, "%s (applied)", memlimit_name(ml_mech));
		return;
	}
	if (!memlimit_cgroup2_find(parent, sizeof(parent), &has_memory, why, sizeof(why))) {
		snprintf(buf, len, "cgroup2 (a child of '%s')", parent);
		return;
	}
	snprintf(buf, len, "balloon of %s (no cgroup v2 limit, because %s)",
		 access(HUGE_KNOB, W_OK) ? "locked pages" : "huge pages", why);
}

int memlimit_hold(char *why, size_t len)
{
	return ml_mech == MEMLIMIT_BALLOON ? memlimit_balloon_adjust(why, len) : 0;
}

void memlimit_remove(void)
{
	memlimit_remove_now();
	memlimit_balloon_free();
	ml_mech = MEMLIMIT_NONE;
	ml_limit = 0;
}
