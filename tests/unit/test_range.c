/* Monitoring Plugins ranges (plugin/core/range.c) at every edge. */
#include "range.h"
#include "unit.h"

#include <math.h>
#include <stdio.h>
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

/* Ranges as parsed, and whether each value alerts. */
typedef struct {
  double value;
  bool alert;
} probe_t;

/* A probe: at this value the range alerts (A) or stays quiet (Q). */
#define A(v)                                                                   \
  { v, true }
#define Q(v)                                                                   \
  { v, false }
/* The text, the start, end and '@' it parses to, then its probes. */
#define RANGE(text, start, end, inside, ...)                                   \
  {                                                                            \
    text, start, end, inside,                                                  \
        (int)(sizeof((probe_t[]){__VA_ARGS__}) / sizeof(probe_t)), {           \
      __VA_ARGS__                                                              \
    }                                                                          \
  }

static const struct {
  const char *text;
  double start, end;
  bool inside;
  int n;
  probe_t probes[5];
} ranges[] = {
    /* A plain end means 0 to it; both ends are inclusive. */
    RANGE("10", 0, 10, false, A(-0.001), Q(0), Q(10), A(10.0001)),
    RANGE("10:", 10, INFINITY, false, A(9.999), Q(10), Q(1e300)),
    RANGE("~:10", -INFINITY, 10, false, Q(-1e300), Q(10), A(10.5)),
    RANGE("10:20", 10, 20, false, A(9.99), Q(10), Q(20), A(20.01)),
    /* '@' alerts inside, ends included. */
    RANGE("@10:20", 10, 20, true, Q(9.99), A(10), A(15), A(20), Q(20.01)),
    RANGE("@5", 0, 5, true, A(0), Q(-1)),
    RANGE("@~:0", -INFINITY, 0, true, A(-100), Q(0.1)),
    RANGE("-10.5:-0.25", -10.5, -0.25, false, A(-10.51), Q(-10.5), Q(-0.25),
          A(0)),
    RANGE("0.5", 0, 0.5, false, A(0.51)),
    RANGE("+1.50:+2", 1.5, 2, false, Q(1.75)),
    RANGE(":10", 0, 10, false, A(-1), Q(5)), /* an empty start is 0 */
    RANGE("5:5", 5, 5, false, Q(5), A(5.0001)),
};

START_TEST(range_table) {
  quo_range_t r = parse_ok(ranges[_i].text);
  ck_assert_double_eq(r.start, ranges[_i].start);
  ck_assert_double_eq(r.end, ranges[_i].end);
  ck_assert_int_eq(r.inside, ranges[_i].inside);
  for (int k = 0; k < ranges[_i].n; k++) {
    const probe_t *p = &ranges[_i].probes[k];
    ck_assert_msg(quo_range_alert(&r, p->value) == p->alert,
                  "'%s' at %g: want alert %d", ranges[_i].text, p->value,
                  p->alert);
  }
}
END_TEST

/* Texts that are no range at all (perfdata has no exponents, no inf or
 * nan, no blanks): the error quotes the text. */
static const char *const not_ranges[] = {
    "abc",  "10:20:30", "@",    "@@10", "~",   "10:~", "inf", "nan",
    "0x10", "1e400",    "1e-9", "1E3:", "10 ", " 10",  "1-0"};

START_TEST(not_a_range_refused) {
  char why[64];
  snprintf(why, sizeof(why), "range \"%s\" is not", not_ranges[_i]);
  parse_bad(not_ranges[_i], why);
}
END_TEST

/* Well-formed texts refused for what they say. */
static const struct {
  const char *text, *why;
} bad_ranges[] = {{"", "empty"},
                  {"20:10", "starts above its end"},
                  {"@5:-5", "starts above its end"}};

START_TEST(bad_range_refused) {
  parse_bad(bad_ranges[_i].text, bad_ranges[_i].why);
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
      UNIT_LOOP(range_table, ranges),
      UNIT_LOOP(not_a_range_refused, not_ranges),
      UNIT_LOOP(bad_range_refused, bad_ranges),
      UNIT_TEST(overlong_range_refused_and_shown_safely), UNIT_END};
  return unit_suite("range", NULL, NULL, tests);
}
