#include "cli/options.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/backends.h"
#include "core/backend.h"
#include "core/stream.h"
#include "core/workload.h"
#include "sys/datafile.h"
#include "util/error.h"
#include "util/parse.h"
#include "workloads/workloads.h"

/* "bypass" is recorded, not chosen: it is the cache of every --direct row. */
static const char *const cache_choices[] = { "warm", "cold", "asis", "resident", "bypass", NULL };
static const char *const sync_choices[] = { "none", "end", "each", NULL };
static const char *const touch_choices[] = { "all", "page", NULL };
/* In the order of enum hints_mode and enum replay_timing. */
static const char *const hints_choices[] = { "recorded", "none", NULL };
static const char *const replay_timing_choices[] = { "asap", "recorded", NULL };

#define CFG(field) offsetof(struct config, field)
/* A generic row: defined here, with static storage; every backend takes it
 * (no refuse). */
#define ROW(...) (&(const struct option_def){ __VA_ARGS__, NULL })
#define GIB (1ULL << 30)
#define TIB (1ULL << 40)

/* --interval: 0 is off, and 1 to 9 ms would sample faster than the
 * sampler's own reads of /proc keep up with, at more than the 2% of the
 * region it may cost (options_least_on). */
static const struct option_def option_interval = {
	"interval", "MS", OPT_COUNT, CFG(interval), "0", 0, 3600000, NULL, "interval_ms", 0,
	"every MS milliseconds of a timed region, a sampler records its progress "
	"(operations, bytes, device bytes, faults, TLB shootdowns, resident share) as a line of "
	"series.csv beside the rows (see docs/columns.md); 0: off, else at least 10",
	NULL,
};

/* The counts whose 0 means off, and the least value that is not 0. */
static const struct {
	const struct option_def *o;
	uint64_t least;
} options_least_on[] = {
	{ &option_interval, 10 },
};
#define OPTIONS_NLEAST_ON (sizeof(options_least_on) / sizeof(options_least_on[0]))

/*
 * The order is that of --help and of the CSV parameter columns (a file
 * format: never reorder).  The options of backends sit at their fixed
 * place here, but are defined where backends declare them.
 */
