/* The plugin as a good citizen of the API's rate limit and as an alerting
 * source: the budget, the finished-call cache, round robin, health and
 * call-status notifications, end to end through collectd's notify_nagios. */
#define _GNU_SOURCE
#include "harness.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Each test runs in a fresh environment (IT_CASE_ENV). */
static env_t *const e = &test_env;

/* 30 finished and 5 live calls: the IDs and the Call lines; starts the
 * stand-in with the rate limit of 10 requests/s. */
static char *thirty_five(env_t *e, char ids[35][16]) {
  char *calls = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&calls, &len);
  for (int i = 0; i < 35; i++) {
    bool live = i >= 30;
    snprintf(ids[i], 16, live ? "ACliv%d" : "ACfin%02d", live ? i - 30 : i);
    env_call_fixture(e, ids[i], live ? "ringing" : "completed", !live);
    fprintf(m, "  Call \"%s\"\n", ids[i]);
  }
  fclose(m);
  /* The API's real limit, which the budget must keep under (timed 50 ms
   * short: the stand-in's threads may get to a request late). */
  const char *limit[] = {"--rate-limit", "10", "--rate-window-ms", "950", NULL};
  standin_start(e, limit);
  return calls;
}

/* Runs conf for at least 3 reads against a stand-in limited to 10/s and
 * asserts the budget kept under it and each of the 30 finished calls of
 * thirty_five() was fetched once (then served from memory); returns the
 * reads. */
static int run_finished_fetched_once(env_t *e, const char *conf,
                                     char ids[35][16], double timeout_s) {
  int cycles = collectd_run(e, conf, "quo-api/bool-healthy", 3, timeout_s);
  ck_assert_int_ge(cycles, 3);
  ck_assert_int_eq(standin_stat(e, "rate_limited"), 0);
  for (int i = 0; i < 30; i++)
    ck_assert_msg(standin_stat(e, ids[i]) == 1, "%s fetched %ld times", ids[i],
                  standin_stat(e, ids[i]));
  return cycles;
}

START_TEST(budget_and_cache_under_the_real_limit) {
  char ids[35][16];
  char *calls = thirty_five(e, ids);
  char *body = plugin_body(e, calls,
                           "  MaxRequestsPerSecond 10\n"
                           "  FinalRefreshInterval 3600\n");
  /* 35 requests at 10/s fit in one 4 s interval. */
  const char *conf = collectd_conf(e, "budget", 4, body, NULL);
  int cycles = run_finished_fetched_once(e, conf, ids, 40);
  /* Live calls every interval; the poller's fetches and collectd's reads
   * are not in step, so one either way. */
  for (int i = 30; i < 35; i++) {
    long n = standin_stat(e, ids[i]);
    ck_assert_msg(n >= cycles - 1 && n <= cycles + 1,
                  "%s fetched %ld times in %d reads", ids[i], n, cycles);
  }
  /* Every call dispatched every read after the first fetch, finished ones
   * from memory. */
  for (int i = 0; i < 35; i++) {
    char ident[64];
    snprintf(ident, sizeof(ident), "quo-%.15s/duration", ids[i]);
    int rows = csv_rows(e, ident);
    ck_assert_msg(rows >= cycles - 1 && rows <= cycles,
                  "%s: %d rows, %d cycles", ident, rows, cycles);
  }
  ck_assert_double_eq(csv_last(e, "quo-calls/count-completed"), 30);
  ck_assert_double_eq(csv_last(e, "quo-calls/count-ringing"), 5);
  ck_assert_ptr_null(csv_path(e, "quo-api/http_requests-429"));
  assert_logged(e, "are due every interval", 0);
  free(calls);
  free(body);
}
END_TEST

START_TEST(budget_too_small_round_robin_and_one_warning) {
  char ids[35][16];
  char *calls = thirty_five(e, ids);
  char *body = plugin_body(e, calls, "  MaxRequestsPerSecond 10\n");
  /* A 2 s interval reaches about 20 calls: the rest go first next time. */
  const char *conf = collectd_conf(e, "small", 2, body, NULL);
  /* Round robin: every call was reached, the finished ones once. */
  int cycles = run_finished_fetched_once(e, conf, ids, 30);
  for (int i = 30; i < 35; i++)
    ck_assert_int_ge(standin_stat(e, ids[i]), cycles - 2);
  /* Warned once while the calls were due (up to 35: the first read may
   * follow a few answers), with both figures and the round: 10/s over a
   * 2 s interval (a 1.05 s window) is 19 requests. */
  assert_logged(
      e,
      "calls are due every interval, but MaxRequestsPerSecond 10 allows about "
      "19 requests per 2 s interval: a full round takes 2 intervals",
      1);
  free(body);
}
END_TEST

