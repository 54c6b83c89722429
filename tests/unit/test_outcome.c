/* quo_outcome_*: hand-made responses become exactly one outcome, with the
 * right labels, health verdict and description. */
#include "unit.h"

#include "outcome.h"

#include <stdio.h>
#include <string.h>

static const char valid_body[] =
    "{\"data\":{\"answeredAt\":null,\"answeredBy\":null,\"initiatedBy\":null,"
    "\"direction\":\"incoming\",\"status\":\"ringing\","
    "\"completedAt\":null,\"createdAt\":\"2026-11-27T09:15:00Z\","
    "\"callRoute\":\"phone-menu\",\"duration\":7,\"forwardedFrom\":null,"
    "\"forwardedTo\":null,\"aiHandled\":null,\"id\":\"ACok0001\","
    "\"phoneNumberId\":\"PN1\",\"participants\":[\"+15555550101\"],"
    "\"updatedAt\":null,\"userId\":\"US1\"}}";

static const char body_403[] =
    "{\"message\":\"You are not a user of this phone number\","
    "\"code\":\"0101403\",\"status\":403,\"docs\":\"https://quo.com/docs\","
    "\"title\":\"Not Phone Number User\"}";

static quo_response_t response(long status, const char *body) {
  quo_response_t r = {0};
  r.curl_error = "No error";
  r.http_status = status;
  r.seconds = 0.25;
  r.body = body;
  r.body_len = body != NULL ? strlen(body) : 0;
  return r;
}

static bool contains(const char *hay, const char *needle) {
  return strstr(hay, needle) != NULL;
}

START_TEST(outcome_200_valid_ok) {
  quo_response_t r = response(200, valid_body);
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_OK);
  ck_assert_int_eq(o.http_status, 200);
  ck_assert_double_eq_tol(o.seconds, 0.25, 1e-9);
  ck_assert_str_eq(o.call.id, "ACok0001");
  ck_assert_int_eq(o.call.status, QUO_STATUS_RINGING);
  ck_assert_int_eq(o.call.duration, 7);
  ck_assert(!quo_outcome_api_failure(&o));
  ck_assert_ptr_null(quo_outcome_error_label(&o));
  char buf[16];
  ck_assert_str_eq(quo_outcome_http_label(&o, buf, sizeof(buf)), "200");
  char d[64] = "stale";
  quo_outcome_describe(&o, d, sizeof(d));
  ck_assert_str_eq(d, "");
}
END_TEST

START_TEST(outcome_200_no_expected_id_ok) {
  quo_response_t r = response(200, valid_body);
  quo_outcome_t o;
  quo_outcome_classify(&r, NULL, &o);
  ck_assert_int_eq(o.kind, QUO_OUT_OK);
}
END_TEST

START_TEST(outcome_200_wrong_id_invalid) {
  quo_response_t r = response(200, valid_body);
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACother0002", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_INVALID);
  ck_assert(contains(o.detail, "another call"));
  ck_assert(quo_outcome_api_failure(&o));
  ck_assert_str_eq(quo_outcome_error_label(&o), "invalid");
}
END_TEST

START_TEST(outcome_200_id_prefix_not_enough) {
  quo_response_t r = response(200, valid_body);
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok000", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_INVALID);
  quo_outcome_classify(&r, "ACok00011", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_INVALID);
}
END_TEST

START_TEST(outcome_200_bad_body_invalid) {
  quo_response_t r = response(200, "{\"data\":{}}");
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_INVALID);
  ck_assert(contains(o.detail, "invalid call object"));
  ck_assert(contains(o.detail, "missing field 'id'"));
  ck_assert(quo_outcome_api_failure(&o));
  ck_assert_str_eq(quo_outcome_error_label(&o), "invalid");
  char d[256];
  quo_outcome_describe(&o, d, sizeof(d));
  ck_assert(contains(d, "HTTP 200"));
  ck_assert(contains(d, "invalid call object"));
}
END_TEST

START_TEST(outcome_200_empty_body_invalid) {
  quo_response_t r = response(200, NULL);
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_INVALID);
  ck_assert(o.detail[0] != '\0');
}
END_TEST

START_TEST(outcome_200_curl_error_incomplete) {
  quo_response_t r = response(200, valid_body);
  r.curl_code = 18;
  r.curl_error = "Transferred a partial file";
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_INVALID);
  ck_assert(contains(o.detail, "incomplete"));
  ck_assert(contains(o.detail, "partial file"));
  ck_assert(quo_outcome_api_failure(&o));
  char d[256];
  quo_outcome_describe(&o, d, sizeof(d));
  ck_assert(contains(d, "incomplete"));
  ck_assert(contains(d, "200"));
}
END_TEST

