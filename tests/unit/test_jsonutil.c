/* jsonutil: E.164, integers, length-bounded comparisons, quo_json_run. */
#include "unit.h"

#include "jsonutil.h"

#include <stdlib.h>
#include <string.h>

/* Each check runs on an exact-size copy so reads past n show in valgrind. */
static bool e164(const char *s) {
  size_t n = strlen(s);
  char *c = malloc(n > 0 ? n : 1);
  ck_assert_ptr_nonnull(c);
  memcpy(c, s, n);
  bool r = quo_json_is_e164(c, n);
  free(c);
  return r;
}

static int integer(const char *s, int64_t *out) {
  size_t n = strlen(s);
  char *c = malloc(n > 0 ? n : 1);
  ck_assert_ptr_nonnull(c);
  memcpy(c, s, n);
  int r = quo_json_integer(c, n, out);
  free(c);
  return r;
}

START_TEST(e164_shortest) {
  ck_assert(e164("+12"));
  ck_assert(!e164("+1"));
  ck_assert(!e164("+"));
  ck_assert(!e164(""));
}
END_TEST

START_TEST(e164_longest) {
  ck_assert(e164("+123456789012345"));   /* 15 digits */
  ck_assert(!e164("+1234567890123456")); /* 16 digits */
}
END_TEST

START_TEST(e164_typical) {
  ck_assert(e164("+15555550100"));
  ck_assert(e164("+442071838750"));
}
END_TEST

START_TEST(e164_leading_zero_refused) {
  ck_assert(!e164("+05555550100"));
  ck_assert(!e164("+0"));
}
END_TEST

START_TEST(e164_no_plus_refused) {
  ck_assert(!e164("15555550100"));
  ck_assert(!e164("0015555550100"));
}
END_TEST

START_TEST(e164_non_digits_refused) {
  ck_assert(!e164("+1555555010a"));
  ck_assert(!e164("+1 555 555"));
  ck_assert(!e164("+1-555-5550"));
  ck_assert(!e164("++15555"));
  ck_assert(!e164("+1555\xd9\xa1"));
}
END_TEST

START_TEST(e164_n_bounds_input) {
  ck_assert(quo_json_is_e164("+1234abc", 4));
  ck_assert(quo_json_is_e164("+1234abc", 5));
  ck_assert(!quo_json_is_e164("+1234abc", 6));
  ck_assert(!quo_json_is_e164("+1234", 2));
}
END_TEST

START_TEST(integer_simple) {
  int64_t v = -1;
  ck_assert_int_eq(integer("0", &v), 0);
  ck_assert(v == 0);
  ck_assert_int_eq(integer("184", &v), 0);
  ck_assert(v == 184);
  ck_assert_int_eq(integer("-42", &v), 0);
  ck_assert(v == -42);
}
END_TEST

START_TEST(integer_int64_max) {
  int64_t v = 0;
  ck_assert_int_eq(integer("9223372036854775807", &v), 0);
  ck_assert(v == INT64_MAX);
}
END_TEST

START_TEST(integer_int64_min) {
  int64_t v = 0;
  ck_assert_int_eq(integer("-9223372036854775808", &v), 0);
  ck_assert(v == INT64_MIN);
}
END_TEST

START_TEST(integer_overflow_refused) {
  int64_t v;
  ck_assert_int_eq(integer("9223372036854775808", &v), -1);
  ck_assert_int_eq(integer("-9223372036854775809", &v), -1);
  ck_assert_int_eq(integer("18446744073709551616", &v), -1);
  ck_assert_int_eq(integer("99999999999999999999999999999", &v), -1);
}
END_TEST

START_TEST(integer_negative_zero) {
  int64_t v = 7;
  ck_assert_int_eq(integer("-0", &v), 0);
  ck_assert(v == 0);
}
END_TEST

START_TEST(integer_fraction_refused) {
  int64_t v;
  ck_assert_int_eq(integer("1.0", &v), -1);
  ck_assert_int_eq(integer("0.5", &v), -1);
}
END_TEST

START_TEST(integer_exponent_refused) {
  int64_t v;
  ck_assert_int_eq(integer("1e3", &v), -1);
  ck_assert_int_eq(integer("1E3", &v), -1);
  ck_assert_int_eq(integer("1e+3", &v), -1);
}
END_TEST

START_TEST(integer_empty_and_sign_refused) {
  int64_t v;
  ck_assert_int_eq(integer("", &v), -1);
  ck_assert_int_eq(integer("-", &v), -1);
  ck_assert_int_eq(integer("+1", &v), -1);
  ck_assert_int_eq(integer("--1", &v), -1);
  ck_assert_int_eq(integer(" 1", &v), -1);
  ck_assert_int_eq(integer("0x10", &v), -1);
}
END_TEST

