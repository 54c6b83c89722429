/* steady: measures a running daemon's CPU over a window of whole intervals,
 * once a warm-up seen in nginx's access log is over. Used by
 * tests/bench/bench.sh for the steady-state and mix figures, so that they do
 * not depend on which thread of the daemon does the fetching: only the
 * process's total CPU (/proc/PID/stat utime+stime, all threads, live and
 * exited) and the requests the server answered count.
 *
 *   steady -p PID -l ACCESS_LOG -i INTERVAL_S -k INTERVALS [-d DISTINCT]
 *          [-c MINCOUNT] [-w WARM_REQUESTS] [-g SERVER_PID] [-q QUIET_MS]
 *          [-t TIMEOUT_S] [-P PORT] [-Q QUIET_WAIT_S]
 *
 * The access log has lines "$server_port $connection $status $request_uri"
 * (nginx.conf.in) and is empty when steady starts; with -P only the lines of
 * that port count (two daemons, one port each). The window opens at the first
 * moment when at least WARM_REQUESTS were answered, at least DISTINCT URIs were
 * seen, each of them at least MINCOUNT times, and no request came for QUIET_MS
 * (a gap between two cycles). It closes INTERVALS * INTERVAL_S seconds later: a
 * window of whole intervals holds each periodic phase of the daemon (fetch,
 * dispatch, the writer's flush) the same number of times whatever its offset
 * in the cycle. Prints one line:
 *   requests cpu_ticks cpu_ns server_ticks wall_s new_conns non200 rss_kib
 *   warm_s distinct max_burst_s hz quiet_found
 * cpu_ns sums the schedstat of each thread in /proc/PID/task (threads alive at
 * both ends) for a finer look than the 1/HZ ticks; max_burst_s is the longest
 * run of requests without a QUIET_MS gap inside the window (a cycle's length:
 * it must stay well under the interval). Exit 3 when the warm-up does not
 * finish within TIMEOUT_S (the line then says "timeout" and what was seen), 4
 * when the process died. After the window (with -k 0: right after the
 * warm-up) steady returns in the next idle gap (waiting at most QUIET_WAIT_S,
 * default two intervals), so that the caller may SIGSTOP the daemon between
 * two cycles. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* utime+stime of a whole process in clock ticks, or -1. */
static long long proc_ticks(pid_t pid) {
  char path[64], buf[4096];
  snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return -1;
  ssize_t n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if (n <= 0)
    return -1;
  buf[n] = '\0';
  /* comm may hold blanks and parentheses: fields count from the last ')'. */
  char *p = strrchr(buf, ')');
  if (p == NULL)
    return -1;
  p += 2; /* field 3, state */
  long long utime = 0, stime = 0;
  for (int field = 3; field <= 15 && *p != '\0'; field++) {
    if (field == 14)
      utime = strtoll(p, NULL, 10);
    else if (field == 15)
      stime = strtoll(p, NULL, 10);
    char *sp = strchr(p, ' ');
    if (sp == NULL)
      break;
    p = sp + 1;
  }
  return utime + stime;
}

/* Sum of the run time in ns of the process's current threads. */
static long long proc_ns(pid_t pid) {
  char path[64];
  snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
  DIR *d = opendir(path);
  if (d == NULL)
    return -1;
  long long sum = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char sp[400];
    snprintf(sp, sizeof(sp), "%s/%s/schedstat", path, e->d_name);
    FILE *f = fopen(sp, "r");
    if (f == NULL)
      continue;
    long long ns = 0;
    if (fscanf(f, "%lld", &ns) == 1)
      sum += ns;
    fclose(f);
  }
  closedir(d);
  return sum;
}

static long rss_kib(pid_t pid) {
  char path[64], line[256];
  snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return -1;
  long kib = -1;
  while (fgets(line, sizeof(line), f) != NULL)
    if (strncmp(line, "VmRSS:", 6) == 0)
      kib = strtol(line + 6, NULL, 10);
  fclose(f);
  return kib;
}

