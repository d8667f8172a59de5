/*
 * sqlite-bench.c - the SQLite engine of `make engines` (docs/engines.md):
 * one table, then random point lookups by rowid or a full scan, with
 * SQLite reading its pages through read() (PRAGMA mmap_size=0) or through
 * a mapping (mmap_size=2147418112, SQLite's cap on Linux), every row it
 * returns checked against how it was generated.
 *
 *   sqlite-bench create DB ROWS [--value-size N] [--seed S]
 *   sqlite-bench lookups DB --ops N [--mmap 0|1] [--seed Q]
 *   sqlite-bench scan DB [--mmap 0|1]
 *
 * Row i (1..ROWS) holds a blob of N bytes drawn from splitmix64 seeded by
 * S and i; meta(seed, value_size, rows, scan_sum) records how, and the
 * checksum a full scan must return.  A row's checksum is the sum of its
 * 64-bit words, each weighted by an odd number from its position, plus its
 * rowid times a constant: a wrong byte, a row returned for another rowid,
 * or a short row each changes it.  lookups draws its rowids (splitmix64 of
 * Q) and computes their expected checksum before the timer; scan compares
 * against meta's.  A mismatch names the first wrong row and exits 1.
 * The timed region holds the queries and the checksum of what they return,
 * nothing else; the page cache SQLite keeps itself is 2 MiB (cache_size),
 * far below the table, so its reads reach the file.
 *
 * Prints "sqlite-bench lookups: OPS ops in SECS s: RATE ops/sec (mmap_size
 * M, checksum C verified)", for mmbench exec --metric '([0-9.]+) ops/sec'.
 */
#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MMAP_ON 2147418112LL /* SQLITE_MAX_MMAP_SIZE's default on Linux */
#define CACHE_KIB 2048	     /* SQLite's own page cache: 2 MiB */
#define ROWID_WEIGHT 0x9e3779b97f4a7c15ULL

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Row i's value, as create writes it: len bytes from splitmix64(seed, i). */
static void gen_value(uint64_t seed, int64_t i, unsigned char *v, size_t len)
{
	uint64_t s = seed ^ ((uint64_t)i * 0xd1b54a32d192ed03ULL);

	for (size_t k = 0; k < len; k += 8) {
		uint64_t w = splitmix64(&s);

		memcpy(v + k, &w, len - k < 8 ? len - k : 8);
	}
}

/* A row's checksum: every 8-byte word (the tail zero-padded) times an odd
 * weight of its place, the length, and the rowid. */
static uint64_t row_sum(int64_t rowid, const unsigned char *v, size_t len)
{
	uint64_t sum = (uint64_t)len * 0xff51afd7ed558ccdULL + (uint64_t)rowid * ROWID_WEIGHT;

	for (size_t k = 0; k < len; k += 8) {
		uint64_t w = 0;

		memcpy(&w, v + k, len - k < 8 ? len - k : 8);
		sum += w * (2 * (uint64_t)(k / 8) + 1);
	}
	return sum;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "sqlite-bench: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
	return 1;
}

static int usage(void)
{
	fputs("usage: sqlite-bench create DB ROWS [--value-size N] [--seed S]\n"
	      "       sqlite-bench lookups DB --ops N [--mmap 0|1] [--seed Q]\n"
	      "       sqlite-bench scan DB [--mmap 0|1]\n",
	      stderr);
	return 2;
}

/* A whole unsigned number, or false. */
static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !*end && !errno;
}

struct meta {
	uint64_t seed, value_size, rows, scan_sum;
};

static int cmd_create(const char *path, uint64_t rows, uint64_t value_size, uint64_t seed)
{
	unsigned char *v = malloc(value_size);
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL;
	uint64_t scan_sum = 0;
	char sql[256];
	int rc = 1;

	if (!v)
		return fail(NULL, "create");
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) ||
	    sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
			     "CREATE TABLE t(v BLOB NOT NULL);"
			     "CREATE TABLE meta(seed INTEGER, value_size INTEGER, rows INTEGER,"
			     " scan_sum INTEGER); BEGIN;",
			 NULL, NULL, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO t(rowid, v) VALUES (?, ?)", -1, &ins, NULL)) {
		fail(db, path);
		goto out;
	}
	for (int64_t i = 1; i <= (int64_t)rows; i++) {
		gen_value(seed, i, v, value_size);
		scan_sum += row_sum(i, v, value_size);
		sqlite3_bind_int64(ins, 1, i);
		sqlite3_bind_blob(ins, 2, v, (int)value_size, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fail(db, "insert");
			goto out;
		}
		sqlite3_reset(ins);
	}
	/* unsigned sums kept as the signed 64-bit integers SQLite stores */
	snprintf(sql, sizeof(sql), "INSERT INTO meta VALUES (%" PRId64 ", %" PRIu64 ", %" PRIu64
		 ", %" PRId64 "); COMMIT;",
		 (int64_t)seed, value_size, rows, (int64_t)scan_sum);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL)) {
		fail(db, "commit");
		goto out;
	}
	printf("sqlite-bench create: %" PRIu64 " rows of %" PRIu64 " bytes in '%s'\n", rows,
	       value_size, path);
	rc = 0;
