/* The fault matrix: whatever the network or the API sends, collectd stays
 * up, no read runs past its interval, the good calls keep their values, and
 * each failure is counted and reported once. */
#define _GNU_SOURCE
#include "harness.h"
#include "suites.h"

#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const names[17] = {
    "answeredAt", "answeredBy",    "initiatedBy",  "direction",
    "status",     "completedAt",   "createdAt",    "callRoute",
    "duration",   "forwardedFrom", "forwardedTo",  "aiHandled",
    "id",         "phoneNumberId", "participants", "updatedAt",
    "userId"};

/* The fields whose wrong type makes a body invalid (SPEC "Reading real call
 * objects"); a wrong type in any other is schema drift: valid, logged. */
static bool strict_field(const char *name) {
  static const char *const strict[] = {"answeredAt", "status",   "completedAt",
                                       "createdAt",  "duration", "id"};
  for (size_t i = 0; i < sizeof(strict) / sizeof(strict[0]); i++)
    if (strcmp(name, strict[i]) == 0)
      return true;
  return false;
}
#define N_STRICT 6

/* A valid live call body with one field replaced by raw JSON text. */
static char *body_with(const char *id, const char *field, const char *json) {
  char idq[80];
  snprintf(idq, sizeof(idq), "\"%s\"", id);
  const char *values[] = {"\"2026-11-27T10:00:07Z\"",
                          "\"US1\"",
                          "null",
                          "\"incoming\"",
                          "\"in-progress\"",
                          "null",
                          "\"2026-11-27T10:00:00Z\"",
                          "null",
                          "42",
                          "null",
                          "null",
                          "null",
                          idq,
                          "\"PN1\"",
                          "[\"+15555550100\"]",
                          "null",
                          "\"US1\""};
  char *out = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&out, &len);
  fputs("{\"data\":{", m);
  for (int i = 0; i < 17; i++)
    fprintf(m, "%s\"%s\":%s", i ? "," : "", names[i],
            field && strcmp(field, names[i]) == 0 ? json : values[i]);
  fputs("}}", m);
  fclose(m);
  return out;
}

static void fixture_body(env_t *e, const char *id, const char *body,
                         size_t len) {
  char path[600];
  snprintf(path, sizeof(path), "%s/%s.json", e->fixtures, id);
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(body, 1, len, f), len);
  fclose(f);
}

static void call_with(env_t *e, const char *id, const char *field,
                      const char *json) {
  char *b = body_with(id, field, json);
  fixture_body(e, id, b, strlen(b));
  free(b);
}

static void fault(env_t *e, const char *id, const char *mode) {
  char name[64];
  snprintf(name, sizeof(name), "%s.fault", id);
  env_fixture(e, name, mode);
  call_with(e, id, NULL, NULL); /* a body behind the fault */
}

/* Calls whose responses are invalid 200 bodies, by kind. A body that
 * drips past Timeout is one of them: the 200 came, the body never did. */
static const char *const invalid_ids[] = {
    "ACdrip",       "ACtrunc",   "ACbig10", "ACbig100", "ACdeep",
    "ACnulbyte",    "ACutf8",    "ACinf",   "ACnegdur", "ACmonth13",
    "ACtypestatus", "ACtypedur", "ACtypeid"};
#define N_INVALID (sizeof(invalid_ids) / sizeof(invalid_ids[0]))
static const char *const failed_ids[] = {"ACslow"};

/* The value of every drifted field in the matrix: no log line or check_quo
 * output may ever carry it. */
#define DRIFT_VALUE "drift-value-never-shown"

/* The fields ACoddstr sends as strings of an undocumented shape, and the
 * shape each is reported as. */
static const struct {
  const char *field, *shape;
} str_drift[] = {{"direction", "string not incoming or outgoing"},
                 {"phoneNumberId", "string not matching PN..."}};

static env_t fx;
static int fx_cycles;

