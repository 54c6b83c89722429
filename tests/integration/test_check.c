/* build/check_quo run as Nagios runs it, against the stand-in API: exit
 * code, the first line, the perfdata grammar, for every state SPEC lists. */
#define _GNU_SOURCE
#include "harness.h"
#include "suites.h"

#include <check.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static env_t e;
static char *out;

static void setup(void) {
  env_setup(&e);
  out = NULL;
}

static void mini_stop(void);

static void teardown(void) {
  mini_stop();
  free(out);
  env_teardown(&e);
}

/* Runs check_quo with the key in QUO_API_KEY (unless key_env is NULL) and
 * -u pointing at the stand-in; args end with NULL. */
static int check_env(const char *key_env, double timeout_s, ...) {
  char base[64];
  const char *bin = check_quo_path();
  /* Without a stand-in (a test's own server overrides -u), any valid port. */
  snprintf(base, sizeof(base), "http://127.0.0.1:%d", e.port > 0 ? e.port : 9);
  const char *argv[40] = {bin, "-u", base};
  int n = 3;
  va_list ap;
  va_start(ap, timeout_s);
  const char *a;
  while ((a = va_arg(ap, const char *)) != NULL && n < 38)
    argv[n++] = a;
  va_end(ap);
  argv[n] = NULL;
  static char kv[128];
  snprintf(kv, sizeof(kv), "QUO_API_KEY=%s", key_env ? key_env : "");
  const char *envp[] = {kv, NULL};
  free(out);
  int st = run_capture(argv, envp, &out, timeout_s);
  /* Whatever happened, the key is never printed. */
  ck_assert_ptr_null(strstr(out, TEST_KEY));
  return st;
}

#define check(...) check_env(TEST_KEY, 20, __VA_ARGS__, NULL)

/* The first line, without its newline. */
static char *first_line(void) {
  static char line[8192];
  snprintf(line, sizeof(line), "%s", out);
  line[strcspn(line, "\n")] = '\0';
  return line;
}

/* Asserts "QUO <STATE> - text | perfdata" with Monitoring Plugins perfdata
 * and no '|' inside the text; returns the perfdata part. */
static const char *assert_line(const char *state) {
  char *line = first_line();
  char prefix[32];
  snprintf(prefix, sizeof(prefix), "QUO %s - ", state);
  ck_assert_msg(strncmp(line, prefix, strlen(prefix)) == 0,
                "want '%s...', got '%s'", prefix, line);
  char *bar = strchr(line, '|');
  if (bar == NULL)
    return "";
  ck_assert_ptr_null(strchr(bar + 1, '|'));
  ck_assert_msg(bar[-1] == ' ' && bar[1] == ' ', "'|' not spaced: %s", line);
  regex_t re;
  ck_assert_int_eq(
      regcomp(&re,
              "^[A-Za-z0-9_]+=-?[0-9.]+(e[-+]?[0-9]+)?(s|%|B|KB|MB|TB|c)?;"
              "[^; ]*;[^; ]*;[^; ]*(;[^; ]*)?$",
              REG_EXTENDED | REG_NOSUB),
      0);
  static char perf[4096];
  snprintf(perf, sizeof(perf), "%s", bar + 2);
  char copy[4096];
  snprintf(copy, sizeof(copy), "%s", perf);
  for (char *save, *tok = strtok_r(copy, " ", &save); tok;
       tok = strtok_r(NULL, " ", &save))
    ck_assert_msg(regexec(&re, tok, 0, NULL, 0) == 0, "bad perfdata '%s'", tok);
  regfree(&re);
  return perf;
}

static void assert_has(const char *needle) {
  ck_assert_msg(strstr(out, needle) != NULL, "'%s' not in:\n%s", needle, out);
}

START_TEST(completed_call_ok) {
  standin_start(&e, NULL);
  ck_assert_int_eq(check("-i", "AC3700e624eca547eb9f749a06f2eb1"), 0);
  const char *perf = assert_line("OK");
  assert_has("AC3700e624eca547eb9f749a06f2eb1: completed, duration 184s, "
             "answered after 7.5s");
  ck_assert_ptr_nonnull(strstr(perf, "time="));
  ck_assert_ptr_nonnull(strstr(perf, "duration=184s;;;0"));
  ck_assert_ptr_nonnull(strstr(perf, "answer_latency=7.5s;;;0"));
  ck_assert_ptr_null(strchr(strchr(out, '\n') + 1, '\n')); /* one line */
}
END_TEST

START_TEST(missed_call_ok_without_latency) {
  standin_start(&e, NULL);
  ck_assert_int_eq(check("-i", "ACmissed0001"), 0);
  const char *perf = assert_line("OK");
  assert_has("ACmissed0001: missed, duration 0s");
  ck_assert_ptr_nonnull(strstr(perf, "duration=0s;;;0"));
  ck_assert_ptr_null(strstr(perf, "answer_latency"));
}
END_TEST

static const struct {
  int status, exit_code;
  const char *state, *text;
} documented[] = {
    {400, 1, "WARNING", "HTTP 400, API code 0101400 (Too Many Participants)"},
    {401, 2, "CRITICAL", "HTTP 401, API code 0100401 (Unauthorized)"},
    {403, 2, "CRITICAL", "HTTP 403, API code 0101403 (Not Phone Number User)"},
    {404, 1, "WARNING", "HTTP 404, API code 0100404 (Not Found)"},
    {500, 2, "CRITICAL", "HTTP 500, API code 0101500 (Unknown)"},
};

