/* quo_redact*: the API key blanked out of what the server sends back, in raw
 * buffers and, through quo_outcome_classify, after JSON decoding. */
#include "unit.h"

#include "outcome.h"
#include "redact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- raw buffers ---- */

static const struct {
  const char *name;
  const char *key;
  const char *in;
  const char *want;
} cases[] = {
    {"plain", "SECRETKEY", "bad key SECRETKEY here", "bad key ********* here"},
    {"at start", "SECRETKEY", "SECRETKEY is wrong", "********* is wrong"},
    {"at end", "SECRETKEY", "wrong: SECRETKEY", "wrong: *********"},
    {"whole buffer", "SECRETKEY", "SECRETKEY", "*********"},
    {"several", "k3y!", "k3y! and k3y!k3y! again", "**** and ******** again"},
    {"no match", "SECRETKEY", "SECRETKEx, ECRETKEY.", "SECRETKEx, ECRETKEY."},
    /* The first occurrence is blanked; what overlapped it is no key any
     * more. */
    {"overlapping", "abab", "xababab", "x****ab"},
    {"overlapping run", "aaaa", "aaaaaaaaa", "********a"},
    {"key of '*'", "*", "a*b**c", "a*b**c"},
    {"key of '**'", "**", "****x**", "****x**"},
    {"key of '*' no star", "*", "abc", "abc"},
    {"longer than buffer, buffer its start", "SECRETKEY", "SECR", "****"},
    {"longer than buffer, short start kept", "SECRETKEY", "SEC", "SEC"},
    {"longer than buffer, no start", "SECRETKEY", "xSEC", "xSEC"},
    {"trailing start of 4", "SECRETKEY", "echo: SECR", "echo: ****"},
    {"trailing start of 8", "SECRETKEY", "echo: SECRETKE", "echo: ********"},
    {"trailing start of 3 kept", "SECRETKEY", "echo: SEC", "echo: SEC"},
    {"trailing end of key kept", "SECRETKEY", "echo: TKEY", "echo: TKEY"},
    {"start inside, not at the end", "SECRETKEY", "SECRx", "SECRx"},
    {"full and trailing", "SECRETKEY", "SECRETKEY; SECRETK",
     "*********; *******"},
    {"empty buffer", "SECRETKEY", "", ""},
};

START_TEST(redact_table) {
  char buf[64];
  snprintf(buf, sizeof(buf), "%s", cases[_i].in);
  quo_redact(buf, strlen(buf), cases[_i].key, strlen(cases[_i].key));
  ck_assert_msg(strcmp(buf, cases[_i].want) == 0, "%s: \"%s\", want \"%s\"",
                cases[_i].name, buf, cases[_i].want);
  /* quo_redact_str agrees. */
  snprintf(buf, sizeof(buf), "%s", cases[_i].in);
  quo_redact_str(buf, cases[_i].key, strlen(cases[_i].key));
  ck_assert_msg(strcmp(buf, cases[_i].want) == 0, "%s (str): \"%s\"",
                cases[_i].name, buf);
}
END_TEST

START_TEST(redact_slen_zero_and_null) {
  char buf[] = "SECRETKEY";
  quo_redact(buf, strlen(buf), "SECRETKEY", 0);
  ck_assert_str_eq(buf, "SECRETKEY");
  quo_redact(buf, strlen(buf), NULL, 9);
  ck_assert_str_eq(buf, "SECRETKEY");
  quo_redact(NULL, 10, "SECRETKEY", 9);
  quo_redact_str(NULL, "SECRETKEY", 9);
  quo_redact_str(buf, NULL, 9);
  ck_assert_str_eq(buf, "SECRETKEY");
  /* len 0 leaves even a matching buffer alone. */
  quo_redact(buf, 0, "SECRETKEY", 9);
  ck_assert_str_eq(buf, "SECRETKEY");
  /* slen shorter than the string: only that much of it is the key. */
  quo_redact(buf, strlen(buf), "SECRETKEY", 6);
  ck_assert_str_eq(buf, "******KEY");
}
END_TEST

