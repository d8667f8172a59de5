#!/usr/bin/env bats
# mmbench run --workload replay: a recorded or imported trace through every
# backend, each row verified, with the trace's operations and bytes; and
# what replay refuses; and randrw, the mixed workload a recorded stream
# carries too.

load helpers

setup() {
	mmbench_setup
	head -c 300000 /dev/urandom > "$DATA/a"
	head -c 70001 /dev/urandom > "$DATA/b"
	head -c 40000 /dev/urandom > "$DATA/c"
}

teardown() { mmbench_teardown; }

# A trace of reads over the three files from two threads, at any byte and
# of any length (7, 100, 4096 and 16384 bytes).
make_trace() {
	awk -v a="$DATA/a" -v b="$DATA/b" -v c="$DATA/c" 'BEGIN {
		print "mmbench-trace 1"
		print "file 0 300000 - " a; print "file 1 70001 - " b; print "file 2 40000 - " c
		print "thread 0 100"; print "thread 1 101"
		split("300000 70001 40000", size, " "); split("7 100 4096 16384", len, " ")
		for (k = 0; k < 400; k++) {
			f = k * 7 % 3; n = len[k % 4 + 1]
			printf "%d %.6f %d %d %d read\n", k % 2, k / 1e5, f, (k * 2654435761) % (size[f + 1] - n), n
		}
	}' > "$1"
}

@test "replay: every backend verifies a trace over 3 files from 2 threads, with its operations and bytes" {
	make_trace "$DATA/t"
	bytes=$(awk '$1 ~ /^[0-9]+$/ { b += $5 } END { print b }' "$DATA/t")
	backends=$(list_names backends | grep -vx worker | paste -sd, -)
	run "$MMBENCH" run --workload replay --trace "$DATA/t" --backend "$backends" --reps 2 \
		--warmup 0 --qd 4 --csv "$DATA/out.csv" --dir "$DATA"
	[ "$status" -eq 0 ]
	[[ "$output" == *"replay of '$DATA/t'"* ]]
	rows=$(csv_column "$DATA/out.csv" verified | wc -l)
	[ "$rows" -eq $((2 * $(tr , '\n' <<< "$backends" | wc -l))) ]
	[ "$(csv_column "$DATA/out.csv" verified | sort -u)" = 1 ]
	[ "$(csv_column "$DATA/out.csv" ops | sort -u)" = 400 ]
	[ "$(csv_column "$DATA/out.csv" bytes | sort -u)" = "$bytes" ]
	[ "$(csv_column "$DATA/out.csv" files | sort -u)" = 3 ]
	[ "$(csv_column "$DATA/out.csv" threads | sort -u)" = 2 ]
	[ "$(csv_column "$DATA/out.csv" workload | sort -u)" = replay ]
	[ "$(csv_column "$DATA/out.csv" hints | sort -u)" = recorded ]
	csv_column "$DATA/out.csv" trace_fingerprint | sort -u | grep -Eqx '[0-9a-f]{16}'
	# the records live in an unlinked file: nothing is left in --dir
	[ -z "$(ls "$DATA" | grep -v -e '^[abct]$' -e '^out.csv$')" ]
}

@test "replay: what cat and dd read, recorded, replays with the same operations and bytes" {
	command -v strace > /dev/null || skip "strace is not installed (Debian package strace)"
	"$MMBENCH" record --out "$DATA/t" --only "$DATA/a" --only "$DATA/b" -- \
		sh -c 'cat "$1" > /dev/null; dd if="$2" of=/dev/null bs=4k skip=2 count=9 2> /dev/null' \
		sh "$DATA/a" "$DATA/b" 2> /dev/null
	ops=$(awk '$1 ~ /^[0-9]+$/ && NF == 6 && $5 > 0 { n++ } END { print n }' "$DATA/t")
	bytes=$(awk '$1 ~ /^[0-9]+$/ && NF == 6 { b += $5 } END { print b }' "$DATA/t")
	[ "$bytes" -eq $((300000 + 9 * 4096)) ]
	run "$MMBENCH" run --trace "$DATA/t" --workload replay --backend mmap,read --reps 1 \
		--warmup 0 --cache cold --csv "$DATA/out.csv" --dir "$DATA"
	[ "$status" -eq 0 ]
	[ "$(csv_column "$DATA/out.csv" verified | sort -u)" = 1 ]
	[ "$(csv_column "$DATA/out.csv" ops | sort -u)" = "$ops" ]
	[ "$(csv_column "$DATA/out.csv" bytes | sort -u)" = "$bytes" ]
	# cat and dd read on from where they were: every read but each one's
	# first continues its thread's last
	share=$(csv_column "$DATA/out.csv" seq_share | head -1)
	awk -v s="$share" -v n="$ops" 'BEGIN { d = s - (n - 2) / n; exit !(d < 0.0001 && d > -0.0001) }'
}

