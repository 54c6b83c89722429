/* quo_call_parse: the fixtures, every required field, every wrong type, and
 * bodies that are not call objects at all. Bodies are parsed from a buffer
 * of exactly their length (no NUL), so a read past the end shows under
 * valgrind. */
#include "unit.h"

#include "call.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-6
/* 2026-11-27T00:00:00Z */
#define DAY 1795737600.0

/* ---- a valid body, built member by member ---- */

typedef struct {
  const char *name;
  const char *value;
} member_t;

static const member_t valid[] = {
    {"answeredAt", "\"2026-11-27T10:00:07.5Z\""},
    {"answeredBy", "\"USlHhXmRMz\""},
    {"initiatedBy", "null"},
    {"direction", "\"incoming\""},
    {"status", "\"completed\""},
    {"completedAt", "\"2026-11-27T10:03:11Z\""},
    {"createdAt", "\"2026-11-27T10:00:00Z\""},
    {"callRoute", "\"phone-number\""},
    {"duration", "184"},
    {"forwardedFrom", "null"},
    {"forwardedTo", "null"},
    {"aiHandled", "null"},
    {"id", "\"ACtest0001\""},
    {"phoneNumberId", "\"PN123abc\""},
    {"participants", "[\"+15555550100\", \"+15555550199\"]"},
    {"updatedAt", "\"2026-11-27T10:03:12Z\""},
    {"userId", "\"US123abc\""},
};
#define NFIELDS ((int)(sizeof(valid) / sizeof(valid[0])))

typedef struct {
  const char *omit;       /* member left out of data */
  const char *name;       /* member whose value is replaced... */
  const char *value;      /* ...by this raw JSON */
  const char *data_extra; /* raw members added at the start of data */
  const char *top_extra;  /* raw members added before "data" */
  bool reverse;           /* members in reverse order */
} edit_t;

/* The body as a malloc'd string; the caller frees it. */
static char *build(const edit_t *e) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  ck_assert_ptr_nonnull(f);
  fputs("{", f);
  if (e->top_extra != NULL)
    fprintf(f, "%s, ", e->top_extra);
  fputs("\"data\": {", f);
  bool first = true;
  if (e->data_extra != NULL) {
    fputs(e->data_extra, f);
    first = false;
  }
  for (int k = 0; k < NFIELDS; k++) {
    const member_t *m = &valid[e->reverse ? NFIELDS - 1 - k : k];
    if (e->omit != NULL && strcmp(e->omit, m->name) == 0)
      continue;
    const char *v = m->value;
    if (e->name != NULL && strcmp(e->name, m->name) == 0)
      v = e->value;
    fprintf(f, "%s\"%s\": %s", first ? "" : ", ", m->name, v);
    first = false;
  }
  fputs("}}", f);
  ck_assert_int_eq(fclose(f), 0);
  return buf;
}

/* Parses exactly len bytes, copied to a buffer with nothing after them. */
static int parse_n(const char *body, size_t len, quo_call_t *c, char *err,
                   size_t errlen) {
  char *copy = malloc(len > 0 ? len : 1);
  ck_assert_ptr_nonnull(copy);
  memcpy(copy, body, len);
  int rc = quo_call_parse(copy, len, c, err, errlen);
  free(copy);
  return rc;
}

static int parse(const char *body, quo_call_t *c, char *err, size_t errlen) {
  return parse_n(body, strlen(body), c, err, errlen);
}

static void expect_ok(const edit_t *e, quo_call_t *c) {
  char *body = build(e);
  char err[128] = "";
  int rc = parse(body, c, err, sizeof(err));
  ck_assert_msg(rc == 0, "refused (%s): %s", err, body);
  free(body);
}

/* Refused, and err contains needle. */
static void expect_fail_raw(const char *body, size_t len, const char *needle) {
  quo_call_t c;
  char err[128] = "";
  int rc = parse_n(body, len, &c, err, sizeof(err));
  ck_assert_msg(rc == -1, "accepted: %.200s", body);
  ck_assert_msg(err[0] != '\0', "no reason given for: %.200s", body);
  if (needle != NULL)
    ck_assert_msg(strstr(err, needle) != NULL,
                  "err \"%s\" does not name \"%s\" for: %.200s", err, needle,
                  body);
}

