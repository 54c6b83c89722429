/* What the fetcher hands over for each request: the HTTP outcome, the
 * body, and what decoding it needs. The parser and the error classifier
 * read only this, so they do not depend on the fetcher. */
#ifndef QUO_RESPONSE_H
#define QUO_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>

/* A call object is under 2 KiB; anything past this is not one. */
#define QUO_MAX_BODY (1024 * 1024)

typedef struct {
  size_t index;           /* position in the urls array */
  bool skipped;           /* not started: the deadline came first */
  bool paused;            /* skipped while a 429 paused the budget */
  int curl_code;          /* CURLcode; 0 when the transfer completed */
  const char *curl_error; /* text for curl_code, never NULL */
  long http_status;       /* 0 when no response came */
  bool too_large;         /* aborted past max_body */
  double seconds;         /* total transfer time */
  double retry_after;     /* Retry-After in seconds, 0 when absent */
  const char *location;   /* where a 3xx points (absolute, as libcurl
                             resolves Location), NULL when none; raw
                             server text, valid during the callback only */
  const char *body;       /* valid during the callback only */
  size_t body_len;
  /* The key, for whoever decodes the body: an echo of it, however
   * escaped, must be blanked after decoding too (see redact.h). */
  const char *secret;
  size_t secret_len;
} quo_response_t;

typedef void (*quo_response_cb)(const quo_response_t *r, void *ctx);

#endif
