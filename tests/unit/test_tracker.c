/* quo_tracker_*: which calls are due in which order, what each outcome
 * changed, and which calls are dispatched from memory. Outcomes are built
 * by hand. */
#include "unit.h"

#include "tracker.h"

#include <stdio.h>
#include <string.h>

/* A quo_now()-like clock; .25 keeps sums exact. */
#define T0 1785000000.25

/* Freed by the teardown even when an assertion fails (CK_FORK=no). */
static quo_tracker_t t;

static void setup(void) {
  memset(&t, 0, sizeof(t));
}

static void teardown(void) {
  quo_tracker_free(&t);
}

static void init(size_t n, double final_refresh) {
  ck_assert_int_eq(quo_tracker_init(&t, n, final_refresh), 0);
}

/* ---- outcomes ---- */

static quo_outcome_t ok(quo_status_t st, bool finished) {
  quo_outcome_t o;
  memset(&o, 0, sizeof(o));
  o.kind = QUO_OUT_OK;
  o.http_status = 200;
  o.seconds = 0.1;
  snprintf(o.call.id, sizeof(o.call.id), "%s", "ACtrack0001");
  o.call.status = st;
  o.call.direction = QUO_DIR_INCOMING;
  o.call.duration = 42;
  o.call.created_at = T0 - 600;
  if (finished) {
    o.call.has_completed_at = true;
    o.call.completed_at = T0 - 60;
  }
  return o;
}

static quo_outcome_t finished_ok(void) {
  return ok(QUO_STATUS_COMPLETED, true);
}

static quo_outcome_t ringing(void) {
  return ok(QUO_STATUS_RINGING, false);
}

static quo_outcome_t http(long status, const char *code) {
  quo_outcome_t o;
  memset(&o, 0, sizeof(o));
  o.kind = QUO_OUT_HTTP;
  o.http_status = status;
  o.error.http_status = status;
  snprintf(o.error.code, sizeof(o.error.code), "%s", code);
  o.error.has_code = true;
  snprintf(o.error.title, sizeof(o.error.title), "%s", "Some Title");
  return o;
}

static quo_outcome_t transport(const char *detail) {
  quo_outcome_t o;
  memset(&o, 0, sizeof(o));
  o.kind = QUO_OUT_TRANSPORT;
  snprintf(o.detail, sizeof(o.detail), "%s", detail);
  return o;
}

static quo_outcome_t invalid(const char *detail) {
  quo_outcome_t o;
  memset(&o, 0, sizeof(o));
  o.kind = QUO_OUT_INVALID;
  o.http_status = 200;
  snprintf(o.detail, sizeof(o.detail), "%s", detail);
  return o;
}

static quo_outcome_t skipped(void) {
  quo_outcome_t o;
  memset(&o, 0, sizeof(o));
  o.kind = QUO_OUT_SKIPPED;
  return o;
}

/* Records and returns the change; the change starts as garbage so that a
 * field left unset shows. */
static quo_change_t rec(size_t i, quo_outcome_t o, double now) {
  quo_change_t ch;
  memset(&ch, 0xA5, sizeof(ch));
  quo_tracker_record(&t, i, &o, now, &ch);
  return ch;
}

static void no_change(quo_change_t ch) {
  ck_assert(!ch.status_changed);
  ck_assert(!ch.failure_started);
  ck_assert(!ch.recovered);
}

/* Plans at `now` and checks the order against want[0..nwant). */
static void plan_is(double now, const size_t *want, size_t nwant) {
  size_t order[32];
  ck_assert_uint_le(t.n, 32);
  for (size_t i = 0; i < 32; i++)
    order[i] = 999;
  size_t k = quo_tracker_plan(&t, now, order);
  char got[256] = "", exp[256] = "";
  for (size_t i = 0; i < k; i++)
    snprintf(got + strlen(got), sizeof(got) - strlen(got), " %zu", order[i]);
  for (size_t i = 0; i < nwant; i++)
    snprintf(exp + strlen(exp), sizeof(exp) - strlen(exp), " %zu", want[i]);
  ck_assert_msg(k == nwant, "plan at %.3f: got [%s ], want [%s ]", now, got,
                exp);
  for (size_t i = 0; i < k; i++)
    ck_assert_msg(order[i] == want[i], "plan at %.3f: got [%s ], want [%s ]",
                  now, got, exp);
  for (size_t i = k; i < 32; i++)
    ck_assert_msg(order[i] == 999, "order[%zu] written past the count", i);
}