static void expect_fail(const edit_t *e, const char *needle) {
  char *body = build(e);
  expect_fail_raw(body, strlen(body), needle);
  free(body);
}

/* err must quote the field: "'name'". */
static void expect_field_fail(const char *field, const char *value) {
  char needle[64];
  snprintf(needle, sizeof(needle), "'%s'", field);
  edit_t e = {.name = field, .value = value};
  expect_fail(&e, needle);
}

/* ---- fixtures ---- */

static char *read_fixture(const char *name, size_t *len) {
  static const char *const dirs[] = {"tests/fixtures/calls",
                                     "../tests/fixtures/calls",
                                     "../../tests/fixtures/calls"};
  for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
      continue;
    char *buf = malloc(8192);
    ck_assert_ptr_nonnull(buf);
    *len = fread(buf, 1, 8192, f);
    fclose(f);
    ck_assert_uint_lt(*len, 8192);
    return buf;
  }
  ck_abort_msg("fixture %s not found (run from the source tree)", name);
  return NULL;
}

static void parse_fixture(const char *name, quo_call_t *c) {
  size_t len = 0;
  char *body = read_fixture(name, &len);
  char err[128] = "";
  int rc = parse_n(body, len, c, err, sizeof(err));
  free(body);
  ck_assert_msg(rc == 0, "%s refused: %s", name, err);
}

START_TEST(call_fixture_completed) {
  quo_call_t c;
  parse_fixture("AC3700e624eca547eb9f749a06f2eb1.json", &c);
  ck_assert_str_eq(c.id, "AC3700e624eca547eb9f749a06f2eb1");
  ck_assert_int_eq(c.status, QUO_STATUS_COMPLETED);
  ck_assert_int_eq(c.direction, QUO_DIR_INCOMING);
  ck_assert_int_eq(c.duration, 184);
  ck_assert(c.has_answered_at);
  ck_assert(c.has_completed_at);
  ck_assert_double_eq_tol(c.created_at, DAY + 36000, TOL);
  ck_assert_double_eq_tol(c.answered_at, DAY + 36007.5, TOL);
  ck_assert_double_eq_tol(c.completed_at, DAY + 36191, TOL);
}
END_TEST

START_TEST(call_fixture_forwarded) {
  quo_call_t c;
  parse_fixture("ACforwarded0001.json", &c);
  ck_assert_str_eq(c.id, "ACforwarded0001");
  ck_assert_int_eq(c.status, QUO_STATUS_FORWARDED);
  ck_assert_int_eq(c.direction, QUO_DIR_INCOMING);
  ck_assert_int_eq(c.duration, 60);
  ck_assert(c.has_answered_at);
  ck_assert(c.has_completed_at);
  ck_assert_double_eq_tol(c.created_at, DAY + 30600, TOL);
  ck_assert_double_eq_tol(c.answered_at, DAY + 30602.25, TOL);
  ck_assert_double_eq_tol(c.completed_at, DAY + 30662, TOL);
}
END_TEST

START_TEST(call_fixture_missed) {
  quo_call_t c;
  parse_fixture("ACmissed0001.json", &c);
  ck_assert_str_eq(c.id, "ACmissed0001");
  ck_assert_int_eq(c.status, QUO_STATUS_MISSED);
  ck_assert_int_eq(c.direction, QUO_DIR_INCOMING);
  ck_assert_int_eq(c.duration, 0);
  ck_assert(!c.has_answered_at);
  ck_assert(c.has_completed_at);
  ck_assert_double_eq_tol(c.created_at, DAY + 33300, TOL);
  ck_assert_double_eq_tol(c.completed_at, DAY + 33330, TOL);
}
END_TEST

