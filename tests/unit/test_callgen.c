/* The call bodies the tests generate (tests/standin/callgen.c): what every
 * integration test, driver and benchmark is served must be a valid call
 * for the core's own parser, with exactly the values asked for. */
#include "unit.h"

#include "call.h"
#include "callgen.h"
#include "timestamp.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static double ts(const char *s) {
  double t = 0;
  ck_assert_int_eq(quo_timestamp_parse(s, strlen(s), &t), 0);
  return t;
}

/* Generated with the spec line, parsed back by quo_call_parse. */
static const struct {
  const char *spec;
  const char *id;
  quo_status_t status;
  long duration;
  const char *created, *answered, *completed; /* NULL: null */
} lines[] = {
    {"ACg1 ringing", "ACg1", QUO_STATUS_RINGING, 0, CALLGEN_CREATED_AT, NULL,
     NULL},
    {"ACg2 completed duration=60 completedAt=2026-11-27T09:01:00Z", "ACg2",
     QUO_STATUS_COMPLETED, 60, CALLGEN_CREATED_AT, NULL,
     "2026-11-27T09:01:00Z"},
    {"ACg3\tin-progress  duration=42 createdAt=2026-11-27T10:00:00Z "
     "answeredAt=2026-11-27T10:00:07.5Z completedAt=null",
     "ACg3", QUO_STATUS_IN_PROGRESS, 42, "2026-11-27T10:00:00Z",
     "2026-11-27T10:00:07.5Z", NULL},
    /* A status this release does not know is still a valid body. */
    {"ACg4 transferred answeredAt=null", "ACg4", QUO_STATUS_OTHER, 0,
     CALLGEN_CREATED_AT, NULL, NULL},
};

START_TEST(generated_body_parses_back) {
  char line[256], body[2048], err[160];
  snprintf(line, sizeof(line), "%s", lines[_i].spec);
  callgen_t c;
  ck_assert_int_eq(callgen_parse(line, &c, err, sizeof(err)), 0);
  int n = callgen_body(&c, body, sizeof(body));
  ck_assert_int_gt(n, 0);
  ck_assert_int_eq(n, (int)strlen(body));
  quo_call_t call;
  ck_assert_msg(quo_call_parse(body, (size_t)n, &call, err, sizeof(err)) == 0,
                "%s: %s", body, err);
  ck_assert_str_eq(call.id, lines[_i].id);
  ck_assert_int_eq(call.status, lines[_i].status);
  ck_assert_int_eq(call.duration, lines[_i].duration);
  ck_assert_double_eq(call.created_at, ts(lines[_i].created));
  ck_assert_int_eq(call.has_answered_at, lines[_i].answered != NULL);
  if (lines[_i].answered != NULL)
    ck_assert_double_eq(call.answered_at, ts(lines[_i].answered));
  ck_assert_int_eq(call.has_completed_at, lines[_i].completed != NULL);
  if (lines[_i].completed != NULL)
    ck_assert_double_eq(call.completed_at, ts(lines[_i].completed));
  /* Every optional field of the documented shape: no drift. */
  ck_assert_int_eq(call.n_drift, 0);
}
END_TEST

/* Lines refused, each with the reason it names. */
static const struct {
  const char *spec, *says;
} bad_lines[] = {
    {"ACx", "want \"ID STATUS"},
    {"", "want \"ID STATUS"},
    {"../etc/x completed", "is not letters and digits"},
    {"AC/x completed", "is not letters and digits"},
    {"ACx \"q", "status: a value with"},
    {"ACx completed answeredAt=a\\b", "answeredAt: a value with"},
    {"ACx completed duration=-1", "duration \"-1\" is not a number"},
    {"ACx completed duration=5s", "duration \"5s\" is not a number"},
    {"ACx completed finished", "\"finished\" is not name=value"},
    {"ACx completed userId=US1", "unknown field \"userId\""},
};

START_TEST(bad_spec_line_says_why) {
  char line[256], err[160] = "";
  snprintf(line, sizeof(line), "%s", bad_lines[_i].spec);
  callgen_t c;
  ck_assert_int_eq(callgen_parse(line, &c, err, sizeof(err)), -1);
  ck_assert_msg(strstr(err, bad_lines[_i].says) != NULL, "%s: got '%s'",
                bad_lines[_i].spec, err);
}
END_TEST

START_TEST(body_refused_when_it_does_not_fit_or_needs_escaping) {
  char body[2048];
  callgen_t c = {.id = "ACfit", .status = "missed"};
  int n = callgen_body(&c, body, sizeof(body));
  ck_assert_int_gt(n, 0);
  ck_assert_int_eq(callgen_body(&c, body, (size_t)n), -1);
  ck_assert_int_eq(callgen_body(&c, body, (size_t)n + 1), n);
  c.completed_at = "2026\"";
  ck_assert_int_eq(callgen_body(&c, body, sizeof(body)), -1);
  c = (callgen_t){.id = "AC.x", .status = "missed"};
  ck_assert_int_eq(callgen_body(&c, body, sizeof(body)), -1);
  c = (callgen_t){.id = "ACx", .status = "missed", .duration = -1};
  ck_assert_int_eq(callgen_body(&c, body, sizeof(body)), -1);
}
END_TEST

START_TEST(write_replaces_the_file_whole) {
  char dir[] = "/tmp/quo-callgen-XXXXXX", path[64], body[2048];
  ck_assert_ptr_nonnull(mkdtemp(dir));
  callgen_t c = {.id = "ACw1", .status = "ringing"};
  ck_assert_int_eq(callgen_write(dir, &c), 0);
  c.status = "completed";
  c.completed_at = "2026-11-27T09:01:00Z";
  ck_assert_int_eq(callgen_write(dir, &c), 0);
  snprintf(path, sizeof(path), "%s/ACw1.json", dir);
  FILE *f = fopen(path, "r");
  ck_assert_ptr_nonnull(f);
  size_t n = fread(body, 1, sizeof(body) - 1, f);
  fclose(f);
  body[n] = '\0';
  ck_assert_int_eq((int)n, callgen_body(&c, (char[2048]){0}, 2048));
  ck_assert_ptr_nonnull(strstr(body, "\"status\":\"completed\""));
  /* No temporary file is left beside it. */
  char tmp[80];
  snprintf(tmp, sizeof(tmp), "%s.tmp", path);
  ck_assert_int_ne(access(tmp, F_OK), 0);
  ck_assert_int_eq(unlink(path), 0);
  /* A directory that is not there: an error, not a crash. */
  ck_assert_int_eq(callgen_write("/nonexistent-quo-dir", &c), -1);
  ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

Suite *callgen_suite(void) {
  const unit_test_t tests[] = {
      UNIT_CASE("callgen"),
      UNIT_LOOP(generated_body_parses_back, lines),
      UNIT_LOOP(bad_spec_line_says_why, bad_lines),
      UNIT_TEST(body_refused_when_it_does_not_fit_or_needs_escaping),
      UNIT_TEST(write_replaces_the_file_whole),
      UNIT_END};
  return unit_suite("callgen", NULL, NULL, tests);
}
