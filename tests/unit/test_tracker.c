/* quo_tracker_*: the watched list keyed by call ID, least-recently-due
 * scheduling, per-call back-off, change reporting and the summary. Time is
 * simulated: every `now` is chosen by the test, never read from a clock.
 * Outcomes come from quo_outcome_classify over hand-made responses, as the
 * poller builds them. */
#include "unit.h"

#include "tracker.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A quo_now()-like clock; .25 and whole seconds keep sums exact. */
#define T0 1000000.25
#define IV 10.0
#define EPS 1e-6

UNIT_STATE(quo_tracker_t, t, quo_tracker_free)

static void init(double interval, double final_refresh) {
  ck_assert_int_eq(quo_tracker_init(&t, interval, final_refresh), 0);
}

/* The change says the status moved from `from` to `to`. */
static void status_changed(const quo_change_t *ch, quo_status_t from,
                           quo_status_t to) {
  ck_assert(ch->status_changed);
  ck_assert_int_eq(ch->from, from);
  ck_assert_int_eq(ch->to, to);
}

/* ---- the watched list ---- */

/* Applies the list ids[0..n) (instance = ID unless insts says otherwise);
 * returns how many calls end removed. */
static size_t apply(const char *const *ids, const char *const *insts,
                    size_t n) {
  quo_tracker_begin(&t);
  for (size_t i = 0; i < n; i++)
    ck_assert_int_ge(
        quo_tracker_list(&t, ids[i], insts != NULL ? insts[i] : ids[i]), 0);
  return quo_tracker_end(&t, false);
}

#define LIST(...)                                                              \
  do {                                                                         \
    static const char *const ids_[] = {__VA_ARGS__};                           \
    apply(ids_, NULL, sizeof(ids_) / sizeof(ids_[0]));                         \
  } while (0)

static quo_tracked_t *find(const char *id) {
  quo_tracked_t *c = quo_tracker_find(&t, id);
  ck_assert_msg(c != NULL, "call %s not tracked", id);
  return c;
}

/* ---- outcomes, through the classifier ---- */

static quo_outcome_t classify(long status, const char *body, const char *id,
                              double seconds) {
  quo_response_t r = {0};
  r.curl_error = status == 0 ? "Connection refused" : "No error";
  r.curl_code = status == 0 ? 7 : 0;
  r.http_status = status;
  r.seconds = seconds;
  r.body = body;
  r.body_len = strlen(body);
  quo_outcome_t o;
  quo_outcome_classify(&r, id, &o);
  return o;
}

/* A valid 200 for call id with status st ("ringing"); finished sets
 * completedAt. */
static quo_outcome_t answer_s(const char *id, const char *st, bool finished,
                              double seconds) {
  char body[512];
  snprintf(body, sizeof(body),
           "{\"data\":{\"id\":\"%s\",\"status\":\"%s\",\"direction\":"
           "\"incoming\",\"createdAt\":\"2026-11-27T09:15:00Z\","
           "\"answeredAt\":%s,\"completedAt\":%s,\"duration\":%d}}",
           id, st, finished ? "\"2026-11-27T09:15:04.5Z\"" : "null",
           finished ? "\"2026-11-27T09:16:00Z\"" : "null", finished ? 56 : 0);
  quo_outcome_t o = classify(200, body, id, seconds);
  ck_assert_msg(o.kind == QUO_OUT_OK, "fixture for %s not OK: %s", id,
                o.detail);
  return o;
}

static quo_outcome_t answer(const char *id, const char *st, bool finished) {
  return answer_s(id, st, finished, 0.25);
}

/* A documented error envelope with status and code. */
static quo_outcome_t http_err(long status, const char *code) {
  char body[256];
  snprintf(body, sizeof(body),
           "{\"message\":\"m\",\"code\":\"%s\",\"status\":%ld,\"docs\":"
           "\"https://quo.com/docs\",\"title\":\"T\"}",
           code, status);
  quo_outcome_t o = classify(status, body, NULL, 0.25);
  ck_assert_int_eq(o.kind, QUO_OUT_HTTP);
  return o;
}

static quo_outcome_t transport(void) {
  quo_outcome_t o = classify(0, "", NULL, 0.25);
  ck_assert_int_eq(o.kind, QUO_OUT_TRANSPORT);
  return o;
}

static quo_outcome_t invalid(void) {
  quo_outcome_t o = classify(200, "{\"data\":", NULL, 0.25);
  ck_assert_int_eq(o.kind, QUO_OUT_INVALID);
  return o;
}

static void rec(quo_tracked_t *c, quo_outcome_t o, double started, double now) {
  ck_assert_int_eq(quo_tracker_record(&t, c, &o, started, now), 0);
}

/* Takes the call due at now, which must be want. */
static quo_tracked_t *take(double now, const char *want) {
  quo_tracked_t *c = quo_tracker_peek(&t, now);
  ck_assert_msg(c != NULL, "nothing due at %.3f, want %s", now - T0, want);
  ck_assert_msg(strcmp(c->id, want) == 0, "due at %.3f: %s, want %s", now - T0,
                c->id, want);
  quo_tracker_started(&t, c);
  return c;
}

/* Takes the calls due at now, which must come in the order of the
 * NULL-ended list of IDs; TAKE_IN_ORDER adds the NULL. */
static void take_in_order(double now, ...) {
  va_list ap;
  va_start(ap, now);
  for (const char *id = va_arg(ap, const char *); id != NULL;
       id = va_arg(ap, const char *))
    take(now, id);
  va_end(ap);
}

#define TAKE_IN_ORDER(now, ...) take_in_order(now, __VA_ARGS__, (char *)NULL)

/* Starts and records id at `at` (answered 1 s later). */
static quo_tracked_t *fetch(const char *id, double at, quo_outcome_t o) {
  quo_tracked_t *c = take(at, id);
  rec(c, o, at, at + 1);
  return c;
}

