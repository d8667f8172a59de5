#!/usr/bin/env bats
# mmbench compare: verdicts on fixtures with known distributions, gating,
# bad input, formats, and a real end-to-end regression check.

load helpers

setup() {
	mmbench_setup
	FIXTURE=$BATS_TEST_DIRNAME/data/sweep-fixture/results.csv
}
teardown() { mmbench_teardown; }

# synth OUT N FACTOR CV [COLD_FACTOR [HOST]]
synth() {
	awk -v n="$2" -v factor="$3" -v cv="$4" -v cold_factor="${5:-}" -v host="${6:-}" \
		-f "$BATS_TEST_DIRNAME/../scripts/csv.awk" -f "$BATS_TEST_DIRNAME/synth.awk" "$FIXTURE" > "$DATA/$1"
}

verdicts() { printf '%s\n' "$output" | grep -E '^(mmap|read) ' | awk '{ print $NF }' | sort -u | paste -sd,; }

@test "identical distributions: same, exit 0" {
	synth base.csv 10 1 0.03
	synth cur.csv 10 1 0.03
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = same ]
	[[ "$output" == *"4 matched, 0 regressions"* ]]
	[[ "$output" == *"geometric mean"* ]]
}

@test "a 20% slower copy is a regression, exit 1" {
	synth base.csv 10 1 0.03
	synth cur.csv 10 0.8 0.03
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(verdicts)" = regression ]
	# the ratio estimate and its interval bracket 0.8
	printf '%s\n' "$output" | grep '^mmap seqread cache=warm' | grep -q ' 0.800 '
	# and the reverse direction is an improvement, exit 0
	run "$MMBENCH" compare "$DATA/cur.csv" "$DATA/base.csv"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = improvement ]
}

@test "a 4% shift in 3% noise does not fail at the 10% threshold" {
	synth base.csv 10 1 0.03
	synth cur.csv 10 0.96 0.03
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = same ]
	# but it is a regression when the threshold is 2%
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv" --threshold 2
	[ "$status" -eq 1 ]
}

@test "too few samples give too-few; large noise gives ~ without failing" {
	synth base.csv 3 1 0.03
	synth cur.csv 3 0.5 0.03
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = too-few ]
	synth base.csv 5 1 0.6
	synth cur.csv 5 0.8 0.6
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "~" ]
}

@test "cold configurations fail only when gated" {
	synth base.csv 10 1 0.03
	synth cur.csv 10 1 0.03 0.7
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	[ "$status" -eq 1 ]
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv" --gate warm
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"regression (not gated)"* ]]
}

@test "direction follows the metric: higher elapsed_ns is worse" {
	synth base.csv 10 1 0.03
	synth cur.csv 10 0.8 0.03
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv" --metric elapsed_ns
	echo "$output"
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" | grep '^mmap seqread cache=warm' | grep -q ' 1.25[0-9] '
}

@test "markdown and json formats carry the same verdicts" {
	synth base.csv 10 1 0.03
	synth cur.csv 10 0.8 0.03
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv" --format markdown
	[ "$status" -eq 1 ]
	[[ "$output" == *"| configuration | n | baseline |"* ]]
	[ "$(printf '%s\n' "$output" | grep -c '| regression |')" -eq 4 ]
	"$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv" --format json > "$DATA/c.json" || true
	jq -e '.regressions == 4 and (.configurations | length) == 4 and
	       all(.configurations[]; .verdict == "regression" and .ci_high < 1 and .p < 0.01)' "$DATA/c.json"
}

@test "bad input exits 2; one-sided configurations are listed" {
	synth base.csv 10 1 0.03
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/missing.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot read '$DATA/missing.csv'"* ]]
	printf 'a,b\n1,2\n' > "$DATA/other.csv"
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/other.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"not an mmbench results file"* ]]
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/base.csv" --threshold x
	[ "$status" -eq 2 ]
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/base.csv" --metric nope
	[ "$status" -eq 2 ]
	[[ "$output" == *"no column 'nope' for --metric"* ]]
	# nothing in common: exit 2
	sed '2,$ s/,4096,/,8192,/' "$DATA/base.csv" > "$DATA/moved.csv"
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/moved.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"only in current"* && "$output" == *"no configuration"* ]]
	# partly in common: the rest is listed, not dropped
	head -11 "$DATA/base.csv" > "$DATA/part.csv"
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/part.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"only in baseline: "* ]]
}

@test "different machines are warned about, not failed" {
	synth base.csv 10 1 0.03
	synth cur.csv 10 1 0.03 "" otherhost
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: host differs"* ]]
}

# a real measurement: read, warm, 10 repetitions
measure() {
	"$MMBENCH" run --dir "$DATA" --size 32M --backend read --workload seqread --block "$1" \
		--reps 10 --warmup 1 --quiet --csv "$DATA/$2"
}

@test "end to end: the same build compares clean, a real slowdown is caught" {
	measure 64K a.csv
	measure 64K b.csv
	run "$MMBENCH" compare "$DATA/a.csv" "$DATA/b.csv"
	echo "$output"
	[ "$status" -eq 0 ]
	# 512-byte reads do the same work in 128 times the system calls;
	# relabel them as the 64K configuration
	measure 512 slow.csv
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
		{ $c["block_size"] = 65536; $c["ops"] = 512; print }' "$DATA/slow.csv" > "$DATA/relabelled.csv"
	run "$MMBENCH" compare "$DATA/a.csv" "$DATA/relabelled.csv"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"regression"* ]]
}
