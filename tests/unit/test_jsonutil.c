/* jsonutil: E.164, integers, length-bounded comparisons, quo_json_run. */
#include "unit.h"

#include "jsonutil.h"

#include <stdlib.h>
#include <string.h>

/* Each check runs on an exact-size copy so reads past n show in valgrind. */
static bool e164(const char *s) {
  return quo_json_is_e164(unit_copy(s, strlen(s)), strlen(s));
}

static int integer(const char *s, int64_t *out) {
  return quo_json_integer(unit_copy(s, strlen(s)), strlen(s), out);
}

/* E.164: '+', a first digit 1-9, 2 to 15 digits in all. */
static const struct {
  const char *s;
  bool valid;
} e164s[] = {
    {"+12", true}, /* the shortest */
    {"+1", false},
    {"+", false},
    {"", false},
    {"+123456789012345", true},   /* 15 digits */
    {"+1234567890123456", false}, /* 16 digits */
    {"+15555550100", true},
    {"+442071838750", true},
    {"+05555550100", false}, /* leading zero */
    {"+0", false},
    {"15555550100", false}, /* no plus */
    {"0015555550100", false},
    {"+1555555010a", false}, /* non-digits */
    {"+1 555 555", false},
    {"+1-555-5550", false},
    {"++15555", false},
    {"+1555\xd9\xa1", false}, /* an Arabic-Indic digit */
};

START_TEST(e164_table) {
  ck_assert_msg(e164(e164s[_i].s) == e164s[_i].valid, "\"%s\": want %d",
                e164s[_i].s, e164s[_i].valid);
}
END_TEST

START_TEST(e164_n_bounds_input) {
  ck_assert(quo_json_is_e164("+1234abc", 4));
  ck_assert(quo_json_is_e164("+1234abc", 5));
  ck_assert(!quo_json_is_e164("+1234abc", 6));
  ck_assert(!quo_json_is_e164("+1234", 2));
}
END_TEST

/* JSON integers into int64_t: ok rows give value, the rest are refused. */
static const struct {
  const char *s;
  bool ok;
  int64_t value;
} integers[] = {
    {"0", true, 0},
    {"184", true, 184},
    {"-42", true, -42},
    {"9223372036854775807", true, INT64_MAX},
    {"-9223372036854775808", true, INT64_MIN},
    {"-0", true, 0},
    {"9223372036854775808", false, 0}, /* overflow */
    {"-9223372036854775809", false, 0},
    {"18446744073709551616", false, 0},
    {"99999999999999999999999999999", false, 0},
    {"1.0", false, 0}, /* fraction */
    {"0.5", false, 0},
    {"1e3", false, 0}, /* exponent */
    {"1E3", false, 0},
    {"1e+3", false, 0},
    {"", false, 0}, /* empty, signs, blanks, hex */
    {"-", false, 0},
    {"+1", false, 0},
    {"--1", false, 0},
    {" 1", false, 0},
    {"0x10", false, 0},
};

START_TEST(integer_table) {
  /* A value the parser never gives, so an untouched out shows. */
  int64_t v = 7777;
  int rc = integer(integers[_i].s, &v);
  ck_assert_msg(rc == (integers[_i].ok ? 0 : -1), "\"%s\": rc %d",
                integers[_i].s, rc);
  if (integers[_i].ok)
    ck_assert_msg(v == integers[_i].value, "\"%s\": %lld", integers[_i].s,
                  (long long)v);
}
END_TEST

START_TEST(integer_n_bounds_input) {
  int64_t v = 0;
  ck_assert_int_eq(quo_json_integer("123.5", 3, &v), 0);
  ck_assert(v == 123);
}
END_TEST

/* Length-bounded comparisons against a NUL-terminated literal: equals
 * (prefix false) or has_prefix (prefix true), on exactly n bytes of s. */
static const struct {
  bool prefix;
  const char *s;
  size_t n;
  const char *lit;
  bool want;
} comparisons[] = {
    {false, "abc", 3, "abc", true},  {false, "abcdef", 3, "abc", true},
    {false, "abc", 3, "ab", false},  {false, "ab", 2, "abc", false},
    {false, "abd", 3, "abc", false}, {false, "", 0, "", true},
    {false, "a\0c", 3, "a", false},  {true, "AC123", 5, "AC", true},
    {true, "AC", 2, "AC", true},     {true, "A", 1, "AC", false},
    {true, "AC", 1, "AC", false},    {true, "xAC", 3, "AC", false},
    {true, "ac1", 3, "AC", false},   {true, "anything", 8, "", true},
};

START_TEST(comparison_table) {
  const char *s = unit_copy(comparisons[_i].s, comparisons[_i].n);
  size_t n = comparisons[_i].n;
  bool got = comparisons[_i].prefix
                 ? quo_json_has_prefix(s, n, comparisons[_i].lit)
                 : quo_json_equals(s, n, comparisons[_i].lit);
  ck_assert_msg(got == comparisons[_i].want, "row %d: %d", _i, got);
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
                               UNIT_LOOP(e164_table, e164s),
                               UNIT_TEST(e164_n_bounds_input),
                               UNIT_CASE("integer"),
                               UNIT_LOOP(integer_table, integers),
                               UNIT_TEST(integer_n_bounds_input),
                               UNIT_CASE("strings"),
                               UNIT_LOOP(comparison_table, comparisons),
                               UNIT_TEST(json_run_ok),
                               UNIT_TEST(json_run_malformed_offset_only),
                               UNIT_TEST(json_run_cancel_keeps_reason),
                               UNIT_END};
  return unit_suite("jsonutil", NULL, NULL, tests);
}
