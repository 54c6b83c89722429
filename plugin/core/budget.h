/* The rate budget: at most `max` request starts in any one-second window
 * (sliding), shared by every request of the process, paused after a 429.
 * The fetcher asks it before starting each request. */
#ifndef QUO_BUDGET_H
#define QUO_BUDGET_H

#include <stdbool.h>

/* The window is a little longer than a second: our start times and the
 * server's arrival times differ by network jitter, and a fixed-window or
 * sliding limit on its side must never see max + 1. */
#define QUO_BUDGET_WINDOW 1.05
/* First back-off after a 429 without Retry-After, in seconds. */
#define QUO_BUDGET_FIRST_BACKOFF 1.0
/* The server decides how long to wait, within reason: up to the interval
 * (the cap) or this, whichever is longer. A Retry-After of an hour must not
 * blind the plugin for an hour. */
#define QUO_BUDGET_MIN_RETRY_CAP 60.0

typedef struct {
  int max;             /* requests per window; 0 = no budget */
  double *starts;      /* ring of the last `max` start times */
  int pos;             /* oldest entry */
  double paused_until; /* no start before this time */
  double cap;          /* longest back-off, seconds (the interval) */
  int backoffs;        /* consecutive 429s without Retry-After */
  unsigned seed;       /* jitter */
} quo_budget_t;

/* max 0 turns the budget off (429 pauses still apply). cap bounds the
 * back-off, not a Retry-After. Returns 0, -1 when out of memory. */
int quo_budget_init(quo_budget_t *b, int max, double cap);
void quo_budget_free(quo_budget_t *b);

/* Whether a request may start at `now`; when not, *wait says how long
 * until one may. */
bool quo_budget_may_start(const quo_budget_t *b, double now, double *wait);
/* Records a start at `now`; returns a handle for quo_budget_sent (-1 when
 * there is no budget). */
int quo_budget_started(quo_budget_t *b, double now);
/* The request recorded as `handle` at `started` actually left at `now`
 * (after connecting, or waiting for a connection to multiplex on): the
 * window counts from then, so queued requests cannot bunch up at the
 * server. */
void quo_budget_sent(quo_budget_t *b, int handle, double started, double now);

/* A 429 arrived at `now`: pause for Retry-After seconds when given (> 0,
 * honoured up to quo_budget_retry_cap()), else back off exponentially
 * with jitter (about 1 s, 2 s, 4 s ... each between half and all of that),
 * never past cap. 429s arriving during a pause answer requests sent before
 * it: they do not lengthen the back-off. */
void quo_budget_rate_limited(quo_budget_t *b, double now, double retry_after);
/* How many requests `max` per window allows in an interval of `interval`
 * seconds (0: no budget): what the fairness warning compares with. */
double quo_budget_per_interval(int max, double interval);
/* The longest Retry-After honoured: max(cap, QUO_BUDGET_MIN_RETRY_CAP). */
double quo_budget_retry_cap(const quo_budget_t *b);
/* Any other response: the back-off starts over. */
void quo_budget_answered(quo_budget_t *b);

#endif
