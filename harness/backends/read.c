/*
 * backends/read.c - pread()/pwrite() through a block-sized, page-aligned
 * buffer per thread, pre-faulted in setup so the timed region pays the copy
 * the kernel makes, not the first touch of the buffer.  The threads share
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

/* The shared state is the descriptor; a thread's, its buffer. */
static int read_setup(struct backend_ctx *ctx)
{
	int fd, err = backend_open_fd(ctx, &fd);

	ctx->priv = (void *)(intptr_t)fd;
	return err ? err : backend_fadvise(ctx, fd);
}

static int read_thread_setup(struct backend_thread *t)
{
	t->priv = backend_alloc_buffer(t->ctx->block);
	return t->priv ? 0 : -ENOMEM;
}

static int read_queue(struct backend_thread *t, struct io_req *r)
{
	int fd = (int)(intptr_t)t->ctx->priv;

	if (r->write)
		return datafile_pwrite_all(fd, r->data, r->len, r->off);
	r->data = t->priv;
	return datafile_pread_all(fd, t->priv, r->len, r->off);
}

static int read_sync(struct backend_thread *t, uint64_t off, uint64_t len)
{
	(void)off, (void)len;
	return fsync((int)(intptr_t)t->ctx->priv) ? -errno : 0;
}

static void read_thread_teardown(struct backend_thread *t)
{
	free(t->priv);
	t->priv = NULL;
}

static void read_teardown(struct backend_ctx *ctx)
{
	backend_fadvise_reset(ctx, (int)(intptr_t)ctx->priv);
	backend_close_fd(ctx, (int)(intptr_t)ctx->priv);
}

static const struct option_def *const read_options[] = {
	&backend_option_fadvise,
	NULL,
};

const struct backend backend_read = {
	.name = "read",
	.summary = "pread()/pwrite() into a page-aligned block buffer, then consume it",
	.flags = BACKEND_DIRECT,
	.options = read_options,
	.check = backend_check_direct,
	.setup = read_setup,
	.thread_setup = read_thread_setup,
	.queue = read_queue,
	.sync = read_sync,
	.thread_teardown = read_thread_teardown,
	.teardown = read_teardown,
};