#define PLAN_IS(now, ...)                                                      \
  do {                                                                         \
    static const size_t want_[] = {__VA_ARGS__};                               \
    plan_is((now), want_, sizeof(want_) / sizeof(want_[0]));                   \
  } while (0)

static void plan_empty(double now) {
  plan_is(now, NULL, 0);
}

/* ---- plan ---- */

START_TEST(tracker_fresh_all_due_in_order) {
  init(5, 3600);
  PLAN_IS(T0, 0, 1, 2, 3, 4);
  PLAN_IS(T0 + 1, 0, 1, 2, 3, 4);
}
END_TEST

START_TEST(tracker_empty) {
  init(0, 3600);
  plan_empty(T0);
}
END_TEST

START_TEST(tracker_init_free) {
  init(3, 60);
  ck_assert_ptr_nonnull(t.calls);
  ck_assert_uint_eq(t.n, 3);
  ck_assert_double_eq(t.final_refresh, 60);
  for (size_t i = 0; i < 3; i++) {
    ck_assert(!t.calls[i].has_record);
    ck_assert_str_eq(t.calls[i].failure, "");
  }
  quo_tracker_free(&t);
  ck_assert_ptr_null(t.calls);
  ck_assert_uint_eq(t.n, 0);
}
END_TEST

START_TEST(tracker_finished_not_due_until_refresh) {
  init(3, 3600);
  PLAN_IS(T0, 0, 1, 2);
  no_change(rec(0, ringing(), T0));
  no_change(rec(1, finished_ok(), T0));
  no_change(rec(2, ringing(), T0));
  PLAN_IS(T0 + 60, 0, 2);
  PLAN_IS(T0 + 3599.999, 0, 2);
  PLAN_IS(T0 + 3600, 0, 1, 2); /* exactly fetched_at + final_refresh */
  PLAN_IS(T0 + 3601, 0, 1, 2);
}
END_TEST

START_TEST(tracker_refresh_restarts_from_fetch) {
  init(1, 100);
  PLAN_IS(T0, 0);
  rec(0, finished_ok(), T0 + 5);
  plan_empty(T0 + 104);
  PLAN_IS(T0 + 105, 0);
  rec(0, finished_ok(), T0 + 105.5);
  plan_empty(T0 + 205);
  PLAN_IS(T0 + 205.5, 0);
}
END_TEST

START_TEST(tracker_refresh_boundary_fractional) {
  /* FinalRefreshInterval takes fractions (60.1): the call is due at
   * fetched_at + final_refresh as the clock reports it. */
  /* Was a core bug: now - fetched_at rounded below 60.1. */
  double fetched = 1700000000.123456;
  double fr = 60.1;
  init(1, fr);
  PLAN_IS(fetched, 0);
  rec(0, finished_ok(), fetched);
  plan_empty(fetched + fr - 0.001);
  PLAN_IS(fetched + fr, 0);
}
END_TEST

START_TEST(tracker_refresh_zero_never) {
  init(2, 0);
  PLAN_IS(T0, 0, 1);
  rec(0, finished_ok(), T0);
  rec(1, ringing(), T0);
  PLAN_IS(T0 + 1, 1);
  PLAN_IS(T0 + 3600, 1);
  PLAN_IS(T0 + 10 * 365 * 86400.0, 1);
}
END_TEST

