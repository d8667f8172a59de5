/* list.c - `mmbench --list`: every backend and workload, and why any
 * cannot run here. */
#include <stdio.h>

#include "backends/backends.h"
#include "cmd/commands.h"
#include "workloads/workloads.h"

int cmd_list(void)
{
	puts("backends:");
	for (const struct backend *const *b = backends; *b; b++) {
		const char *why = (*b)->unavailable ? (*b)->unavailable() : NULL;

		printf("  %-9s %s%s%s%s\n", (*b)->name, (*b)->summary, why ? " (unavailable: " : "",
		       why ? why : "", why ? ")" : "");
	}
	puts("workloads:");
	/* a replay runs only with its trace: not in `all`, and said so */
	for (const struct workload *const *w = workloads; *w; w++)
		printf("  %-9s %s%s\n", (*w)->name, (*w)->summary,
		       (*w)->flags & WORKLOAD_TRACE ? " (needs --trace; not in all)" : "");
	return 0;
}