START_TEST(redact_stays_within_len) {
  /* Bytes past len are not the buffer's: never read as part of a match,
   * never written. */
  char buf[] = "ab SECRETKEY tail";
  quo_redact(buf, 7, "SECRETKEY", 9);
  ck_assert_str_eq(buf, "ab ****ETKEY tail");
  char buf2[] = "SECRETKEYSECRETKEY";
  quo_redact(buf2, 9, "SECRETKEY", 9);
  ck_assert_str_eq(buf2, "*********SECRETKEY");
}
END_TEST

START_TEST(redact_binary_buffer) {
  /* A body may hold NUL bytes: matches past them count too. */
  char buf[] = "x\0SECRETKEY\0y";
  quo_redact(buf, sizeof(buf) - 1, "SECRETKEY", 9);
  ck_assert_int_eq(memcmp(buf, "x\0*********\0y", sizeof(buf)), 0);
}
END_TEST

START_TEST(redact_large_buffer_of_stars) {
  /* A key of '*' over a long run of '*': terminates, changes nothing. */
  size_t n = 1 << 20;
  char *buf = malloc(n);
  ck_assert_ptr_nonnull(buf);
  memset(buf, '*', n);
  quo_redact(buf, n, "***", 3);
  quo_redact(buf, n, "*****", 5);
  size_t stars = 0;
  for (size_t i = 0; i < n; i++)
    stars += buf[i] == '*';
  ck_assert_uint_eq(stars, n);
  free(buf);
}
END_TEST

/* ---- after decoding: quo_outcome_classify with r.secret ---- */

/* A key with '/', 'Q' and 'Z', each of which a server may send escaped. */
#define KEY "qk/live_Q7x/Zz9Kw"

/* A response whose request carried KEY. */
static quo_response_t response(long status, const char *body) {
  quo_response_t r = unit_response(status, body);
  r.secret = KEY;
  r.secret_len = strlen(KEY);
  return r;
}

static bool has_key(const char *s) {
  return strstr(s, KEY) != NULL || strstr(s, "qk/live_Q7x/") != NULL;
}

/* The key as a server might echo it inside a JSON string. */
static const struct {
  const char *name;
  const char *escaped;
} echoes[] = {
    {"plain", "qk/live_Q7x/Zz9Kw"},
    {"escaped slashes", "qk\\/live_Q7x\\/Zz9Kw"},
    {"\\u0051 for Q", "qk/live_\\u00517x/Zz9Kw"},
    {"lower-case hex", "qk/live_Q7x/\\u005az9Kw"},
    {"upper-case hex", "qk/live_Q7x/\\u005Az9Kw"},
    {"all escaped", "\\u0071\\u006b\\/live_\\u00517x\\u002f\\u005Az9\\u004bw"},
    {"mixed", "\\u0071k\\/live_\\u00517x/\\u005az9Kw"},
};

static void no_key_in(const quo_outcome_t *o, const char *name) {
  ck_assert_msg(!has_key(o->error.title), "%s: key in title \"%s\"", name,
                o->error.title);
  ck_assert_msg(!has_key(o->error.message), "%s: key in message \"%s\"", name,
                o->error.message);
  ck_assert_msg(!has_key(o->error.code), "%s: key in code \"%s\"", name,
                o->error.code);
  ck_assert_msg(!has_key(o->detail), "%s: key in detail \"%s\"", name,
                o->detail);
  ck_assert_msg(!has_key(o->call.raw_status), "%s: key in raw status", name);
  char d[512];
  quo_outcome_describe(o, d, sizeof(d));
  ck_assert_msg(!has_key(d), "%s: key in description \"%s\"", name, d);
}

