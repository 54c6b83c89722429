/* quo.so inside a real collectd, against the stand-in API: every SPEC
 * metric's dispatched value, failures counted and logged once, bad
 * configurations refused by name with collectd left running. */
#define _GNU_SOURCE
#include "harness.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const statuses[13] = {
    "queued",   "initiated", "ringing",   "in-progress", "completed",
    "busy",     "failed",    "no-answer", "canceled",    "missed",
    "answered", "forwarded", "abandoned"};

/* Asserts bool-status-<s> is 1 for the current status; with StatusMetrics
 * "current" (the default) the other statuses of a call that never changed
 * are not dispatched at all, with "all" they are 0. */
static void assert_status_mode(env_t *e, const char *inst, const char *current,
                               bool all) {
  for (int i = 0; i < 14; i++) {
    const char *st = i < 13 ? statuses[i] : "other";
    char id[128];
    snprintf(id, sizeof(id), "quo-%s/bool-status-%s", inst, st);
    if (strcmp(st, current) == 0) {
      ck_assert_msg(csv_last(e, id) == 1, "%s is %g, want 1", id,
                    csv_last(e, id));
    } else if (all) {
      ck_assert_msg(csv_last(e, id) == 0, "%s is %g, want 0", id,
                    csv_last(e, id));
    } else {
      ck_assert_msg(csv_path(e, id) == NULL, "%s was dispatched", id);
    }
  }
}

static void assert_status(env_t *e, const char *inst, const char *current) {
  assert_status_mode(e, inst, current, false);
}

/* ---- The main scenario: five calls side by side, three read cycles. ---- */

static env_t m;
static int main_rows;

static void main_setup(void) {
  env_setup(&m);
  env_fixture(&m, "ACecho0001.fault", "echo-key 401\n");
  standin_start(&m, NULL);
  char *body = plugin_body(&m,
                           "  <Call \"AC3700e624eca547eb9f749a06f2eb1\">\n"
                           "    Instance \"support-line\"\n"
                           "  </Call>\n"
                           "  Call \"ACmissed0001\"\n"
                           "  Call \"ACoutgoing0001\"\n"
                           "  <Call \"ACforwarded0001\">\n"
                           "    Instance \"ai.front_desk-2\"\n"
                           "  </Call>\n"
                           "  Call \"ACforbidden0001\"\n"
                           "  Call \"ACecho0001\"\n",
                           NULL);
  const char *conf = collectd_conf(&m, "main", 1, body, NULL);
  free(body);
  main_rows = collectd_run(&m, conf, "quo-api/bool-healthy", 4, 30);
}

static void main_teardown(void) {
  env_teardown(&m);
}

START_TEST(three_cycles_ran) {
  ck_assert_int_ge(main_rows, 4);
}
END_TEST

/* The calls of the main scenario that answer: instance, duration, answer
 * latency (< 0: never answered, so none is dispatched) and status. */
static const struct {
  const char *inst;
  double duration, latency;
  const char *status;
} answering[] = {
    {"support-line", 184, 7.5, "completed"}, /* incoming, completed */
    {"ACmissed0001", 0, -1, "missed"},
    /* Outgoing, in progress, with offsets and fractions: createdAt
     * 05:00:00.500-05:00, answeredAt 11:00:04.125+01:00. */
    {"ACoutgoing0001", 42, 3.625, "in-progress"},
    {"ai.front_desk-2", 60, 2.25, "forwarded"}, /* AI, unknown fields */
};

START_TEST(call_values_and_status) {
  /* _i: one answering call. */
  const char *inst = answering[_i].inst;
  char ident[128];
  snprintf(ident, sizeof(ident), "quo-%s/duration", inst);
  ck_assert_double_eq(csv_last(&m, ident), answering[_i].duration);
  snprintf(ident, sizeof(ident), "quo-%s/latency-answer", inst);
  if (answering[_i].latency < 0)
    ck_assert_ptr_null(csv_path(&m, ident));
  else
    ck_assert_double_eq_tol(csv_last(&m, ident), answering[_i].latency, 1e-6);
  assert_status(&m, inst, answering[_i].status);
}
END_TEST

