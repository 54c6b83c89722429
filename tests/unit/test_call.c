/* quo_call_parse: the fixtures (ours and real-world ones), the tolerant
 * rules (required fields invalid when missing or mistyped, optional ones
 * drift), both API versions' shapes, and bodies that are not call objects
 * at all. Bodies are parsed from a buffer
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
  bool first = true, replaced = false;
  if (e->data_extra != NULL) {
    fputs(e->data_extra, f);
    first = false;
  }
  for (int k = 0; k < NFIELDS; k++) {
    const member_t *m = &valid[e->reverse ? NFIELDS - 1 - k : k];
    if (e->omit != NULL && strcmp(e->omit, m->name) == 0)
      continue;
    const char *v = m->value;
    if (e->name != NULL && strcmp(e->name, m->name) == 0) {
      v = e->value;
      replaced = true;
    }
    fprintf(f, "%s\"%s\": %s", first ? "" : ", ", m->name, v);
    first = false;
  }
  /* A member the v1 body lacks (actorId): added at the end. */
  if (e->name != NULL && !replaced)
    fprintf(f, ", \"%s\": %s", e->name, e->value);
  fputs("}}", f);
  ck_assert_int_eq(fclose(f), 0);
  return buf;
}

/* Parses exactly len bytes, copied to a buffer with nothing after them. */
static int parse_n(const char *body, size_t len, quo_call_t *c, char *err,
                   size_t errlen) {
  return quo_call_parse(unit_copy(body, len), len, c, err, errlen);
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

/* The shape recorded for field, NULL when it did not drift. */
static const char *drift_of(const quo_call_t *c, const char *field) {
  ck_assert_uint_le(c->n_drift, QUO_DRIFT_MAX);
  for (int i = 0; i < c->n_drift; i++)
    if (strcmp(c->drift[i].field, field) == 0)
      return c->drift[i].shape;
  return NULL;
}

/* Valid, with exactly one drift entry: field, with a shape containing
 * shape_part. */
static void expect_drift(const edit_t *e, const char *field,
                         const char *shape_part) {
  quo_call_t c;
  char *body = build(e);
  char err[128] = "";
  int rc = parse(body, &c, err, sizeof(err));
  ck_assert_msg(rc == 0, "refused (%s): %s", err, body);
  const char *shape = drift_of(&c, field);
  ck_assert_msg(shape != NULL, "no drift for %s in: %s", field, body);
  ck_assert_msg(strstr(shape, shape_part) != NULL,
                "%s drifted as \"%s\", not \"%s\": %s", field, shape,
                shape_part, body);
  ck_assert_msg(c.n_drift == 1 && c.drift_dropped == 0,
                "%d drift entries (+%d) for: %s", c.n_drift, c.drift_dropped,
                body);
  /* The required values are still read. */
  ck_assert_str_eq(c.id, "ACtest0001");
  ck_assert_int_eq(c.duration, 184);
  free(body);
}

static void field_drift(const char *field, const char *value,
                        const char *shape_part) {
  edit_t e = {.name = field, .value = value};
  expect_drift(&e, field, shape_part);
}

/* Valid and without drift. */
static void expect_clean(const edit_t *e, quo_call_t *c) {
  expect_ok(e, c);
  ck_assert_msg(c->n_drift == 0, "unexpected drift: %s (%s)",
                c->n_drift ? c->drift[0].field : "",
                c->n_drift ? c->drift[0].shape : "");
}

static void field_clean(const char *field, const char *value) {
  quo_call_t c;
  edit_t e = {.name = field, .value = value};
  expect_clean(&e, &c);
}

/* err must quote the field: "'name'". */
static void expect_field_fail(const char *field, const char *value) {
  char needle[64];
  snprintf(needle, sizeof(needle), "'%s'", field);
  edit_t e = {.name = field, .value = value};
  expect_fail(&e, needle);
}

/* ---- fixtures ---- */

/* name is relative to tests/fixtures ("calls/AC1.json"). */
static char *read_fixture(const char *name, size_t *len) {
  static const char *const dirs[] = {"tests/fixtures", "../tests/fixtures",
                                     "../../tests/fixtures"};
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

/* The hand-written fixtures in tests/fixtures/calls: what each must parse
 * to. Times are seconds after DAY; answered_at/completed_at only when set. */
static const struct {
  const char *id; /* also the file name */
  quo_status_t status;
  const char *raw_status; /* as the file spells it */
  quo_direction_t direction;
  int64_t duration;
  bool answered, completed;
  double created, answered_at, completed_at;
} fixtures[] = {
    {"AC3700e624eca547eb9f749a06f2eb1", QUO_STATUS_COMPLETED, "completed",
     QUO_DIR_INCOMING, 184, true, true, 36000, 36007.5, 36191},
    {"ACforwarded0001", QUO_STATUS_FORWARDED, "forwarded", QUO_DIR_INCOMING, 60,
     true, true, 30600, 30602.25, 30662},
    {"ACmissed0001", QUO_STATUS_MISSED, "missed", QUO_DIR_INCOMING, 0, false,
     true, 33300, 0, 33330},
    {"ACoutgoing0001", QUO_STATUS_IN_PROGRESS, "in-progress", QUO_DIR_OUTGOING,
     42, true, false, 36000.5, 36004.125, 0},
};

START_TEST(call_fixture_parses) {
  char name[96];
  snprintf(name, sizeof(name), "calls/%s.json", fixtures[_i].id);
  quo_call_t c;
  parse_fixture(name, &c);
  ck_assert_str_eq(c.id, fixtures[_i].id);
  ck_assert_int_eq(c.status, fixtures[_i].status);
  ck_assert_str_eq(c.raw_status, fixtures[_i].raw_status);
  /* The status is a known one: no drift recorded. */
  ck_assert_int_eq(c.n_drift, 0);
  ck_assert_int_eq(c.direction, fixtures[_i].direction);
  ck_assert_int_eq(c.duration, fixtures[_i].duration);
  ck_assert_int_eq(c.has_answered_at, fixtures[_i].answered);
  ck_assert_int_eq(c.has_completed_at, fixtures[_i].completed);
  ck_assert_double_eq_tol(c.created_at, DAY + fixtures[_i].created, TOL);
  if (fixtures[_i].answered)
    ck_assert_double_eq_tol(c.answered_at, DAY + fixtures[_i].answered_at, TOL);
  if (fixtures[_i].completed)
    ck_assert_double_eq_tol(c.completed_at, DAY + fixtures[_i].completed_at,
                            TOL);
}
END_TEST

/* ---- real-world call objects (tests/fixtures/realworld, see *.source) ---- */

typedef struct {
  const char *id;      /* the file name, and the requested call ID */
  bool valid;          /* carries the four required fields */
  const char *status;  /* valid: the status name */
  int64_t duration;    /* valid */
  double latency;      /* valid, when answered: answeredAt - createdAt */
  bool answered;       /* valid: answeredAt not null */
  const char *missing; /* invalid: the field the reason names */
} realworld_t;

static const realworld_t realworld[] = {
    {"ACfriggApiCompletedIn", true, "completed", 76, 1.89, true, NULL},
    {"ACfriggApiCompletedOut", true, "completed", 120, 5.0, true, NULL},
    {"ACfriggApiMissed", true, "no-answer", 16, 0, false, NULL},
    {"ACfriggApiEmpty", true, "no-answer", 16, 0, false, NULL},
    {"ACfriggApiAi", true, "completed", 95, 2.0, true, NULL},
    {"ACfriggV4Completed", true, "completed", 76, 1.89, true, NULL},
    {"ACfriggV4Recording", true, "completed", 76, 1.89, true, NULL},
    {"ACfriggV4EmptyPart", true, "no-answer", 16, 0, false, NULL},
    {"ACfriggV4FullDetails", true, "no-answer", 16, 0, false, NULL},
    {"ACsXlF0", true, "ringing", 60, 0.0, true, NULL},
    {"AC123abc", true, "completed", 60, 0.0, true, NULL},
    {"ACpipedreamIncoming", false, NULL, 0, 0, false, "id"},
    {"ACpipedreamRecording", false, NULL, 0, 0, false, "id"},
};
#define NREALWORLD ((int)(sizeof(realworld) / sizeof(realworld[0])))

START_TEST(call_realworld_fixture) {
  /* _i: one real-world fixture. */
  const realworld_t *w = &realworld[_i];
  char name[128];
  snprintf(name, sizeof(name), "realworld/%s.json", w->id);
  size_t len = 0;
  char *body = read_fixture(name, &len);
  quo_call_t c;
  char err[128] = "";
  int rc = parse_n(body, len, &c, err, sizeof(err));
  free(body);
  if (!w->valid) {
    char needle[64];
    snprintf(needle, sizeof(needle), "'%s'", w->missing);
    ck_assert_msg(rc == -1, "%s accepted", w->id);
    ck_assert_msg(strstr(err, needle) != NULL, "%s: \"%s\" does not name %s",
                  w->id, err, needle);
    return;
  }
  ck_assert_msg(rc == 0, "%s refused: %s", w->id, err);
  ck_assert_str_eq(c.id, w->id);
  ck_assert_str_eq(quo_status_name(c.status), w->status);
  ck_assert_str_eq(c.raw_status, w->status);
  ck_assert_int_eq(c.duration, w->duration);
  ck_assert_int_eq(c.has_answered_at, w->answered);
  if (w->answered)
    ck_assert_double_eq_tol(quo_call_answer_latency(&c), w->latency, TOL);
  /* Every one of them is of a documented shape: nothing drifts. */
  ck_assert_msg(c.n_drift == 0, "%s: %s drifted (%s)", w->id,
                c.n_drift ? c.drift[0].field : "",
                c.n_drift ? c.drift[0].shape : "");
}
END_TEST

START_TEST(call_realworld_dated_shapes_read) {
  /* The 2026-03-30 reference example: participant objects, actorId. */
  quo_call_t c;
  parse_fixture("realworld/AC123abc.json", &c);
  ck_assert_int_eq(c.direction, QUO_DIR_INCOMING);
  ck_assert(c.has_completed_at);
  ck_assert_int_eq(c.n_drift, 0);
}
END_TEST

/* ---- required fields: missing or mistyped -> invalid ---- */

static const char *const required_fields[] = {"id", "status", "createdAt",
                                              "duration"};
#define NREQUIRED ((int)(sizeof(required_fields) / sizeof(required_fields[0])))

START_TEST(call_required_missing) {
  /* _i: which required member is left out. */
  char needle[64];
  snprintf(needle, sizeof(needle), "missing field '%s'", required_fields[_i]);
  edit_t e = {.omit = required_fields[_i]};
  expect_fail(&e, needle);
}
END_TEST

/* Values no required field or answeredAt/completedAt takes. */
typedef struct {
  const char *field;
  const char *const *bad;
} mistyped_t;

static const char *const bad_for_string[] = {
    "5",  "-1",      "1.5",  "true", "false", "{}", "{\"a\": \"b\"}",
    "[]", "[\"x\"]", "null", NULL};
static const char *const bad_for_time_null[] = {
    "5", "true", "false", "{}", "[]", "[\"2026-11-27T10:00:00Z\"]", NULL};
static const char *const bad_for_duration[] = {
    "\"5\"", "\"184\"", "true", "false", "{}", "[]", "[1]", "null", NULL};

static const mistyped_t mistyped[] = {
    {"id", bad_for_string},
    {"status", bad_for_string},
    {"createdAt", bad_for_string},
    {"duration", bad_for_duration},
    {"answeredAt", bad_for_time_null},
    {"completedAt", bad_for_time_null},
};

START_TEST(call_required_mistyped) {
  /* _i: a field whose wrong type makes the body invalid. */
  const mistyped_t *m = &mistyped[_i];
  for (const char *const *v = m->bad; *v != NULL; v++)
    expect_field_fail(m->field, *v);
}
END_TEST

START_TEST(call_answered_completed_absent_is_null) {
  quo_call_t c;
  edit_t e = {.omit = "answeredAt"};
  expect_clean(&e, &c);
  ck_assert(!c.has_answered_at);
  ck_assert(c.has_completed_at);
  e = (edit_t){.omit = "completedAt"};
  expect_clean(&e, &c);
  ck_assert(c.has_answered_at);
  ck_assert(!c.has_completed_at);
}
END_TEST

START_TEST(call_null_answered_completed) {
  quo_call_t c;
  edit_t e = {.name = "answeredAt", .value = "null"};
  expect_clean(&e, &c);
  ck_assert(!c.has_answered_at);
  ck_assert(c.has_completed_at);
  e = (edit_t){.name = "completedAt", .value = "null"};
  expect_clean(&e, &c);
  ck_assert(c.has_answered_at);
  ck_assert(!c.has_completed_at);
}
END_TEST

START_TEST(call_bad_timestamps) {
  static const char *const strict[] = {"answeredAt", "completedAt",
                                       "createdAt"};
  static const char *const bad[] = {
      "\"yesterday\"",           "\"2026-13-01T00:00:00Z\"", "\"2026-11-27\"",
      "\"2026-11-27T10:00:00\"", "\"2023-02-29T00:00:00Z\"", "\"\""};
  for (size_t f = 0; f < sizeof(strict) / sizeof(strict[0]); f++)
    for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++)
      expect_field_fail(strict[f], bad[b]);
  /* updatedAt is read by nothing: the same values only drift. */
  for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++)
    field_drift("updatedAt", bad[b], "timestamp");
}
END_TEST

