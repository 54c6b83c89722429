#include "config.h"
#include "secret.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void quo_config_init(quo_config_t *c) {
  memset(c, 0, sizeof(*c));
  c->verify_peer = true;
  c->verify_host = true;
  c->max_per_second = QUO_DEFAULT_MAX_PER_SECOND;
  c->final_refresh = QUO_DEFAULT_FINAL_REFRESH;
}

void quo_config_free(quo_config_t *c) {
  free(c->base_url);
  quo_secret_free(c->api_key);
  free(c->ca_cert);
  free(c->proxy);
  free(c->calls_file);
  for (size_t i = 0; i < c->ncalls; i++)
    free(c->calls[i].url);
  free(c->calls);
  free(c->by_id);
  free(c->by_instance);
  memset(c, 0, sizeof(*c));
}

static int replace(char **dst, const char *v, char *err, size_t errlen) {
  char *copy = strdup(v);
  if (copy == NULL) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  free(*dst);
  *dst = copy;
  return 0;
}

/* The authority of an http(s) URL: a host name, IPv4 or [IPv6] address,
 * and an optional port 1..65535. No user info: it would be sent and logged.
 * Returns NULL when fine, else why not. */
static const char *authority_problem(const char *a, size_t n) {
  const char *colon = NULL;
  size_t host_len = n;
  if (n > 0 && a[0] == '[') {
    const char *close = memchr(a, ']', n);
    if (close == NULL || close == a + 1)
      return "has an unterminated or empty [IPv6] address";
    host_len = (size_t)(close - a) + 1;
    if (host_len < n && a[host_len] != ':')
      return "has something after its [IPv6] address";
    colon = host_len < n ? a + host_len : NULL;
  } else {
    for (size_t i = 0; i < n; i++) {
      char ch = a[i];
      if (ch == '@')
        return "has user info (user@host): not supported";
      if (ch == ':') {
        colon = a + i;
        host_len = i;
        break;
      }
      if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
            (ch >= 'A' && ch <= 'Z') || ch == '-' || ch == '.' || ch == '_'))
        return "has a character a host name cannot have";
    }
  }
  if (host_len == 0)
    return "has no host";
  if (colon == NULL)
    return NULL;
  const char *port = colon + 1;
  size_t plen = (size_t)(a + n - port);
  if (plen == 0 || plen > 5)
    return "has an empty or too long port";
  long v = 0;
  for (size_t i = 0; i < plen; i++) {
    if (port[i] < '0' || port[i] > '9')
      return "has a port that is not a number";
    v = v * 10 + (port[i] - '0');
  }
  return v >= 1 && v <= 65535 ? NULL : "has a port outside 1..65535";
}

int quo_config_set_base_url(quo_config_t *c, const char *url, char *err,
                            size_t errlen) {
  size_t n = strlen(url);
  char shown[160];
  quo_sanitize(shown, sizeof(shown), url, n);
  bool scheme =
      strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0;
  const char *host = scheme ? strstr(url, "//") + 2 : url;
  if (!scheme || *host == '\0' || *host == '/') {
    snprintf(err, errlen, "\"%s\" is not an http:// or https:// URL", shown);
    return -1;
  }
  if (n > QUO_BASE_URL_MAX) {
    snprintf(err, errlen, "\"%s...\" is longer than %d characters", shown,
             QUO_BASE_URL_MAX);
    return -1;
  }
  for (const char *p = url; *p; p++) {
    if (*p <= ' ' || *p == 0x7f || *p == '?' || *p == '#') {
      snprintf(err, errlen,
               "\"%s\" must be a plain base URL (no spaces, query or "
               "fragment)",
               shown);
      return -1;
    }
  }
  const char *slash = strchr(host, '/');
  const char *why =
      authority_problem(host, slash ? (size_t)(slash - host) : strlen(host));
  if (why != NULL) {
    snprintf(err, errlen, "\"%s\" %s", shown, why);
    return -1;
  }
  if (replace(&c->base_url, url, err, errlen) != 0)
    return -1;
  while (n > 0 && c->base_url[n - 1] == '/')
    c->base_url[--n] = '\0';
  return 0;
}