START_TEST(call_fixture_outgoing) {
  quo_call_t c;
  parse_fixture("ACoutgoing0001.json", &c);
  ck_assert_str_eq(c.id, "ACoutgoing0001");
  ck_assert_int_eq(c.status, QUO_STATUS_IN_PROGRESS);
  ck_assert_int_eq(c.direction, QUO_DIR_OUTGOING);
  ck_assert_int_eq(c.duration, 42);
  ck_assert(c.has_answered_at);
  ck_assert(!c.has_completed_at);
  ck_assert_double_eq_tol(c.created_at, DAY + 36000.5, TOL);
  ck_assert_double_eq_tol(c.answered_at, DAY + 36004.125, TOL);
}
END_TEST

/* ---- valid variations ---- */

START_TEST(call_built_body_valid) {
  quo_call_t c;
  edit_t e = {0};
  expect_ok(&e, &c);
  ck_assert_str_eq(c.id, "ACtest0001");
  ck_assert_int_eq(c.status, QUO_STATUS_COMPLETED);
  ck_assert_int_eq(c.duration, 184);
}
END_TEST

START_TEST(call_members_any_order) {
  quo_call_t c;
  edit_t e = {.reverse = true};
  expect_ok(&e, &c);
  ck_assert_str_eq(c.id, "ACtest0001");
  ck_assert_int_eq(c.duration, 184);
}
END_TEST

START_TEST(call_unknown_data_scalars) {
  quo_call_t c;
  edit_t e = {.data_extra = "\"newFlag\": true, \"ratio\": 1.5e10, "
                            "\"note\": \"x\", \"gone\": null, \"neg\": -3"};
  expect_ok(&e, &c);
  ck_assert_int_eq(c.duration, 184);
}
END_TEST

START_TEST(call_unknown_data_nested) {
  quo_call_t c;
  edit_t e = {.data_extra = "\"sentiment\": {\"score\": 0.8, \"labels\": "
                            "[\"calm\", {\"nested\": [1, 2, {\"deep\": "
                            "null}]}]}, \"empty\": {}"};
  expect_ok(&e, &c);
  ck_assert_int_eq(c.status, QUO_STATUS_COMPLETED);
}
END_TEST

START_TEST(call_unknown_data_arrays) {
  quo_call_t c;
  edit_t e = {.data_extra = "\"tags\": [], \"mixed\": [\"a\", 1, null, true, "
                            "[], {}, [[\"x\"]]]"};
  expect_ok(&e, &c);
  ck_assert_str_eq(c.id, "ACtest0001");
}
END_TEST

START_TEST(call_unknown_top_level) {
  quo_call_t c;
  edit_t e = {.top_extra = "\"meta\": {\"requestId\": \"req-1\"}, \"v\": 2, "
                           "\"list\": [1, {\"a\": []}], \"flag\": false, "
                           "\"nothing\": null"};
  expect_ok(&e, &c);
  ck_assert_str_eq(c.id, "ACtest0001");
}
END_TEST

START_TEST(call_lookalike_keys_inside_unknown_ignored) {
  /* Required names inside unknown values, or at the top level, are not
   * the call's fields. */
  quo_call_t c;
  edit_t e = {.top_extra = "\"status\": \"bogus\", \"meta\": {\"data\": 5}",
              .data_extra = "\"extra\": {\"id\": \"XX\", \"duration\": -5, "
                            "\"participants\": [1, 2, 3]}"};
  expect_ok(&e, &c);
  ck_assert_str_eq(c.id, "ACtest0001");
  ck_assert_int_eq(c.duration, 184);
  ck_assert_int_eq(c.status, QUO_STATUS_COMPLETED);
}
END_TEST

START_TEST(call_moderate_nesting_tolerated) {
  char extra[256] = "\"x\": ";
  for (int i = 0; i < 10; i++)
    strcat(extra, "[");
  for (int i = 0; i < 10; i++)
    strcat(extra, "]");
  quo_call_t c;
  edit_t e = {.data_extra = extra};
  expect_ok(&e, &c);
}
END_TEST

