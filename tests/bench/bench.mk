# `make bench`: quo.so in a running collectd against Debian's curl_json
# (steady state over HTTP and HTTPS, a 10 000-call mix, CallsFile costs),
# alternated runs, medians; plus one-read, parse and check extras.
# Not part of `make check`. Included from the Makefile; on its own:
#   make -f Makefile -f tests/bench/bench.mk bench
# Run it niced on a shared machine: `nice -n 10 make bench` (~12 min).
# Knobs (environment): RUNS (alternated runs per side, default 3), BENCH_N
# (steady-state sizes, default "100 1000 5000"), BENCH_ONLY (a subset of
# "steady mix calls single parse check", or "cg"/"budget" opt-ins),
# WINDOW_S, CHURN_STEPS. See tests/bench/bench.sh.

ifndef QUO_BENCH_MK
QUO_BENCH_MK := 1

.PHONY: bench bench-deps bench-tools

BENCH_B := build/bench

BENCH_CFLAGS = $(CSTD) $(WARN) -O2 -g

$(BENCH_B)/runstat: tests/bench/runstat.c
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -o $@ $<

$(BENCH_B)/steady: tests/bench/steady.c
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -o $@ $<

$(BENCH_B)/parsebench: tests/bench/parsebench.c build/libquocore.a
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -Iplugin/core $(call pkg,--cflags yajl) -o $@ $< \
	  build/libquocore.a $(LIBS)

bench-deps: deps-check
	@sh tests/bench/deps.sh

bench-tools: $(BENCH_B)/runstat $(BENCH_B)/steady $(BENCH_B)/parsebench \
             build/quo.so build/check_quo build/quo-standin

bench: bench-deps bench-tools
	bash tests/bench/bench.sh

endif
