/* quo_config_*: every setter's refusals, and what finish resolves. */
#include "unit.h"

#include "config.h"
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static quo_config_t cfg;
static char err[512];

static void setup(void) {
  quo_config_init(&cfg);
  err[0] = '\0';
}

static void teardown(void) {
  quo_config_free(&cfg);
}

static bool contains(const char *needle) {
  return strstr(err, needle) != NULL;
}

static char *dup_key(const char *k) {
  char *s = strdup(k);
  ck_assert_ptr_nonnull(s);
  return s;
}

/* A config that finish() accepts. */
static void complete(void) {
  ck_assert_int_eq(quo_config_set_key(&cfg, dup_key("k-123"), err, sizeof(err)),
                   0);
  ck_assert_int_eq(
      quo_config_add_call(&cfg, "AC123abc", NULL, err, sizeof(err)), 0);
}

/* ---- defaults ---- */

START_TEST(config_init_defaults) {
  ck_assert_ptr_null(cfg.base_url);
  ck_assert_ptr_null(cfg.api_key);
  ck_assert_ptr_null(cfg.calls);
  ck_assert_uint_eq(cfg.ncalls, 0);
  ck_assert(cfg.verify_peer);
  ck_assert(cfg.verify_host);
  ck_assert_int_eq(cfg.timeout_ms, 0);
}
END_TEST

START_TEST(config_finish_default_base_url) {
  complete();
  ck_assert_int_eq(quo_config_finish(&cfg, 60, err, sizeof(err)), 0);
  ck_assert_str_eq(cfg.base_url, QUO_DEFAULT_BASE_URL);
  ck_assert_str_eq(cfg.calls[0].url, "https://api.quo.com/v1/calls/AC123abc");
}
END_TEST

/* ---- base URL ---- */

START_TEST(config_base_url_replaced) {
  ck_assert_int_eq(quo_config_set_base_url(&cfg, "http://a", err, sizeof(err)),
                   0);
  ck_assert_int_eq(quo_config_set_base_url(&cfg, "http://b", err, sizeof(err)),
                   0);
  ck_assert_str_eq(cfg.base_url, "http://b");
}
END_TEST

static void base_url_refused(const char *url) {
  err[0] = '\0';
  ck_assert_msg(quo_config_set_base_url(&cfg, url, err, sizeof(err)) == -1,
                "accepted \"%s\"", url);
  /* Named as printed: control characters and '|' shown as '?'. */
  char shown[200];
  quo_sanitize(shown, sizeof(shown), url, strlen(url));
  ck_assert_msg(contains(shown), "err \"%s\" does not name \"%s\"", err, shown);
  for (const char *p = err; *p; p++)
    ck_assert_msg(*p >= 0x20 && *p < 0x7f, "raw byte 0x%02x in err",
                  (unsigned char)*p);
  ck_assert_ptr_null(cfg.base_url);
}

START_TEST(config_base_url_refusal_keeps_previous) {
  ck_assert_int_eq(quo_config_set_base_url(&cfg, "http://a", err, sizeof(err)),
                   0);
  ck_assert_int_eq(quo_config_set_base_url(&cfg, "ftp://b", err, sizeof(err)),
                   -1);
  ck_assert_str_eq(cfg.base_url, "http://a");
}
END_TEST

/* ---- instances and calls ---- */

/* Instance names: letters, digits, '.', '_' and '-', not the two names
 * the plugin's own values use. */
static const struct {
  const char *name;
  bool valid;
} instances[] = {
    {"support-line", true}, {"a.b_c-D9", true}, {"x", true},
    {"API", true},          {"api2", true},     {"callsx", true},
    {"api", false},         {"calls", false},   {"", false},
    {"a b", false},         {"a/b", false},     {"a|b", false},
    {"a:b", false},         {"a\tb", false},    {"caf\xc3\xa9", false},
    {"a+b", false},         {"a@b", false},     {"a,b", false},
};

START_TEST(config_instance_valid) {
  ck_assert_msg(quo_instance_valid(instances[_i].name) == instances[_i].valid,
                "\"%s\": valid %d", instances[_i].name,
                quo_instance_valid(instances[_i].name));
}
END_TEST

START_TEST(config_instance_length) {
  char s[80];
  memset(s, 'i', 63);
  s[63] = '\0';
  ck_assert(quo_instance_valid(s));
  s[63] = 'i';
  s[64] = '\0';
  ck_assert(!quo_instance_valid(s));
  ck_assert(!quo_instance_valid(""));
}
END_TEST

