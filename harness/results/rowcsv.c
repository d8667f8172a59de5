/* rowcsv.c - rows as CSV lines, in the registry's column order. */
#include "results/rowcsv.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/options.h"
#include "core/backend.h"
#include "core/config.h"
#include "core/option.h"
#include "core/workload.h"
#include "results/columns.h"
#include "results/row.h"
#include "sys/sysinfo.h"
#include "util/csv.h"

int rowcsv_header(struct csv_line *l)
{
	int err = 0;

	for (size_t i = 0; i < columns_count(); i++)
		err |= csv_add(l, columns_at(i)->name);
	return err;
}

int rowcsv_open(const char *path, int *fd)
{
	struct csv_line header = { 0 };
	int err = rowcsv_header(&header);

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

int rowcsv_check(const char *path)
{
	struct csv_line header = { 0 };
	int err = rowcsv_header(&header);

	if (!err)
		err = csv_check(path, header.buf);
	csv_line_free(&header);
	return err;
}

/* The value of a context column. */
static const char *rowcsv_context(const struct row *r, const char *name)
{
	if (!strcmp(name, "run_id"))
		return r->run_id;
	if (!strcmp(name, "timestamp"))
		return r->timestamp;
	if (!strcmp(name, "host"))
		return r->si->host;
	if (!strcmp(name, "cpu_model"))
		return r->si->cpu_model;
	if (!strcmp(name, "kernel"))
		return r->si->kernel;
	if (!strcmp(name, "fs_type"))
		return r->si->fs_type;
	if (!strcmp(name, "fs_mount_options"))
		return r->si->fs_mount_options;
	return r->si->version; /* mmbench_version */
}

int rowcsv_add_param(const struct row *r, const struct column *c, struct csv_line *l)
{
	char value[1024];

	/* not applicable: a backend's own option in another backend's row, a
	 * workload's own in another workload's */
	if ((columns_is_series(c) && !backend_takes(r->cfg->backends[0], c->option)) ||
	    (OPTF_WORKLOAD_FLAGS(c->option->flags) &&
	     !(r->cfg->workloads[0]->flags & OPTF_WORKLOAD_FLAGS(c->option->flags))))
		snprintf(value, sizeof(value), "%s", COLUMNS_NOT_APPLICABLE);
	else
		options_format(r->cfg, c->option, value, sizeof(value));
	return csv_add(l, value);
}

int rowcsv_format(const struct row *r, struct csv_line *l)
{
	int err = 0;

	for (size_t i = 0; i < columns_count(); i++) {
		const struct column *c = columns_at(i);
		const void *p = (const char *)r + c->offset;

		if (c->group == COLUMN_CONTEXT) {
			err |= csv_add(l, rowcsv_context(r, c->name));
			continue;
		}
		if (c->group == COLUMN_PARAM) {
			err |= rowcsv_add_param(r, c, l);
			continue;
		}
		switch (c->type) {
		case COLUMN_U64:
			err |= csv_add_u64(l, *(const uint64_t *)p);
			break;
		case COLUMN_F0:
		case COLUMN_F2:
		case COLUMN_F4:
			/* a value that could not be measured says so */
			if (isnan(*(const double *)p))
				err |= csv_add(l, "unknown");
			else
				err |= csv_addf(l, "%.*f", c->type == COLUMN_F0 ? 0 : c->type == COLUMN_F2 ? 2 : 4,
						*(const double *)p);
			break;
		case COLUMN_BOOL:
			err |= csv_add(l, *(const bool *)p ? "1" : "0");
			break;
		case COLUMN_STR:
			err |= csv_add(l, *(const char *const *)p ? *(const char *const *)p : "");
			break;
		}
	}
	return err;
}

