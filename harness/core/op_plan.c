/*
 * op_plan.c - an operation plan as lines: the header, a step, and each
 * thread's operations, as JSON or CSV.  `mmbench plan` prints them, and an
 * external worker (backends/worker.c) reads the same lines.
 */
#include "core/op_plan.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "sys/datafile.h"
#include "util/json.h"
#include "util/parse.h"

int op_plan_rewind(const struct op_plan *p)
{
	/* through the streams: their chunks are the walks', mutable */
	for (unsigned t = 0; t < p->threads; t++) {
		struct stream_ops *both[2] = { p->first[t].ops, p->steady[t].ops };

		for (int k = 0; k < 2; k++)
			if (both[k] && both[k]->n && both[k]->chunk_first != 0 &&
			    stream_ops_fill(both[k], 0))
				return both[k]->err;
	}
	return 0;
}

void op_plan_free(struct op_plan *p)
{
	free(p->src);
	free(p->touched);
	free(p->touch_count);
	free(p->saved);
	free(p->file_base);
	free(p->src_prefix);
	/* a recorded stream's chunk is the plan's; its file is the workload's */
	for (unsigned t = 0; t < 2 * CONFIG_MAX_THREADS; t++)
		free(p->recorded[t].chunk);
	if (p->owns_records)
		close(p->records_fd);
	memset(p, 0, sizeof(*p));
}

static const char *const op_plan_op_names[] = { [OP_READ] = "read", [OP_UPDATE] = "update",
					     [OP_WRITE] = "write", [OP_MIXED] = "mixed" };

/* What every external worker must compute, in words a reader can implement. */
#define OP_PLAN_RULE                                                                              \
	"checksum = sum over operations of consume(block) * (offset / 4 + 1), mod 2^64; "     \
	"consume = the sum mod 2^64 of the block's little-endian 64-bit words (a short "     \
	"last word zero-padded), or with touch_step of one word every touch_step bytes; an " \
	"update adds 1 to every word and writes the block back, its consume taken before"

void op_plan_print_header(FILE *f, enum op_plan_format fmt, const struct config *cfg,
			const struct datafile *df)
{
	char size[32];

	parse_format_size(df->size, size, sizeof(size));
	if (fmt == OP_PLAN_CSV) {
		fprintf(f, "# mmbench plan: file %s, %" PRIu64 " bytes, pattern seed %" PRIu64 "%s; %s\n",
			cfg->file ? cfg->file : "(the pattern file)", df->size, cfg->seed,
			df->patterned ? "" : " (not the pattern: expectations from its bytes)",
			OP_PLAN_RULE);
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
	json_write_string(f, OP_PLAN_RULE);
	fputs("}\n", f);
}

/* Every operation of one stream, as lines. */
static void op_plan_print_stream(FILE *f, enum op_plan_format fmt, const struct op_plan_step *s, unsigned thread,
				 const char *part, const struct stream *st)
{
	struct stream_pos pos;
	uint64_t off;
	size_t len;

	stream_start(st, &pos);
	while (stream_next(st, &pos, &off, &len)) {
		if (fmt == OP_PLAN_CSV)
			fprintf(f, "op,%s,%" PRIu64 ",%" PRIu64 ",,,,,,,,%u,%s,%" PRIu64 ",%zu\n",
				s->workload, s->iteration, s->rep, thread, part, off, len);
		else
			fprintf(f,
				"{\"type\":\"op\",\"worker\":%u,\"part\":\"%s\",\"off\":%" PRIu64
				",\"len\":%zu}\n",
				thread, part, off, len);
	}
}

void op_plan_print_step(FILE *f, enum op_plan_format fmt, const struct op_plan_step *s,
			const struct op_plan *p)
{
	unsigned threads = p->threads ? p->threads : 1;

	if (fmt == OP_PLAN_CSV)
		fprintf(f,
			"step,%s,%" PRIu64 ",%" PRIu64 ",%s,%" PRIu64 ",%u,%" PRIu64 ",%" PRIu64
			",%zu,%" PRIu64 ",,,,\n",
			s->workload, s->iteration, s->rep, op_plan_op_names[p->op], p->block, threads,
			p->ops, p->bytes, p->touch_step, p->expected_sum);
	else
		fprintf(f,
			"{\"type\":\"step\",\"workload\":\"%s\",\"iteration\":%" PRIu64
			",\"rep\":%" PRIu64 ",\"op\":\"%s\",\"block\":%" PRIu64
			",\"threads\":%u,\"ops\":%" PRIu64 ",\"bytes\":%" PRIu64
			",\"touch_step\":%zu,\"expected_checksum\":\"%" PRIu64 "\"}\n",
			s->workload, s->iteration, s->rep, op_plan_op_names[p->op], p->block, threads,
			p->ops, p->bytes, p->touch_step, p->expected_sum);
	for (unsigned w = 0; w < threads; w++)
		op_plan_print_stream(f, fmt, s, w, "first", &p->first[w]);
	for (unsigned w = 0; w < threads; w++)
		op_plan_print_stream(f, fmt, s, w, "steady", &p->steady[w]);
}