START_TEST(config_add_call_default_instance) {
  ck_assert_int_eq(
      quo_config_add_call(&cfg, "AC123abc", NULL, err, sizeof(err)), 0);
  ck_assert_uint_eq(cfg.ncalls, 1);
  ck_assert_str_eq(cfg.calls[0].id, "AC123abc");
  ck_assert_str_eq(cfg.calls[0].instance, "AC123abc");
  ck_assert_ptr_null(cfg.calls[0].url);
}
END_TEST

START_TEST(config_add_call_named_instance) {
  ck_assert_int_eq(
      quo_config_add_call(&cfg, "AC123abc", "support-line", err, sizeof(err)),
      0);
  ck_assert_str_eq(cfg.calls[0].instance, "support-line");
}
END_TEST

/* add_call(id, instance) is refused with an error that names each of the
 * first n strings in named (up to a NULL) and shows no raw byte. */
static void expect_add_refused(const char *id, const char *instance,
                               const char *const *named, size_t n) {
  ck_assert_int_eq(quo_config_add_call(&cfg, id, instance, err, sizeof(err)),
                   -1);
  for (size_t k = 0; k < n && named[k] != NULL; k++)
    ck_assert_msg(contains(named[k]), "err \"%s\" does not name %s", err,
                  named[k]);
  for (const char *p = err; *p; p++)
    ck_assert_msg(*p >= 0x20 && *p < 0x7f, "raw byte 0x%02x in err",
                  (unsigned char)*p);
}

/* Calls refused by add_call, and what the error must name. */
static const struct {
  const char *id, *instance, *named[2];
} refused_calls[] = {
    {"AC123abc", "api", {"\"api\"", "AC123abc"}},
    {"AC123abc", "calls", {"\"calls\"", "AC123abc"}},
    {"AC123abc", "bad/inst", {"bad/inst", "Instance"}},
    {"AC", NULL, {"\"AC\"", NULL}},
    {"ac123", NULL, {"\"ac123\"", NULL}},
    {"AC12/34", NULL, {"\"AC12/34\"", NULL}},
    {"XX123", NULL, {"\"XX123\"", NULL}},
    {"AC12 3", NULL, {"\"AC12 3\"", NULL}},
    {"", NULL, {"\"\"", NULL}},
    /* Named as printed: control characters and '|' shown as '?'. */
    {"AC1\x1b[2J|x", NULL, {"AC1?[2J?x", NULL}},
};

START_TEST(config_add_call_refused) {
  err[0] = '\0';
  expect_add_refused(refused_calls[_i].id, refused_calls[_i].instance,
                     refused_calls[_i].named,
                     UNIT_ROWS(refused_calls[_i].named));
  ck_assert_uint_eq(cfg.ncalls, 0);
}
END_TEST

START_TEST(config_add_call_instance_length) {
  char longest[80];
  memset(longest, 'i', 64);
  longest[64] = '\0';
  ck_assert_int_eq(
      quo_config_add_call(&cfg, "AC123abc", longest, err, sizeof(err)), -1);
  longest[63] = '\0';
  ck_assert_int_eq(
      quo_config_add_call(&cfg, "AC123abc", longest, err, sizeof(err)), 0);
  ck_assert_str_eq(cfg.calls[0].instance, longest);
}
END_TEST

/* An ID of `len` characters: "AC" and then `fill`. */
static const char *long_id(char *buf, size_t len, char fill) {
  buf[0] = 'A';
  buf[1] = 'C';
  memset(buf + 2, fill, len - 2);
  buf[len] = '\0';
  return buf;
}

/* IDs are at most 64 characters, with or without an Instance: the default
 * instance is the call ID, even at 64 characters (refused as an over-long
 * Instance before 061be3a). */
static const struct {
  size_t len;
  const char *instance;
  bool ok;
} id_lengths[] = {{65, "inst", false}, {64, "inst", true}, {64, NULL, true}};

START_TEST(config_add_call_id_length) {
  char id[80];
  long_id(id, id_lengths[_i].len, 'a');
  const char *instance = id_lengths[_i].instance;
  int rc = quo_config_add_call(&cfg, id, instance, err, sizeof(err));
  if (!id_lengths[_i].ok) {
    ck_assert_int_eq(rc, -1);
    ck_assert(contains(id));
    ck_assert_uint_eq(cfg.ncalls, 0);
    return;
  }
  ck_assert_msg(rc == 0, "refused: %s", err);
  ck_assert_str_eq(cfg.calls[0].id, id);
  ck_assert_str_eq(cfg.calls[0].instance, instance != NULL ? instance : id);
}
END_TEST

/* A second call that clashes with the first: refused, the error naming
 * every ID and Instance at fault, and only the first call kept. */
