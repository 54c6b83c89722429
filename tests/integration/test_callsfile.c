/* CallsFile in a real collectd (Interval 1) against the stand-in: calls
 * added, removed, replaced by rename, truncated away, a garbage line, a file
 * that appears late, an oversized file, an ID in a block and the file, a
 * configuration with no <Call>. Each case asserts what is dispatched, what
 * no longer is (csv rows that stop growing, requests the stand-in stops
 * seeing), the log lines, and that collectd stayed up. */
#define _GNU_SOURCE
#include "harness.h"
#include "suites.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A change is seen at the poller's next look (at most one interval later),
 * an added call fetched at once and dispatched at the next read (one more
 * interval); SLACK absorbs a loaded machine's scheduling. */
#define INTERVAL 1.0
#define SLACK 2.0
#define ADD_WITHIN (2 * INTERVAL + SLACK)
#define REMOVE_WITHIN (INTERVAL + SLACK)

/* What a failed assertion leaves running: check's forked test exits at
 * once, without the test's own cleanup. */
static env_t *running_env;
static pid_t running_collectd;

static void kill_leftovers(void) {
  if (running_collectd > 0) {
    kill(running_collectd, SIGKILL);
    waitpid(running_collectd, NULL, 0);
  }
  if (running_env != NULL && running_env->standin > 0) {
    kill(running_env->standin, SIGKILL);
    waitpid(running_env->standin, NULL, 0);
  }
}

static void nap_until(double t) {
  double left = t - mono_now();
  if (left > 0)
    nap(left);
}

static const char *calls_path(env_t *e) {
  static char path[400];
  snprintf(path, sizeof(path), "%s/calls", e->dir);
  return path;
}

static void write_all(const char *path, const char *content, size_t n) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ck_assert_msg(fd >= 0, "cannot write %s: %s", path, strerror(errno));
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(fd, content + done, n - done);
    ck_assert_msg(w > 0, "cannot write %s: %s", path, strerror(errno));
    done += (size_t)w;
  }
  ck_assert_int_eq(close(fd), 0);
}

/* How a feeder is to replace the file: a temporary file, then rename. */
static void calls_replace_n(env_t *e, const char *content, size_t n) {
  char tmp[420];
  snprintf(tmp, sizeof(tmp), "%s/calls.tmp", e->dir);
  write_all(tmp, content, n);
  ck_assert_int_eq(rename(tmp, calls_path(e)), 0);
}

static void calls_replace(env_t *e, const char *content) {
  calls_replace_n(e, content, strlen(content));
}

/* The <Plugin quo> body: the stand-in, the key, the calls file, and any
 * <Call> lines. */
static char *body_with(env_t *e, const char *calls) {
  char *b = NULL;
  ck_assert_int_gt(asprintf(&b,
                            "  BaseURL \"http://127.0.0.1:%d\"\n"
                            "  APIKeyFile \"%s\"\n"
                            "  CallsFile \"%s\"\n%s\n",
                            e->port, e->key_file, calls_path(e),
                            calls ? calls : ""),
                   0);
  return b;
}

static pid_t start(env_t *e, const char *name, const char *calls) {
  char *body = body_with(e, calls);
  const char *conf = collectd_conf(e, name, INTERVAL, body, NULL);
  free(body);
  static bool registered;
  if (!registered)
    registered = atexit(kill_leftovers) == 0;
  running_env = e;
  running_collectd = collectd_start(e, conf);
  return running_collectd;
}

static void stop(env_t *e, pid_t pid) {
  collectd_stop(pid);
  running_collectd = 0;
  env_teardown(e);
  running_env = NULL;
}

static void assert_alive(pid_t pid) {
  int st;
  ck_assert_msg(waitpid(pid, &st, WNOHANG) == 0, "collectd exited");
}

/* Waits until ident has at least rows rows; fails naming it. */
static void want_rows(env_t *e, pid_t pid, const char *ident, int rows,
                      double timeout_s) {
  int got = collectd_wait(e, pid, ident, rows, timeout_s);
  ck_assert_msg(got >= rows, "%s: %d rows after %.1f s, want %d", ident, got,
                timeout_s, rows);
}

/* Waits for n more reads (rows of the plugin-wide health). */
static void more_reads(env_t *e, pid_t pid, int n) {
  int now = csv_rows(e, "quo-api/bool-healthy");
  want_rows(e, pid, "quo-api/bool-healthy", now + n, n * INTERVAL + 5);
}

