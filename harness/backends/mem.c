/*
 * backends/mem.c - the ceiling: the same workload on pre-faulted anonymous
 * memory holding the file's bytes.  It measures what consuming the data costs
 * with no file, no page cache and no system call, so every other backend can
 * be read as a distance from it.  The copy is made in setup, untimed; every
 * thread shares it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/backend.h"
#include "sys/datafile.h"

/* A copy that does not fit in free memory would measure swapping or get
 * the process killed: the step is skipped. */
static int mem_check(const struct config *cfg, const struct datafile *df, char *why, size_t len)
{
	uint64_t avail = (uint64_t)sysconf(_SC_AVPHYS_PAGES) * (uint64_t)sysconf(_SC_PAGESIZE);

	(void)cfg;
	if (df->size <= avail / 10 * 8)
		return 0;
	snprintf(why, len, "a copy of the file (%llu MiB) does not fit in 80%% of free memory",
		 (unsigned long long)(df->size >> 20));
	return -EOPNOTSUPP;
}

static int mem_setup(struct backend_ctx *ctx)
{
	uint64_t size = ctx->df->size;
	unsigned char *region;
	int err;

	region = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		return -errno;
	/* Reading the file into the region also faults every page in. */
	err = datafile_pread_all(ctx->df->fd, region, size, 0);
	if (err) {
		munmap(region, size);
		return err;
	}
	ctx->priv = region;
	return 0;
}

static int mem_queue(struct backend_thread *t, struct io_req *r)
{
	unsigned char *at = (unsigned char *)t->ctx->priv + r->off;

	if (r->write)
		memcpy(at, r->data, r->len);
	else
		r->data = at;
	return BACKEND_DONE;
}

static int mem_peek(struct backend_ctx *ctx, uint64_t off, size_t len, void *out)
{
	memcpy(out, (unsigned char *)ctx->priv + off, len);
	return 0;
}

static void mem_teardown(struct backend_ctx *ctx)
{
	if (ctx->priv)
		munmap(ctx->priv, ctx->df->size);
	ctx->priv = NULL;
}

const struct backend backend_mem = {
	.name = "mem",
	.summary = "ceiling: the same bytes in pre-faulted anonymous memory, no file at all",
	.flags = BACKEND_ANON | BACKEND_INPLACE,
	.check = mem_check,
	.setup = mem_setup,
	.queue = mem_queue,
	.peek = mem_peek,
	.teardown = mem_teardown,
};
