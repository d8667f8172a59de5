/* configkey.c - which parameters keep a results file's configurations
 * apart, and their words ("ops=16 hot=8M"), for every command and script
 * that names a configuration. */
#include "results/configkey.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/option.h"
#include "core/workload.h"
#include "results/columns.h"
#include "util/parse.h"
#include "workloads/workloads.h"

void config_key_init(struct config_key *s, const struct table *t, const int *key, unsigned nkey)
{
	s->t = t;
	s->key = key;
	s->nkey = nkey < CONFIG_KEY_MAX ? nkey : CONFIG_KEY_MAX;
	memset(s->varies, 0, sizeof(s->varies));
}

/* The columns that always name a configuration: never in "other". */
static bool config_key_named(const char *name)
{
	static const char *const named[] = { "host", "backend", "workload", "file_size", "block_size",
					     "cache" };

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (!strcmp(named[i], name))
			return true;
	return false;
}

/* The parameters taking two values among the configurations whose first
 * rows are first[0..ng). */
static void config_key_mark(struct config_key *s, const size_t *first, size_t ng)
{
	static const char *const same[] = { "host", "workload", "file_size", "block_size", "cache" };
	int cols[5];

	for (int k = 0; k < 5; k++)
		cols[k] = table_col(s->t, same[k]);
	for (size_t i = 0; i < ng; i++) {
		for (size_t j = i + 1; j < ng; j++) {
			if (table_cmp_config(s->t, first[i], cols, s->t, first[j], cols, 5, -1))
				continue;
			for (unsigned k = 0; k < s->nkey; k++)
				if (!config_key_named(s->t->header[s->key[k]]) &&
				    !columns_is_series(columns_find(s->t->header[s->key[k]])) &&
				    strcmp(table_cell(s->t, first[i], s->key[k]),
					   table_cell(s->t, first[j], s->key[k])))
					s->varies[k] = true;
		}
	}
}

/* The parameters that follow the named ones: ops, passes and hot, which a
 * workload resolves from its option's 0 by file and block, and direct,
 * which the cache names (bypass).  Only a second value among
 * configurations agreeing on those makes them an axis. */
static bool config_key_follows(const char *name)
{
	return !strcmp(name, "ops") || !strcmp(name, "passes") || !strcmp(name, "hot_bytes") ||
	       !strcmp(name, "direct");
}

/* Any other parameter is an axis wherever it takes two values, even
 * across files: a memory limit set on one file size only is named.  A
 * backend's own options are not: the series name says them
 * (mmap:madvise=random), and the backends that lack one hold "-". */
static void config_key_mark_anywhere(struct config_key *s, const size_t *rows, size_t n)
{
	for (unsigned k = 0; k < s->nkey; k++) {
		const char *name = s->t->header[s->key[k]];

		if (config_key_named(name) || config_key_follows(name) ||
		    columns_is_series(columns_find(name)))
			continue;
		for (size_t i = 1; i < n && !s->varies[k]; i++)
			s->varies[k] = strcmp(table_cell(s->t, rows[0], s->key[k]),
					      table_cell(s->t, rows[i], s->key[k])) != 0;
	}
}

int config_key_find_varying(struct config_key *s, const size_t *rows, size_t n, int skip_pos)
{
	size_t *first = malloc((n + 1) * sizeof(*first)), ng = 0;

	if (!first)
		return -ENOMEM;
	for (size_t i = 0; i < n;
	     i = table_group_end(s->t, rows, n, s->key, (int)s->nkey, skip_pos, i))
		first[ng++] = rows[i];
	config_key_mark(s, first, ng);
	config_key_mark_anywhere(s, first, ng);
	free(first);
	return 0;
}

/* True when column col of row holds what the row records for its option
 * left at the default, so it belongs to the default's row or series: the
 * column's default (columns.h), except ops, which a random workload
 * resolves to a quarter of the blocks and the others derive from passes
 * and hot (never a word of its own). */
static bool config_key_is_default(const struct config_key *s, size_t row, int col)
{
	const char *name = s->t->header[col], *v = table_cell(s->t, row, col);
	const struct column *c = columns_find(name);

	if (!strcmp(name, "ops")) {
		const struct workload *w =
			workload_find(table_cell(s->t, row, table_col(s->t, "workload")));

		if (w && !(w->flags & WORKLOAD_RANDOM))
			return true;
		if (w)
			return strtoull(v, NULL, 10) ==
			       workload_default_ops(strtoull(table_cell(s->t, row, table_col(s->t, "file_size")), NULL, 10),
						    strtoull(table_cell(s->t, row, table_col(s->t, "block_size")), NULL, 10));
	}
	/* a workload's own option: "-" in the others' rows, its default in
	 * that workload's */
	if (c && c->option && OPTF_WORKLOAD_FLAGS(c->option->flags) && c->option->def &&
	    !strcmp(v, c->option->def))
		return true;
	return c && c->absent && !strcmp(v, c->absent);
}

void config_key_other(const struct config_key *s, size_t row, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < s->nkey && used < len; k++) {
		const char *name = s->t->header[s->key[k]], *v = table_cell(s->t, row, s->key[k]);
		const struct column *c = columns_find(name);
		size_t nlen = strlen(name);
		char human[32];

		if (!s->varies[k] || config_key_is_default(s, row, s->key[k]))
			continue;
		if (c && !strcmp(c->unit, "bytes"))
			v = parse_format_size(strtoull(v, NULL, 10), human, sizeof(human));
		/* a trace is named by its file's name; its folder is in the rows */
		if (!strcmp(name, "trace") && strrchr(v, '/'))
			v = strrchr(v, '/') + 1;
		if (nlen > 5 && !strcmp(name + nlen - 5, "_size"))
			nlen -= 5;
		else if (nlen > 6 && !strcmp(name + nlen - 6, "_bytes"))
			nlen -= 6;
		used += (size_t)snprintf(buf + used, len - used, "%s%.*s=%s", used ? " " : "", (int)nlen,
					 name, v);
	}
}

