/*
 * backends/stdio.c - fread()/fwrite() positioned with fseeko(), through a
 * setvbuf() buffer of --stdio-buffer bytes (default BUFSIZ).  Every thread
 * has its own stream on its own descriptor (the file opened again), and its
 * buffers are allocated and pre-faulted in setup; fflush() of pending
 * writes is in the timed region (thread_end), so stdio is not spared the
 * write it defers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/backend.h"
#include "core/config.h"
#include "core/option.h"
#include "sys/datafile.h"

struct stdio_state {
	FILE *fp;
	unsigned char *vbuf; /* the stream's own buffer */
	unsigned char *buf;  /* the block the workload sees */
};

static void stdio_thread_teardown(struct backend_thread *t)
{
	struct stdio_state *s = t->priv;

	if (!s)
		return;
	if (s->fp)
		fclose(s->fp);
	free(s->vbuf);
	free(s->buf);
	free(s);
	t->priv = NULL;
}

static int stdio_thread_setup(struct backend_thread *t)
{
	struct stdio_state *s = calloc(1, sizeof(*s));
	int fd, err = -ENOMEM;

	if (!s)
		return -ENOMEM;
	t->priv = s;
	s->vbuf = backend_alloc_buffer(t->ctx->stdio_buffer);
	s->buf = backend_alloc_buffer(t->ctx->block);
	if (!s->vbuf || !s->buf)
		goto out;
	/* A descriptor of its own: fclose() must not close the datafile's,
	 * and a dup() would share one file offset among the threads. */
	fd = open(t->ctx->df->path, (t->ctx->writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	s->fp = fdopen(fd, t->ctx->writable ? "r+" : "r");
	if (!s->fp) {
		err = -errno;
		close(fd);
		goto out;
	}
	if (!setvbuf(s->fp, (char *)s->vbuf, _IOFBF, t->ctx->stdio_buffer)) {
		err = backend_fadvise(t->ctx, fd); /* its own descriptor: gone at fclose() */
		if (!err)
			return 0;
	}
out:
	stdio_thread_teardown(t);
	return err;
}

/* err for the request r, its offset noted for the step's message. */
static int stdio_failed(const struct io_req *r, int err)
{
	datafile_note_failure((int64_t)r->off);
	return err;
}

static int stdio_queue(struct backend_thread *t, struct io_req *r)
{
	struct stdio_state *s = t->priv;

	/* ISO C requires a seek between a read and a write on one stream. */
	if (fseeko(s->fp, (off_t)r->off, SEEK_SET))
		return stdio_failed(r, -errno);
	if (r->write)
		return fwrite(r->data, 1, r->len, s->fp) == r->len ? 0 : stdio_failed(r, -EIO);
	r->data = s->buf;
	/* fread() retries short reads itself: fewer bytes is an error or the
	 * end of the file */
	if (fread(s->buf, 1, r->len, s->fp) != r->len)
		return stdio_failed(r, ferror(s->fp) ? -EIO : -EDATAFILE_SHORT);
	return 0;
}

static int stdio_thread_end(struct backend_thread *t)
{
	struct stdio_state *s = t->priv;

	return fflush(s->fp) ? -errno : 0;
}

static int stdio_sync(struct backend_thread *t, uint64_t off, uint64_t len)
{
	struct stdio_state *s = t->priv;

	(void)off, (void)len;
	if (fflush(s->fp))
		return -errno;
	return fsync(fileno(s->fp)) ? -errno : 0;
}

/* BUFSIZ as the string a user would type, for the default. */
#define STDIO_STR2(x) #x
#define STDIO_STR(x) STDIO_STR2(x)

/* The other backends have no stdio buffer and ignore it: a sweep over
 * --stdio-buffer may keep them as its baseline. */
const struct option_def stdio_option_buffer = {
	"stdio-buffer", "SIZE", OPT_SIZE, offsetof(struct config, stdio_buffer), STDIO_STR(BUFSIZ),
	8, 1ULL << 30, NULL, "stdio_buffer", 0,
	"setvbuf() buffer of the stdio backend (default BUFSIZ)",
	NULL,
};

static const struct option_def *const stdio_options[] = {
	&backend_option_fadvise,
	&stdio_option_buffer,
	NULL,
};

const struct backend backend_stdio = {
	.name = "stdio",
	.options = stdio_options,
	.summary = "fseeko()+fread()/fwrite() through a setvbuf() buffer of --stdio-buffer bytes",
	.thread_setup = stdio_thread_setup,
	.queue = stdio_queue,
	.thread_end = stdio_thread_end,
	.sync = stdio_sync,
	.thread_teardown = stdio_thread_teardown,
};
