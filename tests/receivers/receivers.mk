# End-to-end tests against the real receivers, included by the Makefile:
#
#   make receivers-check   the unit tests of quo-notify-nagios, then
#                          tests/receivers/receivers.sh: a real nagios4 fed
#                          by collectd's NotificationExec and check_quo,
#                          icinga2 daemon -C over contrib/icinga2, a real
#                          icinga2 fed the same way and running check_quo
#                          with contrib/icinga2, nagios4 -v over
#                          contrib/nagios, prometheus scraping
#                          write_prometheus for every dashboard query.
#                          Installs nagios4-core, icinga2-bin, prometheus
#                          and libprotobuf-c1 (tests/deps.sh) when missing.

.PHONY: receivers-check

$(B)/test_notify_nagios: tests/receivers/test_notify_nagios.c \
                         contrib/nagios/notify_nagios.c \
                         contrib/nagios/notify_nagios.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Icontrib/nagios -o $@ $< \
	  contrib/nagios/notify_nagios.c $(CHECK_LIBS)

receivers-check: deps-check $(B)/quo.so $(B)/check_quo $(B)/quo-standin \
                 $(B)/quo-notify-nagios $(B)/test_notify_nagios
	$(B)/test_notify_nagios
	bash tests/receivers/receivers.sh
