/*
 * tests/faultfs.c - a FUSE filesystem for the fault tests (tests/faults.bats):
 * a backing directory passed through, whose files fail on request the way a
 * device can.
 *
 *   faultfs BACKING_DIR MOUNTPOINT CONTROL [FUSE options, e.g. -f]
 *
 * CONTROL is a text file read again whenever its modification time changes
 * (so a test can change the faults of a mounted filesystem), one fault a
 * line; offsets and lengths in bytes:
 *
 *   file NAME             the faults hit NAME only (default: every file)
 *   eio-read START LEN    a read overlapping [START, START+LEN) fails EIO
 *   eio-write START LEN [COUNT]
 *                         a write overlapping it fails EIO (only the first
 *                         COUNT such writes when given: a transient fault)
 *   short START LEN BYTES a read overlapping it returns at most BYTES bytes
 *   delay-ms MS           every read sleeps MS milliseconds first
 *
 * No CONTROL (or an empty one) is a plain passthrough.  Unknown lines are
 * reported on stderr and ignored.  Flat: files only, no subdirectories.
 *
 * The kernel's page cache sits between the files and their readers: files
 * are opened with keep_cache, so pages stay cached across opens as on a disk
 * filesystem (a cold run evicts them with fadvise, a warm one reads them
 * in), and without direct_io, so a mapping works (mmap of a FUSE file needs
 * the page cache).  A fault therefore reaches the filesystem only for pages
 * that are not cached: a cold run's, a warm run's while it is warmed, and
 * every O_DIRECT read.  Writes go through to the filesystem as they are
 * made (no writeback_cache); a mapping's dirty pages at writeback.  The
 * kernel takes a short read from a FUSE filesystem as the end of the file,
 * page cache or O_DIRECT alike.
 */
#define FUSE_USE_VERSION 31

#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <inttypes.h>
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define FAULTFS_MAX_RANGES 16

struct faultfs_range {
	uint64_t start, len;
	uint64_t count; /* eio-write: faults left; 0: every time */
};

/* The faults in force, parsed from the control file. */
struct faultfs_faults {
	char file[NAME_MAX + 1]; /* "": every file */
	struct faultfs_range eio_read[FAULTFS_MAX_RANGES], eio_write[FAULTFS_MAX_RANGES];
	unsigned neio_read, neio_write;
	struct faultfs_range short_range;
	uint64_t short_bytes; /* 0: reads are whole */
	unsigned delay_ms;
};

static struct {
	int dir; /* the backing directory */
	const char *control;
	pthread_mutex_t lock;
	struct timespec control_mtime;
	struct faultfs_faults faults;
} faultfs = { .dir = -1, .lock = PTHREAD_MUTEX_INITIALIZER };

static void faultfs_parse(FILE *f, struct faultfs_faults *ff)
{
	char line[256];

	memset(ff, 0, sizeof(*ff));
	while (fgets(line, sizeof(line), f)) {
		uint64_t a, b, c;
		unsigned ms;
		int k;

		if (sscanf(line, "file %255s", ff->file) == 1)
			continue;
		if (sscanf(line, "eio-read %" SCNu64 " %" SCNu64, &a, &b) == 2 &&
		    ff->neio_read < FAULTFS_MAX_RANGES)
			ff->eio_read[ff->neio_read++] = (struct faultfs_range){ a, b, 0 };
		else if ((k = sscanf(line, "eio-write %" SCNu64 " %" SCNu64 " %" SCNu64, &a, &b, &c)) >= 2 &&
			 ff->neio_write < FAULTFS_MAX_RANGES)
			ff->eio_write[ff->neio_write++] = (struct faultfs_range){ a, b, k == 3 ? c : 0 };
		else if (sscanf(line, "short %" SCNu64 " %" SCNu64 " %" SCNu64, &a, &b, &c) == 3) {
			ff->short_range = (struct faultfs_range){ a, b, 0 };
			ff->short_bytes = c;
		}
		else if (sscanf(line, "delay-ms %u", &ms) == 1)
			ff->delay_ms = ms;
		else if (line[0] != '\n' && line[0] != '#')
			fprintf(stderr, "faultfs: ignored control line: %s", line);
	}
}

