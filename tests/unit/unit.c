/* Helpers shared by the unit suites. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

/* Adds tests up to the next UNIT_CASE or UNIT_END; returns how many. */
static size_t add_run(TCase *tc, const unit_test_t *tests) {
  size_t i = 0;
  for (; tests[i].test != NULL; i++) {
    if (tests[i].end > 0)
      tcase_add_loop_test(tc, tests[i].test, tests[i].start, tests[i].end);
    else
      tcase_add_test(tc, tests[i].test);
  }
  return i;
}

void unit_add_tests(TCase *tc, const unit_test_t *tests) {
  add_run(tc, tests);
}

Suite *unit_suite(const char *name, SFun setup, SFun teardown,
                  const unit_test_t *tests) {
  Suite *s = suite_create(name);
  size_t i = 0;
  while (tests[i].tcase != NULL || tests[i].test != NULL) {
    /* A list without a leading UNIT_CASE is one case named as the suite. */
    TCase *tc = tcase_create(tests[i].tcase != NULL ? tests[i].tcase : name);
    if (setup != NULL || teardown != NULL)
      tcase_add_checked_fixture(tc, setup, teardown);
    if (tests[i].tcase != NULL && tests[i].end > 0)
      tcase_set_timeout(tc, tests[i].end);
    if (tests[i].tcase != NULL)
      i++;
    i += add_run(tc, tests + i);
    suite_add_tcase(s, tc);
  }
  return s;
}

quo_response_t unit_response(long status, const char *body) {
  quo_response_t r = {0};
  r.curl_error = "No error";
  r.http_status = status;
  r.seconds = 0.25;
  r.body = body;
  r.body_len = body != NULL ? strlen(body) : 0;
  return r;
}

uint64_t unit_count(const quo_counters_t *c, const char *label) {
  for (size_t i = 0; i < c->n; i++)
    if (strcmp(c->v[i].label, label) == 0)
      return c->v[i].count;
  return 0;
}

char *unit_copy(const char *s, size_t n) {
  static char *copy;
  free(copy);
  copy = malloc(n > 0 ? n : 1);
  ck_assert_ptr_nonnull(copy);
  memcpy(copy, s, n);
  return copy;
}

int unit_run(const unit_suite_fn *suites) {
  SRunner *sr = srunner_create(NULL);
  for (size_t i = 0; suites[i] != NULL; i++)
    srunner_add_suite(sr, suites[i]());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
