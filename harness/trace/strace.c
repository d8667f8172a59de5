/*
 * strace.c - strace's output as trace records (strace.h).
 *
 * The model is the kernel's: a task (thread id) points at a descriptor
 * table and an address space, which threads share and forks copy; a
 * table maps numbers to open file descriptions (refcounted: dup shares
 * one, so they share the position); a description names a file.  Every
 * path is the one strace -y printed, resolved by the kernel, so a file
 * opened twice, by two names or from two processes is one file.
 */
#include "trace/strace.h"

#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "trace/escape.h"

#define STRACE_MAX_ARGS 8

struct strace_ofd {
	int refs;
	int file; /* in the parser's files */
	uint64_t pos;
	bool append;
};

/* A descriptor number's entry (a struct, so arrays of them are sized
 * plainly). */
struct strace_slot {
	struct strace_ofd *ofd;
};

struct strace_fdtab {
	int refs;
	struct strace_slot *fd;
	size_t cap;
};

struct strace_map {
	uint64_t addr, len, off;
	int file;
};

struct strace_mm {
	int refs;
	struct strace_map *maps;
	size_t n, cap;
};

struct strace_task {
	long tid;
	struct strace_fdtab *fdt;
	struct strace_mm *mm;
	int thread; /* index among the recorded threads, or -1 */
	char *pending; /* an unfinished call: "name(args so far" */
	uint64_t pending_ns;
};

struct strace_sfile {
	char *path;
	int index; /* among the kept files, or -1 */
	bool decided, kept, exec_mapped, truncated, mapped_told;
	uint64_t appended; /* pass 1: bytes written through O_APPEND */
	uint64_t end;	   /* pass 2: the file's end as the trace knows it */
};

/* A clone's child, as the first pass found it. */
struct strace_child {
	long tid, parent;
	bool files, vm;
};

struct strace_parser {
	const char *name;
	unsigned long line;
	const struct strace_options *o;
	const struct strace_events *ev;
	void *ctx;
	struct strace_result *res;
	bool emit; /* the second pass */
	bool have_t0;
	uint64_t t0;
	struct strace_task *tasks;
	size_t ntasks, captasks, last;
	struct strace_sfile *files;
	size_t nfiles, capfiles;
	struct strace_child *children;
	size_t nchildren, capchildren;
	char *msg;
	size_t msglen;
};

/* Grow *arr (of *cap elements of size sz) to hold n + 1. */
static int strace_grow(void **arr, size_t *cap, size_t n, size_t sz)
{
	void *p;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	p = realloc(*arr, c * sz);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = c;
	return 0;
}

