#!/usr/bin/env bats
# mmbench compare: verdicts on synthetic results with a process-level
# structure (an offset per process, small noise inside one), gating,
# pairing, the baseline's own noise, exclusions, bad input and formats.
# Nothing here depends on this machine's speed: the real A/A check is
# `make ci-selftest`.

load helpers

setup() {
	mmbench_setup
	FIXTURE=$BATS_TEST_DIRNAME/data/sweep-fixture/results.csv
}
teardown() { mmbench_teardown; }

# synth OUT [var=value ...]: see tests/synth.awk for the variables.
synth() {
	local out=$1 args=()
	shift
	for kv in "$@"; do args+=(-v "$kv"); done
	awk "${args[@]}" -f "$BATS_TEST_DIRNAME/../scripts/csv.awk" -f "$BATS_TEST_DIRNAME/synth.awk" \
		"$FIXTURE" > "$DATA/$out"
}

# the distinct verdicts of the table's configuration lines
verdicts() {
	printf '%s\n' "$output" | grep -E '^(mmap|read) ' |
		grep -oE ' (regression|improvement|same|unsure|too-few)( |:|$)' | tr -d ' :' | sort -u | paste -sd,
}

@test "A/A with large process offsets: no regression, though every repetition differs" {
	# 10 processes a side, offsets of about 10% between processes, 1%
	# inside one: pooling the 50 repetitions would call this significant
	synth base.csv procs=10 reps=5 factor=1 cv=0.01 proc_cv=0.10 phase=0 tag=b
	synth cur.csv procs=10 reps=5 factor=1 cv=0.01 proc_cv=0.10 phase=0.5 tag=c
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(verdicts)" != *regression* && "$(verdicts)" != *improvement* ]]
	[[ "$output" == *"4 matched, 0 regressions"* ]]
	# every line says how many processes and repetitions stand behind it
	printf '%s\n' "$output" | grep '^mmap seqread cache=warm' | grep -q ' 10/10 *50/50 '
}

@test "a 25% slower build is a regression behind 3% process noise; the reverse an improvement" {
	synth base.csv procs=8 reps=3 factor=1 cv=0.01 proc_cv=0.03 phase=0 tag=b
	synth cur.csv procs=8 reps=3 factor=0.75 cv=0.01 proc_cv=0.03 phase=0.3 tag=c
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(verdicts)" = regression ]
	[[ "$output" == *"4 matched, 4 regressions"* ]]
	run "$MMBENCH" compare "$DATA/cur.csv" "$DATA/base.csv"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = improvement ]
}

@test "a 4% shift at 1% noise is same at the 10% threshold, a regression at 2%" {
	synth base.csv procs=10 reps=3 factor=1 cv=0.005 proc_cv=0.01 phase=0 tag=b
	synth cur.csv procs=10 reps=3 factor=0.96 cv=0.005 proc_cv=0.01 phase=0.5 tag=c
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = same ]
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv" --threshold 2
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(verdicts)" = regression ]
}

@test "one process a side is too-few, whatever its repetitions say" {
	synth base.csv procs=1 reps=20 factor=1 cv=0.01 tag=b
	synth cur.csv procs=1 reps=20 factor=0.5 cv=0.01 tag=c
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = too-few ]
	[[ "$output" == *"cannot separate process noise from a change"* ]]
	# 3 processes a side cannot reach p < 0.05 at all: too-few again
	synth base.csv procs=3 reps=2 factor=1 cv=0.01 tag=b
	synth cur.csv procs=3 reps=2 factor=0.5 cv=0.01 tag=c
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = too-few ]
}

@test "large process noise gives unsure, never a failure, and says what would settle it" {
	synth base.csv procs=5 reps=3 factor=1 cv=0.01 proc_cv=0.08 phase=0 tag=b
	synth cur.csv procs=5 reps=3 factor=0.97 cv=0.01 proc_cv=0.08 phase=0.5 tag=c
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = unsure ]
	[[ "$output" == *"more processes a side would likely settle it"* ]]
	# a change within the baseline's own noise: the noise raises the bar
	# for a change, never the band of "same"
	synth base.csv procs=6 reps=3 factor=1 cv=0.01 proc_cv=0.5 phase=0 tag=b
	synth cur.csv procs=6 reps=3 factor=0.85 cv=0.01 proc_cv=0.5 phase=0.5 tag=c
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = unsure ]
	[[ "$output" == *"only a quieter baseline can settle it"* ]]
}