@test "replay: a Python program's os.pread from 4 threads, recorded, replays as 4 threads with its operations and bytes" {
	command -v strace > /dev/null || skip "strace is not installed (Debian package strace)"
	[ -x /usr/bin/python3 ] || skip "/usr/bin/python3 is not installed (Debian package python3)"
	# 25 reads of 4096 bytes from each thread, at any byte of the file
	cat > "$DATA/prog.py" <<'EOF'
import os, random, sys, threading
fd = os.open(sys.argv[1], os.O_RDONLY)
size = os.fstat(fd).st_size
def work(i):
    rnd = random.Random(i)
    for _ in range(25):
        assert len(os.pread(fd, 4096, rnd.randrange(size - 4096))) == 4096
ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in ts: t.start()
for t in ts: t.join()
EOF
	"$MMBENCH" record --out "$DATA/t" --only "$DATA/a" -- /usr/bin/python3 "$DATA/prog.py" "$DATA/a" 2> /dev/null
	run "$MMBENCH" run --trace "$DATA/t" --workload replay --backend mmap,read --reps 2 \
		--warmup 0 --csv "$DATA/out.csv" --dir "$DATA"
	[ "$status" -eq 0 ]
	[ "$(csv_column "$DATA/out.csv" verified | sort -u)" = 1 ]
	[ "$(csv_column "$DATA/out.csv" verified | wc -l)" -eq 4 ]
	[ "$(csv_column "$DATA/out.csv" threads | sort -u)" = 4 ]
	[ "$(csv_column "$DATA/out.csv" ops | sort -u)" = 100 ]
	[ "$(csv_column "$DATA/out.csv" bytes | sort -u)" = 409600 ]
}

@test "replay-check: dd, cat and python recorded and replayed end to end, every row matched, nothing left" {
	command -v strace > /dev/null || skip "strace is not installed (Debian package strace)"
	export MMBENCH
	run "$BATS_TEST_DIRNAME/../scripts/replay-check" --only dd,cat,python --backend mmap,read --reps 2 \
		--dir "$DATA"
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -Eq '^program +trace ops +bytes +files +threads +seq_share +match +mmap/read'
	echo "$output" | grep -Eq '^dd +100 +1638400 +1 +1 +0\.9900 +yes '
	echo "$output" | grep -Eq '^cat +[0-9]+ +3000001 +1 +1 +[0-9.]+ +yes '
	# python3 missing is a skip, not a failure
	if [ -x /usr/bin/python3 ]; then
		echo "$output" | grep -Eq '^python +800 +3276800 +1 +4 +[0-9.]+ +yes '
	fi
	[ -z "$(ls "$DATA" | grep -v -e '^[abc]$')" ]
}

@test "replay-check: a row that differs from its trace fails the check, with exit 1" {
	command -v strace > /dev/null || skip "strace is not installed (Debian package strace)"
	# an mmbench whose replay rows claim 1 operation in the first row
	cat > "$DATA/lying-mmbench" <<'EOF'
#!/bin/bash
"$REAL_MMBENCH" "$@" || exit
[ "$1" = run ] || exit 0
while [ $# -gt 0 ]; do [ "$1" != --csv ] || csv=$2; shift; done
sed -i -E '2s/,replay,([0-9]+),([0-9]+),[0-9]+,/,replay,\1,\2,1,/' "$csv"
EOF
	chmod +x "$DATA/lying-mmbench"
	REAL_MMBENCH=$MMBENCH MMBENCH=$DATA/lying-mmbench run "$BATS_TEST_DIRNAME/../scripts/replay-check" \
		--only dd --backend mmap,read --reps 2 --dir "$DATA"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"replay-check: dd: 1 of 4 rows did not verify or differ from the trace's 100 operations"* ]]
	echo "$output" | grep -Eq '^dd +100 +1638400 +1 +1 +0\.9900 +no '
}

