/*
 * journal.h - the in-place journal: before a step first touches a user's
 * file (--file --allow-write, or a replay's recorded files with
 * --allow-write), the original bytes of every range it may change are
 * saved, in memory and in FILE.mmbench-journal beside it (written and
 * synced first).
 *
 * - After every repetition the workload writes them back (its restore).
 * - SIGINT, SIGTERM, SIGHUP, SIGPIPE or SIGBUS write them back from memory
 *   before the process dies (pwrite and fdatasync are async-signal-safe).
 * - After SIGKILL or a power cut, FILE.mmbench-journal remains: run refuses
 *   the file until `mmbench restore FILE` has written the journal back.
 * The user's bytes are never reconstructed from an assumption (such as
 * the pattern a file seems to hold): only from what was read from it.
 * Several files may be journaled at once (a replay writes many), each with
 * a journal of its own.
 */
#ifndef MMBENCH_JOURNAL_H
#define MMBENCH_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JOURNAL_SUFFIX ".mmbench-journal"

/* The files a step may have journaled at once. */
#define JOURNAL_MAX_FILES 64

/* A range of a file a step may change. */
struct journal_range {
	uint64_t off, len;
};

/* Write FILE's journal for the count ranges of it (each inside the file),
 * whose original bytes are saved[], end to end, and arm the signal handler
 * with them.  ranges is copied; saved must stay valid until journal_end().
 * 0 or a negative errno; -EEXIST when a journal is already there (an
 * interrupted run), -EMFILE beyond JOURNAL_MAX_FILES files. */
int journal_begin(const char *file, int fd, uint64_t file_size, const struct journal_range *ranges,
		  size_t count, const unsigned char *saved);

/* The ranges are back (or the run is over): disarm and remove every
 * journal. */
void journal_end(void);

/* The ranges could not all be put back: disarm, and keep every journal
 * for `mmbench restore`. */
void journal_keep(void);

/* From a signal handler: write every armed file's ranges back and sync.
 * Touches only fixed storage and async-signal-safe calls. */
void journal_restore_now(void);

/* Whether file has a journal left by an interrupted run. */
bool journal_pending(const char *file);

/* The refusal of a file with a journal left by an interrupted run, into
 * msg: true when it has one. */
bool journal_refuse_pending(const char *file, char *msg, size_t len);

/* `mmbench restore FILE`: write FILE's journal back, sync, remove it.
 * 0 with *ranges restored, -ENOENT without a journal, -ENODATA for a
 * journal cut short (the run stopped before touching FILE: it is removed),
 * -EPROTO for a journal that does not belong to this file, or a negative
 * errno.  Reads the journals of earlier versions too (whole blocks). */
int journal_replay(const char *file, size_t *ranges);

#endif
