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

START_TEST(ts_epoch_zero) {
  assert_epoch("1970-01-01T00:00:00Z", 0.0);
}
END_TEST

START_TEST(ts_utc_z) {
  assert_epoch("2026-11-27T10:00:00Z", 1795773600.0);
  assert_epoch("2000-01-01T00:00:00Z", Y2K);
}
END_TEST

START_TEST(ts_lowercase_t_and_z) {
  assert_epoch("2000-01-01t00:00:00z", Y2K);
  assert_epoch("2000-01-01t00:00:00Z", Y2K);
  assert_epoch("2000-01-01T00:00:00z", Y2K);
}
END_TEST

START_TEST(ts_fraction_half) {
  assert_epoch("2000-01-01T00:00:00.5Z", Y2K + 0.5);
}
END_TEST

START_TEST(ts_fraction_eighth) {
  assert_epoch("2000-01-01T00:00:00.125Z", Y2K + 0.125);
}
END_TEST

START_TEST(ts_fraction_nine_digits) {
  assert_epoch("2000-01-01T00:00:01.123456789Z", Y2K + 1.123456789);
}
END_TEST

START_TEST(ts_fraction_trailing_zeros) {
  assert_epoch("2026-11-27T10:00:46.000Z", 1795773646.0);
}
END_TEST

START_TEST(ts_fraction_empty_refused) {
  assert_refused("2000-01-01T00:00:00.Z");
}
END_TEST

START_TEST(ts_positive_offset) {
  assert_epoch("2000-01-01T05:30:00+05:30", Y2K);
  assert_epoch("2026-11-27T11:00:04.125+01:00", 1795773604.125);
}
END_TEST

START_TEST(ts_negative_offset) {
  assert_epoch("1999-12-31T16:00:00-08:00", Y2K);
  assert_epoch("2026-11-27T05:00:00.500-05:00", 1795773600.5);
}
END_TEST

START_TEST(ts_zero_offsets) {
  assert_epoch("2000-01-01T00:00:00+00:00", Y2K);
  assert_epoch("2000-01-01T00:00:00-00:00", Y2K);
}
END_TEST

START_TEST(ts_before_epoch) {
  assert_epoch("1969-12-31T23:59:59Z", -1.0);
  assert_epoch("1970-01-01T00:00:00+00:01", -60.0);
}
END_TEST

START_TEST(ts_leap_day_2024_valid) {
  assert_epoch("2024-02-29T12:00:00Z", 1709208000.0);
  assert_epoch("2024-03-01T00:00:00Z", 1709251200.0);
}
END_TEST

START_TEST(ts_leap_day_2023_invalid) {
  assert_refused("2023-02-29T12:00:00Z");
  assert_epoch("2023-03-01T00:00:00Z", 1677628800.0);
}
END_TEST

START_TEST(ts_leap_century_rules) {
  assert_epoch("2000-02-29T00:00:00Z", 951782400.0);
  assert_refused("1900-02-29T00:00:00Z");
  assert_refused("2024-02-30T00:00:00Z");
}
END_TEST

START_TEST(ts_month_13_refused) {
  assert_refused("2024-13-01T00:00:00Z");
}
END_TEST

START_TEST(ts_month_0_refused) {
  assert_refused("2024-00-10T00:00:00Z");
}
END_TEST

START_TEST(ts_day_0_refused) {
  assert_refused("2024-01-00T00:00:00Z");
}
END_TEST

START_TEST(ts_day_32_refused) {
  assert_refused("2024-01-32T00:00:00Z");
  assert_refused("2024-04-31T00:00:00Z");
  assert_epoch("2024-01-31T00:00:00Z", 1706659200.0);
}
END_TEST

START_TEST(ts_hour_24_refused) {
  assert_refused("2024-01-01T24:00:00Z");
  assert_epoch("2024-01-01T23:00:00Z", 1704150000.0);
}
END_TEST

START_TEST(ts_minute_60_refused) {
  assert_refused("2024-01-01T00:60:00Z");
}
END_TEST

START_TEST(ts_second_61_refused) {
  assert_refused("2024-01-01T00:00:61Z");
}
END_TEST

