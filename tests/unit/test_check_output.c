/* check_output.c: the status line, its text and perfdata, the -v lines,
 * each built from hand-made outcomes. */
#include "unit.h"

#include "check_output.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static check_result_t result(const char *id, quo_outcome_kind_t kind,
                             long status, int state) {
  check_result_t r;
  memset(&r, 0, sizeof(r));
  r.id = id;
  r.state = state;
  r.o.kind = kind;
  r.o.http_status = status;
  r.o.seconds = 0.125;
  if (kind == QUO_OUT_HTTP) {
    snprintf(r.o.error.code, sizeof(r.o.error.code), "0100404");
    r.o.error.has_code = true;
    snprintf(r.o.error.title, sizeof(r.o.error.title), "Not Found");
    snprintf(r.o.error.message, sizeof(r.o.error.message), "Call not found");
  }
  return r;
}

static check_result_t completed(const char *id) {
  check_result_t r = result(id, QUO_OUT_OK, 200, CHECK_OK);
  r.o.call.status = QUO_STATUS_COMPLETED;
  r.o.call.duration = 184;
  r.o.call.created_at = 1000;
  r.o.call.answered_at = 1007.5;
  r.o.call.has_answered_at = true;
  r.o.call.has_completed_at = true;
  return r;
}

static const struct {
  double v;
  const char *want;
} numbers[] = {
    {0.123, "0.123"},
    {184, "184"},
    {7.5, "7.5"},
    {0, "0"},
    {1e-7, "0"},
    {0.0000015, "0.000002"},
    {1e12, "1000000000000"},
    {-2.5, "-2.5"},
    {NAN, "0"},
    {INFINITY, "0"},
};

START_TEST(perf_number_plain_decimal) {
  char buf[64];
  ck_assert_str_eq(check_perf_number(buf, sizeof(buf), numbers[_i].v),
                   numbers[_i].want);
}
END_TEST

/* What each kind of result puts into the perfdata (one call, no ranges). */
static const struct {
  quo_outcome_kind_t kind;
  long status;
  const char *want;
} perf_rows[] = {
    {QUO_OUT_HTTP, 404, "time=0.125s;;;0 "},
    {QUO_OUT_INVALID, 200, "time=0.125s;;;0 "},
    /* No HTTP response: no time at all (not an outage drawn as 0.1 ms). */
    {QUO_OUT_TRANSPORT, 0, ""},
    {QUO_OUT_SKIPPED, 0, ""},
};

START_TEST(perfdata_time_only_with_a_response) {
  check_policy_t p = {0};
  check_result_t r =
      result("AC1", perf_rows[_i].kind, perf_rows[_i].status, CHECK_CRITICAL);
  char buf[256] = "";
  check_perfdata(&r, &p, false, buf, sizeof(buf));
  ck_assert_str_eq(buf, perf_rows[_i].want);
}
END_TEST

START_TEST(perfdata_valid_call_with_ranges_and_suffix) {
  quo_range_t w, c;
  char err[64];
  ck_assert_int_eq(quo_range_parse("1", &w, err, sizeof(err)), 0);
  ck_assert_int_eq(quo_range_parse("@0:10", &c, err, sizeof(err)), 0);
  check_policy_t p = {.time_w = &w, .dur_c = &c};
  check_result_t r = completed("AC1");
  char buf[512] = "";
  check_perfdata(&r, &p, false, buf, sizeof(buf));
  ck_assert_str_eq(buf, "time=0.125s;1;;0 duration=184s;;@0:10;0 "
                        "answer_latency=7.5s;;;0 ");
  buf[0] = '\0';
  check_perfdata(&r, &p, true, buf, sizeof(buf));
  ck_assert_str_eq(buf, "time_AC1=0.125s;1;;0 duration_AC1=184s;;@0:10;0 "
                        "answer_latency_AC1=7.5s;;;0 ");
  /* A token that does not fit whole is left out, never cut. */
  char small[30] = "";
  check_perfdata(&r, &p, false, small, sizeof(small));
  ck_assert_str_eq(small, "time=0.125s;1;;0 ");
}
END_TEST

/* The status text of one call per kind. */
static const struct {
  quo_outcome_kind_t kind;
  long status;
  bool paused;
  const char *location;
  const char *want;
} texts[] = {
    {QUO_OUT_HTTP, 404, false, "",
     "AC1: HTTP 404, API code 0100404 (Not Found)"},
    {QUO_OUT_HTTP, 301, false, "https://api.quo.com/v1/calls/AC1",
     "AC1: HTTP 301, redirect to https://api.quo.com/v1/calls/AC1 "
     "(redirects are not followed: check BaseURL)"},
    {QUO_OUT_SKIPPED, 0, true, "",
     "AC1: not started: a 429 paused the rate budget"},
    {QUO_OUT_SKIPPED, 0, false, "",
     "AC1: timed out: not started before the -t deadline"},
};

START_TEST(describe_each_kind) {
  check_result_t r =
      result("AC1", texts[_i].kind, texts[_i].status, CHECK_WARNING);
  r.o.paused = texts[_i].paused;
  snprintf(r.o.location, sizeof(r.o.location), "%s", texts[_i].location);
  char buf[400] = "";
  check_describe(&r, buf, sizeof(buf));
  ck_assert_str_eq(buf, texts[_i].want);
}
END_TEST

START_TEST(describe_valid_call) {
  check_result_t r = completed("AC1");
  snprintf(r.why, sizeof(r.why), ", duration 184s breaches warning range 1");
  char buf[400] = "";
  check_describe(&r, buf, sizeof(buf));
  ck_assert_str_eq(buf, "AC1: completed, duration 184s, answered after 7.5s, "
                        "API 0.125s, duration 184s breaches warning range 1");
}
END_TEST

