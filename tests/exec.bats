#!/usr/bin/env bats
# mmbench exec: another program run under a backend's rules - its own
# counters and exit status, --metric, the memory limit around it, its end
# with mmbench - and the SQLite driver of make engines catching a wrong row.
# Assertions are on counters, residency and statuses, never on a time.

load helpers

SQLITE_BENCH=$BATS_TEST_DIRNAME/../build/engines/sqlite-bench

setup() { mmbench_setup; }
teardown() {
	[ -z "${KILL_AT_TEARDOWN:-}" ] || kill -KILL "$KILL_AT_TEARDOWN" 2> /dev/null || true
	mmbench_teardown
}

available_mib() {
	awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo
}

@test "exec: the child's own counters, one row per repetition, its files' cache state set and checked" {
	"$MMBENCH" prepare "$DATA/f" --size 8M
	"$MMBENCH" exec --cache cold --file "$DATA/f" --reps 2 --label cold --quiet \
		--csv "$DATA/e.csv" -- dd if="$DATA/f" of=/dev/null bs=64K 2> /dev/null
	"$MMBENCH" exec --cache warm --file "$DATA/f" --reps 1 --label warm --quiet \
		--csv "$DATA/e.csv" -- dd if="$DATA/f" of=/dev/null bs=64K 2> /dev/null
	# a 64 MiB buffer dd fills: the child's memory, not mmbench's
	"$MMBENCH" exec --reps 1 --label buffer --quiet --csv "$DATA/e.csv" -- \
		dd if=/dev/zero of=/dev/null bs=64M count=1 2> /dev/null
	paste -d' ' <(csv_column "$DATA/e.csv" backend) <(csv_column "$DATA/e.csv" rep) \
		<(csv_column "$DATA/e.csv" dev_read_bytes) <(csv_column "$DATA/e.csv" resident_before) \
		<(csv_column "$DATA/e.csv" resident_after) <(csv_column "$DATA/e.csv" rss_peak_bytes) \
		<(csv_column "$DATA/e.csv" minor_faults) <(csv_column "$DATA/e.csv" user_us)
	[ "$(csv_column "$DATA/e.csv" rep | tr '\n' ' ')" = "1 2 1 1 " ]
	[ "$(csv_column "$DATA/e.csv" workload | sort -u)" = dd ]
	[ "$(csv_column "$DATA/e.csv" file_size | head -3 | sort -u)" = $((8 << 20)) ]
	[ "$(csv_column "$DATA/e.csv" cache | tr '\n' ' ')" = "cold cold warm asis " ]
	paste -d' ' <(csv_column "$DATA/e.csv" backend) <(csv_column "$DATA/e.csv" dev_read_bytes) \
		<(csv_column "$DATA/e.csv" resident_before) <(csv_column "$DATA/e.csv" resident_after) \
		<(csv_column "$DATA/e.csv" rss_peak_bytes) <(csv_column "$DATA/e.csv" minor_faults) \
		<(csv_column "$DATA/e.csv" elapsed_ns) | awk '
		# cold: evicted before, so the child read the file from the device,
		# and left it cached
		$1 == "cold" && !($2 >= 8388608 && $3 <= 0.05 && $4 >= 0.95) { exit 1 }
		# warm: all cached before; the child fetched (almost) nothing
		$1 == "warm" && !($2 < 1048576 && $3 >= 0.95) { exit 1 }
		# the peak holds the 64 MiB buffer
		$1 == "buffer" && !($5 >= 67108864) { exit 1 }
		!($6 > 0 && $7 > 0) { exit 1 }'
	[ "$(csv_column "$DATA/e.csv" verify_source | sort -u)" = exit-status ]
	[ "$(csv_column "$DATA/e.csv" metric | sort -u)" = unknown ]
}

