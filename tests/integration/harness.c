#define _GNU_SOURCE
#include "harness.h"

#include <check.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char root[1024];

static const char *repo_root(void) {
  if (root[0] == '\0')
    ck_assert_ptr_nonnull(getcwd(root, sizeof(root)));
  return root;
}

const char *build_dir(void) {
  const char *b = getenv("QUO_BUILD");
  return b && *b ? b : "build";
}

const char *check_quo_path(void) {
  static char path[512];
  snprintf(path, sizeof(path), "%s/check_quo", build_dir());
  return path;
}

double mono_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

void nap(double s) {
  struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
  nanosleep(&ts, NULL);
}

static void write_file(const char *path, const char *content, mode_t mode) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
  ck_assert_msg(fd >= 0, "cannot write %s: %s", path, strerror(errno));
  size_t n = strlen(content);
  ck_assert_int_eq(write(fd, content, n), (ssize_t)n);
  close(fd);
}

static void run_shell(const char *fmt, const char *arg) {
  char cmd[2048];
  snprintf(cmd, sizeof(cmd), fmt, arg);
  ck_assert_msg(system(cmd) == 0, "command failed: %s", cmd);
}

/* collectd's own plugins every test environment carries. */
static const char *const stock_plugins[] = {"csv", "logfile", "uptime",
                                            "notify_nagios"};
static int stock_checked; /* once per process: ldd is not free */

/* A plugin collectd cannot dlopen only says so in collectd's log, and the
 * test then fails on missing values: a library missing on this machine is
 * named here instead (collectd-core only recommends some of what its
 * plugins link; tests/deps.sh must install it). */
static void assert_loadable(const char *so) {
  char cmd[300];
  snprintf(cmd, sizeof(cmd), "ldd '%s' 2>&1 | grep 'not found'", so);
  FILE *p = popen(cmd, "r");
  ck_assert_ptr_nonnull(p);
  char line[256] = "";
  const char *missing = fgets(line, sizeof(line), p);
  pclose(p);
  ck_assert_msg(missing == NULL,
                "%s cannot be loaded: %s(tests/deps.sh must install the "
                "package that has it)",
                so, line);
}

void env_setup(env_t *e) {
  memset(e, 0, sizeof(*e));
  snprintf(e->dir, sizeof(e->dir), "/tmp/quo-it-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(e->dir));
  snprintf(e->key_file, sizeof(e->key_file), "%s/api.key", e->dir);
  write_file(e->key_file, TEST_KEY "\n", 0600);
  snprintf(e->fixtures, sizeof(e->fixtures), "%s/fixtures", e->dir);
  char cmd[2048];
  snprintf(cmd, sizeof(cmd), "cp -r '%s/tests/fixtures/calls' '%s'",
           repo_root(), e->fixtures);
  ck_assert_int_eq(system(cmd), 0);
  char plugins[400];
  snprintf(plugins, sizeof(plugins), "%s/plugins", e->dir);
  ck_assert_int_eq(mkdir(plugins, 0700), 0);
  /* collectd refuses symlinked plugins: copy them. */
  int n =
      snprintf(cmd, sizeof(cmd), "cp '%s/%s/quo.so'", repo_root(), build_dir());
  for (size_t i = 0; i < sizeof(stock_plugins) / sizeof(*stock_plugins); i++) {
    char so[200];
    snprintf(so, sizeof(so), "/usr/lib/collectd/%s.so", stock_plugins[i]);
    if (!stock_checked)
      assert_loadable(so);
    n += snprintf(cmd + n, sizeof(cmd) - n, " %s", so);
  }
  stock_checked = 1;
  snprintf(cmd + n, sizeof(cmd) - n, " '%s'", plugins);
  ck_assert_int_eq(system(cmd), 0);
}

/* Every file a test left — logs, csv, collectd's output, notify_nagios's
 * command file, check output captured there — must be free of the key. */
static void assert_key_nowhere(env_t *e) {
  char cmd[1024];
  snprintf(cmd, sizeof(cmd),
           "grep -rlF --exclude=api.key '%s' '%s' > '%s/.key-hits' 2>/dev/null",
           TEST_KEY, e->dir, e->dir);
  int st = system(cmd);
  char hits_path[400];
  snprintf(hits_path, sizeof(hits_path), "%s/.key-hits", e->dir);
  char *hits = slurp(hits_path);
  ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 1,
                "the API key was written to: %s", hits);
  free(hits);
}

