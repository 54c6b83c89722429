/* check_quo: Nagios / Icinga / Naemon check of the Quo phone API.
 *
 * Fetches one or more calls with the same core as the collectd plugin and
 * turns each outcome into a state through the core's policy (outcome.h):
 * OK for a valid call within thresholds, WARNING for 400, 429 (and calls a
 * 429 pause held back) and by default 404, CRITICAL for 401, 403, 5xx,
 * invalid bodies, connection failures and timeouts, UNKNOWN for usage
 * errors and files that cannot be read. Prints one status line with
 * perfdata (check_output.c); -v adds detail lines.
 *
 * main reads parse -> arm the timer -> load files -> check -> print, as
 * monitoring-plugins' check_curl does. */
#define _GNU_SOURCE
#include "check_output.h"
#include "check_state.h"
#include "core/config.h"
#include "core/http.h"
#include "core/secret.h"
#include "core/text.h"

#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef QUO_VERSION
#define QUO_VERSION "0"
#endif

/* What the command line asked for. Files are only named here: they are
 * read after the timer is armed. */
typedef struct {
  quo_config_t cfg;
  check_policy_t policy;
  const char *key_file, *ca_file;
  double timeout_s;
  bool verbose;
} options_t;

typedef struct {
  const check_policy_t *policy;
  check_result_t *results;
} run_t;

/* Prints the UNKNOWN status line and exits. The message may quote operator
 * input (paths, URLs, ranges): it is made printable and '|'-free here. */
