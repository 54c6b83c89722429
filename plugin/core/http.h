/* The fetcher: every HTTP request of the process goes through here. It runs
 * many GETs at once over reused connections (libcurl multi) and is the one
 * place that decides when a request may start. Bodies are handed to the
 * caller as each transfer completes and the buffer is reused, so memory does
 * not grow with the number of requests. */
#ifndef QUO_HTTP_H
#define QUO_HTTP_H

#include "clock.h"
#include "response.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  const char *ca_cert; /* NULL: the system's trust store */
  bool verify_peer;
  bool verify_host;
  long timeout_ms;    /* per request */
  size_t max_body;    /* 0: QUO_MAX_BODY */
  int max_in_flight;  /* 0: QUO_DEFAULT_IN_FLIGHT (config.h) */
  int max_per_second; /* request starts per sliding second; 0: no limit */
  double pause_cap;   /* longest pause after a 429, seconds; 0: 60 */
  const char *version_header; /* "Quo-Api-Version: ..." or NULL */
  const char *proxy;          /* NULL: none, whatever the environment says */
} quo_http_opts_t;

typedef struct quo_http quo_http_t;

/* libcurl's global set-up, once per process before any fetcher is made
 * (configuration time, while collectd is still single-threaded). */
int quo_http_global_init(void);

/* The key is copied into the Authorization header; the copies are wiped
 * when the fetcher is freed. Returns NULL with err set on failure. */
quo_http_t *quo_http_new(const quo_http_opts_t *opts, const char *api_key,
                         char *err, size_t errlen);
void quo_http_free(quo_http_t *h);

struct quo_config;
/* The fetcher for a validated configuration (quo_config_finish done): its
 * TLS settings, timeout, budget and API version. The configuration's copy
 * of the key is wiped and freed here, so the fetcher's header is the only
 * one left. pause_cap as in quo_http_opts_t. */
quo_http_t *quo_http_from_config(struct quo_config *cfg, double pause_cap,
                                 char *err, size_t errlen);

/* Fetches n URLs and calls cb once for each, in completion order. The
 * requests start in the order given by order[0..n) (indexes into urls; NULL
 * means 0..n-1), as fast as the concurrency limit and the rate budget
 * allow. A request that could not start in time before `deadline`
 * (quo_now() seconds) is reported with skipped set, and so is everything
 * after it. Returns the number of requests started. */
size_t quo_http_run(quo_http_t *h, const char *const *urls, const size_t *order,
                    size_t n, double deadline, quo_response_cb cb, void *ctx);

/* The continuous mode, for a thread that polls for as long as it runs:
 * starts one request now if the gate lets it (a free slot, the rate
 * budget): returns 1 when started, 0 when not now (*wait > 0: the budget
 * says how long; 0: no free slot), -1 on error. */
int quo_http_try_start(quo_http_t *h, const char *url, size_t index,
                       double *wait);
/* Moves the transfers on for at most max_wait seconds, calling cb for each
 * that completes; returns early after a completion or quo_http_wakeup. */
void quo_http_step(quo_http_t *h, double max_wait, quo_response_cb cb,
                   void *ctx);
/* Makes a quo_http_step in another thread return now. */
void quo_http_wakeup(quo_http_t *h);
int quo_http_in_flight(const quo_http_t *h);
/* How many transfers may run at once: a start's index is below it. */
int quo_http_slots(const quo_http_t *h);
/* Until when a 429 paused every start (0 when it never did). */
double quo_http_paused_until(const quo_http_t *h);
/* The longest Retry-After the budget honours (see budget.h). */
double quo_http_retry_cap(const quo_http_t *h);

#endif
