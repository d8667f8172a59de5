#!/usr/bin/env bats
# mmbench export formats, merge, and the ci-check script.

load helpers

setup() {
	mmbench_setup
	FIXTURE=$BATS_TEST_DIRNAME/data/sweep-fixture
	ROOT=$BATS_TEST_DIRNAME/..
	NCONF=48 # configurations in the fixture
	NROWS=$(($(wc -l < "$FIXTURE/results.csv") - 1))
}
teardown() { mmbench_teardown; }

@test "hyperfine-json: results[] with times, and only the parameters that vary" {
	"$MMBENCH" export "$FIXTURE" --format hyperfine-json > "$DATA/h.json"
	jq -e --argjson n "$NCONF" '(.results | length) == $n and
		all(.results[]; (.times | length) == 3 and .median > 0 and .min <= .median and
		    .median <= .max and (.command | type) == "string")' "$DATA/h.json"
	# the fixture varies these, and only these, among its parameters
	jq -e '.results[0].parameters | keys == ["backend", "block_size", "cache", "hot_bytes", "ops", "passes", "workload"]' \
		"$DATA/h.json"
	# one run: no standard deviation, as hyperfine writes it
	head -2 "$FIXTURE/results.csv" > "$DATA/one.csv"
	"$MMBENCH" export "$DATA/one.csv" --format hyperfine-json | jq -e '.results[0].stddev == null'
}

@test "gbench-json: iterations and aggregates per family; cpu time never above wall time" {
	"$MMBENCH" export "$FIXTURE" --format gbench-json > "$DATA/g.json"
	jq -e --argjson n "$NROWS" --argjson c "$NCONF" '.context.executable == "mmbench" and
		([.benchmarks[] | select(.run_type == "iteration")] | length) == $n and
		([.benchmarks[] | select(.run_type == "aggregate")] | length) == 4 * $c and
		all(.benchmarks[] | select(.run_type == "iteration"); .time_unit == "ns" and
		    .real_time > 0 and .cpu_time <= .real_time and .bytes_per_second > 0 and
		    .repetition_index < .repetitions) and
		([.benchmarks[] | .family_index] | unique | length) == $c and
		all(.benchmarks | group_by(.family_index)[]; (map(.run_name) | unique | length) == 1)' \
		"$DATA/g.json"
}

@test "gbench-json: Google Benchmark's own compare.py matches a subset to the whole" {
	compare=/usr/share/benchmark/compare.py
	[ -f "$compare" ] || skip "libbenchmark-tools not installed"
	/usr/bin/python3 -c 'import scipy' 2>/dev/null || skip "python3-scipy not installed"
	# the 4K half of a file must be named as in the whole file
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next } $c["block_size"] == 4096' \
		"$FIXTURE/results.csv" > "$DATA/sub.csv"
	"$MMBENCH" export "$FIXTURE" --format gbench-json -o "$DATA/all.json"
	"$MMBENCH" export "$DATA/sub.csv" --format gbench-json -o "$DATA/sub.json"
	run /usr/bin/python3 "$compare" -d "$DATA/diff.json" benchmarks "$DATA/sub.json" "$DATA/all.json"
	[ "$status" -eq 0 ]
	# every configuration of the subset found its partner, with no change
	jq -e --argjson c $((NCONF / 2)) '([.[] | select(.run_type == "iteration")] | length) == $c and
		all(.[] | select(.run_type == "iteration"); all(.measurements[]; .time == 0))' "$DATA/diff.json"
}

@test "github-action: names from the configuration alone, range as ± x, direction from --metric" {
	"$MMBENCH" export "$FIXTURE" --format github-action > "$DATA/a.json"
	jq -e --argjson n "$NCONF" 'length == $n and
		all(.[]; .unit == "MiB/s" and .value > 0 and (.range | test("^± [0-9.e+-]+$")))' "$DATA/a.json"
	# names are unique, or the action would merge series
	[ "$(jq -r '.[].name' "$DATA/a.json" | sort | uniq -d | wc -l)" -eq 0 ]
	# ... and the same in a subset of the file
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next } $c["block_size"] == 4096' \
		"$FIXTURE/results.csv" > "$DATA/sub.csv"
	"$MMBENCH" export "$DATA/sub.csv" --format github-action > "$DATA/s.json"
	[ "$(jq -r '.[].name' "$DATA/s.json" | sort | comm -23 - <(jq -r '.[].name' "$DATA/a.json" | sort) | wc -l)" -eq 0 ]
	jq -e '.[0].name | test("^[a-z]+/[a-z]+/file=2M/block=4K/cache=(warm|cold)")' "$DATA/s.json"
	"$MMBENCH" export "$FIXTURE" --format github-action --metric lat_p99_ns | jq -e 'all(.[]; .unit == "ns")'
	run "$MMBENCH" export "$FIXTURE" --format github-action --metric rep
	[ "$status" -eq 2 ]
}

