# mmbench - is mmap faster than read()/pread()/stdio here, by how much, and why?
#
#   make              build/mmbench (optimised; NATIVE=1 adds -march=native)
#   make install      PREFIX=/usr/local, DESTDIR: binary, script commands,
#                     suites, man pages, completion (make uninstall)
#   make deb          build/deb/mmbench_<version>_<arch>.deb (debian/)
#   make test         unit (cmocka) and command-line (bats) tests, under
#                     AddressSanitizer + UndefinedBehaviorSanitizer
#   make check        -Werror, cppcheck, clang-tidy, shellcheck, valgrind,
#                     fuzzing (FUZZ_SECONDS), the deb and lintian, and a
#                     tiny sweep at -O2
#   make bench        the main job: default sweep, charts and report
#                     (SUITE=bench/full.sweep, DATADIR=/path to choose;
#                     PROCS=N, SETTLE=SECONDS override the suite's)
#   make bench-full   the same at 6 processes and 10 minutes of settling
#   make bench-aa     the main job twice: do its verdicts reproduce here?
#   make larger-than-memory  a file 4x the memory left to the page cache
#                     (docs/larger-than-memory.md)
#   make claims       mmap's claims tested in C and Python (docs/claims.md)
#   make filesystems  the same question on ext4, xfs, btrfs and tmpfs
#                     (docs/filesystems.md; root, loop devices)
#   make plots        charts and report of RESULTS (default: newest folder)
#   make ci-check     the A/B regression gate: this tree against its base
#   make ci-baseline  record a baseline file (for what cannot be interleaved)
#   make ci-selftest  repeated A/A gates: how often does noise fail the gate?
#   make hyperfine    whole-process timings (scripts/hyperfine-compare)
#   make crosscheck   side by side with fio (scripts/fio-crosscheck)
#   make cache-history  one file, five page-cache histories (docs/cache-history.md)
#   make engines      RocksDB and SQLite, mmap against read (docs/engines.md)
#   make fleet        one suite on every host of an Ansible inventory
#   V=1               show full compiler command lines
#
# `make test` and `make bench` install missing Debian packages first
# (scripts/deps); plain `make` only needs gcc, make, pkg-config, libcpuid-dev
# (and liburing-dev for the uring backend, which is otherwise unavailable).

CC	   ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS	   ?= -O2 -g
WARNINGS   := -std=gnu11 -Wall -Wextra -Wstrict-prototypes -Wvla -Wwrite-strings
DEPFLAGS   := -MMD -MP -D_GNU_SOURCE -Iharness -Ibuild -pthread
SANFLAGS   := -O1 -g -fsanitize=address,undefined,float-cast-overflow,float-divide-by-zero \
	      -fno-omit-frame-pointer -fno-sanitize-recover=all

ifeq ($(NATIVE),1)
CFLAGS += -march=native
endif

CPUID_CFLAGS  := $(shell $(PKG_CONFIG) --cflags libcpuid 2>/dev/null)
CPUID_LIBS    := $(shell $(PKG_CONFIG) --libs libcpuid 2>/dev/null)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
# liburing is optional: without it the uring backend says it is unavailable.
URING_CFLAGS  := $(shell $(PKG_CONFIG) --exists liburing 2>/dev/null && echo -DHAVE_LIBURING $$($(PKG_CONFIG) --cflags liburing))
URING_LIBS    := $(shell $(PKG_CONFIG) --libs liburing 2>/dev/null)
# libfuse3 is for the fault tests only (tests/faultfs.c): without it they
# skip, saying why, and nothing else changes.
FUSE_CFLAGS   := $(shell $(PKG_CONFIG) --cflags fuse3 2>/dev/null)
FUSE_LIBS     := $(shell $(PKG_CONFIG) --libs fuse3 2>/dev/null)
FAULTFS	      := $(if $(FUSE_LIBS),build/testtools/faultfs)
# libsqlite3 is for make engines' SQLite driver (bench/engines/sqlite-bench.c)
# and its test only: without it that engine is unavailable, saying why.
SQLITE_CFLAGS := $(shell $(PKG_CONFIG) --cflags sqlite3 2>/dev/null)
SQLITE_LIBS   := $(shell $(PKG_CONFIG) --libs sqlite3 2>/dev/null)
SQLITE_BENCH  := $(if $(SQLITE_LIBS),build/engines/sqlite-bench)
LIBS	      := $(CPUID_LIBS) $(URING_LIBS) -lm -pthread
EXT_CFLAGS    := $(CPUID_CFLAGS) $(URING_CFLAGS)

