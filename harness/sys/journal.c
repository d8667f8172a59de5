#include "sys/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/cleanup.h"
#include "sys/datafile.h"

/* Version 2: the file's size and the count of ranges, each range's offset
 * and length, then their bytes end to end.  Version 1 (earlier mmbench):
 * size, block and count, each block's offset, then count whole blocks,
 * the last of the file cut to its end. */
static const char journal_magic[8] = { 'M', 'M', 'B', 'J', 'R', 'N', 'L', '2' };
static const char journal_magic_v1[8] = { 'M', 'M', 'B', 'J', 'R', 'N', 'L', '1' };

/* The journals armed, for the signal handler: fixed storage, each entry
 * published by `armed` last and withdrawn by it first, and counted in
 * journal_n before its journal file is made. */
static struct journal_file {
	char path[PATH_MAX];
	int fd;
	uint64_t file_size;
	struct journal_range *ranges;
	size_t count;
	const unsigned char *saved;
	int armed;   /* the ranges may have changed: restore them */
	int writing; /* the journal is being written: the file is untouched */
} journal[JOURNAL_MAX_FILES];
static int journal_n;

static int journal_path(const char *file, char *buf, size_t len)
{
	return snprintf(buf, len, "%s%s", file, JOURNAL_SUFFIX) >= (int)len ? -ENAMETOOLONG : 0;
}

/* Write j's journal into jfd, its new file, and close it: 0 or a negative
 * errno (the file is removed). */
static int journal_write(const struct journal_file *j, int jfd)
{
	uint64_t head[2] = { j->file_size, j->count }, bytes = 0;
	off_t at = 0;
	int err;

	for (size_t i = 0; i < j->count; i++)
		bytes += j->ranges[i].len;
	err = datafile_pwrite_all(jfd, journal_magic, sizeof(journal_magic), at);
	at += sizeof(journal_magic);
	if (!err)
		err = datafile_pwrite_all(jfd, head, sizeof(head), at);
	at += sizeof(head);
	if (!err)
		err = datafile_pwrite_all(jfd, j->ranges, j->count * sizeof(*j->ranges), at);
	at += (off_t)(j->count * sizeof(*j->ranges));
	if (!err)
		err = datafile_pwrite_all(jfd, j->saved, bytes, at);
	/* on disk before the first byte of the file changes */
	if (!err && fsync(jfd))
		err = -errno;
	close(jfd);
	if (err)
		unlink(j->path);
	return err;
}

