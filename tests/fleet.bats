#!/usr/bin/env bats
# scripts/fleet and fleet/sweep.yml: the same suite on several hosts through
# Ansible.  The hosts are this machine under two or three inventory names:
# first through ansible_connection=local, one after the other (an
# "unreachable" one is an ssh address that refuses connections); then, in
# the "over ssh" tests, through sshd instances the test starts on loopback
# addresses (tests/ssh-hosts.bash): in parallel and one at a time, a host
# lost in the middle of its sweep, a host whose disk fills.

load helpers
load ssh-hosts

setup() {
	mmbench_setup
	ROOT=$BATS_TEST_DIRNAME/..
	export MMBENCH
	command -v ansible-playbook > /dev/null || skip "ansible not installed"
	printf '%s\n' "backend = mmap read" "workload = seqread randread" "size = 1M" \
		"block = 4K 64K" "cache = warm" "reps = 2" "warmup = 0" "ops = 32" > "$DATA/t.sweep"
	local py="ansible_python_interpreter=/usr/bin/python3"
	printf '%s\n' "[fleet]" "alpha ansible_connection=local $py" \
		"beta ansible_connection=local $py" > "$DATA/two.ini"
	printf '%s\n' "[fleet]" "alpha ansible_connection=local $py" \
		"gamma ansible_host=127.0.0.1 ansible_port=1 ansible_connection=ssh $py" > "$DATA/down.ini"
	printf '%s\n' "[fleet]" "gamma ansible_connection=local $py" > "$DATA/up.ini"
}
teardown() {
	[ -z "${SSH_DIR:-}" ] || ssh_teardown
	mmbench_teardown
}

png_ok() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }

# fleet ARGS...: scripts/fleet with the tests' suite, results and host
# work folders under $DATA.
fleet() {
	run timeout 600 "$ROOT/scripts/fleet" --suite "$DATA/t.sweep" --out "$DATA/res" --serial "$@" \
		-- -e "mmbench_workdir=$DATA/work"
	echo "$output"
}

@test "fleet: two hosts, one folder each, merged results, a report and charts naming both" {
	fleet -i "$DATA/two.ini"
	[ "$status" -eq 0 ]
	[[ "$output" == *"'alpha' and 'beta' are the same machine"* ]]
	dir=$(ls -d "$DATA"/res/fleet-*)
	[ -f "$dir/alpha/results.csv" ] && [ -f "$dir/beta/results.csv" ]
	[ "$(csv_column "$dir/results.csv" host | sort -u | paste -sd,)" = alpha,beta ]
	[ "$(csv_column "$dir/results.csv" verified | sort -u)" = 1 ]
	# every row names the commit it ran, though the hosts had no .git
	[ "$(csv_column "$dir/results.csv" mmbench_version | sort -u)" = "0.1.0-g$(git -C "$ROOT" rev-parse --short=12 HEAD)" ]
	jq -e '.hosts | keys == ["alpha", "beta"]' "$dir/sysinfo.json"
	grep -q '^| alpha | complete | 16 | 0 |$' "$dir/REPORT.md"
	grep -q '^| beta | complete | 16 | 0 |$' "$dir/REPORT.md"
	grep -q '^| configuration | alpha | beta |$' "$dir/REPORT.md"
	grep -q '^| seqread 1M 4K warm .* | [0-9.]* \[.*\] | [0-9.]* \[.*\] |$' "$dir/REPORT.md"
	grep -q '^## Where the hosts disagree' "$dir/REPORT.md"
	png_ok "$dir/plots/${dir##*/}/throughput-hosts.png"
	grep -q alpha "$dir/plots/${dir##*/}/throughput-hosts.svg"
	grep -q beta "$dir/plots/${dir##*/}/throughput-hosts.svg"
	png_ok "$dir/plots/alpha/speedup-1M.png" && png_ok "$dir/plots/beta/speedup-1M.png"
	[ -z "$(ls "$DATA"/mmbench-*.dat 2> /dev/null)" ]
}

@test "fleet: an unreachable host is reported and the others kept; --limit --into fills it in" {
	fleet -i "$DATA/down.ini"
	[ "$status" -eq 1 ]
	dir=$(ls -d "$DATA"/res/fleet-*)
	[ -f "$dir/alpha/results.csv" ]
	grep -q '^unreachable: ' "$dir/gamma.failed"
	[[ "$output" == *"fleet: gamma failed: unreachable"* ]]
	grep -q '^| gamma | unreachable: .* | 0 | 0 |$' "$dir/REPORT.md"
	grep -q '^| alpha | complete | 16 | 0 |$' "$dir/REPORT.md"
	# gamma reachable now: run it alone into the same folder
	fleet -i "$DATA/up.ini" --limit gamma --into "$dir"
	[ "$status" -eq 0 ]
	[ ! -e "$dir/gamma.failed" ]
	[ "$(csv_column "$dir/results.csv" host | sort -u | paste -sd,)" = alpha,gamma ]
	grep -q '^| gamma | complete | 16 | 0 |$' "$dir/REPORT.md"
}