static void matrix_setup(void) {
  env_setup(&fx);
  env_t *e = &fx;
  call_with(e, "ACgood1", NULL, NULL);
  env_fixture(e, "ACgood2.json",
              "{\"data\":{\"answeredAt\":null,\"answeredBy\":null,"
              "\"initiatedBy\":null,\"direction\":\"outgoing\",\"status\":"
              "\"no-answer\",\"completedAt\":\"2026-11-27T10:01:00Z\","
              "\"createdAt\":\"2026-11-27T10:00:00Z\",\"callRoute\":null,"
              "\"duration\":0,\"forwardedFrom\":null,\"forwardedTo\":null,"
              "\"aiHandled\":null,\"id\":\"ACgood2\",\"phoneNumberId\":"
              "\"PN1\",\"participants\":[],\"updatedAt\":null,\"userId\":"
              "\"US1\"}}");
  /* A far future, far east timestamp is still a timestamp. */
  call_with(e, "ACy9999", "answeredAt", "\"9999-12-31T23:59:59.999+14:00\"");

  fault(e, "ACslow", "delay 3000\n");
  fault(e, "ACdrip", "drip 100\n");
  fault(e, "ACtrunc", "truncate\n");
  fault(e, "ACbig10", "big 10485760\n");
  fault(e, "ACbig100", "big 104857600\n");
  fault(e, "AChtml", "html 502\n");
  env_fixture(e, "ACfmt.fault",
              "raw 500 {\"message\":\"%s%s%n%x \\u001b[2J\\u001b]0;pwned"
              "\\u0007\\r\\nFAKE LOG LINE\",\"code\":\"0101500\","
              "\"title\":\"%n%n%n\"}\n");

  /* 200 000 levels of nesting inside an unknown field. */
  size_t depth = 200000;
  char *deep = malloc(2 * depth + 64);
  size_t n = (size_t)sprintf(deep, "{\"data\":{\"x\":");
  memset(deep + n, '[', depth);
  n += depth;
  memset(deep + n, ']', depth);
  n += depth;
  n += (size_t)sprintf(deep + n, "}}");
  fixture_body(e, "ACdeep", deep, n);
  free(deep);

  /* A raw NUL byte, and bytes that are not UTF-8, inside strings. */
  char *b = body_with("ACnulbyte", "answeredBy", "\"US\x01X\"");
  char *p = strstr(b, "\x01");
  *p = '\0';
  fixture_body(e, "ACnulbyte", b, strlen(b) + 1 + strlen(p + 1));
  free(b);
  call_with(e, "ACutf8", "callRoute", "\"phone\xff\xfe-menu\"");

  call_with(e, "ACinf", "duration", "1e400");
  call_with(e, "ACnegdur", "duration", "-60");
  call_with(e, "ACmonth13", "createdAt", "\"2026-13-01T00:00:00Z\"");
  call_with(e, "ACtypestatus", "status", "5");
  call_with(e, "ACtypedur", "duration", "\"60\"");
  call_with(e, "ACtypeid", "id", "[\"ACtypeid\"]");
  /* Every field once with a type none of them has: an object. */
  for (int i = 0; i < 17; i++) {
    char id[16];
    snprintf(id, sizeof(id), "ACobj%02d", i);
    call_with(e, id, names[i], "{\"wrong\":\"" DRIFT_VALUE "\"}");
  }
  /* Strings of an undocumented shape: drift whose value a careless log
   * line would print. */
  char *sd = body_with("ACoddstr", "direction", "\"sideways-" DRIFT_VALUE "\"");
  char *pn = strstr(sd, "\"PN1\"");
  ck_assert_ptr_nonnull(pn);
  char *sd2 = NULL;
  ck_assert_int_gt(asprintf(&sd2, "%.*s\"XX-%s\"%s", (int)(pn - sd), sd,
                            DRIFT_VALUE, pn + strlen("\"PN1\"")),
                   0);
  fixture_body(e, "ACoddstr", sd2, strlen(sd2));
  free(sd);
  free(sd2);

  standin_start(e, NULL);
  char calls[4096] = "";
  const char *all[] = {"ACgood1", "ACgood2", "ACy9999", "AChtml", "ACfmt"};
  for (size_t i = 0; i < 5; i++)
    sprintf(calls + strlen(calls), "  Call \"%s\"\n", all[i]);
  sprintf(calls + strlen(calls), "  Call \"%s\"\n", failed_ids[0]);
  for (size_t i = 0; i < N_INVALID; i++)
    sprintf(calls + strlen(calls), "  Call \"%s\"\n", invalid_ids[i]);
  for (int i = 0; i < 17; i++)
    sprintf(calls + strlen(calls), "  Call \"ACobj%02d\"\n", i);
  sprintf(calls + strlen(calls), "  Call \"ACoddstr\"\n");
  const char *conf = collectd_conf_fmt(e, "matrix", 1,
                                       "  BaseURL \"http://127.0.0.1:%d\"\n"
                                       "  APIKeyFile \"%s\"\n  Timeout 500\n"
                                       "  MaxRequestsPerSecond 0\n%s",
                                       e->port, e->key_file, calls);
  pid_t pid = collectd_start(e, conf);
  fx_cycles = collectd_wait(e, pid, "quo-api/bool-healthy", 4, 40);
  /* Still up after all of it. */
  ck_assert_int_eq(kill(pid, 0), 0);
  collectd_stop(pid);
  fx_cycles = csv_rows(e, "quo-api/bool-healthy");
}

