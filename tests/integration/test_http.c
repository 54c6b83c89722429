/* The fetcher (plugin/core/http.c) against the stand-in API, without
 * collectd: concurrency, connection reuse, the body cap, timeouts,
 * truncation, the deadline, and the classified outcome of each. */
#define _GNU_SOURCE
#include "harness.h"
#include "suites.h"

#include "budget.h"
#include "http.h"
#include "outcome.h"

#include <check.h>
#include <curl/curl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_URLS 128

typedef struct {
  int calls;
  quo_outcome_t out[MAX_URLS];
  long status[MAX_URLS];
  int curl_code[MAX_URLS];
  bool too_large[MAX_URLS];
  bool skipped[MAX_URLS];
  char ids[MAX_URLS][32];
} results_t;

static void collect(const quo_response_t *r, void *arg) {
  results_t *res = arg;
  ck_assert_uint_lt(r->index, MAX_URLS);
  res->calls++;
  res->status[r->index] = r->http_status;
  res->curl_code[r->index] = r->curl_code;
  res->too_large[r->index] = r->too_large;
  res->skipped[r->index] = r->skipped;
  quo_outcome_classify(r, res->ids[r->index], &res->out[r->index]);
}

/* Fetches n calls named ids[i] with the given options. */
static size_t fetch(env_t *e, const quo_http_opts_t *o, const char *key,
                    char ids[][32], size_t n, double budget_s, results_t *res) {
  char err[128];
  quo_http_t *h = quo_http_new(o, key, err, sizeof(err));
  ck_assert_msg(h != NULL, "%s", err);
  static char urls[MAX_URLS][128];
  const char *u[MAX_URLS];
  for (size_t i = 0; i < n; i++) {
    snprintf(urls[i], sizeof(urls[i]), "http://127.0.0.1:%d/v1/calls/%.31s",
             e->port, ids[i]);
    snprintf(res->ids[i], sizeof(res->ids[i]), "%.31s", ids[i]);
    u[i] = urls[i];
  }
  size_t started =
      quo_http_run(h, u, NULL, n, quo_now() + budget_s, collect, res);
  quo_http_free(h);
  return started;
}

typedef struct {
  int answers[MAX_URLS];
  long status[MAX_URLS];
  bool paused[MAX_URLS];
  bool skipped[MAX_URLS];
  double retry_after[MAX_URLS];
  int total;
} seen_t;

static void note(const quo_response_t *r, void *arg) {
  seen_t *s = arg;
  ck_assert_uint_lt(r->index, MAX_URLS);
  s->answers[r->index]++;
  s->status[r->index] = r->http_status;
  s->paused[r->index] = r->paused;
  s->skipped[r->index] = r->skipped;
  s->retry_after[r->index] = r->retry_after;
  s->total++;
}

static const quo_http_opts_t plain = {
    .verify_peer = true, .verify_host = true, .timeout_ms = 2000};

static env_t e;
static results_t res;
static char ids[MAX_URLS][32];
static seen_t seen; /* what the continuous mode answered */

static void setup(void) {
  env_setup(&e);
  memset(&res, 0, sizeof(res));
  memset(ids, 0, sizeof(ids));
  memset(&seen, 0, sizeof(seen));
}

static void teardown(void) {
  env_teardown(&e);
}

/* Fetches the call id once (timeout_ms 0: plain's timeout), the stand-in
 * answering it with the given fault mode (NULL: none); returns how many
 * transfers started. */
static size_t fetch_one(const char *id, const char *fault, long timeout_ms) {
  if (fault != NULL) {
    char name[64];
    snprintf(name, sizeof(name), "%.31s.fault", id);
    env_fixture(&e, name, fault);
  }
  standin_start(&e, NULL);
  snprintf(ids[0], sizeof(ids[0]), "%.31s", id);
  quo_http_opts_t o = plain;
  if (timeout_ms > 0)
    o.timeout_ms = timeout_ms;
  return fetch(&e, &o, TEST_KEY, ids, 1, 5, &res);
}