static const struct {
  const char *id, *instance;             /* the first call, accepted */
  const char *clash_id, *clash_instance; /* the second, refused */
  const char *named[3];                  /* in the error (NULL: no more) */
} clashes[] = {
    /* The same call twice. */
    {"AC123abc", "one", "AC123abc", "two", {"AC123abc"}},
    /* Two calls under one Instance. */
    {"AC111", "shared", "AC222", "shared", {"AC111", "AC222", "shared"}},
    /* An Instance equal to another call's ID (its default Instance). */
    {"AC111", NULL, "AC222", "AC111", {"AC111", "AC222"}},
};

START_TEST(config_clashing_call_refused) {
  ck_assert_int_eq(quo_config_add_call(&cfg, clashes[_i].id,
                                       clashes[_i].instance, err, sizeof(err)),
                   0);
  expect_add_refused(clashes[_i].clash_id, clashes[_i].clash_instance,
                     clashes[_i].named, UNIT_ROWS(clashes[_i].named));
  ck_assert_uint_eq(cfg.ncalls, 1);
}
END_TEST

START_TEST(config_many_calls) {
  for (int i = 0; i < 200; i++) {
    char id[16];
    snprintf(id, sizeof(id), "AC%d", i);
    ck_assert_int_eq(quo_config_add_call(&cfg, id, NULL, err, sizeof(err)), 0);
  }
  ck_assert_uint_eq(cfg.ncalls, 200);
  ck_assert_str_eq(cfg.calls[199].id, "AC199");
}
END_TEST

/* ---- key, CA, timeout ---- */

START_TEST(config_key_set_and_replaced) {
  ck_assert_int_eq(quo_config_set_key(&cfg, dup_key("first"), err, sizeof(err)),
                   0);
  ck_assert_int_eq(
      quo_config_set_key(&cfg, dup_key("second"), err, sizeof(err)), 0);
  ck_assert_str_eq(cfg.api_key, "second");
}
END_TEST

START_TEST(config_key_refused_freed) {
  /* Ownership passes even on refusal: valgrind checks the leak. */
  ck_assert_int_eq(
      quo_config_set_key(&cfg, dup_key("bad\x01key"), err, sizeof(err)), -1);
  ck_assert_ptr_null(strstr(err, "bad"));
  ck_assert_ptr_null(cfg.api_key);
  ck_assert_int_eq(quo_config_set_key(&cfg, dup_key(""), err, sizeof(err)), -1);
  ck_assert_int_eq(quo_config_set_key(&cfg, NULL, err, sizeof(err)), -1);
}
END_TEST

/* A fresh regular file to stand in for a CA bundle (only its kind is
 * checked at configuration); removed by the caller. */
static const char *regular_file(void) {
  static char path[32];
  snprintf(path, sizeof(path), "/tmp/quo-ca-XXXXXX");
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  close(fd);
  return path;
}

START_TEST(config_ca_cert) {
  ck_assert_int_eq(
      quo_config_set_ca_cert(&cfg, "/nonexistent/ca.pem", err, sizeof(err)),
      -1);
  ck_assert(contains("/nonexistent/ca.pem"));
  ck_assert_ptr_null(cfg.ca_cert);
  /* A device, a FIFO or a directory is no CA file (and must not block). */
  ck_assert_int_eq(quo_config_set_ca_cert(&cfg, "/dev/null", err, sizeof(err)),
                   -1);
  ck_assert(contains("\"/dev/null\" is not a regular file"));
  ck_assert_int_eq(quo_config_set_ca_cert(&cfg, "/tmp", err, sizeof(err)), -1);
  ck_assert(contains("\"/tmp\" is a directory"));
  ck_assert_ptr_null(cfg.ca_cert);
  const char *ca = regular_file();
  ck_assert_int_eq(quo_config_set_ca_cert(&cfg, ca, err, sizeof(err)), 0);
  ck_assert_str_eq(cfg.ca_cert, ca);
  unlink(ca);
}
END_TEST

START_TEST(config_timeout_out_of_bounds_refused) {
  ck_assert_int_eq(quo_config_set_timeout(&cfg, 0, err, sizeof(err)), -1);
  ck_assert_int_eq(quo_config_set_timeout(&cfg, -5, err, sizeof(err)), -1);
  ck_assert(contains("-5"));
  ck_assert_int_eq(quo_config_set_timeout(&cfg, 1500, err, sizeof(err)), 0);
  ck_assert_int_eq(cfg.timeout_ms, 1500);
  /* An hour at most, for Timeout and check_quo -t alike. */
  ck_assert_int_eq(
      quo_config_set_timeout(&cfg, QUO_MAX_TIMEOUT_MS + 1, err, sizeof(err)),
      -1);
  ck_assert(contains("3600001"));
  ck_assert_int_eq(cfg.timeout_ms, 1500);
  ck_assert_int_eq(
      quo_config_set_timeout(&cfg, QUO_MAX_TIMEOUT_MS, err, sizeof(err)), 0);
  ck_assert_int_eq(cfg.timeout_ms, 3600000);
}
END_TEST

