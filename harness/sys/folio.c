#include "sys/folio.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

#define FOLIO_KPF_HEAD (1ULL << 15) /* KPF_COMPOUND_HEAD, linux/kernel-page-flags.h */
#define FOLIO_KPF_TAIL (1ULL << 16) /* KPF_COMPOUND_TAIL */
#define FOLIO_KPF_DIRTY (1ULL << 4) /* KPF_DIRTY: written, not yet on the device */
#define FOLIO_PM_PRESENT (1ULL << 63)
#define FOLIO_PM_PFN ((1ULL << 55) - 1)
#define FOLIO_ORDERS 40
#define FOLIO_BATCH 4096

/* Pages per folio, by order: folios are powers of two pages. */
struct folio_tally {
	uint64_t pages[FOLIO_ORDERS]; /* resident pages held in folios of 2^order pages */
	uint64_t open;		      /* pages of the folio being walked */
	uint64_t last_pfn;	      /* the frame of its last page */
};

static void folio_close(struct folio_tally *t)
{
	unsigned order = 0;

	if (!t->open)
		return;
	while (order + 1 < FOLIO_ORDERS && (1ULL << (order + 1)) <= t->open)
		order++;
	t->pages[order] += t->open;
	t->open = 0;
}

/* Map the resident pages of [addr, addr + n pages) into the page tables
 * without I/O: MADV_POPULATE_READ on each resident run, or a read of one
 * byte per page where the kernel predates it (5.14). */
static int folio_populate(unsigned char *addr, const unsigned char *vec, size_t n, long page)
{
	for (size_t i = 0, j; i < n; i = j) {
		if (!(vec[i] & 1)) {
			j = i + 1;
			continue;
		}
		for (j = i; j < n && (vec[j] & 1); j++)
			;
		if (madvise(addr + i * (size_t)page, (j - i) * (size_t)page, MADV_POPULATE_READ)) {
			if (errno != EINVAL)
				return -errno;
			for (size_t k = i; k < j; k++)
				(void)*(volatile unsigned char *)(addr + k * (size_t)page);
		}
	}
	return 0;
}

/* Walk one window: its pagemap entries, then the flags of their frames, a
 * run of consecutive frames at a time. */
static int folio_walk(int pagemap, int kflags, unsigned char *addr, const unsigned char *vec,
		      size_t n, long page, struct folio_tally *t, struct folio_stats *st)
{
	uint64_t *pm = malloc(n * sizeof(*pm)), *fl = malloc(FOLIO_BATCH * sizeof(*fl));
	off_t at = (off_t)((uintptr_t)addr / (uintptr_t)page * sizeof(uint64_t));
	int err = 0;

	if (!pm || !fl) {
		err = -ENOMEM;
		goto out;
	}
	if (pread(pagemap, pm, n * sizeof(*pm), at) != (ssize_t)(n * sizeof(*pm))) {
		err = errno ? -errno : -EIO;
		goto out;
	}
	for (size_t i = 0, j; i < n && !err; i = j) {
		uint64_t pfn = pm[i] & FOLIO_PM_PFN;
		ssize_t got;

		if (!(vec[i] & 1) || !(pm[i] & FOLIO_PM_PRESENT)) {
			folio_close(t); /* a hole ends any folio */
			j = i + 1;
			continue;
		}
		if (!pfn) { /* present but hidden: no CAP_SYS_ADMIN */
			err = -EPERM;
			break;
		}
		for (j = i + 1; j < n && j - i < FOLIO_BATCH && (vec[j] & 1) &&
				(pm[j] & FOLIO_PM_PRESENT) && (pm[j] & FOLIO_PM_PFN) == pfn + (j - i);
		     j++)
			;
		got = pread(kflags, fl, (j - i) * sizeof(*fl), (off_t)(pfn * sizeof(*fl)));
		if (got != (ssize_t)((j - i) * sizeof(*fl))) {
			err = got < 0 ? -errno : -EIO;
			break;
		}
		for (size_t k = 0; k < j - i; k++) {
			/* a tail of the frame after the open folio's extends it;
			 * anything else starts a folio */
			if (!(fl[k] & FOLIO_KPF_TAIL) || !t->open || pfn + k != t->last_pfn + 1)
				folio_close(t);
			t->open++;
			t->last_pfn = pfn + k;
			st->dirty_pages += !!(fl[k] & FOLIO_KPF_DIRTY);
			if (!(fl[k] & (FOLIO_KPF_HEAD | FOLIO_KPF_TAIL)))
				folio_close(t);
		}
		st->resident_pages += j - i;
	}
out:
	free(pm);
	free(fl);
	return err;
}

int folio_inspect(int fd, uint64_t size, struct folio_stats *st)
{
	const uint64_t window = 1ULL << 30; /* as datafile_residency: bounded mappings */
	long page = sysconf(_SC_PAGESIZE);
	struct folio_tally t = { { 0 }, 0, 0 };
	unsigned char *vec = malloc(window / (uint64_t)page);
	int pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	int kflags = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	uint64_t half, cum = 0;
	int err = 0;

	st->large = st->median_bytes = NAN;
	st->resident_pages = st->dirty_pages = 0;
	if (!vec || pagemap < 0 || kflags < 0) {
		err = !vec ? -ENOMEM : -errno;
		goto out;
	}
	for (uint64_t off = 0; off < size && !err; off += window) {
		size_t len = size - off < window ? (size_t)(size - off) : (size_t)window;
		size_t n = (len + (size_t)page - 1) / (size_t)page;
		unsigned char *addr = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, (off_t)off);

		if (addr == MAP_FAILED) {
			err = -errno;
			break;
		}
		if (mincore(addr, len, vec))
			err = -errno;
		if (!err)
			err = folio_populate(addr, vec, n, page);
		if (!err)
			err = folio_walk(pagemap, kflags, addr, vec, n, page, &t, st);
		munmap(addr, len);
	}
	folio_close(&t);
	if (err || !st->resident_pages)
		goto out;
	st->large = 1 - (double)t.pages[0] / (double)st->resident_pages;
	half = (st->resident_pages + 1) / 2;
	for (unsigned order = 0; order < FOLIO_ORDERS; order++) {
		cum += t.pages[order];
		if (cum >= half) {
			st->median_bytes = (double)(1ULL << order) * (double)page;
			break;
		}
	}
out:
	if (pagemap >= 0)
		close(pagemap);
	if (kflags >= 0)
		close(kflags);
	free(vec);
	return err;
}
