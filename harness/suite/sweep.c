#include "suite/sweep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis/pairs.h"
#include "analysis/verdict.h"
#include "backends/backends.h"
#include "cli/cli.h"
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
/* The commands an exec section compares within each of its points. */
#define SWEEP_MAX_EXEC 8

/* A key of the suite: a run option (o), or an option of mmbench exec that
 * is not one (o NULL: --operation, --metric, --file). */
struct sweep_axis {
	const struct option_def *o;
	const char *name;
	char *values[SWEEP_MAX_VALUES];
	unsigned n;
	char joined[1024]; /* backend and workload: the names, comma-separated */
	char flag[64];	   /* --name, for the command line of a fresh process */
	bool own;	   /* set in its section, not inherited from the first */
	bool each;	   /* exec's repeatable --file: every value is passed, no axis */
};

/* An exec section's command: the rows' label (their backend column) and
 * the shell command line (/bin/sh -c) of one fresh process. */
struct sweep_exec {
	char *label, *command;
};

/* A product of axes.  A suite is one section, or several separated by
 * lines of "---": each later section starts from the first one's keys and
 * changes or adds some, e.g. one more configuration of a different shape.
 * An exec section (`exec NAME = COMMAND` lines) runs mmbench exec instead
 * of mmbench run: its keys are exec's options, and each of its points runs
 * every command, back to back, in each round. */
struct sweep_section {
	struct sweep_axis axes[SWEEP_MAX_AXES];
	unsigned naxes;
	bool exec;
	struct sweep_exec cmds[SWEEP_MAX_EXEC];
	unsigned ncmds;
	bool cmds_own; /* its own exec lines, not the first section's */
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
	char *expanded[SWEEP_MAX_SECTIONS * SWEEP_MAX_AXES]; /* or into these (${NAME}) */
	unsigned nexpanded;
	struct sweep_section sec[SWEEP_MAX_SECTIONS];
	unsigned nsec;
	struct cli_option exec_opts[CLI_MAX_OPTIONS]; /* mmbench exec's, for its sections */
};

/* A point of the suite: a section and an odometer over its axes. */
struct sweep_pos {
	unsigned sec;
	unsigned idx[SWEEP_MAX_AXES];
};

/* The options of mmbench exec the sweep sets itself, never a suite. */
static const char *const sweep_exec_owned[] = { "label", "run-id", "csv", "quiet", NULL };

/* value with every ${NAME} replaced by the environment's NAME, in storage
 * the suite keeps; NULL with the message in err. */
static char *sweep_expand(struct sweep *sw, const char *value, char *err, size_t errlen)
{
	size_t room = strlen(value) + 1, used = 0;
	char *out = malloc(room);

	if (!out || sw->nexpanded == sizeof(sw->expanded) / sizeof(sw->expanded[0])) {
		free(out);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (const char *p = value; *p;) {
		const char *end = p[0] == '$' && p[1] == '{' ? strchr(p, '}') : NULL;
		const char *add = p;
		size_t len = 1;
		char name[128];

		if (end) {
			len = (size_t)(end - p - 2);
			if (!len || len >= sizeof(name) || strspn(p + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					"abcdefghijklmnopqrstuvwxyz0123456789_") != len) {
				snprintf(err, errlen, "'%.*s' is not a variable: ${NAME}, letters, digits "
					 "and _", (int)(end - p + 1), p);
				free(out);
				return NULL;
			}
			memcpy(name, p + 2, len);
			name[len] = '\0';
			add = getenv(name);
			if (!add) {
				snprintf(err, errlen, "${%s} is not set in the environment", name);
				free(out);
				return NULL;
			}
			len = strlen(add);
			p = end + 1;
		} else {
			p++;
		}
		if (used + len + 1 > room) {
			char *bigger = realloc(out, room = 2 * (used + len + 1));

			if (!bigger) {
				free(out);
				snprintf(err, errlen, "out of memory");
				return NULL;
			}
			out = bigger;
		}
		memcpy(out + used, add, len);
		used += len;
	}
	out[used] = '\0';
	return sw->expanded[sw->nexpanded++] = out;
}

/* An `exec NAME = COMMAND` line of section s: one more command. */
static int sweep_parse_exec(struct sweep_section *s, char *name, char *command, char *err,
			    size_t errlen)
{
	name = parse_trim(name);
	command = parse_trim(command);
	if (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			     "0123456789_.-") != strlen(name)) {
		snprintf(err, errlen, "invalid name '%s' for an exec line (one word: letters, digits, "
			 "., - and _; it is the rows' backend column)", name);
		return -EINVAL;
	}
	/* a results file reads a backend's name as that backend's series */
	if (backend_find(name)) {
		snprintf(err, errlen, "invalid name '%s' for an exec line: a backend of mmbench run; "
			 "name the program's mode (e.g. rocksdb-mmap)", name);
		return -EINVAL;
	}
	if (!*command) {
		snprintf(err, errlen, "no command for exec '%s'", name);
		return -EINVAL;
	}
	if (!s->cmds_own) {
		s->ncmds = 0; /* its own lines replace the first section's */
		s->cmds_own = true;
	}
	for (unsigned i = 0; i < s->ncmds; i++)
		if (!strcmp(s->cmds[i].label, name)) {
			snprintf(err, errlen, "exec '%s' given twice", name);
			return -EINVAL;
		}
	if (s->ncmds == SWEEP_MAX_EXEC) {
		snprintf(err, errlen, "more than %d exec lines in a section", SWEEP_MAX_EXEC);
		return -EINVAL;
	}
	s->cmds[s->ncmds++] = (struct sweep_exec){ name, command };
	return 0;
}