const struct option_def *const options[] = {
	ROW("backend", "LIST", OPT_BACKENDS, CFG(backends), "all", 0, 0, NULL, "backend", 0,
	  "backends to compare, comma-separated, or all (see --list); NAME:OPTION=VALUE gives "
	  "one its own options, as a series of its own (mmap:madvise=random,read)"),
	ROW("workload", "LIST", OPT_WORKLOADS, CFG(workloads), "all", 0, 0, NULL, "workload", 0,
	  "workloads to run, comma-separated, or all (see --list)"),
	ROW("file", "PATH", OPT_PATH, CFG(file), NULL, 0, 0, NULL, NULL, OPTF_NO_SWEEP,
	  "measure this existing file (read workloads never modify it)"),
	ROW("dir", "DIR", OPT_PATH, CFG(dir), "/var/tmp", 0, 0, NULL, NULL, OPTF_NO_SWEEP,
	  "create a temporary pattern file here, removed at exit"),
	ROW("size", "SIZE", OPT_SIZE, CFG(size), "64M", 4096, 4 * TIB, NULL, "file_size", 0,
	  "size of the temporary file"),
	ROW("block", "SIZE", OPT_SIZE, CFG(block), "4K", 8, GIB, NULL, "block_size", 0,
	  "bytes per read or update, a multiple of 8"),
	ROW("ops", "N", OPT_COUNT, CFG(ops), "0", 0, 100000000, NULL, "ops", 0,
	  "operations of randread and inplace; 0: a quarter of the file's blocks"),
	ROW("passes", "N", OPT_COUNT, CFG(passes), "0", 0, 1000000, NULL, "passes", 0,
	  "passes of seqread and reread; 0: 1 for seqread, 8 for reread"),
	ROW("hot", "SIZE", OPT_SIZE, CFG(hot), "0", 0, 4 * TIB, NULL, "hot_bytes", 0,
	  "reread hot set, the file's first bytes; 0: 1/8 of the file"),
	ROW("cache", "MODE", OPT_CHOICE, CFG(cache), "warm", 0, 0, cache_choices, "cache", 0,
	  "warm: evicted, then read back in order (one canonical state); cold: evicted; "
	  "asis: as found; resident: as found, but every page cached (all checked)"),
	ROW("sync", "MODE", OPT_CHOICE, CFG(sync), "none", 0, 0, sync_choices, "sync", 0,
	  "durability of the writing workloads inside the timed region: none, end (one "
	  "msync/fsync), or each (after every write)"),
	&mmap_option_madvise,
	&mmap_option_populate,
	&backend_option_fadvise,
	&mmap_option_map_scope,
	ROW("touch", "WHAT", OPT_CHOICE, CFG(touch), "all", 0, 0, touch_choices, "touch", 0,
	  "what the reading workloads consume of a block: all (every word) or page (one "
	  "word per page, as a pointer-chasing index)"),
	ROW("dist", "DIST", OPT_PATH, CFG(dist), "uniform", 0, 0, NULL, "dist", 0,
	  "offsets of the random workloads: uniform, zipf:THETA (0..1, e.g. 0.99) or "
	  "hot:FRACTION:PROB (that fraction of the blocks gets that share of the reads)"),
	ROW("threads", "N", OPT_COUNT, CFG(threads), "1", 1, CONFIG_MAX_THREADS, NULL, "threads", 0,
	  "threads issuing operations at once, started together; each has its own slice "
	  "(sequential) or offset stream (random)"),
	&uring_option_qd,
	ROW("direct", NULL, OPT_FLAG, CFG(direct), NULL, 0, 0, NULL, "direct", 0,
	  "O_DIRECT: bypass the page cache (backends read and uring); rows record cache=bypass"),
	ROW("mem-limit", "SIZE", OPT_SIZE, CFG(mem_limit), "0", 0, 4 * TIB, NULL, "mem_limit", 0,
	  "leave only SIZE of memory for the page cache while measuring (a cgroup v2 child, "
	  "else a balloon of memory mmbench holds; see docs/memory-pressure.md); 0: no limit"),
	ROW("worker", "CMD", OPT_PATH, CFG(worker), NULL, 0, 0, NULL, NULL, OPTF_NO_SWEEP,
	  "an external worker program (e.g. scripts/pybench): its backends join --backend "
	  "(see docs/external-workers.md)"),
	ROW("reps", "N", OPT_COUNT, CFG(reps), "5", 1, 100000, NULL, NULL, 0,
	  "measured repetitions of each backend x workload"),
	ROW("warmup", "N", OPT_COUNT, CFG(warmup), "1", 0, 1000, NULL, NULL, 0,
	  "unrecorded repetitions before the measured ones"),
	ROW("seed", "N", OPT_COUNT, CFG(seed), "1", 0, UINT64_MAX, NULL, "seed", 0,
	  "seed of the file pattern and of the random offsets"),
	&stdio_option_buffer,
	ROW("latency-every", "N", OPT_COUNT, CFG(latency_every), "16", 0, 1000000, NULL,
	  "latency_every", 0, "time one operation in N for latency percentiles; 1: all, 0: none"),
	ROW("procs", "N", OPT_COUNT, CFG(procs), "0", 0, 1000, NULL, NULL, OPTF_SWEEP_ONLY,
	  "sweep: run every configuration in N fresh processes, in shuffled rounds; 0: in the "
	  "sweep's own process"),
	ROW("settle", "SECONDS", OPT_COUNT, CFG(settle), "0", 0, 86400, NULL, NULL, OPTF_SWEEP_ONLY,
	  "sweep with procs: then, for up to SECONDS, more rounds of mmap and read where their "
	  "verdict is not yet decided at 95% and more rounds would likely decide it; 0: none"),
	ROW("timeout", "SECONDS", OPT_COUNT, CFG(timeout), "0", 0, 86400, NULL, NULL, OPTF_SWEEP_ONLY,
	  "sweep with procs: a process still running after SECONDS is stopped (SIGTERM, then "
	  "SIGKILL 10 s later) and counted as failed; 0: no limit"),
	ROW("ratio", "A:B", OPT_PATH, CFG(ratio), NULL, 0, 0, NULL, NULL, OPTF_NO_SWEEP,
	  "the summary's paired ratio: backend A against B (default: each against read)"),
	ROW("csv", "FILE", OPT_PATH, CFG(csv), NULL, 0, 0, NULL, NULL, OPTF_NO_SWEEP,
	  "append rows to FILE (header once) instead of stdout"),
	ROW("quiet", NULL, OPT_FLAG, CFG(quiet), NULL, 0, 0, NULL, NULL, OPTF_NO_SWEEP,
	  "no summary table or progress on stderr"),
	ROW("allow-write", NULL, OPT_FLAG, CFG(allow_write), NULL, 0, 0, NULL, NULL, OPTF_NO_SWEEP,
	  "let the writing workloads modify a --file, and a replay its recorded files "
	  "(journaled, restored after each repetition)"),
	ROW("read-pct", "N", OPT_COUNT, CFG(read_pct), "50", 0, 100, NULL, "read_pct",
	  OPTF_ONLY_FOR(WORKLOAD_MIXED),
	  "randrw: the percentage of its operations that read (fio's rwmixread); the rest write"),
	ROW("trace", "TRACE", OPT_PATH, CFG(trace), NULL, 0, 0, NULL, "trace", OPTF_ONLY_FOR(WORKLOAD_TRACE),
	  "replay: the trace to replay (mmbench record's, a fio iolog v2/v3, or mmbench plan "
	  "JSON; see docs/traces.md), with --workload replay"),
	ROW("hints", "WHICH", OPT_CHOICE, CFG(hints), "recorded", 0, 0, hints_choices, "hints", OPTF_ONLY_FOR(WORKLOAD_TRACE),
	  "replay: apply the advice the trace recorded on each file (fadvise, madvise, "
	  "MAP_POPULATE) where no option sets it, or none"),
	ROW("replay-timing", "WHEN", OPT_CHOICE, CFG(replay_timing), "asap", 0, 0,
	  replay_timing_choices, "replay_timing", OPTF_ONLY_FOR(WORKLOAD_TRACE),
	  "replay: asap (each thread's operations back to back) or recorded (each waits for "
	  "its recorded time since the start)"),
	ROW("trace-files", "WHERE", OPT_PATH, CFG(trace_files), "recorded", 0, 0, NULL,
	  "trace_files", OPTF_ONLY_FOR(WORKLOAD_TRACE),
	  "replay: on the recorded files (checked against the trace), or remap=DIR: on pattern "
	  "files of their sizes made in DIR (removed at exit), verified by the pattern"),
	ROW("nrfiles", "N", OPT_COUNT, CFG(nrfiles), "1", 1, 4096, NULL, "nrfiles", 0,
	  "spread --size over N files of --size / N bytes, each with a seed of its own (fio's "
	  "nrfiles); each operation goes to the file its offset falls in"),
	/* new rows go last: their columns follow every earlier one */
	&option_interval,
};

