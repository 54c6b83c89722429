#include "check_state.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const names[CHECK_STATES] = {"OK", "WARNING", "CRITICAL",
                                                "UNKNOWN"};

const char *check_state_name(int st) {
  return st >= 0 && st < CHECK_STATES ? names[st] : NULL;
}

int check_state_parse(const char *s) {
  for (int i = 0; i < CHECK_STATES; i++)
    if (strcasecmp(s, names[i]) == 0)
      return i;
  return -1;
}

int check_state_rank(int st) {
  static const int rank[CHECK_STATES] = {0, 2, 3, 1};
  return st >= 0 && st < CHECK_STATES ? rank[st] : 3;
}

int check_state_worse(int a, int b) {
  return check_state_rank(a) >= check_state_rank(b) ? a : b;
}

/* The bit of a status name, -1 when the name is none of the 13 or
 * "other". */
static int status_bit(const char *name, size_t n) {
  for (int i = 0; i < QUO_STATUS_COUNT; i++) {
    const char *s = quo_status_name((quo_status_t)i);
    if (s != NULL && strlen(s) == n && memcmp(s, name, n) == 0)
      return i;
  }
  return -1;
}

int check_status_set_parse(const char *list, check_status_set_t *set, char *err,
                           size_t errlen) {
  check_status_set_t out = 0;
  const char *p = list;
  for (;;) {
    size_t n = strcspn(p, ",");
    const char *name = p;
    while (n > 0 && (*name == ' ' || *name == '\t'))
      name++, n--;
    while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
      n--;
    int bit = status_bit(name, n);
    if (bit < 0) {
      char shown[48];
      quo_sanitize(shown, sizeof(shown), name, n);
      snprintf(err, errlen,
               "\"%s\" is not a call status (use the API's 13 statuses, "
               "e.g. missed,no-answer, or other)",
               shown);
      return -1;
    }
    out |= (check_status_set_t)1 << bit;
    p += strcspn(p, ",");
    if (*p == '\0')
      break;
    p++;
  }
  *set = out;
  return 0;
}

bool check_status_set_has(check_status_set_t set, quo_status_t s) {
  return (int)s >= 0 && (int)s < 32 && (set & ((check_status_set_t)1 << s));
}

/* Appends to why, never past cap. */
__attribute__((format(printf, 3, 4))) static void note(char *why, size_t cap,
                                                       const char *fmt, ...) {
  size_t n = strlen(why);
  if (n + 1 >= cap)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why + n, cap - n, fmt, ap);
  va_end(ap);
}

static int range_state(const quo_range_t *w, const quo_range_t *c,
                       const char *name, double v, char *why, size_t cap) {
  if (c != NULL && quo_range_alert(c, v)) {
    note(why, cap, ", %s %.6gs breaches critical range %s", name, v, c->text);
    return CHECK_CRITICAL;
  }
  if (w != NULL && quo_range_alert(w, v)) {
    note(why, cap, ", %s %.6gs breaches warning range %s", name, v, w->text);
    return CHECK_WARNING;
  }
  return CHECK_OK;
}

/* The state a valid call earns from the thresholds and status lists. */
static int valid_call_state(const check_policy_t *p, const quo_outcome_t *o,
                            char *why, size_t cap) {
  const quo_call_t *c = &o->call;
  int st =
      range_state(p->time_w, p->time_c, "response time", o->seconds, why, cap);
  st = check_state_worse(st, range_state(p->dur_w, p->dur_c, "duration",
                                         (double)c->duration, why, cap));
  if (c->has_answered_at)
    st = check_state_worse(
        st, range_state(p->answer_w, p->answer_c, "answer latency",
                        quo_call_answer_latency(c), why, cap));
  const char *name = quo_status_name(c->status);
  name = name != NULL ? name : "other";
  if (check_status_set_has(p->status_critical, c->status)) {
    note(why, cap, ", status %s is in --status-critical", name);
    st = check_state_worse(st, CHECK_CRITICAL);
  } else if (check_status_set_has(p->status_warning, c->status)) {
    note(why, cap, ", status %s is in --status-warning", name);
    st = check_state_worse(st, CHECK_WARNING);
  }
  return st;
}

int check_outcome_state(const check_policy_t *p, const quo_outcome_t *o,
                        char *why, size_t cap) {
  static const int of_severity[] = {
      [QUO_SEV_OKAY] = CHECK_OK,
      [QUO_SEV_WARNING] = CHECK_WARNING,
      [QUO_SEV_FAILURE] = CHECK_CRITICAL,
  };
  if (cap > 0)
    why[0] = '\0';
  quo_policy_t pol = quo_outcome_policy(o, true);
  if (pol.not_found)
    return p->not_found_state;
  if (o->kind == QUO_OUT_OK)
    return valid_call_state(p, o, why, cap);
  return of_severity[pol.severity];
}
