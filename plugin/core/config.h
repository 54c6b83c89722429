/* The validated configuration shared by both front ends: where the API is,
 * how to reach it, and the plan of calls to fetch. Front ends translate
 * their own syntax (collectd blocks, command-line options) into calls of
 * these setters; every refusal names the option and the value at fault. */
#ifndef QUO_CONFIG_H
#define QUO_CONFIG_H

#include "callid.h"

#include <stdbool.h>
#include <stddef.h>

#define QUO_DEFAULT_BASE_URL "https://api.quo.com"
#define QUO_DEFAULT_TIMEOUT_MS 10000
/* The longest Timeout (and check_quo -t) accepted: an hour. */
#define QUO_MAX_TIMEOUT_MS 3600000
#define QUO_INSTANCE_MAX 63
#define QUO_DEFAULT_MAX_PER_SECOND 10
#define QUO_DEFAULT_FINAL_REFRESH 3600
#define QUO_MAX_PER_SECOND_LIMIT 1000
/* Transfers at once: never fewer than the default unless fewer calls are
 * watched, never more than the most. */
#define QUO_DEFAULT_IN_FLIGHT 16
#define QUO_MAX_IN_FLIGHT 256
/* A base URL longer than this is not one (and every call URL must fit the
 * fetcher's buffer). */
#define QUO_BASE_URL_MAX 1000
/* Shorter intervals leave no time to fetch anything. */
#define QUO_MIN_INTERVAL 0.5
/* Dated API versions: the first, and the newest this release knows. A later
 * date is accepted (read by the same tolerant rules) with a warning. */
#define QUO_API_VERSION_FIRST "2026-03-30"
#define QUO_API_VERSION_NEWEST "2026-03-30"

typedef struct {
  char id[QUO_CALLID_MAX + 1];
  /* An explicit Instance has at most QUO_INSTANCE_MAX characters; the
   * default, the call ID, may have up to QUO_CALLID_MAX. */
  char instance[QUO_CALLID_MAX + 1];
  char *url; /* {BaseURL}/v1/calls/{id}, built by quo_config_finish */
} quo_call_spec_t;

typedef struct quo_config {
  char *base_url; /* without trailing slash */
  char *api_key;  /* secret: see secret.h */
  char *ca_cert;
  char *proxy; /* NULL: no proxy, whatever the environment says */
  bool verify_peer;
  bool verify_host;
  /* "" for v1 (GET /v1/calls/{id}); else a date "YYYY-MM-DD" (GET
   * /calls/{id} with Quo-Api-Version: <date>) */
  char api_version[11];
  long timeout_ms;      /* 0 until finish: then resolved */
  int max_per_second;   /* request starts per second; 0 = no budget */
  double final_refresh; /* seconds between fetches of a finished call;
                           0 = never */
  quo_call_spec_t *calls;
  size_t ncalls;
  /* CallsFile: more calls, read and re-read by callsfile.h; NULL = none.
   * With one, the <Call> blocks may be zero. */
  char *calls_file;
  /* private: room in calls, and hash indexes of call IDs and instances
   * (call index + 1 per slot, 0 = empty) so that adding stays O(1) with
   * 100 000 calls */
  size_t calls_cap;
  size_t *by_id, *by_instance;
  size_t index_cap;
  /* the option quo_config_finish found at fault ("Timeout", "Interval",
   * "APIKeyFile", "Call"), NULL when none or out of memory */
  const char *err_option;
} quo_config_t;

void quo_config_init(quo_config_t *c);
void quo_config_free(quo_config_t *c);

int quo_config_set_base_url(quo_config_t *c, const char *url, char *err,
                            size_t errlen);
/* Takes ownership of key (a secret) in every case. */
int quo_config_set_key(quo_config_t *c, char *key, char *err, size_t errlen);
int quo_config_set_ca_cert(quo_config_t *c, const char *path, char *err,
                           size_t errlen);
/* 1 to QUO_MAX_TIMEOUT_MS. */
int quo_config_set_timeout(quo_config_t *c, long ms, char *err, size_t errlen);
int quo_config_set_max_per_second(quo_config_t *c, int n, char *err,
                                  size_t errlen);
int quo_config_set_final_refresh(quo_config_t *c, double seconds, char *err,
                                 size_t errlen);
/* "v1" or a date YYYY-MM-DD from QUO_API_VERSION_FIRST on. */
int quo_config_set_api_version(quo_config_t *c, const char *v, char *err,
                               size_t errlen);
/* Whether the configured dated version is later than the newest known: the
 * front ends warn once. */
bool quo_config_version_newer(const quo_config_t *c);
/* The header a dated version needs ("Quo-Api-Version: 2026-03-30"), NULL
 * for v1. Written into buf. */
const char *quo_config_version_header(const quo_config_t *c, char *buf,
                                      size_t cap);
/* The URL of one call under the configured base URL and version; -1 when
 * it does not fit. */
int quo_config_call_url(const quo_config_t *c, const char *id, char *buf,
                        size_t cap);

/* Whether the base URL is plain http:// to a host other than loopback:
 * the key would cross the network in clear. Front ends warn once. */
bool quo_config_cleartext_remote(const quo_config_t *c);
/* An absolute path; the file need not exist yet (it may appear later). */
int quo_config_set_calls_file(quo_config_t *c, const char *path, char *err,
                              size_t errlen);

/* instance may be NULL: the call ID is used. */
int quo_config_add_call(quo_config_t *c, const char *id, const char *instance,
                        char *err, size_t errlen);

/* Checks what needs the whole picture (a key, at least one call unless a
 * CallsFile is set, an interval of at least QUO_MIN_INTERVAL, Timeout below
 * it; err_option names the option at fault), resolves the default timeout (10 s
 * or 90 % of the interval, whichever is smaller; interval_s <= 0 means none)
 * and builds the URLs. */
int quo_config_finish(quo_config_t *c, double interval_s, char *err,
                      size_t errlen);

/* How many requests may be in flight at once (after finish): enough to keep
 * the budget's rate when every answer takes the whole Timeout
 * (MaxRequestsPerSecond x Timeout, from QUO_DEFAULT_IN_FLIGHT up to
 * QUO_MAX_IN_FLIGHT), so a slow API does not stretch a round past the
 * fairness bound; QUO_DEFAULT_IN_FLIGHT with the budget off. A fixed list
 * (no CallsFile) needs no more than one per call. */
int quo_config_in_flight(const quo_config_t *c);

/* letters, digits, '-', '_', '.'; 1..63 long; not "api" or "calls". */
bool quo_instance_valid(const char *s);

#endif
