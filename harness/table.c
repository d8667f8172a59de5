#include "table.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv.h"
#include "options.h"
#include "parse.h"

/* Read a whole file into a NUL-terminated buffer. */
static int table_slurp(const char *path, char **out)
{
	FILE *f = fopen(path, "re");
	size_t len = 0, cap = 1 << 16;
	char *buf;

	if (!f)
		return -errno;
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

void table_free(struct table *t)
{
	free(t->text);
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

int table_cmp_cell(const char *a, const char *b)
{
	char *ea, *eb;
	double x = strtod(a, &ea), y = strtod(b, &eb);

	if (*a && *b && !*ea && !*eb)
		return (x > y) - (x < y);
	return strcmp(a, b);
}

int table_config_columns(const struct table *t, int *cols, int max, const char **missing)
{
	int n = 0;

	for (size_t i = 0; i < options_count && n < max; i++) {
		if (!options[i].csv)
			continue;
		cols[n] = table_col(t, options[i].csv);
		if (cols[n] < 0) {
			*missing = options[i].csv;
			return -1;
		}
		n++;
	}
	return n;
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

void table_config_label(const struct table *t, const int *cols, int n, size_t row,
			const struct table *other, const int *other_cols, char sep, char *buf,
			size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int k = 0; k < n && used < len; k++) {
		const char *name = t->header[cols[k]], *v = table_cell(t, row, cols[k]);
		bool always = !strcmp(name, "backend") || !strcmp(name, "workload");
		const char *suffix = strstr(name, "_size") ? "_size" : strstr(name, "_bytes") ? "_bytes" : NULL;
		char human[32];
		int namelen = suffix ? (int)(strstr(name, suffix) - name) : (int)strlen(name);

		if (!always && !table_varies(t, cols[k], other, other ? other_cols[k] : 0, v))
			continue;
		if (suffix || !strcmp(name, "stdio_buffer"))
			v = parse_format_size(strtoull(v, NULL, 10), human, sizeof(human));
		if (always)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? (char[]){ sep, 0 } : "", v);
		else
			used += (size_t)snprintf(buf + used, len - used, "%s%.*s=%s",
						 used ? (char[]){ sep, 0 } : "", namelen, name, v);
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

size_t *table_sort_rows(const struct table *t, const int *cols, int n, int skip)
{
	struct table_sort s = { t, cols, n, skip };
	size_t *rows = malloc((t->nrows + 1) * sizeof(*rows));

	if (!rows)
		return NULL;
	for (size_t i = 0; i < t->nrows; i++)
		rows[i] = i;
	qsort_r(rows, t->nrows, sizeof(*rows), table_cmp_rows, &s);
	return rows;
}

size_t table_group_end(const struct table *t, const size_t *rows, const int *cols, int n, int skip,
		       size_t i)
{
	size_t j = i;

	while (j < t->nrows && !table_cmp_config(t, rows[i], cols, t, rows[j], cols, n, skip))
		j++;
	return j;
}
