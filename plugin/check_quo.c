/* check_quo: Nagios / Icinga / Naemon check of the Quo phone API.
 *
 * Fetches one or more calls with the same core as the collectd plugin and
 * turns each outcome into a state: OK for a valid call within thresholds,
 * WARNING for 400, 429 and (by default) 404, CRITICAL for 401, 403, 5xx,
 * invalid bodies, connection failures and timeouts, UNKNOWN for usage
 * errors. Prints one status line with perfdata; -v adds detail lines. */
#define _GNU_SOURCE
#include "core/config.h"
#include "core/http.h"
#include "core/outcome.h"
#include "core/range.h"
#include "core/secret.h"
#include "core/text.h"

#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef QUO_VERSION
#define QUO_VERSION "0"
#endif

enum { ST_OK = 0, ST_WARNING = 1, ST_CRITICAL = 2, ST_UNKNOWN = 3 };
static const char *const state_names[] = {"OK", "WARNING", "CRITICAL",
                                          "UNKNOWN"};

/* Longest status text before perfdata: Nagios keeps the first line short. */
#define TEXT_MAX 400

typedef struct {
  quo_range_t *time_w, *time_c, *answer_w, *answer_c, *dur_w, *dur_c;
  int not_found_state;
  bool verbose;
} checks_t;

typedef struct {
  int state;
  quo_outcome_t o;
  char why[160]; /* thresholds crossed */
} result_t;

typedef struct {
  const quo_config_t *cfg;
  const checks_t *checks;
  result_t *results;
} run_t;

/* CRITICAL > WARNING > UNKNOWN > OK, as Monitoring Plugins rank them. */
static int rank(int st) {
  static const int r[] = {0, 2, 3, 1};
  return r[st];
}

static int worse(int a, int b) {
  return rank(a) >= rank(b) ? a : b;
}

/* Prints the UNKNOWN status line and exits. The message may quote operator
 * input (paths, URLs, ranges): it is made printable and '|'-free here. */
static void die_unknown(const char *fmt, ...) {
  char msg[512], shown[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  printf("QUO UNKNOWN - %s\n",
         quo_sanitize(shown, sizeof(shown), msg, strlen(msg)));
  exit(ST_UNKNOWN);
}

/* The safety net under the per-request timeouts. */
static void on_alarm(int sig) {
  (void)sig;
  static const char msg[] = "QUO CRITICAL - check timed out\n";
  if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0) {
    /* nothing more can be done */
  }
  _exit(ST_CRITICAL);
}

/* The state a valid call earns from the thresholds; names each range
 * crossed in why. */
static int threshold_state(const checks_t *k, const quo_outcome_t *o, char *why,
                           size_t cap) {
  const quo_call_t *c = &o->call;
  struct {
    const char *name;
    const quo_range_t *w, *c;
    double v;
    bool has;
  } t[] = {{"response time", k->time_w, k->time_c, o->seconds, true},
           {"duration", k->dur_w, k->dur_c, (double)c->duration, true},
           {"answer latency", k->answer_w, k->answer_c,
            c->answered_at - c->created_at, c->has_answered_at}};
  int st = ST_OK;
  size_t n = 0;
  why[0] = '\0';
  for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
    const quo_range_t *hit = NULL;
    const char *level = NULL;
    if (!t[i].has)
      continue;
    if (t[i].c && quo_range_alert(t[i].c, t[i].v)) {
      st = worse(st, ST_CRITICAL);
      hit = t[i].c;
      level = "critical";
    } else if (t[i].w && quo_range_alert(t[i].w, t[i].v)) {
      st = worse(st, ST_WARNING);
      hit = t[i].w;
      level = "warning";
    }
    if (hit != NULL && n < cap) {
      int w = snprintf(why + n, cap - n, ", %s %.6gs breaches %s range %s",
                       t[i].name, t[i].v, level, hit->text);
      n += w > 0 ? (size_t)w : 0;
    }
  }
  return st;
}

static int outcome_state(const checks_t *k, const quo_outcome_t *o, char *why,
                         size_t cap) {
  switch (o->kind) {
  case QUO_OUT_OK:
    return threshold_state(k, o, why, cap);
  case QUO_OUT_HTTP:
    if (o->http_status == 404)
      return k->not_found_state;
    if (o->http_status == 400 || o->http_status == 429)
      return ST_WARNING;
    return ST_CRITICAL;
  default: /* transport, invalid, not started in time */
    return ST_CRITICAL;
  }
}