@test "exec: a failing child fails the step with its status and writes no row" {
	run "$MMBENCH" exec --reps 3 --csv "$DATA/e.csv" -- sh -c 'exit 3'
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"'sh' exited with status 3 (sh rep 1): no row, no more repetitions"* ]]
	[ ! -e "$DATA/e.csv" ]
	run "$MMBENCH" exec --reps 1 --label crash --csv "$DATA/e.csv" -- sh -c 'kill -SEGV $$'
	[ "$status" -eq 1 ]
	[[ "$output" == *"'sh' was killed by SIGSEGV (crash rep 1)"* ]]
	[ ! -e "$DATA/e.csv" ]
	# the second repetition fails: the first one's row stays, no third
	run "$MMBENCH" exec --reps 3 --quiet --csv "$DATA/e.csv" -- \
		sh -c 'test -e "$0" && exit 4; touch "$0"' "$DATA/mark"
	[ "$status" -eq 1 ]
	[[ "$output" == *"exited with status 4 (sh rep 2)"* ]]
	[ "$(csv_column "$DATA/e.csv" rep)" = 1 ]
	run "$MMBENCH" exec -- "$DATA/no-such-program"
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot run '$DATA/no-such-program': No such file or directory"* ]]
}

@test "exec: bad command lines name the flag and the value" {
	run "$MMBENCH" exec --reps 1
	[ "$status" -eq 2 ]
	[[ "$output" == *"missing -- CMD for exec"* ]]
	run "$MMBENCH" exec --cache resident --file /etc/hostname -- true
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value 'resident' for --cache with exec (use warm, cold or asis)"* ]]
	run "$MMBENCH" exec --cache cold -- true
	[ "$status" -eq 2 ]
	[[ "$output" == *"--cache cold needs --file"* ]]
	run "$MMBENCH" exec --file "$DATA/missing" -- true
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot open '$DATA/missing' for --file"* ]]
	run "$MMBENCH" exec --metric '[' -- true
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value '[' for --metric"* ]]
	run "$MMBENCH" exec --run-id 'a b' -- true
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value 'a b' for --run-id"* ]]
	# a backend's name would read back as that backend's series
	run "$MMBENCH" exec --label mmap -- true
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value 'mmap' for --label: a backend of mmbench run"* ]]
	[ -z "$(ls -A "$DATA")" ]
}

@test "exec --metric: the first group of a POSIX regex in the child's output is the row's metric" {
	"$MMBENCH" exec --reps 2 --quiet --label rocksdb-mmap --csv "$DATA/e.csv" \
		--metric 'readrandom +: +[0-9.]+ micros/op ([0-9.]+) ops/sec' -- \
		printf 'startup\nreadrandom   :       4.123 micros/op 242514 ops/sec 2.000 seconds\n'
	[ "$(csv_column "$DATA/e.csv" metric | sort -u)" = 242514.0000 ]
	[ "$(csv_column "$DATA/e.csv" backend | sort -u)" = rocksdb-mmap ]
	# the child's stdout passes through, to stdout when the rows go to a file
	run "$MMBENCH" exec --reps 1 --quiet --csv "$DATA/e.csv" --metric '([0-9.]+) ops' -- echo 7.5 ops
	[ "$output" = "7.5 ops" ]
	# ... and to stderr when they go to stdout, which holds only the CSV
	"$MMBENCH" exec --reps 1 --quiet --metric '([0-9.]+) ops' -- echo 7.5 ops 2> /dev/null > "$DATA/s.csv"
	[ "$(csv_column "$DATA/s.csv" metric)" = 7.5000 ]
}

@test "exec --metric: no match, or a group that is no number, fails the step with the reason and no row" {
	run "$MMBENCH" exec --reps 2 --csv "$DATA/e.csv" --metric '([0-9.]+) ops/sec' -- echo nothing here
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"--metric '([0-9.]+) ops/sec' matched nothing in its output: no row"* ]]
	[ ! -e "$DATA/e.csv" ]
	run "$MMBENCH" exec --reps 1 --csv "$DATA/e.csv" --metric '(fast|slow) ops' -- echo fast ops
	[ "$status" -eq 1 ]
	[[ "$output" == *"captured 'fast', not a number"* ]]
	[ ! -e "$DATA/e.csv" ]
	run "$MMBENCH" exec --metric 'ops/sec' -- true
	[ "$status" -eq 2 ]
	[[ "$output" == *"no capture group"* ]]
}

