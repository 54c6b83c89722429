#include "poller.h"
#include "budget.h"
#include "callsfile.h"
#include "http.h"
#include "once.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest the thread sleeps before looking at the stop flag and the
 * calls file again, whatever else it waits for. */
#define MAX_NAP 1.0

typedef struct {
  bool used;
  uint64_t handle; /* the tracker's name for the call */
  double started;
} request_t;

struct quo_poller {
  quo_config_t cfg;
  double interval;
  quo_log_fn log;
  void *log_arg;

  quo_http_t *http;
  request_t *requests; /* one per fetcher slot */
  size_t nrequests;

  pthread_mutex_t lock; /* guards tracker and the pause fields */
  quo_tracker_t tracker;
  quo_pause_t pause; /* the fetcher's pause, copied for other threads */

  /* CallsFile: what it listed last, when to look again, whether its
   * absence was warned about */
  quo_calllist_t file_calls;
  quo_callsfile_stamp_t stamp;
  quo_callsfile_stamp_t refused; /* of the last file refused whole */
  double next_file_check;
  bool missing_warned;

  pthread_t thread;
  bool running;
  atomic_bool stop;
};

/* The watched list: the configuration's calls, then the calls file's
 * lines (which the reader already left out when a <Call> block has the ID
 * or instance). A call kept keeps its state. */
static int apply_list(quo_poller_t *p, size_t *added, size_t *removed) {
  quo_tracker_t *t = &p->tracker;
  int bad = 0, r = 0;
  size_t n_added = 0;
  quo_tracker_begin(t);
  for (size_t i = 0; i < p->cfg.ncalls && bad == 0; i++) {
    r = quo_tracker_list(t, p->cfg.calls[i].id, p->cfg.calls[i].instance);
    bad = r < 0;
    n_added += r == 1;
  }
  for (size_t i = 0; i < p->file_calls.n && bad == 0; i++) {
    const quo_call_spec_t *c = &p->file_calls.calls[i];
    r = quo_tracker_list(t, c->id, c->instance);
    bad = r < 0;
    n_added += r == 1;
  }
  size_t n_removed = quo_tracker_end(t, bad != 0);
  if (added != NULL)
    *added = n_added;
  if (removed != NULL)
    *removed = n_removed;
  return bad ? -1 : 0;
}

/* Reads the calls file into file_calls when it changed (or on the first
 * look). Returns whether the list is to be applied. A refused file keeps
 * the previous list: a list is never half-applied. */
static bool read_calls_file(quo_poller_t *p) {
  const char *path = p->cfg.calls_file;
  if (!quo_callsfile_changed(path, &p->stamp))
    return false;
  /* The file refused last time, only its change time moved (seen under
   * load): the same content, refused once already. */
  if (quo_callsfile_same_content(&p->stamp, &p->refused))
    return false;
  quo_calllist_t fresh;
  quo_calllist_init(&fresh);
  int r = quo_callsfile_read(path, &p->cfg, &fresh, p->log, p->log_arg);
  if (r == QUO_CALLSFILE_REFUSED) {
    p->refused = p->stamp;
    quo_calllist_free(&fresh);
    return false;
  }
  quo_callsfile_stamp_init(&p->refused);
  if (r == QUO_CALLSFILE_MISSING && !p->missing_warned)
    quo_logf(p->log, p->log_arg, QUO_LOG_WARNING,
             "CallsFile \"%s\" does not exist (yet): watching no call from it",
             path);
  p->missing_warned = r == QUO_CALLSFILE_MISSING;
  quo_calllist_free(&p->file_calls);
  p->file_calls = fresh;
  return true;
}

/* Once per interval, in the thread: a changed file is read outside the
 * lock (it may be 100 000 lines) and applied under it. */
static void follow_calls_file(quo_poller_t *p, double now) {
  if (p->cfg.calls_file == NULL || now < p->next_file_check)
    return;
  p->next_file_check = now + p->interval;
  if (!read_calls_file(p))
    return;
  size_t added = 0, removed = 0;
  pthread_mutex_lock(&p->lock);
  int r = apply_list(p, &added, &removed);
  size_t n = quo_tracker_count(&p->tracker);
  pthread_mutex_unlock(&p->lock);
  if (r != 0)
    quo_logf(p->log, p->log_arg, QUO_LOG_ERR,
             "out of memory applying CallsFile: list kept");
  else
    quo_logf(p->log, p->log_arg, QUO_LOG_INFO,
             "CallsFile re-read: %zu calls watched (%zu added, %zu removed)", n,
             added, removed);
}