/* ---- duration ---- */

static const struct {
  const char *json;
  int64_t want;
} whole_durations[] = {{"0", 0},
                       {"-0", 0},
                       {"76", 76},
                       {"76.0", 76},
                       {"76.000", 76},
                       {"-0.0", 0},
                       {"1e3", 1000},
                       {"7.6E1", 76},
                       {"9223372036854775807", INT64_MAX},
                       {"9007199254740992.0", INT64_C(9007199254740992)}};

START_TEST(call_duration_whole_values) {
  quo_call_t c;
  edit_t e = {.name = "duration", .value = whole_durations[_i].json};
  expect_clean(&e, &c);
  ck_assert_msg(c.duration == whole_durations[_i].want, "%s read as %lld",
                whole_durations[_i].json, (long long)c.duration);
}
END_TEST

static const struct {
  const char *json, *why;
} refused_durations[] = {{"76.5", "not an integer"},
                         {"0.1", "not an integer"},
                         {"1e-1", "not an integer"},
                         {"1e400", "not an integer"},
                         {"9223372036854775808", "not an integer"},
                         {"99999999999999999999999999", "not an integer"},
                         {"9007199254740994.0", "not an integer"},
                         {"-1", "negative"},
                         {"-9223372036854775808", "negative"},
                         {"-1.0", "negative"},
                         {"\"76\"", "wrong type"}};

