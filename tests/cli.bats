#!/usr/bin/env bats
# Command-line behaviour: help, list, and clean errors for bad input.

load helpers

setup() { mmbench_setup; }
teardown() { mmbench_teardown; }

@test "--help, --version and run --help describe the program" {
	run "$MMBENCH" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"run [options]"* ]]
	run "$MMBENCH" --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^mmbench\ [0-9] ]]
	run "$MMBENCH" run --help
	[ "$status" -eq 0 ]
	for flag in backend workload file dir size block ops passes hot cache sync reps \
		warmup seed stdio-buffer latency-every csv quiet allow-write; do
		[[ "$output" == *"--$flag"* ]] || { echo "missing --$flag"; return 1; }
	done
}

@test "--help on every subcommand and every script prints its usage and exits 0" {
	for c in run prepare evict residency sysinfo sweep summary compare export merge columns; do
		run timeout 10 "$MMBENCH" "$c" --help
		echo "$c: $status"
		[ "$status" -eq 0 ]
		[[ "$output" == *"usage: mmbench $c"* || "$c" == columns && "$output" == *"usage"* ]]
	done
	for s in "$BATS_TEST_DIRNAME"/../scripts/*; do
		[ -x "$s" ] || continue
		run timeout 10 "$s" --help
		echo "$s: $status"
		[ "$status" -eq 0 ]
		[[ "$output" == *"scripts/$(basename "$s")"* ]]
	done
}

@test "an unknown name lists the valid ones and suggests the nearest" {
	run "$MMBENCH" run --backend pread --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown backend 'pread' for --backend (did you mean 'read'? use mmap, read,"* ]]
	run "$MMBENCH" run --workload seqreed --quiet
	[[ "$output" == *"did you mean 'seqread'?"* ]]
	run "$MMBENCH" run --blok 4K
	[ "$status" -eq 2 ]
	[[ "$output" == *"did you mean '--block'?"* ]]
	run "$MMBENCH" compre
	[ "$status" -eq 2 ]
	[[ "$output" == *"did you mean 'compare'?"* ]]
	# nothing near: the list alone
	run "$MMBENCH" run --backend zzzzzz --quiet
	[[ "$output" != *"did you mean"* && "$output" == *"use mmap, read,"* ]]
}

@test "--list names the four core backends and four workloads" {
	run list_names backends
	[ "$status" -eq 0 ]
	for b in mmap read stdio mem; do [[ "$output" == *"$b"* ]]; done
	run list_names workloads
	for w in seqread randread reread inplace; do [[ "$output" == *"$w"* ]]; done
}

# Each case: expected message fragment, then the arguments of `mmbench run`.
bad_run() {
	local want=$1
	shift
	run "$MMBENCH" run --dir "$DATA" --quiet "$@"
	echo "args: $* -> status $status: $output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$want"* ]]
	# one line, git's voice
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == "mmbench: "* ]]
}

@test "bad sizes and numbers exit 2 naming the flag and the value" {
	bad_run "invalid size '4Q' for --block" --block 4Q
	bad_run "size '0' for --block is out of range" --block 0
	bad_run "size '0' for --size is out of range" --size 0
	bad_run "invalid number '-5' for --ops" --ops -5
	bad_run "number '99999999999999999999999' for --ops is out of range" --ops 99999999999999999999999
	bad_run "size '99999999999T' for --size is out of range" --size 99999999999T
	bad_run "number '0' for --reps is out of range" --reps 0
	bad_run "invalid size '100' for --block (must be a multiple of 8)" --block 100
	bad_run "--block 1M is larger than the file (--size 64K)" --block 1M --size 64K
	bad_run "--hot 2M is larger than the file" --hot 2M --size 1M
}

@test "bad names and options exit 2" {
	bad_run "unknown backend 'nope' for --backend" --backend mmap,nope
	bad_run "unknown workload 'scan' for --workload" --workload scan
	bad_run "backend 'mmap' given twice" --backend mmap,mmap
	bad_run "invalid value 'lukewarm' for --cache (use warm, cold, asis, resident or bypass)" --cache lukewarm
	bad_run "invalid value 'always' for --sync" --sync always
	bad_run "unknown option '--frobnicate'" --frobnicate 1
	bad_run "missing value for --block" --block
	bad_run "--quiet takes no value" --quiet=1
	bad_run "--block given twice" --block 4K --block 8K
	bad_run "--passes 1 leaves reread no steady-state pass" --workload reread --passes 1
}

@test "unknown commands and bad subcommand arguments exit 2" {
	run "$MMBENCH" frobnicate
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown command 'frobnicate'"* ]]
	run "$MMBENCH"
	[ "$status" -eq 2 ]
	run "$MMBENCH" prepare "$DATA/f"
	[ "$status" -eq 2 ]
	[[ "$output" == *"missing --size"* ]]
	run "$MMBENCH" prepare "$DATA/f" --size 1X
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid size '1X' for --size"* ]]
	run "$MMBENCH" sysinfo --bogus
	[ "$status" -eq 2 ]
	[ ! -e "$DATA/f" ]
}

@test "a --file that is missing is a runtime error (exit 1)" {
	run "$MMBENCH" run --file "$DATA/none" --workload seqread --quiet
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot open '$DATA/none'"* ]]
}

@test "a --block larger than the --file exits 2" {
	"$MMBENCH" prepare "$DATA/small" --size 64K
	run "$MMBENCH" run --file "$DATA/small" --block 1M --workload seqread --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"--block 1048576 is larger than '$DATA/small'"* ]]
}

@test "a missing --file is reported as missing, not with write advice" {
	# the default workloads include inplace
	run "$MMBENCH" run --file "$DATA/none" --quiet --csv "$DATA/r.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot open '$DATA/none'"* && "$output" != *"allow-write"* ]]
}

@test "inplace on a user's --file needs --allow-write" {
	"$MMBENCH" prepare "$DATA/f" --size 64K
	run "$MMBENCH" run --file "$DATA/f" --workload inplace --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"add --allow-write"* ]]
	run "$MMBENCH" run --file "$DATA/f" --dir "$DATA" --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"--file cannot be combined with --dir"* ]]
}

@test "prepare refuses to overwrite without --force" {
	echo precious > "$DATA/f"
	run "$MMBENCH" prepare "$DATA/f" --size 64K
	[ "$status" -eq 2 ]
	[[ "$output" == *"exists; add --force"* ]]
	[ "$(cat "$DATA/f")" = precious ]
	run "$MMBENCH" prepare "$DATA/f" --size 64K --force
	[ "$status" -eq 0 ]
	[ "$(stat -c %s "$DATA/f")" -eq 65536 ]
}

@test "a CSV with another header is refused and left untouched" {
	printf 'a,b\n1,2\n' > "$DATA/other.csv"
	run "$MMBENCH" run --dir "$DATA" --size 64K --workload seqread --backend read \
		--reps 1 --warmup 0 --quiet --csv "$DATA/other.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"has a different header"* ]]
	[ "$(cat "$DATA/other.csv")" = "$(printf 'a,b\n1,2')" ]
}

@test "sysinfo describes the machine, also as valid JSON" {
	run "$MMBENCH" sysinfo
	[ "$status" -eq 0 ]
	[[ "$output" == *"cpu:"* && "$output" == *"kernel:"* && "$output" == *"filesystem:"* ]]
	"$MMBENCH" sysinfo --json --path "$DATA" > "$DATA/si.json"
	jq -e '.cpu_model != "" and .page_size_bytes > 0 and .l1d_kib != null and .clock_overhead_ns > 0' \
		"$DATA/si.json"
}

@test "bare subcommands say in one line what they need; all stands alone; huge suites are refused" {
	for c in compare summary export merge sweep prepare evict residency; do
		run timeout 10 "$MMBENCH" "$c"
		[ "$status" -eq 2 ]
		[ "${#lines[@]}" -eq 1 ]
	done
	run "$MMBENCH" run --backend all,mmap
	[ "$status" -eq 2 ]
	[[ "$output" == *"'all' stands alone in --backend"* ]]
	printf '%s\n' "size = 1M 2M 3M 4M 5M 6M 7M 8M 9M 10M" "block = 8 16 24 32 40 48 56 64 72 80" \
		"ops = 1 2 3 4 5 6 7 8 9 10" "seed = 1 2 3 4 5 6 7 8 9 10" "passes = 2 3 4 5 6 7 8 9 10 11" \
		"stdio-buffer = 8 16 24 32 40 48 56 64 72 80" > "$DATA/huge.sweep"
	run timeout 10 "$MMBENCH" sweep "$DATA/huge.sweep" --dry-run
	[ "$status" -eq 2 ]
	[[ "$output" == *"1000000 configurations, more than 100000"* ]]
}

# one_usage_line WANT...: the last command exited 2 with one line in git's
# voice holding every WANT.
one_usage_line() {
	echo "status $status: $output"
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == "mmbench: "* ]]
	for want in "$@"; do [[ "$output" == *"$want"* ]] || return 1; done
}

# The subcommands, from mmbench --help, so a new one is tested too.
subcommands() {
	"$MMBENCH" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'
}

@test "every subcommand: unknown, valueless, empty, repeated options and stray arguments exit 2" {
	local n=0 m=0
	for c in $(subcommands); do
		n=$((n + 1))
		run "$MMBENCH" "$c" --no-such-option
		one_usage_line "unknown option '--no-such-option' for $c"
		run "$MMBENCH" "$c" -z
		one_usage_line "unknown option '-z' for $c"
		# every value-taking option of the command, from its own --help
		for opt in $("$MMBENCH" "$c" --help | awk '/^  (-., )?--[a-z-]+ [A-Z[]/ { print $(NF > 1 && $1 ~ /,$/ ? 2 : 1) }' | grep -- '^--'); do
			m=$((m + 1))
			run "$MMBENCH" "$c" "$opt"
			one_usage_line "missing value for $opt"
			run "$MMBENCH" "$c" "$opt="
			one_usage_line "empty value for $opt"
			run "$MMBENCH" "$c" "$opt" --quiet
			one_usage_line "missing value for $opt"
		done
	done
	[ "$n" -ge 12 ] && [ "$m" -ge 30 ]
	run "$MMBENCH" compare a b c
	one_usage_line "unexpected argument 'c' for compare" "usage: mmbench compare BASELINE CURRENT"
	run "$MMBENCH" summary ""
	one_usage_line "empty argument for summary"
	run "$MMBENCH" columns x
	one_usage_line "unexpected argument 'x' for columns (usage: mmbench columns)"
	run "$MMBENCH" compare --alpha 0.1 --alpha 0.2 a b
	one_usage_line "--alpha given twice"
	run "$MMBENCH" sysinfo --json=yes
	one_usage_line "--json takes no value"
	run "$MMBENCH" export -o
	one_usage_line "missing value for --output"
	run "$MMBENCH" merge a b
	one_usage_line "missing --out for merge"
	run "$MMBENCH" sweep --cmd a=x --cmd a=y s
	one_usage_line "invalid value 'a=y' for --cmd"
	run "$MMBENCH" sweep --cmd x --cmd y --cmd z --cmd w --cmd v s
	one_usage_line "invalid value 'v' for --cmd" "at most 4"
	run "$MMBENCH" run --procs 3
	one_usage_line "--procs is an option of sweep, not run"
	run "$MMBENCH" compare --treshold 5 a b
	one_usage_line "did you mean '--threshold'?"
	# -- ends the options: a file called --help is an argument
	run "$MMBENCH" residency -- --help
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot open '--help'"* ]]
}

@test "every numeric run option and suite key: junk, negative, fractional, overflowing values exit 2" {
	local opts
	opts=$("$MMBENCH" run --help | awk '/^  --[a-z-]+ (SIZE|N)( |$)/ { print substr($1, 3) }')
	[ "$(echo "$opts" | wc -l)" -ge 10 ]
	for o in $opts; do
		for v in '' x 4Q -1 1.5 ' 1' 99999999999999999999999 1e3 0x10; do
			run "$MMBENCH" run --dir "$DATA" --quiet "--$o=$v"
			one_usage_line "--$o"
			[[ -z "$v" || "$output" == *"'$v'"* ]]
			[ "$v" != ' 1' ] || continue # a suite's values are blank-separated
			printf '%s = %s\n' "$o" "$v" > "$DATA/bad.sweep"
			run "$MMBENCH" sweep "$DATA/bad.sweep" --dry-run --out "$DATA/out"
			one_usage_line "$DATA/bad.sweep:1:"
		done
	done
	[ ! -e "$DATA/out" ]
	# every choice and list option, and the contradictory ones
	for o in backend workload cache sync; do
		run "$MMBENCH" run --dir "$DATA" --quiet "--$o" bogus
		one_usage_line "'bogus' for --$o"
		printf '%s = bogus\n' "$o" > "$DATA/bad.sweep"
		run "$MMBENCH" sweep "$DATA/bad.sweep" --dry-run --out "$DATA/out"
		one_usage_line "$DATA/bad.sweep:1:" "'bogus'"
	done
	run "$MMBENCH" run --dir "$DATA" --quiet --ratio mmap:mmap
	one_usage_line "invalid value 'mmap:mmap' for --ratio"
	run "$MMBENCH" run --dir "$DATA" --quiet --backend read --ratio mmap:read
	one_usage_line "invalid value 'mmap:read' for --ratio"
	[ ! -e "$DATA/out" ]
	[ -z "$(ls "$DATA" | grep -v bad.sweep)" ]
}

@test "every script: an unknown option or a forgotten value is one line and exit 2, before any work" {
	local n=0
	for s in "$BATS_TEST_DIRNAME"/../scripts/*; do
		[ -x "$s" ] || continue
		# with-hog runs its arguments as a command, as nice and taskset do
		[ "$(basename "$s")" != with-hog ] || continue
		n=$((n + 1))
		run timeout 30 "$s" --no-such-option
		echo "$s: $status: $output"
		[ "$status" -eq 2 ]
		[ "${#lines[@]}" -eq 1 ]
		[[ "$output" == *"'--no-such-option'"* ]]
	done
	[ "$n" -ge 12 ]
	for s in ci-check cache-history fio-crosscheck hyperfine-compare gate-sim fleet replay-check \
		replay-memory; do
		for opt in $("$BATS_TEST_DIRNAME/../scripts/$s" --help | grep -o -- '--[a-z][a-z-]* [A-Z]' | cut -d' ' -f1 | sort -u); do
			run timeout 30 "$BATS_TEST_DIRNAME/../scripts/$s" "$opt"
			echo "$s $opt: $status: $output"
			[ "$status" -eq 2 ]
			[[ "$output" == *"missing value for $opt"* ]]
		done
	done
	# the self-test stops at the first refusal instead of counting ten
	run timeout 30 "$BATS_TEST_DIRNAME/../scripts/ci-selftest" --threshold abc
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
}
