/*
 * plan.c - mmbench plan: a configuration's plan and what it must yield,
 * as JSON or CSV lines, for a program in another language to execute and
 * be checked by the same rules as the C backends.
 *
 * The lines are a header (the file: its size, the pattern seed and how to
 * make it; the checksum rule), then for every workload and repetition a
 * step (its kind of operation, block, counts and expected checksum)
 * followed by its operations in the order each worker issues them.  The
 * same streams the engine walks produce them, so a plan is what `run`
 * does, offset for offset.
 */
#include "cmd/commands.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/config.h"
#include "core/op_plan.h"
#include "core/stream.h"
#include "core/workload.h"
#include "sys/datafile.h"
#include "util/error.h"
#include "util/parse.h"
#include "workloads/workloads.h"

static const char *const plan_formats[] = { "json", "csv", NULL };

static int plan_main(int argc, char **argv)
{
	struct config cfg;
	struct datafile df = { .fd = -1 };
	unsigned format = OP_PLAN_JSON;
	const struct cli_option opts[] = {
		CLI_OPT_CHOICE("format", "F", &format, plan_formats, "json or csv lines [json]"),
		CLI_OPT_RUN(NULL, &cfg),
		CLI_OPT_END,
	};
	char msg[512];
	int status = 0, err;

	options_defaults(&cfg);
	status = cli_parse(&plan_command, opts, argc, argv, NULL, NULL);
	if (status)
		return status;
	if (options_validate(&cfg, msg, sizeof(msg))) {
		error_msg("%s", msg);
		return EXIT_USAGE;
	}
	if (cfg.nrfiles > 1) {
		error_msg("plan covers one file: --nrfiles %llu does not apply",
			  (unsigned long long)cfg.nrfiles);
		return EXIT_USAGE;
	}
	/* a replay's plan is its trace (mmbench trace summarises one) */
	for (unsigned i = 0; i < cfg.nworkloads; i++) {
		if (cfg.workloads[i]->flags & WORKLOAD_TRACE) {
			error_msg("plan covers the synthetic workloads; replay's operations are its "
				  "--trace's (see mmbench trace '%s')", cfg.trace);
			return EXIT_USAGE;
		}
	}
	/* all workloads, unless named, means all a plan can cover */
	if (!options_given(&cfg, "workload")) {
		unsigned n = 0;

		for (unsigned i = 0; i < cfg.nworkloads; i++)
			if (!op_kind_writes_src(cfg.workloads[i]->op))
				cfg.workloads[n++] = cfg.workloads[i];
		cfg.nworkloads = n;
	}
	for (unsigned i = 0; i < cfg.nworkloads; i++) {
		/* the bytes a write puts down are not in the plan */
		if (op_kind_writes_src(cfg.workloads[i]->op)) {
			error_msg("invalid value '%s' for --workload: plan covers the reading and "
				  "updating workloads (a write's bytes are not in it)",
				  cfg.workloads[i]->name);
			return EXIT_USAGE;
		}
	}
	if (cfg.file) {
		err = datafile_open(&df, cfg.file, cfg.seed, false);
		if (err) {
			error_msg("cannot open '%s' for --file: %s", cfg.file,
				  err == -EFTYPE_NOT_REGULAR ? datafile_kind(cfg.file)
							     : strerror(-err));
			return EXIT_RUNTIME;
		}
	} else {
		/* the pattern's sums are known without the file; ours, so
		 * that planning an update reads no bytes back */
		df.size = cfg.size;
		df.seed = cfg.seed;
		df.patterned = true;
		df.temporary = df.ours = true;
	}
	op_plan_print_header(stdout, (enum op_plan_format)format, &cfg, &df);
	for (uint64_t it = 0; it < cfg.warmup + cfg.reps && !status; it++) {
		for (unsigned wi = 0; wi < cfg.nworkloads && !status; wi++) {
			const struct workload *w = cfg.workloads[wi];
			struct op_plan p = { 0 };
			struct op_plan_step s = {
				.workload = w->name,
				.iteration = it,
				.rep = it < cfg.warmup ? 0 : it - cfg.warmup + 1,
			};

			err = w->plan(&p, &cfg, &df, 1, it);
			if (err) {
				error_msg("cannot plan %s: %s", w->name, strerror(-err));
				status = EXIT_RUNTIME;
			} else {
				op_plan_print_step(stdout, (enum op_plan_format)format, &s, &p);
			}
			op_plan_free(&p);
		}
	}
	if (cfg.file)
		datafile_close(&df);
	if (fflush(stdout) || ferror(stdout)) {
		error_msg("cannot write the plan: %s", strerror(errno));
		return EXIT_RUNTIME;
	}
	return status;
}

const struct cli_command plan_command = {
	.name = "plan",
	.args = "[--format json|csv] [run options]",
	.summary = "print a configuration's operations and expected checksums",
	.about = "Print what `run` would do with these options, for another program to\n"
		 "execute: a header (the file, the pattern seed, the checksum rule), then\n"
		 "for every workload and repetition (rep 0: a warm-up) a step with its\n"
		 "expected checksum, followed by its operations (worker, part, offset,\n"
		 "length) in the order each worker issues them.  Without --file the\n"
		 "expectations are the pattern's for --size and --seed (mmbench prepare\n"
		 "makes that file).  Every step starts from the file as it was: an update\n"
		 "step changes it.  The writing-only workloads are not covered.\n",
	.main = plan_main,
};
