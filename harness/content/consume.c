#include "content/consume.h"

volatile uint64_t consume_sink;

/*
 * Where the hot loop lands decides its speed: the A/B gate measured one
 * build 30% slower than its parent at warm mmap reread (30 interleaved
 * rounds, p = 4e-8) with no change to this file, because other code moved
 * consume()'s loop across a 32-byte boundary.  Both functions start on a
 * 64-byte boundary and the Makefile aligns their loops to 32 bytes
 * (-falign-loops=32), so every build measures the same machine code.
 */
__attribute__((noinline, aligned(64))) uint64_t consume(const void *p, size_t len)
{
	const unsigned char *c = p;
	size_t n = len / 8, i = 0;
	/* Four independent sums keep the loop bound by memory, not by the
	 * latency of one chain of additions. */
	uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;

	for (; i + 4 <= n; i += 4) {
		s0 += consume_load_le(c + 8 * i);
		s1 += consume_load_le(c + 8 * i + 8);
		s2 += consume_load_le(c + 8 * i + 16);
		s3 += consume_load_le(c + 8 * i + 24);
	}
	for (; i < n; i++)
		s0 += consume_load_le(c + 8 * i);
	if (len % 8) {
		unsigned char last[8] = { 0 };

		memcpy(last, c + 8 * n, len % 8);
		s0 += consume_load_le(last);
	}
	return s0 + s1 + s2 + s3;
}

__attribute__((noinline, aligned(64))) uint64_t consume_increment(void *p, size_t len, uint64_t delta)
{
	unsigned char *c = p;
	uint64_t sum = 0;

	for (size_t i = 0; i + 8 <= len; i += 8) {
		uint64_t w = consume_load_le(c + i);

		sum += w;
		consume_store_le(c + i, w + delta);
	}
	return sum;
}

__attribute__((noinline)) uint64_t consume_pages(const void *p, size_t len, size_t step)
{
	const unsigned char *c = p;
	uint64_t s = 0;

	for (size_t at = 0; at + 8 <= len; at += step)
		s += consume_load_le(c + at);
	return s;
}
