/*
 * trace.c - the streaming reader of every trace format and the writer of
 * mmbench's own (docs/traces.md).
 *
 * A reader holds the header and one line.  trace_open() reads up to the
 * first record (keeping that line for trace_next()), so every file is
 * known before any operation is: a format in which files may appear later
 * (fio's "add") must add them up front, or the line is refused.
 */
#include "trace/trace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sys/datafile.h"
#include "sys/fingerprint.h"
#include "trace/escape.h"
#include "util/parse.h"

#define FIO2_MAGIC "fio version 2 iolog"
#define FIO3_MAGIC "fio version 3 iolog"

/* The most fields a line of any format has, and a thread index's bound. */
#define TRACE_MAX_FIELDS 8
#define TRACE_MAX_THREAD 65535u

struct trace_reader {
	FILE *f;
	char *path;
	enum trace_format fmt;
	unsigned long line;	       /* number of the line in buf */
	bool pending;		       /* first: the header's end, not yet given */
	struct trace_rec first;
	bool in_header;		       /* no record read yet */
	char buf[TRACE_MAX_LINE + 2];  /* one line, its newline cut */
	struct trace_file *files;
	unsigned nfiles;
	uint64_t fio_clock_ns;	       /* fio v2: the sum of the waits so far */
	enum trace_kind plan_kind;     /* plan: the current step's operations */
	bool plan_update, plan_in_step;
	bool plan_write_due;	       /* plan update: the write of rec_due is next */
	struct trace_rec rec_due;
};

static const char *const trace_format_names[] = {
	[TRACE_FORMAT_MMBENCH] = "mmbench trace",
	[TRACE_FORMAT_FIO2] = "fio iolog v2",
	[TRACE_FORMAT_FIO3] = "fio iolog v3",
	[TRACE_FORMAT_PLAN] = "mmbench plan",
};

static const char *const trace_advice_names[] = {
	[TRACE_ADV_NORMAL] = "normal",	       [TRACE_ADV_RANDOM] = "random",
	[TRACE_ADV_SEQUENTIAL] = "sequential", [TRACE_ADV_WILLNEED] = "willneed",
	[TRACE_ADV_DONTNEED] = "dontneed",     [TRACE_ADV_NOREUSE] = "noreuse",
	[TRACE_ADV_HUGEPAGE] = "hugepage",     [TRACE_ADV_NOHUGEPAGE] = "nohugepage",
};

static const char *const trace_hint_names[] = {
	[TRACE_HINT_FADVISE] = "fadvise", [TRACE_HINT_MADVISE] = "madvise",
	[TRACE_HINT_READAHEAD] = "readahead", [TRACE_HINT_DIRECT] = "direct",
	[TRACE_HINT_MMAP] = "mmap",
};

static const struct {
	unsigned flag;
	const char *name;
} trace_map_flag_names[] = {
	{ TRACE_MAP_SHARED, "shared" },
	{ TRACE_MAP_PRIVATE, "private" },
	{ TRACE_MAP_POPULATE, "populate" },
	{ TRACE_MAP_WRITE, "write" },
};

const char *trace_format_name(enum trace_format f)
{
	return trace_format_names[f];
}

const char *trace_advice_name(enum trace_advice a)
{
	return trace_advice_names[a];
}

enum trace_format trace_format_of(const struct trace_reader *r)
{
	return r->fmt;
}

unsigned trace_nfiles(const struct trace_reader *r)
{
	return r->nfiles;
}

const struct trace_file *trace_file_at(const struct trace_reader *r, unsigned i)
{
	return i < r->nfiles ? &r->files[i] : NULL;
}

