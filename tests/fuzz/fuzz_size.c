/* libFuzzer target: the size and number parsers.  A size parse_size()
 * accepts must survive parse_format_size() and parse_size() again
 * unchanged; nothing may crash, read out of bounds or overflow. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), buf[64];
	uint64_t v, again;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (!parse_size(s, &v)) {
		parse_format_size(v, buf, sizeof(buf));
		if (parse_size(buf, &again) || again != v)
			abort(); /* a size must read back as itself */
	}
	parse_uint(s, &v);
	parse_trim(s);
	free(s);
	return 0;
}
