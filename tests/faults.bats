#!/usr/bin/env bats
# Device faults: a FUSE filesystem (tests/faultfs.c) passes a directory
# through and fails reads, shortens them, delays them or fails writes where
# its control file says.  Every backend on every reading workload, cold and
# warm, at one and two threads: a failed read fails that step with the error
# and the offset, writes no row for it, and the run goes on; a short read is
# never data; a slow device is measured.  The writing workloads on a user's
# file: the journal puts it back, or names every block it could not.
#
# What reaches faultfs is what the page cache does not hold: faults hit a
# cold run in its timed region, a warm run while it is warmed (the step
# fails preparing its cache state), and every O_DIRECT read.  The file is
# 1 MiB, the faults in [640K, 1M - 4K): away from the words datafile_open()
# probes (0, 512K, 1M - 8), so the run opens it and plans.

load helpers

FAULTFS=${FAULTFS:-$BATS_TEST_DIRNAME/../build/testtools/faultfs}
FAULT_START=655360
FAULT_LEN=389120

# Why the fault tests cannot run here; nothing when they can.
faultfs_unavailable() {
	if [ ! -x "$FAULTFS" ]; then
		echo "$FAULTFS is not built (it needs libfuse3-dev: scripts/deps test, then make $FAULTFS)"
	elif [ ! -c /dev/fuse ]; then
		echo "/dev/fuse is missing (no FUSE in this kernel or container)"
	elif ! command -v fusermount3 > /dev/null; then
		echo "fusermount3 is not installed (fuse3)"
	fi
}

setup() {
	local why
	why=$(faultfs_unavailable)
	[ -z "$why" ] || skip "fault injection unavailable, because $why"
	mmbench_setup
	mkdir "$DATA/bk" "$DATA/mnt"
	: > "$DATA/ctl"
	"$MMBENCH" prepare "$DATA/bk/f" --size 1M --seed 1
	cp "$DATA/bk/f" "$DATA/orig"
	# bounded like every mmbench run; fd 3 closed so bats does not wait on it
	timeout 300 "$FAULTFS" "$DATA/bk" "$DATA/mnt" "$DATA/ctl" -f > "$DATA/faultfs.log" 2>&1 3>&- &
	FAULTFS_PID=$!
	for _ in $(seq 100); do
		mountpoint -q "$DATA/mnt" && break
		sleep 0.05
	done
	mountpoint -q "$DATA/mnt" ||
		skip "fault injection unavailable, because faultfs could not mount: $(cat "$DATA/faultfs.log")"
	F=$DATA/mnt/f
	BACKENDS=$(list_names backends | paste -sd,)
}

teardown() {
	[ -n "${FAULTFS_PID:-}" ] || return 0
	fusermount3 -u "$DATA/mnt" 2> /dev/null || fusermount3 -uz "$DATA/mnt" || true
	wait "$FAULTFS_PID" || true
	mmbench_teardown
}

# faults LINE...: the faults of the file f from now on.
faults() {
	printf 'file f\n' > "$DATA/ctl.new"
	printf '%s\n' "$@" >> "$DATA/ctl.new"
	mv "$DATA/ctl.new" "$DATA/ctl"
}

# run_faulty ARGS...: a short run of f (1 rep, 64 ops), CSV in $DATA/r.csv.
run_faulty() {
	rm -f "$DATA/r.csv"
	run "$MMBENCH" run --file "$F" --seed 1 --reps 1 --warmup 0 --ops 64 --quiet \
		--csv "$DATA/r.csv" "$@"
	echo "$output"
}

# step_failed B W PATTERN: exactly one message says step B W failed, as
# PATTERN (an extended regex) says, at an offset inside the faulty range
# (from FAULT_LO when set).
step_failed() {
	local line at
	line=$(grep "^mmbench: failed: $1 $2: cannot " <<< "$output")
	[ "$(wc -l <<< "$line")" -eq 1 ] || { echo "not once: $1 $2: $line"; return 1; }
	grep -Eq "$3" <<< "$line" || { echo "not /$3/: $line"; return 1; }
	at=$(sed -n 's/.* at offset \([0-9]*\).*/\1/p' <<< "$line")
	[ -n "$at" ] && [ "$at" -ge "${FAULT_LO:-$FAULT_START}" ] &&
		[ "$at" -lt $((FAULT_START + FAULT_LEN)) ] ||
		{ echo "offset '$at' outside the faults: $line"; return 1; }
}

# rows B W: the rows of step B W in the CSV.
rows() {
	[ -e "$DATA/r.csv" ] || { echo 0; return; }
	paste -d' ' <(csv_column "$DATA/r.csv" backend) <(csv_column "$DATA/r.csv" workload) |
		grep -cx "$1 $2" || true
}

