#include "sys/datafile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "content/consume.h"
#include "content/pattern.h"
#include "sys/cleanup.h"

/* Unit of the untimed bulk passes (creation, warm-up, reference sums). */
#define DATAFILE_CHUNK (1u << 20)

static __thread int64_t datafile_failure_off = -1;

int64_t datafile_failed_at(void)
{
	return datafile_failure_off;
}

void datafile_note_failure(int64_t off)
{
	datafile_failure_off = off;
}

int datafile_pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const unsigned char *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? -errno : -EIO; /* 0 bytes written: no errno */

			datafile_note_failure((int64_t)off);
			return err;
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int datafile_pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	unsigned char *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? -errno : -EDATAFILE_SHORT; /* 0: the end of the file */

			datafile_note_failure((int64_t)off);
			return err;
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int datafile_free_space(const char *dir, uint64_t *avail)
{
	struct statvfs vfs;

	if (statvfs(dir, &vfs))
		return -errno;
	*avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	return 0;
}

const char *datafile_in_memory(const char *path)
{
	struct statfs fs;

	if (statfs(path, &fs))
		return NULL;
	if (fs.f_type == 0x01021994) /* TMPFS_MAGIC, linux/magic.h */
		return "tmpfs";
	if (fs.f_type == (typeof(fs.f_type))0x858458f6) /* RAMFS_MAGIC */
		return "ramfs";
	return NULL;
}

const char *datafile_strerror(int err)
{
	if (err == -EDATAFILE_RESERVE)
		return "not enough free space (mmbench keeps 64 MiB free beside a data file)";
	if (err == -EDATAFILE_SHORT)
		return "the file ended early: it is shorter than expected (did it shrink?)";
	return strerror(-err);
}

static int datafile_check_space(const char *dir, uint64_t size)
{
	uint64_t avail = 0;
	int err = datafile_free_space(dir, &avail);

	if (err)
		return err;
	return avail < size + DATAFILE_SPARE ? -EDATAFILE_RESERVE : 0;
}

static int datafile_fill(struct datafile *df)
{
	unsigned char *buf = malloc(DATAFILE_CHUNK);
	int err = 0;

	if (!buf)
		return -ENOMEM;
	for (uint64_t off = 0; off < df->size && !err; off += DATAFILE_CHUNK) {
		size_t n = df->size - off < DATAFILE_CHUNK ? (size_t)(df->size - off) : DATAFILE_CHUNK;

		pattern_fill(df->seed, off, buf, n);
		err = datafile_pwrite_all(df->fd, buf, n, off);
	}
	free(buf);
	return err;
}

int datafile_create(struct datafile *df, const char *path, uint64_t size, uint64_t seed,
		    bool temporary)
{
	char dir[4096];
	sigset_t mask;
	int err;

	memset(df, 0, sizeof(*df));
	df->fd = -1;
	df->size = size;
	df->seed = seed;
	df->patterned = true;
	df->writable = true;
	df->temporary = temporary;
	df->ours = temporary;
	if (temporary) {
		if (snprintf(df->path, sizeof(df->path), "%s/mmbench-XXXXXX.dat", path) >=
		    (int)sizeof(df->path))
			return -ENAMETOOLONG;
		snprintf(dir, sizeof(dir), "%s", path);
	} else {
		char *slash;

		if (snprintf(df->path, sizeof(df->path), "%s", path) >= (int)sizeof(df->path))
			return -ENAMETOOLONG;
		snprintf(dir, sizeof(dir), "%s", path);
		slash = strrchr(dir, '/');
		if (!slash)
			strcpy(dir, ".");
		else if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
	}
	err = datafile_check_space(dir, size);
	if (err)
		return err;
	/* From its making on the file is ours: removed on any way out until
	 * the caller decides to keep it, a signal during its making too. */
	cleanup_hold(&mask);
	if (temporary)
		df->fd = mkstemps(df->path, 4);
	else
		df->fd = open(df->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	err = df->fd < 0 ? -errno : cleanup_add(df->path);
	cleanup_release(&mask);
	if (df->fd < 0)
		return err;
	if (!err)
		err = datafile_fill(df);
	if (err) {
		close(df->fd);
		df->fd = -1;
		cleanup_remove(df->path);
		return err;
	}
	if (!temporary)
		cleanup_forget(df->path);
	return 0;
}

/* True when sampled words at the start, middle and end hold the pattern. */
static bool datafile_looks_patterned(const struct datafile *df)
{
	uint64_t words = df->size / 8;
	uint64_t probe[] = { 0, words / 2, words ? words - 1 : 0 };

	if (words == 0)
		return false;
	for (unsigned i = 0; i < 3; i++) {
		unsigned char b[8];

		if (datafile_pread_all(df->fd, b, 8, probe[i] * 8))
			return false;
		if (consume_load_le(b) != pattern_word(df->seed, probe[i]))
			return false;
	}
	return true;
}

int datafile_open(struct datafile *df, const char *path, uint64_t seed, bool writable)
{
	struct stat st;

	memset(df, 0, sizeof(*df));
	if (snprintf(df->path, sizeof(df->path), "%s", path) >= (int)sizeof(df->path))
		return -ENAMETOOLONG;
	df->seed = seed;
	df->writable = writable;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; a regular
	 * file ignores it, and it is cleared below anyway. */
	df->fd = open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NONBLOCK);
	if (df->fd < 0)
		return -errno;
	if (fstat(df->fd, &st)) {
		int err = -errno;

		close(df->fd);
		df->fd = -1;
		return err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(df->fd);
		df->fd = -1;
		return -EFTYPE_NOT_REGULAR;
	}
	fcntl(df->fd, F_SETFL, fcntl(df->fd, F_GETFL) & ~O_NONBLOCK);
	df->size = (uint64_t)st.st_size;
	df->patterned = datafile_looks_patterned(df);
	return 0;
}

