#include "backends/worker.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backends/backends.h"
#include "core/config.h"
#include "core/op_plan.h"
#include "sys/datafile.h"
#include "sys/memuse.h"
#include "util/json.h"

#define WORKER_MAX_BACKENDS 16
/* How long a worker may take to answer: its backends list, getting ready,
 * or one step (a large cold file read 4K at a time by an interpreter). */
#define WORKER_LIST_MS 30000
#define WORKER_STEP_MS worker_step_ms()
/* The longest line a worker may send: a result with its sampled latencies
 * (pybench sends at most 65536 of them). */
#define WORKER_LINE (1 << 20)

static struct worker_backend {
	struct backend b;
	char name[64];
	char summary[160];
	bool updates;
} wb[WORKER_MAX_BACKENDS];
static unsigned nwb;
static char worker_cmd[1024];

/* The serving process, spawned at its first step. */
static struct {
	pid_t pid;
	int to, from;
	FILE *out;
	char buf[WORKER_LINE];
	size_t have;
} wp = { .pid = 0, .to = -1, .from = -1 };

/* 600 s, or MMBENCH_WORKER_TIMEOUT_MS (the tests' hanging worker) */
static int worker_step_ms(void)
{
	const char *e = getenv("MMBENCH_WORKER_TIMEOUT_MS");
	long ms = e ? strtol(e, NULL, 10) : 0;

	return ms > 0 && ms <= 600000 ? (int)ms : 600000;
}

const char *worker_cannot(const struct backend *b, const struct workload *w)
{
	const struct worker_backend *x = (const struct worker_backend *)b;

	if (op_kind_writes_src(w->op))
		return "a worker is given no bytes to write (plan covers reads and updates)";
	if (w->flags & WORKLOAD_TRACE)
		return "a worker is given a plan of one file, not a trace's files (replay runs in the engine)";
	static char why[128];

	if (w->op == OP_UPDATE && !x->updates) {
		snprintf(why, sizeof(why), "the worker says it only reads, so %s is skipped", w->name);
		return why;
	}
	return NULL;
}

/* sh -c "exec CMD ARG", its standard input and output on pipes. */
static int worker_spawn(const char *cmd, const char *arg, pid_t *pid, int *to, int *from)
{
	char line[1200];
	int in[2], out[2];

	*pid = 0;
	*to = *from = -1;
	snprintf(line, sizeof(line), "exec %s %s", cmd, arg);
	if (pipe2(in, O_CLOEXEC))
		return -errno;
	if (pipe2(out, O_CLOEXEC)) {
		int err = -errno;

		close(in[0]);
		close(in[1]);
		return err;
	}
	*pid = fork();
	if (*pid < 0) {
		int err = -errno;

		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		return err;
	}
	if (*pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		execl("/bin/sh", "sh", "-c", line, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	*to = in[1];
	*from = out[0];
	return 0;
}

/* The next line from fd into line (without its newline), waiting at most
 * ms in all; buf/have keep what came after it.  0, -ETIMEDOUT, -EPIPE at
 * the end of the output, -E2BIG for a line over WORKER_LINE. */
static int worker_line(int fd, char *buf, size_t *have, char *line, size_t len, int ms)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		char *nl = memchr(buf, '\n', *have);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct timespec now;
		long left;
		ssize_t n;

		if (nl) {
			size_t k = (size_t)(nl - buf);

			if (k >= len)
				return -E2BIG;
			memcpy(line, buf, k);
			line[k] = '\0';
			memmove(buf, nl + 1, *have - k - 1);
			*have -= k + 1;
			return 0;
		}
		if (*have == WORKER_LINE)
			return -E2BIG;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = ms - ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
			return -errno;
		if (!(p.revents & (POLLIN | POLLHUP)))
			continue;
		n = read(fd, buf + *have, WORKER_LINE - *have);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n == 0)
			return -EPIPE;
		if (n > 0)
			*have += (size_t)n;
	}
}

