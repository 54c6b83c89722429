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

static bool contains(const char *hay, const char *needle) {
  return strstr(hay, needle) != NULL;
}

/* One response as the fetcher hands it over, and everything classify must
 * make of it. Every row checks kind, status, labels, API-failure verdict and
 * severity; the text fields check what a row names. */
typedef struct {
  long status;
  const char *body, *expect_id;
  long curl_code;
  const char *curl_error; /* NULL: "No error" */
  bool too_large, skipped;
  quo_outcome_kind_t kind;
  bool api_failure;
  quo_severity_t severity;
  const char *http_label, *error_label; /* NULL: the label must be NULL */
  const char *title;                    /* NULL: not checked */
  const char *detail_eq;                /* NULL: not checked */
  const char *detail[3], *describe[4];  /* fragments each must contain */
} classify_row_t;

/* The fields every row sets, in one line a row: status, body, expected ID,
 * libcurl's code and text, then the kind, API-failure verdict, severity and
 * the HTTP and error labels classify must give. */
#define ROW(st, bd, id, cc, ce, k, api, sev, hl, el)                           \
  .status = st, .body = bd, .expect_id = id, .curl_code = cc,                  \
  .curl_error = ce, .kind = QUO_OUT_##k, .api_failure = api,                   \
  .severity = QUO_SEV_##sev, .http_label = hl, .error_label = el
/* A 200 that is not the call asked for, or not a call at all. */
#define INVALID(bd, id, cc, ce)                                                \
  ROW(200, bd, id, cc, ce, INVALID, true, FAILURE, "200", "invalid")
/* A status the API failed with, no code in the body: the status is the
 * error label. */
