/* Error envelopes of the Quo API, both shapes:
 *   documented: {"message","code","status","docs","title","trace"?,...}
 *   seen live:  {"error": {"message","key","trace"}}
 * Nothing in them is required: what is missing falls back to the HTTP
 * status. Every kept string is reduced to printable ASCII, so it is safe in
 * a log line, a notification or a check's status line. */
#ifndef QUO_APIERROR_H
#define QUO_APIERROR_H

#include <stdbool.h>
#include <stddef.h>

#include "text.h"

typedef struct {
  long http_status;
  char code[16];     /* API code ("0100401"), or the HTTP status ("502") */
  char title[64];    /* title, wrapped key, or the HTTP reason phrase */
  char message[160]; /* message, possibly empty */
  bool has_code;     /* code came from the body */
} quo_apierror_t;

/* Classifies an error response. Never fails: an empty, non-JSON or
 * malformed body just leaves the fallbacks in place. */
void quo_apierror_parse(const char *body, size_t len, long http_status,
                        quo_apierror_t *out);

/* The standard reason phrase of an HTTP status, "" when unknown. */
const char *quo_http_reason(long status);

#endif