__attribute__((format(printf, 2, 3))) static int strace_bad(struct strace_parser *sp,
							     const char *fmt, ...)
{
	int n = snprintf(sp->msg, sp->msglen, "%s:%lu: ", sp->name, sp->line);
	va_list ap;

	if (n >= 0 && (size_t)n < sp->msglen) {
		va_start(ap, fmt);
		vsnprintf(sp->msg + n, sp->msglen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -ETRACE_MALFORMED;
}

/* ---- files ---- */

static bool strace_keep(const struct strace_parser *sp, const char *path)
{
	if (sp->o && sp->o->nonly) {
		for (unsigned i = 0; i < sp->o->nonly; i++)
			if (!fnmatch(sp->o->only[i], path, 0))
				return true;
		return false;
	}
	if (path[0] != '/')
		return false; /* pipe:[N], socket:[N], anon_inode:... */
	for (const char *d = STRACE_SYSTEM_DIRS; *d;) {
		size_t n = strcspn(d, " ");

		if (!strncmp(path, d, n))
			return false;
		d += n;
		d += strspn(d, " ");
	}
	return true;
}

/* The index of path in the parser's files, added when new; -1 on ENOMEM. */
static int strace_file(struct strace_parser *sp, const char *path)
{
	struct strace_sfile *f;

	for (size_t i = 0; i < sp->nfiles; i++)
		if (!strcmp(sp->files[i].path, path))
			return (int)i;
	if (strace_grow((void **)&sp->files, &sp->capfiles, sp->nfiles, sizeof(*sp->files)))
		return -1;
	f = &sp->files[sp->nfiles];
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	if (!f->path)
		return -1;
	f->index = -1;
	return (int)sp->nfiles++;
}

/* ---- descriptors and address spaces ---- */

static void strace_ofd_put(struct strace_ofd *o)
{
	if (o && --o->refs == 0)
		free(o);
}

static struct strace_ofd *strace_ofd_new(int file)
{
	struct strace_ofd *o = calloc(1, sizeof(*o));

	if (o) {
		o->refs = 1;
		o->file = file;
	}
	return o;
}

static void strace_fdtab_put(struct strace_fdtab *t)
{
	if (!t || --t->refs)
		return;
	for (size_t i = 0; i < t->cap; i++)
		strace_ofd_put(t->fd[i].ofd);
	free(t->fd);
	free(t);
}

static void strace_mm_put(struct strace_mm *m)
{
	if (!m || --m->refs)
		return;
	free(m->maps);
	free(m);
}

/* Set fd of t to o (a new reference taken), dropping what it held:
 * 0, -EBADF for a number no table holds, or -ENOMEM. */
static int strace_fd_set(struct strace_fdtab *t, long fd, struct strace_ofd *o)
{
	if (fd < 0 || fd > (1L << 24))
		return -EBADF;
	if ((size_t)fd >= t->cap) {
		size_t cap = t->cap ? t->cap : 16;
		struct strace_slot *p;

		while (cap <= (size_t)fd)
			cap *= 2;
		p = realloc(t->fd, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		memset(p + t->cap, 0, (cap - t->cap) * sizeof(*p));
		t->fd = p;
		t->cap = cap;
	}
	if (o)
		o->refs++;
	strace_ofd_put(t->fd[fd].ofd);
	t->fd[fd].ofd = o;
	return 0;
}

static struct strace_fdtab *strace_fdtab_copy(const struct strace_fdtab *from)
{
	struct strace_fdtab *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->refs = 1;
	if (from && from->cap) {
		t->fd = calloc(from->cap, sizeof(*t->fd));
		if (!t->fd) {
			free(t);
			return NULL;
		}
		t->cap = from->cap;
		for (size_t i = 0; i < from->cap; i++)
			if ((t->fd[i].ofd = from->fd[i].ofd))
				t->fd[i].ofd->refs++;
	}
	return t;
}

static struct strace_mm *strace_mm_copy(const struct strace_mm *from)
{
	struct strace_mm *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->refs = 1;
	if (from && from->n) {
		m->maps = malloc(from->n * sizeof(*m->maps));
		if (!m->maps) {
			free(m);
			return NULL;
		}
		memcpy(m->maps, from->maps, from->n * sizeof(*m->maps));
		m->n = m->cap = from->n;
	}
	return m;
}

static struct strace_task *strace_task_find(struct strace_parser *sp, long tid)
{
	if (sp->last < sp->ntasks && sp->tasks[sp->last].tid == tid)
		return &sp->tasks[sp->last];
	for (size_t i = 0; i < sp->ntasks; i++)
		if (sp->tasks[i].tid == tid) {
			sp->last = i;
			return &sp->tasks[i];
		}
	return NULL;
}

static const struct strace_child *strace_child_find(const struct strace_parser *sp, long tid)
{
	for (size_t i = 0; i < sp->nchildren; i++)
		if (sp->children[i].tid == tid)
			return &sp->children[i];
	return NULL;
}

/* The task tid, made on its first line: a clone's child shares or copies
 * its parent's table and address space; any other starts empty. */
static struct strace_task *strace_task(struct strace_parser *sp, long tid)
{
	struct strace_task *t = strace_task_find(sp, tid), *parent = NULL;
	const struct strace_child *c;

	if (t)
		return t;
	c = strace_child_find(sp, tid);
	if (c)
		parent = strace_task_find(sp, c->parent);
	if (strace_grow((void **)&sp->tasks, &sp->captasks, sp->ntasks, sizeof(*sp->tasks)))
		return NULL;
	if (parent) /* the array may have moved */
		parent = strace_task_find(sp, c->parent);
	t = &sp->tasks[sp->ntasks];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->thread = -1;
	if (parent && c->files) {
		t->fdt = parent->fdt;
		t->fdt->refs++;
	} else {
		t->fdt = strace_fdtab_copy(parent ? parent->fdt : NULL);
	}
	if (parent && c->vm) {
		t->mm = parent->mm;
		t->mm->refs++;
	} else {
		t->mm = strace_mm_copy(parent ? parent->mm : NULL);
	}
	if (!t->fdt || !t->mm) {
		strace_fdtab_put(t->fdt);
		strace_mm_put(t->mm);
		return NULL;
	}
	sp->last = sp->ntasks;
	return &sp->tasks[sp->ntasks++];
}

static void strace_tasks_free(struct strace_parser *sp)
{
	for (size_t i = 0; i < sp->ntasks; i++) {
		strace_fdtab_put(sp->tasks[i].fdt);
		strace_mm_put(sp->tasks[i].mm);
		free(sp->tasks[i].pending);
	}
	free(sp->tasks);
	sp->tasks = NULL;
	sp->ntasks = sp->captasks = sp->last = 0;
}

/* ---- the text of a call ---- */

struct strace_call {
	char name[24];
	char *arg[STRACE_MAX_ARGS];
	unsigned nargs;
	char *ret; /* after "= " */
	uint64_t ns;
};

/* Split "args) = ret <dur>" in place at the top level: strings, brackets
 * and -y's <path> after a number or name are inside their argument.
 * false when it does not close. */
static bool strace_split_args(char *s, struct strace_call *c)
{
	int depth = 0;
	char *start = s;

	c->nargs = 0;
	for (char *p = s; *p; p++) {
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return false;
		} else if (*p == '<' && p > s && (p[-1] == '_' || (p[-1] >= '0' && p[-1] <= '9') ||
						  (p[-1] >= 'A' && p[-1] <= 'Z'))) {
			p = strchr(p, '>');
			if (!p)
				return false;
		} else if (*p == '(' || *p == '[' || *p == '{') {
			depth++;
		} else if ((*p == ']' || *p == '}' || *p == ')') && depth) {
			depth--;
		} else if (*p == ')' || (*p == ',' && !depth)) {
			bool end = *p == ')';

			*p = '\0';
			if (c->nargs < STRACE_MAX_ARGS && (*start || c->nargs || !end))
				c->arg[c->nargs++] = start;
			start = p + 1;
			while (*start == ' ')
				start++;
			if (end) {
				char *eq = strstr(start, "= ");

				if (!eq)
					return false;
				c->ret = eq + 2;
				return true;
			}
			p = start - 1;
		}
	}
	return false;
}

/* A number strace printed: decimal, negative or 0x hex. */
static bool strace_num(const char *s, int64_t *v)
{
	char *end;

	if (!s)
		return false;
	errno = 0;
	if (s[0] == '0' && s[1] == 'x')
		*v = (int64_t)strtoull(s, &end, 16);
	else
		*v = strtoll(s, &end, 10);
	return !errno && end != s && (!*end || *end == '<' || *end == ' ');
}

/* The path of an fd as -y prints it ("3</tmp/f>"), decoded into out. */
static bool strace_fd_path(const char *s, char *out, size_t cap)
{
	const char *lt = s ? strchr(s, '<') : NULL, *gt;

	/* "3</f>", not the duration of "0 <0.000005>" */
	if (!lt || lt == s || lt[-1] < '0' || lt[-1] > '9')
		return false;
	gt = strchr(lt + 1, '>');
	return gt && escape_decode(lt + 1, (size_t)(gt - lt - 1), out, cap) > 0;
}

/* Whether the '|'-separated flags s hold name exactly. */
static bool strace_has_flag(const char *s, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = s; p && (p = strstr(p, name)); p += n) {
		bool starts = p == s || strchr("|{= ", p[-1]), ends = !p[n] || strchr("|}, ", p[n]);

		if (starts && ends)
			return true;
	}
	return false;
}

/* ---- records ---- */

static int strace_emit(struct strace_parser *sp, struct strace_task *t, int file,
		       struct trace_rec *rec)
{
	struct strace_sfile *f = &sp->files[file];

	if (!f->decided) {
		f->decided = true;
		f->kept = strace_keep(sp, f->path);
	}
	if (!sp->emit || !f->kept || f->exec_mapped)
		return 0;
	if (f->index < 0) {
		char **p = realloc(sp->res->paths, (sp->res->npaths + 1) * sizeof(*p));

		if (!p)
			return -ENOMEM;
		sp->res->paths = p;
		if (!(p[sp->res->npaths] = strdup(f->path)))
			return -ENOMEM;
		f->index = (int)sp->res->npaths++;
	}
	if (t->thread < 0) {
		long *p = realloc(sp->res->tids, (sp->res->nthreads + 1) * sizeof(*p));

		if (!p)
			return -ENOMEM;
		sp->res->tids = p;
		p[sp->res->nthreads] = t->tid;
		t->thread = (int)sp->res->nthreads++;
	}
	rec->file = (unsigned)f->index;
	rec->thread = (unsigned)t->thread;
	if (rec->kind == TRACE_READ) {
		sp->res->reads++;
		sp->res->read_bytes += rec->len;
	} else if (rec->kind == TRACE_WRITE) {
		sp->res->writes++;
		sp->res->write_bytes += rec->len;
	} else {
		sp->res->hints++;
	}
	sp->ev->rec(rec, sp->ctx);
	return 0;
}

/* The description behind an fd argument: the table's, or, for an fd
 * the trace never saw opened (inherited, as `cmd < file`) or whose file
 * is not the one -y names (a missed event), a new one at offset 0. */
static struct strace_ofd *strace_ofd_of(struct strace_parser *sp, struct strace_task *t,
					const char *arg, int *err)
{
	char path[4096];
	int64_t fd;
	struct strace_ofd *o;
	int file;

	*err = 0;
	if (!strace_num(arg, &fd) || fd < 0)
		return NULL;
	o = (size_t)fd < t->fdt->cap ? t->fdt->fd[fd].ofd : NULL;
	if (!strace_fd_path(arg, path, sizeof(path)))
		return o;
	if (o && !strcmp(sp->files[o->file].path, path))
		return o;
	file = strace_file(sp, path);
	if (file < 0 || !(o = strace_ofd_new(file))) {
		*err = -ENOMEM;
		return NULL;
	}
	o->refs = 0; /* the table's reference will be its only one */
	*err = strace_fd_set(t->fdt, fd, o);
	if (*err) {
		free(o);
		if (*err == -EBADF)
			*err = 0; /* a number beyond any table: not followed */
		return NULL;
	}
	return o;
}

/* A read or write of n bytes through o, at off (or its position when
 * off < 0, which it then advances). */
static int strace_io(struct strace_parser *sp, struct strace_task *t, struct strace_ofd *o,
		     enum trace_kind kind, int64_t off, uint64_t n, uint64_t ns)
{
	struct strace_sfile *f = &sp->files[o->file];
	struct trace_rec rec = { .kind = kind, .time_ns = ns, .len = n };
	bool positioned = off < 0;

	if (kind == TRACE_WRITE && o->append) {
		/* O_APPEND: at the end, whatever the position or offset
		 * (Linux's pwrite on O_APPEND appends too) */
		off = (int64_t)f->end;
		f->appended += n;
	} else if (positioned) {
		off = (int64_t)o->pos;
	}
	if (positioned || (kind == TRACE_WRITE && o->append))
		o->pos = (uint64_t)off + n;
	if (kind == TRACE_WRITE && (uint64_t)off + n > f->end)
		f->end = (uint64_t)off + n;
	if (!n)
		return 0; /* at the end of the file: no bytes, no operation */
	rec.off = (uint64_t)off;
	return strace_emit(sp, t, o->file, &rec);
}

static int strace_hint(struct strace_parser *sp, struct strace_task *t, int file,
		       enum trace_hint h, uint64_t off, uint64_t len, int advice, unsigned flags,
		       uint64_t ns)
{
	struct trace_rec rec = { .kind = TRACE_HINT, .time_ns = ns, .off = off, .len = len,
				 .hint = h, .advice = (enum trace_advice)advice,
				 .map_flags = flags };

	return strace_emit(sp, t, file, &rec);
}

static int strace_advice(const char *s, const char *prefix)
{
	static const char *const names[] = {
		[TRACE_ADV_NORMAL] = "NORMAL",	       [TRACE_ADV_RANDOM] = "RANDOM",
		[TRACE_ADV_SEQUENTIAL] = "SEQUENTIAL", [TRACE_ADV_WILLNEED] = "WILLNEED",
		[TRACE_ADV_DONTNEED] = "DONTNEED",     [TRACE_ADV_NOREUSE] = "NOREUSE",
		[TRACE_ADV_HUGEPAGE] = "HUGEPAGE",     [TRACE_ADV_NOHUGEPAGE] = "NOHUGEPAGE",
	};
	size_t n = strlen(prefix);

	if (!s || strncmp(s, prefix, n))
		return -1;
	for (int i = 0; i < TRACE_ADV_COUNT; i++)
		if (!strcmp(s + n, names[i]))
			return i;
	return -1;
}

/* ---- one system call ---- */

static int strace_open(struct strace_parser *sp, struct strace_task *t, struct strace_call *c,
		       int64_t fd, const char *flags)
{
	char path[4096];
	struct strace_ofd *o;
	int file, err;

	if (!strace_fd_path(c->ret, path, sizeof(path)))
		return 0; /* without -y: nothing to name the file by */
	file = strace_file(sp, path);
	if (file < 0 || !(o = strace_ofd_new(file)))
		return -ENOMEM;
	o->append = strace_has_flag(flags, "O_APPEND");
	if (strace_has_flag(flags, "O_TRUNC")) {
		sp->files[file].truncated = true;
		sp->files[file].end = 0;
	}
	err = strace_fd_set(t->fdt, fd, o);
	strace_ofd_put(o);
	if (err == -EBADF)
		err = 0;
	if (!err && strace_has_flag(flags, "O_DIRECT"))
		err = strace_hint(sp, t, file, TRACE_HINT_DIRECT, 0, 0, 0, 0, c->ns);
	return err;
}

static int strace_clone(struct strace_parser *sp, struct strace_task *t, struct strace_call *c,
			int64_t child)
{
	const char *flags = !strcmp(c->name, "fork") || !strcmp(c->name, "vfork") ? ""
			    : c->nargs ? c->arg[0]
				       : "";
	struct strace_child *ch;

	/* clone's flags are its second argument on some architectures */
	for (unsigned i = 0; i < c->nargs && !strstr(flags, "flags="); i++)
		flags = c->arg[i];
	if (!strstr(flags, "flags="))
		flags = "";
	if (strace_child_find(sp, child)) {
		(void)strace_task(sp, child);
		return 0;
	}
	if (strace_grow((void **)&sp->children, &sp->capchildren, sp->nchildren,
			sizeof(*sp->children)))
		return -ENOMEM;
	ch = &sp->children[sp->nchildren++];
	ch->tid = child;
	ch->parent = t->tid;
	ch->files = strace_has_flag(flags, "CLONE_FILES");
	ch->vm = strace_has_flag(flags, "CLONE_VM");
	return strace_task(sp, child) ? 0 : -ENOMEM;
}

static int strace_mmap(struct strace_parser *sp, struct strace_task *t, struct strace_call *c,
		       int64_t addr)
{
	int64_t len, off;
	struct strace_ofd *o;
	struct strace_map *m;
	unsigned flags = 0;
	int err;

	if (c->nargs < 6 || !strace_num(c->arg[1], &len) || !strace_num(c->arg[5], &off))
		return 0;
	o = strace_ofd_of(sp, t, c->arg[4], &err);
	if (!o)
		return err;
	if (strace_has_flag(c->arg[2], "PROT_EXEC")) {
		sp->files[o->file].exec_mapped = true; /* a library: not the program's data */
		return 0;
	}
	flags |= strace_has_flag(c->arg[3], "MAP_SHARED") ? TRACE_MAP_SHARED : TRACE_MAP_PRIVATE;
	flags |= strace_has_flag(c->arg[3], "MAP_POPULATE") ? TRACE_MAP_POPULATE : 0;
	flags |= strace_has_flag(c->arg[2], "PROT_WRITE") ? TRACE_MAP_WRITE : 0;
	if (strace_grow((void **)&t->mm->maps, &t->mm->cap, t->mm->n, sizeof(*t->mm->maps)))
		return -ENOMEM;
	m = &t->mm->maps[t->mm->n++];
	*m = (struct strace_map){ (uint64_t)addr, (uint64_t)len, (uint64_t)off, o->file };
	err = strace_hint(sp, t, o->file, TRACE_HINT_MMAP, (uint64_t)off, (uint64_t)len, 0, flags,
			  c->ns);
	if (!err && sp->emit && sp->files[o->file].index >= 0 && !sp->files[o->file].mapped_told) {
		sp->files[o->file].mapped_told = true;
		if (sp->ev->mapped)
			sp->ev->mapped(sp->files[o->file].path, (uint64_t)len, sp->ctx);
	}
	return err;
}

/* munmap: the part of every mapping inside [a, a + n) goes (a hole in
 * the middle keeps the part below it). */
static void strace_munmap(struct strace_mm *mm, uint64_t a, uint64_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < mm->n; i++) {
		struct strace_map m = mm->maps[i];
		uint64_t end = m.addr + m.len;

		if (a <= m.addr && a + n >= end)
			continue;
		if (a <= m.addr && a + n > m.addr) {
			m.off += a + n - m.addr;
			m.len = end - (a + n);
			m.addr = a + n;
		} else if (a > m.addr && a < end) {
			m.len = a - m.addr;
		}
		mm->maps[k++] = m;
	}
	mm->n = k;
}