__attribute__((format(printf, 1, 2), noreturn)) static void
die_unknown(const char *fmt, ...) {
  char msg[512], shown[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  printf("QUO UNKNOWN - %s\n",
         quo_sanitize(shown, sizeof(shown), msg, strlen(msg)));
  exit(CHECK_UNKNOWN);
}

/* Set once the requests start: before, a timer means a file that would
 * not open or read in time (UNKNOWN); after, the safety net under the
 * per-request timeouts (CRITICAL). */
static volatile sig_atomic_t fetching;

static void on_alarm(int sig) {
  (void)sig;
  static const char files[] = "QUO UNKNOWN - timed out reading the API key "
                              "or CA file\n";
  static const char fetch[] = "QUO CRITICAL - check timed out\n";
  const char *msg = fetching ? fetch : files;
  size_t n = fetching ? sizeof(fetch) - 1 : sizeof(files) - 1;
  if (write(STDOUT_FILENO, msg, n) < 0) {
    /* nothing more can be done */
  }
  _exit(fetching ? CHECK_CRITICAL : CHECK_UNKNOWN);
}

/* Arms the one-shot timer; 0 disarms it. */
static void set_timer(double seconds) {
  struct itimerval it = {{0, 0}, {0, 0}};
  if (seconds > 0) {
    it.it_value.tv_sec = (time_t)seconds;
    it.it_value.tv_usec =
        (suseconds_t)((seconds - (double)it.it_value.tv_sec) * 1e6) + 1;
  }
  setitimer(ITIMER_REAL, &it, NULL);
}

static void usage(FILE *f) {
  fprintf(f,
          "Usage: check_quo -i ID [-i ID ...] [-u BASE_URL] [-k API_KEY_FILE] "
          "[-t SECONDS]\n"
          "                 [-w RANGE] [-c RANGE] [--answer-warning RANGE] "
          "[--answer-critical RANGE]\n"
          "                 [--duration-warning RANGE] [--duration-critical "
          "RANGE]\n"
          "                 [--not-found-state ok|warning|critical|unknown]\n"
          "                 [--api-version v1|DATE] [--ca-cert FILE]\n"
          "                 [--status-warning LIST] [--status-critical LIST] "
          "[-v] [-V] [-h]\n");
}

static void help_options(void) {
  printf(
      "\nOptions:\n"
      "  -i, --call-id ID          call to fetch (AC + 1..62 letters/digits); "
      "repeatable\n"
      "  -u, --base-url URL        API root (default " QUO_DEFAULT_BASE_URL
      ")\n"
      "  -k, --api-key-file FILE   regular file whose first line is the API "
      "key;\n"
      "                            without -k the key is read from the "
      "environment\n"
      "                            variable QUO_API_KEY (never pass it as an "
      "argument)\n"
      "  -t, --timeout SECONDS     give up after this long (default %d, at "
      "most %d)\n"
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
      "      --status-warning LIST, --status-critical LIST\n"
      "                            comma-separated call statuses that raise "
      "the state\n"
      "                            (the API's 13, e.g. missed,no-answer, or "
      "other)\n"
      "      --api-version VERSION v1 (default) or a dated version "
      "YYYY-MM-DD\n"
      "                            from " QUO_API_VERSION_FIRST " on\n"
      "      --ca-cert FILE        CA bundle to verify the server with\n"
      "  -v, --verbose             one more line per call\n"
      "  -V, --version             print the version\n"
      "  -h, --help                this help\n",
      QUO_DEFAULT_TIMEOUT_MS / 1000, QUO_MAX_TIMEOUT_MS / 1000);
}

static void help(void) {
  printf("check_quo v" QUO_VERSION
         " - Nagios/Icinga/Naemon check of the Quo phone API\n\n"
         "Fetches each call from GET {BASE_URL}/v1/calls/{ID} and reports "
         "the API's health\nfrom its documented error codes, with "
         "thresholds and perfdata.\n\n");
  usage(stdout);
  help_options();
  printf(
      "\nRanges (Monitoring Plugins syntax; alert when the value is):\n"
      "  10       outside 0..10        10:     below 10\n"
      "  ~:10     above 10             10:20   outside 10..20\n"
      "  @10:20   inside 10..20 (ends included)\n"
      "\nStates (several IDs: the worst wins, CRITICAL > WARNING > UNKNOWN > "
      "OK):\n"
      "  OK        a valid call record within every threshold\n"
      "  WARNING   HTTP 400 (0101400), 429 (rate limited) and calls a 429 "
      "pause held\n"
      "            back, 404 (0100404; see --not-found-state), a warning "
      "threshold\n"
      "            crossed, or a status in --status-warning\n"
      "  CRITICAL  HTTP 401 (0100401), 403 (0101403), 5xx (0101500), "
      "redirects, any\n"
      "            other unexpected status, an invalid, truncated or "
      "oversized body,\n"
      "            connection failures, timeouts, a critical threshold, or a "
      "status\n"
      "            in --status-critical\n"
      "  UNKNOWN   usage errors, a missing key, a key or CA file that cannot "
      "be read\n"
      "            (missing, a directory, a FIFO, a byte order mark), a bad "
      "range\n"
      "\nOutput: QUO <STATE> - <calls> | time=0.123s;W;C;0 "
      "duration=184s;W;C;0\n"
      "        answer_latency=7.5s;W;C;0 (labels get _<ID> with several "
      "IDs;\n"
      "        no time when no HTTP response came)\n"
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

/* -t: seconds, within the core's bounds (QUO_MAX_TIMEOUT_MS), said in
 * seconds as the option takes them. */
static void timeout_arg(quo_config_t *cfg, const char *v) {
  char *end, err[160];
  double t = strtod(v, &end);
  if (end == v || *end != '\0' || !(t > 0) || t > QUO_MAX_TIMEOUT_MS / 1000.0 ||
      quo_config_set_timeout(cfg, (long)ceil(t * 1000), err, sizeof(err)) != 0)
    die_unknown("-t: \"%.40s\" is not a number of seconds (0 < t <= %d)", v,
                QUO_MAX_TIMEOUT_MS / 1000);
}

enum { O_AW = 256, O_AC, O_DW, O_DC, O_NF, O_CA, O_AV, O_SW, O_SC };

/* The range options and where each keeps its range: one table for parsing
 * and freeing. */
typedef struct {
  int opt;
  const char *name;
  quo_range_t **slot;
} range_option_t;
#define N_RANGE_OPTIONS 6

static void range_options(check_policy_t *k,
                          range_option_t out[N_RANGE_OPTIONS]) {
  const range_option_t t[N_RANGE_OPTIONS] = {
      {'w', "-w", &k->time_w},
      {'c', "-c", &k->time_c},
      {O_AW, "--answer-warning", &k->answer_w},
      {O_AC, "--answer-critical", &k->answer_c},
      {O_DW, "--duration-warning", &k->dur_w},
      {O_DC, "--duration-critical", &k->dur_c}};
  memcpy(out, t, sizeof(t));
}

static void free_options(options_t *o) {
  range_option_t r[N_RANGE_OPTIONS];
  range_options(&o->policy, r);
  for (int i = 0; i < N_RANGE_OPTIONS; i++)
    free(*r[i].slot);
  quo_config_free(&o->cfg);
}

/* A range option; a repeated one replaces the earlier range. Returns false
 * when opt is not one of them. */
static bool range_option(check_policy_t *k, int opt, const char *arg) {
  range_option_t r[N_RANGE_OPTIONS];
  range_options(k, r);
  for (int i = 0; i < N_RANGE_OPTIONS; i++) {
    if (r[i].opt == opt) {
      free(*r[i].slot);
      *r[i].slot = range_arg(r[i].name, arg);
      return true;
    }
  }
  return false;
}

/* The options that name a value of the check itself. Returns false when
 * opt is not one of them. */
static bool policy_option(check_policy_t *k, int opt, const char *arg) {
  char err[256];
  int st;
  if (range_option(k, opt, arg))
    return true;
  switch (opt) {
  case O_NF:
    st = check_state_parse(arg);
    if (st < 0)
      die_unknown("--not-found-state: \"%.40s\" is not ok, warning, critical "
                  "or unknown",
                  arg);
    k->not_found_state = st;
    return true;
  case O_SW:
  case O_SC:
    if (check_status_set_parse(
            arg, opt == O_SW ? &k->status_warning : &k->status_critical, err,
            sizeof(err)) != 0)
      die_unknown("%s: %s",
                  opt == O_SW ? "--status-warning" : "--status-critical", err);
    return true;
  default:
    return false;
  }
}

/* Every other option. Usage errors end the program as UNKNOWN; `given` is
 * the option as named (never its value, which may be a key). */
static void apply_option(options_t *o, int opt, const char *arg,
                         const char *given) {
  char err[256];
  if (policy_option(&o->policy, opt, arg))
    return;
  switch (opt) {
  case 'i':
    if (quo_config_add_call(&o->cfg, arg, NULL, err, sizeof(err)) != 0)
      die_unknown("-i: %s", err);
    break;
  case 'u':
    if (quo_config_set_base_url(&o->cfg, arg, err, sizeof(err)) != 0)
      die_unknown("-u: %s", err);
    break;
  case O_AV:
    if (quo_config_set_api_version(&o->cfg, arg, err, sizeof(err)) != 0)
      die_unknown("--api-version: %s", err);
    break;
  case 'k':
    o->key_file = arg;
    break;
  case O_CA:
    o->ca_file = arg;
    break;
  case 't':
    timeout_arg(&o->cfg, arg);
    break;
  case 'v':
    o->verbose = true;
    break;
  case 'V': /* the Monitoring Plugins' print_revision form */
    printf("check_quo v" QUO_VERSION " (quo-collectd " QUO_VERSION ")\n");
    free_options(o);
    exit(CHECK_UNKNOWN);
  case 'h':
    help();
    free_options(o);
    exit(CHECK_UNKNOWN);
  default:
    die_unknown("unknown option or missing argument: %.40s (see check_quo -h)",
                given);
  }
}

/* The option an argv element names, without any "=value": "--x=KEY" is
 * "--x"; a short option is "-c" (from optopt when getopt refused it). A
 * long name that could not be an option's ("--api-keyK3Y") is not shown:
 * a value glued to it may be the key. */
static void option_name(const char *elem, int optopt_char, char *buf,
                        size_t cap) {
  size_t n = strcspn(elem, "=");
  if (strncmp(elem, "--", 2) == 0 && n <= 26 &&
      strspn(elem + 2, "abcdefghijklmnopqrstuvwxyz-") == n - 2)
    snprintf(buf, cap, "%.*s", (int)n, elem);
  else if (strncmp(elem, "--", 2) == 0)
    snprintf(buf, cap, "%s", "an unknown long option");
  else if (optopt_char > 0 && optopt_char < 128 && isgraph(optopt_char))
    snprintf(buf, cap, "-%c", optopt_char);
  else
    snprintf(buf, cap, "%s", "an option");
}

/* Whether elem ("--name" or "--name=value") spells the long option name in
 * full. */
static bool names_option(const char *elem, const char *name) {
  size_t n = strlen(name);
  return strncmp(elem, "--", 2) == 0 && strncmp(elem + 2, name, n) == 0 &&
         (elem[2 + n] == '\0' || elem[2 + n] == '=');
}

static void parse_args(options_t *o, int argc, char **argv) {
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
      {"status-warning", required_argument, NULL, O_SW},
      {"status-critical", required_argument, NULL, O_SC},
      {"api-version", required_argument, NULL, O_AV},
      {"ca-cert", required_argument, NULL, O_CA},
      {"verbose", no_argument, NULL, 'v'},
      {"version", no_argument, NULL, 'V'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  memset(o, 0, sizeof(*o));
  quo_config_init(&o->cfg);
  o->policy.not_found_state = CHECK_WARNING;
  o->cfg.timeout_ms = QUO_DEFAULT_TIMEOUT_MS; /* -t replaces it */
  opterr = 0;
  for (;;) {
    /* "+": no reordering, so argv[at] is the element being read. */
    int at = optind, idx = -1;
    int opt = getopt_long(argc, argv, "+i:u:k:t:w:c:vVh", longopts, &idx);
    if (opt == -1)
      break;
    char given[48];
    option_name(argv[at], optopt, given, sizeof(given));
    /* getopt_long takes any unambiguous prefix: "--api-key KEY" would be
     * read as --api-key-file and the key printed as a file name. */
    if (idx >= 0 && !names_option(argv[at], longopts[idx].name))
      opt = '?';
    apply_option(o, opt, optarg, given);
  }
  if (optind < argc)
    /* Not echoed: a stray argument may be the key itself. */
    die_unknown("unexpected argument #%d: check_quo takes only options (see "
                "check_quo -h)",
                optind);
  if (o->cfg.ncalls == 0)
    die_unknown("no call ID: give -i ID (see check_quo -h)");
  o->timeout_s = o->cfg.timeout_ms / 1000.0;
}

/* The key and the CA file, read only now that the timer runs: a file that
 * cannot be read in time (a FIFO, a hung mount) ends as UNKNOWN. */
static void load_files(options_t *o) {
  char err[256];
  char *key;
  if (o->key_file != NULL) {
    key = quo_secret_read_file(o->key_file, err, sizeof(err));
    if (key == NULL)
      die_unknown("-k: %s", err);
  } else {
    const char *env = getenv("QUO_API_KEY");
    if (env == NULL || *env == '\0')
      die_unknown("no API key: give -k FILE or set QUO_API_KEY");
    key = strdup(env);
    if (key == NULL)
      die_unknown("out of memory");
  }
  if (quo_config_set_key(&o->cfg, key, err, sizeof(err)) != 0)
    die_unknown("%s", err);
  if (o->ca_file != NULL &&
      quo_config_set_ca_cert(&o->cfg, o->ca_file, err, sizeof(err)) != 0)
    die_unknown("--ca-cert: %s", err);
  if (quo_config_finish(&o->cfg, 0, err, sizeof(err)) != 0)
    die_unknown("%s", err);
}

static void on_response(const quo_response_t *r, void *arg) {
  run_t *run = arg;
  check_result_t *res = &run->results[r->index];
  quo_outcome_classify(r, res->id, &res->o);
  res->state =
      check_outcome_state(run->policy, &res->o, res->why, sizeof(res->why));
}

/* Fetches every call by the deadline; one result per call, in -i order. */
static check_result_t *run_checks(options_t *o, double deadline) {
  char err[256];
  const quo_config_t *cfg = &o->cfg;
  if (quo_http_global_init() != 0)
    die_unknown("cannot initialise libcurl");
  /* The pause after a 429 is capped at -t: nothing waits past it. */
  quo_http_t *http =
      quo_http_from_config(&o->cfg, o->timeout_s, err, sizeof(err));
  if (http == NULL)
    die_unknown("%s", err);
  const char **urls = calloc(cfg->ncalls, sizeof(*urls));
  check_result_t *results = calloc(cfg->ncalls, sizeof(*results));
  if (urls == NULL || results == NULL)
    die_unknown("out of memory");
  for (size_t i = 0; i < cfg->ncalls; i++) {
    urls[i] = cfg->calls[i].url;
    results[i].id = cfg->calls[i].id;
  }
  run_t run = {.policy = &o->policy, .results = results};
  fetching = 1;
  /* The fetcher keeps the deadline itself; the timer is only a net. */
  set_timer(deadline - quo_now() + 1);
  quo_http_run(http, urls, NULL, cfg->ncalls, deadline, on_response, &run);
  set_timer(0);
  quo_http_free(http);
  free(urls);
  return results;
}

/* The status line, then with -v one line per call and the notes. */
static int print_results(const options_t *o, const check_result_t *r) {
  size_t n = o->cfg.ncalls;
  char *line = check_status_line(r, n, &o->policy);
  if (line == NULL)
    die_unknown("out of memory");
  printf("%s\n", line);
  free(line);
  if (!o->verbose)
    return check_overall_state(r, n);
  char buf[700], shown[160];
  for (size_t i = 0; i < n; i++) {
    check_verbose_line(&r[i], buf, sizeof(buf));
    printf("%s\n", buf);
  }
  if (o->key_file != NULL && quo_secret_file_exposed(o->key_file))
    printf(
        "warning: API key file \"%s\" can be read by its group or "
        "others: chmod 600 it\n",
        quo_sanitize(shown, sizeof(shown), o->key_file, strlen(o->key_file)));
  if (quo_config_version_newer(&o->cfg))
    printf("note: API version %s is newer than the newest this release "
           "knows (" QUO_API_VERSION_NEWEST
           "): its calls are read by the same tolerant rules\n",
           o->cfg.api_version);
  return check_overall_state(r, n);
}

int main(int argc, char **argv) {
  options_t opts;
  parse_args(&opts, argc, argv);

  /* Armed before any file is opened, so everything ends within -t. */
  double deadline = quo_now() + opts.timeout_s;
  signal(SIGALRM, on_alarm);
  set_timer(opts.timeout_s);
  load_files(&opts);

  check_result_t *results = run_checks(&opts, deadline);
  int state = print_results(&opts, results);

  free(results);
  free_options(&opts);
  return state;
}
