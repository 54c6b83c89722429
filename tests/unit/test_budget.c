/* quo_budget_*: the shared rate budget as a pure function of a
 * caller-supplied clock. No test sleeps: `now` is simulated. */
#include "unit.h"

#include "budget.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-9
#define W QUO_BUDGET_WINDOW

UNIT_STATE(quo_budget_t, b, quo_budget_free)

static void init(int max, double cap) {
  ck_assert_int_eq(quo_budget_init(&b, max, cap), 0);
}

/* The wait reported at `now`; fails when a start is allowed. */
static double wait_at(double now) {
  double w = -1;
  ck_assert_msg(!quo_budget_may_start(&b, now, &w), "start allowed at %.9f",
                now);
  ck_assert_msg(w > 0, "wait %.9f at %.9f", w, now);
  return w;
}

static void allowed_at(double now) {
  double w = -1;
  ck_assert_msg(quo_budget_may_start(&b, now, &w), "start refused at %.9f",
                now);
}

/* ---- init / free ---- */

START_TEST(budget_init_free) {
  init(5, 60);
  ck_assert_int_eq(b.max, 5);
  ck_assert_ptr_nonnull(b.starts);
  ck_assert_double_eq_tol(b.cap, 60, TOL);
  ck_assert_int_eq(b.backoffs, 0);
  allowed_at(0);
  quo_budget_free(&b);
  ck_assert_ptr_null(b.starts);
  quo_budget_free(&b); /* a second free is harmless */
}
END_TEST

START_TEST(budget_init_zero_max_off) {
  init(0, 60);
  ck_assert_int_eq(b.max, 0);
  for (int i = 0; i < 100; i++)
    quo_budget_started(&b, 5);
  allowed_at(5);
  quo_budget_free(&b);
  ck_assert_ptr_null(b.starts);
}
END_TEST

/* ---- max 0 ---- */

START_TEST(budget_off_always_allows) {
  init(0, 60);
  for (int i = 0; i < 10000; i++) {
    double w = -1;
    ck_assert_msg(quo_budget_may_start(&b, 100, &w), "start %d refused", i);
    quo_budget_started(&b, 100);
  }
  allowed_at(100);
  allowed_at(100.001);
}
END_TEST

/* ---- the window ---- */

/* n starts at t0 pass, the next waits a whole window; tol allows for the
 * rounding of a large clock value. */
static void burst(int n, double t0, double tol) {
  init(n, 60);
  for (int i = 0; i < n; i++) {
    double w = -1;
    ck_assert_msg(quo_budget_may_start(&b, t0, &w), "start %d of %d refused",
                  i + 1, n);
    quo_budget_started(&b, t0);
  }
  double w = wait_at(t0);
  ck_assert_double_eq_tol(w, W, tol);
  /* Still refused just before the window ends, allowed exactly at it. */
  w = wait_at(t0 + W / 2);
  ck_assert_double_eq_tol(w, W / 2, 1e-6);
  wait_at(t0 + W - 1e-6);
  allowed_at(t0 + W);
  allowed_at(t0 + W + 1);
  quo_budget_free(&b);
}

START_TEST(budget_n_at_same_instant) {
  /* _i is the budget size. */
  burst(_i, 100, 1e-9);
}
END_TEST

START_TEST(budget_n_at_same_instant_real_clock) {
  /* At a quo_now() value a double resolves about 2.4e-7 s. */
  burst(_i, 1785000000.25, 1e-6);
}
END_TEST

START_TEST(budget_wait_pointer_may_be_null) {
  init(1, 60);
  quo_budget_started(&b, 10);
  ck_assert(!quo_budget_may_start(&b, 10.5, NULL));
  ck_assert(quo_budget_may_start(&b, 10 + W, NULL));
}
END_TEST

START_TEST(budget_sliding_not_fixed) {
  /* Ten starts spread over 0.0 .. 0.9: at 1.0 the start at 0.0 is still in
   * the window; it leaves at 1.05, the one at 0.1 at 1.15. */
  init(10, 60);
  for (int i = 0; i < 10; i++) {
    allowed_at(i * 0.1);
    quo_budget_started(&b, i * 0.1);
  }
  ck_assert_double_eq_tol(wait_at(1.0), 0.05, TOL);
  allowed_at(W);
  quo_budget_started(&b, W);
  ck_assert_double_eq_tol(wait_at(W), 0.1, TOL);
  allowed_at(0.1 + W);
}
END_TEST

/* Simulates a client that starts a request as soon as the budget allows,
 * then thinks for a random time up to max_think; returns the start times. */