static int strace_madvise(struct strace_parser *sp, struct strace_task *t, struct strace_call *c)
{
	int64_t a, n;
	int adv = c->nargs == 3 ? strace_advice(c->arg[2], "MADV_") : -1, err = 0;

	if (adv < 0 || !strace_num(c->arg[0], &a) || !strace_num(c->arg[1], &n))
		return 0;
	for (size_t i = 0; i < t->mm->n && !err; i++) {
		const struct strace_map *m = &t->mm->maps[i];
		uint64_t lo = (uint64_t)a > m->addr ? (uint64_t)a : m->addr;
		uint64_t hi = (uint64_t)(a + n) < m->addr + m->len ? (uint64_t)(a + n)
								   : m->addr + m->len;

		if (lo < hi)
			err = strace_hint(sp, t, m->file, TRACE_HINT_MADVISE, m->off + (lo - m->addr),
					  hi - lo, adv, 0, c->ns);
	}
	return err;
}

/* An offset argument passed by pointer: "NULL" (-1: at and moving the
 * position), "[N]" or "[N] => [M]" (at N; the position stays). */
static bool strace_off_arg(const char *s, int64_t *off)
{
	char *end;

	if (!strcmp(s, "NULL")) {
		*off = -1;
		return true;
	}
	if (s[0] != '[')
		return false;
	*off = strtoll(s + 1, &end, 10);
	return end != s + 1 && *end == ']' && *off >= 0;
}

