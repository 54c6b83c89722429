# `make bench`: quo-collectd against what operators would use instead
# (collectd's curl_json, monitoring-plugins' check_curl), alternated runs,
# medians, a table of ratios; plus the parser microbenchmark, memory per
# tracked call, the budget under the real limit and a callgrind profile.
# Not part of `make check`. Included from the Makefile, whose flags (CSTD,
# WARN, pkg, PKGS) and build rules it uses; measures the optimised build in
# build/ (not SANITIZE=1).
# Knobs: RUNS (alternated runs per side, default 5), BENCH_N (read-cycle
# sizes, default "100 1000 5000"), BENCH_QUICK=1 (skip memory at 100 000,
# the budget simulation and callgrind).

ifndef QUO_BENCH_MK
QUO_BENCH_MK := 1

.PHONY: bench bench-deps bench-tools

BENCH_B := build/bench

BENCH_CFLAGS = $(CSTD) $(WARN) -O2 -g

$(BENCH_B)/runstat: tests/bench/runstat.c
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -o $@ $<

$(BENCH_B)/parsebench: tests/bench/parsebench.c build/libquocore.a
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -Iplugin/core $(call pkg,--cflags yajl) -o $@ $< \
	  build/libquocore.a $(call pkg,--libs $(PKGS))

bench-deps: deps-check
	@sh tests/bench/deps.sh

bench-tools: $(BENCH_B)/runstat $(BENCH_B)/parsebench build/quo.so \
             build/check_quo build/quo-standin

bench: bench-deps bench-tools
	bash tests/bench/bench.sh

endif
