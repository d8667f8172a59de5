/* backend.c - what several backends share: a pre-faulted buffer, the
 * descriptor (O_DIRECT or not), the --fadvise option and its advice, and
 * the O_DIRECT check. */
#include "core/backend.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/option.h"
#include "sys/datafile.h"

unsigned char *backend_alloc_buffer(size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t rounded = (len + page - 1) / page * page;
	unsigned char *buf = aligned_alloc(page, rounded ? rounded : page);

	if (buf)
		memset(buf, 0, rounded);
	return buf;
}

int backend_open_fd(const struct backend_ctx *ctx, int *fd)
{
	if (!ctx->direct) {
		*fd = ctx->df->fd;
		return 0;
	}
	*fd = open(ctx->df->path, (ctx->writable ? O_RDWR : O_RDONLY) | O_DIRECT | O_CLOEXEC);
	return *fd < 0 ? -errno : 0;
}

void backend_close_fd(const struct backend_ctx *ctx, int fd)
{
	if (ctx->direct && fd >= 0)
		close(fd);
}

bool backend_takes(const struct backend *b, const struct option_def *o)
{
	for (const struct option_def *const *p = b->options; p && *p; p++)
		if (*p == o)
			return true;
	return false;
}

static void backend_refuse_fadvise(const struct option_def *o, const struct config *cfg,
				   const char *takers, const char *name, char *why, size_t len)
{
	(void)cfg;
	snprintf(why, len, "--%s is advice on a descriptor (%s); %s reads none", o->name, takers,
		 name);
}

/* In the order of enum fadvise_mode. */
static const char *const backend_fadvise_choices[] = { "normal",   "random", "sequential",
						       "willneed", "noreuse", NULL };

const struct option_def backend_option_fadvise = {
	"fadvise", "ADVICE", OPT_CHOICE, offsetof(struct config, fadvise), "normal", 0, 0,
	backend_fadvise_choices, "fadvise", 0,
	"posix_fadvise() on the descriptor (read, stdio, uring), before the timer: normal, "
	"random, sequential, willneed, noreuse",
	backend_refuse_fadvise,
};

int backend_fadvise(const struct backend_ctx *ctx, int fd)
{
	static const int advice[] = {
		[FADV_MODE_NORMAL] = POSIX_FADV_NORMAL,	    [FADV_MODE_RANDOM] = POSIX_FADV_RANDOM,
		[FADV_MODE_SEQUENTIAL] = POSIX_FADV_SEQUENTIAL, [FADV_MODE_WILLNEED] = POSIX_FADV_WILLNEED,
		[FADV_MODE_NOREUSE] = POSIX_FADV_NOREUSE,
	};

	if (!ctx->cfg || ctx->cfg->fadvise == FADV_MODE_NORMAL)
		return 0;
	return -posix_fadvise(fd, 0, 0, advice[ctx->cfg->fadvise]);
}

void backend_fadvise_reset(const struct backend_ctx *ctx, int fd)
{
	if (ctx->cfg && ctx->cfg->fadvise != FADV_MODE_NORMAL)
		posix_fadvise(fd, 0, 0, POSIX_FADV_NORMAL);
}

int backend_check_direct(const struct config *cfg, const struct datafile *df, char *why,
			 size_t len)
{
	int fd;

	if (!cfg->direct)
		return 0;
	fd = open(df->path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "the filesystem of '%s' refuses O_DIRECT (%s)", df->path,
			 strerror(errno));
		return -EOPNOTSUPP;
	}
	close(fd);
	return 0;
}
