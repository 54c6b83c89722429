/* Starts the real parts for integration tests: the stand-in API, collectd
 * with build/quo.so in a private plugin dir, check_quo; reads what they
 * wrote. Paths are relative to the repository root (make runs there). */
#ifndef QUO_HARNESS_H
#define QUO_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "callgen.h"

/* The API key every test uses; tests assert it never shows up. */
#define TEST_KEY "qk_live_7f3c9a1e5b2d4680SECRET"

typedef struct {
  char dir[256];      /* private temporary directory */
  char key_file[300]; /* holds TEST_KEY */
  pid_t standin;      /* 0 when not running */
  int port;
  char fixtures[300]; /* fixture dir given to the stand-in */
  char csv[300];      /* DataDir of the last collectd_conf */
  char log[300];      /* log file of the last collectd_conf */
} env_t;

/* Where the binaries under test are: $QUO_BUILD, default "build" (the
 * sanitizer build uses another). */
const char *build_dir(void);
/* build_dir()/check_quo, in a static buffer. */
const char *check_quo_path(void);

/* CLOCK_MONOTONIC in seconds: for deadlines that wall-clock steps must not
 * move. */
double mono_now(void);
/* Sleeps s seconds (fractions allowed). */
void nap(double s);

/* Creates the directory, the key file (mode 0600) and a fixture dir that
 * starts as a copy of tests/fixtures/calls. */
void env_setup(env_t *e);
/* Stops what runs and removes the directory. */
void env_teardown(env_t *e);

/* The environment of the running test in a case made with IT_CASE_ENV
 * (suites.h): test_env_setup runs env_setup on it before each test and
 * test_env_teardown env_teardown after it (with its checks), in the test's
 * own process, so that a test does not start and end with them. */
extern env_t test_env;
void test_env_setup(void);
void test_env_teardown(void);

/* Writes a fixture file (e.g. "ACx.fault" with "status 403\n") through a
 * rename, so it may replace one the stand-in is serving. */
void env_fixture(env_t *e, const char *name, const char *content);

/* Starts the stand-in on a free loopback port (extra: NULL-terminated
 * additional arguments, may be NULL). Returns when it listens. */
void standin_start(env_t *e, const char *const *extra);
void standin_stop(env_t *e);

/* Writes <dir>/<name>.conf: Hostname "test", Interval, a plugin dir with
 * quo.so, csv and logfile, the given <Plugin quo> body and any extra
 * top-level lines. Returns the path in a static buffer. */
const char *collectd_conf(env_t *e, const char *name, double interval,
                          const char *plugin_body, const char *extra);

/* The same with a printf-style <Plugin quo> body and no extra lines. */
const char *collectd_conf_fmt(env_t *e, const char *name, double interval,
                              const char *body_fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A <Plugin quo> body for the stand-in of e: BaseURL, APIKeyFile, the
 * lines of more (NULL: none), then the Call lines of calls; malloc'd. */
char *plugin_body(env_t *e, const char *calls, const char *more);

/* collectd_conf over plugin_body(e, calls, more): the configuration `name`
 * of those calls at the stand-in, no extra top-level lines. */
const char *calls_conf(env_t *e, const char *name, double interval,
                       const char *calls, const char *more);

/* Starts `collectd -f -C conf`; returns its pid. */
pid_t collectd_start(env_t *e, const char *conf);
/* The same with environment additions ("NAME=value", NULL-ended). */
pid_t collectd_start_env(env_t *e, const char *conf,
                         const char *const *envp_add);
/* Waits until the csv file of ident has at least rows rows (or timeout_s
 * passes, or collectd exits); returns the rows seen. */
int collectd_wait(env_t *e, pid_t pid, const char *ident, int rows,
                  double timeout_s);
/* SIGTERM, then waits for it to exit. */
void collectd_stop(pid_t pid);

/* A number from the stand-in's /_stats ("requests", "rate_limited",
 * "connections", "max_concurrent"), or from /_stats/calls when name is a
 * call ID (0 when it was never requested). */
long standin_stat(env_t *e, const char *name);

/* Runs `collectd -f -C conf` until the csv file of ident (e.g.
 * "quo-api/bool-healthy") has at least rows rows, or timeout_s passes;
 * then stops it (SIGTERM) and waits. Returns the rows seen. */
int collectd_run(env_t *e, const char *conf, const char *ident, int rows,
                 double timeout_s);

/* The csv file of ident ("quo-support-line/latency-answer") under
 * <dir>/csv/test/, or NULL when none was written. */
const char *csv_path(env_t *e, const char *ident);
/* Number of data rows in it (0 when absent). */
int csv_rows(env_t *e, const char *ident);
/* Value of the last row; asserts the file exists. */
double csv_last(env_t *e, const char *ident);

/* Contents of a file, malloc'd ("" when missing). */
char *slurp(const char *path);
/* Occurrences of needle in the file. */
int count_in_file(const char *path, const char *needle);
/* Path of the collectd log of the last run. */
const char *collectd_log(env_t *e);
/* Asserts text stands exactly `times` times in that log (the message names
 * the text and the count found). */
void assert_logged(env_t *e, const char *text, int times);

/* The body of GET http://127.0.0.1:<port><path> from the stand-in,
 * malloc'd; asserts the request succeeded. */
char *standin_get(env_t *e, const char *path);

/* Writes <id>.json in the fixture dir: the generated call c (callgen.h). */
void env_generated_call(env_t *e, const callgen_t *c);
/* env_generated_call for a call with the given status; a finished one has
 * completedAt and duration 60, a live one neither (completedAt null,
 * duration 5). */
void env_call_fixture(env_t *e, const char *id, const char *status,
                      bool finished);

/* Runs collectd with plugin_body as <Plugin quo> beside the uptime plugin
 * and asserts the plugin refused its configuration: collectd stays up
 * (uptime keeps dispatching), the log names `logged` and says "quo plugin:
 * configuration refused", no quo value is written, the key is never logged.
 * One row of a table of bad configurations. */
void collectd_expect_refused(env_t *e, const char *plugin_body,
                             const char *logged);

/* Runs argv (argv[0] a path) with env additions ("NAME=value", NULL-ended,
 * may be NULL), capturing stdout+stderr into *out (malloc'd). Returns the
 * exit status, or -1 when killed. */
int run_capture(const char *const *argv, const char *const *envp_add,
                char **out, double timeout_s);

#endif