/* Open-addressing set of strings with a count each (URIs), and of integers
 * (connection serials). Tables only grow; the process is short-lived. */
typedef struct {
  char **keys;
  unsigned *counts;
  size_t cap, len;
} strmap_t;

static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s != '\0'; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

static void die_oom(void) {
  fputs("steady: out of memory\n", stderr);
  exit(2);
}

static unsigned *strmap_slot(strmap_t *m, const char *key, int *fresh);

static void strmap_grow(strmap_t *m) {
  strmap_t n = {calloc(m->cap * 2, sizeof(char *)),
                calloc(m->cap * 2, sizeof(unsigned)), m->cap * 2, 0};
  if (n.keys == NULL || n.counts == NULL)
    die_oom();
  for (size_t i = 0; i < m->cap; i++) {
    if (m->keys[i] == NULL)
      continue;
    size_t j = hash_str(m->keys[i]) & (n.cap - 1);
    while (n.keys[j] != NULL)
      j = (j + 1) & (n.cap - 1);
    n.keys[j] = m->keys[i];
    n.counts[j] = m->counts[i];
    n.len++;
  }
  free(m->keys);
  free(m->counts);
  *m = n;
}

static unsigned *strmap_slot(strmap_t *m, const char *key, int *fresh) {
  if ((m->len + 1) * 2 > m->cap)
    strmap_grow(m);
  size_t j = hash_str(key) & (m->cap - 1);
  while (m->keys[j] != NULL) {
    if (strcmp(m->keys[j], key) == 0) {
      *fresh = 0;
      return &m->counts[j];
    }
    j = (j + 1) & (m->cap - 1);
  }
  m->keys[j] = strdup(key);
  if (m->keys[j] == NULL)
    die_oom();
  m->len++;
  *fresh = 1;
  return &m->counts[j];
}

typedef struct {
  unsigned long long *v;
  size_t cap, len;
} intset_t;

/* Adds x (non-zero); returns 1 when it was new. */
static int intset_add(intset_t *s, unsigned long long x) {
  if ((s->len + 1) * 2 > s->cap) {
    intset_t n = {calloc(s->cap * 2, sizeof(*n.v)), s->cap * 2, 0};
    if (n.v == NULL)
      die_oom();
    for (size_t i = 0; i < s->cap; i++)
      if (s->v[i] != 0)
        intset_add(&n, s->v[i]);
    free(s->v);
    *s = n;
  }
  size_t j = (size_t)(x * 11400714819323198485ULL) & (s->cap - 1);
  while (s->v[j] != 0) {
    if (s->v[j] == x)
      return 0;
    j = (j + 1) & (s->cap - 1);
  }
  s->v[j] = x;
  s->len++;
  return 1;
}

/* What the log has shown so far. */
typedef struct {
  long port; /* only lines of this server port count; 0: all */
  strmap_t uris;
  unsigned mincount;
  size_t under;                /* URIs seen fewer than mincount times */
  unsigned long long requests; /* lines */
  unsigned long long non200;
  unsigned long long max_conn;     /* largest serial before the window */
  unsigned long long window_floor; /* serials above it are new */
  unsigned long long new_conns;    /* in the window */
  intset_t conns;                  /* serials above window_floor */
  int in_window;
  double quiet, last_line, burst_start, max_burst;
  char partial[4096];
  size_t plen;
} seen_t;