/* ---- finish ---- */

START_TEST(config_finish_builds_urls) {
  ck_assert_int_eq(
      quo_config_set_base_url(&cfg, "http://127.0.0.1:8080/", err, sizeof(err)),
      0);
  ck_assert_int_eq(quo_config_set_key(&cfg, dup_key("k"), err, sizeof(err)), 0);
  ck_assert_int_eq(quo_config_add_call(&cfg, "AC3700e624eca547eb9f749a06f2eb1",
                                       "support", err, sizeof(err)),
                   0);
  char longest[80];
  long_id(longest, 64, 'Z');
  ck_assert_int_eq(quo_config_add_call(&cfg, longest, "long", err, sizeof(err)),
                   0);
  ck_assert_int_eq(quo_config_finish(&cfg, 60, err, sizeof(err)), 0);
  ck_assert_str_eq(cfg.calls[0].url, "http://127.0.0.1:8080/v1/calls/"
                                     "AC3700e624eca547eb9f749a06f2eb1");
  char want[160];
  snprintf(want, sizeof(want), "http://127.0.0.1:8080/v1/calls/%s", longest);
  ck_assert_str_eq(cfg.calls[1].url, want);
}
END_TEST

START_TEST(config_finish_twice_no_leak) {
  complete();
  ck_assert_int_eq(quo_config_finish(&cfg, 0, err, sizeof(err)), 0);
  ck_assert_int_eq(quo_config_finish(&cfg, 0, err, sizeof(err)), 0);
  ck_assert_str_eq(cfg.calls[0].url, "https://api.quo.com/v1/calls/AC123abc");
}
END_TEST

START_TEST(config_free_after_partial_setup) {
  quo_config_t c;
  quo_config_init(&c);
  ck_assert_int_eq(quo_config_set_base_url(&c, "http://a", err, sizeof(err)),
                   0);
  ck_assert_int_eq(quo_config_set_key(&c, dup_key("k"), err, sizeof(err)), 0);
  const char *ca = regular_file();
  ck_assert_int_eq(quo_config_set_ca_cert(&c, ca, err, sizeof(err)), 0);
  unlink(ca);
  ck_assert_int_eq(quo_config_add_call(&c, "AC1", NULL, err, sizeof(err)), 0);
  ck_assert_int_eq(quo_config_add_call(&c, "AC1", NULL, err, sizeof(err)), -1);
  quo_config_free(&c);
  ck_assert_ptr_null(c.base_url);
  ck_assert_ptr_null(c.api_key);
  ck_assert_ptr_null(c.ca_cert);
  ck_assert_ptr_null(c.calls);
  ck_assert_uint_eq(c.ncalls, 0);
  quo_config_free(&c); /* a second free is harmless */
}
END_TEST

START_TEST(config_free_after_failed_finish) {
  quo_config_t c;
  quo_config_init(&c);
  ck_assert_int_eq(quo_config_add_call(&c, "AC1", NULL, err, sizeof(err)), 0);
  ck_assert_int_eq(quo_config_finish(&c, 60, err, sizeof(err)), -1);
  ck_assert_ptr_nonnull(c.base_url); /* the default was set before refusing */
  quo_config_free(&c);
  ck_assert_ptr_null(c.base_url);
}
END_TEST

/* ---- budget and refresh ---- */

START_TEST(config_budget_refresh_defaults) {
  ck_assert_int_eq(cfg.max_per_second, 10);
  ck_assert_int_eq(cfg.max_per_second, QUO_DEFAULT_MAX_PER_SECOND);
  ck_assert_double_eq(cfg.final_refresh, 3600);
  ck_assert_double_eq(cfg.final_refresh, QUO_DEFAULT_FINAL_REFRESH);
}
END_TEST

/* ---- API version ---- */