/* The bool-healthy values in order, as a string of '0' and '1'. */
static void healthy_series(env_t *e, char *out, size_t cap) {
  char *csv = slurp(csv_path(e, "quo-api/bool-healthy"));
  size_t n = 0;
  for (char *line = strtok(csv, "\n"); line && n + 1 < cap;
       line = strtok(NULL, "\n")) {
    char *comma = strchr(line, ',');
    if (comma && line[0] >= '0' && line[0] <= '9')
      out[n++] = atof(comma + 1) > 0.5 ? '1' : '0';
  }
  out[n] = '\0';
  free(csv);
}

START_TEST(api_down_and_back_one_failure_one_okay) {
  env_call_fixture(e, "ACliv1", "in-progress", false);
  env_call_fixture(e, "ACliv2", "ringing", false);
  standin_start(e, NULL);
  char nagios_cmd[400];
  snprintf(nagios_cmd, sizeof(nagios_cmd), "%s/nagios.cmd", e->dir);
  /* Nagios creates its command pipe; notify_nagios only appends to it. */
  FILE *f = fopen(nagios_cmd, "w");
  ck_assert_ptr_nonnull(f);
  fclose(f);
  char extra[600];
  snprintf(extra, sizeof(extra),
           "LoadPlugin notify_nagios\n"
           "<Plugin notify_nagios>\n  CommandFile \"%s\"\n</Plugin>\n",
           nagios_cmd);
  char *body = plugin_body(e, "  Call \"ACliv1\"\n  Call \"ACliv2\"\n", "");
  const char *conf = collectd_conf(e, "downup", 1, body, extra);
  free(body);

  pid_t pid = collectd_start(e, conf);
  ck_assert_int_ge(collectd_wait(e, pid, "quo-api/bool-healthy", 2, 20), 2);
  standin_stop(e); /* the API goes down */
  ck_assert_int_ge(collectd_wait(e, pid, "quo-api/bool-healthy", 5, 20), 5);
  standin_start(e, NULL); /* same port: it comes back */
  ck_assert_int_ge(collectd_wait(e, pid, "quo-api/bool-healthy", 8, 20), 8);
  collectd_stop(pid);

  char series[64];
  healthy_series(e, series, sizeof(series));
  /* Up, down while the API is, up again. */
  const char *down = strstr(series, "10");
  ck_assert_msg(strncmp(series, "11", 2) == 0 && down != NULL &&
                    strstr(down, "01") != NULL,
                "bool-healthy went %s", series);
  assert_logged(e, "above its read interval", 0);
  assert_logged(e, "severity = FAILURE", 1);
  assert_logged(e, "severity = OKAY", 1);
  assert_logged(e, "severity = WARNING", 0);
  assert_logged(e, "Quo API failing: call ACliv", 1);
  assert_logged(e, "request failed", 3); /* 2 calls */
  /* As Nagios receives it: a passive check result per change. */
  char *cmd = slurp(nagios_cmd);
  ck_assert_int_eq(count_in_file(nagios_cmd, "PROCESS_SERVICE_CHECK_RESULT;"
                                             "test;quo-api/bool-healthy;2;"),
                   1);
  ck_assert_int_eq(count_in_file(nagios_cmd, "PROCESS_SERVICE_CHECK_RESULT;"
                                             "test;quo-api/bool-healthy;0;"),
                   1);
  ck_assert_ptr_null(strstr(cmd, TEST_KEY));
  free(cmd);
}
END_TEST

/* The log line collectd's logfile plugin writes for a call-status
 * notification: every field of it, so that severity, plugin instance, type
 * and type instance are asserted together. */
static void status_notification(char *buf, size_t cap, const char *severity,
                                const char *id, const char *inst,
                                const char *now, const char *was) {
  snprintf(buf, cap,
           "Notification: severity = %s, host = test, plugin = quo, "
           "plugin_instance = %s, type = bool, type_instance = status, "
           "message = Quo call %s (%s) is now %s (was %s)",
           severity, inst, id, inst, now, was);
}

