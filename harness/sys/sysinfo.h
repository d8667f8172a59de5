/*
 * sysinfo.h - the machine a result was measured on, recorded with every run:
 * CPU (from libcpuid, or /proc/cpuinfo when libcpuid cannot identify it),
 * caches, kernel, memory, the file's filesystem and device, read-ahead,
 * transparent huge pages, the timer, and how mmbench was built.
 */
#ifndef MMBENCH_SYSINFO_H
#define MMBENCH_SYSINFO_H

#include <stdint.h>
#include <stdio.h>

struct sysinfo {
	char host[256];
	char kernel[256];
	char cpu_vendor[64];
	char cpu_model[128];
	char cpu_source[32]; /* "libcpuid" or "/proc/cpuinfo" */
	int cores, logical_cpus;
	int l1d_kb, l2_kb, l3_kb, cacheline; /* -1 when unknown */
	long page_size;
	uint64_t mem_total;
	char fs_type[64];     /* of the measured file's filesystem */
	char device[256];     /* its block device, where one can be found */
	/* its mount's options, then the filesystem's own ("rw relatime /
	 * rw errors=remount-ro"): mountinfo's fields 6 and 11, commas as spaces */
	char fs_mount_options[2 * 256 + 4];
	long read_ahead_kb;   /* -1 when unknown */
	char thp[32];	      /* transparent_hugepage/enabled, the selected mode */
	char mthp[512];	      /* hugepages-*kB/enabled: each size and its mode */
	char large_folios[128]; /* does a file read in order land in large folios here? */
	char mem_limit[512];	/* what --mem-limit would use here (memlimit_describe) */
	char compiler[128];
	char version[32];
	uint64_t clock_res_ns;
	double clock_overhead_ns;
};

/* Collect everything; path (may be NULL) names the file or directory whose
 * filesystem is described.  Never fails: unknown fields say "unknown". */
void sysinfo_collect(struct sysinfo *si, const char *path);

/* Write a SYSINFO_PROBE_SIZE file in path's directory, read it back in
 * order from the device and record whether it landed in large folios: what
 * a canonical warm state is here (10-100 ms of I/O, so only `sysinfo` and
 * `sweep` probe; "unknown: ..." without root or a writable directory). */
#define SYSINFO_PROBE_SIZE (32 << 20)
void sysinfo_probe_folios(struct sysinfo *si, const char *path);

/* Human-readable, one "key: value" per line. */
void sysinfo_print(const struct sysinfo *si, FILE *f);

/* One JSON object. */
void sysinfo_print_json(const struct sysinfo *si, FILE *f);

#endif
