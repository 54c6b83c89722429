# CallsFile: the re-read benchmark (`make callsfile-bench`, prints, never
# asserts a time) and the example feeder's test (`make feeder-check`, in
# make check). Included from the Makefile.

.PHONY: callsfile-bench feeder-check

$(B)/callsfile-bench: tests/callsfile/bench.c $(B)/libquocore.a
	$(CC) $(ALL_CFLAGS) -Iplugin/core -o $@ $< $(B)/libquocore.a $(LIBS)

callsfile-bench: $(B)/callsfile-bench
	$(B)/callsfile-bench

feeder-check: $(B)/callsfile-bench
	sh tests/callsfile/test_feeder.sh contrib/quo-calls-feeder \
	  $(B)/callsfile-bench