START_TEST(call_forward_e164_and_user) {
  quo_call_t c;
  edit_t e = {.name = "forwardedFrom", .value = "\"+15555550103\""};
  expect_ok(&e, &c);
  e = (edit_t){.name = "forwardedTo", .value = "\"US987xyz\""};
  expect_ok(&e, &c);
  e = (edit_t){.name = "forwardedFrom", .value = "\"US987xyz\""};
  expect_ok(&e, &c);
  e = (edit_t){.name = "forwardedTo", .value = "\"+442071838750\""};
  expect_ok(&e, &c);
}
END_TEST

START_TEST(call_nullable_fields_accept_null) {
  static const char *const nullable[] = {
      "answeredAt", "answeredBy",  "initiatedBy", "completedAt",
      "callRoute",  "forwardedTo", "aiHandled",   "updatedAt"};
  for (size_t i = 0; i < sizeof(nullable) / sizeof(nullable[0]); i++) {
    quo_call_t c;
    edit_t e = {.name = nullable[i], .value = "null"};
    expect_ok(&e, &c);
  }
}
END_TEST

START_TEST(call_null_answered_completed) {
  quo_call_t c;
  edit_t e = {.name = "answeredAt", .value = "null"};
  expect_ok(&e, &c);
  ck_assert(!c.has_answered_at);
  ck_assert(c.has_completed_at);
  e = (edit_t){.name = "completedAt", .value = "null"};
  expect_ok(&e, &c);
  ck_assert(c.has_answered_at);
  ck_assert(!c.has_completed_at);
}
END_TEST

START_TEST(call_participants_zero_or_one) {
  quo_call_t c;
  edit_t e = {.name = "participants", .value = "[]"};
  expect_ok(&e, &c);
  e = (edit_t){.name = "participants", .value = "[\"+12\"]"};
  expect_ok(&e, &c);
}
END_TEST

START_TEST(call_duration_edges) {
  quo_call_t c;
  edit_t e = {.name = "duration", .value = "0"};
  expect_ok(&e, &c);
  ck_assert_int_eq(c.duration, 0);
  e = (edit_t){.name = "duration", .value = "-0"};
  expect_ok(&e, &c);
  ck_assert_int_eq(c.duration, 0);
  e = (edit_t){.name = "duration", .value = "9223372036854775807"};
  expect_ok(&e, &c);
  ck_assert(c.duration == INT64_MAX);
}
END_TEST

START_TEST(call_id_max_length) {
  char value[80] = "\"AC";
  for (int i = 0; i < 62; i++)
    strcat(value, "z");
  strcat(value, "\"");
  quo_call_t c;
  edit_t e = {.name = "id", .value = value};
  expect_ok(&e, &c);
  ck_assert_uint_eq(strlen(c.id), QUO_CALLID_MAX);
}
END_TEST

START_TEST(call_status_round_trip) {
  /* _i: each of the 13 statuses. */
  quo_status_t s = (quo_status_t)_i;
  const char *name = quo_status_name(s);
  ck_assert_ptr_nonnull(name);
  char value[32];
  snprintf(value, sizeof(value), "\"%s\"", name);
  quo_call_t c;
  edit_t e = {.name = "status", .value = value};
  expect_ok(&e, &c);
  ck_assert_int_eq(c.status, s);
}
END_TEST

START_TEST(call_status_names_documented) {
  static const char *const want[] = {
      "queued",   "initiated", "ringing",   "in-progress", "completed",
      "busy",     "failed",    "no-answer", "canceled",    "missed",
      "answered", "forwarded", "abandoned"};
  ck_assert_int_eq(QUO_STATUS_COUNT, 13);
  for (int i = 0; i < QUO_STATUS_COUNT; i++)
    ck_assert_str_eq(quo_status_name((quo_status_t)i), want[i]);
  ck_assert_ptr_null(quo_status_name(QUO_STATUS_COUNT));
}
END_TEST

/* ---- missing and mistyped fields ---- */

