#!/usr/bin/env bats
# mmbench record: a program's file I/O under strace, as a trace whose
# operations and bytes are what the program did; and its refusals.

load helpers

setup() {
	mmbench_setup
	command -v strace > /dev/null || skip "strace is not installed (Debian package strace)"
	# strace's temporary output goes here, so a leftover is seen
	export TMPDIR=$DATA/tmp
	mkdir "$TMPDIR"
	head -c 300000 /dev/urandom > "$DATA/f"
}

teardown() { mmbench_teardown; }

# No temporary file of record's is left: strace's, the records', the trace's.
no_leftovers() {
	[ -z "$(ls -A "$TMPDIR")" ]
	! ls "$DATA" | grep -q -e '\.body-' -e '\.tmp-'
}

# trace_ops TRACE: "thread offset length kind" of every operation line.
trace_ops() {
	awk '$1 ~ /^[0-9]+$/ && NF == 6 { print $1, $4, $5, $6 }' "$1"
}

@test "record: cat reads the whole file, in order, and the header names it" {
	# cat's bytes to /dev/null, record's lines (stderr) to output
	run bash -c '"$0" record --out "$1" -- cat "$2" 2>&1 > /dev/null' "$MMBENCH" "$DATA/t" "$DATA/f"
	[ "$status" -eq 0 ]
	[[ "$output" == *"recorded '$DATA/t': "* ]]
	head -1 "$DATA/t" | grep -qx 'mmbench-trace 1'
	# made with the umask's mode, not a temporary file's 0600
	[ "$(stat -c %a "$DATA/t")" = "$(printf '%o' $((0666 & ~$(umask))))" ]
	# one file, with its size and a 16-digit fingerprint
	[ "$(grep -c '^file ' "$DATA/t")" -eq 1 ]
	grep -Eq "^file 0 300000 [0-9a-f]{16} $DATA/f\$" "$DATA/t"
	# the reads cover the file once, each where the last ended
	trace_ops "$DATA/t" | awk -v size=300000 '
		$4 != "read" || $2 != next_off { bad = 1 } { next_off = $2 + $3 }
		END { exit bad || next_off != size }'
	no_leftovers
}

@test "record: dd with skip reads count blocks of bs from skip * bs" {
	"$MMBENCH" record --out "$DATA/t" -- dd if="$DATA/f" of=/dev/null bs=4k skip=3 count=5 2> /dev/null
	run trace_ops "$DATA/t"
	[ "${#lines[@]}" -eq 5 ]
	for i in 0 1 2 3 4; do
		[ "${lines[$i]}" = "0 $(((3 + i) * 4096)) 4096 read" ]
	done
	no_leftovers
}