START_TEST(forbidden_call_counted_logged_once_others_intact) {
  /* Nothing dispatched for the failing call itself. */
  ck_assert_ptr_null(csv_path(&m, "quo-ACforbidden0001/duration"));
  ck_assert_ptr_null(csv_path(&m, "quo-ACforbidden0001/bool-status-missed"));
  /* Fetched every interval (a 403 is the API's failure, not the call's: no
   * back-off), next to the in-progress call fetched every interval and
   * three finished calls fetched once (FinalRefreshInterval). The poller's
   * fetches and collectd's reads are not in step: one fetch either way. */
  double forbidden = csv_last(&m, "quo-api/http_requests-403");
  ck_assert_double_ge(forbidden, 3);
  double ok = csv_last(&m, "quo-api/http_requests-200");
  ck_assert_double_ge(ok, 3 + forbidden - 1);
  ck_assert_double_le(ok, 3 + forbidden + 1);
  ck_assert_double_eq(csv_last(&m, "quo-api/errors-0101403"), forbidden);
  /* Logged once over all cycles, naming call, status, code and title. */
  assert_logged(&m, "call ACforbidden0001 ", 1);
  char *log = slurp(collectd_log(&m));
  ck_assert_ptr_nonnull(
      strstr(log, "quo plugin: call ACforbidden0001 (ACforbidden0001): HTTP "
                  "403, API code 0101403 (Not Phone Number User)"));
  free(log);
}
END_TEST

/* Every read after the first fetch dispatches every known call (the first
 * read comes before the poller's first answers). */
static void assert_every_read(env_t *e, const char *ident, int cycles) {
  int rows = csv_rows(e, ident);
  ck_assert_msg(rows >= cycles - 1 && rows <= cycles, "%s: %d rows in %d reads",
                ident, rows, cycles);
}

START_TEST(finished_calls_dispatched_every_cycle_from_memory) {
  int cycles = csv_rows(&m, "quo-api/bool-healthy");
  ck_assert_int_ge(cycles, 4);
  assert_every_read(&m, "quo-support-line/duration", cycles);
  assert_every_read(&m, "quo-ACmissed0001/bool-status-missed", cycles);
  assert_every_read(&m, "quo-ai.front_desk-2/latency-answer", cycles);
  assert_every_read(&m, "quo-ACoutgoing0001/duration", cycles);
  /* ... from memory: each finished call was fetched once. */
  ck_assert_int_eq(standin_stat(&m, "AC3700e624eca547eb9f749a06f2eb1"), 1);
  ck_assert_int_eq(standin_stat(&m, "ACmissed0001"), 1);
}
END_TEST

START_TEST(api_response_time_is_mean_seconds) {
  double rt = csv_last(&m, "quo-api/response_time");
  ck_assert_double_gt(rt, 0);
  ck_assert_double_lt(rt, 1);
}
END_TEST

START_TEST(api_unhealthy_after_403) {
  ck_assert_double_eq(csv_last(&m, "quo-api/bool-healthy"), 0);
}
END_TEST

START_TEST(calls_counted_per_status) {
  for (int i = 0; i < 14; i++) {
    char id[64];
    const char *s = i < 13 ? statuses[i] : "other";
    snprintf(id, sizeof(id), "quo-calls/count-%s", s);
    double want = (strcmp(s, "completed") == 0 || strcmp(s, "missed") == 0 ||
                   strcmp(s, "in-progress") == 0 || strcmp(s, "forwarded") == 0)
                      ? 1
                      : 0;
    ck_assert_msg(csv_last(&m, id) == want, "%s is %g, want %g", id,
                  csv_last(&m, id), want);
  }
}
END_TEST

START_TEST(private_key_file_not_warned) {
  assert_logged(&m, "can be read by its group", 0);
}
END_TEST

START_TEST(key_never_written) {
  /* Not even when the server quotes it back in an error. */
  assert_logged(
      &m, "call ACecho0001 (ACecho0001): HTTP 401, API code 0100401 (Key ", 1);
  ck_assert_int_ge(count_in_file(collectd_log(&m), "Invalid API key ****"), 1);
  assert_logged(&m, TEST_KEY, 0);
  char out[400];
  snprintf(out, sizeof(out), "%s/collectd.out", m.dir);
  ck_assert_int_eq(count_in_file(out, TEST_KEY), 0);
}
END_TEST

/* ---- One collectd run per failure kind. ---- */

/* Each test of these cases runs in a fresh environment (IT_CASE_ENV). */
static env_t *const e = &test_env;

