/* quo-standin: a stand-in for the Quo API's GET /v1/calls/{callId} (v1) and
 * GET /calls/{callId} (dated versions), for the tests and `make demo`.
 *
 *   quo-standin --fixtures DIR [--port N] [--port-file F] [--key-file F]
 *               [--rate-limit N] [--rate-window-ms W] [--retry-after S]
 *               [--tls-cert PEM --tls-key PEM]
 *   quo-standin --generate DIR < SPEC
 *
 * --generate writes call bodies into DIR for the scripts that need many or
 * changing ones (one call per line of SPEC, "ID STATUS [duration=N]
 * [createdAt=T] [answeredAt=T] [completedAt=T]": see callgen.h), then
 * exits.
 *
 * The key is read from --key-file or the QUO_STANDIN_KEY environment
 * variable, never from argv. Requests without that exact Authorization
 * header get the documented 401 body.
 *
 * For GET /v1/calls/{id}, and GET /calls/{id} with a Quo-Api-Version
 * header (without one: 400, as the real API answers):
 *   DIR/{id}.fault   optional, lines of "<mode> [arg]" (see fault_t);
 *                    the same file is read on every request, so a test
 *                    can change a call's behaviour while it runs;
 *   DIR/{id}.json    the 200 body; without it the documented 404 body.
 * ("echo-key N FORM" quotes the key back JSON-escaped; "redirect N URL"
 * answers N with a Location.)
 * GET /_stats answers {"requests":N,"rate_limited":M,"connections":C,
 * "max_concurrent":K,"v1_requests":V,"dated_requests":D,
 * "missing_version":X,"last_version":"S"}: K is the most requests ever
 * answered at once; V and D count calls requested on each path, X the
 * dated ones refused for want of the header, S is the last Quo-Api-Version
 * header seen on any request (printable ASCII, "" when none came yet).
 * GET /_stats/calls answers {"<id>":<requests for it>,...}.
 * --rate-limit N answers 429 to every request past N in any one-second
 * window (sliding), as the real API does past 10. --rate-window-ms W
 * narrows the window: the stand-in times a request when its thread gets to
 * it, so a test that asserts "never over the limit" on a loaded machine
 * allows that thread's lateness (the client keeps 1.05 s). */
#define _GNU_SOURCE
#include <errno.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "callgen.h"

static const char *fixtures;
static char key[512];
static int rate_limit;
static int rate_window_ms = 1000;
static int retry_after = -1;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long n_requests, n_limited, n_connections;
static int active, max_active; /* requests being answered at once */
static unsigned long n_v1, n_dated, n_missing_version;
static char last_version[64];
static double *window; /* start times of the last rate_limit requests */
static int window_pos;

static volatile sig_atomic_t stop;

/* Requests per call ID: open addressing, IDs are short and few. */
#define ID_SLOTS (1 << 18)
static struct {
  char *id;
  unsigned long n;
} * per_id;
static size_t n_ids;

static size_t id_hash(const char *s) {
  size_t h = 5381;
  while (*s)
    h = h * 33 + (unsigned char)*s++;
  return h & (ID_SLOTS - 1);
}

/* Called with the lock held. */
static void count_id(const char *id) {
  if (per_id == NULL || n_ids >= ID_SLOTS / 2)
    return;
  for (size_t i = id_hash(id);; i = (i + 1) & (ID_SLOTS - 1)) {
    if (per_id[i].id == NULL) {
      per_id[i].id = strdup(id);
      per_id[i].n = 1;
      n_ids++;
      return;
    }
    if (strcmp(per_id[i].id, id) == 0) {
      per_id[i].n++;
      return;
    }
  }
}

static enum MHD_Result send_json(struct MHD_Connection *c, int status,
                                 const char *body);

