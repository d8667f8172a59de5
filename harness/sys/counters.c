#include "sys/counters.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Read a /proc file from its start into buf, NUL-terminated (a seq file
 * restarts at offset 0); the length, or -1. */
static ssize_t counters_pread_all(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got + 1 < len) {
		ssize_t n = pread(fd, buf + got, len - 1 - got, (off_t)got);

		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	return (ssize_t)got;
}

static uint64_t counters_tv_us(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000ULL + (uint64_t)tv.tv_usec;
}

/* read_bytes and write_bytes in the text of /proc/PID/io: bytes the
 * process caused to be read from or written to storage (page cache hits
 * do not count).  No stdio and no allocation (counters_sample()). */
static bool counters_parse_io(const char *text, uint64_t *rd, uint64_t *wr)
{
	static const char rkey[] = "read_bytes: ", wkey[] = "write_bytes: ";
	int found = 0;

	for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (!strncmp(line, rkey, sizeof(rkey) - 1)) {
			*rd = strtoull(line + sizeof(rkey) - 1, NULL, 10);
			found++;
		} else if (!strncmp(line, wkey, sizeof(wkey) - 1)) {
			*wr = strtoull(line + sizeof(wkey) - 1, NULL, 10);
			found++;
		}
	}
	return found == 2;
}

/* The whole of a small /proc file at path into buf (NUL-terminated); its
 * length, or -1. */
static ssize_t counters_slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = counters_pread_all(fd, buf, len);
	close(fd);
	return n;
}

static bool counters_read_io(const char *path, uint64_t *rd, uint64_t *wr)
{
	char buf[1024];

	return counters_slurp(path, buf, sizeof(buf)) > 0 && counters_parse_io(buf, rd, wr);
}

/* The TLB shootdown interrupts of every CPU so far in one line of
 * /proc/interrupts ("TLB:" on x86): system-wide, so a row's count includes
 * any other process's unmaps during the region.  Whether it was that line. */
static bool counters_parse_tlb_line(const char *line, uint64_t *n)
{
	const char *p = line;
	char *end;

	while (*p == ' ')
		p++;
	if (strncmp(p, "TLB:", 4))
		return false;
	*n = 0;
	for (p += 4;; p = end) {
		unsigned long long v = strtoull(p, &end, 10);

		if (end == p)
			break;
		*n += v;
	}
	return true;
}

static bool counters_read_tlb(uint64_t *n)
{
	char line[4096];
	bool found = false;
	FILE *f = fopen("/proc/interrupts", "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = counters_parse_tlb_line(line, n);
	fclose(f);
	return found;
}

static int counters_rusage(struct counters *c)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return -errno;
	c->minor_faults = (uint64_t)ru.ru_minflt;
	c->major_faults = (uint64_t)ru.ru_majflt;
	c->vol_ctx_switches = (uint64_t)ru.ru_nvcsw;
	c->invol_ctx_switches = (uint64_t)ru.ru_nivcsw;
	c->user_us = counters_tv_us(ru.ru_utime);
	c->sys_us = counters_tv_us(ru.ru_stime);
	return 0;
}

/* Reading /proc/self/io costs system time of its own (open, read, close),
 * so it sits outside getrusage()'s bracket: first at the start, last at
 * the end.  Inside, the CPU time exceeded the timed region in every row. */
int counters_begin(struct counters *c)
{
	memset(c, 0, sizeof(*c));
	c->have_io = counters_read_io("/proc/self/io", &c->dev_read_bytes, &c->dev_write_bytes);
	c->have_tlb = counters_read_tlb(&c->tlb_shootdowns);
	return counters_rusage(c);
}

int counters_end(struct counters *c)
{
	int err;

	memset(c, 0, sizeof(*c));
	err = counters_rusage(c);
	c->have_io = counters_read_io("/proc/self/io", &c->dev_read_bytes, &c->dev_write_bytes);
	c->have_tlb = counters_read_tlb(&c->tlb_shootdowns);
	return err;
}

