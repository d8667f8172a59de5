#!/usr/bin/env bats
# Options scoped to a backend: an entry of --backend carries the options its
# backend declares (mmap:madvise=random), each variant is its own series,
# named the same in rows, the end summary, `mmbench summary` and
# `mmbench verdicts`; the global flags apply where they mean something and
# the other backends' rows record them as not applicable ("-").

load helpers

setup() { mmbench_setup; }
teardown() { mmbench_teardown; }

# cells FILE COLUMN...: those columns of every data row, space-separated.
cells() {
	local f=$1 want
	shift
	want=$*
	awk -v want="$want" -f "$BATS_TEST_DIRNAME/../scripts/csv.awk" -f <(echo '
		NR == 1 { nh = split_csv($0, h); for (i = 1; i <= nh; i++) c[h[i]] = i; n = split(want, w, " "); next }
		{ split_csv($0, f); line = ""; for (i = 1; i <= n; i++) line = line (i > 1 ? " " : "") f[c[w[i]]]; print line }') "$f"
}

# tsv_cell TSV COLUMN KEYCOL KEY: COLUMN of the line whose KEYCOL is KEY.
tsv_cell() {
	awk -F'\t' -v col="$2" -v kc="$3" -v key="$4" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c[kc] == key { print $c[col] }' "$1"
}

@test "mmap:madvise=random against read: one interleaved run, two series, paired" {
	run "$MMBENCH" run --backend mmap:madvise=random,read --workload randread --dir "$DATA" \
		--size 2M --ops 64 --reps 4 --warmup 0 --csv "$DATA/r.csv"
	[ "$status" -eq 0 ]
	# the end summary names the variant and pairs it with read
	[[ "$output" == *"mmap:madvise=random/read"* ]]
	# each row says which options applied to it, and which do not apply
	[ "$(cells "$DATA/r.csv" backend madvise fadvise populate map_scope qd stdio_buffer | sort -u)" = \
"mmap:madvise=random random - 0 run - -
read - normal - - - -" ]
	[ "$(csv_column "$DATA/r.csv" verified | sort -u)" = 1 ]
	[ "$(csv_column "$DATA/r.csv" backend | grep -c .)" -eq 8 ]
	# summary: a line per series, its options shown
	"$MMBENCH" summary "$DATA/r.csv" > "$DATA/s.tsv"
	[ "$(tsv_cell "$DATA/s.tsv" madvise backend mmap:madvise=random)" = random ]
	[ "$(tsv_cell "$DATA/s.tsv" madvise backend read)" = - ]
	[ "$(tsv_cell "$DATA/s.tsv" n backend read)" = 4 ]
	# verdicts and summary --ratio pair them: one configuration, 4 pairs
	run "$MMBENCH" verdicts "$DATA/r.csv" --pair mmap:madvise=random:read
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "$(echo "$output" | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c["pairs"] }')" = 4 ]
	[[ "${lines[0]}" == *"mmap:madvise=random_median"* ]]
	run "$MMBENCH" summary "$DATA/r.csv" --ratio mmap:madvise=random:read
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	# exports name the series
	"$MMBENCH" export "$DATA/r.csv" --format gbench-json -o "$DATA/g.json"
	grep -q '"name": "mmap:madvise=random/randread/file=2M/' "$DATA/g.json"
	grep -q '"name": "read/randread/file=2M/' "$DATA/g.json"
	# a pair no series of the file has is a usage error, one line
	run "$MMBENCH" verdicts "$DATA/r.csv" --pair mmap:madvise=random:mmap:x
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"invalid value 'mmap:madvise=random:mmap:x' for --pair"* ]]
}

