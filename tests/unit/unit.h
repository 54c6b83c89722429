/* Unit tests of the core: one suite per core file, run by main.c. */
#ifndef QUO_UNIT_H
#define QUO_UNIT_H

#include <check.h>

#include <stddef.h>

/* The number of rows of a static table: the end of a loop test over it. */
#define UNIT_ROWS(table) (sizeof(table) / sizeof((table)[0]))

/* Adds to `s` a test case called `name` holding the NULL-terminated `tests`,
 * each run between `setup` and `teardown` (both NULL: no fixture). Returns it
 * so that loop tests over tables can join it. */
TCase *unit_tcase(Suite *s, const char *name, SFun setup, SFun teardown,
                  const TTest *const *tests);

Suite *callid_suite(void);
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
