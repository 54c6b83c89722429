#include "unit.h"

int main(void) {
  /* Run in this order; CK_RUN_SUITE=<name> picks one. */
  static const unit_suite_fn suites[] = {
      callid_suite,    timestamp_suite, call_suite,        apierror_suite,
      outcome_suite,   config_suite,    secret_suite,      text_suite,
      jsonutil_suite,  range_suite,     budget_suite,      tracker_suite,
      counters_suite,  once_suite,      check_state_suite, check_output_suite,
      callsfile_suite, redact_suite,    callgen_suite,     NULL};
  return unit_run(suites);
}
