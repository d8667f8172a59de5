#!/usr/bin/env bats
# mmbench export formats and the ci-check script.

load helpers

setup() {
	mmbench_setup
	FIXTURE=$BATS_TEST_DIRNAME/data/sweep-fixture
	ROOT=$BATS_TEST_DIRNAME/..
	NCONF=48 # configurations in the fixture
	NROWS=$(($(wc -l < "$FIXTURE/results.csv") - 1))
}
teardown() { mmbench_teardown; }

@test "hyperfine-json: results[] with times and parameters" {
	"$MMBENCH" export "$FIXTURE" --format hyperfine-json > "$DATA/h.json"
	jq -e --argjson n "$NCONF" '(.results | length) == $n and
		all(.results[]; (.times | length) == 3 and .median > 0 and .min <= .median and
		    .median <= .max and .parameters.backend != null and (.command | type) == "string")' \
		"$DATA/h.json"
}

@test "gbench-json: one benchmark per repetition, as compare.py reads" {
	"$MMBENCH" export "$FIXTURE" --format gbench-json > "$DATA/g.json"
	jq -e --argjson n "$NROWS" '.context.executable == "mmbench" and (.benchmarks | length) == $n and
		all(.benchmarks[]; .run_type == "iteration" and .time_unit == "ns" and .real_time > 0 and
		    .bytes_per_second > 0 and .repetition_index < .repetitions)' "$DATA/g.json"
}

@test "github-action: customBiggerIsBetter entries" {
	"$MMBENCH" export "$FIXTURE" --format github-action > "$DATA/a.json"
	jq -e --argjson n "$NCONF" 'length == $n and
		all(.[]; .unit == "MiB/s" and .value > 0 and (.name | type) == "string")' "$DATA/a.json"
	# names are unique, or the action would merge series
	[ "$(jq -r '.[].name' "$DATA/a.json" | sort | uniq -d | wc -l)" -eq 0 ]
}

@test "bencher: metric format with throughput and latency measures" {
	"$MMBENCH" export "$FIXTURE" --format bencher > "$DATA/b.json"
	jq -e --argjson n "$NCONF" '(keys | length) == $n and
		all(.[]; .throughput.lower_value <= .throughput.value and
		    .throughput.value <= .throughput.upper_value and .latency.value > 0)' "$DATA/b.json"
}

@test "export rejects bad formats and files with exit 2" {
	run "$MMBENCH" export "$FIXTURE" --format xml
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value 'xml' for --format"* ]]
	run "$MMBENCH" export "$DATA/none.csv" --format bencher
	[ "$status" -eq 2 ]
}

@test "ci-check records a baseline, compares clean against it, and needs one" {
	printf '%s\n' "backend = read mmap" "workload = seqread" "size = 8M" "cache = warm" \
		"reps = 6" "warmup = 1" > "$DATA/ci.sweep"
	export CI_SUITE=$DATA/ci.sweep OUT=$DATA/results MMBENCH
	BASELINE=$DATA/none.csv run "$ROOT/scripts/ci-check"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no baseline"* ]]
	BASELINE=$DATA/base.csv run "$ROOT/scripts/ci-check" --record
	[ "$status" -eq 0 ]
	[ -s "$DATA/base.csv" ] && [ -s "$DATA/base-sysinfo.json" ]
	BASELINE=$DATA/base.csv run "$ROOT/scripts/ci-check" --threshold 50
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"2 matched, 0 regressions"* ]]
	md=$(ls "$DATA"/results/*/ci-check.md | tail -1)
	grep -q '| configuration | n | baseline |' "$md"
}
