#include "sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "datafile.h"
#include "error.h"
#include "options.h"
#include "parse.h"
#include "progress.h"
#include "row.h"
#include "run.h"
#include "sysinfo.h"

#define SWEEP_MAX_AXES 32
#define SWEEP_MAX_VALUES 64

struct sweep_axis {
	const struct option_def *o;
	char *values[SWEEP_MAX_VALUES];
	unsigned n;
	char joined[1024]; /* backend and workload: the names, comma-separated */
};

struct sweep {
	const char *path;
	char *text; /* the suite's bytes; values point into it */
	struct sweep_axis axes[SWEEP_MAX_AXES];
	unsigned naxes;
};

/* Parse one `key = values` line into a new axis; message in err. */
static int sweep_parse_line(struct sweep *s, char *line, char *err, size_t errlen)
{
	char *eq = strchr(line, '='), *key, *save = NULL, *tok;
	struct sweep_axis *a;
	struct config scratch;
	bool list;

	if (!eq) {
		snprintf(err, errlen, "expected 'key = value ...', got '%s'", line);
		return -EINVAL;
	}
	*eq = '\0';
	key = parse_trim(line);
	if (s->naxes == SWEEP_MAX_AXES) {
		snprintf(err, errlen, "too many keys");
		return -EINVAL;
	}
	a = &s->axes[s->naxes];
	memset(a, 0, sizeof(*a));
	a->o = options_find(key);
	if (!a->o) {
		snprintf(err, errlen, "unknown key '%s' (keys are mmbench run's options)", key);
		return -EINVAL;
	}
	if (a->o->flags & OPTF_NO_SWEEP) {
		snprintf(err, errlen, "key '%s' cannot be set in a suite", key);
		return -EINVAL;
	}
	for (unsigned i = 0; i < s->naxes; i++) {
		if (s->axes[i].o == a->o) {
			snprintf(err, errlen, "key '%s' given twice", key);
			return -EINVAL;
		}
	}
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
	s->naxes++;
	return 0;
}