static const struct {
  const char *v;
  bool ok;
  bool newer;
} versions[] = {
    {"v1", true, false},
    {"2026-03-30", true, false},
    {"2026-03-31", true, true},
    {"2027-01-01", true, true},
    {"2028-02-29", true, true}, /* leap year */
    {"2400-02-29", true, true}, /* leap: divisible by 400 */
    {"v2", false, false},
    {"V1", false, false},
    {"2026-3-30", false, false},
    {"2026-03-30 ", false, false},
    {"2026/03/30", false, false},
    {"2025-01-01", false, false}, /* before the first dated version */
    {"2026-03-29", false, false},
    {"2026-02-30", false, false},
    {"2027-02-29", false, false}, /* not a leap year */
    {"2100-02-29", false, false}, /* divisible by 100, not by 400 */
    {"2026-13-01", false, false},
    {"2026-00-10", false, false},
    {"2026-04-31", false, false},
    {"2026-04-00", false, false},
    {"2026-O4-01", false, false},
    {"", false, false},
};

START_TEST(config_api_version) {
  const char *v = versions[_i].v;
  /* Starts from a dated version, so that v1 visibly resets it. */
  ck_assert_int_eq(
      quo_config_set_api_version(&cfg, "2026-03-30", err, sizeof(err)), 0);
  err[0] = '\0';
  int rc = quo_config_set_api_version(&cfg, v, err, sizeof(err));
  if (versions[_i].ok) {
    ck_assert_msg(rc == 0, "\"%s\" refused: %s", v, err);
    ck_assert_str_eq(cfg.api_version, strcmp(v, "v1") == 0 ? "" : v);
  } else {
    ck_assert_msg(rc == -1, "\"%s\" accepted", v);
    char quoted[40];
    snprintf(quoted, sizeof(quoted), "\"%s\"", v);
    ck_assert_msg(contains(quoted), "err \"%s\" does not name %s", err, quoted);
    /* Refused: the previous version stands. */
    ck_assert_str_eq(cfg.api_version, "2026-03-30");
  }
  ck_assert_msg(quo_config_version_newer(&cfg) == versions[_i].newer,
                "\"%s\": newer %d", v, quo_config_version_newer(&cfg));
}
END_TEST

START_TEST(config_api_version_default_v1) {
  ck_assert_str_eq(cfg.api_version, "");
  ck_assert(!quo_config_version_newer(&cfg));
  char buf[64] = "stale";
  ck_assert_ptr_null(quo_config_version_header(&cfg, buf, sizeof(buf)));
}
END_TEST

START_TEST(config_version_header) {
  char buf[64];
  ck_assert_int_eq(quo_config_set_api_version(&cfg, "v1", err, sizeof(err)), 0);
  ck_assert_ptr_null(quo_config_version_header(&cfg, buf, sizeof(buf)));
  ck_assert_int_eq(
      quo_config_set_api_version(&cfg, "2026-03-30", err, sizeof(err)), 0);
  const char *h = quo_config_version_header(&cfg, buf, sizeof(buf));
  ck_assert_ptr_eq(h, buf);
  ck_assert_str_eq(h, "Quo-Api-Version: 2026-03-30");
  ck_assert_int_eq(
      quo_config_set_api_version(&cfg, "2027-01-01", err, sizeof(err)), 0);
  ck_assert_str_eq(quo_config_version_header(&cfg, buf, sizeof(buf)),
                   "Quo-Api-Version: 2027-01-01");
}
END_TEST

START_TEST(config_call_url) {
  char buf[128];
  /* The default base URL until one is set. */
  ck_assert_int_eq(quo_config_call_url(&cfg, "ACx1", buf, sizeof(buf)), 0);
  ck_assert_str_eq(buf, "https://api.quo.com/v1/calls/ACx1");
  ck_assert_int_eq(quo_config_set_base_url(&cfg, "http://127.0.0.1:8080/quo/",
                                           err, sizeof(err)),
                   0);
  ck_assert_int_eq(quo_config_call_url(&cfg, "ACx1", buf, sizeof(buf)), 0);
  ck_assert_str_eq(buf, "http://127.0.0.1:8080/quo/v1/calls/ACx1");
  ck_assert_int_eq(
      quo_config_set_api_version(&cfg, "2026-03-30", err, sizeof(err)), 0);
  ck_assert_int_eq(quo_config_call_url(&cfg, "ACx1", buf, sizeof(buf)), 0);
  ck_assert_str_eq(buf, "http://127.0.0.1:8080/quo/calls/ACx1");
  /* Too small a buffer: refused, not cut. */
  size_t need = strlen("http://127.0.0.1:8080/quo/calls/ACx1") + 1;
  ck_assert_int_eq(quo_config_call_url(&cfg, "ACx1", buf, need), 0);
  ck_assert_int_eq(quo_config_call_url(&cfg, "ACx1", buf, need - 1), -1);
}
END_TEST

