/* Bounded label counters (plugin/core/counters.c): labels come from the
 * network, so the table must never grow past its size. */
#include "counters.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>

START_TEST(counts_per_label) {
  quo_counters_t c = {0};
  quo_counters_add(&c, "200");
  quo_counters_add(&c, "404");
  quo_counters_add(&c, "200");
  ck_assert_uint_eq(c.n, 2);
  ck_assert_uint_eq(unit_count(&c, "200"), 2);
  ck_assert_uint_eq(unit_count(&c, "404"), 1);
}
END_TEST

START_TEST(overflow_goes_to_other_and_stays_bounded) {
  /* Guard bytes around the table catch any write past its end. */
  struct {
    quo_counters_t c;
    char guard[256];
  } g;
  memset(&g, 0, sizeof(g));
  memset(g.guard, 0x5a, sizeof(g.guard));
  char label[16];
  for (int i = 0; i < 1000; i++) {
    snprintf(label, sizeof(label), "C%05d", i);
    quo_counters_add(&g.c, label);
  }
  ck_assert_uint_le(g.c.n, QUO_COUNTERS_MAX);
  ck_assert_uint_eq(unit_count(&g.c, "other"), 1000 - (QUO_COUNTERS_MAX - 1));
  ck_assert_uint_eq(unit_count(&g.c, "C00000"), 1);
  for (size_t i = 0; i < sizeof(g.guard); i++)
    ck_assert_int_eq(g.guard[i], 0x5a);
  /* Known labels still count after the table is full. */
  quo_counters_add(&g.c, "C00003");
  ck_assert_uint_eq(unit_count(&g.c, "C00003"), 2);
}
END_TEST

START_TEST(long_labels_cut) {
  quo_counters_t c = {0};
  quo_counters_add(&c, "0123456789abcdefXYZ");
  quo_counters_add(&c, "0123456789abcdefQQQ");
  ck_assert_uint_eq(c.n, 1);
  ck_assert_uint_eq(unit_count(&c, "0123456789abcde"), 2);
}
END_TEST

Suite *counters_suite(void) {
  const unit_test_t tests[] = {
      UNIT_TEST(counts_per_label),
      UNIT_TEST(overflow_goes_to_other_and_stays_bounded),
      UNIT_TEST(long_labels_cut), UNIT_END};
  return unit_suite("counters", NULL, NULL, tests);
}
