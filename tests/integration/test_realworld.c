/* Real-world call objects (tests/fixtures/realworld, each with its
 * provenance in a .source file) through quo.so in a real collectd: each
 * yields its duration, answer latency and status while the API stays
 * healthy; the dated API version end to end against the stand-in; bad
 * APIVersion values refused by name with collectd left running. */
#define _GNU_SOURCE
#include "harness.h"
#include "suites.h"

#include <check.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The v1 fixtures that carry the four required fields, with what collectd
 * must show for them (the same figures test_call.c checks in the core). */
static const struct {
  const char *id;
  const char *status;
  double duration;
  double latency; /* < 0: answeredAt is null, no latency-answer */
} v1_calls[] = {
    {"ACfriggApiCompletedIn", "completed", 76, 1.89},
    {"ACfriggApiCompletedOut", "completed", 120, 5.0},
    {"ACfriggApiMissed", "no-answer", 16, -1},
    {"ACfriggApiEmpty", "no-answer", 16, -1},
    {"ACfriggApiAi", "completed", 95, 2.0},
    {"ACfriggV4Completed", "completed", 76, 1.89},
    {"ACfriggV4Recording", "completed", 76, 1.89},
    {"ACfriggV4EmptyPart", "no-answer", 16, -1},
    {"ACfriggV4FullDetails", "no-answer", 16, -1},
    {"ACsXlF0", "ringing", 60, 0.0},
};
#define NV1 (sizeof(v1_calls) / sizeof(v1_calls[0]))

/* Copies the real-world call objects next to the harness's fixtures: their
 * file names are their call IDs, as the stand-in wants. */
static void add_realworld(env_t *e) {
  char cmd[1024];
  snprintf(cmd, sizeof(cmd), "cp tests/fixtures/realworld/*.json '%s'/",
           e->fixtures);
  ck_assert_int_eq(system(cmd), 0);
}

static char *base_body(env_t *e, const char *more) {
  char *b = NULL;
  ck_assert_int_gt(asprintf(&b,
                            "  BaseURL \"http://127.0.0.1:%d\"\n"
                            "  APIKeyFile \"%s\"\n%s\n",
                            e->port, e->key_file, more),
                   0);
  return b;
}

/* Every value in ident's csv files (all days), asserted to equal want. */
static void assert_all_rows(env_t *e, const char *ident, double want) {
  const char *path = csv_path(e, ident);
  ck_assert_msg(path != NULL, "%s not written", ident);
  char *text = slurp(path);
  int rows = 0;
  for (char *line = strtok(text, "\n"); line != NULL;
       line = strtok(NULL, "\n")) {
    char *comma = strchr(line, ',');
    if (comma == NULL || line[0] < '0' || line[0] > '9')
      continue; /* the header */
    double v = strtod(comma + 1, NULL);
    ck_assert_msg(v == want, "%s has a row %s, want %g", ident, line, want);
    rows++;
  }
  free(text);
  ck_assert_int_ge(rows, 1);
}

/* ---- v1: a mix of real-world call objects ---- */

static env_t v1;

static void v1_setup(void) {
  env_setup(&v1);
  add_realworld(&v1);
  standin_start(&v1, NULL);
  char calls[2048] = "";
  for (size_t i = 0; i < NV1; i++)
    snprintf(calls + strlen(calls), sizeof(calls) - strlen(calls),
             "  Call \"%s\"\n", v1_calls[i].id);
  char *body = base_body(&v1, calls);
  const char *conf = collectd_conf(&v1, "realworld", 1, body, NULL);
  free(body);
  /* Waits on the last call's values: fetching may run beside the read
   * callback, so the plugin-wide metrics can come first. */
  char ident[128];
  snprintf(ident, sizeof(ident), "quo-%s/duration", v1_calls[NV1 - 1].id);
  collectd_run(&v1, conf, ident, 3, 40);
}

static void v1_teardown(void) {
  env_teardown(&v1);
}

