/* quo_timestamp_parse: exact epoch values and every refusal. Each input is
 * copied into a buffer of exactly len bytes (no NUL), so a read past len is
 * caught by valgrind. */
#include "unit.h"

#include "timestamp.h"

#include <stdlib.h>
#include <string.h>

#define TOL 1e-6

static int parse_n(const char *s, size_t len, double *epoch) {
  return quo_timestamp_parse(unit_copy(s, len), len, epoch);
}

static int parse(const char *s, double *epoch) {
  return parse_n(s, strlen(s), epoch);
}

static void assert_epoch(const char *s, double want) {
  double got = -12345.0;
  ck_assert_msg(parse(s, &got) == 0, "refused \"%s\"", s);
  ck_assert_double_eq_tol(got, want, TOL);
}

static void assert_refused(const char *s) {
  double got = 0;
  ck_assert_msg(parse(s, &got) == -1, "accepted \"%s\"", s);
}

/* 2000-01-01T00:00:00Z */
#define Y2K 946684800.0

/* Timestamps the API may send, and their epoch seconds. */
static const struct {
  const char *text;
  double epoch;
} valid[] = {
    {"1970-01-01T00:00:00Z", 0.0},
    {"2026-11-27T10:00:00Z", 1795773600.0},
    {"2000-01-01T00:00:00Z", Y2K},
    /* 't' and 'z' in lower case */
    {"2000-01-01t00:00:00z", Y2K},
    {"2000-01-01t00:00:00Z", Y2K},
    {"2000-01-01T00:00:00z", Y2K},
    /* fractions, up to nine digits, trailing zeros */
    {"2000-01-01T00:00:00.5Z", Y2K + 0.5},
    {"2000-01-01T00:00:00.125Z", Y2K + 0.125},
    {"2000-01-01T00:00:01.123456789Z", Y2K + 1.123456789},
    {"2026-11-27T10:00:46.000Z", 1795773646.0},
    /* offsets: positive, negative, zero either way */
    {"2000-01-01T05:30:00+05:30", Y2K},
    {"2026-11-27T11:00:04.125+01:00", 1795773604.125},
    {"1999-12-31T16:00:00-08:00", Y2K},
    {"2026-11-27T05:00:00.500-05:00", 1795773600.5},
    {"2000-01-01T00:00:00+00:00", Y2K},
    {"2000-01-01T00:00:00-00:00", Y2K},
    /* before the epoch */
    {"1969-12-31T23:59:59Z", -1.0},
    {"1970-01-01T00:00:00+00:01", -60.0},
    /* leap days (2024, 2000) and the days next to refused ones */
    {"2024-02-29T12:00:00Z", 1709208000.0},
    {"2024-03-01T00:00:00Z", 1709251200.0},
    {"2023-03-01T00:00:00Z", 1677628800.0},
    {"2000-02-29T00:00:00Z", 951782400.0},
    /* the largest day, hour and offset */
    {"2024-01-31T00:00:00Z", 1706659200.0},
    {"2024-01-01T23:00:00Z", 1704150000.0},
    {"2024-01-01T23:59:00+23:59", 1704067200.0},
    /* the far end */
    {"9999-12-31T23:59:59+14:00", 253402250399.0},
    {"9999-12-31T23:59:59Z", 253402300799.0},
};

START_TEST(ts_valid) {
  assert_epoch(valid[_i].text, valid[_i].epoch);
}
END_TEST

/* Texts that are no RFC 3339 timestamp of the API's shape. */
static const char *const refused[] = {
    "2000-01-01T00:00:00.Z", /* an empty fraction */
    /* days that do not exist: 2023 and 1900 had no leap day */
    "2023-02-29T12:00:00Z",
    "1900-02-29T00:00:00Z",
    "2024-02-30T00:00:00Z",
    "2024-01-32T00:00:00Z",
    "2024-04-31T00:00:00Z",
    "2024-01-00T00:00:00Z",
    /* fields out of range */
    "2024-13-01T00:00:00Z",
    "2024-00-10T00:00:00Z",
    "2024-01-01T24:00:00Z",
    "2024-01-01T00:60:00Z",
    "2024-01-01T00:00:61Z",
    "2024-01-01T00:00:00+24:00",
    "2024-01-01T00:00:00-24:00",
    "2024-01-01T00:00:00+01:60",
    /* malformed offsets, or none */
    "2024-01-01T00:00:00+0100",
    "2024-01-01T00:00:00+01",
    "2024-01-01T00:00:00+1:00",
    "2024-01-01T00:00:00+01:0",
    "2024-01-01T00:00:00+ab:cd",
    "2024-01-01T00:00:00 01:00",
    "2024-01-01T00:00:00",
    "2024-01-01T00:00:00.5",
    /* anything after the zone */
    "2024-01-01T00:00:00Zx",
    "2024-01-01T00:00:00Z ",
    "2024-01-01T00:00:00+01:00Z",
    "2024-01-01T00:00:00ZZ",
    /* wrong separators or digits */
    "2024/01/01T00:00:00Z",
    "2024-01-01X00:00:00Z",
    "2024-01-01T00.00.00Z",
    "20x4-01-01T00:00:00Z",
    "+024-01-01T00:00:00Z",
    "2024-1-01T00:00:00Z",
};

START_TEST(ts_refused) {
  assert_refused(refused[_i]);
}
END_TEST

START_TEST(ts_every_truncation_refused) {
  static const char full[] = "2024-02-29T12:34:56.789+05:30";
  double e;
  ck_assert_int_eq(parse(full, &e), 0);
  for (size_t len = 0; len < strlen(full); len++)
    ck_assert_msg(parse_n(full, len, &e) == -1, "accepted %zu bytes", len);
}
END_TEST

START_TEST(ts_len_shorter_than_string) {
  /* Only len bytes count: the bytes after are never part of the value. */
  static const char s[] = "2000-01-01T00:00:00Zgarbage";
  double e = -1;
  ck_assert_int_eq(quo_timestamp_parse(s, 20, &e), 0);
  ck_assert_double_eq_tol(e, Y2K, TOL);
  ck_assert_int_eq(quo_timestamp_parse(s, 19, &e), -1);
  ck_assert_int_eq(quo_timestamp_parse(s, strlen(s), &e), -1);
}
END_TEST

START_TEST(ts_len_cuts_offset) {
  static const char s[] = "2000-01-01T00:00:00+01:00";
  double e;
  ck_assert_int_eq(quo_timestamp_parse(s, strlen(s) - 1, &e), -1);
  ck_assert_int_eq(quo_timestamp_parse(s, 20, &e), -1);
}
END_TEST

START_TEST(ts_empty_and_null_refused) {
  double e;
  ck_assert_int_eq(parse_n("", 0, &e), -1);
  ck_assert_int_eq(quo_timestamp_parse(NULL, 20, &e), -1);
}
END_TEST

Suite *timestamp_suite(void) {
  const unit_test_t tests[] = {UNIT_CASE("valid"),
                               UNIT_LOOP(ts_valid, valid),

                               UNIT_TEST(ts_len_shorter_than_string),
                               UNIT_CASE("invalid"),
                               UNIT_LOOP(ts_refused, refused),

                               UNIT_TEST(ts_every_truncation_refused),
                               UNIT_TEST(ts_len_cuts_offset),
                               UNIT_TEST(ts_empty_and_null_refused),
                               UNIT_END};
  return unit_suite("timestamp", NULL, NULL, tests);
}
