/* The outcome of fetching one call: a response from the fetcher, read by the
 * call parser or the error classifier, becomes exactly one of these. Both
 * front ends decide everything from it. */
#ifndef QUO_OUTCOME_H
#define QUO_OUTCOME_H

#include "apierror.h"
#include "call.h"
#include "http.h"

typedef enum {
  QUO_OUT_OK,        /* a valid call record */
  QUO_OUT_TRANSPORT, /* no response: DNS, connect, TLS, timeout */
  QUO_OUT_HTTP,      /* a response other than 200: see error */
  QUO_OUT_INVALID,   /* 200 whose body is unparseable, too large,
                        incomplete, schema-violating or for another call */
  QUO_OUT_SKIPPED    /* never started this cycle */
} quo_outcome_kind_t;

typedef struct {
  quo_outcome_kind_t kind;
  long http_status; /* 0 when no response came */
  double seconds;
  quo_call_t call;      /* QUO_OUT_OK */
  quo_apierror_t error; /* QUO_OUT_HTTP */
  char detail[128];     /* QUO_OUT_TRANSPORT, QUO_OUT_INVALID */
} quo_outcome_t;

void quo_outcome_classify(const quo_response_t *r, const char *call_id,
                          quo_outcome_t *o);

/* Whether the API itself failed (transport, 401, 403, 429, 5xx, invalid
 * body, anything unexpected) as opposed to a problem with one call (400,
 * 404). */
bool quo_outcome_api_failure(const quo_outcome_t *o);

/* How an outcome weighs on the API's health, for notifications. */
typedef enum {
  QUO_SEV_OKAY,
  QUO_SEV_WARNING, /* 429, and 400 / 404 on a call */
  QUO_SEV_FAILURE  /* transport, 401, 403, 5xx, invalid, unexpected status */
} quo_severity_t;

quo_severity_t quo_outcome_severity(const quo_outcome_t *o);

/* The label of the response for per-status counters: "200", "404", or
 * "failed" when no response came. NULL for skipped requests. */
const char *quo_outcome_http_label(const quo_outcome_t *o, char *buf,
                                   size_t cap);

/* The label of the error for per-code counters: the API code ("0100401"),
 * the HTTP status when the body had none, "invalid" for bad 200 bodies;
 * NULL when there is no API error to count. */
const char *quo_outcome_error_label(const quo_outcome_t *o);

/* One line naming what went wrong, for logs and check output, e.g.
 * "HTTP 403, API code 0101403 (Not Phone Number User): ...". Empty for OK. */
void quo_outcome_describe(const quo_outcome_t *o, char *buf, size_t cap);

#endif
