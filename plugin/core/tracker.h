/* The watched calls across the plugin's life: which call to fetch next,
 * what each call last looked like, and what changed since a front end last
 * reported it.
 *
 * State is keyed by call ID (and instance), so it survives changes of the
 * watched list: a call kept by a new list keeps its record, its schedule
 * and what was reported of it; a removed call is freed at once.
 *
 * Scheduling is least-recently-due first: every call has a time it is due,
 * and the fetcher always takes the one due longest (new calls before every
 * call already seen). With N calls due and R requests per interval, a call
 * therefore waits at most about N / R intervals, whatever N is. A call
 * answering 404 or an invalid body backs off (2, 4, 8 ... intervals); a
 * finished call rests for FinalRefreshInterval.
 *
 * Not thread-safe: the poller serialises access with its lock. */
#ifndef QUO_TRACKER_H
#define QUO_TRACKER_H

#include "config.h"
#include "counters.h"
#include "outcome.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest back-off of a failing call when FinalRefreshInterval is 0. */
#define QUO_TRACKER_MAX_BACKOFF 3600.0

/* The values a front end reports of a call: kept small, a tracked call
 * lives as long as it is watched. */
typedef struct {
  quo_status_t status;
  /* the API's word when status is QUO_STATUS_OTHER, sanitized, else "" */
  char raw_status[QUO_RAW_STATUS_MAX + 1];
  int64_t duration;
  bool has_latency;
  double latency; /* answeredAt - createdAt */
  bool finished;  /* completedAt is set */
} quo_callvals_t;

/* A failure, as much as tells one from another. */
typedef struct {
  quo_outcome_kind_t kind; /* QUO_OUT_OK: none */
  long http_status;
  char code[16];
} quo_failsig_t;

typedef struct quo_tracked {
  char id[QUO_CALLID_MAX + 1];
  char instance[QUO_CALLID_MAX + 1];

  /* what we know */
  quo_callvals_t vals;
  bool has_vals;
  quo_failsig_t fail;  /* the latest outcome's failure; kind OK if none */
  quo_policy_t policy; /* of the latest outcome (outcome.h) */
  char *what;          /* its description while failing, else NULL */

  /* what a front end reported (quo_tracker_changes) */
  bool reported; /* a status was reported */
  quo_status_t reported_status;
  quo_failsig_t reported_fail;

  /* private: schedule, index, list membership */
  double next_due;
  uint64_t seq;
  size_t heap_pos; /* SIZE_MAX when not waiting in the heap */
  int backoff;     /* consecutive 404 / invalid answers */
  uint32_t slot, gen;
  bool listed;
  struct quo_tracked *hnext;
} quo_tracked_t;

typedef struct {
  double interval;      /* seconds between fetches of a live call */
  double final_refresh; /* seconds; 0 = never re-fetch a finished call */

  /* plugin-wide figures, for the front end to dispatch */
  quo_counters_t http_requests; /* cumulative, per HTTP status */
  quo_counters_t errors;        /* cumulative, per API code / "invalid" */
  double seconds_sum;           /* since quo_tracker_take_response_time */
  size_t responses;

  /* private */
  quo_tracked_t **slots; /* by slot; NULL = free */
  size_t nslots, slots_cap;
  uint32_t *free_slots;
  size_t nfree;
  quo_tracked_t **buckets; /* by ID */
  size_t nbuckets;
  quo_tracked_t **heap; /* waiting calls, earliest next_due first */
  size_t nheap;
  size_t ncalls;
  uint64_t seq;
  uint32_t gen;
} quo_tracker_t;

int quo_tracker_init(quo_tracker_t *t, double interval, double final_refresh);
void quo_tracker_free(quo_tracker_t *t);

/* Applying a new watched list: begin, list each call, end. A call listed
 * with the ID and instance it already has keeps its state; anything else
 * listed is new and due at once; calls not listed are freed at end.
 * quo_tracker_list returns 1 when the call is new, 0 when kept, -1 when out
 * of memory (then end with keep set: nothing is removed). end returns how
 * many calls were removed. */
void quo_tracker_begin(quo_tracker_t *t);
int quo_tracker_list(quo_tracker_t *t, const char *id, const char *instance);
size_t quo_tracker_end(quo_tracker_t *t, bool keep);

/* Calls in the list, iterated in slot order: for (i = 0; i < cap; i++) with
 * NULL entries skipped. */
size_t quo_tracker_count(const quo_tracker_t *t);
size_t quo_tracker_cap(const quo_tracker_t *t);
quo_tracked_t *quo_tracker_at(const quo_tracker_t *t, size_t i);
quo_tracked_t *quo_tracker_find(const quo_tracker_t *t, const char *id);

/* The call due longest at `now` (NULL when none is), left in place. */
quo_tracked_t *quo_tracker_peek(const quo_tracker_t *t, double now);
/* When the next waiting call is due (INFINITY when none waits). */
double quo_tracker_next_due(const quo_tracker_t *t);
/* Its request started: it waits no more until recorded. Returns a handle
 * that identifies the call even after the list changed. */
uint64_t quo_tracker_started(quo_tracker_t *t, quo_tracked_t *c);
/* The call a handle names, NULL when it left the list meanwhile. */
quo_tracked_t *quo_tracker_by_handle(const quo_tracker_t *t, uint64_t handle);

/* Records the outcome of a request that started at `started`, answered at
 * `now`: the call's state, its next due time, the plugin-wide figures.
 * -1 when out of memory for the failure's description (still recorded). */
int quo_tracker_record(quo_tracker_t *t, quo_tracked_t *c,
                       const quo_outcome_t *o, double started, double now);
/* The outcome of a request whose call left the list meanwhile: it counts
 * in the plugin-wide figures only. */
void quo_tracker_record_orphan(quo_tracker_t *t, const quo_outcome_t *o);

/* What changed since the last call for c: the front end reports it and
 * the call counts as reported. */
typedef struct {
  bool status_changed; /* from -> to; never on a call's first record */
  quo_status_t from, to;
  bool failure_started; /* a new or different failure: log it */
  bool recovered;       /* answers again after a failure */
} quo_change_t;
void quo_tracker_changes(quo_tracker_t *t, quo_tracked_t *c, quo_change_t *ch);

/* Whether c's values are to be dispatched: it has some and its latest
 * outcome is not a failure (a failure stands, not old values). */
bool quo_tracker_dispatchable(const quo_tracked_t *c);

/* One pass over the list for the front end's plugin-wide metrics. */
typedef struct {
  size_t calls;
  size_t per_status[QUO_STATUS_COUNT]; /* calls with values, per status */
  size_t live;          /* due every interval: not finished, not backing off */
  bool api_failing;     /* some call's latest outcome failed the API */
  quo_severity_t worst; /* over the calls' latest outcomes */
  const quo_tracked_t *worst_call; /* the first call of that severity */
  size_t answered;                 /* calls with an outcome */
  size_t not_found;                /* of them, answering 404 */
} quo_summary_t;
void quo_tracker_summary(const quo_tracker_t *t, quo_summary_t *s);

/* How long dispatching the values of every listed call would take, from a
 * read that dispatched `dispatched` of them in `took` seconds. At start few
 * calls have answered yet, so the first read alone says nothing of a long
 * list. 0 when nothing was dispatched. */
double quo_tracker_dispatch_estimate(const quo_summary_t *s, size_t dispatched,
                                     double took);

/* The mean response time since the previous take (false when nothing was
 * answered), and starts over. */
bool quo_tracker_take_response_time(quo_tracker_t *t, double *mean);

#endif