/* Runs collectd with the given calls until `rows` cycles are seen. */
static void run_calls(env_t *e, const char *name, const char *calls,
                      const char *more, int rows) {
  const char *conf = calls_conf(e, name, 1, calls, more);
  ck_assert_int_ge(collectd_run(e, conf, "quo-api/bool-healthy", rows, 30),
                   rows);
}

/* The start of the log line of an API health notification: every field
 * but the message, whose start is `message`. */
static void health_notification(char *buf, size_t cap, const char *severity,
                                const char *message) {
  snprintf(buf, cap,
           "Notification: severity = %s, host = test, plugin = quo, "
           "plugin_instance = api, type = bool, type_instance = healthy, "
           "message = %s",
           severity, message);
}

/* Asserts the run notified exactly once: this API health notification. */
static void assert_only_health_notification(env_t *e, const char *severity,
                                            const char *message) {
  char line[512];
  health_notification(line, sizeof(line), severity, message);
  assert_logged(e, line, 1);
  assert_logged(e, "Notification:", 1);
}

/* Asserts every row of quo-api/bool-healthy is want. */
static void assert_healthy_throughout(env_t *e, double want) {
  char *csv = slurp(csv_path(e, "quo-api/bool-healthy"));
  int rows = 0;
  for (char *line = strtok(csv, "\n"); line != NULL;
       line = strtok(NULL, "\n")) {
    char *comma = strchr(line, ',');
    if (comma == NULL || line[0] < '0' || line[0] > '9')
      continue; /* the header */
    ck_assert_msg(atof(comma + 1) == want, "bool-healthy row %s, want %g", line,
                  want);
    rows++;
  }
  free(csv);
  ck_assert_int_ge(rows, 1);
}

START_TEST(healthy_when_all_calls_answer) {
  standin_start(e, NULL);
  run_calls(e, "ok", "Call \"ACmissed0001\"\nCall \"ACoutgoing0001\"", NULL, 3);
  ck_assert_double_eq(csv_last(e, "quo-api/bool-healthy"), 1);
  /* The missed call is finished: fetched once. The in-progress one every
   * interval, give or take the one in flight at the last read. */
  int rows = csv_rows(e, "quo-api/bool-healthy");
  double ok = csv_last(e, "quo-api/http_requests-200");
  ck_assert_double_ge(ok, 1 + rows - 2);
  ck_assert_double_le(ok, 1 + rows);
  ck_assert_int_eq(standin_stat(e, "ACmissed0001"), 1);
  ck_assert_ptr_null(csv_path(e, "quo-api/errors-invalid"));
}
END_TEST

START_TEST(not_found_is_a_call_problem_not_an_api_failure) {
  standin_start(e, NULL);
  run_calls(e, "nf",
            "Call \"ACmissed0001\"\nCall \"ACnosuchcall\"\n"
            "Call \"ACoutgoing0001\"",
            NULL, 7);
  /* A call answering 404 backs off on its own (fetched at about 0, 2 and 6
   * intervals) while a live call is fetched every interval: one wrong entry
   * cannot eat the shared budget. */
  long wrong = standin_stat(e, "ACnosuchcall");
  long live = standin_stat(e, "ACoutgoing0001");
  ck_assert_int_ge(wrong, 2);
  ck_assert_int_le(wrong, 3);
  ck_assert_int_ge(live, 6);
  /* The last request may have come after the last read. */
  double counted = csv_last(e, "quo-api/http_requests-404");
  ck_assert_double_ge(counted, wrong - 1);
  ck_assert_double_le(counted, wrong);
  ck_assert_double_eq(csv_last(e, "quo-api/errors-0100404"),
                      csv_last(e, "quo-api/http_requests-404"));
  /* About one call, not the API: healthy at every read. */
  assert_healthy_throughout(e, 1);
  ck_assert_double_eq(csv_last(e, "quo-ACmissed0001/bool-status-missed"), 1);
  assert_logged(e,
                "call ACnosuchcall (ACnosuchcall): HTTP 404, API code 0100404 "
                "(Not Found)",
                1);
  /* ... but one WARNING naming the call, the status, the code and title,
   * not one per read or per re-fetch. */
  assert_only_health_notification(e, "WARNING",
                                  "Quo API warning: call ACnosuchcall: HTTP "
                                  "404, API code 0100404 (Not Found)");
}
END_TEST

