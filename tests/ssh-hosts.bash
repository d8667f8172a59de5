# Fleet hosts reached over ssh, on this machine (tests/fleet.bats): one
# sshd per host, each on its own loopback address, with a host key and a
# client key made for the test in $DATA/ssh/, so the playbook runs through
# Ansible's ssh connection (copy, fetch, async polls) as on a real fleet.
# Traffic stays on loopback.  Needs root (sshd logs in as root; the tests
# mount tmpfs) and openssh-server.

SSHD=/usr/sbin/sshd
SSH_PORT=2222

# ssh_setup: skip unless sshd can run here; make the keys.
ssh_setup() {
	[ "$(id -u)" -eq 0 ] || skip "ssh fleet hosts need root (sshd logs in as root, tmpfs mounts)"
	[ -x "$SSHD" ] || skip "openssh-server not installed (scripts/deps test installs it)"
	command -v ssh > /dev/null || skip "openssh-client not installed"
	SSH_DIR=$DATA/ssh
	mkdir -p "$SSH_DIR"
	# sshd's privilege separation folder, made at boot where sshd is a service
	[ -d /run/sshd ] || mkdir -m 755 /run/sshd
	ssh-keygen -q -t ed25519 -N '' -C mmbench-test-host -f "$SSH_DIR/host_key"
	ssh-keygen -q -t ed25519 -N '' -C mmbench-test-client -f "$SSH_DIR/client_key"
	cp "$SSH_DIR/client_key.pub" "$SSH_DIR/authorized_keys"
	# one 127.X.Y.0/24 for this test: another run at the same time picks another
	SSH_NET=127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1))
	SSH_HOSTS=()
	SSH_MOUNTS=()
}

# ssh_teardown: every sshd and its sessions stopped, every mount undone.
ssh_teardown() {
	local h m
	for h in "${SSH_HOSTS[@]}"; do
		[ ! -f "$SSH_DIR/$h.loser" ] || kill "$(cat "$SSH_DIR/$h.loser")" 2> /dev/null
		stop_host "$h"
		kill_sweep "$h"
	done
	for m in "${SSH_MOUNTS[@]}"; do umount "$m" 2> /dev/null || umount -l "$m"; done
}

# start_host NAME N [VAR=VALUE...]: an sshd for host NAME (run_sshd), and
# its line in the inventory $DATA/ssh.ini, with VARS.  Its work folder
# (mmbench_workdir) is $DATA/work/NAME, so hosts on one machine do not
# collide; so are Ansible's temporary and async folders there.
start_host() {
	local name=$1 addr=$SSH_NET.$2
	run_sshd "$1" "$2" || return 1
	shift 2
	[ -f "$DATA/ssh.ini" ] || echo "[fleet]" > "$DATA/ssh.ini"
	echo "$name ansible_connection=ssh ansible_host=$addr ansible_port=$SSH_PORT ansible_user=root" \
		"ansible_ssh_private_key_file=$SSH_DIR/client_key" \
		"ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=10'" \
		"ansible_python_interpreter=/usr/bin/python3 ansible_remote_tmp=$DATA/work/$name/.tmp" \
		"ansible_async_dir=$DATA/work/$name/.async" "$@" >> "$DATA/ssh.ini"
}

