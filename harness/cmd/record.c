/*
 * record.c - `mmbench record [--out TRACE] [--only GLOB]... -- CMD [ARGS...]`:
 * run CMD under strace and write its file I/O as a trace (docs/traces.md).
 *
 * strace writes its output to a temporary file; trace/strace.c turns it
 * into records, which go to a second temporary file beside TRACE; the
 * header (each file's size and fingerprint, known only at the end) is
 * written before them into TRACE's temporary name, renamed into place.
 * Every temporary file is registered with sys/cleanup.c, so none outlives
 * an error or a signal.
 */
#include "cmd/commands.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sys/cleanup.h"
#include "sys/fingerprint.h"
#include "trace/strace.h"
#include "trace/trace.h"
#include "util/error.h"

#define RECORD_MAX_ONLY 32

struct record_only {
	const char *glob[RECORD_MAX_ONLY];
	unsigned n;
};

static int record_parse_only(const char *arg, void *value)
{
	struct record_only *o = value;

	if (o->n == RECORD_MAX_ONLY)
		return -EINVAL;
	o->glob[o->n++] = arg;
	return 0;
}

/* Whether name runs: a path that is executable, or found on $PATH. */
static bool record_runnable(const char *name)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (strchr(name, '/'))
		return !access(name, X_OK);
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");

		if (snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, n ? p : ".", name) <
			    (int)sizeof(buf) &&
		    !access(buf, X_OK)) {
			struct stat st;

			if (!stat(buf, &st) && S_ISREG(st.st_mode))
				return true;
		}
		p += n;
		p += *p == ':';
	}
	return false;
}

/* A temporary file named from templ ("...XXXXXX"), registered for removal. */
static FILE *record_temp(char *templ)
{
	sigset_t mask;
	FILE *f;
	int fd, err;

	/* made and registered before a signal can end the process */
	cleanup_hold(&mask);
	fd = mkstemp(templ);
	err = fd < 0 || cleanup_add(templ);
	if (err && fd >= 0) {
		close(fd);
		unlink(templ);
	}
	cleanup_release(&mask);
	if (err)
		return NULL;
	f = fdopen(fd, "w+");
	if (!f) {
		close(fd);
		cleanup_remove(templ);
	}
	return f;
}

/* Run strace -o out -- cmd...: CMD's status as a shell gives it (128 + the
 * signal), or -1 when strace could not be started. */