START_TEST(documented_error_bodies) {
  char fault[32];
  snprintf(fault, sizeof(fault), "status %d\n", documented[_i].status);
  env_fixture(&e, "ACerr0001.fault", fault);
  standin_start(&e, NULL);
  ck_assert_int_eq(check("-i", "ACerr0001"), documented[_i].exit_code);
  const char *perf = assert_line(documented[_i].state);
  assert_has(documented[_i].text);
  ck_assert_ptr_nonnull(strstr(perf, "time="));
}
END_TEST

START_TEST(rate_limited_is_warning) {
  const char *extra[] = {"--rate-limit", "1", NULL};
  standin_start(&e, extra);
  ck_assert_int_eq(
      check("-i", "ACmissed0001", "-i", "AC3700e624eca547eb9f749a06f2eb1"), 1);
  assert_line("WARNING");
  assert_has("HTTP 429");
}
END_TEST

/* Answers that make the call CRITICAL, each written as the fixture file
 * <id>.<file> (a fault mode or a body), and what the status text says. */
static const struct {
  const char *id, *file, *content, *says;
} critical[] = {
    {"ACerr0001", "fault", "wrapped 401\n",
     "ACerr0001: HTTP 401, API code none (error_401)"},
    {"ACmissed0001", "fault", "invalid-json\n", "invalid call object"},
    {"ACmissed0001", "fault", "truncate\n", "incomplete body"},
    {"ACmissed0001", "fault", "html 502\n",
     "HTTP 502, API code none (Bad Gateway)"},
    {"ACmissed0001", "fault", "big 2000000\n", "larger than"},
    /* Valid JSON, but no createdAt: a schema violation. */
    {"ACschema0001", "json",
     "{\"data\":{\"id\":\"ACschema0001\",\"status\":\"ringing\"}}",
     "missing field 'createdAt'"},
};

START_TEST(bad_answers_are_critical) {
  /* _i: one answer of the table. */
  char name[64];
  snprintf(name, sizeof(name), "%s.%s", critical[_i].id, critical[_i].file);
  env_fixture(&e, name, critical[_i].content);
  standin_start(&e, NULL);
  ck_assert_int_eq(check("-i", critical[_i].id), 2);
  assert_line("CRITICAL");
  assert_has(critical[_i].says);
}
END_TEST

START_TEST(timeout_is_critical_and_prompt) {
  env_fixture(&e, "ACmissed0001.fault", "delay 8000\n");
  standin_start(&e, NULL);
  /* Killed (-1) if it ran anywhere near the 8 s the API takes. */
  ck_assert_int_eq(
      check_env(TEST_KEY, 4, "-t", "1", "-i", "ACmissed0001", NULL), 2);
  assert_line("CRITICAL");
  assert_has("timed out");
}
END_TEST

START_TEST(nothing_listening_is_critical) {
  standin_start(&e, NULL);
  standin_stop(&e);
  ck_assert_int_eq(check("-i", "ACmissed0001"), 2);
  assert_line("CRITICAL");
  assert_has("ACmissed0001: request failed");
  /* No response, no time: no perfdata at all, so no '|'. */
  ck_assert_ptr_null(strchr(first_line(), '|'));
  ck_assert_ptr_null(strstr(out, "time="));
}
END_TEST

START_TEST(several_ids_worst_wins_labels_per_call) {
  env_fixture(&e, "ACforbidden0001.fault", "status 403\n");
  standin_start(&e, NULL);
  ck_assert_int_eq(
      check("-i", "ACmissed0001", "-i", "ACnotthere1", "-i", "ACforbidden0001"),
      2);
  const char *perf = assert_line("CRITICAL");
  /* The worst comes first in the text. */
  ck_assert_ptr_nonnull(
      strstr(first_line(), "QUO CRITICAL - ACforbidden0001: HTTP 403"));
  assert_has("ACnotthere1: HTTP 404");
  assert_has("ACmissed0001: missed");
  ck_assert_ptr_nonnull(strstr(perf, "duration_ACmissed0001=0s;;;0"));
  ck_assert_ptr_nonnull(strstr(perf, "time_ACnotthere1="));
  ck_assert_ptr_nonnull(strstr(perf, "time_ACforbidden0001="));
  ck_assert_ptr_null(strstr(perf, " time="));
  /* Without the 403: WARNING from the 404. */
  ck_assert_int_eq(check("-i", "ACmissed0001", "-i", "ACnotthere1"), 1);
  assert_line("WARNING");
}
END_TEST

/* Threshold option, range, expected exit code. The completed call has
 * duration 184 s, answer latency 7.5 s and a response time well under
 * 1 s on loopback. */
static const struct {
  const char *opt, *range;
  int code;
  const char *state;
} thresholds[] = {
    {"-w", "10", 0, "OK"},
    {"-w", "@0:10", 1, "WARNING"},
    {"-c", "10", 0, "OK"},
    {"-c", "@0:10", 2, "CRITICAL"},
    {"--answer-warning", "7.5", 0, "OK"}, /* inclusive end */
    {"--answer-warning", "7.4", 1, "WARNING"},
    {"--answer-critical", "~:7.5", 0, "OK"},
    {"--answer-critical", "8:", 2, "CRITICAL"},
    {"--duration-warning", "100:200", 0, "OK"},
    {"--duration-warning", "185:", 1, "WARNING"},
    {"--duration-critical", "-5:184", 0, "OK"},
    {"--duration-critical", "@184:184", 2, "CRITICAL"},
};

