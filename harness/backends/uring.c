/*
 * backends/uring.c - io_uring through liburing: each thread has its own ring
 * of --qd entries and --qd block buffers, registered with the ring (fixed
 * buffers: no page pinning per request), and keeps up to --qd reads or
 * writes in flight; reap() submits what is queued in one system call and
 * waits for at least one completion.  The threads share the descriptor;
 * with --direct it is one of its own, opened O_DIRECT.  Writes of a
 * workload's own bytes (seqwrite, randwrite) come from its buffer, not a
 * registered one.
 *
 * Built only with liburing (Debian: liburing-dev, found by pkg-config);
 * without it, or where io_uring is disabled (kernel.io_uring_disabled, a
 * seccomp filter), the backend is listed as unavailable, saying why.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/backend.h"
#include "core/config.h"
#include "core/option.h"
#include "sys/datafile.h"

static void uring_refuse_qd(const struct option_def *o, const struct config *cfg,
			    const char *takers, const char *name, char *why, size_t len)
{
	snprintf(why, len,
		 "--%s %llu needs backends that keep several operations in flight (%s); %s "
		 "completes one at a time (use --%s 1)",
		 o->name, (unsigned long long)cfg->qd, takers, name, o->name);
}

/* --qd, declared here with or without liburing: the table and the CSV
 * columns are the same in every build. */
const struct option_def uring_option_qd = {
	"qd", "N", OPT_COUNT, offsetof(struct config, qd), "1", 1, 4096, NULL, "qd", 0,
	"operations in flight per thread (backends that can: uring)",
	uring_refuse_qd,
};

static const struct option_def *const uring_options[] = {
	&backend_option_fadvise,
	&uring_option_qd,
	NULL,
};

#ifdef HAVE_LIBURING
#include <liburing.h>
#include <sys/syscall.h>
#include <sys/uio.h>

struct uring_thread {
	struct io_uring ring;
	unsigned char *bufs; /* qd buffers of block bytes */
	struct iovec *iov;
	bool registered;
	bool disabled; /* until the thread's first request (R_DISABLED) */
};

static const char *uring_unavailable(void)
{
	static char why[128];
	static int probed; /* 0: not yet, 1: works, -1: why says why not */
	struct io_uring ring;
	int err;

	if (probed)
		return probed > 0 ? NULL : why;
	err = io_uring_queue_init(1, &ring, 0);
	if (err) {
		snprintf(why, sizeof(why), "io_uring cannot be set up here: %s", strerror(-err));
		probed = -1;
		return why;
	}
	io_uring_queue_exit(&ring);
	probed = 1;
	return NULL;
}

static int uring_setup(struct backend_ctx *ctx)
{
	int fd, err = backend_open_fd(ctx, &fd);

	ctx->priv = (void *)(intptr_t)fd;
	return err ? err : backend_fadvise(ctx, fd);
}

static void uring_thread_teardown(struct backend_thread *t)
{
	struct uring_thread *u = t->priv;

	if (t->first) { /* another file's: the ring is first's */
		t->priv = NULL;
		return;
	}
	if (!u)
		return;
	if (u->registered)
		io_uring_unregister_buffers(&u->ring);
	if (u->iov)
		io_uring_queue_exit(&u->ring);
	free(u->iov);
	free(u->bufs);
	free(u);
	t->priv = NULL;
}

static int uring_thread_setup(struct backend_thread *t)
{
	unsigned qd = t->ctx->qd;
	struct uring_thread *u;
	int err;

	/* one ring per thread, whatever the file: the engine reaps first's */
	if (t->first) {
		t->priv = t->first->priv;
		return 0;
	}
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	t->priv = u;
	u->bufs = backend_alloc_buffer(qd * t->ctx->block);
	if (!u->bufs) {
		uring_thread_teardown(t);
		return -ENOMEM;
	}
	/* As fio sets up its rings where the kernel has the flags: one task
	 * submits (SINGLE_ISSUER), and completions are run when it asks for
	 * them (DEFER_TASKRUN, 6.1) or at least when it enters the kernel
	 * anyway (COOP_TASKRUN, 5.19), not by interrupting it.  The ring
	 * starts disabled: its single issuer is the engine thread, which
	 * enables it on its first request. */
	err = io_uring_queue_init(qd, &u->ring, IORING_SETUP_SINGLE_ISSUER |
				  IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_R_DISABLED);
	u->disabled = !err;
	if (err == -EINVAL)
		err = io_uring_queue_init(qd, &u->ring, IORING_SETUP_COOP_TASKRUN);
	if (err == -EINVAL)
		err = io_uring_queue_init(qd, &u->ring, 0);
	if (err) {
		uring_thread_teardown(t);
		return err;
	}
	u->iov = calloc(qd, sizeof(*u->iov));
	if (!u->iov) {
		io_uring_queue_exit(&u->ring);
		uring_thread_teardown(t);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < qd; i++) {
		u->iov[i].iov_base = u->bufs + (size_t)i * t->ctx->block;
		u->iov[i].iov_len = t->ctx->block;
	}
	/* Fixed buffers where the kernel allows them (RLIMIT_MEMLOCK may
	 * not): plain reads otherwise. */
	u->registered = !io_uring_register_buffers(&u->ring, u->iov, qd);
	return 0;
}