const size_t options_count = sizeof(options) / sizeof(options[0]);

size_t options_index(const struct option_def *o)
{
	size_t i = 0;

	while (i < options_count && options[i] != o)
		i++;
	return i;
}

const struct option_def *options_find(const char *name)
{
	for (size_t i = 0; i < options_count; i++)
		if (!strcmp(options[i]->name, name))
			return options[i];
	return NULL;
}

static void options_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void options_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

bool options_is_scoped(const struct option_def *o)
{
	char takers[128];

	return *backends_taking(o, takers, sizeof(takers));
}

/* The options backends declare, comma-separated: what may follow a
 * backend's name in --backend. */
static const char *options_scoped_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < options_count && used < len; i++)
		if (options_is_scoped(options[i]))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
						 options[i]->name);
	return buf;
}

/* One option of a backend's list ("madvise=random" of mmap:madvise=random),
 * set in cfg through the entry that parses --madvise; seen holds the
 * options already set by the list.  Messages name the whole item. */
static int options_set_scoped(const struct backend *b, const char *text, char *item,
			      struct config *cfg, uint64_t *seen, char *err, size_t errlen)
{
	char *value = strchr(item, '='), why[384], names[256];
	const struct option_def *o;

	if (value)
		*value++ = '\0';
	o = options_find(item);
	if (!o || !options_is_scoped(o)) {
		options_err(err, errlen,
			    "--backend %s:%s: '%s' is not an option of a backend (use %s)", b->name,
			    text, item, options_scoped_names(names, sizeof(names)));
		return -EINVAL;
	}
	if (!backend_takes(b, o)) {
		options_err(err, errlen, "--backend %s:%s: %s has no %s (an option of %s)", b->name,
			    text, b->name, o->name, backends_taking(o, names, sizeof(names)));
		return -EINVAL;
	}
	if (*seen >> options_index(o) & 1) {
		options_err(err, errlen, "--backend %s:%s: %s given twice", b->name, text, o->name);
		return -EINVAL;
	}
	*seen |= 1ULL << options_index(o);
	if ((!value || !*value) && o->type != OPT_FLAG) {
		options_err(err, errlen, "--backend %s:%s: missing value for %s (use %s=%s)", b->name,
			    text, o->name, o->name, o->metavar);
		return -EINVAL;
	}
	if (options_set(cfg, o, value, why, sizeof(why))) {
		options_err(err, errlen, "--backend %s:%s: %s", b->name, text, why);
		return -EINVAL;
	}
	return 0;
}

