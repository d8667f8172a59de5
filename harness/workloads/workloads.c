/* workloads.c - the one table of workloads, and the untimed helpers they
 * share: streams per thread, expected checksums, and the saving, checking
 * and restoring of what the writing workloads change. */
#include "workloads/workloads.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content/consume.h"
#include "content/pattern.h"
#include "core/backend.h"
#include "sys/cleanup.h"
#include "sys/datafile.h"
#include "util/rng.h"

const struct workload *const workloads[] = {
	&workload_seqread,
	&workload_randread,
	&workload_reread,
	&workload_inplace,
	&workload_seqwrite,
	&workload_randwrite,
	&workload_randrw,
	&workload_replay,
	NULL,
};

const struct workload *workload_find(const char *name)
{
	for (const struct workload *const *w = workloads; *w; w++)
		if (!strcmp((*w)->name, name))
			return *w;
	return NULL;
}

uint64_t workload_offsets_seed(uint64_t seed, uint64_t iteration)
{
	return seed ^ (0x632be59bd9b4e019ULL * (iteration + 1));
}

/* The sum of the words at off, off + step, ... below off + len (a range
 * of one file, or of one part of a view). */
static int workload_expected_touch(const struct datafile *df, uint64_t off, uint64_t len,
				   size_t step, uint64_t *sum)
{
	df = datafile_part(df, &off);
	*sum = 0;
	for (uint64_t at = 0; at + 8 <= len; at += step) {
		unsigned char w[8];
		int err = 0;

		if (df->patterned)
			*sum += pattern_word(df->seed, (off + at) / 8);
		else if (!(err = datafile_pread_all(df->fd, w, 8, off + at)))
			*sum += consume_load_le(w);
		if (err)
			return err;
	}
	return 0;
}

int workload_expected_range(const struct datafile *df, uint64_t off, uint64_t len, uint64_t block,
			    size_t touch_step, uint64_t *sum)
{
	*sum = 0;
	for (uint64_t done = 0; done < len; done += block) {
		uint64_t n = len - done < block ? len - done : block, s;
		int err = touch_step ? workload_expected_touch(df, off + done, n, touch_step, &s)
				     : datafile_expected_sum(df, off + done, n, &s);

		if (err)
			return err;
		*sum += s * workload_weight(off + done);
	}
	return 0;
}

/* --touch page: a page's worth of bytes between the words consumed. */
static size_t workload_touch_step(const struct config *cfg)
{
	return cfg->touch == TOUCH_PAGE ? (size_t)sysconf(_SC_PAGESIZE) : 0;
}

/* The first block and the end of thread i's slice of [0, len). */
static void workload_slice(uint64_t len, uint64_t block, unsigned i, unsigned n, uint64_t *start,
			   uint64_t *end)
{
	uint64_t nblocks = (len + block - 1) / block;

	*start = nblocks * i / n * block;
	*end = nblocks * (i + 1) / n * block;
	if (*end > len)
		*end = len;
}

/* The seed of thread i's random stream: thread 0 keeps the repetition's
 * seed, so one thread visits the blocks it always did. */
static uint64_t workload_thread_seed(uint64_t seed, unsigned i)
{
	return seed ^ (0x9e3779b97f4a7c15ULL * i);
}

/* The checksum of reading every operation of the streams. */
static int workload_expected_streams(struct op_plan *p, const struct datafile *df)
{
	p->expected_sum = 0;
	for (unsigned w = 0; w < p->threads; w++) {
		for (int phase = 0; phase < 2; phase++) {
			const struct stream *s = phase ? &p->steady[w] : &p->first[w];
			struct stream_pos pos;
			uint64_t off, sum;
			size_t len;
			int err;

			if (!s->random) {
				if (s->start >= s->end)
					continue;
				err = workload_expected_range(df, s->start, s->end - s->start,
							      s->block, p->touch_step, &sum);
				if (err)
					return err;
				p->expected_sum += sum * s->passes;
				continue;
			}
			stream_start(s, &pos);
			while (stream_next(s, &pos, &off, &len)) {
				err = workload_expected_range(df, off, len, len, p->touch_step,
							      &sum);
				if (err)
					return err;
				p->expected_sum += sum;
			}
		}
	}
	return 0;
}

