/*
 * backends/mmap.c - the file mapped MAP_SHARED; the workload reads and writes
 * the mapping in place, with no copy.  mmap() and munmap() are inside the
 * timed region: a program that maps a file pays for both (lmbench's
 * bw_mmap_rd "open2close" variant, less the open).
 *
 * mmapcopy is the same mapping used the way fio's mmap engine uses it:
 * every block is memcpy()'d into a buffer (and back for writes) before it is
 * consumed.  It exists to compare like with like against fio; it lives here
 * because it differs from mmap only in get and put.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "backend.h"
#include "datafile.h"

struct mmap_state {
	unsigned char *map;
	unsigned char *buf; /* mmapcopy only */
};

static int mmap_setup(struct backend_ctx *ctx)
{
	ctx->priv = calloc(1, sizeof(struct mmap_state));
	return ctx->priv ? 0 : -ENOMEM;
}

static int mmapcopy_setup(struct backend_ctx *ctx)
{
	struct mmap_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->buf = backend_alloc_buffer(ctx->block);
	if (!s->buf) {
		free(s);
		return -ENOMEM;
	}
	ctx->priv = s;
	return 0;
}

static int mmap_begin(struct backend_ctx *ctx)
{
	struct mmap_state *s = ctx->priv;
	int prot = PROT_READ | (ctx->writable ? PROT_WRITE : 0);
	void *map = mmap(NULL, ctx->df->size, prot, MAP_SHARED, ctx->df->fd, 0);

	if (map == MAP_FAILED)
		return -errno;
	s->map = map;
	return 0;
}

static int mmap_get(struct backend_ctx *ctx, uint64_t off, size_t len, unsigned char **data)
{
	struct mmap_state *s = ctx->priv;

	(void)len;
	*data = s->map + off;
	return 0;
}

static int mmapcopy_get(struct backend_ctx *ctx, uint64_t off, size_t len, unsigned char **data)
{
	struct mmap_state *s = ctx->priv;

	memcpy(s->buf, s->map + off, len);
	*data = s->buf;
	return 0;
}

static int mmapcopy_put(struct backend_ctx *ctx, uint64_t off, size_t len, unsigned char *data)
{
	struct mmap_state *s = ctx->priv;

	memcpy(s->map + off, data, len);
	return 0;
}

static int mmap_sync(struct backend_ctx *ctx)
{
	struct mmap_state *s = ctx->priv;

	return msync(s->map, ctx->df->size, MS_SYNC) ? -errno : 0;
}

static int mmap_end(struct backend_ctx *ctx)
{
	struct mmap_state *s = ctx->priv;
	int err = munmap(s->map, ctx->df->size) ? -errno : 0;

	s->map = NULL;
	return err;
}

static void mmap_teardown(struct backend_ctx *ctx)
{
	struct mmap_state *s = ctx->priv;

	if (s && s->map)
		munmap(s->map, ctx->df->size);
	if (s)
		free(s->buf);
	free(s);
	ctx->priv = NULL;
}

const struct backend backend_mmap = {
	.name = "mmap",
	.summary = "mmap(MAP_SHARED) the file; consume and update the mapping in place",
	.setup = mmap_setup,
	.begin = mmap_begin,
	.get = mmap_get,
	.sync = mmap_sync,
	.end = mmap_end,
	.teardown = mmap_teardown,
};

const struct backend backend_mmapcopy = {
	.name = "mmapcopy",
	.summary = "mmap(MAP_SHARED), memcpy each block to a buffer, then consume (as fio's mmap engine)",
	.setup = mmapcopy_setup,
	.begin = mmap_begin,
	.get = mmapcopy_get,
	.put = mmapcopy_put,
	.sync = mmap_sync,
	.end = mmap_end,
	.teardown = mmap_teardown,
};
