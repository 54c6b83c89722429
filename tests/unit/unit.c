/* Helpers shared by the unit suites. */
#include "unit.h"

TCase *unit_tcase(Suite *s, const char *name, SFun setup, SFun teardown,
                  const TTest *const *tests) {
  TCase *tc = tcase_create(name);
  if (setup != NULL || teardown != NULL)
    tcase_add_checked_fixture(tc, setup, teardown);
  for (size_t i = 0; tests != NULL && tests[i] != NULL; i++)
    tcase_add_test(tc, tests[i]);
  suite_add_tcase(s, tc);
  return tc;
}