@test "exec --mem-limit holds for a child that reads a file four times the limit" {
	local limit size
	limit=$(($(margin_mib) + 128))
	size=$((4 * limit))
	"$MMBENCH" prepare "$DATA/big" --size "${size}M"
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16 \
		run "$MMBENCH" exec --mem-limit "${limit}M" --cache cold --file "$DATA/big" --reps 1 \
		--quiet --csv "$DATA/l.csv" -- sh -c 'cat "$0" > /dev/null' "$DATA/big"
	if [ "$status" -ne 0 ]; then
		case $output in
		*"would leave this machine short"* | *"cannot lock memory"* | *"nothing to limit"*)
			skip "no memory limit can be set here: ${output##*mmbench: }" ;;
		esac
	fi
	echo "limit ${limit}M, file ${size}M: $output"
	paste -d' ' <(csv_column "$DATA/l.csv" resident_before) <(csv_column "$DATA/l.csv" resident_after) \
		<(csv_column "$DATA/l.csv" dev_read_bytes) <(csv_column "$DATA/l.csv" mem_limit_mechanism)
	[ "$status" -eq 0 ]
	[ "$(csv_column "$DATA/l.csv" mem_limit)" = $((limit * 1048576)) ]
	[[ "$(csv_column "$DATA/l.csv" mem_limit_mechanism)" =~ ^(balloon|cgroup2)$ ]]
	# the child read the whole file from the device, and at most the
	# limit's share (1/4) of it stayed cached
	[ "$(csv_column "$DATA/l.csv" dev_read_bytes)" -ge $((size * 1048576)) ]
	awk -v f="$(csv_column "$DATA/l.csv" resident_after)" 'BEGIN { exit !(f <= 0.30) }'
}

@test "exec: SIGTERM to mmbench ends the child and what it started, and gives the memory back" {
	local limit avail pid i st=0 cg
	limit=$(($(margin_mib) + 128))
	avail=$(available_mib)
	[ "$avail" -gt $((limit + 1024)) ] || skip "only ${avail} MiB available"
	# the binary itself, so the signal is its own (timeout-mmbench would relay it)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16 \
		"$MMBENCH_BIN" exec --mem-limit "${limit}M" --reps 1 --csv "$DATA/k.csv" -- \
		sh -c 'echo $$ > "$0.sh"; sleep 300 & echo $! > "$0.sleep"; wait' "$DATA/pid" \
		2> "$DATA/err" &
	pid=$!
	KILL_AT_TEARDOWN=$pid
	for ((i = 0; i < 240; i++)); do
		[ -s "$DATA/pid.sleep" ] && break
		kill -0 "$pid" 2> /dev/null || break
		sleep 0.25
	done
	if ! [ -s "$DATA/pid.sleep" ]; then
		wait "$pid" || true
		skip "no memory limit can be set here: $(tail -1 "$DATA/err")"
	fi
	kill -0 "$(cat "$DATA/pid.sh")"
	kill -0 "$(cat "$DATA/pid.sleep")"
	kill -TERM "$pid"
	wait "$pid" || st=$?
	cat "$DATA/err"
	[ "$st" -eq 143 ]
	# the child and its own child are gone, not orphaned
	for ((i = 0; i < 40; i++)); do
		kill -0 "$(cat "$DATA/pid.sleep")" 2> /dev/null || break
		sleep 0.25
	done
	! kill -0 "$(cat "$DATA/pid.sh")" 2> /dev/null
	! kill -0 "$(cat "$DATA/pid.sleep")" 2> /dev/null
	# no row, the memory back, and no cgroup left behind
	[ ! -e "$DATA/k.csv" ]
	for ((i = 0; i < 40; i++)); do
		[ "$(available_mib)" -gt $((avail / 2)) ] && break
		sleep 0.25
	done
	[ "$(available_mib)" -gt $((avail / 2)) ]
	cg=$(sed -n 's/^0:://p' /proc/self/cgroup)
	[ ! -e "/sys/fs/cgroup${cg%/}/mmbench-$pid" ]
}