/* copy_file_range(in, off_in, out, off_out, len, flags) and sendfile(out,
 * in, offset, count), which coreutils' cp and cat use to copy: a read of
 * the input and a write of the output, each at its offset or its
 * position (sendfile's output always at its position). */
static int strace_copy(struct strace_parser *sp, struct strace_task *t, struct strace_call *c,
		       uint64_t n)
{
	bool cfr = !strcmp(c->name, "copy_file_range");
	int64_t in_off, out_off = -1;
	struct strace_ofd *in, *out;
	int err = 0;

	if (c->nargs < (cfr ? 6 : 4) || !strace_off_arg(c->arg[cfr ? 1 : 2], &in_off) ||
	    (cfr && !strace_off_arg(c->arg[3], &out_off)))
		return strace_bad(sp, "%s with arguments it cannot place", c->name);
	in = strace_ofd_of(sp, t, c->arg[cfr ? 0 : 1], &err);
	if (!err && in)
		err = strace_io(sp, t, in, TRACE_READ, in_off, n, c->ns);
	out = err ? NULL : strace_ofd_of(sp, t, c->arg[cfr ? 2 : 0], &err);
	if (!err && out)
		err = strace_io(sp, t, out, TRACE_WRITE, out_off, n, c->ns);
	return err;
}