@test "record: os.pread from 4 threads, each thread's stream as the program issued it" {
	cat > "$DATA/prog.py" <<'EOF'
import os, sys, threading
fd = os.open(sys.argv[1], os.O_RDONLY)
streams = [[((i * 25 + k) * 7919 % 64) * 4096 for k in range(25)] for i in range(4)]
def work(offs):
    for off in offs:
        assert len(os.pread(fd, 4096, off)) == 4096
ts = [threading.Thread(target=work, args=(s,)) for s in streams]
for t in ts: t.start()
for t in ts: t.join()
with open(sys.argv[2], "w") as out:
    for s in streams:
        print(",".join(map(str, s)), file=out)
EOF
	"$MMBENCH" record --out "$DATA/t" --only "$DATA/f" -- /usr/bin/python3 "$DATA/prog.py" "$DATA/f" "$DATA/want"
	# 100 reads of 4096 bytes from 4 threads, 25 each
	[ "$(trace_ops "$DATA/t" | wc -l)" -eq 100 ]
	[ "$(trace_ops "$DATA/t" | awk '{ b += $3 } END { print b }')" -eq 409600 ]
	[ "$(grep -c '^thread ' "$DATA/t")" -eq 4 ]
	# each recorded thread's offsets are one of the program's streams
	diff <(sort "$DATA/want") <(trace_ops "$DATA/t" | awk '
		{ s[$1] = s[$1] (s[$1] == "" ? "" : ",") $2 }
		END { for (t in s) print s[t] }' | sort)
	no_leftovers
}

@test "record: a mapping is named, hints are kept, writes land where the kernel put them" {
	cat > "$DATA/prog.py" <<'EOF'
import mmap, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)
m = mmap.mmap(fd, 8192, prot=mmap.PROT_READ, flags=mmap.MAP_SHARED | mmap.MAP_POPULATE)
m.madvise(mmap.MADV_RANDOM, 4096, 4096)
os.pread(fd, 100, 5000)
log = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
os.write(log, b"abc")
os.pwrite(log, b"de", 0)   # O_APPEND: at the end all the same
EOF
	printf '0123456789' > "$DATA/log"
	run "$MMBENCH" record --out "$DATA/t" --only "$DATA/f" --only "$DATA/log" -- \
		/usr/bin/python3 "$DATA/prog.py" "$DATA/f" "$DATA/log"
	[ "$status" -eq 0 ]
	[[ "$output" == *"/usr/bin/python3 mapped '$DATA/f' (8192 bytes): accesses through a mapping are page faults, not system calls, and are not in the trace"* ]]
	grep -Eq '^hint 0 [0-9.]+ 0 fadvise 0 0 random$' "$DATA/t"
	grep -Eq '^hint 0 [0-9.]+ 0 mmap 0 8192 shared,populate$' "$DATA/t"
	grep -Eq '^hint 0 [0-9.]+ 0 madvise 4096 4096 random$' "$DATA/t"
	[ "$(trace_ops "$DATA/t")" = "0 5000 100 read
0 10 3 write
0 13 2 write" ]
}

@test "record: a failing command passes its status on and keeps the partial trace" {
	run "$MMBENCH" record --out "$DATA/t" -- sh -c 'cat "$1" > /dev/null; exit 3' sh "$DATA/f"
	[ "$status" -eq 3 ]
	[[ "$output" == *"'sh' exited with status 3: '$DATA/t' holds what it did until then"* ]]
	[ "$(trace_ops "$DATA/t" | awk '{ b += $3 } END { print b }')" -eq 300000 ]
	no_leftovers
}

@test "record: refusals: no file I/O, no such command, no strace, an existing trace, no --" {
	run "$MMBENCH" record --out "$DATA/t" -- true
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot record 'true': it read or wrote no file the trace keeps"* ]]
	[ ! -e "$DATA/t" ]
	no_leftovers
	run "$MMBENCH" record --out "$DATA/t" --only '/nowhere/*' -- cat "$DATA/f"
	[ "$status" -eq 1 ]
	[[ "$output" == *"none matched --only"* ]]
	[ ! -e "$DATA/t" ]
	run "$MMBENCH" record --out "$DATA/t" -- no-such-command-here
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot record 'no-such-command-here': no such command"* ]]
	# a PATH with mmbench's timeout and cat, but no strace
	mkdir "$DATA/bin"
	ln -s "$(command -v timeout)" "$DATA/bin/timeout"
	ln -s "$(command -v cat)" "$DATA/bin/cat"
	PATH=$DATA/bin run "$MMBENCH" record --out "$DATA/t" -- cat "$DATA/f"
	[ "$status" -eq 2 ]
	[[ "$output" == *"strace is not installed (Debian package strace"* ]]
	touch "$DATA/t"
	run "$MMBENCH" record --out "$DATA/t" -- cat "$DATA/f"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'$DATA/t' exists for --out"* ]]
	run "$MMBENCH" record --out "$DATA/u" cat "$DATA/f"
	[ "$status" -eq 2 ]
	run "$MMBENCH" record --out "$DATA/u"
	[ "$status" -eq 2 ]
	[[ "$output" == *"missing -- CMD for record"* ]]
	no_leftovers
}

@test "trace: a recorded trace read back, its files checked against the header" {
	"$MMBENCH" record --out "$DATA/t" -- dd if="$DATA/f" of=/dev/null bs=4k skip=3 count=5 2> /dev/null
	run "$MMBENCH" trace "$DATA/t"
	[ "$status" -eq 0 ]
	[[ "$output" == *"format	mmbench trace"* ]]
	[[ "$output" == *"operations	5"* ]]
	[[ "$output" == *"read_bytes	20480"* ]]
	# 4 of the 5 reads continue where the last ended
	[[ "$output" == *"sequential	0.8000"* ]]
	[[ "$output" == *"file 0	$DATA/f	matches: the file the trace recorded"* ]]
	# the same size, other bytes: the fingerprint tells
	printf 'X' | dd of="$DATA/f" bs=1 seek=0 conv=notrunc 2> /dev/null
	run "$MMBENCH" trace "$DATA/t"
	[[ "$output" == *"file 0	$DATA/f	changed: fingerprint "* ]]
	head -c 1000 /dev/zero >> "$DATA/f"
	run "$MMBENCH" trace "$DATA/t"
	[[ "$output" == *"changed: 301000 bytes, the trace's 300000"* ]]
}

@test "trace: fio iologs and plan lines read; a malformed line is named, exit 2" {
	run "$MMBENCH" trace "$BATS_TEST_DIRNAME/data/trace/fio3.log"
	[ "$status" -eq 0 ]
	[[ "$output" == *"format	fio iolog v3"* ]]
	[[ "$output" == *"operations	6"* ]]
	[[ "$output" == *"write_bytes	4096"* ]]
	"$MMBENCH" plan --workload randread --size 64K --block 4K --ops 10 --threads 2 --reps 1 \
		--warmup 0 > "$DATA/p.jsonl"
	run "$MMBENCH" trace "$DATA/p.jsonl"
	[ "$status" -eq 0 ]
	[[ "$output" == *"operations	10"* ]]
	[[ "$output" == *"threads	2"* ]]
	printf 'mmbench-trace 1\nfile 0 10 - /x\n0 0.1 0 0 1 read\n0 0.2 0 1 1 rd\n' > "$DATA/bad"
	run "$MMBENCH" trace "$DATA/bad"
	[ "$status" -eq 2 ]
	[ "$output" = "mmbench: $DATA/bad:4: invalid kind 'rd' (read or write)" ]
	# a trace cut short in its last line
	printf 'fio version 2 iolog\n/x add\n/x read 0 40' > "$DATA/cut"
	run "$MMBENCH" trace "$DATA/cut"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$DATA/cut:3: last line has no newline: the trace is cut short"* ]]
}

# maxrss_kib CMD...: the largest resident size of CMD, in KiB.
maxrss_kib() {
	python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}

@test "trace: a trace is streamed: a million operations take no more memory than a thousand" {
	for n in 1000 1000000; do
		awk -v n="$n" 'BEGIN { print "mmbench-trace 1"; print "file 0 - - /x"
			for (i = 0; i < n; i++) printf "%d 0.%06d 0 %d 4096 read\n", i % 4, i % 1000000, (i * 7919 % 4096) * 4096 }' > "$DATA/t$n"
	done
	small=$(maxrss_kib "$MMBENCH" trace "$DATA/t1000")
	large=$(maxrss_kib "$MMBENCH" trace "$DATA/t1000000")
	run "$MMBENCH" trace "$DATA/t1000000"
	[[ "$output" == *"operations	1000000"* ]]
	# loaded whole, a million records would be tens of MiB more
	echo "max RSS: $small KiB for 1000 operations, $large KiB for 1000000"
	[ "$((large - small))" -lt 8192 ]
}

