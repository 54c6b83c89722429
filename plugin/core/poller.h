/* The poller: a thread of the plugin's own that fetches the watched calls
 * for as long as the plugin runs, as collectd's ping plugin does its network
 * work, so that a read callback only dispatches what is known and never
 * waits on the network, and a shutdown stops it at once.
 *
 * It owns the fetcher (the one place a request may start) and the tracker
 * (what each call looks like, what is due next); the front end looks at
 * the tracker under the poller's lock. With a calls file it also follows
 * the watched list as the file changes. */
#ifndef QUO_POLLER_H
#define QUO_POLLER_H

#include "config.h"
#include "log.h"
#include "tracker.h"

#include <stdbool.h>

typedef struct quo_poller quo_poller_t;

/* Takes a finished configuration (quo_config_finish done): the poller owns
 * it from here, its key included (wiped once in the fetcher). interval is
 * the front end's, in seconds. log may be NULL. NULL with err on failure;
 * cfg is freed in every case. */
quo_poller_t *quo_poller_new(quo_config_t *cfg, double interval, quo_log_fn log,
                             void *log_arg, char *err, size_t errlen);
/* Starts the thread (after collectd forked, so at init). 0 or -1. */
int quo_poller_start(quo_poller_t *p);
/* Stops the thread promptly, in-flight requests abandoned. Idempotent. */
void quo_poller_stop(quo_poller_t *p);
void quo_poller_free(quo_poller_t *p);

/* The tracker, locked: the thread records nothing until unlock. */
quo_tracker_t *quo_poller_lock(quo_poller_t *p);
void quo_poller_unlock(quo_poller_t *p);

/* The latest pause a 429 set: until when every start waits (0: never), the
 * Retry-After that set it (0 when it was a back-off), and what drew it, for
 * the health notification ("call AC…: HTTP 429, API code … (title)"). */
typedef struct {
  double until;
  double retry_after;
  char cause[QUO_CALLID_MAX + 300];
} quo_pause_t;
/* Under the lock. */
const quo_pause_t *quo_poller_pause(const quo_poller_t *p);
/* The configuration (read-only; its key is gone). */
const quo_config_t *quo_poller_config(const quo_poller_t *p);
/* Requests the budget allows per interval (0: no budget). */
double quo_poller_budget_per_interval(const quo_poller_t *p);

#endif