static void on_response(const quo_response_t *r, void *arg) {
  run_t *run = arg;
  result_t *res = &run->results[r->index];
  quo_outcome_classify(r, run->cfg->calls[r->index].id, &res->o);
  if (res->o.kind == QUO_OUT_SKIPPED)
    snprintf(res->o.detail, sizeof(res->o.detail), "timed out");
  res->state = outcome_state(run->checks, &res->o, res->why, sizeof(res->why));
}

/* Appends printf output to a bounded buffer, marking a cut with "...". */
static void append(char *buf, size_t cap, const char *fmt, ...) {
  size_t n = strlen(buf);
  if (n + 1 >= cap)
    return;
  va_list ap;
  va_start(ap, fmt);
  int w = vsnprintf(buf + n, cap - n, fmt, ap);
  va_end(ap);
  if (w >= 0 && (size_t)w >= cap - n && cap > 4)
    memcpy(buf + cap - 4, "...", 4);
}

static void describe(const quo_call_spec_t *s, const result_t *r, char *buf,
                     size_t cap) {
  const quo_outcome_t *o = &r->o;
  if (o->kind == QUO_OUT_OK) {
    const quo_call_t *c = &o->call;
    append(buf, cap, "%s: %s, duration %llds", s->id,
           quo_status_name(c->status), (long long)c->duration);
    if (c->has_answered_at)
      append(buf, cap, ", answered after %.3gs",
             c->answered_at - c->created_at);
    append(buf, cap, ", API %.3fs%s", o->seconds, r->why);
    return;
  }
  char what[400];
  if (o->kind == QUO_OUT_HTTP)
    snprintf(what, sizeof(what), "HTTP %ld, API code %s (%s)", o->http_status,
             o->error.has_code ? o->error.code : "none", o->error.title);
  else
    quo_outcome_describe(o, what, sizeof(what));
  append(buf, cap, "%s: %s", s->id, what);
}

/* A perfdata value: plain decimal (the grammar has no exponents), at most
 * microsecond precision, no trailing zeros. */
static const char *perf_number(char *buf, size_t cap, double v) {
  if (!isfinite(v))
    v = 0;
  snprintf(buf, cap, "%.6f", v);
  char *dot = strchr(buf, '.');
  if (dot != NULL) {
    char *end = buf + strlen(buf) - 1;
    while (end > dot && *end == '0')
      *end-- = '\0';
    if (end == dot)
      *end = '\0';
  }
  return buf;
}

/* Appends one whole perfdata token, or nothing when it does not fit. */
static void perf_one(char *buf, size_t cap, const char *label,
                     const char *suffix, double v, const quo_range_t *w,
                     const quo_range_t *c) {
  char num[400], token[600];
  int n = snprintf(token, sizeof(token), "%s%s%s=%ss;%s;%s;0 ", label,
                   *suffix ? "_" : "", suffix, perf_number(num, sizeof(num), v),
                   w ? w->text : "", c ? c->text : "");
  size_t used = strlen(buf);
  if (n > 0 && (size_t)n < sizeof(token) && used + (size_t)n < cap)
    memcpy(buf + used, token, (size_t)n + 1);
}

static void perfdata(const quo_call_spec_t *s, const result_t *r,
                     const checks_t *k, bool several, char *buf, size_t cap) {
  const quo_outcome_t *o = &r->o;
  const char *sfx = several ? s->id : "";
  if (o->kind == QUO_OUT_SKIPPED)
    return;
  perf_one(buf, cap, "time", sfx, o->seconds, k->time_w, k->time_c);
  if (o->kind != QUO_OUT_OK)
    return;
  perf_one(buf, cap, "duration", sfx, (double)o->call.duration, k->dur_w,
           k->dur_c);
  if (o->call.has_answered_at)
    perf_one(buf, cap, "answer_latency", sfx,
             o->call.answered_at - o->call.created_at, k->answer_w,
             k->answer_c);
}