@test "paired rounds see through drift that hides a change from unpaired samples" {
	# each round's two processes share a large offset (drift, a neighbour):
	# the same phase on both sides; the head is 15% slower in every round
	synth base.csv procs=10 reps=3 factor=1 cv=0.01 proc_cv=0.25 phase=0 tag=b
	synth head.csv procs=10 reps=3 factor=0.85 cv=0.01 proc_cv=0.25 phase=0 tag=h
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/head.csv"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(verdicts)" != *regression* ]]
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/head.csv" --paired
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(verdicts)" = regression ]
	[[ "$output" == *"Wilcoxon signed-rank"* ]]
}

@test "the baseline's own A/A noise raises the threshold" {
	# processes of the baseline spread about 20%; a 13% drop that a 10%
	# threshold alone would call a regression is not one
	synth base.csv procs=10 reps=3 factor=1 cv=0.001 proc_cv=0.12 phase=0 tag=b
	synth cur.csv procs=10 reps=3 factor=0.87 cv=0.001 proc_cv=0.001 phase=0 tag=c
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv" --format json
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e 'all(.configurations[]; .baseline_noise > 1.13 and .threshold > 0.13
		and .verdict != "regression")'
}

@test "Holm: a change in one of many configurations needs more than its own p" {
	synth base.csv procs=4 reps=2 factor=1 cv=0.01 proc_cv=0.01 phase=0 tag=b
	synth cur.csv procs=4 reps=2 factor=0.7 cv=0.01 proc_cv=0.01 phase=0.5 tag=c
	# with 4 processes a side the smallest p is 2/70 = 0.029: below 0.05
	# alone, never below 0.05/4 for four gated configurations, so no data
	# could fail the job: too-few, saying why
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv" --format json
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e 'all(.configurations[]; .verdict == "too-few" and (.note | test("cannot reach p < 0.05/4 \\(Holm")))'
	# gating only the warm half halves the family: p_holm = 2 p = 0.057
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv" --gate warm --alpha 0.06 --format json
	echo "$output"
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '[.configurations[] | select(.gated) | .verdict] == ["regression", "regression"]'
	echo "$output" | jq -e '[.configurations[] | select(.gated | not) | .p_holm < 0.03] == [true, true]'
}

@test "cold configurations fail only when gated" {
	synth base.csv procs=8 reps=2 factor=1 cv=0.01 proc_cv=0.02 phase=0 tag=b
	synth cur.csv procs=8 reps=2 factor=1 cold_factor=0.7 cv=0.01 proc_cv=0.02 phase=0.5 tag=c
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	[ "$status" -eq 1 ]
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv" --gate warm
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"regression (not gated)"* ]]
}

@test "direction follows the metric from the column registry" {
	synth base.csv procs=8 reps=2 factor=1 cv=0.01 proc_cv=0.02 phase=0 tag=b
	synth cur.csv procs=8 reps=2 factor=0.8 cv=0.01 proc_cv=0.02 phase=0.5 tag=c
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv" --metric elapsed_ns
	echo "$output"
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" | grep '^mmap seqread cache=warm' | grep -q ' 1.2[0-9][0-9] '
	"$MMBENCH" columns | awk -F'\t' '$1 == "elapsed_ns" && $5 == "lower" { ok = 1 } END { exit !ok }'
	# a column with no better direction cannot be a metric
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv" --metric rep
	[ "$status" -eq 2 ]
	[[ "$output" == *"neither higher nor lower is better"* ]]
}

