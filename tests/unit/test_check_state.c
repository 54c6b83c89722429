/* check_state.c: the core's severity mapped to check states, the overrides
 * SPEC allows (--not-found-state, --status-*), thresholds, state order. */
#include "unit.h"

#include "check_state.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static char why[200];

static quo_outcome_t http(long status) {
  quo_outcome_t o;
  memset(&o, 0, sizeof(o));
  o.kind = QUO_OUT_HTTP;
  o.http_status = status;
  return o;
}

static quo_outcome_t valid(quo_status_t st, int64_t duration, double latency) {
  quo_outcome_t o;
  memset(&o, 0, sizeof(o));
  o.kind = QUO_OUT_OK;
  o.http_status = 200;
  o.seconds = 0.25;
  o.call.status = st;
  o.call.duration = duration;
  o.call.created_at = 1000;
  if (latency >= 0) {
    o.call.has_answered_at = true;
    o.call.answered_at = 1000 + latency;
  }
  return o;
}

/* Every kind of outcome without thresholds: the core's one-shot severity
 * as a state. */
#define HTTP_IS(status, state)                                                 \
  { QUO_OUT_HTTP, status, false, CHECK_##state }
static const struct {
  quo_outcome_kind_t kind;
  long status;
  bool paused;
  int want;
} by_kind[] = {
    HTTP_IS(400, WARNING),
    HTTP_IS(401, CRITICAL),
    HTTP_IS(403, CRITICAL),
    HTTP_IS(404, WARNING),
    HTTP_IS(429, WARNING),
    HTTP_IS(500, CRITICAL),
    HTTP_IS(301, CRITICAL),
    HTTP_IS(418, CRITICAL),
    {QUO_OUT_TRANSPORT, 0, false, CHECK_CRITICAL},
    {QUO_OUT_INVALID, 200, false, CHECK_CRITICAL},
    /* Held back by a 429 pause: the 429's state, never CRITICAL. */
    {QUO_OUT_SKIPPED, 0, true, CHECK_WARNING},
    /* The -t deadline came first: a timeout. */
    {QUO_OUT_SKIPPED, 0, false, CHECK_CRITICAL},
};

START_TEST(state_of_each_kind) {
  check_policy_t p = {.not_found_state = CHECK_WARNING};
  quo_outcome_t o = http(by_kind[_i].status);
  o.kind = by_kind[_i].kind;
  o.paused = by_kind[_i].paused;
  ck_assert_int_eq(check_outcome_state(&p, &o, why, sizeof(why)),
                   by_kind[_i].want);
  ck_assert_str_eq(why, "");
}
END_TEST

START_TEST(not_found_state_overrides_404_only) {
  for (int st = 0; st < CHECK_STATES; st++) {
    check_policy_t p = {.not_found_state = st};
    quo_outcome_t o = http(404);
    ck_assert_int_eq(check_outcome_state(&p, &o, why, sizeof(why)), st);
    o = http(400);
    ck_assert_int_eq(check_outcome_state(&p, &o, why, sizeof(why)),
                     CHECK_WARNING);
  }
}
END_TEST

/* Threshold rows: which range, the range, the state and what why says. */
static const struct {
  int which; /* 0 time, 1 duration, 2 answer; +3 critical */
  const char *range;
  int want;
  const char *why;
} thresholds[] = {
    {0, "1", CHECK_OK, ""},
    {0, "@0:1", CHECK_WARNING,
     ", response time 0.25s breaches warning range "
     "@0:1"},
    {3, "0.2", CHECK_CRITICAL,
     ", response time 0.25s breaches critical "
     "range 0.2"},
    {1, "185:", CHECK_WARNING, ", duration 184s breaches warning range 185:"},
    {4, "100", CHECK_CRITICAL, ", duration 184s breaches critical range 100"},
    {2, "7.5", CHECK_OK, ""},
    {2, "7.4", CHECK_WARNING,
     ", answer latency 7.5s breaches warning range "
     "7.4"},
    {5, "~:7.5", CHECK_OK, ""},
    {5, "8:", CHECK_CRITICAL,
     ", answer latency 7.5s breaches critical range "
     "8:"},
};

START_TEST(thresholds_raise_and_explain) {
  quo_range_t r;
  char err[128];
  ck_assert_int_eq(quo_range_parse(thresholds[_i].range, &r, err, sizeof(err)),
                   0);
  check_policy_t p = {.not_found_state = CHECK_WARNING};
  quo_range_t **slot[] = {&p.time_w, &p.dur_w, &p.answer_w,
                          &p.time_c, &p.dur_c, &p.answer_c};
  *slot[thresholds[_i].which] = &r;
  quo_outcome_t o = valid(QUO_STATUS_COMPLETED, 184, 7.5);
  ck_assert_int_eq(check_outcome_state(&p, &o, why, sizeof(why)),
                   thresholds[_i].want);
  ck_assert_str_eq(why, thresholds[_i].why);
}
END_TEST

START_TEST(answer_range_ignored_while_unanswered) {
  quo_range_t r;
  char err[128];
  ck_assert_int_eq(quo_range_parse("@0:1000", &r, err, sizeof(err)), 0);
  check_policy_t p = {.answer_c = &r};
  quo_outcome_t o = valid(QUO_STATUS_RINGING, 0, -1);
  ck_assert_int_eq(check_outcome_state(&p, &o, why, sizeof(why)), CHECK_OK);
}
END_TEST

/* --status-* lists: the list given, the call's status, the state. */
static const struct {
  const char *warn, *crit;
  quo_status_t status;
  int want;
  const char *why;
} status_rows[] = {
    {"missed,no-answer", NULL, QUO_STATUS_MISSED, CHECK_WARNING,
     ", status missed is in --status-warning"},
    {"missed,no-answer", NULL, QUO_STATUS_NO_ANSWER, CHECK_WARNING,
     ", status no-answer is in --status-warning"},
    {"missed,no-answer", NULL, QUO_STATUS_COMPLETED, CHECK_OK, ""},
    {"missed", "missed", QUO_STATUS_MISSED, CHECK_CRITICAL,
     ", status missed is in --status-critical"},
    {NULL, " failed , busy ", QUO_STATUS_BUSY, CHECK_CRITICAL,
     ", status busy is in --status-critical"},
    {NULL, NULL, QUO_STATUS_MISSED, CHECK_OK, ""},
};

START_TEST(status_lists_raise_the_state) {
  check_policy_t p = {.not_found_state = CHECK_WARNING};
  char err[200];
  if (status_rows[_i].warn != NULL)
    ck_assert_int_eq(check_status_set_parse(status_rows[_i].warn,
                                            &p.status_warning, err,
                                            sizeof(err)),
                     0);
  if (status_rows[_i].crit != NULL)
    ck_assert_int_eq(check_status_set_parse(status_rows[_i].crit,
                                            &p.status_critical, err,
                                            sizeof(err)),
                     0);
  quo_outcome_t o = valid(status_rows[_i].status, 0, -1);
  ck_assert_int_eq(check_outcome_state(&p, &o, why, sizeof(why)),
                   status_rows[_i].want);
  ck_assert_str_eq(why, status_rows[_i].why);
}
END_TEST

START_TEST(status_set_knows_every_status_and_other) {
  char err[200];
  check_status_set_t set = 0;
  for (int i = 0; i < QUO_STATUS_COUNT; i++) {
    ck_assert_int_eq(check_status_set_parse(quo_status_name((quo_status_t)i),
                                            &set, err, sizeof(err)),
                     0);
    ck_assert_uint_eq(set, 1u << i);
    ck_assert(check_status_set_has(set, (quo_status_t)i));
  }
  ck_assert_int_eq(check_status_set_parse("other", &set, err, sizeof(err)), 0);
  ck_assert_uint_eq(set, 1u << CHECK_STATUS_OTHER_BIT);
  ck_assert_int_eq(
      check_status_set_parse("missed,other,queued", &set, err, sizeof(err)), 0);
  ck_assert_uint_eq(set, (1u << QUO_STATUS_MISSED) |
                             (1u << CHECK_STATUS_OTHER_BIT) |
                             (1u << QUO_STATUS_QUEUED));
}
END_TEST

/* Unknown names are usage errors naming the culprit, set left alone. */
static const struct {
  const char *list, *named;
} bad_lists[] = {
    {"mised", "\"mised\""},   {"missed,bogus", "\"bogus\""},
    {"missed,", "\"\""},      {"", "\"\""},
    {"MISSED", "\"MISSED\""}, {"no_answer", "\"no_answer\""},
    {"a|b", "\"a?b\""},
};

START_TEST(status_set_refuses_unknown_names) {
  char err[200] = "";
  check_status_set_t set = 42;
  ck_assert_int_eq(
      check_status_set_parse(bad_lists[_i].list, &set, err, sizeof(err)), -1);
  ck_assert_msg(strstr(err, bad_lists[_i].named) != NULL, "%s lacks %s", err,
                bad_lists[_i].named);
  ck_assert(strstr(err, "not a call status") != NULL);
  ck_assert_uint_eq(set, 42);
}
END_TEST

START_TEST(state_names_order_and_parse) {
  static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
  static const char *const lower[] = {"ok", "warning", "critical", "unknown"};
  for (int i = 0; i < CHECK_STATES; i++) {
    ck_assert_str_eq(check_state_name(i), names[i]);
    ck_assert_int_eq(check_state_parse(lower[i]), i);
    ck_assert_int_eq(check_state_parse(names[i]), i);
  }
  ck_assert_ptr_null(check_state_name(4));
  ck_assert_ptr_null(check_state_name(-1));
  ck_assert_int_eq(check_state_parse("maybe"), -1);
  /* CRITICAL > WARNING > UNKNOWN > OK, whichever comes first. */
  static const int order[] = {CHECK_OK, CHECK_UNKNOWN, CHECK_WARNING,
                              CHECK_CRITICAL};
  for (int i = 0; i < 4; i++) {
    ck_assert_int_eq(check_state_rank(order[i]), i);
    for (int j = 0; j < 4; j++) {
      int want = order[i > j ? i : j];
      ck_assert_int_eq(check_state_worse(order[i], order[j]), want);
    }
  }
}
END_TEST

START_TEST(answer_latency_keeps_fractions) {
  quo_outcome_t o = valid(QUO_STATUS_COMPLETED, 1, 7.25);
  ck_assert_double_eq_tol(quo_call_answer_latency(&o.call), 7.25, 1e-9);
}
END_TEST

Suite *check_state_suite(void) {
  const unit_test_t tests[] = {
      UNIT_CASE("state"),
      UNIT_LOOP(state_of_each_kind, by_kind),
      UNIT_TEST(not_found_state_overrides_404_only),
      UNIT_LOOP(thresholds_raise_and_explain, thresholds),
      UNIT_TEST(answer_range_ignored_while_unanswered),
      UNIT_LOOP(status_lists_raise_the_state, status_rows),
      UNIT_TEST(status_set_knows_every_status_and_other),
      UNIT_LOOP(status_set_refuses_unknown_names, bad_lists),
      UNIT_TEST(state_names_order_and_parse),
      UNIT_TEST(answer_latency_keeps_fractions),
      UNIT_END};
  return unit_suite("check_state", NULL, NULL, tests);
}
