#include "poller.h"
#include "budget.h"
#include "http.h"
#include "once.h"
#include "text.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
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
  request_t requests[QUO_DEFAULT_IN_FLIGHT];

  pthread_mutex_t lock; /* guards tracker and the pause fields */
  quo_tracker_t tracker;
  double paused_until; /* a copy of the fetcher's, for other threads */
  double retry_after;  /* of the current pause */

  pthread_t thread;
  bool running;
  atomic_bool stop;
};

static void say(const quo_poller_t *p, quo_log_level_t level, const char *fmt,
                ...) __attribute__((format(printf, 3, 4)));
static void say(const quo_poller_t *p, quo_log_level_t level, const char *fmt,
                ...) {
  if (p->log == NULL)
    return;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  p->log(p->log_arg, level, msg);
}

/* The watched list: the configuration's calls (and, with a calls file, its
 * lines). A call kept keeps its state. */
static int apply_list(quo_poller_t *p) {
  quo_tracker_t *t = &p->tracker;
  int bad = 0;
  quo_tracker_begin(t);
  for (size_t i = 0; i < p->cfg.ncalls && bad == 0; i++)
    bad = quo_tracker_list(t, p->cfg.calls[i].id, p->cfg.calls[i].instance) < 0;
  quo_tracker_end(t, bad != 0);
  return bad ? -1 : 0;
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
  if (quo_tracker_init(&p->tracker, interval, p->cfg.final_refresh) != 0 ||
      apply_list(p) != 0) {
    snprintf(err, errlen, "out of memory");
    quo_poller_free(p);
    return NULL;
  }
  return p;
}

/* ---- the thread ---- */

static request_t *free_request(quo_poller_t *p) {
  for (size_t i = 0; i < QUO_DEFAULT_IN_FLIGHT; i++)
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
    char url[512];
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
      say(p, QUO_LOG_ERR, "cannot start a request for call %s", c->id);
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
    say(p, QUO_LOG_WARNING,
        "call %s has status \"%s\", which this release does not know: "
        "reported as \"other\"",
        id, call->raw_status);
  for (size_t i = 0; i < call->n_drift; i++)
    if (quo_once("drift", call->drift[i].field))
      say(p, QUO_LOG_WARNING,
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

  double cap = fmax(p->interval, QUO_BUDGET_MIN_RETRY_CAP);
  if (r->http_status == 429 && r->retry_after > cap)
    say(p, QUO_LOG_WARNING,
        "the API asked for a pause of %.0f s (Retry-After); pausing %.0f s "
        "only (the longer of Interval and 60 s)",
        r->retry_after, cap);

  pthread_mutex_lock(&p->lock);
  if (r->http_status == 429) {
    p->retry_after = r->retry_after;
    p->paused_until = quo_http_paused_until(p->http);
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
  quo_tracker_free(&p->tracker);
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

double quo_poller_paused_until(const quo_poller_t *p, double *retry_after) {
  if (retry_after != NULL)
    *retry_after = p->retry_after;
  return p->paused_until;
}

const quo_config_t *quo_poller_config(const quo_poller_t *p) {
  return &p->cfg;
}

double quo_poller_budget_per_interval(const quo_poller_t *p) {
  if (p->cfg.max_per_second == 0)
    return 0;
  return floor(p->cfg.max_per_second * p->interval / QUO_BUDGET_WINDOW);
}