@test "bencher: throughput in operations per second, custom measures for the rest" {
	"$MMBENCH" export "$FIXTURE" --format bencher -o "$DATA/b.json"
	jq -e --argjson n "$NCONF" '(keys | length) == $n and
		all(.[]; (keys == ["latency-p50-ns", "latency-p99-ns", "mib-per-s", "throughput"]) and
		    .throughput.lower_value <= .throughput.value and
		    .throughput.value <= .throughput.upper_value and ."latency-p99-ns".value >= ."latency-p50-ns".value)' "$DATA/b.json"
	# throughput is ops_per_s, not MiB/s: 4K blocks make them differ 256-fold
	jq -e 'to_entries | map(select(.key | test("/block=4K/"))) | all(.[];
		(.value.throughput.value / .value."mib-per-s".value) > 200)' "$DATA/b.json"
}

@test "export: --help, bad formats and files, several hosts" {
	run "$MMBENCH" export --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: mmbench export"* ]]
	run "$MMBENCH" export "$FIXTURE" --format xml
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value 'xml' for --format"* ]]
	run "$MMBENCH" export "$DATA/none.csv" --format bencher
	[ "$status" -eq 2 ]
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR == 3 { $c["host"] = "other" } { print }' \
		"$FIXTURE/results.csv" > "$DATA/two.csv"
	run "$MMBENCH" export "$DATA/two.csv" --format bencher
	[ "$status" -eq 2 ]
	[[ "$output" == *"several hosts"* ]]
}

@test "ci-check: bad options fail before anything runs" {
	for args in "--rounds 0" "--gate hot" "--threshold x" "--alpha 2" "--metric nope" \
		"--suite $DATA/missing.sweep" "--base no-such-revision" "--frobnicate 1" \
		"--baseline $DATA/none.csv"; do
		# shellcheck disable=SC2086 # split on purpose
		run timeout 20 "$ROOT/scripts/ci-check" $args
		echo "$args: $output"
		[ "$status" -eq 2 ]
		[ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ]
	done
	run "$ROOT/scripts/ci-check" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--base-cmd"* ]]
}

# a tiny suite: 3 rounds can never reach a verdict, so no test here
# depends on this machine's speed
tiny_suite() {
	printf '%s\n' "backend = read mmap" "workload = seqread" "size = 4M" "block = 64K" \
		"cache = warm" "reps = 2" "warmup = 0" "procs = 3" > "$DATA/ci.sweep"
}