START_TEST(nothing_listening_counts_failed) {
  standin_start(e, NULL);
  standin_stop(e); /* keeps e->port: now nothing listens there */
  run_calls(e, "down", "Call \"ACmissed0001\"", NULL, 3);
  ck_assert_double_ge(csv_last(e, "quo-api/http_requests-failed"), 2);
  ck_assert_ptr_null(csv_path(e, "quo-api/http_requests-200"));
  /* No answer, so no response time: an outage is not a fast API. */
  ck_assert_ptr_null(csv_path(e, "quo-api/response_time"));
  ck_assert_double_eq(csv_last(e, "quo-api/bool-healthy"), 0);
  assert_logged(e, "call ACmissed0001 (ACmissed0001): request failed", 1);
}
END_TEST

START_TEST(wrong_key_is_401) {
  standin_start(e, NULL);
  const char *conf = collectd_conf_fmt(e, "k401", 1,
                                       "  BaseURL \"http://127.0.0.1:%d/\"\n"
                                       "  APIKey \"not-the-right-key\"\n"
                                       "  Call \"ACmissed0001\"\n",
                                       e->port);
  ck_assert_int_ge(collectd_run(e, conf, "quo-api/bool-healthy", 3, 30), 3);
  ck_assert_double_ge(csv_last(e, "quo-api/errors-0100401"), 2);
  ck_assert_double_eq(csv_last(e, "quo-api/bool-healthy"), 0);
  /* The inline key is warned about, and never printed. */
  assert_logged(e, "option \"APIKey\" keeps", 1);
  assert_logged(e, "not-the-right-key", 0);
}
END_TEST

START_TEST(wrapped_envelope_falls_back_to_http_status) {
  env_fixture(e, "ACwrapped0001.fault", "wrapped 401\n");
  standin_start(e, NULL);
  run_calls(e, "wrapped", "Call \"ACwrapped0001\"\nCall \"ACmissed0001\"", NULL,
            3);
  ck_assert_double_ge(csv_last(e, "quo-api/errors-401"), 2);
  ck_assert_double_eq(csv_last(e, "quo-api/http_requests-401"),
                      csv_last(e, "quo-api/errors-401"));
  ck_assert_double_eq(csv_last(e, "quo-ACmissed0001/duration"), 0);
  assert_logged(
      e,
      "call ACwrapped0001 (ACwrapped0001): HTTP 401, API code none (error_401)",
      1);
}
END_TEST

START_TEST(invalid_body_counted_invalid) {
  /* Valid JSON, but the record lacks a required field. */
  env_fixture(e, "ACschema0001.json",
              "{\"data\":{\"id\":\"ACschema0001\",\"status\":\"ringing\"}}");
  env_fixture(e, "ACinvalid0001.json",
              "{\"data\":{\"id\":\"ACinvalid0001\",\"status\":");
  standin_start(e, NULL);
  run_calls(e, "invalid",
            "Call \"ACschema0001\"\nCall \"ACinvalid0001\"\n"
            "Call \"ACmissed0001\"",
            NULL, 4);
  /* Each invalid call is fetched, then backs off (again after 2
   * intervals), so 2 to 4 in 4 reads; health stays down meanwhile. */
  double invalid = csv_last(e, "quo-api/errors-invalid");
  ck_assert_double_ge(invalid, 2);
  ck_assert_double_le(invalid, 4);
  ck_assert_double_eq(csv_last(e, "quo-api/http_requests-200"),
                      invalid + 1 /* the finished call, once */);
  ck_assert_double_eq(csv_last(e, "quo-api/bool-healthy"), 0);
  assert_logged(e,
                "quo plugin: call ACschema0001 (ACschema0001): HTTP 200, "
                "invalid call object: missing field 'createdAt'",
                1);
  assert_logged(e,
                "quo plugin: call ACinvalid0001 (ACinvalid0001): HTTP 200, "
                "invalid call object: malformed JSON",
                1);
  /* One FAILURE for both, naming one of them and what was wrong. */
  char schema[512], malformed[512];
  health_notification(schema, sizeof(schema), "FAILURE",
                      "Quo API failing: call ACschema0001: HTTP 200, invalid "
                      "call object: missing field 'createdAt'");
  health_notification(malformed, sizeof(malformed), "FAILURE",
                      "Quo API failing: call ACinvalid0001: HTTP 200, invalid "
                      "call object: malformed JSON");
  const char *log = collectd_log(e);
  int named = count_in_file(log, schema) + count_in_file(log, malformed);
  ck_assert_msg(named == 1, "%d FAILURE notifications naming an invalid call",
                named);
  assert_logged(e, "Notification:", 1);
}
END_TEST

