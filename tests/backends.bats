#!/usr/bin/env bats
# Every backend x workload on small files: rows written, verified, and the
# same checksums whatever the backend.  Backends and workloads come from
# `mmbench --list`, so a new one is covered without touching this file.

load helpers

setup() { mmbench_setup; }
teardown() { mmbench_teardown; }

# run_all CSV ARGS: every listed backend x workload, 2 measured reps.
run_all() {
	local csv=$1
	shift
	"$MMBENCH" run --backend "$(list_names backends | paste -sd,)" \
		--workload "$(list_names workloads | paste -sd,)" \
		--reps 2 --warmup 1 --ops 200 --passes 3 --quiet --csv "$csv" "$@"
}

# check_rows CSV: one row per backend x workload x rep, all verified, and
# equal checksums across backends for each workload and rep.
check_rows() {
	local csv=$1 nb nw
	nb=$(list_names backends | wc -l)
	nw=$(list_names workloads | wc -l)
	[ "$(csv_column "$csv" backend | wc -l)" -eq $((nb * nw * 2)) ]
	for b in $(list_names backends); do
		for w in $(list_names workloads); do
			paste -d' ' <(csv_column "$csv" backend) <(csv_column "$csv" workload) |
				grep -qx "$b $w" || { echo "no row for $b $w"; return 1; }
		done
	done
	[ "$(csv_column "$csv" verified | sort -u)" = 1 ]
	# distinct checksums per (workload, rep) must be exactly one
	paste -d' ' <(csv_column "$csv" workload) <(csv_column "$csv" rep) \
		<(csv_column "$csv" checksum) | sort -u |
		awk '{ n[$1 " " $2]++ } END { for (k in n) if (n[k] != 1) { print "differ: " k; exit 1 } }'
}

@test "every backend x workload verifies on a temporary pattern file" {
	run_all "$DATA/r.csv" --dir "$DATA" --size 1M --block 4K
	check_rows "$DATA/r.csv"
	[ "$(csv_column "$DATA/r.csv" verify_source | sort -u)" = pattern ]
	# temporary file removed
	[ -z "$(ls "$DATA" | grep -v r.csv)" ]
}

@test "small and large blocks, a file size that is not a multiple of the block" {
	# 1M + 100 bytes: seqread ends in a short block, the rest stay whole.
	"$MMBENCH" prepare "$DATA/odd" --size $((1048576 + 100))
	run_all "$DATA/small.csv" --file "$DATA/odd" --block 512 --allow-write
	check_rows "$DATA/small.csv"
	run_all "$DATA/large.csv" --file "$DATA/odd" --block 256K --allow-write
	check_rows "$DATA/large.csv"
	[ "$(csv_column "$DATA/large.csv" block_size | sort -u)" = 262144 ]
}

@test "a file without the pattern verifies against a reference read" {
	head -c 1048576 /dev/urandom > "$DATA/random"
	cp "$DATA/random" "$DATA/copy"
	run_all "$DATA/r.csv" --file "$DATA/random" --allow-write --block 8K
	check_rows "$DATA/r.csv"
	[ "$(csv_column "$DATA/r.csv" verify_source | sort -u)" = reference ]
	cmp "$DATA/random" "$DATA/copy"
}

@test "stdio buffer size and latency sampling are recorded and honoured" {
	"$MMBENCH" run --dir "$DATA" --size 256K --backend stdio,read --workload randread \
		--ops 64 --reps 1 --warmup 0 --stdio-buffer 64K --latency-every 1 --quiet \
		--csv "$DATA/r.csv"
	# the buffer is stdio's: read's rows record it as not applicable
	[ "$(paste -d' ' <(csv_column "$DATA/r.csv" backend) <(csv_column "$DATA/r.csv" stdio_buffer) | sort -u)" = \
"read -
stdio:stdio-buffer=64K 65536" ]
	[ "$(csv_column "$DATA/r.csv" lat_samples | sort -u)" = 64 ]
	"$MMBENCH" run --dir "$DATA" --size 256K --backend read --workload randread \
		--ops 64 --reps 1 --warmup 0 --latency-every 0 --quiet --csv "$DATA/n.csv"
	[ "$(csv_column "$DATA/n.csv" lat_samples)" = 0 ]
}

@test "rows carry rates consistent with bytes and time" {
	"$MMBENCH" run --dir "$DATA" --size 1M --workload seqread,reread --backend read \
		--reps 1 --warmup 0 --quiet --csv "$DATA/r.csv"
	paste -d' ' <(csv_column "$DATA/r.csv" bytes) <(csv_column "$DATA/r.csv" elapsed_ns) \
		<(csv_column "$DATA/r.csv" mib_per_s) <(csv_column "$DATA/r.csv" workload) \
		<(csv_column "$DATA/r.csv" first_pass_ns) |
		awk '{ want = $1 / 1048576 / ($2 / 1e9)
		       if ($3 < want * 0.999 || $3 > want * 1.001) { print "bad rate " $0; exit 1 }
		       if ($4 == "reread" && $5 <= 0) { print "no first pass " $0; exit 1 }
		       if ($4 == "seqread" && $5 != 0) { print "first pass on seqread " $0; exit 1 } }'
	# seqread reads the whole file once; reread 7 steady passes of 1/8
	[ "$(csv_column "$DATA/r.csv" bytes | paste -sd' ')" = "1048576 917504" ] ||
		[ "$(csv_column "$DATA/r.csv" bytes | paste -sd' ')" = "917504 1048576" ]
}