out:
	sqlite3_finalize(ins);
	sqlite3_close(db);
	free(v);
	return rc;
}

/* Open DB read-only with the page cache at CACHE_KIB and mmap_size as
 * asked, checked: SQLite may cap it, and a mode that did not take is no
 * measurement of it.  Reads meta. */
static sqlite3 *open_db(const char *path, int64_t mmap_size, struct meta *m)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char sql[128];
	int64_t got = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL)) {
		fail(db, path);
		sqlite3_close(db);
		return NULL;
	}
	snprintf(sql, sizeof(sql), "PRAGMA cache_size=-%d; PRAGMA mmap_size=%" PRId64 ";",
		 CACHE_KIB, mmap_size);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) ||
	    sqlite3_prepare_v2(db, "PRAGMA mmap_size", -1, &st, NULL) ||
	    sqlite3_step(st) != SQLITE_ROW)
		goto fail;
	got = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (got != mmap_size) {
		fprintf(stderr, "sqlite-bench: PRAGMA mmap_size=%" PRId64 " gave %" PRId64
			" (a SQLite built with a lower SQLITE_MAX_MMAP_SIZE)\n", mmap_size, got);
		sqlite3_close(db);
		return NULL;
	}
	if (sqlite3_prepare_v2(db, "SELECT seed, value_size, rows, scan_sum FROM meta", -1, &st,
			       NULL) ||
	    sqlite3_step(st) != SQLITE_ROW)
		goto fail;
	m->seed = (uint64_t)sqlite3_column_int64(st, 0);
	m->value_size = (uint64_t)sqlite3_column_int64(st, 1);
	m->rows = (uint64_t)sqlite3_column_int64(st, 2);
	m->scan_sum = (uint64_t)sqlite3_column_int64(st, 3);
	sqlite3_finalize(st);
	if (!m->rows || !m->value_size) {
		fprintf(stderr, "sqlite-bench: '%s' has no rows (make it with sqlite-bench create)\n",
			path);
		sqlite3_close(db);
		return NULL;
	}
	return db;
fail:
	fail(db, path);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return NULL;
}

/* After a checksum that did not match: the first row that does not hold
 * what was generated, said on stderr (untimed). */
static void name_wrong_row(sqlite3 *db, const struct meta *m, const int64_t *ids, uint64_t n)
{
	unsigned char *v = malloc(m->value_size);
	sqlite3_stmt *st = NULL;

	if (!v || sqlite3_prepare_v2(db, "SELECT v FROM t WHERE rowid = ?", -1, &st, NULL))
		goto out;
	for (uint64_t k = 0; k < n; k++) {
		int64_t id = ids ? ids[k] : (int64_t)k + 1;
		const void *got;
		int len;

		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) != SQLITE_ROW) {
			fprintf(stderr, "sqlite-bench: row %" PRId64 " is missing\n", id);
			goto out;
		}
		got = sqlite3_column_blob(st, 0);
		len = sqlite3_column_bytes(st, 0);
		gen_value(m->seed, id, v, m->value_size);
		if ((uint64_t)len != m->value_size || memcmp(got, v, m->value_size)) {
			fprintf(stderr, "sqlite-bench: row %" PRId64 " does not hold what was "
				"generated for it (%d bytes, %" PRIu64 " expected)\n", id, len,
				m->value_size);
			goto out;
		}
		sqlite3_reset(st);
	}
out:
	sqlite3_finalize(st);
	free(v);
}

static int report(const char *what, uint64_t ops, double secs, int64_t mmap_size, uint64_t sum,
		  uint64_t expected)
{
	if (sum != expected) {
		fprintf(stderr, "sqlite-bench %s: checksum %" PRIu64 ", expected %" PRIu64
			": a row is not what was generated\n", what, sum, expected);
		return 1;
	}
	printf("sqlite-bench %s: %" PRIu64 " ops in %.6f s: %.1f ops/sec (mmap_size %" PRId64
	       ", checksum %" PRIu64 " verified)\n", what, ops, secs, (double)ops / secs, mmap_size,
	       sum);
	return 0;
}

