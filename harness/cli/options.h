/*
 * options.h - the one table of `mmbench run` options.  The command-line
 * parser (cli.h), `--help`, sweep-file keys and the CSV parameter columns
 * all read it, in its order (the order of --help lines and CSV columns).
 *
 * A row is described by struct option_def (core/option.h).  The generic
 * options are defined in options.c; an option that only some backends take
 * (--madvise, --fadvise, --qd, ...) is defined once by the backend code
 * that reads it and declared in those backends' `options` lists
 * (core/backend.h); options.c points at it at its fixed position.  Which
 * backends take an option is therefore never written down twice: messages
 * that name them are built from those lists.
 */
#ifndef MMBENCH_OPTIONS_H
#define MMBENCH_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/config.h"
#include "core/option.h"

struct backend;

extern const struct option_def *const options[];
extern const size_t options_count;

/* The position of o in options[] (its bit in config.given); options_count
 * when o is not a row of the table. */
size_t options_index(const struct option_def *o);

/* The option called name (without dashes), or NULL. */
const struct option_def *options_find(const char *name);

/* Set every option to its default. */
void options_defaults(struct config *cfg);

/* Parse value for option o into cfg.  On error returns -EINVAL and writes a
 * one-line message naming the flag and the value into err. */
int options_set(struct config *cfg, const struct option_def *o, const char *value, char *err,
		size_t errlen);

/* Whether the option called name was set by the user (a flag or a suite
 * key), not left at its default. */
bool options_given(const struct config *cfg, const char *name);

/* Checks that span several options (file vs dir, block vs size, an option
 * a selected backend does not take, ...); -EINVAL with a message in err. */
int options_validate(const struct config *cfg, char *err, size_t errlen);

/* Whether o is an option that backends declare (struct backend's
 * options): one a backend may carry in --backend (mmap:madvise=random),
 * and whose column rows of the backends that do not take it record as
 * "-" (not applicable). */
bool options_is_scoped(const struct option_def *o);

/* cfg as backends[i] runs it: the global options with the backend's own
 * from --backend (cfg->variant[i]) set over them. */
void options_variant(const struct config *cfg, unsigned i, struct config *out);

/* The value of option o in ctx as the CSV records it (options_format()'s
 * form), for options_series_name(). */
typedef void options_value_fn(const struct option_def *o, const void *ctx, char *buf,
			      size_t len);

/* The name of a series: backend b and, after colons, every option b takes
 * whose value (by value(o, ctx)) is not the default, in table order, sizes
 * as 64K and flags bare ("mmap:madvise=random:populate").  What rows put in
 * the backend column, whether the options came from --backend or from the
 * global flags, so one series has one name; it parses back as --backend. */
void options_series_name(const struct backend *b, options_value_fn *value, const void *ctx,
			 char *buf, size_t len);

/* The series name of backends[i] of cfg. */
void options_series(const struct config *cfg, unsigned i, char *buf, size_t len);

/* The index in cfg->backends of the series called name, or -1. */
int options_series_index(const struct config *cfg, const char *name);

/* --ratio A:B of cfg as two indices of cfg->backends: 0, or -EINVAL when
 * it is unset or does not name two of them. */
int options_ratio(const struct config *cfg, int *a, int *b);

/* The value of o in cfg as the CSV records it: bytes as plain numbers,
 * choices by name, lists comma-separated. */
void options_format(const struct config *cfg, const struct option_def *o, char *buf, size_t len);


#endif