/* c (the only waiting call, or the first) is due exactly at `due`. */
static void due_at(const quo_tracked_t *c, double due) {
  ck_assert_msg(quo_tracker_peek(&t, due - 0.001) != c, "%s due before %.3f",
                c->id, due - T0);
  ck_assert_msg(quo_tracker_peek(&t, due) == c, "%s not due at %.3f", c->id,
                due - T0);
}

/* ---- list ---- */

START_TEST(tracker_new_calls_due_at_once_in_list_order) {
  init(IV, 3600);
  ck_assert_double_eq(quo_tracker_next_due(&t), INFINITY);
  ck_assert_ptr_null(quo_tracker_peek(&t, T0));
  LIST("ACa", "ACb", "ACc");
  ck_assert_uint_eq(quo_tracker_count(&t), 3);
  ck_assert_double_le(quo_tracker_next_due(&t), T0);
  TAKE_IN_ORDER(T0, "ACa", "ACb", "ACc");
  ck_assert_ptr_null(quo_tracker_peek(&t, T0 + 1e9));
}
END_TEST

START_TEST(tracker_new_call_before_calls_seen) {
  init(IV, 3600);
  LIST("ACa", "ACb");
  fetch("ACa", T0, answer("ACa", "ringing", false));
  fetch("ACb", T0, answer("ACb", "ringing", false));
  /* Both are due again at T0 + 10; a call added later goes first. */
  LIST("ACa", "ACb", "ACnew");
  TAKE_IN_ORDER(T0 + 20, "ACnew", "ACa", "ACb");
}
END_TEST

START_TEST(tracker_list_return_values) {
  init(IV, 3600);
  quo_tracker_begin(&t);
  ck_assert_int_eq(quo_tracker_list(&t, "ACa", "a"), 1);
  ck_assert_int_eq(quo_tracker_list(&t, "ACb", "ACb"), 1);
  /* Listed twice: the first one stands. */
  ck_assert_int_eq(quo_tracker_list(&t, "ACa", "other"), 0);
  ck_assert_uint_eq(quo_tracker_end(&t, false), 0);
  ck_assert_str_eq(find("ACa")->instance, "a");
  ck_assert_uint_eq(quo_tracker_count(&t), 2);

  quo_tracker_begin(&t);
  ck_assert_int_eq(quo_tracker_list(&t, "ACa", "a"), 0);
  ck_assert_uint_eq(quo_tracker_end(&t, false), 1);
  ck_assert_ptr_null(quo_tracker_find(&t, "ACb"));
  ck_assert_uint_eq(quo_tracker_count(&t), 1);
}
END_TEST

START_TEST(tracker_end_keep_removes_nothing) {
  /* After an out-of-memory listing the old list stays whole. */
  init(IV, 3600);
  LIST("ACa", "ACb");
  quo_tracker_begin(&t);
  ck_assert_int_eq(quo_tracker_list(&t, "ACa", "ACa"), 0);
  ck_assert_uint_eq(quo_tracker_end(&t, true), 0);
  ck_assert_uint_eq(quo_tracker_count(&t), 2);
  ck_assert_ptr_nonnull(quo_tracker_find(&t, "ACb"));
}
END_TEST

START_TEST(tracker_kept_call_keeps_state) {
  init(IV, 3600);
  LIST("ACa");
  quo_tracked_t *a = fetch("ACa", T0, answer("ACa", "ringing", false));
  quo_change_t ch;
  quo_tracker_changes(&t, a, &ch);
  ck_assert(a->reported);

  LIST("ACb", "ACa");
  ck_assert_ptr_eq(find("ACa"), a);
  ck_assert(a->has_vals);
  ck_assert_int_eq(a->vals.status, QUO_STATUS_RINGING);
  ck_assert(a->reported);
  ck_assert_int_eq(a->reported_status, QUO_STATUS_RINGING);
  /* Schedule kept: the new call first, then a at T0 + 10, not before. */
  take(T0 + 1, "ACb");
  ck_assert_ptr_null(quo_tracker_peek(&t, T0 + 9.999));
  take(T0 + 10, "ACa");
  rec(a, answer("ACa", "missed", true), T0 + 10, T0 + 11);
  /* The reported status survived: ringing -> missed is a change. */
  quo_tracker_changes(&t, a, &ch);
  status_changed(&ch, QUO_STATUS_RINGING, QUO_STATUS_MISSED);
}
END_TEST

START_TEST(tracker_instance_change_is_new_call) {
  init(IV, 3600);
  static const char *const ids[] = {"ACa"};
  static const char *const one[] = {"first"}, *const two[] = {"second"};
  apply(ids, one, 1);
  quo_tracked_t *a = quo_tracker_peek(&t, T0);
  ck_assert_ptr_nonnull(a);
  uint64_t h = quo_tracker_started(&t, a);
  rec(a, answer("ACa", "ringing", false), T0, T0 + 1);
  quo_change_t ch;
  quo_tracker_changes(&t, a, &ch);

  quo_tracker_begin(&t);
  ck_assert_int_eq(quo_tracker_list(&t, "ACa", two[0]), 1);
  quo_tracker_end(&t, false);
  ck_assert_uint_eq(quo_tracker_count(&t), 1);
  quo_tracked_t *b = find("ACa");
  ck_assert_str_eq(b->instance, "second");
  ck_assert(!b->has_vals);
  ck_assert(!b->reported);
  ck_assert_ptr_null(quo_tracker_by_handle(&t, h));
  /* Due at once, not at T0 + 10. */
  take(T0 + 1, "ACa");
}
END_TEST