static int cmd_lookups(const char *path, int64_t mmap_size, uint64_t ops, uint64_t qseed)
{
	struct meta m;
	sqlite3 *db = open_db(path, mmap_size, &m);
	sqlite3_stmt *st = NULL;
	int64_t *ids = NULL;
	unsigned char *v = NULL;
	uint64_t expected = 0, sum = 0, s = qseed;
	double t0, t1;
	int rc = 1;

	if (!db)
		return 1;
	ids = malloc(ops * sizeof(*ids));
	v = malloc(m.value_size);
	if (!ids || !v) {
		fail(NULL, "lookups");
		goto out;
	}
	/* the rowids and what they must return, before the timer */
	for (uint64_t k = 0; k < ops; k++) {
		ids[k] = (int64_t)(splitmix64(&s) % m.rows) + 1;
		gen_value(m.seed, ids[k], v, m.value_size);
		expected += row_sum(ids[k], v, m.value_size);
	}
	if (sqlite3_prepare_v2(db, "SELECT v FROM t WHERE rowid = ?", -1, &st, NULL)) {
		fail(db, "prepare");
		goto out;
	}
	t0 = now_s();
	for (uint64_t k = 0; k < ops; k++) {
		sqlite3_bind_int64(st, 1, ids[k]);
		if (sqlite3_step(st) == SQLITE_ROW)
			sum += row_sum(ids[k], sqlite3_column_blob(st, 0),
				       (size_t)sqlite3_column_bytes(st, 0));
		sqlite3_reset(st);
	}
	t1 = now_s();
	rc = report("lookups", ops, t1 - t0, mmap_size, sum, expected);
	if (rc)
		name_wrong_row(db, &m, ids, ops);
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(ids);
	free(v);
	return rc;
}

static int cmd_scan(const char *path, int64_t mmap_size)
{
	struct meta m;
	sqlite3 *db = open_db(path, mmap_size, &m);
	sqlite3_stmt *st = NULL;
	uint64_t sum = 0, n = 0;
	double t0, t1;
	int rc = 1, step;

	if (!db)
		return 1;
	if (sqlite3_prepare_v2(db, "SELECT rowid, v FROM t ORDER BY rowid", -1, &st, NULL)) {
		fail(db, "prepare");
		goto out;
	}
	t0 = now_s();
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		sum += row_sum(sqlite3_column_int64(st, 0), sqlite3_column_blob(st, 1),
			       (size_t)sqlite3_column_bytes(st, 1));
		n++;
	}
	t1 = now_s();
	if (step != SQLITE_DONE) {
		fail(db, "scan");
		goto out;
	}
	/* a missing row changes the sum too; the count says which it was */
	if (n != m.rows)
		fprintf(stderr, "sqlite-bench scan: %" PRIu64 " rows, %" PRIu64 " expected\n", n,
			m.rows);
	rc = report("scan", n, t1 - t0, mmap_size, sum, n == m.rows ? m.scan_sum : ~sum);
	if (rc)
		name_wrong_row(db, &m, NULL, m.rows);
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

int main(int argc, char **argv)
{
	uint64_t value_size = 400, seed = 1, ops = 0, mmap_on = 0, rows = 0;
	bool have_ops = false;
	int first = 3;

	if (argc < 3)
		return usage();
	if (!strcmp(argv[1], "create")) {
		if (argc < 4 || !parse_u64(argv[3], &rows) || !rows)
			return usage();
		first = 4;
	}
	for (int i = first; i < argc; i++) {
		uint64_t *to = !strcmp(argv[i], "--value-size") ? &value_size
			       : !strcmp(argv[i], "--seed")	  ? &seed
			       : !strcmp(argv[i], "--ops")	  ? &ops
			       : !strcmp(argv[i], "--mmap")	  ? &mmap_on
								  : NULL;

		if (!to || i + 1 == argc || !parse_u64(argv[i + 1], to)) {
			fprintf(stderr, "sqlite-bench: invalid option '%s'%s%s\n", argv[i],
				i + 1 < argc ? " " : "", i + 1 < argc ? argv[i + 1] : "");
			return usage();
		}
		have_ops |= to == &ops;
		i++;
	}
	if (mmap_on > 1 || !value_size || value_size > 1000000)
		return usage();
	if (!strcmp(argv[1], "create"))
		return cmd_create(argv[2], rows, value_size, seed);
	if (!strcmp(argv[1], "lookups"))
		return have_ops && ops ? cmd_lookups(argv[2], mmap_on ? MMAP_ON : 0, ops, seed)
				       : usage();
	if (!strcmp(argv[1], "scan"))
		return cmd_scan(argv[2], mmap_on ? MMAP_ON : 0);
	return usage();
}