/* Set b's own options, text ("madvise=random:populate"), in cfg. */
static int options_apply_variant(const struct backend *b, const char *text, struct config *cfg,
				 char *err, size_t errlen)
{
	char copy[CONFIG_VARIANT_MAX], *next = copy;
	uint64_t seen = 0;

	if (!*text)
		return 0;
	if (snprintf(copy, sizeof(copy), "%s", text) >= (int)sizeof(copy)) {
		options_err(err, errlen, "--backend %s:%s: too long (at most %d characters of options)",
			    b->name, text, CONFIG_VARIANT_MAX - 1);
		return -EINVAL;
	}
	while (next) {
		char *item = strsep(&next, ":");
		int rc;

		if (!*item) {
			options_err(err, errlen, "--backend %s:%s: an empty option (use e.g. %s:%s)",
				    b->name, text, b->name,
				    b->options && b->options[0] ? b->options[0]->name : "NAME=VALUE");
			return -EINVAL;
		}
		rc = options_set_scoped(b, text, item, cfg, &seen, err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}

/* Whether text is a valid list of b's own options (nothing is set). */
static int options_check_variant(const void *b, const char *text, char *err, size_t errlen)
{
	struct config scratch;

	memset(&scratch, 0, sizeof(scratch));
	return options_apply_variant(b, text, &scratch, err, errlen);
}

void options_variant(const struct config *cfg, unsigned i, struct config *out)
{
	char err[512];

	*out = *cfg;
	/* checked when the list was parsed: failing now is a programmer's
	 * mistake */
	if (options_apply_variant(cfg->backends[i], cfg->variant[i], out, err, sizeof(err))) {
		error_msg("%s", err);
		abort();
	}
}

void options_series_name(const struct backend *b, options_value_fn *value, const void *ctx,
			 char *buf, size_t len)
{
	static struct config defaults;
	static bool ready;
	size_t used;

	if (!ready) {
		options_defaults(&defaults);
		ready = true;
	}
	used = (size_t)snprintf(buf, len, "%s", b->name);
	for (size_t i = 0; i < options_count && used < len; i++) {
		const struct option_def *o = options[i];
		char v[64], def[64], human[32];

		if (!backend_takes(b, o))
			continue;
		value(o, ctx, v, sizeof(v));
		options_format(&defaults, o, def, sizeof(def));
		if (!strcmp(v, def))
			continue;
		if (o->type == OPT_FLAG)
			used += (size_t)snprintf(buf + used, len - used, ":%s", o->name);
		else
			used += (size_t)snprintf(buf + used, len - used, ":%s=%s", o->name,
						 o->type == OPT_SIZE ? parse_format_size(strtoull(v, NULL, 10),
											 human, sizeof(human))
								     : v);
	}
}

/* The value of o in the config ctx, for options_series_name(). */
static void options_value_of_config(const struct option_def *o, const void *ctx, char *buf,
				    size_t len)
{
	options_format(ctx, o, buf, len);
}

void options_series(const struct config *cfg, unsigned i, char *buf, size_t len)
{
	struct config v;

	options_variant(cfg, i, &v);
	options_series_name(cfg->backends[i], options_value_of_config, &v, buf, len);
}

/* Parse a comma-separated list of names (or "all") through find(); an
 * unknown name gets the valid ones and the nearest (name_of gives them). */
static int options_set_list(const struct option_def *o, const char *value, const void **out,
			    unsigned *n, unsigned max, const void *(*find)(const char *),
			    const char *(*name_of)(const void *), const void *const *all,
			    char (*variant)[CONFIG_VARIANT_MAX], char *err, size_t errlen)
{
	char copy[1024], *save = NULL;

	*n = 0;
	if (!strcmp(value, "all")) {
		for (; *n < max && all[*n]; (*n)++) {
			out[*n] = all[*n];
			if (variant)
				variant[*n][0] = '\0';
		}
		return 0;
	}
	if (snprintf(copy, sizeof(copy), "%s", value) >= (int)sizeof(copy) || !*value) {
		options_err(err, errlen, "invalid list '%s' for --%s", value, o->name);
		return -EINVAL;
	}
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		/* a backend's own options follow its name: mmap:madvise=random */
		char *opts = variant ? strchr(tok, ':') : NULL;
		const void *item;

		if (opts)
			*opts++ = '\0';
		item = find(tok);

		if (!strcmp(tok, "all")) {
			options_err(err, errlen, "'all' stands alone in --%s, not in a list ('%s')",
				    o->name, value);
			return -EINVAL;
		}
		if (!item) {
			const char *names[CONFIG_MAX_BACKENDS + CONFIG_MAX_WORKLOADS];
			char list[512] = "", hint[96] = "";
			unsigned long nn = 0;
			const char *near;

			for (; nn < max && all[nn]; nn++) {
				names[nn] = name_of(all[nn]);
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
					 nn ? ", " : "", names[nn]);
			}
			near = parse_nearest(tok, names, nn);
			if (near)
				snprintf(hint, sizeof(hint), "did you mean '%s'? ", near);
			options_err(err, errlen, "unknown %s '%s' for --%s (%suse %s, or all)", o->name,
				    tok, o->name, hint, list);
			return -EINVAL;
		}
		/* the same name with other options is another series; whether
		 * two series come out the same is options_validate()'s */
		for (unsigned i = 0; i < *n; i++) {
			if (out[i] == item && (!variant || !strcmp(variant[i], opts ? opts : ""))) {
				options_err(err, errlen, "%s '%s%s%s' given twice in --%s", o->name, tok,
					    opts ? ":" : "", opts ? opts : "", o->name);
				return -EINVAL;
			}
		}
		if (*n == max) {
			options_err(err, errlen, "too many names in --%s '%s'", o->name, value);
			return -EINVAL;
		}
		if (opts && !*opts) {
			options_err(err, errlen,
				    "--%s %s:: nothing after the colon (use e.g. mmap:madvise=random)",
				    o->name, tok);
			return -EINVAL;
		}
		if (variant) {
			int rc = options_check_variant(item, opts ? opts : "", err, errlen);

			if (rc)
				return rc;
			snprintf(variant[*n], CONFIG_VARIANT_MAX, "%s", opts ? opts : "");
		}
		out[(*n)++] = item;
	}
	if (!*n) {
		options_err(err, errlen, "invalid list '%s' for --%s", value, o->name);
		return -EINVAL;
	}
	return 0;
}

static const void *options_find_backend(const char *name)
{
	return backend_find(name);
}

static const void *options_find_workload(const char *name)
{
	return workload_find(name);
}

static const char *options_backend_name(const void *b)
{
	return ((const struct backend *)b)->name;
}

static const char *options_workload_name(const void *w)
{
	return ((const struct workload *)w)->name;
}

