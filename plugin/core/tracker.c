#include "tracker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int quo_tracker_init(quo_tracker_t *t, size_t n, double final_refresh) {
  t->calls = calloc(n ? n : 1, sizeof(*t->calls));
  t->n = n;
  t->final_refresh = final_refresh;
  return t->calls ? 0 : -1;
}

void quo_tracker_free(quo_tracker_t *t) {
  free(t->calls);
  t->calls = NULL;
  t->n = 0;
}

static bool finished(const quo_tracked_t *c) {
  return c->has_record && c->record.has_completed_at;
}

static bool due(const quo_tracker_t *t, const quo_tracked_t *c, double now) {
  if (!finished(c))
    return true;
  /* Compared as a point in time: now - fetched_at would round below a
   * fractional interval at the boundary. */
  return t->final_refresh > 0 && now >= c->fetched_at + t->final_refresh;
}

size_t quo_tracker_plan(quo_tracker_t *t, double now, size_t *order) {
  size_t k = 0;
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < t->n; i++) {
      quo_tracked_t *c = &t->calls[i];
      if (c->missed == (pass == 0) && due(t, c, now))
        order[k++] = i;
    }
  }
  for (size_t i = 0; i < t->n; i++) {
    t->calls[i].answered = false;
    t->calls[i].missed = false;
  }
  return k;
}

void quo_tracker_record(quo_tracker_t *t, size_t i, const quo_outcome_t *o,
                        double now, quo_change_t *ch) {
  quo_tracked_t *c = &t->calls[i];
  memset(ch, 0, sizeof(*ch));
  if (o->kind == QUO_OUT_SKIPPED) {
    c->missed = true;
    return;
  }
  if (o->kind == QUO_OUT_OK) {
    ch->recovered = c->failure[0] != '\0';
    c->failure[0] = '\0';
    if (c->has_record && c->record.status != o->call.status) {
      ch->status_changed = true;
      ch->from = c->record.status;
      ch->to = o->call.status;
    }
    c->record = o->call;
    c->has_record = true;
    c->fetched_at = now;
    c->answered = true;
    return;
  }
  /* The same failure again is not news; another kind, status or code is. */
  const char *label = quo_outcome_error_label(o);
  char sig[sizeof(c->failure)];
  snprintf(sig, sizeof(sig), "%d/%ld/%s", (int)o->kind, o->http_status,
           label ? label : "");
  if (strcmp(sig, c->failure) != 0) {
    ch->failure_started = true;
    memcpy(c->failure, sig, sizeof(sig));
  }
}

bool quo_tracker_from_memory(const quo_tracker_t *t, size_t i) {
  const quo_tracked_t *c = &t->calls[i];
  /* While the last fetch failed, the failure stands, not the old record. */
  return finished(c) && !c->answered && c->failure[0] == '\0';
}