START_TEST(threshold_inside_and_outside) {
  standin_start(&e, NULL);
  ck_assert_int_eq(check("-i", "AC3700e624eca547eb9f749a06f2eb1",
                         thresholds[_i].opt, thresholds[_i].range),
                   thresholds[_i].code);
  const char *perf = assert_line(thresholds[_i].state);
  /* The range appears in the perfdata as given. */
  char field[64];
  snprintf(field, sizeof(field), ";%s;", thresholds[_i].range);
  ck_assert_msg(strstr(perf, field) != NULL, "%s not in %s", field, perf);
  if (thresholds[_i].code != 0)
    assert_has("breaches");
}
END_TEST

START_TEST(answer_threshold_ignored_while_unanswered) {
  standin_start(&e, NULL);
  ck_assert_int_eq(check("-i", "ACmissed0001", "--answer-critical", "@0:1000"),
                   0);
}
END_TEST

START_TEST(not_found_state_option) {
  static const char *const names[] = {"ok", "warning", "critical", "unknown"};
  static const char *const states[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
  standin_start(&e, NULL);
  ck_assert_int_eq(check("-i", "ACnotthere1", "--not-found-state", names[_i]),
                   _i);
  assert_line(states[_i]);
  assert_has("HTTP 404");
}
END_TEST

START_TEST(unknown_states) {
  standin_start(&e, NULL);
  /* Missing key. */
  ck_assert_int_eq(check_env(NULL, 20, "-i", "ACmissed0001", NULL), 3);
  assert_line("UNKNOWN");
  assert_has("no API key");
  /* Unreadable key file: named. */
  ck_assert_int_eq(check("-i", "ACmissed0001", "-k", "/nonexistent/quo.key"),
                   3);
  assert_line("UNKNOWN");
  assert_has("/nonexistent/quo.key");
  /* Bad ranges. */
  ck_assert_int_eq(check("-i", "ACmissed0001", "-w", "abc"), 3);
  assert_line("UNKNOWN");
  assert_has("-w: range \"abc\"");
  ck_assert_int_eq(check("-i", "ACmissed0001", "-c", "20:10"), 3);
  assert_has("starts above its end");
  ck_assert_int_eq(check("-i", "ACmissed0001", "--answer-warning", "1:2:3"), 3);
  /* Invalid call ID: named. */
  ck_assert_int_eq(check("-i", "AC12/../x"), 3);
  assert_line("UNKNOWN");
  assert_has("\"AC12/../x\" is not a call ID");
  /* Usage errors. */
  ck_assert_int_eq(check("--bogus"), 3);
  assert_line("UNKNOWN");
  ck_assert_int_eq(check("-t", "0", "-i", "ACmissed0001"), 3);
  /* The core's bound (an hour), said in -t's own unit. */
  ck_assert_int_eq(check("-t", "3600.5", "-i", "ACmissed0001"), 3);
  assert_has("-t: \"3600.5\" is not a number of seconds (0 < t <= 3600)");
  ck_assert_int_eq(check("--not-found-state", "maybe", "-i", "AC1"), 3);
  ck_assert_int_eq(check_env(TEST_KEY, 20, NULL), 3);
  assert_has("no call ID");
}
END_TEST

START_TEST(key_from_file) {
  standin_start(&e, NULL);
  ck_assert_int_eq(
      check_env(NULL, 20, "-k", e.key_file, "-i", "ACmissed0001", NULL), 0);
  assert_line("OK");
  ck_assert_ptr_null(strstr(out, "can be read by"));
  /* A readable key file: named in the -v details, never in the status. */
  ck_assert_int_eq(chmod(e.key_file, 0640), 0);
  ck_assert_int_eq(
      check_env(NULL, 20, "-k", e.key_file, "-i", "ACmissed0001", "-v", NULL),
      0);
  assert_line("OK");
  ck_assert_ptr_null(strstr(first_line(), "can be read by"));
  assert_has("can be read by its group or others");
  assert_has(e.key_file);
}
END_TEST

START_TEST(hostile_api_text_never_breaks_the_line) {
  env_fixture(&e, "ACevil0001.fault",
              "raw 403 {\"message\":\"a|b\\nc\\u001b[31m%s%n\",\"code\":"
              "\"01|01\\n403\",\"title\":\"x|y\\r\\nQUO OK - fake | "
              "time=1s\"}\n");
  standin_start(&e, NULL);
  ck_assert_int_eq(check("-i", "ACevil0001", "-v"), 2);
  assert_line("CRITICAL");
  /* The only '|' is ours, before the perfdata. */
  char *line = first_line();
  ck_assert_ptr_eq(strchr(line, '|'), strstr(line, " | time=") + 1);
  ck_assert_ptr_null(strchr(out, '\x1b'));
  ck_assert_ptr_null(strchr(out, '\r'));
  /* Only our own lines: the first and one per call with -v. */
  int lines = 0;
  for (char *p = out; *p; p++)
    lines += *p == '\n';
  ck_assert_int_eq(lines, 2);
  assert_has("API code 0101403");
}
END_TEST

START_TEST(key_echoed_by_the_server_is_blanked) {
  env_fixture(&e, "ACecho0001.fault", "echo-key 401\n");
  standin_start(&e, NULL);
  /* check() itself asserts the key is nowhere in the output. */
  ck_assert_int_eq(check("-i", "ACecho0001", "-v"), 2);
  assert_line("CRITICAL");
  assert_has("Invalid API key ****");
}
END_TEST

START_TEST(status_line_is_bounded) {
  standin_start(&e, NULL);
  const char *argv[70];
  static char ids[60][40];
  int n = 0;
  for (int i = 0; i < 30; i++) {
    snprintf(ids[i], sizeof(ids[i]), "ACnotfoundwithalongname%04d", i);
    argv[n++] = "-i";
    argv[n++] = ids[i];
  }
  argv[n] = NULL;
  char base[64];
  const char *bin = check_quo_path();
  snprintf(base, sizeof(base), "http://127.0.0.1:%d", e.port);
  const char *full[80] = {bin, "-u", base};
  memcpy(full + 3, argv, (n + 1) * sizeof(*argv));
  const char *envp[] = {"QUO_API_KEY=" TEST_KEY, NULL};
  free(out);
  ck_assert_int_eq(run_capture(full, envp, &out, 20), 1);
  char *line = first_line();
  char *bar = strchr(line, '|');
  ck_assert_ptr_nonnull(bar);
  ck_assert_int_le(bar - line, 420);
  assert_line("WARNING");
}
END_TEST

START_TEST(help_documents_every_option) {
  static const char *const opts[] = {"--call-id",
                                     "--base-url",
                                     "--api-key-file",
                                     "--timeout",
                                     "--warning",
                                     "--critical",
                                     "--answer-warning",
                                     "--answer-critical",
                                     "--duration-warning",
                                     "--duration-critical",
                                     "--not-found-state",
                                     "--ca-cert",
                                     "--verbose",
                                     "--version",
                                     "--help",
                                     "QUO_API_KEY",
                                     "CRITICAL",
                                     "@10:20",
                                     "--status-warning",
                                     "--status-critical",
                                     "--api-version",
                                     "other",
                                     "FIFO",
                                     "no time"};
  standin_start(&e, NULL);
  check("-h");
  for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
    assert_has(opts[i]);
  /* The Monitoring Plugins' print_revision form, exactly. */
  ck_assert_int_eq(check("-V"), 3);
  ck_assert_str_eq(out, "check_quo v" QUO_VERSION " (quo-collectd " QUO_VERSION
                        ")\n");
}
END_TEST

/* Replaces every `from` in buf (capacity cap) by `to`. */
static void substitute(char *buf, size_t cap, const char *from,
                       const char *to) {
  char *out = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&out, &len);
  size_t flen = strlen(from);
  const char *p = buf;
  for (const char *hit = strstr(p, from); hit != NULL; hit = strstr(p, from)) {
    fprintf(m, "%.*s%s", (int)(hit - p), p, to);
    p = hit + flen;
  }
  fputs(p, m);
  fclose(m);
  snprintf(buf, cap, "%s", out);
  free(out);
}