/* Waits until the log holds needle at least n times; returns how long it
 * took. */
static double want_log(env_t *e, pid_t pid, const char *needle, int n,
                       double timeout_s) {
  double began = mono_now();
  while (count_in_file(collectd_log(e), needle) < n &&
         mono_now() - began < timeout_s) {
    assert_alive(pid);
    nap(0.02);
  }
  ck_assert_msg(count_in_file(collectd_log(e), needle) >= n,
                "not in the log %d times after %.1f s: %s", n, timeout_s,
                needle);
  return mono_now() - began;
}

/* Waits for ident's first row, failing past limit seconds after since;
 * returns how long it took from since. */
static double first_row_within(env_t *e, pid_t pid, const char *ident,
                               double since, double limit) {
  while (csv_rows(e, ident) == 0 && mono_now() - since < limit + 5) {
    assert_alive(pid);
    nap(0.02);
  }
  double took = mono_now() - since;
  ck_assert_msg(csv_rows(e, ident) > 0, "%s never dispatched", ident);
  ck_assert_msg(took <= limit, "%s dispatched %.2f s after the change, past %g",
                ident, took, limit);
  return took;
}

/* The removed calls' rows and requests, sampled REMOVE_WITHIN after the
 * change, must not grow over two more reads. */
typedef struct {
  const char *ident; /* a csv identifier of the call */
  const char *id;    /* its call ID at the stand-in */
  int rows;
  long requests;
} gone_t;

static void assert_gone(env_t *e, pid_t pid, gone_t *g, size_t n,
                        double changed) {
  nap_until(changed + REMOVE_WITHIN);
  for (size_t i = 0; i < n; i++) {
    g[i].rows = csv_rows(e, g[i].ident);
    g[i].requests = standin_stat(e, g[i].id);
  }
  more_reads(e, pid, 2);
  for (size_t i = 0; i < n; i++) {
    ck_assert_msg(csv_rows(e, g[i].ident) == g[i].rows,
                  "%s still dispatched: %d rows, then %d", g[i].ident,
                  g[i].rows, csv_rows(e, g[i].ident));
    ck_assert_msg(standin_stat(e, g[i].id) == g[i].requests,
                  "%s still fetched: %ld requests, then %ld", g[i].id,
                  g[i].requests, standin_stat(e, g[i].id));
  }
}

static bool exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

/* 1. A call added by rename-replace is fetched and dispatched within two
 * intervals; the calls kept keep their state: a finished call is not
 * fetched again, a status change is not notified again. */
static void add_by_rename_keeps_state(env_t *e, pid_t pid) {
  want_rows(e, pid, "quo-ring/bool-status-ringing", 1, 10);
  /* The ringing call finishes: one notification. */
  env_call_fixture(e, "ACring2", "completed", true);
  want_log(e, pid, "Quo call ACring2 (ring) is now completed (was ringing)", 1,
           5);
  long ring_fetched = standin_stat(e, "ACring2");
  int keep_rows = csv_rows(e, "quo-keep/duration");
  ck_assert_int_eq(standin_stat(e, "ACkeep1"), 1);

  calls_replace(e, "ACkeep1 keep\nACring2 ring\nACnew3 fresh\n");
  double changed = mono_now();
  double took =
      first_row_within(e, pid, "quo-fresh/duration", changed, ADD_WITHIN);
  fprintf(stderr, "callsfile add: new call dispatched %.2f s after rename\n",
          took);
  /* Same read, but collectd's write threads may write it a moment later. */
  want_rows(e, pid, "quo-fresh/bool-status-completed", 1, 2);
  ck_assert_double_eq(csv_last(e, "quo-fresh/duration"), 60);
  ck_assert_double_eq(csv_last(e, "quo-fresh/bool-status-completed"), 1);
  ck_assert_int_eq(standin_stat(e, "ACnew3"), 1);
  assert_logged(
      e, "quo plugin: CallsFile re-read: 3 calls watched (1 added, 0 removed)",
      1);
  more_reads(e, pid, 2);
  assert_alive(pid);
  /* Kept: not fetched again, still dispatched from memory. */
  ck_assert_int_eq(standin_stat(e, "ACkeep1"), 1);
  ck_assert_int_eq(standin_stat(e, "ACring2"), ring_fetched);
  ck_assert_int_gt(csv_rows(e, "quo-keep/duration"), keep_rows);
  ck_assert_double_eq(csv_last(e, "quo-ring/bool-status-completed"), 1);
  ck_assert_double_eq(csv_last(e, "quo-calls/count-completed"), 3);
  /* No second notification: a re-read is not a first sight either. */
  assert_logged(e, "is now completed", 1);
  assert_logged(e, "Notification:", 1);
}