static enum MHD_Result send_id_stats(struct MHD_Connection *c) {
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  fputc('{', m);
  pthread_mutex_lock(&lock);
  bool first = true;
  for (size_t i = 0; per_id && i < ID_SLOTS; i++) {
    if (per_id[i].id != NULL) {
      fprintf(m, "%s\"%s\":%lu", first ? "" : ",", per_id[i].id, per_id[i].n);
      first = false;
    }
  }
  pthread_mutex_unlock(&lock);
  fputs("}\n", m);
  fclose(m);
  enum MHD_Result r = send_json(c, 200, buf);
  free(buf);
  return r;
}

/* The documented error bodies (the reference gives their schemas; these
 * fill every required member with its const value). */
static const struct {
  int status;
  const char *body;
} documented[] = {
    {400, "{\"message\":\"Too many participants in the request\","
          "\"code\":\"0101400\",\"status\":400,\"docs\":\"https://quo.com/"
          "docs\",\"title\":\"Too Many Participants\",\"trace\":"
          "\"trace-400\",\"description\":\"Too Many Participants\"}"},
    {401, "{\"message\":\"Missing or invalid API key\",\"code\":\"0100401\","
          "\"status\":401,\"docs\":\"https://quo.com/docs\",\"title\":"
          "\"Unauthorized\",\"trace\":\"trace-401\"}"},
    {403, "{\"message\":\"User is not a member of this phone number\","
          "\"code\":\"0101403\",\"status\":403,\"docs\":\"https://quo.com/"
          "docs\",\"title\":\"Not Phone Number User\",\"trace\":"
          "\"trace-403\",\"errors\":[{\"path\":\"/callId\",\"message\":"
          "\"forbidden\",\"value\":\"x\",\"schema\":{\"type\":\"string\"}}],"
          "\"description\":\"Not Phone Number User\"}"},
    {404, "{\"message\":\"Call not found\",\"code\":\"0100404\",\"status\":"
          "404,\"docs\":\"https://quo.com/docs\",\"title\":\"Not Found\","
          "\"trace\":\"trace-404\"}"},
    {500, "{\"message\":\"Something went wrong\",\"code\":\"0101500\","
          "\"status\":500,\"docs\":\"https://quo.com/docs\",\"title\":"
          "\"Unknown\",\"trace\":\"trace-500\"}"},
};

/* 429 has no documented body; this one follows the documented envelope. */
static const char too_many[] =
    "{\"message\":\"Too many requests\",\"code\":\"0100429\",\"status\":"
    "429,\"docs\":\"https://quo.com/docs\",\"title\":\"Too Many Requests\"}";

/* The dated versions' envelope: {title, message, docs, trace?, errors?},
 * no code (https://www.quo.com/docs/2026-03-30/errors). */
static const struct {
  int status;
  const char *body;
} dated[] = {
    /* The versioning page says a request without the header fails "with a
     * 400 that says exactly that"; its exact wording is not published:
     * this message is our guess. */
    {400, "{\"title\":\"Bad Request\",\"message\":\"Missing "
          "Quo-Api-Version header\",\"docs\":\"https://quo.com/docs\","
          "\"trace\":\"trace-400\"}"},
    {401, "{\"title\":\"Unauthorized\",\"message\":\"Missing or invalid "
          "API key\",\"docs\":\"https://quo.com/docs\",\"trace\":"
          "\"trace-401\"}"},
    {404, "{\"title\":\"Not Found\",\"message\":\"Call not found\","
          "\"docs\":\"https://quo.com/docs\",\"trace\":\"trace-404\"}"},
};

static const char *dated_body(int status) {
  for (size_t i = 0; i < sizeof(dated) / sizeof(dated[0]); i++)
    if (dated[i].status == status)
      return dated[i].body;
  return NULL;
}

