#include "util/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int csv_reserve(struct csv_line *l, size_t more)
{
	size_t need = l->len + more + 2; /* room for '\n' and '\0' */
	char *p;

	if (need <= l->cap)
		return 0;
	if (need < 2 * l->cap)
		need = 2 * l->cap;
	p = realloc(l->buf, need);
	if (!p)
		return -ENOMEM;
	l->buf = p;
	l->cap = need;
	return 0;
}

void csv_line_reset(struct csv_line *l)
{
	l->len = 0;
	l->fields = 0;
	if (l->buf)
		l->buf[0] = '\0';
}

void csv_line_free(struct csv_line *l)
{
	free(l->buf);
	memset(l, 0, sizeof(*l));
}

int csv_add(struct csv_line *l, const char *field)
{
	bool quote = strpbrk(field, ",\"\r\n") != NULL;
	size_t n = strlen(field);

	if (csv_reserve(l, 2 * n + 3))
		return -ENOMEM;
	if (l->fields++)
		l->buf[l->len++] = ',';
	if (quote)
		l->buf[l->len++] = '"';
	for (const char *c = field; *c; c++) {
		if (*c == '"')
			l->buf[l->len++] = '"';
		l->buf[l->len++] = *c;
	}
	if (quote)
		l->buf[l->len++] = '"';
	l->buf[l->len] = '\0';
	return 0;
}

int csv_addf(struct csv_line *l, const char *fmt, ...)
{
	char field[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(field, sizeof(field), fmt, ap);
	va_end(ap);
	return csv_add(l, field);
}

int csv_add_u64(struct csv_line *l, uint64_t v)
{
	return csv_addf(l, "%llu", (unsigned long long)v);
}

/* Whether the open file fd starts with exactly header: 0, -EPROTO, or a
 * negative errno. */
static int csv_same_header(int fd, const char *header)
{
	size_t hlen = strlen(header);
	char *first = malloc(hlen + 2);
	ssize_t got;
	bool same;

	if (!first)
		return -ENOMEM;
	got = pread(fd, first, hlen + 1, 0);
	same = got == (ssize_t)hlen + 1 && !memcmp(first, header, hlen) &&
	       (first[hlen] == '\n' || first[hlen] == '\r');
	free(first);
	return same ? 0 : -EPROTO;
}

int csv_open(const char *path, const char *header)
{
	struct stat st;
	int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644), err;

	if (fd < 0)
		return -errno;
	/* Two runs creating one file at once must not both write the header:
	 * the check and the header are one step under an exclusive lock. */
	if (flock(fd, LOCK_EX) || fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (st.st_size == 0) {
		struct csv_line l = { .buf = (char *)header, .len = strlen(header) };

		err = csv_write(fd, &l);
	} else {
		char last = '\n';

		/* Appending under a different header would corrupt the file
		 * for every reader: refuse instead. */
		err = csv_same_header(fd, header);
		/* a last line without its newline would swallow our first row */
		if (!err && pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n' &&
		    write(fd, "\n", 1) != 1)
			err = -errno;
	}
	flock(fd, LOCK_UN);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

int csv_check(const char *path, const char *header)
{
	char dir[4096], *slash;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), err;
	struct stat st;

	if (fd >= 0) {
		err = fstat(fd, &st) ? -errno : !S_ISREG(st.st_mode) ? -EINVAL
					       : st.st_size ? csv_same_header(fd, header) : 0;
		close(fd);
		return err ? err : access(path, W_OK) ? -errno : 0;
	}
	if (errno != ENOENT)
		return -errno;
	/* a new file: its directory must take it */
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	return access(slash ? dir : ".", W_OK) ? -errno : 0;
}

/* A line that could not be written whole (a full disk, a file size limit)
 * would leave a torn last row; cut the done bytes of it off again, unless
 * another appender has written after them. */
static void csv_untear(int fd, size_t done)
{
	struct stat sb;
	off_t end = lseek(fd, 0, SEEK_CUR);

	if (end >= (off_t)done && !fstat(fd, &sb) && S_ISREG(sb.st_mode) && sb.st_size == end &&
	    ftruncate(fd, end - (off_t)done))
		return; /* nothing more can be done; the caller reports the write error */
}

int csv_write(int fd, const struct csv_line *l)
{
	char *line = malloc(l->len + 1);
	size_t done = 0;
	int err = 0;

	if (!line)
		return -ENOMEM;
	memcpy(line, l->buf, l->len);
	line[l->len] = '\n';
	while (done < l->len + 1) {
		ssize_t n = write(fd, line + done, l->len + 1 - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			break;
		}
		done += (size_t)n;
	}
	free(line);
	if (err && done)
		csv_untear(fd, done);
	return err;
}

int csv_parse_record(char *text, size_t *pos, char **fields, int max)
{
	size_t i = *pos, o;
	int n = 0;

	if (!text[i])
		return -1;
	for (;;) {
		bool quoted = text[i] == '"';
		char *start;

		if (quoted)
			i++;
		start = text + i;
		o = i;
		for (;;) {
			char c = text[i];

			if (quoted && c == '"' && text[i + 1] == '"') {
				text[o++] = '"';
				i += 2;
			} else if (quoted && c == '"') {
				quoted = false;
				i++;
			} else if (quoted && !c) {
				return -EINVAL;
			} else if (!quoted && (c == ',' || c == '\n' || c == '\r' || !c)) {
				break;
			} else {
				text[o++] = c;
				i++;
			}
		}
		{
			char end = text[i];

			text[o] = '\0';
			if (n < max)
				fields[n] = start;
			n++;
			if (end == ',') {
				i++;
				continue;
			}
			if (end == '\r') {
				i++;
				if (text[i] == '\n')
					i++;
			} else if (end == '\n') {
				i++;
			}
			break;
		}
	}
	*pos = i;
	return n;
}