@test "fleet: a failing sweep fails its host with the error; bad inventories and options exit 2" {
	fleet -i "$DATA/up.ini" --datadir /nonexistent-mmbench-dir
	[ "$status" -eq 1 ]
	dir=$(ls -d "$DATA"/res/fleet-*)
	grep -q "sweep .*data directory '/nonexistent-mmbench-dir' does not exist" "$dir/gamma.failed"
	grep -q "^| gamma | .*sweep exit status 2: .*nonexistent-mmbench-dir" "$dir/REPORT.md"
	rm -rf "$DATA/res"
	fleet -i "$DATA/missing.ini"
	[ "$status" -eq 2 ]
	[[ "$output" == "fleet: cannot find inventory '$DATA/missing.ini'" ]]
	printf '[fleet\nnot an inventory = = =\n' > "$DATA/bad.ini"
	fleet -i "$DATA/bad.ini"
	[ "$status" -eq 2 ]
	[[ "$output" == "fleet: cannot read inventory '$DATA/bad.ini'"* ]]
	fleet -i "$DATA/two.ini" --limit nosuchhost
	[ "$status" -eq 2 ]
	[[ "$output" == *"no host in inventory '$DATA/two.ini' matches --limit 'nosuchhost'"* ]]
	printf 'backend = nope\n' > "$DATA/t.sweep"
	fleet -i "$DATA/two.ini"
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown backend 'nope'"* ]]
	[ ! -e "$DATA/res" ]
}

# A wrapper for mmbench whose COMMAND fails (exit 1) or, for verdicts,
# prints a table without the ratio column; every other command is mmbench.
broken_mmbench() {
	cat > "$DATA/broken-$1" <<-EOF
		#!/bin/sh
		case \$1 in
		merge) [ $1 != merge ] || { echo "mmbench: merge: broken for the test" >&2; exit 1; } ;;
		verdicts) [ $1 != verdicts ] || { printf 'config\\thost\\nx\\ty\\n'; exit 0; } ;;
		esac
		exec "$MMBENCH" "\$@"
	EOF
	chmod +x "$DATA/broken-$1"
	echo "$DATA/broken-$1"
}

@test "fleet: a fleet whose merge or report fails exits non-zero" {
	MMBENCH=$(broken_mmbench merge) fleet -i "$DATA/up.ini"
	[ "$status" -eq 1 ]
	dir=$(ls -d "$DATA"/res/fleet-*)
	[ -f "$dir/gamma/results.csv" ] && [ ! -e "$dir/gamma.failed" ]
	[[ "$output" == *"mmbench: merge: broken for the test"* ]]
	[[ "$output" == *"fleet: the merge or report of $dir failed"* ]]
	[[ "$output" != *"fleet: report: "* ]]
	# a table the report cannot read fails the report, not a silent gap
	MMBENCH=$(broken_mmbench verdicts) run "$ROOT/scripts/fleet-report" "$dir"
	[ "$status" -ne 0 ]
	[[ "$output" == *"no column 'ratio'"* ]]
	run "$ROOT/scripts/fleet-report" "$dir"
	[ "$status" -eq 0 ]
	grep -q '^| gamma | complete | 16 | 0 |$' "$dir/REPORT.md"
}

# ssh_fleet ARGS...: scripts/fleet as fleet() does, hosts not forced one at
# a time, their sweeps looked at every second.
ssh_fleet() {
	run timeout 600 "$ROOT/scripts/fleet" --suite "$DATA/t.sweep" --out "$DATA/res" "$@" \
		-- -e "mmbench_workdir=$DATA/work" -e mmbench_poll=1
	echo "$output"
}

# rows_of DIR HOST: the rows HOST has in the fleet folder DIR.
rows_of() { csv_column "$1/$2/results.csv" host | grep -c -x "$2"; }

@test "fleet over ssh: two hosts at once, then one at a time, each reached through its sshd" {
	ssh_setup
	start_host alpha 1 && start_host beta 2
	ssh_fleet -i "$DATA/ssh.ini"
	[ "$status" -eq 0 ]
	dir=$(ls -d "$DATA"/res/fleet-*)
	grep -q '^| alpha | complete | 16 | 0 |$' "$dir/REPORT.md"
	grep -q '^| beta | complete | 16 | 0 |$' "$dir/REPORT.md"
	[ "$(csv_column "$dir/results.csv" host | sort -u | paste -sd,)" = alpha,beta ]
	[ -z "$(ls "$dir"/*.partial "$dir"/*.failed 2> /dev/null)" ]
	# both in one play, each task once for the two; both came in over ssh
	[ "$(grep -c '^TASK \[unpack the project\]' "$dir/ansible.log")" -eq 1 ]
	grep -q 'Accepted publickey for root' "$SSH_DIR/alpha.log"
	grep -q 'Accepted publickey for root' "$SSH_DIR/beta.log"
	rm -rf "$DATA/res"
	ssh_fleet -i "$DATA/ssh.ini" --serial
	[ "$status" -eq 0 ]
	dir=$(ls -d "$DATA"/res/fleet-*)
	grep -q '^| alpha | complete | 16 | 0 |$' "$dir/REPORT.md"
	grep -q '^| beta | complete | 16 | 0 |$' "$dir/REPORT.md"
	# one play per host, each done before the next starts
	[ "$(grep -c '^TASK \[unpack the project\]' "$dir/ansible.log")" -eq 2 ]
	[ "$(grep -A1 '^PLAY RECAP' "$dir/ansible.log" | grep -c -E '^(alpha|beta) +: ok=')" -eq 2 ]
}

