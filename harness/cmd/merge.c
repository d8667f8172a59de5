/*
 * merge.c - `mmbench merge RESULTS... --out DIR`: result sets from any
 * mmbench version and any host combined into one folder, with today's
 * columns (the registry's defaults fill what older files lack) and one
 * sysinfo entry per host.
 */
#include "cmd/commands.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "results/columns.h"
#include "results/seriescsv.h"
#include "results/table.h"
#include "sys/datafile.h"
#include "util/csv.h"
#include "util/error.h"
#include "util/json.h"

#define MERGE_MAX_INPUTS 256

/* Run ids already taken from earlier inputs: the same process twice would
 * count as two observations. */
struct merge_ids {
	char **id;
	size_t n, cap;
};

static bool merge_seen(const struct merge_ids *ids, const char *id)
{
	for (size_t i = 0; i < ids->n; i++)
		if (!strcmp(ids->id[i], id))
			return true;
	return false;
}

static int merge_remember(struct merge_ids *ids, const char *id)
{
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? 2 * ids->cap : 64;
		char **p = realloc(ids->id, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		ids->id = p;
		ids->cap = cap;
	}
	ids->id[ids->n] = strdup(id);
	return ids->id[ids->n++] ? 0 : -ENOMEM;
}

/* The sysinfo.json that belongs to a results path: inside a folder, or
 * NAME-sysinfo.json beside NAME.csv (as ci-check records a baseline). */
static void merge_sysinfo_path(const char *results, char *buf, size_t len)
{
	struct stat st;
	size_t n = strlen(results);

	if (!stat(results, &st) && S_ISDIR(st.st_mode))
		snprintf(buf, len, "%s/sysinfo.json", results);
	else if (n > 4 && !strcmp(results + n - 4, ".csv"))
		snprintf(buf, len, "%.*s-sysinfo.json", (int)(n - 4), results);
	else
		buf[0] = '\0';
	if (buf[0] && access(buf, R_OK)) {
		/* a results.csv inside a folder: the folder's sysinfo.json */
		const char *slash = strrchr(results, '/');

		if (slash)
			snprintf(buf, len, "%.*s/sysinfo.json", (int)(slash - results), results);
		else
			snprintf(buf, len, "sysinfo.json");
	}
	if (access(buf, R_OK))
		buf[0] = '\0';
}

/* Append the sysinfo object of host, once per host, to f. */
static void merge_add_sysinfo(FILE *f, const char *path, const char *host, char hosts[][256],
			      size_t *nhosts)
{
	char buf[8192];
	size_t n;
	FILE *in;
	int err;

	for (size_t i = 0; i < *nhosts; i++)
		if (!strcmp(hosts[i], host))
			return;
	if (*nhosts == MERGE_MAX_INPUTS || !path[0] || !(in = datafile_fopen_input(path, &err)))
		return;
	snprintf(hosts[*nhosts], 256, "%s", host);
	fprintf(f, "%s\n    ", (*nhosts)++ ? "," : "");
	json_write_string(f, host);
	fputs(": ", f);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		/* drop the object's trailing newline, keep the rest as written */
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
			n--;
		fwrite(buf, 1, n, f);
	}
	fclose(in);
}

/* The series of an input (a folder's series.csv, NAME-series.csv beside
 * NAME.csv) into out's series.csv (*fd, opened at the first line): the
 * lines of the processes whose rows this input gave (earlier: the run ids
 * of the inputs before it), when its header is today's.  0 or a negative
 * errno of the writing. */
static int merge_add_series(const char *input, const char *out, const struct merge_ids *earlier,
			    int *fd, size_t *lines)
{
	char path[4200], rows[4200], *line = NULL, *want = NULL;
	struct csv_line header = { 0 };
	struct stat st;
	size_t cap = 0;
	ssize_t n;
	FILE *in;
	int err = 0;

	if (!stat(input, &st) && S_ISDIR(st.st_mode))
		snprintf(rows, sizeof(rows), "%s/results.csv", input);
	else
		snprintf(rows, sizeof(rows), "%s", input);
	if (seriescsv_path(rows, path, sizeof(path)) || access(path, F_OK) ||
	    !(in = datafile_fopen_input(path, &err)))
		return 0; /* no series to carry */
	if (seriescsv_header(&header))
		err = -ENOMEM;
	want = header.buf;
	n = err ? -1 : getline(&line, &cap, in);
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	if (!err && (n < 0 || strcmp(line, want))) {
		error_warn("'%s' has another version's series columns: its series are not carried",
			   path);
		n = -1;
	}
	while (!err && n >= 0 && (n = getline(&line, &cap, in)) > 0) {
		size_t id = strcspn(line, ",\n");
		char saved = line[id];
		struct csv_line l = { .buf = line, .len = (size_t)n };

		line[id] = '\0';
		if (!id || merge_seen(earlier, line))
			continue;
		line[id] = saved;
		if (line[l.len - 1] == '\n')
			l.len--;
		if (*fd < 0) {
			snprintf(path, sizeof(path), "%s/series.csv", out);
			*fd = seriescsv_open(path);
			err = *fd < 0 ? *fd : 0;
		}
		if (!err)
			err = csv_write(*fd, &l);
		*lines += !err;
	}
	fclose(in);
	free(line);
	csv_line_free(&header);
	return err;
}

