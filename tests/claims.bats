#!/usr/bin/env bats
# scripts/claims: its verdicts follow from the numbers by the rules in the
# script.  The fixture is the results.csv of one `make claims` on the
# development VM; changing a number changes the verdict it decides.

load helpers

setup() {
	mmbench_setup
	ROOT=$BATS_TEST_DIRNAME/..
	cp -r "$BATS_TEST_DIRNAME/data/claims-fixture" "$DATA/c"
}
teardown() { mmbench_teardown; }

# verdict N: the verdict of claim N in $DATA/c/CLAIMS.md
verdict() {
	sed -n "s/^| $1\. .* | \*\*\([a-z]*\)\*\* |$/\1/p" "$DATA/c/CLAIMS.md"
}

# set BACKEND WORKLOAD COLUMN AWK-EXPR [SYNC]: rewrite a column of the
# fixture's rows of BACKEND and WORKLOAD (x is the old value, b the row's bytes)
set_col() {
	awk -F, -v OFS=, -v be="$1" -v wl="$2" -v col="$3" -v sync="${5:-}" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
		$c["backend"] == be && $c["workload"] == wl && (sync == "" || $c["sync"] == sync) {
			x = $c[col]; b = $c["bytes"]; $c[col] = '"$4"' }
		{ print }' "$DATA/c/results.csv" > "$DATA/c/r" && mv "$DATA/c/r" "$DATA/c/results.csv"
}

@test "claims --from: six verdicts, each from the fixture's numbers" {
	run "$ROOT/scripts/claims" --from "$DATA/c"
	echo "$output"
	[ "$status" -eq 0 ]
	for n in 1 2 3 4 5 6; do
		[[ "$(verdict $n)" =~ ^(confirmed|qualified|refuted)$ ]]
	done
	[ "$(verdict 2)" = refuted ]
	[ "$(verdict 4)" = refuted ]
	[ "$(verdict 6)" = qualified ]
	grep -q '^Rule: ' "$DATA/c/CLAIMS.md"
	[ "$(grep -c '^Rule: ' "$DATA/c/CLAIMS.md")" -eq 6 ]
}

@test "claims: a verdict moves with the numbers that decide it" {
	# mmap fetching less than read everywhere makes claim 2 hold
	set_col mmap randread dev_read_bytes 'int(b / 4)'
	set_col py-mmap-view randread dev_read_bytes 'int(b / 4)'
	set_col mmap seqread dev_read_bytes 'int(b / 4)'
	# nothing left dirty without a sync: updates did reach the disk
	set_col mmap inplace dirty_after_bytes 0 none
	"$ROOT/scripts/claims" --from "$DATA/c"
	[ "$(verdict 2)" = confirmed ]
	[ "$(verdict 6)" = confirmed ]
	# unknown dirty pages (no root): undecided, and the script says so
	set_col mmap inplace dirty_after_bytes '"unknown"' none
	run "$ROOT/scripts/claims" --from "$DATA/c"
	[ "$status" -eq 1 ]
	[ "$(verdict 6)" = undecided ]
}

@test "claims: rows that did not verify decide nothing; bad options exit 2" {
	set_col read seqread verified 0
	run "$ROOT/scripts/claims" --from "$DATA/c"
	[ "$status" -eq 1 ]
	[[ "$output" == *"did not verify: no verdict rests on them"* ]]
	run "$ROOT/scripts/claims" --from "$DATA/none"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no results.csv in '$DATA/none' for --from"* ]]
	run "$ROOT/scripts/claims" --bogus
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '--bogus'"* ]]
	run "$ROOT/scripts/claims" --out
	[ "$status" -eq 2 ]
}