START_TEST(tracker_unfinished_always_due) {
  init(1, 3600);
  static const quo_status_t live[] = {
      QUO_STATUS_QUEUED,      QUO_STATUS_INITIATED, QUO_STATUS_RINGING,
      QUO_STATUS_IN_PROGRESS, QUO_STATUS_ANSWERED,  QUO_STATUS_FORWARDED};
  double now = T0;
  for (size_t i = 0; i < sizeof(live) / sizeof(live[0]); i++) {
    PLAN_IS(now, 0);
    rec(0, ok(live[i], false), now);
    now += 0.001;
  }
  PLAN_IS(now, 0);
}
END_TEST

START_TEST(tracker_completed_at_decides_finished) {
  /* A terminal status without completedAt is not yet finished. */
  init(1, 3600);
  PLAN_IS(T0, 0);
  rec(0, ok(QUO_STATUS_COMPLETED, false), T0);
  PLAN_IS(T0 + 1, 0);
  rec(0, ok(QUO_STATUS_COMPLETED, true), T0 + 1);
  plan_empty(T0 + 2);
}
END_TEST

START_TEST(tracker_failed_refresh_stays_due) {
  init(1, 60);
  PLAN_IS(T0, 0);
  rec(0, finished_ok(), T0);
  PLAN_IS(T0 + 60, 0);
  rec(0, http(500, "500"), T0 + 60);
  PLAN_IS(T0 + 61, 0);
  rec(0, transport("timeout"), T0 + 61);
  PLAN_IS(T0 + 62, 0);
}
END_TEST

/* ---- skipped calls go first ---- */

START_TEST(tracker_skipped_first_in_config_order) {
  init(5, 3600);
  PLAN_IS(T0, 0, 1, 2, 3, 4);
  /* Recorded out of order: the plan still keeps configuration order. */
  no_change(rec(0, ringing(), T0));
  no_change(rec(4, skipped(), T0));
  no_change(rec(2, ringing(), T0));
  no_change(rec(3, skipped(), T0));
  no_change(rec(1, skipped(), T0));
  PLAN_IS(T0 + 60, 1, 3, 4, 0, 2);
  for (size_t i = 0; i < 5; i++)
    rec(i, ringing(), T0 + 60);
  /* The flag cleared with that plan. */
  PLAN_IS(T0 + 120, 0, 1, 2, 3, 4);
}
END_TEST

START_TEST(tracker_skipped_flag_clears_after_one_plan) {
  init(3, 3600);
  PLAN_IS(T0, 0, 1, 2);
  rec(0, ringing(), T0);
  rec(1, ringing(), T0);
  rec(2, skipped(), T0);
  PLAN_IS(T0 + 60, 2, 0, 1);
  /* Nothing recorded in that run (the read stopped early): no one is
   * first any more. */
  PLAN_IS(T0 + 120, 0, 1, 2);
}
END_TEST

START_TEST(tracker_skipped_again_stays_first) {
  init(4, 3600);
  PLAN_IS(T0, 0, 1, 2, 3);
  rec(0, ringing(), T0);
  rec(1, ringing(), T0);
  rec(2, skipped(), T0);
  rec(3, skipped(), T0);
  PLAN_IS(T0 + 60, 2, 3, 0, 1);
  rec(2, ringing(), T0 + 60);
  rec(3, ringing(), T0 + 60);
  rec(0, skipped(), T0 + 60);
  rec(1, ringing(), T0 + 60);
  PLAN_IS(T0 + 120, 0, 1, 2, 3);
  rec(0, ringing(), T0 + 120);
  rec(1, skipped(), T0 + 120);
  rec(2, skipped(), T0 + 120);
  rec(3, ringing(), T0 + 120);
  PLAN_IS(T0 + 180, 1, 2, 0, 3);
}
END_TEST

START_TEST(tracker_skipped_finished_call_first_when_due) {
  init(3, 60);
  PLAN_IS(T0, 0, 1, 2);
  rec(0, ringing(), T0);
  rec(1, ringing(), T0);
  rec(2, finished_ok(), T0);
  PLAN_IS(T0 + 30, 0, 1);
  PLAN_IS(T0 + 60, 0, 1, 2);
  rec(0, ringing(), T0 + 60);
  rec(1, ringing(), T0 + 60);
  rec(2, skipped(), T0 + 60);
  PLAN_IS(T0 + 90, 2, 0, 1);
}
END_TEST

