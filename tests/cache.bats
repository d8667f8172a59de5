#!/usr/bin/env bats
# Warm is one canonical state, and every row records the page cache's
# folio structure it started from.  Assertions are on folio fractions and
# residency, never on a time.

load helpers

setup() {
	mmbench_setup
	ROOT=$BATS_TEST_DIRNAME/..
}
teardown() { mmbench_teardown; }

# col CSV NAME: the NAME column of the rows of backend mmap
mmap_col() {
	paste -d' ' <(csv_column "$1" backend) <(csv_column "$1" "$2") | awk '$1 == "mmap" { print $2 }'
}

# needs_folios: skip unless this kernel and filesystem put a file read in
# order into large folios and /proc/kpageflags is readable (root)
needs_folios() {
	local probe
	probe=$("$MMBENCH" sysinfo --path "$DATA" | sed -n 's/^large folios: *//p')
	[[ $probe == yes:* ]] || skip "no large folios to tell apart here ($probe)"
}

# small_folio_history FILE: cold random mmap reads fault FILE in through
# read-around, in small folios
small_folio_history() {
	"$MMBENCH" evict "$1" > /dev/null
	"$MMBENCH" run --file "$1" --backend mmap --workload randread --block 4K --ops 2048 \
		--cache asis --reps 1 --warmup 0 --quiet > /dev/null
	cat "$1" > /dev/null
}

@test "rows record folio_large and folio_median_bytes: a fraction and a size, or unknown" {
	"$MMBENCH" run --dir "$DATA" --size 4M --backend mmap,read,mem --workload seqread \
		--reps 2 --warmup 0 --quiet --csv "$DATA/r.csv"
	head -1 "$DATA/r.csv" | tr , '\n' | grep -qx folio_large
	head -1 "$DATA/r.csv" | tr , '\n' | grep -qx folio_median_bytes
	paste -d' ' <(csv_column "$DATA/r.csv" backend) <(csv_column "$DATA/r.csv" folio_large) \
		<(csv_column "$DATA/r.csv" folio_median_bytes) | awk -v page="$(getconf PAGESIZE)" '
		$1 == "mem" { if ($2 != "unknown" || $3 != "unknown") bad = "mem " $0; next }
		$2 == "unknown" { if ($3 != "unknown") bad = $0; next }
		{ if (!($2 >= 0 && $2 <= 1 && $3 >= page && $3 % page == 0)) bad = $0 }
		END { if (bad != "") { print "bad row: " bad; exit 1 } }'
	"$MMBENCH" columns | awk -F'\t' '$1 == "folio_large" && $4 == "fraction" { ok = 1 } END { exit !ok }'
}

@test "the folio structure tells the histories apart; --cache warm makes them one" {
	needs_folios
	"$MMBENCH" prepare "$DATA/fresh" --size 64M
	"$MMBENCH" prepare "$DATA/hist" --size 64M
	small_folio_history "$DATA/hist"
	# as found: fully resident both, yet the history shows
	"$MMBENCH" run --file "$DATA/hist" --backend mmap --workload seqread --block 1M \
		--cache resident --reps 1 --warmup 0 --quiet --csv "$DATA/hist-asis.csv"
	"$MMBENCH" run --file "$DATA/fresh" --backend mmap --workload seqread --block 1M \
		--cache resident --reps 1 --warmup 0 --quiet --csv "$DATA/fresh-asis.csv"
	[ "$(mmap_col "$DATA/hist-asis.csv" resident_before)" = 1.0000 ]
	awk -v h="$(mmap_col "$DATA/hist-asis.csv" folio_large)" \
		-v f="$(mmap_col "$DATA/fresh-asis.csv" folio_large)" 'BEGIN { exit !(h < 0.2 && f > 0.8) }'
	# canonical warm: the same structure whatever came before
	small_folio_history "$DATA/hist"
	"$MMBENCH" run --file "$DATA/hist" --backend mmap --workload seqread --block 1M \
		--cache warm --reps 2 --warmup 0 --quiet --csv "$DATA/hist-warm.csv"
	"$MMBENCH" run --file "$DATA/fresh" --backend mmap --workload seqread --block 1M \
		--cache warm --reps 2 --warmup 0 --quiet --csv "$DATA/fresh-warm.csv"
	h=$(mmap_col "$DATA/hist-warm.csv" folio_large | sort -g | head -1)
	f=$(mmap_col "$DATA/fresh-warm.csv" folio_large | sort -g | head -1)
	echo "after warm: history $h, fresh $f"
	awk -v h="$h" -v f="$f" 'BEGIN { d = h - f; exit !(h > 0.8 && d < 0.05 && d > -0.05) }'
}

