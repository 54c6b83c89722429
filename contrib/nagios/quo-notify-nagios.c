/* quo-notify-nagios: a NotificationExec program for collectd's exec plugin
 * that hands quo's notifications to Nagios (or Icinga 1, Naemon) as passive
 * service check results through the external command pipe.
 *
 * collectd 5.12's notify_nagios seeks to the end of its CommandFile before
 * writing, which fails on the FIFO Nagios reads ("Illegal seek"): nothing
 * arrives. This program opens the FIFO for writing without blocking, writes
 * one line in one write() (atomic below PIPE_BUF, so concurrent
 * notifications never interleave) and exits. collectd forks it once per
 * notification and waits for it in a thread of its own, so it must never
 * hang: with no Nagios reading the pipe, open() fails at once (ENXIO) and
 * the notification is dropped with a message on stderr. */
#define _GNU_SOURCE
#include "notify_nagios.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef QUO_VERSION
#define QUO_VERSION "unknown"
#endif

#define PROG "quo-notify-nagios"
/* Enough for every header collectd writes plus a long message; the rest of
 * a longer notification is read and dropped. */
#define INPUT_MAX 16384

static void usage(FILE *f) {
  fprintf(f,
          "Usage: " PROG " [-H HOST] [-a] COMMAND_FILE\n"
          "Reads one collectd notification on stdin (collectd's exec plugin,\n"
          "NotificationExec) and writes it to the Nagios command pipe\n"
          "COMMAND_FILE as PROCESS_SERVICE_CHECK_RESULT for the service\n"
          "<plugin>-<plugin_instance>/<type>-<type_instance>, e.g.\n"
          "quo-api/bool-healthy: FAILURE 2, WARNING 1, OKAY 0.\n"
          "  -H, --host HOST   Nagios host name (default: the notification's "
          "Host)\n"
          "  -a, --all         forward every plugin's notifications, not only "
          "quo's\n"
          "  -h, --help        this help\n"
          "  -V, --version     the version\n");
}

/* Reads stdin to its end; keeps the first INPUT_MAX bytes. */
static ssize_t read_all(char *buf, size_t size) {
  size_t len = 0;
  char sink[4096];
  for (;;) {
    char *dst = len < size ? buf + len : sink;
    size_t room = len < size ? size - len : sizeof(sink);
    ssize_t r = read(STDIN_FILENO, dst, room);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    if (r == 0)
      return (ssize_t)(len < size ? len : size);
    len += (size_t)r;
  }
}

typedef struct {
  const char *host; /* NULL: the notification's own */
  bool all;         /* every plugin's notifications, not only quo's */
  const char *path; /* the Nagios command file */
} options_t;

/* The options; returns -1 to go on, else the exit code (-h, -V, a usage
 * error). */
static int parse_args(options_t *o, int argc, char **argv) {
  static const struct option opts[] = {{"host", required_argument, NULL, 'H'},
                                       {"all", no_argument, NULL, 'a'},
                                       {"help", no_argument, NULL, 'h'},
                                       {"version", no_argument, NULL, 'V'},
                                       {NULL, 0, NULL, 0}};
  *o = (options_t){0};
  for (;;) {
    int c = getopt_long(argc, argv, "H:ahV", opts, NULL);
    if (c == -1)
      break;
    switch (c) {
    case 'H':
      o->host = optarg;
      break;
    case 'a':
      o->all = true;
      break;
    case 'h':
      usage(stdout);
      return 0;
    case 'V':
      printf(PROG " " QUO_VERSION "\n");
      return 0;
    default:
      usage(stderr);
      return 2;
    }
  }
  if (optind != argc - 1) {
    fprintf(stderr, PROG ": expected one argument, the Nagios command file\n");
    usage(stderr);
    return 2;
  }
  o->path = argv[optind];
  if (o->host != NULL && !qnn_name_ok(o->host)) {
    fprintf(stderr, PROG ": -H: a host name cannot be empty or hold ';' or "
                         "control characters\n");
    return 2;
  }
  return -1;
}

/* The notification on stdin: 0, or 1 with a message on stderr. */
static int read_notification(qnn_notification_t *n) {
  static char input[INPUT_MAX];
  ssize_t len = read_all(input, sizeof(input));
  if (len < 0) {
    fprintf(stderr, PROG ": reading the notification on stdin: %s\n",
            strerror(errno));
    return 1;
  }
  char err[160];
  if (qnn_parse(input, (size_t)len, n, err, sizeof(err)) != 0) {
    fprintf(stderr, PROG ": not a collectd notification on stdin: %s\n", err);
    return 1;
  }
  return 0;
}

/* One write() of the whole line into the pipe: 0, or 1 with a message on
 * stderr (the notification for host is dropped). */
static int write_line(const char *path, const char *line, size_t llen,
                      const char *host) {
  /* O_NONBLOCK: no reader means ENXIO now, not a wait for Nagios. O_APPEND
   * keeps a regular file (a test, a log) from being overwritten. */
  int fd = open(path, O_WRONLY | O_NONBLOCK | O_APPEND | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    if (e == ENXIO)
      fprintf(stderr,
              PROG ": %s: no process reads this pipe (is Nagios running?); "
                   "notification for %s dropped\n",
              path, host);
    else
      fprintf(stderr, PROG ": %s: %s; notification dropped\n", path,
              strerror(e));
    return 1;
  }
  ssize_t w;
  do {
    w = write(fd, line, llen);
  } while (w < 0 && errno == EINTR);
  int e = errno;
  close(fd);
  if (w == (ssize_t)llen)
    return 0;
  if (w < 0 && e == EAGAIN)
    fprintf(stderr,
            PROG ": %s: the pipe is full (Nagios not reading); "
                 "notification dropped\n",
            path);
  else
    fprintf(stderr, PROG ": %s: write failed: %s\n", path,
            w < 0 ? strerror(e) : "short write");
  return 1;
}

int main(int argc, char **argv) {
  options_t o;
  int rc = parse_args(&o, argc, argv);
  if (rc >= 0)
    return rc;
  qnn_notification_t n;
  if (read_notification(&n) != 0)
    return 1;
  if (!o.all && strcmp(n.plugin, "quo") != 0)
    return 0;
  char line[PIPE_BUF], err[160];
  int llen = qnn_format(&n, o.host, (long long)time(NULL), line, sizeof(line),
                        err, sizeof(err));
  if (llen < 0) {
    fprintf(stderr, PROG ": %s\n", err);
    return 1;
  }
  return write_line(o.path, line, (size_t)llen, n.host);
}