START_TEST(call_missing_field) {
  /* _i: which of the 17 required members is left out. */
  char needle[64];
  snprintf(needle, sizeof(needle), "'%s'", valid[_i].name);
  edit_t e = {.omit = valid[_i].name};
  expect_fail(&e, needle);
}
END_TEST

START_TEST(call_wrong_types) {
  /* _i: which field gets each value that its type excludes. */
  static const char *const for_string[] = {
      "5",  "-1",     "1.5", "true", "false", "{}", "{\"a\": \"b\"}",
      "[]", "[\"x\"]"};
  static const char *const for_duration[] = {
      "\"5\"", "\"184\"", "true", "false", "{}", "[]", "[1]", "null"};
  static const char *const for_participants[] = {
      "\"+15555550100\"", "5", "true", "{}", "{\"a\": 1}", "null"};
  static const char *const non_nullable[] = {
      "direction", "status", "createdAt", "id", "phoneNumberId", "userId"};
  const char *field = valid[_i].name;
  const char *const *bad = for_string;
  size_t nbad = sizeof(for_string) / sizeof(for_string[0]);
  if (strcmp(field, "duration") == 0) {
    bad = for_duration;
    nbad = sizeof(for_duration) / sizeof(for_duration[0]);
  } else if (strcmp(field, "participants") == 0) {
    bad = for_participants;
    nbad = sizeof(for_participants) / sizeof(for_participants[0]);
  }
  for (size_t k = 0; k < nbad; k++)
    expect_field_fail(field, bad[k]);
  for (size_t k = 0; k < sizeof(non_nullable) / sizeof(non_nullable[0]); k++)
    if (strcmp(field, non_nullable[k]) == 0)
      expect_field_fail(field, "null");
}
END_TEST

START_TEST(call_unknown_status) {
  expect_field_fail("status", "\"done\"");
  expect_field_fail("status", "\"Completed\"");
  expect_field_fail("status", "\"in_progress\"");
  expect_field_fail("status", "\"\"");
  expect_field_fail("status", "\"completed \"");
  expect_field_fail("status", "\"complete\"");
}
END_TEST

START_TEST(call_unknown_direction) {
  expect_field_fail("direction", "\"inbound\"");
  expect_field_fail("direction", "\"INCOMING\"");
  expect_field_fail("direction", "\"\"");
  expect_field_fail("direction", "\"incomingx\"");
}
END_TEST

START_TEST(call_duration_negative) {
  expect_field_fail("duration", "-1");
  expect_field_fail("duration", "-9223372036854775808");
}
END_TEST

START_TEST(call_duration_fractional) {
  expect_field_fail("duration", "1.5");
  expect_field_fail("duration", "184.0");
}
END_TEST

START_TEST(call_duration_huge) {
  expect_field_fail("duration", "1e400");
  expect_field_fail("duration", "9223372036854775808");
  expect_field_fail("duration", "99999999999999999999999999");
}
END_TEST

START_TEST(call_duration_exponent) {
  expect_field_fail("duration", "1e3");
  expect_field_fail("duration", "1E3");
  expect_field_fail("duration", "2e0");
}
END_TEST

START_TEST(call_id_without_ac) {
  expect_field_fail("id", "\"XX123\"");
  expect_field_fail("id", "\"ac123\"");
  expect_field_fail("id", "\"\"");
  expect_field_fail("id", "\"A\"");
}
END_TEST

START_TEST(call_id_too_long) {
  char value[100] = "\"AC";
  for (int i = 0; i < 63; i++)
    strcat(value, "z");
  strcat(value, "\"");
  expect_field_fail("id", value);
}
END_TEST

START_TEST(call_id_with_nul) {
  expect_field_fail("id", "\"AC12\\u0000x\"");
}
END_TEST

START_TEST(call_phone_number_id_without_pn) {
  expect_field_fail("phoneNumberId", "\"US123abc\"");
  expect_field_fail("phoneNumberId", "\"pn123\"");
  expect_field_fail("phoneNumberId", "\"\"");
}
END_TEST