bool quo_config_cleartext_remote(const quo_config_t *c) {
  const char *u = c->base_url ? c->base_url : QUO_DEFAULT_BASE_URL;
  if (strncmp(u, "http://", 7) != 0)
    return false;
  const char *h = u + 7;
  static const char *const loopback[] = {"localhost", "127.", "[::1]"};
  for (size_t i = 0; i < sizeof(loopback) / sizeof(*loopback); i++) {
    size_t n = strlen(loopback[i]);
    if (strncmp(h, loopback[i], n) != 0)
      continue;
    /* "localhost" must end there; "127." starts an address only when
     * digits and dots follow to the end of the host (127.evil.com is a
     * name). */
    char next = h[n];
    if (loopback[i][n - 1] == '.')
      next = h[n + strspn(h + n, "0123456789.")];
    if (next == '\0' || next == ':' || next == '/')
      return false;
  }
  return true;
}

int quo_config_set_key(quo_config_t *c, char *key, char *err, size_t errlen) {
  if (quo_secret_check(key, err, errlen) != 0) {
    quo_secret_free(key);
    return -1;
  }
  quo_secret_free(c->api_key);
  c->api_key = key;
  return 0;
}

int quo_config_set_ca_cert(quo_config_t *c, const char *path, char *err,
                           size_t errlen) {
  /* A regular file, opened without blocking: a FIFO must not hang the
   * configuration. */
  if (quo_file_check_regular(path, NULL, err, errlen) != 0)
    return -1;
  return replace(&c->ca_cert, path, err, errlen);
}

int quo_config_set_calls_file(quo_config_t *c, const char *path, char *err,
                              size_t errlen) {
  /* Relative to what? collectd's working directory is not the operator's:
   * only an absolute path means the same file to both. */
  if (path[0] != '/') {
    char shown[160];
    snprintf(err, errlen, "\"%s\" is not an absolute path",
             quo_sanitize(shown, sizeof(shown), path, strlen(path)));
    return -1;
  }
  return replace(&c->calls_file, path, err, errlen);
}

int quo_config_set_timeout(quo_config_t *c, long ms, char *err, size_t errlen) {
  if (ms <= 0 || ms > QUO_MAX_TIMEOUT_MS) {
    snprintf(err, errlen, "%ld is not from 1 to %d milliseconds", ms,
             QUO_MAX_TIMEOUT_MS);
    return -1;
  }
  c->timeout_ms = ms;
  return 0;
}

int quo_config_set_max_per_second(quo_config_t *c, int n, char *err,
                                  size_t errlen) {
  if (n < 0 || n > QUO_MAX_PER_SECOND_LIMIT) {
    snprintf(err, errlen,
             "%d is not from 0 to %d (requests per second; 0 turns the "
             "budget off)",
             n, QUO_MAX_PER_SECOND_LIMIT);
    return -1;
  }
  c->max_per_second = n;
  return 0;
}

int quo_config_set_final_refresh(quo_config_t *c, double seconds, char *err,
                                 size_t errlen) {
  if (!(seconds >= 0) || seconds > 10 * 365 * 86400.0) {
    snprintf(err, errlen, "%g is not a number of seconds (0 = never)", seconds);
    return -1;
  }
  c->final_refresh = seconds;
  return 0;
}

static bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* A real calendar date written YYYY-MM-DD, nothing else. */
static bool date_valid(const char *v) {
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (strlen(v) != 10 || v[4] != '-' || v[7] != '-')
    return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9'))
      return false;
  int y = atoi(v), m = atoi(v + 5), d = atoi(v + 8);
  if (m < 1 || m > 12 || d < 1)
    return false;
  return d <= mdays[m - 1] + (m == 2 && leap(y));
}

