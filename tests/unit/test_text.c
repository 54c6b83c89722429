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

START_TEST(text_plain_copied) {
  char out[64];
  run(out, sizeof(out), "Not Found (0100404)", 19);
  ck_assert_str_eq(out, "Not Found (0100404)");
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

START_TEST(text_control_chars) {
  char out[64];
  run(out, sizeof(out), "a\nb\rc\td\x1b[0m\x01", 12);
  ck_assert_str_eq(out, "a?b?c?d?[0m?");
}
END_TEST

START_TEST(text_del) {
  char out[16];
  run(out, sizeof(out), "x\x7fy", 3);
  ck_assert_str_eq(out, "x?y");
}
END_TEST

START_TEST(text_high_bytes) {
  char out[16];
  run(out, sizeof(out), "caf\xc3\xa9\x80\xff", 7);
  ck_assert_str_eq(out, "caf????");
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

START_TEST(text_pipe) {
  char out[32];
  run(out, sizeof(out), "OK | perf=1", 11);
  ck_assert_str_eq(out, "OK ? perf=1");
}
END_TEST

START_TEST(text_embedded_nul) {
  char out[16];
  run(out, sizeof(out), "ab\0cd", 5);
  ck_assert_str_eq(out, "ab?cd");
}
END_TEST

START_TEST(text_n_limits_input) {
  char out[16];
  run(out, sizeof(out), "abcdef", 3);
  ck_assert_str_eq(out, "abc");
  run(out, sizeof(out), "abcdef", 0);
  ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(text_truncated_at_cap) {
  char out[8];
  run(out, sizeof(out), "0123456789abcdef", 16);
  ck_assert_str_eq(out, "0123456");
}
END_TEST

START_TEST(text_exact_fit) {
  char out[6];
  run(out, sizeof(out), "hello", 5);
  ck_assert_str_eq(out, "hello");
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
                               UNIT_TEST(text_plain_copied),
                               UNIT_TEST(text_all_printable_kept),
                               UNIT_TEST(text_control_chars),
                               UNIT_TEST(text_del),
                               UNIT_TEST(text_high_bytes),
                               UNIT_TEST(text_every_byte),
                               UNIT_TEST(text_pipe),
                               UNIT_TEST(text_embedded_nul),
                               UNIT_TEST(text_n_limits_input),
                               UNIT_TEST(text_truncated_at_cap),
                               UNIT_TEST(text_exact_fit),
                               UNIT_TEST(text_cap_zero),
                               UNIT_TEST(text_cap_one),
                               UNIT_TEST(text_long_input),
                               UNIT_END};
  return unit_suite("text", NULL, NULL, tests);
}