/* 2. Calls dropped from the file stop being fetched and dispatched within
 * one interval; the plugin-wide counts and health follow the list. */
static void remove_stops_dispatch_and_frees_health(env_t *e, pid_t pid) {
  want_rows(e, pid, "quo-done/duration", 1, 10);
  ck_assert_double_eq(csv_last(e, "quo-api/bool-healthy"), 0);
  ck_assert_double_eq(csv_last(e, "quo-calls/count-in-progress"), 1);
  ck_assert_double_eq(csv_last(e, "quo-calls/count-completed"), 1);
  ck_assert_int_ge(standin_stat(e, "ACforbidden0001"), 1);
  int done_rows = csv_rows(e, "quo-done/duration");

  calls_replace(e, "ACdone1 done\n");
  double changed = mono_now();
  double took = want_log(e, pid,
                         "quo plugin: CallsFile re-read: 1 calls watched (0 "
                         "added, 2 removed)",
                         1, REMOVE_WITHIN);
  fprintf(stderr, "callsfile remove: re-read logged %.2f s after rename\n",
          took);
  gone_t g[] = {{"quo-live/duration", "AClive1", 0, 0},
                {"quo-bad/duration", "ACforbidden0001", 0, 0}};
  assert_gone(e, pid, g, 2, changed);
  assert_alive(pid);
  /* The kept call goes on; the counts and the health are the list's. */
  ck_assert_int_gt(csv_rows(e, "quo-done/duration"), done_rows);
  ck_assert_double_eq(csv_last(e, "quo-calls/count-in-progress"), 0);
  ck_assert_double_eq(csv_last(e, "quo-calls/count-completed"), 1);
  ck_assert_double_eq(csv_last(e, "quo-api/bool-healthy"), 1);
  assert_logged(e, "Quo API answers again", 1);
}

/* 3. A rename-replace by a file of the same size and the very same mtime
 * (to the nanosecond): only the inode (and ctime) tell it apart. */
static void rename_same_size_same_mtime_seen(env_t *e, pid_t pid) {
  more_reads(e, pid, 1);

  struct stat old;
  ck_assert_int_eq(stat(calls_path(e), &old), 0);
  char tmp[420];
  snprintf(tmp, sizeof(tmp), "%s/calls.tmp", e->dir);
  write_all(tmp, "ACrenB1\n", 8);
  struct timespec times[2] = {old.st_atim, old.st_mtim};
  ck_assert_int_eq(utimensat(AT_FDCWD, tmp, times, 0), 0);
  struct stat fresh;
  ck_assert_int_eq(stat(tmp, &fresh), 0);
  ck_assert_int_eq(fresh.st_size, old.st_size);
  ck_assert_int_eq(fresh.st_mtim.tv_sec, old.st_mtim.tv_sec);
  ck_assert_int_eq(fresh.st_mtim.tv_nsec, old.st_mtim.tv_nsec);
  ck_assert_int_ne(fresh.st_ino, old.st_ino);
  ck_assert_int_eq(rename(tmp, calls_path(e)), 0);
  double changed = mono_now();

  double took =
      first_row_within(e, pid, "quo-ACrenB1/duration", changed, ADD_WITHIN);
  fprintf(stderr, "callsfile rename: new call dispatched %.2f s after\n", took);
  assert_logged(
      e, "quo plugin: CallsFile re-read: 1 calls watched (1 added, 1 removed)",
      1);
  gone_t g[] = {{"quo-ACrenA1/duration", "ACrenA1", 0, 0}};
  assert_gone(e, pid, g, 1, changed);
  ck_assert_int_eq(standin_stat(e, "ACrenA1"), 1);
  ck_assert_int_eq(standin_stat(e, "ACrenB1"), 1);
}

/* 4. Truncated in place to nothing: no call dispatched any more, the
 * plugin-wide metrics still are; the failing call's leaving is the API's
 * recovery, notified OKAY with no call left to answer. */