/* The faults now: the control file parsed again if it changed. */
static struct faultfs_faults faultfs_current(void)
{
	struct faultfs_faults ff;
	struct stat st;

	pthread_mutex_lock(&faultfs.lock);
	if (faultfs.control && !stat(faultfs.control, &st) &&
	    (st.st_mtim.tv_sec != faultfs.control_mtime.tv_sec ||
	     st.st_mtim.tv_nsec != faultfs.control_mtime.tv_nsec)) {
		FILE *f = fopen(faultfs.control, "r");

		if (f) {
			faultfs_parse(f, &faultfs.faults);
			fclose(f);
			faultfs.control_mtime = st.st_mtim;
		}
	}
	ff = faultfs.faults;
	pthread_mutex_unlock(&faultfs.lock);
	return ff;
}

static int faultfs_overlaps(const struct faultfs_range *r, unsigned n, uint64_t off, uint64_t len)
{
	for (unsigned i = 0; i < n; i++)
		if (off < r[i].start + r[i].len && r[i].start < off + len)
			return 1;
	return 0;
}

/* Whether a write of [off, off + len) fails now; a transient fault
 * counts down in the state the control file was parsed into. */
static int faultfs_write_fails(uint64_t off, uint64_t len)
{
	int fails = 0;

	pthread_mutex_lock(&faultfs.lock);
	for (unsigned i = 0; i < faultfs.faults.neio_write && !fails; i++) {
		struct faultfs_range *r = &faultfs.faults.eio_write[i];

		if (!faultfs_overlaps(r, 1, off, len) || r->count == UINT64_MAX)
			continue;
		fails = 1;
		/* the last of a transient fault's writes: spent */
		if (r->count && !--r->count)
			r->count = UINT64_MAX;
	}
	pthread_mutex_unlock(&faultfs.lock);
	return fails;
}

/* A path of the mount as one under the backing directory: "/x" -> "x". */
static const char *faultfs_rel(const char *path)
{
	return path[1] ? path + 1 : ".";
}

/* The faults that apply to path now (none for another file). */
static struct faultfs_faults faultfs_for(const char *path)
{
	struct faultfs_faults ff = faultfs_current();

	if (ff.file[0] && strcmp(ff.file, faultfs_rel(path)))
		memset(&ff, 0, sizeof(ff));
	return ff;
}

static int faultfs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	if (fi)
		return fstat((int)fi->fh, st) ? -errno : 0;
	return fstatat(faultfs.dir, faultfs_rel(path), st, AT_SYMLINK_NOFOLLOW) ? -errno : 0;
}