START_TEST(valid_call_is_ok) {
  ck_assert_uint_eq(fetch_one("AC3700e624eca547eb9f749a06f2eb1", NULL, 0), 1);
  ck_assert_int_eq(res.calls, 1);
  ck_assert_int_eq(res.out[0].kind, QUO_OUT_OK);
  ck_assert_int_eq(res.out[0].call.duration, 184);
  ck_assert_double_gt(res.out[0].seconds, 0);
}
END_TEST

START_TEST(wrong_key_gets_documented_401) {
  standin_start(&e, NULL);
  strcpy(ids[0], "ACmissed0001");
  fetch(&e, &plain, "wrong", ids, 1, 5, &res);
  ck_assert_int_eq(res.out[0].kind, QUO_OUT_HTTP);
  ck_assert_str_eq(res.out[0].error.code, "0100401");
  ck_assert_str_eq(res.out[0].error.title, "Unauthorized");
  ck_assert(quo_outcome_api_failure(&res.out[0]));
}
END_TEST

START_TEST(each_documented_error_body) {
  static const struct {
    int status;
    const char *code, *title;
  } docs[] = {{400, "0101400", "Too Many Participants"},
              {401, "0100401", "Unauthorized"},
              {403, "0101403", "Not Phone Number User"},
              {404, "0100404", "Not Found"},
              {500, "0101500", "Unknown"}};
  standin_start(&e, NULL);
  for (int i = 0; i < 5; i++) {
    char f[64], c[64];
    snprintf(ids[i], sizeof(ids[i]), "ACerr%d", docs[i].status);
    snprintf(f, sizeof(f), "%.31s.fault", ids[i]);
    snprintf(c, sizeof(c), "status %d\n", docs[i].status);
    env_fixture(&e, f, c);
  }
  fetch(&e, &plain, TEST_KEY, ids, 5, 5, &res);
  for (int i = 0; i < 5; i++) {
    ck_assert_int_eq(res.status[i], docs[i].status);
    ck_assert_int_eq(res.out[i].kind, QUO_OUT_HTTP);
    ck_assert_str_eq(res.out[i].error.code, docs[i].code);
    ck_assert_str_eq(res.out[i].error.title, docs[i].title);
    ck_assert(res.out[i].error.has_code);
  }
}
END_TEST

START_TEST(many_in_flight_over_few_connections) {
  standin_start(&e, NULL);
  /* Each answer takes 100 ms, so transfers overlap only if run at once. */
  for (int i = 0; i < 48; i++) {
    char f[64];
    snprintf(ids[i], sizeof(ids[i]), "ACslow%d", i);
    snprintf(f, sizeof(f), "%.31s.fault", ids[i]);
    env_fixture(&e, f, "delay 100\n");
  }
  quo_http_opts_t o = plain;
  o.max_in_flight = 8;
  ck_assert_uint_eq(fetch(&e, &o, TEST_KEY, ids, 48, 20, &res), 48);
  ck_assert_int_eq(res.calls, 48);
  for (int i = 0; i < 48; i++)
    ck_assert_int_eq(res.status[i], 404); /* no .json: documented 404 */
  /* Connections are reused, never more than the concurrency limit. */
  ck_assert_int_le(standin_stat(&e, "connections"),
                   8 + 1 /* this stats query */);
  long most = standin_stat(&e, "max_concurrent");
  ck_assert_int_gt(most, 1);
  ck_assert_int_le(most, 8);
}
END_TEST

START_TEST(body_over_cap_is_cut_and_invalid) {
  env_fixture(&e, "ACbig0001.json", "{}");
  fetch_one("ACbig0001", "big 2000000\n", 0);
  ck_assert(res.too_large[0]);
  ck_assert_int_eq(res.out[0].kind, QUO_OUT_INVALID);
  ck_assert_str_eq(quo_outcome_error_label(&res.out[0]), "invalid");
}
END_TEST