/* Reap pid, killing it if it does not end within a second. */
static void worker_reap(pid_t pid)
{
	if (pid <= 0)
		return;
	for (int i = 0; i < 100; i++) {
		if (waitpid(pid, NULL, WNOHANG) != 0)
			return;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

int worker_register(const char *cmd, char *why, size_t len)
{
	static char buf[WORKER_LINE]; /* static: a megabyte is no stack frame */
	char line[512];
	size_t have = 0;
	pid_t pid = 0;
	int to = -1, from = -1, err;

	if (strlen(cmd) >= sizeof(worker_cmd)) {
		snprintf(why, len, "--worker '%.60s...' is too long", cmd);
		return -1;
	}
	snprintf(worker_cmd, sizeof(worker_cmd), "%s", cmd);
	err = worker_spawn(cmd, "--list", &pid, &to, &from);
	if (err) {
		snprintf(why, len, "cannot start --worker '%s': %s", cmd, strerror(-err));
		return -1;
	}
	close(to);
	while (!(err = worker_line(from, buf, &have, line, sizeof(line), WORKER_LIST_MS))) {
		struct worker_backend *x;
		char *ops, *summary;

		if (!line[0])
			continue;
		ops = strchr(line, '\t');
		summary = ops ? strchr(ops + 1, '\t') : NULL;
		if (!summary) {
			snprintf(why, len, "--worker '%s' --list: '%.80s' is not NAME<tab>OPS<tab>SUMMARY",
				 cmd, line);
			err = -EPROTO;
			break;
		}
		*ops++ = '\0';
		*summary++ = '\0';
		/* backend_find() knows the C backends and those listed already */
		if (backend_find(line) || !line[0] ||
		    strlen(line) >= sizeof(wb[0].name) || strpbrk(line, ", \"\\")) {
			snprintf(why, len, "--worker '%s' --list: backend name '%.80s' is taken or "
				 "not a plain name", cmd, line);
			err = -EPROTO;
			break;
		}
		if (strcmp(ops, "read") && strcmp(ops, "read,update")) {
			snprintf(why, len, "--worker '%s' --list: operations '%.40s' of %s (use read "
				 "or read,update)", cmd, ops, line);
			err = -EPROTO;
			break;
		}
		if (nwb == WORKER_MAX_BACKENDS) {
			snprintf(why, len, "--worker '%s' lists more than %d backends", cmd,
				 WORKER_MAX_BACKENDS);
			err = -E2BIG;
			break;
		}
		x = &wb[nwb++];
		memcpy(x->name, line, strlen(line) + 1); /* its length checked above */
		snprintf(x->summary, sizeof(x->summary), "%.159s", summary);
		x->updates = !strcmp(ops, "read,update");
		x->b = (struct backend){ .name = x->name, .summary = x->summary, .flags = BACKEND_WORKER };
		backends_add(&x->b); /* room for WORKER_MAX_BACKENDS, checked above */
	}
	close(from);
	worker_reap(pid);
	if (err == -EPIPE && nwb)
		return 0;
	if (err == -EPIPE)
		snprintf(why, len, "--worker '%s' --list printed no backends", cmd);
	else if (err != -EPROTO && err != -E2BIG)
		snprintf(why, len, "--worker '%s' --list: %s", cmd,
			 err == -ETIMEDOUT ? "no answer within 30 s" : strerror(-err));
	return -1;
}

void worker_stop(void)
{
	if (!wp.pid)
		return;
	if (wp.out)
		fclose(wp.out); /* the worker sees the end of its input and leaves */
	else if (wp.to >= 0)
		close(wp.to);
	close(wp.from);
	worker_reap(wp.pid);
	wp.pid = 0;
	wp.out = NULL;
	wp.to = wp.from = -1;
	wp.have = 0;
}

static int worker_start(void)
{
	int err;

	if (wp.pid)
		return 0;
	/* a worker that dies must not kill mmbench with SIGPIPE mid-plan */
	signal(SIGPIPE, SIG_IGN);
	err = worker_spawn(worker_cmd, "--serve", &wp.pid, &wp.to, &wp.from);
	if (err) {
		wp.pid = 0;
		return err;
	}
	wp.out = fdopen(wp.to, "w");
	if (!wp.out) {
		worker_stop();
		return -ENOMEM;
	}
	return 0;
}

/* A flat JSON object's number (or quoted number) under key. */
static bool worker_u64(const char *obj, const char *key, uint64_t *v)
{
	char pat[64];
	const char *p;
	char *end;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(obj, pat);
	if (!p)
		return false;
	p += strlen(pat);
	while (*p == ' ')
		p++;
	if (*p == '"')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	*v = strtoull(p, &end, 10);
	return !errno && end != p && (*end == '"' || *end == ',' || *end == '}' || *end == ' ');
}

/* The worker's line, or why it is not the one expected. */
static int worker_expect(char *line, size_t len, const char *type, int ms, char *why, size_t wlen)
{
	char want[64];
	int err = worker_line(wp.from, wp.buf, &wp.have, line, len, ms);

	if (err) {
		snprintf(why, wlen, "the worker %s",
			 err == -EPIPE	    ? "ended without answering"
			 : err == -ETIMEDOUT ? "did not answer in time"
			 : err == -E2BIG     ? "answered with an over-long line"
					     : strerror(-err));
		return -EPROTO;
	}
	if (strstr(line, "\"error\":")) {
		snprintf(why, wlen, "the worker said: %.300s", line);
		return -EPROTO;
	}
	if (type) {
		snprintf(want, sizeof(want), "\"type\":\"%s\"", type);
		if (!strstr(line, want)) {
			snprintf(why, wlen, "the worker answered '%.200s', not %s", line, want);
			return -EPROTO;
		}
	}
	return 0;
}

static int worker_step(const struct config *cfg, const struct backend *b, const struct datafile *df,
		       const struct op_plan *p, const char *workload, uint64_t iteration, uint64_t rep,
		       struct engine_out *out, struct counters *d, struct hist *lat, char *why,
		       size_t len)
{
	static const char *const sync_names[] = { "none", "end", "each" };
	struct op_plan_step s = { .workload = workload, .iteration = iteration, .rep = rep };
	struct counters c0, c1;
	static char line[WORKER_LINE];
	uint64_t elapsed, first, checksum;
	const char *l;
	bool peak_reset;
	int err;

	memset(out, 0, sizeof(*out));
	err = worker_start();
	if (err) {
		snprintf(why, len, "cannot start --worker '%s': %s", worker_cmd, strerror(-err));
		return -EPROTO;
	}
	fprintf(wp.out, "{\"type\":\"run\",\"backend\":\"%s\",\"file\":", b->name);
	json_write_string(wp.out, df->path);
	fprintf(wp.out, ",\"file_size\":%" PRIu64 ",\"sync\":\"%s\",\"latency_every\":%" PRIu64 "}\n",
		df->size, sync_names[cfg->sync], cfg->latency_every);
	op_plan_print_step(wp.out, OP_PLAN_JSON, &s, p);
	fputs("{\"type\":\"end\"}\n", wp.out);
	if (fflush(wp.out)) {
		snprintf(why, len, "the worker stopped reading its plan: %s", strerror(errno));
		return -EPROTO;
	}
	err = worker_expect(line, sizeof(line), "ready", WORKER_STEP_MS, why, len);
	if (err)
		return err;
	/* its counters and high-water mark around its own timed region */
	peak_reset = memuse_reset_peak_of(wp.pid);
	counters_of_process(wp.pid, &c0);
	fputs("{\"type\":\"go\"}\n", wp.out);
	if (fflush(wp.out)) {
		snprintf(why, len, "the worker stopped reading: %s", strerror(errno));
		return -EPROTO;
	}
	err = worker_expect(line, sizeof(line), NULL, WORKER_STEP_MS, why, len);
	counters_of_process(wp.pid, &c1);
	memuse_sample_of(wp.pid, &out->mem);
	if (!peak_reset)
		out->mem.peak = NAN; /* its whole life's, not the region's */
	if (err)
		return err;
	if (!worker_u64(line, "elapsed_ns", &elapsed) || !worker_u64(line, "first_pass_ns", &first) ||
	    !worker_u64(line, "checksum", &checksum) || !elapsed) {
		snprintf(why, len, "the worker's result '%.200s' lacks elapsed_ns, first_pass_ns or "
			 "checksum", line);
		return -EPROTO;
	}
	/* Its mapping and file go before the next step's cache state is
	 * prepared: a mapping left behind keeps pages that cold must evict. */
	fputs("{\"type\":\"release\"}\n", wp.out);
	if (fflush(wp.out)) {
		snprintf(why, len, "the worker stopped reading: %s", strerror(errno));
		return -EPROTO;
	}
	{
		char done[256];

		err = worker_expect(done, sizeof(done), "released", WORKER_STEP_MS, why, len);
		if (err)
			return err;
	}
	counters_delta(&c0, &c1, d);
	out->t0 = 0;
	out->steady_ns = first;
	out->t1 = first + elapsed;
	out->checksum = checksum;
	out->slowest_thread_bps = (double)p->bytes * 1e9 / (double)elapsed;
	/* its sampled latencies, as the engine's */
	hist_reset(lat);
	l = strstr(line, "\"latencies_ns\":");
	if (l) {
		l += strlen("\"latencies_ns\":");
		l += strspn(l, " ");
		l = *l == '[' ? l + 1 : NULL;
	}
	while (l && *l && *l != ']') {
		char *end;
		uint64_t v = strtoull(l, &end, 10);

		if (end == l)
			break;
		hist_add(lat, v);
		l = end + strspn(end, ", ");
	}
	return 0;
}

int worker_measure(const struct config *cfg, const struct backend *b, const struct datafile *df,
		   const struct op_plan *p, const char *workload, uint64_t iteration, uint64_t rep,
		   struct engine_out *out, struct counters *d, struct hist *lat, char *why,
		   size_t len)
{
	int err = worker_step(cfg, b, df, p, workload, iteration, rep, out, d, lat, why, len);

	/* a worker that broke the protocol is in no known state: it goes,
	 * and the next step starts a fresh one */
	if (err)
		worker_stop();
	return err;
}
