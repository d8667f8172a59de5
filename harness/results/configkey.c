/* configkey.c - which parameters keep a results file's configurations
 * apart, and their words ("ops=16 hot=8M"), for every command and script
 * that names a configuration. */
#include "results/configkey.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/columns.h"
#include "util/parse.h"

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

int config_key_find_varying(struct config_key *s, const size_t *rows, size_t n, int skip_pos)
{
	size_t *first = malloc((n + 1) * sizeof(*first)), ng = 0;

	if (!first)
		return -ENOMEM;
	for (size_t i = 0; i < n;
	     i = table_group_end(s->t, rows, n, s->key, (int)s->nkey, skip_pos, i))
		first[ng++] = rows[i];
	config_key_mark(s, first, ng);
	free(first);
	return 0;
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

		if (!s->varies[k])
			continue;
		if (c && !strcmp(c->unit, "bytes"))
			v = parse_format_size(strtoull(v, NULL, 10), human, sizeof(human));
		if (nlen > 5 && !strcmp(name + nlen - 5, "_size"))
			nlen -= 5;
		else if (nlen > 6 && !strcmp(name + nlen - 6, "_bytes"))
			nlen -= 6;
		used += (size_t)snprintf(buf + used, len - used, "%s%.*s=%s", used ? " " : "", (int)nlen,
					 name, v);
	}
}