static int strace_call(struct strace_parser *sp, struct strace_task *t, struct strace_call *c)
{
	const char *n = c->name;
	struct strace_ofd *o;
	int64_t ret, a, b;
	int err = 0;

	if (!strace_num(c->ret, &ret) || ret < 0)
		return 0; /* failed, or "?" (the task ended inside it) */
	if (!strcmp(n, "open") || !strcmp(n, "creat"))
		return strace_open(sp, t, c, ret,
				   !strcmp(n, "creat") ? "O_CREAT|O_WRONLY|O_TRUNC"
				   : c->nargs > 1	 ? c->arg[1]
							 : "");
	if (!strcmp(n, "openat") || !strcmp(n, "openat2"))
		return strace_open(sp, t, c, ret, c->nargs > 2 ? c->arg[2] : "");
	if (!strcmp(n, "clone") || !strcmp(n, "clone3") || !strcmp(n, "fork") ||
	    !strcmp(n, "vfork"))
		return ret > 0 ? strace_clone(sp, t, c, ret) : 0;
	if (!strcmp(n, "mmap"))
		return strace_mmap(sp, t, c, ret);
	if (!strcmp(n, "munmap")) {
		if (c->nargs == 2 && strace_num(c->arg[0], &a) && strace_num(c->arg[1], &b))
			strace_munmap(t->mm, (uint64_t)a, (uint64_t)b);
		return 0;
	}
	if (!strcmp(n, "madvise"))
		return strace_madvise(sp, t, c);
	if (!strcmp(n, "copy_file_range") || !strcmp(n, "sendfile") || !strcmp(n, "sendfile64"))
		return strace_copy(sp, t, c, (uint64_t)ret);
	if (!c->nargs || !strace_num(c->arg[0], &a))
		return 0;
	if (!strcmp(n, "close"))
		return strace_fd_set(t->fdt, a, NULL) == -ENOMEM ? -ENOMEM : 0;
	o = strace_ofd_of(sp, t, c->arg[0], &err);
	if (!o)
		return err;
	if (!strcmp(n, "dup") || !strcmp(n, "dup2") || !strcmp(n, "dup3"))
		return strace_fd_set(t->fdt, ret, o) == -ENOMEM ? -ENOMEM : 0;
	if (!strcmp(n, "fcntl")) {
		if (c->nargs < 3)
			return 0;
		if (!strcmp(c->arg[1], "F_DUPFD") || !strcmp(c->arg[1], "F_DUPFD_CLOEXEC"))
			return strace_fd_set(t->fdt, ret, o) == -ENOMEM ? -ENOMEM : 0;
		if (!strcmp(c->arg[1], "F_SETFL")) {
			o->append = strace_has_flag(c->arg[2], "O_APPEND");
			if (strace_has_flag(c->arg[2], "O_DIRECT"))
				return strace_hint(sp, t, o->file, TRACE_HINT_DIRECT, 0, 0, 0, 0,
						   c->ns);
		}
		return 0;
	}
	if (!strcmp(n, "lseek")) {
		o->pos = (uint64_t)ret;
		return 0;
	}
	if (!strcmp(n, "read") || !strcmp(n, "readv"))
		return strace_io(sp, t, o, TRACE_READ, -1, (uint64_t)ret, c->ns);
	if (!strcmp(n, "write") || !strcmp(n, "writev"))
		return strace_io(sp, t, o, TRACE_WRITE, -1, (uint64_t)ret, c->ns);
	if (!strcmp(n, "pread64") || !strcmp(n, "pwrite64") || !strcmp(n, "preadv") ||
	    !strcmp(n, "pwritev") || !strcmp(n, "preadv2") || !strcmp(n, "pwritev2")) {
		int64_t off;

		/* preadv2/pwritev2 with offset -1 use and move the position */
		if (c->nargs < 4 || !strace_num(c->arg[3], &off))
			return strace_bad(sp, "%s without an offset", n);
		return strace_io(sp, t, o, n[1] == 'r' ? TRACE_READ : TRACE_WRITE,
				 off < 0 ? -1 : off, (uint64_t)ret, c->ns);
	}
	if (!strcmp(n, "fadvise64")) {
		int adv = c->nargs == 4 ? strace_advice(c->arg[3], "POSIX_FADV_") : -1;

		if (adv < 0 || !strace_num(c->arg[1], &a) || !strace_num(c->arg[2], &b))
			return 0;
		return strace_hint(sp, t, o->file, TRACE_HINT_FADVISE, (uint64_t)a, (uint64_t)b, adv,
				   0, c->ns);
	}
	if (!strcmp(n, "readahead")) {
		if (c->nargs == 3 && strace_num(c->arg[1], &a) && strace_num(c->arg[2], &b))
			return strace_hint(sp, t, o->file, TRACE_HINT_READAHEAD, (uint64_t)a,
					   (uint64_t)b, 0, 0, c->ns);
	}
	return 0;
}

