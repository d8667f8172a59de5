/*
 * compare.h - `mmbench compare BASELINE CURRENT`: match configurations
 * across two result sets and decide, per configuration, whether CURRENT is a
 * regression.  The process is the unit of replication: each process's
 * median is one observation (the repetitions inside one process share its
 * page placement, frequency and neighbours, so they are not independent).
 * A regression needs the whole interval of the ratio beyond 1, adjusted for
 * the number of gated configurations (Holm), and the estimate beyond the
 * threshold; "same" needs the interval inside the threshold band; anything
 * else is "unsure", which never fails.
 */
#ifndef MMBENCH_COMPARE_H
#define MMBENCH_COMPARE_H

#include "cli/cli.h"

/* `mmbench compare`. */
extern const struct cli_command compare_command;

#endif
