/*
 * exec.c - `mmbench exec [--mem-limit SIZE] [--cache MODE --file F...]
 * [--label NAME] [--reps N] [--metric REGEX] -- CMD [ARGS...]`: run another
 * program (a database's own benchmark, a driver) under the rules a backend
 * gets, one results row per repetition (docs/engines.md).
 *
 * Each repetition is one fresh process of CMD:
 *   - the memory limit is mmbench's own (sys/memlimit.c): a cgroup v2
 *     child that mmbench moves into before forking, so CMD is born in it;
 *     else the balloon mmbench holds (never inherited: MADV_DONTFORK)
 *     while CMD runs, adjusted before every repetition;
 *   - the --file files (a directory: the regular files in it) are brought
 *     to the --cache state and their residency recorded before and after;
 *   - the counters are CMD's own over its life: wait4()'s rusage (CMD and
 *     the children it reaped), /proc/PID/io read while CMD is a zombie
 *     (waitid WNOWAIT), before it is reaped and the numbers go;
 *   - CMD's standard output passes through a pipe: to mmbench's stdout, or
 *     to stderr when the rows go to stdout; --metric's first capture group
 *     in it is the row's `metric`.
 * A CMD that fails, or a --metric that finds nothing, fails the step: the
 * reason on stderr, no row, no more repetitions.  CMD runs in a process
 * group of its own; it and whatever it started in that group are killed
 * (SIGKILL) when mmbench ends, returns or is stopped by a signal, before
 * the memory limit is taken away (cleanup.c's undo order).
 */
#include "cmd/commands.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backends/backends.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "core/backend.h"
#include "core/config.h"
#include "core/workload.h"
#include "measure/run.h"
#include "results/row.h"
#include "results/rowcsv.h"
#include "sys/cleanup.h"
#include "sys/counters.h"
#include "sys/datafile.h"
#include "sys/memlimit.h"
#include "sys/sysinfo.h"
#include "util/clock.h"
#include "util/csv.h"
#include "util/error.h"
#include "util/parse.h"

/* --file arguments, and the files they name once directories are listed. */
#define EXEC_MAX_ARGS 64
#define EXEC_MAX_FILES 4096
/* CMD's output kept for --metric: the last EXEC_KEEP bytes of it. */
#define EXEC_KEEP (4u << 20)
/* The names rows give exec's series and command when there is no --label:
 * a workload name must be one word without commas (results/table.c). */
#define EXEC_NAME_MAX 64

struct exec_args {
	const char *path[EXEC_MAX_ARGS];
	unsigned n;
};

/* Everything the repetitions share. */
struct exec_state {
	struct config cfg;
	char **cmd;
	const char *label, *metric_src;
	regex_t metric;
	bool have_metric;
	struct datafile *df; /* [ndf] */
	unsigned ndf;
	uint64_t files_bytes;
	struct backend series;	 /* the backend column: --label */
	struct workload program; /* the workload column: --operation, else CMD's base name */
	char program_name[EXEC_NAME_MAX];
	struct sysinfo si;
	char run_id[64];
	int csv_fd;
	int echo_fd; /* where CMD's output goes on */
	char *out;   /* the last EXEC_KEEP bytes of CMD's output */
	size_t nout;
	bool warned_cold, warned_warm, warned_limit;
};

/* The running CMD (its process group has its pid), for the undo that
 * kills it on a signal: fixed storage, async-signal-safe. */
static volatile pid_t exec_child;

/* Kill CMD's process group and reap CMD: cleanup.c calls it at exit and
 * from its signal handler, before the memory limit is taken away (a
 * cgroup with a process in it cannot be removed). */