START_TEST(padded_body_under_cap_is_fine) {
  char body[2048];
  FILE *f = fopen("tests/fixtures/calls/ACmissed0001.json", "r");
  ck_assert_ptr_nonnull(f);
  size_t n = fread(body, 1, sizeof(body) - 1, f);
  fclose(f);
  body[n] = '\0';
  fetch_one("ACmissed0001", "big 900000\n", 0);
  ck_assert(!res.too_large[0]);
  ck_assert_int_eq(res.out[0].kind, QUO_OUT_OK);
}
END_TEST

START_TEST(truncated_body_is_invalid) {
  fetch_one("ACmissed0001", "truncate\n", 0);
  ck_assert_int_ne(res.curl_code[0], 0);
  ck_assert_int_eq(res.status[0], 200);
  ck_assert_int_eq(res.out[0].kind, QUO_OUT_INVALID);
  ck_assert_ptr_nonnull(strstr(res.out[0].detail, "incomplete body"));
}
END_TEST

START_TEST(invalid_json_is_invalid) {
  fetch_one("ACmissed0001", "invalid-json\n", 0);
  ck_assert_int_eq(res.curl_code[0], 0);
  ck_assert_int_eq(res.out[0].kind, QUO_OUT_INVALID);
}
END_TEST

START_TEST(slow_answer_times_out) {
  fetch_one("ACmissed0001", "delay 3000\n", 200);
  ck_assert_int_eq(res.curl_code[0], CURLE_OPERATION_TIMEDOUT);
  ck_assert_int_eq(res.out[0].kind, QUO_OUT_TRANSPORT);
  ck_assert(quo_outcome_api_failure(&res.out[0]));
}
END_TEST

START_TEST(dripping_body_times_out) {
  fetch_one("ACmissed0001", "drip 50\n", 300);
  ck_assert_int_eq(res.curl_code[0], CURLE_OPERATION_TIMEDOUT);
  ck_assert_int_ne(res.out[0].kind, QUO_OUT_OK);
}
END_TEST

START_TEST(nothing_listening_is_transport_failure) {
  standin_start(&e, NULL);
  standin_stop(&e);
  strcpy(ids[0], "ACmissed0001");
  fetch(&e, &plain, TEST_KEY, ids, 1, 5, &res);
  ck_assert_int_eq(res.out[0].kind, QUO_OUT_TRANSPORT);
  char buf[16];
  ck_assert_str_eq(quo_outcome_http_label(&res.out[0], buf, sizeof(buf)),
                   "failed");
}
END_TEST

START_TEST(nothing_starts_past_the_deadline) {
  standin_start(&e, NULL);
  for (int i = 0; i < 3; i++)
    snprintf(ids[i], sizeof(ids[i]), "ACmissed000%d", i);
  ck_assert_uint_eq(fetch(&e, &plain, TEST_KEY, ids, 3, 0, &res), 0);
  ck_assert_int_eq(res.calls, 3);
  for (int i = 0; i < 3; i++) {
    ck_assert(res.skipped[i]);
    ck_assert_int_eq(res.out[i].kind, QUO_OUT_SKIPPED);
  }
  ck_assert_int_eq(standin_stat(&e, "requests"), 0);
}
END_TEST

START_TEST(https_refused_without_trusted_certificate) {
  /* TLS verification is on by default: an https URL to a plain-HTTP port
   * fails in the handshake, never silently succeeds. */
  standin_start(&e, NULL);
  char err[64];
  quo_http_t *h = quo_http_new(&plain, TEST_KEY, err, sizeof(err));
  ck_assert_ptr_nonnull(h);
  char url[128];
  snprintf(url, sizeof(url), "https://127.0.0.1:%d/v1/calls/ACmissed0001",
           e.port);
  const char *u[] = {url};
  strcpy(res.ids[0], "ACmissed0001");
  quo_http_run(h, u, NULL, 1, quo_now() + 5, collect, &res);
  quo_http_free(h);
  ck_assert_int_eq(res.out[0].kind, QUO_OUT_TRANSPORT);
}
END_TEST

/* ---- the continuous mode (the poller's) ---- */

static quo_http_t *fetcher(const quo_http_opts_t *o) {
  char err[128];
  quo_http_t *h = quo_http_new(o, TEST_KEY, err, sizeof(err));
  ck_assert_msg(h != NULL, "%s", err);
  return h;
}

