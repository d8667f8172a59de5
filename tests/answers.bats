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
	# the default (a quarter of the blocks, 128) is the unnamed row
	grep -q '^| 2M | cold | randread | 4K |  |' "$r"
	! grep -q 'ops=128' "$r"
	# the contradiction becomes one finding that names what decides it
	# every finding names its filesystem ("on ext4")
	grep -q '^- For cold 4K randread of a 2M file on [a-z0-9]*, mmap leads read by .* with ops=128, but with ops=16 read leads' "$r"
	run "$ROOT/scripts/plot" "$DATA/res/ops" "$DATA/plots"
	[ "$status" -eq 0 ]
	grep -q 'randread, cold, ops=16' "$DATA/plots/ops/speedup-2M.svg"
	grep -qP '^randread, cold\t4096\t' "$DATA/plots/ops/speedup-2M.tsv"
	grep -qP '^randread, cold\t65536\t' "$DATA/plots/ops/speedup-2M.tsv"
	grep -q 'mmap ops=16' "$DATA/plots/ops/throughput-2M.svg"
	# and in the costs and latency charts: no variant left out as a gap
	grep -q 'randread ops=16<' "$DATA/plots/ops/costs-cold-2M.svg"
	grep -q 'randread, cold cache, ops=16<' "$DATA/plots/ops/latency-2M.svg"
}

