/*
 * external.h - the commands that are not built in.  As git runs git-NAME
 * for `git NAME`, `mmbench NAME` runs mmbench-NAME from the exec-path: the
 * scripts (report, plot, ci-check, fleet, ...) installed in
 * $(PREFIX)/libexec/mmbench, or in a clone its scripts/ folder, where they
 * are called NAME.
 */
#ifndef MMBENCH_EXTERNAL_H
#define MMBENCH_EXTERNAL_H

/* The exec-path: $MMBENCH_EXEC_PATH when set, else the scripts/ folder of
 * the clone this binary was built in (it lives under the clone's build/),
 * else the installed folder compiled in. */
const char *external_exec_path(void);

/* Run command NAME from the exec-path with argv[0..argc), MMBENCH,
 * MMBENCH_EXEC_PATH and MMBENCH_DATA_DIR set for it.  Returns only on
 * failure: -ENOENT when there is no such command, another negative errno
 * when it could not be run. */
int external_run(const char *name, int argc, char **argv);

#endif