/* Steps h until seen holds total answers, for at most within_s seconds. */
static void step_until(quo_http_t *h, int total, double within_s) {
  double give_up = quo_now() + within_s;
  while (seen.total < total && quo_now() < give_up)
    quo_http_step(h, 0.5, note, &seen);
}

/* Even indexes a call with a body (200), odd ones none (404). */
static void call_url(char *buf, size_t cap, size_t i) {
  if (i % 2 == 0)
    snprintf(buf, cap, "http://127.0.0.1:%d/v1/calls/ACmissed0001", e.port);
  else
    snprintf(buf, cap, "http://127.0.0.1:%d/v1/calls/ACnone%zu", e.port, i);
}

START_TEST(continuous_twenty_urls) {
  standin_start(&e, NULL);
  quo_http_opts_t o = plain;
  o.max_in_flight = 4;
  quo_http_t *h = fetcher(&o);
  ck_assert_int_eq(quo_http_in_flight(h), 0);
  size_t next = 0, n = 20;
  bool saw_full = false;
  double give_up = quo_now() + 15;
  while (seen.total < (int)n && quo_now() < give_up) {
    while (next < n) {
      char url[128];
      call_url(url, sizeof(url), next);
      double wait = -1;
      int rc = quo_http_try_start(h, url, next, &wait);
      ck_assert_int_ge(rc, 0);
      if (rc == 0) {
        /* No budget set: only the slots hold a start back. */
        ck_assert_double_eq(wait, 0);
        ck_assert_int_eq(quo_http_in_flight(h), 4);
        saw_full = true;
        break;
      }
      next++;
      ck_assert_int_le(quo_http_in_flight(h), 4);
    }
    quo_http_step(h, 0.5, note, &seen);
  }
  ck_assert_int_eq(seen.total, (int)n);
  for (size_t i = 0; i < n; i++) {
    ck_assert_msg(seen.answers[i] == 1, "url %zu answered %d times", i,
                  seen.answers[i]);
    ck_assert_int_eq(seen.status[i], i % 2 == 0 ? 200 : 404);
    ck_assert(!seen.skipped[i]);
  }
  ck_assert(saw_full);
  ck_assert_int_eq(quo_http_in_flight(h), 0);
  ck_assert_double_eq(quo_http_paused_until(h), 0);
  quo_http_free(h);
  ck_assert_int_eq(standin_stat(&e, "requests"), (long)n);
}
END_TEST

START_TEST(continuous_budget_says_how_long) {
  standin_start(&e, NULL);
  quo_http_opts_t o = plain;
  o.max_per_second = 3;
  quo_http_t *h = fetcher(&o);
  char url[128];
  call_url(url, sizeof(url), 0);
  double wait = -1;
  for (size_t i = 0; i < 3; i++)
    ck_assert_int_eq(quo_http_try_start(h, url, i, &wait), 1);
  ck_assert_int_eq(quo_http_try_start(h, url, 3, &wait), 0);
  /* The budget, not the slots: it says how long. */
  ck_assert_double_gt(wait, 0);
  ck_assert_double_le(wait, QUO_BUDGET_WINDOW + 0.01);
  ck_assert_int_eq(quo_http_in_flight(h), 3);
  step_until(h, 3, 10);
  ck_assert_int_eq(seen.total, 3);
  quo_http_free(h);
}
END_TEST

typedef struct {
  quo_http_t *h;
  double delay;
  double woke_at;
} waker_t;

static void *wake_later(void *arg) {
  waker_t *w = arg;
  struct timespec ts = {0, (long)(w->delay * 1e9)};
  nanosleep(&ts, NULL);
  w->woke_at = quo_now();
  quo_http_wakeup(w->h);
  return NULL;
}