START_TEST(ringing_to_missed_one_warning) {
  env_call_fixture(e, "ACring1", "ringing", false);
  env_call_fixture(e, "ACcalm1", "in-progress", false);
  env_call_fixture(e, "ACdone1", "ringing", false);
  standin_start(e, NULL);
  const char *conf = calls_conf(
      e, "missed", 1,
      "  <Call \"ACring1\">\n    Instance \"front-desk\"\n  </Call>\n"
      "  Call \"ACcalm1\"\n"
      "  <Call \"ACdone1\">\n    Instance \"done-line\"\n  </Call>\n",
      "");
  pid_t pid = collectd_start(e, conf);
  ck_assert_int_ge(collectd_wait(e, pid, "quo-api/bool-healthy", 2, 20), 2);
  env_call_fixture(e, "ACring1", "missed", true);
  /* A status that is no alarm: notified OKAY, on the same identifier. */
  env_call_fixture(e, "ACdone1", "completed", true);
  ck_assert_int_ge(collectd_wait(e, pid, "quo-api/bool-healthy", 5, 20), 5);
  collectd_stop(pid);

  char line[512];
  assert_logged(e, "severity = WARNING", 1);
  assert_logged(e, "plugin_instance = front-desk", 1);
  status_notification(line, sizeof(line), "WARNING", "ACring1", "front-desk",
                      "missed", "ringing");
  assert_logged(e, line, 1);
  assert_logged(e, "severity = OKAY", 1);
  status_notification(line, sizeof(line), "OKAY", "ACdone1", "done-line",
                      "completed", "ringing");
  assert_logged(e, line, 1);
  /* The first sight of a call is a baseline, not a change. */
  assert_logged(e, "Notification:", 2);
  ck_assert_double_eq(csv_last(e, "quo-front-desk/bool-status-missed"), 1);
  ck_assert_double_eq(csv_last(e, "quo-done-line/bool-status-completed"), 1);
  /* One identifier whatever the status: quo-<inst>/bool-status. */
  assert_logged(e, "type = bool, type_instance = status,", 2);
  /* StatusMetrics "current": the status left is dispatched once as 0, then
   * no more; statuses never held are never dispatched. */
  ck_assert_int_eq(count_in_file(csv_path(e, "quo-front-desk/bool-status-"
                                             "ringing"),
                                 ",0"),
                   1);
  ck_assert_double_eq(csv_last(e, "quo-front-desk/bool-status-ringing"), 0);
  ck_assert_ptr_null(csv_path(e, "quo-front-desk/bool-status-completed"));
  /* Finished now: fetched no more. */
  long fetched = standin_stat(e, "ACring1");
  ck_assert_int_lt(fetched, standin_stat(e, "ACcalm1"));
}
END_TEST

/* A status this release does not know, with bytes no log may carry: a pipe
 * (Nagios's field separator), ESC, BEL and a non-ASCII letter. */
#define ODD_STATUS_JSON "on|hold\\u001b[31m\\u0007\\u00e9"
#define ODD_STATUS_SHOWN "on?hold?[31m???"

/* A live call whose status is ODD_STATUS_JSON, replacing its fixture. */
static void odd_status_fixture(env_t *e, const char *id) {
  char body[2048], *json = NULL, name[64];
  ck_assert_int_gt(
      callgen_body(
          &(callgen_t){.id = id, .status = "PLACEHOLDER", .duration = 5}, body,
          sizeof(body)),
      0);
  char *at = strstr(body, "PLACEHOLDER");
  ck_assert_ptr_nonnull(at);
  ck_assert_int_gt(asprintf(&json, "%.*s%s%s", (int)(at - body), body,
                            ODD_STATUS_JSON, at + strlen("PLACEHOLDER")),
                   0);
  snprintf(name, sizeof(name), "%s.json", id);
  env_fixture(e, name, json);
  free(json);
}