/* Read and check the whole suite; EXIT_USAGE after printing FILE:LINE. */
static int sweep_parse(struct sweep *s, const char *path)
{
	char *line, *save = NULL, err[512];
	unsigned lineno = 0;
	FILE *f = fopen(path, "re");
	long len;

	s->path = path;
	if (!f) {
		error_msg("cannot open suite '%s': %s", path, strerror(errno));
		return EXIT_USAGE;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	s->text = calloc(1, (size_t)(len > 0 ? len : 0) + 1);
	if (!s->text || fread(s->text, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		error_msg("cannot read suite '%s'", path);
		return EXIT_USAGE;
	}
	fclose(f);
	/* strsep keeps empty lines, so line numbers stay right. */
	save = s->text;
	while ((line = strsep(&save, "\n"))) {
		char *hash = strchr(line, '#');

		lineno++;
		if (hash)
			*hash = '\0';
		line = parse_trim(line);
		if (!*line)
			continue;
		if (sweep_parse_line(s, line, err, sizeof(err))) {
			error_msg("%s:%u: %s", path, lineno, err);
			return EXIT_USAGE;
		}
	}
	if (!s->naxes) {
		error_msg("%s: no parameters", path);
		return EXIT_USAGE;
	}
	return 0;
}

/* The configuration at odometer position idx[]; its label into label. */
static void sweep_point(const struct sweep *s, const unsigned *idx, const char *datadir,
			struct config *cfg, char *label, size_t len)
{
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
		if (a->n > 1 && used < len)
			used += (size_t)snprintf(label + used, len - used, "%s%s=%s", used ? " " : "",
						 a->o->name, a->values[idx[i]]);
	}
}

/* Advance the odometer; false after the last point. */
static bool sweep_next(const struct sweep *s, unsigned *idx)
{
	for (int i = (int)s->naxes - 1; i >= 0; i--) {
		if (++idx[i] < s->axes[i].n)
			return true;
		idx[i] = 0;
	}
	return false;
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

static int sweep_usage(FILE *f, int status)
{
	fputs("usage: mmbench sweep SUITE [--out DIR] [--dir DATADIR] [--quiet]\n\n"
	      "Run every combination of the suite's parameter lists and write\n"
	      "DIR/<host>-<UTC time>/ (default DIR: results) holding results.csv,\n"
	      "sysinfo.json, the suite as it ran, and a log of skipped or failed steps.\n"
	      "DATADIR (default /var/tmp) holds the temporary data files.\n",
	      f);
	return status;
}

int sweep_main(int argc, char **argv)
{
	const char *suite = NULL, *out = "results", *datadir = NULL;
	bool quiet = false;
	struct sweep s = { 0 };
	unsigned idx[SWEEP_MAX_AXES] = { 0 };
	unsigned long long steps = 0, points = 0, skipped = 0;
	char dir[4096], path[4200], label[512], why[512], run_id[64];
	struct config cfg;
	struct sysinfo si;
	struct progress progress;
	struct run_ctx rc = { .si = &si, .run_id = run_id };
	int status = 0, err;
	FILE *log;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return sweep_usage(stdout, 0);
		if (!strcmp(argv[i], "--quiet"))
			quiet = true;
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			datadir = argv[++i];
		else if (argv[i][0] != '-' && !suite)
			suite = argv[i];
		else {
			error_msg("unexpected argument '%s' for sweep (see mmbench sweep --help)",
				  argv[i]);
			return EXIT_USAGE;
		}
	}
	if (!suite)
		return sweep_usage(stderr, EXIT_USAGE);
	status = sweep_parse(&s, suite);
	if (status)
		goto out_free;
	/* First pass: count what will run, so progress has a total. */
	do {
		sweep_point(&s, idx, datadir, &cfg, label, sizeof(label));
		points++;
		if (!sweep_unfit(&cfg, why, sizeof(why)))
			steps += run_steps(&cfg);
	} while (sweep_next(&s, idx));
	if (!steps) {
		error_msg("%s: no configuration can run (the last: %s%s%s)", suite, label,
			  label[0] ? ": " : "", why);
		status = EXIT_USAGE;
		goto out_free;
	}
	if (datadir && access(datadir, W_OK)) {
		error_msg("cannot write to --dir '%s': %s", datadir, strerror(errno));
		status = EXIT_USAGE;
		goto out_free;
	}

	sysinfo_collect(&si, datadir ? datadir : cfg.dir);
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
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	if (row_open_csv(path, &rc.csv_fd))
		rc.csv_fd = -1;
	if (!log || rc.csv_fd < 0) {
		error_msg("cannot write in '%s'", dir);
		status = EXIT_RUNTIME;
		goto out_close;
	}
	run_make_id(run_id, sizeof(run_id));
	rc.log = log;
	progress_init(&progress, steps, !quiet && isatty(STDERR_FILENO));
	rc.progress = &progress;
	if (!quiet)
		error_msg("sweep '%s': %llu configurations, %llu measurements, into %s", suite,
			  points, steps, dir);
	memset(idx, 0, sizeof(idx));
	do {
		int st;

		sweep_point(&s, idx, datadir, &cfg, label, sizeof(label));
		if (sweep_unfit(&cfg, why, sizeof(why))) {
			skipped++;
			fprintf(log, "skipped: %s: %s\n", label, why);
			if (!quiet) {
				progress_clear(&progress);
				error_msg("skipped: %s: %s", label, why);
			}
			continue;
		}
		rc.label = label;
		fprintf(log, "config: %s\n", label);
		fflush(log);
		st = run_config(&cfg, &rc);
		if (st && !status)
			status = st == EXIT_USAGE ? EXIT_RUNTIME : st;
	} while (sweep_next(&s, idx));
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
	if (log)
		fclose(log);
	if (rc.csv_fd >= 0)
		close(rc.csv_fd);
out_free:
	free(s.text);
	return status;
}