START_TEST(tracker_removed_in_flight_handle_gone) {
  init(IV, 3600);
  LIST("ACa", "ACb");
  quo_tracked_t *a = quo_tracker_peek(&t, T0);
  ck_assert_str_eq(a->id, "ACa");
  uint64_t ha = quo_tracker_started(&t, a);
  ck_assert_ptr_eq(quo_tracker_by_handle(&t, ha), a);
  quo_tracked_t *b = quo_tracker_peek(&t, T0);
  uint64_t hb = quo_tracker_started(&t, b);
  ck_assert(ha != hb);

  LIST("ACb");
  ck_assert_ptr_null(quo_tracker_by_handle(&t, ha));
  ck_assert_ptr_null(quo_tracker_find(&t, "ACa"));
  ck_assert_ptr_eq(quo_tracker_by_handle(&t, hb), b);
  /* The same ID listed again is a new call in the freed slot: the old
   * request's handle still names nothing. */
  LIST("ACb", "ACa");
  ck_assert_ptr_nonnull(quo_tracker_find(&t, "ACa"));
  ck_assert_ptr_null(quo_tracker_by_handle(&t, ha));
  /* Its answer counts plugin-wide only. */
  quo_outcome_t o = answer("ACa", "ringing", false);
  quo_tracker_record_orphan(&t, &o);
  ck_assert_uint_eq(unit_count(&t.http_requests, "200"), 1);
  ck_assert(!find("ACa")->has_vals);
}
END_TEST

START_TEST(tracker_count_cap_at) {
  init(IV, 3600);
  LIST("AC0", "AC1", "AC2", "AC3", "AC4");
  ck_assert_uint_eq(quo_tracker_count(&t), 5);
  ck_assert_uint_ge(quo_tracker_cap(&t), 5);
  LIST("AC1", "AC3");
  ck_assert_uint_eq(quo_tracker_count(&t), 2);
  size_t seen = 0;
  bool saw1 = false, saw3 = false;
  for (size_t i = 0; i < quo_tracker_cap(&t); i++) {
    quo_tracked_t *c = quo_tracker_at(&t, i);
    if (c == NULL)
      continue;
    seen++;
    saw1 |= strcmp(c->id, "AC1") == 0;
    saw3 |= strcmp(c->id, "AC3") == 0;
  }
  ck_assert_uint_eq(seen, 2);
  ck_assert(saw1 && saw3);
  ck_assert_ptr_null(quo_tracker_at(&t, quo_tracker_cap(&t)));
  ck_assert_ptr_null(quo_tracker_at(&t, SIZE_MAX));
}
END_TEST

#define BIG 100000
static char big_ids[BIG][24];

START_TEST(tracker_100k_add_remove_readd) {
  /* No timing assert: a quadratic list would run into the test timeout. */
  init(IV, 3600);
  for (size_t i = 0; i < BIG; i++)
    snprintf(big_ids[i], sizeof(big_ids[i]), "AC%07zu", i);
  quo_tracker_begin(&t);
  for (size_t i = 0; i < BIG; i++)
    ck_assert_int_eq(quo_tracker_list(&t, big_ids[i], big_ids[i]), 1);
  ck_assert_uint_eq(quo_tracker_end(&t, false), 0);
  ck_assert_uint_eq(quo_tracker_count(&t), BIG);
  /* Some state to see kept. */
  for (size_t i = 0; i < BIG; i += 1000) {
    quo_tracked_t *c = quo_tracker_find(&t, big_ids[i]);
    quo_tracker_started(&t, c);
    rec(c, answer(big_ids[i], "ringing", false), T0, T0 + 1);
  }

  quo_tracker_begin(&t);
  for (size_t i = 0; i < BIG; i += 2)
    ck_assert_int_eq(quo_tracker_list(&t, big_ids[i], big_ids[i]), 0);
  ck_assert_uint_eq(quo_tracker_end(&t, false), BIG / 2);
  ck_assert_uint_eq(quo_tracker_count(&t), BIG / 2);
  ck_assert_ptr_null(quo_tracker_find(&t, big_ids[1]));
  ck_assert_ptr_null(quo_tracker_find(&t, big_ids[BIG - 1]));

  quo_tracker_begin(&t);
  for (size_t i = 0; i < BIG; i++)
    ck_assert_int_eq(quo_tracker_list(&t, big_ids[i], big_ids[i]),
                     i % 2 == 0 ? 0 : 1);
  ck_assert_uint_eq(quo_tracker_end(&t, false), 0);
  ck_assert_uint_eq(quo_tracker_count(&t), BIG);
  for (size_t i = 0; i < BIG; i += 1000)
    ck_assert(quo_tracker_find(&t, big_ids[i])->has_vals);
  ck_assert(!quo_tracker_find(&t, big_ids[1])->has_vals);
  /* Everything unseen is due at once; the 100 fetched calls are not. */
  size_t due = 0;
  for (quo_tracked_t *c = quo_tracker_peek(&t, T0 + 5); c != NULL;
       c = quo_tracker_peek(&t, T0 + 5)) {
    ck_assert(!c->has_vals);
    quo_tracker_started(&t, c);
    due++;
  }
  ck_assert_uint_eq(due, BIG - BIG / 1000);
}
END_TEST

/* ---- scheduling ---- */

START_TEST(tracker_live_due_at_started_plus_interval) {
  init(IV, 3600);
  LIST("ACa");
  quo_tracked_t *a = take(T0, "ACa");
  /* In flight: never due. */
  ck_assert_ptr_null(quo_tracker_peek(&t, T0 + 1e6));
  ck_assert_double_eq(quo_tracker_next_due(&t), INFINITY);
  /* Answered 3 s later: due again from when it started. */
  rec(a, answer("ACa", "ringing", false), T0, T0 + 3);
  ck_assert_double_eq_tol(quo_tracker_next_due(&t), T0 + 10, EPS);
  due_at(a, T0 + 10);
}
END_TEST