/* A count of something that happens every interval, read at the last of
 * `cycles` reads: the first read comes before the poller's first answers,
 * and the poller's fetches and collectd's reads are not in step. */
static void assert_every_interval(const char *what, double v, int cycles) {
  ck_assert_msg(v >= cycles - 1 && v <= cycles, "%s: %g in %d reads", what, v,
                cycles);
}

static void matrix_teardown(void) {
  env_teardown(&fx);
}

START_TEST(collectd_stayed_up_reads_within_interval) {
  ck_assert_int_ge(fx_cycles, 4);
  assert_logged(&fx, "above its read interval", 0);
}
END_TEST

START_TEST(good_calls_keep_their_values) {
  assert_every_interval("ACgood1 rows", csv_rows(&fx, "quo-ACgood1/duration"),
                        fx_cycles);
  ck_assert_double_eq(csv_last(&fx, "quo-ACgood1/duration"), 42);
  assert_every_interval("ACgood2 rows",
                        csv_rows(&fx, "quo-ACgood2/bool-status-no-answer"),
                        fx_cycles);
  ck_assert_double_eq(csv_last(&fx, "quo-ACgood2/bool-status-no-answer"), 1);
  /* 9999-12-31T23:59:59.999+14:00 - 2026-11-27T10:00:00Z */
  ck_assert_double_eq_tol(csv_last(&fx, "quo-ACy9999/latency-answer"),
                          251606476799.999, 1e-2);
}
END_TEST

START_TEST(invalid_bodies_counted_backed_off_logged_once) {
  /* Each invalid call is fetched, then backs off on its own (again after 2
   * intervals): once or twice in 4 reads, never every interval. */
  double invalid = csv_last(&fx, "quo-api/errors-invalid");
  ck_assert_double_ge(invalid, (double)(N_INVALID + N_STRICT));
  ck_assert_double_le(invalid, (double)(N_INVALID + N_STRICT) * 2);
  for (size_t i = 0; i < N_INVALID; i++) {
    char ident[64], line[128];
    snprintf(ident, sizeof(ident), "quo-%s/duration", invalid_ids[i]);
    ck_assert_msg(csv_path(&fx, ident) == NULL, "%s dispatched", ident);
    snprintf(line, sizeof(line), "quo plugin: call %s (%s): HTTP 200, ",
             invalid_ids[i], invalid_ids[i]);
    assert_logged(&fx, line, 1);
  }
  const char *log = collectd_log(&fx);
  ck_assert_int_ge(count_in_file(log, "larger than 1048576 bytes"), 2);
  ck_assert_int_ge(count_in_file(log, "nesting too deep"), 1);
  ck_assert_int_ge(count_in_file(log, "incomplete body"), 1);
  ck_assert_int_ge(count_in_file(log, "field 'duration': not an integer"), 1);
  ck_assert_int_ge(count_in_file(log, "field 'duration': negative"), 1);
  ck_assert_int_ge(count_in_file(log, "field 'createdAt': not an ISO 8601"), 1);
}
END_TEST

