/*
 * options.h - the one table of `mmbench run` options.  The command-line
 * parser (cli.h), `--help`, sweep-file keys and the CSV parameter columns
 * all read it.
 */
#ifndef MMBENCH_OPTIONS_H
#define MMBENCH_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/config.h"

enum option_type {
	OPT_BACKENDS,  /* comma-separated backend names, or "all" */
	OPT_WORKLOADS, /* comma-separated workload names, or "all" */
	OPT_PATH,      /* a string kept as given */
	OPT_SIZE,      /* bytes with K/M/G/T suffix */
	OPT_COUNT,     /* plain unsigned number */
	OPT_CHOICE,    /* one of choices[]; the index is stored */
	OPT_FLAG,      /* no value; sets a bool */
};

/* Option flags. */
#define OPTF_NO_SWEEP (1u << 0) /* not allowed as a sweep key (the sweep owns it) */
#define OPTF_SWEEP_ONLY (1u << 1) /* a sweep key (and sweep flag), not a run option */

struct option_def {
	const char *name;    /* --name, and the key in sweep files */
	const char *metavar; /* shown in --help */
	enum option_type type;
	size_t offset;	     /* where the value lands in struct config */
	const char *def;     /* default as a user would type it; NULL: unset */
	uint64_t min, max;   /* bounds of OPT_SIZE and OPT_COUNT values */
	const char *const *choices; /* OPT_CHOICE values, NULL-terminated */
	const char *csv;     /* CSV column recording the value, or NULL */
	unsigned flags;	     /* OPTF_* */
	const char *help;
};

extern const struct option_def options[];
extern const size_t options_count;

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

/* Checks that span several options (file vs dir, block vs size, ...);
 * -EINVAL with a message in err. */
int options_validate(const struct config *cfg, char *err, size_t errlen);

/* The value of o in cfg as the CSV records it: bytes as plain numbers,
 * choices by name, lists comma-separated. */
void options_format(const struct config *cfg, const struct option_def *o, char *buf, size_t len);


#endif