quo_poller_t *quo_poller_new(quo_config_t *cfg, double interval, quo_log_fn log,
                             void *log_arg, char *err, size_t errlen) {
  quo_poller_t *p = calloc(1, sizeof(*p));
  if (p == NULL) {
    snprintf(err, errlen, "out of memory");
    quo_config_free(cfg);
    return NULL;
  }
  p->cfg = *cfg;
  memset(cfg, 0, sizeof(*cfg));
  p->interval = interval;
  p->log = log;
  p->log_arg = log_arg;
  atomic_init(&p->stop, false);
  pthread_mutex_init(&p->lock, NULL);
  p->http = quo_http_from_config(&p->cfg, interval, err, errlen);
  if (p->http == NULL) {
    quo_poller_free(p);
    return NULL;
  }
  p->nrequests = (size_t)quo_http_slots(p->http);
  p->requests = calloc(p->nrequests, sizeof(*p->requests));
  if (p->requests == NULL) {
    snprintf(err, errlen, "out of memory");
    quo_poller_free(p);
    return NULL;
  }
  quo_calllist_init(&p->file_calls);
  quo_callsfile_stamp_init(&p->stamp);
  quo_callsfile_stamp_init(&p->refused);
  /* Read at start, so the first fetches include the file's calls. */
  if (p->cfg.calls_file != NULL) {
    read_calls_file(p);
    p->next_file_check = quo_now() + interval;
  }
  if (quo_tracker_init(&p->tracker, interval, p->cfg.final_refresh) != 0 ||
      apply_list(p, NULL, NULL) != 0) {
    snprintf(err, errlen, "out of memory");
    quo_poller_free(p);
    return NULL;
  }
  return p;
}

/* ---- the thread ---- */

static request_t *free_request(quo_poller_t *p) {
  for (size_t i = 0; i < p->nrequests; i++)
    if (!p->requests[i].used)
      return &p->requests[i];
  return NULL;
}

/* Starts what is due and the gate allows. Returns how long to wait before
 * something may start again (INFINITY: nothing is due). */
static double start_due(quo_poller_t *p) {
  quo_tracker_t *t = &p->tracker;
  double now = quo_now();
  for (;;) {
    pthread_mutex_lock(&p->lock);
    quo_tracked_t *c = quo_tracker_peek(t, now);
    request_t *rq = c != NULL ? free_request(p) : NULL;
    if (rq == NULL) {
      double due = quo_tracker_next_due(t);
      pthread_mutex_unlock(&p->lock);
      /* No free request: a completion wakes us first. */
      return c != NULL ? MAX_NAP : due - now;
    }
    char url[QUO_BASE_URL_MAX + 128];
    double wait = 0;
    int started = -1;
    if (quo_config_call_url(&p->cfg, c->id, url, sizeof(url)) == 0)
      started =
          quo_http_try_start(p->http, url, (size_t)(rq - p->requests), &wait);
    if (started == 1) {
      rq->used = true;
      rq->started = now;
      rq->handle = quo_tracker_started(t, c);
    }
    pthread_mutex_unlock(&p->lock);
    if (started == 0)
      return wait > 0 ? wait : MAX_NAP;
    if (started < 0) {
      quo_logf(p->log, p->log_arg, QUO_LOG_ERR,
               "cannot start a request for call %s", c->id);
      return MAX_NAP;
    }
  }
}

/* What a valid body said that an operator should hear of once: a status
 * this release does not know, fields of an undocumented shape. */
static void report_news(quo_poller_t *p, const char *id,
                        const quo_outcome_t *o) {
  const quo_call_t *call = &o->call;
  if (call->status == QUO_STATUS_OTHER && quo_once("status", call->raw_status))
    quo_logf(p->log, p->log_arg, QUO_LOG_WARNING,
             "call %s has status \"%s\", which this release does not know: "
             "reported as \"other\"",
             id, call->raw_status);
  for (size_t i = 0; i < call->n_drift; i++)
    if (quo_once("drift", call->drift[i].field))
      quo_logf(
          p->log, p->log_arg, QUO_LOG_WARNING,
          "call %s: field \"%s\" is %s, not of a documented shape: ignored "
          "(schema drift; logged once per field)",
          id, call->drift[i].field, call->drift[i].shape);
}

