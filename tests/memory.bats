#!/usr/bin/env bats
# What memory a run holds (rss_* columns, resident_after), and --mem-limit:
# a limit that holds, is refused when unsafe, and goes with the process.
# Assertions are on residency and counters, never on a time.

load helpers

setup() { mmbench_setup; }
teardown() {
	[ -z "${KILL_AT_TEARDOWN:-}" ] || kill -KILL "$KILL_AT_TEARDOWN" 2> /dev/null || true
	mmbench_teardown
}

# col CSV BACKEND NAME: NAME of that backend's rows
col() {
	paste -d' ' <(csv_column "$1" backend) <(csv_column "$1" "$3") | awk -v b="$2" '$1 == b { print $2 }'
}

available_mib() {
	awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo
}

@test "memory columns: a mapping's pages are the process's file-backed memory, a read's are not" {
	"$MMBENCH" run --backend mmap,read,mem --workload seqread --cache warm --dir "$DATA" \
		--size 16M --block 1M --reps 2 --warmup 0 --quiet --csv "$DATA/m.csv"
	local mf rf ma pk
	mf=$(col "$DATA/m.csv" mmap rss_file_bytes | sort -n | head -1)
	rf=$(col "$DATA/m.csv" read rss_file_bytes | sort -n | tail -1)
	ma=$(col "$DATA/m.csv" mem rss_anon_bytes | sort -n | head -1)
	pk=$(col "$DATA/m.csv" mmap rss_peak_bytes | sort -n | head -1)
	echo "file-backed: mmap $mf, read $rf; mem anonymous $ma; mmap peak $pk"
	# the whole mapped file, beside the binary's own pages
	[ "$mf" -ge $((rf + 15 * 1048576)) ]
	# mem holds its copy of the file as anonymous memory
	[ "$ma" -ge $((16 * 1048576)) ]
	# the peak covers the region: at least the mapping, and not the
	# process's whole life (the sanitizer's shadow is not in it)
	[ "$pk" -ge "$mf" ]
	# a warm file stays cached, and no limit was asked for
	[ "$(csv_column "$DATA/m.csv" resident_after | sort -u)" = 1.0000 ]
	[ "$(csv_column "$DATA/m.csv" mem_limit_mechanism | sort -u)" = none ]
	[ "$(csv_column "$DATA/m.csv" verified | sort -u)" = 1 ]
}

@test "resident_after: a cold 4K random read through read caches what it read, not the file" {
	"$MMBENCH" run --backend read --workload randread --cache cold --dir "$DATA" --size 16M \
		--ops 64 --reps 1 --warmup 0 --fadvise random --quiet --csv "$DATA/c.csv"
	local after
	after=$(csv_column "$DATA/c.csv" resident_after)
	echo "resident after 64 random 4K reads of 4096 blocks: $after"
	# at most the 64 blocks read (1.6%), give or take the filesystem's own
	awk -v a="$after" 'BEGIN { exit !(a > 0 && a < 0.05) }'
}

@test "--mem-limit: refused where it would leave the machine short, or limit nothing" {
	run "$MMBENCH" run --backend read --workload seqread --dir "$DATA" --size 1M --mem-limit 1M --quiet
	[ "$status" -eq 1 ]
	[[ "$output" == *"--mem-limit 1M would leave this machine short"* ]] ||
		[[ "$output" == *"cgroup"* ]]
	run "$MMBENCH" run --backend read --workload seqread --dir "$DATA" --size 1M --mem-limit 4T --quiet
	[ "$status" -eq 1 ]
	[[ "$output" == *"there is nothing to limit"* ]]
	run "$MMBENCH" run --backend read --dir "$DATA" --mem-limit 5T --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"--mem-limit"* ]]
	run "$MMBENCH" run --backend read --dir "$DATA" --mem-limit lots --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid size 'lots' for --mem-limit"* ]]
	# mem's copy of the file would have to fit under the limit too
	run "$MMBENCH" run --backend read,mem --dir "$DATA" --mem-limit 1G --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"--mem-limit limits the page cache, and mem reads no file"* ]]
	# no data file left behind by any of them
	[ -z "$(ls -A "$DATA")" ]
}

# limited_run ARGS...: mmbench run under a small limit this machine allows
# (128M above the margin: the process's own memory comes out of the room
# too, and a sanitizer build's quarantine is kept small); skips the test,
# saying why, where none can be applied
limited_run() {
	LIMIT=$(($(margin_mib) + 128))
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16 \
		run "$MMBENCH" run --mem-limit "${LIMIT}M" --dir "$DATA" "$@"
	if [ "$status" -ne 0 ]; then
		case $output in
		*"would leave this machine short"* | *"cannot lock memory"* | *"nothing to limit"*)
			skip "no memory limit can be set here: ${output##*mmbench: }" ;;
		esac
		echo "$output"
		return 1
	fi
}

