#include "suite/sweep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis/pairs.h"
#include "analysis/verdict.h"
#include "cli/options.h"
#include "core/config.h"
#include "core/workload.h"
#include "measure/run.h"
#include "results/row.h"
#include "results/rowcsv.h"
#include "results/seriescsv.h"
#include "results/table.h"
#include "sys/cleanup.h"
#include "sys/datafile.h"
#include "sys/memlimit.h"
#include "sys/sysinfo.h"
#include "util/clock.h"
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

#define SWEEP_MAX_FILES 64

/* The data files a sweep shares among its configurations (and, in process
 * mode, its processes): one per file size and seed, created once, fsynced,
 * removed at exit. */
struct sweep_files {
	struct datafile df[SWEEP_MAX_FILES];
	unsigned n;
};

struct sweep {
	struct sweep_files files; /* in-process sweeps' */
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
		cfg->given |= 1ULL << options_index(a->o);
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

#define SWEEP_MAX_ARGS (2 * SWEEP_MAX_AXES + 12)

/* Whether cfg runs on a data file the sweep makes: not a replay, which
 * runs on its trace's files, nor a run of --nrfiles. */
static bool sweep_uses_file(const struct config *cfg)
{
	if (cfg->nrfiles > 1)
		return false; /* its own files, one per process */
	for (unsigned w = 0; w < cfg->nworkloads; w++)
		if (cfg->workloads[w]->open_files)
			return false;
	return true;
}

/* The shared pattern file for cfg's size and seed, created on first use
 * (and logged, when log is not NULL). */
static const char *sweep_shared_file(struct sweep_files *f, const struct config *cfg, FILE *log,
				     int *err)
{
	char size[32];

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
	if (!*err && log)
		fprintf(log, "data file: %s (%s, seed %llu), shared by every configuration of "
			"that size and seed\n", f->df[f->n].path,
			parse_format_size(cfg->size, size, sizeof(size)), (unsigned long long)cfg->seed);
	return *err ? NULL : f->df[f->n++].path;
}

/* The command line of the point at idx, "mmbench run" and every suite key
 * but procs, into argv (NULL-terminated).  With file, the size is the
 * file's; with csv, the rows go there (a process of the sweep's: quiet);
 * returns the count. */
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
		/* the sweep made the file: a writing workload may change it,
		 * and restores it */
		for (unsigned w = 0; w < cfg->nworkloads; w++) {
			if (cfg->workloads[w]->flags & WORKLOAD_WRITES) {
				argv[n++] = (char *)"--allow-write";
				break;
			}
		}
	}
	if (csv) {
		argv[n++] = (char *)"--csv";
		argv[n++] = (char *)csv;
		for (int t = 0; tail[t]; t++)
			argv[n++] = (char *)tail[t];
	}
	if (!file && cfg->dir && strcmp(cfg->dir, "/var/tmp")) {
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
	char *shargv[SWEEP_MAX_ARGS + 8];
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

/* What process mode keeps of a step while it runs: its processes (run_id
 * as each wrote it), how long the last one took, and the workloads whose
 * verdict settling wants more of (comma-separated; "" none). */
struct sweep_trace {
	char (*run_ids)[64];
	unsigned nruns, room;
	double secs;
	char unsure[256];
};

/* What every process of a process-mode sweep shares. */
struct sweep_procs {
	const struct sweep *s;
	const struct sweep_step *steps;
	struct sweep_trace *trace;
	const struct sweep_cmd *cmds;
	const char *datadir;
	struct sweep_files files;
	char self[4096];
	FILE *log;
	struct progress *progress;
	bool quiet;
	unsigned *failures;
};

/* The run_id of the first row written at or after offset of csv (past the
 * header when offset is 0) into id; false when nothing was written. */
static bool sweep_written_run_id(const char *csv, long offset, char *id, size_t len)
{
	FILE *f = fopen(csv, "re");
	char *line = NULL;
	size_t room = 0;
	bool ok = false;

	if (!f)
		return false;
	if (!fseek(f, offset, SEEK_SET) && (offset || getline(&line, &room, f) > 0) &&
	    getline(&line, &room, f) > 0) {
		line[strcspn(line, ",\n")] = '\0';
		ok = line[0] && snprintf(id, len, "%s", line) < (int)len;
	}
	free(line);
	fclose(f);
	return ok;
}

/* Replace the value of flag in argv (n arguments), or append the flag and
 * value when it is not there. */
static void sweep_override(char **argv, int *n, const char *flag, char *value)
{
	for (int i = 0; i + 1 < *n; i++) {
		if (!strcmp(argv[i], flag)) {
			argv[i + 1] = value;
			return;
		}
	}
	argv[(*n)++] = (char *)flag;
	argv[(*n)++] = value;
	argv[*n] = NULL;
}

/* Run step k in a fresh process (what: "round 2/3", for progress and the
 * log), only backends and workloads when they are not NULL, and keep its
 * run_id.  0, 1 when the process failed, or its status when a signal
 * interrupted it or EXIT_RUNTIME when no data file could be made. */
static int sweep_spawn_step(struct sweep_procs *sp, size_t k, const char *round, char *backends,
			    char *workloads)
{
	const struct sweep_step *step = &sp->steps[k];
	const struct sweep_cmd *c = &sp->cmds[step->cmd];
	struct sweep_trace *tr = &sp->trace[k];
	char *argv[SWEEP_MAX_ARGS + 4], label[512], what[600];
	const char *file;
	struct config cfg;
	struct stat st;
	uint64_t t0;
	long before;
	int err = 0, n, rc;

	sweep_point(sp->s, &step->pos, sp->datadir, &cfg, label, sizeof(label));
	file = sweep_uses_file(&cfg) ? sweep_shared_file(&sp->files, &cfg, sp->log, &err) : NULL;
	if (!file && err) {
		error_msg("cannot create a data file in '%s': %s", cfg.dir, datafile_strerror(err));
		return EXIT_RUNTIME;
	}
	n = sweep_run_args(sp->s, &step->pos, &cfg, file, c->csv, argv);
	if (backends)
		sweep_override(argv, &n, "--backend", backends);
	if (workloads)
		sweep_override(argv, &n, "--workload", workloads);
	snprintf(what, sizeof(what), "%s %s%s%s", round, c->name, label[0] ? " " : "", label);
	progress_show(sp->progress, what);
	fprintf(sp->log, "process: %s: ", what);
	sweep_print_args(sp->log, c->cmd ? c->cmd : sp->self, argv + 1);
	before = stat(c->csv, &st) ? 0 : (long)st.st_size;
	t0 = clock_now_ns();
	rc = sweep_spawn(sp->self, c->cmd, argv, sp->log);
	tr->secs = (double)(clock_now_ns() - t0) / 1e9;
	progress_step(sp->progress);
	if (tr->nruns == tr->room) {
		unsigned room = tr->room ? 2 * tr->room : 8;
		char(*ids)[64] = realloc(tr->run_ids, room * sizeof(*ids));

		if (ids) {
			tr->run_ids = ids;
			tr->room = room;
		}
	}
	if (tr->nruns < tr->room &&
	    sweep_written_run_id(c->csv, before, tr->run_ids[tr->nruns], sizeof(tr->run_ids[0])))
		tr->nruns++;
	if (rc == 128 + SIGINT || rc == 128 + SIGTERM || rc == 128 + SIGHUP) {
		fprintf(sp->log, "interrupted: %s\n", what);
		return rc;
	}
	if (rc) {
		(*sp->failures)++;
		fprintf(sp->log, "failed: %s: exit status %d\n", what, rc);
		if (!sp->quiet) {
			progress_clear(sp->progress);
			error_msg("failed: %s: exit status %d (see the log)", what, rc);
		}
		return 1;
	}
	return 0;
}

/* The pair settling decides on. */
#define SWEEP_SETTLE_A "mmap"
#define SWEEP_SETTLE_B "read"

/* Judge every step's processes so far by the one rule (verdict.h): each
 * workload whose mmap/read verdict is not decided at VERDICT_LEVEL, and
 * that more processes would likely decide (verdict_units_to_settle), goes
 * into the step's unsure list, logged with the estimate.  Returns the
 * number of steps with an unsure workload, or -errno. */
static int sweep_judge(struct sweep_procs *sp, size_t nsteps)
{
	struct table t;
	struct pairs_cols pc;
	size_t *rows = NULL, *sub = NULL, *scratch = NULL;
	struct verdict_pair *pairs = NULL;
	int wl, err, unsure = 0;

	err = table_open(&t, sp->cmds[0].csv);
	if (err)
		return err > 0 ? -EINVAL : err;
	pairs_columns(&t, &pc);
	wl = table_col(&t, "workload");
	rows = malloc((t.nrows + 1) * sizeof(*rows));
	sub = malloc((t.nrows + 1) * sizeof(*sub));
	scratch = malloc((t.nrows + 1) * sizeof(*scratch));
	pairs = malloc((t.nrows + 1) * sizeof(*pairs));
	if (!rows || !sub || !scratch || !pairs || wl < 0 || pc.run_id < 0) {
		err = wl < 0 || pc.run_id < 0 ? -EINVAL : -ENOMEM;
		goto out;
	}
	for (size_t k = 0; k < nsteps; k++) {
		struct sweep_trace *tr = &sp->trace[k];
		struct config cfg;
		char label[512];
		size_t n = 0;

		tr->unsure[0] = '\0';
		sweep_point(sp->s, &sp->steps[k].pos, sp->datadir, &cfg, label, sizeof(label));
		for (size_t r = 0; r < t.nrows; r++)
			for (unsigned i = 0; i < tr->nruns; i++)
				if (!strcmp(table_cell(&t, r, pc.run_id), tr->run_ids[i])) {
					rows[n++] = r;
					break;
				}
		/* one verdict per workload: the step's other parameters are one */
		for (size_t i = 0; i < n; i++) {
			const char *w = table_cell(&t, rows[i], wl);
			size_t m = 0, np;
			struct verdict v;
			double need;
			bool seen = false;

			for (size_t j = 0; j < i && !seen; j++)
				seen = !strcmp(table_cell(&t, rows[j], wl), w);
			if (seen)
				continue;
			for (size_t j = i; j < n; j++)
				if (!strcmp(table_cell(&t, rows[j], wl), w))
					sub[m++] = rows[j];
			np = pairs_collect(&t, &pc, sub, m, SWEEP_SETTLE_A, SWEEP_SETTLE_B, pairs, scratch);
			if (!np || verdict_decide(pairs, np, &v))
				continue;
			need = verdict_units_to_settle(&v);
			if (!(need > (double)v.units) || isinf(need))
				continue;
			fprintf(sp->log, "unsure: %s%s%s: %s/%s %.2fx [%.2f, %.2f] at %.0f%% over %zu "
				"processes; about %.0f more would likely settle it\n",
				label, label[0] ? " " : "", w, SWEEP_SETTLE_A,
				SWEEP_SETTLE_B, v.ratio, v.lo, v.hi, 100 * v.coverage, v.units,
				need - (double)v.units);
			if (strlen(tr->unsure) + strlen(w) + 2 < sizeof(tr->unsure))
				snprintf(tr->unsure + strlen(tr->unsure),
					 sizeof(tr->unsure) - strlen(tr->unsure), "%s%s",
					 tr->unsure[0] ? "," : "", w);
		}
		unsure += tr->unsure[0] != '\0';
	}
out:
	free(rows);
	free(sub);
	free(scratch);
	free(pairs);
	table_free(&t);
	return err ? err : unsure;
}

/* Settling, after the first rounds (Chromium Pinpoint's habit): while
 * budget seconds last, judge every step, and give one more process, of
 * mmap and read in its unsure workloads only, to each step whose verdict
 * is unsure and would likely settle; each round in a new random order, a
 * process not started when it would overrun the budget (its estimate: the
 * step's last process).  Returns 0, 1 when a process failed, or the status
 * that stops the sweep. */
static int sweep_settle(struct sweep_procs *sp, size_t nsteps, uint64_t procs, uint64_t budget,
			struct rng *rng)
{
	uint64_t t0 = clock_now_ns();
	size_t *order = malloc((nsteps + 1) * sizeof(*order));
	char backends[] = SWEEP_SETTLE_A "," SWEEP_SETTLE_B, round[64];
	unsigned rounds = 0, processes = 0;
	int status = 0, unsure = 0;

	if (!order)
		return EXIT_RUNTIME;
	for (;;) {
		size_t n = 0, ran = 0;

		unsure = sweep_judge(sp, nsteps);
		if (unsure < 0) {
			fprintf(sp->log, "settle: cannot judge '%s': %s\n", sp->cmds[0].csv,
				strerror(-unsure));
			break;
		}
		if (!unsure)
			break;
		for (size_t k = 0; k < nsteps; k++)
			if (sp->trace[k].unsure[0])
				order[n++] = k;
		rng_shuffle(order, n, rng);
		snprintf(round, sizeof(round), "settle %u (round %llu)", rounds + 1,
			 (unsigned long long)procs + rounds + 1);
		sp->progress->total += n;
		for (size_t i = 0; i < n; i++) {
			struct sweep_trace *tr = &sp->trace[order[i]];
			double spent = (double)(clock_now_ns() - t0) / 1e9;
			int st;

			if (spent + tr->secs > (double)budget) {
				progress_step(sp->progress);
				continue;
			}
			st = sweep_spawn_step(sp, order[i], round, backends, tr->unsure);
			ran++;
			if (st == 1) {
				status = 1;
			} else if (st) {
				status = st;
				goto out;
			}
		}
		if (!ran)
			break;
		rounds++;
		processes += (unsigned)ran;
	}
out:
	fprintf(sp->log, "settled: %u more round%s, %u processes in %.0f s of %llu; %d "
		"configuration%s still unsure\n", rounds, rounds == 1 ? "" : "s", processes,
		(double)(clock_now_ns() - t0) / 1e9, (unsigned long long)budget, unsure > 0 ? unsure : 0,
		unsure == 1 ? "" : "s");
	free(order);
	return status;
}

/* Run one configuration in this process on the sweep's shared data file
 * for its size and seed, as a process of process mode does (--file, and
 * --allow-write for a writing workload: restored after each repetition):
 * the same size and seed is the same file, written once per sweep. */
static int sweep_run_here(struct sweep_files *files, struct config *cfg, struct run_ctx *rc)
{
	int err = 0;

	if (!sweep_uses_file(cfg))
		return run_config(cfg, rc);
	cfg->file = sweep_shared_file(files, cfg, rc->log, &err);
	if (!cfg->file) {
		error_msg("cannot create a data file in '%s': %s", cfg->dir, datafile_strerror(err));
		return EXIT_RUNTIME;
	}
	for (unsigned w = 0; w < cfg->nworkloads; w++)
		cfg->allow_write |= (cfg->workloads[w]->flags & WORKLOAD_WRITES) != 0;
	rc->file_ours = true;
	err = run_config(cfg, rc);
	rc->file_ours = false;
	return err;
}

/* Process mode: rounds x points x commands, each a fresh process, in a new
 * shuffled order every round; then, with settle seconds and one command,
 * settling rounds.  Returns 0 or EXIT_RUNTIME. */
static int sweep_rounds(const struct sweep *s, const struct sweep_step *steps, size_t nsteps,
			const struct sweep_cmd *cmds, unsigned ncmds, uint64_t procs, uint64_t settle,
			const char *datadir, FILE *log, struct progress *progress, bool quiet,
			unsigned *failures)
{
	struct sweep_procs sp = { .s = s, .steps = steps, .cmds = cmds, .datadir = datadir,
				  .log = log, .progress = progress, .quiet = quiet,
				  .failures = failures };
	char what[64];
	uint64_t seed = 0;
	struct rng rng;
	ssize_t len = readlink("/proc/self/exe", sp.self, sizeof(sp.self) - 1);
	size_t *order, npoints, start;
	int status = 0;

	if (len <= 0) {
		error_msg("cannot find this mmbench in /proc/self/exe: %s", strerror(errno));
		return EXIT_RUNTIME;
	}
	sp.self[len] = '\0';
	/* seeded from the kernel: the order must differ between sweeps */
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	rng_seed(&rng, seed);
	npoints = nsteps / ncmds;
	order = malloc((npoints + 1) * sizeof(*order));
	sp.trace = calloc(nsteps + 1, sizeof(*sp.trace));
	if (!order || !sp.trace) {
		error_msg("out of memory");
		status = EXIT_RUNTIME;
		goto out;
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
		snprintf(what, sizeof(what), "round %llu/%llu", (unsigned long long)round,
			 (unsigned long long)procs);
		for (size_t k = 0; k < nsteps; k++) {
			size_t step = order[k / ncmds] * ncmds + (k % ncmds + start + round) % ncmds;
			int st = sweep_spawn_step(&sp, step, what, NULL, NULL);

			if (st == 1) {
				status = EXIT_RUNTIME;
			} else if (st) {
				status = st;
				goto out;
			}
		}
	}
	/* settling judges backends of one command against each other; two
	 * commands are compare's business */
	if (settle && ncmds == 1) {
		int st = sweep_settle(&sp, nsteps, procs, settle, &rng);

		if (st)
			status = st == 1 ? EXIT_RUNTIME : st;
	} else if (settle) {
		fprintf(log, "settle: not with several commands (compare judges those)\n");
	}
out:
	for (unsigned i = 0; i < sp.files.n; i++)
		datafile_close(&sp.files.df[i]);
	for (size_t k = 0; sp.trace && k < nsteps; k++)
		free(sp.trace[k].run_ids);
	free(sp.trace);
	free(order);
	return status;
}

/* The --cmd options given, in order. */
int sweep_parse_cmd(const char *arg, void *value)
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

/* What one `mmbench sweep` holds from its command line to its summary. */
struct sweep_job {
	const char *suite, *out, *datadir; /* the command line */
	bool quiet, dry_run;
	struct config flags;		   /* --procs */
	struct sweep_cmds given;	   /* --cmd, or the one "results" */
	struct sweep *sw;		   /* the suite, parsed */
	unsigned ncmds;			   /* commands a point runs with; 1 without --cmd */
	uint64_t procs;			   /* rounds of fresh processes; 0: in this one */
	uint64_t settle;		   /* seconds of settling rounds after them */
	unsigned long long points, steps, skipped;
	const char *cfg_dir;		   /* the data folder of the configurations */
	struct sweep_step *schedule;	   /* process mode: the runnable points */
	size_t nscheduled;
	char dir[4096];			   /* the results folder */
	char series[4200];		   /* its series.csv (--interval) */
	char run_id[64];
	struct sysinfo si;
	struct progress progress;
	struct run_ctx rc;
	FILE *log;
};

/* Parse the suite, and count what will run so progress has a total; with
 * --dry-run print each configuration's arguments.  0, or the exit status
 * after the message. */
static int sweep_count(struct sweep_job *j)
{
	struct sweep_pos pos = { 0 };
	char label[512], why[512];
	struct config cfg;
	int status;

	j->sw = calloc(1, sizeof(*j->sw)); /* large: sections of axes */
	if (!j->sw) {
		error_msg("out of memory");
		return EXIT_RUNTIME;
	}
	status = sweep_parse(j->sw, j->suite);
	if (status)
		return status;
	do {
		sweep_point(j->sw, &pos, j->datadir, &cfg, label, sizeof(label));
		j->points++;
		if (j->points == 1)
			j->procs = j->flags.given >> options_index(options_find("procs")) & 1
					   ? j->flags.procs
					   : cfg.procs;
		if (j->points == 1)
			j->settle = j->flags.given >> options_index(options_find("settle")) & 1
					    ? j->flags.settle
					    : cfg.settle;
		j->cfg_dir = cfg.dir;
		if (sweep_unfit(&cfg, why, sizeof(why)))
			continue;
		j->steps += run_steps(&cfg);
		if (j->dry_run) {
			char *args[SWEEP_MAX_ARGS];

			sweep_run_args(j->sw, &pos, &cfg, NULL, NULL, args);
			sweep_print_args(stdout, "mmbench", args + 1);
		}
	} while (sweep_next(j->sw, &pos));
	if (!j->steps) {
		error_msg("%s: no configuration can run (the last: %s%s%s)", j->suite, label,
			  label[0] ? ": " : "", why);
		return EXIT_USAGE;
	}
	return 0;
}

/* Make the results folder with the machine's description, the suite as
 * it runs and the log, open the rows' file of an in-process sweep, and
 * leave a note in the log for an interruption.  0, or the exit status
 * after the message. */
static int sweep_open_folder(struct sweep_job *j)
{
	struct sweep_cmd *cmds = j->given.cmd;
	char path[4200], note[4200];
	FILE *f;
	int err;

	sysinfo_collect(&j->si, j->datadir ? j->datadir : j->cfg_dir);
	sysinfo_probe_folios(&j->si, j->datadir ? j->datadir : j->cfg_dir);
	err = sweep_make_folder(j->out, j->si.host, j->dir, sizeof(j->dir));
	if (err) {
		error_msg("cannot create a results folder in '%s': %s", j->out, strerror(-err));
		return EXIT_RUNTIME;
	}
	snprintf(path, sizeof(path), "%s/sysinfo.json", j->dir);
	f = fopen(path, "we");
	if (f) {
		sysinfo_print_json(&j->si, f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/suite.sweep", j->dir);
	sweep_copy_file(j->suite, path);
	snprintf(path, sizeof(path), "%s/log", j->dir);
	j->log = fopen(path, "we");
	for (unsigned c = 0; c < j->ncmds; c++)
		snprintf(cmds[c].csv, sizeof(cmds[c].csv), "%s/%s.csv", j->dir, cmds[c].name);
	if (!j->procs && rowcsv_open(cmds[0].csv, &j->rc.csv_fd))
		j->rc.csv_fd = -1;
	/* where the processes' --csv puts them too: series.csv */
	seriescsv_path(cmds[0].csv, j->series, sizeof(j->series));
	j->rc.series_path = j->series;
	if (!j->log || (!j->procs && j->rc.csv_fd < 0)) {
		error_msg("cannot write in '%s'", j->dir);
		return EXIT_RUNTIME;
	}
	run_make_id(j->run_id, sizeof(j->run_id));
	j->rc.log = j->log;
	/* A log that stops without its "done:" line says why. */
	setvbuf(j->log, NULL, _IOLBF, 0);
	snprintf(note, sizeof(note), "the sweep stopped before its end; the rows in '%s' so far "
		 "are complete", j->dir);
	cleanup_note_interrupt(fileno(j->log), note);
	return 0;
}

/* Whether the configuration at a point cannot run (said in the log and
 * on stderr, and counted). */
static bool sweep_skip(struct sweep_job *j, const struct config *cfg, const char *label)
{
	char why[512];

	if (!sweep_unfit(cfg, why, sizeof(why)))
		return false;
	j->skipped++;
	fprintf(j->log, "skipped: %s: %s\n", label, why);
	if (!j->quiet) {
		progress_clear(&j->progress);
		error_msg("skipped: %s: %s", label, why);
	}
	return true;
}

/* Process mode, the plan: every runnable point once per command, the
 * rounds' order drawn later.  0, or the exit status after the message. */
static int sweep_schedule(struct sweep_job *j)
{
	struct sweep_pos pos = { 0 };
	char label[512];
	struct config cfg;

	/* every process runs its configuration's measurements */
	j->schedule = calloc((size_t)j->points * j->ncmds + 1, sizeof(*j->schedule));
	if (!j->schedule) {
		error_msg("out of memory");
		return EXIT_RUNTIME;
	}
	progress_init(&j->progress, 0, !j->quiet && isatty(STDERR_FILENO));
	j->rc.progress = &j->progress;
	do {
		sweep_point(j->sw, &pos, j->datadir, &cfg, label, sizeof(label));
		if (sweep_skip(j, &cfg, label))
			continue;
		for (unsigned c = 0; c < j->ncmds; c++) {
			j->schedule[j->nscheduled].pos = pos;
			j->schedule[j->nscheduled++].cmd = c;
		}
	} while (sweep_next(j->sw, &pos));
	memlimit_remove();
	return 0;
}

/* Process mode, the run: the rounds of fresh processes, then the summary.
 * The exit status. */
static int sweep_process_rounds(struct sweep_job *j)
{
	int status;

	j->progress.total = j->procs * j->nscheduled;
	if (!j->quiet)
		error_msg("sweep '%s': %zu configurations x %u command%s x %llu rounds = "
			  "%llu processes, into %s",
			  j->suite, j->nscheduled / j->ncmds, j->ncmds, j->ncmds == 1 ? "" : "s",
			  (unsigned long long)j->procs, (unsigned long long)j->procs * j->nscheduled,
			  j->dir);
	status = sweep_rounds(j->sw, j->schedule, j->nscheduled, j->given.cmd, j->ncmds, j->procs,
			      j->settle, j->datadir, j->log, &j->progress, j->quiet, &j->rc.failures);
	progress_clear(&j->progress);
	fprintf(j->log, "done: %llu rounds, %llu configurations skipped, %u processes failed\n",
		(unsigned long long)j->procs, j->skipped, j->rc.failures);
	if (!j->quiet)
		error_msg("%llu rounds, %llu configurations skipped, %u processes failed%s",
			  (unsigned long long)j->procs, j->skipped, j->rc.failures,
			  status > 128 ? ", interrupted" : "");
	printf("%s\n", j->dir);
	return status;
}

/* In-process mode: every runnable point in this process, in suite order,
 * into one file, then the summary.  The exit status. */
static int sweep_in_process(struct sweep_job *j)
{
	struct sweep_pos pos = { 0 };
	char label[512];
	struct config cfg;
	int status = 0;

	progress_init(&j->progress, j->steps, !j->quiet && isatty(STDERR_FILENO));
	j->rc.progress = &j->progress;
	if (!j->quiet)
		error_msg("sweep '%s': %llu configurations, %llu measurements, into %s", j->suite,
			  j->points, j->steps, j->dir);
	do {
		int st;

		sweep_point(j->sw, &pos, j->datadir, &cfg, label, sizeof(label));
		if (sweep_skip(j, &cfg, label))
			continue;
		j->rc.label = label;
		fprintf(j->log, "config: %s\n", label);
		fflush(j->log);
		st = sweep_run_here(&j->sw->files, &cfg, &j->rc);
		if (st && !status)
			status = st == EXIT_USAGE ? EXIT_RUNTIME : st;
	} while (sweep_next(j->sw, &pos));
	memlimit_remove();
	progress_clear(&j->progress);
	if (j->rc.unverified && !status)
		status = EXIT_RUNTIME;
	fprintf(j->log, "done: %u rows, %llu configurations skipped, %u steps failed, %u rows unverified\n",
		j->rc.rows, j->skipped, j->rc.failures, j->rc.unverified);
	if (!j->quiet)
		error_msg("%u rows, %llu configurations skipped, %u steps failed, %u rows unverified",
			  j->rc.rows, j->skipped, j->rc.failures, j->rc.unverified);
	printf("%s\n", j->dir);
	return status;
}

/* `mmbench sweep`: parse, count, then either in this process or in rounds
 * of fresh processes (--procs, --cmd); the results folder on stdout. */
int sweep_run(const struct sweep_request *req)
{
	struct sweep_job job = { .suite = req->suite, .out = req->out, .datadir = req->datadir,
				 .quiet = req->quiet, .dry_run = req->dry_run, .flags = req->flags,
				 .given = req->given,
				 .rc = { .si = &job.si, .run_id = job.run_id, .csv_fd = -1,
					 .series_fd = -1 } };
	struct sweep_job *j = &job;
	int status;

	j->ncmds = j->given.n;
	if (!j->ncmds)
		j->given.cmd[0] = (struct sweep_cmd){ "results", NULL, "" };
	status = sweep_count(j);
	if (status)
		goto out_free;
	if (j->ncmds && !j->procs)
		j->procs = 1; /* a command always runs in processes of its own */
	if (!j->ncmds)
		j->ncmds = 1;
	if (j->dry_run) {
		if (j->procs)
			printf("# %llu round%s, each configuration once per command a round, in "
			       "fresh processes\n",
			       (unsigned long long)j->procs, j->procs == 1 ? "" : "s");
		goto out_free;
	}
	if (j->datadir && access(j->datadir, W_OK)) {
		error_msg("cannot write to --dir '%s': %s", j->datadir, strerror(errno));
		status = EXIT_USAGE;
		goto out_free;
	}
	status = sweep_open_folder(j);
	if (!status && j->procs)
		status = sweep_schedule(j);
	if (!status)
		status = j->procs ? sweep_process_rounds(j) : sweep_in_process(j);
	cleanup_note_interrupt(-1, NULL);
	if (j->log)
		fclose(j->log);
	if (j->rc.csv_fd >= 0)
		close(j->rc.csv_fd);
	if (j->rc.series_fd >= 0)
		close(j->rc.series_fd);
out_free:
	free(j->schedule);
	for (unsigned i = 0; j->sw && i < j->sw->files.n; i++)
		datafile_close(&j->sw->files.df[i]);
	if (j->sw)
		free(j->sw->text);
	free(j->sw);
	return status;
}