int workload_plan_ranges(struct op_plan *p, const struct config *cfg, const struct datafile *df,
			 uint64_t len, uint64_t passes, bool first_apart)
{
	p->block = cfg->block;
	p->passes = passes;
	p->threads = (unsigned)cfg->threads;
	p->touch_step = workload_touch_step(cfg);
	p->ops = p->bytes = 0;
	for (unsigned w = 0; w < p->threads; w++) {
		uint64_t start, end;

		workload_slice(len, cfg->block, w, p->threads, &start, &end);
		if (first_apart)
			p->first[w] = stream_range(start, end, cfg->block, 1);
		p->steady[w] = stream_range(start, end, cfg->block, passes - first_apart);
		p->ops += stream_ops(&p->steady[w]);
		p->bytes += stream_bytes(&p->steady[w]);
	}
	return workload_expected_streams(p, df);
}

uint64_t workload_default_ops(uint64_t file_size, uint64_t block)
{
	/* A quarter of the blocks: the same bytes whatever the block size, so
	 * rows of different block sizes last alike. */
	uint64_t nblocks = block ? file_size / block : 0;

	return nblocks / 4 ? nblocks / 4 : 1;
}

int workload_plan_random(struct op_plan *p, const struct config *cfg, const struct datafile *df,
			 uint64_t iteration, bool own_slice, bool reads)
{
	uint64_t nblocks = df->size / cfg->block;
	uint64_t ops = cfg->ops ? cfg->ops : workload_default_ops(df->size, cfg->block);
	uint64_t seed = workload_offsets_seed(cfg->seed, iteration);
	struct stream_dist dist;

	if (stream_dist_parse(cfg->dist, &dist))
		return -EINVAL; /* options_validate() refused it already */

	p->block = cfg->block;
	p->passes = 1;
	p->threads = (unsigned)cfg->threads;
	p->touch_step = workload_touch_step(cfg);
	p->ops = ops;
	p->bytes = ops * cfg->block;
	for (unsigned w = 0; w < p->threads; w++) {
		uint64_t n = ops / p->threads + (w < ops % p->threads);
		uint64_t b0 = 0, b1 = nblocks;

		if (own_slice) {
			b0 = nblocks * w / p->threads;
			b1 = nblocks * (w + 1) / p->threads;
		}
		if (b1 <= b0) /* more threads than blocks: this one idles */
			n = 0;
		p->steady[w] = stream_random(n, b0 * cfg->block, b1 - b0, cfg->block,
					     workload_thread_seed(seed, w), &dist);
	}
	return reads ? workload_expected_streams(p, df) : 0;
}

static int workload_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

int workload_set_touched(struct op_plan *p, uint64_t *offs, size_t n)
{
	qsort(offs, n, sizeof(*offs), workload_cmp_u64);
	p->touched = malloc((n + 1) * sizeof(*p->touched));
	p->touch_count = malloc((n + 1) * sizeof(*p->touch_count));
	if (!p->touched || !p->touch_count)
		return -ENOMEM;
	p->ntouched = 0;
	for (size_t i = 0; i < n; i++) {
		if (p->ntouched && p->touched[p->ntouched - 1] == offs[i]) {
			p->touch_count[p->ntouched - 1]++;
			continue;
		}
		p->touched[p->ntouched] = offs[i];
		p->touch_count[p->ntouched++] = 1;
	}
	return 0;
}

/* Collapse the offsets of every stream into distinct blocks with their
 * counts of operations. */
