# shellcheck shell=bash
# scripts/lib.sh - shell helpers the scripts share.  Source it after setting
# prog to the script's name:  prog=plot; . "$(dirname "$0")/lib.sh"

# Where a script finds what it needs, run from a clone (scripts/NAME) or
# installed by `make install` ($(PREFIX)/libexec/mmbench/mmbench-NAME, as
# `mmbench NAME` runs it):
#   exec_path         this folder: the script commands, lib.sh, csv.awk
#   MMBENCH_DATA_DIR  bench/ (suites) and fleet/: the clone, or
#                     $(PREFIX)/share/mmbench
#   MMBENCH           the binary: the clone's build/mmbench, or
#                     $(PREFIX)/bin/mmbench (mmbench sets it to itself)
#   home              where results/ and plots/ go: the clone, or the
#                     current folder (an installed mmbench writes where it runs)
exec_path=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -f "$exec_path/../harness/main.c" ]; then
	home=$(cd "$exec_path/.." && pwd)
	: "${MMBENCH_DATA_DIR:=$home}" "${MMBENCH:=$home/build/mmbench}"
else
	home=$PWD
	: "${MMBENCH_DATA_DIR:=$(cd "$exec_path/../.." && pwd)/share/mmbench}"
	: "${MMBENCH:=$(cd "$exec_path/../.." && pwd)/bin/mmbench}"
fi
export MMBENCH MMBENCH_DATA_DIR
# shellcheck disable=SC2034 # used by the scripts that source this file
csv_awk=$exec_path/csv.awk csvcol_awk=$exec_path/csvcol.awk

# script NAME ARGS...: run the script command NAME, named NAME in a clone
# and mmbench-NAME installed.
script() {
	local name=$1
	shift
	if [ -x "$exec_path/mmbench-$name" ]; then
		"$exec_path/mmbench-$name" "$@"
	else
		"$exec_path/$name" "$@"
	fi
}

# data_path FILE: FILE when it exists (as given, or under the clone),
# else FILE under MMBENCH_DATA_DIR (bench/quick.sweep from an installed
# mmbench, run anywhere).
data_path() {
	if [ -e "$1" ] || [ ! -e "$MMBENCH_DATA_DIR/$1" ]; then
		echo "$1"
	else
		echo "$MMBENCH_DATA_DIR/$1"
	fi
}

# die MESSAGE: "prog: MESSAGE" on stderr, exit status 2 (a usage error).
die() {
	echo "${prog:-mmbench}: $*" >&2
	exit 2
}

# usage: print the script's header comment, its usage, from the second line
# to the first that is not a comment.
usage() { awk 'NR == 1 || /^# shellcheck / { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; }

# help_and_exit ARGS...: print the usage and exit 0 when asked for it.
help_and_exit() {
	case ${1:-} in -h | --help) usage; exit 0 ;; esac
}

# need_value "OPTIONS" ARGS...: ARGS starts with one of the value-taking
# OPTIONS (space-separated) and its value; otherwise die naming the unknown
# option, or the missing or empty value (`--out --quiet` is a forgotten
# value, not a folder called --quiet).
need_value() {
	local list=" ${1//[$'\n\t']/ } "
	case $list in *" $2 "*) ;; *) die "unknown option '$2' (see scripts/$prog --help)" ;; esac
	if [ $# -lt 3 ] || [ "${3#--}" != "$3" ]; then die "missing value for $2"; fi
	[ -n "$3" ] || die "empty value for $2"
}

# at_most N ARGS...: die, naming the first extra one, when ARGS holds more
# than N arguments or an option (the script takes none).
at_most() {
	local n=$1 a
	shift
	for a in "$@"; do
		case $a in -*) die "unknown option '$a' (see scripts/$prog --help)" ;; esac
	done
	[ $# -le "$n" ] || die "unexpected argument '${*:$((n + 1)):1}' (see scripts/$prog --help)"
}

# median: the median of the numbers on standard input, one per line.
median() {
	sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# paired_ratio A B: the median of the ratios B/A of interleaved pairs (line
# r of file A against line r of file B, one number a line) and its
# distribution-free 95% interval: the order statistics k and n+1-k of the
# sorted ratios, k the largest with P(Binomial(n, 1/2) < k) <= 2.5% ("-"
# below 6 pairs).  "MEDIAN\tLO\tHI".
paired_ratio() {
	paste -d' ' "$1" "$2" | awk '{ print $2 / $1 }' | sort -g |
		awk '{ r[NR] = $1 }
	END { n = NR; med = n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
		k = 0; p = 0; c = 1
		for (i = 0; i < n; i++) { p += c / 2 ^ n; if (p > 0.025) break; k = i + 1; c = c * (n - i) / (i + 1) }
		if (k) printf "%.3f\t%.3f\t%.3f\n", med, r[k], r[n + 1 - k]
		else printf "%.3f\t-\t-\n", med }'
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

# csv_col NAME CSV: the column NAME of every row of the results CSV, one
# a line (csv.awk reads quoted fields)
csv_col() { awk -v want="$1" -f "$csv_awk" -f "$csvcol_awk" "$2"; }

# size_bytes SIZE: SIZE in bytes, read as mmbench's parse_size() reads it
# (digits, then none or one of b, k, kb, kib, m ... tib, in any case);
# status 1, printing nothing, for anything else.
size_bytes() {
	local s=${1,,} shift=0
	[[ $s =~ ^([0-9]{1,15})(b|([kmgt])(b|ib)?)?$ ]] || return 1
	case ${BASH_REMATCH[3]} in k) shift=10 ;; m) shift=20 ;; g) shift=30 ;; t) shift=40 ;; esac
	echo $((10#${BASH_REMATCH[1]} << shift))
}

# HEADER_AWK: read a TSV's first line into c[name] = position and skip it,
# so programs say $(c["mib_median"]), never a column number that moves when
# a column is added.  Prepend it to a program.
# shellcheck disable=SC2034,SC2016 # used by the scripts that source this file; awk, not shell
HEADER_AWK='NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }'

# COL_AWK: read a TSV's first line and skip it, like HEADER_AWK, but read
# cells through col(name), which stops awk with status 2 and an error naming
# the column when the TSV lacks it ($(c["x"]) for a missing x silently
# reads $0).  An END block of a program using it starts with
# `if (colerr) exit 2`, so nothing is printed from half-read data.
# shellcheck disable=SC2034,SC2016 # used by the scripts that source this file; awk, not shell
COL_AWK='function col(name) {
		if (!(name in c)) { printf "error: no column '\''%s'\'' in %s\n", name, FILENAME > "/dev/stderr"; colerr = 1; exit 2 }
		return $(c[name]) }
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }'
