#!/usr/bin/env bats
# scripts/check-layers: harness/ passes it, and on a made-up tree it names
# an include up a layer, an include between folders of one level, an
# include circle and a call up a layer hidden behind a lower header.

load helpers

setup() {
	mmbench_setup
	CHECK=$BATS_TEST_DIRNAME/../scripts/check-layers
	TREE=$DATA/harness
	mkdir -p "$TREE/util" "$TREE/core" "$TREE/backends" "$TREE/workloads" "$TREE/cli"
	printf '#include "util/a.h"\n' > "$TREE/core/b.c"
	: > "$TREE/util/a.h"
	: > "$TREE/core/b.h"
	: > "$TREE/cli/c.h"
}
teardown() { mmbench_teardown; }

@test "check-layers: harness/ has no include up a layer and no circle" {
	run "$CHECK"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "check-layers: a made-up tree that keeps the rule passes" {
	MMBENCH_HARNESS=$TREE run "$CHECK"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "check-layers: an include up a layer names the file, the line and both layers" {
	printf '/* ok */\n#include "cli/c.h"\n' > "$TREE/util/a.c"
	MMBENCH_HARNESS=$TREE run "$CHECK"
	[ "$status" -eq 1 ]
	[ "$output" = "harness/util/a.c:2: includes 'cli/c.h': cli is above util, not below it" ]
}

@test "check-layers: backends and workloads share a level and may not include each other" {
	: > "$TREE/workloads/w.h"
	printf '#include "workloads/w.h"\n' > "$TREE/backends/x.c"
	MMBENCH_HARNESS=$TREE run "$CHECK"
	[ "$status" -eq 1 ]
	[[ "$output" == *"backends/x.c:1: includes 'workloads/w.h': workloads is on the level of backends"* ]]
}

@test "check-layers: an include circle inside one folder is found" {
	printf '#include "core/d.h"\n' > "$TREE/core/b.h"
	printf '#include "core/b.h"\n' > "$TREE/core/d.h"
	MMBENCH_HARNESS=$TREE run "$CHECK"
	[ "$status" -eq 1 ]
	[[ "$output" == *"include circle: core/b -> core/d -> core/b"* ]]
}

@test "check-layers: an include of a path that does not exist, or of an unknown folder" {
	printf '#include "datafile.h"\n' > "$TREE/core/e.c"
	mkdir -p "$TREE/misc" && : > "$TREE/misc/m.c"
	MMBENCH_HARNESS=$TREE run "$CHECK"
	[ "$status" -eq 1 ]
	[[ "$output" == *"harness/core/e.c:1: includes 'datafile.h', which is not a path under harness/"* ]]
	[[ "$output" == *"harness/misc/m.c: folder 'misc' is not a layer"* ]]
}

@test "check-layers --objects: a call up a layer behind a lower header fails" {
	command -v cc >/dev/null && command -v nm >/dev/null || skip "no cc or nm here"
	mkdir -p "$DATA/obj/util" "$DATA/obj/cli"
	printf 'int cli_thing(void);\nint util_thing(void) { return cli_thing(); }\n' > "$DATA/u.c"
	printf 'int cli_thing(void) { return 1; }\n' > "$DATA/c.c"
	cc -c -o "$DATA/obj/util/u.o" "$DATA/u.c"
	cc -c -o "$DATA/obj/cli/c.o" "$DATA/c.c"
	MMBENCH_HARNESS=$TREE run "$CHECK" --objects "$DATA/obj"
	[ "$status" -eq 1 ]
	[[ "$output" == *"obj/util/u.o: uses cli_thing, defined in"*"obj/cli/c.o, a layer above"* ]]
	# the other way round is the rule
	printf 'int util_thing(void);\nint cli_user(void) { return util_thing(); }\n' > "$DATA/c.c"
	printf 'int util_thing(void) { return 1; }\n' > "$DATA/u.c"
	cc -c -o "$DATA/obj/util/u.o" "$DATA/u.c"
	cc -c -o "$DATA/obj/cli/c.o" "$DATA/c.c"
	MMBENCH_HARNESS=$TREE run "$CHECK" --objects "$DATA/obj"
	[ "$status" -eq 0 ]
}

@test "check-layers: usage errors exit 2 naming the argument; --layers-of lists what a test links" {
	run "$CHECK" --bogus
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown argument '--bogus'"* ]]
	run "$CHECK" --objects "$DATA/none"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'$DATA/none' for --objects"* ]]
	printf '#include "sys/x.h"\n#include "util/y.h"\n' > "$DATA/t.c"
	run "$CHECK" --layers-of "$DATA/t.c"
	[ "$status" -eq 0 ]
	[ "$output" = "util content sys" ]
}
