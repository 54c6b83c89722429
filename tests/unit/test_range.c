/* Monitoring Plugins ranges (plugin/core/range.c) at every edge. */
#include "range.h"
#include "unit.h"

#include <math.h>
#include <string.h>

static quo_range_t parse_ok(const char *s) {
  quo_range_t r;
  char err[128] = "";
  ck_assert_msg(quo_range_parse(s, &r, err, sizeof(err)) == 0,
                "'%s' refused: %s", s, err);
  ck_assert_str_eq(r.text, s);
  return r;
}

static void parse_bad(const char *s, const char *why) {
  quo_range_t r;
  char err[128] = "";
  ck_assert_msg(quo_range_parse(s, &r, err, sizeof(err)) == -1, "'%s' accepted",
                s);
  ck_assert_msg(strstr(err, why) != NULL, "'%s': '%s' lacks '%s'", s, err, why);
}

START_TEST(plain_end_means_zero_to_end) {
  quo_range_t r = parse_ok("10");
  ck_assert(quo_range_alert(&r, -0.001));
  ck_assert(!quo_range_alert(&r, 0));
  ck_assert(!quo_range_alert(&r, 10)); /* inclusive */
  ck_assert(quo_range_alert(&r, 10.0001));
}
END_TEST

START_TEST(open_end) {
  quo_range_t r = parse_ok("10:");
  ck_assert(quo_range_alert(&r, 9.999));
  ck_assert(!quo_range_alert(&r, 10));
  ck_assert(!quo_range_alert(&r, 1e300));
}
END_TEST

START_TEST(tilde_start_is_minus_infinity) {
  quo_range_t r = parse_ok("~:10");
  ck_assert(!quo_range_alert(&r, -1e300));
  ck_assert(!quo_range_alert(&r, 10));
  ck_assert(quo_range_alert(&r, 10.5));
  ck_assert(isinf(r.start) && r.start < 0);
}
END_TEST

START_TEST(both_ends_inclusive) {
  quo_range_t r = parse_ok("10:20");
  ck_assert(quo_range_alert(&r, 9.99));
  ck_assert(!quo_range_alert(&r, 10));
  ck_assert(!quo_range_alert(&r, 20));
  ck_assert(quo_range_alert(&r, 20.01));
}
END_TEST

START_TEST(at_alerts_inside_inclusive) {
  quo_range_t r = parse_ok("@10:20");
  ck_assert(r.inside);
  ck_assert(!quo_range_alert(&r, 9.99));
  ck_assert(quo_range_alert(&r, 10));
  ck_assert(quo_range_alert(&r, 15));
  ck_assert(quo_range_alert(&r, 20));
  ck_assert(!quo_range_alert(&r, 20.01));
}
END_TEST

START_TEST(at_with_plain_and_tilde) {
  quo_range_t r = parse_ok("@5");
  ck_assert(quo_range_alert(&r, 0));
  ck_assert(!quo_range_alert(&r, -1));
  r = parse_ok("@~:0");
  ck_assert(quo_range_alert(&r, -100));
  ck_assert(!quo_range_alert(&r, 0.1));
}
END_TEST

START_TEST(negative_and_fractional_bounds) {
  quo_range_t r = parse_ok("-10.5:-0.25");
  ck_assert_double_eq(r.start, -10.5);
  ck_assert_double_eq(r.end, -0.25);
  ck_assert(quo_range_alert(&r, -10.51));
  ck_assert(!quo_range_alert(&r, -10.5));
  ck_assert(!quo_range_alert(&r, -0.25));
  ck_assert(quo_range_alert(&r, 0));
  r = parse_ok("0.5");
  ck_assert(quo_range_alert(&r, 0.51));
  r = parse_ok("+1.50:+2");
  ck_assert(!quo_range_alert(&r, 1.75));
}
END_TEST

START_TEST(empty_start_is_zero) {
  quo_range_t r = parse_ok(":10");
  ck_assert(quo_range_alert(&r, -1));
  ck_assert(!quo_range_alert(&r, 5));
}
END_TEST

START_TEST(equal_ends) {
  quo_range_t r = parse_ok("5:5");
  ck_assert(!quo_range_alert(&r, 5));
  ck_assert(quo_range_alert(&r, 5.0001));
}
END_TEST

START_TEST(malformed_ranges_refused) {
  parse_bad("", "empty");
  parse_bad("abc", "range \"abc\" is not");
  parse_bad("10:20:30", "is not");
  parse_bad("@", "is not");
  parse_bad("@@10", "is not");
  parse_bad("~", "is not");
  parse_bad("10:~", "is not");
  parse_bad("inf", "is not");
  parse_bad("nan", "is not");
  parse_bad("0x10", "is not");
  parse_bad("1e400", "is not");
  parse_bad("1e-9", "is not"); /* perfdata has no exponents */
  parse_bad("1E3:", "is not");
  parse_bad("10 ", "is not");
  parse_bad(" 10", "is not");
  parse_bad("1-0", "is not");
  parse_bad("20:10", "starts above its end");
  parse_bad("@5:-5", "starts above its end");
}
END_TEST

START_TEST(overlong_range_refused_and_shown_safely) {
  char s[200];
  memset(s, '1', sizeof(s) - 1);
  s[sizeof(s) - 1] = '\0';
  parse_bad(s, "too long");
  quo_range_t r;
  char err[128] = "";
  ck_assert_int_eq(quo_range_parse("1\n|x", &r, err, sizeof(err)), -1);
  ck_assert_ptr_null(strchr(err, '\n'));
  ck_assert_ptr_null(strchr(err, '|'));
}
END_TEST

Suite *range_suite(void) {
  const unit_test_t tests[] = {
      UNIT_TEST(plain_end_means_zero_to_end),
      UNIT_TEST(open_end),
      UNIT_TEST(tilde_start_is_minus_infinity),
      UNIT_TEST(both_ends_inclusive),
      UNIT_TEST(at_alerts_inside_inclusive),
      UNIT_TEST(at_with_plain_and_tilde),
      UNIT_TEST(negative_and_fractional_bounds),
      UNIT_TEST(empty_start_is_zero),
      UNIT_TEST(equal_ends),
      UNIT_TEST(malformed_ranges_refused),
      UNIT_TEST(overlong_range_refused_and_shown_safely),
      UNIT_END};
  return unit_suite("range", NULL, NULL, tests);
}