START_TEST(append_marks_a_cut) {
  char buf[16] = "abc";
  check_append(buf, sizeof(buf), "%s", "0123456789abcdefghij");
  ck_assert_uint_eq(strlen(buf), 15);
  ck_assert_str_eq(buf + 12, "...");
  check_append(buf, sizeof(buf), "more");
  ck_assert_uint_eq(strlen(buf), 15);
}
END_TEST

START_TEST(verbose_lines) {
  char buf[600];
  check_result_t r = completed("AC1");
  check_verbose_line(&r, buf, sizeof(buf));
  ck_assert_str_eq(buf, "AC1: OK; valid call record, finished");
  /* Drift is named by field and shape, and an unknown status by its word. */
  r.o.call.drift[0] = (quo_drift_t){"participants", "number"};
  r.o.call.drift[1] = (quo_drift_t){"userId", "string not matching US..."};
  r.o.call.n_drift = 2;
  r.o.call.drift_dropped = 3;
  check_verbose_line(&r, buf, sizeof(buf));
  ck_assert_str_eq(buf, "AC1: OK; valid call record, finished; schema drift: "
                        "field \"participants\" is number; schema drift: "
                        "field \"userId\" is string not matching US...; 3 "
                        "more fields drifted");
  r.o.call.n_drift = 0;
  r.o.call.drift_dropped = 0;
  r.o.call.status = QUO_STATUS_OTHER;
  snprintf(r.o.call.raw_status, sizeof(r.o.call.raw_status), "on-hold");
  buf[0] = '\0';
  check_describe(&r, buf, sizeof(buf));
  ck_assert_ptr_nonnull(strstr(buf, "AC1: other (on-hold), duration"));
  r = result("AC2", QUO_OUT_HTTP, 404, CHECK_WARNING);
  check_verbose_line(&r, buf, sizeof(buf));
  ck_assert_str_eq(buf, "AC2: WARNING; HTTP 404, API code 0100404 (Not "
                        "Found): Call not found");
}
END_TEST

START_TEST(status_line_worst_first_perf_after_bar) {
  check_policy_t p = {0};
  check_result_t r[3] = {completed("ACa"),
                         result("ACb", QUO_OUT_HTTP, 404, CHECK_WARNING),
                         result("ACc", QUO_OUT_TRANSPORT, 0, CHECK_CRITICAL)};
  snprintf(r[2].o.detail, sizeof(r[2].o.detail), "Connection refused");
  ck_assert_int_eq(check_overall_state(r, 3), CHECK_CRITICAL);
  char *line = check_status_line(r, 3, &p);
  ck_assert_ptr_nonnull(line);
  ck_assert_str_eq(
      line, "QUO CRITICAL - ACc: request failed: Connection refused; ACb: "
            "HTTP 404, API code 0100404 (Not Found); ACa: completed, "
            "duration 184s, answered after 7.5s, API 0.125s | "
            "time_ACa=0.125s;;;0 duration_ACa=184s;;;0 "
            "answer_latency_ACa=7.5s;;;0 time_ACb=0.125s;;;0");
  free(line);
}
END_TEST

START_TEST(status_line_without_perfdata_has_no_bar) {
  check_policy_t p = {0};
  check_result_t r = result("AC1", QUO_OUT_TRANSPORT, 0, CHECK_CRITICAL);
  snprintf(r.o.detail, sizeof(r.o.detail), "Connection refused");
  char *line = check_status_line(&r, 1, &p);
  ck_assert_str_eq(line, "QUO CRITICAL - AC1: request failed: Connection "
                         "refused");
  free(line);
}
END_TEST

START_TEST(status_text_bounded) {
  check_policy_t p = {0};
  static check_result_t r[40];
  static char ids[40][32];
  for (int i = 0; i < 40; i++) {
    snprintf(ids[i], sizeof(ids[i]), "ACnotfoundwithalongname%04d", i);
    r[i] = result(ids[i], QUO_OUT_HTTP, 404, CHECK_WARNING);
  }
  char *line = check_status_line(r, 40, &p);
  char *bar = strchr(line, '|');
  ck_assert_ptr_nonnull(bar);
  ck_assert_int_le(bar - line,
                   (int)strlen("QUO WARNING - ") + CHECK_TEXT_MAX + 1);
  ck_assert_int_eq(strncmp(bar - 4, "... ", 4), 0);
  /* Every call's time still in the perfdata. */
  ck_assert_ptr_nonnull(strstr(bar, "time_ACnotfoundwithalongname0039="));
  free(line);
}
END_TEST

Suite *check_output_suite(void) {
  const unit_test_t tests[] = {
      UNIT_CASE("output"),
      UNIT_LOOP(perf_number_plain_decimal, numbers),
      UNIT_LOOP(perfdata_time_only_with_a_response, perf_rows),
      UNIT_TEST(perfdata_valid_call_with_ranges_and_suffix),
      UNIT_LOOP(describe_each_kind, texts),
      UNIT_TEST(describe_valid_call),
      UNIT_TEST(append_marks_a_cut),
      UNIT_TEST(verbose_lines),
      UNIT_TEST(status_line_worst_first_perf_after_bar),
      UNIT_TEST(status_line_without_perfdata_has_no_bar),
      UNIT_TEST(status_text_bounded),
      UNIT_END};
  return unit_suite("check_output", NULL, NULL, tests);
}