START_TEST(config_finish_dated_urls) {
  complete();
  ck_assert_int_eq(
      quo_config_set_api_version(&cfg, "2026-03-30", err, sizeof(err)), 0);
  char longest[80];
  long_id(longest, 64, 'Z');
  ck_assert_int_eq(quo_config_add_call(&cfg, longest, "long", err, sizeof(err)),
                   0);
  ck_assert_int_eq(quo_config_finish(&cfg, 60, err, sizeof(err)), 0);
  ck_assert_str_eq(cfg.calls[0].url, "https://api.quo.com/calls/AC123abc");
  char want[160];
  snprintf(want, sizeof(want), "https://api.quo.com/calls/%s", longest);
  ck_assert_str_eq(cfg.calls[1].url, want);
}
END_TEST

/* ---- base URL authority ---- */

static const struct {
  const char *url, *stored; /* stored NULL: as given */
} accepted_urls[] = {
    {"https://api.quo.com", NULL},
    {"http://127.0.0.1:8080/quo", NULL},
    {"https://api.quo.com///", "https://api.quo.com"},
    {"http://h/p/", "http://h/p"},
    {"http://127.0.0.1:8080", NULL},
    {"http://[::1]:8080", NULL},
    {"http://[::1]", NULL},
    {"https://[2001:db8::1]/quo", NULL},
    {"http://host:1", NULL},
    {"http://host:65535/x", NULL},
    {"http://my-host_1.example.com", NULL},
};

static const char *const refused_urls[] = {"ftp://api.quo.com",
                                           "api.quo.com",
                                           "//api.quo.com",
                                           "https:/api.quo.com",
                                           "",
                                           "https://",
                                           "http://",
                                           "https:///v1",
                                           "https://api.quo.com /x",
                                           " https://api.quo.com",
                                           "https://api.quo.com\t",
                                           "https://api.quo.com\n",
                                           "https://api.quo.com?x=1",
                                           "https://api.quo.com/#frag",
                                           "http://127.0.0.1:",
                                           "http://127.0.0.1:/x",
                                           "http://:80",
                                           "http://:80/x",
                                           "http://host:99999",
                                           "http://host:65536",
                                           "http://host:123456",
                                           "http://host:0",
                                           "http://host:8a",
                                           "http://host:-1",
                                           "http://user@host",
                                           "http://user:pw@host/x",
                                           "http://[::1",
                                           "http://[::1/x",
                                           "http://[]:80",
                                           "http://[::1]x",
                                           "http://[::1]:",
                                           "http://ho st",
                                           "http://host%20x",
                                           "http://host\\x"};

START_TEST(config_base_url_accepted) {
  const char *url = accepted_urls[_i].url, *stored = accepted_urls[_i].stored;
  ck_assert_msg(quo_config_set_base_url(&cfg, url, err, sizeof(err)) == 0,
                "\"%s\" refused: %s", url, err);
  ck_assert_str_eq(cfg.base_url, stored != NULL ? stored : url);
}
END_TEST

START_TEST(config_base_url_refused) {
  base_url_refused(refused_urls[_i]);
}
END_TEST

/* ---- cleartext to a remote host ---- */

static const struct {
  const char *url; /* NULL: the default */
  bool cleartext;
} cleartexts[] = {
    {NULL, false},
    {"http://example.com", true},
    {"http://example.com:80/quo", true},
    {"https://example.com", false},
    {"http://localhost", false},
    {"http://localhost:8080/x", false},
    {"http://localhost/x", false},
    {"http://127.0.0.1:9", false},
    {"http://127.0.0.2", false},
    {"http://[::1]", false},
    {"http://[::1]:8080/quo", false},
    {"http://localhost.evil.com", true},
    {"http://localhostx", true},
    {"http://127.evil.com", true},
    {"http://127.0.0.1.evil.com/x", true},
    {"http://10.0.0.1", true},
    {"http://[::2]", true},
};

START_TEST(config_cleartext_remote) {
  const char *url = cleartexts[_i].url;
  if (url != NULL)
    ck_assert_int_eq(quo_config_set_base_url(&cfg, url, err, sizeof(err)), 0);
  ck_assert_msg(quo_config_cleartext_remote(&cfg) == cleartexts[_i].cleartext,
                "%s: cleartext_remote %d", url ? url : "(default)",
                quo_config_cleartext_remote(&cfg));
}
END_TEST

/* ---- MaxRequestsPerSecond bounds ---- */

static const struct {
  int n;
  bool ok;
} rates[] = {
    {-1, false},  {0, true},     {1, true},           {25, true},
    {1000, true}, {1001, false}, {2147483647, false}, {-2147483647 - 1, false}};

/* FinalRefresh: any non-negative number of seconds, 0 = never re-fetch a
 * finished call. */
