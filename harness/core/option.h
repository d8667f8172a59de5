/*
 * option.h - what one `mmbench run` option is: its name, type, where its
 * value lands in struct config, its default, bounds, CSV column and help.
 *
 * The description lives here, below the backends, so that a backend can
 * declare the options it takes (struct backend's options, core/backend.h)
 * next to the code that reads them; the one table that parses, documents
 * and records every option is cli/options.c, which lists the generic rows
 * and points at the backends' declarations at fixed positions.  Each option
 * is defined exactly once, wherever it is declared.
 */
#ifndef MMBENCH_OPTION_H
#define MMBENCH_OPTION_H

#include <stddef.h>
#include <stdint.h>

struct config;

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
/* An option of the workloads with workload flag wflag (WORKLOAD_*) only:
 * the rows of the others record it as not applicable. */
#define OPTF_ONLY_FOR(wflag) ((unsigned)(wflag) << 8)
#define OPTF_WORKLOAD_FLAGS(flags) ((flags) >> 8)

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
	/* Options that backends declare only: why the backend called name,
	 * which does not declare this option, cannot run with its value in
	 * cfg (which is not the default); takers lists the backends that do
	 * declare it ("mmap, mmapcopy").  NULL: the others ignore it. */
	void (*refuse)(const struct option_def *o, const struct config *cfg, const char *takers,
		       const char *name, char *why, size_t len);
};

#endif