void env_teardown(env_t *e) {
  standin_stop(e);
  if (e->dir[0] != '\0')
    assert_key_nowhere(e);
  if (e->dir[0] != '\0' && getenv("QUO_KEEP_TMP") == NULL)
    run_shell("rm -rf '%s'", e->dir);
}

void env_fixture(env_t *e, const char *name, const char *content) {
  char path[600], tmp[620];
  snprintf(path, sizeof(path), "%s/%s", e->fixtures, name);
  /* Through a rename: a test may replace a fixture while the stand-in
   * serves it, which must never see it empty or half written. */
  snprintf(tmp, sizeof(tmp), "%s.tmp", path);
  write_file(tmp, content, 0644);
  ck_assert_msg(rename(tmp, path) == 0, "cannot rename %s: %s", tmp,
                strerror(errno));
}

static pid_t spawn(const char *const *argv, const char *const *envp_add,
                   const char *out_path) {
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int devnull = open("/dev/null", O_RDONLY);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    if (devnull >= 0)
      dup2(devnull, 0);
    for (const char *const *p = envp_add; p && *p; p++)
      putenv((char *)*p);
    execvp(argv[0], (char *const *)argv);
    _exit(127);
  }
  return pid;
}

/* Waits for pid up to timeout_s, then kills it. Returns the exit status,
 * -1 when it had to be killed or died of a signal. */
static int reap(pid_t pid, double timeout_s) {
  double end = mono_now() + timeout_s;
  int st;
  for (;;) {
    pid_t r = waitpid(pid, &st, WNOHANG);
    if (r == pid)
      return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    if (mono_now() > end) {
      kill(pid, SIGKILL);
      waitpid(pid, &st, 0);
      return -1;
    }
    nap(0.01);
  }
}

void standin_start(env_t *e, const char *const *extra) {
  char bin[1100], port_file[400], out[400];
  snprintf(bin, sizeof(bin), "%s/%s/quo-standin", repo_root(), build_dir());
  snprintf(port_file, sizeof(port_file), "%s/standin.port", e->dir);
  snprintf(out, sizeof(out), "%s/standin.log", e->dir);
  unlink(port_file);
  const char *argv[32] = {bin,         "--fixtures",  e->fixtures, "--key-file",
                          e->key_file, "--port-file", port_file};
  int n = 7;
  if (e->port > 0) {
    /* Restarting: come back on the same port. */
    static char port[16];
    snprintf(port, sizeof(port), "%d", e->port);
    argv[n++] = "--port";
    argv[n++] = port;
  }
  for (const char *const *p = extra; p && *p && n < 30; p++)
    argv[n++] = *p;
  argv[n] = NULL;
  e->standin = spawn(argv, NULL, out);
  double end = mono_now() + 10;
  while (mono_now() < end) {
    FILE *f = fopen(port_file, "r");
    if (f != NULL) {
      int ok = fscanf(f, "%d", &e->port);
      fclose(f);
      if (ok == 1 && e->port > 0)
        return;
    }
    nap(0.01);
  }
  ck_abort_msg("the stand-in API did not start (see %s)", out);
}

void standin_stop(env_t *e) {
  if (e->standin > 0) {
    kill(e->standin, SIGTERM);
    reap(e->standin, 5);
    e->standin = 0;
  }
}

/* The head every collectd.conf starts with: lib.sh's quo_conf_base fills
 * tests/collectd-base.conf.in for the C tests as for the shell drivers,
 * so there is one filler as there is one template. */
static char *conf_base(env_t *e, double interval) {
  char iv[32], dir[400];
  snprintf(iv, sizeof(iv), "%g", interval);
  snprintf(dir, sizeof(dir), "DIR=%s", e->dir);
  const char *argv[] = {"/bin/sh",
                        "-c",
                        "cd \"$0\" && . tests/lib.sh && "
                        "quo_conf_base test \"$1\" \"$2\"",
                        repo_root(),
                        iv,
                        e->log,
                        NULL};
  const char *env[] = {dir, NULL};
  char *out = NULL;
  ck_assert_int_eq(run_capture(argv, env, &out, 10), 0);
  return out;
}