@test "--mem-limit holds: a file four times the limit is never resident, and mmap faults on it" {
	local size
	size=$((4 * ($(margin_mib) + 128)))
	limited_run --backend mmap,read --workload seqread --cache warm --size "${size}M" \
		--block 1M --reps 1 --warmup 0 --quiet --csv "$DATA/l.csv"
	echo "limit ${LIMIT}M, file ${size}M"
	paste -d' ' <(csv_column "$DATA/l.csv" backend) <(csv_column "$DATA/l.csv" resident_before) \
		<(csv_column "$DATA/l.csv" resident_after) <(csv_column "$DATA/l.csv" major_faults) \
		<(csv_column "$DATA/l.csv" cache_room_before)
	# the row says which limit and how
	[ "$(csv_column "$DATA/l.csv" mem_limit | sort -u)" = $((LIMIT * 1048576)) ]
	[[ "$(csv_column "$DATA/l.csv" mem_limit_mechanism | sort -u)" =~ ^(balloon|cgroup2)$ ]]
	# warm could not make it resident: at most the limit's share (1/4)
	for f in $(csv_column "$DATA/l.csv" resident_before) $(csv_column "$DATA/l.csv" resident_after); do
		awk -v f="$f" 'BEGIN { exit !(f <= 0.30) }'
	done
	# so mmap took major faults through the whole file (none when it fits)
	[ "$(col "$DATA/l.csv" mmap major_faults)" -ge 16 ]
	# and the balloon is not counted as the backend's memory
	[ "$(col "$DATA/l.csv" read rss_anon_bytes)" -lt $((LIMIT * 1048576)) ]
	[ "$(csv_column "$DATA/l.csv" verified | sort -u)" = 1 ]
}

@test "--mem-limit goes with the process: SIGTERM gives the memory back" {
	local limit pid avail i
	limit=$(($(margin_mib) + 128))
	avail=$(available_mib)
	[ "$avail" -gt $((limit + 1024)) ] || skip "only ${avail} MiB available"
	# the binary itself, so the signal is its own (timeout-mmbench would
	# relay it); the test kills it within the loop's bound either way
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16 \
		"$MMBENCH_BIN" run --mem-limit "${limit}M" --backend read --workload seqread --dir "$DATA" \
		--size 4M --reps 100000 --warmup 0 --quiet --csv "$DATA/k.csv" 2> "$DATA/err" &
	pid=$!
	KILL_AT_TEARDOWN=$pid
	# until the limit is on (the balloon takes tens of seconds on a VM)
	for ((i = 0; i < 240; i++)); do
		[ "$(available_mib)" -lt $((limit + 512)) ] && break
		kill -0 "$pid" 2> /dev/null || break
		sleep 0.5
	done
	if ! kill -0 "$pid" 2> /dev/null; then
		wait "$pid" || true
		skip "no memory limit can be set here: $(tail -1 "$DATA/err")"
	fi
	[ "$(available_mib)" -lt $((limit + 512)) ]
	kill -TERM "$pid"
	local st=0
	wait "$pid" || st=$?
	echo "status $st"
	cat "$DATA/err"
	[ "$st" -eq 143 ]
	# the memory is back, and the data file gone
	for ((i = 0; i < 40; i++)); do
		[ "$(available_mib)" -gt $((avail / 2)) ] && break
		sleep 0.25
	done
	echo "available: before $avail MiB, after $(available_mib) MiB"
	[ "$(available_mib)" -gt $((avail / 2)) ]
	[ -z "$(ls "$DATA"/mmbench-* 2> /dev/null)" ]
}

@test "a sweep skips a limit this machine must refuse, saying why, and runs the rest" {
	printf 'backend = read\nworkload = seqread\nsize = 1M\nmem-limit = 1M 0\nreps = 1\nwarmup = 0\n' > "$DATA/s.sweep"
	run "$MMBENCH" sweep "$DATA/s.sweep" --out "$DATA/out" --dir "$DATA"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"skipped: mem-limit=1M"* ]] ||
		skip "a cgroup v2 limit is safe at any size: nothing to refuse here"
	[[ "$output" == *"skipped: mem-limit=1M: --mem-limit 1M would leave this machine short"* ]]
	[ "$(csv_column "$DATA"/out/*/results.csv mem_limit | sort -u)" = 0 ]
}

@test "sysinfo says what --mem-limit would use here, and why not a cgroup v2 child" {
	run "$MMBENCH" sysinfo --path "$DATA"
	[ "$status" -eq 0 ]
	[[ "$output" =~ "memory limit:      "(cgroup2\ \(a\ child\ of|balloon\ of\ (huge|locked)\ pages\ \(no\ cgroup\ v2\ limit,\ because) ]]
	"$MMBENCH" sysinfo --json --path "$DATA" | jq -e '.mem_limit | test("^(cgroup2|balloon)")'
}
