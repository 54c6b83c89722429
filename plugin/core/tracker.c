#include "tracker.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOT_IN_HEAP SIZE_MAX

int quo_tracker_init(quo_tracker_t *t, double interval, double final_refresh) {
  memset(t, 0, sizeof(*t));
  t->interval = interval > 0 ? interval : 1;
  t->final_refresh = final_refresh;
  t->nbuckets = 64;
  t->buckets = calloc(t->nbuckets, sizeof(*t->buckets));
  return t->buckets ? 0 : -1;
}

static void drop(quo_tracked_t *c) {
  free(c->what);
  free(c);
}

void quo_tracker_free(quo_tracker_t *t) {
  for (size_t i = 0; i < t->nslots; i++)
    if (t->slots[i] != NULL)
      drop(t->slots[i]);
  free(t->slots);
  free(t->free_slots);
  free(t->buckets);
  free(t->heap);
  memset(t, 0, sizeof(*t));
}

/* ---- the heap of waiting calls: earliest next_due, then oldest seq ---- */

static bool before(const quo_tracked_t *a, const quo_tracked_t *b) {
  if (a->next_due != b->next_due)
    return a->next_due < b->next_due;
  return a->seq < b->seq;
}

static void heap_set(quo_tracker_t *t, size_t i, quo_tracked_t *c) {
  t->heap[i] = c;
  c->heap_pos = i;
}

static void sift_up(quo_tracker_t *t, size_t i) {
  quo_tracked_t *c = t->heap[i];
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!before(c, t->heap[parent]))
      break;
    heap_set(t, i, t->heap[parent]);
    i = parent;
  }
  heap_set(t, i, c);
}

static void sift_down(quo_tracker_t *t, size_t i) {
  quo_tracked_t *c = t->heap[i];
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    const quo_tracked_t *best = c;
    if (l < t->nheap && before(t->heap[l], best)) {
      m = l;
      best = t->heap[l];
    }
    if (r < t->nheap && before(t->heap[r], best))
      m = r;
    if (m == i)
      break;
    heap_set(t, i, t->heap[m]);
    i = m;
  }
  heap_set(t, i, c);
}

static void heap_remove(quo_tracker_t *t, quo_tracked_t *c) {
  size_t i = c->heap_pos;
  if (i == NOT_IN_HEAP)
    return;
  c->heap_pos = NOT_IN_HEAP;
  quo_tracked_t *last = t->heap[--t->nheap];
  if (i == t->nheap)
    return;
  heap_set(t, i, last);
  sift_up(t, i);
  sift_down(t, last->heap_pos);
}

/* Waits until `due`; INFINITY means never (a finished call that is never
 * refreshed). The heap has room: it is sized with the slots. */
static void schedule(quo_tracker_t *t, quo_tracked_t *c, double due) {
  heap_remove(t, c);
  c->next_due = due;
  c->seq = t->seq++;
  if (due == INFINITY)
    return;
  t->heap[t->nheap] = c;
  c->heap_pos = t->nheap++;
  sift_up(t, c->heap_pos);
}

/* ---- the index by call ID ---- */