START_TEST(server_error_is_a_failure) {
  env_fixture(e, "ACerr0500.fault", "status 500\n");
  standin_start(e, NULL);
  run_calls(e, "e500", "Call \"ACerr0500\"\nCall \"ACmissed0001\"", NULL, 3);
  ck_assert_double_ge(csv_last(e, "quo-api/http_requests-500"), 1);
  ck_assert_double_eq(csv_last(e, "quo-api/errors-0101500"),
                      csv_last(e, "quo-api/http_requests-500"));
  ck_assert_double_eq(csv_last(e, "quo-api/bool-healthy"), 0);
  ck_assert_double_eq(csv_last(e, "quo-ACmissed0001/bool-status-missed"), 1);
  assert_only_health_notification(e, "FAILURE",
                                  "Quo API failing: call ACerr0500: HTTP 500, "
                                  "API code 0101500 (Unknown)");
}
END_TEST

START_TEST(slow_call_times_out_others_intact) {
  env_fixture(e, "ACslow0001.fault", "delay 3000\n");
  env_fixture(e, "ACslow0001.json", "{}");
  standin_start(e, NULL);
  run_calls(e, "slow", "Call \"ACslow0001\"\nCall \"ACmissed0001\"",
            "  Timeout 300", 3);
  ck_assert_double_ge(csv_last(e, "quo-api/http_requests-failed"), 2);
  ck_assert_double_ge(csv_last(e, "quo-ACmissed0001/bool-status-missed"), 1);
  assert_logged(e, "above its read interval", 0);
  /* curl reports the time it measured (299 or 301 ms as often as 300), so
   * the figure is read back: well under 900 ms (the default Timeout at
   * Interval 1) means our Timeout 300 cut the request, not the default, the
   * read's deadline or the stand-in's 3 s delay. */
  static const char said[] =
      "call ACslow0001 (ACslow0001): request failed: Operation timed out "
      "after ";
  assert_logged(e, said, 1);
  char *log = slurp(collectd_log(e));
  long ms = strtol(strstr(log, said) + strlen(said), NULL, 10);
  free(log);
  ck_assert_int_gt(ms, 0);
  ck_assert_int_lt(ms, 800);
}
END_TEST

START_TEST(status_metrics_all_dispatches_every_status) {
  standin_start(e, NULL);
  run_calls(e, "all", "Call \"ACmissed0001\"", "  StatusMetrics \"all\"\n", 2);
  assert_status_mode(e, "ACmissed0001", "missed", true);
}
END_TEST

START_TEST(readable_key_file_warned_by_name) {
  standin_start(e, NULL);
  ck_assert_int_eq(chmod(e->key_file, 0644), 0);
  run_calls(e, "perm", "Call \"ACmissed0001\"", NULL, 2);
  char want[600];
  snprintf(want, sizeof(want),
           "quo plugin: API key file \"%s\" can be read by its group or "
           "others",
           e->key_file);
  assert_logged(e, want, 1);
  /* It still works: a warning, not a refusal. */
  ck_assert_double_eq(csv_last(e, "quo-ACmissed0001/bool-status-missed"), 1);
}
END_TEST

/* ---- Refused configurations: named, and collectd keeps running. ---- */

