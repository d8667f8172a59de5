#include "suite/sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/options.h"
#include "core/config.h"
#include "core/workload.h"
#include "measure/run.h"
#include "results/row.h"
#include "results/rowcsv.h"
#include "sys/cleanup.h"
#include "sys/datafile.h"
#include "sys/memlimit.h"
#include "sys/sysinfo.h"
#include "util/error.h"
#include "util/parse.h"
#include "util/paths.h"
#include "util/progress.h"
#include "util/rng.h"

#define SWEEP_MAX_AXES 32
#define SWEEP_MAX_VALUES 64
#define SWEEP_MAX_SECTIONS 8
#define SWEEP_MAX_POINTS 100000

struct sweep_axis {
	const struct option_def *o;
	char *values[SWEEP_MAX_VALUES];
	unsigned n;
	char joined[1024]; /* backend and workload: the names, comma-separated */
	char flag[64];	   /* --name, for the command line of a fresh process */
	bool own;	   /* set in its section, not inherited from the first */
};

/* A product of axes.  A suite is one section, or several separated by
 * lines of "---": each later section starts from the first one's keys and
 * changes or adds some, e.g. one more configuration of a different shape. */
struct sweep_section {
	struct sweep_axis axes[SWEEP_MAX_AXES];
	unsigned naxes;
};

struct sweep {
	const char *path;
	char *text; /* the suite's bytes; values point into it */
	struct sweep_section sec[SWEEP_MAX_SECTIONS];
	unsigned nsec;
};

/* A point of the suite: a section and an odometer over its axes. */
struct sweep_pos {
	unsigned sec;
	unsigned idx[SWEEP_MAX_AXES];
};

/* Parse one `key = values` line into an axis of section s (a new one, or
 * one inherited from the first section); message in err. */