START_TEST(tracker_skipped_keeps_record) {
  init(1, 3600);
  PLAN_IS(T0, 0);
  rec(0, ok(QUO_STATUS_RINGING, false), T0);
  PLAN_IS(T0 + 60, 0);
  no_change(rec(0, skipped(), T0 + 60));
  ck_assert(t.calls[0].has_record);
  ck_assert_int_eq(t.calls[0].record.status, QUO_STATUS_RINGING);
  ck_assert_double_eq(t.calls[0].fetched_at, T0);
  /* The next status is compared with the last one seen. */
  PLAN_IS(T0 + 120, 0);
  quo_change_t ch = rec(0, ok(QUO_STATUS_MISSED, true), T0 + 120);
  ck_assert(ch.status_changed);
  ck_assert_int_eq(ch.from, QUO_STATUS_RINGING);
  ck_assert_int_eq(ch.to, QUO_STATUS_MISSED);
}
END_TEST

/* ---- status changes ---- */

START_TEST(tracker_first_record_no_status_change) {
  init(1, 3600);
  PLAN_IS(T0, 0);
  quo_change_t ch = rec(0, ok(QUO_STATUS_MISSED, true), T0);
  no_change(ch);
  ck_assert(t.calls[0].has_record);
  ck_assert_int_eq(t.calls[0].record.status, QUO_STATUS_MISSED);
  ck_assert_double_eq(t.calls[0].fetched_at, T0);
}
END_TEST

START_TEST(tracker_same_status_no_change) {
  init(1, 3600);
  PLAN_IS(T0, 0);
  rec(0, ringing(), T0);
  for (int i = 1; i <= 3; i++) {
    PLAN_IS(T0 + i, 0);
    no_change(rec(0, ringing(), T0 + i));
  }
}
END_TEST

START_TEST(tracker_ringing_to_missed) {
  init(2, 3600);
  PLAN_IS(T0, 0, 1);
  rec(0, ringing(), T0);
  rec(1, ringing(), T0);
  PLAN_IS(T0 + 60, 0, 1);
  quo_change_t ch = rec(0, ok(QUO_STATUS_MISSED, true), T0 + 60);
  ck_assert(ch.status_changed);
  ck_assert_int_eq(ch.from, QUO_STATUS_RINGING);
  ck_assert_int_eq(ch.to, QUO_STATUS_MISSED);
  ck_assert(!ch.failure_started);
  ck_assert(!ch.recovered);
  /* The other call is untouched. */
  no_change(rec(1, ringing(), T0 + 60));
  /* Reported once. */
  PLAN_IS(T0 + 4000, 0, 1);
  no_change(rec(0, ok(QUO_STATUS_MISSED, true), T0 + 4000));
}
END_TEST

START_TEST(tracker_status_chain) {
  init(1, 3600);
  static const quo_status_t chain[] = {QUO_STATUS_QUEUED, QUO_STATUS_RINGING,
                                       QUO_STATUS_IN_PROGRESS,
                                       QUO_STATUS_COMPLETED};
  double now = T0;
  PLAN_IS(now, 0);
  no_change(rec(0, ok(chain[0], false), now));
  for (size_t i = 1; i < sizeof(chain) / sizeof(chain[0]); i++) {
    now += 10;
    PLAN_IS(now, 0);
    quo_change_t ch = rec(0, ok(chain[i], false), now);
    ck_assert(ch.status_changed);
    ck_assert_int_eq(ch.from, chain[i - 1]);
    ck_assert_int_eq(ch.to, chain[i]);
  }
}
END_TEST

