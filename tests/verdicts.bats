#!/usr/bin/env bats
# mmbench verdicts: one rule decides, and every place that shows a verdict
# shows the same one - run's end summary, REPORT.md, the heat map's cells, a
# fleet report and CLAIMS.md.  The fixture holds configurations decided over
# processes, over the pairs of one process, undecided and too few.

load helpers

setup() {
	mmbench_setup
	ROOT=$BATS_TEST_DIRNAME/..
	FIXTURE=$BATS_TEST_DIRNAME/data/sweep-fixture
	# the sweep fixture (one process, 3 reps: decided over pairs), with its
	# mmap and read seqread 4K rows replaced by synthetic processes: 6 warm
	# ones (decided over processes, at 95%) and 2 cold ones (too few to say)
	mkdir -p "$DATA/v"
	cp "$FIXTURE/sysinfo.json" "$FIXTURE/suite.sweep" "$DATA/v/"
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
		!($c["workload"] == "seqread" && $c["block_size"] == 4096 &&
		  ($c["backend"] == "mmap" || $c["backend"] == "read"))' "$FIXTURE/results.csv" > "$DATA/v/results.csv"
	for p in "warm 6" "cold 2"; do
		set -- $p
		awk -v procs="$2" -v reps=3 -v factor=1 -v cv=0.02 -v proc_cv=0.05 -v tag="$1" \
			-f "$ROOT/scripts/csv.awk" -f "$BATS_TEST_DIRNAME/synth.awk" "$FIXTURE/results.csv" |
			awk -F, -v cache="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
				$c["cache"] == cache' >> "$DATA/v/results.csv"
	done
}
teardown() { mmbench_teardown; }

# verdict_of TSV CONFIG: the verdict column of the line whose config is CONFIG.
verdict_of() {
	awk -F'\t' -v want="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["config"] == want { print $c["verdict"] }' "$1"
}

# The configurations under test, each with the verdict and unit it must get.
CASES=(
	"seqread 2M 4K warm ops=512 passes=1|mmap faster|processes|6"
	"seqread 2M 4K cold ops=512 passes=1|too few to say|processes|2"
	"randread 2M 64K warm ops=8 passes=1|no consistent difference|pairs|3"
	"randread 2M 64K cold ops=8 passes=1|read faster|pairs|3"
	"reread 2M 4K warm ops=448 passes=8 hot=256K|mmap faster|pairs|3"
)

