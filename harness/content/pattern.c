#include "content/pattern.h"

#include <string.h>

#include "content/consume.h"

void pattern_fill(uint64_t seed, uint64_t off, void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		uint64_t w = pattern_word(seed, off / 8);
		unsigned skip = (unsigned)(off % 8);
		size_t n = 8 - skip < len ? 8 - skip : len;
		unsigned char bytes[8];

		consume_store_le(bytes, w);
		memcpy(p, bytes + skip, n);
		p += n;
		off += n;
		len -= n;
	}
}

uint64_t pattern_sum(uint64_t seed, uint64_t off, uint64_t len)
{
	uint64_t sum = 0, i = off / 8, full = len / 8;
	unsigned tail = (unsigned)(len % 8);

	for (uint64_t k = 0; k < full; k++)
		sum += pattern_word(seed, i + k);
	if (tail) /* consume() zero-pads a partial last word */
		sum += pattern_word(seed, i + full) & ((1ULL << (8 * tail)) - 1);
	return sum;
}