@test "--cache resident takes the state as found, and refuses a file not fully cached" {
	"$MMBENCH" prepare "$DATA/f" --size 4M
	cat "$DATA/f" > /dev/null
	run "$MMBENCH" run --file "$DATA/f" --backend read --workload seqread --cache resident \
		--reps 1 --warmup 0 --quiet --csv "$DATA/ok.csv"
	[ "$status" -eq 0 ]
	[ "$(csv_column "$DATA/ok.csv" cache)" = resident ]
	[ "$(csv_column "$DATA/ok.csv" resident_before)" = 1.0000 ]
	"$MMBENCH" evict "$DATA/f" > /dev/null
	run "$MMBENCH" run --file "$DATA/f" --backend read --workload seqread --cache resident \
		--reps 1 --warmup 0 --quiet --csv "$DATA/no.csv"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot find every page in the page cache of '$DATA/f'"* ]]
	[ "$(($(wc -l < "$DATA/no.csv")))" -le 1 ]
}

@test "run warns when compared rows started from different folio structures" {
	needs_folios
	"$MMBENCH" prepare "$DATA/f" --size 256M
	# a few cold random mmap reads leave part of the file in small folios;
	# the first sequential reader fills the rest in large ones
	"$MMBENCH" evict "$DATA/f" > /dev/null
	"$MMBENCH" run --file "$DATA/f" --backend mmap --workload randread --block 4K --ops 4 \
		--cache asis --reps 1 --warmup 0 --quiet > /dev/null
	run "$MMBENCH" run --file "$DATA/f" --backend mmap,read --workload seqread --block 1M \
		--cache asis --reps 1 --warmup 0 --quiet --csv "$DATA/r.csv"
	echo "$output"
	lo=$(csv_column "$DATA/r.csv" folio_large | sort -g | head -1)
	hi=$(csv_column "$DATA/r.csv" folio_large | sort -g | tail -1)
	awk -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(hi - lo > 0.25) }'
	[[ "$output" == *"seqread rows started from different page-cache folio structures"* ]]
	# canonical warm never warns
	run "$MMBENCH" run --file "$DATA/f" --backend mmap,read --workload seqread --block 1M \
		--cache warm --reps 1 --warmup 0 --quiet --csv "$DATA/w.csv"
	[[ "$output" != *"folio structures"* ]]
}

@test "sysinfo probes large folios and lists the multi-size THP entries" {
	run "$MMBENCH" sysinfo --path "$DATA"
	[ "$status" -eq 0 ]
	[[ "$output" == *"large folios: "* ]]
	[[ "$output" == *"multi-size thp: "* ]]
	"$MMBENCH" sysinfo --json --path "$DATA" | jq -e '.large_folios | test("^(yes|no|unknown)")'
	# the probe file is gone
	[ -z "$(ls -A "$DATA")" ]
}

