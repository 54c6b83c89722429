/* quo_once: first sighting true, repeats false, bounded, thread-safe. */
#include "unit.h"

#include "once.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

START_TEST(once_first_time_only) {
  quo_once_reset();
  ck_assert(quo_once("drift", "callRoute"));
  ck_assert(!quo_once("drift", "callRoute"));
  ck_assert(!quo_once("drift", "callRoute"));
  /* The kind separates the same key. */
  ck_assert(quo_once("status", "callRoute"));
  ck_assert(quo_once("drift", "userId"));
  ck_assert(!quo_once("status", "callRoute"));
}
END_TEST

START_TEST(once_null_is_empty) {
  quo_once_reset();
  ck_assert(quo_once(NULL, NULL));
  ck_assert(!quo_once("", ""));
  ck_assert(quo_once("k", NULL));
  ck_assert(!quo_once("k", ""));
}
END_TEST

START_TEST(once_long_keys_cut) {
  quo_once_reset();
  char a[200], b[200];
  memset(a, 'x', sizeof(a) - 1);
  a[sizeof(a) - 1] = '\0';
  memcpy(b, a, sizeof(b));
  b[150] = 'y'; /* differs past QUO_ONCE_KEY_MAX: the same pair */
  ck_assert(quo_once("status", a));
  ck_assert(!quo_once("status", b));
  b[10] = 'y'; /* differs within it: a new one */
  ck_assert(quo_once("status", b));
}
END_TEST

START_TEST(once_bounded) {
  quo_once_reset();
  char key[32];
  for (int i = 0; i < QUO_ONCE_MAX; i++) {
    snprintf(key, sizeof(key), "k%d", i);
    ck_assert_msg(quo_once("t", key), "%s", key);
  }
  /* Full: nothing new is reported, old ones stay known. */
  ck_assert(!quo_once("t", "one-more"));
  ck_assert(!quo_once("t", "one-more"));
  ck_assert(!quo_once("t", "k0"));
  ck_assert(!quo_once("t", "k255"));
  quo_once_reset();
  ck_assert(quo_once("t", "one-more"));
}
END_TEST

/* Two threads race over the same 100 keys: each key is first exactly once
 * across both. */
#define RACE_KEYS 100
static int wins[2];

static void *racer(void *arg) {
  int me = *(int *)arg;
  char key[16];
  for (int round = 0; round < 50; round++)
    for (int i = 0; i < RACE_KEYS; i++) {
      snprintf(key, sizeof(key), "r%d", (i * 7 + me * 13) % RACE_KEYS);
      if (quo_once("race", key))
        wins[me]++;
    }
  return NULL;
}

START_TEST(once_two_threads) {
  quo_once_reset();
  wins[0] = wins[1] = 0;
  pthread_t t[2];
  int ids[2] = {0, 1};
  for (int i = 0; i < 2; i++)
    ck_assert_int_eq(pthread_create(&t[i], NULL, racer, &ids[i]), 0);
  for (int i = 0; i < 2; i++)
    ck_assert_int_eq(pthread_join(t[i], NULL), 0);
  ck_assert_int_eq(wins[0] + wins[1], RACE_KEYS);
  for (int i = 0; i < RACE_KEYS; i++) {
    char key[16];
    snprintf(key, sizeof(key), "r%d", i);
    ck_assert(!quo_once("race", key));
  }
}
END_TEST

Suite *once_suite(void) {
  const unit_test_t tests[] = {
      UNIT_TEST(once_first_time_only), UNIT_TEST(once_null_is_empty),
      UNIT_TEST(once_long_keys_cut),   UNIT_TEST(once_bounded),
      UNIT_TEST(once_two_threads),     UNIT_END};
  return unit_suite("once", NULL, NULL, tests);
}
