#include "results/table.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backends/backends.h"
#include "cli/options.h"
#include "results/columns.h"
#include "sys/datafile.h"
#include "util/csv.h"
#include "util/error.h"
#include "util/parse.h"
#include "util/stats.h"

/* Read a whole file into a NUL-terminated buffer. */
static int table_slurp(const char *path, char **out)
{
	int err = 0;
	FILE *f = datafile_fopen_input(path, &err);
	size_t len = 0, cap = 1 << 16;
	char *buf;

	if (!f)
		return err;
	buf = malloc(cap);
	while (buf) {
		char *grown;

		len += fread(buf + len, 1, cap - len - 1, f);
		if (len < cap - 1)
			break;
		cap *= 2;
		grown = realloc(buf, cap);
		if (!grown)
			free(buf);
		buf = grown;
	}
	fclose(f);
	if (!buf)
		return -ENOMEM;
	buf[len] = '\0';
	*out = buf;
	return 0;
}

int table_load(struct table *t, const char *path, size_t *bad_line)
{
	char file[4096], *fields[256];
	struct stat st;
	size_t pos = 0, cap = 0, line = 1;
	int n, err;

	memset(t, 0, sizeof(*t));
	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		snprintf(file, sizeof(file), "%s/results.csv", path);
	else
		snprintf(file, sizeof(file), "%s", path);
	err = table_slurp(file, &t->text);
	if (err)
		return err;
	n = csv_parse_record(t->text, &pos, fields, 256);
	if (n <= 0 || n > 256) {
		*bad_line = 1;
		table_free(t);
		return -EPROTO;
	}
	t->ncols = (size_t)n;
	t->header = malloc(t->ncols * sizeof(*t->header));
	if (!t->header) {
		table_free(t);
		return -ENOMEM;
	}
	memcpy(t->header, fields, t->ncols * sizeof(*fields));
	while ((n = csv_parse_record(t->text, &pos, fields, 256)) != -1) {
		line++;
		if (n == 1 && !fields[0][0])
			continue; /* blank line */
		if (n != (int)t->ncols) {
			*bad_line = line;
			table_free(t);
			return -EPROTO;
		}
		if (t->nrows == cap) {
			char **p;

			cap = cap ? 2 * cap : 256;
			p = realloc(t->cells, cap * t->ncols * sizeof(*p));
			if (!p) {
				table_free(t);
				return -ENOMEM;
			}
			t->cells = p;
		}
		memcpy(t->cells + t->nrows * t->ncols, fields, t->ncols * sizeof(*fields));
		t->nrows++;
	}
	return 0;
}

/* Give t every registry column: one a file written before the column
 * existed reads as the column's `absent` value.  -ENOMSG, with the name in
 * t->missing, when a column no results file can lack is absent. */
static int table_normalise(struct table *t)
{
	size_t add = 0, used = 0, ncols;
	char **cells, **header;

	for (size_t i = 0; i < columns_count(); i++) {
		const struct column *c = columns_at(i);

		if (table_col(t, c->name) >= 0)
			continue;
		if (!c->absent) {
			t->missing = c->name;
			return -ENOMSG;
		}
		add++;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		if (columns_find(t->header[i]) || used >= sizeof(t->unknown) - 1)
			continue;
		used += (size_t)snprintf(t->unknown + used, sizeof(t->unknown) - used, "%s%s",
					 used ? ", " : "", t->header[i]);
	}
	if (!add)
		return 0;
	ncols = t->ncols + add;
	header = malloc(ncols * sizeof(*header));
	cells = malloc((t->nrows * ncols + 1) * sizeof(*cells));
	if (!header || !cells) {
		free(header);
		free(cells);
		return -ENOMEM;
	}
	memcpy(header, t->header, t->ncols * sizeof(*header));
	for (size_t i = 0, k = t->ncols; i < columns_count(); i++)
		if (table_col(t, columns_at(i)->name) < 0)
			header[k++] = (char *)columns_at(i)->name;
	for (size_t r = 0; r < t->nrows; r++) {
		memcpy(cells + r * ncols, t->cells + r * t->ncols, t->ncols * sizeof(*cells));
		for (size_t k = t->ncols; k < ncols; k++)
			cells[r * ncols + k] = (char *)columns_find(header[k])->absent;
	}
	free(t->header);
	free(t->cells);
	t->header = header;
	t->cells = cells;
	t->ncols = ncols;
	return 0;
}

/* Every parameter cell must read back through its option, as a run wrote
 * it: a text where a number belongs would otherwise make a configuration
 * of its own.  Backend and workload names are only checked to be one
 * name: another build may have backends this one lacks.  -EINVAL with the
 * row in *bad and the message in msg. */
