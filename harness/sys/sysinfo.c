#include "sys/sysinfo.h"

#include <dirent.h>
#include <errno.h>
#include <libcpuid.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sys/datafile.h"
#include "sys/folio.h"
#include "sys/memlimit.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/parse.h"
#include "util/version.h"

/* Copy the first line of a small file into buf; false when unreadable. */
static bool sysinfo_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

static bool sysinfo_from_libcpuid(struct sysinfo *si)
{
	struct cpu_raw_data_t raw;
	struct cpu_id_t id;

	if (!cpuid_present() || cpuid_get_raw_data(&raw) || cpu_identify(&raw, &id))
		return false;
	snprintf(si->cpu_vendor, sizeof(si->cpu_vendor), "%s", id.vendor_str);
	snprintf(si->cpu_model, sizeof(si->cpu_model), "%s", parse_trim(id.brand_str));
	si->cores = id.num_cores;
	si->logical_cpus = id.num_logical_cpus;
	si->l1d_kb = id.l1_data_cache;
	si->l2_kb = id.l2_cache;
	si->l3_kb = id.l3_cache;
	si->cacheline = id.l1_data_cacheline > 0 ? id.l1_data_cacheline : id.l1_cacheline;
	snprintf(si->cpu_source, sizeof(si->cpu_source), "libcpuid");
	return si->cpu_model[0] != '\0';
}

static void sysinfo_from_proc(struct sysinfo *si)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "re");

	snprintf(si->cpu_source, sizeof(si->cpu_source), "/proc/cpuinfo");
	si->logical_cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		char *key, *val;

		if (!colon)
			continue;
		*colon = '\0';
		key = parse_trim(line);
		val = parse_trim(colon + 1);
		if (!strcmp(key, "vendor_id") && !si->cpu_vendor[0])
			snprintf(si->cpu_vendor, sizeof(si->cpu_vendor), "%s", val);
		else if (!strcmp(key, "model name") && !si->cpu_model[0])
			snprintf(si->cpu_model, sizeof(si->cpu_model), "%s", val);
		else if (!strcmp(key, "cpu cores") && si->cores <= 0)
			si->cores = atoi(val);
	}
	fclose(f);
}

/* Filesystem names by statfs() magic number, for when mountinfo does not
 * show the mount (in a chroot it lists only mounts under the new root). */
static const struct {
	unsigned long magic;
	const char *name;
} sysinfo_fs_magic[] = {
	{ 0xEF53, "ext2/3/4" },	    { 0x58465342, "xfs" },   { 0x9123683E, "btrfs" },
	{ 0x01021994, "tmpfs" },    { 0x6969, "nfs" },	     { 0x794C7630, "overlay" },
	{ 0x2FC12FC1, "zfs" },	    { 0xF2F52010, "f2fs" },  { 0x65735546, "fuse" },
	{ 0x858458F6, "ramfs" },    { 0x4D44, "vfat" },	     { 0x5346544E, "ntfs" },
	{ 0xCA451A4E, "bcachefs" },
};

static void sysinfo_statfs(struct sysinfo *si, const char *path)
{
	struct statfs sf;

	if (statfs(path, &sf))
		return;
	for (size_t i = 0; i < sizeof(sysinfo_fs_magic) / sizeof(sysinfo_fs_magic[0]); i++) {
		if ((unsigned long)sf.f_type == sysinfo_fs_magic[i].magic) {
			snprintf(si->fs_type, sizeof(si->fs_type), "%s", sysinfo_fs_magic[i].name);
			return;
		}
	}
	snprintf(si->fs_type, sizeof(si->fs_type), "0x%lx", (unsigned long)sf.f_type);
}

static void sysinfo_commas_to_spaces(char *s)
{
	for (char *c = s; (c = strchr(c, ','));)
		*c = ' ';
}

/* Filesystem type, source device and mount options of path, from
 * /proc/self/mountinfo: the mount whose device number matches the file's,
 * last one wins (the topmost mount). */
