#include "http.h"
#include "budget.h"
#include "config.h"
#include "redact.h"
#include "secret.h"

#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef QUO_VERSION
#define QUO_VERSION "0"
#endif
#define VERSION_UA "quo-collectd/" QUO_VERSION

/* Too little time left to be worth starting a request: it would only be
 * counted as a timeout that the API never caused. */
#define MIN_START_SECONDS 0.1
/* Larger response buffers are freed after use. */
#define QUO_KEEP_BUFFER (64 * 1024)

typedef struct {
  CURL *easy;
  quo_http_t *owner;
  bool busy;
  int budget_handle; /* its entry in the rate budget */
  double started;
  size_t index;
  char *buf;
  size_t len, cap;
  bool too_large;
  size_t max_body;
  char errbuf[CURL_ERROR_SIZE];
} slot_t;

struct quo_http {
  CURLM *multi;
  struct curl_slist *headers;
  quo_http_opts_t opts;
  slot_t *slots;
  int nslots;
  int in_flight;
  quo_budget_t budget;
  char *key; /* to blank it out of anything the server echoes */
  size_t key_len;
};

int quo_http_global_init(void) {
  static bool done;
  if (!done && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return -1;
  done = true;
  return 0;
}

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud) {
  slot_t *s = ud;
  size_t n = size * nmemb;
  if (n > s->max_body - s->len) {
    s->too_large = true;
    return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
  }
  if (s->len + n + 1 > s->cap) {
    size_t cap = s->cap ? s->cap : 4096;
    while (cap < s->len + n + 1)
      cap *= 2;
    char *nb = realloc(s->buf, cap);
    if (nb == NULL)
      return 0;
    s->buf = nb;
    s->cap = cap;
  }
  memcpy(s->buf + s->len, ptr, n);
  s->len += n;
  s->buf[s->len] = '\0';
  return n;
}

/* Wipes every header string before freeing: one of them holds the key. */
static void free_headers(struct curl_slist *l) {
  for (struct curl_slist *p = l; p != NULL; p = p->next)
    if (p->data != NULL)
      explicit_bzero(p->data, strlen(p->data));
  curl_slist_free_all(l);
}

/* libcurl calls this when the request is about to be sent: the moment the
 * server will see it. */
static int on_send(void *clientp, char *ip, char *local_ip, int port,
                   int local_port) {
  (void)ip;
  (void)local_ip;
  (void)port;
  (void)local_port;
  slot_t *s = clientp;
  quo_budget_sent(&s->owner->budget, s->budget_handle, s->started, quo_now());
  return CURL_PREREQFUNC_OK;
}

static int setup_slot(quo_http_t *h, slot_t *s) {
  s->easy = curl_easy_init();
  if (s->easy == NULL)
    return -1;
  s->owner = h;
  s->max_body = h->opts.max_body;
  CURL *e = s->easy;
  int bad = 0;
  bad |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  bad |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, h->headers);
  bad |= curl_easy_setopt(e, CURLOPT_USERAGENT, VERSION_UA);
  bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
  bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, s);
  bad |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->errbuf);
  bad |= curl_easy_setopt(e, CURLOPT_PRIVATE, s);
  bad |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  bad |= curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  bad |= curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, on_send);
  bad |= curl_easy_setopt(e, CURLOPT_PREREQDATA, s);
#if LIBCURL_VERSION_NUM >= 0x075700
  /* Without it a timed-out transfer still waits for a stuck DNS lookup
   * thread when cleaned up, and a read could run intervals past its
   * deadline. */
  bad |= curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L);
#endif
  bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER,
                          h->opts.verify_peer ? 1L : 0L);
  bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST,
                          h->opts.verify_host ? 2L : 0L);
  if (h->opts.ca_cert != NULL)
    bad |= curl_easy_setopt(e, CURLOPT_CAINFO, h->opts.ca_cert);
  /* http_proxy / ALL_PROXY in collectd's environment would send the key
   * through a proxy nobody configured here: only an explicit one is used. */
  bad |= curl_easy_setopt(e, CURLOPT_PROXY,
                          h->opts.proxy != NULL ? h->opts.proxy : "");
  return bad ? -1 : 0;
}