static int table_check_params(const struct table *t, size_t *bad, char *msg, size_t len)
{
	struct config scratch;

	options_defaults(&scratch);
	for (size_t i = 0; i < columns_count(); i++) {
		const struct column *c = columns_at(i);
		int col = table_col(t, c->name);
		bool names = c->option && (c->option->type == OPT_BACKENDS ||
					   c->option->type == OPT_WORKLOADS);

		if (c->group != COLUMN_PARAM || !c->option)
			continue;
		for (size_t r = 0; r < t->nrows; r++) {
			const char *v = table_cell(t, r, col);
			char why[256];

			if (names ? *v && !strchr(v, ',')
				  : !options_set(&scratch, c->option, v, why, sizeof(why)))
				continue;
			/* not applicable: a series option in another backend's row,
			 * a workload's own option in another workload's */
			if ((columns_is_series(c) || OPTF_WORKLOAD_FLAGS(c->option->flags)) &&
			    !strcmp(v, COLUMNS_NOT_APPLICABLE))
				continue;
			/* an option that is unset by default (--trace) reads as
			 * empty where a file lacks it */
			if (!*v && c->option->type == OPT_PATH && !c->option->def)
				continue;
			if (names)
				snprintf(why, sizeof(why), "invalid name '%s'", v);
			snprintf(msg, len, "column %s: %s", c->name, why);
			*bad = r + 2;
			return -EINVAL;
		}
	}
	return 0;
}

/* A row of a table, for options_series_name(). */
struct table_row_ref {
	const struct table *t;
	size_t row;
};

static void table_row_value(const struct option_def *o, const void *ctx, char *buf, size_t len)
{
	const struct table_row_ref *r = ctx;
	int col = o->csv ? table_col(r->t, o->csv) : -1;

	snprintf(buf, len, "%s", col >= 0 ? table_cell(r->t, r->row, col) : "");
}

/* Name every row's series as run names it (options_series_name()): the
 * backend and the options of its own that are not the default, from their
 * columns.  A file from before backends carried their options has mmap in
 * the backend column and madvise=random in its own; the name then says
 * it, so that series stays apart from mmap's.  Backends this build does not
 * know keep their names.  0 or -ENOMEM. */
static int table_name_series(struct table *t)
{
	int col = table_col(t, "backend");
	size_t need = 0;

	for (int pass = 0; pass < 2; pass++) {
		char *at = t->names;

		for (size_t r = 0; r < t->nrows; r++) {
			struct table_row_ref ref = { t, r };
			const char *v = table_cell(t, r, col);
			char base[CONFIG_SERIES_MAX], name[CONFIG_SERIES_MAX];
			const struct backend *b;

			snprintf(base, sizeof(base), "%.*s", (int)strcspn(v, ":"), v);
			b = backend_find(base);
			if (!b || !b->options)
				continue;
			options_series_name(b, table_row_value, &ref, name, sizeof(name));
			if (!strcmp(name, v))
				continue;
			if (!pass) {
				need += strlen(name) + 1;
				continue;
			}
			t->cells[r * t->ncols + (size_t)col] = strcpy(at, name);
			at += strlen(name) + 1;
		}
		if (pass || !need)
			return 0;
		t->names = malloc(need);
		if (!t->names)
			return -ENOMEM;
	}
	return 0;
}

int table_open(struct table *t, const char *path)
{
	size_t bad = 0;
	char msg[512];
	struct stat st;
	int err = table_load(t, path, &bad);

	if (!err)
		err = table_normalise(t);
	if (!err && !t->nrows)
		err = -ENODATA;
	if (!err)
		err = table_check_params(t, &bad, msg, sizeof(msg));
	if (!err)
		err = table_name_series(t);
	if (err == -EINVAL)
		error_msg("'%s' line %zu: %s", path, bad, msg);
	else if (err == -ENODATA)
		error_msg("'%s' holds no rows, only a header", path);
	else if (err == -EFTYPE_NOT_REGULAR)
		error_msg("'%s' is %s, not a results CSV or folder", path, datafile_kind(path));
	else if (err == -ENOENT && !stat(path, &st) && S_ISDIR(st.st_mode))
		error_msg("'%s' is a folder without results.csv (give a results folder or CSV)", path);
	else if (err == -EPROTO)
		error_msg("'%s' line %zu: not a well-formed results CSV", path, bad);
	else if (err == -ENOMSG)
		error_msg("'%s' is not an mmbench results file (no column '%s')", path,
			  t->missing);
	else if (err)
		error_msg("cannot read '%s': %s", path, strerror(-err));
	if (err) {
		table_free(t);
		return err == -ENOMEM ? EXIT_RUNTIME : EXIT_USAGE;
	}
	if (t->unknown[0])
		error_warn("'%s' has columns this mmbench does not know, ignored: %s", path,
			   t->unknown);
	return 0;
}

