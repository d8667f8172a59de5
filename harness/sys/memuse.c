#include "sys/memuse.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Open /proc/PID/name (pid 0: this process's) with flags. */
static int memuse_open(pid_t pid, const char *name, int flags)
{
	char path[64];

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	else
		snprintf(path, sizeof(path), "/proc/self/%s", name);
	return open(path, flags | O_CLOEXEC);
}

bool memuse_reset_peak(void)
{
	return memuse_reset_peak_of(0);
}

bool memuse_reset_peak_of(pid_t pid)
{
	int fd = memuse_open(pid, "clear_refs", O_WRONLY);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, "5", 1) == 1;
	close(fd);
	return ok;
}

/* The value of "key:   N kB" in status, in bytes; NAN without it. */
static double memuse_field(const char *status, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = status; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char *end;
		unsigned long long kib;

		if (strncmp(p, key, n) || p[n] != ':')
			continue;
		kib = strtoull(p + n + 1, &end, 10);
		return end == p + n + 1 ? NAN : (double)kib * 1024.0;
	}
	return NAN;
}

void memuse_parse(const char *status, struct memuse *m)
{
	m->anon = memuse_field(status, "RssAnon");
	m->file = memuse_field(status, "RssFile");
	m->peak = memuse_field(status, "VmHWM");
}

void memuse_sample(struct memuse *m)
{
	memuse_sample_of(0, m);
}

void memuse_sample_of(pid_t pid, struct memuse *m)
{
	/* /proc/self/status is about 1.5 KiB; a read() of it, not stdio, so
	 * that sampling allocates nothing */
	char buf[8192];
	ssize_t n = -1;
	int fd = memuse_open(pid, "status", O_RDONLY);

	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	memuse_parse(buf, m);
}

bool memuse_thp_available(void)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "re");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strstr(buf, "[always]") || strstr(buf, "[madvise]");
}

double memuse_parse_huge(const char *smaps, unsigned long addr)
{
	const char *at = NULL, *size, *huge, *next;
	double s, h;

	/* the entry whose header line's range holds addr */
	for (const char *l = smaps; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		unsigned long lo, hi;
		char dash;

		if (sscanf(l, "%lx%c%lx", &lo, &dash, &hi) == 3 && dash == '-' && lo <= addr &&
		    addr < hi) {
			at = l;
			break;
		}
	}
	if (!at)
		return NAN;
	size = strstr(at, "\nSize:");
	huge = strstr(at, "\nAnonHugePages:");
	if (!size || !huge)
		return NAN;
	/* both of this entry: every entry lists Size first, AnonHugePages
	 * before the next entry's Size */
	next = strstr(size + 1, "\nSize:");
	if (huge < size || (next && huge > next))
		return NAN;
	s = strtod(size + 6, NULL);
	h = strtod(huge + 15, NULL);
	return s > 0 ? h / s : NAN;
}

double memuse_huge_share(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char *text = NULL;
	size_t len = 0, room = 0, got;
	double share = NAN;

	if (!f)
		return NAN;
	for (;;) {
		char *grown;

		if (len + 65536 + 1 > room) {
			room = 2 * room + 65536 + 1;
			grown = realloc(text, room);
			if (!grown)
				goto out;
			text = grown;
		}
		got = fread(text + len, 1, room - len - 1, f);
		len += got;
		if (!got)
			break;
	}
	text[len] = '\0';
	share = memuse_parse_huge(text, (unsigned long)addr);
out:
	free(text);
	fclose(f);
	return share;
}