START_TEST(outcome_too_large_invalid) {
  quo_response_t r = response(200, valid_body);
  r.too_large = true;
  r.curl_code = 23;
  r.curl_error = "Failed writing received data";
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_INVALID);
  ck_assert(contains(o.detail, "larger"));
  ck_assert(quo_outcome_api_failure(&o));
  ck_assert_str_eq(quo_outcome_error_label(&o), "invalid");
}
END_TEST

START_TEST(outcome_transport_failed) {
  quo_response_t r = response(0, NULL);
  r.curl_code = 6;
  r.curl_error = "Could not resolve host: api.quo.com";
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_TRANSPORT);
  ck_assert_int_eq(o.http_status, 0);
  char buf[16];
  ck_assert_str_eq(quo_outcome_http_label(&o, buf, sizeof(buf)), "failed");
  ck_assert(quo_outcome_api_failure(&o));
  ck_assert_ptr_null(quo_outcome_error_label(&o));
  char d[256];
  quo_outcome_describe(&o, d, sizeof(d));
  ck_assert(contains(d, "Could not resolve host: api.quo.com"));
}
END_TEST

START_TEST(outcome_transport_detail_sanitized) {
  quo_response_t r = response(0, NULL);
  r.curl_code = 28;
  r.curl_error = "timeout|\x1b[31mred\n";
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_TRANSPORT);
  ck_assert_str_eq(o.detail, "timeout??[31mred?");
}
END_TEST

START_TEST(outcome_404_http_not_api_failure) {
  quo_response_t r =
      response(404, "{\"message\":\"Call not found\",\"code\":\"0100404\","
                    "\"status\":404,\"title\":\"Not Found\"}");
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_HTTP);
  ck_assert(!quo_outcome_api_failure(&o));
  ck_assert_str_eq(quo_outcome_error_label(&o), "0100404");
  char buf[16];
  ck_assert_str_eq(quo_outcome_http_label(&o, buf, sizeof(buf)), "404");
}
END_TEST

START_TEST(outcome_400_http_not_api_failure) {
  quo_response_t r = response(
      400, "{\"code\":\"0101400\",\"title\":\"Too Many Participants\"}");
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_HTTP);
  ck_assert(!quo_outcome_api_failure(&o));
  ck_assert_str_eq(quo_outcome_error_label(&o), "0101400");
  ck_assert_str_eq(o.error.title, "Too Many Participants");
}
END_TEST

START_TEST(outcome_api_failure_statuses) {
  /* _i indexes the statuses that mean the API itself failed. */
  static const long statuses[] = {401, 403, 429, 500, 502, 503, 504};
  long st = statuses[_i];
  quo_response_t r = response(st, "");
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_HTTP);
  ck_assert_int_eq(o.http_status, st);
  ck_assert(quo_outcome_api_failure(&o));
  char want[16], buf[16];
  snprintf(want, sizeof(want), "%ld", st);
  ck_assert_str_eq(quo_outcome_http_label(&o, buf, sizeof(buf)), want);
  /* No code in the body: the HTTP status is the error label. */
  ck_assert_str_eq(quo_outcome_error_label(&o), want);
}
END_TEST

START_TEST(outcome_unexpected_status_api_failure) {
  static const long statuses[] = {201, 204, 301, 302, 405, 418};
  for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
    quo_response_t r = response(statuses[i], "");
    quo_outcome_t o;
    quo_outcome_classify(&r, "ACok0001", &o);
    ck_assert_int_ne(o.kind, QUO_OUT_OK);
    ck_assert_msg(quo_outcome_api_failure(&o), "status %ld", statuses[i]);
  }
}
END_TEST

START_TEST(outcome_non_200_with_call_body_not_ok) {
  quo_response_t r = response(201, valid_body);
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_HTTP);
}
END_TEST

START_TEST(outcome_skipped) {
  quo_response_t r = response(0, NULL);
  r.skipped = true;
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_SKIPPED);
  char buf[16];
  ck_assert_ptr_null(quo_outcome_http_label(&o, buf, sizeof(buf)));
  ck_assert_ptr_null(quo_outcome_error_label(&o));
  ck_assert(!quo_outcome_api_failure(&o));
  char d[64];
  quo_outcome_describe(&o, d, sizeof(d));
  ck_assert(d[0] != '\0');
}
END_TEST