/* One line "$server_port $connection $status $request_uri", read at t. */
static void take_line(seen_t *s, char *line, double t) {
  char *end = NULL;
  long port = strtol(line, &end, 10);
  if (end == line || *end != ' ' || (s->port != 0 && port != s->port))
    return;
  char *p = end + 1;
  unsigned long long conn = strtoull(p, &end, 10);
  if (end == p || *end != ' ')
    return;
  int status = (int)strtol(end + 1, &end, 10);
  if (*end != ' ')
    return;
  char *uri = end + 1;
  /* A request after a gap of `quiet` starts a new burst (a cycle). */
  if (t - s->last_line >= s->quiet) {
    if (s->in_window && s->burst_start > 0 &&
        s->last_line - s->burst_start > s->max_burst)
      s->max_burst = s->last_line - s->burst_start;
    s->burst_start = t;
  }
  s->last_line = t;
  s->requests++;
  if (status != 200)
    s->non200++;
  int fresh = 0;
  unsigned *c = strmap_slot(&s->uris, uri, &fresh);
  (*c)++;
  if (s->mincount > 0 && fresh)
    s->under++;
  if (s->mincount > 0 && *c == s->mincount)
    s->under--;
  if (!s->in_window) {
    if (conn > s->max_conn)
      s->max_conn = conn;
  } else if (conn > s->window_floor && intset_add(&s->conns, conn)) {
    s->new_conns++;
  }
}

/* Reads what nginx appended since the last call. */
static void poll_log(int fd, seen_t *s) {
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    double t = now();
    for (ssize_t i = 0; i < n; i++) {
      if (buf[i] == '\n') {
        s->partial[s->plen] = '\0';
        take_line(s, s->partial, t);
        s->plen = 0;
      } else if (s->plen + 1 < sizeof(s->partial)) {
        s->partial[s->plen++] = buf[i];
      }
    }
  }
}