quo_http_t *quo_http_new(const quo_http_opts_t *opts, const char *api_key,
                         char *err, size_t errlen) {
  quo_http_t *h = calloc(1, sizeof(*h));
  if (h == NULL) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  h->opts = *opts;
  if (h->opts.max_body == 0)
    h->opts.max_body = QUO_MAX_BODY;
  if (h->opts.max_in_flight <= 0)
    h->opts.max_in_flight = QUO_DEFAULT_IN_FLIGHT;
  h->nslots = h->opts.max_in_flight;
  if (quo_budget_init(&h->budget, h->opts.max_per_second, h->opts.pause_cap) !=
      0)
    goto oom;

  /* The key goes into the header list only: never a URL, never argv. */
  size_t klen = strlen(api_key);
  h->key = strdup(api_key);
  h->key_len = klen;
  if (h->key == NULL)
    goto oom;
  char *auth = malloc(klen + sizeof("Authorization: "));
  if (auth == NULL)
    goto oom;
  memcpy(auth, "Authorization: ", 15);
  memcpy(auth + 15, api_key, klen + 1);
  struct curl_slist *l = curl_slist_append(NULL, auth);
  explicit_bzero(auth, klen + 15);
  free(auth);
  if (l == NULL)
    goto oom;
  h->headers = l;
  l = curl_slist_append(h->headers, "Accept: application/json");
  if (l == NULL)
    goto oom;
  if (h->opts.version_header != NULL) {
    l = curl_slist_append(h->headers, h->opts.version_header);
    if (l == NULL)
      goto oom;
  }

  h->multi = curl_multi_init();
  h->slots = calloc((size_t)h->nslots, sizeof(*h->slots));
  if (h->multi == NULL || h->slots == NULL)
    goto oom;
  curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)h->nslots);
  curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, (long)h->nslots);
  for (int i = 0; i < h->nslots; i++) {
    if (setup_slot(h, &h->slots[i]) != 0) {
      snprintf(err, errlen, "cannot set up a libcurl handle");
      quo_http_free(h);
      return NULL;
    }
  }
  return h;
oom:
  snprintf(err, errlen, "out of memory");
  quo_http_free(h);
  return NULL;
}

quo_http_t *quo_http_from_config(quo_config_t *cfg, double pause_cap, char *err,
                                 size_t errlen) {
  char version[64];
  quo_http_opts_t opts = {.ca_cert = cfg->ca_cert,
                          .verify_peer = cfg->verify_peer,
                          .verify_host = cfg->verify_host,
                          .timeout_ms = cfg->timeout_ms,
                          .max_per_second = cfg->max_per_second,
                          .max_in_flight = quo_config_in_flight(cfg),
                          .pause_cap = pause_cap,
                          .version_header = quo_config_version_header(
                              cfg, version, sizeof(version))};
  quo_http_t *h = NULL;
  if (cfg->api_key == NULL)
    snprintf(err, errlen, "no API key configured");
  else
    h = quo_http_new(&opts, cfg->api_key, err, errlen);
  quo_secret_free(cfg->api_key);
  cfg->api_key = NULL;
  return h;
}

void quo_http_free(quo_http_t *h) {
  if (h == NULL)
    return;
  for (int i = 0; h->slots != NULL && i < h->nslots; i++) {
    slot_t *s = &h->slots[i];
    if (s->easy != NULL) {
      if (s->busy)
        curl_multi_remove_handle(h->multi, s->easy);
      curl_easy_cleanup(s->easy);
    }
    free(s->buf);
  }
  free(h->slots);
  quo_budget_free(&h->budget);
  if (h->multi != NULL)
    curl_multi_cleanup(h->multi);
  free_headers(h->headers);
  if (h->key != NULL) {
    explicit_bzero(h->key, h->key_len);
    free(h->key);
  }
  free(h);
}