START_TEST(outcome_describe_403) {
  quo_response_t r = response(403, body_403);
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_HTTP);
  ck_assert(quo_outcome_api_failure(&o));
  ck_assert_str_eq(quo_outcome_error_label(&o), "0101403");
  char d[256];
  quo_outcome_describe(&o, d, sizeof(d));
  ck_assert(contains(d, "403"));
  ck_assert(contains(d, "0101403"));
  ck_assert(contains(d, "Not Phone Number User"));
  ck_assert(contains(d, "You are not a user of this phone number"));
}
END_TEST

START_TEST(outcome_describe_no_code) {
  quo_response_t r = response(502, "<html>Bad Gateway</html>");
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  char d[256];
  quo_outcome_describe(&o, d, sizeof(d));
  ck_assert(contains(d, "502"));
  ck_assert(contains(d, "Bad Gateway"));
  ck_assert_str_eq(quo_outcome_error_label(&o), "502");
}
END_TEST

START_TEST(outcome_describe_never_past_cap) {
  quo_response_t r = response(403, body_403);
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  char full[256];
  quo_outcome_describe(&o, full, sizeof(full));
  size_t n = strlen(full);
  ck_assert_uint_gt(n, 40);
  for (size_t cap = 1; cap <= n + 1; cap++) {
    char buf[300];
    memset(buf, '#', sizeof(buf));
    quo_outcome_describe(&o, buf, cap);
    ck_assert_uint_eq(strlen(buf), cap - 1);
    ck_assert_int_eq(strncmp(buf, full, cap - 1), 0);
    for (size_t i = cap; i < sizeof(buf); i++)
      ck_assert_msg(buf[i] == '#', "cap %zu: byte %zu written", cap, i);
  }
}
END_TEST

START_TEST(outcome_describe_transport_never_past_cap) {
  quo_response_t r = response(0, NULL);
  r.curl_code = 7;
  r.curl_error = "Failed to connect to api.quo.com port 443 after 3000 ms: "
                 "Couldn't connect to server";
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  char buf[32];
  memset(buf, '#', sizeof(buf));
  quo_outcome_describe(&o, buf, 16);
  ck_assert_uint_eq(strlen(buf), 15);
  ck_assert_int_eq(buf[16], '#');
}
END_TEST

START_TEST(outcome_http_label_small_buffer) {
  quo_response_t r = response(404, "");
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  char buf[8];
  memset(buf, '#', sizeof(buf));
  const char *l = quo_outcome_http_label(&o, buf, 3);
  ck_assert_ptr_nonnull(l);
  ck_assert_uint_le(strlen(l), 2);
  ck_assert_int_eq(buf[3], '#');
}
END_TEST

/* ---- severity ---- */

static quo_outcome_t by_hand(quo_outcome_kind_t kind, long status) {
  quo_outcome_t o;
  memset(&o, 0, sizeof(o));
  o.kind = kind;
  o.http_status = status;
  if (kind == QUO_OUT_HTTP) {
    o.error.http_status = status;
    snprintf(o.error.code, sizeof(o.error.code), "%ld", status);
  }
  return o;
}

START_TEST(outcome_severity_okay) {
  quo_outcome_t o = by_hand(QUO_OUT_OK, 200);
  ck_assert_int_eq(quo_outcome_severity(&o), QUO_SEV_OKAY);
  o = by_hand(QUO_OUT_SKIPPED, 0);
  ck_assert_int_eq(quo_outcome_severity(&o), QUO_SEV_OKAY);
}
END_TEST

START_TEST(outcome_severity_warning) {
  static const long statuses[] = {400, 404, 429};
  for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
    quo_outcome_t o = by_hand(QUO_OUT_HTTP, statuses[i]);
    ck_assert_msg(quo_outcome_severity(&o) == QUO_SEV_WARNING, "HTTP %ld: %d",
                  statuses[i], (int)quo_outcome_severity(&o));
  }
}
END_TEST

START_TEST(outcome_severity_failure) {
  static const long statuses[] = {401, 403, 500, 502, 503, 302, 418, 201};
  for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
    quo_outcome_t o = by_hand(QUO_OUT_HTTP, statuses[i]);
    ck_assert_msg(quo_outcome_severity(&o) == QUO_SEV_FAILURE, "HTTP %ld: %d",
                  statuses[i], (int)quo_outcome_severity(&o));
  }
  quo_outcome_t o = by_hand(QUO_OUT_TRANSPORT, 0);
  ck_assert_int_eq(quo_outcome_severity(&o), QUO_SEV_FAILURE);
  o = by_hand(QUO_OUT_INVALID, 200);
  ck_assert_int_eq(quo_outcome_severity(&o), QUO_SEV_FAILURE);
}
END_TEST