START_TEST(realworld_v1_values) {
  /* _i: one real-world call. */
  const char *id = v1_calls[_i].id;
  char ident[160];
  snprintf(ident, sizeof(ident), "quo-%s/duration", id);
  ck_assert_msg(csv_path(&v1, ident) != NULL, "%s not dispatched", ident);
  ck_assert_double_eq(csv_last(&v1, ident), v1_calls[_i].duration);

  snprintf(ident, sizeof(ident), "quo-%s/latency-answer", id);
  if (v1_calls[_i].latency < 0) {
    ck_assert_msg(csv_path(&v1, ident) == NULL, "%s dispatched", ident);
  } else {
    ck_assert_msg(csv_path(&v1, ident) != NULL, "%s not dispatched", ident);
    ck_assert_double_eq_tol(csv_last(&v1, ident), v1_calls[_i].latency, 1e-3);
  }

  snprintf(ident, sizeof(ident), "quo-%s/bool-status-%s", id,
           v1_calls[_i].status);
  ck_assert_msg(csv_path(&v1, ident) != NULL, "%s not dispatched", ident);
  ck_assert_double_eq(csv_last(&v1, ident), 1);
}
END_TEST

START_TEST(realworld_v1_api_stays_healthy) {
  assert_all_rows(&v1, "quo-api/bool-healthy", 1);
  ck_assert_ptr_null(csv_path(&v1, "quo-api/errors-invalid"));
  assert_logged(&v1, "invalid call object", 0);
  /* All on the v1 path, none on the dated one. */
  ck_assert_int_ge(standin_stat(&v1, "v1_requests"), (long)NV1);
  ck_assert_int_eq(standin_stat(&v1, "dated_requests"), 0);
  assert_logged(&v1, TEST_KEY, 0);
}
END_TEST

/* ---- the dated version: /calls/{id} with Quo-Api-Version ---- */

/* These cases run each test in a fresh environment (IT_CASE_ENV). */
static env_t *const e = &test_env;

static size_t sink(char *p, size_t size, size_t n, void *f) {
  return fwrite(p, size, n, f);
}

/* The stand-in's last_version in /_stats, malloc'd. */
static char *standin_last_version(env_t *e) {
  char *buf = standin_get(e, "/_stats");
  const char *key = "\"last_version\":\"";
  char *p = strstr(buf, key);
  ck_assert_msg(p != NULL, "no last_version in %s", buf);
  p += strlen(key);
  char *v = strndup(p, strcspn(p, "\""));
  free(buf);
  return v;
}

/* The stand-in saw at least `requests` calls on the dated path, every one
 * with the header, the last one `version`, and none on the v1 path. */
static void assert_dated_only(env_t *e, long requests, const char *version) {
  ck_assert_int_ge(standin_stat(e, "dated_requests"), requests);
  ck_assert_int_eq(standin_stat(e, "v1_requests"), 0);
  ck_assert_int_eq(standin_stat(e, "missing_version"), 0);
  char *v = standin_last_version(e);
  ck_assert_str_eq(v, version);
  free(v);
}

START_TEST(dated_version_end_to_end) {
  add_realworld(e);
  standin_start(e, NULL);
  /* AC123abc is the 2026-03-30 reference's own example call. */
  char *body = base_body(e, "  APIVersion \"2026-03-30\"\n"
                            "  Call \"AC123abc\"\n");
  const char *conf = collectd_conf(e, "dated", 1, body, NULL);
  free(body);
  ck_assert_int_ge(collectd_run(e, conf, "quo-AC123abc/duration", 2, 30), 2);
  ck_assert_double_eq(csv_last(e, "quo-AC123abc/duration"), 60);
  ck_assert_double_eq_tol(csv_last(e, "quo-AC123abc/latency-answer"), 0, 1e-6);
  ck_assert_double_eq(csv_last(e, "quo-AC123abc/bool-status-completed"), 1);
  assert_all_rows(e, "quo-api/bool-healthy", 1);
  /* The stand-in saw the dated path, always with the header (once: the
   * call is finished, and FinalRefreshInterval is an hour). */
  assert_dated_only(e, 1, "2026-03-30");
  assert_logged(e, "newer than the newest", 0);
}
END_TEST