@test "the answer comes first, then the tables; findings carry the regime behind them" {
	mkdir -p "$DATA/res/fx"
	cp "$FIXTURE"/* "$DATA/res/fx/"
	"$ROOT/scripts/report" "$DATA/res/fx" "$DATA/plots"
	r=$DATA/res/fx/REPORT.md
	# order: the answer, ratios, throughput, findings, machine
	[ "$(grep -n '^## ' "$r" | cut -d: -f2 | paste -sd,)" = "## The answer,## mmap / read,## Throughput,## Findings,## Machine,## Charts" ]
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
	grep -q '^- mmap is .* for warm 4K reread (steady passes).* Under memory pressure (cold 4K reread (steady passes, after a cold first pass) of a 8M file under mem_limit=2M on [a-z0-9]*): read leads instead (mmap/read 0\.[0-9]*x; mmap fetched 10\.00 device bytes per useful byte)\.$' "$r"
	# and the pressure rows are a finding of their own, named with their limit
	grep -q '^- read is .* for cold 4K reread (steady passes, after a cold first pass) of a 8M file under mem_limit=2M on [a-z0-9]* ' "$r"
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

# answer REPORT: the lines of its answer, from the heading to the first blank line after them.
answer() { awk '/^## The answer/ { on = 1; next } on && /^- / { print; seen = 1; next } on && seen && /^$/ { exit }' "$1"; }

@test "the answer: at most eight lines, every number one of mmbench verdicts'" {
	mkdir -p "$DATA/res/fx"
	cp "$FIXTURE"/* "$DATA/res/fx/"
	"$ROOT/scripts/report" "$DATA/res/fx" "$DATA/plots"
	answer "$DATA/res/fx/REPORT.md" > "$DATA/answer"
	cat "$DATA/answer"
	[ "$(wc -l < "$DATA/answer")" -le 8 ]
	# the first section of the report
	[ "$(grep -m1 '^## ' "$DATA/res/fx/REPORT.md")" = "## The answer" ]
	"$MMBENCH" verdicts "$DATA/res/fx" > "$DATA/v.tsv"
	# counts and the largest leads, as verdicts gives them
	read -r nm nr nu n best worst < <(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ n++; v = $c["verdict"]; r = $c["ratio"] + 0
		  if (v == "mmap faster") { nm++; if (r > best) best = r } else if (v == "read faster") { nr++; if (!worst || r < worst) worst = r } else nu++ }
		END { printf "%d %d %d %d %.2f %.2f\n", nm, nr, nu, n, best, 1 / worst }' "$DATA/v.tsv")
	grep -q "^- \*\*mmap is faster\*\* in $nm of $n configurations, by up to ${best}x: warm 4K reread (steady passes) on [a-z0-9]* (interval " "$DATA/answer"
	grep -q "^- \*\*read is faster\*\* in $nr, by up to ${worst}x: " "$DATA/answer"
	grep -q "^- \*\*Undecided\*\*: $nu (0 with too few processes to say), e.g. warm 64K randread on [a-z0-9]* 0.83x" "$DATA/answer"
	# the regime and its counters, per cache state
	grep -q '^- \*\*What decides it\*\*, by cache state: .*warm: mmap [0-9]*, read 0, undecided 1.*\. Where mmap leads most (warm): mmap [0-9.]* device bytes per useful byte and [0-9.]* page faults per MiB' "$DATA/answer"
	# one process of 3 repetitions: the answer says what it rests on
	grep -q "^- \*\*Behind it\*\*: 3 to 3 processes per verdict, but $n decided over the repetitions of one process\.$" "$DATA/answer"
	grep -q '^- \*\*The ceiling\*\*: no backend ran above mem beyond its interval\.$' "$DATA/answer"
}

@test "a backend above mem beyond its interval is said, and explained with mem_pages and the folios" {
	mkdir -p "$DATA/res/ceil"
	cp "$FIXTURE"/* "$DATA/res/ceil/"
	# warm seqread 64K: mmap at 3x mem, mem in 4K pages, the file in large folios
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print $0, "mem_pages", "folio_large", "folio_median_bytes"; next }
		$c["workload"] == "seqread" && $c["block_size"] == 65536 && $c["cache"] == "warm" { if ($c["backend"] == "mem") m[$c["rep"]] = $c["mib_per_s"]; else if ($c["backend"] == "mmap") line[$c["rep"]] = $0 }
		{ rows[NR] = $0 }
		END { for (i = 2; i <= NR; i++) { $0 = rows[i]
			if ($c["workload"] == "seqread" && $c["block_size"] == 65536 && $c["cache"] == "warm" && $c["backend"] == "mmap") $c["mib_per_s"] = 3 * m[$c["rep"]]
			print $0, ($c["backend"] == "mem" ? "4K" : "none"), "0.9500", 2097152 } }' \
		"$FIXTURE/results.csv" > "$DATA/res/ceil/results.csv"
	"$ROOT/scripts/report" "$DATA/res/ceil" "$DATA/plots"
	r=$DATA/res/ceil/REPORT.md
	answer "$r" | grep -q '^- \*\*The ceiling\*\*: 1 configurations show a backend above mem beyond its interval; the lines below say why\.$'
	grep -q "^- Above the ceiling: mmap ran at 3.00x mem (interval 3.00x..3.00x over 3 processes) in warm 64K seqread\. mem's copy was in 4K pages (mem_pages), while mmap read a page cache holding 95% of the file in large folios (folio_large; median folio 2M)" "$r"
	# the ratio is verdicts' own
	[ "$("$MMBENCH" verdicts "$DATA/res/ceil" --pair mmap:mem | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["config"] ~ /^seqread 2M 64K warm/ { print $c["verdict"] }')" = "mmap faster" ]
}

@test "a parameter varied in some configurations only splits no row or series of the others" {
	mkdir -p "$DATA/res/thr"
	cp "$FIXTURE"/* "$DATA/res/thr/"
	# warm seqread 4K again with 2 threads, mmap and read only: threads
	# varies there and nowhere else
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print $0, "threads"; next }
		{ print $0, 1 }
		$c["workload"] == "seqread" && $c["block_size"] == 4096 && $c["cache"] == "warm" &&
		($c["backend"] == "mmap" || $c["backend"] == "read") { $c["run_id"] = $c["run_id"] "-t2"; print $0, 2 }' \
		"$FIXTURE/results.csv" > "$DATA/res/thr/results.csv"
	"$MMBENCH" summary "$DATA/res/thr" > "$DATA/s.tsv"
	# the words: threads=2 where it is 2, nothing at the default, mem's included
	[ "$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c["other"] }' "$DATA/s.tsv" | sort | uniq -c | awk '{ print $1 ":" $2 }' | paste -sd' ')" = "48: 2:threads=2" ]
	run "$ROOT/scripts/plot" "$DATA/res/thr" "$DATA/plots"
	[ "$status" -eq 0 ]
	t=$DATA/plots/thr
	# one heat map row for seqread warm at both blocks, one for threads=2 at 4K
	[ "$(grep -cP '^seqread, warm\t' "$t/speedup-2M.tsv")" -eq 2 ]
	[ "$(grep -cP '^seqread, warm, threads=2\t4096\t' "$t/speedup-2M.tsv")" -eq 1 ]
	[ "$(grep -c 'threads' "$t/speedup-2M.tsv")" -eq 1 ]
	# series: mmap, mmap threads=2, mem (ceiling); never "threads=1"
	grep -q '>mmap threads=2<' "$t/throughput-2M.svg"
	grep -q '>mmap<' "$t/throughput-2M.svg"
	grep -q '>mem (ceiling)<' "$t/throughput-2M.svg"
	! grep -q 'threads=1' "$t"/*.svg
	# the report's tables the same way
	"$ROOT/scripts/report" "$DATA/res/thr" "$DATA/plots"
	grep -q '^| 2M | warm | seqread | 4K | threads=2 | 1 | 3 |' "$DATA/res/thr/REPORT.md"
	grep -q '^| 2M | warm | seqread | 64K |  | 1 | 3 |' "$DATA/res/thr/REPORT.md"
	! grep -q 'threads=1' "$DATA/res/thr/REPORT.md"
}

@test "charts leave out what was not measured: panels, block columns, cost charts" {
	mkdir -p "$DATA/res/part"
	cp "$FIXTURE"/* "$DATA/res/part/"
	# a second file size with cold 4K randread of mmap and read alone
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next } { print }
		$c["workload"] == "randread" && $c["block_size"] == 4096 && $c["cache"] == "cold" &&
		($c["backend"] == "mmap" || $c["backend"] == "read") { $c["file_size"] = 8388608; $c["ops"] = 512; print }' \
		"$FIXTURE/results.csv" > "$DATA/res/part/results.csv"
	run "$ROOT/scripts/plot" "$DATA/res/part" "$DATA/plots"
	[ "$status" -eq 0 ]
	p=$DATA/plots/part
	! grep -q 'not measured' "$p"/*.svg
	[ ! -e "$p/costs-warm-8M.svg" ] && [ -e "$p/costs-cold-8M.svg" ]
	grep -q 'randread, cold cache' "$p/throughput-8M.svg"
	! grep -q 'seqread' "$p/throughput-8M.svg"
	# the heat map of the 8M file has the 4K column only
	grep -q '>4K<' "$p/speedup-8M.svg"
	! grep -q '>64K<' "$p/speedup-8M.svg"
	# a bar only for the backends measured there
	! grep -q '>stdio<' "$p/costs-cold-8M.svg"
}

@test "the report names the filesystem in every finding, and says where another filesystem changes the answer" {
	mkdir -p "$DATA/res/fs"
	cp "$FIXTURE"/* "$DATA/res/fs/"
	# the fixture again on xfs, from other processes, with warm 4K reread
	# through mmap 20 times slower there, and every folio small (ext4's
	# rows: 60% (mmap) and 70% (read) of their cached bytes in large folios)
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print $0, "folio_large"; next }
		{ print $0, ($c["backend"] == "mmap" ? "0.6000" : "0.7000")
		$c["fs_type"] = "xfs"; $c["run_id"] = $c["run_id"] "-xfs"
		if ($c["backend"] == "mmap" && $c["workload"] == "reread" && $c["block_size"] == 4096 && $c["cache"] == "warm")
			$c["mib_per_s"] = $c["mib_per_s"] / 20
		print $0, "0.0000" }' "$FIXTURE/results.csv" > "$DATA/res/fs/results.csv"
	"$ROOT/scripts/report" "$DATA/res/fs" "$DATA/plots"
	r=$DATA/res/fs/REPORT.md
	grep '^- ' "$r"
	# every finding of the two largest leads says which filesystem
	grep -q '^- mmap is .* as fast as read for .* on \(ext4\|xfs\) ' "$r"
	grep -q '^- read is .* as fast as mmap for .* on \(ext4\|xfs\) ' "$r"
	# the filesystem is no "other" parameter in the names
	! grep -q 'fs_type=' "$r"
	grep -q '^- The filesystem changes the answer for warm 4K reread (steady passes): [a-z0-9]*: mmap faster (mmap/read [0-9.]*x; .*xfs: read faster (mmap/read 0\.[0-9]*x; mmap [0-9.]* device bytes per useful byte, [0-9.]* page faults per MiB; read [0-9.]*; 0% of cached bytes in large folios)' "$r"
	grep -q '^- The filesystem changes the answer for warm 4K reread (steady passes): ext4: .*; 60% to 70% of cached bytes in large folios); xfs: ' "$r"
}