@test "replay-memory: a long trace's rows match it and its memory is what a short one's is; growth fails it" {
	export MMBENCH
	before=$(ls "$DATA")
	run timeout 120 "$BATS_TEST_DIRNAME/../scripts/replay-memory" --ops 3000 --size 4M --dir "$DATA"
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -Eq '^30 +read +30 +1 +[0-9.]+ +[0-9.]+$'
	echo "$output" | grep -Eq '^3000 +mmap +3000 +1 +[0-9.]+ +[0-9.]+$'
	echo "$output" | grep -Eq "^read's peak grew by -?[0-9.]+ MiB from 30 to 3000 operations$"
	[ "$(ls "$DATA")" = "$before" ]
	# an mmbench whose long replays claim 100 MiB more anonymous memory
	cat > "$DATA/growing-mmbench" <<'EOF'
#!/bin/bash
"$REAL_MMBENCH" "$@" || exit
[ "$1" = run ] || exit 0
while [ $# -gt 0 ]; do [ "$1" != --csv ] || csv=$2; shift; done
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
	$col["ops"] >= 1000 { $col["rss_anon_bytes"] += 104857600 } { print }' "$csv" > "$csv.new"
mv "$csv.new" "$csv"
EOF
	chmod +x "$DATA/growing-mmbench"
	REAL_MMBENCH=$MMBENCH MMBENCH=$DATA/growing-mmbench run timeout 120 \
		"$BATS_TEST_DIRNAME/../scripts/replay-memory" --ops 3000 --size 4M --dir "$DATA"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"replay-memory: read's anonymous memory: 64 MiB or more: not bounded"* ]]
	[ "$(ls "$DATA" | grep -v '^growing-mmbench$')" = "$before" ]
}

@test "replay: a fio iolog version 3 replays, and a synthetic row records the replay options as not applicable" {
	printf 'fio version 3 iolog\n0 %s add\n0 %s open\n' "$DATA/a" "$DATA/a" > "$DATA/log"
	for k in 0 1 2 3 4 5 6 7; do
		printf '%d %s read %d 4096\n' $((k * 1000)) "$DATA/a" $((k * 8192)) >> "$DATA/log"
	done
	printf '9000 %s close\n' "$DATA/a" >> "$DATA/log"
	run "$MMBENCH" run --workload replay --trace "$DATA/log" --backend read,mmap --reps 1 \
		--warmup 0 --csv "$DATA/out.csv" --dir "$DATA"
	[ "$status" -eq 0 ]
	[ "$(csv_column "$DATA/out.csv" ops | sort -u)" = 8 ]
	[ "$(csv_column "$DATA/out.csv" verified | sort -u)" = 1 ]
	"$MMBENCH" run --workload seqread --size 1M --backend read --reps 1 --warmup 0 \
		--csv "$DATA/syn.csv" --dir "$DATA" 2> /dev/null
	[ "$(csv_column "$DATA/syn.csv" hints)" = - ]
	[ "$(csv_column "$DATA/syn.csv" replay_timing)" = - ]
	[ "$(csv_column "$DATA/syn.csv" files)" = 1 ]
}