START_TEST(call_duration_refused) {
  char needle[64];
  snprintf(needle, sizeof(needle), "field 'duration': %s",
           refused_durations[_i].why);
  edit_t e = {.name = "duration", .value = refused_durations[_i].json};
  expect_fail(&e, needle);
}
END_TEST

/* ---- status ---- */

START_TEST(call_status_round_trip) {
  /* _i: each of the 13 statuses. */
  quo_status_t s = (quo_status_t)_i;
  const char *name = quo_status_name(s);
  ck_assert_ptr_nonnull(name);
  char value[32];
  snprintf(value, sizeof(value), "\"%s\"", name);
  quo_call_t c;
  edit_t e = {.name = "status", .value = value};
  expect_clean(&e, &c);
  ck_assert_int_eq(c.status, s);
  ck_assert_str_eq(c.raw_status, name);
}
END_TEST

START_TEST(call_status_names_documented) {
  static const char *const want[] = {
      "queued",   "initiated", "ringing",   "in-progress", "completed",
      "busy",     "failed",    "no-answer", "canceled",    "missed",
      "answered", "forwarded", "abandoned", "other"};
  ck_assert_int_eq(QUO_STATUS_COUNT, 14);
  ck_assert_int_eq(QUO_STATUS_OTHER, QUO_STATUS_ABANDONED + 1);
  for (int i = 0; i < QUO_STATUS_COUNT; i++)
    ck_assert_str_eq(quo_status_name((quo_status_t)i), want[i]);
  ck_assert_ptr_null(quo_status_name(QUO_STATUS_COUNT));
  ck_assert_ptr_null(quo_status_name((quo_status_t)-1));
}
END_TEST

