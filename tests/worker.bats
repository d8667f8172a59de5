#!/usr/bin/env bats
# External workers (harness/backends/worker.c) and the Python one (scripts/pybench):
# their rows are verified by the same rules as the C backends', a worker
# that lies is caught, and one that breaks the protocol fails its step with
# a clear error and no row.

load helpers

setup() {
	mmbench_setup
	ROOT=$BATS_TEST_DIRNAME/..
	PYBENCH=$ROOT/scripts/pybench
	FAKE=$BATS_TEST_DIRNAME/fake-worker
}
teardown() { mmbench_teardown; }

@test "pybench: every Python backend verifies on every workload it does, beside the C ones" {
	local py=py-mmap-slice,py-mmap-view,py-read,py-pread,py-readinto,py-mem
	run "$MMBENCH" run --worker "$PYBENCH" --backend "$py,mmap" \
		--workload seqread,randread,reread,inplace --size 1M --block 4K --reps 2 --warmup 0 \
		--cache warm --dir "$DATA" --csv "$DATA/p.csv"
	echo "$output"
	[ "$status" -eq 0 ]
	# py-mem only reads: its inplace is skipped, saying why
	[[ "$output" == *"skipped: backend py-mem: the worker says it only reads, so inplace is skipped"* ]]
	# 6 Python backends x 4 workloads - 1, and mmap's 4, twice
	[ "$(csv_column "$DATA/p.csv" verified | grep -c '^1$')" -eq $(((6 * 4 - 1 + 4) * 2)) ]
	[ "$(csv_column "$DATA/p.csv" verified | sort -u)" = 1 ]
	[ "$(csv_column "$DATA/p.csv" backend | sort -u | paste -sd,)" = "mmap,$(echo "$py" | tr , '\n' | sort | paste -sd,)" ]
	# the worker's own counters: its mapping's page faults, its memory
	local f
	f=$(paste -d' ' <(csv_column "$DATA/p.csv" backend) <(csv_column "$DATA/p.csv" workload) \
		<(csv_column "$DATA/p.csv" minor_faults) <(csv_column "$DATA/p.csv" rss_file_bytes) |
		awk '$1 == "py-mmap-view" && $2 == "seqread" { print $3, $4; exit }')
	echo "py-mmap-view seqread: minor faults, file-backed RSS: $f"
	[ "${f% *}" -ge 16 ] && [ "${f#* }" -ge 1048576 ]
	# and its sampled latencies: one in 16 of 256 seqread blocks
	[ "$(paste -d' ' <(csv_column "$DATA/p.csv" backend) <(csv_column "$DATA/p.csv" workload) \
		<(csv_column "$DATA/p.csv" lat_samples) |
		awk '$1 == "py-pread" && $2 == "seqread" { print $3; exit }')" -eq 16 ]
	# (mmap's rows, interleaved with the Python updates, verified above:
	# every update was put back)
}

@test "pybench: --sync, --touch page and a cold cache verify too" {
	"$MMBENCH" run --worker "$PYBENCH" --backend py-mmap-view,py-read,py-pread --workload inplace \
		--sync each --size 256K --block 4K --ops 16 --reps 1 --warmup 0 --dir "$DATA" --quiet \
		--csv "$DATA/s.csv"
	"$MMBENCH" run --worker "$PYBENCH" --backend py-mmap-view,py-readinto,read --workload seqread,randread \
		--touch page --cache cold --size 1M --block 64K --reps 2 --warmup 0 --dir "$DATA" --quiet \
		--csv "$DATA/t.csv"
	# cold means cold after a Python mapping too: the worker lets go of it
	# before the next step's eviction
	[ "$(csv_column "$DATA/t.csv" resident_before | sort -u)" = 0.0000 ]
	[ "$(csv_column "$DATA/s.csv" verified | sort -u)" = 1 ]
	[ "$(csv_column "$DATA/t.csv" verified | sort -u)" = 1 ]
}

@test "a worker that lies about its checksum is caught: verified=0 and exit 1" {
	run "$MMBENCH" run --worker "$FAKE lie" --backend fake --workload randread --size 64K \
		--reps 1 --warmup 0 --dir "$DATA" --quiet --csv "$DATA/l.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"unverified: fake randread rep 1: checksum 12345"* ]]
	[ "$(csv_column "$DATA/l.csv" verified)" = 0 ]
}