static size_t simulate(int n, double horizon, unsigned seed, double max_think,
                       double *starts, size_t room) {
  init(n, 60);
  double t = 0;
  size_t k = 0;
  for (int guard = 0; t < horizon && k < room; guard++) {
    ck_assert_msg(guard < 1000000, "simulation does not advance");
    double w = -1;
    if (quo_budget_may_start(&b, t, &w)) {
      quo_budget_started(&b, t);
      starts[k++] = t;
      if (max_think > 0)
        t += max_think * (double)rand_r(&seed) / RAND_MAX;
    } else {
      ck_assert_msg(w > 0, "refused with wait %g at %g", w, t);
      t += w;
    }
  }
  quo_budget_free(&b);
  return k;
}

/* No window [x, x + W) holds more than n of the (sorted) starts. Checking
 * the windows that open at a start is enough: any window can slide right to
 * its first start without losing one. */
static void check_windows(const double *s, size_t k, int n) {
  for (size_t i = 0; i < k; i++) {
    int in = 0;
    for (size_t j = i; j < k && s[j] < s[i] + W - TOL; j++)
      in++;
    ck_assert_msg(in <= n, "%d starts in [%.9f, %.9f)", in, s[i], s[i] + W);
  }
}

START_TEST(budget_property_greedy_burst) {
  double s[2000];
  size_t k = simulate(10, 10, 1, 0, s, 2000);
  check_windows(s, k, 10);
  /* Bursts of 10 at 0, 1.05, ..., 9.45: the budget is not stricter than
   * it has to be. */
  ck_assert_uint_eq(k, 100);
}
END_TEST

START_TEST(budget_property_spread_starts) {
  /* _i seeds the client's think times. */
  double s[2000];
  double think[] = {0.01, 0.05, 0.1, 0.3};
  for (size_t m = 0; m < sizeof(think) / sizeof(think[0]); m++) {
    size_t k = simulate(10, 10, (unsigned)_i + 1, think[m], s, 2000);
    ck_assert_uint_gt(k, 20);
    check_windows(s, k, 10);
    /* Some window is full: the budget is actually used. */
    bool full = false;
    for (size_t i = 0; i + 10 <= k && !full; i++)
      full = s[i + 9] < s[i] + W - TOL;
    if (think[m] <= 0.05)
      ck_assert_msg(full, "think %g: no window ever full", think[m]);
  }
}
END_TEST

START_TEST(budget_property_small_budgets) {
  double s[2000];
  for (int n = 1; n <= 4; n++) {
    size_t k = simulate(n, 10, 7, 0.2, s, 2000);
    check_windows(s, k, n);
  }
}
END_TEST

/* ---- 429 with Retry-After ---- */

START_TEST(budget_retry_after_capped) {
  /* ... within reason: max(interval, 60 s). An hour-long Retry-After must
   * not blind the plugin for an hour. */
  init(10, 10);
  ck_assert_double_eq_tol(quo_budget_retry_cap(&b), QUO_BUDGET_MIN_RETRY_CAP,
                          TOL);
  quo_budget_rate_limited(&b, 100, 3600);
  ck_assert_double_eq_tol(wait_at(100), QUO_BUDGET_MIN_RETRY_CAP, TOL);
  allowed_at(100 + QUO_BUDGET_MIN_RETRY_CAP);
  quo_budget_rate_limited(&b, 5000, INFINITY);
  ck_assert_double_eq_tol(wait_at(5000), QUO_BUDGET_MIN_RETRY_CAP, TOL);
  /* A longer interval is the cap. */
  quo_budget_free(&b);
  init(10, 300);
  ck_assert_double_eq_tol(quo_budget_retry_cap(&b), 300, TOL);
  quo_budget_rate_limited(&b, 100, 3600);
  ck_assert_double_eq_tol(wait_at(100), 300, TOL);
}
END_TEST

/* ---- 429 without Retry-After ---- */

/* The pause of the next 429 (at `now`, with the previous pause over). */
static double next_backoff(double now) {
  allowed_at(now);
  quo_budget_rate_limited(&b, now, 0);
  return wait_at(now);
}

/* `steps` back-offs in a row from a fresh budget: each within
 * [base / 2, min(base, cap)] for base = first * 2^k, and the cap itself
 * once base / 2 reaches it, however many steps (no overflow). */