@test "the report warns when compared rows started from different folio structures" {
	mkdir -p "$DATA/res/fx"
	cp "$BATS_TEST_DIRNAME"/data/sweep-fixture/* "$DATA/res/fx/"
	awk -F, -v OFS=, 'NR == 1 { print $0, "folio_large"; next }
		{ print $0, (index($0, ",mmap,seqread,") ? "0.0100" : "0.9900") }' \
		"$BATS_TEST_DIRNAME/data/sweep-fixture/results.csv" > "$DATA/res/fx/results.csv"
	"$ROOT/scripts/report" "$DATA/res/fx" "$DATA/plots"
	grep -q '^Warning: seqread, 4K blocks, 2M file, warm cache: the backends started from different page-cache folio structures' \
		"$DATA/res/fx/REPORT.md"
	! grep -q 'Warning: randread.*folio' "$DATA/res/fx/REPORT.md"
}

# per_mib CSV COLUMN: per row, COLUMN per MiB of bytes moved.
per_mib() {
	paste -d' ' <(csv_column "$1" "$2") <(csv_column "$1" bytes) | awk '{ printf "%.2f\n", $1 / ($2 / 1048576) }'
}

@test "each kernel hint does what it says, shown by a counter" {
	# --madvise random turns mmap's read-around off: a major fault per page
	for m in normal random; do
		"$MMBENCH" run --backend mmap --workload randread --block 1M --cache cold --dir "$DATA" \
			--size 16M --ops 8 --reps 2 --warmup 0 --madvise "$m" --quiet --csv "$DATA/madv-$m.csv"
	done
	n=$(per_mib "$DATA/madv-normal.csv" major_faults | sort -n | tail -1)
	r=$(per_mib "$DATA/madv-random.csv" major_faults | sort -n | head -1)
	echo "major faults per MiB: normal $n, random $r"
	awk -v n="$n" -v r="$r" 'BEGIN { exit !(r >= 10 * n && r >= 100) }'
	[ "$(csv_column "$DATA/madv-random.csv" madvise | sort -u)" = random ]
	# --populate takes the page faults out of a warm sequential read
	# (the fewest of three repetitions: a sanitizer build faults on its own
	# bookkeeping now and then)
	"$MMBENCH" run --backend mmap --workload seqread --cache warm --dir "$DATA" --size 16M \
		--reps 3 --warmup 0 --quiet --csv "$DATA/nopop.csv"
	"$MMBENCH" run --backend mmap --workload seqread --cache warm --dir "$DATA" --size 16M \
		--reps 3 --warmup 0 --populate --quiet --csv "$DATA/pop.csv"
	n=$(csv_column "$DATA/nopop.csv" minor_faults | sort -n | head -1)
	p=$(csv_column "$DATA/pop.csv" minor_faults | sort -n | head -1)
	echo "minor faults of a warm 16M read: $n, with --populate $p"
	[ "$p" -le 2 ] && [ "$n" -ge $((10 * p + 10)) ]
	[ "$(csv_column "$DATA/pop.csv" verified | sort -u)" = 1 ]
	# --fadvise random turns read-ahead off: a blocking read per 4K block
	for f in normal random; do
		"$MMBENCH" run --backend read --workload seqread --cache cold --dir "$DATA" --size 4M \
			--reps 2 --warmup 0 --fadvise "$f" --quiet --csv "$DATA/fadv-$f.csv"
	done
	n=$(csv_column "$DATA/fadv-normal.csv" vol_ctx_switches | sort -n | tail -1)
	r=$(csv_column "$DATA/fadv-random.csv" vol_ctx_switches | sort -n | head -1)
	echo "blocking waits: normal $n, random $r (1024 blocks)"
	[ "$r" -ge 512 ] && [ "$r" -ge $((10 * n)) ]
	# --map-scope op maps every operation's pages anew: faults on every pass
	for sc in run op; do
		"$MMBENCH" run --backend mmap --workload reread --cache warm --dir "$DATA" --size 4M \
			--reps 2 --warmup 0 --map-scope "$sc" --quiet --csv "$DATA/scope-$sc.csv"
	done
	n=$(per_mib "$DATA/scope-run.csv" minor_faults | sort -n | tail -1)
	r=$(per_mib "$DATA/scope-op.csv" minor_faults | sort -n | head -1)
	echo "minor faults per MiB: run $n, op $r"
	awk -v n="$n" -v r="$r" 'BEGIN { exit !(r >= 10 * n && r >= 128) }'
	# and every row of them verified
	for f in "$DATA"/madv-*.csv "$DATA"/fadv-*.csv "$DATA"/scope-*.csv; do
		[ "$(csv_column "$f" verified | sort -u)" = 1 ]
	done
}

@test "a hint that means nothing to any selected backend is a usage error naming the flag" {
	run "$MMBENCH" run --backend read,stdio --madvise random --dir "$DATA" --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"--madvise is advice on a mapping (mmap, mmapcopy); read has none"* ]]
	run "$MMBENCH" run --backend mmap --fadvise random --dir "$DATA" --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"--fadvise is advice on a descriptor (read, stdio, uring); mmap reads none"* ]]
	run "$MMBENCH" run --backend read --populate --dir "$DATA" --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"--populate is advice on a mapping"* ]]
	run "$MMBENCH" run --backend mmap --populate --map-scope op --dir "$DATA" --quiet
	[ "$status" -eq 2 ]
	run "$MMBENCH" run --backend mmap --madvise sideways --dir "$DATA" --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value 'sideways' for --madvise (use normal, random, sequential, willneed, hugepage or nohugepage)"* ]]
}

@test "--dist: skewed offsets revisit a hot set, reproducibly from the seed" {
	# read moves what it is asked for: the fewer distinct blocks, the
	# fewer device bytes per useful byte on a cold file
	for d in uniform hot:0.05:0.95 zipf:0.99; do
		"$MMBENCH" run --backend read,mmap --workload randread --cache cold --dir "$DATA" \
			--size 16M --ops 2048 --reps 2 --warmup 0 --dist "$d" --quiet \
			--csv "$DATA/dist-${d%%:*}.csv"
		[ "$(csv_column "$DATA/dist-${d%%:*}.csv" verified | sort -u)" = 1 ]
		[ "$(csv_column "$DATA/dist-${d%%:*}.csv" dist | sort -u)" = "$d" ]
	done
	amp() {
		paste -d' ' <(csv_column "$1" backend) <(csv_column "$1" dev_read_bytes) \
			<(csv_column "$1" bytes) | awk '$1 == "read" { s += $2 / $3; n++ } END { printf "%.3f\n", s / n }'
	}
	u=$(amp "$DATA/dist-uniform.csv") h=$(amp "$DATA/dist-hot.csv") z=$(amp "$DATA/dist-zipf.csv")
	echo "device bytes per useful byte: uniform $u, hot $h, zipf $z"
	awk -v u="$u" -v h="$h" -v z="$z" 'BEGIN { exit !(h < u / 2 && z < u * 0.8) }'
	# the same seed draws the same offsets: the same expected checksums
	"$MMBENCH" run --backend read --workload randread --dir "$DATA" --size 16M --ops 2048 \
		--reps 2 --warmup 0 --dist zipf:0.99 --quiet --csv "$DATA/again.csv"
	[ "$(csv_column "$DATA/again.csv" expected_checksum)" = \
		"$(paste -d' ' <(csv_column "$DATA/dist-zipf.csv" backend) \
			<(csv_column "$DATA/dist-zipf.csv" expected_checksum) | awk '$1 == "read" { print $2 }')" ]
	run "$MMBENCH" run --dist zipf:1.5 --dir "$DATA" --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value 'zipf:1.5' for --dist"* ]]
	run "$MMBENCH" run --workload seqread --dist hot:0.1:0.9 --dir "$DATA" --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"--dist hot:0.1:0.9 is for the random workloads"* ]]
}

@test "--touch page: one word per page, still verified, on a pattern file and on a user's" {
	"$MMBENCH" run --backend "$(list_names backends | paste -sd,)" --workload seqread,randread,reread \
		--touch page --dir "$DATA" --size 1M --ops 64 --reps 2 --warmup 0 --quiet --csv "$DATA/p.csv"
	[ "$(csv_column "$DATA/p.csv" verified | sort -u)" = 1 ]
	[ "$(csv_column "$DATA/p.csv" touch | sort -u)" = page ]
	# a different rule, a different checksum: not the consume-everything one
	"$MMBENCH" run --backend read --workload seqread --dir "$DATA" --size 1M --reps 1 \
		--warmup 0 --quiet --csv "$DATA/a.csv"
	[ "$(csv_column "$DATA/a.csv" expected_checksum)" != \
		"$(paste -d' ' <(csv_column "$DATA/p.csv" backend) <(csv_column "$DATA/p.csv" workload) \
			<(csv_column "$DATA/p.csv" expected_checksum) | awk '$1 == "read" && $2 == "seqread" { print $3; exit }')" ]
	head -c 1M /dev/urandom > "$DATA/user"
	"$MMBENCH" run --backend mmap,read --workload randread --touch page --file "$DATA/user" \
		--ops 64 --reps 1 --warmup 0 --quiet --csv "$DATA/u.csv"
	[ "$(csv_column "$DATA/u.csv" verified | sort -u)" = 1 ]
	run "$MMBENCH" run --touch page --dir "$DATA" --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"--touch page is for the reading workloads; inplace writes every word"* ]]
}