const char *collectd_conf(env_t *e, const char *name, double interval,
                          const char *plugin_body, const char *extra) {
  static char path[400];
  snprintf(path, sizeof(path), "%s/%s.conf", e->dir, name);
  snprintf(e->csv, sizeof(e->csv), "%s/csv-%s", e->dir, name);
  snprintf(e->log, sizeof(e->log), "%s/%s.log", e->dir, name);
  char *base = conf_base(e, interval), *conf = NULL;
  int n = asprintf(&conf,
                   "%s"
                   "LoadPlugin csv\n"
                   "<Plugin csv>\n  DataDir \"%s\"\n</Plugin>\n"
                   "%s\n"
                   "LoadPlugin quo\n"
                   "<Plugin quo>\n%s\n</Plugin>\n",
                   base, e->csv, extra ? extra : "", plugin_body);
  ck_assert_int_gt(n, 0);
  write_file(path, conf, 0600);
  free(base);
  free(conf);
  return path;
}

const char *collectd_conf_fmt(env_t *e, const char *name, double interval,
                              const char *body_fmt, ...) {
  va_list ap;
  va_start(ap, body_fmt);
  char *body = NULL;
  int n = vasprintf(&body, body_fmt, ap);
  va_end(ap);
  ck_assert_int_gt(n, 0);
  const char *path = collectd_conf(e, name, interval, body, NULL);
  free(body);
  return path;
}

char *plugin_body(env_t *e, const char *calls, const char *more) {
  char *b = NULL;
  ck_assert_int_gt(asprintf(&b,
                            "  BaseURL \"http://127.0.0.1:%d\"\n"
                            "  APIKeyFile \"%s\"\n%s\n%s\n",
                            e->port, e->key_file, more ? more : "", calls),
                   0);
  return b;
}

const char *calls_conf(env_t *e, const char *name, double interval,
                       const char *calls, const char *more) {
  char *body = plugin_body(e, calls, more);
  const char *conf = collectd_conf(e, name, interval, body, NULL);
  free(body);
  return conf;
}

pid_t collectd_start_env(env_t *e, const char *conf,
                         const char *const *envp_add) {
  char out[400];
  snprintf(out, sizeof(out), "%s/collectd.out", e->dir);
  const char *argv[] = {"collectd", "-f", "-C", conf, NULL};
  return spawn(argv, envp_add, out);
}

pid_t collectd_start(env_t *e, const char *conf) {
  return collectd_start_env(e, conf, NULL);
}

int collectd_wait(env_t *e, pid_t pid, const char *ident, int rows,
                  double timeout_s) {
  double end = mono_now() + timeout_s;
  int seen = 0;
  while (mono_now() < end) {
    seen = csv_rows(e, ident);
    if (seen >= rows)
      break;
    if (kill(pid, 0) != 0)
      break; /* exited on its own */
    nap(0.05);
  }
  return csv_rows(e, ident);
}

void collectd_stop(pid_t pid) {
  kill(pid, SIGTERM);
  reap(pid, 10);
}

int collectd_run(env_t *e, const char *conf, const char *ident, int rows,
                 double timeout_s) {
  pid_t pid = collectd_start(e, conf);
  collectd_wait(e, pid, ident, rows, timeout_s);
  collectd_stop(pid);
  return csv_rows(e, ident);
}

static size_t sink(char *p, size_t s, size_t n, void *ud) {
  return fwrite(p, s, n, (FILE *)ud);
}

char *standin_get(env_t *e, const char *path) {
  char url[256], *buf = NULL;
  size_t len = 0;
  snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", e->port, path);
  FILE *m = open_memstream(&buf, &len);
  CURL *c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, m);
  ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
  curl_easy_cleanup(c);
  fclose(m);
  return buf;
}

long standin_stat(env_t *e, const char *name) {
  bool per_call = strncmp(name, "AC", 2) == 0;
  char *buf = standin_get(e, per_call ? "/_stats/calls" : "/_stats");
  char key[96];
  snprintf(key, sizeof(key), "\"%s\":", name);
  char *p = strstr(buf, key);
  ck_assert_msg(p != NULL || per_call, "no %s in %s", name, buf);
  long v = p ? strtol(p + strlen(key), NULL, 10) : 0;
  free(buf);
  return v;
}

void env_generated_call(env_t *e, const callgen_t *c) {
  ck_assert_msg(callgen_write(e->fixtures, c) == 0, "cannot write %s/%s.json",
                e->fixtures, c->id);
}

