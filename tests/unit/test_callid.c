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

static const char *const accepted[] = {
    "AC3700e624eca547eb9f749a06f2eb1", /* the documented example */
    "AC1",
    "ACa",
    "ACZ", /* the shortest */
    "AC0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
};

START_TEST(callid_accepted) {
  ck_assert_msg(quo_callid_valid(accepted[_i]), "refused \"%s\"", accepted[_i]);
}
END_TEST

static const char *const refused[] = {
    NULL,
    "",
    "AC",
    "A",
    /* the prefix in another case, or another prefix */
    "ac123abc",
    "Ac123abc",
    "aC123abc",
    "PN123abc",
    "US123abc",
    "CA123abc",
    /* punctuation, URL syntax, path separators */
    "AC12-3",
    "AC12_3",
    "AC12.3",
    "AC12%20",
    "AC12?x=1",
    "AC12#f",
    "AC12&a",
    "AC12+3",
    "AC12\"",
    "AC12'",
    "AC12:3",
    "AC12@h",
    "AC12/3",
    "AC/../../v1/users",
    "AC12\\3",
    /* blanks, non-ASCII, control bytes */
    " AC123",
    "AC123 ",
    "AC 123",
    "AC123\t",
    "AC123\n",
    "AC12\xc3\xa9",
    "AC\xff",
    "AC12\x80x",
    "AC12\x01",
    "AC12\x7f",
};

START_TEST(callid_refused) {
  ck_assert_msg(!quo_callid_valid(refused[_i]), "accepted \"%s\"",
                refused[_i] != NULL ? refused[_i] : "(null)");
}
END_TEST

/* "AC" and n more: 62 is the longest ID, 63 one too many. */
static const struct {
  size_t n;
  char c;
  bool valid;
} lengths[] = {{62, 'x', true}, {63, 'x', false}, {4000, '7', false}};

START_TEST(callid_length) {
  char buf[4096];
  const char *id = make_id(buf, sizeof(buf), lengths[_i].n, lengths[_i].c);
  ck_assert_uint_eq(strlen(id), lengths[_i].n + 2);
  ck_assert_int_eq(quo_callid_valid(id), lengths[_i].valid);
  if (lengths[_i].valid)
    ck_assert_uint_eq(strlen(id), QUO_CALLID_MAX);
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
                               UNIT_LOOP(callid_accepted, accepted),
                               UNIT_LOOP(callid_length, lengths),
                               UNIT_TEST(callid_every_alnum_accepted),
                               UNIT_CASE("invalid"),
                               UNIT_LOOP(callid_refused, refused),
                               UNIT_END};
  return unit_suite("callid", NULL, NULL, tests);
}