START_TEST(outcome_severity_classified) {
  /* The same verdicts for outcomes that come out of classify. */
  static const struct {
    long status;
    const char *body;
    quo_severity_t want;
  } cases[] = {
      {200, valid_body, QUO_SEV_OKAY}, {200, "{}", QUO_SEV_FAILURE},
      {404, "", QUO_SEV_WARNING},      {429, "", QUO_SEV_WARNING},
      {400, "", QUO_SEV_WARNING},      {403, body_403, QUO_SEV_FAILURE},
      {500, "", QUO_SEV_FAILURE},      {0, NULL, QUO_SEV_FAILURE},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    quo_response_t r = response(cases[i].status, cases[i].body);
    if (cases[i].status == 0) {
      r.curl_code = 28;
      r.curl_error = "Operation timed out";
    }
    quo_outcome_t o;
    quo_outcome_classify(&r, "ACok0001", &o);
    ck_assert_msg(quo_outcome_severity(&o) == cases[i].want,
                  "HTTP %ld: %d, want %d", cases[i].status,
                  (int)quo_outcome_severity(&o), (int)cases[i].want);
  }
}
END_TEST

/* ---- the policy table ---- */

/* Every row of the one policy, for both kinds of run. */
static const struct {
  quo_outcome_kind_t kind;
  long status;
  bool paused;
  quo_severity_t repeating, one_shot;
  bool api_failure, not_found;
} policy_rows[] = {
    {QUO_OUT_OK, 200, false, QUO_SEV_OKAY, QUO_SEV_OKAY, false, false},
    {QUO_OUT_SKIPPED, 0, true, QUO_SEV_WARNING, QUO_SEV_WARNING, false, false},
    {QUO_OUT_SKIPPED, 0, false, QUO_SEV_OKAY, QUO_SEV_FAILURE, false, false},
    {QUO_OUT_HTTP, 400, false, QUO_SEV_WARNING, QUO_SEV_WARNING, false, false},
    {QUO_OUT_HTTP, 404, false, QUO_SEV_WARNING, QUO_SEV_WARNING, false, true},
    {QUO_OUT_HTTP, 429, false, QUO_SEV_WARNING, QUO_SEV_WARNING, true, false},
    {QUO_OUT_HTTP, 401, false, QUO_SEV_FAILURE, QUO_SEV_FAILURE, true, false},
    {QUO_OUT_HTTP, 403, false, QUO_SEV_FAILURE, QUO_SEV_FAILURE, true, false},
    {QUO_OUT_HTTP, 500, false, QUO_SEV_FAILURE, QUO_SEV_FAILURE, true, false},
    {QUO_OUT_HTTP, 301, false, QUO_SEV_FAILURE, QUO_SEV_FAILURE, true, false},
    {QUO_OUT_TRANSPORT, 0, false, QUO_SEV_FAILURE, QUO_SEV_FAILURE, true,
     false},
    {QUO_OUT_INVALID, 200, false, QUO_SEV_FAILURE, QUO_SEV_FAILURE, true,
     false},
};

START_TEST(outcome_policy_rows) {
  quo_outcome_t o = by_hand(policy_rows[_i].kind, policy_rows[_i].status);
  o.paused = policy_rows[_i].paused;
  quo_policy_t rep = quo_outcome_policy(&o, false);
  quo_policy_t one = quo_outcome_policy(&o, true);
  ck_assert_int_eq(rep.severity, policy_rows[_i].repeating);
  ck_assert_int_eq(one.severity, policy_rows[_i].one_shot);
  ck_assert_int_eq(rep.api_failure, policy_rows[_i].api_failure);
  ck_assert_int_eq(one.api_failure, policy_rows[_i].api_failure);
  ck_assert_int_eq(rep.not_found, policy_rows[_i].not_found);
  /* The older entry points read the same table. */
  ck_assert_int_eq(quo_outcome_severity(&o), rep.severity);
  ck_assert_int_eq(quo_outcome_api_failure(&o), rep.api_failure);
}
END_TEST

START_TEST(outcome_paused_skip_classified) {
  quo_response_t r = response(0, NULL);
  r.skipped = true;
  r.paused = true;
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_SKIPPED);
  ck_assert(o.paused);
  ck_assert_int_eq(quo_outcome_policy(&o, true).severity, QUO_SEV_WARNING);
  char d[128];
  quo_outcome_describe(&o, d, sizeof(d));
  ck_assert_str_eq(d, "not started: a 429 paused the rate budget");
  r.paused = false;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert(!o.paused);
  ck_assert_int_eq(quo_outcome_policy(&o, true).severity, QUO_SEV_FAILURE);
}
END_TEST

