/* Unit tests of the core: one suite per core file, run by main.c. */
#ifndef QUO_UNIT_H
#define QUO_UNIT_H

#include <check.h>

#include "counters.h"
#include "outcome.h"

#include <stddef.h>
#include <string.h>

/* The number of rows of a static table: the end of a loop test over it. */
#define UNIT_ROWS(table) (sizeof(table) / sizeof((table)[0]))

/* One entry of a suite's list: the start of a test case (UNIT_CASE, or
 * UNIT_CASE_TIMEOUT for a case whose tests may take longer than check's
 * default timeout, in seconds), a test
 * run once (UNIT_TEST), or a loop test run once per row of a table
 * (UNIT_LOOP) or for each _i of a range (UNIT_LOOP_N, UNIT_LOOP_FROM).
 * UNIT_END ends the list. */
typedef struct {
  const char *tcase;
  const TTest *test;
  int start, end; /* a loop test's _i runs from start to end - 1; a
                     case's end is its timeout (0: check's default) */
} unit_test_t;
#define UNIT_ENTRY(tcase, test, start, end)                                    \
  ((unit_test_t){(tcase), (test), (start), (end)})
#define UNIT_CASE(name) UNIT_ENTRY(name, NULL, 0, 0)
#define UNIT_CASE_TIMEOUT(name, seconds) UNIT_ENTRY(name, NULL, 0, seconds)
#define UNIT_TEST(test) UNIT_ENTRY(NULL, test, 0, 0)
#define UNIT_LOOP(test, table) UNIT_ENTRY(NULL, test, 0, (int)UNIT_ROWS(table))
#define UNIT_LOOP_N(test, n) UNIT_ENTRY(NULL, test, 0, n)
#define UNIT_LOOP_FROM(test, start, end) UNIT_ENTRY(NULL, test, start, end)
#define UNIT_END UNIT_ENTRY(NULL, NULL, 0, 0)

/* A suite called `name` holding `tests`, each run between `setup` and
 * `teardown` (both NULL: no fixture). */
Suite *unit_suite(const char *name, SFun setup, SFun teardown,
                  const unit_test_t *tests);

/* Adds the tests of a list without UNIT_CASE entries to `tc`: for a case
 * that needs more than a fixture. */
void unit_add_tests(TCase *tc, const unit_test_t *tests);

/* A suite's state: `var` of `type`, all zero before each test and freed by
 * free_fn(&var) after it, even when an assertion fails (CK_FORK=no).
 * Defines var and the setup and teardown to hand to unit_suite. */
#define UNIT_STATE(type, var, free_fn)                                         \
  static type var;                                                             \
  static void setup(void) {                                                    \
    memset(&var, 0, sizeof(var));                                              \
  }                                                                            \
  static void teardown(void) {                                                 \
    free_fn(&var);                                                             \
  }

/* A response as the fetcher hands over a finished request: the status,
 * the body (NULL: none), no libcurl error, 0.25 s taken. */
quo_response_t unit_response(long status, const char *body);

/* The n bytes at s in a heap block of exactly n bytes (1 when n is 0), with
 * no NUL after them: a read past n shows under valgrind and ASan. The copy
 * lives until the next call (so callers need not free it). */
char *unit_copy(const char *s, size_t n);

/* The count of `label` in c; 0 when it has no slot. */
uint64_t unit_count(const quo_counters_t *c, const char *label);

/* Runs every suite of a NULL-ended list (CK_RUN_SUITE and CK_RUN_CASE pick
 * some); EXIT_SUCCESS when no test failed. */
typedef Suite *(*unit_suite_fn)(void);
int unit_run(const unit_suite_fn *suites);

Suite *callid_suite(void);
Suite *callgen_suite(void);
Suite *timestamp_suite(void);
Suite *call_suite(void);
Suite *apierror_suite(void);
Suite *outcome_suite(void);
Suite *config_suite(void);
Suite *secret_suite(void);
Suite *text_suite(void);
Suite *jsonutil_suite(void);
Suite *range_suite(void);
Suite *budget_suite(void);
Suite *tracker_suite(void);
Suite *counters_suite(void);
Suite *once_suite(void);
Suite *check_state_suite(void);
Suite *check_output_suite(void);
Suite *callsfile_suite(void);
Suite *redact_suite(void);

#endif
