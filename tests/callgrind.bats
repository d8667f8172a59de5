#!/usr/bin/env bats
# scripts/callgrind-ops: instructions per operation of the timed region,
# for the callgrind half of the A/B check of a refactoring.

load helpers

setup() {
	mmbench_setup
	command -v valgrind >/dev/null || skip "valgrind is not installed"
	CG=$BATS_TEST_DIRNAME/../scripts/callgrind-ops
}
teardown() { mmbench_teardown; }

@test "callgrind-ops: one binary twice counts the same instructions per operation" {
	# valgrind runs the binary itself: the optimised build, not the sanitizer one
	bin=$BATS_TEST_DIRNAME/../build/mmbench
	[ -x "$bin" ] || skip "no build/mmbench (make first)"
	TMPDIR=$DATA run timeout 300 "$CG" --ops 256 "$bin" "$bin"
	[ "$status" -eq 0 ]
	[ "$(grep -c $'^.*mmbench\t' <<< "$output")" -eq 8 ]
	# every configuration counted something, per operation
	awk -F'\t' '$1 != "ratio" { if (!($6 > 100)) exit 1 }' <<< "$output"
	[ "$(grep -c '^ratio' <<< "$output")" -eq 4 ]
	awk -F'\t' '$1 == "ratio" { if ($4 < 0.99 || $4 > 1.01) exit 1 }' <<< "$output"
	[ -z "$(ls "$DATA")" ]
}

@test "callgrind-ops: bad arguments exit 2 naming them" {
	run "$CG"
	[ "$status" -eq 2 ]
	[[ "$output" == *"missing MMBENCH"* ]]
	run "$CG" --ops 1x build/mmbench
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid count '1x' for --ops"* ]]
	run "$CG" --workload 'seqread,,inplace' build/mmbench
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid list 'seqread,,inplace' for --workload"* ]]
	run "$CG" "$DATA/nothing"
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot run '$DATA/nothing'"* ]]
}