int journal_begin(const char *file, int fd, uint64_t file_size, const struct journal_range *ranges,
		  size_t count, const unsigned char *saved)
{
	int n = __atomic_load_n(&journal_n, __ATOMIC_SEQ_CST), err, jfd;
	struct journal_file *j;
	struct journal_range *copy;
	sigset_t mask;

	if (n == JOURNAL_MAX_FILES)
		return -EMFILE;
	j = &journal[n];
	err = journal_path(file, j->path, sizeof(j->path));
	if (err)
		return err;
	copy = malloc(count * sizeof(*copy) + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, ranges, count * sizeof(*copy));
	cleanup_set_undo(CLEANUP_UNDO_USER_FILE, journal_restore_now);
	j->ranges = copy;
	j->count = count;
	j->saved = saved;
	j->fd = fd;
	j->file_size = file_size;
	/* Made before it counts as ours, so a signal never removes the
	 * journal an interrupted run left there (EEXIST); and made and counted
	 * in one held section, so a signal never leaves one made here but not
	 * yet counted. */
	cleanup_hold(&mask);
	jfd = open(j->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	err = jfd < 0 ? -errno : 0;
	if (!err) {
		/* a signal while the journal is written leaves the file
		 * untouched: the handler then only removes the journal */
		__atomic_store_n(&j->writing, 1, __ATOMIC_SEQ_CST);
		__atomic_store_n(&journal_n, n + 1, __ATOMIC_SEQ_CST);
	}
	cleanup_release(&mask);
	if (!err)
		err = journal_write(j, jfd);
	if (err) {
		__atomic_store_n(&j->writing, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&journal_n, n, __ATOMIC_SEQ_CST);
		free(copy);
		j->ranges = NULL;
		return err;
	}
	__atomic_store_n(&j->armed, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&j->writing, 0, __ATOMIC_SEQ_CST);
	return 0;
}

/* Disarm every journal, removing their files unless keep: in a held
 * section, so a signal never finds one disarmed but still there. */
static void journal_disarm(bool keep)
{
	int n = __atomic_load_n(&journal_n, __ATOMIC_SEQ_CST);
	sigset_t mask;

	cleanup_hold(&mask);
	for (int i = 0; i < n; i++) {
		struct journal_file *j = &journal[i];

		if (__atomic_exchange_n(&j->armed, 0, __ATOMIC_SEQ_CST) && !keep)
			unlink(j->path);
	}
	__atomic_store_n(&journal_n, 0, __ATOMIC_SEQ_CST);
	cleanup_release(&mask);
	for (int i = 0; i < n; i++) {
		free(journal[i].ranges);
		journal[i].ranges = NULL;
	}
}

void journal_end(void)
{
	journal_disarm(false);
}

void journal_keep(void)
{
	journal_disarm(true);
}

void journal_restore_now(void)
{
	int n = __atomic_load_n(&journal_n, __ATOMIC_SEQ_CST);

	for (int k = 0; k < n; k++) {
		struct journal_file *j = &journal[k];
		const unsigned char *p = j->saved;
		bool put_back = true;

		if (!__atomic_exchange_n(&j->armed, 0, __ATOMIC_SEQ_CST)) {
			if (__atomic_exchange_n(&j->writing, 0, __ATOMIC_SEQ_CST))
				unlink(j->path);
			continue;
		}
		for (size_t i = 0; i < j->count && put_back; p += j->ranges[i++].len) {
			uint64_t done = 0;

			while (done < j->ranges[i].len && put_back) {
				ssize_t w = pwrite(j->fd, p + done, j->ranges[i].len - done,
						   (off_t)(j->ranges[i].off + done));

				/* else keep the journal: restore can finish the job */
				put_back = w > 0;
				done += w > 0 ? (uint64_t)w : 0;
			}
		}
		if (put_back && !fdatasync(j->fd))
			unlink(j->path);
	}
}

bool journal_pending(const char *file)
{
	char path[PATH_MAX];

	return !journal_path(file, path, sizeof(path)) && !access(path, F_OK);
}

bool journal_refuse_pending(const char *file, char *msg, size_t len)
{
	if (!journal_pending(file))
		return false;
	snprintf(msg, len,
		 "'%s' has the journal of an interrupted in-place run ('%s%s'): put the file back "
		 "first with mmbench restore '%s'",
		 file, file, JOURNAL_SUFFIX, file);
	return true;
}

/* What a journal file says, read whole but for its bytes. */
struct journal_read {
	uint64_t file_size, count, block; /* block: version 1's; 0 for version 2 */
	struct journal_range *ranges;
	uint64_t data_at, bytes;	  /* where the bytes start, and how many there must be */
};

/* Read jfd's header and ranges into jr: 0, -EPROTO for what is no journal
 * of ours, -ENODATA for one cut short before its bytes were all written,
 * or a negative errno. */
static int journal_read_head(int jfd, struct journal_read *jr)
{
	char magic[sizeof(journal_magic)];
	uint64_t head[3], table;
	struct stat st;
	bool v1;
	int err = datafile_pread_all(jfd, magic, sizeof(magic), 0);

	if (!err && memcmp(magic, journal_magic, sizeof(magic)) &&
	    memcmp(magic, journal_magic_v1, sizeof(magic)))
		return -EPROTO;
	v1 = !err && !memcmp(magic, journal_magic_v1, sizeof(magic));
	if (!err)
		err = datafile_pread_all(jfd, head, (v1 ? 3 : 2) * sizeof(uint64_t), sizeof(magic));
	if (err)
		return err == -EDATAFILE_SHORT ? -ENODATA : err;
	jr->file_size = head[0];
	jr->block = v1 ? head[1] : 0;
	jr->count = v1 ? head[2] : head[1];
	if (jr->count >= (1ULL << 32) || (v1 && (!jr->block || jr->block > (1ULL << 30))))
		return -EPROTO;
	table = jr->count * (v1 ? sizeof(uint64_t) : sizeof(struct journal_range));
	jr->data_at = sizeof(magic) + (v1 ? 3 : 2) * sizeof(uint64_t) + table;
	jr->ranges = malloc(jr->count * sizeof(*jr->ranges) + 1);
	if (!jr->ranges)
		return -ENOMEM;
	for (uint64_t i = 0; i < jr->count && !err; i++) {
		uint64_t off;

		if (v1) {
			err = datafile_pread_all(jfd, &off, sizeof(off),
						 jr->data_at - table + i * sizeof(off));
			/* a block starts inside the file; the last may be short */
			jr->ranges[i] = (struct journal_range){
				.off = off, .len = off < jr->file_size && jr->file_size - off < jr->block
							   ? jr->file_size - off
							   : jr->block
			};
		} else {
			err = datafile_pread_all(jfd, &jr->ranges[i], sizeof(jr->ranges[i]),
						 jr->data_at - table + i * sizeof(jr->ranges[i]));
		}
	}
	if (err)
		return err == -EDATAFILE_SHORT ? -ENODATA : err;
	jr->bytes = 0;
	for (uint64_t i = 0; i < jr->count; i++)
		jr->bytes += v1 ? jr->block : jr->ranges[i].len;
	/* The file is first touched only once the whole journal is written:
	 * a short one means the run stopped before, and the file is as it was. */
	if (fstat(jfd, &st))
		return -errno;
	return (uint64_t)st.st_size < jr->data_at + jr->bytes ? -ENODATA : 0;
}

int journal_replay(const char *file, size_t *ranges)
{
	char path[PATH_MAX];
	struct journal_read jr = { 0 };
	unsigned char *buf = NULL;
	uint64_t at;
	struct stat st;
	int jfd, fd = -1, err = journal_path(file, path, sizeof(path));

	*ranges = 0;
	if (err)
		return err;
	jfd = open(path, O_RDONLY | O_CLOEXEC);
	if (jfd < 0)
		return -errno;
	err = journal_read_head(jfd, &jr);
	if (err == -ENODATA) {
		free(jr.ranges);
		close(jfd);
		unlink(path);
		return -ENODATA;
	}
	fd = err ? -1 : open(file, O_RDWR | O_CLOEXEC);
	if (!err && fd < 0)
		err = -errno;
	/* the file must be the one journaled: same size, ranges inside it */
	if (!err && (fstat(fd, &st) || (uint64_t)st.st_size != jr.file_size))
		err = -EPROTO;
	for (uint64_t i = 0; !err && i < jr.count; i++)
		if (jr.ranges[i].off >= jr.file_size || !jr.ranges[i].len ||
		    jr.ranges[i].len > jr.file_size - jr.ranges[i].off || jr.ranges[i].len > (1ULL << 30))
			err = -EPROTO;
	at = jr.data_at;
	for (uint64_t i = 0; !err && i < jr.count; i++) {
		const struct journal_range *r = &jr.ranges[i];
		unsigned char *grown = realloc(buf, r->len);

		if (!grown) {
			err = -ENOMEM;
			break;
		}
		buf = grown;
		err = datafile_pread_all(jfd, buf, r->len, at);
		if (!err)
			err = datafile_pwrite_all(fd, buf, r->len, r->off);
		if (!err)
			(*ranges)++;
		at += jr.block ? jr.block : r->len;
	}
	if (!err && fdatasync(fd))
		err = -errno;
	if (!err)
		unlink(path);
	free(jr.ranges);
	free(buf);
	if (fd >= 0)
		close(fd);
	close(jfd);
	return err;
}
