#include "util/progress.h"

#include <stdio.h>

#include "util/clock.h"

void progress_init(struct progress *p, uint64_t total, bool enabled)
{
	p->enabled = enabled;
	p->done = 0;
	p->total = total;
	p->start_ns = clock_now_ns();
}

static void progress_hms(double secs, char *buf, size_t len)
{
	unsigned s = (unsigned)(secs + 0.5);

	snprintf(buf, len, "%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
}

void progress_show(struct progress *p, const char *what)
{
	double elapsed = (double)(clock_now_ns() - p->start_ns) / 1e9;
	char el[16], eta[16];

	if (!p->enabled)
		return;
	progress_hms(elapsed, el, sizeof(el));
	if (p->done)
		progress_hms(elapsed / (double)p->done * (double)(p->total - p->done), eta,
			     sizeof(eta));
	else
		snprintf(eta, sizeof(eta), "?");
	fprintf(stderr, "\r\033[K[%llu/%llu] %s elapsed, ETA %s  %s", (unsigned long long)p->done,
		(unsigned long long)p->total, el, eta, what);
	fflush(stderr);
}

void progress_step(struct progress *p)
{
	p->done++;
}

void progress_clear(struct progress *p)
{
	if (!p->enabled)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
}
