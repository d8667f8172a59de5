#!/usr/bin/env bats
# Man pages (mmbench --man) and the bash completion (mmbench --completion
# bash) come from the tables --help prints: they must say what --help says,
# and render without warnings.

load helpers

setup() { mmbench_setup; }
teardown() { mmbench_teardown; }

# help_options CMD: every --name of `mmbench CMD --help`, one a line
help_options() {
	"$MMBENCH" "$1" --help | sed -n 's/^  \(-., \)\{0,1\}--\([a-z0-9-]*\).*/\2/p'
}

# page_lacks CMD PAGE: the options of CMD --help that PAGE does not
# describe, one a line; fails when there are some.
page_lacks() {
	local o missing=""
	for o in $(help_options "$1"); do
		grep -qF -- "\\-\\-${o//-/\\-}\\fR" "$2" || missing="$missing --$o"
	done
	[ -z "$missing" ] || { echo "$missing"; return 1; }
}

@test "every option of every command's --help is in its man page" {
	for c in $("$MMBENCH" --commands); do
		"$MMBENCH" --man "$c" > "$DATA/page.1"
		page_lacks "$c" "$DATA/page.1" || { echo "mmbench-$c.1 lacks those"; return 1; }
	done
	# the options are found at all: run has more than 20
	[ "$(help_options run | wc -l)" -gt 20 ]
}

@test "a man page that lacks an option of --help is caught" {
	"$MMBENCH" --man run | grep -vF -- '\-\-map\-scope\fR' > "$DATA/page.1"
	run page_lacks run "$DATA/page.1"
	[ "$status" -eq 1 ]
	[ "$output" = " --map-scope" ]
}

@test "mmbench(1) names every command and its page" {
	"$MMBENCH" --man mmbench report plot > "$DATA/mmbench.1"
	for c in $("$MMBENCH" --commands) report plot; do
		grep -q -- "$c" "$DATA/mmbench.1" || { echo "mmbench.1 lacks $c"; return 1; }
	done
	run "$MMBENCH" --man nosuch
	[ "$status" -eq 2 ]
	[ "$output" = "mmbench: invalid command 'nosuch' for --man (use a command of mmbench --help)" ]
}

@test "every man page renders without a warning (groff -ww, mandoc -T lint)" {
	command -v groff > /dev/null || skip "groff not installed"
	# the script commands' pages, from their --help (as make doc writes them)
	scripts=$(ls "$BATS_TEST_DIRNAME/../scripts" | grep -vxE 'lib\.sh|.*\.awk|check-.*|deps|fresh-check|valgrind-check')
	for s in $scripts; do
		"$BATS_TEST_DIRNAME/../scripts/$s" --help | "$MMBENCH" --man-script "$s" > "$DATA/$s.1"
		grep -q "^\.SH NAME\$" "$DATA/$s.1"
		# its NAME line: mmbench\-NAME \- what it does (dashes escaped)
		name=$(sed -n 3p "$DATA/$s.1")
		[[ "$name" == "mmbench\\-${s//-/\\-} \\- "[a-z]* ]] || { echo "$s: NAME line '$name'"; return 1; }
	done
	for c in mmbench $("$MMBENCH" --commands) $scripts; do
		[ -s "$DATA/$c.1" ] || "$MMBENCH" --man "$c" > "$DATA/$c.1"
		run groff -ww -z -man "$DATA/$c.1"
		[ -z "$output" ] || { echo "$c: $output"; return 1; }
		if command -v mandoc > /dev/null; then
			run mandoc -T lint -W warning "$DATA/$c.1"
			[ -z "$output" ] || { echo "$c: $output"; return 1; }
		fi
	done
}

# complete WORD...: COMPREPLY for the command line WORD..., the last one
# being completed, one a line
complete_line() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_mmbench
	printf '%s\n' "${COMPREPLY[@]}"
}

load_completion() {
	"$MMBENCH" --completion bash report plot > "$DATA/completion"
	# shellcheck disable=SC1091
	. "$DATA/completion"
}

@test "completion: mmbench run --back<TAB> is --backend" {
	load_completion
	run complete_line mmbench run --back
	[ "$output" = --backend ]
}

@test "completion: --backend mm<TAB> gives the backends starting mm, also after a comma" {
	load_completion
	want=$(list_names backends | grep '^mm' | sort)
	[ -n "$want" ]
	run complete_line mmbench run --backend mm
	[ "$(sort <<< "$output")" = "$want" ]
	run complete_line mmbench run --backend read,mm
	[[ "$output" == *"read,mmap"* ]]
	# --backend=read,mm: bash splits the word at the =
	run complete_line mmbench run --backend = read,mm
	[[ "$output" == *"read,mmap"* ]]
}

@test "completion: choice values, commands, files and every option of run --help" {
	load_completion
	run complete_line mmbench run --cache c
	[ "$output" = cold ]
	run complete_line mmbench sw
	[ "$output" = sweep ]
	run complete_line mmbench rep
	[[ "$output" == *report* ]]
	touch "$DATA/abc.csv"
	run complete_line mmbench run --csv "$DATA/ab"
	[ "$output" = "$DATA/abc.csv" ]
	run complete_line mmbench run --size 6
	[ -z "$output" ]
	opts=$(complete_line mmbench run --)
	for o in $(help_options run); do
		grep -qx -- "--$o" <<< "$opts" || { echo "completion lacks --$o"; return 1; }
	done
}

# zsh_line LINE: what zsh offers for LINE<TAB> with the generated _mmbench
zsh_line() {
	timeout -k 5 60 "$BATS_TEST_DIRNAME/zsh-complete" "$DATA/zsh" "$1"
}

load_zsh_completion() {
	command -v zsh > /dev/null || skip "zsh not installed"
	mkdir -p "$DATA/zsh"
	"$MMBENCH" --completion zsh report plot > "$DATA/zsh/_mmbench"
	zsh -n "$DATA/zsh/_mmbench"
}

@test "zsh completion: commands, options, choices after a comma, files and every option of run --help" {
	load_zsh_completion
	run zsh_line 'mmbench sw'
	[ "$status" -eq 0 ]
	[ "$output" = sweep ]
	run zsh_line 'mmbench rep'
	[ "$output" = report ]
	run zsh_line 'mmbench run --back'
	[ "$output" = --backend ]
	want=$(list_names backends | grep '^mm' | sort)
	run zsh_line 'mmbench run --backend read,mm'
	[ "$output" = "$want" ]
	run zsh_line 'mmbench run --cache c'
	[ "$output" = cold ]
	touch "$DATA/abc.csv"
	# _files offers the folders of the path on the way, then the file
	run zsh_line "mmbench run --csv $DATA/ab"
	grep -qx abc.csv <<< "$output"
	opts=$(zsh_line 'mmbench run --')
	for o in $(help_options run); do
		grep -qx -- "--$o" <<< "$opts" || { echo "zsh completion lacks --$o"; return 1; }
	done
}

@test "--completion names the shells it writes for" {
	run "$MMBENCH" --completion fish
	[ "$status" -eq 2 ]
	[ "$output" = "mmbench: invalid shell 'fish' for --completion (use bash or zsh)" ]
}
