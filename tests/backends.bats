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
	[ "$(csv_column "$DATA/r.csv" stdio_buffer | sort -u)" = 65536 ]
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