START_TEST(wrong_type_in_every_field) {
  /* An object where a strict field wants a string or a number: invalid,
   * logged once, nothing dispatched. In any other field: drift, and the
   * call's values are dispatched as usual. */
  for (int i = 0; i < 17; i++) {
    char line[160], ident[64];
    snprintf(ident, sizeof(ident), "quo-ACobj%02d/duration", i);
    if (!strict_field(names[i])) {
      ck_assert_msg(csv_path(&fx, ident) != NULL, "%s (%s drifted) missing",
                    ident, names[i]);
      ck_assert_double_eq(csv_last(&fx, ident), 42);
      continue;
    }
    snprintf(line, sizeof(line),
             "quo plugin: call ACobj%02d (ACobj%02d): HTTP 200, invalid call "
             "object: field '%s': wrong type",
             i, i, names[i]);
    assert_logged(&fx, line, 1);
    ck_assert_ptr_null(csv_path(&fx, ident));
  }
}
END_TEST

/* The shape ACobj<i>'s drifted field is logged with: an object, unless
 * ACoddstr drifted the same field first (once per field name). */
static bool str_drifted(const char *field) {
  for (size_t i = 0; i < IT_ROWS(str_drift); i++)
    if (strcmp(field, str_drift[i].field) == 0)
      return true;
  return false;
}

START_TEST(drift_logged_once_per_field_never_the_value) {
  /* Each drifted call was fetched at every read (live, no back-off):
   * several answers drifted the same fields. */
  ck_assert_int_ge(standin_stat(&fx, "ACobj07"), 3);
  ck_assert_int_ge(standin_stat(&fx, "ACoddstr"), 3);
  static const char tail[] =
      ", not of a documented shape: ignored (schema drift; logged once per "
      "field)";
  int drifted = 0;
  for (int i = 0; i < 17; i++) {
    if (strict_field(names[i]))
      continue;
    drifted++;
    char line[300];
    /* Once per field name, whichever call drifted it. */
    snprintf(line, sizeof(line), ": field \"%s\" is ", names[i]);
    assert_logged(&fx, line, 1);
    if (str_drifted(names[i]))
      continue;
    snprintf(line, sizeof(line),
             "quo plugin: call ACobj%02d: field \"%s\" is object%s", i,
             names[i], tail);
    assert_logged(&fx, line, 1);
  }
  assert_logged(&fx, tail, drifted);
  /* The shape, never the value. */
  assert_logged(&fx, DRIFT_VALUE, 0);
  assert_logged(&fx, "sideways", 0);
  assert_logged(&fx, "XX-", 0);
  /* Drift is no failure: ACoddstr's values are dispatched. */
  ck_assert_double_eq(csv_last(&fx, "quo-ACoddstr/duration"), 42);
  ck_assert_double_eq(csv_last(&fx, "quo-ACoddstr/bool-status-in-progress"), 1);
}
END_TEST

/* check_quo -v against the matrix's stand-in: the drift on the call's
 * detail line, the field and the shape, not the value; the state OK. */
static const struct {
  const char *id, *says;
} drift_verbose[] = {
    {"ACobj07",
     "ACobj07: OK; valid call record; schema drift: field \"callRoute\" is "
     "object\n"},
    {"ACoddstr",
     "ACoddstr: OK; valid call record; schema drift: field \"direction\" is "
     "string not incoming or outgoing; schema drift: field \"phoneNumberId\" "
     "is string not matching PN...\n"},
};