int quo_config_set_api_version(quo_config_t *c, const char *v, char *err,
                               size_t errlen) {
  if (strcmp(v, "v1") == 0) {
    c->api_version[0] = '\0';
    return 0;
  }
  /* Same-length ISO dates compare as strings. */
  if (!date_valid(v) || strcmp(v, QUO_API_VERSION_FIRST) < 0) {
    char shown[40];
    snprintf(err, errlen,
             "\"%s\" is not an API version: use \"v1\" or a date "
             "YYYY-MM-DD from " QUO_API_VERSION_FIRST " on",
             quo_sanitize(shown, sizeof(shown), v, strlen(v)));
    return -1;
  }
  memcpy(c->api_version, v, sizeof(c->api_version));
  return 0;
}

bool quo_config_version_newer(const quo_config_t *c) {
  return c->api_version[0] != '\0' &&
         strcmp(c->api_version, QUO_API_VERSION_NEWEST) > 0;
}

const char *quo_config_version_header(const quo_config_t *c, char *buf,
                                      size_t cap) {
  if (c->api_version[0] == '\0')
    return NULL;
  snprintf(buf, cap, "Quo-Api-Version: %s", c->api_version);
  return buf;
}

int quo_config_call_url(const quo_config_t *c, const char *id, char *buf,
                        size_t cap) {
  const char *base = c->base_url ? c->base_url : QUO_DEFAULT_BASE_URL;
  int n = snprintf(buf, cap, "%s%s/calls/%s", base,
                   c->api_version[0] ? "" : "/v1", id);
  return n < 0 || (size_t)n >= cap ? -1 : 0;
}

bool quo_instance_valid(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > QUO_INSTANCE_MAX)
    return false;
  if (strcmp(s, "api") == 0 || strcmp(s, "calls") == 0)
    return false;
  for (const char *p = s; *p; p++) {
    char ch = *p;
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
          (ch >= 'A' && ch <= 'Z') || ch == '-' || ch == '_' || ch == '.'))
      return false;
  }
  return true;
}

