#ifndef QUO_SUITES_H
#define QUO_SUITES_H

#include <check.h>
#include <stdbool.h>

/* The number of rows of a static table: the end of a loop test over it. */
#define IT_ROWS(table) (sizeof(table) / sizeof((table)[0]))

/* One entry of a suite's list, as in the unit tests' unit.h: the start of a
 * test case (IT_CASE, with its timeout in seconds since these start real
 * daemons; IT_CASE_ONCE / IT_CASE_EACH when it has a fixture run once
 * around the case (unchecked) or around each test (checked)), a test run
 * once (IT_TEST), or a loop test run once per row of a table (IT_LOOP) or
 * for each _i below n (IT_LOOP_N). IT_END ends the list; it must start
 * with a case. IT_SUITE below makes the list and the suite's function. */
typedef struct {
  const char *tcase; /* non-NULL: this entry starts a case */
  const TTest *test;
  int end; /* a loop test's _i runs from 0 to end - 1 (0: no
              loop); a case's timeout */
  SFun setup, teardown;
  bool checked; /* a case's fixture runs around each test */
} it_entry_t;
#define IT_ENTRY(tcase, test, end, setup, teardown, checked)                   \
  ((it_entry_t){(tcase), (test), (end), (setup), (teardown), (checked)})
#define IT_CASE(name, timeout) IT_ENTRY(name, NULL, timeout, NULL, NULL, false)
#define IT_CASE_ONCE(name, timeout, setup, teardown)                           \
  IT_ENTRY(name, NULL, timeout, setup, teardown, false)
#define IT_CASE_EACH(name, timeout, setup, teardown)                           \
  IT_ENTRY(name, NULL, timeout, setup, teardown, true)
/* A case whose tests each run in a fresh test_env (harness.h). */
#define IT_CASE_ENV(name, timeout)                                             \
  IT_CASE_EACH(name, timeout, test_env_setup, test_env_teardown)
#define IT_TEST(test) IT_ENTRY(NULL, test, 0, NULL, NULL, false)
#define IT_LOOP(test, table) IT_LOOP_N(test, (int)IT_ROWS(table))
#define IT_LOOP_N(test, n) IT_ENTRY(NULL, test, n, NULL, NULL, false)
#define IT_END IT_ENTRY(NULL, NULL, 0, NULL, NULL, false)

/* A suite called `name` holding the cases and tests of `entries`. */
Suite *it_suite(const char *name, const it_entry_t *entries);

/* Defines Suite *fn(void), the suite `name` of the entries given (a case
 * first; IT_END is added): each suite file ends with one. */
#define IT_SUITE(fn, name, ...)                                                \
  Suite *fn(void) {                                                            \
    const it_entry_t entries[] = {__VA_ARGS__, IT_END};                        \
    return it_suite(name, entries);                                            \
  }

Suite *collectd_suite(void);
Suite *http_suite(void);
Suite *check_suite(void);
Suite *alerting_suite(void);
Suite *faults_suite(void);
Suite *realworld_suite(void);
Suite *callsfile_suite(void);
Suite *hardening_suite(void);

#endif