@test "markdown and json formats carry the same verdicts" {
	synth base.csv procs=8 reps=2 factor=1 cv=0.01 proc_cv=0.02 phase=0 tag=b
	synth cur.csv procs=8 reps=2 factor=0.8 cv=0.01 proc_cv=0.02 phase=0.5 tag=c
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv" --format markdown
	[ "$status" -eq 1 ]
	[[ "$output" == *"| configuration | procs | reps |"* ]]
	[ "$(printf '%s\n' "$output" | grep -c '| regression |')" -eq 4 ]
	"$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv" --format json > "$DATA/c.json" || true
	jq -e '.regressions == 4 and (.configurations | length) == 4 and
	       all(.configurations[]; .verdict == "regression" and .ci_high < 1 and .p_holm < 0.05
		   and .processes_baseline == 8 and .repetitions_current == 16)' "$DATA/c.json"
}

@test "rows that did not verify or were not cold are excluded and named" {
	synth base.csv procs=8 reps=2 factor=1 cv=0.01 proc_cv=0.02 phase=0 tag=b
	synth cur.csv procs=8 reps=2 factor=1 cv=0.01 proc_cv=0.02 phase=0.5 tag=c
	# one current row fails verification, and is also 90% slower; one
	# cold row found its file cached
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
		NR == 2 { $c["verified"] = 0; $c["mib_per_s"] = $c["mib_per_s"] / 10 }
		$c["cache"] == "cold" && !done++ { $c["resident_before"] = "0.9000" } { print }' \
		"$DATA/cur.csv" > "$DATA/bad.csv"
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/bad.csv"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"line 2 "*"excluded from verdicts: did not verify"* ]]
	[[ "$output" == *"excluded from verdicts: cold row found its file cached"* ]]
	# a non-numeric or non-finite metric is excluded, never read as 0
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
		NR == 3 { $c["mib_per_s"] = "nan" } NR == 4 { $c["mib_per_s"] = "x" } { print }' \
		"$DATA/cur.csv" > "$DATA/nan.csv"
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/nan.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -c 'metric not a positive number')" -eq 2 ]
}

@test "bad input exits 2; one-sided configurations are listed" {
	synth base.csv procs=2 reps=2 factor=1 cv=0.01 tag=b
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/missing.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot read '$DATA/missing.csv'"* ]]
	printf 'a,b\n1,2\n' > "$DATA/other.csv"
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/other.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"not an mmbench results file (no column"* ]]
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/base.csv" --threshold x
	[ "$status" -eq 2 ]
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/base.csv" --metric nope
	[ "$status" -eq 2 ]
	[[ "$output" == *"no column 'nope' for --metric"* ]]
	# nothing in common: exit 2
	sed '2,$ s/,4096,/,8192,/' "$DATA/base.csv" > "$DATA/moved.csv"
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/moved.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no configuration"*"only in the current"* ]]
	# one line, on stderr, not a table
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ]
	# partly in common: the rest is listed, not dropped
	grep -v ',cold,' "$DATA/base.csv" > "$DATA/part.csv"
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/part.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"only in baseline: "* ]]
}

@test "different machines are warned about from every row; several hosts are matched host by host" {
	synth base.csv procs=4 reps=2 factor=1 cv=0.01 tag=b
	synth cur.csv procs=4 reps=2 factor=1 cv=0.01 host=otherhost tag=c
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/cur.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: host differs"* ]]
	[[ "$output" == *"4 matched"* ]]
	# a kernel that changes in the last row only is still seen
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } { last = $0 }
		NR > 1 { if (prev != "") print prev; prev = $0; next } { print }
		END { $0 = last; $c["kernel"] = "9.9.9"; print }' "$DATA/base.csv" > "$DATA/kern.csv"
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/kern.csv"
	echo "$output"
	[[ "$output" == *"rows from several values of kernel are pooled"* ]]
	# a merged file of two hosts against the same: matched per host
	cat "$DATA/base.csv" <(tail -n +2 "$DATA/cur.csv") > "$DATA/both.csv"
	run "$MMBENCH" compare "$DATA/both.csv" "$DATA/both.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"8 matched"* ]]
	run "$MMBENCH" compare "$DATA/both.csv" "$DATA/both.csv" --pool-hosts
	[[ "$output" == *"4 matched"* ]]
}