# row_or_failure W...: every backend's step of each W has its row or its
# failure, never both, never neither; every row verified.
row_or_failure() {
	local b w n f
	for b in $(list_names backends); do
		for w in "$@"; do
			n=$(rows "$b" "$w")
			f=$(grep -c "^mmbench: failed: $b $w: " <<< "$output" || true)
			[ $((n + f)) -eq 1 ] || { echo "$b $w: $n rows, $f failures"; return 1; }
		done
	done
	[ ! -e "$DATA/r.csv" ] || [ "$(csv_column "$DATA/r.csv" verified | sort -u)" = 1 ]
}

# no_rows: not one step wrote a row (and so no CSV).
no_rows() {
	[ ! -e "$DATA/r.csv" ]
}

# reads_failed BACKENDS PATTERN: the run ended with a failed step, never a
# signal (128 + 7 SIGBUS, 128 + 11 SIGSEGV), and every seqread and randread
# step of the backends BACKENDS (comma-separated) failed as PATTERN says.
reads_failed() {
	local b w
	[ "$status" -eq 1 ]
	for b in ${1//,/ }; do
		for w in seqread randread; do
			step_failed "$b" "$w" "$2"
		done
	done
}

# The error of a failed read: EIO from a read or a ring, SIGBUS from a mapping.
READ_ERROR="(Input/output error|SIGBUS: the file shrank or failed under the mapping) at offset"

# read_errors CACHE THREADS: the reading matrix under a read error.
read_errors() {
	faults "eio-read $FAULT_START $FAULT_LEN"
	run_faulty --backend "$BACKENDS" --workload seqread,randread,reread --cache "$1" --threads "$2"
	reads_failed "$BACKENDS" "$READ_ERROR"
}

@test "a read error, cold, one thread: every backend's step fails with the error and the offset; the others measure" {
	read_errors cold 1
	# the mapping's fault is a SIGBUS, caught
	step_failed mmap seqread "cannot run '$F': SIGBUS"
	step_failed read seqread "cannot run '$F': Input/output error"
	# reread's hot first 128K are healthy: its steps ran on, with rows
	# (mem's fails: it copies the whole file in at setup)
	row_or_failure seqread randread reread
	[ "$(rows read reread)" -eq 1 ]
}

@test "a read error, cold, two threads: a worker thread's fault fails its step, not the process" {
	# seqread's second thread reads [512K, 1M): the fault is the worker's
	read_errors cold 2
	step_failed mmap seqread "cannot run '$F': SIGBUS"
	row_or_failure seqread randread reread
	[ "$(rows read reread)" -eq 1 ]
}

@test "a read error, warm, one and two threads: the step fails while its cache state is prepared" {
	for t in 1 2; do
		read_errors warm "$t"
		# the warm-up reads the file, so it meets the fault first
		step_failed mmap seqread "cannot prepare the cache state of '$F': Input/output error"
		row_or_failure seqread randread reread
		no_rows
	done
}

@test "a short read is never taken as data: the step fails as a file that ended early" {
	# the kernel takes a FUSE filesystem's short read as the end of the
	# file: the reads end there, and a mapping faults beyond it.  The
	# kernel reads whole readahead windows: the one cut short may begin
	# up to 128K before the range.
	FAULT_LO=$((FAULT_START - 131072))
	for t in 1 2; do
		faults "short $FAULT_START $FAULT_LEN 1000"
		run_faulty --backend "$BACKENDS" --workload seqread,randread --cache cold --threads "$t"
		reads_failed "$BACKENDS" "(the file ended early|SIGBUS).* at offset"
		step_failed read seqread "the file ended early: .* at offset [0-9]* \(its size is still 1048576 bytes"
		no_rows
		# the kernel now believes the file ended there: a fresh mount
		teardown
		setup
	done
}

# direct_fault FAULT THREADS PATTERN: every O_DIRECT backend's reading
# steps fail under FAULT as PATTERN says, and write no row.
direct_fault() {
	local b=read
	list_names backends | grep -qx uring && b=read,uring
	faults "$1"
	run_faulty --backend "$b" --workload seqread,randread --direct --threads "$2"
	reads_failed "$b" "cannot run '$F': $3"
	no_rows
}

@test "O_DIRECT reads meet every fault: an error with its offset, a short read never taken as data" {
	direct_fault "eio-read $FAULT_START $FAULT_LEN" 2 "Input/output error at offset"
	teardown
	setup
	direct_fault "short $FAULT_START $FAULT_LEN 1000" 1 "the file ended early"
}

@test "a slow device is measured, not failed" {
	faults "delay-ms 2"
	for t in 1 2; do
		run_faulty --backend "$BACKENDS" --workload seqread,randread,reread --cache cold --threads "$t"
		[ "$status" -eq 0 ]
		row_or_failure seqread randread reread
		! grep -q "failed" <<< "$output"
	done
}

@test "a write refused once: the step fails with the offset, the journal puts the file back, the run goes on" {
	faults "eio-write $FAULT_START $FAULT_LEN 1"
	run_faulty --backend read --workload seqwrite,randwrite,inplace --allow-write --cache cold
	[ "$status" -eq 1 ]
	# the first write into the range fails its step; the device takes
	# the restore's, and the other steps run and write their rows
	[ "$(grep -c '^mmbench: failed: ' <<< "$output")" -eq 1 ]
	grep -Eq "^mmbench: failed: read (seqwrite|randwrite|inplace): cannot run '$F': Input/output error at offset" <<< "$output"
	[ "$(csv_column "$DATA/r.csv" workload | wc -l)" -eq 2 ]
	[ "$(csv_column "$DATA/r.csv" verified | sort -u)" = 1 ]
	[ ! -e "$F.mmbench-journal" ]
	cmp "$DATA/bk/f" "$DATA/orig"
}

@test "a device that refuses the restore too: every block not put back is named, and the journal is kept" {
	for b in $(list_names backends); do
		[ "$b" != mem ] || continue # anonymous memory: the file is never written
		faults "eio-write $FAULT_START $FAULT_LEN"
		run_faulty --backend "$b" --workload seqwrite --allow-write --cache cold
		[ "$status" -eq 1 ]
		# a write through a call fails in the step; a mapping's is only
		# written back later, and fails in the restore
		grep -Eq "^mmbench: failed: $b seqwrite: cannot (run|put back) '$F': Input/output error at offset" <<< "$output"
		# seqwrite changed every block: the 95 in the range are named
		grep -q "^mmbench: failed: $b seqwrite: cannot put back 95 of the 256 blocks it changed in '$F': Input/output error" <<< "$output"
		want=$(seq "$FAULT_START" 4096 $((FAULT_START + FAULT_LEN - 1)) | paste -sd' ')
		grep -qx "mmbench: not restored: 95 blocks of 4096 bytes at offsets $want" <<< "$output"
		grep -q "the journal '$F.mmbench-journal' keeps their original bytes" <<< "$output"
		[ -e "$F.mmbench-journal" ]
		# the run stopped: the next run refuses the file until it is back
		run_faulty --backend "$b" --workload seqread
		[ "$status" -eq 1 ]
		[[ "$output" == *"put the file back first with mmbench restore '$F'"* ]]
		# the device heals: restore puts it back.  FUSE reports a mapping's
		# failed writeback once more, to the next fsync of the file
		# (AS_EIO), so a restore after mmap may need a second go
		faults
		"$MMBENCH" restore "$F" || "$MMBENCH" restore "$F"
		[ ! -e "$F.mmbench-journal" ]
		cmp "$DATA/bk/f" "$DATA/orig"
	done
}

@test "a failed step leaves no sampler behind: every task started returns, and only rows have series" {
	command -v strace > /dev/null || skip "strace is not installed"
	faults "eio-read $FAULT_START $FAULT_LEN"
	rm -f "$DATA/r.csv"
	# LeakSanitizer (make test's build) cannot run under ptrace
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		run strace -f -qq -e trace=clone,clone3,exit -o "$DATA/trace" \
		"$MMBENCH" run --file "$F" --seed 1 --reps 2 --warmup 0 --ops 64 --quiet \
		--csv "$DATA/r.csv" --backend mmap,read --workload seqread,randread,reread \
		--cache cold --threads 2 --interval 10
	echo "$output"
	reads_failed mmap,read "$READ_ERROR"
	# reread's healthy hot set wrote rows, and their series
	[ "$(rows read reread)" -eq 2 ]
	[ "$(csv_column "$DATA/r-series.csv" workload | sort -u)" = reread ]
	# the tasks sharing the process's memory (engine threads, samplers:
	# clone with CLONE_VM) all ended on their own (exit), none was left
	# for the process's exit to end
	started=$(grep -c 'CLONE_VM' "$DATA/trace")
	ended=$(grep -c ' exit(0)' "$DATA/trace" || true)
	echo "threads started $started, ended $ended"
	[ "$started" -ge 8 ]
	[ "$started" -eq "$ended" ]
}