START_TEST(continuous_wakeup_ends_step) {
  /* The poller's idle wait: nothing in flight, nothing due, a step asked
   * to wait 10 s; stopping wakes it from another thread. quo_http_step
   * cuts any wait to 1 s, so the bound must be below that for this to
   * show the wakeup at all (with a transfer in flight libcurl's own timers
   * end the wait early anyway): liveness, with room for a loaded
   * machine. */
  standin_start(&e, NULL);
  quo_http_t *h = fetcher(&plain);
  /* One transfer first, so the multi handle has been used. */
  char url[128];
  call_url(url, sizeof(url), 0);
  double wait;
  ck_assert_int_eq(quo_http_try_start(h, url, 0, &wait), 1);
  step_until(h, 1, 5);
  ck_assert_int_eq(seen.total, 1);
  ck_assert_int_eq(quo_http_in_flight(h), 0);

  for (int round = 0; round < 2; round++) {
    waker_t w = {.h = h, .delay = 0.1};
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, wake_later, &w), 0);
    double t0 = quo_now();
    quo_http_step(h, 10, note, &seen);
    double took = quo_now() - t0;
    pthread_join(th, NULL);
    /* The step returns soon after the wakeup, however late the waker
     * thread itself ran; a missed wakeup would run the full 10 s. */
    ck_assert_msg(took - (w.woke_at - t0) < 0.5,
                  "round %d: step took %.3f s after a wakeup at "
                  "%.3f s",
                  round, took, w.woke_at - t0);
  }
  ck_assert_int_eq(seen.total, 1);
  quo_http_free(h);
}
END_TEST

/* ---- environment proxies ---- */

static const char *const proxy_vars[] = {"http_proxy",  "HTTP_PROXY",
                                         "https_proxy", "HTTPS_PROXY",
                                         "ALL_PROXY",   "all_proxy"};
#define NPROXY (sizeof(proxy_vars) / sizeof(proxy_vars[0]))

static size_t count_body(char *p, size_t size, size_t n, void *ud) {
  (void)p;
  *(size_t *)ud += size * n;
  return size * n;
}

START_TEST(environment_proxy_ignored) {
  standin_start(&e, NULL);
  /* A proxy nobody listens on, and no exemption for loopback. Nothing
   * here may call the harness's libcurl helpers until it is restored. */
  char *saved[NPROXY + 2];
  for (size_t i = 0; i < NPROXY; i++) {
    const char *v = getenv(proxy_vars[i]);
    saved[i] = v ? strdup(v) : NULL;
    setenv(proxy_vars[i], "http://127.0.0.1:1", 1);
  }
  const char *np = getenv("no_proxy"), *NP = getenv("NO_PROXY");
  saved[NPROXY] = np ? strdup(np) : NULL;
  saved[NPROXY + 1] = NP ? strdup(NP) : NULL;
  unsetenv("no_proxy");
  unsetenv("NO_PROXY");

  char url[128];
  snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/calls/ACmissed0001",
           e.port);
  /* Control: plain libcurl does take the proxy from this environment. */
  CURL *c = curl_easy_init();
  ck_assert_ptr_nonnull(c);
  size_t got = 0;
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, count_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &got);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 3000L);
  CURLcode cc = curl_easy_perform(c);
  curl_easy_cleanup(c);
  ck_assert_msg(cc != CURLE_OK, "libcurl ignored the proxy environment: "
                                "this test shows nothing");

  /* The fetcher reaches the stand-in directly. */
  quo_http_t *h = fetcher(&plain);
  const char *u[] = {url, url};
  ck_assert_uint_eq(quo_http_run(h, u, NULL, 2, quo_now() + 5, note, &seen), 2);
  double wait;
  ck_assert_int_eq(quo_http_try_start(h, url, 2, &wait), 1);
  step_until(h, 3, 5);
  quo_http_free(h);
  for (int i = 0; i < 3; i++)
    ck_assert_msg(seen.status[i] == 200, "request %d: HTTP %ld", i,
                  seen.status[i]);

  for (size_t i = 0; i < NPROXY; i++) {
    if (saved[i] != NULL)
      setenv(proxy_vars[i], saved[i], 1);
    else
      unsetenv(proxy_vars[i]);
    free(saved[i]);
  }
  if (saved[NPROXY] != NULL)
    setenv("no_proxy", saved[NPROXY], 1);
  if (saved[NPROXY + 1] != NULL)
    setenv("NO_PROXY", saved[NPROXY + 1], 1);
  free(saved[NPROXY]);
  free(saved[NPROXY + 1]);
  /* Asked with the environment restored (the harness uses libcurl too):
   * the fetcher's three requests came, the control's did not. */
  ck_assert_int_eq(standin_stat(&e, "requests"), 3);
}
END_TEST

