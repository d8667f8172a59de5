/*
 * plan.h - mmbench plan: what a configuration does, operation by
 * operation, and the checksum each step must yield, as JSON or CSV lines
 * for an external worker.
 */
#ifndef MMBENCH_PLAN_H
#define MMBENCH_PLAN_H

#include "cli/cli.h"

extern const struct cli_command plan_command;

#endif
