/*
 * backends/mmap.c - the file mapped MAP_SHARED, one mapping shared by every
 * thread; the workload reads and writes the mapping in place, with no copy.
 * mmap() and munmap() are inside the timed region: a program that maps a
 * file pays for both (lmbench's bw_mmap_rd "open2close" variant, less the
 * open).  A write is a memcpy() into the mapping.
 *
 * The hints, and which side of the timer each is on:
 * - --madvise: madvise() on the mapping right after mmap(), inside the
 *   timed region like the mmap() itself;
 * - --populate: mmap(MAP_POPULATE) and the madvise() move to setup, before
 *   the timer, so the region starts with every page mapped (no faults);
 * - --map-scope op: no mapping for the run; every operation maps the pages
 *   it touches, uses them and unmaps them, timed, as a program that maps on
 *   demand would.
 * The three are declared here, once, and both backends take them.
 *
 * mmapcopy is the same mapping used the way fio's mmap engine uses it:
 * every block is memcpy()'d into a buffer of the thread (and back for
 * updates) before it is consumed.  It exists to compare like with like
 * against fio; it lives here because it differs from mmap only in queue.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/backend.h"
#include "core/config.h"
#include "core/option.h"
#include "sys/datafile.h"

/* A thread's own: the mmapcopy buffer, and with --map-scope op the
 * mapping of the operation in hand. */
struct mmap_thread {
	unsigned char *buf;
	unsigned char *opmap;
	size_t oplen;
};

static int mmap_advise(const struct backend_ctx *ctx, void *at, size_t len)
{
	static const int advice[] = {
		[MADV_MODE_NORMAL] = MADV_NORMAL,	  [MADV_MODE_RANDOM] = MADV_RANDOM,
		[MADV_MODE_SEQUENTIAL] = MADV_SEQUENTIAL, [MADV_MODE_WILLNEED] = MADV_WILLNEED,
		[MADV_MODE_HUGEPAGE] = MADV_HUGEPAGE,	  [MADV_MODE_NOHUGEPAGE] = MADV_NOHUGEPAGE,
	};

	if (ctx->cfg->madvise == MADV_MODE_NORMAL)
		return 0;
	return madvise(at, len, advice[ctx->cfg->madvise]) ? -errno : 0;
}

static int mmap_map(struct backend_ctx *ctx, int extra_flags)
{
	int prot = PROT_READ | (ctx->writable ? PROT_WRITE : 0);
	void *map = mmap(NULL, ctx->df->size, prot, MAP_SHARED | extra_flags, ctx->df->fd, 0);

	if (map == MAP_FAILED)
		return -errno;
	ctx->priv = map;
	return mmap_advise(ctx, map, ctx->df->size);
}

static int mmap_setup(struct backend_ctx *ctx)
{
	return ctx->cfg->populate ? mmap_map(ctx, MAP_POPULATE) : 0;
}

static int mmap_begin(struct backend_ctx *ctx)
{
	if (ctx->priv || ctx->cfg->map_scope == MAP_SCOPE_OP)
		return 0; /* populated in setup, or mapped at every operation */
	return mmap_map(ctx, 0);
}

static int mmap_thread_setup(struct backend_thread *t)
{
	struct mmap_thread *m = calloc(1, sizeof(*m));

	t->priv = m;
	/* only a mapping per operation has anything to release */
	t->release = t->ctx->cfg->map_scope == MAP_SCOPE_OP;
	return m ? 0 : -ENOMEM;
}

static int mmapcopy_thread_setup(struct backend_thread *t)
{
	int err = mmap_thread_setup(t);
	struct mmap_thread *m = t->priv;

	if (err)
		return err;
	m->buf = backend_alloc_buffer(t->ctx->block);
	return m->buf ? 0 : -ENOMEM;
}

static void mmap_thread_teardown(struct backend_thread *t)
{
	struct mmap_thread *m = t->priv;

	if (m && m->opmap)
		munmap(m->opmap, m->oplen);
	if (m)
		free(m->buf);
	free(m);
	t->priv = NULL;
}

/* Where the bytes at off are: in the run's mapping, or in a mapping of
 * just the pages of [off, off + len) made now (--map-scope op). */
static inline int mmap_locate(struct backend_thread *t, uint64_t off, size_t len, unsigned char **at)
{
	struct mmap_thread *m = t->priv;
	struct backend_ctx *ctx = t->ctx;
	uint64_t page, start;
	int prot;
	void *map;

	/* the run's mapping: the common case, kept to an add */
	if (ctx->cfg->map_scope != MAP_SCOPE_OP) {
		*at = (unsigned char *)ctx->priv + off;
		return 0;
	}
	*at = NULL;
	page = (uint64_t)sysconf(_SC_PAGESIZE);
	start = off / page * page;
	prot = PROT_READ | (ctx->writable ? PROT_WRITE : 0);
	m->oplen = (size_t)(off + len - start);
	map = mmap(NULL, m->oplen, prot, MAP_SHARED, ctx->df->fd, (off_t)start);
	if (map == MAP_FAILED)
		return errno ? -errno : -ENOMEM;
	m->opmap = map;
	*at = m->opmap + (off - start);
	return mmap_advise(ctx, map, m->oplen);
}

static int mmap_queue(struct backend_thread *t, struct io_req *r)
{
	unsigned char *at = NULL;
	int err = mmap_locate(t, r->off, r->len, &at);

	if (err || !at) /* !at: no mapping, a programmer's mistake */
		return err ? err : -EFAULT;
	if (r->write)
		memcpy(at, r->data, r->len);
	else
		r->data = at;
	return BACKEND_DONE;
}

