/*
 * backends/read.c - pread()/pwrite() through one block-sized, page-aligned
 * buffer, pre-faulted in setup so the timed region pays the copy the kernel
 * makes, not the first touch of the buffer.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "backend.h"
#include "datafile.h"

/* The private state is the buffer itself. */
static int read_setup(struct backend_ctx *ctx)
{
	ctx->priv = backend_alloc_buffer(ctx->block);
	return ctx->priv ? 0 : -ENOMEM;
}

static int read_get(struct backend_ctx *ctx, uint64_t off, size_t len, unsigned char **data)
{
	*data = ctx->priv;
	return datafile_pread_all(ctx->df->fd, ctx->priv, len, off);
}

static int read_put(struct backend_ctx *ctx, uint64_t off, size_t len, unsigned char *data)
{
	return datafile_pwrite_all(ctx->df->fd, data, len, off);
}

static int read_sync(struct backend_ctx *ctx)
{
	return fsync(ctx->df->fd) ? -errno : 0;
}

static void read_teardown(struct backend_ctx *ctx)
{
	free(ctx->priv);
	ctx->priv = NULL;
}

const struct backend backend_read = {
	.name = "read",
	.summary = "pread()/pwrite() into a page-aligned block buffer, then consume it",
	.setup = read_setup,
	.get = read_get,
	.put = read_put,
	.sync = read_sync,
	.teardown = read_teardown,
};