void table_free(struct table *t)
{
	free(t->text);
	free(t->names);
	free(t->cells);
	free(t->header);
	memset(t, 0, sizeof(*t));
}

int table_col(const struct table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (!strcmp(t->header[i], name))
			return (int)i;
	return -1;
}

bool table_is_num(const struct table *t, size_t r, int c)
{
	const char *s = table_cell(t, r, c);
	char *end;
	double v = strtod(s, &end);

	return *s && !*end && isfinite(v);
}

int table_cmp_cell(const char *a, const char *b)
{
	char *ea, *eb;
	double x = strtod(a, &ea), y = strtod(b, &eb);

	if (*a && *b && !*ea && !*eb)
		return (x > y) - (x < y);
	return strcmp(a, b);
}

static int table_param_columns(const struct table *t, int *cols, int max, bool by_host,
			       bool series)
{
	int n = 0;

	/* a host's filesystem is part of the configuration: the same
	 * parameters on ext4 and on xfs are two answers (make filesystems) */
	if (by_host) {
		cols[n++] = table_col(t, "host");
		cols[n++] = table_col(t, "fs_type");
	}
	for (size_t i = 0; i < columns_count() && n < max; i++)
		if (columns_at(i)->group == COLUMN_PARAM && (series || !columns_is_series(columns_at(i))))
			cols[n++] = table_col(t, columns_at(i)->name);
	return n;
}

int table_key_columns(const struct table *t, int *cols, int max, bool by_host)
{
	/* a backend's own options are the series' (its name says them) */
	return table_param_columns(t, cols, max, by_host, false);
}

int table_series_columns(const struct table *t, int *cols, int max, bool by_host)
{
	return table_param_columns(t, cols, max, by_host, true);
}

int table_cmp_config(const struct table *ta, size_t ra, const int *cols_a, const struct table *tb,
		     size_t rb, const int *cols_b, int n, int skip)
{
	for (int k = 0; k < n; k++) {
		int c;

		if (k == skip)
			continue;
		c = table_cmp_cell(table_cell(ta, ra, cols_a[k]), table_cell(tb, rb, cols_b[k]));
		if (c)
			return c;
	}
	return 0;
}

/* True when column c (other: oc) does not hold v in every row. */
static bool table_varies(const struct table *t, int c, const struct table *o, int oc, const char *v)
{
	for (size_t r = 0; r < t->nrows; r++)
		if (strcmp(table_cell(t, r, c), v))
			return true;
	for (size_t r = 0; o && r < o->nrows; r++)
		if (strcmp(table_cell(o, r, oc), v))
			return true;
	return false;
}

/* Append "name=value" for column k of row (sizes as 4K, 1M; a "_size" or
 * "_bytes" suffix dropped from the name), or the bare value for backend and
 * workload, after sep. */
static size_t table_append_param(const struct table *t, int col, size_t row, char sep, char *buf,
				 size_t used, size_t len)
{
	const char *name = t->header[col], *v = table_cell(t, row, col);
	bool bare = !strcmp(name, "backend") || !strcmp(name, "workload");
	const char *suffix = strstr(name, "_size") ? "_size" : strstr(name, "_bytes") ? "_bytes" : NULL;
	int namelen = suffix ? (int)(strstr(name, suffix) - name) : (int)strlen(name);
	char human[32], s[2] = { sep, 0 };

	if (used >= len)
		return used;
	if (suffix || !strcmp(name, "stdio_buffer"))
		v = parse_format_size(strtoull(v, NULL, 10), human, sizeof(human));
	if (bare)
		return used + (size_t)snprintf(buf + used, len - used, "%s%s", used ? s : "", v);
	return used + (size_t)snprintf(buf + used, len - used, "%s%.*s=%s", used ? s : "", namelen,
				       name, v);
}

void table_config_label(const struct table *t, const int *cols, int n, size_t row,
			const struct table *other, const int *other_cols, char sep, char *buf,
			size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int k = 0; k < n; k++) {
		const char *name = t->header[cols[k]], *v = table_cell(t, row, cols[k]);
		bool always = !strcmp(name, "backend") || !strcmp(name, "workload");

		if (always || table_varies(t, cols[k], other, other ? other_cols[k] : 0, v))
			used = table_append_param(t, cols[k], row, sep, buf, used, len);
	}
}

void table_config_name(const struct table *t, size_t row, char *buf, size_t len)
{
	static const char *const always[] = { "backend", "workload", "file_size", "block_size",
					      "cache" };
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(always) / sizeof(always[0]); i++)
		used = table_append_param(t, table_col(t, always[i]), row, '/', buf, used, len);
	for (size_t i = 0; i < columns_count(); i++) {
		const struct column *c = columns_at(i);
		int col = table_col(t, c->name);
		bool listed = false;

		for (size_t a = 0; a < sizeof(always) / sizeof(always[0]); a++)
			listed |= !strcmp(always[a], c->name);
		if (c->group != COLUMN_PARAM || listed || columns_is_series(c) ||
		    !strcmp(table_cell(t, row, col), c->absent))
			continue;
		used = table_append_param(t, col, row, '/', buf, used, len);
	}
}