void counters_delta(const struct counters *before, const struct counters *after,
		    struct counters *out)
{
	out->minor_faults = after->minor_faults - before->minor_faults;
	out->major_faults = after->major_faults - before->major_faults;
	out->vol_ctx_switches = after->vol_ctx_switches - before->vol_ctx_switches;
	out->invol_ctx_switches = after->invol_ctx_switches - before->invol_ctx_switches;
	out->user_us = after->user_us - before->user_us;
	out->sys_us = after->sys_us - before->sys_us;
	out->have_io = before->have_io && after->have_io;
	out->dev_read_bytes = out->have_io ? after->dev_read_bytes - before->dev_read_bytes : 0;
	out->dev_write_bytes = out->have_io ? after->dev_write_bytes - before->dev_write_bytes : 0;
	out->have_tlb = before->have_tlb && after->have_tlb;
	out->tlb_shootdowns = out->have_tlb ? after->tlb_shootdowns - before->tlb_shootdowns : 0;
}

/* Faults and CPU ticks from the text of /proc/PID/stat: the fields after
 * the command name, which may hold spaces and ')'.  No stdio. */
static bool counters_parse_stat(const char *buf, unsigned long long v[4])
{
	/* minflt, majflt, utime, stime: fields 8, 10, 12, 13 after ')' */
	static const int want[4] = { 8, 10, 12, 13 };
	const char *p = strrchr(buf, ')');
	int field = 0, k = 0;

	if (!p)
		return false;
	for (p++; *p && k < 4;) {
		char *end;

		while (*p == ' ')
			p++;
		field++;
		if (field == want[k]) {
			v[k++] = strtoull(p, &end, 10);
			if (end == p)
				return false;
			p = end;
		} else {
			p += strcspn(p, " ");
		}
	}
	return k == 4;
}

int counters_of_process(pid_t pid, struct counters *c)
{
	char path[64], buf[4096];
	unsigned long long v[4];
	long tick = sysconf(_SC_CLK_TCK);
	FILE *f;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (counters_slurp(path, buf, sizeof(buf)) < 0)
		return -errno;
	if (tick <= 0 || !counters_parse_stat(buf, v))
		return -EPROTO;
	c->minor_faults = v[0];
	c->major_faults = v[1];
	c->user_us = v[2] * 1000000ULL / (unsigned long long)tick;
	c->sys_us = v[3] * 1000000ULL / (unsigned long long)tick;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (f) {
		unsigned long long x;

		while (fgets(buf, sizeof(buf), f)) {
			if (sscanf(buf, "voluntary_ctxt_switches: %llu", &x) == 1)
				c->vol_ctx_switches = x;
			else if (sscanf(buf, "nonvoluntary_ctxt_switches: %llu", &x) == 1)
				c->invol_ctx_switches = x;
		}
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/io", (int)pid);
	c->have_io = counters_read_io(path, &c->dev_read_bytes, &c->dev_write_bytes);
	c->have_tlb = counters_read_tlb(&c->tlb_shootdowns);
	return 0;
}

int counters_open_files(pid_t pid, struct counters_files *f)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f->stat = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/io", (int)pid);
	f->io = open(path, O_RDONLY | O_CLOEXEC);
	f->interrupts = open("/proc/interrupts", O_RDONLY | O_CLOEXEC);
	return f->stat < 0 ? -errno : 0;
}

void counters_close_files(struct counters_files *f)
{
	int *fds[] = { &f->stat, &f->io, &f->interrupts };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

void counters_sample(const struct counters_files *f, char *buf, size_t len, struct counters *c)
{
	unsigned long long v[4];

	memset(c, 0, sizeof(*c));
	if (counters_pread_all(f->stat, buf, len) > 0 && counters_parse_stat(buf, v)) {
		c->minor_faults = v[0];
		c->major_faults = v[1];
	}
	c->have_io = f->io >= 0 && counters_pread_all(f->io, buf, len) > 0 &&
		     counters_parse_io(buf, &c->dev_read_bytes, &c->dev_write_bytes);
	if (f->interrupts >= 0 && counters_pread_all(f->interrupts, buf, len) > 0)
		for (const char *line = buf; line && !c->have_tlb; line = strchr(line, '\n'),
				line = line ? line + 1 : NULL)
			c->have_tlb = counters_parse_tlb_line(line, &c->tlb_shootdowns);
}