static const struct {
  double s;
  bool ok;
  const char *named; /* in err */
} refreshes[] = {{600, true, NULL}, {60.5, true, NULL},    {0, true, NULL},
                 {-1, false, "-1"}, {-0.5, false, "-0.5"}, {NAN, false, ""}};

START_TEST(config_final_refresh_bounds) {
  ck_assert_int_eq(quo_config_set_final_refresh(&cfg, 120, err, sizeof(err)),
                   0);
  err[0] = '\0';
  int rc =
      quo_config_set_final_refresh(&cfg, refreshes[_i].s, err, sizeof(err));
  if (refreshes[_i].ok) {
    ck_assert_msg(rc == 0, "%g refused: %s", refreshes[_i].s, err);
    ck_assert_double_eq(cfg.final_refresh, refreshes[_i].s);
  } else {
    ck_assert_msg(rc == -1, "%g accepted", refreshes[_i].s);
    ck_assert(err[0] != '\0');
    ck_assert_msg(contains(refreshes[_i].named), "err \"%s\"", err);
    ck_assert_double_eq(cfg.final_refresh, 120);
  }
}
END_TEST

START_TEST(config_max_per_second_bounds) {
  ck_assert_int_eq(quo_config_set_max_per_second(&cfg, 7, err, sizeof(err)), 0);
  err[0] = '\0';
  int n = rates[_i].n;
  int rc = quo_config_set_max_per_second(&cfg, n, err, sizeof(err));
  if (rates[_i].ok) {
    ck_assert_msg(rc == 0, "%d refused: %s", n, err);
    ck_assert_int_eq(cfg.max_per_second, n);
  } else {
    ck_assert_msg(rc == -1, "%d accepted", n);
    char v[16];
    snprintf(v, sizeof(v), "%d", n);
    ck_assert_msg(contains(v), "err \"%s\" does not name %d", err, n);
    ck_assert_int_eq(cfg.max_per_second, 7);
  }
}
END_TEST

/* ---- finish names the option at fault ---- */

typedef enum { F_NONE, F_NO_KEY, F_NO_CALL, F_TIMEOUT } fset_t;

static const struct {
  const char *name;
  fset_t missing;
  long timeout_ms; /* 0: none set */
  double interval;
  const char *option; /* NULL: accepted */
  const char *named;  /* in err; accepted: the timeout resolved, in ms */
} finishes[] = {
    {"interval 0.4", F_NONE, 0, 0.4, "Interval", "0.4"},
    {"interval 0.1", F_NONE, 0, 0.1, "Interval", "0.1"},
    {"interval 0.5", F_NONE, 0, 0.5, NULL, "450"},
    {"no interval", F_NONE, 0, 0, NULL, "10000"},
    {"interval 60", F_NONE, 0, 60, NULL, "10000"},
    {"interval 10", F_NONE, 0, 10, NULL, "9000"},
    {"interval 2.5", F_NONE, 0, 2.5, NULL, "2250"},
    {"timeout = interval", F_NONE, 2000, 2, "Timeout", "2000"},
    {"timeout > interval", F_NONE, 5000, 2, "Timeout", "5000"},
    {"timeout = interval 10", F_NONE, 10000, 10, "Timeout", "10000"},
    {"timeout > interval 10", F_NONE, 30000, 10, "Timeout", "30000"},
    {"timeout < interval", F_NONE, 1999, 2, NULL, "1999"},
    {"timeout < interval 60", F_NONE, 59999, 60, NULL, "59999"},
    {"no key", F_NO_KEY, 0, 60, "APIKeyFile", "key"},
    {"no call", F_NO_CALL, 0, 60, "Call", "call"},
};

START_TEST(config_finish_err_option) {
  const char *name = finishes[_i].name;
  if (finishes[_i].missing != F_NO_KEY)
    ck_assert_int_eq(
        quo_config_set_key(&cfg, dup_key("k-123"), err, sizeof(err)), 0);
  if (finishes[_i].missing != F_NO_CALL)
    ck_assert_int_eq(
        quo_config_add_call(&cfg, "AC123abc", NULL, err, sizeof(err)), 0);
  if (finishes[_i].timeout_ms > 0)
    ck_assert_int_eq(
        quo_config_set_timeout(&cfg, finishes[_i].timeout_ms, err, sizeof(err)),
        0);
  /* A stale value from an earlier finish must not linger. */
  cfg.err_option = "stale";
  err[0] = '\0';
  int rc = quo_config_finish(&cfg, finishes[_i].interval, err, sizeof(err));
  if (finishes[_i].option == NULL) {
    ck_assert_msg(rc == 0, "%s: refused: %s", name, err);
    ck_assert_ptr_null(cfg.err_option);
    ck_assert_ptr_nonnull(cfg.calls[0].url);
    ck_assert_int_eq(cfg.timeout_ms, atol(finishes[_i].named));
  } else {
    ck_assert_msg(rc == -1, "%s: accepted", name);
    ck_assert_ptr_nonnull(cfg.err_option);
    ck_assert_msg(strcmp(cfg.err_option, finishes[_i].option) == 0,
                  "%s: err_option %s, want %s", name, cfg.err_option,
                  finishes[_i].option);
    ck_assert_msg(contains(finishes[_i].named), "%s: err \"%s\"", name, err);
  }
}
END_TEST

