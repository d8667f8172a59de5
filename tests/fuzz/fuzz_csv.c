/* libFuzzer target: the results-CSV reader and what every command does
 * with a loaded table (the registry's columns, keys, per-process medians),
 * on bytes that arrive as a file (a memfd, so no disk). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "results/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("csv", MFD_CLOEXEC), cols[64], n;
	char path[64];
	struct table t;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (!table_open(&t, path)) {
		size_t *rows, nproc;
		double *med = malloc((t.nrows + 1) * sizeof(*med));
		char name[512];

		n = table_key_columns(&t, cols, 64, true);
		rows = table_sort_rows(&t, cols, n, -1);
		if (rows && med) {
			table_per_process(&t, rows, t.nrows, table_col(&t, "mib_per_s"), med, &nproc);
			for (size_t i = 0; i < t.nrows; i++)
				table_config_name(&t, i, name, sizeof(name));
		}
		free(rows);
		free(med);
		table_free(&t);
	}
	close(fd);
	return 0;
}
