# quo-collectd: collectd plugin and Nagios check for the Quo phone API.
# `make` builds build/quo.so; `make check` builds and runs every test;
# `make demo` shows the plugin and the check at work against the bundled
# stand-in API.

# The one place the version is written (the packages' changelog and spec
# carry it too; package-check finds the .debs by it).
VERSION := $(file < VERSION)

# Flags, once: the fragments included at the end (fuzz, packaging, bench)
# build with these too.
CSTD      := -std=gnu11
WARN      := -Wall -Wextra -Werror
DEFS      := -DQUO_VERSION='"$(VERSION)"'
SANITIZERS := address,undefined
CFLAGS    ?= -O2 -g
PKGS      := libcurl yajl
# pkg-config runs when a recipe needs its answer, not when make reads this
# file: on a fresh machine `make check` and `make demo` install pkg-config
# and the -dev packages (their deps step) after that.
pkg        = $(shell pkg-config $1 2>/dev/null)
PKG_CFLAGS = $(call pkg,--cflags $(PKGS))
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) $(SAN_FLAGS) -fPIC $(DEFS) \
             $(PKG_CFLAGS)
# The poller is a thread; fmin and friends are libm's. LDFLAGS: the
# packages' hardening flags.
LIBS       = $(SAN_FLAGS) $(LDFLAGS) $(call pkg,--libs $(PKGS)) -pthread -lm
CHECK_LIBS = $(call pkg,--libs check)
MHD_LIBS   = $(call pkg,--libs libmicrohttpd)
COLLECTD_CFLAGS := -DHAVE_CONFIG_H -I/usr/include/collectd \
                   -I/usr/include/collectd/core \
                   -I/usr/include/collectd/core/daemon

# SANITIZE=1 builds everything with ASan and UBSan into build-san/.
ifeq ($(SANITIZE),1)
B         := build-san
SAN_FLAGS := -fsanitize=$(SANITIZERS) -fno-sanitize-recover=undefined \
             -fno-omit-frame-pointer