START_TEST(call_user_id_without_us) {
  expect_field_fail("userId", "\"PN123abc\"");
  expect_field_fail("userId", "\"us123\"");
  expect_field_fail("userId", "\"\"");
}
END_TEST

START_TEST(call_forward_bad_shapes) {
  static const char *const bad[] = {"\"5555550103\"", "\"us123\"",
                                    "\"\"",           "\"+0123456\"",
                                    "\"+1\"",         "\"+1555x\""};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    expect_field_fail("forwardedFrom", bad[i]);
    expect_field_fail("forwardedTo", bad[i]);
  }
}
END_TEST

START_TEST(call_participants_three) {
  expect_field_fail("participants",
                    "[\"+15555550100\", \"+15555550101\", \"+15555550102\"]");
}
END_TEST

START_TEST(call_participants_non_e164) {
  expect_field_fail("participants", "[\"5555550100\"]");
  expect_field_fail("participants", "[\"+15555550100\", \"+0555\"]");
  expect_field_fail("participants", "[\"+1\"]");
  expect_field_fail("participants", "[\"+1234567890123456\"]");
  expect_field_fail("participants", "[\"US123abc\"]");
  expect_field_fail("participants", "[\"\"]");
}
END_TEST

START_TEST(call_participants_non_string) {
  expect_field_fail("participants", "[5]");
  expect_field_fail("participants", "[null]");
  expect_field_fail("participants", "[true]");
  expect_field_fail("participants", "[{}]");
  expect_field_fail("participants", "[[]]");
  expect_field_fail("participants", "[\"+15555550100\", [\"+15555550101\"]]");
}
END_TEST

START_TEST(call_bad_timestamps) {
  static const char *const fields[] = {"answeredAt", "completedAt", "createdAt",
                                       "updatedAt"};
  static const char *const bad[] = {
      "\"yesterday\"",           "\"2026-13-01T00:00:00Z\"", "\"2026-11-27\"",
      "\"2026-11-27T10:00:00\"", "\"2023-02-29T00:00:00Z\"", "\"\""};
  for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
    for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++)
      expect_field_fail(fields[f], bad[b]);
}
END_TEST

START_TEST(call_duplicate_member_checked) {
  edit_t e = {.data_extra = "\"status\": \"done\""};
  expect_fail(&e, "'status'");
}
END_TEST

/* ---- not a call object ---- */

static void fail_str(const char *body, const char *needle) {
  expect_fail_raw(body, strlen(body), needle);
}

START_TEST(call_data_not_object) {
  fail_str("{\"data\": []}", "data");
  fail_str("{\"data\": \"x\"}", "data");
  fail_str("{\"data\": null}", "data");
  fail_str("{\"data\": 5}", "data");
  fail_str("{\"data\": true}", "data");
  fail_str("{\"data\": [{\"id\": \"AC1\"}]}", "data");
}
END_TEST

START_TEST(call_no_data) {
  fail_str("{}", "data");
  fail_str("{\"meta\": {\"data\": {}}}", "data");
  fail_str("{\"Data\": {}}", "data");
}
END_TEST

START_TEST(call_empty_data) {
  fail_str("{\"data\": {}}", "'answeredAt'");
}
END_TEST

START_TEST(call_top_level_array) {
  edit_t e = {0};
  char *body = build(&e);
  char *arr = malloc(strlen(body) + 3);
  ck_assert_ptr_nonnull(arr);
  sprintf(arr, "[%s]", body);
  fail_str(arr, "object");
  free(arr);
  free(body);
}
END_TEST

START_TEST(call_top_level_scalars) {
  fail_str("\"data\"", "object");
  fail_str("42", "object");
  fail_str("null", "object");
  fail_str("true", "object");
}
END_TEST

START_TEST(call_empty_body) {
  expect_fail_raw("", 0, NULL);
  fail_str("   \n", NULL);
}
END_TEST

START_TEST(call_malformed_json) {
  fail_str("{\"data\": {", NULL);
  fail_str("{data: {}}", NULL);
  fail_str("{'data': {}}", NULL);
  fail_str("{\"data\": {\"id\": \"AC1\",}}", NULL);
  fail_str("not json at all", NULL);
  fail_str("<html><body>502 Bad Gateway</body></html>", NULL);
}
END_TEST

