#include "suites.h"

#include <stdlib.h>

int main(void) {
  SRunner *sr = srunner_create(http_suite());
  srunner_add_suite(sr, check_suite());
  srunner_add_suite(sr, collectd_suite());
  srunner_add_suite(sr, alerting_suite());
  srunner_add_suite(sr, faults_suite());
  srunner_add_suite(sr, realworld_suite());
  srunner_add_suite(sr, callsfile_suite());
  srunner_add_suite(sr, hardening_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
