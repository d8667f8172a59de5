/*
 * csv.h - the one CSV writer (RFC 4180 quoting).  A line is built in memory
 * and written with a single write() on an O_APPEND descriptor, so an
 * interrupted run leaves whole rows behind, never half of one.
 */
#ifndef MMBENCH_CSV_H
#define MMBENCH_CSV_H

#include <stddef.h>
#include <stdint.h>

struct csv_line {
	char *buf;
	size_t len, cap;
	unsigned fields;
};

/* Start an empty line (keeps the allocation of an earlier line). */
void csv_line_reset(struct csv_line *l);
void csv_line_free(struct csv_line *l);

/* Append one field, quoted when it holds a comma, quote, CR or LF. */
int csv_add(struct csv_line *l, const char *field);
int csv_addf(struct csv_line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int csv_add_u64(struct csv_line *l, uint64_t v);

/* Open path for appending rows under header (a line without its newline).
 * An empty or new file gets the header; an existing file must start with
 * exactly that header, else -EPROTO and nothing is written.  Returns a file
 * descriptor or a negative errno. */
int csv_open(const char *path, const char *header);

/* Whether csv_open(path, header) would succeed, without creating or
 * writing anything: 0, -EPROTO for a different header, -EINVAL for a path
 * that is not a regular file, or the errno of a missing directory or
 * permission. */
int csv_check(const char *path, const char *header);

/* Write the line and a newline to fd in one write(); 0 or negative errno.
 * A line that fails part way (a full disk) is cut off again, so the file
 * ends with the last whole row. */
int csv_write(int fd, const struct csv_line *l);

/* Split one CSV record at *pos in text into fields (at most max), unquoting
 * in place; advances *pos past the record.  Returns the number of fields, or
 * -1 at the end of text, -EINVAL for an unterminated quote. */
int csv_parse_record(char *text, size_t *pos, char **fields, int max);

#endif