@test "exec --file DIR: the directory's files are the cache state's, file_size their bytes" {
	mkdir "$DATA/db"
	"$MMBENCH" prepare "$DATA/db/a" --size 1M
	"$MMBENCH" prepare "$DATA/db/b" --size 3M
	"$MMBENCH" exec --cache cold --file "$DATA/db" --reps 1 --quiet --csv "$DATA/e.csv" -- true
	[ "$(csv_column "$DATA/e.csv" file_size)" = $((4 << 20)) ]
	[ "$(csv_column "$DATA/e.csv" cache)" = cold ]
	awk -v f="$(csv_column "$DATA/e.csv" resident_before)" 'BEGIN { exit !(f <= 0.05) }'
}

sqlite_ready() {
	[ -x "$SQLITE_BENCH" ] || skip "build/engines/sqlite-bench is not built (libsqlite3-dev missing)"
	command -v sqlite3 > /dev/null || skip "sqlite3 is not installed (Debian package sqlite3)"
	"$SQLITE_BENCH" create "$DATA/t.db" 3000 > /dev/null
}

@test "sqlite-bench: lookups and scans verify through read and mmap, and exec reads their rate" {
	sqlite_ready
	for m in 0 1; do
		"$SQLITE_BENCH" scan "$DATA/t.db" --mmap "$m" | grep -q "ops/sec (mmap_size $((m * 2147418112)), checksum [0-9]* verified)"
		"$SQLITE_BENCH" lookups "$DATA/t.db" --ops 500 --mmap "$m" | grep -q "^sqlite-bench lookups: 500 ops in"
	done
	"$MMBENCH" exec --reps 1 --quiet --label sqlite-mmap --file "$DATA/t.db" --csv "$DATA/e.csv" \
		--metric '([0-9.]+) ops/sec' -- "$SQLITE_BENCH" scan "$DATA/t.db" --mmap 1 > /dev/null
	awk -v m="$(csv_column "$DATA/e.csv" metric)" 'BEGIN { exit !(m > 0) }'
}

@test "sqlite-bench: a wrong row fails its checksum, named, and exec writes no row for it" {
	sqlite_ready
	cp "$DATA/t.db" "$DATA/one.db"
	sqlite3 "$DATA/one.db" "UPDATE t SET v = zeroblob(400) WHERE rowid = 1234"
	run "$SQLITE_BENCH" scan "$DATA/one.db"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"a row is not what was generated"* ]]
	[[ "$output" == *"row 1234 does not hold what was generated for it"* ]]
	# two rows swapped: each is a right value, at the wrong rowid
	cp "$DATA/t.db" "$DATA/swap.db"
	sqlite3 "$DATA/swap.db" "UPDATE t SET v = (SELECT v FROM t WHERE rowid = 8) WHERE rowid = 7"
	run "$SQLITE_BENCH" scan "$DATA/swap.db" --mmap 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"row 7 does not hold"* ]]
	# lookups: every row changed, so whichever it draws is wrong
	sqlite3 "$DATA/one.db" "UPDATE t SET v = randomblob(400)"
	run "$SQLITE_BENCH" lookups "$DATA/one.db" --ops 50 --mmap 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"does not hold what was generated"* ]]
	run "$MMBENCH" exec --reps 1 --csv "$DATA/e.csv" --metric '([0-9.]+) ops/sec' -- \
		"$SQLITE_BENCH" lookups "$DATA/one.db" --ops 50
	[ "$status" -eq 1 ]
	[[ "$output" == *"exited with status 1"* ]]
	[ ! -e "$DATA/e.csv" ]
}