START_TEST(redact_decoded_cut_at_field_end) {
  /* A title cut to its buffer mid-key keeps the key's start at its end:
   * blanked too. */
  char body[512];
  char pad[64];
  quo_outcome_t probe;
  memset(pad, 'x', sizeof(pad));
  size_t room = sizeof(probe.error.title) - 1;
  pad[room - 8] = '\0'; /* leaves 8 bytes of the key in the title */
  snprintf(body, sizeof(body),
           "{\"message\":\"m\",\"code\":\"0100401\",\"title\":\"%s%s\"}", pad,
           "qk\\/live_Q7x\\/Zz9Kw");
  quo_response_t r = response(401, body);
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACx", &o);
  ck_assert_uint_eq(strlen(o.error.title), room);
  ck_assert_msg(strstr(o.error.title, "qk/l") == NULL, "title \"%s\"",
                o.error.title);
  ck_assert_str_eq(o.error.title + room - 8, "********");
}
END_TEST

/* Bodies that echo the key (each %s: the key as one of echoes[] spells it)
 * and what must be left of each field once it is blanked. The key is 17
 * bytes, so 17 '*'. */
#define STARS "*****************"
typedef struct {
  const char *name, *body;
  long status;
  quo_outcome_kind_t kind;
  const char *message, *title, *code, *raw_status; /* NULL: not checked */
} echo_body_t;
static const echo_body_t echo_bodies[] = {
    {"error message",
     "{\"message\":\"API key %s is not valid\",\"code\":\"0100401\","
     "\"status\":401,\"title\":\"Bad key %s\"}",
     401, QUO_OUT_HTTP, "API key " STARS " is not valid", "Bad key " STARS,
     "0100401", NULL},
    /* The shape seen live: {"error":{"message","key"}}; key becomes title. */
    {"wrapped envelope",
     "{\"error\":{\"message\":\"token %s rejected\",\"key\":\"%s\","
     "\"trace\":\"t\"}}",
     403, QUO_OUT_HTTP, "token " STARS " rejected", STARS, NULL, NULL},
    /* An unknown status is kept raw for a message: never the key. */
    {"status",
     "{\"data\":{\"id\":\"ACx\",\"status\":\"%s\",\"createdAt\":"
     "\"2026-11-27T09:15:00Z\",\"duration\":0}}",
     200, QUO_OUT_OK, NULL, NULL, NULL, STARS},
};
#define NECHOES (sizeof(echoes) / sizeof(echoes[0]))

START_TEST(redact_decoded_echo) {
  /* _i: every body with every spelling of the key. */
  const char *name = echoes[_i % NECHOES].name;
  const char *escaped = echoes[_i % NECHOES].escaped;
  const echo_body_t *e = &echo_bodies[_i / NECHOES];
  char body[512];
  /* A body with one %s ignores the second argument. */
  snprintf(body, sizeof(body), e->body, escaped, escaped);
  quo_response_t r = response(e->status, body);
  quo_outcome_t o;

  /* Without the secret the decoder does show the key: the echo is real. */
  r.secret = NULL;
  r.secret_len = 0;
  quo_outcome_classify(&r, "ACx", &o);
  ck_assert_msg(strstr(o.error.message, KEY) != NULL ||
                    strstr(o.error.title, KEY) != NULL ||
                    strstr(o.call.raw_status, KEY) != NULL,
                "%s, %s: fixture does not decode to the key", e->name, name);

  r = response(e->status, body);
  quo_outcome_classify(&r, "ACx", &o);
  ck_assert_int_eq(o.kind, e->kind);
  no_key_in(&o, name);
  /* Blanked in place, the rest kept. */
  if (e->message != NULL)
    ck_assert_str_eq(o.error.message, e->message);
  if (e->title != NULL)
    ck_assert_str_eq(o.error.title, e->title);
  if (e->code != NULL)
    ck_assert_str_eq(o.error.code, e->code);
  if (e->raw_status != NULL) {
    ck_assert_int_eq(o.call.status, QUO_STATUS_OTHER);
    ck_assert_str_eq(o.call.raw_status, e->raw_status);
  }
}
END_TEST

