#!/usr/bin/env bats
# scripts/filesystems: the same suite on fresh filesystems (loop images and
# a tmpfs), one merged folder, FILESYSTEMS.md by filesystem, and nothing
# left behind: no image, loop device or mount, Ctrl-C included.

load helpers

setup() {
	mmbench_setup
	[ "$(id -u)" -eq 0 ] || skip "needs root (losetup, mount)"
	losetup -f > /dev/null 2>&1 || skip "no free loop device here"
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 not installed (e2fsprogs)"
	printf 'backend = mmap read\nworkload = randread\nsize = 8M\nblock = 4K\ncache = warm cold\nops = 256\nreps = 1\nwarmup = 0\nprocs = 3\n' > "$DATA/fs.sweep"
	export IMAGEDIR=$DATA
}

teardown() {
	# whatever a failed test left mounted or attached under $DATA
	awk -v d="$DATA" 'index($2, d) == 1 { print $2 }' /proc/mounts | xargs -r umount 2> /dev/null
	losetup -a | awk -F: -v d="$DATA" 'index($0, d) { print $1 }' | xargs -r -n1 losetup -d 2> /dev/null
	mmbench_teardown
}

filesystems() { env MMBENCH="$MMBENCH" timeout -k 10 600 "$BATS_TEST_DIRNAME/../scripts/filesystems" "$@"; }

# nothing of ours mounted, attached or on disk
nothing_left() {
	! grep -q "$DATA" /proc/mounts || { echo "left mounted:"; grep "$DATA" /proc/mounts; return 1; }
	! losetup -a | grep -q "$DATA" || { echo "left attached:"; losetup -a | grep "$DATA"; return 1; }
	[ -z "$(find "$DATA" -name 'mmbench-fs.*')" ] || { echo "left:"; find "$DATA" -name 'mmbench-fs.*'; return 1; }
}

@test "filesystems: each filesystem's rows, verified and named with their mount options, and FILESYSTEMS.md by filesystem" {
	list=ext4,tmpfs
	command -v mkfs.btrfs > /dev/null && list=ext4,btrfs,tmpfs
	run filesystems --fs "$list" --size 200M --out "$DATA/out" "$DATA/fs.sweep"
	echo "$output"
	[ "$status" -eq 0 ]
	dir=${lines[-1]}
	[ -s "$dir/results.csv" ]
	# every filesystem asked for is in the rows, with its own mount options
	[ "$(csv_column "$dir/results.csv" fs_type | sort -u | paste -sd,)" = "$(tr , '\n' <<< "$list" | sort | paste -sd,)" ]
	! csv_column "$dir/results.csv" fs_mount_options | grep -qx unknown
	[ "$(csv_column "$dir/results.csv" verified | sort -u)" = 1 ]
	# 3 processes x 2 backends, warm and cold on disk, warm only on tmpfs
	[ "$(csv_column "$dir/results.csv" fs_type | grep -cx ext4)" -eq 12 ]
	[ "$(csv_column "$dir/results.csv" fs_type | grep -cx tmpfs)" -eq 6 ]
	grep -q "^| configuration | ${list//,/ | } |$" "$dir/FILESYSTEMS.md"
	grep -q '^| randread 8M 4K warm .* | .*x (.*3 processes) |' "$dir/FILESYSTEMS.md"
	# tmpfs has no cold cache: said, not hidden
	grep -q "^- tmpfs: cache=cold: .*nothing can be cold" "$dir/FILESYSTEMS.md"
	grep -q '^- ext4: `rw' "$dir/FILESYSTEMS.md"
	if command -v gnuplot > /dev/null; then
		grep -q '<svg' "$dir/mmap-read-by-fs.svg"
		for f in ${list//,/ }; do grep -q ">$f<" "$dir/mmap-read-by-fs.svg" || { echo "no $f in the chart"; return 1; }; done
	fi
	nothing_left
}

@test "filesystems: Ctrl-C in the middle leaves no image, loop device or mount" {
	sed -i "s/^procs = 3$/procs = 40/" "$DATA/fs.sweep"
	# a process group of its own, as a terminal's foreground job: without
	# job control bash starts background jobs with SIGINT ignored
	# (and not under timeout, which would put it in a group of its own;
	# the loops below are bounded instead)
	set -m
	MMBENCH=$MMBENCH "$BATS_TEST_DIRNAME/../scripts/filesystems" --fs ext4,tmpfs --size 200M \
		--out "$DATA/out" "$DATA/fs.sweep" > "$DATA/log" 2>&1 &
	pid=$!
	set +m
	# until the ext4 image is mounted (at most 60 s)
	for _ in $(seq 600); do grep -q "$DATA/mmbench-fs.*/mnt-ext4" /proc/mounts && break; sleep 0.1; done
	grep -q "$DATA/mmbench-fs.*/mnt-ext4" /proc/mounts
	# Ctrl-C: SIGINT to the whole group, the script and its sweep
	kill -INT -- -"$pid"
	ended_within 60 "$pid" || { kill -KILL -- -"$pid"; echo "still running 60 s after SIGINT"; return 1; }
	status=0
	wait "$pid" || status=$?
	cat "$DATA/log"
	[ "$status" -eq 130 ]
	nothing_left
}

@test "filesystems: bad arguments are usage errors naming them" {
	run filesystems --fs ext4,zfs
	[ "$status" -eq 2 ]
	[ "$output" = "filesystems: unknown filesystem 'zfs' for --fs (ext4, xfs, btrfs, tmpfs)" ]
	run filesystems --size lots
	[ "$status" -eq 2 ]
	[ "$output" = "filesystems: invalid size 'lots' for --size (e.g. 512M)" ]
	run filesystems --frobnicate
	[ "$status" -eq 2 ]
	[[ "$output" == "filesystems: unknown option '--frobnicate'"* ]]
}