START_TEST(tracker_status_change_across_failure) {
  init(1, 3600);
  PLAN_IS(T0, 0);
  rec(0, ringing(), T0);
  PLAN_IS(T0 + 60, 0);
  quo_change_t ch = rec(0, http(503, "503"), T0 + 60);
  ck_assert(ch.failure_started);
  ck_assert(!ch.status_changed);
  PLAN_IS(T0 + 120, 0);
  ch = rec(0, ok(QUO_STATUS_NO_ANSWER, true), T0 + 120);
  ck_assert(ch.recovered);
  ck_assert(ch.status_changed);
  ck_assert_int_eq(ch.from, QUO_STATUS_RINGING);
  ck_assert_int_eq(ch.to, QUO_STATUS_NO_ANSWER);
  ck_assert(!ch.failure_started);
}
END_TEST

/* ---- failures ---- */

START_TEST(tracker_failure_signature) {
  init(1, 3600);
  quo_change_t ch;
  ch = rec(0, http(500, "500"), T0);
  ck_assert(ch.failure_started);
  ck_assert(!ch.recovered);
  ck_assert(!ch.status_changed);
  no_change(rec(0, http(500, "500"), T0 + 1));
  /* Another HTTP status. */
  ck_assert(rec(0, http(502, "502"), T0 + 2).failure_started);
  no_change(rec(0, http(502, "502"), T0 + 3));
  /* Same status, another API code. */
  ck_assert(rec(0, http(403, "0101403"), T0 + 4).failure_started);
  no_change(rec(0, http(403, "0101403"), T0 + 5));
  ck_assert(rec(0, http(403, "0100403"), T0 + 6).failure_started);
  no_change(rec(0, http(403, "0100403"), T0 + 7));
  /* Another code, same status. */
  ck_assert(rec(0, http(401, "0100401"), T0 + 8).failure_started);
  ck_assert(rec(0, http(401, "0200401"), T0 + 9).failure_started);
  /* Same API code, another HTTP status. */
  ck_assert(rec(0, http(503, "0100500"), T0 + 10).failure_started);
  no_change(rec(0, http(503, "0100500"), T0 + 11));
  ck_assert(rec(0, http(500, "0100500"), T0 + 12).failure_started);
}
END_TEST

START_TEST(tracker_failure_kinds) {
  init(1, 3600);
  ck_assert(rec(0, transport("Could not resolve host"), T0).failure_started);
  /* The same kind of failure with other words is the same failure. */
  no_change(rec(0, transport("Connection timed out"), T0 + 1));
  ck_assert(rec(0, invalid("invalid call object"), T0 + 2).failure_started);
  no_change(rec(0, invalid("response incomplete"), T0 + 3));
  ck_assert(rec(0, http(429, "429"), T0 + 4).failure_started);
  ck_assert(rec(0, transport("timeout"), T0 + 5).failure_started);
}
END_TEST

START_TEST(tracker_failure_same_across_skip) {
  init(1, 3600);
  ck_assert(rec(0, http(500, "500"), T0).failure_started);
  no_change(rec(0, skipped(), T0 + 1));
  no_change(rec(0, http(500, "500"), T0 + 2));
}
END_TEST

START_TEST(tracker_recovered) {
  init(1, 3600);
  /* OK without a previous failure: nothing recovered. */
  no_change(rec(0, ringing(), T0));
  no_change(rec(0, ringing(), T0 + 1));
  ck_assert(rec(0, http(404, "0100404"), T0 + 2).failure_started);
  quo_change_t ch = rec(0, ringing(), T0 + 3);
  ck_assert(ch.recovered);
  ck_assert(!ch.failure_started);
  ck_assert(!ch.status_changed);
  ck_assert_str_eq(t.calls[0].failure, "");
  /* Once. */
  no_change(rec(0, ringing(), T0 + 4));
  /* The same failure after a recovery is news again. */
  ck_assert(rec(0, http(404, "0100404"), T0 + 5).failure_started);
  ck_assert(rec(0, ringing(), T0 + 6).recovered);
}
END_TEST