/* "PATH:LINE: what" into msg; returns -ETRACE_MALFORMED. */
__attribute__((format(printf, 4, 5))) static int trace_bad(const struct trace_reader *r,
							    char *msg, size_t len,
							    const char *fmt, ...)
{
	int n = snprintf(msg, len, "%s:%lu: ", r->path, r->line);
	va_list ap;

	if (n >= 0 && (size_t)n < len) {
		va_start(ap, fmt);
		vsnprintf(msg + n, len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -ETRACE_MALFORMED;
}

/* Read the next line into r->buf: 1, 0 at the end, or a negative errno or
 * -ETRACE_MALFORMED (too long, a NUL byte, no newline at the end). */
static int trace_getline(struct trace_reader *r, char *msg, size_t len)
{
	size_t n;

	if (!fgets(r->buf, sizeof(r->buf), r->f)) {
		if (ferror(r->f)) {
			snprintf(msg, len, "cannot read '%s': %s", r->path, strerror(errno));
			return -EIO;
		}
		return 0;
	}
	r->line++;
	n = strlen(r->buf);
	if (!n || r->buf[n - 1] != '\n') {
		if (n + 1 == sizeof(r->buf))
			return trace_bad(r, msg, len, "line longer than %d bytes", TRACE_MAX_LINE);
		if (feof(r->f))
			return trace_bad(r, msg, len,
					 "last line has no newline: the trace is cut short");
		return trace_bad(r, msg, len, "a NUL byte in the line");
	}
	r->buf[--n] = '\0';
	if (n && r->buf[n - 1] == '\r')
		r->buf[--n] = '\0';
	return 1;
}

/* Split s at single spaces or tabs into at most max fields; with rest,
 * the last field is the remainder of the line, blanks included.  Returns
 * the number of fields. */
static unsigned trace_split(char *s, char **fields, unsigned max, bool rest)
{
	unsigned n = 0;

	while (*s && n < max) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		fields[n++] = s;
		if (rest && n == max)
			break;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
	/* a field beyond max is counted once, so the caller sees too many */
	while (*s == ' ' || *s == '\t')
		s++;
	return *s && !(rest && n == max) ? max + 1 : n;
}

int trace_parse_time(const char *s, uint64_t *ns)
{
	uint64_t sec = 0, frac = 0;
	unsigned digits = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (sec > (UINT64_MAX / 1000000000ULL - 9) / 10)
			return -ERANGE;
		sec = sec * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (++digits > 9)
				return -EINVAL;
			frac = frac * 10 + (uint64_t)(*p - '0');
		}
		if (!digits)
			return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	for (; digits < 9; digits++)
		frac *= 10;
	*ns = sec * 1000000000ULL + frac;
	return 0;
}

static int trace_add_file(struct trace_reader *r, const char *path, char *msg, size_t len)
{
	struct trace_file *grown;

	if (r->nfiles == TRACE_MAX_FILES)
		return trace_bad(r, msg, len, "more than %d files", TRACE_MAX_FILES);
	grown = realloc(r->files, (r->nfiles + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	r->files = grown;
	memset(&grown[r->nfiles], 0, sizeof(*grown));
	grown[r->nfiles].path = strdup(path);
	if (!grown[r->nfiles].path)
		return -ENOMEM;
	r->nfiles++;
	return 0;
}

/* A number field of a record, or the line refused naming what it is. */
static int trace_number(struct trace_reader *r, const char *field, const char *what,
			uint64_t *v, char *msg, size_t len)
{
	if (parse_uint(field, v))
		return trace_bad(r, msg, len, "invalid %s '%s'", what, field);
	return 0;
}

/* The common fields of a record of mmbench's format: THREAD TIME FILE. */
static int trace_rec_head(struct trace_reader *r, char **fld, struct trace_rec *rec, char *msg,
			  size_t len)
{
	uint64_t thread, file;
	int err;

	if ((err = trace_number(r, fld[0], "thread", &thread, msg, len)))
		return err;
	if (thread > TRACE_MAX_THREAD)
		return trace_bad(r, msg, len, "thread %" PRIu64 " beyond %u", thread,
				 TRACE_MAX_THREAD);
	if (trace_parse_time(fld[1], &rec->time_ns))
		return trace_bad(r, msg, len, "invalid time '%s' (seconds, e.g. 0.000125)", fld[1]);
	if ((err = trace_number(r, fld[2], "file index", &file, msg, len)))
		return err;
	if (file >= r->nfiles)
		return trace_bad(r, msg, len, "file %" PRIu64 " is not in the header (%u files)",
				 file, r->nfiles);
	rec->thread = (unsigned)thread;
	rec->file = (unsigned)file;
	return 0;
}

/* off and len, whose end must fit in 64 bits. */
static int trace_range(struct trace_reader *r, char **fld, struct trace_rec *rec, char *msg,
		       size_t len)
{
	int err;

	if ((err = trace_number(r, fld[0], "offset", &rec->off, msg, len)) ||
	    (err = trace_number(r, fld[1], "length", &rec->len, msg, len)))
		return err;
	if (rec->off + rec->len < rec->off)
		return trace_bad(r, msg, len, "offset + length beyond 2^64");
	return 0;
}

static int trace_lookup(const char *const *names, unsigned n, const char *s)
{
	for (unsigned i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return (int)i;
	return -1;
}

/* "hint THREAD TIME FILE NAME ARGS...": fld[0] is "hint". */
static int trace_mmbench_hint(struct trace_reader *r, char **fld, unsigned n,
			      struct trace_rec *rec, char *msg, size_t len)
{
	static const unsigned nargs[] = { [TRACE_HINT_FADVISE] = 3, [TRACE_HINT_MADVISE] = 3,
					  [TRACE_HINT_READAHEAD] = 2, [TRACE_HINT_DIRECT] = 0,
					  [TRACE_HINT_MMAP] = 3 };
	int h, err;

	if (n < 5)
		return trace_bad(r, msg, len, "a hint needs THREAD TIME FILE NAME");
	if ((err = trace_rec_head(r, fld + 1, rec, msg, len)))
		return err;
	h = trace_lookup(trace_hint_names, TRACE_HINT_COUNT, fld[4]);
	if (h < 0)
		return trace_bad(r, msg, len,
				 "unknown hint '%s' (fadvise, madvise, readahead, direct, mmap)",
				 fld[4]);
	if (n != 5 + nargs[h])
		return trace_bad(r, msg, len, "hint %s takes %u values, not %u", fld[4], nargs[h],
				 n - 5);
	rec->kind = TRACE_HINT;
	rec->hint = (enum trace_hint)h;
	if (nargs[h] >= 2 && (err = trace_range(r, fld + 5, rec, msg, len)))
		return err;
	if (h == TRACE_HINT_FADVISE || h == TRACE_HINT_MADVISE) {
		int a = trace_lookup(trace_advice_names, TRACE_ADV_COUNT, fld[7]);

		if (a < 0)
			return trace_bad(r, msg, len, "unknown advice '%s'", fld[7]);
		rec->advice = (enum trace_advice)a;
	}
	if (h == TRACE_HINT_MMAP) {
		char *save = NULL;

		for (char *f = strtok_r(fld[7], ",", &save); f; f = strtok_r(NULL, ",", &save)) {
			size_t i = 0;

			while (i < sizeof(trace_map_flag_names) / sizeof(trace_map_flag_names[0]) &&
			       strcmp(trace_map_flag_names[i].name, f))
				i++;
			if (i == sizeof(trace_map_flag_names) / sizeof(trace_map_flag_names[0]))
				return trace_bad(r, msg, len, "unknown mmap flag '%s'", f);
			rec->map_flags |= trace_map_flag_names[i].flag;
		}
	}
	return 0;
}

/* One line of mmbench's format: 1 a record, 0 a header or blank line, or
 * an error. */
static int trace_mmbench_line(struct trace_reader *r, struct trace_rec *rec, char *msg,
			      size_t len)
{
	char *fld[TRACE_MAX_FIELDS + 1] = { NULL }, *s = parse_trim(r->buf);
	unsigned n;
	int err;

	if (!*s || *s == '#')
		return 0;
	if (!strncmp(s, "file ", 5) || !strncmp(s, "file\t", 5)) {
		struct trace_file *tf;
		uint64_t index;
		char path[TRACE_MAX_LINE];

		if (!r->in_header)
			return trace_bad(r, msg, len, "a file line after the first record");
		n = trace_split(s, fld, 5, true);
		if (n != 5)
			return trace_bad(r, msg, len, "a file line is: file INDEX SIZE FINGERPRINT PATH");
		if ((err = trace_number(r, fld[1], "file index", &index, msg, len)))
			return err;
		if (index != r->nfiles)
			return trace_bad(r, msg, len, "file %" PRIu64 " where %u comes next", index,
					 r->nfiles);
		if (escape_decode(fld[4], strlen(fld[4]), path, sizeof(path)) < 0 || !path[0])
			return trace_bad(r, msg, len, "invalid path '%s'", fld[4]);
		if ((err = trace_add_file(r, path, msg, len)))
			return err;
		tf = &r->files[r->nfiles - 1];
		if (strcmp(fld[2], "-")) {
			if ((err = trace_number(r, fld[2], "size", &tf->size, msg, len)))
				return err;
			tf->size_known = true;
		}
		if (strcmp(fld[3], "-")) {
			char *end;

			errno = 0;
			tf->fingerprint = strtoull(fld[3], &end, 16);
			if (errno || *end || strlen(fld[3]) != 16)
				return trace_bad(r, msg, len,
						 "invalid fingerprint '%s' (16 hex digits or -)", fld[3]);
			tf->fingerprint_known = true;
		}
		return 0;
	}
	if (!strncmp(s, "thread ", 7)) {
		if (!r->in_header)
			return trace_bad(r, msg, len, "a thread line after the first record");
		n = trace_split(s, fld, TRACE_MAX_FIELDS, false);
		if (n != 3 || parse_uint(fld[1], &(uint64_t){ 0 }) || parse_uint(fld[2], &(uint64_t){ 0 }))
			return trace_bad(r, msg, len, "a thread line is: thread INDEX TID");
		return 0;
	}
	n = trace_split(s, fld, TRACE_MAX_FIELDS, false);
	memset(rec, 0, sizeof(*rec));
	if (n && !strcmp(fld[0], "hint"))
		err = trace_mmbench_hint(r, fld, n, rec, msg, len);
	else if (n != 6)
		err = trace_bad(r, msg, len,
				"a record is: THREAD TIME FILE OFFSET LENGTH read|write (%u fields)",
				n > TRACE_MAX_FIELDS ? n - 1 : n);
	else if ((err = trace_rec_head(r, fld, rec, msg, len)) ||
		 (err = trace_range(r, fld + 3, rec, msg, len)))
		;
	else if (!strcmp(fld[5], "read"))
		rec->kind = TRACE_READ;
	else if (!strcmp(fld[5], "write"))
		rec->kind = TRACE_WRITE;
	else
		err = trace_bad(r, msg, len, "invalid kind '%s' (read or write)", fld[5]);
	return err ? err : 1;
}

/* One line of a fio iolog (v2: FILE ACTION [OFF LEN]; v3: TIME first). */
static int trace_fio_line(struct trace_reader *r, struct trace_rec *rec, char *msg, size_t len)
{
	bool v3 = r->fmt == TRACE_FORMAT_FIO3;
	char *fld[TRACE_MAX_FIELDS + 1] = { NULL }, **f = fld;
	unsigned n = trace_split(r->buf, fld, TRACE_MAX_FIELDS, false), file;
	uint64_t usec = 0;
	int err;

	if (!n)
		return 0;
	if (v3) {
		if ((err = trace_number(r, fld[0], "timestamp", &usec, msg, len)))
			return err;
		f++;
		n--;
	}
	if (n != 2 && n != 4)
		return trace_bad(r, msg, len, "a line is: %sFILE ACTION [OFFSET LENGTH]",
				 v3 ? "TIMESTAMP " : "");
	for (file = 0; file < r->nfiles && strcmp(r->files[file].path, f[0]); file++)
		;
	if (n == 2) {
		if (!strcmp(f[1], "add")) {
			if (file < r->nfiles)
				return 0;
			if (!r->in_header)
				return trace_bad(r, msg, len,
						 "'%s' added after the first I/O: mmbench needs "
						 "every file up front", f[0]);
			return trace_add_file(r, f[0], msg, len);
		}
		if (strcmp(f[1], "open") && strcmp(f[1], "close"))
			return trace_bad(r, msg, len, "invalid action '%s' (add, open, close)", f[1]);
		if (file == r->nfiles)
			return trace_bad(r, msg, len, "'%s' was not added", f[0]);
		return 0;
	}
	if (file == r->nfiles)
		return trace_bad(r, msg, len, "'%s' was not added", f[0]);
	memset(rec, 0, sizeof(*rec));
	if ((err = trace_range(r, f + 2, rec, msg, len)))
		return err;
	if (!strcmp(f[1], "wait")) {
		if (v3)
			return trace_bad(r, msg, len, "'wait' is not in version 3 (timestamps are)");
		/* v2: OFFSET microseconds after the previous wait */
		r->fio_clock_ns += rec->off * 1000;
		return 0;
	}
	if (!strcmp(f[1], "sync") || !strcmp(f[1], "datasync") || !strcmp(f[1], "trim"))
		return 0; /* no bytes move: not part of a read/write pattern */
	if (!strcmp(f[1], "read"))
		rec->kind = TRACE_READ;
	else if (!strcmp(f[1], "write"))
		rec->kind = TRACE_WRITE;
	else
		return trace_bad(r, msg, len,
				 "invalid action '%s' (read, write, sync, datasync, trim%s)", f[1],
				 v3 ? "" : ", wait");
	rec->file = file;
	rec->time_ns = v3 ? usec * 1000 : r->fio_clock_ns;
	return 1;
}

/* The value of "key": in a flat JSON object, as a string (decoded) or a
 * bare token, into out: 0, -ENOENT when absent, -EINVAL when not valid. */
static int trace_json_field(const char *line, const char *key, char *out, size_t cap)
{
	char pat[40];
	const char *p, *q;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(line, pat);
	if (!p)
		return -ENOENT;
	p += strlen(pat);
	if (*p == '"') {
		for (q = ++p; *q && *q != '"'; q++)
			if (*q == '\\' && q[1])
				q++;
		if (*q != '"')
			return -EINVAL;
		return escape_decode_json(p, (size_t)(q - p), out, cap) < 0 ? -EINVAL : 0;
	}
	for (q = p; *q && *q != ',' && *q != '}'; q++)
		;
	if ((size_t)(q - p) >= cap || q == p)
		return -EINVAL;
	memcpy(out, p, (size_t)(q - p));
	out[q - p] = '\0';
	return 0;
}

/* A number field of a plan line. */
static int trace_json_number(struct trace_reader *r, const char *key, uint64_t *v, char *msg,
			     size_t len)
{
	char val[32];

	if (trace_json_field(r->buf, key, val, sizeof(val)) || parse_uint(val, v))
		return trace_bad(r, msg, len, "no number \"%s\"", key);
	return 0;
}

/* The plan's header line: {"type":"plan",...,"file":...,"file_size":N,...}. */
static int trace_plan_header(struct trace_reader *r, char *msg, size_t len)
{
	char type[16], path[TRACE_MAX_LINE];
	uint64_t size = 0;
	int err;

	if (trace_json_field(r->buf, "type", type, sizeof(type)) || strcmp(type, "plan"))
		return trace_bad(r, msg, len, "not a plan header (\"type\":\"plan\")");
	if (trace_json_field(r->buf, "file", path, sizeof(path)))
		return trace_bad(r, msg, len, "no \"file\"");
	if ((err = trace_json_number(r, "file_size", &size, msg, len)))
		return err;
	if ((err = trace_add_file(r, path, msg, len)))
		return err;
	r->files[0].size = size;
	r->files[0].size_known = true;
	return 0;
}

/* One line of a plan after its header: a step sets the kind of the
 * operations after it; an update is a read, then a write of its block. */
static int trace_plan_line(struct trace_reader *r, struct trace_rec *rec, char *msg, size_t len)
{
	char type[16], op[16];
	uint64_t worker = 0;
	int err;

	if (!*parse_trim(r->buf))
		return 0;
	if (trace_json_field(r->buf, "type", type, sizeof(type)))
		return trace_bad(r, msg, len, "not a plan line (no \"type\")");
	if (!strcmp(type, "step")) {
		if (trace_json_field(r->buf, "op", op, sizeof(op)))
			return trace_bad(r, msg, len, "a step without \"op\"");
		r->plan_update = !strcmp(op, "update");
		if (!r->plan_update && strcmp(op, "read"))
			return trace_bad(r, msg, len, "invalid op '%s' (read or update)", op);
		r->plan_in_step = true;
		return 0;
	}
	if (strcmp(type, "op"))
		return trace_bad(r, msg, len, "invalid type '%s' (step or op)", type);
	if (!r->plan_in_step)
		return trace_bad(r, msg, len, "an op before the first step");
	memset(rec, 0, sizeof(*rec));
	if ((err = trace_json_number(r, "worker", &worker, msg, len)) ||
	    (err = trace_json_number(r, "off", &rec->off, msg, len)) ||
	    (err = trace_json_number(r, "len", &rec->len, msg, len)))
		return err;
	if (worker > TRACE_MAX_THREAD)
		return trace_bad(r, msg, len, "worker %" PRIu64 " beyond %u", worker,
				 TRACE_MAX_THREAD);
	if (rec->off + rec->len < rec->off)
		return trace_bad(r, msg, len, "offset + length beyond 2^64");
	rec->thread = (unsigned)worker;
	rec->kind = TRACE_READ;
	if (r->plan_update) {
		r->rec_due = *rec;
		r->rec_due.kind = TRACE_WRITE;
		r->plan_write_due = true;
	}
	return 1;
}

static int trace_line(struct trace_reader *r, struct trace_rec *rec, char *msg, size_t len)
{
	switch (r->fmt) {
	case TRACE_FORMAT_MMBENCH:
		return trace_mmbench_line(r, rec, msg, len);
	case TRACE_FORMAT_FIO2:
	case TRACE_FORMAT_FIO3:
		return trace_fio_line(r, rec, msg, len);
	case TRACE_FORMAT_PLAN:
		return trace_plan_line(r, rec, msg, len);
	}
	return -EINVAL;
}

int trace_next(struct trace_reader *r, struct trace_rec *rec, char *msg, size_t len)
{
	int err;

	if (r->pending) {
		*rec = r->first;
		r->pending = false;
		return 1;
	}
	if (r->plan_write_due) {
		*rec = r->rec_due;
		r->plan_write_due = false;
		return 1;
	}
	for (;;) {
		err = trace_getline(r, msg, len);
		if (err <= 0)
			return err;
		err = trace_line(r, rec, msg, len);
		if (err)
			return err;
	}
}

int trace_open(struct trace_reader **out, const char *path, char *msg, size_t len)
{
	struct trace_reader *r = calloc(1, sizeof(*r));
	int err;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	r->path = strdup(path);
	r->in_header = true;
	if (!r->path) {
		err = -ENOMEM;
		goto out_free;
	}
	r->f = datafile_fopen_input(path, &err);
	if (!r->f) {
		snprintf(msg, len, "cannot open '%s': %s", path,
			 err == -EFTYPE_NOT_REGULAR ? datafile_kind(path) : strerror(-err));
		goto out_free;
	}
	err = trace_getline(r, msg, len);
	if (err == 0) {
		err = trace_bad(r, msg, len, "empty: not a trace");
		goto out_free;
	}
	if (err < 0)
		goto out_free;
	if (!strcmp(r->buf, TRACE_MAGIC)) {
		r->fmt = TRACE_FORMAT_MMBENCH;
	} else if (!strcmp(r->buf, FIO2_MAGIC)) {
		r->fmt = TRACE_FORMAT_FIO2;
	} else if (!strcmp(r->buf, FIO3_MAGIC)) {
		r->fmt = TRACE_FORMAT_FIO3;
	} else if (r->buf[0] == '{') {
		r->fmt = TRACE_FORMAT_PLAN;
		if ((err = trace_plan_header(r, msg, len)))
			goto out_free;
	} else {
		err = trace_bad(r, msg, len,
				"not a trace: the first line is not '%s', '%s', '%s' or a "
				"plan's JSON header", TRACE_MAGIC, FIO2_MAGIC, FIO3_MAGIC);
		goto out_free;
	}
	/* the header: every line up to the first record, which is kept */
	for (;;) {
		err = trace_getline(r, msg, len);
		if (err < 0)
			goto out_free;
		if (err == 0)
			break;
		err = trace_line(r, &r->first, msg, len);
		if (err < 0)
			goto out_free;
		if (err > 0) {
			r->pending = true;
			break;
		}
	}
	if (!r->nfiles) {
		err = trace_bad(r, msg, len, "no file in the header");
		goto out_free;
	}
	r->in_header = false;
	*out = r;
	return 0;
out_free:
	trace_close(r);
	return err;
}

void trace_close(struct trace_reader *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	for (unsigned i = 0; i < r->nfiles; i++)
		free(r->files[i].path);
	free(r->files);
	free(r->path);
	free(r);
}

int trace_file_check(const struct trace_file *tf, bool *checked, char *msg, size_t len)
{
	uint64_t size, fp;
	int err;

	*checked = tf->size_known || tf->fingerprint_known;
	if (!*checked) {
		snprintf(msg, len, "the trace records no size or fingerprint");
		return 0;
	}
	err = fingerprint_path(tf->path, &size, &fp);
	if (err) {
		snprintf(msg, len, "%s", err == -EFTYPE_NOT_REGULAR ? datafile_kind(tf->path)
								  : strerror(-err));
		return err;
	}
	if (tf->size_known && size != tf->size) {
		snprintf(msg, len, "%" PRIu64 " bytes, the trace's %" PRIu64, size, tf->size);
		return -ETRACE_CHANGED;
	}
	if (tf->fingerprint_known && fp != tf->fingerprint) {
		snprintf(msg, len, "fingerprint %016" PRIx64 ", the trace's %016" PRIx64, fp,
			 tf->fingerprint);
		return -ETRACE_CHANGED;
	}
	snprintf(msg, len, "the file the trace recorded");
	return 0;
}

void trace_write_magic(FILE *f)
{
	fputs(TRACE_MAGIC "\n", f);
}

void trace_write_file(FILE *f, unsigned index, const struct trace_file *tf)
{
	fprintf(f, "file %u ", index);
	if (tf->size_known)
		fprintf(f, "%" PRIu64 " ", tf->size);
	else
		fputs("- ", f);
	if (tf->fingerprint_known)
		fprintf(f, "%016" PRIx64 " ", tf->fingerprint);
	else
		fputs("- ", f);
	escape_write(f, tf->path);
	fputc('\n', f);
}

void trace_write_thread(FILE *f, unsigned index, long tid)
{
	fprintf(f, "thread %u %ld\n", index, tid);
}

void trace_write_rec(FILE *f, const struct trace_rec *rec)
{
	char when[48];

	/* microseconds: what strace -ttt and fio record */
	snprintf(when, sizeof(when), "%" PRIu64 ".%06" PRIu64, rec->time_ns / UINT64_C(1000000000),
		 rec->time_ns % UINT64_C(1000000000) / 1000);
	if (rec->kind != TRACE_HINT) {
		fprintf(f, "%u %s %u %" PRIu64 " %" PRIu64 " %s\n", rec->thread, when, rec->file,
			rec->off, rec->len, rec->kind == TRACE_READ ? "read" : "write");
		return;
	}
	fprintf(f, "hint %u %s %u %s", rec->thread, when, rec->file, trace_hint_names[rec->hint]);
	if (rec->hint != TRACE_HINT_DIRECT)
		fprintf(f, " %" PRIu64 " %" PRIu64, rec->off, rec->len);
	if (rec->hint == TRACE_HINT_FADVISE || rec->hint == TRACE_HINT_MADVISE)
		fprintf(f, " %s", trace_advice_names[rec->advice]);
	if (rec->hint == TRACE_HINT_MMAP) {
		const char *sep = " ";

		for (size_t i = 0; i < sizeof(trace_map_flag_names) / sizeof(trace_map_flag_names[0]);
		     i++)
			if (rec->map_flags & trace_map_flag_names[i].flag) {
				fprintf(f, "%s%s", sep, trace_map_flag_names[i].name);
				sep = ",";
			}
		if (*sep == ' ') /* no flag: the reader needs a field */
			fputs(" private", f);
	}
	fputc('\n', f);
}