/* Statuses that are none of ours: OTHER, with the text kept as sent but
 * sanitized and cut. */
static const struct {
  const char *json; /* the status member as sent */
  const char *raw;  /* what raw_status keeps of it */
} other_statuses[] = {
    {"\"voicemail\"", "voicemail"},
    {"\"Completed\"", "Completed"},
    {"\"in_progress\"", "in_progress"},
    {"\"\"", ""},
    {"\"completed \"", "completed "},
    /* "other" is not a status the API sends: it is ours. */
    {"\"other\"", "other"},
    /* Sanitized: control bytes, '|', non-ASCII become '?'. */
    {"\"a\\u0001b|c\\u00e9\"", "a?b?c??"},
    {"\"x\\u0000y\"", "x?y"},
    /* Cut to 32 bytes. */
    {"\"0123456789abcdef0123456789abcdefXYZ\"",
     "0123456789abcdef0123456789abcdef"},
};

START_TEST(call_unknown_status_is_other) {
  quo_call_t c;
  edit_t e = {.name = "status", .value = other_statuses[_i].json};
  expect_clean(&e, &c);
  ck_assert_msg(c.status == QUO_STATUS_OTHER, "%s: %d", other_statuses[_i].json,
                c.status);
  ck_assert_str_eq(c.raw_status, other_statuses[_i].raw);
  ck_assert_uint_le(strlen(c.raw_status), QUO_RAW_STATUS_MAX);
}
END_TEST

START_TEST(call_status_alarming_exact_set) {
  for (int s = 0; s < QUO_STATUS_COUNT; s++) {
    bool want = s == QUO_STATUS_MISSED || s == QUO_STATUS_NO_ANSWER ||
                s == QUO_STATUS_ABANDONED || s == QUO_STATUS_FAILED ||
                s == QUO_STATUS_BUSY || s == QUO_STATUS_OTHER;
    ck_assert_msg(quo_status_alarming((quo_status_t)s) == want, "%s: %d",
                  quo_status_name((quo_status_t)s), want);
  }
  ck_assert(quo_status_alarming(QUO_STATUS_OTHER));
  ck_assert(quo_status_alarming(QUO_STATUS_MISSED));
  ck_assert(!quo_status_alarming(QUO_STATUS_COMPLETED));
  ck_assert(!quo_status_alarming(QUO_STATUS_CANCELED));
  ck_assert(!quo_status_alarming(QUO_STATUS_RINGING));
}
END_TEST

START_TEST(call_answer_latency) {
  quo_call_t c;
  edit_t e = {0};
  expect_clean(&e, &c);
  ck_assert(c.has_answered_at);
  ck_assert_double_eq_tol(quo_call_answer_latency(&c), 7.5, TOL);
  e = (edit_t){.name = "answeredAt",
               .value = "\"2026-11-27T11:00:00.25+01:00\""};
  expect_clean(&e, &c);
  ck_assert_double_eq_tol(quo_call_answer_latency(&c), 0.25, TOL);
}
END_TEST

/* ---- optional fields: missing and null fine, mis-shaped -> drift ---- */

/* A kind of value, shared by the fields that hold it. */
typedef struct {
  const char *const *good;     /* documented values other than null */
  const char *const *drifting; /* values that drift... */
  const char *shape;           /* ...with this in the shape */
} kind_t;

typedef struct {
  const char *field;
  const kind_t *kind;
  bool null_ok; /* null is a documented value */
} optional_t;