static const struct {
  const char *body; /* %1$d port, %2$s key file */
  const char *logged;
} bad_configs[] = {
    {"BaseURL \"http://127.0.0.1:%1$d\"\nAPIKeyFile \"%2$s\"\nBogus 1\n"
     "Call \"ACmissed0001\"",
     "option \"Bogus\": unknown option"},
    {"APIKeyFile \"%2$s\"\nCall \"ACbad-id\"", "\"ACbad-id\" is not a call ID"},
    {"APIKeyFile \"%2$s\"\nCall \"AC123\"\nTimeout 5000",
     "option \"Timeout\": Timeout 5000 ms is not below the interval"},
    {"APIKeyFile \"%2$s\"\nTimeout \"soon\"\nCall \"AC123\"",
     "option \"Timeout\""},
    {"APIKeyFile \"%2$s\"\n<Call \"AC123\">\n Instance \"api\"\n</Call>",
     "Instance \"api\" of call AC123 is invalid"},
    {"APIKeyFile \"%2$s\"\n<Call \"AC1\">\n Instance \"x\"\n</Call>\n"
     "<Call \"AC2\">\n Instance \"x\"\n</Call>",
     "calls AC1 and AC2 share the Instance \"x\""},
    {"APIKeyFile \"%2$s.missing\"\nCall \"AC123\"",
     "option \"APIKeyFile\": cannot read API key file"},
    {"APIKeyFile \"%2$s\"\nAPIKey \"abc\"\nCall \"AC123\"",
     "options \"APIKey\" and \"APIKeyFile\" exclude each other"},
    {"APIKeyFile \"%2$s\"", "add at least one \"Call\""},
    {"Call \"AC123\"", "set \"APIKeyFile\""},
    {"BaseURL \"ftp://example.com\"\nAPIKeyFile \"%2$s\"\nCall \"AC123\"",
     "option \"BaseURL\": \"ftp://example.com\" is not an http"},
    {"APIKeyFile \"%2$s\"\nStatusMetrics \"some\"\nCall \"AC123\"",
     "option \"StatusMetrics\": \"some\" is not \"current\" or \"all\""},
    {"APIKeyFile \"%2$s\"\nVerifyPeer \"maybe\"\nCall \"AC123\"",
     "option \"VerifyPeer\""},
    {"APIKeyFile \"%2$s\"\n<Call \"AC123\">\n Color \"red\"\n</Call>",
     "option \"Color\" is not allowed in a <Call> block"},
    {"APIKeyFile \"%2$s\"\nCACert \"/nonexistent/ca.pem\"\nCall \"AC123\"",
     "option \"CACert\": cannot read \"/nonexistent/ca.pem\""},
    {"APIKeyFile \"%2$s\"\nFinalRefreshInterval -1\nCall \"AC123\"",
     "option \"FinalRefreshInterval\": -1 is not a number of seconds (0 = "
     "never)"},
    {"APIKeyFile \"%2$s\"\nFinalRefreshInterval \"hourly\"\nCall \"AC123\"",
     "option \"FinalRefreshInterval\": needs a number of seconds"},
    /* collectd's working directory is no place to look for it. */
    {"APIKeyFile \"%2$s\"\nCallsFile \"quo/calls\"",
     "option \"CallsFile\": \"quo/calls\" is not an absolute path"},
    {"APIKeyFile \"%2$s\"\nInterval 0\nCall \"AC123\"",
     "option \"Interval\": needs a positive number of seconds"},
};

START_TEST(bad_config_refused_by_name) {
  char *body = NULL;
  ck_assert_int_gt(asprintf(&body, bad_configs[_i].body, 1, e->key_file), 0);
  collectd_expect_refused(e, body, bad_configs[_i].logged);
  free(body);
}
END_TEST

IT_SUITE(collectd_suite, "collectd",
         IT_CASE_ONCE("main scenario", 60, main_setup, main_teardown),
         IT_TEST(three_cycles_ran), IT_LOOP(call_values_and_status, answering),
         IT_TEST(forbidden_call_counted_logged_once_others_intact),
         IT_TEST(finished_calls_dispatched_every_cycle_from_memory),
         IT_TEST(api_response_time_is_mean_seconds),
         IT_TEST(api_unhealthy_after_403), IT_TEST(calls_counted_per_status),
         IT_TEST(key_never_written), IT_TEST(private_key_file_not_warned),
         IT_CASE_ENV("failures", 60), IT_TEST(healthy_when_all_calls_answer),
         IT_TEST(not_found_is_a_call_problem_not_an_api_failure),
         IT_TEST(nothing_listening_counts_failed), IT_TEST(wrong_key_is_401),
         IT_TEST(wrapped_envelope_falls_back_to_http_status),
         IT_TEST(invalid_body_counted_invalid),
         IT_TEST(server_error_is_a_failure),
         IT_TEST(slow_call_times_out_others_intact),
         IT_TEST(readable_key_file_warned_by_name),
         IT_TEST(status_metrics_all_dispatches_every_status),
         IT_CASE_ENV("configuration", 60),
         IT_LOOP(bad_config_refused_by_name, bad_configs))
