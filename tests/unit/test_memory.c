/* Unit tests for memuse.c and memlimit.c: what /proc says, and when a
 * balloon may be inflated. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "sys/memlimit.h"
#include "sys/memuse.h"

/* The huge-page share of one smaps entry, found by its start address. */
static void test_parse_huge(void **state)
{
	static const char smaps[] =
		"7f0000000000-7f0000400000 rw-p 00000000 00:00 0\n"
		"Size:               4096 kB\n"
		"Rss:                4096 kB\n"
		"AnonHugePages:      2048 kB\n"
		"7f0000400000-7f0000800000 rw-p 00000000 00:00 0\n"
		"Size:               4096 kB\n"
		"AnonHugePages:      4096 kB\n"
		"17f0000400000-17f0000800000 rw-p 00000000 00:00 0\n"
		"Size:               4096 kB\n";

	(void)state;
	assert_true(fabs(memuse_parse_huge(smaps, 0x7f0000000000UL) - 0.5) < 1e-9);
	assert_true(fabs(memuse_parse_huge(smaps, 0x7f0000400000UL) - 1.0) < 1e-9);
	/* inside an entry; an entry's end is the next one's */
	assert_true(fabs(memuse_parse_huge(smaps, 0x7f0000001000UL) - 0.5) < 1e-9);
	assert_true(fabs(memuse_parse_huge(smaps, 0x7f00007fffffUL) - 1.0) < 1e-9);
	/* an entry without AnonHugePages, and no entry at all */
	assert_true(isnan(memuse_parse_huge(smaps, 0x17f0000400000UL)));
	assert_true(isnan(memuse_parse_huge(smaps, 0x1000UL)));
	/* this process: a fresh mapping has an entry; its share is 0..1 */
	{
		void *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		double h;

		assert_true(p != MAP_FAILED);
		h = memuse_huge_share(p);
		assert_true(h >= 0 && h <= 1);
		munmap(p, 1 << 20);
	}
}

static void test_memuse_parse(void **state)
{
	static const char status[] = "Name:\tmmbench\nVmPeak:\t  100 kB\nVmHWM:\t    2048 kB\n"
				     "VmRSS:\t    1536 kB\nRssAnon:\t     512 kB\n"
				     "RssFile:\t    1024 kB\nRssShmem:\t       0 kB\n";
	struct memuse m;

	(void)state;
	memuse_parse(status, &m);
	assert_true(m.anon == 512 * 1024.0);
	assert_true(m.file == 1024 * 1024.0);
	assert_true(m.peak == 2048 * 1024.0);
	/* a kernel without the split (before 4.5) says nothing, not 0 */
	memuse_parse("VmHWM:\t 4 kB\nVmRSS:\t 4 kB\n", &m);
	assert_true(isnan(m.anon) && isnan(m.file));
	assert_true(m.peak == 4096.0);
	/* a key is matched whole: RssFileX is not RssFile */
	memuse_parse("RssFileX:\t 4 kB\n", &m);
	assert_true(isnan(m.file));
}

static void test_memuse_sample_self(void **state)
{
	struct memuse m;

	(void)state;
	memuse_sample(&m);
	/* this process has a binary mapped and a heap */
	assert_true(m.file > 0 && m.anon > 0 && m.peak >= m.anon);
}

static void test_cgroup2_path(void **state)
{
	char p[64];

	(void)state;
	assert_true(memlimit_cgroup2_path("0::/user.slice/session-1.scope\n", p, sizeof(p)));
	assert_string_equal(p, "/user.slice/session-1.scope");
	/* a hybrid layout: v1 controllers first, the v2 line last */
	assert_true(memlimit_cgroup2_path("12:memory:/x\n1:name=systemd:/y\n0::/z\n", p, sizeof(p)));
	assert_string_equal(p, "/z");
	assert_true(memlimit_cgroup2_path("0::/\n", p, sizeof(p)));
	assert_string_equal(p, "/");
	/* cgroup v1 alone, and lines that are no path */
	assert_false(memlimit_cgroup2_path("12:memory:/docker/abc\n1:cpu:/\n", p, sizeof(p)));
	assert_false(memlimit_cgroup2_path("0::\n", p, sizeof(p)));
	assert_false(memlimit_cgroup2_path("", p, sizeof(p)));
	/* too long for the buffer: refused, not cut */
	assert_false(memlimit_cgroup2_path("0::/a-very-long-cgroup-name-indeed-longer-than-64-bytes-"
					   "of-buffer-space\n",
					   p, sizeof(p)));
}

static void test_parse_meminfo(void **state)
{
	static const char meminfo[] = "MemTotal:       24684092 kB\nMemFree:        24416184 kB\n"
				      "MemAvailable:   24216940 kB\nBuffers:            6028 kB\n"
				      "Active(file):      10096 kB\nInactive(file):    19524 kB\n";
	struct memlimit_info mi;

	(void)state;
	assert_true(memlimit_parse_meminfo(meminfo, &mi));
	assert_int_equal(mi.total, 24684092ULL << 10);
	assert_int_equal(mi.available, 24216940ULL << 10);
	assert_int_equal(mi.room, (24416184ULL + 10096 + 19524) << 10);
	/* a field missing: no figures rather than wrong ones */
	assert_false(memlimit_parse_meminfo("MemTotal: 1 kB\nMemFree: 1 kB\n", &mi));
}

static void test_balloon_check(void **state)
{
	const uint64_t gib = 1ULL << 30, mib = 1ULL << 20;
	char why[256];

	(void)state;
	/* the margin: 1/256 of memory, never under 128 MiB */
	assert_int_equal(memlimit_margin(4 * gib), 128 * mib);
	assert_int_equal(memlimit_margin(24 * gib), 128 * mib);
	assert_int_equal(memlimit_margin(64 * gib), 256 * mib);
	assert_int_equal(memlimit_balloon_check(512 * mib, 24 * gib, 23 * gib, why, sizeof(why)), 0);
	assert_int_equal(memlimit_balloon_check(64 * mib, 24 * gib, 23 * gib, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "--mem-limit 64M would leave this machine short"));
	assert_int_equal(memlimit_balloon_check(23 * gib, 24 * gib, 23 * gib, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "nothing to limit"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memuse_parse),
		cmocka_unit_test(test_parse_huge),
		cmocka_unit_test(test_memuse_sample_self),
		cmocka_unit_test(test_cgroup2_path),
		cmocka_unit_test(test_parse_meminfo),
		cmocka_unit_test(test_balloon_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
