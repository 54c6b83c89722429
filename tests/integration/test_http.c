/* The fetcher (plugin/core/http.c) against the stand-in API, without
 * collectd: concurrency, connection reuse, the body cap, timeouts,
 * truncation, the deadline, and the classified outcome of each. */
#define _GNU_SOURCE
#include "harness.h"
#include "suites.h"

#include "http.h"
#include "outcome.h"

#include <check.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const quo_http_opts_t plain = {
    .verify_peer = true, .verify_host = true, .timeout_ms = 2000};

static env_t e;
static results_t res;
static char ids[MAX_URLS][32];

static void setup(void) {
  env_setup(&e);
  memset(&res, 0, sizeof(res));
  memset(ids, 0, sizeof(ids));
}

static void teardown(void) {
  env_teardown(&e);
}

START_TEST(valid_call_is_ok) {
  standin_start(&e, NULL);
  strcpy(ids[0], "AC3700e624eca547eb9f749a06f2eb1");
  ck_assert_uint_eq(fetch(&e, &plain, TEST_KEY, ids, 1, 5, &res), 1);
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
  env_fixture(&e, "ACbig0001.fault", "big 2000000\n");
  env_fixture(&e, "ACbig0001.json", "{}");
  standin_start(&e, NULL);
  strcpy(ids[0], "ACbig0001");
  fetch(&e, &plain, TEST_KEY, ids, 1, 5, &res);
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
  env_fixture(&e, "ACmissed0001.fault", "big 900000\n");
  standin_start(&e, NULL);
  strcpy(ids[0], "ACmissed0001");
  fetch(&e, &plain, TEST_KEY, ids, 1, 5, &res);
  ck_assert(!res.too_large[0]);
  ck_assert_int_eq(res.out[0].kind, QUO_OUT_OK);
}
END_TEST

START_TEST(truncated_body_is_invalid) {
  env_fixture(&e, "ACmissed0001.fault", "truncate\n");
  standin_start(&e, NULL);
  strcpy(ids[0], "ACmissed0001");
  fetch(&e, &plain, TEST_KEY, ids, 1, 5, &res);
  ck_assert_int_ne(res.curl_code[0], 0);
  ck_assert_int_eq(res.status[0], 200);
  ck_assert_int_eq(res.out[0].kind, QUO_OUT_INVALID);
  ck_assert_ptr_nonnull(strstr(res.out[0].detail, "incomplete body"));
}
END_TEST

START_TEST(invalid_json_is_invalid) {
  env_fixture(&e, "ACmissed0001.fault", "invalid-json\n");
  standin_start(&e, NULL);
  strcpy(ids[0], "ACmissed0001");
  fetch(&e, &plain, TEST_KEY, ids, 1, 5, &res);
  ck_assert_int_eq(res.curl_code[0], 0);
  ck_assert_int_eq(res.out[0].kind, QUO_OUT_INVALID);
}
END_TEST

START_TEST(slow_answer_times_out) {
  env_fixture(&e, "ACmissed0001.fault", "delay 3000\n");
  standin_start(&e, NULL);
  strcpy(ids[0], "ACmissed0001");
  quo_http_opts_t o = plain;
  o.timeout_ms = 200;
  fetch(&e, &o, TEST_KEY, ids, 1, 5, &res);
  ck_assert_int_eq(res.curl_code[0], CURLE_OPERATION_TIMEDOUT);
  ck_assert_int_eq(res.out[0].kind, QUO_OUT_TRANSPORT);
  ck_assert(quo_outcome_api_failure(&res.out[0]));
}
END_TEST

START_TEST(dripping_body_times_out) {
  env_fixture(&e, "ACmissed0001.fault", "drip 50\n");
  standin_start(&e, NULL);
  strcpy(ids[0], "ACmissed0001");
  quo_http_opts_t o = plain;
  o.timeout_ms = 300;
  fetch(&e, &o, TEST_KEY, ids, 1, 5, &res);
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

Suite *http_suite(void) {
  Suite *s = suite_create("http");
  TCase *tc = tcase_create("fetcher");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, valid_call_is_ok);
  tcase_add_test(tc, wrong_key_gets_documented_401);
  tcase_add_test(tc, each_documented_error_body);
  tcase_add_test(tc, many_in_flight_over_few_connections);
  tcase_add_test(tc, body_over_cap_is_cut_and_invalid);
  tcase_add_test(tc, padded_body_under_cap_is_fine);
  tcase_add_test(tc, truncated_body_is_invalid);
  tcase_add_test(tc, invalid_json_is_invalid);
  tcase_add_test(tc, slow_answer_times_out);
  tcase_add_test(tc, dripping_body_times_out);
  tcase_add_test(tc, nothing_listening_is_transport_failure);
  tcase_add_test(tc, nothing_starts_past_the_deadline);
  tcase_add_test(tc, https_refused_without_trusted_certificate);
  suite_add_tcase(s, tc);
  return s;
}
