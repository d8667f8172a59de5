#!/usr/bin/env bats
# --interval: the time series of every timed region, in series.csv beside
# the rows.  What completed in the intervals adds up to what the row says,
# whatever the machine's timing; bad values are refused; a sweep's folder
# holds series.csv.

load helpers

setup() { mmbench_setup; }
teardown() { mmbench_teardown; }

# series_of CSV: the series file beside the rows of CSV.
series_of() { echo "${1%.csv}-series.csv"; }

# sums SERIES COLUMN: per backend, workload and rep, the sum of COLUMN,
# as "backend workload rep sum" lines, sorted.
sums() {
	paste -d' ' <(csv_column "$1" backend) <(csv_column "$1" workload) <(csv_column "$1" rep) \
		<(csv_column "$1" "$2") |
		awk '{ s[$1 " " $2 " " $3] += $4 } END { for (k in s) print k, s[k] }' | sort
}

# row_values CSV COLUMN: the same keys with the row's COLUMN, sorted.
row_values() {
	paste -d' ' <(csv_column "$1" backend) <(csv_column "$1" workload) <(csv_column "$1" rep) \
		<(csv_column "$1" "$2") | sort
}

@test "series.csv: the header, a line per interval, and the intervals add up to the row" {
	run "$MMBENCH" run --backend mmap,read --workload seqread,randread --size 16M --ops 16384 \
		--passes 4 --reps 2 --warmup 1 --threads 2 --interval 10 --dir "$DATA" \
		--csv "$DATA/r.csv"
	echo "$output"
	[ "$status" -eq 0 ]
	s=$(series_of "$DATA/r.csv")
	grep -q "^mmbench: series: [0-9]* intervals in '$s'" <<< "$output"
	[ "$(head -1 "$s")" = "$("$MMBENCH" columns --series | tail -n +2 | cut -f1 | paste -sd,)" ]
	# every measured row has its series (warm-ups have none), and what
	# completed in its intervals is every operation and byte of the row
	# (these workloads have no first pass)
	[ "$(sums "$s" done_ops)" = "$(row_values "$DATA/r.csv" ops)" ]
	[ "$(sums "$s" done_bytes)" = "$(row_values "$DATA/r.csv" bytes)" ]
	# the intervals cover the region: from before its start to after its end
	paste -d' ' <(sums "$s" interval_ns) <(row_values "$DATA/r.csv" elapsed_ns) |
		awk '$4 < $8 { print "short:", $0; bad++ } END { exit bad }'
	# numbered from 1, in time order, at most a line per 10 ms tick and
	# the last (a late sampler makes longer intervals, never extra lines)
	paste -d' ' <(csv_column "$s" run_id) <(csv_column "$s" backend) <(csv_column "$s" workload) \
		<(csv_column "$s" rep) <(csv_column "$s" interval) <(csv_column "$s" t_s) \
		<(csv_column "$s" interval_ns) |
		awk '{ k = $1 " " $2 " " $3 " " $4
			if ($5 != ++n[k] || (n[k] > 1 && $6 < t[k])) { print "order:", $0; bad++ }
			t[k] = $6; ns[k] += $7 }
		     END { for (k in n) if (n[k] > ns[k] / 10e6 + 2) { print "lines:", k, n[k]; bad++ }
			   exit bad }'
	# the parameters are the row's, and the counters are counts
	[ "$(csv_column "$s" interval_ms | sort -u)" = 10 ]
	[ "$(csv_column "$s" threads | sort -u)" = 2 ]
	csv_column "$s" resident_sampled | awk '$1 == "unknown" || $1 < 0 || $1 > 1 { bad++ } END { exit bad }'
	! csv_column "$s" major_faults | grep -qvx '[0-9][0-9]*'
}

@test "series.csv: a first pass is the series' phase 'first', and it counts too" {
	run "$MMBENCH" run --backend read --workload reread --size 8M --hot 4M --passes 4 --reps 1 \
		--warmup 0 --interval 10 --dir "$DATA" --csv "$DATA/r.csv" --quiet
	[ "$status" -eq 0 ]
	s=$(series_of "$DATA/r.csv")
	csv_column "$s" phase | head -1 | grep -qx first
	# every pass, the first included: 4 x 4M
	[ "$(csv_column "$s" done_bytes | awk '{ s += $1 } END { print s }')" -eq $((4 * 4 << 20)) ]
}

@test "series.csv: mem has no file, so no resident share; interval 0 writes no series" {
	run "$MMBENCH" run --backend mem --workload randread --size 4M --reps 1 --warmup 0 \
		--interval 10 --dir "$DATA" --csv "$DATA/m.csv" --quiet
	[ "$status" -eq 0 ]
	[ "$(csv_column "$(series_of "$DATA/m.csv")" resident_sampled | sort -u)" = unknown ]
	run "$MMBENCH" run --backend read --workload randread --size 4M --reps 1 --warmup 0 \
		--interval 0 --dir "$DATA" --csv "$DATA/n.csv" --quiet
	[ "$status" -eq 0 ]
	[ -e "$DATA/n.csv" ]
	[ ! -e "$(series_of "$DATA/n.csv")" ]
}

