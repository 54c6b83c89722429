/* quo_sanitize: printable ASCII out, everything else '?', bounded. */
#include "unit.h"

#include "text.h"

#include <stdbool.h>
#include <string.h>

/* Sanitises n bytes of src into a buffer of cap bytes followed by sentinel
 * bytes, and checks the sentinels survive. */
static void run(char *out, size_t cap, const char *src, size_t n) {
  char buf[600];
  ck_assert_uint_le(cap + 8, sizeof(buf));
  memset(buf, '#', sizeof(buf));
  char *r = quo_sanitize(buf, cap, src, n);
  ck_assert_ptr_eq(r, buf);
  for (size_t i = cap; i < sizeof(buf); i++)
    ck_assert_msg(buf[i] == '#', "byte %zu past cap %zu written", i, cap);
  if (cap > 0)
    memcpy(out, buf, cap);
}

/* n bytes of src into a buffer of cap bytes: what comes out. */
static const struct {
  const char *src;
  size_t n, cap;
  const char *want;
} cases[] = {
    {"Not Found (0100404)", 19, 64, "Not Found (0100404)"},
    {"a\nb\rc\td\x1b[0m\x01", 12, 64, "a?b?c?d?[0m?"},
    {"x\x7fy", 3, 16, "x?y"},
    {"caf\xc3\xa9\x80\xff", 7, 16, "caf????"},
    {"OK | perf=1", 11, 32, "OK ? perf=1"},
    {"ab\0cd", 5, 16, "ab?cd"},
    {"abcdef", 3, 16, "abc"},
    {"abcdef", 0, 16, ""},
    {"0123456789abcdef", 16, 8, "0123456"},
    {"hello", 5, 6, "hello"},
};

START_TEST(text_case) {
  char out[64];
  run(out, cases[_i].cap, cases[_i].src, cases[_i].n);
  ck_assert_str_eq(out, cases[_i].want);
}
END_TEST

START_TEST(text_all_printable_kept) {
  char src[96], out[128];
  size_t n = 0;
  for (int c = 0x20; c < 0x7f; c++)
    if (c != '|')
      src[n++] = (char)c;
  run(out, sizeof(out), src, n);
  ck_assert_uint_eq(strlen(out), n);
  ck_assert_int_eq(memcmp(out, src, n), 0);
}
END_TEST

START_TEST(text_every_byte) {
  for (int c = 0; c < 256; c++) {
    char src = (char)c, out[4];
    run(out, sizeof(out), &src, 1);
    bool keep = c >= 0x20 && c < 0x7f && c != '|';
    ck_assert_uint_eq(strlen(out), 1);
    ck_assert_msg(out[0] == (keep ? (char)c : '?'), "byte 0x%02x", c);
  }
}
END_TEST

START_TEST(text_cap_zero) {
  char buf[4] = {'#', '#', '#', '#'};
  char *r = quo_sanitize(buf, 0, "abc", 3);
  ck_assert_ptr_eq(r, buf);
  for (int i = 0; i < 4; i++)
    ck_assert_int_eq(buf[i], '#');
}
END_TEST

START_TEST(text_cap_one) {
  char out[1];
  run(out, 1, "abc", 3);
  ck_assert_int_eq(out[0], '\0');
}
END_TEST

START_TEST(text_long_input) {
  char src[500], out[400];
  memset(src, '\x01', sizeof(src));
  run(out, sizeof(out), src, sizeof(src));
  ck_assert_uint_eq(strlen(out), sizeof(out) - 1);
  ck_assert_int_eq(out[0], '?');
  ck_assert_int_eq(out[sizeof(out) - 2], '?');
}
END_TEST

Suite *text_suite(void) {
  const unit_test_t tests[] = {UNIT_CASE("sanitize"),
                               UNIT_LOOP(text_case, cases),
                               UNIT_TEST(text_all_printable_kept),
                               UNIT_TEST(text_every_byte),
                               UNIT_TEST(text_cap_zero),
                               UNIT_TEST(text_cap_one),
                               UNIT_TEST(text_long_input),
                               UNIT_END};
  return unit_suite("text", NULL, NULL, tests);
}