START_TEST(later_api_version_accepted_warned_once) {
  add_realworld(e);
  standin_start(e, NULL);
  /* A live call, so fetched at every read: the version goes out each time
   * and the warning still comes only once, at start. */
  env_call_fixture(e, "AClater0001", "in-progress", false);
  char *body = base_body(e, "  APIVersion \"2027-01-15\"\n"
                            "  Call \"AC123abc\"\n  Call \"AClater0001\"\n");
  const char *conf = collectd_conf(e, "later", 1, body, NULL);
  free(body);
  ck_assert_int_ge(collectd_run(e, conf, "quo-AClater0001/duration", 3, 30), 3);
  ck_assert_double_eq(csv_last(e, "quo-AC123abc/duration"), 60);
  ck_assert_double_eq(csv_last(e, "quo-AC123abc/bool-status-completed"), 1);
  ck_assert_double_eq(csv_last(e, "quo-AClater0001/bool-status-in-progress"),
                      1);
  assert_all_rows(e, "quo-api/bool-healthy", 1);
  /* The dated path with the version as configured, never without it. */
  assert_dated_only(e, 4, "2027-01-15");
  assert_logged(
      e,
      "quo plugin: APIVersion \"2027-01-15\" is newer than the newest "
      "this release knows (2026-03-30); its call objects are read by "
      "the same tolerant rules.",
      1);
  assert_logged(e, "newer than the newest", 1);
  assert_logged(e, "configuration refused", 0);
}
END_TEST

START_TEST(standin_refuses_dated_path_without_header) {
  /* What the plugin must never cause, and what the stand-in answers when
   * it happens: a 400 in the dated envelope. */
  add_realworld(e);
  standin_start(e, NULL);
  char url[128], *buf = NULL, *key = slurp(e->key_file);
  key[strcspn(key, "\r\n")] = '\0';
  size_t len = 0;
  snprintf(url, sizeof(url), "http://127.0.0.1:%d/calls/AC123abc", e->port);
  char auth[600];
  snprintf(auth, sizeof(auth), "Authorization: %s", key);
  free(key);
  struct curl_slist *h = curl_slist_append(NULL, auth);
  FILE *m = open_memstream(&buf, &len);
  CURL *c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, m);
  ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(c);
  curl_slist_free_all(h);
  fclose(m);
  ck_assert_int_eq(status, 400);
  ck_assert_ptr_nonnull(strstr(buf, "\"title\":\"Bad Request\""));
  ck_assert_ptr_nonnull(strstr(buf, "Quo-Api-Version"));
  ck_assert_ptr_null(strstr(buf, "\"code\""));
  free(buf);
  ck_assert_int_eq(standin_stat(e, "missing_version"), 1);
}
END_TEST

/* ---- APIVersion values refused by name ---- */

static const char *const bad_versions[] = {"v2", "2026-3-30", "2025-01-01"};

START_TEST(bad_api_version_refused_by_name) {
  e->port = 9; /* nothing is fetched: any valid port */
  char more[256];
  snprintf(more, sizeof(more), "  APIVersion \"%s\"\n  Call \"ACsXlF0\"\n",
           bad_versions[_i]);
  char *body = base_body(e, more);
  char want[128];
  snprintf(want, sizeof(want), "option \"APIVersion\": \"%s\"",
           bad_versions[_i]);
  collectd_expect_refused(e, body, want);
  free(body);
}
END_TEST

IT_SUITE(realworld_suite, "realworld",
         IT_CASE_ONCE("v1 real-world calls", 60, v1_setup, v1_teardown),
         IT_LOOP_N(realworld_v1_values, (int)NV1),
         IT_TEST(realworld_v1_api_stays_healthy),
         IT_CASE_ENV("api versions", 60), IT_TEST(dated_version_end_to_end),
         IT_TEST(later_api_version_accepted_warned_once),
         IT_TEST(standin_refuses_dated_path_without_header),
         IT_LOOP(bad_api_version_refused_by_name, bad_versions))