# make_blktrace OUT: a blktrace (blk_io_trace records, little-endian) of
# two processes: a notify record with its payload, then queued reads and
# writes, each also completed (an event the import must not count twice).
make_blktrace() {
	python3 - "$1" << 'PY'
import struct, sys
MAGIC = 0x65617400 | 0x07
def event(seq, sector, nbytes, what, tc, pid, pdu=b""):
	return struct.pack("<IIQQIIIIIHH", MAGIC, seq, seq * 1000, sector, nbytes,
			   what | (tc << 16), pid, 8 << 20, 0, 0, len(pdu)) + pdu
out = event(0, 0, 0, 0, 1 << 15, 100, b"db\0" + b"\0" * 13)  # notify: a process's name
ops = [(0, 4096, 0, 100), (16, 8192, 1, 100), (64, 4096, 0, 200), (8, 4096, 1, 200), (128, 65536, 0, 100)]
for i, (sector, nbytes, write, pid) in enumerate(ops):
	tc = 2 if write else 1  # BLK_TC_WRITE, BLK_TC_READ
	out += event(2 * i + 1, sector, nbytes, 1, tc, pid)  # queued
	out += event(2 * i + 2, sector, nbytes, 8, tc, pid)  # completed
open(sys.argv[1], "wb").write(out)
PY
}

