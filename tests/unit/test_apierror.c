/* quo_apierror_parse: both envelope shapes, the fallbacks, sanitising. */
#include "unit.h"

#include "apierror.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses exactly strlen(body) bytes from a buffer with no NUL after them. */
static void parse_n(const char *body, size_t len, long status,
                    quo_apierror_t *e) {
  char *copy = malloc(len > 0 ? len : 1);
  ck_assert_ptr_nonnull(copy);
  memcpy(copy, body, len);
  memset(e, 0x5a, sizeof(*e)); /* stale content must not survive */
  quo_apierror_parse(copy, len, status, e);
  free(copy);
}

static void parse(const char *body, long status, quo_apierror_t *e) {
  parse_n(body, strlen(body), status, e);
}

static void assert_fallback(const quo_apierror_t *e, const char *code,
                            const char *title) {
  ck_assert_str_eq(e->code, code);
  ck_assert(!e->has_code);
  ck_assert_str_eq(e->title, title);
}

/* The documented envelope of status: message, code, status, docs and title
 * in that order, then the members in `more`. */
#define DOCUMENTED_BODY(status, message, code, title, more)                    \
  "{\"message\":\"" message "\",\"code\":\"" code "\",\"status\":" #status     \
  ",\"docs\":\"https://quo.com/docs\",\"title\":\"" title "\"" more "}"

/* A row for it: its message, code and title come back as sent. */
#define DOCUMENTED(status, message, code, title, more)                         \
  {                                                                            \
    status, DOCUMENTED_BODY(status, message, code, title, more), code, true,   \
        title, message                                                         \
  }

