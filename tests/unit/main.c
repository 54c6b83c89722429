#include "unit.h"

#include <stdlib.h>

int main(void) {
  SRunner *sr = srunner_create(callid_suite());
  srunner_add_suite(sr, timestamp_suite());
  srunner_add_suite(sr, call_suite());
  srunner_add_suite(sr, apierror_suite());
  srunner_add_suite(sr, outcome_suite());
  srunner_add_suite(sr, config_suite());
  srunner_add_suite(sr, secret_suite());
  srunner_add_suite(sr, text_suite());
  srunner_add_suite(sr, jsonutil_suite());
  srunner_add_suite(sr, range_suite());
  srunner_add_suite(sr, budget_suite());
  srunner_add_suite(sr, tracker_suite());
  srunner_add_suite(sr, counters_suite());
  srunner_add_suite(sr, once_suite());
  srunner_add_suite(sr, check_state_suite());
  srunner_add_suite(sr, check_output_suite());
  srunner_add_suite(sr, callsfile_suite());
  srunner_add_suite(sr, redact_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