static int merge_main(int argc, char **argv)
{
	const char *inputs[MERGE_MAX_INPUTS], *out = NULL;
	static char hosts[MERGE_MAX_INPUTS][256];
	char path[4200], sipath[4200];
	struct merge_ids ids = { 0 }, mine = { 0 };
	size_t ninputs = 0, nhosts = 0, rows = 0, series = 0;
	struct csv_line line = { 0 };
	int status = 0, fd = -1, sfd = -1, err;
	FILE *si = NULL;

	const struct cli_option opts[] = {
		{ .type = CLI_STRING, .name = "out", .metavar = "DIR", .value = &out,
		  .flags = CLIF_REQUIRED, .help = "the new folder to write" },
		CLI_OPT_END,
	};
	unsigned n;

	status = cli_parse(&merge_command, opts, argc, argv, inputs, &n);
	if (status)
		return status;
	ninputs = n;
	/* Every input must load before anything is written. */
	for (size_t k = 0; k < ninputs; k++) {
		struct table t;

		status = table_open(&t, inputs[k]);
		table_free(&t);
		if (status)
			return status;
	}
	if (mkdir(out, 0755)) {
		error_msg("cannot create '%s' for --out: %s", out, strerror(errno));
		return errno == EEXIST ? EXIT_USAGE : EXIT_RUNTIME;
	}
	for (size_t i = 0; i < columns_count(); i++)
		csv_add(&line, columns_at(i)->name);
	snprintf(path, sizeof(path), "%s/results.csv", out);
	fd = csv_open(path, line.buf);
	snprintf(sipath, sizeof(sipath), "%s/sysinfo.json", out);
	si = fopen(sipath, "we");
	if (fd < 0 || !si) {
		error_msg("cannot write in '%s': %s", out, strerror(fd < 0 ? -fd : errno));
		status = EXIT_RUNTIME;
		goto out;
	}
	fputs("{\n  \"hosts\": {", si);
	for (size_t k = 0; k < ninputs && !status; k++) {
		struct table t;
		int run_id, host;

		if (table_open(&t, inputs[k])) {
			status = EXIT_USAGE;
			break;
		}
		run_id = table_col(&t, "run_id");
		host = table_col(&t, "host");
		while (mine.n)
			free(mine.id[--mine.n]);
		for (size_t r = 0; r < t.nrows && !status; r++) {
			const char *id = table_cell(&t, r, run_id);

			if (merge_seen(&ids, id)) {
				/* mine: what was said of this input already */
				if (!merge_seen(&mine, id) && !merge_remember(&mine, id))
					error_warn("'%s': process %s is in an earlier input too: kept once",
						   inputs[k], id);
				continue;
			}
			csv_line_reset(&line);
			for (size_t i = 0; i < columns_count(); i++)
				csv_add(&line, table_cell(&t, r, table_col(&t, columns_at(i)->name)));
			err = csv_write(fd, &line);
			if (err) {
				error_msg("cannot write '%s': %s", path, strerror(-err));
				status = EXIT_RUNTIME;
			}
			rows++;
		}
		/* its processes' series, from ids as they were before it */
		err = status ? 0 : merge_add_series(inputs[k], out, &ids, &sfd, &series);
		if (err) {
			error_msg("cannot write '%s/series.csv': %s", out, strerror(-err));
			status = EXIT_RUNTIME;
		}
		/* this input's processes are taken only now, so all the rows of
		 * one of its processes stay */
		for (size_t r = 0; r < t.nrows && !status; r++)
			if (!merge_seen(&ids, table_cell(&t, r, run_id)) &&
			    merge_remember(&ids, table_cell(&t, r, run_id)))
				status = EXIT_RUNTIME;
		merge_sysinfo_path(inputs[k], sipath, sizeof(sipath));
		for (size_t r = 0; r < t.nrows; r++)
			merge_add_sysinfo(si, sipath, table_cell(&t, r, host), hosts, &nhosts);
		table_free(&t);
	}
	fputs("\n  }\n}\n", si);
	if (!status)
		printf("%s: %zu rows from %zu inputs, %zu host%s with sysinfo%s\n", out, rows, ninputs,
		       nhosts, nhosts == 1 ? "" : "s", series ? ", series.csv" : "");
out:
	if (si && fclose(si) && !status) {
		error_msg("cannot write '%s/sysinfo.json'", out);
		status = EXIT_RUNTIME;
	}
	if (fd >= 0)
		close(fd);
	if (sfd >= 0)
		close(sfd);
	for (size_t i = 0; i < ids.n; i++)
		free(ids.id[i]);
	for (size_t i = 0; i < mine.n; i++)
		free(mine.id[i]);
	free(ids.id);
	free(mine.id);
	csv_line_free(&line);
	return status;
}

const struct cli_command merge_command = {
	.name = "merge",
	.args = "RESULTS... --out DIR",
	.summary = "combine result sets (versions, hosts) into one folder",
	.about = "Combine results CSVs or folders (any mmbench version, any host) into the new\n"
		 "folder DIR: results.csv with today's columns (a column an older file lacks\n"
		 "reads as its documented default; see mmbench columns) and sysinfo.json with\n"
		 "one entry per host.  A process (run_id) found in two inputs is kept once.\n"
		 "An input's series (series.csv in its folder, NAME-series.csv beside\n"
		 "NAME.csv) go to DIR/series.csv with the rows of their processes.\n",
	.main = merge_main,
	.min_args = 1,
	.max_args = MERGE_MAX_INPUTS,
};