START_TEST(ts_offset_24_refused) {
  assert_refused("2024-01-01T00:00:00+24:00");
  assert_refused("2024-01-01T00:00:00-24:00");
  assert_refused("2024-01-01T00:00:00+01:60");
  assert_epoch("2024-01-01T23:59:00+23:59", 1704067200.0);
}
END_TEST

START_TEST(ts_offset_malformed_refused) {
  assert_refused("2024-01-01T00:00:00+0100");
  assert_refused("2024-01-01T00:00:00+01");
  assert_refused("2024-01-01T00:00:00+1:00");
  assert_refused("2024-01-01T00:00:00+01:0");
  assert_refused("2024-01-01T00:00:00+ab:cd");
  assert_refused("2024-01-01T00:00:00 01:00");
}
END_TEST

START_TEST(ts_missing_zone_refused) {
  assert_refused("2024-01-01T00:00:00");
  assert_refused("2024-01-01T00:00:00.5");
}
END_TEST

START_TEST(ts_trailing_garbage_refused) {
  assert_refused("2024-01-01T00:00:00Zx");
  assert_refused("2024-01-01T00:00:00Z ");
  assert_refused("2024-01-01T00:00:00+01:00Z");
  assert_refused("2024-01-01T00:00:00ZZ");
}
END_TEST

START_TEST(ts_bad_separators_refused) {
  assert_refused("2024/01/01T00:00:00Z");
  assert_refused("2024-01-01X00:00:00Z");
  assert_refused("2024-01-01T00.00.00Z");
  assert_refused("20x4-01-01T00:00:00Z");
  assert_refused("+024-01-01T00:00:00Z");
  assert_refused("2024-1-01T00:00:00Z");
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

START_TEST(ts_year_9999_plus_14) {
  assert_epoch("9999-12-31T23:59:59+14:00", 253402250399.0);
  assert_epoch("9999-12-31T23:59:59Z", 253402300799.0);
}
END_TEST

Suite *timestamp_suite(void) {
  const unit_test_t tests[] = {UNIT_CASE("valid"),
                               UNIT_TEST(ts_epoch_zero),
                               UNIT_TEST(ts_utc_z),
                               UNIT_TEST(ts_lowercase_t_and_z),
                               UNIT_TEST(ts_fraction_half),
                               UNIT_TEST(ts_fraction_eighth),
                               UNIT_TEST(ts_fraction_nine_digits),
                               UNIT_TEST(ts_fraction_trailing_zeros),
                               UNIT_TEST(ts_positive_offset),
                               UNIT_TEST(ts_negative_offset),
                               UNIT_TEST(ts_zero_offsets),
                               UNIT_TEST(ts_before_epoch),
                               UNIT_TEST(ts_leap_day_2024_valid),
                               UNIT_TEST(ts_leap_century_rules),
                               UNIT_TEST(ts_year_9999_plus_14),
                               UNIT_TEST(ts_len_shorter_than_string),
                               UNIT_CASE("invalid"),
                               UNIT_TEST(ts_fraction_empty_refused),
                               UNIT_TEST(ts_leap_day_2023_invalid),
                               UNIT_TEST(ts_month_13_refused),
                               UNIT_TEST(ts_month_0_refused),
                               UNIT_TEST(ts_day_0_refused),
                               UNIT_TEST(ts_day_32_refused),
                               UNIT_TEST(ts_hour_24_refused),
                               UNIT_TEST(ts_minute_60_refused),
                               UNIT_TEST(ts_second_61_refused),
                               UNIT_TEST(ts_offset_24_refused),
                               UNIT_TEST(ts_offset_malformed_refused),
                               UNIT_TEST(ts_missing_zone_refused),
                               UNIT_TEST(ts_trailing_garbage_refused),
                               UNIT_TEST(ts_bad_separators_refused),
                               UNIT_TEST(ts_every_truncation_refused),
                               UNIT_TEST(ts_len_cuts_offset),
                               UNIT_TEST(ts_empty_and_null_refused),
                               UNIT_END};
  return unit_suite("timestamp", NULL, NULL, tests);
}