@test "replay: --replay-timing recorded waits for each operation's recorded time" {
	# 5 reads, the last at 0.3 s: paced, the region lasts at least that
	{
		echo 'mmbench-trace 1'; echo "file 0 - - $DATA/a"; echo 'thread 0 1'
		for k in 0 1 2 3 4; do echo "0 0.0$((k * 75)) 0 $((k * 4096)) 4096 read"; done
	} > "$DATA/t"
	sed -i 's/ 0\.0300 / 0.300 /; s/ 0\.0225 / 0.225 /; s/ 0\.0150 / 0.150 /' "$DATA/t"
	"$MMBENCH" run --workload replay --trace "$DATA/t" --backend read --reps 1 --warmup 0 \
		--replay-timing recorded --csv "$DATA/out.csv" --dir "$DATA" 2> /dev/null
	[ "$(csv_column "$DATA/out.csv" replay_timing)" = recorded ]
	ns=$(csv_column "$DATA/out.csv" elapsed_ns)
	[ "$ns" -ge 300000000 ]
}

@test "replay: refusals name the flag, the trace's line or the file, with exit 2" {
	make_trace "$DATA/t"
	run "$MMBENCH" run --workload replay
	[ "$status" -eq 2 ]
	[[ "$output" == *"--workload replay needs --trace TRACE"* ]]
	run "$MMBENCH" run --trace "$DATA/t"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--trace applies to --workload replay"* ]]
	run "$MMBENCH" run --workload replay --trace "$DATA/t" --threads 4
	[ "$status" -eq 2 ]
	[[ "$output" == *"--threads does not apply to --workload replay"* ]]
	run "$MMBENCH" run --workload replay,seqread --trace "$DATA/t"
	[ "$status" -eq 2 ]
	run "$MMBENCH" run --workload replay --trace "$DATA/missing"
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid --trace '$DATA/missing'"* ]]
	# a malformed line: the trace and the line
	sed '8s/ read$/ frob/' "$DATA/t" > "$DATA/bad"
	run "$MMBENCH" run --workload replay --trace "$DATA/bad" --dir "$DATA"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$DATA/bad:8:"* ]]
	# cut mid-line, as a copy that stopped: no row
	head -c 400 "$DATA/t" > "$DATA/cut"
	truncate -s -3 "$DATA/cut"
	printf 'x\n' >> "$DATA/cut"
	run "$MMBENCH" run --workload replay --trace "$DATA/cut" --csv "$DATA/cut.csv" --dir "$DATA"
	[ "$status" -eq 2 ]
	[ ! -e "$DATA/cut.csv" ]
	# a read past a file's end
	echo "0 0.5 2 39990 100 read" >> "$DATA/t"
	run "$MMBENCH" run --workload replay --trace "$DATA/t" --dir "$DATA"
	[ "$status" -eq 2 ]
	[[ "$output" == *"past the end of '$DATA/c' (40000 bytes)"* ]]
	# a write on the recorded files: only with --allow-write, said with its record
	make_trace "$DATA/t"
	echo "1 0.5 1 0 10 write" >> "$DATA/t"
	sum=$(md5sum < "$DATA/b")
	run "$MMBENCH" run --workload replay --trace "$DATA/t" --dir "$DATA"
	[ "$status" -eq 2 ]
	[[ "$output" == *"writes 10 bytes at 0 of '$DATA/b', a recorded file: add --allow-write"* ]]
	[ "$(md5sum < "$DATA/b")" = "$sum" ]
}

@test "replay: a file that is not the one recorded is refused, and the user's files are left as they were" {
	command -v strace > /dev/null || skip "strace is not installed (Debian package strace)"
	"$MMBENCH" record --out "$DATA/t" -- cat "$DATA/b" > /dev/null 2>&1
	sum=$(md5sum < "$DATA/b")
	run "$MMBENCH" run --workload replay --trace "$DATA/t" --backend all --reps 1 --warmup 0 \
		--csv "$DATA/out.csv" --dir "$DATA"
	[ "$status" -eq 0 ]
	[ "$(md5sum < "$DATA/b")" = "$sum" ]
	printf 'x' | dd of="$DATA/b" bs=1 seek=5 conv=notrunc 2> /dev/null
	run "$MMBENCH" run --workload replay --trace "$DATA/t" --dir "$DATA"
	[ "$status" -eq 2 ]
	[[ "$output" == *"not the recorded file 0 '$DATA/b': fingerprint "* ]]
}