@test "a global hint applies where it means something: the same series as the scoped form" {
	"$MMBENCH" run --backend mmap,read --madvise random --workload randread --dir "$DATA" \
		--size 1M --ops 16 --reps 2 --warmup 0 --quiet --csv "$DATA/g.csv"
	[ "$(cells "$DATA/g.csv" backend madvise | sort -u)" = \
"mmap:madvise=random random
read -" ]
	# a backend's own value wins over the global one, for it alone
	"$MMBENCH" run --backend mmap:madvise=sequential,mmap,read --madvise random \
		--workload randread --dir "$DATA" --size 1M --ops 16 --reps 1 --warmup 0 --quiet \
		--csv "$DATA/o.csv"
	[ "$(cells "$DATA/o.csv" backend madvise | sort -u)" = \
"mmap:madvise=random random
mmap:madvise=sequential sequential
read -" ]
	# --ratio names a series
	run "$MMBENCH" run --backend mmap,read --madvise random --ratio mmap:madvise=random:read \
		--workload randread --dir "$DATA" --size 1M --ops 16 --reps 2 --warmup 0
	[ "$status" -eq 0 ]
	[[ "$output" == *"mmap:madvise=random/read"* ]]
}

@test "several variants of each backend, each with its options, in one run" {
	backends=mmap:madvise=random,mmap:populate,mmap,read:fadvise=random,read,stdio:stdio-buffer=64K
	"$MMBENCH" run --backend "$backends" --workload randread,seqread --dir "$DATA" \
		--size 1M --ops 16 --reps 1 --warmup 0 --quiet --csv "$DATA/m.csv"
	[ "$(cells "$DATA/m.csv" backend madvise populate fadvise stdio_buffer | sort -u)" = \
"mmap normal 0 - -
mmap:madvise=random random 0 - -
mmap:populate normal 1 - -
read - - normal -
read:fadvise=random - - random -
stdio:stdio-buffer=64K - - normal 65536" ]
	[ "$(csv_column "$DATA/m.csv" verified | sort -u)" = 1 ]
}

@test "the options really apply to their variant alone, shown by a counter" {
	# cold 1M random reads: random advice turns mmap's read-around off, a
	# major fault per page, in the same run as mmap with none
	"$MMBENCH" run --backend mmap:madvise=random,mmap --workload randread --block 1M \
		--cache cold --dir "$DATA" --size 16M --ops 8 --reps 2 --warmup 0 --quiet \
		--csv "$DATA/c.csv"
	r=$(cells "$DATA/c.csv" backend major_faults | awk '$1 == "mmap:madvise=random" { print $2 }' | sort -n | head -1)
	n=$(cells "$DATA/c.csv" backend major_faults | awk '$1 == "mmap" { print $2 }' | sort -n | tail -1)
	echo "major faults of 8 MiB read: random $r, normal $n"
	[ "$r" -ge 10 ] && [ "$r" -ge $((10 * n)) ]
}

@test "bad values and options a backend does not take: exit 2, one line naming both" {
	bad() {
		run "$MMBENCH" run --backend "$1" --dir "$DATA" --size 1M --quiet
		echo "$1: $output"
		[ "$status" -eq 2 ]
		[ "${#lines[@]}" -eq 1 ]
		[[ "$output" == *"$2"* ]]
	}
	bad mmap:madvise=sideways "--backend mmap:madvise=sideways: invalid value 'sideways' for --madvise (use normal, random, sequential, willneed, hugepage or nohugepage)"
	bad read:madvise=random "--backend read:madvise=random: read has no madvise (an option of mmap, mmapcopy)"
	bad mmap,read:qd=4 "--backend read:qd=4: read has no qd (an option of uring)"
	bad uring:qd=0 "--backend uring:qd=0: number '0' for --qd is out of range (1 to 4096)"
	bad mmap:block=1M "--backend mmap:block=1M: 'block' is not an option of a backend"
	bad mmap:madvise "--backend mmap:madvise: missing value for madvise"
	bad mmap: "--backend mmap:: nothing after the colon"
	bad mmap:madvise=random:madvise=normal "madvise given twice"
	bad mmap:madvise=random,mmap:madvise=random "backend 'mmap:madvise=random' given twice in --backend"
	bad mmap:madvise=normal,mmap "--backend: mmap:madvise=normal and mmap run the same, as mmap"
	bad mmap:populate:map-scope=op "--populate maps the file once before the timer; --map-scope op maps at every operation"
	bad mmapp:madvise=random "unknown backend 'mmapp' for --backend (did you mean 'mmap'?"
	# a global hint no selected backend takes still changes nothing: refused
	run "$MMBENCH" run --backend read:fadvise=random,stdio --madvise random --dir "$DATA" --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"--madvise is advice on a mapping (mmap, mmapcopy); read has none"* ]]
	# nothing was left behind
	[ -z "$(ls "$DATA")" ]
}

@test "the suite key backend takes the same syntax, and a sweep over a hint pairs each variant" {
	printf '%s\n' "backend = mmap:madvise=random read:fadvise=random mmap" "workload = randread" \
		"size = 1M" "ops = 16" "reps = 2" "warmup = 0" > "$DATA/v.sweep"
	run "$MMBENCH" sweep "$DATA/v.sweep" --dry-run
	[ "$status" -eq 0 ]
	[[ "$output" == *"--backend mmap:madvise=random,read:fadvise=random,mmap"* ]]
	"$MMBENCH" sweep "$DATA/v.sweep" --out "$DATA/out" --dir "$DATA" --quiet
	res=$(ls -d "$DATA"/out/*/)
	[ "$(cells "$res/results.csv" backend | sort -u)" = \
"mmap
mmap:madvise=random
read:fadvise=random" ]
	run "$MMBENCH" verdicts "$res" --pair mmap:madvise=random:read:fadvise=random
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	# a bad value in the suite: exit 2, file and line
	printf '%s\n' "backend = mmap:madvise=sideways read" "size = 1M" > "$DATA/bad.sweep"
	run "$MMBENCH" sweep "$DATA/bad.sweep" --dry-run
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad.sweep"*"--backend mmap:madvise=sideways: invalid value 'sideways' for --madvise"* ]]
	# a hint swept in fresh processes: read (which takes none) pairs with each
	printf '%s\n' "backend = mmap read" "workload = randread" "madvise = normal random" \
		"size = 1M" "ops = 16" "reps = 2" "warmup = 0" "procs = 2" > "$DATA/p.sweep"
	"$MMBENCH" sweep "$DATA/p.sweep" --out "$DATA/out2" --dir "$DATA" --quiet
	res=$(ls -d "$DATA"/out2/*/)
	for a in mmap mmap:madvise=random; do
		run "$MMBENCH" verdicts "$res" --pair "$a:read"
		[ "$status" -eq 0 ]
		[ "$(echo "$output" | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c["procs"], $c["pairs"] }')" = "2 4" ]
	done
}

@test "a file from before backends carried options: its series are named from the columns" {
	"$MMBENCH" run --backend mmap,read --madvise random --workload randread --dir "$DATA" \
		--size 1M --ops 16 --reps 2 --warmup 0 --quiet --csv "$DATA/new.csv"
	# as an older mmbench wrote it: the bare backend, the advice in its column
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
		{ sub(/:.*/, "", $c["backend"]); if ($c["madvise"] == "-") $c["madvise"] = "random"; print }' \
		"$DATA/new.csv" > "$DATA/old.csv"
	[ "$(cells "$DATA/old.csv" backend | sort -u | paste -sd' ')" = "mmap read" ]
	# the series of each summary line, read by the column's name
	series() { awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c["backend"], $c["workload"] }'; }
	"$MMBENCH" summary "$DATA/old.csv" | series > "$DATA/old.tsv"
	"$MMBENCH" summary "$DATA/new.csv" | series > "$DATA/new.tsv"
	diff "$DATA/old.tsv" "$DATA/new.tsv"
	grep -q 'mmap:madvise=random' "$DATA/new.tsv"
	run "$MMBENCH" verdicts "$DATA/old.csv" --pair mmap:madvise=random:read
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "--help and the man page describe the syntax (doc.bats checks they agree)" {
	run "$MMBENCH" run --help
	[[ "$output" == *"NAME:OPTION=VALUE"* ]]
	run "$MMBENCH" --man run
	[[ "$output" == *"NAME:OPTION=VALUE"* ]]
}

@test "series whose backends lack an option are one configuration: no '-' words, and the heat map is drawn" {
	command -v gnuplot > /dev/null || skip "gnuplot not installed"
	printf 'backend = mmap read stdio\nworkload = seqread\nsize = 1M\nblock = 4K\ncache = warm\nreps = 3\nwarmup = 0\n' > "$DATA/s.sweep"
	res=$("$MMBENCH" sweep "$DATA/s.sweep" --dir "$DATA" --out "$DATA/out" --quiet)
	# every series of the one configuration: no words of the options its
	# backend has not (madvise=- on read, qd=- on mmap, ...)
	run awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c["backend"] "|" $c["other"] }' \
		<("$MMBENCH" summary "$res")
	[ "$(sort <<< "$output" | paste -sd' ')" = "mmap| read| stdio|" ]
	"$BATS_TEST_DIRNAME/../scripts/plot" "$res" "$DATA/plots" > /dev/null
	ls "$DATA/plots"/*/speedup-1M.svg
}
