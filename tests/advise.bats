#!/usr/bin/env bats
# scripts/advise (mmbench advise): which read path for a pattern, per
# regime, by the one verdict rule over fresh processes.

load helpers

setup() {
	mmbench_setup
	ADVISE=$BATS_TEST_DIRNAME/../scripts/advise
	mkdir "$DATA/tmp"
	export TMPDIR=$DATA/tmp
}
teardown() { mmbench_teardown; }

# nothing_left: no temporary folder of advise and no data file of its sweeps
nothing_left() {
	[ -z "$(ls -A "$DATA/tmp")" ]
	[ -z "$(find "$DATA" -mindepth 1 -maxdepth 1 ! -name tmp)" ]
}

@test "advise: a bad option is one line naming the flag and the value, exit status 2" {
	local -a cases=(
		"--budget 0|--budget"
		"--budget soon|'soon' for --budget"
		"--mem-limit 4Q|'4Q' for --mem-limit"
		"--workload|missing value for --workload"
		"--workload randread --block 4Q|'4Q' for --block"
		"--workload nosuch|'nosuch' for --workload"
		"--workload replay|--workload 'replay'"
		"--trace $DATA/none.trace|'$DATA/none.trace' for --trace"
		"--workload randread --trace x|--trace"
		"--trace x --size 1M|--size with --trace"
		"--workload randread --file /etc/passwd|--file"
		"--workload randread --dir $DATA/none|'$DATA/none' for --dir"
		"--workload randread --no-warm|--no-warm without --mem-limit"
		"--workload randread --candidates mmap|'mmap' for --candidates"
		"--workload randread --candidates mmap,nosuch|'nosuch' for --candidates"
		"--workload randread --candidates mmap,read,mmap|'mmap,read,mmap' for --candidates"
		"--workload randread --candidates|missing value for --candidates"
		"--workload randread --keep $DATA|'$DATA' for --keep"
		"--workload randread --keep $DATA/none/kept|'$DATA/none/kept' for --keep"
		"--workload randread --warmup -1|'-1' for --warmup"
		"--workload randread --warmup x|'x' for --warmup"
		"--sideways 1|'--sideways'"
		"stray|'stray'"
		"|missing --trace or --workload"
	)
	for c in "${cases[@]}"; do
		# shellcheck disable=SC2086 # the case's words
		run "$ADVISE" --dir "$DATA" ${c%%|*}
		echo "case '${c%%|*}': status $status, output: $output"
		[ "$status" -eq 2 ]
		[ "${#lines[@]}" -eq 1 ]
		[[ "$output" == "advise: "*"${c#*|}"* ]]
	done
	nothing_left
}

@test "advise: the answer has its regime, both comparisons and the counters; nothing is left behind" {
	run "$ADVISE" --workload randread --size 4M --block 4K --ops 256 --budget 1 --dir "$DATA"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^warm:\ (mmap|read|uring) ]] || [[ "${lines[0]}" == "warm: no consistent difference between the leader, "* ]]
	[[ "${lines[1]}" =~ ^\ \ against\ [a-z:=0-9]+:\ [0-9.]+x\ \[[0-9.]+,\ [0-9.]+\]\ at\ [0-9]+%\ over\ [0-9]+\ processes:\  ]]
	[[ "${lines[2]}" == "  against the other path, "* ]]
	[[ "${lines[3]}" == "  device bytes per useful byte "*"; faults per MiB "* ]]
	[[ "${lines[4]}" =~ ^\([0-9]+\ batch(es)?\ of\ fresh\ processes\ in ]]
	nothing_left
}

@test "advise --json: one object that jq reads, every field of every regime" {
	run "$ADVISE" --workload seqread --size 4M --block 64K --budget 1 --json --dir "$DATA"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e '.regimes | length == 1' <<< "$output"
	jq -e '.regimes[0] | .regime == "warm" and .cache == "warm" and .mem_limit == 0
		and (.recommended | type == "string") and (.leader | type == "string")' <<< "$output"
	for p in runner_up other_path; do
		jq -e --arg p "$p" '.regimes[0][$p] | (.against | type == "string")
			and (.ratio | type == "number") and (.ratio_lo <= .ratio) and (.ratio <= .ratio_hi)
			and .decided_over == "processes" and .units >= 6
			and (.verdict | type == "string") and (.mib_s | length == 2)
			and (.dev_bytes_per_byte | length == 2) and (.faults_per_mib | length == 2)' <<< "$output"
	done
	nothing_left
}