/* A row whose code falls back to the status, in decimal. */
#define FALLBACK(status, body, title, message)                                 \
  { status, body, #status, false, title, message }

/* One body for one status and every field the parse must give back. */
static const struct {
  long status;
  const char *body, *code;
  bool has_code;
  const char *title, *message;
} envelopes[] = {
    /* The documented envelope, one row per documented status. */
    DOCUMENTED(400, "A call has at most 2 participants", "0101400",
               "Too Many Participants",
               ",\"trace\":\"t-400\",\"errors\":[{\"path\":\"/participants\","
               "\"message\":\"inner\",\"value\":[\"+1\",{\"x\":1}],"
               "\"schema\":{\"type\":\"array\"}}],"
               "\"description\":\"Too Many Participants\""),
    DOCUMENTED(401, "Invalid API key", "0100401", "Unauthorized", ""),
    DOCUMENTED(403, "You are not a user of this phone number", "0101403",
               "Not Phone Number User",
               ",\"description\":\"Not Phone Number User\","
               "\"trace\":\"t-403\""),
    DOCUMENTED(404, "Call not found", "0100404", "Not Found", ""),
    DOCUMENTED(500, "Something went wrong", "0101500", "Unknown",
               ",\"trace\":\"abc\""),
    /* The wrapped envelope: the key stands in for the title. */
    FALLBACK(
        401,
        "{\"error\":{\"message\":\"Invalid API key\",\"key\":\"UNAUTHORIZED\","
        "\"trace\":\"t-1\"}}",
        "UNAUTHORIZED", "Invalid API key"),
    FALLBACK(429, "{\"error\":{\"message\":\"slow down\"}}",
             "Too Many Requests", "slow down"),
    FALLBACK(403, "{\"title\":\"Real\",\"error\":{\"key\":\"KEY\"}}", "Real",
             ""),
    FALLBACK(403, "{\"error\":{\"key\":\"KEY\"},\"title\":\"Real\"}", "Real",
             ""),
    /* Members below the top level are not the envelope's. */
    FALLBACK(
        500,
        "{\"message\":\"outer\",\"meta\":{\"message\":\"inner\","
        "\"code\":\"999\",\"title\":\"inner\"},\"list\":[{\"code\":\"1\"}]}",
        "Internal Server Error", "outer"),
    /* The dated version's envelope without its optional members. */
    FALLBACK(404,
             "{\"title\":\"Not Found\",\"message\":\"No call with that id\","
             "\"docs\":\"https://quo.com/docs\"}",
             "Not Found", "No call with that id"),
    /* Not an envelope, or a broken one: the status's reason stands in. */
    FALLBACK(502,
             "<html><head><title>502 Bad Gateway</title></head>"
             "<body>{\"code\":\"0100401\"}</body></html>",
             "Bad Gateway", ""),
    FALLBACK(401, "[{\"code\":\"0100401\",\"title\":\"Unauthorized\"}]",
             "Unauthorized", ""),
    {404, " \r\n\t{\"code\":\"0100404\"}", "0100404", true, "Not Found", ""},
    {404, "{\"message\":\"Call not found\",\"code\":\"0100404\",\"title\":\"No",
     "0100404", true, "Not Found", "Call not found"},
    FALLBACK(500, "{\"message\":\"x\",\"co", "Internal Server Error", NULL),
    FALLBACK(599, "", "", ""),
    /* A code that is not a string of letters and digits is not kept. */
    FALLBACK(403, "{\"code\":101403,\"title\":\"Not Phone Number User\"}",
             "Not Phone Number User", ""),
    FALLBACK(404, "{\"code\":null}", "Not Found", ""),
    FALLBACK(404, "{\"code\":true}", "Not Found", ""),
    FALLBACK(404, "{\"code\":[\"0100404\"]}", "Not Found", ""),
    FALLBACK(404, "{\"code\":{\"v\":\"0100404\"}}", "Not Found", ""),
    {403, "{\"code\":\" 01-01.403/|\\n\"}", "0101403", true, "Forbidden", ""},
    FALLBACK(403, "{\"code\":\"--- ...\"}", "Forbidden", ""),
    FALLBACK(403, "{\"code\":\"\"}", "Forbidden", ""),
    {500, "{\"code\":\"0123456789abcdefghijklmnopqrstuvwxyz\"}",
     "0123456789abcde", true, "Internal Server Error", ""},
    /* Control, separator and non-ASCII bytes become '?'. */
    FALLBACK(400, "{\"title\":\"Bad\\u0007Title|x\\u001b[31m\\tend\\u007f\"}",
             "Bad?Title?x?[31m?end?", ""),
    FALLBACK(400, "{\"title\":\"caf\\u00e9\"}", "caf??", ""),
    FALLBACK(500, "{\"message\":\"line1\\nline2|OK\\r\"}",
             "Internal Server Error", "line1?line2?OK?"),
    FALLBACK(401, "{\"error\":{\"key\":\"A|B\\u001bC\"}}", "A?B?C", ""),
};

START_TEST(apierror_envelope) {
  quo_apierror_t e;
  parse(envelopes[_i].body, envelopes[_i].status, &e);
  ck_assert_int_eq(e.http_status, envelopes[_i].status);
  ck_assert_str_eq(e.code, envelopes[_i].code);
  ck_assert_int_eq(e.has_code, envelopes[_i].has_code);
  ck_assert_str_eq(e.title, envelopes[_i].title);
  if (envelopes[_i].message != NULL)
    ck_assert_str_eq(e.message, envelopes[_i].message);
}
END_TEST

START_TEST(apierror_empty_body) {
  quo_apierror_t e;
  parse_n("", 0, 502, &e);
  assert_fallback(&e, "502", "Bad Gateway");
  ck_assert_str_eq(e.message, "");
  quo_apierror_parse(NULL, 0, 503, &e);
  assert_fallback(&e, "503", "Service Unavailable");
  ck_assert_str_eq(e.message, "");
}
END_TEST

START_TEST(apierror_len_limits_body) {
  static const char body[] = "{\"code\":\"0100401\"}{\"code\":\"0100404\"}";
  quo_apierror_t e;
  parse_n(body, 18, 401, &e);
  ck_assert_str_eq(e.code, "0100401");
  ck_assert(e.has_code);
  parse_n(body, 5, 401, &e);
  assert_fallback(&e, "401", "Unauthorized");
}
END_TEST

/* Parses {"<member>":"<n times fill>"<tail>}. */
static void parse_long(const char *member, char fill, size_t n,
                       const char *tail, long status, quo_apierror_t *e) {
  size_t head = strlen(member) + 5, cap = head + n + strlen(tail) + 1;
  char *body = malloc(cap);
  ck_assert_ptr_nonnull(body);
  snprintf(body, cap, "{\"%s\":\"", member);
  memset(body + head, fill, n);
  strcpy(body + head + n, tail);
  parse(body, status, e);
  free(body);
}

START_TEST(apierror_long_message_truncated) {
  quo_apierror_t e;
  parse_long("message", 'm', 2000, "\",\"code\":\"0100401\"}", 401, &e);
  ck_assert_uint_eq(strlen(e.message), sizeof(e.message) - 1);
  ck_assert_int_eq(e.message[0], 'm');
  ck_assert_str_eq(e.code, "0100401");
}
END_TEST

START_TEST(apierror_long_title_truncated) {
  quo_apierror_t e;
  parse_long("title", 't', 500, "\"}", 400, &e);
  ck_assert_uint_eq(strlen(e.title), sizeof(e.title) - 1);
  ck_assert_int_eq(e.title[0], 't');
}
END_TEST

START_TEST(apierror_deep_nesting_no_crash) {
  char *body = malloc(40 + 2 * 10000);
  ck_assert_ptr_nonnull(body);
  strcpy(body, "{\"code\":\"0100401\",\"x\":");
  size_t o = strlen(body);
  memset(body + o, '[', 10000);
  memset(body + o + 10000, ']', 10000);
  strcpy(body + o + 20000, "}");
  quo_apierror_t e;
  parse(body, 401, &e);
  ck_assert_str_eq(e.code, "0100401");
  ck_assert(e.has_code);
  free(body);
}
END_TEST

/* The reason phrase of each status the envelope falls back on; none for
 * the others. */
static const struct {
  long status;
  const char *reason;
} reasons[] = {{400, "Bad Request"},
               {401, "Unauthorized"},
               {403, "Forbidden"},
               {404, "Not Found"},
               {429, "Too Many Requests"},
               {500, "Internal Server Error"},
               {502, "Bad Gateway"},
               {503, "Service Unavailable"},
               {504, "Gateway Timeout"},
               {0, ""},
               {-1, ""},
               {418, ""},
               {999, ""}};

START_TEST(apierror_http_reason) {
  ck_assert_str_eq(quo_http_reason(reasons[_i].status), reasons[_i].reason);
}
END_TEST

/* ---- the dated version's envelope: {title, message, docs, trace?,
 * errors?}, no code: classified by the HTTP status ---- */

static void assert_dated(const quo_apierror_t *e, long status, const char *code,
                         const char *title, const char *message) {
  ck_assert_int_eq(e->http_status, status);
  ck_assert_str_eq(e->code, code);
  ck_assert(!e->has_code);
  ck_assert_str_eq(e->title, title);
  ck_assert_str_eq(e->message, message);
}

START_TEST(apierror_dated_envelope) {
  /* _i: one status with the dated version's body for it. */
  static const struct {
    long status;
    const char *code, *title, *message;
  } cases[] = {
      {400, "400", "Bad Request", "Missing Quo-Api-Version header"},
      {401, "401", "Unauthorized", "Invalid API key"},
      {403, "403", "Forbidden", "Not a user of this phone number"},
      {404, "404", "Not Found", "Call not found"},
      {429, "429", "Too Many Requests", "Slow down"},
      {500, "500", "Internal Server Error", "Something went wrong"},
  };
  char body[512];
  snprintf(body, sizeof(body),
           "{\"title\":\"%s\",\"message\":\"%s\",\"docs\":"
           "\"https://quo.com/docs\",\"trace\":\"6897907457496870895\","
           "\"errors\":[{\"path\":\"/callId\",\"message\":\"x\","
           "\"value\":200,\"schema\":{\"type\":\"integer\"}}]}",
           cases[_i].title, cases[_i].message);
  quo_apierror_t e;
  parse(body, cases[_i].status, &e);
  assert_dated(&e, cases[_i].status, cases[_i].code, cases[_i].title,
               cases[_i].message);
}
END_TEST

START_TEST(apierror_dated_realworld_fixture) {
  /* tests/fixtures/realworld/errors/dated-400-validation.json: the
   * envelope example of Quo's 2026-03-30 error reference. */
  static const char *const paths[] = {
      "tests/fixtures/realworld/errors/dated-400-validation.json",
      "../tests/fixtures/realworld/errors/dated-400-validation.json"};
  FILE *f = NULL;
  for (size_t i = 0; f == NULL && i < sizeof(paths) / sizeof(paths[0]); i++)
    f = fopen(paths[i], "rb");
  ck_assert_msg(f != NULL, "fixture not found (run from the source tree)");
  char body[2048];
  size_t n = fread(body, 1, sizeof(body), f);
  fclose(f);
  ck_assert_uint_lt(n, sizeof(body));
  quo_apierror_t e;
  parse_n(body, n, 400, &e);
  assert_dated(&e, 400, "400", "Bad Request", "Validation failed for 1 field.");
}
END_TEST

Suite *apierror_suite(void) {
  const unit_test_t tests[] = {UNIT_CASE("documented"),
                               UNIT_TEST(apierror_dated_realworld_fixture),
                               UNIT_LOOP(apierror_envelope, envelopes),
                               UNIT_LOOP_N(apierror_dated_envelope, 6),
                               UNIT_CASE("fallbacks"),
                               UNIT_TEST(apierror_empty_body),
                               UNIT_TEST(apierror_len_limits_body),
                               UNIT_TEST(apierror_deep_nesting_no_crash),
                               UNIT_LOOP(apierror_http_reason, reasons),
                               UNIT_CASE("sanitize"),
                               UNIT_TEST(apierror_long_message_truncated),
                               UNIT_TEST(apierror_long_title_truncated),
                               UNIT_END};
  return unit_suite("apierror", NULL, NULL, tests);
}