static const char *const good_str[] = {"\"phone-number\"", "\"x\"", "\"\"",
                                       NULL};
static const char *const good_actor_str[] = {"\"USlHhXmRMz\"", "\"SYUabc\"",
                                             "\"SY_AI_AGENT_001\"", NULL};
static const char *const good_direction[] = {"\"incoming\"", "\"outgoing\"",
                                             NULL};
static const char *const good_party[] = {"\"+15555550103\"",  "\"US987xyz\"",
                                         "\"SYU1a2b\"",       "\"anonymous\"",
                                         "\"blocked\"",       "\"restricted\"",
                                         "\"73859\"",         "\"123\"",
                                         "\"+442071838750\"", NULL};
static const char *const good_pn[] = {"\"PN123abc\"", "\"PN\"", NULL};
static const char *const good_us[] = {"\"US123abc\"", "\"US_TEST_001\"", NULL};
static const char *const good_actor[] = {"\"US123abc\"", "\"SYUabc\"", NULL};
static const char *const good_time[] = {
    "\"2026-11-27T10:03:12Z\"", "\"2026-11-27T10:03:12.5+02:00\"", NULL};
static const char *const good_participants[] = {
    "[]",
    "[\"+12\"]",
    "[\"+15555550100\", \"+15555550101\", \"+15555550102\"]",
    "[\"anonymous\", \"blocked\", \"restricted\", \"73859\"]",
    "[{\"phoneNumber\": \"+15555555555\", \"actorId\": \"US123abc\"}, "
    "{\"phoneNumber\": \"+15555555556\", \"actorId\": null}]",
    "[{\"phoneNumber\": \"anonymous\", \"actorId\": \"SYUx1\"}, "
    "{\"phoneNumber\": \"+15555555556\"}, {\"phoneNumber\": \"55555\", "
    "\"actorId\": null, \"name\": {\"nested\": [1]}}]",
    NULL};

static const char *const drift_any_string[] = {"5",  "true",         "{}",
                                               "[]", "{\"a\": [1]}", NULL};
static const char *const drift_direction[] = {
    "\"inbound\"", "\"INCOMING\"", "\"\"", "5", "null", "[]", NULL};
static const char *const drift_party[] = {
    "\"5555550103x\"", "\"us123\"",     "\"\"",
    "\"+0123456\"",    "\"+1\"",        "\"12\"",
    "\"123456789\"",   "\"Anonymous\"", NULL};
static const char *const drift_pn[] = {"\"US123abc\"", "\"pn123\"", "\"\"",
                                       NULL};
static const char *const drift_us[] = {"\"PN123abc\"", "\"us123\"", "\"\"",
                                       "\"SYU123\"", NULL};
static const char *const drift_actor[] = {"\"PN123abc\"", "\"SY123\"", "\"\"",
                                          NULL};
static const char *const drift_time[] = {"\"2026-11-27\"", "5", NULL};
static const char *const drift_participants[] = {
    "\"+15555550100\"", "5", "true", "{}", "{\"a\": 1}", "null", NULL};
static const char *const drift_participant_elements[] = {
    "[\"5555550100\"]",
    "[\"+15555550100\", \"+0555\"]",
    "[\"+1\"]",
    "[\"+1234567890123456\"]",
    "[\"US123abc\"]",
    "[\"\"]",
    "[5]",
    "[null]",
    "[true]",
    "[[]]",
    "[\"+15555550100\", [\"+15555550101\"]]",
    "[{}]",
    "[{\"actorId\": \"US1\"}]",
    "[{\"phoneNumber\": 5}]",
    "[{\"phoneNumber\": null}]",
    "[{\"phoneNumber\": [\"+15555550100\"]}]",
    "[{\"phoneNumber\": \"nobody\"}]",
    "[{\"phoneNumber\": \"+15555550100\", \"actorId\": \"PN1\"}]",
    "[{\"phoneNumber\": \"+15555550100\", \"actorId\": 7}]",
    "[{\"phoneNumber\": \"+15555550100\", \"actorId\": {}}]",
    NULL};

static const kind_t actor_text = {good_actor_str, drift_any_string, ""};
static const kind_t text = {good_str, drift_any_string, ""};
static const kind_t direction = {good_direction, drift_direction, ""};
static const kind_t party = {good_party, drift_party, "phone number"};
static const kind_t pn = {good_pn, drift_pn, "PN..."};
static const kind_t us = {good_us, drift_us, "US..."};
static const kind_t actor = {good_actor, drift_actor, "SYU..."};
static const kind_t time_ = {good_time, drift_time, ""};
static const kind_t participants = {good_participants, drift_participants, ""};
static const kind_t participant_elements = {
    good_participants, drift_participant_elements, "element"};