START_TEST(check_quo_verbose_shows_drift) {
  char base[64], *out = NULL;
  snprintf(base, sizeof(base), "http://127.0.0.1:%d", fx.port);
  const char *argv[] = {check_quo_path(),     "-u", base, "-v", "-i",
                        drift_verbose[_i].id, NULL};
  const char *envp[] = {"QUO_API_KEY=" TEST_KEY, NULL};
  ck_assert_int_eq(run_capture(argv, envp, &out, 20), 0);
  ck_assert_msg(strncmp(out, "QUO OK - ", 9) == 0, "%s", out);
  ck_assert_msg(strstr(out, drift_verbose[_i].says) != NULL, "'%s' not in:\n%s",
                drift_verbose[_i].says, out);
  ck_assert_ptr_null(strstr(out, DRIFT_VALUE));
  /* The status line stays short: drift is detail, not state. */
  char *first = strtok(out, "\n");
  ck_assert_msg(strstr(first, "drift") == NULL, "drift in the status: %s",
                first);
  free(out);
}
END_TEST

START_TEST(slow_and_dripping_answers_time_out) {
  /* A timeout is the API's failure: no back-off. */
  assert_every_interval(
      "timeouts", csv_last(&fx, "quo-api/http_requests-failed"), fx_cycles);
  assert_logged(
      &fx,
      "quo plugin: call ACslow (ACslow): request failed: Operation timed out",
      1);
  assert_logged(&fx,
                "quo plugin: call ACdrip (ACdrip): HTTP 200, incomplete body: "
                "Operation timed out",
                1);
}
END_TEST

START_TEST(html_error_page_falls_back_to_status) {
  assert_every_interval("502s", csv_last(&fx, "quo-api/errors-502"), fx_cycles);
  ck_assert_double_eq(csv_last(&fx, "quo-api/http_requests-502"),
                      csv_last(&fx, "quo-api/errors-502"));
  assert_logged(
      &fx, "call AChtml (AChtml): HTTP 502, API code none (Bad Gateway)", 1);
}
END_TEST

START_TEST(format_strings_and_escapes_printed_inert) {
  char *log = slurp(collectd_log(&fx));
  ck_assert_ptr_nonnull(
      strstr(log, "call ACfmt (ACfmt): HTTP 500, API code 0101500 "
                  "(%n%n%n): %s%s%n%x ?[2J?]0;pwned???FAKE LOG LINE"));
  ck_assert_ptr_null(strchr(log, '\x1b'));
  ck_assert_ptr_null(strchr(log, '\x07'));
  ck_assert_ptr_null(strstr(log, "\nFAKE LOG LINE"));
  free(log);
  assert_every_interval("500s", csv_last(&fx, "quo-api/errors-0101500"),
                        fx_cycles);
  ck_assert_double_eq(csv_last(&fx, "quo-api/bool-healthy"), 0);
}
END_TEST

/* ---- The API down at start, then up. ---- */

/* The case runs its test in a fresh environment (IT_CASE_ENV). */
static env_t *const e = &test_env;

START_TEST(down_at_start_then_up) {
  standin_start(e, NULL);
  standin_stop(e); /* a free port, nothing listening yet */
  const char *conf =
      collectd_conf_fmt(e, "late", 1,
                        "  BaseURL \"http://127.0.0.1:%d\"\n"
                        "  APIKeyFile \"%s\"\n  Call \"ACoutgoing0001\"\n",
                        e->port, e->key_file);
  pid_t pid = collectd_start(e, conf);
  ck_assert_int_ge(collectd_wait(e, pid, "quo-api/bool-healthy", 2, 20), 2);
  ck_assert_ptr_null(csv_path(e, "quo-ACoutgoing0001/duration"));
  standin_start(e, NULL);
  ck_assert_int_ge(collectd_wait(e, pid, "quo-ACoutgoing0001/duration", 2, 20),
                   2);
  collectd_stop(pid);
  ck_assert_double_eq(csv_last(e, "quo-ACoutgoing0001/duration"), 42);
  ck_assert_double_eq(csv_last(e, "quo-api/bool-healthy"), 1);
  assert_logged(e, "severity = FAILURE", 1);
  assert_logged(e, "severity = OKAY", 1);
  assert_logged(e, "is answered again", 1);
}
END_TEST

