/*
 * folio.h - the page cache's folio structure of a file: how much of what
 * is resident sits in large folios, and how large they are.
 *
 * A file can be 100% resident in very different shapes.  Written or read
 * with read(), it sits in large folios, and one mmap fault maps many pages;
 * faulted in by mmap's random-access read-around, it sits in small ones,
 * and mmap takes a fault per 64 KiB (measured: 3x slower sequential mmap
 * reads of the same, fully resident file).  mincore() cannot tell these
 * apart; /proc/self/pagemap and /proc/kpageflags can, for root.
 */
#ifndef MMBENCH_FOLIO_H
#define MMBENCH_FOLIO_H

#include <stdint.h>

struct folio_stats {
	double large;	      /* resident bytes in folios of 2+ pages, 0..1; NAN: unknown */
	double median_bytes;  /* half the resident bytes sit in folios at least this
			       * large; NAN: unknown */
	uint64_t resident_pages;
	uint64_t dirty_pages; /* of them, changed and not yet written back */
};

/* Inspect the resident pages of fd (size bytes) without issuing I/O: map
 * the file, populate the page tables of the resident ranges only
 * (MADV_POPULATE_READ), and read each page's frame and compound flags.
 * Returns 0 (stats NAN when nothing is resident), or a negative errno:
 * -EACCES/-EPERM where pagemap hides frame numbers (not root), -ENOENT
 * where /proc/kpageflags does not exist; stats are NAN then. */
int folio_inspect(int fd, uint64_t size, struct folio_stats *st);

#endif