static size_t hash(const char *s) {
  size_t h = 14695981039346656037u; /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

/* The slot of key in an index: where it is, or the empty one where it
 * would go. */
static size_t *find(const quo_config_t *c, size_t *index, const char *key,
                    bool by_instance) {
  size_t mask = c->index_cap - 1;
  for (size_t i = hash(key) & mask;; i = (i + 1) & mask) {
    if (index[i] == 0)
      return &index[i];
    const quo_call_spec_t *s = &c->calls[index[i] - 1];
    if (strcmp(by_instance ? s->instance : s->id, key) == 0)
      return &index[i];
  }
}

/* Room for one more call, and indexes at most half full. */
static int reserve(quo_config_t *c) {
  if (c->ncalls == c->calls_cap) {
    size_t cap = c->calls_cap ? 2 * c->calls_cap : 16;
    quo_call_spec_t *nc = realloc(c->calls, cap * sizeof(*nc));
    if (nc == NULL)
      return -1;
    c->calls = nc;
    c->calls_cap = cap;
  }
  if (2 * (c->ncalls + 1) <= c->index_cap)
    return 0;
  size_t cap = c->index_cap ? 2 * c->index_cap : 64;
  size_t *ids = calloc(cap, sizeof(*ids)), *insts = calloc(cap, sizeof(*insts));
  if (ids == NULL || insts == NULL) {
    free(ids);
    free(insts);
    return -1;
  }
  free(c->by_id);
  free(c->by_instance);
  c->by_id = ids;
  c->by_instance = insts;
  c->index_cap = cap;
  for (size_t i = 0; i < c->ncalls; i++) {
    *find(c, ids, c->calls[i].id, false) = i + 1;
    *find(c, insts, c->calls[i].instance, true) = i + 1;
  }
  return 0;
}

int quo_config_add_call(quo_config_t *c, const char *id, const char *instance,
                        char *err, size_t errlen) {
  if (!quo_callid_valid(id)) {
    char shown[81];
    snprintf(err, errlen,
             "\"%s\" is not a call ID (AC followed by 1 to 62 letters or "
             "digits)",
             quo_sanitize(shown, sizeof(shown), id, strlen(id)));
    return -1;
  }
  /* A valid call ID is a valid instance, whatever its length. */
  if (instance != NULL && !quo_instance_valid(instance)) {
    char shown[81];
    snprintf(err, errlen,
             "Instance \"%s\" of call %s is invalid: use 1 to 63 letters, "
             "digits, '-', '_' or '.', and not \"api\" or \"calls\"",
             quo_sanitize(shown, sizeof(shown), instance, strlen(instance)),
             id);
    return -1;
  }
  if (instance == NULL)
    instance = id;
  if (reserve(c) != 0) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  size_t *id_slot = find(c, c->by_id, id, false);
  if (*id_slot != 0) {
    snprintf(err, errlen, "call %s is configured twice", id);
    return -1;
  }
  size_t *inst_slot = find(c, c->by_instance, instance, true);
  if (*inst_slot != 0) {
    snprintf(err, errlen, "calls %s and %s share the Instance \"%s\"",
             c->calls[*inst_slot - 1].id, id, instance);
    return -1;
  }
  *id_slot = *inst_slot = c->ncalls + 1;
  quo_call_spec_t *s = &c->calls[c->ncalls++];
  memset(s, 0, sizeof(*s));
  snprintf(s->id, sizeof(s->id), "%s", id);
  snprintf(s->instance, sizeof(s->instance), "%s", instance);
  return 0;
}

int quo_config_finish(quo_config_t *c, double interval_s, char *err,
                      size_t errlen) {
  c->err_option = NULL;
  if (c->base_url == NULL &&
      quo_config_set_base_url(c, QUO_DEFAULT_BASE_URL, err, errlen) != 0)
    return -1;
  if (c->api_key == NULL) {
    c->err_option = "APIKeyFile";
    snprintf(err, errlen, "no API key configured");
    return -1;
  }
  if (c->ncalls == 0 && c->calls_file == NULL) {
    c->err_option = "Call";
    snprintf(err, errlen, "no call configured");
    return -1;
  }
  if (interval_s > 0 && interval_s < QUO_MIN_INTERVAL) {
    c->err_option = "Interval";
    snprintf(err, errlen,
             "%.3g s is too short to fetch anything: use at least %.1f s",
             interval_s, QUO_MIN_INTERVAL);
    return -1;
  }
  long interval_ms = interval_s > 0 ? (long)(interval_s * 1000.0) : 0;
  if (c->timeout_ms == 0) {
    c->timeout_ms = QUO_DEFAULT_TIMEOUT_MS;
    if (interval_ms > 0 && interval_ms * 9 / 10 < c->timeout_ms)
      c->timeout_ms = interval_ms * 9 / 10;
  } else if (interval_ms > 0 && c->timeout_ms >= interval_ms) {
    c->err_option = "Timeout";
    snprintf(err, errlen,
             "Timeout %ld ms is not below the interval of %.3g s: a read "
             "would run into the next one",
             c->timeout_ms, interval_s);
    return -1;
  }
  for (size_t i = 0; i < c->ncalls; i++) {
    size_t n = strlen(c->base_url) + sizeof("/v1/calls/") + QUO_CALLID_MAX;
    free(c->calls[i].url);
    c->calls[i].url = malloc(n);
    if (c->calls[i].url == NULL) {
      c->err_option = NULL;
      snprintf(err, errlen, "out of memory");
      return -1;
    }
    quo_config_call_url(c, c->calls[i].id, c->calls[i].url, n);
  }
  return 0;
}

int quo_config_in_flight(const quo_config_t *c) {
  double want = (double)c->max_per_second * (double)c->timeout_ms / 1000.0;
  int n = QUO_DEFAULT_IN_FLIGHT;
  if (want > QUO_MAX_IN_FLIGHT)
    n = QUO_MAX_IN_FLIGHT;
  else if (want > n)
    n = (int)ceil(want);
  if (c->calls_file == NULL && c->ncalls < (size_t)n)
    n = c->ncalls > 0 ? (int)c->ncalls : 1;
  return n;
}