static void truncate_to_empty(env_t *e, pid_t pid) {
  static const char failing[] = "severity = FAILURE, host = test, plugin = "
                                "quo, plugin_instance = api",
                    okay[] = "severity = OKAY, host = test, plugin = quo, "
                             "plugin_instance = api";
  want_rows(e, pid, "quo-ACtr2/duration", 1, 10);
  want_log(e, pid, failing, 1, 5);
  ck_assert_int_eq(truncate(calls_path(e), 0), 0);
  double changed = mono_now();
  want_log(e, pid,
           "quo plugin: CallsFile re-read: 0 calls watched (0 added, 3 "
           "removed)",
           1, REMOVE_WITHIN);
  want_log(e, pid, okay, 1, REMOVE_WITHIN + INTERVAL);
  assert_logged(e, "the failing calls left the list", 1);
  gone_t g[] = {{"quo-ACtr1/duration", "ACtr1", 0, 0},
                {"quo-ACtr2/duration", "ACtr2", 0, 0}};
  int health_rows = csv_rows(e, "quo-api/bool-healthy");
  assert_gone(e, pid, g, 2, changed);
  ck_assert_int_ge(csv_rows(e, "quo-api/bool-healthy"), health_rows + 2);
  ck_assert_double_eq(csv_last(e, "quo-api/bool-healthy"), 1);
  ck_assert_double_eq(csv_last(e, "quo-calls/count-completed"), 0);
  ck_assert_double_eq(csv_last(e, "quo-calls/count-in-progress"), 0);
  ck_assert_ptr_nonnull(csv_path(e, "quo-api/http_requests-200"));
  /* One of each: the empty list is not notified again every read. */
  assert_logged(e, failing, 1);
  assert_logged(e, okay, 1);
}

/* 4b. During an outage the list is rewritten to calls not answered yet:
 * no recovery is notified for them (they may fail too, and here they do);
 * once nothing is listed, the recovery is. */
static void rewrite_during_outage_is_no_recovery(env_t *e, pid_t pid) {
  static const char failing[] = "severity = FAILURE, host = test, plugin = "
                                "quo, plugin_instance = api",
                    okay[] = "severity = OKAY, host = test, plugin = quo, "
                             "plugin_instance = api";
  want_log(e, pid, failing, 1, 5);
  /* The new call answers past the Timeout: a failure, but only later. */
  env_fixture(e, "ACslow0009.fault", "delay 3000\n");
  env_fixture(e, "ACslow0009.json", "{}");
  calls_replace(e, "ACslow0009\n");
  want_log(e, pid,
           "quo plugin: CallsFile re-read: 1 calls watched (1 added, 1 "
           "removed)",
           1, REMOVE_WITHIN);
  more_reads(e, pid, 3);
  assert_logged(e, okay, 0);
  assert_logged(e, failing, 1);
  ck_assert_double_eq(csv_last(e, "quo-api/bool-healthy"), 0);
  ck_assert_int_ge(standin_stat(e, "ACslow0009"), 1);

  ck_assert_int_eq(truncate(calls_path(e), 0), 0);
  want_log(e, pid, okay, 1, REMOVE_WITHIN + INTERVAL);
  assert_logged(e, "the failing calls left the list", 1);
}

/* 5. A garbage line among good ones: logged once with file:line, skipped;
 * not logged again when the file is re-read with it still there. */
static void garbage_line_logged_once_rest_applies(env_t *e, pid_t pid) {
  want_rows(e, pid, "quo-g2/duration", 1, 10);
  char needle[600];
  snprintf(needle, sizeof(needle),
           "quo plugin: %s:2: \"not-a-call\" is not a call ID", calls_path(e));
  assert_logged(e, needle, 1);

  calls_replace(e, "ACgood1\nnot-a-call here\nACgood2 g2\nACgood3\n");
  double changed = mono_now();
  first_row_within(e, pid, "quo-ACgood3/duration", changed, ADD_WITHIN);
  assert_logged(
      e, "quo plugin: CallsFile re-read: 3 calls watched (1 added, 0 removed)",
      1);
  more_reads(e, pid, 1);
  assert_logged(e, needle, 1);
  assert_logged(e, "is not a call ID", 1);
  ck_assert_double_eq(csv_last(e, "quo-calls/count-completed"), 3);
  ck_assert_int_eq(standin_stat(e, "ACgood1"), 1);
}