/* Transfers at once: MaxRequestsPerSecond x Timeout, from 16 to 256; 16
 * with the budget off; no more than the calls of a fixed list. */
static const struct {
  int per_second;
  long timeout_ms;
  bool calls_file;
  size_t ncalls;
  int want;
} in_flight[] = {
    {10, 10000, true, 0, 100},     /* the defaults: 10/s, 10 s */
    {10, 900, true, 0, 16},        /* 9 needed: the floor */
    {25, 1000, true, 0, 25},       /* exactly the rate */
    {7, 2500, true, 0, 18},        /* 17.5, rounded up */
    {100, 4500, true, 0, 256},     /* 450: the ceiling */
    {1000, 3600000, true, 0, 256}, /* the largest figures: no overflow */
    {0, 10000, true, 0, 16},       /* the budget off */
    {10, 10000, false, 3, 3},      /* three calls need three */
    {10, 10000, false, 500, 100},  /* more calls than the rate needs */
    {0, 10000, false, 1, 1},
};

START_TEST(config_in_flight_from_budget_and_timeout) {
  cfg.max_per_second = in_flight[_i].per_second;
  cfg.timeout_ms = in_flight[_i].timeout_ms;
  cfg.calls_file = in_flight[_i].calls_file ? strdup("/x/calls") : NULL;
  cfg.ncalls = in_flight[_i].ncalls;
  ck_assert_int_eq(quo_config_in_flight(&cfg), in_flight[_i].want);
  cfg.ncalls = 0; /* no call specs were added: nothing to free */
}
END_TEST

Suite *config_suite(void) {
  const unit_test_t tests[] = {
      UNIT_CASE("base_url"),
      UNIT_TEST(config_init_defaults),
      UNIT_TEST(config_finish_default_base_url),
      UNIT_TEST(config_base_url_replaced),
      UNIT_TEST(config_base_url_refusal_keeps_previous),
      UNIT_LOOP(config_base_url_accepted, accepted_urls),
      UNIT_LOOP(config_base_url_refused, refused_urls),
      UNIT_LOOP(config_cleartext_remote, cleartexts),
      UNIT_CASE("calls"),
      UNIT_TEST(config_instance_length),
      UNIT_TEST(config_add_call_default_instance),
      UNIT_TEST(config_add_call_named_instance),
      UNIT_TEST(config_add_call_instance_length),
      UNIT_LOOP(config_clashing_call_refused, clashes),
      UNIT_TEST(config_many_calls),
      UNIT_LOOP(config_instance_valid, instances),
      UNIT_LOOP(config_add_call_id_length, id_lengths),
      UNIT_LOOP(config_add_call_refused, refused_calls),
      UNIT_CASE("options"),
      UNIT_TEST(config_key_set_and_replaced),
      UNIT_TEST(config_key_refused_freed),
      UNIT_TEST(config_ca_cert),
      UNIT_TEST(config_timeout_out_of_bounds_refused),
      UNIT_TEST(config_budget_refresh_defaults),
      UNIT_LOOP(config_max_per_second_bounds, rates),
      UNIT_LOOP(config_final_refresh_bounds, refreshes),
      UNIT_CASE("finish"),
      UNIT_TEST(config_finish_builds_urls),
      UNIT_TEST(config_finish_twice_no_leak),
      UNIT_TEST(config_free_after_partial_setup),
      UNIT_TEST(config_free_after_failed_finish),
      UNIT_LOOP(config_finish_err_option, finishes),
      UNIT_LOOP(config_in_flight_from_budget_and_timeout, in_flight),
      UNIT_CASE("api_version"),
      UNIT_TEST(config_api_version_default_v1),
      UNIT_TEST(config_version_header),
      UNIT_TEST(config_call_url),
      UNIT_TEST(config_finish_dated_urls),
      UNIT_LOOP(config_api_version, versions),
      UNIT_END};
  return unit_suite("config", setup, teardown, tests);
}