static void on_response(const quo_response_t *r, void *arg) {
  quo_poller_t *p = arg;
  request_t *rq = &p->requests[r->index];
  quo_outcome_t o;
  double now = quo_now();

  pthread_mutex_lock(&p->lock);
  quo_tracked_t *c = quo_tracker_by_handle(&p->tracker, rq->handle);
  char id[QUO_CALLID_MAX + 1] = "";
  if (c != NULL)
    snprintf(id, sizeof(id), "%s", c->id);
  pthread_mutex_unlock(&p->lock);

  /* Decoding is the costly part: done outside the lock. A call removed
   * meanwhile still counts in the plugin-wide figures. */
  quo_outcome_classify(r, id[0] ? id : NULL, &o);
  if (o.kind == QUO_OUT_OK)
    report_news(p, id, &o);

  double cap = quo_http_retry_cap(p->http);
  if (r->http_status == 429 && r->retry_after > cap)
    quo_logf(
        p->log, p->log_arg, QUO_LOG_WARNING,
        "the API asked for a pause of %.0f s (Retry-After); pausing %.0f s "
        "only (the longer of Interval and 60 s)",
        r->retry_after, cap);

  char what[256] = "";
  if (r->http_status == 429)
    quo_outcome_describe(&o, what, sizeof(what));

  pthread_mutex_lock(&p->lock);
  if (r->http_status == 429) {
    p->pause.retry_after = r->retry_after;
    p->pause.until = quo_http_paused_until(p->http);
    snprintf(p->pause.cause, sizeof(p->pause.cause), "%s%s%s%s",
             id[0] ? "call " : "", id, id[0] ? ": " : "", what);
  }
  c = quo_tracker_by_handle(&p->tracker, rq->handle);
  if (c != NULL)
    quo_tracker_record(&p->tracker, c, &o, rq->started, now);
  else
    quo_tracker_record_orphan(&p->tracker, &o);
  rq->used = false;
  pthread_mutex_unlock(&p->lock);
}

static void *run(void *arg) {
  quo_poller_t *p = arg;
  while (!atomic_load(&p->stop)) {
    follow_calls_file(p, quo_now());
    double wait = start_due(p);
    if (atomic_load(&p->stop))
      break;
    quo_http_step(p->http, fmin(fmax(wait, 0), MAX_NAP), on_response, p);
  }
  return NULL;
}

int quo_poller_start(quo_poller_t *p) {
  if (p->running)
    return 0;
  atomic_store(&p->stop, false);
  if (pthread_create(&p->thread, NULL, run, p) != 0)
    return -1;
  p->running = true;
  return 0;
}

void quo_poller_stop(quo_poller_t *p) {
  if (p == NULL || !p->running)
    return;
  atomic_store(&p->stop, true);
  quo_http_wakeup(p->http);
  pthread_join(p->thread, NULL);
  p->running = false;
}

void quo_poller_free(quo_poller_t *p) {
  if (p == NULL)
    return;
  quo_poller_stop(p);
  quo_http_free(p->http);
  free(p->requests);
  quo_tracker_free(&p->tracker);
  quo_calllist_free(&p->file_calls);
  quo_config_free(&p->cfg);
  pthread_mutex_destroy(&p->lock);
  free(p);
}

/* ---- for the front end ---- */

quo_tracker_t *quo_poller_lock(quo_poller_t *p) {
  pthread_mutex_lock(&p->lock);
  return &p->tracker;
}

void quo_poller_unlock(quo_poller_t *p) {
  pthread_mutex_unlock(&p->lock);
}

const quo_pause_t *quo_poller_pause(const quo_poller_t *p) {
  return &p->pause;
}

const quo_config_t *quo_poller_config(const quo_poller_t *p) {
  return &p->cfg;
}

double quo_poller_budget_per_interval(const quo_poller_t *p) {
  return quo_budget_per_interval(p->cfg.max_per_second, p->interval);
}
