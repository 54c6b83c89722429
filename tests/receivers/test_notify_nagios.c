/* Unit tests of quo-notify-nagios's parsing and formatting
 * (contrib/nagios/notify_nagios.c), on input shaped as collectd 5.12's exec
 * plugin writes it (src/exec.c, exec_notification_one: "Severity: %s",
 * "Time: %.3f", then Host, Plugin, PluginInstance, Type, TypeInstance when
 * not empty, meta data as "name: value", a blank line, the message). */
#include "notify_nagios.h"

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEALTH                                                                 \
  "Severity: FAILURE\n"                                                        \
  "Time: 1732700000.123\n"                                                     \
  "Host: web-1\n"                                                              \
  "Plugin: quo\n"                                                              \
  "PluginInstance: api\n"                                                      \
  "Type: bool\n"                                                               \
  "TypeInstance: healthy\n"                                                    \
  "\n"                                                                         \
  "Quo API failing: call ACx: HTTP 403\n"

static qnn_notification_t parse_ok(const char *in) {
  qnn_notification_t n;
  char err[160] = "";
  ck_assert_msg(qnn_parse(in, strlen(in), &n, err, sizeof(err)) == 0, "%s",
                err);
  return n;
}

static int parse_fails(const char *in, char *err, size_t errlen) {
  qnn_notification_t n;
  return qnn_parse(in, strlen(in), &n, err, errlen);
}

START_TEST(health_failure_is_critical) {
  qnn_notification_t n = parse_ok(HEALTH);
  ck_assert_int_eq(n.state, 2);
  ck_assert_int_eq(n.time, 1732700000);
  ck_assert_str_eq(n.host, "web-1");
  ck_assert_str_eq(n.plugin_instance, "api");
  ck_assert_str_eq(n.message, "Quo API failing: call ACx: HTTP 403");
  char line[PIPE_BUF], err[160];
  int len = qnn_format(&n, NULL, 5, line, sizeof(line), err, sizeof(err));
  ck_assert_str_eq(line, "[1732700000] PROCESS_SERVICE_CHECK_RESULT;web-1;"
                         "quo-api/bool-healthy;2;Quo API failing: call ACx: "
                         "HTTP 403\n");
  ck_assert_int_eq(len, (int)strlen(line));
}
END_TEST

START_TEST(call_status_warning_and_host_override) {
  qnn_notification_t n = parse_ok("Severity: WARNING\r\n"
                                  "Time: 1732700001.000\r\n"
                                  "Host: web-1\r\n"
                                  "Plugin: quo\r\n"
                                  "PluginInstance: front-desk\r\n"
                                  "Type: bool\r\n"
                                  "TypeInstance: status\r\n"
                                  "\r\n"
                                  "Quo call ACring1 (front-desk) is now "
                                  "missed (was ringing)\r\n");
  ck_assert_int_eq(n.state, 1);
  char line[PIPE_BUF], err[160];
  ck_assert_int_gt(
      qnn_format(&n, "quo-collectd", 5, line, sizeof(line), err, sizeof(err)),
      0);
  ck_assert_str_eq(line,
                   "[1732700001] PROCESS_SERVICE_CHECK_RESULT;quo-collectd;"
                   "quo-front-desk/bool-status;1;Quo call ACring1 "
                   "(front-desk) is now missed (was ringing)\n");
}
END_TEST

START_TEST(okay_is_ok_and_meta_is_skipped) {
  qnn_notification_t n = parse_ok("Severity: OKAY\nTime: 7\nHost: h\n"
                                  "Plugin: quo\nPluginInstance: api\n"
                                  "Type: bool\nTypeInstance: healthy\n"
                                  "CurrentValue: 1.000000e+00\n"
                                  "\nrecovered\n");
  ck_assert_int_eq(n.state, 0);
  ck_assert_int_eq(n.time, 7);
  ck_assert_str_eq(n.plugin, "quo");
  ck_assert_str_eq(n.type_instance, "healthy");
  ck_assert_str_eq(n.message, "recovered");
}
END_TEST

START_TEST(missing_time_uses_now_and_empty_instances) {
  qnn_notification_t n = parse_ok("Severity: WARNING\nHost: h\nPlugin: "
                                  "load\nType: load\n\nhigh\n");
  ck_assert_int_eq(n.time, -1);
  char line[PIPE_BUF], err[160];
  ck_assert_int_gt(
      qnn_format(&n, NULL, 42, line, sizeof(line), err, sizeof(err)), 0);
  ck_assert_str_eq(line, "[42] PROCESS_SERVICE_CHECK_RESULT;h;load/load;1;"
                         "high\n");
}
END_TEST