uint32_t datafile_direct_align(const struct datafile *df)
{
#ifdef STATX_DIOALIGN
	struct statx stx;

	if (!statx(df->fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx) &&
	    (stx.stx_mask & STATX_DIOALIGN) && stx.stx_dio_offset_align)
		return stx.stx_dio_offset_align;
#endif
	(void)df;
	return 512; /* what every Linux block device accepts at least */
}

FILE *datafile_fopen_input(const char *path, int *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	FILE *f;

	if (fd < 0) {
		*err = -errno;
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		*err = -EFTYPE_NOT_REGULAR;
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		*err = -errno;
		close(fd);
	}
	return f;
}

const char *datafile_kind(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return "missing";
	if (S_ISDIR(st.st_mode))
		return "a directory";
	if (S_ISFIFO(st.st_mode))
		return "a FIFO";
	if (S_ISCHR(st.st_mode))
		return "a character device";
	if (S_ISBLK(st.st_mode))
		return "a block device";
	if (S_ISSOCK(st.st_mode))
		return "a socket";
	return S_ISREG(st.st_mode) ? "a regular file" : "not a regular file";
}

void datafile_close(struct datafile *df)
{
	if (df->fd >= 0)
		close(df->fd);
	df->fd = -1;
	if (df->temporary)
		cleanup_remove(df->path);
}

int datafile_expected_sum(const struct datafile *df, uint64_t off, uint64_t len, uint64_t *sum)
{
	unsigned char *buf;
	int err = 0;

	if (df->parts) {
		*sum = 0;
		while (len && !err) {
			uint64_t in = off, n, part_sum = 0; /* unset where the part fails */
			const struct datafile *part = datafile_part(df, &in);

			n = part->size - in < len ? part->size - in : len;
			err = datafile_expected_sum(part, in, n, &part_sum);
			*sum += part_sum;
			off += n;
			len -= n;
		}
		return err;
	}
	/* the pattern's words, where the range starts on one (every
	 * synthetic workload's); a trace's reads start anywhere */
	if (df->patterned && off % 8 == 0) {
		*sum = pattern_sum(df->seed, off, len);
		return 0;
	}
	buf = malloc(len < DATAFILE_CHUNK ? len + 1 : DATAFILE_CHUNK);
	if (!buf)
		return -ENOMEM;
	*sum = 0;
	/* Chunks are multiples of 8, so summing them piecewise equals one
	 * consume() of the whole range. */
	for (uint64_t done = 0; done < len && !err; done += DATAFILE_CHUNK) {
		size_t n = len - done < DATAFILE_CHUNK ? (size_t)(len - done) : DATAFILE_CHUNK;

		if (df->patterned)
			pattern_fill(df->seed, off + done, buf, n);
		else
			err = datafile_pread_all(df->fd, buf, n, off + done);
		if (!err)
			*sum += consume(buf, n);
	}
	free(buf);
	return err;
}

int datafile_evict(const struct datafile *df)
{
	/* DONTNEED skips dirty pages, so write them back first. */
	if (fdatasync(df->fd) && errno != EINVAL)
		return -errno;
	return -posix_fadvise(df->fd, 0, 0, POSIX_FADV_DONTNEED);
}

int datafile_warm(const struct datafile *df)
{
	unsigned char *buf = malloc(DATAFILE_CHUNK);
	int err = 0;

	if (!buf)
		return -ENOMEM;
	for (uint64_t off = 0; off < df->size && !err; off += DATAFILE_CHUNK) {
		size_t n = df->size - off < DATAFILE_CHUNK ? (size_t)(df->size - off) : DATAFILE_CHUNK;

		err = datafile_pread_all(df->fd, buf, n, off);
	}
	free(buf);
	return err;
}

int datafile_residency(int fd, uint64_t size, uint64_t *resident, uint64_t *pages)
{
	/* Map and inspect at most 1 GiB at a time so the vector stays small
	 * and a huge file does not need a huge mapping. */
	const uint64_t window = 1ULL << 30;
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *vec = malloc(window / (uint64_t)page);

	if (!vec)
		return -ENOMEM;
	*resident = 0;
	*pages = (size + (uint64_t)page - 1) / (uint64_t)page;
	for (uint64_t off = 0; off < size; off += window) {
		size_t len = size - off < window ? (size_t)(size - off) : (size_t)window;
		size_t n = (len + (size_t)page - 1) / (size_t)page;
		void *map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, (off_t)off);

		if (map == MAP_FAILED) {
			int err = -errno;

			free(vec);
			return err;
		}
		if (mincore(map, len, vec)) {
			int err = -errno;

			munmap(map, len);
			free(vec);
			return err;
		}
		for (size_t i = 0; i < n; i++)
			*resident += vec[i] & 1;
		munmap(map, len);
	}
	free(vec);
	return 0;
}

double datafile_resident_fraction(const struct datafile *df)
{
	uint64_t resident, pages;
	int err = datafile_residency(df->fd, df->size, &resident, &pages);

	if (err)
		return err;
	return pages ? (double)resident / (double)pages : 0;
}
