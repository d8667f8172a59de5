#!/usr/bin/env bats
# Sweeps, results folders, charts and reports.

load helpers

setup() {
	mmbench_setup
	ROOT=$BATS_TEST_DIRNAME/..
	FIXTURE=$BATS_TEST_DIRNAME/data/sweep-fixture
}
teardown() { mmbench_teardown; }

suite() { printf '%s\n' "$@" > "$DATA/s.sweep"; }

# bad_suite MESSAGE LINES...: the suite is refused with exit 2, a
# FILE:LINE message, and no results folder.
bad_suite() {
	local want=$1
	shift
	suite "$@"
	run "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out" --dir "$DATA"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$want"* ]]
	[ ! -e "$DATA/out" ]
}

@test "suite errors name the file, the line and the problem" {
	bad_suite "s.sweep:2: unknown key 'blok'" "size = 1M" "blok = 4K"
	bad_suite "s.sweep:3: invalid size '4Q' for --block" "# comment" "" "block = 4K 4Q"
	bad_suite "s.sweep:1: no values for 'block'" "block =   # nothing"
	bad_suite "s.sweep:1: key 'csv' cannot be set in a suite" "csv = x.csv"
	bad_suite "s.sweep:2: key 'block' given twice" "block = 4K" "block = 8K"
	bad_suite "s.sweep:1: expected 'key = value ...'" "block 4K"
	bad_suite "s.sweep:1: unknown backend 'mmapp'" "backend = mmap mmapp"
	bad_suite "s.sweep: no parameters" "# only a comment"
	bad_suite "no configuration can run (the last: block=2M: --block 2M is larger than the file" \
		"size = 1M" "block = 4M 2M"
	run "$MMBENCH" sweep "$DATA/none.sweep"
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot open suite"* ]]
}

@test "a tiny sweep writes a complete results folder, never reusing one" {
	suite "backend = mmap read" "workload = seqread randread" "size = 1M" \
		"block = 4K 64K 2M" "ops = 32" "reps = 2" "warmup = 0"
	run "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out" --dir "$DATA"
	[ "$status" -eq 0 ]
	dir=${lines[-1]}
	[[ "$(basename "$dir")" =~ ^.+-[0-9]{8}T[0-9]{6}Z$ ]]
	# 2 blocks x 2 backends x 2 workloads x 2 reps; 2M is larger than the file
	[ "$(csv_column "$dir/results.csv" backend | wc -l)" -eq 16 ]
	[ "$(csv_column "$dir/results.csv" verified | sort -u)" = 1 ]
	grep -q "skipped: block=2M: --block 2M is larger than the file" "$dir/log"
	jq -e '.cpu_model and .kernel' "$dir/sysinfo.json"
	cmp "$DATA/s.sweep" "$dir/suite.sweep"
	# no data file left behind
	[ -z "$(ls "$DATA" | grep -v -e '^out$' -e '^s.sweep$')" ]
	run "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out" --dir "$DATA" --quiet
	[ "$status" -eq 0 ]
	[ "$(ls "$DATA/out" | wc -l)" -eq 2 ]
}