static const optional_t optionals[] = {
    {.field = "answeredBy", .kind = &actor_text, .null_ok = true},
    {.field = "initiatedBy", .kind = &actor_text, .null_ok = true},
    {.field = "callRoute", .kind = &text, .null_ok = true},
    {.field = "aiHandled", .kind = &text, .null_ok = true},
    {.field = "direction", .kind = &direction},
    {.field = "forwardedFrom", .kind = &party, .null_ok = true},
    {.field = "forwardedTo", .kind = &party, .null_ok = true},
    {.field = "phoneNumberId", .kind = &pn, .null_ok = true},
    {.field = "userId", .kind = &us},
    {.field = "actorId", .kind = &actor},
    {.field = "updatedAt", .kind = &time_, .null_ok = true},
    {.field = "participants", .kind = &participants},
    {.field = "participants", .kind = &participant_elements},
};
#define NOPTIONAL ((int)(sizeof(optionals) / sizeof(optionals[0])))

START_TEST(call_optional_missing) {
  /* _i: an optional field, left out: valid, no drift. */
  quo_call_t c;
  edit_t e = {.omit = optionals[_i].field};
  expect_clean(&e, &c);
  ck_assert_str_eq(c.id, "ACtest0001");
  ck_assert_int_eq(c.status, QUO_STATUS_COMPLETED);
}
END_TEST

START_TEST(call_optional_null) {
  /* _i: an optional field set to null: valid; drift unless documented. */
  const optional_t *o = &optionals[_i];
  if (o->null_ok)
    field_clean(o->field, "null");
  else
    field_drift(o->field, "null", "null");
}
END_TEST

START_TEST(call_optional_documented_shapes) {
  /* _i: every documented shape of an optional field, in either version. */
  for (const char *const *v = optionals[_i].kind->good; *v != NULL; v++)
    field_clean(optionals[_i].field, *v);
}
END_TEST

START_TEST(call_optional_misshaped_drift) {
  /* _i: values of no documented shape: valid, one drift entry naming the
   * field. */
  const optional_t *o = &optionals[_i];
  for (const char *const *v = o->kind->drifting; *v != NULL; v++)
    field_drift(o->field, *v, o->kind->shape);
}
END_TEST

/* The shape says what kind of value came, never the value itself. */
static const struct {
  edit_t edit;       /* a field set to a value of a kind it does not take */
  const char *shape; /* in the drift shape: the kind, not the value */
} drift_shapes[] = {
    {{.name = "callRoute", .value = "5"}, "number"},
    {{.name = "callRoute", .value = "true"}, "boolean"},
    {{.name = "callRoute", .value = "{\"secret\": \"x\"}"}, "object"},
    {{.name = "callRoute", .value = "[\"secret\"]"}, "array"},
    {{.name = "userId", .value = "null"}, "null"},
    {{.name = "direction", .value = "\"secret-direction\""},
     "incoming or outgoing"},
    {{.name = "phoneNumberId", .value = "\"secret\""}, "PN..."},
    {{.name = "forwardedTo", .value = "\"secret\""}, "phone number"}};

START_TEST(call_drift_shape_names_type_not_value) {
  const edit_t *e = &drift_shapes[_i].edit;
  quo_call_t c;
  expect_ok(e, &c);
  const char *shape = drift_of(&c, e->name);
  ck_assert_ptr_nonnull(shape);
  ck_assert_msg(strstr(shape, drift_shapes[_i].shape) != NULL, "%s: %s",
                e->name, shape);
  ck_assert_ptr_null(strstr(shape, "secret"));
}
END_TEST

START_TEST(call_drift_direction_unknown) {
  quo_call_t c;
  edit_t e = {.name = "direction", .value = "\"inbound\""};
  expect_ok(&e, &c);
  ck_assert_int_eq(c.direction, QUO_DIR_UNKNOWN);
  e = (edit_t){.omit = "direction"};
  expect_ok(&e, &c);
  ck_assert_int_eq(c.direction, QUO_DIR_UNKNOWN);
}
END_TEST

START_TEST(call_drift_list_bounded_and_deduplicated) {
  /* Six fields drift, one of them twice: four kept in order, two counted,
   * and the repeated one not listed again. */
  quo_call_t c;
  edit_t e = {.data_extra = "\"callRoute\": 1, \"aiHandled\": 2, "
                            "\"callRoute\": 3, \"userId\": null, "
                            "\"actorId\": 4"};
  e.name = "phoneNumberId";
  e.value = "5";
  /* The built body repeats callRoute and userId later with good values:
   * drift is about what was seen, not what won. */
  char *body = build(&e);
  char err[128] = "";
  ck_assert_msg(parse(body, &c, err, sizeof(err)) == 0, "%s", err);
  free(body);
  ck_assert_int_eq(c.n_drift, QUO_DRIFT_MAX);
  ck_assert_str_eq(c.drift[0].field, "callRoute");
  ck_assert_str_eq(c.drift[1].field, "aiHandled");
  ck_assert_str_eq(c.drift[2].field, "userId");
  ck_assert_str_eq(c.drift[3].field, "actorId");
  ck_assert_int_eq(c.drift_dropped, 1); /* phoneNumberId */
  ck_assert_str_eq(c.drift[0].shape, "number");
  ck_assert_str_eq(c.drift[2].shape, "null");
}
END_TEST

