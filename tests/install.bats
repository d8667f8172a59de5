#!/usr/bin/env bats
# make install / make uninstall, and the exec-path: an installed mmbench
# finds its script commands, suites and helpers from any folder, as the
# clone does; uninstall leaves no file behind.

load helpers

setup_file() {
	# one install for the file: the binary is built for this PREFIX
	T=$(mktemp -d "${MMBENCH_TEST_DIR:-/var/tmp}/mmbench-install.XXXXXX")
	export T
	make -C "$BATS_TEST_DIRNAME/.." -s install PREFIX="$T/p" > "$T/install.log" 2>&1 ||
		{ cat "$T/install.log"; return 1; }
}

teardown_file() { rm -rf "$T"; }

setup() { mmbench_setup; }
teardown() { mmbench_teardown; }

# the installed binary, under a timeout as every mmbench of a test
# (MMBENCH unset: the installed scripts must find the installed binary)
installed() { env -u MMBENCH -u MMBENCH_BIN timeout -k 10 300 "$T/p/bin/mmbench" "$@"; }

@test "install puts the binary, script commands, helpers, suites, playbook, man pages and completion under PREFIX" {
	for f in bin/mmbench libexec/mmbench/mmbench-report libexec/mmbench/mmbench-plot \
		libexec/mmbench/mmbench-ci-check libexec/mmbench/mmbench-fleet \
		libexec/mmbench/mmbench-claims libexec/mmbench/lib.sh libexec/mmbench/csv.awk \
		share/mmbench/bench/quick.sweep share/mmbench/bench/tiny.sweep \
		share/mmbench/fleet/sweep.yml share/mmbench/fleet/poll.yml share/man/man1/mmbench.1 \
		share/man/man1/mmbench-run.1 share/man/man1/mmbench-sweep.1 share/man/man1/mmbench-report.1 \
		share/man/man1/mmbench-fleet.1 share/bash-completion/completions/mmbench \
		share/zsh/vendor-completions/_mmbench; do
		[ -e "$T/p/$f" ] || { echo "missing $f"; return 1; }
	done
	[ -x "$T/p/libexec/mmbench/mmbench-report" ]
}

@test "the installed exec-path is PREFIX/libexec/mmbench, MMBENCH_EXEC_PATH overrides it" {
	run installed --exec-path
	[ "$status" -eq 0 ]
	[ "$output" = "$T/p/libexec/mmbench" ]
	MMBENCH_EXEC_PATH=/nowhere run installed --exec-path
	[ "$output" = /nowhere ]
}

@test "the installed --version names the commit it was built from" {
	run installed --version
	[ "$status" -eq 0 ]
	sha=$(git -C "$BATS_TEST_DIRNAME/.." rev-parse --short=12 HEAD)
	[[ "$output" == *"g$sha"* ]]
}

@test "an installed mmbench bench, run from another folder, writes results, charts and report there" {
	command -v gnuplot > /dev/null || skip "gnuplot not installed"
	mkdir "$DATA/w"
	cd "$DATA/w"
	DATADIR=$DATA run installed bench bench/tiny.sweep
	echo "$output"
	[ "$status" -eq 0 ]
	report=$(ls results/*/REPORT.md)
	[ -s "$report" ]
	ls plots/*/*.svg > /dev/null
	# and the installed report command reads a folder given relative to here
	run installed report "$(dirname "$report")"
	[ "$status" -eq 0 ]
}

@test "an installed mmbench sweep finds bench/SUITE from any folder" {
	cd "$DATA"
	run installed sweep bench/tiny.sweep --dry-run
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "mmbench run "* ]]
	# a suite here wins over the installed one
	mkdir bench
	printf 'backend = read\nworkload = seqread\nsize = 4M\n' > bench/tiny.sweep
	run installed sweep bench/tiny.sweep --dry-run
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *"--backend read "* ]]
}

@test "an unknown command, installed, is a usage error naming it" {
	run installed nosuch
	[ "$status" -eq 2 ]
	[[ "$output" == "mmbench: unknown command 'nosuch'"* ]]
}

@test "make uninstall leaves no file behind" {
	make -C "$BATS_TEST_DIRNAME/.." -s install PREFIX=/usr DESTDIR="$DATA/d" > /dev/null
	[ -x "$DATA/d/usr/bin/mmbench" ]
	[ -n "$(find "$DATA/d" -type f)" ]
	make -C "$BATS_TEST_DIRNAME/.." -s uninstall PREFIX=/usr DESTDIR="$DATA/d"
	run find "$DATA/d" -type f -o -type l
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "in the clone, mmbench NAME runs scripts/NAME" {
	run "$MMBENCH" --exec-path
	[ "$output" = "$(cd "$BATS_TEST_DIRNAME/.." && pwd)/scripts" ]
	run "$MMBENCH" report --help
	[ "$status" -eq 0 ]
	[[ "$output" == "scripts/report RESULTS_DIR"* ]]
}

@test "a command on the exec-path gets its arguments, MMBENCH and the paths" {
	mkdir "$DATA/x"
	printf '#!/bin/sh\necho "args=$*"; echo "exec=$MMBENCH_EXEC_PATH"; echo "bin=${MMBENCH:+set}"\n' \
		> "$DATA/x/mmbench-hello"
	chmod +x "$DATA/x/mmbench-hello"
	MMBENCH_EXEC_PATH=$DATA/x run "$MMBENCH" hello a 'b c'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "args=a b c" ]
	[ "${lines[1]}" = "exec=$DATA/x" ]
	[ "${lines[2]}" = "bin=set" ]
	# not executable, or a path: no command
	chmod -x "$DATA/x/mmbench-hello"
	MMBENCH_EXEC_PATH=$DATA/x run "$MMBENCH" hello
	[ "$status" -eq 2 ]
	MMBENCH_EXEC_PATH=$DATA/x run "$MMBENCH" ../x/mmbench-hello
	[ "$status" -eq 2 ]
}

@test "make bench's data folder is DATADIR only when given: the install's share folder is SHAREDIR" {
	cd "$BATS_TEST_DIRNAME/.."
	run make -s -n bench-run
	[ "$status" -eq 0 ]
	[[ "$output" == *"DATADIR= "*"scripts/bench"* ]]
	run make -s -n bench-run DATADIR=/mnt/disk
	[[ "$output" == *"DATADIR=/mnt/disk "* ]]
	run make -s -n install PREFIX=/opt/m
	[[ "$output" == *"/opt/m/share/mmbench/bench"* ]]
}