START_TEST(integer_n_bounds_input) {
  int64_t v = 0;
  ck_assert_int_eq(quo_json_integer("123.5", 3, &v), 0);
  ck_assert(v == 123);
}
END_TEST

START_TEST(equals_cases) {
  ck_assert(quo_json_equals("abc", 3, "abc"));
  ck_assert(quo_json_equals("abcdef", 3, "abc"));
  ck_assert(!quo_json_equals("abc", 3, "ab"));
  ck_assert(!quo_json_equals("ab", 2, "abc"));
  ck_assert(!quo_json_equals("abd", 3, "abc"));
  ck_assert(quo_json_equals("", 0, ""));
  ck_assert(!quo_json_equals("a\0c", 3, "a"));
}
END_TEST

START_TEST(has_prefix_cases) {
  ck_assert(quo_json_has_prefix("AC123", 5, "AC"));
  ck_assert(quo_json_has_prefix("AC", 2, "AC"));
  ck_assert(!quo_json_has_prefix("A", 1, "AC"));
  ck_assert(!quo_json_has_prefix("AC", 1, "AC"));
  ck_assert(!quo_json_has_prefix("xAC", 3, "AC"));
  ck_assert(!quo_json_has_prefix("ac1", 3, "AC"));
  ck_assert(quo_json_has_prefix("anything", 8, ""));
}
END_TEST

static int count_numbers(void *ctx, const char *s, size_t n) {
  (void)s;
  (void)n;
  (*(int *)ctx)++;
  return 1;
}

START_TEST(json_run_ok) {
  yajl_callbacks cb = {.yajl_number = count_numbers};
  int count = 0;
  char err[64] = "";
  ck_assert_int_eq(
      quo_json_run(&cb, &count, "[1, 2, {\"a\": 3}]", 16, err, sizeof(err)), 0);
  ck_assert_int_eq(count, 3);
}
END_TEST

START_TEST(json_run_malformed_offset_only) {
  yajl_callbacks cb = {.yajl_number = count_numbers};
  int count = 0;
  char err[64] = "";
  static const char body[] = "[1, SECRETTOKEN]";
  ck_assert_int_eq(
      quo_json_run(&cb, &count, body, sizeof(body) - 1, err, sizeof(err)), -1);
  ck_assert(strstr(err, "malformed JSON at byte") != NULL);
  ck_assert(strstr(err, "SECRET") == NULL);
}
END_TEST

static int cancel_with_reason(void *ctx, const char *s, size_t n) {
  (void)s;
  (void)n;
  strcpy((char *)ctx, "my reason");
  return 0;
}

START_TEST(json_run_cancel_keeps_reason) {
  yajl_callbacks cb = {.yajl_number = cancel_with_reason};
  char err[64] = "";
  ck_assert_int_eq(quo_json_run(&cb, err, "[1]", 3, err, sizeof(err)), -1);
  ck_assert_str_eq(err, "my reason");
}
END_TEST

Suite *jsonutil_suite(void) {
  const unit_test_t tests[] = {UNIT_CASE("e164"),
                               UNIT_TEST(e164_shortest),
                               UNIT_TEST(e164_longest),
                               UNIT_TEST(e164_typical),
                               UNIT_TEST(e164_leading_zero_refused),
                               UNIT_TEST(e164_no_plus_refused),
                               UNIT_TEST(e164_non_digits_refused),
                               UNIT_TEST(e164_n_bounds_input),
                               UNIT_CASE("integer"),
                               UNIT_TEST(integer_simple),
                               UNIT_TEST(integer_int64_max),
                               UNIT_TEST(integer_int64_min),
                               UNIT_TEST(integer_overflow_refused),
                               UNIT_TEST(integer_negative_zero),
                               UNIT_TEST(integer_fraction_refused),
                               UNIT_TEST(integer_exponent_refused),
                               UNIT_TEST(integer_empty_and_sign_refused),
                               UNIT_TEST(integer_n_bounds_input),
                               UNIT_CASE("strings"),
                               UNIT_TEST(equals_cases),
                               UNIT_TEST(has_prefix_cases),
                               UNIT_TEST(json_run_ok),
                               UNIT_TEST(json_run_malformed_offset_only),
                               UNIT_TEST(json_run_cancel_keeps_reason),
                               UNIT_END};
  return unit_suite("jsonutil", NULL, NULL, tests);
}