START_TEST(tracker_finished_rests_final_refresh) {
  init(IV, 100);
  LIST("ACa");
  quo_tracked_t *a = take(T0, "ACa");
  rec(a, answer("ACa", "completed", true), T0, T0 + 3);
  /* From the answer on. */
  due_at(a, T0 + 103);
}
END_TEST

START_TEST(tracker_finished_never_with_refresh_zero) {
  init(IV, 0);
  LIST("ACa", "ACb");
  quo_tracked_t *a = take(T0, "ACa");
  rec(a, answer("ACa", "completed", true), T0, T0 + 3);
  ck_assert_ptr_eq(quo_tracker_peek(&t, T0 + 1e9), find("ACb"));
  quo_tracked_t *b = take(T0, "ACb");
  rec(b, answer("ACb", "completed", true), T0, T0 + 3);
  ck_assert_double_eq(quo_tracker_next_due(&t), INFINITY);
  ck_assert_ptr_null(quo_tracker_peek(&t, T0 + 1e12));
  /* Still listed, still counted. */
  ck_assert_uint_eq(quo_tracker_count(&t), 2);
  ck_assert(quo_tracker_dispatchable(a));
}
END_TEST

START_TEST(tracker_same_due_keeps_order) {
  init(IV, 3600);
  LIST("ACa", "ACb", "ACc");
  /* New calls in list order. */
  TAKE_IN_ORDER(T0, "ACa", "ACb", "ACc");

  /* Seen calls due at the same time keep their order too. */
  rec(find("ACa"), answer("ACa", "ringing", false), T0, T0 + 1);
  rec(find("ACb"), answer("ACb", "ringing", false), T0, T0 + 1);
  rec(find("ACc"), answer("ACc", "ringing", false), T0, T0 + 1);
  TAKE_IN_ORDER(T0 + 10, "ACa", "ACb", "ACc");
}
END_TEST

START_TEST(tracker_due_order_by_time) {
  init(IV, 3600);
  LIST("ACa", "ACb", "ACc");
  /* a answered first but started last: due last. */
  quo_tracked_t *a = take(T0 + 2, "ACa");
  quo_tracked_t *b = take(T0 + 2, "ACb");
  quo_tracked_t *c = take(T0 + 2, "ACc");
  rec(c, answer("ACc", "ringing", false), T0 + 0, T0 + 5);
  rec(b, answer("ACb", "ringing", false), T0 + 1, T0 + 5);
  rec(a, answer("ACa", "ringing", false), T0 + 2, T0 + 3);
  ck_assert_ptr_null(quo_tracker_peek(&t, T0 + 9.5));
  TAKE_IN_ORDER(T0 + 20, "ACc", "ACb", "ACa");
}
END_TEST

/* ---- fairness ---- */

/* N calls, R starts per interval, evenly spread (as the rate budget
 * spreads them); answers take up to 0.2 s and now and then fail. Every
 * call must be started within ceil(N / R) + 1 intervals of its previous
 * start (or of being listed). */
static void fairness(size_t n, size_t r) {
  init(IV, 3600);
  char(*ids)[24] = calloc(n, sizeof(*ids));
  double *last = calloc(n, sizeof(*last));
  ck_assert(ids != NULL && last != NULL);
  quo_tracker_begin(&t);
  for (size_t i = 0; i < n; i++) {
    snprintf(ids[i], sizeof(ids[i]), "ACf%zu", i);
    ck_assert_int_eq(quo_tracker_list(&t, ids[i], ids[i]), 1);
    last[i] = T0;
  }
  quo_tracker_end(&t, false);

  size_t bound = (n + r - 1) / r + 1;
  double step = IV / (double)r, limit = (double)bound * IV + EPS;
  size_t steps = 4 * bound * r, starts = 0;
  double now = T0;
  for (size_t s = 0; s < steps; s++) {
    now = T0 + (double)s * step;
    quo_tracked_t *c = quo_tracker_peek(&t, now);
    if (c == NULL)
      continue;
    size_t i = (size_t)atol(c->id + 3);
    ck_assert_uint_lt(i, n);
    ck_assert_msg(now - last[i] <= limit,
                  "N=%zu R=%zu: %s waited %.1f s, bound %.1f s", n, r, c->id,
                  now - last[i], limit);
    last[i] = now;
    quo_tracker_started(&t, c);
    starts++;
    quo_outcome_t o = s % 7 == 3 ? http_err(500, "0101500")
                                 : answer_s(c->id, "ringing", false, 0.1);
    rec(c, o, now, now + 0.2 * (double)(s % 3) / 2);
  }
  /* Nobody left behind at the end either. */
  for (size_t i = 0; i < n; i++)
    ck_assert_msg(now - last[i] <= limit,
                  "N=%zu R=%zu: %s not started since %.1f", n, r, ids[i],
                  last[i] - T0);
  /* With more calls than starts per interval one is always due (the one
   * not started in the last R steps): no start allowed goes unused. */
  if (n > r)
    ck_assert_uint_eq(starts, steps);
  else
    ck_assert_uint_ge(starts, n);
  free(ids);
  free(last);
}

static const struct {
  size_t n, r;
} fair_cases[] = {{60, 20}, {1000, 7}, {7, 7}, {8, 7}, {1, 3}};

START_TEST(tracker_fairness) {
  fairness(fair_cases[_i].n, fair_cases[_i].r);
}
END_TEST

/* ---- back-off ---- */

typedef enum {
  O_404,
  O_INVALID,
  O_403,
  O_401,
  O_429,
  O_500,
  O_TRANSPORT
} okind_t;

static quo_outcome_t make(okind_t k) {
  switch (k) {
  case O_404:
    return http_err(404, "0100404");
  case O_INVALID:
    return invalid();
  case O_403:
    return http_err(403, "0101403");
  case O_401:
    return http_err(401, "0100401");
  case O_429:
    return http_err(429, "0100429");
  case O_500:
    return http_err(500, "0101500");
  case O_TRANSPORT:
    return transport();
  }
  return transport();
}

