/* Unit tests for the in-place journal: ranges of any length over several
 * files put back from memory (the signal path) and from the journal files
 * (mmbench restore), journals of the earlier whole-block format still
 * read, and ones cut short or of another file told apart. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys/datafile.h"
#include "sys/journal.h"

#define NFILES 3

static char paths[NFILES][64];
static unsigned char orig[NFILES][20000];
static int fds[NFILES];

/* Three files of someone's bytes, the last of a size no block divides. */
static int make_files(void **state)
{
	static const size_t sizes[NFILES] = { 16384, 12288, 10001 };

	(void)state;
	for (int i = 0; i < NFILES; i++) {
		snprintf(paths[i], sizeof(paths[i]), "/var/tmp/mmbench-journal-test-%d-%d", getpid(), i);
		for (size_t k = 0; k < sizes[i]; k++)
			orig[i][k] = (unsigned char)(k * 131 + (size_t)i * 7 + 1);
		fds[i] = open(paths[i], O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fds[i] < 0 || datafile_pwrite_all(fds[i], orig[i], sizes[i], 0))
			return -1;
	}
	return 0;
}

static int remove_files(void **state)
{
	char j[128];

	(void)state;
	for (int i = 0; i < NFILES; i++) {
		close(fds[i]);
		unlink(paths[i]);
		snprintf(j, sizeof(j), "%s%s", paths[i], JOURNAL_SUFFIX);
		unlink(j);
	}
	return 0;
}

static off_t size_of(int i)
{
	return lseek(fds[i], 0, SEEK_END);
}

/* Whether file i holds its original bytes, and no more. */
static bool intact(int i)
{
	unsigned char got[sizeof(orig[0])];
	off_t n = size_of(i);

	return n > 0 && !datafile_pread_all(fds[i], got, (size_t)n, 0) &&
	       !memcmp(got, orig[i], (size_t)n) && (i != 2 || n == 10001);
}

/* The ranges each file's step changes: odd lengths, the last file's tail. */
static const struct journal_range ranges[NFILES][2] = {
	{ { 100, 37 }, { 8192, 4096 } },
	{ { 0, 1 }, { 12000, 288 } },
	{ { 4096, 4096 }, { 8192, 1809 } },
};

/* Journal every file's ranges (their saved bytes copied from orig), then
 * scribble over them. */
static unsigned char *journal_and_scribble(void)
{
	unsigned char *saved = malloc(NFILES * 8192), *at = saved;
	unsigned char junk[4096];

	memset(junk, 0xee, sizeof(junk));
	for (int i = 0; i < NFILES; i++) {
		unsigned char *first = at;

		for (int r = 0; r < 2; r++) {
			memcpy(at, orig[i] + ranges[i][r].off, ranges[i][r].len);
			at += ranges[i][r].len;
		}
		assert_int_equal(journal_begin(paths[i], fds[i], (uint64_t)size_of(i), ranges[i], 2, first), 0);
	}
	for (int i = 0; i < NFILES; i++)
		for (int r = 0; r < 2; r++)
			assert_int_equal(datafile_pwrite_all(fds[i], junk, ranges[i][r].len, ranges[i][r].off), 0);
	return saved;
}

static void test_signal_path_puts_every_file_back(void **state)
{
	unsigned char *saved;

	(void)state;
	saved = journal_and_scribble();
	for (int i = 0; i < NFILES; i++) {
		assert_false(intact(i));
		assert_true(journal_pending(paths[i]));
	}
	journal_restore_now();
	for (int i = 0; i < NFILES; i++) {
		assert_true(intact(i));
		assert_false(journal_pending(paths[i]));
	}
	journal_end(); /* nothing left armed */
	free(saved);
}

static void test_restore_from_the_journal_files(void **state)
{
	unsigned char *saved;
	size_t n;
	char msg[512];

	(void)state;
	saved = journal_and_scribble();
	journal_keep(); /* as SIGKILL leaves them */
	free(saved);
	assert_true(journal_refuse_pending(paths[1], msg, sizeof(msg)));
	assert_non_null(strstr(msg, "mmbench restore"));
	for (int i = 0; i < NFILES; i++) {
		assert_int_equal(journal_replay(paths[i], &n), 0);
		assert_int_equal(n, 2);
		assert_true(intact(i));
		assert_false(journal_pending(paths[i]));
	}
	assert_int_equal(journal_replay(paths[0], &n), -ENOENT);
}

/* A journal of the earlier format: size, block, count, offsets, whole
 * blocks (the file's short last one padded). */
static void write_v1(int i, uint64_t block, const uint64_t *offs, size_t count, size_t cut)
{
	char path[128];
	uint64_t head[3] = { (uint64_t)size_of(i), block, count };
	unsigned char *buf = calloc(1, 8 + sizeof(head) + count * (8 + block));
	size_t at = 0;
	int fd;

	snprintf(path, sizeof(path), "%s%s", paths[i], JOURNAL_SUFFIX);
	memcpy(buf, "MMBJRNL1", 8);
	at = 8;
	memcpy(buf + at, head, sizeof(head));
	at += sizeof(head);
	memcpy(buf + at, offs, count * 8);
	at += count * 8;
	for (size_t k = 0; k < count; k++, at += block)
		memcpy(buf + at, orig[i] + offs[k],
		       offs[k] + block > (uint64_t)size_of(i) ? (size_t)(size_of(i) - (off_t)offs[k]) : block);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(datafile_pwrite_all(fd, buf, at - cut, 0), 0);
	close(fd);
	free(buf);
}

static void test_earlier_journals_still_restore(void **state)
{
	static const uint64_t offs[2] = { 4096, 8192 }; /* the second: 1809 bytes to the end */
	unsigned char junk[4096];
	size_t n;

	(void)state;
	memset(junk, 0x55, sizeof(junk));
	assert_int_equal(datafile_pwrite_all(fds[2], junk, 4096, 4096), 0);
	assert_int_equal(datafile_pwrite_all(fds[2], junk, 1809, 8192), 0);
	write_v1(2, 4096, offs, 2, 0);
	assert_int_equal(journal_replay(paths[2], &n), 0);
	assert_int_equal(n, 2);
	assert_true(intact(2)); /* the tail put back, the file not grown */
	/* cut short: the run stopped before touching the file */
	write_v1(2, 4096, offs, 2, 100);
	assert_int_equal(journal_replay(paths[2], &n), -ENODATA);
	assert_false(journal_pending(paths[2]));
	/* another file's: its size differs */
	write_v1(2, 4096, offs, 2, 0);
	assert_int_equal(ftruncate(fds[2], 10000), 0);
	assert_int_equal(journal_replay(paths[2], &n), -EPROTO);
	assert_true(journal_pending(paths[2]));
	assert_int_equal(ftruncate(fds[2], 10001), 0);
	assert_int_equal(datafile_pwrite_all(fds[2], orig[2] + 10000, 1, 10000), 0);
	assert_int_equal(journal_replay(paths[2], &n), 0);
	assert_true(intact(2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_path_puts_every_file_back),
		cmocka_unit_test(test_restore_from_the_journal_files),
		cmocka_unit_test(test_earlier_journals_still_restore),
	};

	return cmocka_run_group_tests(tests, make_files, remove_files);
}