# The version names the commit (git describe), so results from two builds
# are never mistaken for one; build/gen/version.h changes only when it does.
GIT_VERSION := $(shell git describe --tags --always --dirty --abbrev=12 2>/dev/null)
VERSION	    := 0.1.0$(if $(GIT_VERSION),-g$(GIT_VERSION:g%=%))
# the man pages' date: the commit's, so two builds of one commit agree
DATE	    := $(or $(shell git log -1 --format=%cs 2>/dev/null),$(shell date -u +%F))

# make install [PREFIX=/usr/local] [DESTDIR=/staging], GNU conventions.  The
# binary finds the script commands and the suites where these say
# (harness/util/paths.h), so build/gen/paths.h changes when PREFIX does.
# The share folder is SHAREDIR, not GNU's DATADIR: DATADIR is make bench's
# (and make claims') folder for data files, and a default here would send
# their data files into /usr/local/share.
PREFIX	    ?= /usr/local
BINDIR	    ?= $(PREFIX)/bin
LIBEXECDIR  ?= $(PREFIX)/libexec
SHAREDIR    ?= $(PREFIX)/share
MANDIR	    ?= $(SHAREDIR)/man
BASHCOMPDIR ?= $(SHAREDIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(SHAREDIR)/zsh/vendor-completions

# harness/ holds one folder per layer (README, "The layers"); main.c is
# only the command table and its dispatch.
C_SRCS	   := $(wildcard harness/*.c harness/*/*.c)
LIB_SRCS   := $(filter-out harness/main.c,$(C_SRCS))
OPT_OBJS   := $(LIB_SRCS:harness/%.c=build/obj/%.o)
SAN_OBJS   := $(LIB_SRCS:harness/%.c=build/san/%.o)
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_TESTS := $(UNIT_SRCS:tests/unit/%.c=build/tests/%)

ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-6s %s\n'
endif

.PHONY: FORCE filesystems deps-filesystems replay-check deps-replay engines deps-engines all doc install uninstall deb deb-run test test-run deps-build deps-test deps-bench deps-fleet fleet bench bench-run bench-full bench-aa larger-than-memory claims plots ci-check ci-baseline ci-selftest cache-history check check-run fuzz fuzz-run hyperfine crosscheck clean check-cpuid
.DELETE_ON_ERROR:

all: build/mmbench

build/gen/version.h: FORCE
	@mkdir -p $(@D)
	@printf '#define MMBENCH_VERSION "%s"\n#define MMBENCH_DATE "%s"\n' '$(VERSION)' '$(DATE)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv -f $@.tmp $@

build/gen/paths.h: FORCE
	@mkdir -p $(@D)
	@printf '#define MMBENCH_LIBEXECDIR "%s"\n#define MMBENCH_DATADIR "%s"\n' \
		'$(LIBEXECDIR)/mmbench' '$(SHAREDIR)/mmbench' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv -f $@.tmp $@

# consume()'s loop is the hot path of every read: align it so that what
# else is linked cannot move it across a fetch boundary (harness/content/consume.c).
build/obj/content/consume.o build/san/content/consume.o: CFLAGS += -falign-loops=32
build/san/content/consume.o: SANFLAGS += -falign-loops=32

# Order-only, so a first parallel build never compiles without it; the
# dependency files then rebuild only what includes it, when it changes.
$(OPT_OBJS) $(SAN_OBJS) build/obj/main.o build/san/main.o: | build/gen/version.h build/gen/paths.h

# What `make install` puts beside the binary.  The scripts run as `mmbench
# NAME` (mmbench-NAME on the exec-path, $(LIBEXECDIR)/mmbench), with the
# helpers they source; the suites and the fleet playbook go to
# $(SHAREDIR)/mmbench; man pages and the bash completion are generated from
# the tables of --help (mmbench --man, --completion).
SCRIPT_COMMANDS := bench bench-aa plot report ci-check ci-selftest gate-sim fleet fleet-report claims filesystems advise \
		   import-blktrace \
		   cache-history hyperfine-compare fio-crosscheck callgrind-ops pybench with-hog
SCRIPT_HELPERS	:= scripts/lib.sh scripts/csv.awk scripts/csvcol.awk
DATA_FILES	:= $(wildcard bench/*.sweep) bench/your-pattern.py fleet/sweep.yml fleet/poll.yml fleet/inventory.example

doc: build/man/mmbench.1 build/completion/mmbench build/completion/_mmbench

build/man/mmbench.1: build/mmbench
	@rm -rf $(@D) && mkdir -p $(@D)
	$(quiet) MAN $(@D)
	$(Q)for c in $$(build/mmbench --commands); do \
	  build/mmbench --man $$c > $(@D)/mmbench-$$c.1 || exit 1; done
	$(Q)for s in $(SCRIPT_COMMANDS); do \
	  scripts/$$s --help | build/mmbench --man-script $$s > $(@D)/mmbench-$$s.1 || exit 1; done
	$(Q)build/mmbench --man mmbench $(SCRIPT_COMMANDS) > $@

build/completion/mmbench: build/mmbench
	@mkdir -p $(@D)
	$(quiet) GEN $@
	$(Q)build/mmbench --completion bash $(SCRIPT_COMMANDS) > $@

build/completion/_mmbench: build/mmbench
	@mkdir -p $(@D)
	$(quiet) GEN $@
	$(Q)build/mmbench --completion zsh $(SCRIPT_COMMANDS) > $@

# make install [PREFIX=/usr/local] [DESTDIR=...]: the binary is built for
# PREFIX (build/gen/paths.h), so install and run with the same PREFIX.
install: build/mmbench doc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR)/mmbench $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(SHAREDIR)/mmbench/bench $(DESTDIR)$(SHAREDIR)/mmbench/fleet
	install -m 755 build/mmbench $(DESTDIR)$(BINDIR)/mmbench
	for s in $(SCRIPT_COMMANDS); do \
	  install -m 755 scripts/$$s $(DESTDIR)$(LIBEXECDIR)/mmbench/mmbench-$$s || exit 1; done
	install -m 644 $(SCRIPT_HELPERS) $(DESTDIR)$(LIBEXECDIR)/mmbench/
	for f in $(DATA_FILES); do install -m 644 $$f $(DESTDIR)$(SHAREDIR)/mmbench/$$f || exit 1; done
	install -m 644 build/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 build/completion/mmbench $(DESTDIR)$(BASHCOMPDIR)/mmbench
	install -m 644 build/completion/_mmbench $(DESTDIR)$(ZSHCOMPDIR)/_mmbench

# Everything install wrote, and its own folders; the shared ones (bin/,
# man1/, ...) stay.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mmbench $(DESTDIR)$(BASHCOMPDIR)/mmbench $(DESTDIR)$(ZSHCOMPDIR)/_mmbench \
		$(DESTDIR)$(MANDIR)/man1/mmbench.1 $(DESTDIR)$(MANDIR)/man1/mmbench-*.1
	rm -rf $(DESTDIR)$(LIBEXECDIR)/mmbench $(DESTDIR)$(SHAREDIR)/mmbench

# make deb: build/deb/mmbench_<version>_<arch>.deb (debian/), from a copy of
# the tracked tree in build/deb/, so dpkg-buildpackage writes nothing
# outside build/; the copy has no .git, so the commit is passed in.
# The files of the source: git's list in a checkout, else (a tarball, or
# no git installed) every file but build/.
DEB_SOURCE_FILES = { git ls-files -co --exclude-standard 2> /dev/null || \
		     find . -path ./build -prune -o -path ./.git -prune -o -type f -printf '%P\n'; }
deb: deps-deb
	$(Q)$(MAKE) --no-print-directory deb-run

deb-run:
	$(Q)rm -rf build/deb && mkdir -p build/deb/src
	$(Q)$(DEB_SOURCE_FILES) | grep -v '^build/' | tar -cf - -T - | tar -xf - -C build/deb/src
	$(Q)cd build/deb/src && MMBENCH_GIT_VERSION='$(GIT_VERSION)' MMBENCH_DATE='$(DATE)' \
		dpkg-buildpackage -b -us -uc > ../build.log 2>&1 || { tail -30 ../build.log; exit 1; }
	$(Q)ls build/deb/*.deb

check-cpuid:
	@$(PKG_CONFIG) --exists libcpuid || { \
	  echo "mmbench: libcpuid not found by pkg-config (install it with: scripts/deps build)" >&2; \
	  exit 1; }

build/mmbench: $(OPT_OBJS) build/obj/main.o | check-cpuid
	$(quiet) LINK $@
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

build/san/mmbench: $(SAN_OBJS) build/san/main.o | check-cpuid
	$(quiet) LINK $@
	$(Q)$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

build/obj/%.o: harness/%.c | check-cpuid
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(WARNINGS) $(CFLAGS) $(DEPFLAGS) $(EXT_CFLAGS) -c -o $@ $<

build/san/%.o: harness/%.c | check-cpuid
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(WARNINGS) $(SANFLAGS) $(DEPFLAGS) $(EXT_CFLAGS) -c -o $@ $<

# A unit test links the layers it includes and those below them, no more
# (scripts/check-layers --layers-of): a test of util/ builds without the
# engine, and a lower layer that calls up fails to link.
unit_objs = $(filter $(foreach l,$(shell scripts/check-layers --layers-of $(1)),build/san/$(l)/%),$(SAN_OBJS))

build/tests/%: tests/unit/%.c $(SAN_OBJS)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(WARNINGS) $(SANFLAGS) $(DEPFLAGS) -Iharness $(EXT_CFLAGS) $(CMOCKA_CFLAGS) \
		-o $@ $< $(call unit_objs,$<) $(CMOCKA_LIBS) $(LIBS)

# The FUSE filesystem tests/faults.bats injects device faults with; built
# only where pkg-config finds fuse3 (FAULTFS is empty otherwise).
# The hand-written loop a replay is measured against (scripts/replay-overhead):
# linked with the -O2 consume.o every backend uses.
build/probes/pread-loop: bench/probes/pread-loop.c build/obj/content/consume.o
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(WARNINGS) $(CFLAGS) $(DEPFLAGS) -o $@ $^

build/testtools/faultfs: tests/faultfs.c
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(WARNINGS) $(CFLAGS) $(DEPFLAGS) $(FUSE_CFLAGS) -o $@ $< $(FUSE_LIBS) -pthread

# The SQLite engine of make engines, built only where pkg-config finds
# sqlite3 (SQLITE_BENCH is empty otherwise).
build/engines/sqlite-bench: bench/engines/sqlite-bench.c
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(WARNINGS) $(CFLAGS) $(DEPFLAGS) $(SQLITE_CFLAGS) -o $@ $< $(SQLITE_LIBS)

# The quick-start commands install what they need, then re-enter make so
# pkg-config sees freshly installed packages.
test: deps-test
	$(Q)$(MAKE) --no-print-directory test-run

test-run: $(UNIT_TESTS) build/san/mmbench $(FAULTFS) $(SQLITE_BENCH)
	$(Q)MMBENCH=$(CURDIR)/build/san/mmbench tests/run $(UNIT_TESTS)

# make check: static and dynamic analysis (what make test does not cover):
# the -O2 build with -Werror, the layering (scripts/check-layers: no include
# or call up a layer, no include circle), dead links of README and docs/
# (scripts/check-links), cppcheck and clang-tidy (.clang-tidy) on
# harness/, shellcheck on every script, valgrind's memcheck over a short
# set of commands, a bounded fuzzing run, and bench/tiny.sweep at -O2.
# scripts/pybench is Python: checked by py_compile instead
PY_SCRIPTS := scripts/pybench scripts/claims scripts/check-layers scripts/check-links tests/plancheck.py tests/fake-worker
SHELL_SCRIPTS := $(filter-out %.awk %.sh $(PY_SCRIPTS),$(wildcard scripts/*)) scripts/lib.sh \
		 tests/run tests/timeout-mmbench .ci/run
check: deps-check
	$(Q)$(MAKE) --no-print-directory check-run

check-run: build/mmbench
	@echo "check: -Werror"
	$(Q)for f in $(C_SRCS); do \
	  $(CC) $(WARNINGS) -Werror $(CFLAGS) $(DEPFLAGS) $(EXT_CFLAGS) -MF /dev/null -c -o /dev/null $$f || exit 1; done
	@echo "check: layers"
	$(Q)scripts/check-layers --objects build/obj
	@echo "check: links"
	$(Q)scripts/check-links
	@echo "check: cppcheck"
	$(Q)cppcheck --enable=warning,portability,performance --std=c11 -D_GNU_SOURCE \
		--inline-suppr -q --error-exitcode=1 -Iharness harness/
	@echo "check: clang-tidy"
	$(Q)clang-tidy -quiet $(C_SRCS) -- -std=gnu11 -D_GNU_SOURCE -Iharness -Ibuild $(EXT_CFLAGS) 2>/dev/null
	@echo "check: shellcheck"
	$(Q)shellcheck -x $(SHELL_SCRIPTS)
	@echo "check: python"
	$(Q)for f in $(PY_SCRIPTS); do python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])' $$f || exit 1; done
	@echo "check: valgrind"
	$(Q)scripts/valgrind-check
	@echo "check: fuzz"
	$(Q)$(MAKE) --no-print-directory fuzz-run FUZZ_SECONDS=$(or $(FUZZ_SECONDS),15)
	@echo "check: deb and lintian"
	$(Q)$(MAKE) --no-print-directory deb-run > /dev/null && \
		lintian --fail-on error build/deb/mmbench_*.deb
	@echo "check: tiny sweep at -O2"
	$(Q)out=$$(build/mmbench sweep bench/tiny.sweep --out build/check-results --quiet) && \
		echo "check: $$out" && rm -rf build/check-results
	@echo "check: all passed"

# make fuzz [FUZZ_SECONDS=20]: libFuzzer (clang) on the size parser, the
# results-CSV reader and the suite parser, each for FUZZ_SECONDS from its
# seed corpus in tests/fuzz/; crashes land in build/fuzz/ and, once fixed,
# belong in the corpus as regression inputs (every corpus file runs first).
FUZZ_TARGETS := size csv suite
FUZZ_CC	     := clang
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_OBJS    := $(LIB_SRCS:harness/%.c=build/fuzz/obj/%.o)
fuzz: deps-check
	$(Q)$(MAKE) --no-print-directory fuzz-run

fuzz-run: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	$(Q)for t in $(FUZZ_TARGETS); do \
	  echo "fuzz: $$t, $(or $(FUZZ_SECONDS),20) s"; \
	  mkdir -p build/fuzz/corpus-$$t; \
	  build/fuzz/fuzz_$$t -max_total_time=$(or $(FUZZ_SECONDS),20) -max_len=4096 -close_fd_mask=1 \
	    -artifact_prefix=build/fuzz/$$t- -print_final_stats=0 \
	    build/fuzz/corpus-$$t tests/fuzz/corpus-$$t > build/fuzz/$$t.log 2>&1 || \
	    { tail -30 build/fuzz/$$t.log; echo "fuzz: $$t failed: see build/fuzz/"; exit 1; }; \
	  grep -h '^#.*DONE' build/fuzz/$$t.log | tail -1; \
	done

.SECONDARY: $(FUZZ_OBJS)
build/fuzz/obj/%.o: harness/%.c | check-cpuid build/gen/version.h build/gen/paths.h
	@mkdir -p $(@D)
	$(quiet) FUZZCC $@
	$(Q)$(FUZZ_CC) -std=gnu11 -MMD -MP -D_GNU_SOURCE -Iharness -Ibuild $(FUZZ_FLAGS) $(EXT_CFLAGS) -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	@mkdir -p $(@D)
	$(quiet) FUZZLD $@
	$(Q)$(FUZZ_CC) -std=gnu11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
		-Iharness $(EXT_CFLAGS) -o $@ $< $(FUZZ_OBJS) $(LIBS)

# make bench [SUITE=bench/full.sweep] [DATADIR=/mnt/disk]
SUITE ?= bench/quick.sweep
bench: deps-bench
	$(Q)$(MAKE) --no-print-directory bench-run

bench-run: build/mmbench
	$(Q)DATADIR=$(DATADIR) PROCS=$(PROCS) SETTLE=$(SETTLE) scripts/bench $(SUITE)

# make bench-full: the main job's suite, every configuration in 6
# processes from the start (every verdict at 95% or undecided) and 10
# minutes of settling; about 10 minutes here.
bench-full: deps-bench
	$(Q)$(MAKE) --no-print-directory bench-run PROCS=6 SETTLE=600

# make bench-aa: the main job twice with one build, and its verdicts side
# by side: none opposite, at most 10% decided in one run only
# (scripts/bench-aa, docs/suites.md "Do the answers reproduce?")
bench-aa: deps-bench
	$(Q)$(MAKE) --no-print-directory build/mmbench
	$(Q)DATADIR=$(DATADIR) PROCS=$(PROCS) SETTLE=$(SETTLE) scripts/bench-aa $(SUITE)

# make claims [DATADIR=/mnt/disk]: what articles say mmap buys, tested in
# C and Python (scripts/claims, docs/claims.md)
claims: deps-bench build/mmbench
	$(Q)scripts/claims $(if $(DATADIR),--dir $(DATADIR))

# make filesystems [FS=ext4,xfs,btrfs,tmpfs]: bench/filesystems.sweep on
# each filesystem, fresh on a loop image (root); docs/filesystems.md.
filesystems: deps-filesystems build/mmbench
	$(Q)scripts/filesystems $(if $(FS),--fs $(FS))

# make larger-than-memory [DATADIR=/mnt/disk]: the reference experiment of
# docs/larger-than-memory.md (about 10 minutes here)
larger-than-memory: deps-bench
	$(Q)$(MAKE) --no-print-directory bench-run SUITE=bench/larger-than-memory.sweep

# make plots [RESULTS=results/<folder>]: charts and report of a results
# folder, by default the newest.
RESULTS ?= $(lastword $(sort $(wildcard results/*-*T*Z*)))
plots: build/mmbench
	$(Q)test -n "$(RESULTS)" || { echo "plots: no results folder (run make bench)" >&2; exit 2; }
	$(Q)scripts/plot $(RESULTS) plots && scripts/report $(RESULTS) plots

# make ci-check [BASE=rev] [ROUNDS=n] [GATE=warm,cold]: the interleaved A/B
# gate of this tree against BASE (default: merge base with origin/main, else
# HEAD~1).  With BASELINE=file.csv it compares against a recorded baseline
# instead; make ci-baseline [BASELINE=...] records one.  make ci-selftest
# [RUNS=n] runs A/A gates of this build and counts false alarms.
CI_ARGS = $(if $(GATE),--gate $(GATE)) $(if $(ROUNDS),--rounds $(ROUNDS))
ci-check: build/mmbench
	$(Q)scripts/ci-check $(if $(BASELINE),--baseline $(BASELINE),$(if $(BASE),--base $(BASE))) $(CI_ARGS)

ci-baseline: build/mmbench
	$(Q)scripts/ci-check --record $(BASELINE) $(CI_ARGS)

ci-selftest: build/mmbench
	$(Q)scripts/ci-selftest $(if $(RUNS),--runs $(RUNS)) $(if $(SLOW),--slow) $(CI_ARGS)

# Peers: whole-process timings with hyperfine, and a cross-check with fio.
hyperfine: deps-bench build/mmbench
	$(Q)scripts/hyperfine-compare

crosscheck: deps-bench build/mmbench
	$(Q)scripts/fio-crosscheck

# make fleet INVENTORY=hosts.ini [SUITE=bench/quick.sweep] [LIMIT=host]
# [SERIAL=1] [INTO=results/fleet-...]: the suite on every host of an Ansible
# inventory (fleet/sweep.yml), merged, charted and reported in
# results/fleet-<UTC time>/ (scripts/fleet; README "Sweeping a fleet").
fleet: deps-fleet build/mmbench
	$(Q)test -n "$(INVENTORY)" || { echo "fleet: set INVENTORY=file (see fleet/inventory.example)" >&2; exit 2; }
	$(Q)scripts/fleet -i $(INVENTORY) $(if $(SUITE),--suite $(SUITE)) $(if $(LIMIT),--limit $(LIMIT)) \
		$(if $(SERIAL),--serial) $(if $(INTO),--into $(INTO))

# make replay-check: record then replay dd, cat, a 4-thread Python pread,
# sqlite3 and RocksDB's db_bench, each row checked against its trace
# (scripts/replay-check, docs/traces.md "End to end"); under a minute here.
replay-check: deps-replay
	$(Q)$(MAKE) --no-print-directory build/mmbench
	$(Q)scripts/replay-check

# make engines [DATADIR=/path] [ROUNDS=n]: RocksDB and SQLite in both modes,
# warm and under a memory limit, in interleaved processes, their mmap/read
# ratios by the one verdict rule (scripts/engines, docs/engines.md)
engines: deps-engines
	$(Q)$(MAKE) --no-print-directory build/mmbench $(SQLITE_BENCH)
	$(Q)DATADIR=$(DATADIR) ROUNDS=$(ROUNDS) scripts/engines

# Warm is not one state: one file, five page-cache histories (docs/cache-history.md).
cache-history: build/mmbench
	$(Q)scripts/cache-history

deps-build deps-test deps-bench deps-fleet deps-check deps-deb deps-filesystems deps-replay deps-engines:
	$(Q)scripts/deps $(@:deps-%=%)

clean:
	rm -rf build

-include $(OPT_OBJS:.o=.d) $(SAN_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d) build/obj/main.d build/san/main.d \
	 build/engines/sqlite-bench.d \
	 $(UNIT_TESTS:%=%.d)