@test "ci-check A/B: both commands in shuffled rounds, paired verdicts, a summary" {
	tiny_suite
	export MMBENCH
	run timeout 120 "$ROOT/scripts/ci-check" --suite "$DATA/ci.sweep" --out "$DATA/results" \
		--base-cmd "$MMBENCH" --head-cmd "$MMBENCH"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"pairs of processes, one pair a round"* ]]
	[[ "$output" == *"2 matched, 0 regressions"* ]]
	dir=$(ls -d "$DATA"/results/*/)
	# 3 processes a side, each with its own run_id
	[ "$(csv_column "$dir/base.csv" run_id | sort -u | wc -l)" -eq 3 ]
	[ "$(csv_column "$dir/head.csv" run_id | sort -u | wc -l)" -eq 3 ]
	grep -q '| configuration | procs | reps |' "$dir/ci-check.md"
	# the rounds interleave the two commands
	grep '^process: ' "$dir/log" | awk '{ print $3, $4 }' | head -4 | grep -q 'base'
	# a head that fails is a failed gate, said so
	run timeout 120 "$ROOT/scripts/ci-check" --suite "$DATA/ci.sweep" --out "$DATA/results" \
		--base-cmd "$MMBENCH" --head-cmd false
	[ "$status" -eq 1 ]
	[[ "$output" == *"a process failed"* ]]
}

@test "ci-check --base REV builds that revision with git worktree" {
	git -C "$ROOT" rev-parse --verify --quiet HEAD~1 > /dev/null || skip "no parent commit"
	tiny_suite
	export MMBENCH
	run timeout 600 "$ROOT/scripts/ci-check" --suite "$DATA/ci.sweep" --out "$DATA/results" \
		--base HEAD~1 --rounds 2
	echo "$output"
	[ "$status" -eq 0 ]
	ls "$ROOT"/build/ab/src-*/build/mmbench > /dev/null
	dir=$(ls -d "$DATA"/results/*/)
	grep -q "process: round 1/2 base" "$dir/log"
}

@test "ci-check --record and --baseline: processes a side, never one" {
	tiny_suite
	export MMBENCH
	run timeout 120 "$ROOT/scripts/ci-check" --record "$DATA/base.csv" --suite "$DATA/ci.sweep" \
		--out "$DATA/results"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -s "$DATA/base.csv" ] && [ -s "$DATA/base-sysinfo.json" ]
	[[ "$output" == *"process-to-process spread"* ]]
	[ "$(csv_column "$DATA/base.csv" run_id | sort -u | wc -l)" -eq 3 ]
	run timeout 120 "$ROOT/scripts/ci-check" --baseline "$DATA/base.csv" --suite "$DATA/ci.sweep" \
		--out "$DATA/results"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"process medians (Mann-Whitney)"* ]]
	[[ "$output" == *"2 matched, 0 regressions"* ]]
}

@test "merge: versions and hosts into one folder, normalised, each process once" {
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR > 1 { $c["host"] = "other"; $c["run_id"] = "x-" $c["run_id"] } { print }' \
		"$FIXTURE/results.csv" > "$DATA/other.csv"
	# an older file: without the latency_every column
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "latency_every") d = i }
		{ l = ""; for (i = 1; i <= NF; i++) if (i != d) l = l (l == "" ? "" : ",") $i; print l }' \
		"$DATA/other.csv" > "$DATA/old.csv"
	run "$MMBENCH" merge "$FIXTURE" "$DATA/old.csv" "$FIXTURE" --out "$DATA/m"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"is in an earlier input too: kept once"* ]]
	[ "$(($(wc -l < "$DATA/m/results.csv") - 1))" -eq $((2 * NROWS)) ]
	# today's columns, in the registry's order, whatever the inputs had
	[ "$(head -1 "$DATA/m/results.csv")" = "$("$MMBENCH" columns | tail -n +2 | cut -f1 | paste -sd,)" ]
	[ "$(csv_column "$DATA/m/results.csv" latency_every | sort -u)" = 16 ]
	jq -e '.hosts | keys == ["vm"]' "$DATA/m/sysinfo.json"
	# summary keeps the two hosts apart
	[ "$("$MMBENCH" summary "$DATA/m" | wc -l)" -eq $((2 * NCONF + 1)) ]
	# --out must be new; a bad input writes nothing
	run "$MMBENCH" merge "$FIXTURE" --out "$DATA/m"
	[ "$status" -eq 2 ]
	run "$MMBENCH" merge "$FIXTURE" "$DATA/none.csv" --out "$DATA/m2"
	[ "$status" -eq 2 ]
	[ ! -e "$DATA/m2" ]
}

@test "export leaves out rows whose numbers are not numbers, and its JSON stays valid" {
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
		NR == 3 { $c["mib_per_s"] = "nan" } NR == 4 { $c["elapsed_ns"] = "inf" } NR == 5 { $c["mib_per_s"] = "fast" }
		{ print }' "$FIXTURE/results.csv" > "$DATA/bad.csv"
	for f in hyperfine-json gbench-json github-action bencher; do
		run "$MMBENCH" export "$DATA/bad.csv" --format "$f" -o "$DATA/$f.json"
		[ "$status" -eq 0 ]
		[ "$(printf '%s\n' "$output" | grep -c 'not exported')" -eq 3 ]
		jq -e . "$DATA/$f.json" > /dev/null
		# `! cmd` inside a test never fails it: say it in a way that does
		if grep -qiE 'nan|inf' "$DATA/$f.json"; then false; fi
	done
}

@test "summary and compare take a 100,000-row file in stride" {
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next } { row[++n] = $0 }
		END { for (k = 0; k < 700; k++) for (i = 1; i <= n; i++) { $0 = row[i]; $c["rep"] = k * 10 + $c["rep"]; print } }' \
		"$FIXTURE/results.csv" > "$DATA/big.csv"
	[ "$(wc -l < "$DATA/big.csv")" -gt 100000 ]
	# a hang or a quadratic blow-up ends in the timeout, not in CI's
	timeout 120 "$MMBENCH" summary "$DATA/big.csv" > /dev/null
	timeout 120 "$MMBENCH" summary "$DATA/big.csv" --ratio mmap:read > "$DATA/r.tsv"
	# 700 x 3 pairs a configuration, one process: every pair found
	awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["pairs"] != 2100 { exit 1 }' "$DATA/r.tsv"
	timeout 120 "$MMBENCH" compare "$DATA/big.csv" "$DATA/big.csv" > /dev/null
}