@test "a worker that breaks the protocol fails its step with the reason, and writes no row" {
	for mode in garbage die error; do
		run "$MMBENCH" run --worker "$FAKE $mode" --backend fake,read --workload seqread \
			--size 64K --reps 2 --warmup 0 --dir "$DATA" --quiet --csv "$DATA/$mode.csv"
		echo "$mode: $output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"failed: fake seqread: cannot run"* ]]
		# read's rows are there and verified; none of the worker's
		[ "$(csv_column "$DATA/$mode.csv" backend | sort -u)" = read ]
	done
	run "$MMBENCH" run --worker "$FAKE garbage" --backend fake --workload seqread --size 64K \
		--reps 1 --warmup 0 --dir "$DATA" --quiet
	[[ "$output" == *"lacks elapsed_ns, first_pass_ns or checksum"* ]]
	run "$MMBENCH" run --worker "$FAKE error" --backend fake --workload seqread --size 64K \
		--reps 1 --warmup 0 --dir "$DATA" --quiet
	[[ "$output" == *"the worker said: {\"error\":\"the disk is on fire\"}"* ]]
	run "$MMBENCH" run --worker "$FAKE die" --backend fake --workload seqread --size 64K \
		--reps 1 --warmup 0 --dir "$DATA" --quiet
	[[ "$output" == *"the worker ended without answering"* ]]
	MMBENCH_WORKER_TIMEOUT_MS=1000 run "$MMBENCH" run --worker "$FAKE hang" --backend fake,read \
		--workload seqread --size 64K --reps 2 --warmup 0 --dir "$DATA" --quiet
	[ "$status" -eq 1 ]
	[[ "$output" == *"the worker did not answer in time"* ]]
	# no data file left behind by any of them
	[ -z "$(ls "$DATA"/mmbench-* 2> /dev/null)" ]
}

@test "--worker: a bad list, a missing program and --threads are usage errors naming the flag" {
	run "$MMBENCH" run --worker "$FAKE badlist" --backend fake --dir "$DATA" --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"--worker '$FAKE badlist' --list: 'fake read' is not NAME<tab>OPS<tab>SUMMARY"* ]]
	run "$MMBENCH" run --worker "$DATA/no-such-worker" --backend fake --dir "$DATA" --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"--worker '$DATA/no-such-worker' --list printed no backends"* ]]
	run "$MMBENCH" run --worker "$PYBENCH" --backend py-read --threads 2 --dir "$DATA" --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"--threads 2: py-read is run by an external worker, on one thread"* ]]
	# without --worker its names are unknown
	run "$MMBENCH" run --backend py-read --dir "$DATA" --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown backend 'py-read' for --backend"* ]]
}

@test "pybench: a bad plan gets an error line, never a result" {
	local py=$BATS_TEST_DIRNAME/../scripts/pybench
	head -c 8192 /dev/zero > "$DATA/f"
	run bash -c "printf 'not json\n' | timeout 10 '$py' --serve"
	[ "$status" -eq 1 ]
	[[ "$output" == '{"error": "not a JSON object: not json"}' ]]
	# an unknown backend, a missing file, an operation past the end
	for run in '"backend":"py-nope","file":"'"$DATA/f"'","file_size":8192' \
		'"backend":"py-read","file":"'"$DATA/none"'","file_size":8192' \
		'"backend":"py-read","file":"'"$DATA/f"'","file_size":8192'; do
		run bash -c "printf '%s\n' '{\"type\":\"run\",$run}' '{\"type\":\"step\",\"op\":\"read\",\"touch_step\":0}' \
			'{\"type\":\"op\",\"part\":\"steady\",\"off\":8000,\"len\":4096}' '{\"type\":\"end\"}' |
			timeout 10 '$py' --serve"
		echo "$output"
		[[ "$output" == '{"error": '* ]]
		[[ "$output" != *elapsed_ns* ]]
	done
	run "$py" --bogus
	[ "$status" -eq 2 ]
}