static int options_set_number(const struct option_def *o, const char *value, uint64_t *out,
			      char *err, size_t errlen)
{
	bool size = o->type == OPT_SIZE;
	int rc = size ? parse_size(value, out) : parse_uint(value, out);
	char lo[32], hi[32];

	if (rc == -EINVAL) {
		if (size)
			options_err(err, errlen, "invalid size '%s' for --%s (use e.g. 4K, 1M, 2G)",
				    value, o->name);
		else
			options_err(err, errlen, "invalid number '%s' for --%s", value, o->name);
		return -EINVAL;
	}
	for (size_t i = 0; rc == 0 && *out && i < OPTIONS_NLEAST_ON; i++) {
		if (options_least_on[i].o != o || *out >= options_least_on[i].least)
			continue;
		options_err(err, errlen, "number '%s' for --%s is too small (0: off, or %llu to %llu)",
			    value, o->name, (unsigned long long)options_least_on[i].least,
			    (unsigned long long)o->max);
		return -EINVAL;
	}
	if (rc == -ERANGE || *out < o->min || *out > o->max) {
		if (size) {
			parse_format_size(o->min, lo, sizeof(lo));
			parse_format_size(o->max, hi, sizeof(hi));
		} else {
			snprintf(lo, sizeof(lo), "%llu", (unsigned long long)o->min);
			snprintf(hi, sizeof(hi), "%llu", (unsigned long long)o->max);
		}
		options_err(err, errlen, "%s '%s' for --%s is out of range (%s to %s)",
			    size ? "size" : "number", value, o->name, lo, hi);
		return -EINVAL;
	}
	return 0;
}

int options_set(struct config *cfg, const struct option_def *o, const char *value, char *err,
		size_t errlen)
{
	void *field = (char *)cfg + o->offset;
	int rc = 0;

	switch (o->type) {
	case OPT_BACKENDS:
		rc = options_set_list(o, value, (const void **)cfg->backends, &cfg->nbackends,
				      CONFIG_MAX_BACKENDS, options_find_backend, options_backend_name,
				      (const void *const *)backends, cfg->variant, err, errlen);
		break;
	case OPT_WORKLOADS:
		rc = options_set_list(o, value, (const void **)cfg->workloads, &cfg->nworkloads,
				      CONFIG_MAX_WORKLOADS, options_find_workload, options_workload_name,
				      (const void *const *)workloads, NULL, err, errlen);
		/* all: the synthetic ones; a replay needs its --trace */
		if (!rc && !strcmp(value, "all")) {
			unsigned kept = 0;

			for (unsigned i = 0; i < cfg->nworkloads; i++)
				if (!(cfg->workloads[i]->flags & WORKLOAD_TRACE))
					cfg->workloads[kept++] = cfg->workloads[i];
			cfg->nworkloads = kept;
		}
		break;
	case OPT_PATH:
		if (!value || !*value) {
			options_err(err, errlen, "empty path for --%s", o->name);
			return -EINVAL;
		}
		*(const char **)field = value;
		break;
	case OPT_SIZE:
	case OPT_COUNT:
		rc = options_set_number(o, value, field, err, errlen);
		break;
	case OPT_CHOICE:
		for (unsigned i = 0; o->choices[i]; i++) {
			if (!strcmp(o->choices[i], value)) {
				*(unsigned *)field = i;
				return 0;
			}
		}
		{
			char list[128] = "";

			for (unsigned i = 0; o->choices[i]; i++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
					 i == 0 ? "" : o->choices[i + 1] ? ", " : " or ", o->choices[i]);
			options_err(err, errlen, "invalid value '%s' for --%s (use %s)", value, o->name,
				    list);
		}
		return -EINVAL;
	case OPT_FLAG:
		/* a flag on the command line has no value; in a suite it is 0 or 1 */
		if (value && strcmp(value, "0") && strcmp(value, "1")) {
			options_err(err, errlen, "invalid value '%s' for --%s (use 0 or 1)", value,
				    o->name);
			return -EINVAL;
		}
		*(bool *)field = !value || !strcmp(value, "1");
		break;
	}
	return rc;
}

void options_defaults(struct config *cfg)
{
	char err[256];

	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < options_count; i++) {
		/* The defaults are constants of this file: failing to parse
		 * one is a programmer's mistake. */
		if (options[i]->def && options_set(cfg, options[i], options[i]->def, err, sizeof(err))) {
			error_msg("bad default for --%s: %s", options[i]->name, err);
			abort();
		}
	}
}

bool options_given(const struct config *cfg, const char *name)
{
	const struct option_def *o = options_find(name);

	return o && (cfg->given >> options_index(o) & 1);
}

static bool options_selects(const struct config *cfg, const struct workload *w)
{
	for (unsigned i = 0; i < cfg->nworkloads; i++)
		if (cfg->workloads[i] == w)
			return true;
	return false;
}

/* The checks of options_validate(): each 0, or -EINVAL with the message
 * in err. */

static int options_check_source(const struct config *cfg, char *err, size_t errlen)
{
	if (cfg->file && (options_given(cfg, "dir") || options_given(cfg, "size"))) {
		options_err(err, errlen, "--file cannot be combined with --dir or --size");
		return -EINVAL;
	}
	return 0;
}

/* Whether name is the series name of one of cfg's backends. */
static bool options_names_series(const char *name, const void *ctx)
{
	const struct config *cfg = ctx;

	return options_series_index(cfg, name) >= 0;
}

