#include "cmd/external.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/paths.h"

/* This binary's path, resolved, or "" when /proc is missing. */
static const char *external_self(void)
{
	static char self[PATH_MAX];

	if (!self[0] && !realpath("/proc/self/exe", self))
		self[0] = '\0';
	return self;
}

const char *external_exec_path(void)
{
	static char path[PATH_MAX + 16];
	const char *env = getenv("MMBENCH_EXEC_PATH");

	if (env && *env)
		return env;
	if (paths_clone()) {
		snprintf(path, sizeof(path), "%s/scripts", paths_clone());
		return path;
	}
	return MMBENCH_LIBEXECDIR;
}

/* Whether dir is a clone's scripts/ folder, whose commands have no prefix. */
static bool external_is_scripts(const char *dir)
{
	char probe[PATH_MAX + 32];

	snprintf(probe, sizeof(probe), "%s/lib.sh", dir);
	if (access(probe, R_OK))
		return false;
	snprintf(probe, sizeof(probe), "%s/../harness/main.c", dir);
	return !access(probe, R_OK);
}

int external_run(const char *name, int argc, char **argv)
{
	const char *dir = external_exec_path(), *data = paths_data_dir();
	char path[PATH_MAX];
	char **args;

	/* a name, not a path: `mmbench ../x` runs nothing */
	if (!*name || strchr(name, '/') || *name == '.' || *name == '-')
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/mmbench-%s", dir, name);
	/* in a clone the scripts are called by their plain names */
	if (access(path, X_OK) && external_is_scripts(dir))
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (access(path, X_OK))
		return -ENOENT;
	args = calloc((size_t)argc + 2, sizeof(*args));
	if (!args)
		return -ENOMEM;
	args[0] = path;
	for (int i = 0; i < argc; i++)
		args[i + 1] = argv[i];
	if (setenv("MMBENCH_EXEC_PATH", dir, 1) || setenv("MMBENCH_DATA_DIR", data, 1) ||
	    (*external_self() && setenv("MMBENCH", external_self(), 0))) {
		free(args);
		return -errno;
	}
	fflush(NULL);
	execv(path, args);
	free(args);
	return -errno;
}