/* Redirects: status, Location as libcurl gives it, what describe says. */
static const struct {
  long status;
  const char *location, *want;
} redirects[] = {
    {301, "https://api.quo.com/v1/calls/ACok0001",
     "HTTP 301, redirect to https://api.quo.com/v1/calls/ACok0001 "
     "(redirects are not followed: check BaseURL)"},
    {302, "http://x/a|b\x1b[0m",
     "HTTP 302, redirect to http://x/a?b?[0m (redirects are not followed: "
     "check BaseURL)"},
    {307, "https://h/v1/calls/ACok0001",
     "HTTP 307, redirect to https://h/v1/calls/ACok0001 (redirects are not "
     "followed: check BaseURL)"},
    {308, NULL,
     "HTTP 308, a redirect without a Location (redirects are not followed: "
     "check BaseURL)"},
};

START_TEST(outcome_redirect_names_location) {
  quo_response_t r = response(redirects[_i].status, "");
  r.location = redirects[_i].location;
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  ck_assert_int_eq(o.kind, QUO_OUT_HTTP);
  ck_assert(quo_outcome_is_redirect(&o));
  char d[400], s[400];
  quo_outcome_describe(&o, d, sizeof(d));
  quo_outcome_summary(&o, s, sizeof(s));
  ck_assert_str_eq(d, redirects[_i].want);
  ck_assert_str_eq(s, redirects[_i].want);
  ck_assert_int_eq(quo_outcome_severity(&o), QUO_SEV_FAILURE);
}
END_TEST

START_TEST(outcome_not_redirect_keeps_api_text) {
  static const long statuses[] = {300, 304, 200, 404};
  for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
    quo_outcome_t o = by_hand(QUO_OUT_HTTP, statuses[i]);
    ck_assert(!quo_outcome_is_redirect(&o));
  }
  quo_response_t r = response(403, body_403);
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACok0001", &o);
  char s[256];
  quo_outcome_summary(&o, s, sizeof(s));
  ck_assert_str_eq(s, "HTTP 403, API code 0101403 (Not Phone Number User)");
  ck_assert_str_eq(o.location, "");
}
END_TEST

Suite *outcome_suite(void) {
  const unit_test_t tests[] = {
      UNIT_CASE("classify"),
      UNIT_TEST(outcome_200_valid_ok),
      UNIT_TEST(outcome_200_no_expected_id_ok),
      UNIT_TEST(outcome_200_wrong_id_invalid),
      UNIT_TEST(outcome_200_id_prefix_not_enough),
      UNIT_TEST(outcome_200_bad_body_invalid),
      UNIT_TEST(outcome_200_empty_body_invalid),
      UNIT_TEST(outcome_200_curl_error_incomplete),
      UNIT_TEST(outcome_too_large_invalid),
      UNIT_TEST(outcome_transport_failed),
      UNIT_TEST(outcome_transport_detail_sanitized),
      UNIT_TEST(outcome_404_http_not_api_failure),
      UNIT_TEST(outcome_400_http_not_api_failure),
      UNIT_LOOP_N(outcome_api_failure_statuses, 7),
      UNIT_TEST(outcome_unexpected_status_api_failure),
      UNIT_TEST(outcome_non_200_with_call_body_not_ok),
      UNIT_TEST(outcome_skipped),
      UNIT_CASE("describe"),
      UNIT_TEST(outcome_describe_403),
      UNIT_TEST(outcome_describe_no_code),
      UNIT_TEST(outcome_describe_never_past_cap),
      UNIT_TEST(outcome_describe_transport_never_past_cap),
      UNIT_TEST(outcome_http_label_small_buffer),
      UNIT_CASE("severity"),
      UNIT_TEST(outcome_severity_okay),
      UNIT_TEST(outcome_severity_warning),
      UNIT_TEST(outcome_severity_failure),
      UNIT_TEST(outcome_severity_classified),
      UNIT_LOOP_N(outcome_policy_rows,
                  (int)(sizeof(policy_rows) / sizeof(policy_rows[0]))),
      UNIT_TEST(outcome_paused_skip_classified),
      UNIT_LOOP_N(outcome_redirect_names_location,
                  (int)(sizeof(redirects) / sizeof(redirects[0]))),
      UNIT_TEST(outcome_not_redirect_keeps_api_text),
      UNIT_END};
  return unit_suite("outcome", NULL, NULL, tests);
}