static int uring_queue(struct backend_thread *t, struct io_req *r)
{
	struct uring_thread *u = t->priv;
	struct io_uring_sqe *sqe;
	int fd = (int)(intptr_t)t->ctx->priv;
	unsigned char *buf = u->iov[r->slot].iov_base;
	bool fixed = u->registered && (!r->write || r->data == buf);

	if (u->disabled) {
		/* io_uring_enable_rings() is declared by liburing 2.3 but not in
		 * its library: the system call itself */
		if (syscall(__NR_io_uring_register, u->ring.ring_fd, IORING_REGISTER_ENABLE_RINGS,
			    NULL, 0) < 0)
			return -errno;
		u->disabled = false;
	}
	sqe = io_uring_get_sqe(&u->ring);
	if (!sqe)
		return -EBUSY; /* never: at most qd requests are in flight */
	if (r->write && fixed)
		io_uring_prep_write_fixed(sqe, fd, buf, (unsigned)r->len, r->off, (int)r->slot);
	else if (r->write)
		io_uring_prep_write(sqe, fd, r->data, (unsigned)r->len, r->off);
	else if (fixed)
		io_uring_prep_read_fixed(sqe, fd, buf, (unsigned)r->len, r->off, (int)r->slot);
	else
		io_uring_prep_read(sqe, fd, buf, (unsigned)r->len, r->off);
	io_uring_sqe_set_data(sqe, r);
	return BACKEND_QUEUED;
}

static int uring_reap(struct backend_thread *t, unsigned min, struct io_req **done, unsigned max)
{
	struct uring_thread *u = t->priv;
	struct io_uring_cqe *cqe;
	unsigned n = 0;
	int err = io_uring_submit_and_wait(&u->ring, min);

	if (err < 0)
		return err;
	while (n < max && !io_uring_peek_cqe(&u->ring, &cqe)) {
		struct io_req *r = io_uring_cqe_get_data(cqe);

		/* A regular file reads or writes all of it, or fails: a short
		 * read is the end of the file, a short write an I/O error. */
		r->result = cqe->res < 0		  ? cqe->res
			    : (size_t)cqe->res == r->len ? 0
			    : r->write			  ? -EIO
							  : -EDATAFILE_SHORT;
		if (r->result)
			datafile_note_failure((int64_t)r->off);
		if (!r->write)
			r->data = u->iov[r->slot].iov_base;
		io_uring_cqe_seen(&u->ring, cqe);
		done[n++] = r;
	}
	return (int)n;
}

static int uring_sync(struct backend_thread *t, uint64_t off, uint64_t len)
{
	(void)off, (void)len;
	return fsync((int)(intptr_t)t->ctx->priv) ? -errno : 0;
}

static void uring_teardown(struct backend_ctx *ctx)
{
	backend_fadvise_reset(ctx, (int)(intptr_t)ctx->priv);
	backend_close_fd(ctx, (int)(intptr_t)ctx->priv);
}

const struct backend backend_uring = {
	.name = "uring",
	.summary = "io_uring (liburing): --qd reads or writes in flight per thread, fixed buffers",
	.flags = BACKEND_ASYNC | BACKEND_DIRECT,
	.options = uring_options,
	.unavailable = uring_unavailable,
	.check = backend_check_direct,
	.setup = uring_setup,
	.thread_setup = uring_thread_setup,
	.queue = uring_queue,
	.reap = uring_reap,
	.sync = uring_sync,
	.thread_teardown = uring_thread_teardown,
	.teardown = uring_teardown,
};

#else

static const char *uring_unavailable(void)
{
	return "built without liburing (install liburing-dev, then rebuild)";
}

const struct backend backend_uring = {
	.name = "uring",
	.summary = "io_uring (liburing): --qd reads or writes in flight per thread, fixed buffers",
	.flags = BACKEND_ASYNC | BACKEND_DIRECT,
	.options = uring_options,
	.unavailable = uring_unavailable,
};

#endif