@test "every backend x workload verifies with 2 threads; uring with 8 in flight" {
	run_all "$DATA/t.csv" --dir "$DATA" --size 1M --block 4K --threads 2
	check_rows "$DATA/t.csv"
	[ "$(csv_column "$DATA/t.csv" threads | sort -u)" = 2 ]
	csv_column "$DATA/t.csv" slowest_worker_mib_per_s | awk '!($1 > 0) { exit 1 }'
	list_names backends | grep -qx uring || skip "uring is unavailable here"
	"$MMBENCH" run --backend uring --workload "$(list_names workloads | paste -sd,)" \
		--dir "$DATA" --size 1M --reps 2 --warmup 0 --ops 200 --threads 2 --qd 8 \
		--quiet --csv "$DATA/q.csv"
	[ "$(csv_column "$DATA/q.csv" verified | sort -u)" = 1 ]
	[ "$(csv_column "$DATA/q.csv" qd | sort -u)" = 8 ]
}

@test "--direct: rows say the page cache was bypassed; a filesystem without O_DIRECT skips, saying why" {
	list_names backends | grep -qx uring && b=read,uring || b=read
	"$MMBENCH" run --backend "$b" --workload randread,seqwrite --dir "$DATA" --size 1M \
		--reps 2 --warmup 0 --ops 64 --direct --quiet --csv "$DATA/d.csv"
	[ "$(csv_column "$DATA/d.csv" cache | sort -u)" = bypass ]
	[ "$(csv_column "$DATA/d.csv" direct | sort -u)" = 1 ]
	[ "$(csv_column "$DATA/d.csv" verified | sort -u)" = 1 ]
	# ramfs has no O_DIRECT (tmpfs has, since Linux 6.6)
	[ "$(id -u)" -eq 0 ] || skip "mounting ramfs needs root"
	mkdir "$DATA/ram"
	mount -t ramfs ramfs "$DATA/ram" || skip "cannot mount ramfs here"
	head -c 1M /dev/urandom > "$DATA/ram/f"
	run "$MMBENCH" run --backend read --workload randread --file "$DATA/ram/f" --reps 1 \
		--warmup 0 --direct --csv "$DATA/ram.csv"
	umount "$DATA/ram"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"skipped: backend read: the filesystem of '$DATA/ram/f' refuses O_DIRECT"* ]]
	[[ "$output" == *"bypass cache"* ]]
	[ ! -e "$DATA/ram.csv" ]
}

@test "--direct refuses a file whose size is not a multiple of the O_DIRECT alignment, before any work" {
	# its last short block would fail with EINVAL in the middle of a step
	"$MMBENCH" prepare "$DATA/f" --size 1M --seed 1
	truncate -s 1049000 "$DATA/f"
	cp "$DATA/f" "$DATA/orig"
	list_names backends | grep -qx uring && b=read,uring || b=read
	for w in seqread randread seqwrite; do
		run "$MMBENCH" run --file "$DATA/f" --seed 1 --backend "$b" --workload "$w" --allow-write \
			--direct --reps 1 --warmup 0 --quiet --csv "$DATA/r.csv"
		echo "$w -> $status: $output"
		[ "$status" -eq 2 ] && [ "${#lines[@]}" -eq 1 ]
		[[ "$output" == *"--direct needs the size of '$DATA/f' to be a multiple of its "*"-byte O_DIRECT alignment: it is 1049000 bytes"* ]]
		[ ! -e "$DATA/r.csv" ]
		cmp "$DATA/f" "$DATA/orig"
	done
	# a file made for the run, of a size given with --size, the same
	run "$MMBENCH" run --dir "$DATA" --size 1049000 --backend read --workload seqread --direct \
		--reps 1 --warmup 0 --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"--direct needs the size of '$DATA/mmbench-"*"' to be a multiple of"*"it is 1049000 bytes"* ]]
	[ -z "$(ls "$DATA" | grep mmbench-)" ]
}