static void nap(double s) {
  struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

/* A numeric option: its letter and where its value goes, a real number
 * (real) or a whole one (whole). */
typedef struct {
  char letter;
  double *real;
  long long *whole;
} option_t;

/* Reads the option letter's value into its place in options[0..n); -1 when
 * no option has that letter. */
static int set_option(const option_t *options, size_t n, int letter,
                      const char *value) {
  for (size_t i = 0; i < n; i++) {
    if (options[i].letter != letter)
      continue;
    if (options[i].real != NULL)
      *options[i].real = atof(value);
    else
      *options[i].whole = atoll(value);
    return 0;
  }
  return -1;
}

int main(int argc, char **argv) {
  const char *logpath = NULL;
  double interval = 0, quiet_ms = 150, timeout = 120, quiet_wait = -1;
  long long pid = 0, server = 0, port = 0, k = -1, distinct = 0, warm = 0;
  long long mincount = 0;
  const option_t options[] = {
      {'p', NULL, &pid},  {'g', NULL, &server},     {'i', &interval, NULL},
      {'k', NULL, &k},    {'d', NULL, &distinct},   {'c', NULL, &mincount},
      {'w', NULL, &warm}, {'q', &quiet_ms, NULL},   {'t', &timeout, NULL},
      {'P', NULL, &port}, {'Q', &quiet_wait, NULL},
  };
  const size_t noptions = sizeof(options) / sizeof(options[0]);
  /* "l:" for the log, then each numeric option's letter and ':'. */
  char optstring[2 * sizeof(options) / sizeof(options[0]) + 3] = "l:";
  for (size_t i = 0; i < noptions; i++) {
    optstring[2 + 2 * i] = options[i].letter;
    optstring[3 + 2 * i] = ':';
  }
  int bad = 0;
  for (;;) {
    int opt = getopt(argc, argv, optstring);
    if (opt == -1)
      break;
    if (opt == 'l')
      logpath = optarg;
    else if (set_option(options, noptions, opt, optarg) != 0)
      bad = 1;
  }
  if (bad || pid <= 0 || logpath == NULL || interval <= 0 || k < 0 ||
      server < 0 || port < 0 || distinct < 0 || warm < 0 || mincount < 0) {
    fputs("usage: steady -p PID -l LOG -i INTERVAL_S -k INTERVALS [-d N] "
          "[-c MINCOUNT] [-w WARM] [-g SERVER_PID] [-q QUIET_MS] "
          "[-t TIMEOUT_S] [-P PORT] [-Q QUIET_WAIT_S]\n",
          stderr);
    return 2;
  }
  int fd = open(logpath, O_RDONLY);
  if (fd < 0) {
    perror(logpath);
    return 2;
  }
  seen_t s;
  memset(&s, 0, sizeof(s));
  s.port = port;
  s.mincount = (unsigned)mincount;
  s.uris.cap = 1024;
  s.uris.keys = calloc(s.uris.cap, sizeof(char *));
  s.uris.counts = calloc(s.uris.cap, sizeof(unsigned));
  s.conns.cap = 1024;
  s.conns.v = calloc(s.conns.cap, sizeof(*s.conns.v));
  if (s.uris.keys == NULL || s.uris.counts == NULL || s.conns.v == NULL)
    die_oom();
  s.quiet = quiet_ms / 1000;
  if (quiet_wait < 0)
    quiet_wait = 2 * interval;
  double t_start = now(), t_ready = 0;
  s.last_line = t_start;

  /* Warm-up: poll every 5 ms so that the gap is seen as soon as it opens.
   * A daemon whose cycles overlap (curl_json after a slow first cycle: its
   * callbacks keep the phases they started with) may never pause; after
   * QUIET_WAIT_S with the counts met, the window opens anyway: it spans
   * whole intervals, so each callback still runs the same number of times. */
  int found_quiet = 1;
  for (;;) {
    poll_log(fd, &s);
    double t = now();
    if (s.requests >= (unsigned long long)warm &&
        s.uris.len >= (size_t)distinct && s.under == 0 && s.requests > 0) {
      if (t_ready == 0)
        t_ready = t;
      if (t - s.last_line >= s.quiet)
        break;
      if (t - t_ready >= quiet_wait) {
        found_quiet = 0;
        break;
      }
    }
    if (kill(pid, 0) != 0) {
      printf("died after %llu requests\n", s.requests);
      return 4;
    }
    if (t - t_start > timeout) {
      printf("timeout after %.0f s: %llu requests, %zu distinct, %zu seen "
             "fewer than %u times\n",
             timeout, s.requests, s.uris.len, s.under, s.mincount);
      return 3;
    }
    nap(0.005);
  }
  double t0 = now();
  long long c0 = proc_ticks(pid), n0 = proc_ns(pid);
  long long g0 = server > 0 ? proc_ticks(server) : 0;
  unsigned long long r0 = s.requests, bad0 = s.non200;
  s.in_window = 1;
  s.window_floor = s.max_conn;
  s.burst_start = 0;
  double t_end = t0 + (double)k * interval;
  while (now() < t_end) {
    poll_log(fd, &s);
    if (kill(pid, 0) != 0) {
      printf("died in the window\n");
      return 4;
    }
    double left = t_end - now();
    nap(left > 0.005 ? 0.005 : (left > 0 ? left : 0));
  }
  long long c1 = proc_ticks(pid), n1 = proc_ns(pid);
  long long g1 = server > 0 ? proc_ticks(server) : 0;
  double t1 = now();
  long rss = rss_kib(pid);
  /* Return in an idle gap (up to QUIET_WAIT_S), so that a caller that
   * stops the daemon (SIGSTOP) does not catch a cycle half-way. */
  for (;;) {
    poll_log(fd, &s);
    double t = now();
    if (t - s.last_line >= s.quiet || t - t1 >= quiet_wait)
      break;
    nap(0.005);
  }
  if (s.burst_start > 0 && s.last_line - s.burst_start > s.max_burst)
    s.max_burst = s.last_line - s.burst_start;
  printf("%llu %lld %lld %lld %.3f %llu %llu %ld %.2f %zu %.3f %ld %d\n",
         s.requests - r0, c1 - c0, n1 - n0, g1 - g0, t1 - t0, s.new_conns,
         s.non200 - bad0, rss, t0 - t_start, s.uris.len, s.max_burst,
         sysconf(_SC_CLK_TCK), found_quiet);
  return 0;
}
