#include "util/paths.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *paths_clone(void)
{
	static char root[PATH_MAX];
	static bool done;
	char probe[PATH_MAX + 32];
	char *b;

	if (done)
		return root[0] ? root : NULL;
	done = true;
	if (!realpath("/proc/self/exe", root))
		return NULL;
	b = strstr(root, "/build/");
	for (char *next = b; next; next = strstr(next + 1, "/build/"))
		b = next;
	if (!b) {
		root[0] = '\0';
		return NULL;
	}
	*b = '\0';
	snprintf(probe, sizeof(probe), "%s/scripts/lib.sh", root);
	if (access(probe, R_OK))
		root[0] = '\0';
	snprintf(probe, sizeof(probe), "%s/harness/main.c", root);
	if (root[0] && access(probe, R_OK))
		root[0] = '\0';
	return root[0] ? root : NULL;
}

const char *paths_data_dir(void)
{
	const char *env = getenv("MMBENCH_DATA_DIR");

	if (env && *env)
		return env;
	return paths_clone() ? paths_clone() : MMBENCH_DATADIR;
}

const char *paths_data_file(const char *path)
{
	static char found[PATH_MAX + 1];

	if (*path == '/' || !access(path, F_OK))
		return path;
	if (snprintf(found, sizeof(found), "%s/%s", paths_data_dir(), path) >= (int)sizeof(found) ||
	    access(found, F_OK))
		return path;
	return found;
}
