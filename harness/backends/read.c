/*
 * backends/read.c - pread()/pwrite() through a block-sized, page-aligned
 * buffer per worker, pre-faulted in setup so the timed region pays the copy
 * the kernel makes, not the first touch of the buffer.  The workers share
 * the descriptor; with --direct it is one of its own, opened O_DIRECT.
 * --fadvise is given on it in setup, before the timer, and taken back at
 * teardown.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/backend.h"
#include "sys/datafile.h"

/* The shared state is the descriptor; a worker's, its buffer. */
static int read_setup(struct backend_ctx *ctx)
{
	int fd, err = backend_open_fd(ctx, &fd);

	ctx->priv = (void *)(intptr_t)fd;
	return err ? err : backend_fadvise(ctx, fd);
}

static int read_worker_setup(struct backend_worker *w)
{
	w->priv = backend_alloc_buffer(w->ctx->block);
	return w->priv ? 0 : -ENOMEM;
}

static int read_queue(struct backend_worker *w, struct io_req *r)
{
	int fd = (int)(intptr_t)w->ctx->priv;

	if (r->write)
		return datafile_pwrite_all(fd, r->data, r->len, r->off);
	r->data = w->priv;
	return datafile_pread_all(fd, w->priv, r->len, r->off);
}

static int read_sync(struct backend_worker *w, uint64_t off, uint64_t len)
{
	(void)off, (void)len;
	return fsync((int)(intptr_t)w->ctx->priv) ? -errno : 0;
}

static void read_worker_teardown(struct backend_worker *w)
{
	free(w->priv);
	w->priv = NULL;
}

static void read_teardown(struct backend_ctx *ctx)
{
	backend_fadvise_reset(ctx, (int)(intptr_t)ctx->priv);
	backend_close_fd(ctx, (int)(intptr_t)ctx->priv);
}

const struct backend backend_read = {
	.name = "read",
	.summary = "pread()/pwrite() into a page-aligned block buffer, then consume it",
	.flags = BACKEND_DIRECT | BACKEND_FD,
	.check = backend_check_direct,
	.setup = read_setup,
	.worker_setup = read_worker_setup,
	.queue = read_queue,
	.sync = read_sync,
	.worker_teardown = read_worker_teardown,
	.teardown = read_teardown,
};
