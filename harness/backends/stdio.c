/*
 * backends/stdio.c - fread()/fwrite() positioned with fseeko(), through a
 * setvbuf() buffer of --stdio-buffer bytes (default BUFSIZ).  Both buffers
 * are allocated and pre-faulted in setup; fflush() of pending writes is in
 * the timed region (end), so stdio is not spared the write it defers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "backend.h"
#include "datafile.h"

struct stdio_state {
	FILE *fp;
	unsigned char *vbuf; /* the stream's own buffer */
	unsigned char *buf;  /* the block the workload sees */
};

static void stdio_teardown(struct backend_ctx *ctx)
{
	struct stdio_state *s = ctx->priv;

	if (!s)
		return;
	if (s->fp)
		fclose(s->fp);
	free(s->vbuf);
	free(s->buf);
	free(s);
	ctx->priv = NULL;
}

static int stdio_setup(struct backend_ctx *ctx)
{
	struct stdio_state *s = calloc(1, sizeof(*s));
	int fd;

	if (!s)
		return -ENOMEM;
	ctx->priv = s;
	s->vbuf = backend_alloc_buffer(ctx->stdio_buffer);
	s->buf = backend_alloc_buffer(ctx->block);
	if (!s->vbuf || !s->buf)
		goto out_nomem;
	/* A private descriptor: fclose() must not close the datafile's. */
	fd = dup(ctx->df->fd);
	if (fd < 0)
		goto out_errno;
	s->fp = fdopen(fd, ctx->writable ? "r+" : "r");
	if (!s->fp) {
		close(fd);
		goto out_errno;
	}
	if (setvbuf(s->fp, (char *)s->vbuf, _IOFBF, ctx->stdio_buffer))
		goto out_nomem;
	return 0;

out_errno:
	{
		int err = -errno;

		stdio_teardown(ctx);
		return err;
	}
out_nomem:
	stdio_teardown(ctx);
	return -ENOMEM;
}

static int stdio_get(struct backend_ctx *ctx, uint64_t off, size_t len, unsigned char **data)
{
	struct stdio_state *s = ctx->priv;

	*data = s->buf;
	if (fseeko(s->fp, (off_t)off, SEEK_SET))
		return -errno;
	if (fread(s->buf, 1, len, s->fp) != len)
		return ferror(s->fp) ? -EIO : -ENODATA;
	return 0;
}

static int stdio_put(struct backend_ctx *ctx, uint64_t off, size_t len, unsigned char *data)
{
	struct stdio_state *s = ctx->priv;

	/* ISO C requires a seek between a read and a write on one stream. */
	if (fseeko(s->fp, (off_t)off, SEEK_SET))
		return -errno;
	return fwrite(data, 1, len, s->fp) == len ? 0 : -EIO;
}

static int stdio_end(struct backend_ctx *ctx)
{
	struct stdio_state *s = ctx->priv;

	return fflush(s->fp) ? -errno : 0;
}

static int stdio_sync(struct backend_ctx *ctx)
{
	struct stdio_state *s = ctx->priv;

	if (fflush(s->fp))
		return -errno;
	return fsync(fileno(s->fp)) ? -errno : 0;
}

const struct backend backend_stdio = {
	.name = "stdio",
	.summary = "fseeko()+fread()/fwrite() through a setvbuf() buffer of --stdio-buffer bytes",
	.setup = stdio_setup,
	.get = stdio_get,
	.put = stdio_put,
	.sync = stdio_sync,
	.end = stdio_end,
	.teardown = stdio_teardown,
};