START_TEST(call_trailing_garbage) {
  edit_t e = {0};
  char *body = build(&e);
  size_t n = strlen(body);
  char *two = malloc(2 * n + 2);
  ck_assert_ptr_nonnull(two);
  sprintf(two, "%s x", body);
  fail_str(two, NULL);
  sprintf(two, "%s%s", body, body);
  fail_str(two, NULL);
  free(two);
  free(body);
}
END_TEST

START_TEST(call_truncated_half) {
  edit_t e = {0};
  char *body = build(&e);
  expect_fail_raw(body, strlen(body) / 2, NULL);
  free(body);
}
END_TEST

START_TEST(call_every_truncation_refused) {
  edit_t e = {0};
  char *body = build(&e);
  size_t n = strlen(body);
  quo_call_t c;
  char err[128];
  ck_assert_int_eq(parse_n(body, n, &c, err, sizeof(err)), 0);
  for (size_t len = 0; len < n; len++) {
    err[0] = '\0';
    ck_assert_msg(parse_n(body, len, &c, err, sizeof(err)) == -1,
                  "accepted the first %zu of %zu bytes", len, n);
    ck_assert(err[0] != '\0');
  }
  free(body);
}
END_TEST

static char *nested_arrays(int depth) {
  char *s = malloc((size_t)depth * 2 + 1);
  ck_assert_ptr_nonnull(s);
  memset(s, '[', (size_t)depth);
  memset(s + depth, ']', (size_t)depth);
  s[depth * 2] = '\0';
  return s;
}

static char *nested_objects(int depth) {
  char *s = malloc((size_t)depth * 6 + 8);
  ck_assert_ptr_nonnull(s);
  size_t o = 0;
  for (int i = 0; i < depth; i++) {
    memcpy(s + o, "{\"a\":", 5);
    o += 5;
  }
  s[o++] = '1';
  for (int i = 0; i < depth; i++)
    s[o++] = '}';
  s[o] = '\0';
  return s;
}

static void expect_deep_refused(const char *value, bool top) {
  char *extra = malloc(strlen(value) + 16);
  ck_assert_ptr_nonnull(extra);
  sprintf(extra, "\"deep\": %s", value);
  edit_t e = {0};
  if (top)
    e.top_extra = extra;
  else
    e.data_extra = extra;
  expect_fail(&e, NULL);
  free(extra);
}

START_TEST(call_deep_arrays_refused) {
  char *v = nested_arrays(100);
  expect_deep_refused(v, false);
  expect_deep_refused(v, true);
  free(v);
}
END_TEST

START_TEST(call_deep_objects_refused) {
  char *v = nested_objects(100);
  expect_deep_refused(v, false);
  expect_deep_refused(v, true);
  free(v);
}
END_TEST

START_TEST(call_very_deep_no_crash) {
  char *v = nested_arrays(100000);
  expect_deep_refused(v, false);
  free(v);
}
END_TEST

START_TEST(call_invalid_utf8) {
  /* yajl refuses the document before any field sees it: no field name. */
  expect_fail(&(edit_t){.name = "answeredBy", .value = "\"US\xff\xfe\""}, NULL);
  edit_t e = {.data_extra = "\"note\": \"a\x80"
                            "b\""};
  expect_fail(&e, NULL);
  e = (edit_t){.data_extra = "\"k\xe2\x82\": 1"};
  expect_fail(&e, NULL);
}
END_TEST

START_TEST(call_raw_control_char_in_string) {
  expect_fail(&(edit_t){.name = "callRoute", .value = "\"a\x01b\""}, NULL);
}
END_TEST