/* Runs a command_line of a Nagios object file the way Nagios would: macros
 * substituted, then through /bin/sh (the lines quote their arguments). */
static int run_nagios_command(const char *file, const char *name,
                              const char *const *args, size_t nargs) {
  char *cfg = slurp(file);
  char *p = cfg;
  bool found = false;
  for (p = strstr(p, "command_name"); p != NULL && !found;
       p = strstr(p + 1, "command_name")) {
    char got[128];
    found = sscanf(p, "command_name %127s", got) == 1 && strcmp(got, name) == 0;
    if (found)
      break;
  }
  ck_assert_msg(found, "no command %s in %s", name, file);
  p = strstr(p, "command_line");
  ck_assert_ptr_nonnull(p);
  p += strlen("command_line");
  p += strspn(p, " \t");
  char line[2048];
  snprintf(line, sizeof(line), "%.*s", (int)strcspn(p, "\n"), p);
  free(cfg);

  substitute(line, sizeof(line), "$USER1$/check_quo", check_quo_path());
  substitute(line, sizeof(line), "/usr/lib/nagios/plugins/check_quo",
             check_quo_path());
  substitute(line, sizeof(line), "/etc/nagios/quo.key", e.key_file);
  for (size_t i = 0; i < nargs; i++) {
    char macro[16];
    snprintf(macro, sizeof(macro), "$ARG%zu$", i + 1);
    substitute(line, sizeof(line), macro, args[i]);
  }
  /* The stand-in instead of api.quo.com. */
  char tail[64];
  snprintf(tail, sizeof(tail), " -u http://127.0.0.1:%d", e.port);
  size_t used = strlen(line);
  snprintf(line + used, sizeof(line) - used, "%s", tail);
  const char *argv[] = {"/bin/sh", "-c", line, NULL};
  free(out);
  return run_capture(argv, NULL, &out, 20);
}

START_TEST(contrib_nagios_commands_run) {
  standin_start(&e, NULL);
  const char *pkg = "packaging/debian/quo.cfg";
  const char *ok[] = {"AC3700e624eca547eb9f749a06f2eb1", "2", "5"};
  ck_assert_int_eq(run_nagios_command(pkg, "check_quo", ok, 3), 0);
  assert_line("OK");
  const char *late[] = {"AC3700e624eca547eb9f749a06f2eb1", "5", "60"};
  ck_assert_int_eq(run_nagios_command(pkg, "check_quo_answer", late, 3), 1);
  assert_line("WARNING");
  /* The command that takes extra arguments, and contrib's own. */
  const char *nf[] = {"ACnosuchcall", "-t 5 --not-found-state critical"};
  ck_assert_int_eq(run_nagios_command(pkg, "check_quo_args", nf, 2), 2);
  assert_line("CRITICAL");
  ck_assert_int_eq(
      run_nagios_command("contrib/nagios/quo.cfg", "quo-check-call", nf, 2), 2);
  assert_line("CRITICAL");
  ck_assert_ptr_null(strstr(out, TEST_KEY));
}
END_TEST