static const char *documented_body(int status) {
  for (size_t i = 0; i < sizeof(documented) / sizeof(documented[0]); i++)
    if (documented[i].status == status)
      return documented[i].body;
  return NULL;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

/* Per-call fault modes, read from DIR/{id}.fault. */
typedef struct {
  long delay_ms;  /* "delay MS": wait before answering */
  long drip_ms;   /* "drip MS": send the body one byte every MS */
  bool truncate;  /* "truncate": close after half the promised body */
  bool invalid;   /* "invalid-json": 200 with half the body, complete */
  int status;     /* "status N": the documented body of N */
  int wrapped;    /* "wrapped N": {"error":{...}} envelope with status N */
  int html;       /* "html N": an HTML error page with status N */
  long big;       /* "big BYTES": pad the 200 body to BYTES with spaces */
  char raw[1024]; /* "raw N BODY": status N with exactly BODY */
  int raw_status;
  int echo_key; /* "echo-key N [FORM]": status N, the key quoted back */
  /* FORM: how the key is written in the JSON strings, all valid JSON that
   * decodes to the key: "raw" (default), "slash" (every '/' as \/),
   * "ulower" / "uupper" (every character as \u00xx / \u00XX), "mixed"
   * (raw, \u00xx, \u00XX and \/ in turn) */
  char echo_form[16];
  int redirect; /* "redirect N URL": status N with Location: URL */
  char location[1024];
} fault_t;

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  size_t r;
  while (buf != NULL && (r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) {
      char *nb = realloc(buf, cap *= 2);
      if (nb == NULL) {
        free(buf);
        buf = NULL;
      }
      buf = nb;
    }
  }
  fclose(f);
  if (buf != NULL) {
    /* Always NUL-terminated: PEM files are handed on as strings. */
    char *nb = realloc(buf, n + 1);
    if (nb == NULL) {
      free(buf);
      return NULL;
    }
    buf = nb;
    buf[n] = '\0';
    *len = n;
  }
  return buf;
}

static void read_fault(const char *id, fault_t *f) {
  memset(f, 0, sizeof(*f));
  char path[4096];
  snprintf(path, sizeof(path), "%s/%s.fault", fixtures, id);
  FILE *fp = fopen(path, "r");
  if (fp == NULL)
    return;
  char line[1200];
  while (fgets(line, sizeof(line), fp) != NULL) {
    char mode[32] = "";
    long arg = 0;
    int off = 0;
    if (sscanf(line, "%31s %ld %n", mode, &arg, &off) < 1)
      continue;
    if (strcmp(mode, "delay") == 0)
      f->delay_ms = arg;
    else if (strcmp(mode, "drip") == 0)
      f->drip_ms = arg;
    else if (strcmp(mode, "truncate") == 0)
      f->truncate = true;
    else if (strcmp(mode, "invalid-json") == 0)
      f->invalid = true;
    else if (strcmp(mode, "status") == 0)
      f->status = (int)arg;
    else if (strcmp(mode, "wrapped") == 0)
      f->wrapped = (int)arg;
    else if (strcmp(mode, "html") == 0)
      f->html = (int)arg;
    else if (strcmp(mode, "echo-key") == 0) {
      f->echo_key = (int)arg;
      if (off > 0)
        sscanf(line + off, "%15s", f->echo_form);
    } else if (strcmp(mode, "redirect") == 0 && off > 0) {
      f->redirect = (int)arg;
      snprintf(f->location, sizeof(f->location), "%s", line + off);
      f->location[strcspn(f->location, "\r\n")] = '\0';
    } else if (strcmp(mode, "big") == 0)
      f->big = arg;
    else if (strcmp(mode, "raw") == 0 && off > 0) {
      f->raw_status = (int)arg;
      snprintf(f->raw, sizeof(f->raw), "%s", line + off);
      f->raw[strcspn(f->raw, "\n")] = '\0';
    }
  }
  fclose(fp);
}

