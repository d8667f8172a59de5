/* libFuzzer target: the suite parser, through sweep_run() as `mmbench sweep
 * SUITE --dry-run` calls it, which parses, checks and enumerates every configuration and
 * runs nothing.  make fuzz closes its stdout (-close_fd_mask=1); the
 * one-line errors of bad suites go to the log. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/options.h"
#include "suite/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("suite", MFD_CLOEXEC);
	char path[64];
	struct sweep_request req = { .suite = path, .out = "results", .dry_run = true };

	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	options_defaults(&req.flags);
	sweep_run(&req);
	close(fd);
	return 0;
}
