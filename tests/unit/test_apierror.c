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

START_TEST(apierror_400_too_many_participants) {
  quo_apierror_t e;
  parse("{\"message\":\"A call has at most 2 participants\","
        "\"code\":\"0101400\",\"status\":400,\"docs\":\"https://quo.com/docs\","
        "\"title\":\"Too Many Participants\",\"trace\":\"t-400\","
        "\"errors\":[{\"path\":\"/participants\",\"message\":\"inner\","
        "\"value\":[\"+1\",{\"x\":1}],\"schema\":{\"type\":\"array\"}}],"
        "\"description\":\"Too Many Participants\"}",
        400, &e);
  ck_assert_int_eq(e.http_status, 400);
  ck_assert_str_eq(e.code, "0101400");
  ck_assert(e.has_code);
  ck_assert_str_eq(e.title, "Too Many Participants");
  ck_assert_str_eq(e.message, "A call has at most 2 participants");
}
END_TEST

START_TEST(apierror_401_unauthorized) {
  quo_apierror_t e;
  parse("{\"message\":\"Invalid API key\",\"code\":\"0100401\",\"status\":401,"
        "\"docs\":\"https://quo.com/docs\",\"title\":\"Unauthorized\"}",
        401, &e);
  ck_assert_str_eq(e.code, "0100401");
  ck_assert(e.has_code);
  ck_assert_str_eq(e.title, "Unauthorized");
  ck_assert_str_eq(e.message, "Invalid API key");
}
END_TEST

START_TEST(apierror_403_not_phone_number_user) {
  quo_apierror_t e;
  parse("{\"message\":\"You are not a user of this phone number\","
        "\"code\":\"0101403\",\"status\":403,\"docs\":\"https://quo.com/docs\","
        "\"title\":\"Not Phone Number User\","
        "\"description\":\"Not Phone Number User\",\"trace\":\"t-403\"}",
        403, &e);
  ck_assert_str_eq(e.code, "0101403");
  ck_assert(e.has_code);
  ck_assert_str_eq(e.title, "Not Phone Number User");
  ck_assert_str_eq(e.message, "You are not a user of this phone number");
}
END_TEST

START_TEST(apierror_404_not_found) {
  quo_apierror_t e;
  parse("{\"message\":\"Call not found\",\"code\":\"0100404\",\"status\":404,"
        "\"docs\":\"https://quo.com/docs\",\"title\":\"Not Found\"}",
        404, &e);
  ck_assert_str_eq(e.code, "0100404");
  ck_assert(e.has_code);
  ck_assert_str_eq(e.title, "Not Found");
  ck_assert_str_eq(e.message, "Call not found");
}
END_TEST

START_TEST(apierror_500_unknown) {
  quo_apierror_t e;
  parse(
      "{\"message\":\"Something went wrong\",\"code\":\"0101500\","
      "\"status\":500,\"docs\":\"https://quo.com/docs\",\"title\":\"Unknown\","
      "\"trace\":\"abc\"}",
      500, &e);
  ck_assert_str_eq(e.code, "0101500");
  ck_assert(e.has_code);
  ck_assert_str_eq(e.title, "Unknown");
  ck_assert_str_eq(e.message, "Something went wrong");
}
END_TEST

START_TEST(apierror_wrapped_envelope) {
  quo_apierror_t e;
  parse("{\"error\":{\"message\":\"Invalid API key\",\"key\":\"UNAUTHORIZED\","
        "\"trace\":\"t-1\"}}",
        401, &e);
  ck_assert_int_eq(e.http_status, 401);
  ck_assert_str_eq(e.code, "401");
  ck_assert(!e.has_code);
  ck_assert_str_eq(e.title, "UNAUTHORIZED");
  ck_assert_str_eq(e.message, "Invalid API key");
}
END_TEST

START_TEST(apierror_wrapped_without_key) {
  quo_apierror_t e;
  parse("{\"error\":{\"message\":\"slow down\"}}", 429, &e);
  assert_fallback(&e, "429", "Too Many Requests");
  ck_assert_str_eq(e.message, "slow down");
}
END_TEST

START_TEST(apierror_title_beats_wrapped_key) {
  quo_apierror_t e;
  parse("{\"title\":\"Real\",\"error\":{\"key\":\"KEY\"}}", 403, &e);
  ck_assert_str_eq(e.title, "Real");
  parse("{\"error\":{\"key\":\"KEY\"},\"title\":\"Real\"}", 403, &e);
  ck_assert_str_eq(e.title, "Real");
}
END_TEST

