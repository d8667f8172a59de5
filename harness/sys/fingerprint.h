/*
 * fingerprint.h - a cheap check that a file is the one a trace was
 * recorded on: its size and a hash of a few blocks spread over it.  It
 * catches a different, regenerated or truncated file at the cost of
 * FINGERPRINT_SAMPLES reads, not a full pass; it is no proof that every
 * byte is the same.
 */
#ifndef MMBENCH_FINGERPRINT_H
#define MMBENCH_FINGERPRINT_H

#include <stdint.h>

/* Blocks read, and their size: the first, the last and evenly between. */
#define FINGERPRINT_SAMPLES 8
#define FINGERPRINT_BLOCK 4096

/* The fingerprint of the size bytes of fd into *out: FNV-1a (64 bits) over
 * the size as 8 little-endian bytes, then the sampled blocks in offset
 * order (a file of at most FINGERPRINT_SAMPLES blocks is hashed whole).
 * 0, or a negative errno (-EIO when the file is shorter than size). */
int fingerprint_fd(int fd, uint64_t size, uint64_t *out);

/* The same for the file at path, whose size it also returns: 0 or a
 * negative errno. */
int fingerprint_path(const char *path, uint64_t *size, uint64_t *out);

#endif
