/*
 * parse.h - the one place numbers and sizes given by users are turned into
 * integers.  Both return 0, -EINVAL for junk (empty, sign, trailing text,
 * unknown suffix) or -ERANGE when the value does not fit in 64 bits.
 */
#ifndef MMBENCH_PARSE_H
#define MMBENCH_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse a byte size: digits with an optional K, M, G or T suffix (powers of
 * 1024, case-insensitive, an optional trailing "B" or "iB" allowed). */
int parse_size(const char *s, uint64_t *out);

/* Parse a plain unsigned decimal number. */
int parse_uint(const char *s, uint64_t *out);

/* Trim blanks in place: spaces and tabs in front, spaces, tabs, CR and LF
 * at the end.  Returns the first kept character. */
char *parse_trim(char *s);

/* Format a byte count the way parse_size() reads it back ("64K", "1M",
 * "1536"), into buf of len bytes; returns buf. */
char *parse_format_size(uint64_t bytes, char *buf, unsigned long len);

/* Parse "A:B", two different names (at most 63 characters each) with one
 * colon between them, as --ratio takes them, into a and b (64 bytes
 * each): 0, or -EINVAL. */
int parse_pair(const char *s, char *a, char *b);

/* Parse "A:B" where the names may hold colons themselves (a backend with
 * its options, mmap:madvise=random): the first split at a colon where both
 * sides, different, are names known(name, ctx) accepts, into a and b (len
 * bytes each).  0, or -EINVAL when no split gives two known names. */
int parse_pair_known(const char *s, char *a, char *b, size_t len,
		     bool (*known)(const char *name, const void *ctx), const void *ctx);

/* The name among names[0..n) nearest to s, for "did you mean": one that
 * contains s or is contained in it ("pread" -> "read"), else the closest by
 * edit distance when at most 2 edits away; NULL when none is near. */
const char *parse_nearest(const char *s, const char *const *names, unsigned long n);

#endif
