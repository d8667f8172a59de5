#!/usr/bin/env bats
# mmbench plan: what run does, operation by operation, with the checksum
# each step must yield, checked by an independent implementation of the
# rule the plan states (tests/plancheck.py, plain Python).

load helpers

setup() { mmbench_setup; }
teardown() { mmbench_teardown; }

@test "plan: a Python reading of the stated rule reproduces every expected checksum" {
	"$MMBENCH" prepare "$DATA/f" --size 1M --seed 7
	"$MMBENCH" plan --workload seqread,randread,reread,inplace --size 1M --seed 7 --block 4K \
		--ops 64 --threads 2 --reps 2 --warmup 1 > "$DATA/p.jsonl"
	run python3 "$BATS_TEST_DIRNAME/plancheck.py" "$DATA/p.jsonl" "$DATA/f"
	echo "$output"
	[ "$status" -eq 0 ]
	# 4 workloads x 3 repetitions, warm-ups numbered 0
	[ "${#lines[@]}" -eq 12 ]
	[ "$(printf '%s\n' "${lines[@]}" | awk '$2 == 0' | wc -l)" -eq 4 ]
	# --touch page and a user's file that is not the pattern
	head -c 300000 /dev/urandom > "$DATA/u"
	cp "$DATA/u" "$DATA/u.orig"
	"$MMBENCH" plan --file "$DATA/u" --workload seqread,randread --touch page --block 64K \
		--reps 1 --warmup 0 > "$DATA/u.jsonl"
	grep -q '"patterned":false' "$DATA/u.jsonl"
	python3 "$BATS_TEST_DIRNAME/plancheck.py" "$DATA/u.jsonl" "$DATA/u"
	# plan read the user's file and changed nothing in it
	cmp "$DATA/u" "$DATA/u.orig"
}

@test "plan: a wrong expectation is caught, so the check can fail" {
	"$MMBENCH" prepare "$DATA/f" --size 64K --seed 7
	# the plan of another seed does not fit this file
	"$MMBENCH" plan --workload randread --size 64K --seed 8 --reps 1 --warmup 0 > "$DATA/p.jsonl"
	run python3 "$BATS_TEST_DIRNAME/plancheck.py" "$DATA/p.jsonl" "$DATA/f"
	[ "$status" -eq 1 ]
	[[ "$output" == *MISMATCH* ]]
}

@test "plan: the offsets are run's, and CSV lines carry the same steps" {
	"$MMBENCH" plan --workload randread --size 1M --ops 32 --reps 2 --warmup 0 > "$DATA/p.jsonl"
	"$MMBENCH" plan --workload randread --size 1M --ops 32 --reps 2 --warmup 0 --format csv > "$DATA/p.csv"
	[ "$(grep -c '"type":"op"' "$DATA/p.jsonl")" -eq 64 ]
	[ "$(grep -c '^op,' "$DATA/p.csv")" -eq 64 ]
	grep -q '^record,workload,iteration,rep,op,block,threads,ops,bytes,touch_step,expected_checksum,worker,part,off,len$' "$DATA/p.csv"
	# the same expected checksums in both
	diff <(grep -o '"expected_checksum":"[0-9]*"' "$DATA/p.jsonl" | grep -o '[0-9]*') \
		<(awk -F, '$1 == "step" { print $11 }' "$DATA/p.csv")
	# and run's rows expect the same: run verifies against them
	"$MMBENCH" run --backend read --workload randread --size 1M --ops 32 --reps 2 --warmup 0 \
		--dir "$DATA" --quiet --csv "$DATA/r.csv"
	diff <(grep -o '"expected_checksum":"[0-9]*"' "$DATA/p.jsonl" | grep -o '[0-9]*') \
		<(csv_column "$DATA/r.csv" expected_checksum)
}

@test "plan: bad input is one line naming the flag, and exit 2" {
	run "$MMBENCH" plan --workload seqwrite
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value 'seqwrite' for --workload: plan covers the reading and updating workloads"* ]]
	run "$MMBENCH" plan --format xml
	[ "$status" -eq 2 ]
	[[ "$output" == *"--format"* ]]
	# without --workload: every workload a plan covers
	"$MMBENCH" plan --size 64K --reps 1 --warmup 0 | grep -o '"workload":"[a-z]*"' | sort -u > "$DATA/w"
	[ "$(paste -sd' ' "$DATA/w")" = '"workload":"inplace" "workload":"randread" "workload":"reread" "workload":"seqread"' ]
	run "$MMBENCH" plan --file "$DATA/none"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot open '$DATA/none' for --file"* ]]
}