static slot_t *free_slot(quo_http_t *h) {
  for (int i = 0; i < h->nslots; i++)
    if (!h->slots[i].busy)
      return &h->slots[i];
  return NULL;
}

static slot_t *start(quo_http_t *h, const char *url, size_t index,
                     double remaining) {
  slot_t *s = free_slot(h);
  if (s == NULL)
    return NULL;
  long ms = h->opts.timeout_ms;
  if (remaining * 1000.0 < (double)ms)
    ms = (long)(remaining * 1000.0);
  if (ms < 1)
    ms = 1;
  s->len = 0;
  s->too_large = false;
  s->errbuf[0] = '\0';
  s->index = index;
  curl_easy_setopt(s->easy, CURLOPT_URL, url);
  curl_easy_setopt(s->easy, CURLOPT_TIMEOUT_MS, ms);
  /* Over TLS, wait for the first connection's ALPN so that HTTP/2 carries
   * every request on it. Over plain HTTP/1.1 waiting would queue each
   * request behind a slow one on the same connection. */
  curl_easy_setopt(s->easy, CURLOPT_PIPEWAIT,
                   strncmp(url, "https:", 6) == 0 ? 1L : 0L);
  if (curl_multi_add_handle(h->multi, s->easy) != CURLM_OK)
    return NULL;
  s->busy = true;
  h->in_flight++;
  return s;
}

static void finish(quo_http_t *h, CURLMsg *m, quo_response_cb cb, void *ctx) {
  slot_t *s = NULL;
  curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&s);
  quo_response_t r = {.index = s->index};
  r.curl_code = (int)m->data.result;
  r.curl_error = s->errbuf[0] ? s->errbuf : curl_easy_strerror(m->data.result);
  curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &r.http_status);
  curl_easy_getinfo(s->easy, CURLINFO_TOTAL_TIME, &r.seconds);
  curl_off_t ra = 0;
  if (curl_easy_getinfo(s->easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK &&
      ra > 0)
    r.retry_after = (double)ra;
  /* Redirects are not followed; where one pointed tells the operator what
   * is wrong with BaseURL. A Location that quotes the key is withheld. */
  char *location = NULL;
  if (curl_easy_getinfo(s->easy, CURLINFO_REDIRECT_URL, &location) ==
          CURLE_OK &&
      location != NULL)
    r.location = h->key_len > 0 && strstr(location, h->key) != NULL
                     ? "(withheld: it contains the API key)"
                     : location;
  r.too_large = s->too_large;
  /* A server that echoes the key (in an error message, say) must not get
   * it into a log line: it is blanked out, length kept, JSON still valid.
   * Escaped echoes are blanked by the decoder, with r.secret. */
  quo_redact(s->buf, s->len, h->key, h->key_len);
  r.body = s->buf ? s->buf : "";
  r.body_len = s->len;
  r.secret = h->key;
  r.secret_len = h->key_len;
  curl_multi_remove_handle(h->multi, s->easy);
  s->busy = false;
  h->in_flight--;
  if (r.http_status == 429)
    quo_budget_rate_limited(&h->budget, quo_now(), r.retry_after);
  else if (r.http_status > 0)
    quo_budget_answered(&h->budget);
  cb(&r, ctx);
  /* A call object is under 2 KiB: a buffer a huge answer grew is given
   * back, or every slot would keep up to QUO_MAX_BODY for good. */
  if (s->cap > QUO_KEEP_BUFFER) {
    free(s->buf);
    s->buf = NULL;
    s->cap = 0;
    s->len = 0;
  }
}

/* Hands every completed transfer to cb; whether there was one. */
static bool collect(quo_http_t *h, quo_response_cb cb, void *ctx) {
  CURLMsg *m;
  int left;
  bool finished = false;
  for (m = curl_multi_info_read(h->multi, &left); m != NULL;
       m = curl_multi_info_read(h->multi, &left)) {
    if (m->msg == CURLMSG_DONE) {
      finish(h, m, cb, ctx);
      finished = true;
    }
  }
  return finished;
}