@test "exec --run-id pairs interleaved processes: verdicts --measure metric decides over the rounds" {
	local r
	for r in 1 2 3 4 5 6; do
		"$MMBENCH" exec --reps 1 --quiet --label fast --run-id "round$r" --csv "$DATA/v.csv" \
			--metric '([0-9.]+) ops' -- echo "$((200 + r)) ops" > /dev/null
		"$MMBENCH" exec --reps 1 --quiet --label slow --run-id "round$r" --csv "$DATA/v.csv" \
			--metric '([0-9.]+) ops' -- echo "$((100 + r)) ops" > /dev/null
	done
	"$MMBENCH" verdicts "$DATA/v.csv" --pair fast:slow --measure metric > "$DATA/v.tsv"
	cat "$DATA/v.tsv"
	awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ n++; ok = $(c["verdict"]) == "fast faster" && $(c["units"]) == 6 &&
		  $(c["decided_over"]) == "processes" && $(c["ratio"]) > 1.9 && $(c["ratio"]) < 2.0 }
		END { exit !(n == 1 && ok) }' "$DATA/v.tsv"
	# the MiB/s of exec rows is 0: nothing pairs by it
	[ "$("$MMBENCH" verdicts "$DATA/v.csv" --pair fast:slow | wc -l)" -eq 1 ]
	run "$MMBENCH" verdicts "$DATA/v.csv" --pair fast:slow --measure cache
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value 'cache' for --measure"* ]]
}

# exec_suite LINES...: $DATA/s.sweep
exec_suite() { printf '%s\n' "$@" > "$DATA/s.sweep"; }

@test "sweep: exec points run each command in a process of its own, back to back in shuffled rounds, paired by round" {
	head -c 1048576 /dev/urandom > "$DATA/f"
	# the metric is what each process was told: its round, its threads
	EXEC_FILE=$DATA/f exec_suite "procs = 4" "reps = 1" "threads = 1 2" "cache = warm" \
		'file = ${EXEC_FILE}' "operation = probe" 'metric = round ([0-9]+)' \
		'exec one = echo "round $((MMBENCH_ROUND * 10 + MMBENCH_THREADS))"' \
		'exec two = echo "round $((MMBENCH_ROUND * 10 + MMBENCH_THREADS + 100))"; echo "$EXEC_FILE" > /dev/null'
	EXEC_FILE=$DATA/f run timeout 300 "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out" --quiet
	echo "$output"
	[ "$status" -eq 0 ]
	dir=$(ls -d "$DATA"/out/*/)
	# 2 commands x 2 points x 4 rounds, one row each; the files' state set
	[ "$(csv_column "$dir/results.csv" run_id | wc -l)" -eq 16 ]
	[ "$(csv_column "$dir/results.csv" resident_before | sort -u)" = 1.0000 ]
	[ "$(csv_column "$dir/results.csv" workload | sort -u)" = probe ]
	[ "$(csv_column "$dir/results.csv" file_size | sort -u)" = 1048576 ]
	# each row's metric is its round and threads: MMBENCH_ROUND and
	# MMBENCH_THREADS reached the command, and run_id names the round
	paste -d, <(csv_column "$dir/results.csv" run_id) <(csv_column "$dir/results.csv" backend) \
		<(csv_column "$dir/results.csv" threads) <(csv_column "$dir/results.csv" metric) |
		awk -F, '{ r = $1; sub(/.*-r/, "", r); want = r * 10 + $3 + ($2 == "two" ? 100 : 0)
			if ($4 + 0 != want) { print "row " NR ": " $0 " wants " want; bad = 1 } }
			END { exit bad }'
	# each point's two commands back to back, each leading in turn
	grep '^process: round' "$dir/log" | awk '{ sub(":", "", $7); print $3, $6, $7 }' > "$DATA/order"
	cat "$DATA/order"
	awk '{ k = $1 " " $3; if (NR % 2 == 0) { if (k != prev) bad = 1 } prev = k
		if (NR % 2) lead[$1, $3] = $2 }
		END { for (r = 1; r < 4; r++) for (t = 1; t <= 2; t++)
			if (lead[r "/4", "threads=" t] == lead[r + 1 "/4", "threads=" t]) bad = 1
			exit bad }' "$DATA/order"
	# the one rule decides each point over its 4 rounds
	"$MMBENCH" verdicts "$dir/results.csv" --pair two:one --measure metric > "$DATA/v.tsv"
	awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ n++; if ($(c["units"]) != 4 || $(c["decided_over"]) != "processes") bad = 1 }
		END { exit !(n == 2 && !bad) }' "$DATA/v.tsv"
	# --dry-run: the exec command lines, nothing run
	EXEC_FILE=$DATA/f run "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/dry" --dry-run
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "mmbench exec --reps 1 --threads 1 --cache warm --file $DATA/f --operation probe --metric 'round ([0-9]+)' --label one -- /bin/sh -c "* ]]
	[ ! -e "$DATA/dry" ]
}

@test "sweep: an exec point whose program is missing is skipped, and one over its timeout stopped and counted failed" {
	exec_suite "procs = 1" "reps = 1" "timeout = 2" \
		'exec slow = sleep 600' 'exec quick = true' \
		"---" 'exec gone = no-such-program-here --flag' 'exec other = true'
	run timeout 120 "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out"
	echo "$output"
	[ "$status" -eq 1 ]
	dir=$(ls -d "$DATA"/out/*/)
	grep -q "^skipped: .*exec gone: 'no-such-program-here' is not installed here" "$dir/log"
	grep -q '^failed: round 1/1 results exec slow: stopped after 2 s (timeout)' "$dir/log"
	[ "$(csv_column "$dir/results.csv" backend)" = quick ]
	# the timeout ended the program too, not only mmbench exec
	! pgrep -f 'sleep 600' > /dev/null
}

