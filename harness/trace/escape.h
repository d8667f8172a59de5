/*
 * escape.h - one line for any path: the escapes of a path in a trace
 * (written by mmbench, printed by strace) and of a JSON string (a plan's).
 */
#ifndef MMBENCH_ESCAPE_H
#define MMBENCH_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Decode the n bytes at s with C escapes (\\ \" \n \t \r \v \f \a \b,
 * \xHH, \NNN octal), as strace prints strings and mmbench writes paths,
 * into out (cap bytes, NUL-terminated): the length, or -1 for a bad
 * escape, an escaped NUL, or no room. */
long escape_decode(const char *s, size_t n, char *out, size_t cap);

/* The same for a JSON string's contents (\" \\ \/ \b \f \n \r \t, \u00HH). */
long escape_decode_json(const char *s, size_t n, char *out, size_t cap);

/* Write s so that escape_decode() gives it back and it stays one field at
 * the end of a line: a backslash, control bytes and DEL as escapes, and a
 * space at either end as \x20 (the reader trims blanks). */
void escape_write(FILE *f, const char *s);

#endif
