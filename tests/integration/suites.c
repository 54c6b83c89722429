/* Builds a suite from a list of entries, so that each suite file states
 * its cases and tests as data rather than as repeated check calls. */
#include "suites.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

Suite *it_suite(const char *name, const it_entry_t *entries) {
  Suite *s = suite_create(name);
  TCase *tc = NULL;
  for (const it_entry_t *e = entries; e->tcase != NULL || e->test != NULL;
       e++) {
    if (e->tcase != NULL) {
      tc = tcase_create(e->tcase);
      if (e->checked)
        tcase_add_checked_fixture(tc, e->setup, e->teardown);
      else if (e->setup != NULL || e->teardown != NULL)
        tcase_add_unchecked_fixture(tc, e->setup, e->teardown);
      tcase_set_timeout(tc, e->end);
      suite_add_tcase(s, tc);
      continue;
    }
    /* A list that does not start with a case is a programming error:
     * fail loudly rather than drop tests. */
    if (tc == NULL) {
      fprintf(stderr, "suite %s: a test comes before any IT_CASE\n", name);
      abort();
    }
    if (e->end > 0)
      tcase_add_loop_test(tc, e->test, 0, e->end);
    else
      tcase_add_test(tc, e->test);
  }
  return s;
}