static void backoff_series(double cap, unsigned seed, int steps) {
  init(10, cap);
  b.seed = seed;
  double t = 1000;
  for (int k = 0; k < steps; k++) {
    double base = QUO_BUDGET_FIRST_BACKOFF * ldexp(1.0, k);
    double w = next_backoff(t);
    ck_assert(isfinite(w));
    ck_assert_msg(w <= cap + TOL, "step %d: %g above cap", k, w);
    if (base / 2 >= cap) {
      ck_assert_double_eq_tol(w, cap, TOL);
    } else {
      ck_assert_msg(w >= base / 2 - TOL && w <= fmin(base, cap) + TOL,
                    "step %d: %g outside [%g, %g]", k, w, base / 2,
                    fmin(base, cap));
    }
    t += w + 0.001;
  }
}

START_TEST(budget_backoff_doubles_with_jitter) {
  /* _i picks the seed. */
  backoff_series(10, 1000u + (unsigned)_i, 8);
}
END_TEST

/* Caps below the first step, and a hundred steps at the usual cap. */
static const struct {
  double cap;
  unsigned seed;
  int steps;
} backoff_caps[] = {{0.75, 42, 6}, {60, 3, 100}};

START_TEST(budget_backoff_capped) {
  backoff_series(backoff_caps[_i].cap, backoff_caps[_i].seed,
                 backoff_caps[_i].steps);
}
END_TEST

START_TEST(budget_answered_resets_backoff) {
  init(10, 60);
  b.seed = 7;
  double t = 0;
  for (int k = 0; k < 4; k++)
    t += next_backoff(t) + 0.001;
  /* The fifth would be 8..16 s; after an answer it is the first step. */
  quo_budget_answered(&b);
  double w = next_backoff(t);
  ck_assert_msg(w >= 0.5 - TOL && w <= 1 + TOL, "after answer: %g", w);
  t += w + 0.001;
  w = next_backoff(t);
  ck_assert_msg(w >= 1 - TOL && w <= 2 + TOL, "second after answer: %g", w);
}
END_TEST

START_TEST(budget_jitter_varies) {
  double pause[50];
  double lo = INFINITY, hi = -INFINITY;
  for (unsigned i = 0; i < 50; i++) {
    quo_budget_t x;
    ck_assert_int_eq(quo_budget_init(&x, 10, 60), 0);
    unsigned seed = 12345u + 977u * i;
    x.seed = seed;
    quo_budget_rate_limited(&x, 0, 0);
    double w = -1;
    bool ok = quo_budget_may_start(&x, 0, &w);
    quo_budget_free(&x);
    ck_assert(!ok);
    ck_assert_msg(w >= 0.5 - TOL && w <= 1 + TOL, "seed %u: %g", seed, w);
    pause[i] = w;
    lo = fmin(lo, w);
    hi = fmax(hi, w);
  }
  ck_assert_msg(hi > lo, "all 50 first pauses are %g", lo);
  /* Not just two values either: clients limited together spread out. */
  int distinct = 0;
  for (int i = 0; i < 50; i++) {
    bool seen = false;
    for (int j = 0; j < i && !seen; j++)
      seen = pause[j] == pause[i];
    distinct += !seen;
  }
  ck_assert_int_gt(distinct, 10);
}
END_TEST

START_TEST(budget_jitter_varies_in_one_budget) {
  /* The same budget, backing off from the first step again and again. */
  init(10, 60);
  b.seed = 99;
  double first = -1;
  bool varied = false;
  double t = 0;
  for (int i = 0; i < 50; i++) {
    quo_budget_answered(&b);
    double w = next_backoff(t);
    ck_assert(w >= 0.5 - TOL && w <= 1 + TOL);
    if (first < 0)
      first = w;
    else if (w != first)
      varied = true;
    t += w + 0.001;
  }
  ck_assert(varied);
}
END_TEST

/* ---- pauses only grow ---- */

/* ---- 429s during a pause ---- */

START_TEST(budget_backoff_not_lengthened_during_pause) {
  /* 429s that arrive during a back-off answer requests sent before it. */
  init(10, 60);
  b.seed = 11;
  quo_budget_rate_limited(&b, 0, 0);
  double p = wait_at(0);
  ck_assert(p >= 0.5 - TOL && p <= 1 + TOL);
  for (int i = 1; i <= 5; i++) {
    quo_budget_rate_limited(&b, 0.05 * i, 0);
    ck_assert_double_eq_tol(wait_at(0.05 * i), p - 0.05 * i, 1e-9);
  }
  /* Nor do they advance the step: the next episode is the second, 1..2 s. */
  double t = p + 0.001;
  double w = next_backoff(t);
  ck_assert_msg(w >= 1 - TOL && w <= 2 + TOL, "second episode: %g", w);
}
END_TEST

/* ---- sent: the window counts from when a request left ---- */