/* A body served by callback: dripped, padded or cut short. */
typedef struct {
  char *body;
  size_t len;
  size_t pad;   /* leading spaces before body */
  size_t limit; /* bytes to send before failing (truncate), 0: all */
  long drip_ms;
} stream_t;

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max) {
  stream_t *s = cls;
  size_t total = s->pad + s->len;
  if (s->limit > 0 && pos >= s->limit)
    return MHD_CONTENT_READER_END_WITH_ERROR;
  if (pos >= total)
    return MHD_CONTENT_READER_END_OF_STREAM;
  size_t n = total - pos;
  if (s->limit > 0 && n > s->limit - pos)
    n = s->limit - pos;
  if (n > max)
    n = max;
  if (s->drip_ms > 0) {
    sleep_ms(s->drip_ms);
    n = 1;
  }
  for (size_t i = 0; i < n; i++) {
    size_t p = pos + i;
    buf[i] = p < s->pad ? ' ' : s->body[p - s->pad];
  }
  return (ssize_t)n;
}

static void stream_free(void *cls) {
  stream_t *s = cls;
  free(s->body);
  free(s);
}

static enum MHD_Result send_body(struct MHD_Connection *c, int status,
                                 const char *type, const char *body, size_t len,
                                 bool limited) {
  struct MHD_Response *r =
      MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
  if (r == NULL)
    return MHD_NO;
  MHD_add_response_header(r, "Content-Type", type);
  if (limited && retry_after >= 0) {
    char v[16];
    snprintf(v, sizeof(v), "%d", retry_after);
    MHD_add_response_header(r, "Retry-After", v);
  }
  enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result send_json(struct MHD_Connection *c, int status,
                                 const char *body) {
  return send_body(c, status, "application/json", body, strlen(body), false);
}

/* Sliding one-second window over all requests. */
static bool over_limit(void) {
  if (rate_limit <= 0)
    return false;
  double t = now();
  pthread_mutex_lock(&lock);
  bool over = window[window_pos] > 0 &&
              t - window[window_pos] < rate_window_ms / 1000.0;
  if (over) {
    n_limited++;
  } else {
    window[window_pos] = t;
    window_pos = (window_pos + 1) % rate_limit;
  }
  pthread_mutex_unlock(&lock);
  return over;
}

/* The key as a JSON string's content in the given form (see fault_t);
 * every form decodes to the key itself. out holds 6 bytes per key byte. */
static void escape_key(const char *form, char *out, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; key[i] != '\0' && n + 7 < cap; i++) {
    unsigned char ch = (unsigned char)key[i];
    int how = 0; /* 0 raw, 1 \u lower, 2 \u upper, 3 \/ */
    if (strcmp(form, "ulower") == 0)
      how = 1;
    else if (strcmp(form, "uupper") == 0)
      how = 2;
    else if (strcmp(form, "slash") == 0)
      how = ch == '/' ? 3 : 0;
    else if (strcmp(form, "mixed") == 0)
      how = ch == '/' ? (i % 2 ? 3 : 1) : (int)(i % 3);
    if (ch == '"' || ch == '\\')
      how = how == 0 || how == 3 ? 1 : how; /* must be escaped anyway */
    if (how == 1 || how == 2)
      n += (size_t)snprintf(out + n, cap - n, how == 1 ? "\\u%04x" : "\\u%04X",
                            ch);
    else if (how == 3)
      n += (size_t)snprintf(out + n, cap - n, "\\/");
    else
      out[n++] = (char)ch;
  }
  out[n] = '\0';
}

