# quo-collectd: collectd plugin and Nagios check for the Quo phone API.
# `make` builds build/quo.so; `make check` builds and runs every test;
# `make demo` shows the plugin and the check at work against the bundled
# stand-in API.

VERSION   := 0.1.0
CC        ?= gcc
PKGS      := libcurl yajl
CSTD      := -std=gnu11
WARN      := -Wall -Wextra -Werror
CFLAGS    ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) $(SAN_FLAGS) -fPIC \
             -DQUO_VERSION='"$(VERSION)"' $(shell pkg-config --cflags $(PKGS))
LIBS      := $(SAN_FLAGS) $(shell pkg-config --libs $(PKGS) 2>/dev/null) -pthread -lm
COLLECTD_CFLAGS := -DHAVE_CONFIG_H -I/usr/include/collectd \
                   -I/usr/include/collectd/core \
                   -I/usr/include/collectd/core/daemon
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)
MHD_LIBS   := $(shell pkg-config --libs libmicrohttpd 2>/dev/null)

# SANITIZE=1 builds everything with ASan and UBSan into build-san/.
ifeq ($(SANITIZE),1)
B         := build-san
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
             -fno-omit-frame-pointer
else
B         := build
SAN_FLAGS :=
endif
CORE_SRC  := $(wildcard plugin/core/*.c)
CORE_OBJ  := $(CORE_SRC:plugin/core/%.c=$(B)/core/%.o)
UNIT_SRC  := $(wildcard tests/unit/*.c)
INTEG_SRC := $(wildcard tests/integration/*.c)
# check_quo's parts other than main: linked into it and the unit tests.
CHECK_SRC := $(filter-out plugin/check_quo.c,$(wildcard plugin/check_*.c))
CHECK_HDR := $(wildcard plugin/check_*.h)

.PHONY: all deps check unit integration sanitize valgrind demo budget \
        format format-check clean

all: $(B)/quo.so $(B)/check_quo $(B)/quo-notify-nagios

$(B)/core/%.o: plugin/core/%.c $(wildcard plugin/core/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libquocore.a: $(CORE_OBJ)
	rm -f $@ && ar rcs $@ $^

$(B)/quo.o: plugin/quo.c $(wildcard plugin/core/*.h)
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

$(B)/quo-standin: tests/standin/standin.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(MHD_LIBS)

$(B)/test_unit: $(UNIT_SRC) tests/unit/unit.h $(CHECK_SRC) $(CHECK_HDR) \
               $(B)/libquocore.a
	$(CC) $(ALL_CFLAGS) -Iplugin/core -Iplugin -o $@ $(UNIT_SRC) $(CHECK_SRC) \
	  $(B)/libquocore.a $(LIBS) $(CHECK_LIBS) -lm

$(B)/test_integration: $(INTEG_SRC) $(wildcard tests/integration/*.h) \
                       $(B)/libquocore.a
	$(CC) $(ALL_CFLAGS) -Iplugin/core -o $@ $(INTEG_SRC) $(B)/libquocore.a \
	  $(LIBS) $(CHECK_LIBS)

deps:
	@sh tests/deps.sh

unit: $(B)/test_unit
	$(B)/test_unit

integration: $(B)/quo.so $(B)/check_quo $(B)/quo-standin $(B)/test_integration
	$(B)/test_integration

check: deps
	$(MAKE) format-check unit integration
	$(MAKE) sanitize
	$(MAKE) fuzz-check
	$(MAKE) package-check
	$(MAKE) feeder-check

# The core, the unit tests, check_quo and the fetcher tests under ASan and
# UBSan. (quo.so runs inside collectd, which is not built with ASan: the
# plugin is checked under valgrind instead, see `make valgrind`.)
SAN_ENV := ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
           UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
sanitize:
	$(MAKE) SANITIZE=1 build-san/test_unit build-san/test_integration \
	  build-san/check_quo build-san/quo-standin build-san/quo.so
	$(SAN_ENV) build-san/test_unit
	$(SAN_ENV) QUO_BUILD=build-san CK_RUN_SUITE=http build-san/test_integration
	$(SAN_ENV) QUO_BUILD=build-san CK_RUN_SUITE=check_quo \
	  build-san/test_integration

demo: deps
	$(MAKE) $(B)/quo.so $(B)/check_quo $(B)/quo-standin
	sh tests/demo.sh

# quo.so in collectd under memcheck for CYCLES reads against the fault
# modes, then RSS at cycle 10 and CYCLES without valgrind.
valgrind: deps
	$(MAKE) $(B)/quo.so $(B)/quo-standin
	sh tests/valgrind.sh $(or $(CYCLES),100)

# Requests per cycle and 429s for N calls: make budget N=100 [FINISHED=20]
# [INTERVAL=10] [CYCLES=4]
budget: deps
	$(MAKE) $(B)/quo.so $(B)/quo-standin
	sh tests/budget-sim.sh $(or $(N),100) $(or $(FINISHED),20) \
	  $(or $(INTERVAL),10) $(or $(CYCLES),4)

FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	@if command -v clang-format >/dev/null; then \
	  clang-format --dry-run --Werror $(FORMAT_FILES) && echo "clang-format: clean"; \
	else echo "clang-format not installed: format check skipped"; fi

clean:
	rm -rf build build-san

# CallsFile: `make callsfile-bench` (re-read time and churn RSS, printed),
# `make feeder-check` (contrib/quo-calls-feeder's test, part of make check).
-include tests/callsfile/callsfile.mk

# libFuzzer targets: `make fuzz` (FUZZ_SECONDS per target, default 60),
# `make fuzz-check` (FUZZ_RUNS executions each, part of make check).
-include tests/fuzz/fuzz.mk

# Packages, man pages, install: `make deb`, `make rpm`, `make man`,
# `make install` (PREFIX, DESTDIR), `make package-check` (in make check).
include packaging/packaging.mk

# The real receivers (nagios4, icinga2, prometheus) end to end:
# `make receivers-check` (in .ci/run after make check, not in make check).
-include tests/receivers/receivers.mk

# Benchmarks against curl_json and check_curl: `make bench` (not in check).
# Optional: the Debian source copy does not carry tests/bench.
-include tests/bench/bench.mk