static int faultfs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
			   struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	int fd = openat(faultfs.dir, faultfs_rel(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d;

	(void)off, (void)fi, (void)flags;
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	while ((de = readdir(d)))
		fill(buf, de->d_name, NULL, 0, 0);
	closedir(d);
	return 0;
}

static int faultfs_open(const char *path, struct fuse_file_info *fi)
{
	/* O_DIRECT is the kernel's to honour; the backing file is cached */
	int fd = openat(faultfs.dir, faultfs_rel(path), (fi->flags & ~O_DIRECT) | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	fi->fh = (uint64_t)fd;
	/* cached pages survive an open, as on a disk filesystem */
	fi->keep_cache = 1;
	return 0;
}

static int faultfs_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	int fd = openat(faultfs.dir, faultfs_rel(path), (fi->flags & ~O_DIRECT) | O_CLOEXEC, mode);

	if (fd < 0)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int faultfs_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	close((int)fi->fh);
	return 0;
}

static int faultfs_read(const char *path, char *buf, size_t len, off_t off,
			struct fuse_file_info *fi)
{
	struct faultfs_faults ff = faultfs_for(path);
	ssize_t n;

	if (ff.delay_ms) { /* a slow device, not a failing one */
		struct timespec ts = { ff.delay_ms / 1000, (long)(ff.delay_ms % 1000) * 1000000 };

		nanosleep(&ts, NULL);
	}
	if (faultfs_overlaps(ff.eio_read, ff.neio_read, (uint64_t)off, len))
		return -EIO;
	if (ff.short_bytes && len > ff.short_bytes &&
	    faultfs_overlaps(&ff.short_range, 1, (uint64_t)off, len))
		len = ff.short_bytes;
	n = pread((int)fi->fh, buf, len, off);
	return n < 0 ? -errno : (int)n;
}

static int faultfs_write(const char *path, const char *buf, size_t len, off_t off,
			 struct fuse_file_info *fi)
{
	struct faultfs_faults ff = faultfs_for(path);
	ssize_t n;

	if (ff.neio_write && faultfs_write_fails((uint64_t)off, len))
		return -EIO;
	n = pwrite((int)fi->fh, buf, len, off);
	return n < 0 ? -errno : (int)n;
}

static int faultfs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	int fd = fi ? (int)fi->fh : openat(faultfs.dir, faultfs_rel(path), O_WRONLY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = ftruncate(fd, size) ? -errno : 0;
	if (!fi)
		close(fd);
	return err;
}

static int faultfs_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	return (datasync ? fdatasync((int)fi->fh) : fsync((int)fi->fh)) ? -errno : 0;
}

static int faultfs_unlink(const char *path)
{
	return unlinkat(faultfs.dir, faultfs_rel(path), 0) ? -errno : 0;
}

static int faultfs_rename(const char *from, const char *to, unsigned int flags)
{
	if (flags)
		return -EINVAL;
	return renameat(faultfs.dir, faultfs_rel(from), faultfs.dir, faultfs_rel(to)) ? -errno : 0;
}

static int faultfs_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	if (fi)
		return fchmod((int)fi->fh, mode) ? -errno : 0;
	return fchmodat(faultfs.dir, faultfs_rel(path), mode, 0) ? -errno : 0;
}

static int faultfs_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
	if (fi)
		return futimens((int)fi->fh, tv) ? -errno : 0;
	return utimensat(faultfs.dir, faultfs_rel(path), tv, AT_SYMLINK_NOFOLLOW) ? -errno : 0;
}

static int faultfs_statfs(const char *path, struct statvfs *st)
{
	(void)path;
	return fstatvfs(faultfs.dir, st) ? -errno : 0;
}

static const struct fuse_operations faultfs_ops = {
	.getattr = faultfs_getattr,
	.readdir = faultfs_readdir,
	.open = faultfs_open,
	.create = faultfs_create,
	.release = faultfs_release,
	.read = faultfs_read,
	.write = faultfs_write,
	.truncate = faultfs_truncate,
	.fsync = faultfs_fsync,
	.unlink = faultfs_unlink,
	.rename = faultfs_rename,
	.chmod = faultfs_chmod,
	.utimens = faultfs_utimens,
	.statfs = faultfs_statfs,
};

int main(int argc, char **argv)
{
	char **fargv;

	if (argc < 4) {
		fprintf(stderr, "usage: faultfs BACKING_DIR MOUNTPOINT CONTROL [FUSE options]\n");
		return 2;
	}
	faultfs.dir = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (faultfs.dir < 0) {
		fprintf(stderr, "faultfs: cannot open '%s': %s\n", argv[1], strerror(errno));
		return 1;
	}
	faultfs.control = argv[3];
	/* fuse_main sees: faultfs MOUNTPOINT [FUSE options] */
	fargv = calloc((size_t)argc, sizeof(*fargv));
	if (!fargv)
		return 1;
	fargv[0] = argv[0];
	fargv[1] = argv[2];
	for (int i = 4; i < argc; i++)
		fargv[i - 2] = argv[i];
	return fuse_main(argc - 2, fargv, &faultfs_ops, NULL);
}
