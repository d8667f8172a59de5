#!/usr/bin/env bats
# Answers a user can trust: every varying axis kept apart in summary,
# report and charts; findings with the regime behind them; run's paired
# ratios with intervals; charts drawn without a warning.

load helpers

setup() {
	mmbench_setup
	ROOT=$BATS_TEST_DIRNAME/..
	FIXTURE=$BATS_TEST_DIRNAME/data/sweep-fixture
	# the fixture plus cold 4K randread at a second ops value, from a second
	# process, with mmap far slower: a suite that varies ops
	mkdir -p "$DATA/res/ops"
	cp "$FIXTURE"/* "$DATA/res/ops/"
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next } { print }
		$c["workload"] == "randread" && $c["block_size"] == 4096 && $c["cache"] == "cold" {
			$c["ops"] = 16; $c["run_id"] = "other-process"
			if ($c["backend"] == "mmap") { $c["mib_per_s"] = $c["mib_per_s"] / 20; $c["dev_read_bytes"] = $c["file_size"] }
			print }' "$FIXTURE/results.csv" > "$DATA/res/ops/results.csv"
}
teardown() { mmbench_teardown; }

@test "two ops values are two configurations in the summary, the report and the charts" {
	run "$MMBENCH" summary "$DATA/res/ops"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["backend"] == "mmap" && $c["workload"] == "randread" && $c["block_size"] == 4096 &&
		$c["cache"] == "cold" { n++ } END { print n }')" -eq 2 ]
	"$ROOT/scripts/report" "$DATA/res/ops" "$DATA/plots"
	r=$DATA/res/ops/REPORT.md
	grep -q '^| file | cache | workload | block | other |' "$r"
	grep -q '^| 2M | cold | randread | 4K | ops=16 |' "$r"
	grep -q '^| 2M | cold | randread | 4K | ops=128 |' "$r"
	# the contradiction becomes one finding that names what decides it
	grep -q '^- For cold 4K randread of a 2M file, mmap leads read by .* with ops=128, but with ops=16 read leads' "$r"
	run "$ROOT/scripts/plot" "$DATA/res/ops" "$DATA/plots"
	[ "$status" -eq 0 ]
	grep -q 'randread, cold, ops=16' "$DATA/plots/ops/speedup-2M.svg"
	grep -q 'randread, cold, ops=128' "$DATA/plots/ops/speedup-2M.svg"
	grep -q 'mmap ops=16' "$DATA/plots/ops/throughput-2M.svg"
	# and in the costs and latency charts: no variant left out as a gap
	grep -q 'randread ops=16<' "$DATA/plots/ops/costs-cold-2M.svg"
	grep -q 'randread, cold cache, ops=16<' "$DATA/plots/ops/latency-2M.svg"
}

@test "findings come first and carry the regime behind them" {
	mkdir -p "$DATA/res/fx"
	cp "$FIXTURE"/* "$DATA/res/fx/"
	"$ROOT/scripts/report" "$DATA/res/fx" "$DATA/plots"
	r=$DATA/res/fx/REPORT.md
	# order: findings, ratios, throughput, machine
	[ "$(grep -n '^## ' "$r" | cut -d: -f2 | paste -sd,)" = "## Findings,## mmap / read,## Throughput,## Machine,## Charts" ]
	grep '^- mmap is\|^- read is' "$r" > "$DATA/findings"
	[ -s "$DATA/findings" ]
	while read -r line; do
		[[ "$line" == *"Cached before: "*"device bytes per useful byte"*"page faults per MiB"* ]]
	done < "$DATA/findings"
	# reread is labelled for what it measures, and its first pass is shown
	grep -q '^- mmap is .* for warm 4K reread (steady passes)' "$r"
	grep -q '^| 2M | cold | reread | 4K | mmap | 1 | 3 | [0-9]* | .* | [0-9.]* ms |$' "$r"
}

@test "run ends with paired ratios and their intervals, and the regime" {
	run "$MMBENCH" run --dir "$DATA" --size 4M --backend mmap,read,stdio --workload seqread,randread \
		--cache cold --reps 4 --warmup 0 --csv "$DATA/r.csv"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Paired ratios"* ]]
	printf '%s\n' "$output" | grep -E '^  seqread +mmap/read +[0-9.]+x  \[[0-9.]+, [0-9.]+\] [0-9]+%, 4 pairs: ' | grep -qE 'faster$|no consistent difference$'
	printf '%s\n' "$output" | grep -qE '^  randread +stdio/read '
	[[ "$output" == *"device bytes per useful byte"* ]]
	[[ "$output" == *"resident before: 0%"* ]]
	# --ratio picks one pair
	run "$MMBENCH" run --dir "$DATA" --size 4M --backend mmap,read --workload seqread \
		--reps 2 --warmup 0 --ratio read:mmap --csv "$DATA/r2.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"read/mmap"* && "$output" != *"mmap/read"* ]]
	run "$MMBENCH" run --backend mmap,read --ratio mmap:stdio
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value 'mmap:stdio' for --ratio"* ]]
}

@test "plotting the fixtures writes nothing to stderr; empty panels say so" {
	mkdir -p "$DATA/res/fx"
	cp "$FIXTURE"/* "$DATA/res/fx/"
	"$ROOT/scripts/plot" "$DATA/res/fx" "$DATA/plots" > /dev/null 2> "$DATA/err1"
	"$ROOT/scripts/plot" "$DATA/res/ops" "$DATA/plots" > /dev/null 2> "$DATA/err2"
	cat "$DATA/err1" "$DATA/err2"
	[ ! -s "$DATA/err1" ] && [ ! -s "$DATA/err2" ]
	# warm 4K rows fetch nothing from the device: that panel says all zero
	grep -q 'all zero' "$DATA/plots/fx/costs-warm-2M.svg"
	# the heatmap's colour bar is in ratio units
	grep -q '0.25x' "$DATA/plots/fx/speedup-2M.svg"
	grep -q '>4x<' "$DATA/plots/fx/speedup-2M.svg"
}

@test "the report of a folder without sysinfo.json says unknown, and does not die" {
	mkdir -p "$DATA/res/nosi"
	cp "$FIXTURE/results.csv" "$DATA/res/nosi/"
	run "$ROOT/scripts/report" "$DATA/res/nosi" "$DATA/plots"
	[ "$status" -eq 0 ]
	grep -q '^| memory | unknown, page size unknown |$' "$DATA/res/nosi/REPORT.md"
}

@test "a warm finding stands beside its counterpart under memory pressure, or says there is none" {
	mkdir -p "$DATA/res/pr"
	cp "$FIXTURE"/* "$DATA/res/pr/"
	"$ROOT/scripts/report" "$DATA/res/pr" "$DATA/plots"
	grep -q '^- mmap is .* for warm 4K reread (steady passes).* Under memory pressure: not measured (no reread configuration with mem_limit), so this holds only while the file fits in memory\.$' \
		"$DATA/res/pr/REPORT.md"
	# the fixture's 4K rereads again, from one more process, as a cold 8M
	# file under a 2M limit where mmap is 40x slower
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print $0, "mem_limit"; next }
		{ print $0, 0 }
		$c["workload"] == "reread" && $c["block_size"] == 4096 && $c["cache"] == "warm" {
			$c["cache"] = "cold"; $c["file_size"] = 8388608; $c["run_id"] = "under-pressure"
			if ($c["backend"] == "mmap") { $c["mib_per_s"] = $c["mib_per_s"] / 40; $c["dev_read_bytes"] = 10 * $c["bytes"] }
			print $0, 2097152 }' "$FIXTURE/results.csv" > "$DATA/res/pr/results.csv"
	"$ROOT/scripts/report" "$DATA/res/pr" "$DATA/plots"
	r=$DATA/res/pr/REPORT.md
	grep '^- ' "$r"
	grep -q '^- mmap is .* for warm 4K reread (steady passes).* Under memory pressure (cold 4K reread (steady passes, after a cold first pass) of a 8M file under mem_limit=2M): read leads instead (mmap/read 0\.[0-9]*x; mmap fetched 10\.00 device bytes per useful byte)\.$' "$r"
	# and the pressure rows are a finding of their own, named with their limit
	grep -q '^- read is .* for cold 4K reread (steady passes, after a cold first pass) of a 8M file under mem_limit=2M ' "$r"
}

@test "the eviction cliff: a chart of MiB/s against the share resident, where the limit varies" {
	mkdir -p "$DATA/res/cliff"
	cp "$FIXTURE"/* "$DATA/res/cliff/"
	# the fixture's warm 4K randreads again under a 1M limit, half resident
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print $0, "mem_limit"; next }
		{ print $0, 0 }
		$c["workload"] == "randread" && $c["block_size"] == 4096 && $c["cache"] == "warm" {
			$c["resident_before"] = "0.5000"; $c["mib_per_s"] = $c["mib_per_s"] / 10
			print $0, 1048576 }' "$FIXTURE/results.csv" > "$DATA/res/cliff/results.csv"
	run "$ROOT/scripts/plot" "$DATA/res/cliff" "$DATA/plots"
	[ "$status" -eq 0 ]
	[ -z "$(printf '%s\n' "${lines[@]}" | grep -v '^/' || true)" ]
	grep -q 'as --mem-limit shrinks' "$DATA/plots/cliff/pressure-2M.svg"
	grep -q 'mmap randread warm 4K' "$DATA/plots/cliff/pressure-2M.svg"
	# a suite that never varies the limit gets no such chart
	[ ! -e "$DATA/plots/fx/pressure-2M.svg" ]
	"$ROOT/scripts/plot" "$FIXTURE" "$DATA/plots" > /dev/null
	[ ! -e "$DATA/plots/sweep-fixture/pressure-2M.svg" ]
}