static enum MHD_Result serve_call(struct MHD_Connection *c, const char *id,
                                  bool is_dated) {
  fault_t f;
  read_fault(id, &f);
  if (f.echo_key > 0) {
    /* A careless server quoting the credential back. */
    char shown[sizeof(key) * 6 + 8];
    char b[sizeof(shown) * 2 + 256];
    escape_key(f.echo_form, shown, sizeof(shown));
    snprintf(b, sizeof(b),
             "{\"message\":\"Invalid API key %s\",\"code\":\"0100401\","
             "\"status\":%d,\"docs\":\"https://quo.com/docs\",\"title\":"
             "\"Key %s refused\"}",
             shown, f.echo_key, shown);
    return send_json(c, f.echo_key, b);
  }
  if (f.redirect > 0) {
    /* A server moved elsewhere: the client is not to follow it. */
    struct MHD_Response *r =
        MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (r == NULL)
      return MHD_NO;
    MHD_add_response_header(r, "Location", f.location);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)f.redirect, r);
    MHD_destroy_response(r);
    return ret;
  }
  if (f.delay_ms > 0)
    sleep_ms(f.delay_ms);
  if (f.raw_status > 0)
    return send_json(c, f.raw_status, f.raw);
  if (f.status > 0) {
    const char *b = documented_body(f.status);
    return send_json(c, f.status, b ? b : "{}");
  }
  if (f.wrapped > 0) {
    char b[256];
    snprintf(b, sizeof(b),
             "{\"error\":{\"message\":\"Request failed with status %d\","
             "\"key\":\"error_%d\",\"trace\":\"trace-wrapped\"}}",
             f.wrapped, f.wrapped);
    return send_json(c, f.wrapped, b);
  }
  if (f.html > 0) {
    char b[256];
    int n = snprintf(b, sizeof(b),
                     "<html><head><title>%d</title></head><body><h1>%d "
                     "Bad Gateway</h1></body></html>\n",
                     f.html, f.html);
    return send_body(c, f.html, "text/html", b, (size_t)n, false);
  }

  char path[4096];
  snprintf(path, sizeof(path), "%s/%s.json", fixtures, id);
  size_t len = 0;
  char *body = slurp(path, &len);
  if (body == NULL)
    return send_json(c, 404, is_dated ? dated_body(404) : documented_body(404));
  if (f.invalid)
    len /= 2;
  if (!f.truncate && !f.drip_ms && !f.big) {
    enum MHD_Result r = send_body(c, 200, "application/json", body, len, false);
    free(body);
    return r;
  }
  stream_t *s = calloc(1, sizeof(*s));
  s->body = body;
  s->len = len;
  s->drip_ms = f.drip_ms;
  if (f.big > (long)len)
    s->pad = (size_t)f.big - len;
  if (f.truncate)
    s->limit = (s->pad + s->len) / 2;
  struct MHD_Response *r = MHD_create_response_from_callback(
      s->pad + s->len, 64 * 1024, stream_read, s, stream_free);
  MHD_add_response_header(r, "Content-Type", "application/json");
  enum MHD_Result ret = MHD_queue_response(c, 200, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **req_cls) {
  (void)cls;
  (void)version;
  (void)upload;
  (void)upload_size;
  /* The first call only announces the request; answering in it makes MHD
   * close the connection, and clients could never reuse one. */
  if (*req_cls == NULL) {
    *req_cls = &n_requests;
    return MHD_YES;
  }
  if (strcmp(url, "/_stats/calls") == 0)
    return send_id_stats(c);
  if (strcmp(url, "/_stats") == 0) {
    char b[512];
    pthread_mutex_lock(&lock);
    snprintf(b, sizeof(b),
             "{\"requests\":%lu,\"rate_limited\":%lu,\"connections\":%lu,"
             "\"max_concurrent\":%d,\"v1_requests\":%lu,\"dated_requests\":"
             "%lu,\"missing_version\":%lu,\"last_version\":\"%s\"}\n",
             n_requests, n_limited, n_connections, max_active, n_v1, n_dated,
             n_missing_version, last_version);
    pthread_mutex_unlock(&lock);
    return send_json(c, 200, b);
  }
  pthread_mutex_lock(&lock);
  n_requests++;
  if (++active > max_active)
    max_active = active;
  pthread_mutex_unlock(&lock);
  *req_cls = &active; /* marks a counted request for on_completed */

  const char *v1 = "/v1/calls/", *dated_prefix = "/calls/";
  bool is_dated = strncmp(url, dated_prefix, strlen(dated_prefix)) == 0;
  const char *api_version =
      MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Quo-Api-Version");
  if (api_version != NULL) {
    pthread_mutex_lock(&lock);
    size_t i = 0;
    for (; api_version[i] != '\0' && i + 1 < sizeof(last_version); i++)
      last_version[i] = (api_version[i] >= 0x20 && api_version[i] < 0x7f &&
                         api_version[i] != '"' && api_version[i] != '\\')
                            ? api_version[i]
                            : '?';
    last_version[i] = '\0';
    pthread_mutex_unlock(&lock);
  }

  const char *auth =
      MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
  if (auth == NULL || strcmp(auth, key) != 0)
    return send_json(c, 401, is_dated ? dated_body(401) : documented_body(401));
  if (over_limit())
    return send_body(c, 429, "application/json", too_many, strlen(too_many),
                     true);

  const char *prefix = is_dated ? dated_prefix : v1;
  if (strcmp(method, "GET") != 0 || strncmp(url, prefix, strlen(prefix)) != 0)
    return send_json(c, 404, documented_body(404));
  pthread_mutex_lock(&lock);
  if (is_dated)
    n_dated++;
  else
    n_v1++;
  if (is_dated && (api_version == NULL || *api_version == '\0'))
    n_missing_version++;
  pthread_mutex_unlock(&lock);
  /* The dated API has no default version: without the header, 400. */
  if (is_dated && (api_version == NULL || *api_version == '\0'))
    return send_json(c, 400, dated_body(400));
  const char *id = url + strlen(prefix);
  pthread_mutex_lock(&lock);
  count_id(id);
  pthread_mutex_unlock(&lock);
  /* Fixture names come from the URL: keep them to plain IDs. */
  for (const char *p = id; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
          (*p >= 'A' && *p <= 'Z')))
      return send_json(c, 404, documented_body(404));
  if (*id == '\0')
    return send_json(c, 404, documented_body(404));
  return serve_call(c, id, is_dated);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)c;
  (void)toe;
  if (*req_cls == &active) {
    pthread_mutex_lock(&lock);
    active--;
    pthread_mutex_unlock(&lock);
  }
}