static size_t hash(const char *s) {
  size_t h = 14695981039346656037u; /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

quo_tracked_t *quo_tracker_find(const quo_tracker_t *t, const char *id) {
  quo_tracked_t *c = t->buckets[hash(id) & (t->nbuckets - 1)];
  while (c != NULL && strcmp(c->id, id) != 0)
    c = c->hnext;
  return c;
}

static void unlink_id(quo_tracker_t *t, quo_tracked_t *c) {
  quo_tracked_t **pp = &t->buckets[hash(c->id) & (t->nbuckets - 1)];
  while (*pp != c)
    pp = &(*pp)->hnext;
  *pp = c->hnext;
}

static void link_id(quo_tracker_t *t, quo_tracked_t *c) {
  quo_tracked_t **b = &t->buckets[hash(c->id) & (t->nbuckets - 1)];
  c->hnext = *b;
  *b = c;
}

/* Keeps the chains short: at most one call per bucket on average. */
static int grow_index(quo_tracker_t *t) {
  if (t->ncalls < t->nbuckets)
    return 0;
  size_t n = t->nbuckets * 2;
  quo_tracked_t **nb = calloc(n, sizeof(*nb));
  if (nb == NULL)
    return -1;
  quo_tracked_t **old = t->buckets;
  size_t oldn = t->nbuckets;
  t->buckets = nb;
  t->nbuckets = n;
  for (size_t i = 0; i < oldn; i++) {
    quo_tracked_t *c = old[i];
    while (c != NULL) {
      quo_tracked_t *next = c->hnext;
      link_id(t, c);
      c = next;
    }
  }
  free(old);
  return 0;
}

/* Room for one more call in the slots, the free list and the heap. */
static int reserve_slot(quo_tracker_t *t) {
  if (t->nfree > 0 || t->nslots < t->slots_cap)
    return 0;
  size_t cap = t->slots_cap ? 2 * t->slots_cap : 16;
  quo_tracked_t **s = realloc(t->slots, cap * sizeof(*s));
  if (s == NULL)
    return -1;
  t->slots = s;
  uint32_t *f = realloc(t->free_slots, cap * sizeof(*f));
  if (f == NULL)
    return -1;
  t->free_slots = f;
  quo_tracked_t **h = realloc(t->heap, cap * sizeof(*h));
  if (h == NULL)
    return -1;
  t->heap = h;
  t->slots_cap = cap;
  return 0;
}

/* ---- the watched list ---- */

void quo_tracker_begin(quo_tracker_t *t) {
  for (size_t i = 0; i < t->nslots; i++)
    if (t->slots[i] != NULL)
      t->slots[i]->listed = false;
}

int quo_tracker_list(quo_tracker_t *t, const char *id, const char *instance) {
  quo_tracked_t *c = quo_tracker_find(t, id);
  if (c != NULL && !c->listed && strcmp(c->instance, instance) == 0) {
    c->listed = true;
    return 0;
  }
  /* A new instance is a new series: the old state does not carry over. */
  if (c != NULL && !c->listed) {
    unlink_id(t, c);
    heap_remove(t, c);
    t->slots[c->slot] = NULL;
    t->free_slots[t->nfree++] = c->slot;
    t->ncalls--;
    drop(c);
  } else if (c != NULL) {
    return 0; /* listed twice: the first one stands */
  }
  if (grow_index(t) != 0 || reserve_slot(t) != 0)
    return -1;
  c = calloc(1, sizeof(*c));
  if (c == NULL)
    return -1;
  snprintf(c->id, sizeof(c->id), "%s", id);
  snprintf(c->instance, sizeof(c->instance), "%s", instance);
  c->listed = true;
  c->heap_pos = NOT_IN_HEAP;
  c->gen = ++t->gen;
  c->slot = t->nfree > 0 ? t->free_slots[--t->nfree] : (uint32_t)t->nslots++;
  t->slots[c->slot] = c;
  link_id(t, c);
  t->ncalls++;
  /* Due before every call already seen. */
  schedule(t, c, -INFINITY);
  return 1;
}

size_t quo_tracker_end(quo_tracker_t *t, bool keep) {
  size_t removed = 0;
  for (size_t i = 0; i < t->nslots; i++) {
    quo_tracked_t *c = t->slots[i];
    if (c == NULL || c->listed || keep)
      continue;
    unlink_id(t, c);
    heap_remove(t, c);
    t->slots[i] = NULL;
    t->free_slots[t->nfree++] = (uint32_t)i;
    t->ncalls--;
    drop(c);
    removed++;
  }
  return removed;
}

size_t quo_tracker_count(const quo_tracker_t *t) {
  return t->ncalls;
}

size_t quo_tracker_cap(const quo_tracker_t *t) {
  return t->nslots;
}

quo_tracked_t *quo_tracker_at(const quo_tracker_t *t, size_t i) {
  return i < t->nslots ? t->slots[i] : NULL;
}

/* ---- scheduling ---- */

quo_tracked_t *quo_tracker_peek(const quo_tracker_t *t, double now) {
  if (t->nheap == 0 || t->heap[0]->next_due > now)
    return NULL;
  return t->heap[0];
}

double quo_tracker_next_due(const quo_tracker_t *t) {
  return t->nheap > 0 ? t->heap[0]->next_due : INFINITY;
}

uint64_t quo_tracker_started(quo_tracker_t *t, quo_tracked_t *c) {
  heap_remove(t, c);
  return (uint64_t)c->gen << 32 | c->slot;
}

quo_tracked_t *quo_tracker_by_handle(const quo_tracker_t *t, uint64_t handle) {
  uint32_t slot = (uint32_t)handle, gen = (uint32_t)(handle >> 32);
  quo_tracked_t *c = slot < t->nslots ? t->slots[slot] : NULL;
  return c != NULL && c->gen == gen ? c : NULL;
}

/* The longest a failing call or a finished one rests. */
static double rest_cap(const quo_tracker_t *t) {
  double cap =
      t->final_refresh > 0 ? t->final_refresh : QUO_TRACKER_MAX_BACKOFF;
  return cap > t->interval ? cap : t->interval;
}

static void keep_values(quo_tracked_t *c, const quo_call_t *call) {
  quo_callvals_t *v = &c->vals;
  memset(v, 0, sizeof(*v));
  v->status = call->status;
  v->duration = call->duration;
  if (call->status == QUO_STATUS_OTHER)
    snprintf(v->raw_status, sizeof(v->raw_status), "%s", call->raw_status);
  v->has_latency = call->has_answered_at;
  if (v->has_latency)
    v->latency = quo_call_answer_latency(call);
  v->finished = call->has_completed_at;
  c->has_vals = true;
}

static void count_response(quo_tracker_t *t, const quo_outcome_t *o) {
  char buf[24];
  const char *http = quo_outcome_http_label(o, buf, sizeof(buf));
  if (http == NULL)
    return;
  quo_counters_add(&t->http_requests, http);
  const char *err = quo_outcome_error_label(o);
  if (err != NULL)
    quo_counters_add(&t->errors, err);
  /* response_time is the mean of answered requests: a timeout or a refused
   * connection has no response time, and counting it would draw an outage
   * as the fastest (or a fixed Timeout-long) answer. */
  if (o->http_status == 0)
    return;
  t->seconds_sum += o->seconds;
  t->responses++;
}

int quo_tracker_record(quo_tracker_t *t, quo_tracked_t *c,
                       const quo_outcome_t *o, double started, double now) {
  count_response(t, o);
  c->policy = quo_outcome_policy(o, false);
  free(c->what);
  c->what = NULL;

  if (o->kind == QUO_OUT_OK) {
    memset(&c->fail, 0, sizeof(c->fail));
    c->backoff = 0;
    keep_values(c, &o->call);
    if (!c->vals.finished)
      schedule(t, c, started + t->interval);
    else if (t->final_refresh > 0)
      schedule(t, c, now + t->final_refresh);
    else
      schedule(t, c, INFINITY);
    return 0;
  }

  c->fail.kind = o->kind;
  c->fail.http_status = o->http_status;
  const char *label = quo_outcome_error_label(o);
  snprintf(c->fail.code, sizeof(c->fail.code), "%s", label ? label : "");
  /* 404 and invalid bodies: the call is wrong, not the API, and asking
   * again every interval would only eat the shared budget. */
  if (c->policy.not_found || o->kind == QUO_OUT_INVALID) {
    if (c->backoff < 30)
      c->backoff++;
    double wait = ldexp(t->interval, c->backoff); /* 2, 4, 8 ... intervals */
    schedule(t, c, started + fmin(wait, rest_cap(t)));
  } else {
    c->backoff = 0;
    schedule(t, c, started + t->interval);
  }
  char what[256];
  quo_outcome_describe(o, what, sizeof(what));
  c->what = strdup(what);
  return c->what ? 0 : -1;
}

void quo_tracker_record_orphan(quo_tracker_t *t, const quo_outcome_t *o) {
  count_response(t, o);
}

/* ---- reporting ---- */

static bool same_failure(const quo_failsig_t *a, const quo_failsig_t *b) {
  return a->kind == b->kind && a->http_status == b->http_status &&
         strcmp(a->code, b->code) == 0;
}

void quo_tracker_changes(quo_tracker_t *t, quo_tracked_t *c, quo_change_t *ch) {
  (void)t;
  memset(ch, 0, sizeof(*ch));
  bool failing = c->fail.kind != QUO_OUT_OK;
  bool was_failing = c->reported_fail.kind != QUO_OUT_OK;
  if (failing && !same_failure(&c->fail, &c->reported_fail))
    ch->failure_started = true;
  if (!failing && was_failing)
    ch->recovered = true;
  c->reported_fail = c->fail;

  if (!c->has_vals)
    return;
  if (c->reported && c->reported_status != c->vals.status) {
    ch->status_changed = true;
    ch->from = c->reported_status;
    ch->to = c->vals.status;
  }
  c->reported = true;
  c->reported_status = c->vals.status;
}

bool quo_tracker_dispatchable(const quo_tracked_t *c) {
  return c->has_vals && c->fail.kind == QUO_OUT_OK;
}

static bool answered(const quo_tracked_t *c) {
  return c->has_vals || c->fail.kind != QUO_OUT_OK;
}

void quo_tracker_summary(const quo_tracker_t *t, quo_summary_t *s) {
  memset(s, 0, sizeof(*s));
  for (size_t i = 0; i < t->nslots; i++) {
    const quo_tracked_t *c = t->slots[i];
    if (c == NULL)
      continue;
    s->calls++;
    if (c->has_vals)
      s->per_status[c->vals.status]++;
    if (c->backoff == 0 &&
        !(c->has_vals && c->vals.finished && c->fail.kind == QUO_OUT_OK))
      s->live++;
    if (!answered(c))
      continue;
    s->answered++;
    if (c->policy.not_found)
      s->not_found++;
    if (c->policy.api_failure)
      s->api_failing = true;
    if (c->policy.severity > s->worst) {
      s->worst = c->policy.severity;
      s->worst_call = c;
    }
  }
}

double quo_tracker_dispatch_estimate(const quo_summary_t *s, size_t dispatched,
                                     double took) {
  if (dispatched == 0)
    return 0;
  size_t n = s->calls > dispatched ? s->calls : dispatched;
  return took / (double)dispatched * (double)n;
}

bool quo_tracker_take_response_time(quo_tracker_t *t, double *mean) {
  if (t->responses == 0)
    return false;
  *mean = t->seconds_sum / (double)t->responses;
  t->seconds_sum = 0;
  t->responses = 0;
  return true;
}
