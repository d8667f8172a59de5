/*
 * backends/mem.c - the ceiling: the same workload on pre-faulted anonymous
 * memory holding the file's bytes.  It measures what consuming the data costs
 * with no file, no page cache and no system call, so every other backend can
 * be read as a distance from it.  The copy is made in setup, untimed; every
 * thread shares it.
 *
 * A ceiling must not sit below what it bounds: the page cache holds a
 * file read in order in large folios, which mmap maps with fewer faults
 * and TLB entries than 4 KiB pages, so a mem in 4 KiB pages fell 18-40%
 * below mmap on warm seqread.  So the copy is aligned to 2 MiB and asks
 * for transparent huge pages (MADV_HUGEPAGE) where the machine allows
 * them, and the row records what it got (mem_pages, from AnonHugePages in
 * /proc/self/smaps).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/backend.h"
#include "sys/datafile.h"
#include "sys/memuse.h"

#define MEM_HUGE (2UL << 20)

/* The copy: the region handed out, inside the mapping made for it. */
struct mem_copy {
	unsigned char *region;
	void *map;
	size_t maplen;
};

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
	size_t span = (size + MEM_HUGE - 1) / MEM_HUGE * MEM_HUGE;
	struct mem_copy *c = calloc(1, sizeof(*c));
	bool thp = memuse_thp_available();
	double huge = 0;
	int err;

	if (!c)
		return -ENOMEM;
	/* one huge page more, to start the region on a 2 MiB boundary */
	c->maplen = span + MEM_HUGE;
	c->map = mmap(NULL, c->maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->map == MAP_FAILED) {
		err = -errno;
		goto out_free;
	}
	c->region = (unsigned char *)(((uintptr_t)c->map + MEM_HUGE - 1) & ~(uintptr_t)(MEM_HUGE - 1));
	if (thp)
		madvise(c->region, span, MADV_HUGEPAGE);
	/* Reading the file into the region also faults every page in. */
	err = datafile_pread_all(ctx->df->fd, c->region, size, 0);
	if (err)
		goto out_unmap;
	if (thp)
		huge = memuse_huge_share(c->region);
	ctx->pages = huge >= 0.99 ? "2M" : huge > 0 ? "mixed" : "4K";
	ctx->priv = c;
	return 0;
out_unmap:
	munmap(c->map, c->maplen);
out_free:
	free(c);
	return err;
}

static int mem_queue(struct backend_thread *t, struct io_req *r)
{
	unsigned char *at = ((struct mem_copy *)t->ctx->priv)->region + r->off;

	if (r->write)
		memcpy(at, r->data, r->len);
	else
		r->data = at;
	return BACKEND_DONE;
}

static int mem_peek(struct backend_ctx *ctx, uint64_t off, size_t len, void *out)
{
	memcpy(out, ((struct mem_copy *)ctx->priv)->region + off, len);
	return 0;
}

static void mem_teardown(struct backend_ctx *ctx)
{
	struct mem_copy *c = ctx->priv;

	if (c) {
		munmap(c->map, c->maplen);
		free(c);
	}
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
