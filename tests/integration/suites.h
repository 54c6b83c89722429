#ifndef QUO_SUITES_H
#define QUO_SUITES_H

#include <check.h>

Suite *collectd_suite(void);
Suite *http_suite(void);
Suite *check_suite(void);
Suite *alerting_suite(void);
Suite *faults_suite(void);
Suite *realworld_suite(void);
Suite *callsfile_suite(void);
Suite *hardening_suite(void);

#endif