void table_config_words(const struct table *t, size_t row, char *buf, size_t len)
{
	static const char *const bare[] = { "workload", "file_size", "block_size", "cache" };
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(bare) / sizeof(bare[0]) && used < len; i++) {
		int col = table_col(t, bare[i]);
		const char *v = table_cell(t, row, col);
		char human[32];

		if (strstr(bare[i], "_size"))
			v = parse_format_size(strtoull(v, NULL, 10), human, sizeof(human));
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? " " : "", v);
	}
	for (size_t i = 0; i < columns_count(); i++) {
		const struct column *c = columns_at(i);
		int col = table_col(t, c->name);
		bool listed = !strcmp(c->name, "backend");

		for (size_t a = 0; a < sizeof(bare) / sizeof(bare[0]); a++)
			listed |= !strcmp(bare[a], c->name);
		if (c->group != COLUMN_PARAM || listed || columns_is_series(c) ||
		    !strcmp(table_cell(t, row, col), c->absent))
			continue;
		used = table_append_param(t, col, row, ' ', buf, used, len);
	}
}

struct table_sort {
	const struct table *t;
	const int *cols;
	int n, skip;
};

static int table_cmp_rows(const void *a, const void *b, void *arg)
{
	const struct table_sort *s = arg;

	return table_cmp_config(s->t, *(const size_t *)a, s->cols, s->t, *(const size_t *)b, s->cols,
				s->n, s->skip);
}

void table_sort_subset(const struct table *t, size_t *rows, size_t nrows, const int *cols, int n,
		       int skip)
{
	struct table_sort s = { t, cols, n, skip };

	qsort_r(rows, nrows, sizeof(*rows), table_cmp_rows, &s);
}

size_t *table_sort_rows(const struct table *t, const int *cols, int n, int skip)
{
	size_t *rows = malloc((t->nrows + 1) * sizeof(*rows));

	if (!rows)
		return NULL;
	for (size_t i = 0; i < t->nrows; i++)
		rows[i] = i;
	table_sort_subset(t, rows, t->nrows, cols, n, skip);
	return rows;
}

size_t table_group_end(const struct table *t, const size_t *rows, size_t nrows, const int *cols,
		       int n, int skip, size_t i)
{
	size_t j = i;

	while (j < nrows && !table_cmp_config(t, rows[i], cols, t, rows[j], cols, n, skip))
		j++;
	return j;
}

struct table_proc_sort {
	const struct table *t;
	int run_id;
};

static int table_cmp_by_process(const void *a, const void *b, void *arg)
{
	const struct table_proc_sort *s = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(table_cell(s->t, x, s->run_id), table_cell(s->t, y, s->run_id));

	return c ? c : (x > y) - (x < y);
}

struct table_proc {
	size_t first; /* the process's first row in the file */
	double median;
};

static int table_cmp_proc(const void *a, const void *b)
{
	size_t x = ((const struct table_proc *)a)->first, y = ((const struct table_proc *)b)->first;

	return (x > y) - (x < y);
}

int table_per_process(const struct table *t, const size_t *rows, size_t n, int metric,
		      double *med, size_t *nproc)
{
	struct table_proc_sort s = { t, table_col(t, "run_id") };
	size_t *sorted = malloc((n + 1) * sizeof(*sorted));
	struct table_proc *procs = malloc((n + 1) * sizeof(*procs));
	double *v = malloc((n + 1) * sizeof(*v));

	*nproc = 0;
	if (!sorted || !procs || !v) {
		free(sorted);
		free(procs);
		free(v);
		return -ENOMEM;
	}
	memcpy(sorted, rows, n * sizeof(*sorted));
	qsort_r(sorted, n, sizeof(*sorted), table_cmp_by_process, &s);
	for (size_t i = 0, j; i < n; i = j) {
		const char *id = table_cell(t, sorted[i], s.run_id);

		for (j = i; j < n && !strcmp(table_cell(t, sorted[j], s.run_id), id); j++)
			v[j - i] = table_num(t, sorted[j], metric);
		procs[*nproc].first = sorted[i];
		procs[(*nproc)++].median = stats_median(v, j - i);
	}
	qsort(procs, *nproc, sizeof(*procs), table_cmp_proc);
	for (size_t k = 0; k < *nproc; k++)
		med[k] = procs[k].median;
	free(sorted);
	free(procs);
	free(v);
	return 0;
}