@test "fleet over ssh: a host lost in the middle of its sweep keeps its rows, marked; --limit --into fills it in" {
	ssh_setup
	# The second section's step never ends by itself (10^8 random reads);
	# alpha skips it: a 64M file does not fit its data folder with the 64M
	# a sweep leaves free (DATAFILE_SPARE); a 1M one does.
	printf '%s\n' "backend = mmap read" "workload = seqread randread" "size = 1M" "block = 64K" \
		"cache = warm" "reps = 1" "warmup = 0" "ops = 32" "---" "backend = read" \
		"workload = randread" "size = 64M" "block = 4K" "ops = 100000000" > "$DATA/t.sweep"
	tmpfs_at "$DATA/small" 100M
	mkdir -p "$DATA/disk"
	# beta first, one at a time: alpha still runs after beta is lost
	start_host beta 2 "mmbench_datadir=$DATA/disk" && start_host alpha 1 "mmbench_datadir=$DATA/small"
	lose_host_after beta 4
	ssh_fleet -i "$DATA/ssh.ini" --serial
	[ "$status" -eq 1 ]
	dir=$(ls -d "$DATA"/res/fleet-*)
	[ "$(rows_of "$dir" alpha)" -eq 4 ] && [ "$(rows_of "$dir" beta)" -eq 4 ]
	[ -f "$dir/beta.partial" ] && [ ! -e "$dir/alpha.partial" ] && [ ! -e "$dir/alpha.failed" ]
	# lost at a poll ("unreachable during the sweep") or in a fetch (that
	# task): the ssh error says so, refused at a new connection, closed or
	# reset when sshd went away in the middle of one (Ansible: "Failed to
	# connect to the host via ssh", and what ssh said, if anything)
	lost='Connection refused|Connection closed|Connection reset|Shared connection to .* closed|Broken pipe|Failed to connect to the host via ssh'
	grep -qE "$lost" "$dir/beta.failed" || { cat "$dir/beta.failed"; return 1; }
	grep -qE "^\| beta \| partial: .*($lost).* \| 4 \| 0 \|\$" "$dir/REPORT.md"
	grep -q '^| alpha | complete | 4 | 0 |$' "$dir/REPORT.md"
	grep -qE "fleet: beta failed: .*($lost)" <<< "$output"
	[[ "$output" == *"fleet: beta: only the rows that came back before it was lost"* ]]
	[ "$(csv_column "$dir/results.csv" host | sort -u | paste -sd,)" = alpha,beta ]
	# beta is back, with a small data folder too: filled in, whole
	sed -i "s|^alpha .*||; s|mmbench_datadir=$DATA/disk|mmbench_datadir=$DATA/small|" "$DATA/ssh.ini"
	run_sshd beta 2
	ssh_fleet -i "$DATA/ssh.ini" --limit beta --into "$dir"
	[ "$status" -eq 0 ]
	[ ! -e "$dir/beta.partial" ] && [ ! -e "$dir/beta.failed" ]
	grep -q '^| beta | complete | 4 | 0 |$' "$dir/REPORT.md"
	grep -q '^| alpha | complete | 4 | 0 |$' "$dir/REPORT.md"
	[ "$(csv_column "$dir/results.csv" host | sort | uniq -c | awk '{ print $2 ":" $1 }' | paste -sd,)" = alpha:4,beta:4 ]
}

@test "fleet over ssh: a host whose disk fills fails with the error, its rows so far kept" {
	ssh_setup
	start_host alpha 1 && start_host beta 2
	# beta's results folder holds a few rows, then no more
	tmpfs_at "$DATA/work/beta/results" 12k
	ssh_fleet -i "$DATA/ssh.ini"
	[ "$status" -eq 1 ]
	dir=$(ls -d "$DATA"/res/fleet-*)
	grep -q 'No space left on device' "$dir/beta.failed"
	[ ! -e "$dir/beta.partial" ] && [ ! -e "$dir/alpha.failed" ]
	n=$(rows_of "$dir" beta)
	[ "$n" -gt 0 ] && [ "$n" -lt 16 ]
	# whole rows only, every one verified
	[ "$(csv_column "$dir/beta/results.csv" verified | sort -u)" = 1 ]
	grep -q "^| beta | failed: .*No space left on device.* | $n | 0 |\$" "$dir/REPORT.md"
	grep -q '^| alpha | complete | 16 | 0 |$' "$dir/REPORT.md"
	[[ "$output" == *"fleet: beta failed: "*"No space left on device"* ]]
}