/* The key of an exec section: a run option exec takes or a sweep option
 * (*o), or another option of exec's (*co); -EINVAL with the message. */
static int sweep_exec_key(const struct sweep *sw, const char *key, const struct option_def **o,
			  const struct cli_option **co, char *err, size_t errlen)
{
	*o = options_find(key);
	*co = NULL;
	if (*o && ((*o)->flags & OPTF_SWEEP_ONLY))
		return 0;
	*o = NULL;
	for (unsigned i = 0; sweep_exec_owned[i]; i++)
		if (!strcmp(key, sweep_exec_owned[i])) {
			snprintf(err, errlen, "key '%s' is set by the sweep, not by a suite", key);
			return -EINVAL;
		}
	for (const struct cli_option *c = sw->exec_opts; c->type != CLI_END; c++)
		if (!strcmp(c->name, key)) {
			if (c->type == CLI_RUN)
				*o = options_find(key);
			else
				*co = c;
			return 0;
		}
	snprintf(err, errlen, "unknown key '%s' in an exec section (its keys are mmbench exec's "
		 "options)", key);
	return -EINVAL;
}

/* Parse one `key = values` line into an axis of section s (a new one, or
 * one inherited from the first section), or an exec line; message in err. */
static int sweep_parse_line(struct sweep *sw, struct sweep_section *s, char *line, char *err,
			    size_t errlen)
{
	char *eq = strchr(line, '='), *key, *value, *save = NULL, *tok;
	struct sweep_axis *a = NULL;
	const struct cli_option *co = NULL;
	const struct option_def *o;
	struct config scratch;
	bool list;

	if (!eq) {
		snprintf(err, errlen, "expected 'key = value ...', got '%s'", line);
		return -EINVAL;
	}
	*eq = '\0';
	key = parse_trim(line);
	if (!strncmp(key, "exec", 4) && (!key[4] || key[4] == ' ' || key[4] == '\t')) {
		if (!key[4]) {
			snprintf(err, errlen, "an exec line names its command: exec NAME = COMMAND");
			return -EINVAL;
		}
		return sweep_parse_exec(s, key + 4, eq + 1, err, errlen);
	}
	if (s != &sw->sec[0] && (o = options_find(key)) && (o->flags & OPTF_SWEEP_ONLY)) {
		snprintf(err, errlen, "key '%s' is the whole sweep's: set it in the first section", key);
		return -EINVAL;
	}
	if (s->exec) {
		if (sweep_exec_key(sw, key, &o, &co, err, errlen))
			return -EINVAL;
	} else {
		o = options_find(key);
		if (!o) {
			snprintf(err, errlen, "unknown key '%s' (keys are mmbench run's options)", key);
			return -EINVAL;
		}
		if (o->flags & OPTF_NO_SWEEP) {
			snprintf(err, errlen, "key '%s' cannot be set in a suite", key);
			return -EINVAL;
		}
	}
	key = (char *)(o ? o->name : co ? co->name : key);
	for (unsigned i = 0; i < s->naxes && !a; i++) {
		if (strcmp(s->axes[i].name, key))
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
	value = sweep_expand(sw, eq + 1, err, errlen);
	if (!value)
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	a->o = o;
	a->name = key;
	a->own = true;
	a->each = co && (co->flags & CLIF_REPEAT);
	snprintf(a->flag, sizeof(a->flag), "--%s", key);
	/* exec's strings (a --metric regex, an --operation): the whole value */
	if (co && co->type == CLI_STRING) {
		a->values[a->n++] = parse_trim(value);
		if (!*a->values[0]) {
			snprintf(err, errlen, "no value for '%s'", key);
			return -EINVAL;
		}
		if (a == &s->axes[s->naxes])
			s->naxes++;
		return 0;
	}
	list = o && (o->type == OPT_BACKENDS || o->type == OPT_WORKLOADS);
	for (tok = strtok_r(value, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
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
	if (((o && o->flags & OPTF_SWEEP_ONLY) || (co && !a->each)) && a->n > 1) {
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
	for (unsigned i = 0; o && i < a->n; i++)
		if (options_set(&scratch, a->o, a->values[i], err, errlen))
			return -EINVAL;
	if (a == &s->axes[s->naxes])
		s->naxes++;
	return 0;
}

/* Whether the section of the suite text from line on (to the next "---")
 * has an exec line. */
static bool sweep_section_has_exec(const char *text)
{
	for (const char *line = text; *line;) {
		size_t blank = strspn(line, " \t");
		const char *next = strchr(line, '\n');

		if (!strncmp(line + blank, "---", 3))
			return false;
		if (!strncmp(line + blank, "exec", 4) && (line[blank + 4] == ' ' || line[blank + 4] == '\t'))
			return true;
		if (!next)
			break;
		line = next + 1;
	}
	return false;
}

/* The "exec" repeated-file axis (the each flag) is not an axis of the
 * product: one point runs with all of its values. */
static unsigned sweep_axis_points(const struct sweep_axis *a)
{
	return a->each ? 1 : a->n;
}

#define SWEEP_MAX_SUITE_BYTES (1 << 20)

/* A later section starts from the first one's keys; one of the other kind
 * (exec or run) from its sweep keys only (procs, settle, timeout). */
static void sweep_inherit(struct sweep_section *n, const struct sweep_section *first, bool exec)
{
	*n = *first;
	n->exec = exec;
	n->cmds_own = false;
	if (exec != first->exec) {
		n->naxes = 0;
		n->ncmds = 0;
		for (unsigned i = 0; i < first->naxes; i++)
			if (first->axes[i].o && (first->axes[i].o->flags & OPTF_SWEEP_ONLY))
				n->axes[n->naxes++] = first->axes[i];
	}
	for (unsigned i = 0; i < n->naxes; i++)
		n->axes[i].own = false;
}

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
	/* whether a section is exec's is known before its keys are read */
	s->sec[0].exec = sweep_section_has_exec(save);
	while ((line = strsep(&save, "\n"))) {
		char *hash = line;
		unsigned last = s->nsec - 1;

		lineno++;
		/* a comment starts at a # that begins the line or follows a
		 * blank: a command's $# or a regex's # are kept */
		while ((hash = strchr(hash, '#')) && hash != line && hash[-1] != ' ' && hash[-1] != '\t')
			hash++;
		if (hash)
			*hash = '\0';
		line = parse_trim(line);
		if (!*line)
			continue;
		if (!strcmp(line, "---")) {
			if (s->sec[last].exec && !s->sec[last].ncmds) {
				error_msg("%s:%u: an exec section without an exec line", path, lineno);
				return EXIT_USAGE;
			}
			if (s->nsec == SWEEP_MAX_SECTIONS) {
				error_msg("%s:%u: too many sections (at most %d)", path, lineno,
					  SWEEP_MAX_SECTIONS);
				return EXIT_USAGE;
			}
			sweep_inherit(&s->sec[s->nsec], &s->sec[0],
				      s->sec[0].exec || (save && sweep_section_has_exec(save)));
			s->nsec++;
			continue;
		}
		if (sweep_parse_line(s, &s->sec[last], line, err, sizeof(err))) {
			error_msg("%s:%u: %s", path, lineno, err);
			return EXIT_USAGE;
		}
	}
	if (!s->sec[0].naxes && !s->sec[0].ncmds) {
		error_msg("%s: no parameters", path);
		return EXIT_USAGE;
	}
	if (s->sec[s->nsec - 1].exec && !s->sec[s->nsec - 1].ncmds) {
		error_msg("%s:%u: an exec section without an exec line", path, lineno);
		return EXIT_USAGE;
	}
	/* Counted before anything is enumerated: a product of 1e9 points
	 * would otherwise keep the first pass busy without a word. */
	{
		double points = 0;

		for (unsigned k = 0; k < s->nsec; k++) {
			double product = 1;

			for (unsigned i = 0; i < s->sec[k].naxes; i++)
				product *= sweep_axis_points(&s->sec[k].axes[i]);
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

		if (a->o) {
			options_set(cfg, a->o, a->values[idx[i]], err, sizeof(err));
			cfg->given |= 1ULL << options_index(a->o);
		}
		if (!a->each && (a->n > 1 || (pos->sec && a->own)) && used < len)
			used += (size_t)snprintf(label + used, len - used, "%s%s=%s", used ? " " : "",
						 a->name, a->values[idx[i]]);
	}
}

/* Advance the odometer, then into the next section; false after the last
 * point of the last section. */
static bool sweep_next(const struct sweep *sw, struct sweep_pos *pos)
{
	const struct sweep_section *s = &sw->sec[pos->sec];

	for (int i = (int)s->naxes - 1; i >= 0; i--) {
		if (++pos->idx[i] < sweep_axis_points(&s->axes[i]))
			return true;
		pos->idx[i] = 0;
	}
	return ++pos->sec < sw->nsec;
}

static const char *sweep_exec_unfit(const struct sweep_section *s, const struct config *cfg,
				    char *why, size_t len);

/* Why the point of section s cannot run, or NULL; the reason is written
 * into why. */
static const char *sweep_unfit(const struct sweep_section *s, const struct config *cfg, char *why,
			       size_t len)
{
	struct stat st;
	uint64_t avail;
	char a[32];

	if (s->exec)
		return sweep_exec_unfit(s, cfg, why, len);
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

/* The program a shell command line runs: its first word, a plain word or
 * "$VAR" or ${VAR} expanded from the environment, into buf; "" when it is
 * something only the shell can judge (a keyword, a subshell, a glob). */
static char *sweep_command_program(const char *command, char *buf, size_t len)
{
	static const char name_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";
	char word[4096], *w = word;
	size_t n;

	snprintf(word, sizeof(word), "%.*s", (int)strcspn(command, " \t;&|<>()"), command);
	n = strlen(word);
	if (word[0] == '"' && n > 1 && word[n - 1] == '"') {
		word[n - 1] = '\0';
		w++;
	}
	/* a leading $NAME or ${NAME}, its value put in, the rest kept */
	if (w[0] == '$') {
		bool braced = w[1] == '{';
		size_t nl = strspn(w + 1 + braced, name_chars);
		const char *rest = w + 1 + braced + nl + (braced && w[1 + braced + nl] == '}');
		char var[256];
		const char *v;

		snprintf(var, sizeof(var), "%.*s", (int)nl, w + 1 + braced);
		v = nl && (!braced || rest[-1] == '}') ? getenv(var) : NULL;
		snprintf(buf, len, "%s%s", v ? v : "$", v ? rest : "");
	} else {
		snprintf(buf, len, "%s", w);
	}
	if (strpbrk(buf, "$`'\"*?[=") || strchr("({!", buf[0]) || !strcmp(buf, "if") ||
	    !strcmp(buf, "for") || !strcmp(buf, "while") || !strcmp(buf, "case"))
		buf[0] = '\0';
	return buf;
}

/* Whether the program a shell command line runs is found (a path, or in
 * PATH; one only the shell can judge counts as found): else its name, in
 * missing. */
static bool sweep_command_found(const char *command, char *missing, size_t len)
{
	const char *path = getenv("PATH"), *p = sweep_command_program(command, missing, len);

	if (!*p)
		return true;
	if (strchr(p, '/'))
		return !access(p, X_OK);
	for (const char *dir = path ? path : "/usr/bin:/bin"; *dir;) {
		size_t dl = strcspn(dir, ":");
		char full[8300];

		snprintf(full, sizeof(full), "%.*s/%s", (int)dl, dl ? dir : ".", p);
		if (!access(full, X_OK))
			return true;
		dir += dl + (dir[dl] == ':');
	}
	return false;
}

/* Why an exec point cannot run, or NULL: a program it runs not installed
 * (first: what is missing then is that program's), its limit refused here,
 * a file it names missing. */
static const char *sweep_exec_unfit(const struct sweep_section *s, const struct config *cfg,
				    char *why, size_t len)
{
	char missing[4096];
	struct stat st;

	for (unsigned c = 0; c < s->ncmds; c++)
		if (!sweep_command_found(s->cmds[c].command, missing, sizeof(missing))) {
			snprintf(why, len, "exec %s: '%.200s' is not installed here (not found, or not "
				 "executable)", s->cmds[c].label, missing);
			return why;
		}
	if (cfg->mem_limit && memlimit_check(cfg->mem_limit, why, len))
		return why;
	for (unsigned i = 0; i < s->naxes; i++)
		for (unsigned v = 0; s->axes[i].each && v < s->axes[i].n; v++)
			if (stat(s->axes[i].values[v], &st)) {
				snprintf(why, len, "no file '%s' for --%s", s->axes[i].values[v],
					 s->axes[i].name);
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

#define SWEEP_MAX_ARGS (2 * SWEEP_MAX_AXES + 2 * SWEEP_MAX_VALUES + 16)

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

/* One value of axis a onto argv at *n: a flag key is 0 or 1, the flag or
 * nothing; any other, the flag and the value. */
static void sweep_push_value(const struct sweep_axis *a, char *value, char **argv, int *n)
{
	if (a->o && a->o->type == OPT_FLAG) {
		if (!strcmp(value, "1"))
			argv[(*n)++] = (char *)a->flag;
		return;
	}
	argv[(*n)++] = (char *)a->flag;
	argv[(*n)++] = value;
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
		sweep_push_value(&s->axes[i], s->axes[i].values[idx[i]], argv, &n);
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

/* The command line of command c of the exec point at pos: "mmbench exec",
 * every key of its section (a repeated option once per value), the label,
 * the rows' run_id and csv (NULL: a dry run's), then the command for
 * /bin/sh -c.  buf holds the operation when the suite names none: the
 * program of the section's first exec line, the same for all of them, so
 * their rows pair.  Returns the count. */
static int sweep_exec_args(const struct sweep *sw, const struct sweep_pos *pos, unsigned c,
			   const char *run_id, const char *csv, char *buf, size_t len, char **argv)
{
	const struct sweep_section *s = &sw->sec[pos->sec];
	const char *command = s->cmds[c].command, *base;
	char program[4096];
	bool operation = false;
	int n = 0;

	argv[n++] = (char *)"mmbench";
	argv[n++] = (char *)"exec";
	for (unsigned i = 0; i < s->naxes; i++) {
		const struct sweep_axis *a = &s->axes[i];

		if (a->o && a->o->flags & OPTF_SWEEP_ONLY)
			continue;
		operation |= !strcmp(a->name, "operation");
		for (unsigned v = a->each ? 0 : pos->idx[i]; v < (a->each ? a->n : pos->idx[i] + 1); v++)
			sweep_push_value(a, a->values[v], argv, &n);
	}
	argv[n++] = (char *)"--label";
	argv[n++] = s->cmds[c].label;
	if (!operation) {
		/* the program's name, not the shell's */
		sweep_command_program(s->cmds[0].command, program, sizeof(program));
		base = strrchr(program, '/');
		snprintf(buf, len, "%.200s", base ? base + 1 : program);
		argv[n++] = (char *)"--operation";
		argv[n++] = *buf ? buf : (char *)"exec";
	}
	if (run_id) {
		argv[n++] = (char *)"--run-id";
		argv[n++] = (char *)run_id;
	}
	if (csv) {
		argv[n++] = (char *)"--csv";
		argv[n++] = (char *)csv;
		argv[n++] = (char *)"--quiet";
	}
	argv[n++] = (char *)"--";
	argv[n++] = (char *)"/bin/sh";
	argv[n++] = (char *)"-c";
	argv[n++] = (char *)command;
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

/* The status sweep_spawn gives a process it stopped at its timeout: above
 * every exit status. */
#define SWEEP_TIMED_OUT 1000

/* Wait for pid; after timeout seconds (0: never), SIGTERM it, and SIGKILL
 * it 10 s later.  Asleep in poll() on a pidfd meanwhile, so the process
 * measures on a quiet machine.  Its status, or -errno. */
static int sweep_wait(pid_t pid, uint64_t timeout, bool *timed_out)
{
	int pidfd = timeout ? (int)syscall(SYS_pidfd_open, pid, 0) : -1, status;
	uint64_t deadline = clock_now_ns() + timeout * 1000000000ULL;

	*timed_out = false;
	for (;;) {
		pid_t r = waitpid(pid, &status, timeout ? WNOHANG : 0);
		uint64_t now = clock_now_ns();

		if (r == pid || (r < 0 && errno != EINTR)) {
			int err = r == pid ? 0 : errno;

			if (pidfd >= 0)
				close(pidfd);
			return r == pid ? status : -err;
		}
		if (!timeout)
			continue;
		if (now >= deadline) {
			kill(pid, *timed_out ? SIGKILL : SIGTERM);
			*timed_out = true;
			deadline = now + 10000000000ULL;
		}
		/* until it ends or the deadline (a tick without a pidfd) */
		if (pidfd >= 0)
			poll(&(struct pollfd){ pidfd, POLLIN, 0 }, 1,
			     (int)((deadline - now) / 1000000 + 1));
		else
			nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
	}
}

/* Run argv (argv[0] "mmbench") in a fresh process: this mmbench (self), or
 * cmd through the shell, so a wrapper with arguments of its own works.  Its
 * stdout and stderr go to the log; MMBENCH_ROUND in its environment is the
 * round (a program exec runs can seed itself with it).  Returns its exit
 * status, 128 + signal when one ended it, SWEEP_TIMED_OUT when it ran over
 * timeout seconds (0: no limit), or -errno when it could not start. */
static int sweep_spawn(const char *self, const char *cmd, char **argv, FILE *log,
		       uint64_t round, uint64_t timeout)
{
	char *shargv[SWEEP_MAX_ARGS + 8];
	char script[4200], round_s[32];
	int status, n = 0;
	bool timed_out;
	pid_t pid;

	snprintf(script, sizeof(script), "exec %s \"$@\"", cmd ? cmd : "");
	shargv[n++] = (char *)"sh";
	shargv[n++] = (char *)"-c";
	shargv[n++] = script;
	for (int i = 0; argv[i]; i++) /* argv[0] becomes the script's $0 */
		shargv[n++] = argv[i];
	shargv[n] = NULL;
	snprintf(round_s, sizeof(round_s), "%llu", (unsigned long long)round);
	fflush(log);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		setenv("MMBENCH_ROUND", round_s, 1);
		dup2(fileno(log), STDOUT_FILENO);
		dup2(fileno(log), STDERR_FILENO);
		if (cmd)
			execv("/bin/sh", shargv);
		else
			execv(self, argv);
		_exit(127);
	}
	status = sweep_wait(pid, timeout, &timed_out);
	if (status < 0)
		return status;
	if (timed_out)
		return SWEEP_TIMED_OUT;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* A runnable point of the suite, for process mode: with a command (--cmd)
 * and, at an exec point, one of its exec lines (variant).  The steps of
 * one point share a group and run back to back in every round. */
struct sweep_step {
	struct sweep_pos pos;
	unsigned cmd, variant;
	size_t group;
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
	const char *run_id; /* the sweep's: an exec point's rows get it and the round */
	uint64_t round;	    /* the round under way, from 1 */
	uint64_t timeout;   /* seconds a process may run; 0: no limit */
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
	char *argv[SWEEP_MAX_ARGS + 4], label[512], what[700], run_id[96], operation[256];
	const char *file;
	struct config cfg;
	struct stat st;
	uint64_t t0;
	long before;
	int err = 0, n, rc;

	sweep_point(sp->s, &step->pos, sp->datadir, &cfg, label, sizeof(label));
	if (sp->s->sec[step->pos.sec].exec) {
		/* the round names the rows of every command of the point */
		snprintf(run_id, sizeof(run_id), "%s-r%llu", sp->run_id, (unsigned long long)sp->round);
		n = sweep_exec_args(sp->s, &step->pos, step->variant, run_id, c->csv, operation,
				    sizeof(operation), argv);
		snprintf(what, sizeof(what), "%s %s exec %s%s%s", round, c->name,
			 sp->s->sec[step->pos.sec].cmds[step->variant].label, label[0] ? " " : "", label);
	} else {
		file = sweep_uses_file(&cfg) ? sweep_shared_file(&sp->files, &cfg, sp->log, &err) : NULL;
		if (!file && err) {
			error_msg("cannot create a data file in '%s': %s", cfg.dir,
				  datafile_strerror(err));
			return EXIT_RUNTIME;
		}
		n = sweep_run_args(sp->s, &step->pos, &cfg, file, c->csv, argv);
		if (backends)
			sweep_override(argv, &n, "--backend", backends);
		if (workloads)
			sweep_override(argv, &n, "--workload", workloads);
		snprintf(what, sizeof(what), "%s %s%s%s", round, c->name, label[0] ? " " : "", label);
	}
	progress_show(sp->progress, what);
	fprintf(sp->log, "process: %s: ", what);
	sweep_print_args(sp->log, c->cmd ? c->cmd : sp->self, argv + 1);
	before = stat(c->csv, &st) ? 0 : (long)st.st_size;
	t0 = clock_now_ns();
	rc = sweep_spawn(sp->self, c->cmd, argv, sp->log, sp->round, sp->timeout);
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
		char how[64];

		if (rc == SWEEP_TIMED_OUT)
			snprintf(how, sizeof(how), "stopped after %llu s (timeout)",
				 (unsigned long long)sp->timeout);
		else
			snprintf(how, sizeof(how), "exit status %d", rc);
		(*sp->failures)++;
		fprintf(sp->log, "failed: %s: %s\n", what, how);
		if (!sp->quiet) {
			progress_clear(sp->progress);
			error_msg("failed: %s: %s (see the log)", what, how);
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
		sp->round = procs + rounds + 1;
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
static int sweep_rounds(struct sweep_procs *sp0, size_t nsteps, unsigned ncmds, uint64_t procs,
			uint64_t settle)
{
	struct sweep_procs sp = *sp0;
	const struct sweep_step *steps = sp.steps;
	char what[64];
	uint64_t seed = 0;
	struct rng rng;
	ssize_t len = readlink("/proc/self/exe", sp.self, sizeof(sp.self) - 1);
	size_t *order, *first = NULL, npoints, start, vstart;
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
	/* the points: each a run of consecutive steps of one group */
	npoints = nsteps ? steps[nsteps - 1].group + 1 : 0;
	order = malloc((npoints + 1) * sizeof(*order));
	first = malloc((npoints + 2) * sizeof(*first));
	sp.trace = calloc(nsteps + 1, sizeof(*sp.trace));
	if (!order || !first || !sp.trace) {
		error_msg("out of memory");
		status = EXIT_RUNTIME;
		goto out;
	}
	for (size_t i = 0, k = 0; i < npoints; i++) {
		order[i] = i;
		first[i] = k;
		while (k < nsteps && steps[k].group == i)
			k++;
		first[i + 1] = k;
	}
	start = rng_below(&rng, ncmds);
	/* 840: every count of exec lines up to 8 divides it */
	vstart = rng_below(&rng, 840);
	for (uint64_t round = 1; round <= procs; round++) {
		/* the configurations in a new random order (Fisher-Yates); each
		 * configuration's commands (and an exec point's exec lines)
		 * back to back, so drift hits them alike, led by each in turn,
		 * so that whatever the first of two processes suffers cancels
		 * over the rounds (a measured A/A gate once had the same build
		 * first in 9 rounds of 12, and called it 18% slower) */
		rng_shuffle(order, npoints, &rng);
		snprintf(what, sizeof(what), "round %llu/%llu", (unsigned long long)round,
			 (unsigned long long)procs);
		sp.round = round;
		for (size_t p = 0; p < npoints; p++) {
			/* a point's steps: its exec lines (one without), each
			 * with every command; both rotate on their own, so each
			 * line leads in turn and within it each command */
			size_t g = order[p], nv = (first[g + 1] - first[g]) / ncmds;

			for (size_t k = 0; k < nv * ncmds; k++) {
				size_t v = (k / ncmds + vstart + round) % nv;
				size_t c = (k % ncmds + start + round) % ncmds;
				size_t step = first[g] + v * ncmds + c;
				int st = sweep_spawn_step(&sp, step, what, NULL, NULL);

				if (st == 1) {
					status = EXIT_RUNTIME;
				} else if (st) {
					status = st;
					goto out;
				}
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
		fprintf(sp.log, "settle: not with several commands (compare judges those)\n");
	}
out:
	for (unsigned i = 0; i < sp.files.n; i++)
		datafile_close(&sp.files.df[i]);
	for (size_t k = 0; sp.trace && k < nsteps; k++)
		free(sp.trace[k].run_ids);
	free(sp.trace);
	free(order);
	free(first);
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
	const struct cli_command *exec_command; /* what an exec section's processes run */
	int (*exec_check)(int argc, char **argv);
	bool quiet, dry_run;
	struct config flags;		   /* --procs */
	struct sweep_cmds given;	   /* --cmd, or the one "results" */
	struct sweep *sw;		   /* the suite, parsed */
	unsigned ncmds;			   /* commands a point runs with; 1 without --cmd */
	uint64_t procs;			   /* rounds of fresh processes; 0: in this one */
	uint64_t settle;		   /* seconds of settling rounds after them */
	uint64_t timeout;		   /* seconds a process may run; 0: no limit */
	bool exec;			   /* an exec section: process mode, whatever procs */
	unsigned max_lines;		   /* the most exec lines of a section's */
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
	/* an exec section's keys are mmbench exec's options */
	if (j->exec_command && cli_options_of(j->exec_command, j->sw->exec_opts,
					      sizeof(j->sw->exec_opts) / sizeof(j->sw->exec_opts[0])) < 0)
		j->sw->exec_opts[0] = (struct cli_option)CLI_OPT_END;
	status = sweep_parse(j->sw, j->suite);
	if (status)
		return status;
	do {
		const struct sweep_section *sec = &j->sw->sec[pos.sec];

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
		if (j->points == 1)
			j->timeout = j->flags.given >> options_index(options_find("timeout")) & 1
					     ? j->flags.timeout
					     : cfg.timeout;
		j->cfg_dir = cfg.dir;
		if (sweep_unfit(sec, &cfg, why, sizeof(why)))
			continue;
		j->exec |= sec->exec;
		j->steps += sec->exec ? sec->ncmds : run_steps(&cfg);
		j->max_lines = sec->ncmds > j->max_lines ? sec->ncmds : j->max_lines;
		/* each command line once: an exec line's options checked by
		 * exec's own parser, now; with --dry-run, printed */
		for (unsigned c = 0; (sec->exec || j->dry_run) && c < (sec->exec ? sec->ncmds : 1); c++) {
			char *args[SWEEP_MAX_ARGS + 4], operation[256], where[700];
			int n = sec->exec ? sweep_exec_args(j->sw, &pos, c, NULL, NULL, operation,
							    sizeof(operation), args)
					  : sweep_run_args(j->sw, &pos, &cfg, NULL, NULL, args);

			if (sec->exec && j->exec_check) {
				snprintf(where, sizeof(where), "%s: exec %s%s%s", j->suite,
					 sec->cmds[c].label, label[0] ? " at " : "", label);
				error_context(where);
				status = j->exec_check(n - 2, args + 2);
				error_context(NULL);
				if (status)
					return status;
			}
			if (j->dry_run)
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
static bool sweep_skip(struct sweep_job *j, const struct sweep_pos *pos, const struct config *cfg,
		       const char *label)
{
	char why[512];

	if (!sweep_unfit(&j->sw->sec[pos->sec], cfg, why, sizeof(why)))
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
	size_t group = 0;
	char label[512];
	struct config cfg;

	/* every process runs its configuration's measurements, or one exec
	 * line's command */
	j->schedule = calloc((size_t)j->points * j->ncmds * (j->max_lines ? j->max_lines : 1) + 1,
			     sizeof(*j->schedule));
	if (!j->schedule) {
		error_msg("out of memory");
		return EXIT_RUNTIME;
	}
	progress_init(&j->progress, 0, !j->quiet && isatty(STDERR_FILENO));
	j->rc.progress = &j->progress;
	do {
		const struct sweep_section *sec = &j->sw->sec[pos.sec];

		sweep_point(j->sw, &pos, j->datadir, &cfg, label, sizeof(label));
		if (sweep_skip(j, &pos, &cfg, label))
			continue;
		for (unsigned v = 0; v < (sec->exec ? sec->ncmds : 1); v++)
			for (unsigned c = 0; c < j->ncmds; c++)
				j->schedule[j->nscheduled++] = (struct sweep_step){
					.pos = pos, .cmd = c, .variant = v, .group = group };
		group++;
	} while (sweep_next(j->sw, &pos));
	memlimit_remove();
	return 0;
}

/* Process mode, the run: the rounds of fresh processes, then the summary.
 * The exit status. */
static int sweep_process_rounds(struct sweep_job *j)
{
	int status;

	struct sweep_procs sp = { .s = j->sw, .steps = j->schedule, .cmds = j->given.cmd,
				  .datadir = j->datadir, .log = j->log, .progress = &j->progress,
				  .quiet = j->quiet, .failures = &j->rc.failures, .run_id = j->run_id,
				  .timeout = j->timeout };
	size_t npoints = j->nscheduled ? j->schedule[j->nscheduled - 1].group + 1 : 0;
	size_t variants = j->nscheduled / j->ncmds;
	char lines[64] = "";

	j->progress.total = j->procs * j->nscheduled;
	if (variants != npoints)
		snprintf(lines, sizeof(lines), " (%zu with their exec lines)", variants);
	if (!j->quiet)
		error_msg("sweep '%s': %zu configurations%s x %u command%s x %llu rounds = "
			  "%llu processes, into %s",
			  j->suite, npoints, lines, j->ncmds, j->ncmds == 1 ? "" : "s",
			  (unsigned long long)j->procs, (unsigned long long)j->procs * j->nscheduled,
			  j->dir);
	status = sweep_rounds(&sp, j->nscheduled, j->ncmds, j->procs, j->settle);
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
		if (sweep_skip(j, &pos, &cfg, label))
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
				 .given = req->given, .exec_command = req->exec,
				 .exec_check = req->exec_check,
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
	if ((j->ncmds || j->exec) && !j->procs)
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
	for (unsigned i = 0; j->sw && i < j->sw->nexpanded; i++)
		free(j->sw->expanded[i]);
	if (j->sw)
		free(j->sw->text);
	free(j->sw);
	return status;
}