START_TEST(call_record_is_small_and_flat) {
  /* A tracked call keeps one of these per call: no heap, a few hundred
   * bytes at most. */
  ck_assert_uint_le(sizeof(quo_call_t), 320);
  quo_call_t a, b;
  edit_t e = {.name = "callRoute", .value = "7"};
  expect_ok(&e, &a);
  memcpy(&b, &a, sizeof(a));
  ck_assert_str_eq(b.drift[0].field, "callRoute");
  ck_assert_str_eq(b.drift[0].shape, "number");
}
END_TEST

/* ---- both versions' shapes ---- */

START_TEST(call_dated_version_shape) {
  /* A 2026-03-30 call object: actorId instead of userId, participant
   * objects (a group call with an anonymous caller and an SYU actor), a
   * null phoneNumberId. */
  static const char body[] =
      "{\"data\": {\"id\": \"ACdated01\", \"phoneNumberId\": null, "
      "\"actorId\": \"SYUagent7\", \"direction\": \"incoming\", "
      "\"status\": \"completed\", \"participants\": ["
      "{\"phoneNumber\": \"anonymous\", \"actorId\": null}, "
      "{\"phoneNumber\": \"+15555555555\", \"actorId\": \"US123abc\"}, "
      "{\"phoneNumber\": \"+15555555556\", \"actorId\": \"SYUagent7\"}, "
      "{\"phoneNumber\": \"73859\", \"actorId\": null}], "
      "\"answeredAt\": \"2026-04-01T09:00:03Z\", \"answeredBy\": "
      "\"SYUagent7\", "
      "\"initiatedBy\": null, \"completedAt\": \"2026-04-01T09:02:00Z\", "
      "\"createdAt\": \"2026-04-01T09:00:00Z\", \"updatedAt\": null, "
      "\"callRoute\": \"phone-menu\", \"duration\": 117.0, "
      "\"forwardedFrom\": \"restricted\", \"forwardedTo\": \"blocked\", "
      "\"aiHandled\": \"ai-agent\"}}";
  quo_call_t c;
  char err[128] = "";
  ck_assert_msg(parse(body, &c, err, sizeof(err)) == 0, "%s", err);
  ck_assert_str_eq(c.id, "ACdated01");
  ck_assert_int_eq(c.status, QUO_STATUS_COMPLETED);
  ck_assert_int_eq(c.duration, 117);
  ck_assert_double_eq_tol(quo_call_answer_latency(&c), 3.0, TOL);
  ck_assert_int_eq(c.n_drift, 0);
}
END_TEST

START_TEST(call_participant_objects_bounded) {
  /* Unknown members of a participant are skipped however they nest, within
   * the nesting bound. */
  field_clean("participants",
              "[{\"phoneNumber\": \"+15555550100\", \"extra\": [[[{}]]], "
              "\"actorId\": null}]");
}
END_TEST

/* ---- valid variations, and the id ---- */

/* Bodies that differ from the built one only in what the parser must pass
 * over: each still gives the built call, with no drift. */
static const edit_t clean_edits[] = {
    {0},
    {.reverse = true},
    {.data_extra = "\"newFlag\": true, \"ratio\": 1.5e10, "
                   "\"note\": \"x\", \"gone\": null, \"neg\": -3"},
    {.data_extra = "\"sentiment\": {\"score\": 0.8, \"labels\": "
                   "[\"calm\", {\"nested\": [1, 2, {\"deep\": "
                   "null}]}]}, \"empty\": {}"},
    {.data_extra = "\"tags\": [], \"mixed\": [\"a\", 1, null, true, "
                   "[], {}, [[\"x\"]]]"},
    {.top_extra = "\"meta\": {\"requestId\": \"req-1\"}, \"v\": 2, "
                  "\"list\": [1, {\"a\": []}], \"flag\": false, "
                  "\"nothing\": null"},
    /* Required names inside unknown values, or at the top level, are not
     * the call's fields. */
    {.top_extra = "\"status\": \"bogus\", \"meta\": {\"data\": 5}",
     .data_extra = "\"extra\": {\"id\": \"XX\", \"duration\": -5, "
                   "\"participants\": [1, 2, 3]}"},
    /* Fields the API has that the plugin does not read are not drift. */
    {.data_extra = "\"contactIds\": [\"CT1\"], \"recordings\": null, "
                   "\"summary\": {\"jobs\": [{\"result\": {\"data\": "
                   "[{\"name\": \"n\"}]}}]}, \"object\": \"call\", "
                   "\"voicemail\": {\"duration\": 7}, \"from\": \"+1555\""},
    /* userId and actorId side by side (a release sending both) is fine. */
    {.data_extra = "\"actorId\": \"US123abc\""},
    /* Moderate nesting, well within the bound. */
    {.data_extra = "\"x\": [[[[[[[[[[]]]]]]]]]]"},
};

