/* Unit tests of the core: one suite per core file, run by main.c. */
#ifndef QUO_UNIT_H
#define QUO_UNIT_H

#include <check.h>

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