@test "sections: a later section starts from the first one's keys" {
	suite "backend = read" "workload = seqread randread" "size = 1M" "block = 4K 64K" \
		"reps = 1" "warmup = 0" "---" "# one more shape" "workload = randread" "block = 4K" \
		"ops = 16" "---" "block = 8K"
	run "$MMBENCH" sweep "$DATA/s.sweep" --dry-run
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[2]}" = "mmbench run --backend read --workload randread --size 1M --block 4K --reps 1 --warmup 0 --ops 16" ]
	[ "${lines[3]}" = "mmbench run --backend read --workload seqread,randread --size 1M --block 8K --reps 1 --warmup 0" ]
	run timeout 60 "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out" --dir "$DATA" --quiet
	[ "$status" -eq 0 ]
	grep -q '^config: workload=randread block=4K ops=16$' "$DATA"/out/*/log
	# a key twice within one section is still an error; once per section is not
	rm -rf "$DATA/out"
	bad_suite "s.sweep:4: key 'ops' given twice" "size = 1M" "---" "ops = 16" "ops = 32"
	bad_suite "too many sections" "size = 1M" --- --- --- --- --- --- --- ---
}

@test "list keys may be separated by any run of blanks or commas" {
	suite "backend =   mmap  ,	read   stdio" "workload = seqread" "size = 1M" "reps = 1" "warmup = 0"
	run "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out" --dir "$DATA" --quiet
	[ "$status" -eq 0 ]
	[ "$(csv_column "${lines[-1]}/results.csv" backend | sort -u | paste -sd,)" = mmap,read,stdio ]
}

@test "Ctrl-C during a sweep keeps every completed row and removes temp files" {
	suite "backend = read" "workload = seqread" "size = 8M" "reps = 100000" "warmup = 0"
	"$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out" --dir "$DATA" --quiet > /dev/null &
	pid=$!
	for _ in $(seq 200); do
		f=$(ls "$DATA"/out/*/results.csv 2>/dev/null || true)
		[ -n "$f" ] && [ "$(wc -l < "$f")" -ge 4 ] && break
		sleep 0.05
	done
	kill -INT "$pid"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 130 ]
	f=$(ls "$DATA"/out/*/results.csv)
	# the log says the sweep did not finish, and why
	tail -1 "$(dirname "$f")/log" | grep -q "^interrupted by SIGINT: the sweep stopped before its end"
	! grep -q "^done:" "$(dirname "$f")/log"
	[ "$(csv_column "$f" verified | wc -l)" -ge 3 ]
	[ "$(csv_column "$f" verified | sort -u)" = 1 ]
	awk -F, 'NR == 1 { n = NF } NF != n { exit 1 }' "$f"
	[ -z "$(ls "$DATA" | grep -v -e '^out$' -e '^s.sweep$')" ]
}

@test "the shipped suites parse and their configurations validate" {
	for s in "$ROOT"/bench/*.sweep; do
		# make engines' runs real engines on databases it makes: the
		# next test's
		[ "$(basename "$s")" != engines.sweep ] || continue
		# the real suite must parse; a copy shrunk to tiny sizes must run
		run "$MMBENCH" sweep "$s" --out /nonexistent/dir --quiet
		[ "$status" -ne 2 ]
		sed -e 's/^size = .*/size = 64K/' -e 's/^block = .*/block = 4K/' \
			-e 's/^reps = .*/reps = 1/' -e 's/^warmup = .*/warmup = 0/' "$s" > "$DATA/probe.sweep"
		run "$MMBENCH" sweep "$DATA/probe.sweep" --out "$DATA/out" --dir "$DATA" --quiet
		echo "$s: $output"
		[ "$status" -eq 0 ]
	done
}

@test "bench/engines.sweep: each engine's modes as exec lines, with the variables make engines sets" {
	# without them, the first one missing is named
	run "$MMBENCH" sweep "$ROOT/bench/engines.sweep" --dry-run
	[ "$status" -eq 2 ]
	[[ "$output" == *'engines.sweep:'*': ${ENGINES_ROCKSDB_TABLES} is not set in the environment'* ]]
	: > "$DATA/t1.sst"
	: > "$DATA/t2.sst"
	: > "$DATA/s.db"
	# a db_bench wherever rocksdb-tools is not installed (a point whose
	# program is missing is skipped), and a limit this machine takes
	mkdir "$DATA/bin"
	ln -s /bin/true "$DATA/bin/db_bench"
	limit=$(($(margin_mib) + 64))M
	PATH=$DATA/bin:$PATH ENGINES_ROCKSDB=$DATA ENGINES_ROCKSDB_KEYS=10 \
		ENGINES_ROCKSDB_TABLES="$DATA/t1.sst $DATA/t2.sst" ENGINES_ROCKSDB_LIMIT=$limit \
		ENGINES_SQLITE_BENCH=/bin/true ENGINES_SQLITE_DB=$DATA/s.db ENGINES_SQLITE_ROWS=1000 \
		ENGINES_SQLITE_LIMIT=$limit run "$MMBENCH" sweep "$ROOT/bench/engines.sweep" --dry-run
	echo "$output"
	[ "$status" -eq 0 ]
	# RocksDB: 1 and 2 threads, warm and limited; SQLite: lookups and
	# scan, warm and limited; each in its two modes
	[ "$(grep -c -- '--label rocksdb-mmap .*--mmap_read=1 ' <<< "$output")" -eq 4 ]
	[ "$(grep -c -- '--label rocksdb-read .*--mmap_read=0 ' <<< "$output")" -eq 4 ]
	[ "$(grep -c -- "--file $DATA/t1.sst --file $DATA/t2.sst" <<< "$output")" -eq 8 ]
	[ "$(grep -c -- '--operation lookups .*--label sqlite-mmap .*--mmap 1' <<< "$output")" -eq 2 ]
	[ "$(grep -c -- '--operation scan .*--label sqlite-read .*--mmap 0' <<< "$output")" -eq 2 ]
	[ "$(grep -c -- "--cache cold --mem-limit $limit" <<< "$output")" -eq 8 ]
	[[ "$output" == *"# 6 rounds"* ]]
}