START_TEST(unknown_status_is_other_warned_once_sanitized) {
  env_call_fixture(e, "AChold1", "ringing", false);
  env_call_fixture(e, "AChold2", "ringing", false);
  env_call_fixture(e, "ACodd1", "ringing", false);
  standin_start(e, NULL);
  const char *conf =
      calls_conf(e, "other", 1,
                 "  <Call \"AChold1\">\n    Instance \"hold-line\"\n  </Call>\n"
                 "  Call \"AChold2\"\n  Call \"ACodd1\"\n",
                 "");
  pid_t pid = collectd_start(e, conf);
  ck_assert_int_ge(collectd_wait(e, pid, "quo-calls/count-ringing", 2, 20), 2);
  /* Two calls go to the same unknown status, one to an odd one. */
  env_call_fixture(e, "AChold1", "on-hold", false);
  env_call_fixture(e, "AChold2", "on-hold", false);
  odd_status_fixture(e, "ACodd1");
  long before = standin_stat(e, "AChold1");
  int rows = csv_rows(e, "quo-api/bool-healthy");
  ck_assert_int_ge(collectd_wait(e, pid, "quo-api/bool-healthy", rows + 5, 20),
                   rows + 5);
  collectd_stop(pid);
  /* Still live, so fetched at every one of those reads: the once-per-value
   * log below held over several answers with the same status. */
  ck_assert_int_ge(standin_stat(e, "AChold1"), before + 3);

  ck_assert_double_eq(csv_last(e, "quo-hold-line/bool-status-other"), 1);
  ck_assert_double_eq(csv_last(e, "quo-AChold2/bool-status-other"), 1);
  ck_assert_double_eq(csv_last(e, "quo-ACodd1/bool-status-other"), 1);
  ck_assert_double_eq(csv_last(e, "quo-hold-line/bool-status-ringing"), 0);
  ck_assert_double_eq(csv_last(e, "quo-calls/count-other"), 3);
  ck_assert_double_eq(csv_last(e, "quo-calls/count-ringing"), 0);
  /* An unknown status is news, not an invalid body. */
  ck_assert_double_eq(csv_last(e, "quo-api/bool-healthy"), 1);
  ck_assert_ptr_null(csv_path(e, "quo-api/errors-invalid"));

  /* WARNING on entering "other", the raw status in the message. */
  char line[512];
  status_notification(line, sizeof(line), "WARNING", "AChold1", "hold-line",
                      "on-hold", "ringing");
  assert_logged(e, line, 1);
  status_notification(line, sizeof(line), "WARNING", "AChold2", "AChold2",
                      "on-hold", "ringing");
  assert_logged(e, line, 1);
  status_notification(line, sizeof(line), "WARNING", "ACodd1", "ACodd1",
                      ODD_STATUS_SHOWN, "ringing");
  assert_logged(e, line, 1);
  assert_logged(e, "Notification:", 3);
  /* Logged once per distinct value, whichever call and however often. */
  assert_logged(e, "which this release does not know", 2);
  assert_logged(e,
                "has status \"on-hold\", which this release does not know: "
                "reported as \"other\"",
                1);
  assert_logged(e,
                "quo plugin: call ACodd1 has status \"" ODD_STATUS_SHOWN
                "\", which this release does not know: reported as \"other\"",
                1);
  /* Never raw. */
  char *log = slurp(collectd_log(e));
  ck_assert_ptr_null(strchr(log, '\x1b'));
  ck_assert_ptr_null(strchr(log, '\x07'));
  ck_assert_ptr_null(strstr(log, "on|hold"));
  ck_assert_ptr_null(strstr(log, "\xc3\xa9"));
  free(log);
}
END_TEST

START_TEST(rate_limited_warns_and_pauses) {
  char calls[512] = "";
  for (int i = 0; i < 6; i++) {
    char id[16], line[40];
    snprintf(id, sizeof(id), "ACliv%d", i);
    env_call_fixture(e, id, "ringing", false);
    snprintf(line, sizeof(line), "  Call \"%s\"\n", id);
    strcat(calls, line);
  }
  /* The server allows 3/s and asks for 3 s of quiet; our budget is off. */
  const char *limit[] = {"--rate-limit", "3", "--retry-after", "3", NULL};
  standin_start(e, limit);
  const char *conf =
      calls_conf(e, "r429", 1, calls, "  MaxRequestsPerSecond 0\n");
  int cycles = collectd_run(e, conf, "quo-api/bool-healthy", 4, 20);
  ck_assert_int_ge(cycles, 4);
  ck_assert_double_ge(csv_last(e, "quo-api/http_requests-429"), 3);
  ck_assert_double_ge(csv_last(e, "quo-api/errors-0100429"), 3);
  const char *log = collectd_log(e);
  ck_assert_int_ge(count_in_file(log, "severity = WARNING"), 1);
  /* The pause is its own health message, naming the call, the HTTP status,
   * the API code and title. */
  ck_assert_int_ge(
      count_in_file(log, "Quo API rate limited, requests paused for "), 1);
  ck_assert_int_ge(count_in_file(log, " (Retry-After): call ACliv"), 1);
  ck_assert_int_ge(count_in_file(log, ": HTTP 429, API code 0100429 (Too Many "
                                      "Requests)"),
                   1);
  assert_logged(e, "severity = FAILURE", 0);
  /* Retry-After 3 s paused every start: over 4+ one-second cycles, far
   * fewer requests than 6 per cycle reached the server. */
  ck_assert_int_le(standin_stat(e, "requests"), 6 + 2 * 6);
}
END_TEST

IT_SUITE(alerting_suite, "alerting", IT_CASE_ENV("budget", 60),
         IT_TEST(budget_and_cache_under_the_real_limit),
         IT_TEST(budget_too_small_round_robin_and_one_warning),
         IT_TEST(rate_limited_warns_and_pauses),
         IT_CASE_ENV("notifications", 60),
         IT_TEST(api_down_and_back_one_failure_one_okay),
         IT_TEST(ringing_to_missed_one_warning),
         IT_TEST(unknown_status_is_other_warned_once_sanitized))