int options_series_index(const struct config *cfg, const char *name)
{
	for (unsigned k = 0; k < cfg->nbackends; k++) {
		char series[CONFIG_SERIES_MAX];

		options_series(cfg, k, series, sizeof(series));
		if (!strcmp(series, name))
			return (int)k;
	}
	return -1;
}

int options_ratio(const struct config *cfg, int *a, int *b)
{
	char na[CONFIG_SERIES_MAX], nb[CONFIG_SERIES_MAX];

	if (!cfg->ratio ||
	    parse_pair_known(cfg->ratio, na, nb, sizeof(na), options_names_series, cfg))
		return -EINVAL;
	*a = options_series_index(cfg, na);
	*b = options_series_index(cfg, nb);
	return 0;
}

static int options_check_ratio(const struct config *cfg, char *err, size_t errlen)
{
	int a, b;

	if (cfg->ratio && options_ratio(cfg, &a, &b)) {
		options_err(err, errlen,
			    "invalid value '%s' for --ratio (use A:B, two of the --backend names, "
			    "as rows name them)",
			    cfg->ratio);
		return -EINVAL;
	}
	return 0;
}

static int options_check_sizes(const struct config *cfg, char *err, size_t errlen)
{
	char a[32], b[32];

	if (cfg->block % 8) {
		options_err(err, errlen, "invalid size '%llu' for --block (must be a multiple of 8)",
			    (unsigned long long)cfg->block);
		return -EINVAL;
	}
	if (!cfg->file && cfg->block > cfg->size) {
		options_err(err, errlen, "--block %s is larger than the file (--size %s)",
			    parse_format_size(cfg->block, a, sizeof(a)),
			    parse_format_size(cfg->size, b, sizeof(b)));
		return -EINVAL;
	}
	if (!cfg->file && cfg->hot > cfg->size) {
		options_err(err, errlen, "--hot %s is larger than the file (--size %s)",
			    parse_format_size(cfg->hot, a, sizeof(a)),
			    parse_format_size(cfg->size, b, sizeof(b)));
		return -EINVAL;
	}
	return 0;
}

static int options_check_passes(const struct config *cfg, char *err, size_t errlen)
{
	if (options_selects(cfg, &workload_reread) && cfg->passes == 1) {
		options_err(err, errlen,
			    "--passes 1 leaves reread no steady-state pass (use 2 or more)");
		return -EINVAL;
	}
	return 0;
}

/* A file that cannot be measured (missing, a FIFO, a directory) is
 * reported as such when it is opened, not with advice about writing.
 * Whether a workload writes is its flag, never its name. */
static int options_check_writes(const struct config *cfg, char *err, size_t errlen)
{
	for (unsigned i = 0; i < cfg->nworkloads; i++) {
		const struct workload *w = cfg->workloads[i];

		if (cfg->file && !cfg->allow_write && (w->flags & WORKLOAD_WRITES) &&
		    !strcmp(datafile_kind(cfg->file), "a regular file")) {
			options_err(err, errlen,
				    "%s would modify '%s'; add --allow-write to let it (the "
				    "file is restored after each repetition)",
				    w->name, cfg->file);
			return -EINVAL;
		}
	}
	return 0;
}

/* Whether o has its default value in cfg. */
static bool options_is_default(const struct config *cfg, const struct option_def *o)
{
	struct config def;
	char now[256], was[256], err[256];

	memset(&def, 0, sizeof(def));
	if (o->def && options_set(&def, o, o->def, err, sizeof(err)))
		abort(); /* options_defaults() has already reported it */
	options_format(cfg, o, now, sizeof(now));
	options_format(&def, o, was, sizeof(was));
	return !strcmp(now, was);
}

/* A global flag of an option only some backends take applies to the
 * selected ones that take it, and rows of the others record it as not
 * applicable; a non-default value that none of them takes is refused
 * (it would change nothing), naming the backends that do. */
static int options_check_scoped(const struct config *cfg, char *err, size_t errlen)
{
	for (size_t i = 0; i < options_count; i++) {
		const struct option_def *o = options[i];
		char takers[128];
		bool taken = false;

		if (!o->refuse || options_is_default(cfg, o))
			continue;
		for (unsigned k = 0; k < cfg->nbackends && !taken; k++)
			taken = backend_takes(cfg->backends[k], o);
		if (taken || !cfg->nbackends)
			continue;
		o->refuse(o, cfg, backends_taking(o, takers, sizeof(takers)), cfg->backends[0]->name,
			  err, errlen);
		return -EINVAL;
	}
	return 0;
}

/* Two entries of --backend that run as one series (mmap:madvise=random
 * and mmap with --madvise random) would be one series measured twice. */
static int options_check_series(const struct config *cfg, char *err, size_t errlen)
{
	char names[CONFIG_MAX_BACKENDS][CONFIG_SERIES_MAX];

	for (unsigned i = 0; i < cfg->nbackends; i++) {
		options_series(cfg, i, names[i], sizeof(names[i]));
		for (unsigned k = 0; k < i; k++) {
			if (strcmp(names[k], names[i]))
				continue;
			options_err(err, errlen,
				    "--backend: %s%s%s and %s%s%s run the same, as %s (a backend's "
				    "own options over the global flags)",
				    cfg->backends[k]->name, *cfg->variant[k] ? ":" : "", cfg->variant[k],
				    cfg->backends[i]->name, *cfg->variant[i] ? ":" : "", cfg->variant[i],
				    names[i]);
			return -EINVAL;
		}
	}
	return 0;
}