static int mmapcopy_queue(struct backend_thread *t, struct io_req *r)
{
	struct mmap_thread *m = t->priv;
	unsigned char *at = NULL;
	int err = mmap_locate(t, r->off, r->len, &at);

	if (err || !at)
		return err ? err : -EFAULT;
	if (r->write) {
		memcpy(at, r->data, r->len);
	} else {
		memcpy(m->buf, at, r->len);
		r->data = m->buf;
	}
	return BACKEND_DONE;
}

/* --map-scope op: the operation is over, its mapping goes. */
static int mmap_release(struct backend_thread *t, struct io_req *r)
{
	struct mmap_thread *m = t->priv;
	int err;

	(void)r;
	if (!m->opmap)
		return 0;
	err = munmap(m->opmap, m->oplen) ? -errno : 0;
	m->opmap = NULL;
	return err;
}

static int mmap_sync(struct backend_thread *t, uint64_t off, uint64_t len)
{
	struct mmap_thread *m = t->priv;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), start = off / page * page;
	unsigned char *map = t->ctx->priv;

	if (t->ctx->cfg->map_scope == MAP_SCOPE_OP) {
		/* the operation's own mapping, or, once they are all gone,
		 * the file's dirty pages */
		if (len && m->opmap)
			return msync(m->opmap, m->oplen, MS_SYNC) ? -errno : 0;
		return fdatasync(t->ctx->df->fd) ? -errno : 0;
	}
	if (!len)
		return msync(map, t->ctx->df->size, MS_SYNC) ? -errno : 0;
	return msync(map + start, off + len - start, MS_SYNC) ? -errno : 0;
}

static int mmap_end(struct backend_ctx *ctx)
{
	int err = ctx->priv && munmap(ctx->priv, ctx->df->size) ? -errno : 0;

	ctx->priv = NULL;
	return err;
}

static void mmap_teardown(struct backend_ctx *ctx)
{
	if (ctx->priv)
		munmap(ctx->priv, ctx->df->size);
	ctx->priv = NULL;
}

static void mmap_refuse(const struct option_def *o, const struct config *cfg, const char *takers,
			const char *name, char *why, size_t len)
{
	(void)cfg;
	snprintf(why, len, "--%s is advice on a mapping (%s); %s has none", o->name, takers, name);
}

/* In the order of enum madvise_mode and enum map_scope. */
static const char *const mmap_madvise_choices[] = { "normal",	"random",   "sequential",
						    "willneed", "hugepage", "nohugepage", NULL };
static const char *const mmap_scope_choices[] = { "run", "op", NULL };

const struct option_def mmap_option_madvise = {
	"madvise", "ADVICE", OPT_CHOICE, offsetof(struct config, madvise), "normal", 0, 0,
	mmap_madvise_choices, "madvise", 0,
	"madvise() on the mapping (mmap, mmapcopy): normal, random (no read-around), "
	"sequential, willneed, hugepage, nohugepage",
	mmap_refuse,
};

const struct option_def mmap_option_populate = {
	"populate", NULL, OPT_FLAG, offsetof(struct config, populate), NULL, 0, 0, NULL,
	"populate", 0,
	"map with MAP_POPULATE before the timer (mmap, mmapcopy): no page faults inside it",
	mmap_refuse,
};

const struct option_def mmap_option_map_scope = {
	"map-scope", "SCOPE", OPT_CHOICE, offsetof(struct config, map_scope), "run", 0, 0,
	mmap_scope_choices, "map_scope", 0,
	"mmap: one mapping for the run, or op: mmap() and munmap() around every operation",
	mmap_refuse,
};

static const struct option_def *const mmap_options[] = {
	&mmap_option_madvise,
	&mmap_option_populate,
	&mmap_option_map_scope,
	NULL,
};

static int mmap_check_options(const struct config *cfg, char *why, size_t len)
{
	if (cfg->populate && cfg->map_scope == MAP_SCOPE_OP) {
		snprintf(why, len,
			 "--populate maps the file once before the timer; --map-scope op maps at "
			 "every operation (choose one)");
		return -EINVAL;
	}
	return 0;
}

const struct backend backend_mmap = {
	.name = "mmap",
	.summary = "mmap(MAP_SHARED) the file; consume and update the mapping in place",
	.flags = BACKEND_INPLACE,
	.options = mmap_options,
	.check_options = mmap_check_options,
	.setup = mmap_setup,
	.thread_setup = mmap_thread_setup,
	.begin = mmap_begin,
	.queue = mmap_queue,
	.release = mmap_release,
	.sync = mmap_sync,
	.end = mmap_end,
	.thread_teardown = mmap_thread_teardown,
	.teardown = mmap_teardown,
};

const struct backend backend_mmapcopy = {
	.name = "mmapcopy",
	.summary = "mmap(MAP_SHARED), memcpy each block to a buffer, then consume (as fio's mmap engine)",
	.options = mmap_options,
	.check_options = mmap_check_options,
	.setup = mmap_setup,
	.thread_setup = mmapcopy_thread_setup,
	.begin = mmap_begin,
	.queue = mmapcopy_queue,
	.release = mmap_release,
	.sync = mmap_sync,
	.end = mmap_end,
	.thread_teardown = mmap_thread_teardown,
	.teardown = mmap_teardown,
};