static int sweep_parse_line(struct sweep_section *s, char *line, char *err, size_t errlen)
{
	char *eq = strchr(line, '='), *key, *save = NULL, *tok;
	struct sweep_axis *a = NULL;
	const struct option_def *o;
	struct config scratch;
	bool list;

	if (!eq) {
		snprintf(err, errlen, "expected 'key = value ...', got '%s'", line);
		return -EINVAL;
	}
	*eq = '\0';
	key = parse_trim(line);
	o = options_find(key);
	if (!o) {
		snprintf(err, errlen, "unknown key '%s' (keys are mmbench run's options)", key);
		return -EINVAL;
	}
	if (o->flags & OPTF_NO_SWEEP) {
		snprintf(err, errlen, "key '%s' cannot be set in a suite", key);
		return -EINVAL;
	}
	for (unsigned i = 0; i < s->naxes && !a; i++) {
		if (s->axes[i].o != o)
			continue;
		if (s->axes[i].own) {
			snprintf(err, errlen, "key '%s' given twice", key);
			return -EINVAL;
		}
		a = &s->axes[i]; /* inherited: this section's value replaces it */
	}
	if (!a) {
		if (s->naxes == SWEEP_MAX_AXES) {
			snprintf(err, errlen, "too many keys");
			return -EINVAL;
		}
		a = &s->axes[s->naxes];
	}
	memset(a, 0, sizeof(*a));
	a->o = o;
	a->own = true;
	snprintf(a->flag, sizeof(a->flag), "--%s", a->o->name);
	list = a->o->type == OPT_BACKENDS || a->o->type == OPT_WORKLOADS;
	for (tok = strtok_r(eq + 1, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		if (a->n == SWEEP_MAX_VALUES) {
			snprintf(err, errlen, "too many values for '%s'", key);
			return -EINVAL;
		}
		a->values[a->n++] = tok;
	}
	if (!a->n) {
		snprintf(err, errlen, "no values for '%s'", key);
		return -EINVAL;
	}
	if (a->o->flags & OPTF_SWEEP_ONLY && a->n > 1) {
		snprintf(err, errlen, "key '%s' takes one value, not a list", key);
		return -EINVAL;
	}
	if (list) {
		/* One value: the set compared within every point. */
		size_t used = 0;

		for (unsigned i = 0; i < a->n && used < sizeof(a->joined); i++)
			used += (size_t)snprintf(a->joined + used, sizeof(a->joined) - used, "%s%s",
						 i ? "," : "", a->values[i]);
		if (used >= sizeof(a->joined)) {
			snprintf(err, errlen, "too long a list for '%s'", key);
			return -EINVAL;
		}
		a->values[0] = a->joined;
		a->n = 1;
	}
	options_defaults(&scratch);
	for (unsigned i = 0; i < a->n; i++)
		if (options_set(&scratch, a->o, a->values[i], err, errlen))
			return -EINVAL;
	if (a == &s->axes[s->naxes])
		s->naxes++;
	return 0;
}

#define SWEEP_MAX_SUITE_BYTES (1 << 20)

/* Read and check the whole suite; EXIT_USAGE after printing FILE:LINE. */
static int sweep_parse(struct sweep *s, const char *path)
{
	char *line, *save = NULL, err[512];
	unsigned lineno = 0;
	int oerr = 0;
	FILE *f = datafile_fopen_input(path, &oerr);
	long len;

	s->path = path;
	if (!f && oerr == -EFTYPE_NOT_REGULAR) {
		error_msg("suite '%s' is %s, not a regular file", path, datafile_kind(path));
		return EXIT_USAGE;
	}
	if (!f) {
		error_msg("cannot open suite '%s': %s", path, strerror(-oerr));
		return EXIT_USAGE;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	/* a suite is a page of text; anything larger is another file */
	if (len > SWEEP_MAX_SUITE_BYTES) {
		fclose(f);
		error_msg("suite '%s' is %ld bytes, more than a suite can be (%d)", path, len,
			  SWEEP_MAX_SUITE_BYTES);
		return EXIT_USAGE;
	}
	s->text = calloc(1, (size_t)(len > 0 ? len : 0) + 1);
	if (!s->text || fread(s->text, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		error_msg("cannot read suite '%s'", path);
		return EXIT_USAGE;
	}
	fclose(f);
	/* strsep keeps empty lines, so line numbers stay right. */
	save = s->text;
	s->nsec = 1;
	while ((line = strsep(&save, "\n"))) {
		char *hash = strchr(line, '#');

		lineno++;
		if (hash)
			*hash = '\0';
		line = parse_trim(line);
		if (!*line)
			continue;
		if (!strcmp(line, "---")) {
			struct sweep_section *n = &s->sec[s->nsec];

			if (s->nsec == SWEEP_MAX_SECTIONS) {
				error_msg("%s:%u: too many sections (at most %d)", path, lineno,
					  SWEEP_MAX_SECTIONS);
				return EXIT_USAGE;
			}
			/* a later section starts from the first one's keys */
			*n = s->sec[0];
			for (unsigned i = 0; i < n->naxes; i++)
				n->axes[i].own = false;
			s->nsec++;
			continue;
		}
		if (sweep_parse_line(&s->sec[s->nsec - 1], line, err, sizeof(err))) {
			error_msg("%s:%u: %s", path, lineno, err);
			return EXIT_USAGE;
		}
	}
	if (!s->sec[0].naxes) {
		error_msg("%s: no parameters", path);
		return EXIT_USAGE;
	}
	/* Counted before anything is enumerated: a product of 1e9 points
	 * would otherwise keep the first pass busy without a word. */
	{
		double points = 0;

		for (unsigned k = 0; k < s->nsec; k++) {
			double product = 1;

			for (unsigned i = 0; i < s->sec[k].naxes; i++)
				product *= s->sec[k].axes[i].n;
			points += product;
		}
		if (points > SWEEP_MAX_POINTS) {
			error_msg("%s: %.0f configurations, more than %d: split the suite", path, points,
				  SWEEP_MAX_POINTS);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* The configuration at pos; its label (the axes that vary, and a later
 * section's own keys) into label. */
static void sweep_point(const struct sweep *sw, const struct sweep_pos *pos, const char *datadir,
			struct config *cfg, char *label, size_t len)
{
	const struct sweep_section *s = &sw->sec[pos->sec];
	const unsigned *idx = pos->idx;
	char err[512];
	size_t used = 0;

	options_defaults(cfg);
	if (datadir)
		cfg->dir = datadir;
	cfg->quiet = true;
	label[0] = '\0';
	for (unsigned i = 0; i < s->naxes; i++) {
		const struct sweep_axis *a = &s->axes[i];

		options_set(cfg, a->o, a->values[idx[i]], err, sizeof(err));
		cfg->given |= 1ULL << (a->o - options);
		if ((a->n > 1 || (pos->sec && a->own)) && used < len)
			used += (size_t)snprintf(label + used, len - used, "%s%s=%s", used ? " " : "",
						 a->o->name, a->values[idx[i]]);
	}
}

/* Advance the odometer, then into the next section; false after the last
 * point of the last section. */
static bool sweep_next(const struct sweep *sw, struct sweep_pos *pos)
{
	const struct sweep_section *s = &sw->sec[pos->sec];

	for (int i = (int)s->naxes - 1; i >= 0; i--) {
		if (++pos->idx[i] < s->axes[i].n)
			return true;
		pos->idx[i] = 0;
	}
	return ++pos->sec < sw->nsec;
}

/* Why a point cannot run, or NULL; the reason is written into why. */
static const char *sweep_unfit(const struct config *cfg, char *why, size_t len)
{
	struct stat st;
	uint64_t avail;
	char a[32];

	if (options_validate(cfg, why, len))
		return why;
	if (stat(cfg->dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(why, len, "data directory '%s' does not exist", cfg->dir);
		return why;
	}
	if (cfg->cache == CACHE_COLD && datafile_in_memory(cfg->dir)) {
		snprintf(why, len, "'%s' is on %s, where nothing can be cold", cfg->dir,
			 datafile_in_memory(cfg->dir));
		return why;
	}
	/* A limit this machine must refuse (a balloon below its margin). */
	if (cfg->mem_limit && memlimit_check(cfg->mem_limit, why, len))
		return why;
	/* Free space caps the file size (full.sweep reaches past RAM). */
	if (!datafile_free_space(cfg->dir, &avail) && cfg->size + DATAFILE_SPARE > avail) {
		snprintf(why, len, "a %s file does not fit in the free space of '%s'",
			 parse_format_size(cfg->size, a, sizeof(a)), cfg->dir);
		return why;
	}
	return NULL;
}

/* Make results/<host>-<UTC time>[-N]/, never reusing an existing folder. */
static int sweep_make_folder(const char *out, const char *host, char *dir, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	char stamp[32];

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	if (mkdir(out, 0755) && errno != EEXIST)
		return -errno;
	for (int n = 1; n < 100; n++) {
		if (n == 1)
			snprintf(dir, len, "%s/%s-%s", out, host, stamp);
		else
			snprintf(dir, len, "%s/%s-%s-%d", out, host, stamp, n);
		if (!mkdir(dir, 0755))
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

static int sweep_copy_file(const char *from, const char *to)
{
	char buf[8192];
	size_t n;
	FILE *in = fopen(from, "re"), *out = in ? fopen(to, "we") : NULL;
	int err = 0;

	if (!in || !out)
		err = -errno;
	while (!err && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			err = -EIO;
	if (in)
		fclose(in);
	if (out && fclose(out) && !err)
		err = -EIO;
	return err;
}

#define SWEEP_MAX_CMDS 4
#define SWEEP_MAX_FILES 64
#define SWEEP_MAX_ARGS (2 * SWEEP_MAX_AXES + 12)

/* A command the processes of a sweep run, and where its rows go. */
struct sweep_cmd {
	const char *name;
	const char *cmd; /* NULL: this mmbench */
	char csv[4200];
};

/* The data files a process-mode sweep shares among its processes: one per
 * file size and seed, created once, removed at exit. */
struct sweep_files {
	struct datafile df[SWEEP_MAX_FILES];
	unsigned n;
};

/* The shared pattern file for cfg's size and seed, created on first use. */
static const char *sweep_shared_file(struct sweep_files *f, const struct config *cfg, int *err)
{
	for (unsigned i = 0; i < f->n; i++)
		if (f->df[i].size == cfg->size && f->df[i].seed == cfg->seed)
			return f->df[i].path;
	if (f->n == SWEEP_MAX_FILES) {
		*err = -ENOSPC;
		return NULL;
	}
	*err = datafile_create(&f->df[f->n], cfg->dir, cfg->size, cfg->seed, true);
	if (*err)
		return NULL;
	/* Start every process from the same written-out state. */
	if (fsync(f->df[f->n].fd))
		*err = -errno;
	return *err ? NULL : f->df[f->n++].path;
}

/* The command line of the point at idx, "mmbench run" and every suite key
 * but procs, into argv (NULL-terminated).  With file, the size is the
 * file's and the rows go to csv; returns the count. */
static int sweep_run_args(const struct sweep *sw, const struct sweep_pos *pos,
			  const struct config *cfg, const char *file, const char *csv, char **argv)
{
	const struct sweep_section *s = &sw->sec[pos->sec];
	const unsigned *idx = pos->idx;
	static const char *const tail[] = { "--quiet", NULL };
	int n = 0;

	argv[n++] = (char *)"mmbench";
	argv[n++] = (char *)"run";
	for (unsigned i = 0; i < s->naxes; i++) {
		const struct option_def *o = s->axes[i].o;

		if (o->flags & OPTF_SWEEP_ONLY || (file && !strcmp(o->name, "size")))
			continue;
		/* a flag key is 0 or 1: the flag, or nothing */
		if (o->type == OPT_FLAG) {
			if (!strcmp(s->axes[i].values[idx[i]], "1"))
				argv[n++] = (char *)s->axes[i].flag;
			continue;
		}
		argv[n++] = (char *)s->axes[i].flag;
		argv[n++] = s->axes[i].values[idx[i]];
	}
	if (file) {
		argv[n++] = (char *)"--file";
		argv[n++] = (char *)file;
		argv[n++] = (char *)"--csv";
		argv[n++] = (char *)csv;
		/* the sweep made the file: a writing workload may change it,
		 * and restores it */
		for (unsigned w = 0; w < cfg->nworkloads; w++) {
			if (cfg->workloads[w]->flags & WORKLOAD_WRITES) {
				argv[n++] = (char *)"--allow-write";
				break;
			}
		}
		for (int t = 0; tail[t]; t++)
			argv[n++] = (char *)tail[t];
	} else if (cfg->dir && strcmp(cfg->dir, "/var/tmp")) {
		argv[n++] = (char *)"--dir";
		argv[n++] = (char *)cfg->dir;
	}
	argv[n] = NULL;
	return n;
}

/* Print argv as one shell-quoted line. */
static void sweep_print_args(FILE *f, const char *prog, char *const *argv)
{
	fputs(prog, f);
	for (int i = 0; argv[i]; i++) {
		if (strpbrk(argv[i], " \t'\"$\\;&|<>*?()`!#~") || !*argv[i]) {
			fputs(" '", f);
			for (const char *c = argv[i]; *c; c++)
				fputs(*c == '\'' ? "'\\''" : (char[]){ *c, 0 }, f);
			fputc('\'', f);
		} else {
			fprintf(f, " %s", argv[i]);
		}
	}
	fputc('\n', f);
}

/* Run argv (argv[0] "mmbench") in a fresh process: this mmbench (self), or
 * cmd through the shell, so a wrapper with arguments of its own works.  Its
 * stdout and stderr go to the log.  Returns its exit status, 128 + signal
 * when one ended it, or -errno when it could not start. */
static int sweep_spawn(const char *self, const char *cmd, char **argv, FILE *log)
{
	char *shargv[SWEEP_MAX_ARGS + 4];
	char script[4200];
	int status, n = 0;
	pid_t pid;

	snprintf(script, sizeof(script), "exec %s \"$@\"", cmd ? cmd : "");
	shargv[n++] = (char *)"sh";
	shargv[n++] = (char *)"-c";
	shargv[n++] = script;
	for (int i = 0; argv[i]; i++) /* argv[0] becomes the script's $0 */
		shargv[n++] = argv[i];
	shargv[n] = NULL;
	fflush(log);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(fileno(log), STDOUT_FILENO);
		dup2(fileno(log), STDERR_FILENO);
		if (cmd)
			execv("/bin/sh", shargv);
		else
			execv(self, argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* A runnable point of the suite, for process mode. */
struct sweep_step {
	struct sweep_pos pos;
	unsigned cmd;
};

/* Process mode: rounds x points x commands, each a fresh process, in a new
 * shuffled order every round.  Returns 0 or EXIT_RUNTIME. */
static int sweep_rounds(const struct sweep *s, const struct sweep_step *steps, size_t nsteps,
			const struct sweep_cmd *cmds, unsigned ncmds, uint64_t procs,
			const char *datadir, FILE *log, struct progress *progress, bool quiet,
			unsigned *failures)
{
	struct sweep_files files = { .n = 0 };
	char self[4096], label[512], what[600];
	char *argv[SWEEP_MAX_ARGS];
	uint64_t seed = 0;
	struct rng rng;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	size_t *order, npoints, start;
	int status = 0;

	if (len <= 0) {
		error_msg("cannot find this mmbench in /proc/self/exe: %s", strerror(errno));
		return EXIT_RUNTIME;
	}
	self[len] = '\0';
	/* seeded from the kernel: the order must differ between sweeps */
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	rng_seed(&rng, seed);
	npoints = nsteps / ncmds;
	order = malloc((npoints + 1) * sizeof(*order));
	if (!order) {
		error_msg("out of memory");
		return EXIT_RUNTIME;
	}
	for (size_t i = 0; i < npoints; i++)
		order[i] = i;
	start = rng_below(&rng, ncmds);
	for (uint64_t round = 1; round <= procs; round++) {
		/* the configurations in a new random order (Fisher-Yates); each
		 * configuration's commands back to back, so drift hits them
		 * alike, led by each command in turn, so that whatever the first
		 * of two processes suffers cancels over the rounds (a measured
		 * A/A gate once had the same build first in 9 rounds of 12, and
		 * called it 18% slower) */
		rng_shuffle(order, npoints, &rng);
		for (size_t k = 0; k < nsteps; k++) {
			size_t step = order[k / ncmds] * ncmds + (k % ncmds + start + round) % ncmds;
			const struct sweep_cmd *c = &cmds[steps[step].cmd];
			const char *file;
			struct config cfg;
			int err = 0, st;

			sweep_point(s, &steps[step].pos, datadir, &cfg, label, sizeof(label));
			file = sweep_shared_file(&files, &cfg, &err);
			if (!file) {
				error_msg("cannot create a data file in '%s': %s", cfg.dir,
					  datafile_strerror(err));
				status = EXIT_RUNTIME;
				goto out;
			}
			sweep_run_args(s, &steps[step].pos, &cfg, file, c->csv, argv);
			snprintf(what, sizeof(what), "round %llu/%llu %s%s%s", (unsigned long long)round,
				 (unsigned long long)procs, c->name, label[0] ? " " : "", label);
			progress_show(progress, what);
			fprintf(log, "process: %s: ", what);
			sweep_print_args(log, c->cmd ? c->cmd : self, argv + 1);
			st = sweep_spawn(self, c->cmd, argv, log);
			progress_step(progress);
			if (st == 128 + SIGINT || st == 128 + SIGTERM || st == 128 + SIGHUP) {
				fprintf(log, "interrupted: %s\n", what);
				status = st;
				goto out;
			}
			if (st) {
				(*failures)++;
				status = EXIT_RUNTIME;
				fprintf(log, "failed: %s: exit status %d\n", what, st);
				if (!quiet) {
					progress_clear(progress);
					error_msg("failed: %s: exit status %d (see the log)", what, st);
				}
			}
		}
	}
out:
	for (unsigned i = 0; i < files.n; i++)
		datafile_close(&files.df[i]);
	free(order);
	return status;
}

/* The --cmd options given, in order. */
struct sweep_cmds {
	struct sweep_cmd cmd[SWEEP_MAX_CMDS];
	unsigned n;
};

/* Parse "[NAME=]COMMAND", the next --cmd; a bare COMMAND is named base, then
 * head. */
static int sweep_parse_cmd(const char *arg, void *value)
{
	static const char *const names[] = { "base", "head", "cmd3", "cmd4" };
	static char names_buf[SWEEP_MAX_CMDS][64];
	struct sweep_cmds *cmds = value;
	struct sweep_cmd *c = &cmds->cmd[cmds->n];
	const char *eq = strchr(arg, '=');
	size_t nlen = eq ? (size_t)(eq - arg) : 0;

	if (cmds->n == SWEEP_MAX_CMDS)
		return -EINVAL;
	if (eq && nlen && strspn(arg, "abcdefghijklmnopqrstuvwxyz0123456789_-") == nlen) {
		snprintf(names_buf[cmds->n], sizeof(names_buf[cmds->n]), "%.*s", (int)nlen, arg);
		c->name = names_buf[cmds->n];
		c->cmd = eq + 1;
	} else {
		c->name = names[cmds->n];
		c->cmd = arg;
	}
	if (!*c->cmd)
		return -EINVAL;
	for (unsigned b = 0; b < cmds->n; b++)
		if (!strcmp(c->name, cmds->cmd[b].name))
			return -EINVAL;
	cmds->n++;
	return 0;
}

static int sweep_main(int argc, char **argv)
{
	const char *suite, *out = "results", *datadir = NULL;
	bool quiet = false, dry_run = false;
	struct sweep *sw = NULL;
	struct sweep_pos pos = { 0 };
	unsigned long long steps = 0, points = 0, skipped = 0;
	char dir[4096], path[4200], note[4200], label[512], why[512], run_id[64];
	struct sweep_cmds given_cmds = { .n = 0 };
	struct sweep_cmd *cmds = given_cmds.cmd;
	unsigned ncmds;
	struct sweep_step *schedule = NULL;
	size_t nscheduled = 0;
	uint64_t procs = 0;
	struct config cfg, flags;
	struct sysinfo si;
	struct progress progress;
	struct run_ctx rc = { .si = &si, .run_id = run_id, .csv_fd = -1 };
	const struct cli_option opts[] = {
		CLI_OPT_STRING("out", "DIR", &out, "results parent folder [results]"),
		CLI_OPT_STRING("dir", "DATADIR", &datadir,
			       "where the temporary data files go [/var/tmp]"),
		CLI_OPT_RUN("procs", &flags),
		{ .type = CLI_CALLBACK, .name = "cmd", .metavar = "[NAME=]COMMAND",
		  .value = &given_cmds, .parse = sweep_parse_cmd, .flags = CLIF_REPEAT,
		  .hint = "a command, NAME=COMMAND naming it, each name once, at most 4",
		  .help = "what each process runs instead of this mmbench (up to 4)" },
		CLI_OPT_FLAG("dry-run", &dry_run,
			     "print the mmbench run arguments of every configuration"),
		CLI_OPT_FLAG("quiet", &quiet, "no progress on stderr"),
		CLI_OPT_END,
	};
	int status = 0, err;
	FILE *log = NULL;

	options_defaults(&flags);
	status = cli_parse(&sweep_command, opts, argc, argv, &suite, NULL);
	if (status)
		return status;
	/* bench/quick.sweep from anywhere: the installed (or the clone's) suites */
	suite = paths_data_file(suite);
	ncmds = given_cmds.n;
	if (!ncmds)
		cmds[0] = (struct sweep_cmd){ "results", NULL, "" };
	sw = calloc(1, sizeof(*sw)); /* large: sections of axes */
	if (!sw) {
		error_msg("out of memory");
		return EXIT_RUNTIME;
	}
	status = sweep_parse(sw, suite);
	if (status)
		goto out_free;
	/* First pass: count what will run, so progress has a total; in
	 * process mode also keep the runnable points. */
	do {
		sweep_point(sw, &pos, datadir, &cfg, label, sizeof(label));
		points++;
		if (points == 1)
			procs = flags.given >> (options_find("procs") - options) & 1 ? flags.procs
										     : cfg.procs;
		if (sweep_unfit(&cfg, why, sizeof(why)))
			continue;
		steps += run_steps(&cfg);
		if (dry_run) {
			char *args[SWEEP_MAX_ARGS];

			sweep_run_args(sw, &pos, &cfg, NULL, NULL, args);
			sweep_print_args(stdout, "mmbench", args + 1);
		}
	} while (sweep_next(sw, &pos));
	if (!steps) {
		error_msg("%s: no configuration can run (the last: %s%s%s)", suite, label,
			  label[0] ? ": " : "", why);
		status = EXIT_USAGE;
		goto out_free;
	}
	if (ncmds && !procs)
		procs = 1; /* a command always runs in processes of its own */
	if (!ncmds)
		ncmds = 1;
	if (dry_run) {
		if (procs)
			printf("# %llu round%s, each configuration once per command a round, in "
			       "fresh processes\n",
			       (unsigned long long)procs, procs == 1 ? "" : "s");
		goto out_free;
	}
	if (datadir && access(datadir, W_OK)) {
		error_msg("cannot write to --dir '%s': %s", datadir, strerror(errno));
		status = EXIT_USAGE;
		goto out_free;
	}

	sysinfo_collect(&si, datadir ? datadir : cfg.dir);
	sysinfo_probe_folios(&si, datadir ? datadir : cfg.dir);
	err = sweep_make_folder(out, si.host, dir, sizeof(dir));
	if (err) {
		error_msg("cannot create a results folder in '%s': %s", out, strerror(-err));
		status = EXIT_RUNTIME;
		goto out_free;
	}
	snprintf(path, sizeof(path), "%s/sysinfo.json", dir);
	log = fopen(path, "we");
	if (log) {
		sysinfo_print_json(&si, log);
		fclose(log);
	}
	snprintf(path, sizeof(path), "%s/suite.sweep", dir);
	sweep_copy_file(suite, path);
	snprintf(path, sizeof(path), "%s/log", dir);
	log = fopen(path, "we");
	for (unsigned c = 0; c < ncmds; c++)
		snprintf(cmds[c].csv, sizeof(cmds[c].csv), "%s/%s.csv", dir, cmds[c].name);
	if (!procs && rowcsv_open(cmds[0].csv, &rc.csv_fd))
		rc.csv_fd = -1;
	if (!log || (!procs && rc.csv_fd < 0)) {
		error_msg("cannot write in '%s'", dir);
		status = EXIT_RUNTIME;
		goto out_close;
	}
	run_make_id(run_id, sizeof(run_id));
	rc.log = log;
	/* A log that stops without its "done:" line says why. */
	setvbuf(log, NULL, _IOLBF, 0);
	snprintf(note, sizeof(note), "the sweep stopped before its end; the rows in '%s' so far "
		 "are complete", dir);
	cleanup_note_interrupt(fileno(log), note);
	if (procs) {
		/* every process runs its configuration's measurements */
		schedule = calloc((size_t)points * ncmds + 1, sizeof(*schedule));
		if (!schedule) {
			error_msg("out of memory");
			status = EXIT_RUNTIME;
			goto out_close;
		}
	}
	progress_init(&progress, procs ? 0 : steps, !quiet && isatty(STDERR_FILENO));
	rc.progress = &progress;
	if (!quiet && !procs)
		error_msg("sweep '%s': %llu configurations, %llu measurements, into %s", suite,
			  points, steps, dir);
	memset(&pos, 0, sizeof(pos));
	do {
		int st;

		sweep_point(sw, &pos, datadir, &cfg, label, sizeof(label));
		if (sweep_unfit(&cfg, why, sizeof(why))) {
			skipped++;
			fprintf(log, "skipped: %s: %s\n", label, why);
			if (!quiet) {
				progress_clear(&progress);
				error_msg("skipped: %s: %s", label, why);
			}
			continue;
		}
		if (procs) {
			for (unsigned c = 0; c < ncmds; c++) {
				schedule[nscheduled].pos = pos;
				schedule[nscheduled++].cmd = c;
			}
			continue;
		}
		rc.label = label;
		fprintf(log, "config: %s\n", label);
		fflush(log);
		st = run_config(&cfg, &rc);
		if (st && !status)
			status = st == EXIT_USAGE ? EXIT_RUNTIME : st;
	} while (sweep_next(sw, &pos));
	memlimit_remove();
	if (procs) {
		progress.total = procs * nscheduled;
		if (!quiet)
			error_msg("sweep '%s': %zu configurations x %u command%s x %llu rounds = "
				  "%llu processes, into %s",
				  suite, nscheduled / ncmds, ncmds, ncmds == 1 ? "" : "s",
				  (unsigned long long)procs, (unsigned long long)procs * nscheduled, dir);
		status = sweep_rounds(sw, schedule, nscheduled, cmds, ncmds, procs, datadir, log, &progress,
				      quiet, &rc.failures);
		progress_clear(&progress);
		fprintf(log, "done: %llu rounds, %llu configurations skipped, %u processes failed\n",
			(unsigned long long)procs, skipped, rc.failures);
		if (!quiet)
			error_msg("%llu rounds, %llu configurations skipped, %u processes failed%s",
				  (unsigned long long)procs, skipped, rc.failures,
				  status > 128 ? ", interrupted" : "");
		printf("%s\n", dir);
		goto out_close;
	}
	progress_clear(&progress);
	if (rc.unverified && !status)
		status = EXIT_RUNTIME;
	fprintf(log, "done: %u rows, %llu configurations skipped, %u steps failed, %u rows unverified\n",
		rc.rows, skipped, rc.failures, rc.unverified);
	if (!quiet)
		error_msg("%u rows, %llu configurations skipped, %u steps failed, %u rows unverified",
			  rc.rows, skipped, rc.failures, rc.unverified);
	printf("%s\n", dir);
out_close:
	cleanup_note_interrupt(-1, NULL);
	if (log)
		fclose(log);
	if (rc.csv_fd >= 0)
		close(rc.csv_fd);
out_free:
	free(schedule);
	if (sw)
		free(sw->text);
	free(sw);
	return status;
}

const struct cli_command sweep_command = {
	.name = "sweep",
	.args = "SUITE [--out DIR] [--dir DATADIR] [--procs N] [--cmd [NAME=]COMMAND]...",
	.summary = "run a parameter suite into a results folder",
	.about = "Run every combination of the suite's parameter lists and write\n"
		 "DIR/<host>-<UTC time>/ (default DIR: results) holding results.csv,\n"
		 "sysinfo.json, the suite as it ran, and a log of skipped or failed steps.\n"
		 "DATADIR (default /var/tmp) holds the temporary data files.\n\n"
		 "--procs N (suite key procs): run every configuration in N fresh processes,\n"
		 "in shuffled rounds (each configuration once per round, in a new random\n"
		 "order), on data files shared by all of them: the process is the unit of\n"
		 "replication, and drift hits every configuration alike.\n"
		 "--cmd [NAME=]COMMAND (up to 4): what each process runs, instead of this\n"
		 "mmbench; any command that behaves like `mmbench run` (a binary, a wrapper\n"
		 "script).  With several, every round runs each configuration with each\n"
		 "command back to back, each command leading in turn, the configurations\n"
		 "in a new random order; NAME.csv holds each command's rows:\n"
		 "`mmbench compare base.csv head.csv --paired` then pairs them round by round.\n"
		 "--dry-run: print the `mmbench run` arguments of every configuration.\n",
	.main = sweep_main,
	.min_args = 1,
	.max_args = 1,
};