START_TEST(tracker_recovered_first_record) {
  /* A call that failed before it ever answered recovers with its first
   * record: no status change then. */
  init(1, 3600);
  ck_assert(rec(0, transport("connect"), T0).failure_started);
  quo_change_t ch = rec(0, ok(QUO_STATUS_COMPLETED, true), T0 + 1);
  ck_assert(ch.recovered);
  ck_assert(!ch.status_changed);
}
END_TEST

START_TEST(tracker_failure_per_call) {
  init(2, 3600);
  ck_assert(rec(0, http(500, "500"), T0).failure_started);
  ck_assert(rec(1, http(500, "500"), T0).failure_started);
  ck_assert(rec(1, ringing(), T0 + 1).recovered);
  /* Call 1's recovery leaves call 0's failure standing. */
  no_change(rec(0, http(500, "500"), T0 + 1));
  ck_assert(rec(0, ringing(), T0 + 2).recovered);
}
END_TEST

START_TEST(tracker_failure_keeps_record) {
  init(1, 3600);
  rec(0, finished_ok(), T0);
  rec(0, http(500, "500"), T0 + 10);
  ck_assert(t.calls[0].has_record);
  ck_assert_int_eq(t.calls[0].record.status, QUO_STATUS_COMPLETED);
  ck_assert_double_eq(t.calls[0].fetched_at, T0);
}
END_TEST

/* ---- from memory ---- */

START_TEST(tracker_memory_not_due) {
  init(2, 3600);
  PLAN_IS(T0, 0, 1);
  rec(0, finished_ok(), T0);
  rec(1, ringing(), T0);
  /* Answered in this run: fresh, not from memory. */
  ck_assert(!quo_tracker_from_memory(&t, 0));
  ck_assert(!quo_tracker_from_memory(&t, 1));
  PLAN_IS(T0 + 60, 1);
  ck_assert(quo_tracker_from_memory(&t, 0));
  rec(1, ringing(), T0 + 60);
  ck_assert(!quo_tracker_from_memory(&t, 1));
  PLAN_IS(T0 + 120, 1);
  ck_assert(quo_tracker_from_memory(&t, 0));
}
END_TEST

START_TEST(tracker_memory_fresh_tracker) {
  init(2, 3600);
  ck_assert(!quo_tracker_from_memory(&t, 0));
  PLAN_IS(T0, 0, 1);
  ck_assert(!quo_tracker_from_memory(&t, 0));
  ck_assert(!quo_tracker_from_memory(&t, 1));
}
END_TEST

START_TEST(tracker_memory_skipped_finished) {
  init(2, 60);
  PLAN_IS(T0, 0, 1);
  rec(0, finished_ok(), T0);
  rec(1, finished_ok(), T0);
  PLAN_IS(T0 + 60, 0, 1);
  rec(0, skipped(), T0 + 60);
  rec(1, finished_ok(), T0 + 60);
  ck_assert(quo_tracker_from_memory(&t, 0));
  ck_assert(!quo_tracker_from_memory(&t, 1));
}
END_TEST

START_TEST(tracker_memory_unfinished_never) {
  init(2, 3600);
  PLAN_IS(T0, 0, 1);
  rec(0, ringing(), T0);
  rec(1, ok(QUO_STATUS_COMPLETED, false), T0);
  PLAN_IS(T0 + 60, 0, 1);
  ck_assert(!quo_tracker_from_memory(&t, 0));
  ck_assert(!quo_tracker_from_memory(&t, 1));
  rec(0, skipped(), T0 + 60);
  rec(1, skipped(), T0 + 60);
  ck_assert(!quo_tracker_from_memory(&t, 0));
  ck_assert(!quo_tracker_from_memory(&t, 1));
}
END_TEST