@test "procs: every configuration in fresh processes, shuffled rounds, shared data files" {
	suite "backend = read mmap" "workload = seqread" "size = 1M" "block = 4K 64K" \
		"reps = 2" "warmup = 0" "procs = 3"
	run timeout 120 "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out" --dir "$DATA" --quiet
	echo "$output"
	[ "$status" -eq 0 ]
	dir=$(ls -d "$DATA"/out/*/)
	# 2 configurations x 3 rounds = 6 processes, each with its own run_id
	[ "$(csv_column "$dir/results.csv" run_id | sort -u | wc -l)" -eq 6 ]
	[ "$(grep -c '^process: round' "$dir/log")" -eq 6 ]
	# every round runs each configuration once
	for r in 1 2 3; do
		[ "$(grep -c "^process: round $r/3 " "$dir/log")" -eq 2 ]
	done
	# one shared data file for all six, and it is gone afterwards
	[ "$(grep -o -- '--file [^ ]*' "$dir/log" | sort -u | wc -l)" -eq 1 ]
	[ ! -e "$(grep -o -- '--file [^ ]*' "$dir/log" | head -1 | cut -d' ' -f2)" ]
	# summary and the rows agree: 3 processes of 2 repetitions a line
	"$MMBENCH" summary "$dir" | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ if ($c["procs"] != 3 || $c["n"] != 6) bad++ } END { exit bad }'
	# --procs on the command line overrides the suite; run refuses it
	run timeout 120 "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out2" --dir "$DATA" --procs 1 --quiet
	[ "$status" -eq 0 ]
	[ "$(csv_column "$(ls -d "$DATA"/out2/*/)/results.csv" run_id | sort -u | wc -l)" -eq 2 ]
	run "$MMBENCH" run --procs 2
	[ "$status" -eq 2 ]
	[[ "$output" == *"--procs is an option of sweep, not run"* ]]
	rm -rf "$DATA/out"
	bad_suite "s.sweep:1: key 'procs' takes one value, not a list" "procs = 2 3" "size = 1M"
	bad_suite "invalid number 'x' for --procs" "procs = x"
}