static int workload_touched(struct op_plan *p)
{
	uint64_t total = 0, *all;
	size_t k = 0;
	int err;

	for (unsigned w = 0; w < p->threads; w++)
		total += stream_ops(&p->first[w]) + stream_ops(&p->steady[w]);
	all = malloc((total + 1) * sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (unsigned w = 0; w < p->threads; w++) {
		for (int phase = 0; phase < 2; phase++) {
			const struct stream *s = phase ? &p->steady[w] : &p->first[w];
			struct stream_pos pos;
			uint64_t off;
			size_t len;

			stream_start(s, &pos);
			while (stream_next(s, &pos, &off, &len))
				all[k++] = off;
		}
	}
	err = workload_set_touched(p, all, k);
	free(all);
	return err;
}

size_t workload_block_len(const struct op_plan *p, const struct datafile *df, uint64_t off)
{
	uint64_t left = df->size - off;

	return (size_t)(left < p->block ? left : p->block);
}

size_t workload_touched_len(const struct op_plan *p, const struct datafile *df, size_t i)
{
	return workload_block_len(p, df, p->touched[i]);
}

unsigned workload_touched_file(const struct op_plan *p, size_t i, uint64_t *off)
{
	unsigned lo = 0, hi = p->nfiles;

	*off = p->touched[i];
	if (!p->file_base || p->nfiles <= 1)
		return 0;
	/* the last file whose offsets start at or below the block's */
	while (hi - lo > 1) {
		unsigned mid = lo + (hi - lo) / 2;

		if (p->file_base[mid] <= *off)
			lo = mid;
		else
			hi = mid;
	}
	*off -= p->file_base[lo];
	return lo;
}

unsigned workload_change(const struct op_plan *p, const struct datafile *files, size_t k,
			 uint64_t *off, uint64_t *len)
{
	unsigned f;

	if (p->extents) {
		*off = p->extents[k].off;
		*len = p->extents[k].len;
		return p->extents[k].file;
	}
	f = workload_touched_file(p, k, off);
	*len = workload_block_len(p, &files[f], *off);
	return f;
}

void workload_original(const struct op_plan *p, const struct datafile *df, uint64_t off, size_t i,
		       unsigned char *buf)
{
	df = datafile_part(df, &off);
	if (p->saved)
		memcpy(buf, p->saved + i * p->block, workload_block_len(p, df, off));
	else
		pattern_fill(df->seed, off, buf, workload_block_len(p, df, off));
}

/* The bytes every write puts down: a pattern of its own (another seed), so
 * a write that did not land shows. */
#define WORKLOAD_WRITE_SALT 0x5851f42d4c957f2dULL

int workload_save_touched(struct op_plan *p, const struct datafile *df)
{
	int err = 0;

	/* A user's file is put back from its own bytes, read before the first
	 * touch, never from the pattern it seems to hold (a few sampled words
	 * cannot prove the rest); the runner journals them for the length of
	 * each step that may change them (journal.h). */
	if (df->patterned && df->ours)
		return 0;
	if (p->ntouched * p->block > WORKLOAD_MAX_SAVED)
		return -E2BIG;
	p->saved = malloc(p->ntouched * p->block + 1);
	if (!p->saved)
		return -ENOMEM;
	for (size_t i = 0; i < p->ntouched && !err; i++)
		err = datafile_pread_all(df->fd, p->saved + i * p->block, workload_touched_len(p, df, i),
					 p->touched[i]);
	return err;
}

int workload_make_src(struct op_plan *p, const struct config *cfg)
{
	/* 8 bytes more: a prefix sum's partial last word may be loaded whole */
	p->src = backend_alloc_buffer(p->block + 8);
	if (!p->src)
		return -ENOMEM;
	pattern_fill(cfg->seed ^ WORKLOAD_WRITE_SALT, 0, p->src, p->block);
	p->src_sum = consume(p->src, p->block);
	return 0;
}

int workload_src_prefix(struct op_plan *p)
{
	size_t words = p->block / 8;

	p->src_prefix = malloc((words + 1) * sizeof(*p->src_prefix));
	if (!p->src_prefix)
		return -ENOMEM;
	p->src_prefix[0] = 0;
	for (size_t k = 0; k < words; k++)
		p->src_prefix[k + 1] = p->src_prefix[k] + consume_load_le(p->src + 8 * k);
	return 0;
}

int workload_records_file(const char *dir)
{
	char path[4096];
	sigset_t mask;
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600), err;

	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd >= 0 ? fd : -errno;
	if (snprintf(path, sizeof(path), "%s/mmbench-records-XXXXXX", dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	/* gone before a signal can end the process and leave it */
	cleanup_hold(&mask);
	fd = mkstemp(path);
	err = fd < 0 ? -errno : 0;
	if (fd >= 0)
		unlink(path);
	cleanup_release(&mask);
	return err ? err : fd;
}

uint64_t workload_file_seed(uint64_t seed, unsigned i)
{
	return i ? seed ^ (0xbf58476d1ce4e5b9ULL * i) : seed;
}

/* One stream of a plan on the files end to end, as records of the files
 * themselves where wr is, into o: each operation at offset v goes to file
 * v / size at v % size, a write staying a write. */
static int workload_spread_stream(const struct stream *s, uint64_t size,
				  struct stream_ops_writer *wr, struct stream_ops *o)
{
	struct stream_item it;
	struct stream_pos pos;
	int err = 0;

	*o = (struct stream_ops){ .fd = wr->fd, .base = wr->at, .n = stream_ops(s),
				  .bytes = stream_bytes(s) };
	stream_start(s, &pos);
	while (!err && stream_next_item(s, &pos, &it))
		err = stream_ops_put(wr, &(struct stream_op){ .off = it.off % size,
							      .len = (uint32_t)it.len,
							      .file = (uint16_t)(it.off / size),
							      .write = it.write });
	if (!err && s->ops && s->ops->err)
		err = s->ops->err;
	if (!err)
		err = stream_ops_flush(wr);
	return err ? err : stream_ops_ready(o);
}

int workload_spread(struct op_plan *p, const struct config *cfg, const struct datafile *files,
		    unsigned nfiles)
{
	struct stream_ops_writer *wr = calloc(1, sizeof(*wr));
	struct stream_ops *spread = calloc((size_t)2 * CONFIG_MAX_THREADS, sizeof(*spread));
	int err = 0, fd = -1;

	if (!wr || !spread) {
		err = -ENOMEM;
		goto out;
	}
	fd = workload_records_file(cfg->dir ? cfg->dir : "/var/tmp");
	if (fd < 0) {
		err = fd;
		goto out;
	}
	wr->fd = fd;
	p->nfiles = nfiles;
	p->file_base = malloc(nfiles * sizeof(*p->file_base));
	if (!p->file_base)
		err = -ENOMEM;
	for (unsigned f = 0; f < nfiles && !err; f++)
		p->file_base[f] = f * files[0].size;
	/* into records of their own first: a plan whose streams are recorded
	 * already (randrw's) reads its records while these are written */
	for (unsigned w = 0; w < p->threads && !err; w++) {
		err = workload_spread_stream(&p->first[w], files[0].size, wr, &spread[2 * (size_t)w]);
		if (!err)
			err = workload_spread_stream(&p->steady[w], files[0].size, wr,
						     &spread[2 * (size_t)w + 1]);
	}
	if (err) {
		for (unsigned t = 0; t < 2 * CONFIG_MAX_THREADS; t++)
			free(spread[t].chunk);
		close(fd);
		goto out;
	}
	for (unsigned t = 0; t < 2 * CONFIG_MAX_THREADS; t++)
		free(p->recorded[t].chunk);
	if (p->owns_records)
		close(p->records_fd);
	memcpy(p->recorded, spread, (size_t)2 * CONFIG_MAX_THREADS * sizeof(*spread));
	p->owns_records = true;
	p->records_fd = fd;
	for (unsigned w = 0; w < p->threads; w++) {
		p->first[w] = (struct stream){ .ops = &p->recorded[2 * (size_t)w], .block = p->block };
		p->steady[w] = (struct stream){ .ops = &p->recorded[2 * (size_t)w + 1], .block = p->block };
	}
out:
	free(wr);
	free(spread);
	return err;
}

int workload_plan_writes(struct op_plan *p, const struct config *cfg, const struct datafile *df,
			 enum op_kind op)
{
	unsigned char *orig;
	int err = workload_touched(p);

	p->op = op;
	if (!err)
		err = workload_save_touched(p, df);
	if (!err && op == OP_WRITE)
		err = workload_make_src(p, cfg);
	if (err)
		return err;
	orig = malloc(p->block);
	if (!orig)
		return -ENOMEM;
	/* An update reads the original sum plus k per word the k-th time (k
	 * from 0): over c updates, c * sum + words * c(c-1)/2.  A write of
	 * src counts src's sum (a short block at the end of the file: its
	 * first bytes). */
	p->expected_sum = 0;
	for (size_t i = 0; i < p->ntouched; i++) {
		uint64_t c = p->touch_count[i];
		size_t len = workload_touched_len(p, df, i);
		uint64_t sum;

		if (op == OP_WRITE) {
			sum = c * workload_write_sum(p, p->touched[i], len);
		} else {
			workload_original(p, df, p->touched[i], i, orig);
			sum = c * consume(orig, len) + len / 8 * (c * (c - 1) / 2);
		}
		p->expected_sum += sum * workload_weight(p->touched[i]);
	}
	free(orig);
	return 0;
}

/* The files a plan runs on: its nfiles, or the one file of a plan made
 * on one. */
static unsigned workload_plan_files(const struct op_plan *p)
{
	return p->nfiles > 1 ? p->nfiles : 1;
}

int workload_verify_writes(const struct op_plan *p, const struct backend *b, struct backend_ctx *ctx,
			   bool durable, bool *ok)
{
	unsigned char *got = malloc(p->block), *want = malloc(p->block);
	int err = 0;

	if (!got || !want) {
		err = -ENOMEM;
		goto out;
	}
	/* After a sync the pages are clean: dropping them makes the read-back
	 * come from the device, proving the writes reached it. */
	for (unsigned f = 0; durable && !(b->flags & BACKEND_ANON) && f < workload_plan_files(p) && !err;
	     f++)
		err = datafile_evict(ctx[f].df);
	*ok = true;
	for (size_t i = 0; i < p->ntouched && !err && *ok; i++) {
		uint64_t off;
		struct backend_ctx *c = &ctx[workload_touched_file(p, i, &off)];
		size_t len = workload_block_len(p, c->df, off);

		if (b->peek)
			err = b->peek(c, off, len, got);
		else
			err = datafile_pread_all(c->df->fd, got, len, off);
		/* a write's stamp, like its checksum weight, is of the plan's
		 * offset: the files end to end */
		if (op_kind_writes_src(p->op)) {
			memcpy(want, p->src, len);
			consume_store_le(want, workload_write_stamp(p, p->touched[i]));
		} else {
			workload_original(p, c->df, off, i, want);
			consume_increment(want, len, p->touch_count[i]);
		}
		*ok = !memcmp(got, want, len);
	}
out:
	free(got);
	free(want);
	return err;
}

int workload_restore_writes(const struct op_plan *p, const struct datafile *files, uint64_t *failed,
			    size_t *nfailed)
{
	unsigned char *buf = malloc(p->block);
	int err = 0;

	*nfailed = 0;
	if (!buf)
		return -ENOMEM;
	/* a device that refuses one block may take the others: put back all
	 * it takes, and name the rest */
	for (size_t i = 0; i < p->ntouched; i++) {
		uint64_t off;
		const struct datafile *df = &files[workload_touched_file(p, i, &off)];
		int e;

		workload_original(p, df, off, i, buf);
		e = datafile_pwrite_all(df->fd, buf, workload_block_len(p, df, off), off);
		if (!e)
			continue;
		err = err ? err : e;
		if (failed)
			failed[*nfailed] = p->touched[i];
		++*nfailed;
	}
	free(buf);
	/* Leave no dirty pages behind: writing them back would otherwise
	 * land inside the next step's timed region (its fsync or msync, or
	 * background writeback), charging one backend for another's work.
	 * A sync that fails leaves every block in doubt. */
	for (unsigned f = 0; !err && f < workload_plan_files(p); f++)
		if (fdatasync(files[f].fd))
			err = -errno;
	if (err && !*nfailed) {
		for (size_t i = 0; i < p->ntouched; i++, ++*nfailed)
			if (failed)
				failed[i] = p->touched[i];
	}
	return err;
}
