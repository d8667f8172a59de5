/* libFuzzer target: the suite parser, through `mmbench sweep SUITE
 * --dry-run`, which parses, checks and enumerates every configuration and
 * runs nothing.  make fuzz closes its stdout (-close_fd_mask=1); the
 * one-line errors of bad suites go to the log. */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "suite/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("suite", MFD_CLOEXEC);
	char path[64], dry[] = "--dry-run", *argv[3];

	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	argv[0] = path;
	argv[1] = dry;
	argv[2] = NULL;
	sweep_command.main(2, argv);
	close(fd);
	return 0;
}