/* libcurl's own text may quote the key (a URL, a header): detail blanks it. */
static const struct {
  long status;
  const char *body;
  long curl_code;
  const char *curl_error;
  quo_outcome_kind_t kind;
  const char *detail; /* what detail still says */
} curl_texts[] = {
    {0, "", 6, "Could not resolve host: " KEY, QUO_OUT_TRANSPORT,
     "Could not resolve host"},
    {200, "{\"data\":", 18, "transfer closed with " KEY " outstanding",
     QUO_OUT_INVALID, "incomplete body"},
};

START_TEST(redact_curl_text) {
  quo_response_t r = response(curl_texts[_i].status, curl_texts[_i].body);
  r.curl_code = curl_texts[_i].curl_code;
  r.curl_error = curl_texts[_i].curl_error;
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACx", &o);
  ck_assert_int_eq(o.kind, curl_texts[_i].kind);
  no_key_in(&o, curl_texts[_i].detail);
  ck_assert_msg(strstr(o.detail, curl_texts[_i].detail) != NULL,
                "detail \"%s\"", o.detail);
}
END_TEST

/* The code keeps letters and digits only (it becomes a counter's type
 * instance): a key echoed there must not survive with its punctuation
 * dropped either. */
static const char *const code_keys[] = {
    "qkLive7f3c9a1e5bAA", /* letters and digits: cut to 15 */
    "qk7f3c",             /* short enough to fit whole */
    KEY,                  /* with '/' and '_' */
    "qk_live_7f3c9a1e5b2d4680SECRET",
};

START_TEST(redact_decoded_code) {
  const char *key = code_keys[_i];
  char body[256];
  snprintf(body, sizeof(body),
           "{\"message\":\"m\",\"code\":\"%s\",\"title\":\"T\"}", key);
  quo_response_t r = response(401, body);
  r.secret = key;
  r.secret_len = strlen(key);
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACx", &o);
  /* The key's letters and digits, in order, as the code filter keeps
   * them. */
  char alnum[64];
  size_t n = 0;
  for (const char *p = key; *p && n + 1 < sizeof(alnum); p++)
    if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
        (*p >= 'A' && *p <= 'Z'))
      alnum[n++] = *p;
  alnum[n] = '\0';
  /* Any 8 of them in a row is too much of the key. */
  for (size_t i = 0; i + 8 <= n; i++) {
    char part[9];
    memcpy(part, alnum + i, 8);
    part[8] = '\0';
    ck_assert_msg(strstr(o.error.code, part) == NULL,
                  "key \"%s\": code \"%s\" holds \"%s\"", key, o.error.code,
                  part);
  }
  char d[512];
  quo_outcome_describe(&o, d, sizeof(d));
  ck_assert_msg(strstr(d, alnum) == NULL || n < 8, "description \"%s\"", d);
}
END_TEST

START_TEST(redact_decoded_no_secret_no_change) {
  /* Without a secret nothing is blanked (and nothing crashes). */
  quo_response_t r = response(401, "{\"message\":\"a ** b\",\"title\":\"T\"}");
  r.secret = NULL;
  r.secret_len = 0;
  quo_outcome_t o;
  quo_outcome_classify(&r, "ACx", &o);
  ck_assert_str_eq(o.error.message, "a ** b");
}
END_TEST

Suite *redact_suite(void) {
  const unit_test_t tests[] = {
      UNIT_CASE("buffer"),
      UNIT_LOOP(redact_table, cases),
      UNIT_TEST(redact_slen_zero_and_null),
      UNIT_TEST(redact_stays_within_len),
      UNIT_TEST(redact_binary_buffer),
      UNIT_TEST(redact_large_buffer_of_stars),
      UNIT_CASE("decoded"),
      UNIT_LOOP_N(redact_decoded_echo, (int)(UNIT_ROWS(echo_bodies) * NECHOES)),
      UNIT_TEST(redact_decoded_cut_at_field_end),
      UNIT_LOOP(redact_curl_text, curl_texts),
      UNIT_TEST(redact_decoded_no_secret_no_change),
      UNIT_LOOP(redact_decoded_code, code_keys),
      UNIT_END};
  return unit_suite("redact", NULL, NULL, tests);
}