static int record_run_strace(const char *out, char **cmd)
{
	static const char trace_calls[] = "trace=" STRACE_SYSCALLS;
	const char *fixed[] = { "strace", "-f", "-ttt", "-T", "-qq", "-y", "-e", "signal=none",
				"-e", trace_calls, "-o", out, "--" };
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]), ncmd = 0;
	char **argv;
	pid_t pid;
	int st;

	while (cmd[ncmd])
		ncmd++;
	argv = calloc(nfixed + ncmd + 1, sizeof(*argv));
	if (!argv)
		return -1;
	memcpy(argv, fixed, sizeof(fixed));
	memcpy(argv + nfixed, cmd, ncmd * sizeof(*argv));
	pid_t parent = getpid();

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		/* strace never outlives record (killed, its temporary files
		 * gone): CMD, no longer traced, goes on as it would alone */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(127);
		execvp("strace", argv);
		_exit(127);
	}
	free(argv);
	if (pid < 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

struct record_ctx {
	FILE *body;
	const char *cmd;
};

static void record_on_rec(const struct trace_rec *rec, void *ctx)
{
	trace_write_rec(((struct record_ctx *)ctx)->body, rec);
}

static void record_on_mapped(const char *path, uint64_t len, void *ctx)
{
	/* stderr, as every line of record's own: CMD's stdout is CMD's */
	error_msg("%s mapped '%s' (%" PRIu64 " bytes): accesses through a mapping are page "
		  "faults, not system calls, and are not in the trace",
		  ((struct record_ctx *)ctx)->cmd, path, len);
}

static int64_t record_size_now(const char *path, void *ctx)
{
	struct stat st;

	(void)ctx;
	return stat(path, &st) || !S_ISREG(st.st_mode) ? -1 : (int64_t)st.st_size;
}

/* TRACE: the magic, where it came from, the files, the threads, then
 * the body's records. */
static int record_write(FILE *f, FILE *body, char **cmd, const struct strace_result *res)
{
	char buf[65536];
	size_t n;

	trace_write_magic(f);
	fputs("# mmbench record --", f);
	for (char **a = cmd; *a; a++) {
		fputc(' ', f);
		for (const char *c = *a; *c; c++)
			fputc(*c == '\n' ? ' ' : *c, f);
	}
	fputc('\n', f);
	for (unsigned i = 0; i < res->npaths; i++) {
		struct trace_file tf = { .path = res->paths[i] };

		if (!fingerprint_path(res->paths[i], &tf.size, &tf.fingerprint))
			tf.size_known = tf.fingerprint_known = true;
		trace_write_file(f, i, &tf);
	}
	for (unsigned i = 0; i < res->nthreads; i++)
		trace_write_thread(f, i, res->tids[i]);
	if (fflush(body) || fseek(body, 0, SEEK_SET))
		return errno ? -errno : -EIO;
	while ((n = fread(buf, 1, sizeof(buf), body)))
		if (fwrite(buf, 1, n, f) != n)
			return errno ? -errno : -EIO;
	if (ferror(body))
		return -EIO;
	return fflush(f) || ferror(f) ? (errno ? -errno : -EIO) : 0;
}

static int record_main(int argc, char **argv)
{
	const char *out = "mmbench.trace";
	struct record_only only = { .n = 0 };
	const struct cli_option opts[] = {
		CLI_OPT_STRING("out", "TRACE", &out, "the trace to write [mmbench.trace]"),
		{ .type = CLI_CALLBACK, .name = "only", .metavar = "PATH-GLOB", .value = &only,
		  .parse = record_parse_only, .flags = CLIF_REPEAT,
		  .hint = "a glob of paths (fnmatch, '*' crosses '/'), at most 32",
		  .help = "keep only files whose path matches (repeatable) [all but system files]" },
		CLI_OPT_END,
	};
	const char *tmpdir = getenv("TMPDIR");
	char straced[PATH_MAX], body_path[PATH_MAX], tmp_path[PATH_MAX];
	struct strace_options so = { .size_now = record_size_now };
	struct strace_result res = { 0 };
	struct record_ctx ctx = { 0 };
	FILE *st = NULL, *body = NULL, *f = NULL;
	char msg[1024] = "";
	int sep = 0, status, cmd_status, err;
	mode_t mask;

	while (sep < argc && strcmp(argv[sep], "--"))
		sep++;
	status = cli_parse(&record_command, opts, sep, argv, NULL, NULL);
	if (status)
		return status;
	if (sep + 1 >= argc) {
		error_msg("missing -- CMD for record (usage: %s)", cli_synopsis(&record_command));
		return EXIT_USAGE;
	}
	ctx.cmd = argv[sep + 1];
	if (!record_runnable("strace")) {
		error_msg("cannot record: strace is not installed (Debian package strace: "
			  "apt-get install strace)");
		return EXIT_USAGE;
	}
	if (!record_runnable(ctx.cmd)) {
		error_msg("cannot record '%s': no such command", ctx.cmd);
		return EXIT_USAGE;
	}
	if (!access(out, F_OK)) {
		error_msg("'%s' exists for --out: remove it or name another trace", out);
		return EXIT_USAGE;
	}
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	if (snprintf(straced, sizeof(straced), "%s/mmbench-strace-XXXXXX", tmpdir) >=
	    (int)sizeof(straced)) {
		error_msg("invalid TMPDIR '%s': too long", tmpdir);
		return EXIT_USAGE;
	}
	if (snprintf(body_path, sizeof(body_path), "%s.body-XXXXXX", out) >= (int)sizeof(body_path) ||
	    snprintf(tmp_path, sizeof(tmp_path), "%s.tmp-XXXXXX", out) >= (int)sizeof(tmp_path)) {
		error_msg("invalid value '%s' for --out: too long", out);
		return EXIT_USAGE;
	}
	st = record_temp(straced);
	if (!st) {
		error_msg("cannot create a temporary file in '%s': %s", tmpdir, strerror(errno));
		return EXIT_RUNTIME;
	}
	body = record_temp(body_path);
	if (!body) {
		error_msg("cannot write beside '%s' for --out: %s", out, strerror(errno));
		status = EXIT_RUNTIME;
		goto out_close;
	}
	ctx.body = body;
	cmd_status = record_run_strace(straced, argv + sep + 1);
	if (cmd_status < 0) {
		error_msg("cannot run strace: %s", strerror(errno));
		status = EXIT_RUNTIME;
		goto out_close;
	}
	so.only = only.glob;
	so.nonly = only.n;
	err = strace_parse(st, straced, &so,
			   &(struct strace_events){ record_on_rec, record_on_mapped }, &ctx, &res,
			   msg, sizeof(msg));
	if (err) {
		error_msg("cannot read strace's output: %s",
			  err == -ETRACE_MALFORMED || *msg ? msg : strerror(-err));
		status = EXIT_RUNTIME;
		goto out_close;
	}
	if (!res.reads && !res.writes) {
		if (cmd_status)
			error_msg("'%s' exited with status %d", ctx.cmd, cmd_status);
		error_msg("cannot record '%s': it read or wrote no file the trace keeps (%s); "
			  "no trace written", ctx.cmd,
			  only.n ? "none matched --only" : "system files and libraries are left out");
		status = cmd_status ? cmd_status : EXIT_RUNTIME;
		goto out_close;
	}
	/* a trace is a file like any the user makes: mkstemp's 0600 is for
	 * the temporary ones */
	mask = umask(0);
	umask(mask);
	f = record_temp(tmp_path);
	err = 0;
	if (!f || fchmod(fileno(f), 0666 & ~mask) ||
	    (err = record_write(f, body, argv + sep + 1, &res))) {
		error_msg("cannot write '%s': %s", out, strerror(err ? -err : errno));
		status = EXIT_RUNTIME;
		goto out_close; /* closes and removes f */
	}
	err = fclose(f);
	f = NULL;
	if (err) {
		error_msg("cannot write '%s': %s", out, strerror(errno));
		cleanup_remove(tmp_path);
		status = EXIT_RUNTIME;
		goto out_close;
	}
	if (rename(tmp_path, out)) {
		error_msg("cannot write '%s': %s", out, strerror(errno));
		cleanup_remove(tmp_path);
		status = EXIT_RUNTIME;
		goto out_close;
	}
	cleanup_forget(tmp_path);
	error_msg("recorded '%s': %" PRIu64 " operations (%" PRIu64 " reads, %" PRIu64
		  " bytes; %" PRIu64 " writes, %" PRIu64 " bytes), %" PRIu64 " hints, %u files, "
		  "%u threads", out, res.reads + res.writes, res.reads, res.read_bytes, res.writes, res.write_bytes,
	       res.hints, res.npaths, res.nthreads);
	status = 0;
	if (cmd_status) {
		error_msg("'%s' exited with status %d: '%s' holds what it did until then",
			  ctx.cmd, cmd_status, out);
		status = cmd_status;
	}
out_close:
	strace_result_free(&res);
	if (f) {
		fclose(f);
		cleanup_remove(tmp_path);
	}
	if (body) {
		fclose(body);
		cleanup_remove(body_path);
	}
	fclose(st);
	cleanup_remove(straced);
	return status;
}

const struct cli_command record_command = {
	.name = "record",
	.args = "[--out TRACE] [--only PATH-GLOB]... -- CMD [ARGS...]",
	.summary = "record a program's file I/O as a trace",
	.about = "Run CMD under strace (-f: every thread and child) and write its file I/O\n"
		 "to TRACE (docs/traces.md): a header naming each file with its size and a\n"
		 "fingerprint, then one line per read or write (thread, time, file, offset,\n"
		 "length) and per hint (posix_fadvise, madvise, readahead, O_DIRECT, mmap).\n"
		 "Files under the system folders (" STRACE_SYSTEM_DIRS ")\n"
		 "and libraries are left out; --only keeps just the paths it matches.\n"
		 "Accesses through a mapping are page faults, not system calls: a file CMD\n"
		 "maps is named, and its accesses are not in the trace.  strace slows CMD:\n"
		 "the order, offsets and sizes are exact, the times are strace's.  When CMD\n"
		 "fails its status is passed on and the trace keeps what it did.\n",
	.main = record_main,
};
