#include "sys/fingerprint.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/datafile.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fingerprint_mix(uint64_t h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	return h;
}

int fingerprint_fd(int fd, uint64_t size, uint64_t *out)
{
	unsigned char buf[FINGERPRINT_BLOCK], le[8];
	uint64_t h = FNV_OFFSET, blocks = (size + FINGERPRINT_BLOCK - 1) / FINGERPRINT_BLOCK;

	for (int i = 0; i < 8; i++)
		le[i] = (unsigned char)(size >> (8 * i));
	h = fingerprint_mix(h, le, sizeof(le));
	for (uint64_t s = 0; s < FINGERPRINT_SAMPLES && s < blocks; s++) {
		/* whole when small; else block s of the samples spread from
		 * the first block to the last */
		uint64_t b = blocks <= FINGERPRINT_SAMPLES
				     ? s
				     : s * (blocks - 1) / (FINGERPRINT_SAMPLES - 1);
		uint64_t off = b * FINGERPRINT_BLOCK;
		size_t n = size - off < FINGERPRINT_BLOCK ? (size_t)(size - off) : FINGERPRINT_BLOCK;
		int err = datafile_pread_all(fd, buf, n, off);

		if (err)
			return err;
		h = fingerprint_mix(h, buf, n);
	}
	*out = h;
	return 0;
}

int fingerprint_path(const char *path, uint64_t *size, uint64_t *out)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
	} else if (!S_ISREG(st.st_mode)) {
		err = -EFTYPE_NOT_REGULAR;
	} else {
		*size = (uint64_t)st.st_size;
		err = fingerprint_fd(fd, *size, out);
	}
	close(fd);
	return err;
}
