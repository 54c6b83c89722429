/* check_quo's output: the status line ("QUO <STATE> - <text> | <perfdata>"),
 * its parts, and the -v lines. Plain C on the core's outcomes: every piece
 * is built into a buffer, so tests/unit/test_check_output.c checks them
 * without running anything. */
#ifndef QUO_CHECK_OUTPUT_H
#define QUO_CHECK_OUTPUT_H

#include "check_state.h"

#include <stdbool.h>
#include <stddef.h>

/* Longest status text before the perfdata: Nagios keeps the first line
 * short. */
#define CHECK_TEXT_MAX 400

/* One checked call. */
typedef struct {
  const char *id; /* the call ID as given */
  int state;
  quo_outcome_t o;
  char why[200]; /* rules that raised the state (check_outcome_state) */
} check_result_t;

/* Appends printf output to the string in buf (capacity cap), marking a cut
 * with "...". */
__attribute__((format(printf, 3, 4))) void check_append(char *buf, size_t cap,
                                                        const char *fmt, ...);

/* A perfdata number: plain decimal (the grammar has no exponents), at most
 * microsecond precision, no trailing zeros; not finite prints 0. */
const char *check_perf_number(char *buf, size_t cap, double v);

/* Appends the call's part of the status text: "<ID>: completed, duration
 * 184s, answered after 7.5s, API 0.003s" or "<ID>: HTTP 404, API code ...". */
void check_describe(const check_result_t *r, char *buf, size_t cap);

/* Appends the call's perfdata tokens, each followed by a space: time (only
 * when an HTTP response came), duration and answer_latency (valid calls,
 * the latter once answered). Labels get _<ID> when several. A token that
 * does not fit whole is left out. */
void check_perfdata(const check_result_t *r, const check_policy_t *p,
                    bool several, char *buf, size_t cap);

/* The -v line of one call (no newline): "<ID>: <STATE>; <what>". */
void check_verbose_line(const check_result_t *r, char *buf, size_t cap);

/* The worst state of n results (OK when n is 0). */
int check_overall_state(const check_result_t *r, size_t n);

/* The whole first line, no newline, malloc'd (NULL when out of memory):
 * the worst calls first in the text, the text at most CHECK_TEXT_MAX, the
 * perfdata of every call after " | " (nothing when there is none). */
char *check_status_line(const check_result_t *r, size_t n,
                        const check_policy_t *p);

#endif