/* What the capabilities of b (its flags) allow. */
static int options_check_backend_flags(const struct config *cfg, const struct backend *b,
				       char *err, size_t errlen)
{
	char names[128];

	if (cfg->direct && !(b->flags & BACKEND_DIRECT)) {
		options_err(err, errlen,
			    "--direct is for backends with a descriptor to open O_DIRECT "
			    "(%s); %s has none",
			    backends_flagged(BACKEND_DIRECT, names, sizeof(names)), b->name);
		return -EINVAL;
	}
	/* a worker runs its plan on one thread of its own */
	if ((b->flags & BACKEND_WORKER) && cfg->threads > 1) {
		options_err(err, errlen,
			    "--threads %llu: %s is run by an external worker, on one thread",
			    (unsigned long long)cfg->threads, b->name);
		return -EINVAL;
	}
	/* its copy of the file is anonymous memory the limit would have to
	 * hold as well: the OOM killer would end the run */
	if (cfg->mem_limit && (b->flags & BACKEND_ANON)) {
		options_err(err, errlen,
			    "--mem-limit limits the page cache, and %s reads no file "
			    "through it (its copy would have to fit under the limit): "
			    "leave it out",
			    b->name);
		return -EINVAL;
	}
	return 0;
}

/* Each backend as it runs, its own options over the global ones: how its
 * options combine (--populate with --map-scope op does not), and what its
 * capabilities allow. */
static int options_check_backends(const struct config *cfg, char *err, size_t errlen)
{
	int rc = options_check_scoped(cfg, err, errlen);

	if (!rc)
		rc = options_check_series(cfg, err, errlen);
	for (unsigned i = 0; i < cfg->nbackends && !rc; i++) {
		const struct backend *b = cfg->backends[i];
		struct config v;

		options_variant(cfg, i, &v);
		rc = b->check_options ? b->check_options(&v, err, errlen) : 0;
		if (!rc)
			rc = options_check_backend_flags(&v, b, err, errlen);
	}
	return rc;
}

static int options_check_dist(const struct config *cfg, char *err, size_t errlen)
{
	struct stream_dist d;
	bool random = false;

	if (stream_dist_parse(cfg->dist, &d)) {
		options_err(err, errlen,
			    "invalid value '%s' for --dist (use uniform, zipf:THETA with "
			    "0 < THETA < 1, or hot:FRACTION:PROB, both between 0 and 1)",
			    cfg->dist);
		return -EINVAL;
	}
	for (unsigned i = 0; i < cfg->nworkloads; i++)
		random |= cfg->workloads[i]->flags & WORKLOAD_RANDOM;
	if (d.kind != DIST_UNIFORM && !random) {
		options_err(err, errlen,
			    "--dist %s is for the random workloads (randread, inplace, "
			    "randwrite); none is selected",
			    cfg->dist);
		return -EINVAL;
	}
	return 0;
}

static int options_check_touch(const struct config *cfg, char *err, size_t errlen)
{
	for (unsigned i = 0; i < cfg->nworkloads && cfg->touch == TOUCH_PAGE; i++) {
		if (cfg->workloads[i]->flags & WORKLOAD_WRITES) {
			options_err(err, errlen,
				    "--touch page is for the reading workloads; %s writes every word",
				    cfg->workloads[i]->name);
			return -EINVAL;
		}
	}
	return 0;
}

static int options_check_cache(const struct config *cfg, char *err, size_t errlen)
{
	if (cfg->cache == CACHE_BYPASS && !cfg->direct) {
		options_err(err, errlen, "--cache bypass is what --direct rows record; use --direct");
		return -EINVAL;
	}
	if (cfg->direct && options_given(cfg, "cache") && cfg->cache != CACHE_BYPASS) {
		options_err(err, errlen,
			    "--direct bypasses the page cache: --cache does not apply (rows record "
			    "cache=bypass; a suite says cache = bypass)");
		return -EINVAL;
	}
	return 0;
}

/* A replay and its --trace go together; the trace says the threads and
 * the files, and its operations are read whole. */