START_TEST(budget_sent_reused_entry_left_alone) {
  init(1, 60);
  int h = quo_budget_started(&b, 0);
  allowed_at(W);
  int h2 = quo_budget_started(&b, W);
  ck_assert_int_eq(h2, h); /* the same slot, reused */
  /* The first request's late report must not move the second's start. */
  quo_budget_sent(&b, h, 0, W + 0.5);
  wait_at(W + W - 1e-6);
  allowed_at(W + W);
}
END_TEST

START_TEST(budget_sent_no_budget) {
  init(0, 60);
  int h = quo_budget_started(&b, 0);
  ck_assert_int_eq(h, -1);
  quo_budget_sent(&b, h, 0, 1); /* harmless */
  allowed_at(0);
}
END_TEST

/* A client starts requests as soon as the budget allows; each leaves after
 * a random delay (connecting, waiting for a stream) below the window and
 * reports it with quo_budget_sent. The server sees the departure times. */
START_TEST(budget_property_sent_departures) {
  /* _i seeds the delays. */
  enum { ROOM = 1000 };
  static double depart[ROOM];
  static double started[ROOM];
  static int handle[ROOM];
  int n = 5;
  init(n, 60);
  unsigned seed = 100u + (unsigned)_i;
  size_t k = 0, done = 0;
  double t = 0;
  for (int guard = 0; t < 10 && k < ROOM; guard++) {
    ck_assert_msg(guard < 1000000, "simulation does not advance");
    /* Report every departure up to t, in time order. */
    for (;;) {
      size_t next = k;
      for (size_t i = done; i < k; i++)
        if (handle[i] != -2 && depart[i] <= t &&
            (next == k || depart[i] < depart[next]))
          next = i;
      if (next == k)
        break;
      quo_budget_sent(&b, handle[next], started[next], depart[next]);
      handle[next] = -2; /* reported */
    }
    while (done < k && handle[done] == -2)
      done++;
    double w = -1;
    if (quo_budget_may_start(&b, t, &w)) {
      started[k] = t;
      handle[k] = quo_budget_started(&b, t);
      depart[k] = t + 0.5 * (double)rand_r(&seed) / RAND_MAX;
      k++;
    } else {
      ck_assert(w > 0);
      t += w;
      /* Departures in between are reported first. */
      for (size_t i = done; i < k; i++)
        if (handle[i] != -2 && depart[i] < t)
          t = depart[i];
    }
  }
  ck_assert_uint_gt(k, 20);
  /* Sort the departures and check every window. */
  for (size_t i = 1; i < k; i++)
    for (size_t j = i; j > 0 && depart[j] < depart[j - 1]; j--) {
      double x = depart[j];
      depart[j] = depart[j - 1];
      depart[j - 1] = x;
    }
  check_windows(depart, k, n);
}
END_TEST

/* ---- scripts: a budget driven step by step against a simulated clock ---- */

typedef enum {
  S_END,     /* the script is over */
  S_START,   /* quo_budget_started at a; a handle is given */
  S_LIMIT,   /* a 429 at a with Retry-After b (0: none) */
  S_WAIT,    /* refused at a, with a wait of b */
  S_REFUSED, /* refused at a, whatever the wait */
  S_ALLOW,   /* allowed at a */
  S_SENT,    /* the last start (at a) left at b */
  S_BAD_SENT /* a report with the handle a, which names no start */
} step_kind_t;

typedef struct {
  step_kind_t kind;
  double a, b;
} step_t;

typedef struct {
  const char *name;
  int max;
  double cap;
  unsigned seed; /* 0: the one init chose */
  step_t steps[8];
} script_t;

#define START(t)                                                               \
  { S_START, t, 0 }
#define LIMIT(t, retry_after)                                                  \
  { S_LIMIT, t, retry_after }
#define WAIT(t, wait)                                                          \
  { S_WAIT, t, wait }
#define REFUSED(t)                                                             \
  { S_REFUSED, t, 0 }
#define ALLOW(t)                                                               \
  { S_ALLOW, t, 0 }
#define SENT(started, left)                                                    \
  { S_SENT, started, left }
#define BAD_SENT(handle)                                                       \
  { S_BAD_SENT, handle, 0 }
#define SCRIPT(name, max, cap, seed, ...)                                      \
  {                                                                            \
    name, max, cap, seed, {                                                    \
      __VA_ARGS__                                                              \
    }                                                                          \
  }