START_TEST(contrib_icinga2_arguments_exist) {
  char *conf = slurp("contrib/icinga2/quo.conf");
  /* The key comes from a file, never a custom variable (those show in
   * `icinga2 object list` and the API). */
  ck_assert_ptr_nonnull(strstr(conf, "value = \"$quo_api_key_file$\""));
  ck_assert_ptr_null(strstr(conf, "QUO_API_KEY"));
  ck_assert_ptr_nonnull(strstr(conf, "repeat_key = true"));
  standin_start(&e, NULL);
  check("-h");
  /* Every argument the CheckCommand passes is one check_quo documents. */
  int seen = 0;
  for (char *p = conf; (p = strstr(p, "    \"-")) != NULL; p++) {
    char opt[64];
    ck_assert_int_eq(sscanf(p, " \"%63[^\"]\"", opt), 1);
    ck_assert_msg(strstr(out, opt) != NULL, "%s not in check_quo -h", opt);
    seen++;
  }
  ck_assert_int_ge(seen, 11);
  free(conf);
}
END_TEST

/* ---- issue 11 / 13 behaviours ---- */

/* Writes <dir>/calls/<id>.json: a missed call (finished, never answered). */
static void missed_fixture(const char *id) {
  env_generated_call(&e, &(callgen_t){.id = id,
                                      .status = "missed",
                                      .created_at = "2026-11-27T09:15:00Z",
                                      .completed_at = "2026-11-27T09:15:30Z"});
}

/* The stand-in lets 2 requests a second through and asks for a 30 s pause;
 * check_quo starts 10 at once (its own budget), so 8 get 429 and the other
 * 4 are held back by a pause far longer than -t. */
START_TEST(calls_held_back_by_a_429_pause_are_warning) {
  const char *extra[] = {"--rate-limit", "2", "--retry-after", "30", NULL};
  static char ids[14][24];
  const char *argv[40];
  int n = 0;
  for (int i = 0; i < 14; i++) {
    snprintf(ids[i], sizeof(ids[i]), "ACpaced%04d", i);
    missed_fixture(ids[i]);
    argv[n++] = "-i";
    argv[n++] = ids[i];
  }
  standin_start(&e, extra);
  char base[64];
  snprintf(base, sizeof(base), "http://127.0.0.1:%d", e.port);
  const char *full[48] = {check_quo_path(), "-u", base, "-t", "3", "-v"};
  memcpy(full + 6, argv, (size_t)n * sizeof(*argv));
  full[6 + n] = NULL;
  const char *envp[] = {"QUO_API_KEY=" TEST_KEY, NULL};
  free(out);
  ck_assert_int_eq(run_capture(full, envp, &out, 20), 1);
  const char *perf = assert_line("WARNING");
  assert_has("HTTP 429");
  /* (The status text is cut at 400 bytes; the -v lines name each call.) */
  assert_has(": WARNING; not started: a 429 paused the rate budget\n");
  /* Not one call CRITICAL, and nothing "timed out". */
  ck_assert_ptr_null(strstr(out, "CRITICAL"));
  ck_assert_ptr_null(strstr(out, "timed out"));
  /* Every call has its -v line; held-back calls have no time perfdata. */
  int held = 0, timed = 0;
  for (int i = 0; i < 14; i++) {
    char line[500], tok[400];
    snprintf(line, sizeof(line), "%s: WARNING; not started: a 429 paused",
             ids[i]);
    snprintf(tok, sizeof(tok), "time_%s=", ids[i]);
    held += strstr(out, line) != NULL;
    timed += strstr(perf, tok) != NULL;
  }
  ck_assert_int_ge(held, 1);
  ck_assert_int_eq(held + timed, 14);
}
END_TEST

/* Key and CA files that are no regular file, or a key with a BOM: UNKNOWN,
 * the file named, within -t (run_capture kills a check that blocks, which
 * then fails the exit code). -k is given each kind of bad file, --ca-cert
 * the first two. */
static const char *const bad_kinds[] = {"fifo", "dir", "bom", "empty"};
#define N_BAD_KEYS ((int)IT_ROWS(bad_kinds))
#define N_BAD_FILES (N_BAD_KEYS + 2)

/* Makes path a bad file of the given kind; returns what check_quo says of
 * it. */
static const char *make_bad_file(const char *path, const char *kind) {
  if (strcmp(kind, "fifo") == 0) {
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    return "is not a regular file";
  }
  if (strcmp(kind, "dir") == 0) {
    ck_assert_int_eq(mkdir(path, 0700), 0);
    return "is a directory";
  }
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  bool bom = strcmp(kind, "bom") == 0;
  if (bom)
    fputs("\xef\xbb\xbf"
          "abc\n",
          f);
  fclose(f);
  return bom ? "byte order mark" : "is empty";
}

START_TEST(unreadable_key_or_ca_file_is_unknown) {
  /* _i: -k with bad_kinds[_i], then --ca-cert with the first two. */
  const char *opt = _i < N_BAD_KEYS ? "-k" : "--ca-cert";
  const char *kind = bad_kinds[_i % N_BAD_KEYS];
  char path[400];
  snprintf(path, sizeof(path), "%s/bad-%s", e.dir, kind);
  const char *says = make_bad_file(path, kind);
  standin_start(&e, NULL);
  ck_assert_int_eq(
      check_env(TEST_KEY, 8, "-t", "2", opt, path, "-i", "ACmissed0001", NULL),
      3);
  assert_line("UNKNOWN");
  char want[500];
  snprintf(want, sizeof(want), "QUO UNKNOWN - %s: ", opt);
  ck_assert_msg(strncmp(first_line(), want, strlen(want)) == 0, "%s",
                first_line());
  assert_has(path);
  assert_has(says);
  /* Nothing was fetched. */
  ck_assert_int_eq(standin_stat(&e, "requests"), 0);
}
END_TEST

/* A one-connection-at-a-time HTTP server answering every request with
 * `response`; the request lines (Authorization left out, it holds the key)
 * are appended to <dir>/requests. Returns its port; teardown's kill ends
 * it. */
