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
