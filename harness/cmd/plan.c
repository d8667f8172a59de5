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
#include "cmd/plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/config.h"
#include "sys/datafile.h"
#include "util/error.h"
#include "util/json.h"
#include "cli/options.h"
#include "util/parse.h"
#include "core/stream.h"
#include "core/workload.h"

enum plan_format { PLAN_JSON, PLAN_CSV };

static const char *const plan_formats[] = { "json", "csv", NULL };

static const char *const plan_op_names[] = { [OP_READ] = "read", [OP_UPDATE] = "update",
					     [OP_WRITE] = "write" };

/* What every worker must compute, in words a reader can implement. */
#define PLAN_RULE                                                                              \
	"checksum = sum over operations of consume(block) * (offset / 4 + 1), mod 2^64; "     \
	"consume = the sum mod 2^64 of the block's little-endian 64-bit words (a short "     \
	"last word zero-padded), or with touch_step of one word every touch_step bytes; an " \
	"update adds 1 to every word and writes the block back, its consume taken before"

static void plan_header(FILE *f, enum plan_format fmt, const struct config *cfg,
			const struct datafile *df)
{
	char size[32];

	parse_format_size(df->size, size, sizeof(size));
	if (fmt == PLAN_CSV) {
		fprintf(f, "# mmbench plan: file %s, %" PRIu64 " bytes, pattern seed %" PRIu64 "%s; %s\n",
			cfg->file ? cfg->file : "(the pattern file)", df->size, cfg->seed,
			df->patterned ? "" : " (not the pattern: expectations from its bytes)",
			PLAN_RULE);
		fprintf(f, "record,workload,iteration,rep,op,block,threads,ops,bytes,touch_step,"
			   "expected_checksum,worker,part,off,len\n");
		return;
	}
	fputs("{\"type\":\"plan\",\"version\":1,\"file\":", f);
	json_write_string(f, cfg->file ? cfg->file : "");
	fprintf(f, ",\"file_size\":%" PRIu64 ",\"seed\":%" PRIu64 ",\"patterned\":%s,", df->size,
		cfg->seed, df->patterned ? "true" : "false");
	fprintf(f, "\"prepare\":\"mmbench prepare FILE --size %s --seed %" PRIu64 "\",", size,
		cfg->seed);
	fputs("\"rule\":", f);
	json_write_string(f, PLAN_RULE);
	fputs("}\n", f);
}

/* Every operation of one stream, as lines. */
static void plan_stream(FILE *f, enum plan_format fmt, const struct plan_step *s, unsigned worker,
			const char *part, const struct stream *st)
{
	struct stream_pos pos;
	uint64_t off;
	size_t len;

	stream_start(st, &pos);
	while (stream_next(st, &pos, &off, &len)) {
		if (fmt == PLAN_CSV)
			fprintf(f, "op,%s,%" PRIu64 ",%" PRIu64 ",,,,,,,,%u,%s,%" PRIu64 ",%zu\n",
				s->workload, s->iteration, s->rep, worker, part, off, len);
		else
			fprintf(f,
				"{\"type\":\"op\",\"worker\":%u,\"part\":\"%s\",\"off\":%" PRIu64
				",\"len\":%zu}\n",
				worker, part, off, len);
	}
}

void plan_print_step(FILE *f, int format, const struct plan_step *s, const struct plan *p)
{
	enum plan_format fmt = (enum plan_format)format;
	unsigned workers = p->workers ? p->workers : 1;

	if (fmt == PLAN_CSV)
		fprintf(f,
			"step,%s,%" PRIu64 ",%" PRIu64 ",%s,%" PRIu64 ",%u,%" PRIu64 ",%" PRIu64
			",%zu,%" PRIu64 ",,,,\n",
			s->workload, s->iteration, s->rep, plan_op_names[p->op], p->block, workers,
			p->ops, p->bytes, p->touch_step, p->expected_sum);
	else
		fprintf(f,
			"{\"type\":\"step\",\"workload\":\"%s\",\"iteration\":%" PRIu64
			",\"rep\":%" PRIu64 ",\"op\":\"%s\",\"block\":%" PRIu64
			",\"threads\":%u,\"ops\":%" PRIu64 ",\"bytes\":%" PRIu64
			",\"touch_step\":%zu,\"expected_checksum\":\"%" PRIu64 "\"}\n",
			s->workload, s->iteration, s->rep, plan_op_names[p->op], p->block, workers,
			p->ops, p->bytes, p->touch_step, p->expected_sum);
	for (unsigned w = 0; w < workers; w++)
		plan_stream(f, fmt, s, w, "first", &p->first[w]);
	for (unsigned w = 0; w < workers; w++)
		plan_stream(f, fmt, s, w, "steady", &p->steady[w]);
}

static int plan_main(int argc, char **argv)
{
	struct config cfg;
	struct datafile df = { .fd = -1 };
	unsigned format = PLAN_JSON;
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
	/* all workloads, unless named, means all a plan can cover */
	if (!options_given(&cfg, "workload")) {
		unsigned n = 0;

		for (unsigned i = 0; i < cfg.nworkloads; i++)
			if (cfg.workloads[i]->op != OP_WRITE)
				cfg.workloads[n++] = cfg.workloads[i];
		cfg.nworkloads = n;
	}
	for (unsigned i = 0; i < cfg.nworkloads; i++) {
		/* the bytes a write puts down are not in the plan */
		if (cfg.workloads[i]->op == OP_WRITE) {
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
		/* the pattern's sums are known without the file; temporary, so
		 * that planning an update reads no bytes back */
		df.size = cfg.size;
		df.seed = cfg.seed;
		df.patterned = true;
		df.temporary = true;
	}
	plan_header(stdout, (enum plan_format)format, &cfg, &df);
	for (uint64_t it = 0; it < cfg.warmup + cfg.reps && !status; it++) {
		for (unsigned wi = 0; wi < cfg.nworkloads && !status; wi++) {
			const struct workload *w = cfg.workloads[wi];
			struct plan p = { 0 };
			struct plan_step s = {
				.workload = w->name,
				.iteration = it,
				.rep = it < cfg.warmup ? 0 : it - cfg.warmup + 1,
			};

			err = w->plan(&p, &cfg, &df, it);
			if (err) {
				error_msg("cannot plan %s: %s", w->name, strerror(-err));
				status = EXIT_RUNTIME;
			} else {
				plan_print_step(stdout, (int)format, &s, &p);
			}
			workload_plan_free(&p);
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