static pid_t mini_pid;

static int mini_server(const char *response) {
  int pfd[2];
  ck_assert_int_eq(pipe(pfd), 0);
  mini_pid = fork();
  ck_assert_int_ge(mini_pid, 0);
  if (mini_pid == 0) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(s, 8) != 0 || getsockname(s, (struct sockaddr *)&a, &len) != 0)
      _exit(1);
    int port = ntohs(a.sin_port);
    if (write(pfd[1], &port, sizeof(port)) != sizeof(port))
      _exit(1);
    char log[400];
    snprintf(log, sizeof(log), "%s/requests", e.dir);
    for (;;) {
      int c = accept(s, NULL, NULL);
      if (c < 0)
        continue;
      char req[8192];
      size_t n = 0;
      while (n < sizeof(req) - 1 && (n < 4 || !memmem(req, n, "\r\n\r\n", 4))) {
        ssize_t r = read(c, req + n, sizeof(req) - 1 - n);
        if (r <= 0)
          break;
        n += (size_t)r;
      }
      req[n] = '\0';
      FILE *f = fopen(log, "a");
      for (char *save, *l = strtok_r(req, "\r\n", &save); f && l;
           l = strtok_r(NULL, "\r\n", &save))
        if (strncasecmp(l, "Authorization:", 14) != 0)
          fprintf(f, "%s\n", l);
      if (f)
        fclose(f);
      if (write(c, response, strlen(response)) < 0)
        _exit(1);
      close(c);
    }
  }
  int port = 0;
  ck_assert_int_eq(read(pfd[0], &port, sizeof(port)), (ssize_t)sizeof(port));
  close(pfd[0]);
  close(pfd[1]);
  return port;
}

static void mini_stop(void) {
  if (mini_pid > 0) {
    kill(mini_pid, SIGKILL);
    waitpid(mini_pid, NULL, 0);
    mini_pid = 0;
  }
}

/* Location, and how the status text starts. */
static const struct {
  const char *location, *says;
} redirects[] = {
    {"https://elsewhere.example/v1/calls/ACmissed0001",
     "ACmissed0001: HTTP 301, redirect to "
     "https://elsewhere.example/v1/calls/ACmissed0001 "
     "(redirects are not followed: check BaseURL) | time="},
    /* A server quoting the key in the Location: withheld, never printed
     * (check_env asserts the key is nowhere in the output). */
    {"https://evil.example/?k=" TEST_KEY,
     "ACmissed0001: HTTP 301, redirect to (withheld: it contains the API "
     "key) (redirects are not followed: check BaseURL) | time="},
};

START_TEST(redirect_names_its_location) {
  char resp[512];
  snprintf(resp, sizeof(resp),
           "HTTP/1.1 301 Moved Permanently\r\nLocation: %s\r\n"
           "Content-Length: 0\r\nConnection: close\r\n\r\n",
           redirects[_i].location);
  int port = mini_server(resp);
  char base[64];
  snprintf(base, sizeof(base), "http://127.0.0.1:%d", port);
  int st = check_env(TEST_KEY, 20, "-u", base, "-i", "ACmissed0001", NULL);
  mini_stop();
  ck_assert_int_eq(st, 2);
  /* A response came: its time is in the perfdata. */
  assert_line("CRITICAL");
  const char *text = first_line() + strlen("QUO CRITICAL - ");
  ck_assert_msg(strncmp(text, redirects[_i].says, strlen(redirects[_i].says)) ==
                    0,
                "want '%s...', got '%s'", redirects[_i].says, text);
}
END_TEST

START_TEST(api_version_dated_path_and_header) {
  char resp[2048], body[1024];
  ck_assert_int_gt(
      callgen_body(&(callgen_t){.id = "ACdated0001",
                                .status = "missed",
                                .created_at = "2026-11-27T09:15:00Z"},
                   body, sizeof(body)),
      0);
  snprintf(resp, sizeof(resp),
           "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
           "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
           strlen(body), body);
  int port = mini_server(resp);
  char base[64], log[400];
  snprintf(base, sizeof(base), "http://127.0.0.1:%d", port);
  snprintf(log, sizeof(log), "%s/requests", e.dir);
  /* A known dated version: the dated path, the version header. */
  ck_assert_int_eq(check_env(TEST_KEY, 20, "-u", base, "--api-version",
                             "2026-03-30", "-i", "ACdated0001", "-v", NULL),
                   0);
  assert_line("OK");
  ck_assert_ptr_null(strstr(out, "newer than"));
  char *reqs = slurp(log);
  ck_assert_ptr_nonnull(strstr(reqs, "GET /calls/ACdated0001 HTTP/1.1\n"));
  ck_assert_ptr_nonnull(strstr(reqs, "Quo-Api-Version: 2026-03-30\n"));
  ck_assert_ptr_null(strstr(reqs, "/v1/"));
  free(reqs);
  unlink(log);
  /* A later date: accepted, with a note in the -v output only. */
  ck_assert_int_eq(check_env(TEST_KEY, 20, "-u", base, "--api-version",
                             "2027-01-15", "-i", "ACdated0001", "-v", NULL),
                   0);
  assert_line("OK");
  ck_assert_ptr_null(strstr(first_line(), "newer"));
  assert_has("note: API version 2027-01-15 is newer than the newest this "
             "release knows (2026-03-30)");
  reqs = slurp(log);
  ck_assert_ptr_nonnull(strstr(reqs, "Quo-Api-Version: 2027-01-15\n"));
  free(reqs);
  unlink(log);
  /* v1: the v1 path and no header. */
  ck_assert_int_eq(check_env(TEST_KEY, 20, "-u", base, "--api-version", "v1",
                             "-i", "ACdated0001", NULL),
                   0);
  reqs = slurp(log);
  ck_assert_ptr_nonnull(strstr(reqs, "GET /v1/calls/ACdated0001 HTTP/1.1\n"));
  ck_assert_ptr_null(strstr(reqs, "Quo-Api-Version"));
  free(reqs);
  mini_stop();
  /* Anything else: a usage error naming the option and the value. */
  static const char *const bad[] = {"v2", "2026-03-29", "2026-02-30", "latest"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    ck_assert_int_eq(check("--api-version", bad[i], "-i", "ACdated0001"), 3);
    char want[96];
    snprintf(want, sizeof(want),
             "QUO UNKNOWN - --api-version: \"%s\" is not "
             "an API version",
             bad[i]);
    ck_assert_msg(strncmp(first_line(), want, strlen(want)) == 0, "%s",
                  first_line());
  }
}
END_TEST