static void sysinfo_filesystem(struct sysinfo *si, const char *path, dev_t *dev)
{
	struct stat st;
	char line[4096], real[PATH_MAX];
	size_t matched = 0; /* SIZE_MAX once a device number matched */
	FILE *f;

	if (!path || stat(path, &st))
		return;
	*dev = st.st_dev;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return;
	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	while (fgets(line, sizeof(line), f)) {
		unsigned maj, min;
		char *sep = strstr(line, " - ");
		char fstype[64], source[256], mount_opts[256], super_opts[256], point[PATH_MAX];
		size_t plen;

		if (!sep || sscanf(line, "%*s %*s %u:%u %*s %4095s %255s", &maj, &min, point,
				   mount_opts) != 4)
			continue;
		/* btrfs gives each subvolume's files a device number of its own,
		 * which no mount line has: then the deepest mount point above
		 * the file (mount points with spaces are \040-escaped: missed) */
		plen = strlen(point);
		if (makedev(maj, min) == st.st_dev)
			matched = SIZE_MAX;
		else if (matched != SIZE_MAX && plen >= matched && !strncmp(real, point, plen) &&
			 (real[plen] == '/' || real[plen] == '\0' || plen == 1))
			matched = plen;
		else
			continue;
		if (sscanf(sep + 3, "%63s %255s %255s", fstype, source, super_opts) != 3)
			continue;
		snprintf(si->fs_type, sizeof(si->fs_type), "%s", fstype);
		snprintf(si->device, sizeof(si->device), "%s", source);
		/* spaces for mountinfo's commas: a column that plain `cut -d,`
		 * and awk -F, can read, as every other column of a row */
		sysinfo_commas_to_spaces(mount_opts);
		sysinfo_commas_to_spaces(super_opts);
		snprintf(si->fs_mount_options, sizeof(si->fs_mount_options), "%s / %s", mount_opts,
			 super_opts);
	}
	fclose(f);
}

/* Read-ahead of the device behind dev (its own queue, or its parent's when
 * dev is a partition), and its name when still unknown. */
static void sysinfo_read_ahead(struct sysinfo *si, dev_t dev)
{
	static const char *const fmts[] = {
		"/sys/dev/block/%u:%u/queue/read_ahead_kb",
		"/sys/dev/block/%u:%u/../queue/read_ahead_kb",
	};
	char path[128], val[64];

	for (unsigned i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), fmts[i], major(dev), minor(dev));
		if (sysinfo_read_line(path, val, sizeof(val))) {
			si->read_ahead_kb = atol(val);
			break;
		}
	}
	/* The device's name, when mountinfo did not give it (a chroot). */
	if (!strcmp(si->device, "unknown")) {
		char line[128];
		FILE *f;

		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/uevent", major(dev), minor(dev));
		f = fopen(path, "re");
		while (f && fgets(line, sizeof(line), f)) {
			if (!strncmp(line, "DEVNAME=", 8)) {
				line[strcspn(line, "\n")] = '\0';
				snprintf(si->device, sizeof(si->device), "/dev/%s", line + 8);
			}
		}
		if (f)
			fclose(f);
	}
}

static void sysinfo_thp(struct sysinfo *si)
{
	char line[256], *open, *close;

	if (!sysinfo_read_line("/sys/kernel/mm/transparent_hugepage/enabled", line, sizeof(line)))
		return;
	open = strchr(line, '[');
	close = open ? strchr(open, ']') : NULL;
	if (open && close) {
		*close = '\0';
		snprintf(si->thp, sizeof(si->thp), "%s", open + 1);
	}
}

static int sysinfo_is_mthp(const struct dirent *e)
{
	return !strncmp(e->d_name, "hugepages-", 10);
}

static int sysinfo_by_size(const struct dirent **a, const struct dirent **b)
{
	long x = atol((*a)->d_name + 10), y = atol((*b)->d_name + 10);

	return (x > y) - (x < y);
}

/* The multi-size THP entries: "64kB:never 2048kB:inherit ...", sizes in
 * the kernel's order.  They govern anonymous memory; the page cache builds
 * large folios where the filesystem supports them, which the probe below
 * measures. */