/* 6. A file missing at start is an empty list and one warning; its calls
 * are fetched once it appears. */
static void file_appears_after_start(env_t *e, pid_t pid) {
  char needle[600];
  snprintf(needle, sizeof(needle),
           "quo plugin: CallsFile \"%s\" does not exist (yet)", calls_path(e));
  assert_logged(e, needle, 1);
  assert_logged(e, "configuration refused", 0);
  more_reads(e, pid, 1);
  assert_logged(e, needle, 1);

  calls_replace(e, "AClate1 late\n");
  double changed = mono_now();
  double took =
      first_row_within(e, pid, "quo-late/duration", changed, ADD_WITHIN);
  fprintf(stderr, "callsfile appears: call dispatched %.2f s after\n", took);
  ck_assert_int_eq(standin_stat(e, "AClate1"), 1);
  assert_logged(
      e, "quo plugin: CallsFile re-read: 1 calls watched (1 added, 0 removed)",
      1);
  assert_logged(e, needle, 1);
}

/* 7. Too many calls, then too many bytes: each refused whole with one
 * error, the previous list kept and still fetched. */
static void oversized_refused_previous_list_kept(env_t *e, pid_t pid) {
  /* 100 001 calls. */
  size_t cap = 100001 * 16, n = 0;
  char *big = malloc(cap);
  ck_assert_ptr_nonnull(big);
  for (int i = 1; i <= 100001; i++)
    n += (size_t)snprintf(big + n, cap - n, "ACx%d\n", i);
  calls_replace_n(e, big, n);
  free(big);
  want_log(e, pid, "has more than 100000 calls: refused whole", 1,
           REMOVE_WITHIN + 1);
  int kept_rows = csv_rows(e, "quo-kept/duration");
  long kept_fetched = standin_stat(e, "ACbig1");
  more_reads(e, pid, 2);
  ck_assert_int_gt(csv_rows(e, "quo-kept/duration"), kept_rows);
  ck_assert_int_gt(standin_stat(e, "ACbig1"), kept_fetched);
  ck_assert_int_eq(standin_stat(e, "ACx1"), 0);
  ck_assert_int_eq(standin_stat(e, "ACx100001"), 0);

  /* Past 10 MiB (comments only). */
  n = 10 * 1024 * 1024 + 1;
  big = malloc(n);
  ck_assert_ptr_nonnull(big);
  memset(big, '#', n);
  for (size_t i = 79; i < n; i += 80)
    big[i] = '\n';
  calls_replace_n(e, big, n);
  free(big);
  want_log(e, pid, "is larger than 10485760 bytes (10 MiB): refused whole", 1,
           REMOVE_WITHIN + 1);
  kept_rows = csv_rows(e, "quo-kept/duration");
  more_reads(e, pid, 2);
  ck_assert_int_gt(csv_rows(e, "quo-kept/duration"), kept_rows);

  /* One error each; never applied. */
  assert_logged(e, "refused whole", 2);
  assert_logged(e, "CallsFile re-read", 0);
  ck_assert_double_eq(csv_last(e, "quo-calls/count-in-progress"), 1);
}

/* 8. An ID in a <Call> block and in the file: the block wins (its
 * instance), the file's line is warned and skipped; one fetch, not two. */
static void block_wins_over_file_line(env_t *e, pid_t pid) {
  want_rows(e, pid, "quo-ACfile1/duration", 1, 10);
  more_reads(e, pid, 1);
  char dir[700];
  snprintf(dir, sizeof(dir), "%s/test/quo-fileinst", e->csv);
  ck_assert_msg(!exists(dir), "the file's instance was dispatched");
  char needle[600];
  snprintf(needle, sizeof(needle),
           "quo plugin: %s:1: call ACboth1 is also in a <Call> block, which "
           "wins: line skipped",
           calls_path(e));
  assert_logged(e, needle, 1);
  ck_assert_int_eq(standin_stat(e, "ACboth1"), 1);
  ck_assert_double_eq(csv_last(e, "quo-calls/count-completed"), 2);
}

/* 9. A CallsFile and no <Call>: accepted, the plugin-wide metrics
 * dispatched for an empty list. */
