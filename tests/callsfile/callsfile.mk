# CallsFile: the re-read benchmark (`make callsfile-bench`, prints, never
# asserts a time), the example feeder's test (`make feeder-check`, in
# make check) and the churn under memcheck (`make callsfile-valgrind`, in
# .ci/run after make valgrind). Included from the Makefile.

.PHONY: callsfile-bench feeder-check callsfile-valgrind

$(B)/callsfile-bench: tests/callsfile/bench.c $(B)/libquocore.a
	$(CC) $(ALL_CFLAGS) -Iplugin/core -o $@ $< $(B)/libquocore.a $(LIBS)

callsfile-bench: $(B)/callsfile-bench
	$(B)/callsfile-bench

feeder-check: $(B)/callsfile-bench
	sh tests/callsfile/test_feeder.sh contrib/quo-calls-feeder \
	  $(B)/callsfile-bench

# quo.so in collectd under memcheck while the calls file is replaced
# ROUNDS times (default 20), half of its 200 calls in and out each time.
callsfile-valgrind: deps-valgrind $(B)/quo.so $(B)/quo-standin
	sh tests/callsfile/churn-valgrind.sh $(or $(ROUNDS),20)