/* ---- HTTPS with a self-signed certificate. ---- */

static env_t tls, tls_other;
static char tls_cert[400], other_cert[400];

/* A self-signed certificate for the given subjectAltName into <dir>/tls.crt
 * (its path into cert) and a stand-in serving it. */
static void tls_standin(env_t *e, char *cert, size_t cap, const char *cn,
                        const char *san) {
  env_setup(e);
  char key[400], cmd[1400];
  snprintf(cert, cap, "%s/tls.crt", e->dir);
  snprintf(key, sizeof(key), "%s/tls.pem", e->dir);
  snprintf(cmd, sizeof(cmd),
           "openssl req -x509 -newkey rsa:2048 -nodes -keyout '%s' -out '%s' "
           "-days 2 -subj /CN=%s -addext subjectAltName=%s 2>/dev/null",
           key, cert, cn, san);
  ck_assert_int_eq(system(cmd), 0);
  const char *extra[] = {"--tls-cert", cert, "--tls-key", key, NULL};
  standin_start(e, extra);
}

static void tls_setup(void) {
  tls_standin(&tls, tls_cert, sizeof(tls_cert), "localhost",
              "IP:127.0.0.1,DNS:localhost");
  /* Trusted through CACert, but for another host than the one dialled. */
  tls_standin(&tls_other, other_cert, sizeof(other_cert), "other.example",
              "DNS:other.example");
}

static void tls_teardown(void) {
  env_teardown(&tls_other);
  env_teardown(&tls);
}

static void tls_run_on(env_t *e, const char *name, const char *more,
                       int reads) {
  const char *conf =
      collectd_conf_fmt(e, name, 1,
                        "  BaseURL \"https://127.0.0.1:%d\"\n"
                        "  APIKeyFile \"%s\"\n%s\n  Call \"ACmissed0001\"\n",
                        e->port, e->key_file, more);
  ck_assert_int_ge(collectd_run(e, conf, "quo-api/bool-healthy", reads, 20),
                   reads);
}

static void tls_run(const char *name, const char *more) {
  tls_run_on(&tls, name, more, 3);
}

START_TEST(self_signed_refused_without_cacert) {
  tls_run("tlsno", "");
  ck_assert_double_ge(csv_last(&tls, "quo-api/http_requests-failed"), 2);
  ck_assert_ptr_null(csv_path(&tls, "quo-ACmissed0001/duration"));
  assert_logged(&tls,
                "quo plugin: call ACmissed0001 (ACmissed0001): request failed: "
                "SSL certificate problem",
                1);
}
END_TEST

START_TEST(self_signed_accepted_with_cacert) {
  char more[500];
  snprintf(more, sizeof(more), "  CACert \"%s\"", tls_cert);
  tls_run("tlsyes", more);
  ck_assert_double_eq(csv_last(&tls, "quo-ACmissed0001/bool-status-missed"), 1);
  ck_assert_ptr_null(csv_path(&tls, "quo-api/http_requests-failed"));
}
END_TEST

/* VerifyPeer and VerifyHost: which server, the options (%s: that server's
 * certificate), and what the log says when the certificate is refused
 * (NULL: accepted). */
static const struct {
  bool other;
  const char *more, *refused;
} tls_switches[] = {
    /* Not verified at all: the self-signed certificate is taken. */
    {false, "  VerifyPeer false", NULL},
    /* Trusted, but not for 127.0.0.1: refused by default ... */
    {true, "  CACert \"%s\"",
     "quo plugin: call ACmissed0001 (ACmissed0001): request failed: SSL: no "
     "alternative certificate subject name matches target host name "
     "'127.0.0.1'"},
    /* ... taken when the name is not checked. */
    {true, "  CACert \"%s\"\n  VerifyHost false", NULL},
};