static int options_check_trace(const struct config *cfg, char *err, size_t errlen)
{
	bool replays = false;

	for (unsigned i = 0; i < cfg->nworkloads; i++)
		replays |= (cfg->workloads[i]->flags & WORKLOAD_TRACE) != 0;
	if (replays && !cfg->trace) {
		options_err(err, errlen, "--workload replay needs --trace TRACE (see docs/traces.md)");
		return -EINVAL;
	}
	if (!replays)
		return 0;
	if (strcmp(cfg->trace_files, "recorded") &&
	    (strncmp(cfg->trace_files, "remap=", 6) || !cfg->trace_files[6] ||
	     strcmp(datafile_kind(cfg->trace_files + 6), "a directory"))) {
		options_err(err, errlen,
			    "invalid value '%s' for --trace-files (use recorded, or remap=DIR with an "
			    "existing directory)",
			    cfg->trace_files);
		return -EINVAL;
	}
	if (cfg->nworkloads > 1) {
		options_err(err, errlen,
			    "--workload replay runs on the trace's files: it cannot share a run "
			    "with other workloads (give it alone)");
		return -EINVAL;
	}
	/* --size, --block, --ops: the trace's own are what rows record (a
	 * suite's inherited ones change nothing) */
	if (cfg->file) {
		options_err(err, errlen, "--workload replay runs on the files --trace '%s' names: "
			    "--file does not apply", cfg->trace);
		return -EINVAL;
	}
	if (options_given(cfg, "threads")) {
		options_err(err, errlen, "--threads does not apply to --workload replay: each "
			    "recorded thread is one thread");
		return -EINVAL;
	}
	if (cfg->direct) {
		options_err(err, errlen, "--direct does not apply to --workload replay: O_DIRECT "
			    "needs aligned offsets and lengths, which a trace's need not have");
		return -EINVAL;
	}
	if (cfg->touch != TOUCH_ALL) {
		options_err(err, errlen, "--touch page does not apply to --workload replay: it "
			    "consumes every word it reads, as the program's reads return them");
		return -EINVAL;
	}
	return 0;
}

/* An option of some workloads only (OPTF_ONLY_FOR), given for a run of
 * none of them, would change nothing: refused, naming them. */
static int options_check_workload_scoped(const struct config *cfg, char *err, size_t errlen)
{
	for (size_t i = 0; i < options_count; i++) {
		unsigned wanted = OPTF_WORKLOAD_FLAGS(options[i]->flags);
		char takers[256] = "";
		bool used = false;

		if (!wanted || !(cfg->given >> i & 1))
			continue;
		for (unsigned k = 0; k < cfg->nworkloads; k++)
			used |= (cfg->workloads[k]->flags & wanted) != 0;
		if (used)
			continue;
		for (const struct workload *const *w = workloads; *w; w++)
			if ((*w)->flags & wanted)
				snprintf(takers + strlen(takers), sizeof(takers) - strlen(takers), "%s%s",
					 takers[0] ? ", " : "", (*w)->name);
		options_err(err, errlen, "--%s applies to --workload %s (add it)", options[i]->name,
			    takers);
		return -EINVAL;
	}
	return 0;
}

/* --nrfiles: temporary files mmbench makes, for the synthetic workloads. */
static int options_check_nrfiles(const struct config *cfg, char *err, size_t errlen)
{
	char a[32], b[32];

	if (cfg->nrfiles <= 1)
		return 0;
	if (cfg->file) {
		options_err(err, errlen, "--nrfiles %llu makes its own files: --file does not apply",
			    (unsigned long long)cfg->nrfiles);
		return -EINVAL;
	}
	for (unsigned i = 0; i < cfg->nworkloads; i++) {
		const struct workload *w = cfg->workloads[i];

		if (w->flags & WORKLOAD_TRACE) {
			options_err(err, errlen, "--nrfiles %llu does not apply to %s: it runs on its "
				    "trace's files",
				    (unsigned long long)cfg->nrfiles, w->name);
			return -EINVAL;
		}
	}
	if (cfg->size / cfg->nrfiles < cfg->block) {
		options_err(err, errlen, "--size %s over --nrfiles %llu leaves less than --block %s a file",
			    parse_format_size(cfg->size, a, sizeof(a)), (unsigned long long)cfg->nrfiles,
			    parse_format_size(cfg->block, b, sizeof(b)));
		return -EINVAL;
	}
	return 0;
}

/* In the order their messages take precedence. */
static int (*const options_checks[])(const struct config *cfg, char *err, size_t errlen) = {
	options_check_nrfiles,
	options_check_workload_scoped, options_check_trace, options_check_source, options_check_ratio,
	options_check_sizes,  options_check_passes, options_check_writes,
	options_check_backends, options_check_dist, options_check_touch,
	options_check_cache,
};

int options_validate(const struct config *cfg, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(options_checks) / sizeof(options_checks[0]); i++) {
		int rc = options_checks[i](cfg, err, errlen);

		if (rc)
			return rc;
	}
	return 0;
}

void options_format(const struct config *cfg, const struct option_def *o, char *buf, size_t len)
{
	const void *field = (const char *)cfg + o->offset;
	size_t used = 0;

	buf[0] = '\0';
	switch (o->type) {
	case OPT_BACKENDS:
		for (unsigned i = 0; i < cfg->nbackends && used < len; i++) {
			char name[CONFIG_SERIES_MAX];

			options_series(cfg, i, name, sizeof(name));
			used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "", name);
		}
		break;
	case OPT_WORKLOADS:
		for (unsigned i = 0; i < cfg->nworkloads && used < len; i++)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "",
						 cfg->workloads[i]->name);
		break;
	case OPT_PATH:
		snprintf(buf, len, "%s", *(const char *const *)field ? *(const char *const *)field : "");
		break;
	case OPT_SIZE:
	case OPT_COUNT:
		snprintf(buf, len, "%llu", (unsigned long long)*(const uint64_t *)field);
		break;
	case OPT_CHOICE:
		snprintf(buf, len, "%s", o->choices[*(const unsigned *)field]);
		break;
	case OPT_FLAG:
		snprintf(buf, len, "%d", *(const bool *)field);
		break;
	}
}