START_TEST(tracker_memory_failed_refresh) {
  init(1, 60);
  PLAN_IS(T0, 0);
  rec(0, finished_ok(), T0);
  PLAN_IS(T0 + 60, 0);
  rec(0, http(503, "503"), T0 + 60);
  ck_assert(!quo_tracker_from_memory(&t, 0));
  PLAN_IS(T0 + 120, 0);
  rec(0, transport("timeout"), T0 + 120);
  ck_assert(!quo_tracker_from_memory(&t, 0));
  PLAN_IS(T0 + 180, 0);
  rec(0, finished_ok(), T0 + 180);
  ck_assert(!quo_tracker_from_memory(&t, 0));
  plan_empty(T0 + 200);
  ck_assert(quo_tracker_from_memory(&t, 0));
}
END_TEST

START_TEST(tracker_memory_skipped_after_failed_run) {
  /* The refresh failed in the last run; this run the budget skipped it.
   * Its last attempt failed, so its old record is not dispatched again:
   * the gap shows, and the failure is what the counters report. */
  init(1, 60);
  PLAN_IS(T0, 0);
  rec(0, finished_ok(), T0);
  PLAN_IS(T0 + 60, 0);
  rec(0, http(500, "500"), T0 + 60);
  ck_assert(!quo_tracker_from_memory(&t, 0));
  PLAN_IS(T0 + 120, 0);
  rec(0, skipped(), T0 + 120);
  ck_assert_msg(!quo_tracker_from_memory(&t, 0),
                "finished call whose last fetch failed is dispatched from "
                "memory");
  /* A later successful refresh clears that. */
  PLAN_IS(T0 + 180, 0);
  rec(0, finished_ok(), T0 + 180);
  plan_empty(T0 + 181); /* not due again for 60 s */
  ck_assert(quo_tracker_from_memory(&t, 0));
}
END_TEST

Suite *tracker_suite(void) {
  Suite *s = suite_create("tracker");
  TCase *tc = tcase_create("plan");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, tracker_fresh_all_due_in_order);
  tcase_add_test(tc, tracker_empty);
  tcase_add_test(tc, tracker_init_free);
  tcase_add_test(tc, tracker_finished_not_due_until_refresh);
  tcase_add_test(tc, tracker_refresh_restarts_from_fetch);
  tcase_add_test(tc, tracker_refresh_boundary_fractional);
  tcase_add_test(tc, tracker_refresh_zero_never);
  tcase_add_test(tc, tracker_unfinished_always_due);
  tcase_add_test(tc, tracker_completed_at_decides_finished);
  tcase_add_test(tc, tracker_failed_refresh_stays_due);
  tcase_add_test(tc, tracker_skipped_first_in_config_order);
  tcase_add_test(tc, tracker_skipped_flag_clears_after_one_plan);
  tcase_add_test(tc, tracker_skipped_again_stays_first);
  tcase_add_test(tc, tracker_skipped_finished_call_first_when_due);
  tcase_add_test(tc, tracker_skipped_keeps_record);
  suite_add_tcase(s, tc);

  tc = tcase_create("changes");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, tracker_first_record_no_status_change);
  tcase_add_test(tc, tracker_same_status_no_change);
  tcase_add_test(tc, tracker_ringing_to_missed);
  tcase_add_test(tc, tracker_status_chain);
  tcase_add_test(tc, tracker_status_change_across_failure);
  tcase_add_test(tc, tracker_failure_signature);
  tcase_add_test(tc, tracker_failure_kinds);
  tcase_add_test(tc, tracker_failure_same_across_skip);
  tcase_add_test(tc, tracker_recovered);
  tcase_add_test(tc, tracker_recovered_first_record);
  tcase_add_test(tc, tracker_failure_per_call);
  tcase_add_test(tc, tracker_failure_keeps_record);
  suite_add_tcase(s, tc);

  tc = tcase_create("from_memory");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, tracker_memory_not_due);
  tcase_add_test(tc, tracker_memory_fresh_tracker);
  tcase_add_test(tc, tracker_memory_skipped_finished);
  tcase_add_test(tc, tracker_memory_unfinished_never);
  tcase_add_test(tc, tracker_memory_failed_refresh);
  tcase_add_test(tc, tracker_memory_skipped_after_failed_run);
  suite_add_tcase(s, tc);
  return s;
}
