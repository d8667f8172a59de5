/*
 * configkey.h - the words that tell a results file's configurations
 * apart beyond the ones every table names (host, backend, workload, file
 * size, block size, cache): the parameters that take two values among
 * configurations agreeing on those, where a row's value is not its
 * option's default, as "ops=16 hot=8M", sizes as mmbench prints them.  `mmbench verdicts` and `mmbench summary` print them as the
 * `other` column, so no script rebuilds a configuration key.
 */
#ifndef MMBENCH_CONFIGKEY_H
#define MMBENCH_CONFIGKEY_H

#include <stdbool.h>
#include <stddef.h>

#include "results/table.h"

#define CONFIG_KEY_MAX 64

struct config_key {
	const struct table *t;
	const int *key; /* the key columns (table_key_columns) */
	unsigned nkey;
	bool varies[CONFIG_KEY_MAX]; /* key[k] goes in "other" */
};

/* A key over t's columns key[0..nkey), nothing varying yet. */
void config_key_init(struct config_key *s, const struct table *t, const int *key, unsigned nkey);

/* Mark the key columns that keep configurations apart: those taking two
 * values among the configurations of rows[0..n) (sorted by the key, the
 * column at skip_pos left out of grouping, or -1) that agree on host,
 * workload, file, block and cache; and, but for the ones that follow
 * those (ops, passes, hot, direct), those taking two values anywhere.
 * 0 or -ENOMEM. */
int config_key_find_varying(struct config_key *s, const size_t *rows, size_t n, int skip_pos);

/* The varying parameters of row whose value is not the one its option's
 * default gives (the default's row or series holds the others, so an axis
 * applies where it varies and nowhere else), as "name=value" words,
 * space-separated, a "_size" or "_bytes" suffix dropped from the name; ""
 * when none.  Two configurations agreeing on the named columns never get
 * the same words: where they differ, at most one holds the default. */
void config_key_other(const struct config_key *s, size_t row, char *buf, size_t len);

#endif
