/*
 * pattern.h - the deterministic content of every file mmbench prepares.
 *
 * Byte o of a pattern file with seed s is byte (o % 8) of the little-endian
 * 64-bit word pattern_word(s, o / 8).  Because each word depends only on the
 * seed and its position, the checksum of any range is known without reading
 * the file, and a block read from the wrong offset does not sum right.
 */
#ifndef MMBENCH_PATTERN_H
#define MMBENCH_PATTERN_H

#include <stddef.h>
#include <stdint.h>

/* The word at word index i (byte offset 8 * i) of a file with seed s. */
static inline uint64_t pattern_word(uint64_t seed, uint64_t i)
{
	/* splitmix64's output function over a Weyl sequence keyed by the seed */
	uint64_t z = seed * 0xd1342543de82ef95ULL + (i + 1) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Fill buf with the len bytes of the pattern starting at byte offset off
 * (any alignment). */
void pattern_fill(uint64_t seed, uint64_t off, void *buf, size_t len);

/* The checksum consume() returns for the len pattern bytes at offset off;
 * off must be a multiple of 8, len may end mid-word (the file's tail). */
uint64_t pattern_sum(uint64_t seed, uint64_t off, uint64_t len);

#endif