START_TEST(verify_switches) {
  /* _i: one row of tls_switches. */
  env_t *e = tls_switches[_i].other ? &tls_other : &tls;
  char more[600], name[16];
  snprintf(more, sizeof(more), tls_switches[_i].more, other_cert);
  snprintf(name, sizeof(name), "verify%d", _i);
  tls_run_on(e, name, more, 2);
  if (tls_switches[_i].refused == NULL) {
    ck_assert_double_eq(csv_last(e, "quo-ACmissed0001/bool-status-missed"), 1);
    ck_assert_ptr_null(csv_path(e, "quo-api/http_requests-failed"));
    assert_logged(e, "SSL", 0);
  } else {
    ck_assert_double_ge(csv_last(e, "quo-api/http_requests-failed"), 1);
    ck_assert_ptr_null(csv_path(e, "quo-ACmissed0001/duration"));
    assert_logged(e, tls_switches[_i].refused, 1);
  }
}
END_TEST

START_TEST(check_quo_over_tls) {
  char base[64], *out = NULL;
  snprintf(base, sizeof(base), "https://127.0.0.1:%d", tls.port);
  const char *envp[] = {"QUO_API_KEY=" TEST_KEY, NULL};
  const char *no[] = {check_quo_path(), "-u", base, "-i", "ACmissed0001", NULL};
  ck_assert_int_eq(run_capture(no, envp, &out, 20), 2);
  ck_assert_ptr_nonnull(strstr(out, "SSL certificate problem"));
  free(out);
  const char *yes[] = {check_quo_path(), "-u",        base,     "-i",
                       "ACmissed0001",   "--ca-cert", tls_cert, NULL};
  ck_assert_int_eq(run_capture(yes, envp, &out, 20), 0);
  ck_assert_ptr_nonnull(strstr(out, "QUO OK - ACmissed0001: missed"));
  free(out);
}
END_TEST

START_TEST(check_quo_refuses_certificate_for_another_host) {
  /* check_quo has no switch to turn verification off: a certificate its
   * --ca-cert trusts, but for another host name, is CRITICAL. */
  char base[64], *out = NULL;
  snprintf(base, sizeof(base), "https://127.0.0.1:%d", tls_other.port);
  const char *envp[] = {"QUO_API_KEY=" TEST_KEY, NULL};
  const char *argv[] = {check_quo_path(), "-u",        base,       "-i",
                        "ACmissed0001",   "--ca-cert", other_cert, NULL};
  ck_assert_int_eq(run_capture(argv, envp, &out, 20), 2);
  ck_assert_msg(strstr(out, "QUO CRITICAL - ACmissed0001: request failed: "
                            "SSL: no alternative certificate subject name "
                            "matches target host name '127.0.0.1'") != NULL,
                "%s", out);
  free(out);
}
END_TEST

IT_SUITE(faults_suite, "faults",
         IT_CASE_ONCE("matrix", 90, matrix_setup, matrix_teardown),
         IT_TEST(collectd_stayed_up_reads_within_interval),
         IT_TEST(good_calls_keep_their_values),
         IT_TEST(invalid_bodies_counted_backed_off_logged_once),
         IT_TEST(wrong_type_in_every_field),
         IT_TEST(drift_logged_once_per_field_never_the_value),
         IT_LOOP(check_quo_verbose_shows_drift, drift_verbose),
         IT_TEST(slow_and_dripping_answers_time_out),
         IT_TEST(html_error_page_falls_back_to_status),
         IT_TEST(format_strings_and_escapes_printed_inert),
         IT_CASE_ENV("down", 60), IT_TEST(down_at_start_then_up),
         IT_CASE_ONCE("tls", 60, tls_setup, tls_teardown),
         IT_TEST(self_signed_refused_without_cacert),
         IT_TEST(self_signed_accepted_with_cacert),
         IT_LOOP(verify_switches, tls_switches), IT_TEST(check_quo_over_tls),
         IT_TEST(check_quo_refuses_certificate_for_another_host))