static const script_t scripts[] = {
    SCRIPT("Retry-After is exact", 10, 60, 0, LIMIT(100, 3), WAIT(100, 3),
           WAIT(101, 2), REFUSED(103 - 1e-6), ALLOW(103)),
    /* The server's Retry-After is honoured past the back-off cap (the
     * interval), up to a minute: starting earlier would only earn another
     * 429. */
    SCRIPT("Retry-After beyond the back-off cap", 10, 10, 0, LIMIT(100, 50),
           WAIT(100, 50), REFUSED(149.999), ALLOW(150)),
    /* The 429 at 2 has no Retry-After: about a second, within the first. */
    SCRIPT("a pause is never shortened", 10, 60, 5, LIMIT(0, 10), LIMIT(1, 2),
           WAIT(1, 9), LIMIT(2, 0), WAIT(2, 8), REFUSED(10 - 1e-6), ALLOW(10)),
    SCRIPT("a pause is lengthened", 10, 60, 0, LIMIT(0, 2), LIMIT(1, 20),
           WAIT(1, 20), ALLOW(21)),
    SCRIPT("of pause and window the longest wins", 2, 60, 0, START(0), START(0),
           LIMIT(0, 0.5), WAIT(0, W), LIMIT(0, 5), WAIT(0, 5), REFUSED(W),
           ALLOW(5)),
    SCRIPT("Retry-After during a back-off applies", 10, 60, 12, LIMIT(0, 0),
           LIMIT(0.1, 5), WAIT(0.1, 5), ALLOW(5.1)),
    /* sent: the window counts from when a request left. */
    SCRIPT("sent moves the window", 1, 60, 0, START(0), SENT(0, 0.5),
           WAIT(W, 0.5), ALLOW(0.5 + W)),
    SCRIPT("sent earlier than started is ignored", 1, 60, 0, START(10),
           SENT(10, 9), REFUSED(10 + W - 1e-6), ALLOW(10 + W)),
    SCRIPT("sent with a bad handle is harmless", 2, 60, 0, START(0),
           BAD_SENT(-1), BAD_SENT(2), BAD_SENT(1000), START(0), WAIT(0, W),
           ALLOW(W)),
};

START_TEST(budget_script) {
  init(scripts[_i].max, scripts[_i].cap);
  if (scripts[_i].seed != 0)
    b.seed = scripts[_i].seed;
  int h = -1;
  for (const step_t *s = scripts[_i].steps; s->kind != S_END; s++) {
    switch (s->kind) {
    case S_START:
      h = quo_budget_started(&b, s->a);
      ck_assert_msg(h >= 0, "%s: no handle", scripts[_i].name);
      break;
    case S_LIMIT:
      quo_budget_rate_limited(&b, s->a, s->b);
      break;
    case S_WAIT:
      ck_assert_msg(fabs(wait_at(s->a) - s->b) <= TOL,
                    "%s: wait at %g is not %g", scripts[_i].name, s->a, s->b);
      break;
    case S_REFUSED:
      wait_at(s->a);
      break;
    case S_ALLOW:
      allowed_at(s->a);
      break;
    case S_SENT:
      quo_budget_sent(&b, h, s->a, s->b);
      break;
    case S_BAD_SENT:
      quo_budget_sent(&b, (int)s->a, 0, 0.5);
      break;
    case S_END:
      break;
    }
  }
}
END_TEST

Suite *budget_suite(void) {
  const unit_test_t tests[] = {
      UNIT_CASE("window"),
      UNIT_TEST(budget_init_free),
      UNIT_TEST(budget_init_zero_max_off),
      UNIT_TEST(budget_off_always_allows),
      UNIT_LOOP_FROM(budget_n_at_same_instant, 1, 12),
      UNIT_LOOP_FROM(budget_n_at_same_instant_real_clock, 1, 12),
      UNIT_TEST(budget_wait_pointer_may_be_null),
      UNIT_TEST(budget_sliding_not_fixed),
      UNIT_TEST(budget_property_greedy_burst),
      UNIT_LOOP_N(budget_property_spread_starts, 5),
      UNIT_TEST(budget_property_small_budgets),
      UNIT_CASE("rate_limited"),
      UNIT_TEST(budget_retry_after_capped),
      UNIT_LOOP_N(budget_backoff_doubles_with_jitter, 20),
      UNIT_LOOP(budget_backoff_capped, backoff_caps),
      UNIT_TEST(budget_answered_resets_backoff),
      UNIT_TEST(budget_jitter_varies),
      UNIT_TEST(budget_jitter_varies_in_one_budget),
      UNIT_TEST(budget_backoff_not_lengthened_during_pause),
      UNIT_CASE("script"),
      UNIT_LOOP(budget_script, scripts),
      UNIT_CASE("sent"),
      UNIT_TEST(budget_sent_reused_entry_left_alone),
      UNIT_TEST(budget_sent_no_budget),
      UNIT_LOOP_N(budget_property_sent_departures, 10),
      UNIT_END};
  return unit_suite("budget", setup, teardown, tests);
}