@test "sweep: exec sections' keys are exec's options, and bad ones name the file and line" {
	bad() {
		local want=$1
		shift
		exec_suite "$@"
		run "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out"
		echo "$output"
		[ "$status" -eq 2 ]
		[[ "$output" == *"$want"* ]]
		[ ! -e "$DATA/out" ]
	}
	bad "s.sweep:2: unknown key 'block' in an exec section (its keys are mmbench exec's options)" \
		"exec a = true" "block = 4K"
	bad "s.sweep:1: key 'label' is set by the sweep" "label = x" "exec a = true"
	bad "s.sweep:2: invalid name 'mmap' for an exec line: a backend of mmbench run" \
		"exec a = true" "exec mmap = true"
	bad "s.sweep:2: exec 'a' given twice" "exec a = true" "exec a = false"
	bad "s.sweep:1: an exec line names its command: exec NAME = COMMAND" "exec = true"
	bad "s.sweep:1: no command for exec 'a'" "exec a =   "
	bad 's.sweep:2: ${MMBENCH_SURELY_UNSET} is not set in the environment' \
		"exec a = true" 'file = ${MMBENCH_SURELY_UNSET}'
	bad "s.sweep:2: key 'timeout' takes one value" "exec a = true" "timeout = 1 2"
	bad "s.sweep:2: invalid value 'tepid' for --cache" "exec a = true" "cache = tepid"
	bad "s.sweep:3: key 'procs' is the whole sweep's: set it in the first section" \
		"exec a = true" "---" "procs = 2"
	# exec's own parser checks every line before anything runs
	bad "s.sweep: exec a: invalid value 'resident' for --cache with exec (use warm, cold or asis)" \
		"exec a = true" "cache = resident"
	bad "s.sweep: exec a: --cache cold needs --file" "exec a = true" "cache = cold"
	bad "s.sweep: exec a: invalid value 'x' for --metric: no capture group" \
		"exec a = true" "metric = x"
	# a # inside a command is the shell's; one after a blank, a comment
	exec_suite 'exec a = echo $# ${#HOME} # not run'
	run "$MMBENCH" sweep "$DATA/s.sweep" --dry-run
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"-- /bin/sh -c 'echo \$# \${#HOME}'" ]]
}