@test "results written by an older mmbench load; unknown columns are noted" {
	synth base.csv procs=4 reps=2 factor=1 cv=0.01 tag=b
	# drop two parameter columns, as a file from before they existed
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "stdio_buffer" || $i == "latency_every") drop[i] = 1 }
		{ line = ""; for (i = 1; i <= NF; i++) if (!(i in drop)) line = line (line == "" ? "" : ",") $i; print line }' \
		"$DATA/base.csv" > "$DATA/old.csv"
	run "$MMBENCH" summary "$DATA/old.csv"
	[ "$status" -eq 0 ]
	# they read as the defaults, so old and new rows match
	run "$MMBENCH" compare "$DATA/old.csv" "$DATA/base.csv"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"4 matched"* && "$output" != *"only in"* ]]
	# a column from a newer mmbench is kept out, and said so
	sed '1 s/$/,future_column/; 2,$ s/$/,7/' "$DATA/base.csv" > "$DATA/new.csv"
	run "$MMBENCH" compare "$DATA/base.csv" "$DATA/new.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"does not know, ignored: future_column"* ]]
}

@test "end to end: real processes of one build compare without error" {
	for p in 1 2 3; do
		"$MMBENCH" run --dir "$DATA" --size 4M --backend read --workload seqread --block 64K \
			--reps 2 --warmup 0 --quiet --csv "$DATA/a.csv"
		"$MMBENCH" run --dir "$DATA" --size 4M --backend read --workload seqread --block 64K \
			--reps 2 --warmup 0 --quiet --csv "$DATA/b.csv"
	done
	run "$MMBENCH" compare "$DATA/a.csv" "$DATA/b.csv" --paired --format json
	echo "$output"
	[ "$status" -eq 0 ] || [ "$status" -eq 1 ]
	echo "$output" | jq -e '.paired and (.configurations | length) == 1 and
		.configurations[0].processes_baseline == 3 and .configurations[0].repetitions_current == 6'
}

@test "every results reader refuses a broken CSV in one line naming the file and the line" {
	synth good.csv procs=2 reps=2 factor=1 cv=0.01 tag=g
	: > "$DATA/empty.csv"
	head -1 "$DATA/good.csv" > "$DATA/header-only.csv"
	# a parameter cell that is no value of its option
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "block_size") c = i } NR == 3 { $c = "4K!" } 1' \
		"$DATA/good.csv" > "$DATA/param.csv"
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "backend") c = i } NR == 2 { $c = "" } 1' \
		"$DATA/good.csv" > "$DATA/nobackend.csv"
	head -c 2000 /dev/urandom | tr -d '\n' > "$DATA/junk.csv"
	(head -2 "$DATA/good.csv"; echo '"unterminated,1') > "$DATA/quote.csv"
	cut -d, -f1-12 "$DATA/good.csv" > "$DATA/cut.csv"
	mkdir "$DATA/folder"
	local -A want=(
		[empty.csv]="line 1: not a well-formed results CSV"
		[header-only.csv]="holds no rows, only a header"
		[param.csv]="line 3: column block_size: invalid size '4K!'"
		[nobackend.csv]="line 2: column backend: invalid name ''"
		[junk.csv]="not a"
		[quote.csv]="line 3: not a well-formed results CSV"
		[cut.csv]="is not an mmbench results file (no column"
		[folder]="is a folder without results.csv"
	)
	for f in "${!want[@]}"; do
		for cmd in "summary" "compare $DATA/good.csv" "export --format bencher" "merge --out $DATA/m"; do
			# shellcheck disable=SC2086
			run "$MMBENCH" $cmd "$DATA/$f"
			echo "$cmd $f: $status: $output"
			[ "$status" -eq 2 ]
			[ "${#lines[@]}" -eq 1 ]
			[[ "$output" == "mmbench: '$DATA/$f'"*"${want[$f]}"* ]]
			[ ! -e "$DATA/m" ]
		done
	done
}