static void verbose_line(const quo_call_spec_t *s, const result_t *r) {
  const quo_outcome_t *o = &r->o;
  char what[512];
  quo_outcome_describe(o, what, sizeof(what));
  printf("%s: %s; %s%s\n", s->id, state_names[r->state],
         o->kind == QUO_OUT_OK ? "valid call record" : what,
         o->kind == QUO_OUT_OK && o->call.has_completed_at ? ", finished" : "");
}

static void usage(FILE *f) {
  fprintf(f,
          "Usage: check_quo -i ID [-i ID ...] [-u BASE_URL] [-k API_KEY_FILE] "
          "[-t SECONDS]\n"
          "                 [-w RANGE] [-c RANGE] [--answer-warning RANGE] "
          "[--answer-critical RANGE]\n"
          "                 [--duration-warning RANGE] [--duration-critical "
          "RANGE]\n"
          "                 [--not-found-state ok|warning|critical|unknown] "
          "[--ca-cert FILE] [-v] [-V] [-h]\n");
}

static void help(void) {
  printf("check_quo " QUO_VERSION
         " - Nagios/Icinga/Naemon check of the Quo phone API\n\n"
         "Fetches each call from GET {BASE_URL}/v1/calls/{ID} and reports "
         "the API's health\nfrom its documented error codes, with "
         "thresholds and perfdata.\n\n");
  usage(stdout);
  printf(
      "\nOptions:\n"
      "  -i, --call-id ID          call to fetch (AC + 1..62 letters/digits); "
      "repeatable\n"
      "  -u, --base-url URL        API root (default " QUO_DEFAULT_BASE_URL
      ")\n"
      "  -k, --api-key-file FILE   file whose first line is the API key;\n"
      "                            without -k the key is read from the "
      "environment\n"
      "                            variable QUO_API_KEY (never pass it as an "
      "argument)\n"
      "  -t, --timeout SECONDS     give up after this long (default 10)\n"
      "  -w, --warning RANGE       response time in seconds\n"
      "  -c, --critical RANGE      response time in seconds\n"
      "      --answer-warning RANGE, --answer-critical RANGE\n"
      "                            answer latency (answeredAt - createdAt) in "
      "seconds;\n"
      "                            not checked while the call is unanswered\n"
      "      --duration-warning RANGE, --duration-critical RANGE\n"
      "                            call duration in seconds\n"
      "      --not-found-state STATE\n"
      "                            state for 404 Not Found: ok, warning "
      "(default),\n"
      "                            critical or unknown\n"
      "      --ca-cert FILE        CA bundle to verify the server with\n"
      "  -v, --verbose             one more line per call\n"
      "  -V, --version             print the version\n"
      "  -h, --help                this help\n"
      "\nRanges (Monitoring Plugins syntax; alert when the value is):\n"
      "  10       outside 0..10        10:     below 10\n"
      "  ~:10     above 10             10:20   outside 10..20\n"
      "  @10:20   inside 10..20 (ends included)\n"
      "\nStates (several IDs: the worst wins, CRITICAL > WARNING > UNKNOWN > "
      "OK):\n"
      "  OK        a valid call record within every threshold\n"
      "  WARNING   HTTP 400 (0101400), 429 (rate limited), 404 (0100404; "
      "see\n"
      "            --not-found-state), or a warning threshold crossed\n"
      "  CRITICAL  HTTP 401 (0100401), 403 (0101403), 5xx (0101500), any "
      "other\n"
      "            unexpected status, an invalid, truncated or oversized "
      "body,\n"
      "            connection failures, timeouts, or a critical threshold\n"
      "  UNKNOWN   usage errors, a missing key, an unreadable key file, a bad "
      "range\n"
      "\nOutput: QUO <STATE> - <calls> | time=0.123s;W;C;0 "
      "duration=184s;W;C;0\n"
      "        answer_latency=7.5s;W;C;0 (labels get _<ID> with several "
      "IDs)\n"
      "\nExample:\n"
      "  QUO_API_KEY=... check_quo -i AC3700e624eca547eb9f749a06f2eb1 -w 1 "
      "-c 5 \\\n"
      "      --answer-warning 20 --answer-critical 60\n"
      "\nExit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also for -h and "
      "-V).\n");
}