@test "bad --interval values: one line naming the flag and the value, exit 2, nothing written" {
	for v in 5 1 -100 junk 10ms 1e3 3600001; do
		run "$MMBENCH" run --interval "$v" --size 1M --reps 1 --dir "$DATA" --csv "$DATA/r.csv"
		echo "$v: $output"
		[ "$status" -eq 2 ]
		[ "${#lines[@]}" -eq 1 ]
		[[ "$output" == *"'$v' for --interval"* ]]
	done
	# the series go beside the rows: stdout has no beside
	run "$MMBENCH" run --interval 100 --size 1M --reps 1 --dir "$DATA"
	[ "$status" -eq 2 ]
	[ "$output" = "mmbench: --interval 100 writes its series beside the rows: add --csv FILE" ]
	# a series file of another header is never appended to
	echo "other,header" > "$DATA/x-series.csv"
	run "$MMBENCH" run --interval 100 --size 1M --reps 1 --dir "$DATA" --csv "$DATA/x.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"x-series.csv' (the series of --csv"*"has a different header"* ]]
	[ "$(cat "$DATA/x-series.csv")" = "other,header" ]
	ls "$DATA"
	[ ! -e "$DATA/r.csv" ] && [ ! -e "$DATA/x.csv" ]
}

@test "a sweep's results folder holds series.csv, in process mode and in its own process" {
	printf '%s\n' "backend = read" "workload = randread" "size = 4M" "reps = 1" "warmup = 0" \
		"interval = 10 0" > "$DATA/s.sweep"
	for procs in 0 1; do
		run "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out$procs" --dir "$DATA" \
			--procs "$procs" --quiet
		echo "$output"
		[ "$status" -eq 0 ]
		dir=$(tail -1 <<< "$output")
		[ -f "$dir/series.csv" ]
		# only the configuration with the sampler on has lines
		[ "$(csv_column "$dir/series.csv" interval_ms | sort -u)" = 10 ]
		[ "$(csv_column "$dir/results.csv" interval_ms | sort | paste -sd' ')" = "0 10" ]
	done
	# a suite's value is checked as the flag's
	printf '%s\n' "size = 1M" "interval = 100 5" > "$DATA/bad.sweep"
	run "$MMBENCH" sweep "$DATA/bad.sweep" --out "$DATA/bad" --dir "$DATA" --quiet
	echo "$output"
	[[ "$output" == *"'5' for --interval is too small"* ]]
}

@test "plot draws a region's series over time when series.csv is there, and only regions long enough" {
	root=$BATS_TEST_DIRNAME/..
	mkdir -p "$DATA/res"
	cp -r "$root/tests/data/sweep-fixture" "$DATA/res/fx"
	# the fixture: mmap and read, randread, cold, 256M, every 20 ms
	cp "$root/tests/data/series-fixture.csv" "$DATA/res/fx/series.csv"
	run "$root/scripts/plot" "$DATA/res/fx" "$DATA/plots"
	echo "$output"
	[ "$status" -eq 0 ]
	# nothing on stderr but the folder (bats mixes them: one line)
	[ "${#lines[@]}" -eq 1 ]
	# one chart: mmap and read are one configuration, two lines
	[ "$(ls "$DATA/plots/fx" | grep -c '^series-.*\.png$')" -eq 1 ]
	png=$DATA/plots/fx/series-256M-1.png
	[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
	[ "$(stat -c %s "$png")" -gt 20000 ]
	grep -q '<svg' "$DATA/plots/fx/series-256M-1.svg"
	grep -q 'randread, cold, 256M file' "$DATA/plots/fx/series-256M-1.svg"
	# regions of fewer than 10 intervals draw nothing
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "interval") c = i; print; next }
		$c < 10' "$root/tests/data/series-fixture.csv" > "$DATA/res/fx/series.csv"
	rm -rf "$DATA/plots"
	run "$root/scripts/plot" "$DATA/res/fx" "$DATA/plots"
	[ "$status" -eq 0 ]
	! ls "$DATA/plots/fx" | grep -q '^series-'
}

@test "merge carries the series of the processes whose rows it takes" {
	for n in a b; do
		run "$MMBENCH" run --backend read --workload randread --size 4M --reps 1 --warmup 0 \
			--interval 10 --dir "$DATA" --csv "$DATA/$n.csv" --quiet
		[ "$status" -eq 0 ]
	done
	# a: a folder's results.csv and series.csv; b: b.csv and b-series.csv
	mkdir "$DATA/fa"
	mv "$DATA/a.csv" "$DATA/fa/results.csv"
	mv "$DATA/a-series.csv" "$DATA/fa/series.csv"
	run "$MMBENCH" merge "$DATA/fa" "$DATA/b.csv" "$DATA/b.csv" --out "$DATA/m"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *", series.csv" ]]
	[ "$(head -1 "$DATA/m/series.csv")" = "$(head -1 "$DATA/b-series.csv")" ]
	# every line of both, b's once though it was given twice
	[ "$(tail -n +2 "$DATA/m/series.csv" | sort)" = \
		"$(tail -qn +2 "$DATA/fa/series.csv" "$DATA/b-series.csv" | sort)" ]
	# inputs without series give none
	run "$MMBENCH" run --backend read --workload randread --size 4M --reps 1 --warmup 0 \
		--dir "$DATA" --csv "$DATA/c.csv" --quiet
	run "$MMBENCH" merge "$DATA/c.csv" --out "$DATA/m2"
	[ "$status" -eq 0 ]
	[ ! -e "$DATA/m2/series.csv" ]
}