static const struct {
  const char *name;
  okind_t kind;
  double final_refresh;
  double waits[9]; /* seconds after each start; 0 ends */
} backoff_cases[] = {
    {"404", O_404, 3600, {20, 40, 80, 160, 320, 640, 1280, 2560, 3600}},
    {"invalid", O_INVALID, 300, {20, 40, 80, 160, 300}},
    {"404 capped by final refresh", O_404, 50, {20, 40, 50, 50}},
    {"invalid capped by final refresh", O_INVALID, 100, {20, 40, 80, 100}},
    {"404 final refresh 0: 3600",
     O_404,
     0,
     {20, 40, 80, 160, 320, 640, 1280, 2560, 3600}},
    {"404 final refresh below interval", O_404, 5, {10, 10, 10}},
    {"403", O_403, 3600, {10, 10, 10, 10}},
    {"401", O_401, 3600, {10, 10, 10}},
    {"429", O_429, 3600, {10, 10, 10}},
    {"500", O_500, 3600, {10, 10, 10, 10}},
    {"transport", O_TRANSPORT, 3600, {10, 10, 10, 10}},
};

START_TEST(tracker_backoff) {
  const char *name = backoff_cases[_i].name;
  init(IV, backoff_cases[_i].final_refresh);
  LIST("ACa");
  double at = T0;
  quo_tracked_t *a = NULL;
  for (size_t k = 0; k < 9 && backoff_cases[_i].waits[k] > 0; k++) {
    a = take(at, "ACa");
    rec(a, make(backoff_cases[_i].kind), at, at + 1);
    double want = backoff_cases[_i].waits[k];
    ck_assert_msg(fabs(quo_tracker_next_due(&t) - (at + want)) < EPS,
                  "%s: answer %zu due after %.1f s, want %.1f", name, k + 1,
                  quo_tracker_next_due(&t) - at, want);
    due_at(a, at + want);
    at += want;
  }
  /* Every case ends at its cap (or at 1 interval): the last wait
   * repeats. */
  size_t n = 0;
  while (n < 9 && backoff_cases[_i].waits[n] > 0)
    n++;
  double last = backoff_cases[_i].waits[n - 1];
  a = take(at, "ACa");
  rec(a, make(backoff_cases[_i].kind), at, at + 1);
  ck_assert_msg(fabs(quo_tracker_next_due(&t) - (at + last)) < EPS,
                "%s: after the cap due after %.1f s, want %.1f", name,
                quo_tracker_next_due(&t) - at, last);
  at += last;
  /* A good answer ends it; the next failure starts over from 2 intervals
   * (or 1 for the kinds that do not back off). */
  a = take(at, "ACa");
  rec(a, answer("ACa", "ringing", false), at, at + 1);
  due_at(a, at + IV);
  at += IV;
  a = take(at, "ACa");
  rec(a, make(backoff_cases[_i].kind), at, at + 1);
  ck_assert_msg(
      fabs(quo_tracker_next_due(&t) - (at + backoff_cases[_i].waits[0])) < EPS,
      "%s: after recovering due after %.1f s, want %.1f", name,
      quo_tracker_next_due(&t) - at, backoff_cases[_i].waits[0]);
}
END_TEST

START_TEST(tracker_backoff_ended_by_other_failure) {
  /* A 500 after 404s: the API is failing, the call is retried every
   * interval again (and counts as live). */
  init(IV, 3600);
  LIST("ACa");
  quo_tracked_t *a = fetch("ACa", T0, http_err(404, "0100404"));
  fetch("ACa", T0 + 20, http_err(404, "0100404"));
  fetch("ACa", T0 + 60, http_err(500, "0101500"));
  due_at(a, T0 + 70);
  quo_summary_t s;
  quo_tracker_summary(&t, &s);
  ck_assert_uint_eq(s.live, 1);
}
END_TEST

/* ---- changes ---- */

static quo_change_t changes(quo_tracked_t *c) {
  quo_change_t ch;
  /* Garbage first, so that a field left unset shows. */
  memset(&ch, 0xA5, sizeof(ch));
  quo_tracker_changes(&t, c, &ch);
  return ch;
}

static void no_change(quo_change_t ch, const char *when) {
  ck_assert_msg(!ch.status_changed, "%s: status change", when);
  ck_assert_msg(!ch.failure_started, "%s: failure started", when);
  ck_assert_msg(!ch.recovered, "%s: recovered", when);
}

/* One call ACa, fetched once while ringing: its first record, no change. */
static quo_tracked_t *ringing_call(void) {
  init(IV, 3600);
  LIST("ACa");
  quo_tracked_t *a = fetch("ACa", T0, answer("ACa", "ringing", false));
  no_change(changes(a), "first");
  return a;
}

START_TEST(tracker_changes_first_record_none) {
  init(IV, 3600);
  LIST("ACa");
  quo_tracked_t *a = quo_tracker_peek(&t, T0);
  no_change(changes(a), "before any outcome");
  ck_assert(!a->reported);
  fetch("ACa", T0, answer("ACa", "missed", true));
  no_change(changes(a), "first record");
  ck_assert(a->reported);
  ck_assert_int_eq(a->reported_status, QUO_STATUS_MISSED);
}
END_TEST

START_TEST(tracker_changes_ringing_to_missed_once) {
  quo_tracked_t *a = ringing_call();
  fetch("ACa", T0 + 10, answer("ACa", "ringing", false));
  no_change(changes(a), "same status");
  fetch("ACa", T0 + 20, answer("ACa", "missed", true));
  quo_change_t ch = changes(a);
  status_changed(&ch, QUO_STATUS_RINGING, QUO_STATUS_MISSED);
  ck_assert(!ch.failure_started);
  ck_assert(!ch.recovered);
  no_change(changes(a), "asked again");
}
END_TEST

