/*
 * bench/probes/pread-loop.c - the hand-written loop a replay is measured
 * against (scripts/replay-overhead): the preads of a list, back to back,
 * each block consumed by mmbench's own consume(), timed around the loop
 * alone.  What a replay adds beyond this is the engine's cost per
 * operation.
 *
 *   pread-loop FILE LIST    LIST: "OFFSET LENGTH" per line
 *
 * Prints "ops N bytes B ns T checksum C" on one line.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "content/consume.h"

struct op {
	uint64_t off, len;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	struct op *ops = NULL;
	size_t n = 0, cap = 0, most = 0;
	unsigned long long off, len;
	uint64_t sum = 0, bytes = 0, t0, t1;
	unsigned char *buf;
	FILE *list;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: pread-loop FILE LIST\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	list = fopen(argv[2], "r");
	if (fd < 0 || !list) {
		fprintf(stderr, "pread-loop: cannot open '%s': %s\n", fd < 0 ? argv[1] : argv[2],
			strerror(errno));
		return 1;
	}
	while (fscanf(list, "%llu %llu", &off, &len) == 2) {
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			ops = realloc(ops, cap * sizeof(*ops));
			if (!ops)
				return 1;
		}
		ops[n++] = (struct op){ off, len };
		most = len > most ? len : most;
	}
	fclose(list);
	/* page-aligned and touched, as mmbench's read backend's buffer */
	if (posix_memalign((void **)&buf, 4096, most + 1))
		return 1;
	memset(buf, 0, most + 1);
	t0 = now_ns();
	for (size_t i = 0; i < n; i++) {
		ssize_t got = pread(fd, buf, ops[i].len, (off_t)ops[i].off);

		if (got != (ssize_t)ops[i].len) {
			fprintf(stderr, "pread-loop: short read at %" PRIu64 "\n", ops[i].off);
			return 1;
		}
		sum += consume(buf, ops[i].len) * (ops[i].off / 4 + 1);
		bytes += ops[i].len;
	}
	t1 = now_ns();
	consume_sink = sum;
	printf("ops %zu bytes %" PRIu64 " ns %" PRIu64 " checksum %" PRIu64 "\n", n, bytes, t1 - t0,
	       sum);
	free(buf);
	free(ops);
	close(fd);
	return 0;
}