/* "TID TIME" or "TIME": the task and the time; p past them. */
static int strace_line_head(struct strace_parser *sp, char **p, long *tid, uint64_t *ns)
{
	char *s = *p, *sp1 = strchr(s, ' '), tbuf[32];
	size_t n;

	if (!sp1)
		return strace_bad(sp, "not a line of strace -ttt");
	*tid = 0;
	if (!memchr(s, '.', (size_t)(sp1 - s))) {
		char *end;

		*tid = strtol(s, &end, 10);
		if (end != sp1)
			return strace_bad(sp, "not a thread id: '%.*s'", (int)(sp1 - s), s);
		s = sp1 + strspn(sp1, " ");
		sp1 = strchr(s, ' ');
		if (!sp1)
			return strace_bad(sp, "no time (strace -ttt)");
	}
	n = (size_t)(sp1 - s);
	if (n >= sizeof(tbuf))
		return strace_bad(sp, "not a time: '%.*s'", (int)n, s);
	memcpy(tbuf, s, n);
	tbuf[n] = '\0';
	if (trace_parse_time(tbuf, ns))
		return strace_bad(sp, "not a time (strace -ttt): '%s'", tbuf);
	*p = sp1 + 1;
	return 0;
}

static int strace_line(struct strace_parser *sp, char *line)
{
	struct strace_call c = { 0 };
	struct strace_task *t;
	char *p = line, *body, *joined = NULL;
	long tid = 0;
	size_t n;
	int err;

	if (!*line)
		return 0;
	if ((err = strace_line_head(sp, &p, &tid, &c.ns)))
		return err;
	if (!sp->have_t0) {
		sp->t0 = c.ns;
		sp->have_t0 = true;
	}
	c.ns = c.ns >= sp->t0 ? c.ns - sp->t0 : 0;
	if (!strncmp(p, "---", 3) || !strncmp(p, "+++", 3))
		return 0; /* a signal, an exit */
	t = strace_task(sp, tid);
	if (!t)
		return -ENOMEM;
	if (!strncmp(p, "<... ", 5)) {
		char *r = strstr(p, " resumed>");

		if (!r)
			return strace_bad(sp, "a resumed call without 'resumed>'");
		if (!t->pending)
			return 0; /* its start was before the trace (strace -p) */
		n = strlen(t->pending);
		joined = malloc(n + strlen(r + 9) + 1);
		if (!joined)
			return -ENOMEM;
		memcpy(joined, t->pending, n);
		strcpy(joined + n, r + 9);
		free(t->pending);
		t->pending = NULL;
		c.ns = t->pending_ns;
		body = joined;
	} else {
		body = p;
	}
	n = strlen(body);
	if (n >= 17 && !strcmp(body + n - 17, " <unfinished ...>")) {
		body[n - 17] = '\0';
		free(t->pending);
		t->pending = strdup(body);
		t->pending_ns = c.ns;
		free(joined);
		return t->pending ? 0 : -ENOMEM;
	}
	{
		char *paren = strchr(body, '(');

		if (!paren || (size_t)(paren - body) >= sizeof(c.name)) {
			err = strace_bad(sp, "not a system call: '%.40s'", body);
			free(joined);
			return err;
		}
		memcpy(c.name, body, (size_t)(paren - body));
		c.name[paren - body] = '\0';
		if (!strace_split_args(paren + 1, &c)) {
			/* the text before the split's NULs: the name */
			err = strace_bad(sp, "a call that does not close: '%s(...'", c.name);
			free(joined);
			return err;
		}
	}
	err = strace_call(sp, t, &c);
	free(joined);
	return err;
}