static void exec_kill_now(void)
{
	pid_t pid = exec_child;

	if (pid <= 0)
		return;
	exec_child = 0;
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static int exec_parse_file(const char *arg, void *value)
{
	struct exec_args *a = value;

	if (a->n == EXEC_MAX_ARGS)
		return -EINVAL;
	a->path[a->n++] = arg;
	return 0;
}

static int exec_name_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Open path read-only as one of the files (no pattern check: reading
 * even a few words would change the page cache --cache asis leaves). */
static int exec_open_one(struct exec_state *st, const char *path)
{
	struct datafile *df;
	struct stat sb;
	int fd;

	if (st->ndf == EXEC_MAX_FILES) {
		error_msg("too many files for --file (at most %d)", EXEC_MAX_FILES);
		return EXIT_USAGE;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &sb)) {
		error_msg("cannot open '%s' for --file: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_USAGE;
	}
	if (!S_ISREG(sb.st_mode)) {
		error_msg("'%s' for --file is %s, not a regular file or a directory", path,
			  datafile_kind(path));
		close(fd);
		return EXIT_USAGE;
	}
	df = &st->df[st->ndf++];
	memset(df, 0, sizeof(*df));
	snprintf(df->path, sizeof(df->path), "%s", path);
	df->fd = fd;
	df->size = (uint64_t)sb.st_size;
	st->files_bytes += df->size;
	return 0;
}

/* A directory's regular files, in name order (a database's folder). */
static int exec_open_dir(struct exec_state *st, const char *dir)
{
	char **names = NULL, path[PATH_MAX];
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d = opendir(dir);
	int status = 0;

	if (!d) {
		error_msg("cannot read '%s' for --file: %s", dir, strerror(errno));
		return EXIT_USAGE;
	}
	while ((e = readdir(d))) {
		struct stat sb;

		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path) ||
		    lstat(path, &sb) || !S_ISREG(sb.st_mode))
			continue;
		if (n == cap) {
			char **more = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof(*names));

			if (!more)
				goto out_nomem;
			names = more;
		}
		if (!(names[n] = strdup(path)))
			goto out_nomem;
		n++;
	}
	if (n) /* names is NULL for an empty folder */
		qsort(names, n, sizeof(*names), exec_name_cmp);
	for (size_t i = 0; i < n && !status; i++)
		status = exec_open_one(st, names[i]);
	goto out;
out_nomem:
	error_msg("out of memory");
	status = EXIT_RUNTIME;
out:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return status;
}

static int exec_open_files(struct exec_state *st, const struct exec_args *a)
{
	st->df = calloc(EXEC_MAX_FILES, sizeof(*st->df));
	if (!st->df) {
		error_msg("out of memory");
		return EXIT_RUNTIME;
	}
	for (unsigned i = 0; i < a->n; i++) {
		struct stat sb;
		int status;

		if (!stat(a->path[i], &sb) && S_ISDIR(sb.st_mode))
			status = exec_open_dir(st, a->path[i]);
		else
			status = exec_open_one(st, a->path[i]);
		if (status)
			return status;
	}
	return 0;
}

/* The share of the files' pages in the page cache now, 0..1; or a
 * negative errno.  1 without files: there is nothing to miss. */
static double exec_resident(const struct exec_state *st)
{
	uint64_t resident = 0, pages = 0;

	for (unsigned i = 0; i < st->ndf; i++) {
		uint64_t r, p;
		int err = datafile_residency(st->df[i].fd, st->df[i].size, &r, &p);

		if (err)
			return err;
		resident += r;
		pages += p;
	}
	return pages ? (double)resident / (double)pages : 1.0;
}

/* Bring every file to --cache, as run does for its file: cold is
 * evicted; warm is evicted and read back in order (one canonical state);
 * asis is left alone.  0, or the exit status after the message. */
static int exec_prepare_cache(struct exec_state *st)
{
	for (unsigned i = 0; i < st->ndf; i++) {
		int err = 0;

		if (st->cfg.cache == CACHE_COLD || st->cfg.cache == CACHE_WARM)
			err = datafile_evict(&st->df[i]);
		if (!err && st->cfg.cache == CACHE_WARM)
			err = datafile_warm(&st->df[i]);
		if (err) {
			error_msg("cannot prepare the cache state of '%s': %s", st->df[i].path,
				  datafile_strerror(err));
			return EXIT_RUNTIME;
		}
	}
	return 0;
}