/* ---- skipped while a 429 pauses ---- */

START_TEST(skipped_during_429_pause_say_paused) {
  /* One request a second; a 429 says wait 5 s, past the 3 s deadline:
   * what is left is skipped, and says why. */
  static const char *const extra[] = {"--rate-limit", "1", "--retry-after", "5",
                                      NULL};
  standin_start(&e, extra);
  quo_http_opts_t o = plain;
  o.max_in_flight = 1; /* one after the other: the 429 comes second */
  quo_http_t *h = fetcher(&o);
  char urls[4][128];
  const char *u[4];
  for (size_t i = 0; i < 4; i++) {
    call_url(urls[i], sizeof(urls[i]), 0);
    u[i] = urls[i];
  }
  double t0 = quo_now();
  size_t started = quo_http_run(h, u, NULL, 4, t0 + 3, note, &seen);
  ck_assert_uint_eq(started, 2);
  ck_assert_int_eq(seen.total, 4);
  ck_assert_int_eq(seen.status[0], 200);
  ck_assert(!seen.paused[0]);
  ck_assert_int_eq(seen.status[1], 429);
  ck_assert_double_eq_tol(seen.retry_after[1], 5, 1e-9);
  ck_assert(!seen.paused[1]);
  for (int i = 2; i < 4; i++) {
    ck_assert_msg(seen.skipped[i], "request %d not skipped", i);
    ck_assert_msg(seen.paused[i], "request %d skipped but not paused", i);
  }
  /* The pause is Retry-After long, from the 429 on. */
  double until = quo_http_paused_until(h);
  ck_assert_double_gt(until, t0 + 4.5);
  ck_assert_double_le(until, quo_now() + 5.01);
  quo_http_free(h);
  ck_assert_int_eq(standin_stat(&e, "requests"), 2);
}
END_TEST

START_TEST(skipped_at_deadline_not_paused) {
  /* Skipped for want of time, no 429: not paused. */
  standin_start(&e, NULL);
  quo_http_t *h = fetcher(&plain);
  char url[128];
  call_url(url, sizeof(url), 0);
  const char *u[] = {url, url};
  ck_assert_uint_eq(quo_http_run(h, u, NULL, 2, quo_now(), note, &seen), 0);
  ck_assert_int_eq(seen.total, 2);
  for (int i = 0; i < 2; i++) {
    ck_assert(seen.skipped[i]);
    ck_assert(!seen.paused[i]);
  }
  quo_http_free(h);
}
END_TEST

IT_SUITE(http_suite, "http", IT_CASE_EACH("fetcher", 30, setup, teardown),
         IT_TEST(valid_call_is_ok), IT_TEST(wrong_key_gets_documented_401),
         IT_TEST(each_documented_error_body),
         IT_TEST(many_in_flight_over_few_connections),
         IT_TEST(body_over_cap_is_cut_and_invalid),
         IT_TEST(padded_body_under_cap_is_fine),
         IT_TEST(truncated_body_is_invalid), IT_TEST(invalid_json_is_invalid),
         IT_TEST(slow_answer_times_out), IT_TEST(dripping_body_times_out),
         IT_TEST(nothing_listening_is_transport_failure),
         IT_TEST(nothing_starts_past_the_deadline),
         IT_TEST(https_refused_without_trusted_certificate),
         IT_TEST(continuous_twenty_urls),
         IT_TEST(continuous_budget_says_how_long),
         IT_TEST(continuous_wakeup_ends_step),
         IT_TEST(environment_proxy_ignored),
         IT_TEST(skipped_during_429_pause_say_paused),
         IT_TEST(skipped_at_deadline_not_paused))