START_TEST(tracker_changes_failures) {
  quo_tracked_t *a = ringing_call();
  static const struct {
    okind_t kind;
    bool started;
  } seq[] = {{O_500, true},        {O_500, false},   {O_403, true},
             {O_403, false},       {O_404, true},    {O_TRANSPORT, true},
             {O_TRANSPORT, false}, {O_INVALID, true}};
  double at = T0 + 10;
  for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
    quo_tracked_t *c = quo_tracker_peek(&t, INFINITY);
    ck_assert_ptr_eq(c, a);
    at = fmax(at, quo_tracker_next_due(&t));
    quo_tracker_started(&t, a);
    rec(a, make(seq[i].kind), at, at + 1);
    quo_change_t ch = changes(a);
    ck_assert_msg(ch.failure_started == seq[i].started,
                  "step %zu: failure_started %d", i, ch.failure_started);
    ck_assert(!ch.recovered);
    ck_assert(!ch.status_changed);
    ck_assert_ptr_nonnull(a->what);
    ck_assert(!quo_tracker_dispatchable(a));
  }
  at = quo_tracker_next_due(&t);
  quo_tracker_started(&t, a);
  rec(a, answer("ACa", "ringing", false), at, at + 1);
  quo_change_t ch = changes(a);
  ck_assert(ch.recovered);
  ck_assert(!ch.failure_started);
  ck_assert(!ch.status_changed);
  ck_assert_ptr_null(a->what);
  no_change(changes(a), "after recovery");
}
END_TEST

START_TEST(tracker_changes_same_status_different_code) {
  /* 500 with two API codes: two different failures. */
  init(IV, 3600);
  LIST("ACa");
  quo_tracked_t *a = fetch("ACa", T0, http_err(500, "0101500"));
  ck_assert(changes(a).failure_started);
  fetch("ACa", T0 + 10, http_err(500, "0102500"));
  ck_assert(changes(a).failure_started);
  fetch("ACa", T0 + 20, http_err(503, "0102500"));
  ck_assert(changes(a).failure_started);
}
END_TEST

START_TEST(tracker_changes_failure_first_then_answer) {
  init(IV, 3600);
  LIST("ACa");
  quo_tracked_t *a = fetch("ACa", T0, transport());
  quo_change_t ch = changes(a);
  ck_assert(ch.failure_started);
  ck_assert(!ch.status_changed);
  ck_assert(!a->reported);
  fetch("ACa", T0 + 10, answer("ACa", "ringing", false));
  ch = changes(a);
  ck_assert(ch.recovered);
  ck_assert(!ch.status_changed); /* the first status seen */
}
END_TEST

START_TEST(tracker_changes_status_across_failure) {
  init(IV, 3600);
  LIST("ACa");
  quo_tracked_t *a = fetch("ACa", T0, answer("ACa", "ringing", false));
  changes(a);
  fetch("ACa", T0 + 10, http_err(502, "502"));
  quo_change_t ch = changes(a);
  ck_assert(ch.failure_started);
  ck_assert(!ch.status_changed);
  fetch("ACa", T0 + 20, answer("ACa", "no-answer", true));
  ch = changes(a);
  ck_assert(ch.recovered);
  status_changed(&ch, QUO_STATUS_RINGING, QUO_STATUS_NO_ANSWER);
}
END_TEST

START_TEST(tracker_changes_per_call) {
  init(IV, 3600);
  LIST("ACa", "ACb");
  quo_tracked_t *a = fetch("ACa", T0, http_err(500, "0101500"));
  quo_tracked_t *b = fetch("ACb", T0, http_err(500, "0101500"));
  ck_assert(changes(a).failure_started);
  ck_assert(changes(b).failure_started);
}
END_TEST

START_TEST(tracker_dispatchable) {
  init(IV, 3600);
  LIST("ACa");
  quo_tracked_t *a = quo_tracker_peek(&t, T0);
  ck_assert(!quo_tracker_dispatchable(a));
  fetch("ACa", T0, http_err(500, "0101500"));
  ck_assert(!quo_tracker_dispatchable(a));
  fetch("ACa", T0 + 10, answer("ACa", "ringing", false));
  ck_assert(quo_tracker_dispatchable(a));
  fetch("ACa", T0 + 20, transport());
  ck_assert(!quo_tracker_dispatchable(a));
  ck_assert(a->has_vals); /* kept, just not dispatched */
  fetch("ACa", T0 + 30, answer("ACa", "completed", true));
  ck_assert(quo_tracker_dispatchable(a));
  ck_assert(a->vals.finished);
  ck_assert_int_eq(a->vals.duration, 56);
  ck_assert(a->vals.has_latency);
  ck_assert_double_eq_tol(a->vals.latency, 4.5, 1e-6);
}
END_TEST

START_TEST(tracker_other_status_raw_kept) {
  init(IV, 3600);
  LIST("ACa");
  quo_tracked_t *a = fetch("ACa", T0, answer("ACa", "voicemail", false));
  ck_assert_int_eq(a->vals.status, QUO_STATUS_OTHER);
  ck_assert_str_eq(a->vals.raw_status, "voicemail");
  fetch("ACa", T0 + 10, answer("ACa", "ringing", false));
  ck_assert_str_eq(a->vals.raw_status, "");
}
END_TEST

/* ---- summary ---- */

