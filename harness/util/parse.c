#include "util/parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Size suffixes, as powers of 1024; the empty suffix means bytes. */
static const struct {
	const char *suffix;
	unsigned shift;
} size_units[] = {
	{ "", 0 },   { "b", 0 },   { "k", 10 },  { "kb", 10 }, { "kib", 10 },
	{ "m", 20 }, { "mb", 20 }, { "mib", 20 }, { "g", 30 }, { "gb", 30 },
	{ "gib", 30 }, { "t", 40 }, { "tb", 40 }, { "tib", 40 },
};

/* Read the leading decimal digits of s into *out; *end points past them. */
static int parse_digits(const char *s, uint64_t *out, const char **end)
{
	uint64_t v = 0;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	*end = s;
	return 0;
}

int parse_uint(const char *s, uint64_t *out)
{
	const char *end;
	int err = parse_digits(s, out, &end);

	if (err)
		return err;
	return *end ? -EINVAL : 0;
}

int parse_size(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v;
	int err = parse_digits(s, &v, &end);

	if (err)
		return err;
	for (size_t i = 0; i < sizeof(size_units) / sizeof(size_units[0]); i++) {
		unsigned shift = size_units[i].shift;

		if (strcasecmp(end, size_units[i].suffix))
			continue;
		if (shift && v > (UINT64_MAX >> shift))
			return -ERANGE;
		*out = v << shift;
		return 0;
	}
	return -EINVAL;
}

char *parse_format_size(uint64_t bytes, char *buf, unsigned long len)
{
	static const char units[] = "KMGT";
	unsigned u = 0;

	/* Use the largest unit that divides the value exactly. */
	while (u < 4 && bytes && !(bytes & ((1ULL << (10 * (u + 1))) - 1)))
		u++;
	if (u == 0)
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)(bytes >> (10 * u)), units[u - 1]);
	return buf;
}

char *parse_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && strchr(" \t\r\n", e[-1]))
		*--e = '\0';
	return s;
}

/* Levenshtein distance of a and b, capped at 9 (both are short names). */
static unsigned parse_distance(const char *a, const char *b)
{
	unsigned row[32], la = (unsigned)strlen(a), lb = (unsigned)strlen(b);

	if (la > 30 || lb > 30)
		return 9;
	for (unsigned j = 0; j <= lb; j++)
		row[j] = j;
	for (unsigned i = 1; i <= la; i++) {
		unsigned diag = row[0];

		row[0] = i;
		for (unsigned j = 1; j <= lb; j++) {
			unsigned up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb] < 9 ? row[lb] : 9;
}

const char *parse_nearest(const char *s, const char *const *names, unsigned long n)
{
	const char *best = NULL;
	unsigned best_d = 3;

	if (!*s)
		return NULL;
	for (unsigned long i = 0; i < n; i++)
		if (strstr(names[i], s) || strstr(s, names[i]))
			return names[i];
	for (unsigned long i = 0; i < n; i++) {
		unsigned d = parse_distance(s, names[i]);

		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	return best;
}

int parse_pair(const char *s, char *a, char *b)
{
	char extra;

	a[0] = b[0] = '\0';
	if (sscanf(s, "%63[^:]:%63[^:]%c", a, b, &extra) != 2 || !strcmp(a, b))
		return -EINVAL;
	return 0;
}

int parse_pair_known(const char *s, char *a, char *b, size_t len,
		     bool (*known)(const char *name, const void *ctx), const void *ctx)
{
	size_t n = strlen(s);

	for (const char *colon = strchr(s, ':'); colon; colon = strchr(colon + 1, ':')) {
		size_t la = (size_t)(colon - s), lb = n - la - 1;

		if (la >= len || lb >= len)
			continue;
		memcpy(a, s, la);
		a[la] = '\0';
		memcpy(b, colon + 1, lb + 1);
		if (strcmp(a, b) && known(a, ctx) && known(b, ctx))
			return 0;
	}
	if (len)
		a[0] = b[0] = '\0';
	return -EINVAL;
}