static void report_skipped(const quo_http_t *h, size_t index,
                           quo_response_cb cb, void *ctx) {
  bool paused = h->budget.paused_until > quo_now();
  quo_response_t r = {.index = index,
                      .skipped = true,
                      .paused = paused,
                      .curl_code = -1,
                      .curl_error = paused ? "held back by a 429 pause"
                                           : "not started before the deadline",
                      .body = ""};
  cb(&r, ctx);
}

static void nap(double s) {
  struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
  nanosleep(&ts, NULL);
}

/* The single gate every request passes: a free slot, the rate budget, and
 * enough time left before the deadline. Returns 1 to start now, 0 to wait
 * (*wait seconds when the budget says how long), -1 when nothing more can
 * start this run. */
static int gate(const quo_http_t *h, double now, double deadline,
                double *wait) {
  *wait = 0;
  if (deadline - now < MIN_START_SECONDS)
    return -1;
  if (h->in_flight >= h->nslots)
    return 0;
  if (!quo_budget_may_start(&h->budget, now, wait))
    return now + *wait > deadline - MIN_START_SECONDS ? -1 : 0;
  return 1;
}

size_t quo_http_run(quo_http_t *h, const char *const *urls, const size_t *order,
                    size_t n, double deadline, quo_response_cb cb, void *ctx) {
  size_t next = 0, started = 0;
  while (next < n || h->in_flight > 0) {
    double wait = 0;
    int g = 0;
    while (next < n) {
      double now = quo_now();
      g = gate(h, now, deadline, &wait);
      size_t idx = order ? order[next] : next;
      slot_t *s = g == 1 ? start(h, urls[idx], idx, deadline - now) : NULL;
      if (g == 1 && s == NULL)
        g = -1;
      if (g == -1) {
        /* Nothing else can start in time: the rest go first next run. */
        while (next < n) {
          report_skipped(h, order ? order[next] : next, cb, ctx);
          next++;
        }
      }
      if (g != 1)
        break;
      s->started = now;
      s->budget_handle = quo_budget_started(&h->budget, now);
      next++;
      started++;
    }
    if (h->in_flight == 0) {
      if (next < n && wait > 0)
        nap(wait); /* only the budget holds us back */
      continue;
    }

    int running = 0;
    curl_multi_perform(h->multi, &running);
    bool finished = collect(h, cb, ctx);
    if (!finished && h->in_flight > 0) {
      int ms = 100;
      if (next < n && wait > 0 && wait * 1000 < ms)
        ms = (int)(wait * 1000) + 1;
      curl_multi_poll(h->multi, NULL, 0, ms, NULL);
    }
  }
  return started;
}

int quo_http_try_start(quo_http_t *h, const char *url, size_t index,
                       double *wait) {
  double now = quo_now();
  int g = gate(h, now, INFINITY, wait);
  if (g != 1)
    return g == 0 ? 0 : -1;
  slot_t *s = start(h, url, index, INFINITY);
  if (s == NULL)
    return -1;
  s->started = now;
  s->budget_handle = quo_budget_started(&h->budget, now);
  return 1;
}

void quo_http_step(quo_http_t *h, double max_wait, quo_response_cb cb,
                   void *ctx) {
  int running = 0;
  curl_multi_perform(h->multi, &running);
  if (collect(h, cb, ctx))
    return;
  int ms = max_wait > 0 ? (int)(max_wait * 1000.0) + 1 : 0;
  if (ms > 1000)
    ms = 1000;
  curl_multi_poll(h->multi, NULL, 0, ms, NULL);
  curl_multi_perform(h->multi, &running);
  collect(h, cb, ctx);
}

void quo_http_wakeup(quo_http_t *h) {
  curl_multi_wakeup(h->multi);
}

int quo_http_in_flight(const quo_http_t *h) {
  return h->in_flight;
}

int quo_http_slots(const quo_http_t *h) {
  return h->nslots;
}

double quo_http_paused_until(const quo_http_t *h) {
  return h->budget.paused_until;
}

double quo_http_retry_cap(const quo_http_t *h) {
  return quo_budget_retry_cap(&h->budget);
}
