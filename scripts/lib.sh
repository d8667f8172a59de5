# shellcheck shell=bash
# scripts/lib.sh - shell helpers the scripts share.  Source it after setting
# prog to the script's name:  prog=plot; . "$(dirname "$0")/lib.sh"

# die MESSAGE: "prog: MESSAGE" on stderr, exit status 2 (a usage error).
die() {
	echo "${prog:-mmbench}: $*" >&2
	exit 2
}

# usage: print the script's header comment, its usage, from the second line
# to the first that is not a comment.
usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; }

# help_and_exit ARGS...: print the usage and exit 0 when asked for it.
help_and_exit() {
	case ${1:-} in -h | --help) usage; exit 0 ;; esac
}

# median: the median of the numbers on standard input, one per line.
median() {
	sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# HUMAN_AWK: an awk function human(bytes) giving 4K, 1M, 256M as mmbench
# prints sizes (the largest unit that divides exactly); prepend it to a program.
# shellcheck disable=SC2034 # used by the scripts that source this file
HUMAN_AWK='function human(b,    u, i) { u = "BKMGT"; i = 1
	while (b >= 1024 && b % 1024 == 0 && i < 5) { b /= 1024; i++ }
	return sprintf("%d%s", b, i > 1 ? substr(u, i, 1) : "") }'

# human BYTES: the same, from the shell.
human() {
	awk -v b="$1" "$HUMAN_AWK"' BEGIN { printf "%s", human(b) }'
}

# HEADER_AWK: read a TSV's first line into c[name] = position and skip it,
# so programs say $(c["mib_median"]), never a column number that moves when
# a column is added.  Prepend it to a program.
# shellcheck disable=SC2034 # used by the scripts that source this file
HEADER_AWK='NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }'
