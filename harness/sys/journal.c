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

static const char journal_magic[8] = { 'M', 'M', 'B', 'J', 'R', 'N', 'L', '1' };

/* The bytes of the block at off in a file of size bytes: a block, or its
 * last part, which a write of the whole block would extend. */
static uint64_t journal_block_len(uint64_t off, uint64_t block, uint64_t size)
{
	return size - off < block ? size - off : block;
}

/* The armed journal, for the signal handler: fixed storage, published by
 * `armed` last and withdrawn by it first. */
static struct {
	char path[PATH_MAX];
	int fd;
	const uint64_t *offsets;
	const unsigned char *saved;
	size_t count;
	uint64_t block, file_size;
	int armed;   /* the blocks may have changed: restore them */
	int writing; /* the journal is being written: the file is untouched */
} journal;

static int journal_path(const char *file, char *buf, size_t len)
{
	return snprintf(buf, len, "%s%s", file, JOURNAL_SUFFIX) >= (int)len ? -ENAMETOOLONG : 0;
}

int journal_begin(const char *file, int fd, uint64_t file_size, const uint64_t *offsets,
		  const unsigned char *saved, size_t count, uint64_t block)
{
	uint64_t head[3] = { file_size, block, count };
	char path[PATH_MAX];
	off_t at = 0;
	int jfd, err = journal_path(file, path, sizeof(path));

	if (err)
		return err;
	cleanup_set_undo(CLEANUP_UNDO_USER_FILE, journal_restore_now);
	/* a signal while the journal is written leaves the file untouched:
	 * the handler then only removes the journal */
	memcpy(journal.path, path, sizeof(path));
	__atomic_store_n(&journal.writing, 1, __ATOMIC_SEQ_CST);
	jfd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (jfd < 0) {
		err = -errno;
		__atomic_store_n(&journal.writing, 0, __ATOMIC_SEQ_CST);
		return err;
	}
	err = datafile_pwrite_all(jfd, journal_magic, sizeof(journal_magic), at);
	at += sizeof(journal_magic);
	if (!err)
		err = datafile_pwrite_all(jfd, head, sizeof(head), at);
	at += sizeof(head);
	if (!err)
		err = datafile_pwrite_all(jfd, offsets, count * sizeof(*offsets), at);
	at += (off_t)(count * sizeof(*offsets));
	if (!err)
		err = datafile_pwrite_all(jfd, saved, count * block, at);
	/* on disk before the first byte of the file changes */
	if (!err && fsync(jfd))
		err = -errno;
	close(jfd);
	if (err) {
		unlink(path);
		__atomic_store_n(&journal.writing, 0, __ATOMIC_SEQ_CST);
		return err;
	}
	journal.fd = fd;
	journal.offsets = offsets;
	journal.saved = saved;
	journal.count = count;
	journal.block = block;
	journal.file_size = file_size;
	__atomic_store_n(&journal.armed, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&journal.writing, 0, __ATOMIC_SEQ_CST);
	return 0;
}

void journal_end(void)
{
	if (!__atomic_load_n(&journal.armed, __ATOMIC_SEQ_CST))
		return;
	__atomic_store_n(&journal.armed, 0, __ATOMIC_SEQ_CST);
	unlink(journal.path);
}

void journal_restore_now(void)
{
	if (!__atomic_exchange_n(&journal.armed, 0, __ATOMIC_SEQ_CST)) {
		if (__atomic_exchange_n(&journal.writing, 0, __ATOMIC_SEQ_CST))
			unlink(journal.path);
		return;
	}
	for (size_t i = 0; i < journal.count; i++) {
		const unsigned char *p = journal.saved + i * journal.block;
		uint64_t done = 0,
			 len = journal_block_len(journal.offsets[i], journal.block, journal.file_size);

		while (done < len) {
			ssize_t n = pwrite(journal.fd, p + done, len - done,
					   (off_t)(journal.offsets[i] + done));

			if (n <= 0)
				return; /* keep the journal: restore can finish the job */
			done += (uint64_t)n;
		}
	}
	if (!fdatasync(journal.fd))
		unlink(journal.path);
}

void journal_keep(void)
{
	__atomic_store_n(&journal.armed, 0, __ATOMIC_SEQ_CST);
}

bool journal_pending(const char *file)
{
	char path[PATH_MAX];

	return !journal_path(file, path, sizeof(path)) && !access(path, F_OK);
}

int journal_replay(const char *file, size_t *blocks)
{
	char path[PATH_MAX], magic[sizeof(journal_magic)];
	uint64_t head[3], *offsets = NULL;
	unsigned char *buf = NULL;
	struct stat st;
	int jfd, fd = -1, err = journal_path(file, path, sizeof(path));

	*blocks = 0;
	if (err)
		return err;
	jfd = open(path, O_RDONLY | O_CLOEXEC);
	if (jfd < 0)
		return -errno;
	err = datafile_pread_all(jfd, magic, sizeof(magic), 0);
	if (!err)
		err = datafile_pread_all(jfd, head, sizeof(head), sizeof(magic));
	if (!err && memcmp(magic, journal_magic, sizeof(magic)))
		err = -EPROTO;
	/* The file is first touched only once the whole journal is written:
	 * a short one means the run stopped before, and the file is as it was. */
	if ((err == -EDATAFILE_SHORT && !fstat(jfd, &st) && st.st_size < (off_t)(sizeof(magic) + sizeof(head))) ||
	    (!err && !fstat(jfd, &st) && head[2] < (1ULL << 32) && head[1] <= (1ULL << 30) &&
	     (uint64_t)st.st_size < sizeof(magic) + sizeof(head) + head[2] * (sizeof(uint64_t) + head[1]))) {
		close(jfd);
		unlink(path);
		return -ENODATA;
	}
	fd = err ? -1 : open(file, O_RDWR | O_CLOEXEC);
	if (!err && fd < 0)
		err = -errno;
	/* the file must be the one journaled: same size, blocks inside it */
	if (!err && (fstat(fd, &st) || (uint64_t)st.st_size != head[0] || !head[1] ||
		     head[1] > (1ULL << 30) || head[2] > (1ULL << 32)))
		err = -EPROTO;
	if (!err) {
		offsets = malloc(head[2] * sizeof(*offsets) + 1);
		buf = malloc(head[1]);
		err = offsets && buf ? 0 : -ENOMEM;
	}
	if (!err)
		err = datafile_pread_all(jfd, offsets, head[2] * sizeof(*offsets),
					 sizeof(magic) + sizeof(head));
	for (uint64_t i = 0; !err && i < head[2]; i++) {
		uint64_t len;

		/* a block starts inside the file; the last may be short */
		if (offsets[i] >= head[0]) {
			err = -EPROTO;
			break;
		}
		len = journal_block_len(offsets[i], head[1], head[0]);
		err = datafile_pread_all(jfd, buf, len,
					 sizeof(magic) + sizeof(head) + head[2] * sizeof(*offsets) +
						 i * head[1]);
		if (!err)
			err = datafile_pwrite_all(fd, buf, len, offsets[i]);
		if (!err)
			(*blocks)++;
	}
	if (!err && fdatasync(fd))
		err = -errno;
	if (!err)
		unlink(path);
	free(offsets);
	free(buf);
	if (fd >= 0)
		close(fd);
	close(jfd);
	return err;
}