# run_sshd NAME N: an sshd for host NAME at $SSH_NET.N, port $SSH_PORT,
# its configuration, pid, log and home in $SSH_DIR, running until stop_host.
# A session's HOME is that empty home, not root's: this machine's
# ~/.bashrc (bash reads it for an ssh command) is not the host's to run, and
# a session the test kills must leave nothing behind in it.  Seen on this
# VM: root's .bashrc ran pyenv's rehash, which takes a lock file in
# ~/.pyenv; a session killed in the middle left the lock, and every later
# ssh command waited 60 s for it, so the fleet tests hung past their
# timeout.
run_sshd() {
	local name=$1 addr=$SSH_NET.$2 conf=$SSH_DIR/$1.conf
	mkdir -p "$SSH_DIR/$name.home"
	cat > "$conf" <<-EOF
		ListenAddress $addr:$SSH_PORT
		HostKey $SSH_DIR/host_key
		PidFile $SSH_DIR/$name.pid
		AuthorizedKeysFile $SSH_DIR/authorized_keys
		StrictModes no
		UsePAM no
		PermitRootLogin prohibit-password
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		Subsystem sftp internal-sftp
		SetEnv HOME=$SSH_DIR/$name.home
		PermitUserRC no
	EOF
	# its own output elsewhere: a test's $(...) would wait for it
	"$SSHD" -f "$conf" -D -E "$SSH_DIR/$name.log" < /dev/null > /dev/null 2>&1 &
	echo "$!" > "$SSH_DIR/$name.sshd"
	[[ " ${SSH_HOSTS[*]} " == *" $name "* ]] || SSH_HOSTS+=("$name")
	# listening, or dead (its log says why)
	for _ in $(seq 100); do
		timeout 1 bash -c "exec 3<> /dev/tcp/$addr/$SSH_PORT" 2> /dev/null && return 0
		kill -0 "$(cat "$SSH_DIR/$name.sshd")" 2> /dev/null ||
			{ echo "sshd for $name did not start: $(tail -1 "$SSH_DIR/$name.log")" >&2; return 1; }
		sleep 0.1
	done
	echo "sshd for $name is not listening at $addr:$SSH_PORT after 10 s" >&2
	return 1
}

# stop_host NAME: the host's sshd and every session it runs end at once,
# as when the machine goes away (the sweep itself: kill_sweep).  A
# session's connection is held by the listener's grandchildren: the whole
# tree goes.  It is frozen first, then killed: a process stopped forks
# nothing, so the list of descendants settles, where a session forked
# after it was read, or one finishing its reply on SIGTERM, could still
# answer a poll after the sweep was killed (seen once in four runs: the
# play saw the sweep's SIGTERM, not a lost host).
stop_host() {
	local pid seen='' now
	pid=$(cat "$SSH_DIR/$1.sshd" 2> /dev/null) || return 0
	rm -f "$SSH_DIR/$1.sshd"
	kill -STOP "$pid" 2> /dev/null || return 0
	for _ in $(seq 20); do
		now=$(descendants "$pid" | sort -n)
		[ "$now" != "$seen" ] || break
		seen=$now
		# shellcheck disable=SC2086 # one pid a word
		[ -z "$now" ] || kill -STOP $now 2> /dev/null
	done
	# shellcheck disable=SC2086
	kill -KILL $seen "$pid" 2> /dev/null
	return 0
}

# descendants PID: the processes below PID, one a line.
descendants() {
	ps -e -o pid= -o ppid= | awk -v top="$1" '{ parent[$1] = $2 }
		END { for (p in parent) for (q = parent[p]; q > 1; q = parent[q]) if (q == top) { print p; break } }'
}

# kill_sweep NAME: stop NAME's mmbench sweep (the binary built in its work
# folder), detached from ssh by Ansible's async, as a dying host would.
kill_sweep() {
	local exe=$DATA/work/$1/src/build/mmbench p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2> /dev/null)" = "$exe" ] && kill "${p#/proc/}" 2> /dev/null
	done
	return 0
}

# lose_host_after NAME ROWS: in the background, once ROWS rows of NAME's
# sweep came back to the fleet folder, its sshd stops and its sweep is
# killed.  Prints nothing; waits at most 5 minutes.
lose_host_after() {
	(
		for _ in $(seq 1500); do
			f=$(find "$DATA/res" -path "*/fleet-*/$1/results.csv" 2> /dev/null | head -1)
			[ -n "$f" ] && [ "$(($(wc -l < "$f") - 1))" -ge "$2" ] && break
			sleep 0.2
		done
		stop_host "$1"
		# the killed sessions' sockets closed before the sweep ends
		sleep 1
		kill_sweep "$1"
	) > /dev/null 2>&1 &
	echo "$!" > "$SSH_DIR/$1.loser"
}

# tmpfs_at DIR SIZE: a tmpfs of SIZE mounted at DIR (made), undone in teardown.
tmpfs_at() {
	mkdir -p "$1"
	mount -t tmpfs -o "size=$2" mmbench-test "$1"
	SSH_MOUNTS+=("$1")
}
