#include "trace/escape.h"

#include <string.h>

static int escape_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The byte of one escape after its backslash at s[*i] (s[*i] is the
 * letter), advancing *i past it; -1 when it is not one.  json picks the
 * JSON set. */
static int escape_one(const char *s, size_t n, size_t *i, int json)
{
	static const char from[] = "\\\"nrtvfab/", to[] = "\\\"\n\r\t\v\f\a\b/";
	const char *hit = memchr(from, s[*i], json ? 0 : sizeof(from) - 2);
	int v = 0;

	if (json) {
		static const char jfrom[] = "\"\\/bfnrt", jto[] = "\"\\/\b\f\n\r\t";
		const char *j = memchr(jfrom, s[*i], sizeof(jfrom) - 1);

		if (j) {
			(*i)++;
			return (unsigned char)jto[j - jfrom];
		}
		/* \u00HH: mmbench writes no other */
		if (s[*i] != 'u' || *i + 4 >= n + 0 || s[*i + 1] != '0' || s[*i + 2] != '0' ||
		    escape_hex(s[*i + 3]) < 0 || escape_hex(s[*i + 4]) < 0)
			return -1;
		v = escape_hex(s[*i + 3]) * 16 + escape_hex(s[*i + 4]);
		*i += 5;
		return v;
	}
	if (hit) {
		(*i)++;
		return (unsigned char)to[hit - from];
	}
	if (s[*i] == 'x') {
		int h1 = *i + 1 < n ? escape_hex(s[*i + 1]) : -1;
		int h2 = *i + 2 < n ? escape_hex(s[*i + 2]) : -1;

		if (h1 < 0)
			return -1;
		*i += h2 < 0 ? 2 : 3;
		return h2 < 0 ? h1 : h1 * 16 + h2;
	}
	if (s[*i] >= '0' && s[*i] <= '7') {
		for (int k = 0; k < 3 && *i < n && s[*i] >= '0' && s[*i] <= '7'; k++)
			v = v * 8 + (s[(*i)++] - '0');
		return v > 255 ? -1 : v;
	}
	return -1;
}

static long escape_decode_set(const char *s, size_t n, char *out, size_t cap, int json)
{
	size_t i = 0, o = 0;

	while (i < n) {
		int c = (unsigned char)s[i];

		if (c == '\\') {
			i++;
			c = i < n ? escape_one(s, n, &i, json) : -1;
			if (c <= 0)
				return -1;
		} else {
			i++;
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = (char)c;
	}
	if (o >= cap)
		return -1;
	out[o] = '\0';
	return (long)o;
}

long escape_decode(const char *s, size_t n, char *out, size_t cap)
{
	return escape_decode_set(s, n, out, cap, 0);
}

long escape_decode_json(const char *s, size_t n, char *out, size_t cap)
{
	return escape_decode_set(s, n, out, cap, 1);
}

void escape_write(FILE *f, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\')
			fputs("\\\\", f);
		else if (c < 0x20 || c == 0x7f || (c == ' ' && (i == 0 || i + 1 == n)))
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}
