/* The outcome of fetching one call: a response from the fetcher, read by the
 * call parser or the error classifier, becomes exactly one of these. Both
 * front ends decide everything from it, through one policy table. */
#ifndef QUO_OUTCOME_H
#define QUO_OUTCOME_H

#include "apierror.h"
#include "call.h"
#include "response.h"

typedef enum {
  QUO_OUT_OK,        /* a valid call record */
  QUO_OUT_TRANSPORT, /* no response: DNS, connect, TLS, timeout */
  QUO_OUT_HTTP,      /* a response other than 200: see error */
  QUO_OUT_INVALID,   /* 200 whose body is unparseable, too large,
                        incomplete, schema-violating or for another call */
  QUO_OUT_SKIPPED    /* never started this cycle (see paused) */
} quo_outcome_kind_t;

/* Longest redirect target kept for a description. */
#define QUO_LOCATION_MAX 200

typedef struct {
  quo_outcome_kind_t kind;
  long http_status; /* 0 when no response came */
  double seconds;
  quo_call_t call;      /* QUO_OUT_OK */
  quo_apierror_t error; /* QUO_OUT_HTTP */
  char detail[128];     /* QUO_OUT_TRANSPORT, QUO_OUT_INVALID */
  bool paused;          /* QUO_OUT_SKIPPED: held back by a 429 pause */
  char location[QUO_LOCATION_MAX + 1]; /* QUO_OUT_HTTP: a redirect's target,
                                          sanitized; "" when none */
} quo_outcome_t;

void quo_outcome_classify(const quo_response_t *r, const char *call_id,
                          quo_outcome_t *o);

/* How an outcome weighs on the API's health, for notifications. */
typedef enum {
  QUO_SEV_OKAY,
  QUO_SEV_WARNING, /* 429, 400 / 404 on a call, a call held back by a 429
                      pause */
  QUO_SEV_FAILURE  /* transport, 401, 403, 5xx, invalid, unexpected status;
                      in a one-shot run also a call the deadline left
                      unstarted (a timeout) */
} quo_severity_t;

/* The one state policy of both front ends: what an outcome means. */
typedef struct {
  quo_severity_t severity;
  bool api_failure; /* the API itself failed (transport, 401, 403, 429,
                       5xx, invalid body, anything unexpected), as opposed
                       to a problem with one call (400, 404) */
  bool not_found;   /* a 404: check_quo lets the operator pick its state */
} quo_policy_t;

/* The policy row of an outcome. one_shot: no later run will fetch what this
 * one could not start (check_quo), so a call the deadline left unstarted is
 * a timeout (FAILURE); in repeating runs (the collectd plugin) it is
 * fetched next cycle (OKAY). A call held back by a 429 pause takes the
 * 429's severity (WARNING) either way. */
quo_policy_t quo_outcome_policy(const quo_outcome_t *o, bool one_shot);

/* quo_outcome_policy(o, false).api_failure */
bool quo_outcome_api_failure(const quo_outcome_t *o);

/* quo_outcome_policy(o, false).severity */
quo_severity_t quo_outcome_severity(const quo_outcome_t *o);

/* Whether the outcome is an HTTP redirect (301, 302, 303, 307, 308). */
bool quo_outcome_is_redirect(const quo_outcome_t *o);

/* The label of the response for per-status counters: "200", "404", or
 * "failed" when no response came. NULL for skipped requests. */
const char *quo_outcome_http_label(const quo_outcome_t *o, char *buf,
                                   size_t cap);

/* The label of the error for per-code counters: the API code ("0100401"),
 * the HTTP status when the body had none, "invalid" for bad 200 bodies;
 * NULL when there is no API error to count. */
const char *quo_outcome_error_label(const quo_outcome_t *o);

/* One line naming what went wrong, for logs and -v output, e.g.
 * "HTTP 403, API code 0101403 (Not Phone Number User): ...". Empty for OK.
 * A redirect reads "HTTP 301, redirect to <Location> (redirects are not
 * followed: check BaseURL)". */
void quo_outcome_describe(const quo_outcome_t *o, char *buf, size_t cap);

/* The same without the API's message, for a one-line status:
 * "HTTP 403, API code 0101403 (Not Phone Number User)". */
void quo_outcome_summary(const quo_outcome_t *o, char *buf, size_t cap);

#endif