START_TEST(apierror_nested_members_ignored) {
  quo_apierror_t e;
  parse("{\"message\":\"outer\",\"meta\":{\"message\":\"inner\","
        "\"code\":\"999\",\"title\":\"inner\"},\"list\":[{\"code\":\"1\"}]}",
        500, &e);
  ck_assert_str_eq(e.message, "outer");
  assert_fallback(&e, "500", "Internal Server Error");
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

START_TEST(apierror_html_body) {
  quo_apierror_t e;
  parse("<html><head><title>502 Bad Gateway</title></head>"
        "<body>{\"code\":\"0100401\"}</body></html>",
        502, &e);
  assert_fallback(&e, "502", "Bad Gateway");
  ck_assert_str_eq(e.message, "");
}
END_TEST

START_TEST(apierror_top_level_array_ignored) {
  quo_apierror_t e;
  parse("[{\"code\":\"0100401\",\"title\":\"Unauthorized\"}]", 401, &e);
  assert_fallback(&e, "401", "Unauthorized");
}
END_TEST

START_TEST(apierror_leading_whitespace) {
  quo_apierror_t e;
  parse(" \r\n\t{\"code\":\"0100404\"}", 404, &e);
  ck_assert_str_eq(e.code, "0100404");
  ck_assert(e.has_code);
}
END_TEST

START_TEST(apierror_truncated_json_keeps_what_was_read) {
  quo_apierror_t e;
  parse("{\"message\":\"Call not found\",\"code\":\"0100404\",\"title\":\"No",
        404, &e);
  ck_assert_str_eq(e.code, "0100404");
  ck_assert(e.has_code);
  ck_assert_str_eq(e.message, "Call not found");
  ck_assert_str_eq(e.title, "Not Found");
}
END_TEST

START_TEST(apierror_truncated_before_code) {
  quo_apierror_t e;
  parse("{\"message\":\"x\",\"co", 500, &e);
  assert_fallback(&e, "500", "Internal Server Error");
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

START_TEST(apierror_code_number_falls_back) {
  quo_apierror_t e;
  parse("{\"code\":101403,\"title\":\"Not Phone Number User\"}", 403, &e);
  ck_assert_str_eq(e.code, "403");
  ck_assert(!e.has_code);
  ck_assert_str_eq(e.title, "Not Phone Number User");
}
END_TEST

START_TEST(apierror_code_other_types_fall_back) {
  quo_apierror_t e;
  parse("{\"code\":null}", 404, &e);
  assert_fallback(&e, "404", "Not Found");
  parse("{\"code\":true}", 404, &e);
  assert_fallback(&e, "404", "Not Found");
  parse("{\"code\":[\"0100404\"]}", 404, &e);
  assert_fallback(&e, "404", "Not Found");
  parse("{\"code\":{\"v\":\"0100404\"}}", 404, &e);
  assert_fallback(&e, "404", "Not Found");
}
END_TEST

START_TEST(apierror_code_punctuation_stripped) {
  quo_apierror_t e;
  parse("{\"code\":\" 01-01.403/|\\n\"}", 403, &e);
  ck_assert_str_eq(e.code, "0101403");
  ck_assert(e.has_code);
}
END_TEST

START_TEST(apierror_code_only_punctuation_falls_back) {
  quo_apierror_t e;
  parse("{\"code\":\"--- ...\"}", 403, &e);
  assert_fallback(&e, "403", "Forbidden");
  parse("{\"code\":\"\"}", 403, &e);
  assert_fallback(&e, "403", "Forbidden");
}
END_TEST

START_TEST(apierror_code_long_truncated) {
  quo_apierror_t e;
  parse("{\"code\":\"0123456789abcdefghijklmnopqrstuvwxyz\"}", 500, &e);
  ck_assert(e.has_code);
  ck_assert_uint_eq(strlen(e.code), sizeof(e.code) - 1);
  ck_assert_str_eq(e.code, "0123456789abcde");
}
END_TEST

START_TEST(apierror_title_sanitized) {
  quo_apierror_t e;
  parse("{\"title\":\"Bad\\u0007Title|x\\u001b[31m\\tend\\u007f\"}", 400, &e);
  ck_assert_str_eq(e.title, "Bad?Title?x?[31m?end?");
}
END_TEST

START_TEST(apierror_title_non_ascii_sanitized) {
  quo_apierror_t e;
  parse("{\"title\":\"caf\\u00e9\"}", 400, &e);
  ck_assert_str_eq(e.title, "caf??");
}
END_TEST

START_TEST(apierror_message_sanitized) {
  quo_apierror_t e;
  parse("{\"message\":\"line1\\nline2|OK\\r\"}", 500, &e);
  ck_assert_str_eq(e.message, "line1?line2?OK?");
}
END_TEST

START_TEST(apierror_wrapped_key_sanitized) {
  quo_apierror_t e;
  parse("{\"error\":{\"key\":\"A|B\\u001bC\"}}", 401, &e);
  ck_assert_str_eq(e.title, "A?B?C");
}
END_TEST

START_TEST(apierror_long_message_truncated) {
  char body[2100] = "{\"message\":\"";
  size_t o = strlen(body);
  memset(body + o, 'm', 2000);
  strcpy(body + o + 2000, "\",\"code\":\"0100401\"}");
  quo_apierror_t e;
  parse(body, 401, &e);
  ck_assert_uint_eq(strlen(e.message), sizeof(e.message) - 1);
  ck_assert_int_eq(e.message[0], 'm');
  ck_assert_str_eq(e.code, "0100401");
}
END_TEST

START_TEST(apierror_long_title_truncated) {
  char body[600] = "{\"title\":\"";
  size_t o = strlen(body);
  memset(body + o, 't', 500);
  strcpy(body + o + 500, "\"}");
  quo_apierror_t e;
  parse(body, 400, &e);
  ck_assert_uint_eq(strlen(e.title), sizeof(e.title) - 1);
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

START_TEST(apierror_unknown_status_fallback) {
  quo_apierror_t e;
  parse("", 599, &e);
  assert_fallback(&e, "599", "");
}
END_TEST

START_TEST(apierror_http_reason) {
  ck_assert_str_eq(quo_http_reason(400), "Bad Request");
  ck_assert_str_eq(quo_http_reason(401), "Unauthorized");
  ck_assert_str_eq(quo_http_reason(403), "Forbidden");
  ck_assert_str_eq(quo_http_reason(404), "Not Found");
  ck_assert_str_eq(quo_http_reason(429), "Too Many Requests");
  ck_assert_str_eq(quo_http_reason(500), "Internal Server Error");
  ck_assert_str_eq(quo_http_reason(502), "Bad Gateway");
  ck_assert_str_eq(quo_http_reason(504), "Gateway Timeout");
}
END_TEST

START_TEST(apierror_http_reason_unknown_empty) {
  ck_assert_str_eq(quo_http_reason(0), "");
  ck_assert_str_eq(quo_http_reason(-1), "");
  ck_assert_str_eq(quo_http_reason(418), "");
  ck_assert_str_eq(quo_http_reason(999), "");
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

START_TEST(apierror_dated_without_optional_members) {
  quo_apierror_t e;
  parse("{\"title\":\"Not Found\",\"message\":\"No call with that id\","
        "\"docs\":\"https://quo.com/docs\"}",
        404, &e);
  assert_dated(&e, 404, "404", "Not Found", "No call with that id");
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
  Suite *s = suite_create("apierror");
  TCase *tc = tcase_create("documented");
  tcase_add_test(tc, apierror_400_too_many_participants);
  tcase_add_test(tc, apierror_401_unauthorized);
  tcase_add_test(tc, apierror_403_not_phone_number_user);
  tcase_add_test(tc, apierror_404_not_found);
  tcase_add_test(tc, apierror_500_unknown);
  tcase_add_test(tc, apierror_wrapped_envelope);
  tcase_add_test(tc, apierror_wrapped_without_key);
  tcase_add_test(tc, apierror_title_beats_wrapped_key);
  tcase_add_test(tc, apierror_nested_members_ignored);
  tcase_add_loop_test(tc, apierror_dated_envelope, 0, 6);
  tcase_add_test(tc, apierror_dated_without_optional_members);
  tcase_add_test(tc, apierror_dated_realworld_fixture);
  suite_add_tcase(s, tc);

  tc = tcase_create("fallbacks");
  tcase_add_test(tc, apierror_empty_body);
  tcase_add_test(tc, apierror_html_body);
  tcase_add_test(tc, apierror_top_level_array_ignored);
  tcase_add_test(tc, apierror_leading_whitespace);
  tcase_add_test(tc, apierror_truncated_json_keeps_what_was_read);
  tcase_add_test(tc, apierror_truncated_before_code);
  tcase_add_test(tc, apierror_len_limits_body);
  tcase_add_test(tc, apierror_code_number_falls_back);
  tcase_add_test(tc, apierror_code_other_types_fall_back);
  tcase_add_test(tc, apierror_code_punctuation_stripped);
  tcase_add_test(tc, apierror_code_only_punctuation_falls_back);
  tcase_add_test(tc, apierror_code_long_truncated);
  tcase_add_test(tc, apierror_deep_nesting_no_crash);
  tcase_add_test(tc, apierror_unknown_status_fallback);
  tcase_add_test(tc, apierror_http_reason);
  tcase_add_test(tc, apierror_http_reason_unknown_empty);
  suite_add_tcase(s, tc);

  tc = tcase_create("sanitize");
  tcase_add_test(tc, apierror_title_sanitized);
  tcase_add_test(tc, apierror_title_non_ascii_sanitized);
  tcase_add_test(tc, apierror_message_sanitized);
  tcase_add_test(tc, apierror_wrapped_key_sanitized);
  tcase_add_test(tc, apierror_long_message_truncated);
  tcase_add_test(tc, apierror_long_title_truncated);
  suite_add_tcase(s, tc);
  return s;
}
