#include "sys/counters.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static uint64_t counters_tv_us(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000ULL + (uint64_t)tv.tv_usec;
}

/* read_bytes and write_bytes of /proc/self/io: bytes this process caused to
 * be read from or written to storage (page cache hits do not count). */
static bool counters_read_io(const char *path, uint64_t *rd, uint64_t *wr)
{
	char key[32];
	unsigned long long v;
	int found = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	while (fscanf(f, "%31[^:]: %llu\n", key, &v) == 2) {
		if (!strcmp(key, "read_bytes")) {
			*rd = v;
			found++;
		} else if (!strcmp(key, "write_bytes")) {
			*wr = v;
			found++;
		}
	}
	fclose(f);
	return found == 2;
}

/* The TLB shootdown interrupts of every CPU so far (the "TLB:" line of
 * /proc/interrupts on x86): system-wide, so a row's count includes any
 * other process's unmaps during the region. */
static bool counters_read_tlb(uint64_t *n)
{
	char line[4096];
	bool found = false;
	FILE *f = fopen("/proc/interrupts", "re");

	if (!f)
		return false;
	*n = 0;
	while (!found && fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		while (*p == ' ')
			p++;
		if (strncmp(p, "TLB:", 4))
			continue;
		found = true;
		for (p += 4;; p = end) {
			unsigned long long v = strtoull(p, &end, 10);

			if (end == p)
				break;
			*n += v;
		}
	}
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

int counters_of_process(pid_t pid, struct counters *c)
{
	char path[64], buf[4096], *p;
	unsigned long long minflt, majflt, utime, stime;
	long tick = sysconf(_SC_CLK_TCK);
	FILE *f;
	size_t n;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* the fields after the command name, which may hold spaces and ')' */
	p = strrchr(buf, ')');
	if (!p || tick <= 0 ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %llu %*u %llu %*u %llu %llu", &minflt,
		   &majflt, &utime, &stime) != 4)
		return -EPROTO;
	c->minor_faults = minflt;
	c->major_faults = majflt;
	c->user_us = utime * 1000000ULL / (unsigned long long)tick;
	c->sys_us = stime * 1000000ULL / (unsigned long long)tick;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (f) {
		unsigned long long v;

		while (fgets(buf, sizeof(buf), f)) {
			if (sscanf(buf, "voluntary_ctxt_switches: %llu", &v) == 1)
				c->vol_ctx_switches = v;
			else if (sscanf(buf, "nonvoluntary_ctxt_switches: %llu", &v) == 1)
				c->invol_ctx_switches = v;
		}
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/io", (int)pid);
	c->have_io = counters_read_io(path, &c->dev_read_bytes, &c->dev_write_bytes);
	c->have_tlb = counters_read_tlb(&c->tlb_shootdowns);
	return 0;
}
