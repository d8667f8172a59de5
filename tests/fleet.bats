#!/usr/bin/env bats
# scripts/fleet and fleet/sweep.yml: the same suite on several hosts through
# Ansible.  The hosts are this machine under two or three inventory names
# (ansible_connection=local), one after the other; an "unreachable" one is
# an ssh address that refuses connections.

load helpers

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
teardown() { mmbench_teardown; }

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
	grep -q "^| gamma | sweep .*nonexistent-mmbench-dir" "$dir/REPORT.md"
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
