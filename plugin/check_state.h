/* check_quo's states: the core's policy (outcome.h) mapped to the
 * Monitoring Plugins states, plus what only the check adds: thresholds on
 * the values, --not-found-state and the --status-* lists. Plain C, unit
 * tested (tests/unit/test_check_state.c). */
#ifndef QUO_CHECK_STATE_H
#define QUO_CHECK_STATE_H

#include "core/outcome.h"
#include "core/range.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
  CHECK_OK = 0,
  CHECK_WARNING = 1,
  CHECK_CRITICAL = 2,
  CHECK_UNKNOWN = 3,
  CHECK_STATES = 4
};

/* "OK", "WARNING", "CRITICAL", "UNKNOWN"; NULL out of range. */
const char *check_state_name(int st);
/* The state named s, any case ("warning"); -1 when none. */
int check_state_parse(const char *s);
/* The worse of two states: CRITICAL > WARNING > UNKNOWN > OK, as the
 * Monitoring Plugins rank them. */
int check_state_worse(int a, int b);
/* 3 for CRITICAL down to 0 for OK, in that order. */
int check_state_rank(int st);

/* A set of call statuses: bit s for status s. "other" (a status outside
 * the 13) is bit 13. */
typedef uint32_t check_status_set_t;
#define CHECK_STATUS_OTHER_BIT QUO_STATUS_OTHER

/* Parses "missed,no-answer,other" (comma-separated, no blanks needed but
 * allowed around names) into *set. Returns 0, or -1 with err naming the
 * first unknown or empty name. */
int check_status_set_parse(const char *list, check_status_set_t *set, char *err,
                           size_t errlen);
bool check_status_set_has(check_status_set_t set, quo_status_t s);

/* What the operator asked for. Ranges may be NULL (not checked). */
typedef struct {
  quo_range_t *time_w, *time_c, *answer_w, *answer_c, *dur_w, *dur_c;
  int not_found_state; /* default CHECK_WARNING */
  check_status_set_t status_warning, status_critical;
} check_policy_t;

/* The state of one outcome: the core's severity (one-shot), a 404 as
 * not_found_state, and for a valid call the thresholds and status lists.
 * why (cap bytes) gets ", <what> breaches <level> range R" or ", status
 * missed is in --status-warning" for each rule that raised the state. */
int check_outcome_state(const check_policy_t *p, const quo_outcome_t *o,
                        char *why, size_t cap);

#endif
