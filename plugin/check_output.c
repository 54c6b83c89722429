#include "check_output.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void check_append(char *buf, size_t cap, const char *fmt, ...) {
  size_t n = strlen(buf);
  if (n + 1 >= cap)
    return;
  va_list ap;
  va_start(ap, fmt);
  int w = vsnprintf(buf + n, cap - n, fmt, ap);
  va_end(ap);
  if (w >= 0 && (size_t)w >= cap - n && cap > 4)
    memcpy(buf + cap - 4, "...", 4);
}

const char *check_perf_number(char *buf, size_t cap, double v) {
  if (!isfinite(v))
    v = 0;
  snprintf(buf, cap, "%.6f", v);
  char *dot = strchr(buf, '.');
  if (dot != NULL) {
    char *end = buf + strlen(buf) - 1;
    while (end > dot && *end == '0')
      *end-- = '\0';
    if (end == dot)
      *end = '\0';
  }
  return buf;
}

/* What went wrong with a call that has no valid record. full: with the
 * API's message (for -v). A call the -t deadline left unstarted is a
 * timeout here: check_quo has no next cycle. */
static void what_failed(const quo_outcome_t *o, bool full, char *buf,
                        size_t cap) {
  if (o->kind == QUO_OUT_SKIPPED && !o->paused)
    snprintf(buf, cap, "timed out: not started before the -t deadline");
  else if (full)
    quo_outcome_describe(o, buf, cap);
  else
    quo_outcome_summary(o, buf, cap);
}

/* The status's name; for one this release does not know, "other" and the
 * word the API sent, e.g. "other (on-hold)". */
static const char *status_name(const quo_call_t *c, char *buf, size_t cap) {
  if (c->status == QUO_STATUS_OTHER) {
    snprintf(buf, cap, "other (%s)", c->raw_status);
    return buf;
  }
  return quo_status_name(c->status);
}

void check_describe(const check_result_t *r, char *buf, size_t cap) {
  const quo_outcome_t *o = &r->o;
  if (o->kind != QUO_OUT_OK) {
    char what[400];
    what_failed(o, false, what, sizeof(what));
    check_append(buf, cap, "%s: %s", r->id, what);
    return;
  }
  const quo_call_t *c = &o->call;
  char st[QUO_RAW_STATUS_MAX + 16];
  check_append(buf, cap, "%s: %s, duration %llds", r->id,
               status_name(c, st, sizeof(st)), (long long)c->duration);
  if (c->has_answered_at)
    check_append(buf, cap, ", answered after %.3gs",
                 quo_call_answer_latency(c));
  check_append(buf, cap, ", API %.3fs%s", o->seconds, r->why);
}

/* Appends one whole perfdata token, or nothing when it does not fit. */
static void perf_one(char *buf, size_t cap, const char *label,
                     const char *suffix, double v, const quo_range_t *w,
                     const quo_range_t *c) {
  char num[400], token[600];
  int n = snprintf(token, sizeof(token), "%s%s%s=%ss;%s;%s;0 ", label,
                   *suffix ? "_" : "", suffix,
                   check_perf_number(num, sizeof(num), v), w ? w->text : "",
                   c ? c->text : "");
  size_t used = strlen(buf);
  if (n > 0 && (size_t)n < sizeof(token) && used + (size_t)n < cap)
    memcpy(buf + used, token, (size_t)n + 1);
}

void check_perfdata(const check_result_t *r, const check_policy_t *p,
                    bool several, char *buf, size_t cap) {
  const quo_outcome_t *o = &r->o;
  const char *sfx = several ? r->id : "";
  /* No response, no response time: a graph must not show an outage as the
   * fastest answer. */
  if (o->http_status == 0)
    return;
  perf_one(buf, cap, "time", sfx, o->seconds, p->time_w, p->time_c);
  if (o->kind != QUO_OUT_OK)
    return;
  perf_one(buf, cap, "duration", sfx, (double)o->call.duration, p->dur_w,
           p->dur_c);
  if (o->call.has_answered_at)
    perf_one(buf, cap, "answer_latency", sfx, quo_call_answer_latency(&o->call),
             p->answer_w, p->answer_c);
}

void check_verbose_line(const check_result_t *r, char *buf, size_t cap) {
  const quo_outcome_t *o = &r->o;
  char what[512];
  if (o->kind == QUO_OUT_OK) {
    const quo_call_t *c = &o->call;
    snprintf(what, sizeof(what), "valid call record%s",
             c->has_completed_at ? ", finished" : "");
    /* Schema drift: the field and the shape seen, never the value. */
    for (size_t i = 0; i < c->n_drift; i++)
      check_append(what, sizeof(what), "; schema drift: field \"%s\" is %s",
                   c->drift[i].field, c->drift[i].shape);
    if (c->drift_dropped > 0)
      check_append(what, sizeof(what), "; %u more fields drifted",
                   (unsigned)c->drift_dropped);
  } else
    what_failed(o, true, what, sizeof(what));
  snprintf(buf, cap, "%s: %s; %s", r->id, check_state_name(r->state), what);
}

int check_overall_state(const check_result_t *r, size_t n) {
  int st = CHECK_OK;
  for (size_t i = 0; i < n; i++)
    st = check_state_worse(st, r[i].state);
  return st;
}

char *check_status_line(const check_result_t *r, size_t n,
                        const check_policy_t *p) {
  char text[CHECK_TEXT_MAX + 1] = "";
  /* Three tokens per call at most, each well under 300 bytes. */
  size_t perf_cap = n * 900 + 1;
  char *perf = calloc(perf_cap, 1);
  if (perf == NULL)
    return NULL;
  for (int rank = 3; rank >= 0; rank--) {
    for (size_t i = 0; i < n; i++) {
      if (check_state_rank(r[i].state) != rank)
        continue;
      if (text[0] != '\0')
        check_append(text, sizeof(text), "; ");
      check_describe(&r[i], text, sizeof(text));
    }
  }
  for (size_t i = 0; i < n; i++)
    check_perfdata(&r[i], p, n > 1, perf, perf_cap);
  size_t pn = strlen(perf);
  if (pn > 0 && perf[pn - 1] == ' ')
    perf[--pn] = '\0';
  const char *state = check_state_name(check_overall_state(r, n));
  size_t cap = strlen(state) + sizeof(text) + pn + 16;
  char *line = malloc(cap);
  if (line != NULL)
    snprintf(line, cap, "QUO %s - %s%s%s", state, text, pn ? " | " : "", perf);
  free(perf);
  return line;
}
