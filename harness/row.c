#include "row.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#include "config.h"
#include "csv.h"
#include "options.h"
#include "sysinfo.h"

enum row_type { ROW_U64, ROW_F2, ROW_F4, ROW_BOOL, ROW_STR };

/* The measurement columns, in CSV order; README documents each one. */
static const struct {
	const char *name;
	enum row_type type;
	size_t offset;
} row_columns[] = {
	{ "rep", ROW_U64, offsetof(struct row, rep) },
	{ "elapsed_ns", ROW_U64, offsetof(struct row, elapsed_ns) },
	{ "first_pass_ns", ROW_U64, offsetof(struct row, first_pass_ns) },
	{ "bytes", ROW_U64, offsetof(struct row, bytes) },
	{ "mib_per_s", ROW_F2, offsetof(struct row, mib_per_s) },
	{ "ops_per_s", ROW_F2, offsetof(struct row, ops_per_s) },
	{ "lat_p50_ns", ROW_U64, offsetof(struct row, lat_p50_ns) },
	{ "lat_p99_ns", ROW_U64, offsetof(struct row, lat_p99_ns) },
	{ "lat_max_ns", ROW_U64, offsetof(struct row, lat_max_ns) },
	{ "lat_samples", ROW_U64, offsetof(struct row, lat_samples) },
	{ "minor_faults", ROW_U64, offsetof(struct row, d.minor_faults) },
	{ "major_faults", ROW_U64, offsetof(struct row, d.major_faults) },
	{ "vol_ctx_switches", ROW_U64, offsetof(struct row, d.vol_ctx_switches) },
	{ "invol_ctx_switches", ROW_U64, offsetof(struct row, d.invol_ctx_switches) },
	{ "user_us", ROW_U64, offsetof(struct row, d.user_us) },
	{ "sys_us", ROW_U64, offsetof(struct row, d.sys_us) },
	{ "dev_read_bytes", ROW_U64, offsetof(struct row, d.dev_read_bytes) },
	{ "dev_write_bytes", ROW_U64, offsetof(struct row, d.dev_write_bytes) },
	{ "resident_before", ROW_F4, offsetof(struct row, resident_before) },
	{ "checksum", ROW_U64, offsetof(struct row, checksum) },
	{ "expected_checksum", ROW_U64, offsetof(struct row, expected_checksum) },
	{ "verified", ROW_BOOL, offsetof(struct row, verified) },
	{ "verify_source", ROW_STR, offsetof(struct row, verify_source) },
	{ "clock_overhead_ns", ROW_F2, offsetof(struct row, clock_overhead_ns) },
};

static const char *const row_context[] = { "run_id", "timestamp", "host", "cpu_model", "kernel",
					   "fs_type" };

int row_header(struct csv_line *l)
{
	int err = 0;

	for (size_t i = 0; i < sizeof(row_context) / sizeof(row_context[0]); i++)
		err |= csv_add(l, row_context[i]);
	for (size_t i = 0; i < options_count; i++)
		if (options[i].csv)
			err |= csv_add(l, options[i].csv);
	err |= csv_add(l, "mmbench_version");
	for (size_t i = 0; i < sizeof(row_columns) / sizeof(row_columns[0]); i++)
		err |= csv_add(l, row_columns[i].name);
	return err;
}

int row_open_csv(const char *path, int *fd)
{
	struct csv_line header = { 0 };
	int err = row_header(&header);

	if (err) {
		csv_line_free(&header);
		return -ENOMEM;
	}
	if (path) {
		*fd = csv_open(path, header.buf);
		err = *fd < 0 ? *fd : 0;
	} else {
		*fd = STDOUT_FILENO;
		err = csv_write(*fd, &header);
	}
	csv_line_free(&header);
	return err;
}

int row_format(const struct row *r, struct csv_line *l)
{
	int err = 0;

	err |= csv_add(l, r->run_id);
	err |= csv_add(l, r->timestamp);
	err |= csv_add(l, r->si->host);
	err |= csv_add(l, r->si->cpu_model);
	err |= csv_add(l, r->si->kernel);
	err |= csv_add(l, r->si->fs_type);
	for (size_t i = 0; i < options_count; i++) {
		char value[1024];

		if (!options[i].csv)
			continue;
		options_format(r->cfg, &options[i], value, sizeof(value));
		err |= csv_add(l, value);
	}
	err |= csv_add(l, r->si->version);
	for (size_t i = 0; i < sizeof(row_columns) / sizeof(row_columns[0]); i++) {
		const void *p = (const char *)r + row_columns[i].offset;

		switch (row_columns[i].type) {
		case ROW_U64:
			err |= csv_add_u64(l, *(const uint64_t *)p);
			break;
		case ROW_F2:
			err |= csv_addf(l, "%.2f", *(const double *)p);
			break;
		case ROW_F4:
			err |= csv_addf(l, "%.4f", *(const double *)p);
			break;
		case ROW_BOOL:
			err |= csv_add(l, *(const bool *)p ? "1" : "0");
			break;
		case ROW_STR:
			err |= csv_add(l, *(const char *const *)p ? *(const char *const *)p : "");
			break;
		}
	}
	return err;
}

void row_derive_rates(struct row *r)
{
	double secs = (double)r->elapsed_ns / 1e9;

	r->mib_per_s = secs > 0 ? (double)r->bytes / (1024.0 * 1024.0) / secs : 0;
	r->ops_per_s = secs > 0 ? (double)r->ops / secs : 0;
}