static void calls_file_without_call_blocks(env_t *e, pid_t pid) {
  (void)pid; /* it changes nothing: what it started with is the case */
  assert_logged(e, "add at least one", 0);
  assert_logged(e, "configuration refused", 0);
  assert_logged(e, "does not exist", 0);
  ck_assert_double_eq(csv_last(e, "quo-api/bool-healthy"), 1);
  ck_assert_double_eq(csv_last(e, "quo-calls/count-completed"), 0);
  ck_assert_int_eq(standin_stat(e, "requests"), 0);
}

/* Serves the calls of spec ("<ID> <status>, ..."): the completed ones
 * finished, the others live (env_call_fixture). */
static void serve(env_t *e, const char *spec) {
  for (const char *p = spec; *p != '\0';) {
    char id[32], status[32];
    int used = 0;
    ck_assert_int_eq(sscanf(p, "%31s %31[^,]%n", id, status, &used), 2);
    env_call_fixture(e, id, status, strcmp(status, "completed") == 0);
    p += used;
    p += strspn(p, ", ");
  }
}

/* Each case: what it starts with, then what it changes and asserts. The
 * stand-in serves `served` (and tests/fixtures/calls); the calls file holds
 * `file` (NULL: there is none yet) beside the <Call> `blocks`; `first` has
 * `rows` rows before `then` runs. */
static const struct {
  const char *name; /* of the collectd configuration */
  const char *served, *file, *blocks, *first;
  int rows;
  void (*then)(env_t *e, pid_t pid);
} cases[] = {
    {"add", "ACkeep1 completed, ACring2 ringing, ACnew3 completed",
     "ACkeep1 keep\nACring2 ring\n", NULL, "quo-keep/duration", 1,
     add_by_rename_keeps_state},
    /* ACforbidden0001 answers 403 (tests/fixtures/calls). */
    {"remove", "AClive1 in-progress, ACdone1 completed",
     "AClive1 live\nACforbidden0001 bad\nACdone1 done\n", NULL,
     "quo-live/duration", 2, remove_stops_dispatch_and_frees_health},
    {"rename", "ACrenA1 completed, ACrenB1 completed", "ACrenA1\n", NULL,
     "quo-ACrenA1/duration", 1, rename_same_size_same_mtime_seen},
    {"truncate", "ACtr1 completed, ACtr2 in-progress",
     "ACtr1\nACtr2\nACforbidden0001\n", NULL, "quo-ACtr1/duration", 1,
     truncate_to_empty},
    {"outage", "", "ACforbidden0001\n", NULL, "quo-api/bool-healthy", 2,
     rewrite_during_outage_is_no_recovery},
    {"garbage", "ACgood1 completed, ACgood2 completed, ACgood3 completed",
     "ACgood1\nnot-a-call here\nACgood2 g2\n", NULL, "quo-ACgood1/duration", 1,
     garbage_line_logged_once_rest_applies},
    {"appears", "AClate1 completed", NULL, NULL, "quo-api/bool-healthy", 2,
     file_appears_after_start},
    {"oversized", "ACbig1 in-progress", "ACbig1 kept\n", NULL,
     "quo-kept/duration", 1, oversized_refused_previous_list_kept},
    {"both", "ACboth1 completed, ACfile1 completed",
     "ACboth1 fileinst\nACfile1\n",
     "  <Call \"ACboth1\">\n    Instance \"blockinst\"\n  </Call>\n",
     "quo-blockinst/duration", 1, block_wins_over_file_line},
    {"nocall", "", "# filled by the webhook handler\n", NULL,
     "quo-api/bool-healthy", 2, calls_file_without_call_blocks},
};

START_TEST(calls_file_case) {
  /* _i: one case of the table. */
  env_t e;
  env_setup(&e);
  serve(&e, cases[_i].served);
  standin_start(&e, NULL);
  if (cases[_i].file != NULL)
    calls_replace(&e, cases[_i].file);
  pid_t pid = start(&e, cases[_i].name, cases[_i].blocks);
  want_rows(&e, pid, cases[_i].first, cases[_i].rows, 10);
  cases[_i].then(&e, pid);
  /* Whatever the case did, collectd stayed up. */
  assert_alive(pid);
  stop(&e, pid);
}
END_TEST

IT_SUITE(callsfile_suite, "callsfile", IT_CASE("collectd", 40),
         IT_LOOP(calls_file_case, cases))