@test "replay: plan refuses a replay (its plan is the trace)" {
	make_trace "$DATA/t"
	run "$MMBENCH" plan --workload replay --trace "$DATA/t"
	[ "$status" -eq 2 ]
	[[ "$output" == *"replay's operations are its --trace's"* ]]
}

@test "randrw: every backend verifies mixed reads and writes from 3 threads, and the file is put back" {
	"$MMBENCH" prepare "$DATA/f" --size 4M > /dev/null
	sum=$(md5sum < "$DATA/f")
	backends=$(list_names backends | grep -vx worker | paste -sd, -)
	run "$MMBENCH" run --workload randrw --file "$DATA/f" --allow-write --backend "$backends" \
		--ops 3000 --threads 3 --qd 8 --read-pct 70 --reps 2 --warmup 0 --csv "$DATA/out.csv"
	[ "$status" -eq 0 ]
	[ "$(csv_column "$DATA/out.csv" verified | sort -u)" = 1 ]
	[ "$(csv_column "$DATA/out.csv" read_pct | sort -u)" = 70 ]
	[ "$(csv_column "$DATA/out.csv" ops | sort -u)" = 3000 ]
	# every write was put back
	[ "$(md5sum < "$DATA/f")" = "$sum" ]
	# the other workloads record --read-pct as not applicable
	"$MMBENCH" run --workload randread --size 1M --backend read --reps 1 --warmup 0 \
		--csv "$DATA/syn.csv" --dir "$DATA" 2> /dev/null
	[ "$(csv_column "$DATA/syn.csv" read_pct)" = - ]
}

@test "randrw: --read-pct is 0 to 100, and applies to randrw only" {
	run "$MMBENCH" run --workload randrw --read-pct 101 --size 1M
	[ "$status" -eq 2 ]
	[[ "$output" == *"'101' for --read-pct"* ]]
	run "$MMBENCH" run --workload randread --read-pct 30 --size 1M
	[ "$status" -eq 2 ]
	[[ "$output" == *"--read-pct applies to --workload randrw"* ]]
	# all reads and all writes are both fine
	for pct in 0 100; do
		run "$MMBENCH" run --workload randrw --read-pct "$pct" --backend mmap,read --size 1M \
			--reps 1 --warmup 0 --csv "$DATA/p$pct.csv" --dir "$DATA"
		[ "$status" -eq 0 ]
		[ "$(csv_column "$DATA/p$pct.csv" verified | sort -u)" = 1 ]
	done
}

@test "--nrfiles: every synthetic workload spread over N files, every backend verified, rows say how many" {
	backends=$(list_names backends | grep -vx worker | paste -sd, -)
	workloads=$(list_names workloads | grep -vx replay | paste -sd, -)
	# two repetitions: the second reads (inplace, randrw) what the first put back
	run "$MMBENCH" run --workload "$workloads" --nrfiles 3 --size 3M --backend "$backends" \
		--threads 2 --qd 4 --reps 2 --warmup 0 --sync end --csv "$DATA/out.csv" --dir "$DATA"
	[ "$status" -eq 0 ]
	[ "$(csv_column "$DATA/out.csv" verified | sort -u)" = 1 ]
	[ "$(csv_column "$DATA/out.csv" files | sort -u)" = 3 ]
	[ "$(csv_column "$DATA/out.csv" nrfiles | sort -u)" = 3 ]
	[ "$(csv_column "$DATA/out.csv" workload | sort -u | paste -sd, -)" = \
		"$(tr , '\n' <<< "$workloads" | sort | paste -sd, -)" ]
	# the three files and the records are gone
	[ -z "$(ls "$DATA" | grep -v -e '^[abc]$' -e '^out.csv$')" ]
	make_trace "$DATA/t"
	run "$MMBENCH" run --workload replay --trace "$DATA/t" --nrfiles 2
	[ "$status" -eq 2 ]
	[[ "$output" == *"--nrfiles 2 does not apply to replay: it runs on its trace's files"* ]]
	run "$MMBENCH" run --workload seqread --nrfiles 2 --file "$DATA/a"
	[ "$status" -eq 2 ]
	run "$MMBENCH" run --workload seqread --nrfiles 300 --size 1M
	[ "$status" -eq 2 ]
	[[ "$output" == *"leaves less than --block 4K a file"* ]]
}