#define API_STATUS(st, sev)                                                    \
  { ROW(st, "", "ACok0001", 0, NULL, HTTP, true, sev, #st, #st) }

static const classify_row_t classify_rows[] = {
    {ROW(200, valid_body, "ACok0001", 0, NULL, OK, false, OKAY, "200", NULL)},
    /* No expected ID: any valid call is accepted. */
    {ROW(200, valid_body, NULL, 0, NULL, OK, false, OKAY, "200", NULL)},
    /* A prefix of the ID, or the ID with more after it, is another call. */
    {INVALID(valid_body, "ACother0002", 0, NULL), .detail = {"another call"}},
    {INVALID(valid_body, "ACok000", 0, NULL), .detail = {"another call"}},
    {INVALID(valid_body, "ACok00011", 0, NULL), .detail = {"another call"}},
    {INVALID("{\"data\":{}}", "ACok0001", 0, NULL),
     .detail = {"invalid call object", "missing field 'id'"},
     .describe = {"HTTP 200", "invalid call object"}},
    {INVALID("{}", "ACok0001", 0, NULL)},
    {INVALID(NULL, "ACok0001", 0, NULL)},
    {INVALID(valid_body, "ACok0001", 18, "Transferred a partial file"),
     .detail = {"incomplete", "partial file"},
     .describe = {"incomplete", "200"}},
    {INVALID(valid_body, "ACok0001", 23, "Failed writing received data"),
     .too_large = true, .detail = {"larger"}},
    {ROW(0, NULL, "ACok0001", 6, "Could not resolve host: api.quo.com",
         TRANSPORT, true, FAILURE, "failed", NULL),
     .describe = {"Could not resolve host: api.quo.com"}},
    /* libcurl's text is sanitised: no '|' (perfdata) nor control bytes. */
    {ROW(0, NULL, "ACok0001", 28, "timeout|\x1b[31mred\n", TRANSPORT, true,
         FAILURE, "failed", NULL),
     .detail_eq = "timeout??[31mred?"},
    {ROW(404,
         "{\"message\":\"Call not found\",\"code\":\"0100404\","
         "\"status\":404,\"title\":\"Not Found\"}",
         "ACok0001", 0, NULL, HTTP, false, WARNING, "404", "0100404"),
     .title = "Not Found"},
    {ROW(404, "", "ACok0001", 0, NULL, HTTP, false, WARNING, "404", "404")},
    {ROW(400, "{\"code\":\"0101400\",\"title\":\"Too Many Participants\"}",
         "ACok0001", 0, NULL, HTTP, false, WARNING, "400", "0101400"),
     .title = "Too Many Participants"},
    /* The statuses that mean the API itself failed, and the ones it does
     * not send at all. */
    API_STATUS(401, FAILURE),
    API_STATUS(403, FAILURE),
    API_STATUS(429, WARNING),
    API_STATUS(500, FAILURE),
    API_STATUS(502, FAILURE),
    API_STATUS(503, FAILURE),
    API_STATUS(504, FAILURE),
    API_STATUS(201, FAILURE),
    API_STATUS(204, FAILURE),
    API_STATUS(301, FAILURE),
    API_STATUS(302, FAILURE),
    API_STATUS(405, FAILURE),
    API_STATUS(418, FAILURE),
    /* A call object under another status is still not OK. */
    {ROW(201, valid_body, "ACok0001", 0, NULL, HTTP, true, FAILURE, "201",
         "201")},
    {ROW(0, NULL, "ACok0001", 0, NULL, SKIPPED, false, OKAY, NULL, NULL),
     .skipped = true},
    {ROW(403, body_403, "ACok0001", 0, NULL, HTTP, true, FAILURE, "403",
         "0101403"),
     .title = "Not Phone Number User",
     .describe = {"403", "0101403", "Not Phone Number User",
                  "You are not a user of this phone number"}},
    {ROW(502, "<html>Bad Gateway</html>", "ACok0001", 0, NULL, HTTP, true,
         FAILURE, "502", "502"),
     .describe = {"502", "Bad Gateway"}},
};

START_TEST(outcome_classify_rows) {
  const classify_row_t *c = &classify_rows[_i];
  quo_response_t r = unit_response(c->status, c->body);
  r.curl_code = c->curl_code;
  if (c->curl_error != NULL)
    r.curl_error = c->curl_error; /* else unit_response()'s "No error" */
  r.too_large = c->too_large;
  r.skipped = c->skipped;
  quo_outcome_t o;
  quo_outcome_classify(&r, c->expect_id, &o);
  ck_assert_int_eq(o.kind, c->kind);
  ck_assert_int_eq(o.http_status, c->status);
  ck_assert_double_eq_tol(o.seconds, 0.25, 1e-9);
  ck_assert_int_eq(quo_outcome_api_failure(&o), c->api_failure);
  ck_assert_int_eq(quo_outcome_severity(&o), c->severity);
  char buf[16];
  ck_assert_pstr_eq(quo_outcome_http_label(&o, buf, sizeof(buf)),
                    c->http_label);
  ck_assert_pstr_eq(quo_outcome_error_label(&o), c->error_label);
  if (c->title != NULL)
    ck_assert_str_eq(o.error.title, c->title);
  if (c->detail_eq != NULL)
    ck_assert_str_eq(o.detail, c->detail_eq);
  /* Whatever went wrong in transport or body says what. */
  if (c->kind == QUO_OUT_INVALID || c->kind == QUO_OUT_TRANSPORT)
    ck_assert(o.detail[0] != '\0');
  for (size_t k = 0; k < 3 && c->detail[k] != NULL; k++)
    ck_assert_msg(contains(o.detail, c->detail[k]), "detail \"%s\" lacks %s",
                  o.detail, c->detail[k]);
  char d[256] = "stale";
  quo_outcome_describe(&o, d, sizeof(d));
  for (size_t k = 0; k < 4 && c->describe[k] != NULL; k++)
    ck_assert_msg(contains(d, c->describe[k]), "\"%s\" lacks %s", d,
                  c->describe[k]);
  if (c->kind == QUO_OUT_HTTP)
    ck_assert_msg(contains(d, c->http_label), "\"%s\" lacks the status", d);
  if (c->kind == QUO_OUT_OK) {
    /* An OK read has nothing to describe, and carries the parsed call. */
    ck_assert_str_eq(d, "");
    ck_assert_str_eq(o.call.id, "ACok0001");
    ck_assert_int_eq(o.call.status, QUO_STATUS_RINGING);
    ck_assert_int_eq(o.call.duration, 7);
  } else {
    ck_assert(d[0] != '\0');
  }
}
END_TEST

START_TEST(outcome_describe_never_past_cap) {
  quo_response_t r = unit_response(403, body_403);
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
  quo_response_t r = unit_response(0, NULL);
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
  quo_response_t r = unit_response(404, "");
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

/* Outcomes made by hand, so every kind meets the severity rules directly. */
static const struct {
  quo_outcome_kind_t kind;
  long status;
  quo_severity_t want;
} severities[] = {
    {QUO_OUT_OK, 200, QUO_SEV_OKAY},
    {QUO_OUT_SKIPPED, 0, QUO_SEV_OKAY},
    {QUO_OUT_HTTP, 400, QUO_SEV_WARNING},
    {QUO_OUT_HTTP, 404, QUO_SEV_WARNING},
    {QUO_OUT_HTTP, 429, QUO_SEV_WARNING},
    {QUO_OUT_HTTP, 401, QUO_SEV_FAILURE},
    {QUO_OUT_HTTP, 403, QUO_SEV_FAILURE},
    {QUO_OUT_HTTP, 500, QUO_SEV_FAILURE},
    {QUO_OUT_HTTP, 502, QUO_SEV_FAILURE},
    {QUO_OUT_HTTP, 503, QUO_SEV_FAILURE},
    {QUO_OUT_HTTP, 302, QUO_SEV_FAILURE},
    {QUO_OUT_HTTP, 418, QUO_SEV_FAILURE},
    {QUO_OUT_HTTP, 201, QUO_SEV_FAILURE},
    {QUO_OUT_TRANSPORT, 0, QUO_SEV_FAILURE},
    {QUO_OUT_INVALID, 200, QUO_SEV_FAILURE},
};

START_TEST(outcome_severity_by_hand) {
  quo_outcome_t o = by_hand(severities[_i].kind, severities[_i].status);
  ck_assert_msg(quo_outcome_severity(&o) == severities[_i].want,
                "kind %d HTTP %ld: %d, want %d", (int)severities[_i].kind,
                severities[_i].status, (int)quo_outcome_severity(&o),
                (int)severities[_i].want);
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
  quo_response_t r = unit_response(0, NULL);
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
  quo_response_t r = unit_response(redirects[_i].status, "");
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
  quo_response_t r = unit_response(403, body_403);
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
      UNIT_LOOP(outcome_classify_rows, classify_rows),
      UNIT_CASE("describe"),
      UNIT_TEST(outcome_describe_never_past_cap),
      UNIT_TEST(outcome_describe_transport_never_past_cap),
      UNIT_TEST(outcome_http_label_small_buffer),
      UNIT_CASE("severity"),
      UNIT_LOOP(outcome_severity_by_hand, severities),
      UNIT_LOOP(outcome_policy_rows, policy_rows),
      UNIT_TEST(outcome_paused_skip_classified),
      UNIT_LOOP(outcome_redirect_names_location, redirects),
      UNIT_TEST(outcome_not_redirect_keeps_api_text),
      UNIT_END};
  return unit_suite("outcome", NULL, NULL, tests);
}