@test "an in-process sweep writes one data file per size and seed, shared by its configurations" {
	suite "backend = read mmap" "workload = seqread inplace" "size = 1M 2M" "block = 4K 64K" \
		"cache = warm cold" "reps = 2" "warmup = 0"
	run timeout 120 "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out" --dir "$DATA" --quiet
	echo "$output"
	[ "$status" -eq 0 ]
	dir=$(ls -d "$DATA"/out/*/)
	cat "$dir/log"
	# 8 configurations, 2 files: one per size
	[ "$(grep -c '^config: ' "$dir/log")" -eq 8 ]
	[ "$(grep -c '^data file: ' "$dir/log")" -eq 2 ]
	grep -q '^data file: .* (1M, seed 1), shared' "$dir/log"
	grep -q '^data file: .* (2M, seed 1), shared' "$dir/log"
	# inplace put every block back from the pattern: later configurations
	# on the same file still verify, every row does, and the files, with
	# no journal beside them, are gone
	[ "$(csv_column "$dir/results.csv" verified | sort -u)" = 1 ]
	[ "$(csv_column "$dir/results.csv" run_id | wc -l)" -eq 64 ]
	for f in $(sed -n 's/^data file: \([^ ]*\) .*/\1/p' "$dir/log"); do
		[ ! -e "$f" ]
		[ ! -e "$f.mmbench-journal" ]
	done
	[ -z "$(ls "$DATA"/*.mmbench-journal 2>/dev/null)" ]
}

@test "settle: more rounds of mmap and read only where their verdict is unsure, judged by the one rule" {
	suite "backend = mmap read stdio" "workload = reread seqread" "size = 1M" "block = 4K 64K" \
		"reps = 1" "warmup = 0" "procs = 3" "settle = 300"
	run timeout 300 "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out" --dir "$DATA" --quiet
	echo "$output"
	[ "$status" -eq 0 ]
	dir=$(ls -d "$DATA"/out/*/)
	cat "$dir/log"
	# the first rounds as without settling, then its summary line
	[ "$(grep -c '^process: round' "$dir/log")" -eq 6 ]
	grep -qE '^settled: [0-9]+ more rounds?, [0-9]+ processes in [0-9]+ s of 300; 0 configurations still unsure$' "$dir/log"
	# a settling process runs mmap and read, in workloads the judgement
	# before it called unsure, and nothing else
	awk '/^unsure: / { sub(/^unsure: /, ""); sub(/: mmap\/read .*/, ""); u[$0] = 1 }
		/^process: settle / { l = $0; sub(/.*--block /, "", l); split(l, b, " ")
			sub(/.*--workload /, "", $0); split($0, w, " "); n = split(w[1], ws, ",")
			for (i = 1; i <= n; i++) if (!(("block=" b[1] " " ws[i]) in u)) bad++ }
		/^process: settle / && !/--backend mmap,read / { bad++ }
		END { exit bad }' "$dir/log"
	# stdio kept its 3 processes; every process of mmap and read is counted
	"$MMBENCH" summary "$dir" | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["backend"] == "stdio" && $c["procs"] != 3 { bad++ }
		$c["procs"] < 3 { bad++ } END { exit bad }'
	# with the budget to spare, no verdict is left decided below 95%
	"$MMBENCH" verdicts "$dir" | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["verdict"] ~ /faster$/ && $c["coverage"] < 0.95 { bad++ } END { exit bad }'
	# settle = 0 (the default) adds nothing; with two commands it is compare's business
	run timeout 120 "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out2" --dir "$DATA" --settle 0 --quiet
	[ "$status" -eq 0 ]
	! grep -q '^settle' "$(ls -d "$DATA"/out2/*/)/log"
	run timeout 120 "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out3" --dir "$DATA" --procs 1 \
		--cmd "base=$MMBENCH" --cmd "head=$MMBENCH" --quiet
	[ "$status" -eq 0 ]
	grep -q '^settle: not with several commands' "$(ls -d "$DATA"/out3/*/)/log"
	rm -rf "$DATA/out"
	bad_suite "s.sweep:1: key 'settle' takes one value, not a list" "settle = 2 3" "size = 1M"
	run "$MMBENCH" run --settle 2
	[ "$status" -eq 2 ]
}

