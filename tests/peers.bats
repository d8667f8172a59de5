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
	# 2 patterns x 2 blocks x 2 cache states x 2 engine pairs, then 11
	# concurrent regimes (io_uring depth 32, O_DIRECT, 2 jobs, an iolog
	# replayed warm and cold, writes)
	[ "$(tail -n +2 "$res/crosscheck.tsv" | wc -l)" -eq 27 ]
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
	# every mmbench run's cache state was kept: 27 configurations, + mmap in place
	[ "$(wc -l < "$res/residency.tsv")" -eq 35 ]
	# the replayed iolog: fio's reads, and mmbench's of the same offsets
	grep -q '^| replay | 4K | cold | psync  | read  |' "$res/crosscheck.md"
	# every mmbench row of the new regimes verified
	for c in "$res"/uring32*.csv "$res"/jobs2*.csv "$res"/replay*.csv "$res"/write*.csv; do
		[ "$(csv_column "$c" verified | sort -u)" = 1 ]
	done
	[ -z "$(ls "$DATA" | grep -v '^res$')" ]
}

@test "fio-crosscheck --only: one regime in 10 interleaved pairs, judged on their ratios" {
	command -v fio > /dev/null || skip "fio not installed"
	run "$ROOT/scripts/fio-crosscheck" --only uring32direct --size 4M --dir "$DATA" --out "$DATA/res"
	echo "$output"
	[ "$status" -eq 0 ]
	res=$(ls -d "$DATA"/res/*-fio)
	# just the one regime: no one-job table, no other regime
	[ "$(tail -n +2 "$res/crosscheck.tsv" | wc -l)" -eq 1 ]
	[ "$(ls "$res"/*.fio | wc -l)" -eq 1 ]
	# 10 pairs by default with --only, each tool once per pair
	[ "$(wc -l < "$res"/uring32direct-randread-4K-cold-io_uring.fio)" -eq 10 ]
	[ "$(wc -l < "$res"/uring32direct-randread-4K-cold-io_uring.mmbench)" -eq 10 ]
	[ "$(ls "$res"/uring32direct-*-[0-9]*.json | wc -l)" -eq 10 ]
	# the pairs' median ratio lies inside its interval, the 2nd and 9th of
	# the 10 sorted ratios, which are computed here again
	paste "$res"/uring32direct-randread-4K-cold-io_uring.fio \
		"$res"/uring32direct-randread-4K-cold-io_uring.mmbench |
		awk '{ print $2 / $1 }' | sort -g > "$DATA/ratios"
	awk -F'\t' -v lo="$(sed -n 2p "$DATA/ratios")" -v hi="$(sed -n 9p "$DATA/ratios")" '
		NR == 1 && ($10 != "pair_ratio" || $11 != "pair_ratio_lo" || $12 != "pair_ratio_hi") { exit 1 }
		NR == 2 && !($11 <= $10 && $10 <= $12 && $11 - lo < 0.001 && lo - $11 < 0.001 &&
			$12 - hi < 0.001 && hi - $12 < 0.001) { exit 1 }' "$res/crosscheck.tsv"
	grep -Eq '^- randread 4K cold, uring --qd 32 --direct vs fio io_uring --iodepth=32 --direct=1: [0-9.]+ \[[0-9.]+, [0-9.]+\] over 10 pairs, (met|missed)$' \
		"$res/crosscheck.md"
	grep -Eq '^- uring32direct-randread-4K-cold-io_uring: [0-9.]+ / [0-9.]+$' "$res/crosscheck.md"
	[ "$(csv_column "$res"/uring32direct-randread-4K-cold-io_uring.csv verified | sort -u)" = 1 ]
	[ -z "$(ls "$DATA" | grep -v -e '^res$' -e '^ratios$')" ]
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
	run "$ROOT/scripts/fio-crosscheck" --only uring64 --dir "$DATA" --out "$DATA/res"
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value 'uring64' for --only (one of: jobs2 psyncdirect replay uring32 uring32direct write)"* ]]
	run "$ROOT/scripts/fio-crosscheck" --only
	[ "$status" -eq 2 ]
	[[ "$output" == *"missing value for --only"* ]]
	run "$ROOT/scripts/fio-crosscheck" --only uring32 --reps 0
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value '0' for --reps"* ]]
	# nothing was made before the refusals
	[ -z "$(ls "$DATA")" ]
}