START_TEST(call_small_err_buffer) {
  /* The reason is cut to fit; nothing is written past errlen. */
  edit_t e = {.omit = "phoneNumberId"};
  char *body = build(&e);
  quo_call_t c;
  char err[16];
  memset(err, 'Z', sizeof(err));
  ck_assert_int_eq(parse(body, &c, err, 8), -1);
  ck_assert_uint_eq(strlen(err), 7);
  for (size_t i = 8; i < sizeof(err); i++)
    ck_assert_int_eq(err[i], 'Z');
  ck_assert_int_eq(parse(body, &c, NULL, 0), -1);
  free(body);
}
END_TEST

Suite *call_suite(void) {
  Suite *s = suite_create("call");
  TCase *tc = tcase_create("valid");
  tcase_add_test(tc, call_fixture_completed);
  tcase_add_test(tc, call_fixture_forwarded);
  tcase_add_test(tc, call_fixture_missed);
  tcase_add_test(tc, call_fixture_outgoing);
  tcase_add_test(tc, call_built_body_valid);
  tcase_add_test(tc, call_members_any_order);
  tcase_add_test(tc, call_unknown_data_scalars);
  tcase_add_test(tc, call_unknown_data_nested);
  tcase_add_test(tc, call_unknown_data_arrays);
  tcase_add_test(tc, call_unknown_top_level);
  tcase_add_test(tc, call_lookalike_keys_inside_unknown_ignored);
  tcase_add_test(tc, call_moderate_nesting_tolerated);
  tcase_add_test(tc, call_forward_e164_and_user);
  tcase_add_test(tc, call_nullable_fields_accept_null);
  tcase_add_test(tc, call_null_answered_completed);
  tcase_add_test(tc, call_participants_zero_or_one);
  tcase_add_test(tc, call_duration_edges);
  tcase_add_test(tc, call_id_max_length);
  tcase_add_loop_test(tc, call_status_round_trip, 0, QUO_STATUS_COUNT);
  tcase_add_test(tc, call_status_names_documented);
  suite_add_tcase(s, tc);

  tc = tcase_create("fields");
  tcase_add_loop_test(tc, call_missing_field, 0, NFIELDS);
  tcase_add_loop_test(tc, call_wrong_types, 0, NFIELDS);
  tcase_add_test(tc, call_unknown_status);
  tcase_add_test(tc, call_unknown_direction);
  tcase_add_test(tc, call_duration_negative);
  tcase_add_test(tc, call_duration_fractional);
  tcase_add_test(tc, call_duration_huge);
  tcase_add_test(tc, call_duration_exponent);
  tcase_add_test(tc, call_id_without_ac);
  tcase_add_test(tc, call_id_too_long);
  tcase_add_test(tc, call_id_with_nul);
  tcase_add_test(tc, call_phone_number_id_without_pn);
  tcase_add_test(tc, call_user_id_without_us);
  tcase_add_test(tc, call_forward_bad_shapes);
  tcase_add_test(tc, call_participants_three);
  tcase_add_test(tc, call_participants_non_e164);
  tcase_add_test(tc, call_participants_non_string);
  tcase_add_test(tc, call_bad_timestamps);
  tcase_add_test(tc, call_duplicate_member_checked);
  suite_add_tcase(s, tc);

  tc = tcase_create("document");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, call_data_not_object);
  tcase_add_test(tc, call_no_data);
  tcase_add_test(tc, call_empty_data);
  tcase_add_test(tc, call_top_level_array);
  tcase_add_test(tc, call_top_level_scalars);
  tcase_add_test(tc, call_empty_body);
  tcase_add_test(tc, call_malformed_json);
  tcase_add_test(tc, call_trailing_garbage);
  tcase_add_test(tc, call_truncated_half);
  tcase_add_test(tc, call_every_truncation_refused);
  tcase_add_test(tc, call_deep_arrays_refused);
  tcase_add_test(tc, call_deep_objects_refused);
  tcase_add_test(tc, call_very_deep_no_crash);
  tcase_add_test(tc, call_invalid_utf8);
  tcase_add_test(tc, call_raw_control_char_in_string);
  tcase_add_test(tc, call_small_err_buffer);
  suite_add_tcase(s, tc);
  return s;
}