START_TEST(text_is_sanitized) {
  qnn_notification_t n =
      parse_ok("Severity: FAILURE\nTime: 1\nHost: h\nPlugin: quo\n"
               "PluginInstance: api\nType: bool\nTypeInstance: healthy\n\n"
               "a|b;c\nsecond line\tand\x01more\n");
  char line[PIPE_BUF], err[160];
  ck_assert_int_gt(
      qnn_format(&n, NULL, 1, line, sizeof(line), err, sizeof(err)), 0);
  /* '|' would start perfdata; the newline would end the command early; ';'
   * is harmless in the last field. One line, one '\n', at the end. */
  ck_assert_str_eq(line, "[1] PROCESS_SERVICE_CHECK_RESULT;h;"
                         "quo-api/bool-healthy;2;a/b;c second line and more\n");
  ck_assert_ptr_null(strchr(line, '|'));
}
END_TEST

START_TEST(long_message_fits_one_atomic_write) {
  char in[8192];
  int off = snprintf(in, sizeof(in),
                     "Severity: FAILURE\nTime: 1\nHost: h\nPlugin: quo\n"
                     "PluginInstance: api\nType: bool\nTypeInstance: "
                     "healthy\n\n");
  memset(in + off, 'x', sizeof(in) - (size_t)off - 1);
  in[sizeof(in) - 1] = '\0';
  qnn_notification_t n = parse_ok(in);
  ck_assert_uint_eq(strlen(n.message), QNN_MESSAGE_MAX - 1);
  char line[200], err[160];
  int len = qnn_format(&n, NULL, 1, line, sizeof(line), err, sizeof(err));
  ck_assert_int_eq(len, (int)sizeof(line) - 1);
  ck_assert_int_eq(line[len - 1], '\n');
  ck_assert_ptr_eq(strchr(line, '\n'), line + len - 1);
}
END_TEST

START_TEST(bad_input_is_refused_with_a_reason) {
  char err[160];
  ck_assert_int_eq(parse_fails("Time: 1\nHost: h\n\nmsg\n", err, sizeof(err)),
                   -1);
  ck_assert_str_eq(err, "no Severity header");
  ck_assert_int_eq(parse_fails("Severity: CRITICAL\n\nmsg\n", err, sizeof(err)),
                   -1);
  ck_assert_ptr_nonnull(strstr(err, "FAILURE, WARNING or OKAY"));
  ck_assert_int_eq(
      parse_fails("Severity: OKAY\nTime: soon\n\nm\n", err, sizeof(err)), -1);
  ck_assert_ptr_nonnull(strstr(err, "Time"));
  ck_assert_int_eq(
      parse_fails("Severity: OKAY\nno colon here\n\nm\n", err, sizeof(err)),
      -1);
  ck_assert_int_eq(parse_fails("Severity: OKAY\nHost: h\n", err, sizeof(err)),
                   -1);
  ck_assert_ptr_nonnull(strstr(err, "blank line"));
  char big[400];
  snprintf(big, sizeof(big), "Severity: OKAY\nHost: %0200d\n\nm\n", 0);
  ck_assert_int_eq(parse_fails(big, err, sizeof(err)), -1);
  ck_assert_ptr_nonnull(strstr(err, "too long"));
}
END_TEST

START_TEST(unusable_names_are_refused) {
  char line[PIPE_BUF], err[160];
  qnn_notification_t n = parse_ok("Severity: OKAY\nTime: 1\nPlugin: quo\n"
                                  "PluginInstance: a;b\nType: bool\n\nm\n");
  /* No Host and no -H. */
  ck_assert_int_eq(
      qnn_format(&n, NULL, 1, line, sizeof(line), err, sizeof(err)), -1);
  ck_assert_ptr_nonnull(strstr(err, "-H"));
  /* A ';' in the service name would shift every field after it. */
  ck_assert_int_eq(qnn_format(&n, "h", 1, line, sizeof(line), err, sizeof(err)),
                   -1);
  ck_assert_ptr_nonnull(strstr(err, "service"));
  ck_assert(!qnn_name_ok(""));
  ck_assert(!qnn_name_ok("a\nb"));
  ck_assert(qnn_name_ok("quo-api/bool-healthy"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("notify_nagios");
  TCase *tc = tcase_create("parse_format");
  tcase_add_test(tc, health_failure_is_critical);
  tcase_add_test(tc, call_status_warning_and_host_override);
  tcase_add_test(tc, okay_is_ok_and_meta_is_skipped);
  tcase_add_test(tc, missing_time_uses_now_and_empty_instances);
  tcase_add_test(tc, text_is_sanitized);
  tcase_add_test(tc, long_message_fits_one_atomic_write);
  tcase_add_test(tc, bad_input_is_refused_with_a_reason);
  tcase_add_test(tc, unusable_names_are_refused);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