static quo_range_t *range_arg(const char *opt, const char *v) {
  quo_range_t *r = malloc(sizeof(*r));
  char err[160];
  if (r == NULL)
    die_unknown("out of memory");
  if (quo_range_parse(v, r, err, sizeof(err)) != 0)
    die_unknown("%s: %s", opt, err);
  return r;
}

static int state_arg(const char *v) {
  for (int i = 0; i < 4; i++)
    if (strcasecmp(v, state_names[i]) == 0)
      return i;
  die_unknown("--not-found-state: \"%.40s\" is not ok, warning, critical "
              "or unknown",
              v);
  return ST_UNKNOWN;
}

static void free_options(quo_config_t *cfg, checks_t *k) {
  free(k->time_w);
  free(k->time_c);
  free(k->answer_w);
  free(k->answer_c);
  free(k->dur_w);
  free(k->dur_c);
  quo_config_free(cfg);
}

int main(int argc, char **argv) {
  enum { O_AW = 256, O_AC, O_DW, O_DC, O_NF, O_CA };
  static const struct option longopts[] = {
      {"call-id", required_argument, NULL, 'i'},
      {"base-url", required_argument, NULL, 'u'},
      {"api-key-file", required_argument, NULL, 'k'},
      {"timeout", required_argument, NULL, 't'},
      {"warning", required_argument, NULL, 'w'},
      {"critical", required_argument, NULL, 'c'},
      {"answer-warning", required_argument, NULL, O_AW},
      {"answer-critical", required_argument, NULL, O_AC},
      {"duration-warning", required_argument, NULL, O_DW},
      {"duration-critical", required_argument, NULL, O_DC},
      {"not-found-state", required_argument, NULL, O_NF},
      {"ca-cert", required_argument, NULL, O_CA},
      {"verbose", no_argument, NULL, 'v'},
      {"version", no_argument, NULL, 'V'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};

  quo_config_t cfg;
  quo_config_init(&cfg);
  checks_t k = {.not_found_state = ST_WARNING};
  const char *key_file = NULL;
  double timeout_s = 10;
  char err[256];
  int opt;

  opterr = 0;
  while ((opt = getopt_long(argc, argv, "i:u:k:t:w:c:vVh", longopts, NULL)) !=
         -1) {
    switch (opt) {
    case 'i':
      if (quo_config_add_call(&cfg, optarg, NULL, err, sizeof(err)) != 0)
        die_unknown("-i: %s", err);
      break;
    case 'u':
      if (quo_config_set_base_url(&cfg, optarg, err, sizeof(err)) != 0)
        die_unknown("-u: %s", err);
      break;
    case 'k':
      key_file = optarg;
      break;
    case 't': {
      char *end;
      timeout_s = strtod(optarg, &end);
      if (*end != '\0' || !(timeout_s > 0) || timeout_s > 3600)
        die_unknown("-t: \"%.40s\" is not a number of seconds (0 < t <= "
                    "3600)",
                    optarg);
      break;
    }
    case 'w':
      k.time_w = range_arg("-w", optarg);
      break;
    case 'c':
      k.time_c = range_arg("-c", optarg);
      break;
    case O_AW:
      k.answer_w = range_arg("--answer-warning", optarg);
      break;
    case O_AC:
      k.answer_c = range_arg("--answer-critical", optarg);
      break;
    case O_DW:
      k.dur_w = range_arg("--duration-warning", optarg);
      break;
    case O_DC:
      k.dur_c = range_arg("--duration-critical", optarg);
      break;
    case O_NF:
      k.not_found_state = state_arg(optarg);
      break;
    case O_CA:
      if (quo_config_set_ca_cert(&cfg, optarg, err, sizeof(err)) != 0)
        die_unknown("--ca-cert: %s", err);
      break;
    case 'v':
      k.verbose = true;
      break;
    case 'V':
      printf("check_quo " QUO_VERSION " (quo-collectd)\n");
      free_options(&cfg, &k);
      return ST_UNKNOWN;
    case 'h':
      help();
      free_options(&cfg, &k);
      return ST_UNKNOWN;
    default:
      die_unknown("unknown option or missing argument: %s (see check_quo -h)",
                  argv[optind - 1]);
    }
  }
  if (optind < argc)
    die_unknown("unexpected argument \"%.40s\" (see check_quo -h)",
                argv[optind]);
  if (cfg.ncalls == 0)
    die_unknown("no call ID: give -i ID (see check_quo -h)");

  char *key;
  if (key_file != NULL) {
    if ((key = quo_secret_read_file(key_file, err, sizeof(err))) == NULL)
      die_unknown("%s", err);
  } else {
    const char *env = getenv("QUO_API_KEY");
    if (env == NULL || *env == '\0')
      die_unknown("no API key: give -k FILE or set QUO_API_KEY");
    if ((key = strdup(env)) == NULL)
      die_unknown("out of memory");
  }
  if (quo_config_set_key(&cfg, key, err, sizeof(err)) != 0)
    die_unknown("%s", err);
  if (quo_config_set_timeout(&cfg, (long)ceil(timeout_s * 1000), err,
                             sizeof(err)) != 0 ||
      quo_config_finish(&cfg, 0, err, sizeof(err)) != 0)
    die_unknown("%s", err);

  signal(SIGALRM, on_alarm);
  alarm((unsigned)ceil(timeout_s) + 1);

  if (quo_http_global_init() != 0)
    die_unknown("cannot initialise libcurl");
  quo_http_opts_t hopts = {.ca_cert = cfg.ca_cert,
                           .verify_peer = cfg.verify_peer,
                           .verify_host = cfg.verify_host,
                           .timeout_ms = cfg.timeout_ms,
                           .max_per_second = QUO_DEFAULT_MAX_PER_SECOND,
                           .pause_cap = timeout_s};
  quo_http_t *http = quo_http_new(&hopts, cfg.api_key, err, sizeof(err));
  quo_secret_free(cfg.api_key);
  cfg.api_key = NULL;
  if (http == NULL)
    die_unknown("%s", err);

  const char **urls = calloc(cfg.ncalls, sizeof(*urls));
  result_t *results = calloc(cfg.ncalls, sizeof(*results));
  if (urls == NULL || results == NULL)
    die_unknown("out of memory");
  for (size_t i = 0; i < cfg.ncalls; i++)
    urls[i] = cfg.calls[i].url;
  run_t run = {.cfg = &cfg, .checks = &k, .results = results};
  quo_http_run(http, urls, NULL, cfg.ncalls, quo_now() + timeout_s, on_response,
               &run);
  quo_http_free(http);

  /* The status line names the worst calls first. */
  int state = ST_OK;
  for (size_t i = 0; i < cfg.ncalls; i++)
    state = worse(state, results[i].state);
  char text[TEXT_MAX + 1] = "";
  /* Three tokens per call at most, each well under 300 bytes. */
  size_t perf_cap = cfg.ncalls * 900 + 1;
  char *perf = calloc(perf_cap, 1);
  if (perf == NULL)
    die_unknown("out of memory");
  bool several = cfg.ncalls > 1;
  for (int pass = 3; pass >= 0; pass--) {
    for (size_t i = 0; i < cfg.ncalls; i++) {
      if (rank(results[i].state) != pass)
        continue;
      if (text[0] != '\0')
        append(text, sizeof(text), "; ");
      describe(&cfg.calls[i], &results[i], text, sizeof(text));
    }
  }
  for (size_t i = 0; i < cfg.ncalls; i++)
    perfdata(&cfg.calls[i], &results[i], &k, several, perf, perf_cap);
  size_t pn = strlen(perf);
  if (pn > 0 && perf[pn - 1] == ' ')
    perf[pn - 1] = '\0';
  printf("QUO %s - %s%s%s\n", state_names[state], text, perf[0] ? " | " : "",
         perf);
  if (k.verbose) {
    for (size_t i = 0; i < cfg.ncalls; i++)
      verbose_line(&cfg.calls[i], &results[i]);
    if (key_file != NULL && quo_secret_file_exposed(key_file)) {
      char shown[160];
      printf("warning: API key file \"%s\" can be read by its group or "
             "others: chmod 600 it\n",
             quo_sanitize(shown, sizeof(shown), key_file, strlen(key_file)));
    }
  }

  free(perf);
  free(urls);
  free(results);
  free_options(&cfg, &k);
  return state;
}