/* --status-warning / --status-critical against the missed call. */
static const struct {
  const char *opt, *list;
  int code;
  const char *state, *text;
} status_opts[] = {
    {"--status-warning", "missed,no-answer", 1, "WARNING",
     "ACmissed0001: missed, duration 0s, API "},
    {"--status-critical", "no-answer,missed", 2, "CRITICAL",
     ", status missed is in --status-critical | "},
    {"--status-warning", "completed,other", 0, "OK", "ACmissed0001: missed"},
    {"--status-critical", "busy", 0, "OK", "ACmissed0001: missed"},
    {"--status-warning", "missed,bogus", 3, "UNKNOWN",
     "--status-warning: \"bogus\" is not a call status"},
    {"--status-critical", "Missed", 3, "UNKNOWN",
     "--status-critical: \"Missed\" is not a call status"},
};

START_TEST(status_lists_raise_the_state) {
  standin_start(&e, NULL);
  ck_assert_int_eq(
      check("-i", "ACmissed0001", status_opts[_i].opt, status_opts[_i].list),
      status_opts[_i].code);
  const char *perf = assert_line(status_opts[_i].state);
  ck_assert_msg(strstr(first_line(), status_opts[_i].text) != NULL,
                "'%s' not in %s", status_opts[_i].text, first_line());
  if (status_opts[_i].code == 1)
    ck_assert_ptr_nonnull(
        strstr(first_line(), ", status missed is in --status-warning"));
  if (status_opts[_i].code != 3)
    ck_assert_ptr_nonnull(strstr(perf, "duration=0s;;;0"));
}
END_TEST

/* Without the lists a missed call stays OK (the status alone never changes
 * the state), and the 13 statuses and "other" are all accepted. */
START_TEST(status_lists_accept_every_status) {
  standin_start(&e, NULL);
  ck_assert_int_eq(check("-i", "ACmissed0001"), 0);
  ck_assert_int_eq(
      check("-i", "AC3700e624eca547eb9f749a06f2eb1", "--status-warning",
            "queued,initiated,ringing,in-progress,busy,failed,no-answer,"
            "canceled,missed,answered,forwarded,abandoned,other",
            "--status-critical", "completed"),
      2);
  assert_line("CRITICAL");
  assert_has("status completed is in --status-critical");
}
END_TEST

/* Each short option and its long form, against the missed call: the value
 * ("%u" the stand-in's URL, "%k" the key file; NULL for a flag), whether
 * the key is in QUO_API_KEY, a fault for the call, the exit code and what
 * the output holds. Each row is a case where the option changes the
 * result, so an ignored long form shows. */
static const struct {
  const char *shrt, *lng, *value;
  bool key_env;
  const char *fault;
  int code;
  const char *says;
} long_opts[] = {
    {"-i", "--call-id", "ACmissed0001", true, NULL, 0,
     "QUO OK - ACmissed0001: missed"},
    {"-u", "--base-url", "%u", true, NULL, 0, "QUO OK - ACmissed0001: missed"},
    {"-k", "--api-key-file", "%k", false, NULL, 0,
     "QUO OK - ACmissed0001: missed"},
    {"-t", "--timeout", "1", true, "delay 3000\n", 2, "timed out"},
    {"-w", "--warning", "@0:10", true, NULL, 1, "QUO WARNING - "},
    {"-c", "--critical", "@0:10", true, NULL, 2, "QUO CRITICAL - "},
    {"-v", "--verbose", NULL, true, NULL, 0,
     "\nACmissed0001: OK; valid call record, finished\n"},
};

/* Runs check_quo with opt (and the value of long_opts[row]) against the
 * stand-in; -u and -i are added unless opt is one of them. */
static int run_form(int row, const char *opt, char **got) {
  char base[64];
  snprintf(base, sizeof(base), "http://127.0.0.1:%d", e.port);
  const char *value = long_opts[row].value;
  if (value != NULL && strcmp(value, "%u") == 0)
    value = base;
  else if (value != NULL && strcmp(value, "%k") == 0)
    value = e.key_file;
  const char *argv[12] = {check_quo_path()};
  int n = 1;
  if (strcmp(long_opts[row].shrt, "-u") != 0) {
    argv[n++] = "-u";
    argv[n++] = base;
  }
  if (strcmp(long_opts[row].shrt, "-i") != 0) {
    argv[n++] = "-i";
    argv[n++] = "ACmissed0001";
  }
  argv[n++] = opt;
  if (value != NULL)
    argv[n++] = value;
  argv[n] = NULL;
  const char *envp[] = {
      long_opts[row].key_env ? "QUO_API_KEY=" TEST_KEY : "QUO_API_KEY=", NULL};
  int st = run_capture(argv, envp, got, 10);
  ck_assert_ptr_null(strstr(*got, TEST_KEY));
  return st;
}