static void on_connection(void *cls, struct MHD_Connection *c, void **sock_cls,
                          enum MHD_ConnectionNotificationCode code) {
  (void)cls;
  (void)c;
  (void)sock_cls;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    pthread_mutex_lock(&lock);
    n_connections++;
    pthread_mutex_unlock(&lock);
  }
}

static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

/* --generate DIR: one body per line of stdin; a bad line names itself. */
static int generate(const char *dir) {
  char line[1024];
  int lineno = 0;
  while (fgets(line, sizeof(line), stdin) != NULL) {
    lineno++;
    if (strchr(line, '\n') == NULL && !feof(stdin)) {
      fprintf(stderr, "quo-standin: --generate line %d: too long\n", lineno);
      return 2;
    }
    if (line[strspn(line, " \t\r\n")] == '\0' || line[0] == '#')
      continue;
    callgen_t c;
    char err[128];
    if (callgen_parse(line, &c, err, sizeof(err)) != 0) {
      fprintf(stderr, "quo-standin: --generate line %d: %s\n", lineno, err);
      return 2;
    }
    if (callgen_write(dir, &c) != 0) {
      fprintf(stderr,
              "quo-standin: --generate line %d: cannot write %s/%s.json: %s\n",
              lineno, dir, c.id, strerror(errno));
      return 1;
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--generate") == 0)
    return generate(argv[2]);
  int port = 0;
  const char *port_file = NULL, *key_file = NULL;
  const char *tls_cert = NULL, *tls_key = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (v == NULL) {
      fprintf(stderr, "quo-standin: %s needs a value\n", a);
      return 2;
    }
    /* Each option names the variable it sets: text as given, or a number. */
    const struct {
      const char *name;
      const char **text;
      int *number;
    } opts[] = {
        {"--fixtures", &fixtures, NULL},
        {"--port", NULL, &port},
        {"--port-file", &port_file, NULL},
        {"--key-file", &key_file, NULL},
        {"--rate-limit", NULL, &rate_limit},
        {"--rate-window-ms", NULL, &rate_window_ms},
        {"--retry-after", NULL, &retry_after},
        {"--tls-cert", &tls_cert, NULL},
        {"--tls-key", &tls_key, NULL},
    };
    size_t o = 0;
    while (o < sizeof(opts) / sizeof(opts[0]) && strcmp(a, opts[o].name) != 0)
      o++;
    if (o == sizeof(opts) / sizeof(opts[0])) {
      fprintf(stderr, "quo-standin: unknown option %s\n", a);
      return 2;
    }
    if (opts[o].text != NULL)
      *opts[o].text = v;
    else
      *opts[o].number = atoi(v);
    i++;
  }
  if (fixtures == NULL) {
    fprintf(stderr, "usage: quo-standin --fixtures DIR [--port N] "
                    "[--port-file F] [--key-file F] [--rate-limit N] "
                    "[--rate-window-ms W] [--retry-after S]\n");
    return 2;
  }
  if (key_file != NULL) {
    FILE *f = fopen(key_file, "r");
    if (f == NULL || fgets(key, sizeof(key), f) == NULL) {
      fprintf(stderr, "quo-standin: cannot read key file %s\n", key_file);
      return 2;
    }
    fclose(f);
    key[strcspn(key, "\r\n")] = '\0';
  } else if (getenv("QUO_STANDIN_KEY") != NULL) {
    snprintf(key, sizeof(key), "%s", getenv("QUO_STANDIN_KEY"));
  } else {
    fprintf(stderr, "quo-standin: give --key-file or QUO_STANDIN_KEY\n");
    return 2;
  }
  if (rate_window_ms <= 0) {
    fprintf(stderr, "quo-standin: --rate-window-ms needs a positive number\n");
    return 2;
  }
  if (rate_limit > 0)
    window = calloc((size_t)rate_limit, sizeof(*window));
  per_id = calloc(ID_SLOTS, sizeof(*per_id));

  /* Loopback only: nothing outside this machine ever talks to it. */
  struct sockaddr_in addr = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  /* HTTPS with the given certificate, for the TLS verification tests. */
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD |
                   MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG;
  struct MHD_OptionItem tls[3] = {{MHD_OPTION_END, 0, NULL}};
  char *cert_pem = NULL, *key_pem = NULL;
  if (tls_cert != NULL || tls_key != NULL) {
    size_t n;
    cert_pem = tls_cert ? slurp(tls_cert, &n) : NULL;
    key_pem = tls_key ? slurp(tls_key, &n) : NULL;
    if (cert_pem == NULL || key_pem == NULL) {
      fprintf(stderr, "quo-standin: --tls-cert and --tls-key need readable "
                      "PEM files\n");
      return 2;
    }
    flags |= MHD_USE_TLS;
    tls[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, cert_pem};
    tls[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, key_pem};
  }
  struct MHD_Daemon *d = MHD_start_daemon(
      flags, (uint16_t)port, NULL, NULL, handle, NULL,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_SOCK_ADDR,
      (struct sockaddr *)&addr, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
      MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL, MHD_OPTION_ARRAY, tls,
      MHD_OPTION_END);
  if (d == NULL) {
    fprintf(stderr, "quo-standin: cannot listen on port %d\n", port);
    return 1;
  }
  const union MHD_DaemonInfo *info =
      MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  int bound = info ? info->port : port;
  if (port_file != NULL) {
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", port_file);
    FILE *f = fopen(tmp, "w");
    if (f == NULL || fprintf(f, "%d\n", bound) < 0 || fclose(f) != 0 ||
        rename(tmp, port_file) != 0) {
      fprintf(stderr, "quo-standin: cannot write %s\n", port_file);
      return 1;
    }
  }
  printf("quo-standin: listening on 127.0.0.1:%d\n", bound);
  fflush(stdout);

  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  while (!stop)
    pause();
  MHD_stop_daemon(d);
  free(window);
  free(cert_pem);
  free(key_pem);
  return 0;
}
