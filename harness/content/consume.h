/*
 * consume.h - how every backend and workload uses the bytes it reads.
 *
 * One function for all of them, so mmap is not spared work that read pays or
 * the other way round: a word-wise sum (the checksum), as lmbench's
 * bw_mmap_rd does, folded into a volatile sink so the compiler cannot drop the
 * loads.  Words are little-endian; a partial last word is zero-padded.
 */
#ifndef MMBENCH_CONSUME_H
#define MMBENCH_CONSUME_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Written after every consumed block; never read for its value. */
extern volatile uint64_t consume_sink;

/* Sum of the 64-bit words in [p, p + len).  Lives in its own translation
 * unit and is never inlined, so every caller runs the same machine code. */
uint64_t consume(const void *p, size_t len);

/* Add delta to every 64-bit word of [p, p + len) (len a multiple of 8) and
 * return the sum of the words before the change: the read-modify-write of the
 * inplace workload, reading each word exactly once as consume() does. */
uint64_t consume_increment(void *p, size_t len, uint64_t delta);

/* --touch page: the sum of one 64-bit word every step bytes (the first of
 * each page), as a program that follows pointers from page to page. */
uint64_t consume_pages(const void *p, size_t len, size_t step);

static inline uint64_t consume_load_le(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

static inline void consume_store_le(unsigned char *p, uint64_t w)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	memcpy(p, &w, 8);
}

#endif