/* One pass over f. */
static int strace_pass(struct strace_parser *sp, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int err = 0;

	sp->line = 0;
	sp->have_t0 = false;
	while (!err && (n = getline(&line, &cap, f)) >= 0) {
		sp->line++;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		err = strace_line(sp, line);
	}
	if (!err && ferror(f)) {
		err = -EIO;
		snprintf(sp->msg, sp->msglen, "cannot read '%s': %s", sp->name, strerror(errno));
	}
	free(line);
	strace_tasks_free(sp);
	return err;
}

int strace_parse(FILE *f, const char *name, const struct strace_options *o,
		 const struct strace_events *ev, void *ctx, struct strace_result *res, char *msg,
		 size_t len)
{
	struct strace_parser sp = { .name = name, .o = o, .ev = ev, .ctx = ctx, .res = res,
				    .msg = msg, .msglen = len };
	int err;

	memset(res, 0, sizeof(*res));
	err = strace_pass(&sp, f);
	if (!err && fseek(f, 0, SEEK_SET)) {
		err = -errno;
		snprintf(msg, len, "cannot read '%s' again: %s", name, strerror(errno));
	}
	if (!err) {
		/* the end each file started at, for O_APPEND writes */
		for (size_t i = 0; i < sp.nfiles; i++) {
			struct strace_sfile *sf = &sp.files[i];
			int64_t now = o && o->size_now && !sf->truncated ? o->size_now(sf->path, ctx)
									 : -1;

			sf->end = now > 0 && (uint64_t)now > sf->appended ? (uint64_t)now - sf->appended
									  : 0;
			sf->appended = 0;
		}
		sp.emit = true;
		err = strace_pass(&sp, f);
	}
	for (size_t i = 0; i < sp.nfiles; i++)
		free(sp.files[i].path);
	free(sp.files);
	free(sp.children);
	if (err)
		strace_result_free(res);
	return err;
}

void strace_result_free(struct strace_result *res)
{
	for (unsigned i = 0; i < res->npaths; i++)
		free(res->paths[i]);
	free(res->paths);
	free(res->tids);
	memset(res, 0, sizeof(*res));
}