START_TEST(call_clean_edit_valid) {
  quo_call_t c;
  expect_clean(&clean_edits[_i], &c);
  ck_assert_str_eq(c.id, "ACtest0001");
  ck_assert_int_eq(c.status, QUO_STATUS_COMPLETED);
  ck_assert_int_eq(c.duration, 184);
}
END_TEST

START_TEST(call_id_length_bound) {
  /* _i 0: an ID of QUO_CALLID_MAX bytes is kept whole; _i 1: one more byte
   * refuses the body. */
  char value[QUO_CALLID_MAX + 8] = "\"AC";
  for (int i = 0; i < QUO_CALLID_MAX - 2 + _i; i++)
    strcat(value, "z");
  strcat(value, "\"");
  if (_i == 1) {
    expect_field_fail("id", value);
    return;
  }
  quo_call_t c;
  edit_t e = {.name = "id", .value = value};
  expect_ok(&e, &c);
  ck_assert_uint_eq(strlen(c.id), QUO_CALLID_MAX);
}
END_TEST

START_TEST(call_id_without_ac) {
  expect_field_fail("id", "\"XX123\"");
  expect_field_fail("id", "\"ac123\"");
  expect_field_fail("id", "\"\"");
  expect_field_fail("id", "\"A\"");
}
END_TEST

START_TEST(call_id_with_nul) {
  expect_field_fail("id", "\"AC12\\u0000x\"");
}
END_TEST

START_TEST(call_duplicate_member_checked) {
  /* A repeated member is checked like the first: the last one wins, and a
   * mistyped one still refuses the body. */
  edit_t e = {.data_extra = "\"status\": 5"};
  expect_fail(&e, "'status'");
  quo_call_t c;
  e = (edit_t){.data_extra = "\"duration\": 1, \"status\": \"busy\""};
  expect_clean(&e, &c);
  ck_assert_int_eq(c.duration, 184);
  ck_assert_int_eq(c.status, QUO_STATUS_COMPLETED);
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
  fail_str("{\"data\": {}}", "'id'");
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
  edit_t e = {.omit = "status"};
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
  const unit_test_t tests[] = {
      UNIT_CASE("valid"),
      UNIT_LOOP(call_fixture_parses, fixtures),
      UNIT_LOOP_N(call_realworld_fixture, NREALWORLD),
      UNIT_TEST(call_realworld_dated_shapes_read),
      UNIT_LOOP(call_clean_edit_valid, clean_edits),
      UNIT_LOOP_N(call_id_length_bound, 2),
      UNIT_TEST(call_answered_completed_absent_is_null),
      UNIT_TEST(call_null_answered_completed),
      UNIT_LOOP(call_duration_whole_values, whole_durations),
      UNIT_LOOP_N(call_status_round_trip, QUO_STATUS_OTHER),
      UNIT_TEST(call_status_names_documented),
      UNIT_LOOP(call_unknown_status_is_other, other_statuses),
      UNIT_TEST(call_status_alarming_exact_set),
      UNIT_TEST(call_answer_latency),
      UNIT_TEST(call_dated_version_shape),
      UNIT_TEST(call_participant_objects_bounded),
      UNIT_TEST(call_record_is_small_and_flat),
      UNIT_CASE("drift"),
      UNIT_LOOP_N(call_optional_missing, NOPTIONAL),
      UNIT_LOOP_N(call_optional_null, NOPTIONAL),
      UNIT_LOOP_N(call_optional_documented_shapes, NOPTIONAL),
      UNIT_LOOP_N(call_optional_misshaped_drift, NOPTIONAL),
      UNIT_LOOP(call_drift_shape_names_type_not_value, drift_shapes),
      UNIT_TEST(call_drift_direction_unknown),
      UNIT_TEST(call_drift_list_bounded_and_deduplicated),
      UNIT_CASE("invalid"),
      UNIT_LOOP_N(call_required_missing, NREQUIRED),
      UNIT_LOOP(call_required_mistyped, mistyped),
      UNIT_TEST(call_bad_timestamps),
      UNIT_LOOP(call_duration_refused, refused_durations),
      UNIT_TEST(call_id_without_ac),
      UNIT_TEST(call_id_with_nul),
      UNIT_TEST(call_duplicate_member_checked),
      UNIT_CASE("not_a_call"),
      UNIT_TEST(call_data_not_object),
      UNIT_TEST(call_no_data),
      UNIT_TEST(call_empty_data),
      UNIT_TEST(call_top_level_array),
      UNIT_TEST(call_top_level_scalars),
      UNIT_TEST(call_empty_body),
      UNIT_TEST(call_malformed_json),
      UNIT_TEST(call_trailing_garbage),
      UNIT_TEST(call_truncated_half),
      UNIT_TEST(call_every_truncation_refused),
      UNIT_TEST(call_deep_arrays_refused),
      UNIT_TEST(call_deep_objects_refused),
      UNIT_TEST(call_very_deep_no_crash),
      UNIT_TEST(call_invalid_utf8),
      UNIT_TEST(call_raw_control_char_in_string),
      UNIT_TEST(call_small_err_buffer),
      UNIT_END};
  return unit_suite("call", NULL, NULL, tests);
}