@test "import-blktrace: fio replays a blktrace onto a scratch file, each queued operation recorded once, and the trace replays on copies" {
	command -v fio > /dev/null || skip "fio is not installed (Debian package fio)"
	make_blktrace "$DATA/b.blk"
	run "$MMBENCH" import-blktrace "$DATA/b.blk" --out "$DATA/t" --dir "$DATA"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"imported '$DATA/t': 5 operations (3 reads, 73728 bytes; 2 writes, 12288 bytes)"* ]]
	# sectors of 512 bytes, in the blktrace's order, one thread
	[ "$(trace_ops "$DATA/t" | paste -sd' ')" = "0 0 4096 read 0 8192 8192 write 0 32768 4096 read 0 4096 4096 write 0 65536 65536 read" ]
	# the file is as large as the I/O reaches; fio's own advice is not the program's
	[ "$(awk '$1 == "file" { print $3 }' "$DATA/t")" = 131072 ]
	# (a negated command never fails a bats test: count instead)
	[ "$(grep -c '^hint' "$DATA/t")" = 0 ]
	grep -q "^# imported by mmbench import-blktrace from '$DATA/b.blk'" "$DATA/t"
	[ -z "$(ls "$DATA" | grep mmbench-blktrace)" ]
	no_leftovers
	mkdir "$DATA/copies"
	run "$MMBENCH" run --workload replay --trace "$DATA/t" --trace-files remap="$DATA/copies" \
		--backend mmap,read --reps 2 --warmup 0 --csv "$DATA/out.csv" --dir "$DATA"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(csv_column "$DATA/out.csv" verified | sort -u)" = 1 ]
	[ "$(csv_column "$DATA/out.csv" ops | sort -u)" = 5 ]
	[ -z "$(ls -A "$DATA/copies")" ]
}

@test "import-blktrace: refusals name the argument, with exit 2, and leave nothing" {
	make_blktrace "$DATA/b.blk"
	run "$MMBENCH" import-blktrace "$DATA/b.blk"
	[ "$status" -eq 2 ]
	[[ "$output" == *"missing --out TRACE"* ]]
	run "$MMBENCH" import-blktrace --out "$DATA/t"
	[ "$status" -eq 2 ]
	[[ "$output" == *"missing BLKTRACE"* ]]
	run "$MMBENCH" import-blktrace "$DATA/b.blk" --out "$DATA/t" --size 12X
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid size '12X' for --size"* ]]
	run "$MMBENCH" import-blktrace "$DATA/nothing" --out "$DATA/t"
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot read BLKTRACE '$DATA/nothing'"* ]]
	printf 'fio version 3 iolog\n' > "$DATA/log"
	run "$MMBENCH" import-blktrace "$DATA/log" --out "$DATA/t"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'$DATA/log' is not a blktrace"*"a fio iolog replays as it is, --trace '$DATA/log'"* ]]
	touch "$DATA/t"
	run "$MMBENCH" import-blktrace "$DATA/b.blk" --out "$DATA/t"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'$DATA/t' exists for --out"* ]]
	# a PATH with mmbench's timeout and what the script needs, but no fio
	mkdir "$DATA/bin"
	for c in timeout dirname; do ln -s "$(command -v "$c")" "$DATA/bin/$c"; done
	PATH=$DATA/bin run "$MMBENCH" import-blktrace "$DATA/b.blk" --out "$DATA/u" --dir "$DATA"
	[ "$status" -eq 2 ]
	[[ "$output" == *"fio is not installed (Debian package fio)"* ]]
	[ ! -e "$DATA/u" ]
	[ -z "$(ls "$DATA" | grep mmbench-blktrace)" ]
}