/* Warn once when the state found is not the one asked for, or the files
 * held more of the page cache than --mem-limit leaves: the rows record
 * the fractions either way (the bounds are run's). */
static void exec_check_state(struct exec_state *st, const struct row *row)
{
	double most = fmax(row->resident_before, row->resident_after) * (double)st->files_bytes;
	uint64_t limit = st->cfg.mem_limit;

	if (!st->ndf)
		return;
	if (st->cfg.cache == CACHE_COLD && row->resident_before > DATAFILE_COLD_MAX &&
	    !st->warned_cold) {
		st->warned_cold = true;
		error_warn("cold run found %.0f%% of the --file files still cached (see "
			   "resident_before)", row->resident_before * 100);
	}
	if (st->cfg.cache == CACHE_WARM && row->resident_before < DATAFILE_WARM_MIN &&
	    !st->warned_warm) {
		st->warned_warm = true;
		error_warn("warm run found only %.0f%% of the --file files cached: do they fit in "
			   "memory? (see resident_before)", row->resident_before * 100);
	}
	if (limit && !st->warned_limit && most > (double)limit * 1.05 + (16 << 20)) {
		char size[32];

		st->warned_limit = true;
		error_warn("--mem-limit %s did not hold: %.0f MiB of the --file files were cached "
			   "(see resident_before and resident_after)",
			   parse_format_size(limit, size, sizeof(size)), most / (1024.0 * 1024.0));
	}
}

/* Keep n more bytes of CMD's output, the oldest dropped beyond EXEC_KEEP,
 * and pass them on. */
static void exec_keep(struct exec_state *st, const char *buf, size_t n)
{
	if (st->echo_fd >= 0 && write(st->echo_fd, buf, n) < 0)
		st->echo_fd = -1; /* a closed stdout: the rows still go on */
	if (n >= EXEC_KEEP) {
		buf += n - EXEC_KEEP;
		n = EXEC_KEEP;
	}
	if (st->nout + n > EXEC_KEEP) {
		size_t drop = st->nout + n - EXEC_KEEP;

		memmove(st->out, st->out + drop, st->nout - drop);
		st->nout -= drop;
	}
	memcpy(st->out + st->nout, buf, n);
	st->nout += n;
}

/* Read what the pipe holds now, until it would block or ends. */
static void exec_drain(struct exec_state *st, int fd)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		exec_keep(st, buf, (size_t)n);
}

/* The value of --metric in CMD's output into *v: 0, or -1 with the
 * reason in why. */
static int exec_find_metric(struct exec_state *st, double *v, char *why, size_t len)
{
	regmatch_t m[2];
	char num[64], *end;
	size_t n;

	/* regexec() stops at a NUL: the output is text, a NUL in it a space */
	for (size_t i = 0; i < st->nout; i++)
		if (!st->out[i])
			st->out[i] = ' ';
	st->out[st->nout] = '\0';
	if (regexec(&st->metric, st->out, 2, m, 0)) {
		snprintf(why, len, "--metric '%s' matched nothing in its output", st->metric_src);
		return -1;
	}
	n = m[1].rm_so < 0 ? 0 : (size_t)(m[1].rm_eo - m[1].rm_so);
	snprintf(num, sizeof(num), "%.*s", (int)n, st->out + (m[1].rm_so < 0 ? 0 : m[1].rm_so));
	errno = 0;
	*v = n ? strtod(num, &end) : 0;
	if (!n || n >= sizeof(num) || *end || errno || !isfinite(*v)) {
		snprintf(why, len, "--metric '%s' captured '%s', not a number", st->metric_src, num);
		return -1;
	}
	return 0;
}

/* How CMD ended, for messages: "exited with status 3", "was killed by
 * SIGKILL". */
static const char *exec_how(const siginfo_t *si, char *buf, size_t len)
{
	if (si->si_code == CLD_EXITED)
		snprintf(buf, len, "exited with status %d", si->si_status);
	else
		snprintf(buf, len, "was killed by SIG%s", sigabbrev_np(si->si_status)
								 ? sigabbrev_np(si->si_status)
								 : "?");
	return buf;
}