@test "--cmd: two commands in the same shuffled rounds, rows apart; --dry-run runs nothing" {
	suite "backend = read" "workload = seqread" "size = 1M" "block = 64K" "reps = 1" "warmup = 0"
	# a wrapper with arguments of its own, through the shell
	printf '#!/bin/sh\necho "wrapped $1" >&2\nexec "%s" "$@"\n' "$MMBENCH" > "$DATA/wrap"
	chmod +x "$DATA/wrap"
	run timeout 120 "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out" --dir "$DATA" --procs 4 \
		--cmd "base=$MMBENCH" --cmd "head=$DATA/wrap"
	echo "$output"
	[ "$status" -eq 0 ]
	dir=$(ls -d "$DATA"/out/*/)
	[ "$(csv_column "$dir/base.csv" run_id | sort -u | wc -l)" -eq 4 ]
	[ "$(csv_column "$dir/head.csv" run_id | sort -u | wc -l)" -eq 4 ]
	[ "$(grep -c '^wrapped run' "$dir/log")" -eq 4 ]
	# back to back, each leading in half the rounds (counterbalanced)
	[ "$(grep '^process: round' "$dir/log" | awk '{ sub(":", "", $4); print $4 }' | paste -sd' ')" = "base head head base base head head base" ] ||
		[ "$(grep '^process: round' "$dir/log" | awk '{ sub(":", "", $4); print $4 }' | paste -sd' ')" = "head base base head head base base head" ]
	[ ! -e "$dir/results.csv" ]
	# a failing command is a failed process, logged, and the exit status says so
	run timeout 120 "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out3" --dir "$DATA" --procs 1 \
		--cmd "base=$MMBENCH" --cmd "head=false"
	[ "$status" -eq 1 ]
	grep -q '^failed: round 1/1 head' "$(ls -d "$DATA"/out3/*/)/log"
	run "$MMBENCH" sweep "$DATA/s.sweep" --cmd a=x --cmd a=y
	[ "$status" -eq 2 ]
	run "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/dry" --dry-run --procs 2
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "mmbench run --backend read --workload seqread --size 1M --block 64K --reps 1 --warmup 0" ]]
	[[ "$output" == *"# 2 rounds"* ]]
	[ ! -e "$DATA/dry" ]
}

@test "summary groups rows by configuration and pairs interleaved reps" {
	run "$MMBENCH" summary "$FIXTURE"
	[ "$status" -eq 0 ]
	# 4 backends x 3 workloads x 2 blocks x 2 caches, plus the header
	[ "${#lines[@]}" -eq 49 ]
	# the median of the three mmap warm 4K seqread rows, computed here
	want=$(paste -d' ' <(csv_column "$FIXTURE/results.csv" backend) \
		<(csv_column "$FIXTURE/results.csv" workload) <(csv_column "$FIXTURE/results.csv" block_size) \
		<(csv_column "$FIXTURE/results.csv" cache) <(csv_column "$FIXTURE/results.csv" mib_per_s) |
		awk '$1 == "mmap" && $2 == "seqread" && $3 == 4096 && $4 == "warm" { print $5 }' | sort -g | sed -n 2p)
	got=$(printf '%s\n' "${lines[@]}" | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["backend"] == "mmap" && $c["workload"] == "seqread" && $c["block_size"] == 4096 &&
		$c["cache"] == "warm" { print $c["mib_median"], $c["procs"], $c["n"], $c["host"] }')
	[ "$got" = "$want 1 3 vm" ]
	run "$MMBENCH" summary "$FIXTURE" --ratio mmap:read
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 13 ]
	# one process: the interval covers its repetitions, and says so
	printf '%s\n' "${lines[@]}" | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ if ($c["interval_over"] != "repetitions" || $c["ratio_lo"] > $c["ratio_median"] ||
		      $c["ratio_hi"] < $c["ratio_median"]) bad++ } END { exit bad }' 
	run "$MMBENCH" summary "$DATA"
	[ "$status" -eq 2 ]
}

