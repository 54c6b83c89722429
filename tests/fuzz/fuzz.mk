# libFuzzer targets for the core's parsers; included by the Makefile.
#
#   make fuzz-build   build/fuzz/fuzz_{response,timestamp,range}
#   make fuzz-check   each target for FUZZ_RUNS executions over the seeds
#                     (part of `make check`; skipped when clang is absent)
#   make fuzz         each target for FUZZ_SECONDS seconds, corpus kept in
#                     build/fuzz/corpus-<name> between runs
#
# Crashes land in build/fuzz/artifacts/; keep real ones as
# tests/fuzz/crashes/<target>-<short-name> and replay them with
# build/fuzz/fuzz_<target> FILE. The seeds (tests/fuzz/corpus/) are never
# written to; tests/fuzz/seeds.sh regenerates them.

# Must not change the including Makefile's default goal.
fuzz_default_goal := $(.DEFAULT_GOAL)

B        ?= build
VERSION  ?= 0
PKGS     ?= libcurl yajl
CORE_SRC ?= $(wildcard plugin/core/*.c)

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_RUNS    ?= 200000
FUZZ_TARGETS := response timestamp range
FUZZ_DIR     := tests/fuzz
FUZZ_OUT     := $(B)/fuzz
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_OUT)/fuzz_%)
FUZZ_FOUND   := $(shell command -v $(FUZZ_CC) 2>/dev/null)
FUZZ_CFLAGS  := -std=gnu11 -Wall -Wextra -Werror -g -O1 \
                -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=undefined \
                -DQUO_VERSION='"$(VERSION)"' \
                $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -Iplugin/core
FUZZ_LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread

# Per-target options: inputs are capped, the response target gets the dict.
fuzz_opts_response  := -max_len=65536 -dict=$(FUZZ_DIR)/response.dict
fuzz_opts_timestamp := -max_len=256
fuzz_opts_range     := -max_len=256
FUZZ_COMMON := -timeout=10 -rss_limit_mb=2048 -print_final_stats=0

.PHONY: fuzz-build fuzz fuzz-check

ifeq ($(FUZZ_FOUND),)

fuzz-check:
	@echo "$(FUZZ_CC) not found: fuzz-check skipped"
fuzz-build fuzz:
	@echo "$(FUZZ_CC) not found: install clang and libclang-rt-14-dev" >&2
	@exit 1

else

fuzz-build: $(FUZZ_BINS)

# The core is compiled into each target with the sanitizers, not linked from
# libquocore.a, so that every line of it is instrumented.
$(FUZZ_OUT)/fuzz_%: $(FUZZ_DIR)/fuzz_%.c $(CORE_SRC) \
                    $(wildcard plugin/core/*.h) $(FUZZ_DIR)/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(CORE_SRC) $(FUZZ_LIBS) || { \
	  echo "fuzz: building $@ failed (is libclang-rt-14-dev installed?)" >&2; \
	  exit 1; }

# Runs target $* with the corpus dirs in $(fuzz_dirs) and the extra options
# in $(fuzz_extra), logging to $(FUZZ_OUT)/$*.log; prints one summary line
# with the executions from libFuzzer's "Done N runs in S second(s)"; fails
# on any crash, leak, timeout or broken invariant.
define fuzz_run
@mkdir -p $(FUZZ_OUT)/artifacts
@log=$(FUZZ_OUT)/$*.log; \
if UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1} \
     $(FUZZ_OUT)/fuzz_$* $(FUZZ_COMMON) $(fuzz_opts_$*) $(fuzz_extra) \
     -artifact_prefix=$(FUZZ_OUT)/artifacts/$*- $(fuzz_dirs) >$$log 2>&1; then \
  done=$$(grep -o 'Done [0-9]* runs in [0-9]* second' $$log | tail -n 1); \
  runs=$$(echo "$$done" | awk '{print $$2}'); \
  secs=$$(echo "$$done" | awk '{print $$5}'); \
  echo "fuzz $*: $${runs:-?} executions in $${secs:-?} s, no crash$(fuzz_note)"; \
else \
  echo "fuzz $*: FAILED, last lines of $$log:" >&2; \
  tail -n 40 $$log >&2; \
  ls $(FUZZ_OUT)/artifacts/$*-* 2>/dev/null | sed 's/^/  reproducer: /' >&2; \
  exit 1; \
fi
endef

FUZZ_CHECKS := $(FUZZ_TARGETS:%=fuzz-check-%)
FUZZ_RUNS_T := $(FUZZ_TARGETS:%=fuzz-run-%)
.PHONY: $(FUZZ_CHECKS) $(FUZZ_RUNS_T)

# Short: FUZZ_RUNS executions per target over the seeds. New inputs go to a
# throw-away directory; the seeds are read from a read-only copy.
fuzz-check: $(FUZZ_CHECKS)
$(FUZZ_CHECKS): fuzz-check-%: $(FUZZ_OUT)/fuzz_%
	@rm -rf $(FUZZ_OUT)/check-$* $(FUZZ_OUT)/seed-$*
	@mkdir -p $(FUZZ_OUT)/check-$*
	@cp -R $(FUZZ_DIR)/corpus/$* $(FUZZ_OUT)/seed-$*
	@chmod a-w $(FUZZ_OUT)/seed-$*/*
	$(fuzz_run)
$(FUZZ_CHECKS): fuzz_dirs = $(FUZZ_OUT)/check-$* $(FUZZ_OUT)/seed-$*
$(FUZZ_CHECKS): fuzz_extra = -runs=$(FUZZ_RUNS)

# Long: FUZZ_SECONDS per target, growing $(FUZZ_OUT)/corpus-<name> (kept
# between runs; `make clean` drops it).
fuzz: $(FUZZ_RUNS_T)
$(FUZZ_RUNS_T): fuzz-run-%: $(FUZZ_OUT)/fuzz_%
	@mkdir -p $(FUZZ_OUT)/corpus-$*
	@cp $(FUZZ_DIR)/corpus/$*/* $(FUZZ_OUT)/corpus-$*/
	$(fuzz_run)
$(FUZZ_RUNS_T): fuzz_dirs = $(FUZZ_OUT)/corpus-$*
$(FUZZ_RUNS_T): fuzz_extra = -max_total_time=$(FUZZ_SECONDS)
$(FUZZ_RUNS_T): fuzz_note = , corpus $$(ls $(FUZZ_OUT)/corpus-$* | wc -l) inputs

endif

.DEFAULT_GOAL := $(fuzz_default_goal)