/* Start CMD in a process group of its own, its stdout on out_w, ended
 * with mmbench (PR_SET_PDEATHSIG); 0, or the errno of a fork or an exec
 * that failed. */
static int exec_spawn(char **cmd, int out_w, pid_t *pid)
{
	pid_t parent = getpid();
	int ready[2], err = 0;
	sigset_t all;

	if (pipe2(ready, O_CLOEXEC))
		return errno;
	fflush(NULL);
	*pid = fork();
	if (*pid == 0) {
		setpgid(0, 0);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(127);
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		if (dup2(out_w, STDOUT_FILENO) < 0)
			err = errno;
		else
			execvp(cmd[0], cmd);
		err = err ? err : errno;
		if (write(ready[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(127);
	}
	close(ready[1]);
	if (*pid < 0) {
		close(ready[0]);
		return errno;
	}
	setpgid(*pid, *pid); /* whichever of the two runs first */
	exec_child = *pid;
	/* an exec that succeeded closes the pipe without a word */
	if (read(ready[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(ready[0]);
	if (err) {
		waitpid(*pid, NULL, 0);
		exec_child = 0;
	}
	return err;
}

/* Wait for CMD to end while passing its output on; then, while it is a
 * zombie, its device bytes; then reap it with its rusage.  *t1 is when it
 * was seen to end (a pidfd: at once).  0 or -1 with the reason. */
static int exec_wait(struct exec_state *st, pid_t pid, int out_r, siginfo_t *si,
		     struct rusage *ru, struct counters *io, uint64_t *t1, char *why, size_t len)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	bool open = true;

	for (;;) {
		struct pollfd p[2] = { { out_r, POLLIN, 0 }, { pidfd, POLLIN, 0 } };
		int n = poll(open ? p : p + 1, open ? 2 : 1, pidfd >= 0 ? -1 : 10);

		if (n < 0 && errno != EINTR) {
			snprintf(why, len, "cannot wait for it: %s", strerror(errno));
			return -1;
		}
		if (open && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			char buf[65536];
			ssize_t k = read(out_r, buf, sizeof(buf));

			if (k > 0)
				exec_keep(st, buf, (size_t)k);
			else if (k == 0 || errno != EINTR)
				open = false;
		}
		memset(si, 0, sizeof(*si));
		if (waitid(P_PID, (id_t)pid, si, WEXITED | WNOHANG | WNOWAIT) == 0 && si->si_pid)
			break;
	}
	*t1 = clock_now_ns();
	if (pidfd >= 0)
		close(pidfd);
	/* read while the zombie keeps them: its own and its reaped children's */
	counters_of_process(pid, io);
	/* what CMD left running in its group would hold the pipe and the
	 * memory: it ends with CMD */
	kill(-pid, SIGKILL);
	fcntl(out_r, F_SETFL, O_NONBLOCK);
	exec_drain(st, out_r);
	while (wait4(pid, NULL, 0, ru) < 0)
		if (errno != EINTR) {
			snprintf(why, len, "cannot reap it: %s", strerror(errno));
			exec_child = 0;
			return -1;
		}
	exec_child = 0;
	return 0;
}

static uint64_t exec_tv_us(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000ULL + (uint64_t)tv.tv_usec;
}

/* Write row as the results row of this repetition. */
static int exec_write_row(struct exec_state *st, struct row *row)
{
	struct config eff = st->cfg;
	struct csv_line line = { 0 };
	int err;

	eff.backends[0] = &st->series;
	eff.variant[0][0] = '\0';
	eff.nbackends = 1;
	eff.workloads[0] = &st->program;
	eff.nworkloads = 1;
	/* file_size holds the files' bytes, within the column's bounds */
	if (st->files_bytes >= options_find("size")->min)
		eff.size = st->files_bytes;
	if (!st->ndf)
		eff.cache = CACHE_ASIS;
	row->cfg = &eff;
	row->si = &st->si;
	row->run_id = st->run_id;
	row->clock_overhead_ns = st->si.clock_overhead_ns;
	err = rowcsv_format(row, &line);
	if (!err && st->csv_fd < 0)
		err = rowcsv_open(st->cfg.csv, &st->csv_fd);
	if (!err)
		err = csv_write(st->csv_fd, &line);
	csv_line_free(&line);
	row->cfg = NULL;
	return err;
}

static void exec_timestamp(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* One repetition: the cache state, CMD's run, its row.  0, or the exit
 * status after the message. */
static int exec_rep(struct exec_state *st, uint64_t rep)
{
	struct row row = { .rep = rep, .metric = NAN, .files = st->ndf, .seq_share = NAN };
	struct counters c0, c1, io;
	struct memlimit_info mi;
	struct rusage ru;
	siginfo_t si;
	char why[512];
	uint64_t t0, t1;
	int out[2], err, status;
	pid_t pid = 0;

	if (st->cfg.mem_limit && memlimit_hold(why, sizeof(why))) {
		error_msg("%s", why);
		return EXIT_RUNTIME;
	}
	status = exec_prepare_cache(st);
	if (status)
		return status;
	row.resident_before = exec_resident(st);
	if (row.resident_before < 0) {
		error_msg("cannot inspect the --file files: %s", strerror((int)-row.resident_before));
		return EXIT_RUNTIME;
	}
	row.cache_room_before = memlimit_meminfo(&mi) ? NAN : (double)mi.room;
	row.mem_limit_mechanism = memlimit_name(memlimit_current());
	if (pipe2(out, O_CLOEXEC)) {
		error_msg("cannot make a pipe: %s", strerror(errno));
		return EXIT_RUNTIME;
	}
	st->nout = 0;
	counters_begin(&c0);
	t0 = clock_now_ns();
	err = exec_spawn(st->cmd, out[1], &pid);
	close(out[1]);
	if (err) {
		close(out[0]);
		error_msg("cannot run '%s': %s", st->cmd[0], strerror(err));
		return err == ENOENT || err == EACCES ? EXIT_USAGE : EXIT_RUNTIME;
	}
	err = exec_wait(st, pid, out[0], &si, &ru, &io, &t1, why, sizeof(why));
	counters_end(&c1);
	close(out[0]);
	if (err) {
		exec_kill_now();
		error_msg("'%s': %s", st->cmd[0], why);
		return EXIT_RUNTIME;
	}
	if (si.si_code != CLD_EXITED || si.si_status) {
		char how[64];

		error_msg("'%s' %s (%s rep %llu): no row, no more repetitions", st->cmd[0],
			  exec_how(&si, how, sizeof(how)), st->label, (unsigned long long)rep);
		return EXIT_RUNTIME;
	}
	if (st->have_metric && exec_find_metric(st, &row.metric, why, sizeof(why))) {
		error_msg("'%s' (%s rep %llu): %s: no row, no more repetitions", st->cmd[0], st->label,
			  (unsigned long long)rep, why);
		return EXIT_RUNTIME;
	}
	counters_delta(&c0, &c1, &row.d); /* the system-wide TLB shootdowns */
	row.d.minor_faults = (uint64_t)ru.ru_minflt;
	row.d.major_faults = (uint64_t)ru.ru_majflt;
	row.d.vol_ctx_switches = (uint64_t)ru.ru_nvcsw;
	row.d.invol_ctx_switches = (uint64_t)ru.ru_nivcsw;
	row.d.user_us = exec_tv_us(ru.ru_utime);
	row.d.sys_us = exec_tv_us(ru.ru_stime);
	row.d.dev_read_bytes = io.dev_read_bytes;
	row.d.dev_write_bytes = io.dev_write_bytes;
	row.d.have_io = io.have_io;
	row.elapsed_ns = t1 - t0;
	row.resident_after = st->ndf ? exec_resident(st) : NAN;
	if (row.resident_after < 0)
		row.resident_after = NAN;
	row.dirty_after_bytes = NAN;
	/* what CMD held is gone with it; its high-water mark is wait4's */
	row.rss_anon_bytes = row.rss_file_bytes = NAN;
	row.rss_peak_bytes = (double)ru.ru_maxrss * 1024.0;
	row.folio.large = row.folio.median_bytes = NAN;
	/* mmbench cannot check what CMD read: its exit status is its word */
	row.verified = true;
	row.verify_source = "exit-status";
	row.mem_pages = "none";
	row_derive_rates(&row);
	exec_timestamp(row.timestamp, sizeof(row.timestamp));
	exec_check_state(st, &row);
	err = exec_write_row(st, &row);
	if (err) {
		error_msg("cannot write a row: %s", strerror(-err));
		return EXIT_RUNTIME;
	}
	if (!st->cfg.quiet) {
		char m[64] = "", files[64] = "";

		if (st->have_metric)
			snprintf(m, sizeof(m), ", metric %g", row.metric);
		if (st->ndf)
			snprintf(files, sizeof(files), ", %.0f%% of the files cached before",
				 row.resident_before * 100);
		error_msg("exec %s rep %llu: %.3f s%s%s", st->label, (unsigned long long)rep,
			  (double)row.elapsed_ns / 1e9, files, m);
	}
	return 0;
}

/* A name for the rows' columns: the text with commas and spaces made
 * underscores (a name is one word: results/table.c). */
static void exec_word(const char *text, char *buf, size_t len)
{
	snprintf(buf, len, "%s", *text ? text : "exec");
	for (char *p = buf; *p; p++)
		if (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n')
			*p = '_';
}

/* Put name=value in the environment CMD inherits; 0 or -1 (errno). */
static int exec_export(const char *name, uint64_t value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)value);
	return setenv(name, buf, 1);
}

static int exec_check_csv(const char *csv)
{
	int err = csv ? rowcsv_check(csv) : 0;

	if (err == -EPROTO) {
		error_msg("'%s' has a different header: write to a new file", csv);
		return EXIT_USAGE;
	}
	if (err == -EINVAL) {
		error_msg("'%s' for --csv is %s, not a regular file", csv, datafile_kind(csv));
		return EXIT_USAGE;
	}
	if (err) {
		error_msg("cannot write '%s': %s", csv, strerror(-err));
		return EXIT_RUNTIME;
	}
	return 0;
}

/* Parse and check the command line into st; 0 or the exit status. */
static int exec_setup(struct exec_state *st, int argc, char **argv, const char **run_id)
{
	static struct exec_args files;
	static char label[EXEC_NAME_MAX];
	const char *given_label = NULL, *given_operation = NULL;
	const struct cli_option opts[] = {
		CLI_OPT_RUN("mem-limit", &st->cfg),
		CLI_OPT_RUN("cache", &st->cfg),
		{ .type = CLI_CALLBACK, .name = "file", .metavar = "PATH", .value = &files,
		  .parse = exec_parse_file, .flags = CLIF_REPEAT,
		  .hint = "a file or a directory of them, at most 64",
		  .help = "a file CMD reads, set to --cache before each repetition and its "
			  "residency recorded; a directory: its regular files (repeatable)" },
		CLI_OPT_STRING("label", "NAME", &given_label,
			       "the rows' backend column, e.g. rocksdb-mmap (no backend's name) "
			       "[CMD's base name]"),
		CLI_OPT_STRING("operation", "NAME", &given_operation,
			       "the rows' workload column, e.g. readrandom [CMD's base name]"),
		CLI_OPT_RUN("threads", &st->cfg),
		CLI_OPT_RUN("ops", &st->cfg),
		CLI_OPT_RUN("reps", &st->cfg),
		CLI_OPT_STRING("metric", "REGEX", &st->metric_src,
			       "POSIX extended regex whose first group, a number, in CMD's "
			       "output is the row's metric (e.g. '([0-9.]+) ops/sec')"),
		CLI_OPT_STRING("run-id", "ID", run_id,
			       "the rows' run_id instead of a fresh one: a script that interleaves "
			       "exec processes names each round, so the verdict pairs its rows"),
		CLI_OPT_RUN("csv", &st->cfg),
		CLI_OPT_RUN("quiet", &st->cfg),
		CLI_OPT_END,
	};
	const char *base;
	char program[EXEC_NAME_MAX];
	int sep = 0, status;

	files.n = 0; /* a sweep checks one command line after another */
	options_defaults(&st->cfg);
	while (sep < argc && strcmp(argv[sep], "--"))
		sep++;
	status = cli_parse(&exec_command, opts, sep, argv, NULL, NULL);
	if (status)
		return status;
	if (sep + 1 >= argc) {
		error_msg("missing -- CMD for exec (usage: %s)", cli_synopsis(&exec_command));
		return EXIT_USAGE;
	}
	st->cmd = argv + sep + 1;
	if (st->cfg.cache != CACHE_WARM && st->cfg.cache != CACHE_COLD &&
	    st->cfg.cache != CACHE_ASIS) {
		error_msg("invalid value '%s' for --cache with exec (use warm, cold or asis)",
			  options_find("cache")->choices[st->cfg.cache]);
		return EXIT_USAGE;
	}
	if (options_given(&st->cfg, "cache") && st->cfg.cache != CACHE_ASIS && !files.n) {
		error_msg("--cache %s needs --file: the files CMD reads",
			  options_find("cache")->choices[st->cfg.cache]);
		return EXIT_USAGE;
	}
	if (st->metric_src) {
		int err = regcomp(&st->metric, st->metric_src, REG_EXTENDED);
		if (err) {
			char msg[128];

			regerror(err, &st->metric, msg, sizeof(msg));
			error_msg("invalid value '%s' for --metric: %s", st->metric_src, msg);
			return EXIT_USAGE;
		}
		st->have_metric = true;
		if (st->metric.re_nsub < 1) {
			error_msg("invalid value '%s' for --metric: no capture group (put the number "
				  "in parentheses, e.g. '([0-9.]+) ops/sec')", st->metric_src);
			return EXIT_USAGE;
		}
	}
	if (*run_id && strpbrk(*run_id, ",\n\r\" ")) {
		error_msg("invalid value '%s' for --run-id (one word: letters, digits, - and _)",
			  *run_id);
		return EXIT_USAGE;
	}
	status = exec_check_csv(st->cfg.csv);
	if (status)
		return status;
	status = exec_open_files(st, &files);
	if (status)
		return status;
	for (unsigned i = 0; i < st->ndf; i++)
		if (st->cfg.cache == CACHE_COLD && datafile_in_memory(st->df[i].path)) {
			error_msg("'%s' is on %s: a cold cache cannot mean anything there",
				  st->df[i].path, datafile_in_memory(st->df[i].path));
			return EXIT_RUNTIME;
		}
	base = strrchr(st->cmd[0], '/');
	exec_word(base ? base + 1 : st->cmd[0], program, sizeof(program));
	exec_word(given_operation ? given_operation : program, st->program_name,
		  sizeof(st->program_name));
	exec_word(given_label ? given_label : program, label, sizeof(label));
	/* a results file reads a backend's name as that backend's series,
	 * with its options: a program is no backend of mmbench's */
	if (backend_find(label)) {
		error_msg("invalid value '%s' for --label: a backend of mmbench run; name the "
			  "program's mode (e.g. rocksdb-mmap)", label);
		return EXIT_USAGE;
	}
	st->label = label;
	st->series = (struct backend){ .name = label, .summary = "a program run by mmbench exec" };
	st->program = (struct workload){ .name = st->program_name,
					 .summary = "the program mmbench exec ran" };
	return 0;
}

/* What exec_setup opened and compiled, and st. */
static void exec_free(struct exec_state *st)
{
	if (st->cfg.csv && st->csv_fd >= 0)
		close(st->csv_fd);
	for (unsigned i = 0; st->df && i < st->ndf; i++)
		close(st->df[i].fd);
	if (st->have_metric)
		regfree(&st->metric);
	free(st->df);
	free(st->out);
	free(st);
}

int exec_check(int argc, char **argv)
{
	struct exec_state *st = calloc(1, sizeof(*st));
	const char *run_id = NULL;
	int status;

	if (!st) {
		error_msg("out of memory");
		return EXIT_RUNTIME;
	}
	st->csv_fd = -1;
	status = exec_setup(st, argc, argv, &run_id);
	exec_free(st);
	return status;
}

static int exec_main(int argc, char **argv)
{
	struct exec_state *st = calloc(1, sizeof(*st));
	const char *run_id = NULL;
	int status;

	if (!st || !(st->out = malloc(EXEC_KEEP + 1))) {
		free(st);
		error_msg("out of memory");
		return EXIT_RUNTIME;
	}
	st->csv_fd = -1;
	cleanup_set_undo(CLEANUP_UNDO_CHILD, exec_kill_now);
	status = exec_setup(st, argc, argv, &run_id);
	if (status)
		goto out;
	/* what CMD is told to do, by the same names its rows record */
	if ((options_given(&st->cfg, "threads") && exec_export("MMBENCH_THREADS", st->cfg.threads)) ||
	    (options_given(&st->cfg, "ops") && exec_export("MMBENCH_OPS", st->cfg.ops))) {
		error_msg("cannot set CMD's environment: %s", strerror(errno));
		status = EXIT_RUNTIME;
		goto out;
	}
	/* CMD's output must not mix with rows on stdout */
	st->echo_fd = st->cfg.csv ? STDOUT_FILENO : STDERR_FILENO;
	sysinfo_collect(&st->si, st->ndf ? st->df[0].path : ".");
	if (run_id)
		snprintf(st->run_id, sizeof(st->run_id), "%s", run_id);
	else
		run_make_id(st->run_id, sizeof(st->run_id));
	if (st->cfg.mem_limit) {
		char why[512], notes[PATH_MAX + 300];

		if (memlimit_apply(st->cfg.mem_limit, why, sizeof(why), notes, sizeof(notes))) {
			error_msg("%s", why);
			status = EXIT_RUNTIME;
			goto out;
		}
		if (notes[0] && !st->cfg.quiet)
			error_msg("--mem-limit: %s; a %s holds the rest of memory", notes,
				  memlimit_name(memlimit_current()));
	}
	for (uint64_t rep = 1; rep <= st->cfg.reps && !status; rep++)
		status = exec_rep(st, rep);
out:
	exec_kill_now();
	memlimit_remove();
	exec_free(st);
	return status;
}

const struct cli_command exec_command = {
	.name = "exec",
	.args = "[--mem-limit SIZE] [--cache MODE --file PATH...] [--label NAME] [--operation NAME] "
		"[--reps N] [--metric REGEX] -- CMD [ARGS...]",
	.summary = "run another program under mmbench's rules, a row per run",
	.about = "Run CMD --reps times, each a fresh process, under the rules a backend gets\n"
		 "(docs/engines.md): the same --mem-limit (a cgroup v2 child CMD is born in,\n"
		 "else a balloon mmbench holds while CMD runs), the --file files set to\n"
		 "--cache (warm, cold or asis) and their residency recorded before and after,\n"
		 "and CMD's own counters over its life: wall time, user and system CPU, page\n"
		 "faults and context switches (wait4), device bytes (/proc/PID/io, read\n"
		 "before CMD is reaped) and peak RSS (which includes the few MiB of mmbench\n"
		 "CMD was forked from).  One results row per repetition (the columns of\n"
		 "mmbench run: backend is --label, workload --operation or CMD's base name,\n"
		 "file_size the files' bytes, metric the number --metric captures from CMD's\n"
		 "output).  --threads and --ops are what CMD is told to do: recorded in the\n"
		 "rows, and in CMD's environment as MMBENCH_THREADS and MMBENCH_OPS (mmbench\n"
		 "starts no thread of CMD's and counts none of its operations).\n"
		 "CMD's stdout goes to mmbench's stdout, or to stderr when the rows do.\n"
		 "A CMD that fails, or a --metric that matches nothing, fails the step: no\n"
		 "row, no more repetitions, exit status 1.  SIGINT or SIGTERM to mmbench\n"
		 "kills CMD's process group and gives the memory back.\n",
	.main = exec_main,
};