@test "plot draws valid, non-trivial PNG and SVG charts from the fixture" {
	mkdir -p "$DATA/res"
	cp -r "$FIXTURE" "$DATA/res/fixture"
	run "$ROOT/scripts/plot" "$DATA/res/fixture" "$DATA/plots"
	[ "$status" -eq 0 ]
	for c in throughput-2M speedup-2M latency-2M costs-warm-2M costs-cold-2M; do
		png=$DATA/plots/fixture/$c.png
		[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
		[ "$(stat -c %s "$png")" -gt 10000 ]
		grep -q '<svg' "$DATA/plots/fixture/$c.svg"
	done
	# every chart title carries the machine
	grep -q "ext4\|$(sed -n 's/.*"fs_type": "\(.*\)".*/\1/p' "$FIXTURE/sysinfo.json")" \
		"$DATA/plots/fixture/throughput-2M.svg"
	run "$ROOT/scripts/plot" "$DATA/nothing"
	[ "$status" -eq 2 ]
}

@test "report tables and findings agree with the fixture" {
	mkdir -p "$DATA/res"
	cp -r "$FIXTURE" "$DATA/res/fixture"
	"$ROOT/scripts/report" "$DATA/res/fixture" "$DATA/plots"
	r=$DATA/res/fixture/REPORT.md
	grep -q '^## Machine' "$r"
	grep -q "$(jq -r .cpu_model "$FIXTURE/sysinfo.json")" "$r"
	# one throughput row per configuration, one ratio row per mmap/read pair
	[ "$(grep -c '^| 2M | \(warm\|cold\) | [a-z]* | [0-9]*K | [a-z]* |' "$r")" -eq 48 ]
	[ "$(grep -c '^| 2M | \(warm\|cold\) | [a-z]* | [0-9]*K | 1 | [0-9]* | [0-9.]*x |' "$r")" -eq 12 ]
	# the ratio row printed for warm 4K reread is the summary's
	want=$("$MMBENCH" summary "$FIXTURE" --ratio mmap:read |
		awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["workload"] == "reread" && $c["block_size"] == 4096 && $c["cache"] == "warm" {
			printf "%.2fx", $c["ratio_median"] }')
	grep -q "^| 2M | warm | reread | 4K | 1 | 3 | $want |" "$r"
	# a finding that says "faster" quotes a ratio whose whole range is on that side
	# (every finding, not just the last a loop in a pipeline would check)
	grep '^- mmap is' "$r" | sed -n 's/.* between \([0-9.]*\)x and.*/\1/p' |
		awk '{ n++; if (!($1 > 1)) bad = 1 } END { exit bad || !n }'
	grep -q '^## Findings' "$r"
	! grep -q '^Warning' "$r"
}

@test "report warns when a single cold repetition was not cold" {
	mkdir -p "$DATA/res/fixture"
	cp "$FIXTURE"/* "$DATA/res/fixture/"
	# the fixture has no quoted fields, so plain comma splitting is exact
	if grep -q '"' "$FIXTURE/results.csv"; then false; fi
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
		!done && $c["backend"] == "read" && $c["cache"] == "cold" { $c["resident_before"] = 0.9; done = 1 }
		{ print }' "$FIXTURE/results.csv" > "$DATA/res/fixture/results.csv"
	"$ROOT/scripts/report" "$DATA/res/fixture" "$DATA/plots"
	grep -q '^Warning: read .* cold rows found up to 90% of the file cached' "$DATA/res/fixture/REPORT.md"
}

@test "progress shows on a terminal and stays off a pipe" {
	command -v script > /dev/null || skip "script (util-linux) not installed"
	suite "backend = read mmap" "workload = seqread" "size = 1M" "block = 4K 64K" "reps = 2" "warmup = 0"
	# script gives mmbench a terminal; progress redraws one line with \r
	script -qec "'$MMBENCH' sweep '$DATA/s.sweep' --out '$DATA/tty' --dir '$DATA'" /dev/null > "$DATA/tty.log"
	grep -q 'elapsed, ETA' "$DATA/tty.log"
	grep -q 'block=64K | ' "$DATA/tty.log"
	grep -q '\[8/8\]\|\[7/8\]' "$DATA/tty.log"
	run "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/pipe" --dir "$DATA"
	[ "$status" -eq 0 ]
	[[ "$output" != *"ETA"* ]]
	run script -qec "'$MMBENCH' sweep '$DATA/s.sweep' --out '$DATA/quiet' --dir '$DATA' --quiet" /dev/null
	[[ "$output" != *"ETA"* ]]
}
