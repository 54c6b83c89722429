/* The plan of calls across read cycles: which calls are due (finished calls
 * only every FinalRefreshInterval, calls the budget missed first), what
 * each call last looked like, and what changed — a status, a failure — so
 * that a front end reports each change once. */
#ifndef QUO_TRACKER_H
#define QUO_TRACKER_H

#include "outcome.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  quo_call_t record; /* last valid record */
  bool has_record;
  double fetched_at; /* when record arrived (quo_now()) */
  bool missed;       /* due but not reached by the last run */
  bool answered;     /* a valid record arrived in the current run */
  char failure[48];  /* signature of the current failure, "" if none */
} quo_tracked_t;

typedef struct {
  quo_tracked_t *calls;
  size_t n;
  double final_refresh; /* seconds; 0 = never re-fetch a finished call */
} quo_tracker_t;

/* What recording one outcome changed. */
typedef struct {
  bool status_changed; /* from -> to; never on a call's first record */
  quo_status_t from, to;
  bool failure_started; /* a new or different failure: log it */
  bool recovered;       /* the call answers again after a failure */
} quo_change_t;

int quo_tracker_init(quo_tracker_t *t, size_t n, double final_refresh);
void quo_tracker_free(quo_tracker_t *t);

/* Fills order[] (room for n) with the calls due at `now`: first those the
 * last run did not reach, then the others, each group in configuration
 * order. Returns how many. Starts a new run. */
size_t quo_tracker_plan(quo_tracker_t *t, double now, size_t *order);

/* Records the outcome of call i in the current run. */
void quo_tracker_record(quo_tracker_t *t, size_t i, const quo_outcome_t *o,
                        double now, quo_change_t *change);

/* Whether call i's values should be dispatched from memory this run: a
 * finished call that was not fetched this run (not due, or not reached)
 * and whose last fetch did not fail. */
bool quo_tracker_from_memory(const quo_tracker_t *t, size_t i);

#endif