@test "--trace-files remap=DIR: a trace of files that are gone replays on pattern copies of their sizes, removed after" {
	make_trace "$DATA/t"
	mkdir "$DATA/copies"
	sed "s#$DATA/#/nonexistent/#" "$DATA/t" > "$DATA/moved"
	run "$MMBENCH" run --workload replay --trace "$DATA/moved" --dir "$DATA"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot open file 0 '/nonexistent/a'"* ]]
	run "$MMBENCH" run --workload replay --trace "$DATA/moved" --trace-files "remap=$DATA/copies" \
		--backend mmap,read --reps 1 --warmup 0 --csv "$DATA/out.csv" --dir "$DATA"
	[ "$status" -eq 0 ]
	[ "$(csv_column "$DATA/out.csv" verified | sort -u)" = 1 ]
	[ "$(csv_column "$DATA/out.csv" verify_source | sort -u)" = pattern ]
	[ "$(csv_column "$DATA/out.csv" trace_files | sort -u)" = "remap=$DATA/copies" ]
	[ "$(csv_column "$DATA/out.csv" file_size | sort -u)" = $((300000 + 70001 + 40000)) ]
	[ -z "$(ls -A "$DATA/copies")" ]
	run "$MMBENCH" run --workload replay --trace "$DATA/moved" --trace-files remap=/nonexistent
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value 'remap=/nonexistent' for --trace-files"* ]]
}

@test "replay with writes, on copies: every backend verifies reads and writes over 3 files from 2 threads" {
	make_trace "$DATA/t"
	# thread 0 writes 8 pages of file 0 and reads inside each after; the
	# other reads of file 0 keep out of them
	awk '$1 ~ /^[0-9]+$/ && NF == 6 && $3 == 0 && $4 < 32768 { $4 = $4 + 32768 } { print }' "$DATA/t" > "$DATA/t2"
	for p in 0 1 2 3 4 5 6 7; do
		echo "0 0.5 0 $((p * 4096)) 4096 write"
		echo "0 0.6 0 $((p * 4096 + 100)) 7 read"
	done >> "$DATA/t2"
	echo "1 0.7 1 500 37 write" >> "$DATA/t2"
	mkdir "$DATA/copies"
	backends=$(list_names backends | grep -vx worker | paste -sd, -)
	run "$MMBENCH" run --workload replay --trace "$DATA/t2" --trace-files "remap=$DATA/copies" \
		--backend "$backends" --qd 4 --sync end --reps 2 --warmup 0 --csv "$DATA/out.csv" --dir "$DATA"
	[ "$status" -eq 0 ]
	[ "$(csv_column "$DATA/out.csv" verified | sort -u)" = 1 ]
	[ "$(csv_column "$DATA/out.csv" ops | sort -u)" = 417 ]
	[ "$(csv_column "$DATA/out.csv" sync | sort -u)" = end ]
	[ -z "$(ls -A "$DATA/copies")" ]
	# another thread's read of a written range cannot be checked: refused
	echo "1 0.8 0 4096 10 read" >> "$DATA/t2"
	run "$MMBENCH" run --workload replay --trace "$DATA/t2" --trace-files "remap=$DATA/copies" --dir "$DATA"
	[ "$status" -eq 2 ]
	[[ "$output" == *"which a write of another thread covers"* ]]
}

# make_write_trace OUT: make_trace's reads, and writes from both threads to
# all three files: thread 0 writes 8 pages of file 0 and reads inside each
# after (the other reads of file 0 keep out of them), thread 1 a range of
# file 1 at an odd offset and the last 40 bytes of file 2.
make_write_trace() {
	make_trace "$1.reads"
	awk '$1 ~ /^[0-9]+$/ && NF == 6 && $3 == 0 && $4 < 32768 { $4 = $4 + 32768 }
	     $1 ~ /^[0-9]+$/ && NF == 6 && $3 == 2 && $4 + $5 > 39960 { $4 = 0 } { print }' "$1.reads" > "$1"
	rm "$1.reads"
	for p in 0 1 2 3 4 5 6 7; do
		echo "0 0.5 0 $((p * 4096)) 4096 write"
		echo "0 0.6 0 $((p * 4096 + 100)) 7 read"
	done >> "$1"
	echo "1 0.7 1 500 37 write" >> "$1"
	echo "1 0.8 2 39960 40 write" >> "$1"
}