/* The status text: the first line without its perfdata, every time with
 * fractions of a second ("0.000641s") as "#s" and every count of
 * milliseconds as "#": the response time and the timeout curl measured
 * differ from run to run, nothing else may. */
static char *status_text(const char *output) {
  char *t = strndup(output, strcspn(output, "\n"));
  char *bar = strstr(t, " | ");
  if (bar != NULL)
    *bar = '\0';
  char *w = t;
  for (const char *r = t; *r;) {
    size_t whole = strspn(r, "0123456789");
    size_t frac =
        whole > 0 && r[whole] == '.' ? strspn(r + whole + 1, "0123456789") : 0;
    if (frac > 0 && r[whole + 1 + frac] == 's') {
      *w++ = '#';
      r += whole + 1 + frac;
    } else if (whole > 0 && strncmp(r + whole, " milliseconds", 13) == 0) {
      *w++ = '#'; /* curl's measure of a timeout: 998 as often as 1001 */
      r += whole;
    } else {
      *w++ = *r++;
    }
  }
  *w = '\0';
  return t;
}

static int count_lines(const char *s) {
  int n = 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

START_TEST(long_options_same_as_short) {
  /* _i: one option of long_opts. */
  if (long_opts[_i].fault != NULL)
    env_fixture(&e, "ACmissed0001.fault", long_opts[_i].fault);
  standin_start(&e, NULL);
  char *shrt = NULL, *lng = NULL;
  int st_short = run_form(_i, long_opts[_i].shrt, &shrt);
  int st_long = run_form(_i, long_opts[_i].lng, &lng);
  ck_assert_msg(st_short == long_opts[_i].code, "%s: exit %d, want %d: %s",
                long_opts[_i].shrt, st_short, long_opts[_i].code, shrt);
  ck_assert_msg(st_long == st_short, "%s: exit %d, %s: exit %d: %s",
                long_opts[_i].lng, st_long, long_opts[_i].shrt, st_short, lng);
  ck_assert_msg(strstr(shrt, long_opts[_i].says) != NULL, "'%s' not in %s",
                long_opts[_i].says, shrt);
  ck_assert_msg(strstr(lng, long_opts[_i].says) != NULL, "'%s' not in %s",
                long_opts[_i].says, lng);
  char *a = status_text(shrt), *b = status_text(lng);
  ck_assert_str_eq(b, a);
  ck_assert_int_eq(count_lines(lng), count_lines(shrt));
  free(a);
  free(b);
  free(shrt);
  free(lng);
}
END_TEST

/* No option takes the key itself (argv shows in ps), not even as an
 * abbreviation getopt_long would expand: a usage error that never echoes
 * the value (check_env asserts the key is nowhere in the output). */
static const char *const key_forms[][2] = {
    {"--api-key", TEST_KEY},   {"--api-key=" TEST_KEY, NULL},
    {"--key", TEST_KEY},       {"--apikey=" TEST_KEY, NULL},
    {"--api-key-f", TEST_KEY}, {"--api-key" TEST_KEY, NULL},
    {TEST_KEY, NULL},
};

START_TEST(no_option_takes_the_key) {
  /* _i: one way of passing the key as an argument. */
  standin_start(&e, NULL);
  int st =
      key_forms[_i][1] != NULL
          ? check_env(NULL, 10, key_forms[_i][0], key_forms[_i][1], "-i",
                      "ACmissed0001", NULL)
          : check_env(NULL, 10, key_forms[_i][0], "-i", "ACmissed0001", NULL);
  ck_assert_int_eq(st, 3);
  assert_line("UNKNOWN");
  /* A usage error, not an attempt to read a key file of that name. */
  ck_assert_ptr_null(strstr(out, "API key file"));
  ck_assert_int_eq(standin_stat(&e, "requests"), 0);
}
END_TEST

IT_SUITE(check_suite, "check_quo", IT_CASE_EACH("states", 30, setup, teardown),
         IT_TEST(completed_call_ok), IT_TEST(missed_call_ok_without_latency),
         IT_LOOP_N(documented_error_bodies, 5),
         IT_TEST(rate_limited_is_warning),
         IT_LOOP(bad_answers_are_critical, critical),
         IT_TEST(timeout_is_critical_and_prompt),
         IT_TEST(nothing_listening_is_critical),
         IT_TEST(several_ids_worst_wins_labels_per_call),
         IT_LOOP(threshold_inside_and_outside, thresholds),
         IT_TEST(answer_threshold_ignored_while_unanswered),
         IT_LOOP_N(not_found_state_option, 4), IT_TEST(unknown_states),
         IT_TEST(key_from_file),
         IT_TEST(hostile_api_text_never_breaks_the_line),
         IT_TEST(key_echoed_by_the_server_is_blanked),
         IT_TEST(status_line_is_bounded), IT_TEST(help_documents_every_option),
         IT_TEST(contrib_nagios_commands_run),
         IT_TEST(contrib_icinga2_arguments_exist),
         IT_TEST(calls_held_back_by_a_429_pause_are_warning),
         IT_LOOP_N(unreadable_key_or_ca_file_is_unknown, N_BAD_FILES),
         IT_LOOP(redirect_names_its_location, redirects),
         IT_TEST(api_version_dated_path_and_header),
         IT_LOOP(status_lists_raise_the_state, status_opts),
         IT_TEST(status_lists_accept_every_status),
         IT_LOOP(long_options_same_as_short, long_opts),
         IT_LOOP(no_option_takes_the_key, key_forms))
