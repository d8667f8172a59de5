# Shared setup for the bats suites.  MMBENCH names the binary under test
# (make test points it at the sanitizer build).

# Every run of mmbench in a test goes through tests/timeout-mmbench.
MMBENCH_BIN=${MMBENCH_BIN:-${MMBENCH:-$BATS_TEST_DIRNAME/../build/mmbench}}
export MMBENCH_BIN
MMBENCH=$BATS_TEST_DIRNAME/timeout-mmbench

# Data files live on a real disk filesystem (not tmpfs) so cold-cache
# eviction means something; each test gets its own directory.
mmbench_setup() {
	DATA=$(mktemp -d "${MMBENCH_TEST_DIR:-/var/tmp}/mmbench-bats.XXXXXX")
}

mmbench_teardown() {
	rm -rf "$DATA"
}

# csv_column FILE NAME: the NAME column of every data row, one per line.
csv_column() {
	awk -v want="$2" -f "$BATS_TEST_DIRNAME/../scripts/csv.awk" -f "$BATS_TEST_DIRNAME/../scripts/csvcol.awk" "$1"
}

# The backend names, from mmbench itself, so new backends are tested too;
# those --list says are unavailable here (uring built without liburing) are
# left out: they are skipped, saying why, and tested as such; and so is a
# workload that needs a --trace (replay: tests/replay.bats).
list_names() {
	"$MMBENCH" --list | awk -v sect="$1:" '/^[a-z]/ { on = ($1 == sect); next }
		on && !/\(unavailable: / && !/\(needs --trace/ { print $1 }'
}

# the smallest limit the balloon accepts here, in MiB (memlimit_margin)
margin_mib() {
	awk '/^MemTotal:/ { m = int($2 / 1024 / 256); print (m < 128 ? 128 : m) + 1 }' /proc/meminfo
}

# ended_within SECONDS PID: PID ended within SECONDS (polled every 0.1 s);
# status 1 while it still runs, for the caller to kill it and fail
ended_within() {
	for _ in $(seq $(($1 * 10))); do
		kill -0 "$2" 2> /dev/null || return 0
		sleep 0.1
	done
	! kill -0 "$2" 2> /dev/null
}