static void sysinfo_mthp(struct sysinfo *si)
{
	const char *dir = "/sys/kernel/mm/transparent_hugepage";
	struct dirent **names;
	size_t used = 0;
	int n = scandir(dir, &names, sysinfo_is_mthp, sysinfo_by_size);

	strcpy(si->mthp, "none");
	for (int i = 0; i < n; i++) {
		char path[512], line[256], *open, *close;

		snprintf(path, sizeof(path), "%s/%s/enabled", dir, names[i]->d_name);
		if (used < sizeof(si->mthp) && sysinfo_read_line(path, line, sizeof(line))) {
			open = strchr(line, '[');
			close = open ? strchr(open, ']') : NULL;
			if (close)
				*close = '\0';
			used += (size_t)snprintf(si->mthp + used, sizeof(si->mthp) - used, "%s%s:%s",
						 used ? " " : "", names[i]->d_name + 10,
						 open ? open + 1 : "?");
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

void sysinfo_probe_folios(struct sysinfo *si, const char *path)
{
	struct datafile df;
	struct folio_stats st;
	struct stat sb;
	char dir[4096];
	int err;

	snprintf(si->large_folios, sizeof(si->large_folios), "unknown");
	if (!path)
		return;
	snprintf(dir, sizeof(dir), "%s", path);
	if (stat(dir, &sb) || !S_ISDIR(sb.st_mode)) {
		char *slash = strrchr(dir, '/');

		if (slash && slash != dir)
			*slash = '\0';
		else
			snprintf(dir, sizeof(dir), slash ? "/" : ".");
	}
	if (datafile_create(&df, dir, SYSINFO_PROBE_SIZE, 1, true)) {
		snprintf(si->large_folios, sizeof(si->large_folios),
			 "unknown: cannot write a probe file in '%.80s'", dir);
		return;
	}
	err = fsync(df.fd) ? -errno : datafile_evict(&df);
	if (!err)
		err = datafile_warm(&df);
	if (!err)
		err = folio_inspect(df.fd, df.size, &st);
	datafile_close(&df);
	if (err == -EPERM || err == -EACCES)
		snprintf(si->large_folios, sizeof(si->large_folios),
			 "unknown: /proc/kpageflags needs root");
	else if (err || isnan(st.large))
		snprintf(si->large_folios, sizeof(si->large_folios), "unknown: %s",
			 err ? strerror(-err) : "nothing cached");
	else
		snprintf(si->large_folios, sizeof(si->large_folios),
			 "%s: a %d MiB file read in order: %.0f%% in large folios, median %.0f KiB",
			 st.large > 0.5 ? "yes" : "no", SYSINFO_PROBE_SIZE >> 20, 100 * st.large,
			 st.median_bytes / 1024);
}

void sysinfo_collect(struct sysinfo *si, const char *path)
{
	struct utsname u;
	const char *label;
	dev_t dev = 0;

	memset(si, 0, sizeof(*si));
	si->cores = si->logical_cpus = -1;
	si->l1d_kb = si->l2_kb = si->l3_kb = si->cacheline = -1;
	si->read_ahead_kb = -1;
	strcpy(si->fs_type, "unknown");
	strcpy(si->device, "unknown");
	strcpy(si->fs_mount_options, "unknown");
	strcpy(si->thp, "unknown");
	/* MMBENCH_HOST names the machine in the results instead of its host
	 * name: a fleet sweep passes each host's inventory name, so two
	 * machines that share a host name (clones, containers) stay apart. */
	label = getenv("MMBENCH_HOST");
	if (label && *label)
		snprintf(si->host, sizeof(si->host), "%s", label);
	else if (gethostname(si->host, sizeof(si->host)))
		strcpy(si->host, "unknown");
	if (!uname(&u))
		snprintf(si->kernel, sizeof(si->kernel), "%s", u.release);
	if (!sysinfo_from_libcpuid(si))
		sysinfo_from_proc(si);
	if (!si->cpu_model[0])
		strcpy(si->cpu_model, "unknown");
	si->page_size = sysconf(_SC_PAGESIZE);
	si->mem_total = (uint64_t)sysconf(_SC_PHYS_PAGES) * (uint64_t)si->page_size;
	sysinfo_filesystem(si, path, &dev);
	if (path && !strcmp(si->fs_type, "unknown"))
		sysinfo_statfs(si, path);
	if (dev)
		sysinfo_read_ahead(si, dev);
	sysinfo_thp(si);
	sysinfo_mthp(si);
	snprintf(si->large_folios, sizeof(si->large_folios), "not probed");
	memlimit_describe(si->mem_limit, sizeof(si->mem_limit));
#ifdef __VERSION__
	snprintf(si->compiler, sizeof(si->compiler), "%s %s",
#ifdef __clang__
		 "clang",
#else
		 "gcc",
#endif
		 __VERSION__);
#endif
	snprintf(si->version, sizeof(si->version), "%s", MMBENCH_VERSION);
	si->clock_res_ns = clock_resolution_ns();
	si->clock_overhead_ns = clock_overhead_ns();
}

void sysinfo_print(const struct sysinfo *si, FILE *f)
{
	fprintf(f, "host:              %s\n", si->host);
	fprintf(f, "cpu:               %s (%s)\n", si->cpu_model, si->cpu_vendor);
	fprintf(f, "cpu source:        %s\n", si->cpu_source);
	fprintf(f, "cores / logical:   %d / %d\n", si->cores, si->logical_cpus);
	fprintf(f, "L1d / L2 / L3:     %d / %d / %d KiB\n", si->l1d_kb, si->l2_kb, si->l3_kb);
	fprintf(f, "cache line:        %d bytes\n", si->cacheline);
	fprintf(f, "kernel:            %s\n", si->kernel);
	fprintf(f, "page size:         %ld bytes\n", si->page_size);
	fprintf(f, "memory:            %llu MiB\n", (unsigned long long)(si->mem_total >> 20));
	fprintf(f, "filesystem:        %s on %s (%s)\n", si->fs_type, si->device, si->fs_mount_options);
	fprintf(f, "read-ahead:        %ld KiB\n", si->read_ahead_kb);
	fprintf(f, "transparent hp:    %s\n", si->thp);
	fprintf(f, "multi-size thp:    %s\n", si->mthp);
	fprintf(f, "large folios:      %s\n", si->large_folios);
	fprintf(f, "memory limit:      %s\n", si->mem_limit);
	fprintf(f, "clock:             resolution %llu ns, overhead %.1f ns per read\n",
		(unsigned long long)si->clock_res_ns, si->clock_overhead_ns);
	fprintf(f, "compiler:          %s\n", si->compiler);
	fprintf(f, "mmbench:           %s\n", si->version);
}

void sysinfo_print_json(const struct sysinfo *si, FILE *f)
{
	const struct {
		const char *key, *val;
	} strs[] = {
		{ "host", si->host },		{ "kernel", si->kernel },
		{ "cpu_vendor", si->cpu_vendor }, { "cpu_model", si->cpu_model },
		{ "cpu_source", si->cpu_source }, { "fs_type", si->fs_type },
		{ "device", si->device },	{ "fs_mount_options", si->fs_mount_options },
		{ "thp", si->thp },
		{ "mthp", si->mthp },		{ "large_folios", si->large_folios },
		{ "mem_limit", si->mem_limit },
		{ "compiler", si->compiler },	{ "mmbench_version", si->version },
	};
	const struct {
		const char *key;
		long long val;
	} nums[] = {
		{ "cores", si->cores },
		{ "logical_cpus", si->logical_cpus },
		{ "l1d_kib", si->l1d_kb },
		{ "l2_kib", si->l2_kb },
		{ "l3_kib", si->l3_kb },
		{ "cacheline_bytes", si->cacheline },
		{ "page_size_bytes", si->page_size },
		{ "mem_total_bytes", (long long)si->mem_total },
		{ "read_ahead_kib", si->read_ahead_kb },
		{ "clock_resolution_ns", (long long)si->clock_res_ns },
	};

	fputs("{\n", f);
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		fprintf(f, "  \"%s\": ", strs[i].key);
		json_write_string(f, strs[i].val);
		fputs(",\n", f);
	}
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		fprintf(f, "  \"%s\": %lld,\n", nums[i].key, nums[i].val);
	fprintf(f, "  \"clock_overhead_ns\": %.2f\n}\n", si->clock_overhead_ns);
}
