#!/usr/bin/env bats
# The scripts that set mmbench beside its peers: hyperfine (whole-process
# timings) and fio (a cross-check).  Tiny sizes; skipped with a reason when
# the tool is missing (CI installs both, so there they run).

load helpers

setup() {
	mmbench_setup
	ROOT=$BATS_TEST_DIRNAME/..
	export MMBENCH
}
teardown() { mmbench_teardown; }

png_ok() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }

@test "hyperfine-compare: exports, in-process rows and charts that parse" {
	command -v hyperfine > /dev/null || skip "hyperfine not installed"
	run "$ROOT/scripts/hyperfine-compare" --size 4M --runs 3 --warmup 1 --backends mmap,read \
		--cache cold --dir "$DATA" --out "$DATA/res" --plots "$DATA/plots"
	echo "$output"
	[ "$status" -eq 0 ]
	res=$(ls -d "$DATA"/res/*-hyperfine)
	jq -e '(.results | length) == 2 and all(.results[]; (.times | length) == 3 and .parameters.backend)' \
		"$res/hyperfine.json"
	[ "$(wc -l < "$res/hyperfine.csv")" -eq 3 ]
	grep -q '^| Command' "$res/hyperfine.md"
	# one row per run, warm-up included, each verified and cold as prepared
	[ "$(csv_column "$res/inproc-mmap.csv" verified | paste -sd,)" = 1,1,1,1 ]
	csv_column "$res/inproc-read.csv" resident_before | awk '$1 > 0.05 { exit 1 }'
	# the whole process takes longer than the region inside it
	awk -F'\t' 'NR > 1 && !($2 > $3 && $3 > 0) { exit 1 }' "$res/split.tsv"
	# and the cache state each run found is reported: cold, as prepared
	awk -F'\t' 'NR == 1 && $6 != "resident_max" { exit 1 } NR > 1 && !($6 <= 0.05) { exit 1 }' "$res/split.tsv"
	for c in hyperfine-box hyperfine-split; do
		png_ok "$DATA/plots/$(basename "$res")/$c.png"
		grep -q '<svg' "$DATA/plots/$(basename "$res")/$c.svg"
	done
	[ -z "$(ls "$DATA" | grep -v -e '^res$' -e '^plots$')" ]
}

@test "fio-crosscheck: a side-by-side table for every configuration" {
	command -v fio > /dev/null || skip "fio not installed"
	run "$ROOT/scripts/fio-crosscheck" --size 4M --reps 1 --warm-volume 8M --dir "$DATA" \
		--out "$DATA/res"
	echo "$output"
	[ "$status" -eq 0 ]
	res=$(ls -d "$DATA"/res/*-fio)
	# 2 patterns x 2 blocks x 2 cache states x 2 engine pairs, then 9
	# concurrent regimes (io_uring depth 32, O_DIRECT, 2 jobs, writes)
	[ "$(tail -n +2 "$res/crosscheck.tsv" | wc -l)" -eq 25 ]
	awk -F'\t' 'NR > 1 && !($6 > 0 && $7 > 0 && $8 > 0) { print; exit 1 }' "$res/crosscheck.tsv"
	for j in "$res"/*.json; do
		jq -e '.jobs[0].read.io_bytes + .jobs[0].write.io_bytes > 0' "$j" > /dev/null
	done
	grep -q '| rw | bs | cache | fio engine |' "$res/crosscheck.md"
	grep -q 'fadvise_hint=0' "$res/crosscheck.md"
	grep -q '^| randread | 4K | cold | io_uring --iodepth=32 --direct=1 | uring --qd 32 --direct |' \
		"$res/crosscheck.md"
	grep -q '^| randwrite | 1M | warm | mmap  | mmapcopy  |' "$res/crosscheck.md"
	grep -q '^- randread 4K warm, read --threads 2 vs fio psync --numjobs=2: ' "$res/crosscheck.md"
	# every mmbench run's cache state was kept: 25 configurations, + mmap in place
	[ "$(wc -l < "$res/residency.tsv")" -eq 33 ]
	# every mmbench row of the new regimes verified
	for c in "$res"/uring32*.csv "$res"/jobs2*.csv "$res"/write*.csv; do
		[ "$(csv_column "$c" verified | sort -u)" = 1 ]
	done
	[ -z "$(ls "$DATA" | grep -v '^res$')" ]
}

@test "the peer scripts reject bad options with exit 2" {
	run "$ROOT/scripts/hyperfine-compare" --cache tepid
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value 'tepid' for --cache"* ]]
	run "$ROOT/scripts/fio-crosscheck" --reps 0
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value '0' for --reps"* ]]
	run "$ROOT/scripts/fio-crosscheck" --bogus 1
	[ "$status" -eq 2 ]
}