@test "concurrency options that cannot apply are usage errors naming the flag" {
	bad() {
		run "$MMBENCH" run --dir "$DATA" --size 1M --quiet "$@"
		echo "$* -> $status: $output"
		[ "$status" -eq 2 ] && [ "${#lines[@]}" -eq 1 ]
	}
	bad --backend read --qd 4
	[[ "$output" == *"--qd 4 needs backends that keep several operations in flight (uring); read completes one at a time"* ]]
	bad --backend mmap --direct
	[[ "$output" == *"--direct is for backends with a descriptor to open O_DIRECT (read, uring); mmap has none"* ]]
	bad --backend read --direct --cache cold
	[[ "$output" == *"--direct bypasses the page cache: --cache does not apply"* ]]
	bad --backend read --direct --block 100
	[[ "$output" == *"invalid size '100' for --block"* ]]
	bad --backend read --direct --block 1000 --workload randread
	[[ "$output" == *"invalid size '1000' for --block with --direct (a multiple of the "*"-byte O_DIRECT alignment"* ]]
	bad --threads 0
	[[ "$output" == *"number '0' for --threads is out of range (1 to 64)"* ]]
	bad --threads 65
}

@test "a write through a mapping: blind writes fault less than read-modify-write" {
	# inplace maps each page for reading (fault-around maps several at a
	# time), then takes a write-protect fault on every page; seqwrite's
	# memcpy() takes one write fault per folio, and a large folio is many
	# pages: fewer faults per MiB, by how much depends on the kernel
	"$MMBENCH" run --backend mmap --workload inplace,seqwrite --dir "$DATA" --size 32M \
		--block 1M --ops 8 --reps 3 --warmup 1 --quiet --csv "$DATA/f.csv"
	[ "$(csv_column "$DATA/f.csv" verified | sort -u)" = 1 ]
	paste -d' ' <(csv_column "$DATA/f.csv" workload) <(csv_column "$DATA/f.csv" minor_faults) \
		<(csv_column "$DATA/f.csv" bytes) |
		awk '{ per[$1] += $2 / ($3 / 1048576); n[$1]++ }
		     END { i = per["inplace"] / n["inplace"]; s = per["seqwrite"] / n["seqwrite"]
			   print "faults per MiB: inplace " i ", seqwrite " s
			   exit !(i > s && i >= 200) }'
}

@test "a backend that cannot run here is listed with its reason and skipped, never failed" {
	# io_uring switched off for a moment (root only; put back at once)
	[ "$(id -u)" -eq 0 ] && [ -w /proc/sys/kernel/io_uring_disabled ] ||
		skip "needs root and kernel.io_uring_disabled"
	list_names backends | grep -qx uring || skip "uring is not built here"
	old=$(cat /proc/sys/kernel/io_uring_disabled)
	echo 2 > /proc/sys/kernel/io_uring_disabled
	run "$MMBENCH" --list
	list=$output
	run "$MMBENCH" run --backend uring,read --workload randread --dir "$DATA" --size 1M \
		--reps 1 --warmup 0 --ops 16 --csv "$DATA/u.csv"
	echo "$old" > /proc/sys/kernel/io_uring_disabled
	echo "$list"
	echo "$output"
	[[ "$list" == *"uring "*"(unavailable: io_uring cannot be set up here: "* ]]
	[ "$status" -eq 0 ]
	[[ "$output" == *"skipped: backend uring: io_uring cannot be set up here"* ]]
	[ "$(csv_column "$DATA/u.csv" backend | sort -u)" = read ]
}

@test "mem's copy lives in huge pages where the machine allows them, and its rows say which" {
	run timeout 120 "$MMBENCH" run --backend mem,read --workload seqread --size 8M --block 1M \
		--reps 2 --warmup 0 --csv "$DATA/m.csv" --dir "$DATA"
	echo "$output"
	[ "$status" -eq 0 ]
	got=$(paste -d' ' <(csv_column "$DATA/m.csv" backend) <(csv_column "$DATA/m.csv" mem_pages) | sort -u)
	echo "$got"
	# read holds no copy; mem's is in 2 MiB pages when THP can be asked
	# for (checked in /proc/self/smaps), else in 4 KiB pages
	printf '%s\n' "$got" | grep -qx 'read none'
	if grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
		printf '%s\n' "$got" | grep -qxE 'mem (2M|mixed)'
	else
		printf '%s\n' "$got" | grep -qx 'mem 4K'
	fi
	# older files, without the column, read it as unknown
	"$MMBENCH" columns | awk -F'\t' '$1 == "mem_pages" { found = ($6 == "unknown") } END { exit !found }'
}
