# libFuzzer targets for the core's parsers; included by the Makefile.
#
#   make fuzz-build   build/fuzz/fuzz_{response,timestamp,range}
#   make fuzz-check   each target for FUZZ_RUNS executions over the seeds
#                     (part of `make check`, whose deps step installs clang)
#   make fuzz         each target for FUZZ_SECONDS seconds, corpus kept in
#                     build/fuzz/corpus-<name> between runs
#
# Crashes land in build/fuzz/artifacts/; keep real ones as
# tests/fuzz/crashes/<target>-<short-name> and replay them with
# build/fuzz/fuzz_<target> FILE. The seeds (tests/fuzz/corpus/) are never
# written to; tests/fuzz/seeds.sh regenerates them.

# B, CORE_SRC, CORE_HDR and the flags (CSTD, WARN, DEFS, SANITIZERS,
# PKG_CFLAGS, pkg) come from the Makefile.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_RUNS    ?= 200000
FUZZ_TARGETS := response timestamp range
FUZZ_DIR     := tests/fuzz
FUZZ_OUT     := $(B)/fuzz
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_OUT)/fuzz_%)
FUZZ_CFLAGS   = $(CSTD) $(WARN) -g -O1 -fsanitize=$(SANITIZERS) \
               -fno-sanitize-recover=undefined $(DEFS) $(PKG_CFLAGS) \
               -Iplugin/core
FUZZ_CORE    := $(CORE_SRC:plugin/core/%.c=$(FUZZ_OUT)/core/%.o)
FUZZ_LIBS     = $(call pkg,--libs $(PKGS)) -lm -pthread

# Per-target options: inputs are capped, the response target gets the dict.
fuzz_opts_response  := -max_len=65536 -dict=$(FUZZ_DIR)/response.dict
fuzz_opts_timestamp := -max_len=256
fuzz_opts_range     := -max_len=256
FUZZ_COMMON := -timeout=10 -rss_limit_mb=2048 -print_final_stats=0

.PHONY: fuzz-build fuzz fuzz-check

fuzz-build: $(FUZZ_BINS)

# The core is compiled once with the sanitizers and libFuzzer's coverage
# (not from libquocore.a, which has neither), so that every line of it is
# instrumented, and linked into each target. clang is looked for when
# something is built, not when make reads this file: make check's deps
# step installs it after that.
define fuzz_need_cc
@command -v $(FUZZ_CC) >/dev/null || { \
  echo "fuzz: $(FUZZ_CC) not found (sh tests/deps.sh check installs it)" >&2; \
  exit 1; }
endef
# Kept between runs (make would delete them as intermediate files).
.SECONDARY: $(FUZZ_CORE)
$(FUZZ_OUT)/core/%.o: plugin/core/%.c $(CORE_HDR) $(FUZZ_DIR)/fuzz.mk
	@mkdir -p $(@D)
	$(fuzz_need_cc)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
$(FUZZ_OUT)/fuzz_%: $(FUZZ_DIR)/fuzz_%.c $(FUZZ_CORE) $(CORE_HDR) \
                    $(FUZZ_DIR)/fuzz.mk
	$(fuzz_need_cc)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_CORE) \
	  $(FUZZ_LIBS) || { \
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