void env_call_fixture(env_t *e, const char *id, const char *status,
                      bool finished) {
  env_generated_call(
      e,
      &(callgen_t){.id = id,
                   .status = status,
                   .duration = finished ? 60 : 5,
                   .completed_at = finished ? "2026-11-27T09:01:00Z" : NULL});
}

void collectd_expect_refused(env_t *e, const char *plugin_body,
                             const char *logged) {
  const char *conf =
      collectd_conf(e, "refused", 0.5, plugin_body, "LoadPlugin uptime\n");
  /* collectd stays up: another plugin keeps dispatching. */
  ck_assert_int_ge(collectd_run(e, conf, "uptime/uptime", 2, 20), 2);
  char *log = slurp(collectd_log(e));
  ck_assert_msg(strstr(log, logged) != NULL, "log lacks '%s':\n%s", logged,
                log);
  ck_assert_ptr_nonnull(strstr(log, "quo plugin: configuration refused"));
  free(log);
  ck_assert_ptr_null(csv_path(e, "quo-api/bool-healthy"));
  ck_assert_int_eq(count_in_file(collectd_log(e), TEST_KEY), 0);
}

static int csv_glob(env_t *e, const char *ident, glob_t *g) {
  char pattern[700];
  snprintf(pattern, sizeof(pattern), "%s/test/%s-[0-9][0-9][0-9][0-9]-*",
           e->csv, ident);
  return glob(pattern, 0, NULL, g);
}

const char *csv_path(env_t *e, const char *ident) {
  static char path[700];
  glob_t g;
  if (csv_glob(e, ident, &g) != 0)
    return NULL;
  snprintf(path, sizeof(path), "%s", g.gl_pathv[g.gl_pathc - 1]);
  globfree(&g);
  return path;
}

int csv_rows(env_t *e, const char *ident) {
  glob_t g;
  if (csv_glob(e, ident, &g) != 0)
    return 0;
  int rows = 0;
  for (size_t i = 0; i < g.gl_pathc; i++) {
    FILE *f = fopen(g.gl_pathv[i], "r");
    if (f == NULL)
      continue;
    char line[512];
    while (fgets(line, sizeof(line), f) != NULL)
      if (line[0] >= '0' && line[0] <= '9' && strchr(line, '\n') != NULL)
        rows++;
    fclose(f);
  }
  globfree(&g);
  return rows;
}

double csv_last(env_t *e, const char *ident) {
  const char *path = csv_path(e, ident);
  ck_assert_msg(path != NULL, "no value was dispatched for %s", ident);
  FILE *f = fopen(path, "r");
  ck_assert_ptr_nonnull(f);
  char line[512], last[512] = "";
  while (fgets(line, sizeof(line), f) != NULL)
    if (line[0] >= '0' && line[0] <= '9')
      memcpy(last, line, sizeof(last));
  fclose(f);
  char *comma = strchr(last, ',');
  ck_assert_msg(comma != NULL, "no data row in %s", path);
  return strtod(comma + 1, NULL);
}

char *slurp(const char *path) {
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return strdup("");
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    fwrite(chunk, 1, n, m);
  fclose(f);
  fclose(m);
  return buf;
}

int count_in_file(const char *path, const char *needle) {
  char *s = slurp(path);
  int n = 0;
  for (char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
    n++;
  free(s);
  return n;
}

const char *collectd_log(env_t *e) {
  return e->log;
}

void assert_logged(env_t *e, const char *text, int times) {
  int n = count_in_file(collectd_log(e), text);
  ck_assert_msg(n == times, "collectd log %s: \"%s\" %d times, want %d",
                collectd_log(e), text, n, times);
}

int run_capture(const char *const *argv, const char *const *envp_add,
                char **out, double timeout_s) {
  char path[] = "/tmp/quo-it-out-XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  close(fd);
  pid_t pid = spawn(argv, envp_add, path);
  int st = reap(pid, timeout_s);
  *out = slurp(path);
  unlink(path);
  /* No program we run ever prints the key. */
  ck_assert_msg(strstr(*out, TEST_KEY) == NULL, "%s printed the API key",
                argv[0]);
  return st;
}

env_t test_env;

void test_env_setup(void) {
  env_setup(&test_env);
}

void test_env_teardown(void) {
  env_teardown(&test_env);
}