@test "verdicts: one line per configuration, decided over processes, over pairs, or not at all" {
	run "$MMBENCH" verdicts "$DATA/v"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" > "$DATA/verdicts.tsv"
	[ "${#lines[@]}" -eq 13 ]
	for c in "${CASES[@]}"; do
		IFS='|' read -r cfg want over units <<< "$c"
		got=$(awk -F'\t' -v want="$cfg" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["config"] == want { print $c["verdict"] "|" $c["decided_over"] "|" $c["units"] "|" $c["estimator"] }' \
			"$DATA/verdicts.tsv")
		echo "$cfg: $got"
		[ "$got" = "$want|$over|$units|hodges-lehmann" ]
	done
	# the header is the registry's, with the backends named
	want=$("$MMBENCH" columns --verdicts | awk -F'\t' 'NR > 1 { sub(/^A_/, "mmap_", $1); sub(/^B_/, "read_", $1); print $1 }' | paste -sd' ')
	[[ "$(head -1 "$DATA/verdicts.tsv" | tr '\t' ' ')" == *" $want" ]]
	# --pair turns it round; a bad pair is a usage error
	run "$MMBENCH" verdicts "$DATA/v" --pair read:mmap
	[ "$status" -eq 0 ]
	[[ "$output" == *"read faster"* && "$output" == *"read_median"* ]]
	run "$MMBENCH" verdicts "$DATA/v" --pair mmap
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value 'mmap' for --pair"* ]]
	# the results columns are listed as before
	run "$MMBENCH" columns
	[[ "$output" != *"verdict"$'\t'* ]]
}

@test "the report, the heat map and a fleet report show the verdict mmbench verdicts gives" {
	"$MMBENCH" verdicts "$DATA/v" > "$DATA/verdicts.tsv"
	"$ROOT/scripts/report" "$DATA/v" "$DATA/plots"
	"$ROOT/scripts/plot" "$DATA/v" "$DATA/plots" > /dev/null
	# a fleet of two hosts with these results; beta's mmap 4x faster on cold seqread 64K
	mkdir -p "$DATA/fleet/alpha" "$DATA/fleet/beta"
	for h in alpha beta; do
		awk -F, -v OFS=, -v h="$h" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
			{ $c["host"] = h; $c["run_id"] = $c["run_id"] "-" h
			  if (h == "beta" && $c["backend"] == "mmap" && $c["workload"] == "seqread" &&
			      $c["block_size"] == 65536 && $c["cache"] == "cold") $c["mib_per_s"] *= 4
			  print }' "$DATA/v/results.csv" > "$DATA/fleet/$h/results.csv"
	done
	"$ROOT/scripts/fleet-report" "$DATA/fleet" 2> /dev/null
	for c in "${CASES[@]}"; do
		IFS='|' read -r cfg want _ <<< "$c"
		[ "$(verdict_of "$DATA/verdicts.tsv" "$cfg")" = "$want" ]
		read -r wl size blk cache _ <<< "$cfg"
		# REPORT.md's mmap/read table
		grep -q "^| $size | $cache | $wl | $blk | .* | $want | " "$DATA/v/REPORT.md"
		# the heat map's cell
		bytes=$(( ${blk%K} * 1024 ))
		grep -qP "^$wl, $cache\t$bytes\t.*\t$want\$" "$DATA/plots/v/speedup-$size.tsv"
		# both hosts' cells of the fleet report
		grep -qF "| $cfg | " "$DATA/fleet/REPORT.md"
		grep -F "| $cfg | " "$DATA/fleet/REPORT.md" | grep -qF ", $want] | "
	done
	# the hosts disagree where beta's verdict flipped, and only there
	grep -q '^- \*\*seqread 2M 64K cold ops=32 passes=1\*\*: mmap faster on beta, read faster on alpha$' \
		"$DATA/fleet/REPORT.md"
	[ "$(grep -c '^- \*\*' "$DATA/fleet/REPORT.md")" -eq 1 ]
	# a finding names no configuration the verdict left undecided
	! grep -q '^- \(mmap\|read\) is .* for \(warm 64K randread\|cold 4K seqread\)' "$DATA/v/REPORT.md"
}

@test "a script reading a verdict column the TSV lacks stops and names it" {
	. "$ROOT/scripts/lib.sh"
	printf 'config\tverdict\nx\tmmap faster\n' > "$DATA/t.tsv"
	run awk -F'\t' "$COL_AWK"' { print col("verdict"), col("ratio_lo") } END { if (colerr) exit 2 }' "$DATA/t.tsv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no column 'ratio_lo' in $DATA/t.tsv"* ]]
	[[ "$output" != *"mmap faster"* ]]
}

@test "run's end summary gives the verdict mmbench verdicts gives for its rows" {
	run "$MMBENCH" run --dir "$DATA" --size 4M --backend mmap,read --workload seqread,randread \
		--reps 4 --warmup 0 --csv "$DATA/r.csv"
	[ "$status" -eq 0 ]
	"$MMBENCH" verdicts "$DATA/r.csv" > "$DATA/rv.tsv"
	for wl in seqread randread; do
		said=$(printf '%s\n' "$output" | sed -n "s/^  $wl *mmap\/read .*, 4 pairs: //p")
		echo "$wl: run says '$said'"
		[ -n "$said" ]
		[ "$(awk -F'\t' -v w="$wl" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["workload"] == w { print $c["verdict"] }' "$DATA/rv.tsv")" = "$said" ]
	done
}

@test "claims: each speed in CLAIMS.md carries the verdict mmbench verdicts gives" {
	cp -r "$BATS_TEST_DIRNAME/data/claims-fixture" "$DATA/c"
	"$ROOT/scripts/claims" --from "$DATA/c" > /dev/null
	"$MMBENCH" verdicts "$DATA/c" > "$DATA/cv.tsv"
	for cfg in "seqread 64M 4K warm ops=16384 passes=1" "seqread 64M 1M cold ops=64 passes=1"; do
		v=$(verdict_of "$DATA/cv.tsv" "$cfg")
		r=$(awk -F'\t' -v want="$cfg" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["config"] == want { printf "%.2f", $c["ratio"] }' "$DATA/cv.tsv")
		echo "$cfg: $r $v"
		grep -qF "| ${r}x ($v) |" "$DATA/c/CLAIMS.md"
	done
}
