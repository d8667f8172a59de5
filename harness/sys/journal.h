/*
 * journal.h - the in-place journal: before an inplace repetition first
 * touches a user's file (--file --allow-write), the original bytes of every
 * block it will update are saved, in memory and in FILE.mmbench-journal
 * beside it (written and synced first).
 *
 * - After every repetition the workload writes them back (its restore).
 * - SIGINT, SIGTERM, SIGHUP, SIGPIPE or SIGBUS write them back from memory
 *   before the process dies (pwrite and fdatasync are async-signal-safe).
 * - After SIGKILL or a power cut, FILE.mmbench-journal remains: run refuses
 *   the file until `mmbench restore FILE` has written the journal back.
 * The user's bytes are never reconstructed from an assumption (such as
 * the pattern a file seems to hold): only from what was read from it.
 */
#ifndef MMBENCH_JOURNAL_H
#define MMBENCH_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JOURNAL_SUFFIX ".mmbench-journal"

/* Write FILE's journal for count blocks of block bytes at offsets, whose
 * original bytes are saved[], and arm the signal handler with them.  The
 * arrays must stay valid until journal_end().  0 or a negative errno;
 * -EEXIST when a journal is already there (an interrupted run). */
int journal_begin(const char *file, int fd, uint64_t file_size, const uint64_t *offsets,
		  const unsigned char *saved, size_t count, uint64_t block);

/* The blocks are back (or the run is over): disarm and remove the journal. */
void journal_end(void);

/* The blocks could not all be put back: disarm, and keep the journal for
 * `mmbench restore`. */
void journal_keep(void);

/* From a signal handler: write the armed blocks back and sync.  Touches
 * only fixed storage and async-signal-safe calls. */
void journal_restore_now(void);

/* Whether file has a journal left by an interrupted run. */
bool journal_pending(const char *file);

/* `mmbench restore FILE`: write FILE's journal back, sync, remove it.
 * 0 with *blocks restored, -ENOENT without a journal, -ENODATA for a
 * journal cut short (the run stopped before touching FILE: it is removed),
 * -EPROTO for a journal that does not belong to this file, or a negative
 * errno. */
int journal_replay(const char *file, size_t *blocks);

#endif