@test "advise --candidates --warmup --keep: only those candidates run, as asked, and their merged rows are kept for mmbench verdicts" {
	run "$ADVISE" --workload randread --size 4M --block 4K --ops 256 --candidates read,mmap --warmup 0 --budget 1 \
		--keep "$DATA/tmp/kept" --json --dir "$DATA"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e '.candidates == "read mmap"' <<< "$output"
	jq -e '.regimes[0] | ([.leader, .runner_up.against] | sort) == ["mmap", "read"]
		and .other_path.against == .runner_up.against' <<< "$output"
	[ "$(csv_column "$DATA/tmp/kept/results.csv" backend | sort -u | paste -sd' ')" = "mmap read" ]
	run "$MMBENCH" verdicts "$DATA/tmp/kept" --pair mmap:read
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	rm -r "$DATA/tmp/kept"
	nothing_left
}

@test "advise: a warm reread of a small file, many passes, favours mmap, decided against read and uring" {
	# A copy per pass against none: 3.4x over uring in the optimised build,
	# 1.3x under ASan, where 6 processes with one of them disturbed by a
	# neighbour do not decide; 64 passes and a budget for up to 24
	# processes (the mmap variants never decide between themselves) made it
	# pass 12 of 12 runs beside another job, about 7 s each.
	run "$ADVISE" --workload reread --size 4M --block 64K --passes 64 --budget 30 --json --dir "$DATA"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e '.regimes[0] | (.leader | startswith("mmap"))
		and .other_path.verdict == (.leader + " faster")' <<< "$output"
}

@test "advise --mem-limit: a cold regime under each limit beside the warm one" {
	# The balloon (no cgroup v2) takes all memory but the limit from a
	# machine that may itself sit in a smaller container; only a cgroup v2
	# child is safe to try on any test machine.
	grep -qw memory /sys/fs/cgroup/cgroup.controllers 2> /dev/null ||
		skip "no cgroup v2 memory controller: --mem-limit would use the balloon"
	run "$ADVISE" --workload randread --size 1G --block 4K --ops 256 --mem-limit 256M --budget 1 --json --dir "$DATA"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e '[.regimes[] | .regime] == ["warm", "cold, --mem-limit 256M"]' <<< "$output"
	jq -e '.regimes[1] | .cache == "cold" and .mem_limit == 268435456' <<< "$output"
	nothing_left
}

@test "advise --mem-limit --no-warm: cold 4K random reads of a file four times the limit favour read" {
	# the limit as tests/memory.bats sets it, by whichever mechanism this
	# machine has (a cgroup v2 child, else the balloon); skipped only where
	# mmbench refuses it, saying why
	local limit msg
	limit=$(($(margin_mib) + 128))
	msg=$("$MMBENCH" exec --mem-limit "${limit}M" --reps 1 --quiet -- true 2>&1 > /dev/null) ||
		skip "no memory limit can be set here: ${msg##*mmbench: }"
	# mmap and read only: the answer is between the paths, and 6 processes
	# of every candidate cold under a limit would take minutes
	run "$ADVISE" --workload randread --size "$((4 * limit))M" --block 4K --ops 256 --mem-limit "${limit}M" \
		--no-warm --candidates mmap,read --budget 1 --json --dir "$DATA"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e --arg r "cold, --mem-limit ${limit}M" '[.regimes[] | .regime] == [$r]' <<< "$output"
	jq -e --argjson b "$((limit << 20))" '.regimes[0] | .cache == "cold" and .mem_limit == $b' <<< "$output"
	jq -e '.regimes[0] | .recommended == "read" and .other_path.verdict == "read faster"' <<< "$output"
	nothing_left
}

@test "advise: SIGTERM mid-sweep stops it and leaves no temporary folder or data file" {
	"$ADVISE" --workload randread --size 64M --block 4K --budget 60 --dir "$DATA" > "$DATA/tmp.out" 2>&1 &
	local pid=$!
	# until its sweep has made the data file (or 20 s)
	for _ in $(seq 200); do
		[ -z "$(find "$DATA" -maxdepth 1 -name 'mmbench-*.dat')" ] || break
		sleep 0.1
	done
	kill -TERM "$pid"
	local rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 143 ]
	rm "$DATA/tmp.out"
	nothing_left
}
