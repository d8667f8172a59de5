/*
 * backends/mmap.c - the file mapped MAP_SHARED, one mapping shared by every
 * worker; the workload reads and writes the mapping in place, with no copy.
 * mmap() and munmap() are inside the timed region: a program that maps a
 * file pays for both (lmbench's bw_mmap_rd "open2close" variant, less the
 * open).  A write is a memcpy() into the mapping.
 *
 * mmapcopy is the same mapping used the way fio's mmap engine uses it:
 * every block is memcpy()'d into a buffer of the worker (and back for
 * updates) before it is consumed.  It exists to compare like with like
 * against fio; it lives here because it differs from mmap only in queue.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend.h"
#include "datafile.h"

static int mmap_begin(struct backend_ctx *ctx)
{
	int prot = PROT_READ | (ctx->writable ? PROT_WRITE : 0);
	void *map = mmap(NULL, ctx->df->size, prot, MAP_SHARED, ctx->df->fd, 0);

	if (map == MAP_FAILED)
		return -errno;
	ctx->priv = map;
	return 0;
}

static int mmap_queue(struct backend_worker *w, struct io_req *r)
{
	unsigned char *at = (unsigned char *)w->ctx->priv + r->off;

	if (r->write)
		memcpy(at, r->data, r->len);
	else
		r->data = at;
	return BACKEND_DONE;
}

static int mmapcopy_worker_setup(struct backend_worker *w)
{
	w->priv = backend_alloc_buffer(w->ctx->block);
	return w->priv ? 0 : -ENOMEM;
}

static int mmapcopy_queue(struct backend_worker *w, struct io_req *r)
{
	unsigned char *at = (unsigned char *)w->ctx->priv + r->off;

	if (r->write) {
		memcpy(at, r->data, r->len);
	} else {
		memcpy(w->priv, at, r->len);
		r->data = w->priv;
	}
	return BACKEND_DONE;
}

static void mmapcopy_worker_teardown(struct backend_worker *w)
{
	free(w->priv);
	w->priv = NULL;
}

static int mmap_sync(struct backend_worker *w, uint64_t off, uint64_t len)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), start = off / page * page;
	unsigned char *map = w->ctx->priv;

	if (!len)
		return msync(map, w->ctx->df->size, MS_SYNC) ? -errno : 0;
	return msync(map + start, off + len - start, MS_SYNC) ? -errno : 0;
}

static int mmap_end(struct backend_ctx *ctx)
{
	int err = munmap(ctx->priv, ctx->df->size) ? -errno : 0;

	ctx->priv = NULL;
	return err;
}

static void mmap_teardown(struct backend_ctx *ctx)
{
	if (ctx->priv)
		munmap(ctx->priv, ctx->df->size);
	ctx->priv = NULL;
}

const struct backend backend_mmap = {
	.name = "mmap",
	.summary = "mmap(MAP_SHARED) the file; consume and update the mapping in place",
	.flags = BACKEND_INPLACE,
	.begin = mmap_begin,
	.queue = mmap_queue,
	.sync = mmap_sync,
	.end = mmap_end,
	.teardown = mmap_teardown,
};

const struct backend backend_mmapcopy = {
	.name = "mmapcopy",
	.summary = "mmap(MAP_SHARED), memcpy each block to a buffer, then consume (as fio's mmap engine)",
	.begin = mmap_begin,
	.worker_setup = mmapcopy_worker_setup,
	.queue = mmapcopy_queue,
	.sync = mmap_sync,
	.end = mmap_end,
	.worker_teardown = mmapcopy_worker_teardown,
	.teardown = mmap_teardown,
};