START_TEST(tracker_summary_per_status_and_live) {
  init(IV, 3600);
  LIST("ACr1", "ACr2", "ACm", "ACnone", "ACnf", "ACbad", "ACerr");
  fetch("ACr1", T0, answer("ACr1", "ringing", false));
  fetch("ACr2", T0, answer("ACr2", "ringing", false));
  fetch("ACm", T0, answer("ACm", "missed", true));
  take(T0, "ACnone"); /* in flight, no outcome yet */
  fetch("ACnf", T0, http_err(404, "0100404"));
  fetch("ACbad", T0, invalid());
  fetch("ACerr", T0, http_err(500, "0101500"));
  quo_summary_t s;
  memset(&s, 0xA5, sizeof(s));
  quo_tracker_summary(&t, &s);
  ck_assert_uint_eq(s.calls, 7);
  ck_assert_uint_eq(s.answered, 6);
  ck_assert_uint_eq(s.per_status[QUO_STATUS_RINGING], 2);
  ck_assert_uint_eq(s.per_status[QUO_STATUS_MISSED], 1);
  size_t total = 0;
  for (int i = 0; i < QUO_STATUS_COUNT; i++)
    total += s.per_status[i];
  ck_assert_uint_eq(total, 3);
  /* live: r1, r2, none (not answered yet), err (retried every interval);
   * not the finished call nor the two backing off. */
  ck_assert_uint_eq(s.live, 4);
  ck_assert_uint_eq(s.not_found, 1);
  ck_assert(s.api_failing);
  ck_assert_int_eq(s.worst, QUO_SEV_FAILURE);
  ck_assert_str_eq(s.worst_call->id, "ACbad");
}
END_TEST

START_TEST(tracker_summary_call_problems_not_api_failure) {
  init(IV, 3600);
  LIST("ACa", "ACb", "ACc");
  fetch("ACa", T0, answer("ACa", "ringing", false));
  fetch("ACb", T0, http_err(400, "0101400"));
  fetch("ACc", T0, http_err(404, "0100404"));
  quo_summary_t s;
  quo_tracker_summary(&t, &s);
  ck_assert(!s.api_failing);
  ck_assert_int_eq(s.worst, QUO_SEV_WARNING);
  ck_assert_str_eq(s.worst_call->id, "ACb");
  ck_assert_uint_eq(s.not_found, 1);
}
END_TEST

START_TEST(tracker_summary_healthy) {
  init(IV, 3600);
  LIST("ACa");
  quo_summary_t s;
  quo_tracker_summary(&t, &s);
  ck_assert_uint_eq(s.answered, 0);
  ck_assert_int_eq(s.worst, QUO_SEV_OKAY);
  ck_assert_ptr_null(s.worst_call);
  ck_assert(!s.api_failing);
  fetch("ACa", T0, answer("ACa", "completed", true));
  quo_tracker_summary(&t, &s);
  ck_assert_uint_eq(s.answered, 1);
  ck_assert_int_eq(s.worst, QUO_SEV_OKAY);
  ck_assert_ptr_null(s.worst_call);
  ck_assert_uint_eq(s.live, 0);
}
END_TEST

START_TEST(tracker_summary_api_failing_while_any) {
  init(IV, 3600);
  LIST("ACa", "ACb");
  fetch("ACa", T0, http_err(500, "0101500"));
  fetch("ACb", T0, http_err(429, "0100429"));
  quo_summary_t s;
  quo_tracker_summary(&t, &s);
  ck_assert(s.api_failing);
  ck_assert_int_eq(s.worst, QUO_SEV_FAILURE);
  ck_assert_str_eq(s.worst_call->id, "ACa");
  /* a answers: b's 429 still fails the API. */
  fetch("ACa", T0 + 10, answer("ACa", "ringing", false));
  quo_tracker_summary(&t, &s);
  ck_assert(s.api_failing);
  ck_assert_int_eq(s.worst, QUO_SEV_WARNING);
  ck_assert_str_eq(s.worst_call->id, "ACb");
  fetch("ACb", T0 + 10, answer("ACb", "ringing", false));
  quo_tracker_summary(&t, &s);
  ck_assert(!s.api_failing);
  ck_assert_int_eq(s.worst, QUO_SEV_OKAY);
}
END_TEST

START_TEST(tracker_summary_removed_call_gone) {
  /* A failing call taken off the list no longer fails the API. */
  init(IV, 3600);
  LIST("ACa", "ACb");
  fetch("ACa", T0, answer("ACa", "ringing", false));
  fetch("ACb", T0, transport());
  LIST("ACa");
  quo_summary_t s;
  quo_tracker_summary(&t, &s);
  ck_assert_uint_eq(s.calls, 1);
  ck_assert(!s.api_failing);
  ck_assert_int_eq(s.worst, QUO_SEV_OKAY);
}
END_TEST

/* ---- plugin-wide figures ---- */

START_TEST(tracker_response_time_take_and_reset) {
  init(IV, 3600);
  double mean = -1;
  ck_assert(!quo_tracker_take_response_time(&t, &mean));
  ck_assert_double_eq(mean, -1);
  LIST("ACa", "ACb");
  quo_tracked_t *a = take(T0, "ACa");
  rec(a, answer_s("ACa", "ringing", false, 0.2), T0, T0 + 1);
  quo_tracked_t *b = take(T0, "ACb");
  rec(b, answer_s("ACb", "ringing", false, 0.6), T0, T0 + 1);
  ck_assert(quo_tracker_take_response_time(&t, &mean));
  ck_assert_double_eq_tol(mean, 0.4, 1e-9);
  ck_assert(!quo_tracker_take_response_time(&t, &mean));
  /* Orphans count too. */
  quo_outcome_t o = answer_s("ACa", "ringing", false, 1.5);
  quo_tracker_record_orphan(&t, &o);
  ck_assert(quo_tracker_take_response_time(&t, &mean));
  ck_assert_double_eq_tol(mean, 1.5, 1e-9);
  /* Only answered requests: a timeout or a refused connection is no
   * response time (a graph must not show an outage as a fast answer). */
  quo_outcome_t lost = transport();
  lost.seconds = 5;
  quo_tracker_record_orphan(&t, &lost);
  ck_assert(!quo_tracker_take_response_time(&t, &mean));
  quo_tracker_record_orphan(&t, &lost);
  o.seconds = 0.2;
  quo_tracker_record_orphan(&t, &o);
  ck_assert(quo_tracker_take_response_time(&t, &mean));
  ck_assert_double_eq_tol(mean, 0.2, 1e-9);
}
END_TEST