else
B         := build
SAN_FLAGS :=
endif
CORE_SRC  := $(wildcard plugin/core/*.c)
CORE_HDR  := $(wildcard plugin/core/*.h)
CORE_OBJ  := $(CORE_SRC:plugin/core/%.c=$(B)/core/%.o)
UNIT_SRC  := $(wildcard tests/unit/*.c)
INTEG_SRC := $(wildcard tests/integration/*.c)
# check_quo's parts other than main: linked into it and the unit tests.
CHECK_SRC := $(filter-out plugin/check_quo.c,$(wildcard plugin/check_*.c))
CHECK_HDR := $(wildcard plugin/check_*.h)

.PHONY: all deps check unit integration sanitize valgrind demo budget \
        format format-check clean fresh-check

all: $(B)/quo.so $(B)/check_quo $(B)/quo-notify-nagios

$(B)/core/%.o: plugin/core/%.c $(CORE_HDR)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libquocore.a: $(CORE_OBJ)
	rm -f $@ && ar rcs $@ $^

$(B)/quo.o: plugin/quo.c $(CORE_HDR)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(COLLECTD_CFLAGS) -Iplugin -c -o $@ $<

$(B)/quo.so: $(B)/quo.o $(B)/libquocore.a
	$(CC) -shared -o $@ $^ $(LIBS)

$(B)/check_quo: plugin/check_quo.c $(CHECK_SRC) $(CHECK_HDR) $(B)/libquocore.a
	$(CC) $(ALL_CFLAGS) -Iplugin -o $@ $< $(CHECK_SRC) $(B)/libquocore.a \
	  $(LIBS) -lm

# collectd's NotificationExec program for the Nagios command pipe (contrib).
$(B)/quo-notify-nagios: contrib/nagios/quo-notify-nagios.c \
                        contrib/nagios/notify_nagios.c \
                        contrib/nagios/notify_nagios.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ contrib/nagios/quo-notify-nagios.c \
	  contrib/nagios/notify_nagios.c $(SAN_FLAGS) $(LDFLAGS)

# Call bodies for the stand-in's --generate and the C harness alike.
CALLGEN := tests/standin/callgen.c

$(B)/quo-standin: tests/standin/standin.c $(CALLGEN) tests/standin/callgen.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ tests/standin/standin.c $(CALLGEN) $(MHD_LIBS)

$(B)/test_unit: $(UNIT_SRC) tests/unit/unit.h $(CHECK_SRC) $(CHECK_HDR) \
               $(CALLGEN) tests/standin/callgen.h $(B)/libquocore.a
	$(CC) $(ALL_CFLAGS) -Iplugin/core -Iplugin -Itests/standin -o $@ \
	  $(UNIT_SRC) $(CHECK_SRC) $(CALLGEN) $(B)/libquocore.a $(LIBS) \
	  $(CHECK_LIBS) -lm

$(B)/test_integration: $(INTEG_SRC) $(wildcard tests/integration/*.h) \
                       $(CALLGEN) tests/standin/callgen.h $(B)/libquocore.a
	$(CC) $(ALL_CFLAGS) -Iplugin/core -Itests/standin -o $@ $(INTEG_SRC) \
	  $(CALLGEN) $(B)/libquocore.a $(LIBS) $(CHECK_LIBS)

# ---- the packages each step needs (tests/deps.sh names them) ---------------
# A step lists its deps-* first: make runs prerequisites in order, so the
# packages are there before anything is built. The steps that install
# packages and run tests keep that order under -j too (tests that start
# collectd and time it must not share the machine with each other); a
# plain build stays parallel.
ifneq ($(filter check demo valgrind budget package-check deb fresh-check \
                bench receivers-check callsfile-valgrind feeder-check \
                callsfile-bench,$(MAKECMDGOALS)),)
.NOTPARALLEL:
endif
DEPS_STEPS := demo check deb valgrind budget fresh
.PHONY: $(DEPS_STEPS:%=deps-%)
$(DEPS_STEPS:%=deps-%): deps-%:
	@sh tests/deps.sh $*
deps: deps-check

# ---- tests -------------------------------------------------------------------

unit: $(B)/test_unit
	$(B)/test_unit

integration: $(B)/quo.so $(B)/check_quo $(B)/quo-standin $(B)/test_integration
	$(B)/test_integration

# The one command that proves everything, step by step in this order.
check: deps-check format-check unit integration sanitize fuzz-check \
       package-check feeder-check receivers-check
	@echo "make check: passed"

# The core, the unit tests, check_quo and the fetcher tests under ASan and
# UBSan. The unit tests run in one process (CK_FORK=no): LeakSanitizer then
# scans once at exit, for every test's allocations at once, instead of once
# in each of ~1 000 forked children (10 s against 64 s); without forks
# check's per-case timeouts do not apply, so `timeout` bounds the whole
# run instead (a hang fails it, not CI's clock). (quo.so runs inside
# collectd, which is not built with ASan: the plugin is checked under
# valgrind instead, see `make valgrind`.)
# The one sub-make: B and SAN_FLAGS are fixed when make reads this file and
# name every build rule's target, so the same rules build into build-san
# only in a second make run with SANITIZE=1 (the other way, every rule
# written twice).
SAN_ENV := ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
           UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
sanitize:
	$(MAKE) --no-print-directory SANITIZE=1 build-san/test_unit \
	  build-san/test_integration build-san/check_quo build-san/quo-standin \
	  build-san/quo.so
	$(SAN_ENV) CK_FORK=no timeout 600 build-san/test_unit
	$(SAN_ENV) QUO_BUILD=build-san CK_RUN_SUITE=http build-san/test_integration
	$(SAN_ENV) QUO_BUILD=build-san CK_RUN_SUITE=check_quo \
	  build-san/test_integration

# ---- the shell drivers (tests/drivers/) --------------------------------------

demo: deps-demo $(B)/quo.so $(B)/check_quo $(B)/quo-standin
	QUO_BUILD=$(B) sh tests/drivers/demo.sh

# quo.so in collectd under memcheck for CYCLES reads against the fault
# modes, then RSS at cycle 10 and CYCLES without valgrind.
valgrind: deps-valgrind $(B)/quo.so $(B)/quo-standin
	QUO_BUILD=$(B) sh tests/drivers/valgrind.sh $(or $(CYCLES),100)

# Requests per cycle and 429s for N calls: make budget N=100 [FINISHED=20]
# [INTERVAL=10] [CYCLES=4]
budget: deps-budget $(B)/quo.so $(B)/quo-standin
	QUO_BUILD=$(B) sh tests/drivers/budget-sim.sh $(or $(N),100) \
	  $(or $(FINISHED),20) $(or $(INTERVAL),10) $(or $(CYCLES),4)

# make demo and make check in a minimal Debian 12 chroot with only make
# added, on a clone of HEAD: the proof that the deps lists are complete.
# Root, the Debian mirror, ~7 min (+1.5 min for the first debootstrap);
# not part of make check.
fresh-check: deps-fresh
	sh tests/drivers/fresh-check.sh

# ---- format ------------------------------------------------------------------

# Every C file of the tree (find, not git: a tarball or a fresh machine
# without git formats and checks the same files).
FORMAT_FILES = $(shell find plugin tests contrib -name '*.[ch]' | sort)
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	@command -v clang-format >/dev/null || { \
	  echo "format-check: clang-format not found (sh tests/deps.sh check)" >&2; \
	  exit 1; }
	@clang-format --dry-run --Werror $(FORMAT_FILES) && \
	  echo "clang-format: $(words $(FORMAT_FILES)) files clean"

clean:
	rm -rf build build-san

# CallsFile: `make callsfile-bench` (re-read time and churn RSS, printed),
# `make feeder-check` (contrib/quo-calls-feeder's test, part of make check).
-include tests/callsfile/callsfile.mk

# libFuzzer targets: `make fuzz` (FUZZ_SECONDS per target, default 60),
# `make fuzz-check` (FUZZ_RUNS executions each, part of make check).
include tests/fuzz/fuzz.mk

# Packages, man pages, install: `make deb`, `make rpm`, `make man`,
# `make install` (PREFIX, DESTDIR), `make package-check` (in make check).
include packaging/packaging.mk

# The real receivers (nagios4, icinga2, prometheus) end to end:
# `make receivers-check` (the last step of make check).
-include tests/receivers/receivers.mk

# Benchmarks against curl_json and check_curl: `make bench` (not in check).
# Optional: the Debian source copy does not carry tests/bench.
-include tests/bench/bench.mk
