/* quo_callid_valid: ^AC[A-Za-z0-9]{1,62}$ at every edge. */
#include "unit.h"

#include "callid.h"

#include <string.h>

/* "AC" followed by n copies of c. */
static const char *make_id(char *buf, size_t cap, size_t n, char c) {
  ck_assert_uint_lt(n + 2, cap);
  buf[0] = 'A';
  buf[1] = 'C';
  memset(buf + 2, c, n);
  buf[n + 2] = '\0';
  return buf;
}

START_TEST(callid_documented_example) {
  ck_assert(quo_callid_valid("AC3700e624eca547eb9f749a06f2eb1"));
}
END_TEST

START_TEST(callid_shortest) {
  ck_assert(quo_callid_valid("AC1"));
  ck_assert(quo_callid_valid("ACa"));
  ck_assert(quo_callid_valid("ACZ"));
}
END_TEST

START_TEST(callid_mixed_alnum) {
  ck_assert(quo_callid_valid("AC0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"
                             "KLMNOPQRSTUVWXYZ"));
}
END_TEST

START_TEST(callid_empty_refused) {
  ck_assert(!quo_callid_valid(""));
}
END_TEST

START_TEST(callid_prefix_only_refused) {
  ck_assert(!quo_callid_valid("AC"));
}
END_TEST

START_TEST(callid_single_char_refused) {
  ck_assert(!quo_callid_valid("A"));
}
END_TEST

START_TEST(callid_62_after_prefix_ok) {
  char buf[80];
  const char *id = make_id(buf, sizeof(buf), 62, 'x');
  ck_assert_uint_eq(strlen(id), QUO_CALLID_MAX);
  ck_assert(quo_callid_valid(id));
}
END_TEST

START_TEST(callid_63_after_prefix_refused) {
  char buf[80];
  ck_assert(!quo_callid_valid(make_id(buf, sizeof(buf), 63, 'x')));
}
END_TEST

START_TEST(callid_very_long_refused) {
  char buf[4096];
  ck_assert(!quo_callid_valid(make_id(buf, sizeof(buf), 4000, '7')));
}
END_TEST

START_TEST(callid_lowercase_prefix_refused) {
  ck_assert(!quo_callid_valid("ac123abc"));
  ck_assert(!quo_callid_valid("Ac123abc"));
  ck_assert(!quo_callid_valid("aC123abc"));
}
END_TEST

START_TEST(callid_other_prefix_refused) {
  ck_assert(!quo_callid_valid("PN123abc"));
  ck_assert(!quo_callid_valid("US123abc"));
  ck_assert(!quo_callid_valid("CA123abc"));
}
END_TEST

START_TEST(callid_punctuation_refused) {
  static const char *const bad[] = {"AC12-3",   "AC12_3", "AC12.3", "AC12%20",
                                    "AC12?x=1", "AC12#f", "AC12&a", "AC12+3",
                                    "AC12\"",   "AC12'",  "AC12:3", "AC12@h"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    ck_assert_msg(!quo_callid_valid(bad[i]), "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(callid_slash_refused) {
  ck_assert(!quo_callid_valid("AC12/3"));
  ck_assert(!quo_callid_valid("AC/../../v1/users"));
  ck_assert(!quo_callid_valid("AC12\\3"));
}
END_TEST

START_TEST(callid_spaces_refused) {
  ck_assert(!quo_callid_valid(" AC123"));
  ck_assert(!quo_callid_valid("AC123 "));
  ck_assert(!quo_callid_valid("AC 123"));
  ck_assert(!quo_callid_valid("AC123\t"));
  ck_assert(!quo_callid_valid("AC123\n"));
}
END_TEST

START_TEST(callid_non_ascii_refused) {
  ck_assert(!quo_callid_valid("AC12\xc3\xa9"));
  ck_assert(!quo_callid_valid("AC\xff"));
  ck_assert(!quo_callid_valid("AC12\x80x"));
}
END_TEST

START_TEST(callid_control_refused) {
  ck_assert(!quo_callid_valid("AC12\x01"));
  ck_assert(!quo_callid_valid("AC12\x7f"));
}
END_TEST

START_TEST(callid_null_refused) {
  ck_assert(!quo_callid_valid(NULL));
}
END_TEST

START_TEST(callid_every_alnum_accepted) {
  char id[4] = "ACx";
  for (int c = 0; c < 256; c++) {
    if (c == 0)
      continue;
    id[2] = (char)c;
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                 (c >= 'A' && c <= 'Z');
    ck_assert_msg(quo_callid_valid(id) == alnum, "byte 0x%02x", c);
  }
}
END_TEST

Suite *callid_suite(void) {
  const unit_test_t tests[] = {UNIT_CASE("valid"),
                               UNIT_TEST(callid_documented_example),
                               UNIT_TEST(callid_shortest),
                               UNIT_TEST(callid_mixed_alnum),
                               UNIT_TEST(callid_62_after_prefix_ok),
                               UNIT_TEST(callid_every_alnum_accepted),
                               UNIT_CASE("invalid"),
                               UNIT_TEST(callid_empty_refused),
                               UNIT_TEST(callid_prefix_only_refused),
                               UNIT_TEST(callid_single_char_refused),
                               UNIT_TEST(callid_63_after_prefix_refused),
                               UNIT_TEST(callid_very_long_refused),
                               UNIT_TEST(callid_lowercase_prefix_refused),
                               UNIT_TEST(callid_other_prefix_refused),
                               UNIT_TEST(callid_punctuation_refused),
                               UNIT_TEST(callid_slash_refused),
                               UNIT_TEST(callid_spaces_refused),
                               UNIT_TEST(callid_non_ascii_refused),
                               UNIT_TEST(callid_control_refused),
                               UNIT_TEST(callid_null_refused),
                               UNIT_END};
  return unit_suite("callid", NULL, NULL, tests);
}
