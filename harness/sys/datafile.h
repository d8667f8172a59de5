/*
 * datafile.h - the file a run measures: created with the deterministic
 * pattern (pattern.h) or opened as the user gave it, plus the cache-state
 * operations around it (evict, warm, residency).
 *
 * For a pattern file every expected checksum is computed from the pattern;
 * for any other file it comes from a reference pread() pass made before the
 * timed region.
 */
#ifndef MMBENCH_DATAFILE_H
#define MMBENCH_DATAFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The residency a row may find and still be what it claims: a cold row
 * with more of its file cached, or a warm one with less, is warned about
 * when measured and left out of verdicts. */
#define DATAFILE_COLD_MAX 0.05
#define DATAFILE_WARM_MIN 0.95

/* Free space a new data file must leave on its filesystem. */
#define DATAFILE_SPARE (64ULL << 20)

struct datafile {
	char path[4096];
	int fd;
	uint64_t size;
	uint64_t seed;	 /* pattern seed */
	bool patterned;	 /* content is the pattern for seed */
	bool temporary;	 /* created by this process, removed at exit */
	bool ours;	 /* made by this mmbench for measuring, never a user's: a
			  * changed block goes back from the pattern, unjournaled */
	bool writable;	 /* fd is open O_RDWR */
	/* A view of nparts pattern files of one size end to end (--nrfiles),
	 * planned on, never opened (fd -1): its bytes at an offset are those of
	 * the part there, so a plan made on it knows each file's.  NULL for a
	 * file. */
	const struct datafile *parts;
	unsigned nparts;
};

/* The file holding byte *off of df, *off made its offset there: df itself
 * unless df is a view of parts. */
static inline const struct datafile *datafile_part(const struct datafile *df, uint64_t *off)
{
	uint64_t f;

	if (!df->parts)
		return df;
	f = *off / df->parts[0].size;
	*off %= df->parts[0].size;
	return &df->parts[f];
}

/* Create a pattern file of size bytes at path, failing with -EEXIST when it
 * exists; or, with temporary, a uniquely named file inside the directory
 * path, removed at exit and on SIGINT/SIGTERM/SIGHUP.  Checks free space
 * first (-ENOSPC).  Returns 0 or a negative errno. */
int datafile_create(struct datafile *df, const char *path, uint64_t size, uint64_t seed,
		    bool temporary);

/* datafile_open()'s answer for anything but a regular file: beyond the
 * errno range, so no system error is mistaken for it. */
#define EFTYPE_NOT_REGULAR 4096

/* Open an existing regular file, read-only unless writable, never waiting
 * (a FIFO is refused, not opened for reading); checks a few words against
 * the pattern for seed to decide df->patterned.  0, a negative errno, or
 * -EFTYPE_NOT_REGULAR (see datafile_kind() for what it is). */
int datafile_open(struct datafile *df, const char *path, uint64_t seed, bool writable);

/* Open path, a file a user hands in to be read (a suite, a results CSV,
 * a sysinfo.json), as a stream: a regular file only, opened without
 * blocking, so a FIFO or a device is refused instead of waiting for a
 * writer or reading forever.  NULL with *err a negative errno or
 * -EFTYPE_NOT_REGULAR. */
FILE *datafile_fopen_input(const char *path, int *err);

/* The alignment O_DIRECT needs of offsets and lengths on df's filesystem
 * (statx STATX_DIOALIGN; 512 where the kernel does not say). */
uint32_t datafile_direct_align(const struct datafile *df);

/* What path is, for messages: "a directory", "a FIFO", "a character
 * device", ...; "a regular file" or "missing". */
const char *datafile_kind(const char *path);

/* datafile_create()'s answer when the file would eat into the reserve
 * mmbench keeps free (DATAFILE_SPARE), told apart from a disk that filled
 * up while the file was written (-ENOSPC). */
#define EDATAFILE_RESERVE 4097

/* A read of a file that ended before the bytes asked for: the file is
 * shorter than mmbench expects (it shrank under the run), which is no I/O
 * error and must not be reported as one. */
#define EDATAFILE_SHORT 4100

/* strerror() for the errors of the data file, EDATAFILE_RESERVE and
 * EDATAFILE_SHORT included: it names the reserve, which a df -h may not
 * explain, and an end of file as what it is. */
const char *datafile_strerror(int err);

/* Where this thread's last failed read or write of a file was, as a file
 * offset, or -1 when none was noted since datafile_note_failure(-1).
 * datafile_pread_all() and datafile_pwrite_all() note theirs; a backend
 * notes the offset of a request that failed; the SIGBUS guard notes the
 * byte of the mapping that faulted.  Per thread: a worker's failure is its
 * own, and the engine hands it to the runner. */
int64_t datafile_failed_at(void);
void datafile_note_failure(int64_t off);

/* Close the file; a temporary one is also removed. */
void datafile_close(struct datafile *df);

/* The checksum consume() must return over [off, off + len); off a multiple
 * of 8.  From the pattern when patterned, else by reading the file; of a
 * view, from its parts (a range that crosses into the next part is summed
 * as the words of each). */
int datafile_expected_sum(const struct datafile *df, uint64_t off, uint64_t len, uint64_t *sum);

/* Write back dirty pages, then drop the file's pages from the page cache. */
int datafile_evict(const struct datafile *df);

/* Read the whole file once so its pages are in the page cache. */
int datafile_warm(const struct datafile *df);

/* Count the file's pages in the page cache with mincore(). */
int datafile_residency(int fd, uint64_t size, uint64_t *resident, uint64_t *pages);

/* resident / total pages for df, in 0..1; negative errno on failure. */
double datafile_resident_fraction(const struct datafile *df);

/* Read exactly len bytes at off (-EDATAFILE_SHORT when the file ends
 * first) / write exactly len bytes at off, retrying short transfers; 0 or
 * a negative errno, the offset of a failure noted (datafile_failed_at). */
int datafile_pread_all(int fd, void *buf, size_t len, uint64_t off);
int datafile_pwrite_all(int fd, const void *buf, size_t len, uint64_t off);

/* "tmpfs" or "ramfs" when path lives on a memory-backed filesystem, whose
 * pages cannot be dropped (so nothing there can be cold), else NULL. */
const char *datafile_in_memory(const char *path);

/* Bytes available to unprivileged users on dir's filesystem. */
int datafile_free_space(const char *dir, uint64_t *avail);

#endif
