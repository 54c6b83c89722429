#include "budget.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int quo_budget_init(quo_budget_t *b, int max, double cap) {
  memset(b, 0, sizeof(*b));
  b->max = max > 0 ? max : 0;
  b->cap = cap > 0 ? cap : 60;
  b->seed = (unsigned)time(NULL) ^ (unsigned)(size_t)b;
  if (b->max > 0) {
    b->starts = calloc((size_t)b->max, sizeof(*b->starts));
    if (b->starts == NULL)
      return -1;
    /* Long ago: the window starts empty. */
    for (int i = 0; i < b->max; i++)
      b->starts[i] = -INFINITY;
  }
  return 0;
}

void quo_budget_free(quo_budget_t *b) {
  free(b->starts);
  b->starts = NULL;
}

bool quo_budget_may_start(const quo_budget_t *b, double now, double *wait) {
  double until = b->paused_until;
  /* The oldest of the last `max` starts must have left the window. */
  if (b->max > 0 && b->starts[b->pos] + QUO_BUDGET_WINDOW > until)
    until = b->starts[b->pos] + QUO_BUDGET_WINDOW;
  if (now >= until)
    return true;
  if (wait != NULL)
    *wait = until - now;
  return false;
}

int quo_budget_started(quo_budget_t *b, double now) {
  if (b->max == 0)
    return -1;
  int handle = b->pos;
  b->starts[b->pos] = now;
  b->pos = (b->pos + 1) % b->max;
  return handle;
}

void quo_budget_sent(quo_budget_t *b, int handle, double started, double now) {
  /* The entry may have been reused by a later start: leave that alone. */
  if (handle < 0 || handle >= b->max || b->starts[handle] != started)
    return;
  if (now > started)
    b->starts[handle] = now;
}

void quo_budget_rate_limited(quo_budget_t *b, double now, double retry_after) {
  double pause;
  if (retry_after > 0) {
    double most = quo_budget_retry_cap(b);
    pause = retry_after < most ? retry_after : most;
  } else {
    if (now < b->paused_until)
      return; /* the same episode: already backing off */
    double base = QUO_BUDGET_FIRST_BACKOFF * ldexp(1.0, b->backoffs);
    if (b->backoffs < 30)
      b->backoffs++;
    /* Full jitter on the upper half: clients that were limited together
     * do not come back together. */
    double r = (double)rand_r(&b->seed) / RAND_MAX;
    pause = base * (0.5 + 0.5 * r);
    if (pause > b->cap)
      pause = b->cap;
  }
  if (now + pause > b->paused_until)
    b->paused_until = now + pause;
}

double quo_budget_per_interval(int max, double interval) {
  return max > 0 ? floor(max * interval / QUO_BUDGET_WINDOW) : 0;
}

double quo_budget_retry_cap(const quo_budget_t *b) {
  return b->cap > QUO_BUDGET_MIN_RETRY_CAP ? b->cap : QUO_BUDGET_MIN_RETRY_CAP;
}

void quo_budget_answered(quo_budget_t *b) {
  b->backoffs = 0;
}