/* The start-up dispatch check extrapolates from the calls answered so far
 * to the whole list: 10 of 100 000 in 1 ms is 10 s for all of them. */
START_TEST(tracker_dispatch_estimate_covers_the_whole_list) {
  quo_summary_t s = {.calls = 100000};
  ck_assert_double_eq_tol(quo_tracker_dispatch_estimate(&s, 10, 0.001), 10.0,
                          1e-9);
  ck_assert_double_eq(quo_tracker_dispatch_estimate(&s, 0, 0.5), 0);
  s.calls = 4;
  ck_assert_double_eq_tol(quo_tracker_dispatch_estimate(&s, 4, 0.2), 0.2, 1e-9);
  /* Never below what was measured (a list that shrank meanwhile). */
  s.calls = 0;
  ck_assert_double_eq_tol(quo_tracker_dispatch_estimate(&s, 3, 0.3), 0.3, 1e-9);
}
END_TEST

START_TEST(tracker_http_and_error_counters) {
  init(IV, 3600);
  LIST("ACa", "ACb", "ACc", "ACd");
  fetch("ACa", T0, answer("ACa", "ringing", false));
  fetch("ACb", T0, http_err(404, "0100404"));
  fetch("ACc", T0, invalid());
  fetch("ACd", T0, transport());
  quo_outcome_t o = http_err(404, "0100404");
  quo_tracker_record_orphan(&t, &o);
  ck_assert_uint_eq(unit_count(&t.http_requests, "200"), 2); /* 200 + invalid */
  ck_assert_uint_eq(unit_count(&t.http_requests, "404"), 2);
  ck_assert_uint_eq(unit_count(&t.http_requests, "failed"), 1);
  ck_assert_uint_eq(unit_count(&t.errors, "0100404"), 2);
  ck_assert_uint_eq(unit_count(&t.errors, "invalid"), 1);
  ck_assert_uint_eq(t.errors.n, 2);
}
END_TEST

START_TEST(tracker_failure_description) {
  init(IV, 3600);
  LIST("ACa");
  quo_tracked_t *a = fetch("ACa", T0, http_err(403, "0101403"));
  ck_assert_ptr_nonnull(a->what);
  ck_assert_ptr_nonnull(strstr(a->what, "HTTP 403"));
  ck_assert_ptr_nonnull(strstr(a->what, "0101403"));
  ck_assert_int_eq(a->fail.kind, QUO_OUT_HTTP);
  ck_assert_int_eq(a->fail.http_status, 403);
  ck_assert_str_eq(a->fail.code, "0101403");
  ck_assert(a->policy.api_failure);
  ck_assert_int_eq(a->policy.severity, QUO_SEV_FAILURE);
}
END_TEST

Suite *tracker_suite(void) {
  const unit_test_t tests[] = {
      UNIT_CASE_TIMEOUT("list", 60),
      UNIT_TEST(tracker_new_calls_due_at_once_in_list_order),
      UNIT_TEST(tracker_new_call_before_calls_seen),
      UNIT_TEST(tracker_list_return_values),
      UNIT_TEST(tracker_end_keep_removes_nothing),
      UNIT_TEST(tracker_kept_call_keeps_state),
      UNIT_TEST(tracker_instance_change_is_new_call),
      UNIT_TEST(tracker_removed_in_flight_handle_gone),
      UNIT_TEST(tracker_count_cap_at),
      UNIT_TEST(tracker_100k_add_remove_readd),
      UNIT_CASE_TIMEOUT("schedule", 60),
      UNIT_TEST(tracker_live_due_at_started_plus_interval),
      UNIT_TEST(tracker_finished_rests_final_refresh),
      UNIT_TEST(tracker_finished_never_with_refresh_zero),
      UNIT_TEST(tracker_same_due_keeps_order),
      UNIT_TEST(tracker_due_order_by_time),
      UNIT_LOOP(tracker_fairness, fair_cases),
      UNIT_LOOP(tracker_backoff, backoff_cases),
      UNIT_TEST(tracker_backoff_ended_by_other_failure),
      UNIT_CASE("changes"),
      UNIT_TEST(tracker_changes_first_record_none),
      UNIT_TEST(tracker_changes_ringing_to_missed_once),
      UNIT_TEST(tracker_changes_failures),
      UNIT_TEST(tracker_changes_same_status_different_code),
      UNIT_TEST(tracker_changes_failure_first_then_answer),
      UNIT_TEST(tracker_changes_status_across_failure),
      UNIT_TEST(tracker_changes_per_call),
      UNIT_TEST(tracker_dispatchable),
      UNIT_TEST(tracker_other_status_raw_kept),
      UNIT_CASE("summary"),
      UNIT_TEST(tracker_summary_per_status_and_live),
      UNIT_TEST(tracker_summary_call_problems_not_api_failure),
      UNIT_TEST(tracker_summary_healthy),
      UNIT_TEST(tracker_summary_api_failing_while_any),
      UNIT_TEST(tracker_summary_removed_call_gone),
      UNIT_TEST(tracker_response_time_take_and_reset),
      UNIT_TEST(tracker_dispatch_estimate_covers_the_whole_list),
      UNIT_TEST(tracker_http_and_error_counters),
      UNIT_TEST(tracker_failure_description),
      UNIT_END};
  return unit_suite("tracker", setup, teardown, tests);
}