@test "replay with writes on the recorded files (--allow-write): every backend verifies, each file put back as it was" {
	make_write_trace "$DATA/t"
	for f in a b c; do cp "$DATA/$f" "$DATA/$f.orig"; done
	backends=$(list_names backends | grep -vx worker | paste -sd, -)
	run "$MMBENCH" run --workload replay --trace "$DATA/t" --allow-write --backend "$backends" \
		--qd 4 --sync end --reps 2 --warmup 0 --csv "$DATA/out.csv" --dir "$DATA"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(csv_column "$DATA/out.csv" verified | sort -u)" = 1 ]
	[ "$(csv_column "$DATA/out.csv" verify_source | sort -u)" = reference ]
	[ "$(csv_column "$DATA/out.csv" ops | sort -u)" = 418 ]
	for f in a b c; do cmp "$DATA/$f" "$DATA/$f.orig"; done
	[ -z "$(ls "$DATA" | grep mmbench-journal)" ]
	# a journal left by an interrupted run: refused until restored
	cp "$DATA/t" "$DATA/b.mmbench-journal"
	run "$MMBENCH" run --workload replay --trace "$DATA/t" --allow-write --dir "$DATA"
	[ "$status" -eq 1 ]
	[[ "$output" == *"'$DATA/b' has the journal of an interrupted in-place run"*"mmbench restore '$DATA/b'"* ]]
	rm "$DATA/b.mmbench-journal"
	for f in a b c; do cmp "$DATA/$f" "$DATA/$f.orig"; done
}

@test "replay with writes on the recorded files: SIGTERM puts every file back, SIGKILL leaves journals that restore does" {
	make_write_trace "$DATA/t"
	# a longer replay: the same operations a thousand times over
	awk '$1 ~ /^[0-9]+$/ && NF == 6 { ops[++n] = $0; next } { print }
	     END { for (k = 0; k < 1000; k++) for (i = 1; i <= n; i++) print ops[i] }' "$DATA/t" > "$DATA/long"
	for f in a b c; do cp "$DATA/$f" "$DATA/$f.orig"; done
	journaled=0
	for sig in TERM KILL TERM KILL; do
		# no timeout(1) around it: SIGKILL to timeout would leave mmbench
		# running; the kill below, within a second, is its timeout
		"$MMBENCH_BIN" run --workload replay --trace "$DATA/long" --allow-write \
			--backend mmap,read --reps 500 --warmup 0 --quiet --dir "$DATA" > /dev/null 2>&1 &
		pid=$!
		# until a step has journaled the files (or 30 s), then a moment
		# more: the signal lands while the files may be changed
		for _ in $(seq 300); do
			ls "$DATA"/*.mmbench-journal > /dev/null 2>&1 && break
			sleep 0.1
		done
		sleep "0.$((RANDOM % 3))"
		kill -"$sig" "$pid"
		# a SIGTERM it has not obeyed within 60 s is a hang: killed, failed
		ended_within 60 "$pid" || { kill -KILL "$pid"; echo "still running 60 s after SIG$sig"; return 1; }
		wait "$pid" || true
		for f in a b c; do
			if [ -e "$DATA/$f.mmbench-journal" ]; then
				[ "$sig" = KILL ]
				journaled=$((journaled + 1))
				run timeout 60 "$MMBENCH" restore "$DATA/$f"
				echo "$output"
				[ "$status" -eq 0 ]
			fi
			cmp "$DATA/$f" "$DATA/$f.orig"
		done
	done
	# SIGKILL hit a step with its journals at least once: restore was tried
	echo "journals left by SIGKILL: $journaled"
	[ "$journaled" -ge 1 ]
}
