/* Streams a 200 body through yajl's callbacks straight into a quo_call_t:
 * no document tree is built, unknown fields are skipped as they pass. */
#include "call.h"
#include "jsonutil.h"
#include "timestamp.h"

#include <stdio.h>
#include <string.h>
#include <yajl/yajl_parse.h>

/* Names with their lengths: a lookup compares lengths before bytes. */
#define NAME(s) s, sizeof(s) - 1

static const struct {
  const char *name;
  size_t len;
} statuses[QUO_STATUS_COUNT] = {
    {NAME("queued")},      {NAME("initiated")}, {NAME("ringing")},
    {NAME("in-progress")}, {NAME("completed")}, {NAME("busy")},
    {NAME("failed")},      {NAME("no-answer")}, {NAME("canceled")},
    {NAME("missed")},      {NAME("answered")},  {NAME("forwarded")},
    {NAME("abandoned")}};

const char *quo_status_name(quo_status_t s) {
  return (s >= 0 && s < QUO_STATUS_COUNT) ? statuses[s].name : NULL;
}

/* How each required field is checked. */
typedef enum {
  K_TIME,      /* ISO 8601 string */
  K_TIME_NULL, /* ISO 8601 string or null */
  K_STR_NULL,  /* any string or null */
  K_DIRECTION, /* "incoming" | "outgoing" */
  K_STATUS,    /* one of the 13 */
  K_DURATION,  /* non-negative integer */
  K_FORWARD,   /* E.164, "US..." or null */
  K_PREFIX,    /* string starting with the field's prefix */
  K_PARTICIPANTS
} kind_t;

typedef enum {
  F_ANSWERED_AT,
  F_ANSWERED_BY,
  F_INITIATED_BY,
  F_DIRECTION,
  F_STATUS,
  F_COMPLETED_AT,
  F_CREATED_AT,
  F_CALL_ROUTE,
  F_DURATION,
  F_FORWARDED_FROM,
  F_FORWARDED_TO,
  F_AI_HANDLED,
  F_ID,
  F_PHONE_NUMBER_ID,
  F_PARTICIPANTS,
  F_UPDATED_AT,
  F_USER_ID,
  F_COUNT
} field_t;

/* In the order the API sends them (the reference's): see find_field. */
static const struct {
  const char *name;
  size_t len;
  kind_t kind;
  const char *prefix;
} fields[F_COUNT] = {
    [F_ANSWERED_AT] = {NAME("answeredAt"), K_TIME_NULL, NULL},
    [F_ANSWERED_BY] = {NAME("answeredBy"), K_STR_NULL, NULL},
    [F_INITIATED_BY] = {NAME("initiatedBy"), K_STR_NULL, NULL},
    [F_DIRECTION] = {NAME("direction"), K_DIRECTION, NULL},
    [F_STATUS] = {NAME("status"), K_STATUS, NULL},
    [F_COMPLETED_AT] = {NAME("completedAt"), K_TIME_NULL, NULL},
    [F_CREATED_AT] = {NAME("createdAt"), K_TIME, NULL},
    [F_CALL_ROUTE] = {NAME("callRoute"), K_STR_NULL, NULL},
    [F_DURATION] = {NAME("duration"), K_DURATION, NULL},
    [F_FORWARDED_FROM] = {NAME("forwardedFrom"), K_FORWARD, NULL},
    [F_FORWARDED_TO] = {NAME("forwardedTo"), K_FORWARD, NULL},
    [F_AI_HANDLED] = {NAME("aiHandled"), K_STR_NULL, NULL},
    [F_ID] = {NAME("id"), K_PREFIX, "AC"},
    [F_PHONE_NUMBER_ID] = {NAME("phoneNumberId"), K_PREFIX, "PN"},
    [F_PARTICIPANTS] = {NAME("participants"), K_PARTICIPANTS, NULL},
    [F_UPDATED_AT] = {NAME("updatedAt"), K_TIME_NULL, NULL},
    [F_USER_ID] = {NAME("userId"), K_PREFIX, "US"},
};

static bool is_field(int i, const char *k, size_t n) {
  return fields[i].len == n && memcmp(k, fields[i].name, n) == 0;
}

/* The field named k, or -1. The API sends the fields in the table's order,
 * so the one after the last match (hint) is tried first: one comparison
 * per key instead of a scan; any other order still finds every field. */
static int find_field(const char *k, size_t n, int hint) {
  if (hint < F_COUNT && is_field(hint, k, n))
    return hint;
  for (int i = 0; i < F_COUNT; i++)
    if (is_field(i, k, n))
      return i;
  return -1;
}

/* What the next JSON value belongs to. */
typedef enum {
  P_ROOT,   /* the document itself */
  P_NONE,   /* a key or a closing bracket comes next */
  P_IGNORE, /* an unknown member's value: skipped whole */
  P_DATA,   /* the value of the top-level "data" */
  P_FIELD,  /* the value of data.<field> */
  P_ELEM    /* an element of data.participants */
} pending_t;

/* Real call objects nest three deep; anything far deeper is not one. */
#define MAX_SKIP_DEPTH 64

typedef struct {
  quo_call_t *out;
  char *err;
  size_t errlen;
  pending_t pending;
  field_t field;
  int level; /* 1 in the root object, 2 in data, 3 in participants */
  int skip;  /* nesting inside a skipped value */
  int participants;
  int hint; /* the field expected next: the one after the last match */
  uint32_t seen;
  bool data_done;
} parser_t;

static int fail(parser_t *p, const char *fmt, const char *what) {
  snprintf(p->err, p->errlen, fmt, what);
  return 0; /* cancels the yajl parse */
}

static int fail_type(parser_t *p) {
  return fail(p, "field '%s': wrong type", fields[p->field].name);
}

/* Common entry for every value: returns 1 when the value is consumed by
 * skipping, 0 when the caller must handle it. */
static bool skipped_scalar(parser_t *p) {
  if (p->skip > 0)
    return true;
  if (p->pending == P_IGNORE) {
    p->pending = P_NONE;
    return true;
  }
  return false;
}

static bool skipped_open(parser_t *p) {
  if (p->skip > 0 || p->pending == P_IGNORE) {
    p->skip++;
    p->pending = P_NONE;
    return true;
  }
  return false;
}

static int non_field(parser_t *p) {
  if (p->pending == P_ROOT)
    return fail(p, "%s", "body is not a JSON object");
  if (p->pending == P_DATA)
    return fail(p, "%s", "'data' is not an object");
  if (p->pending == P_ELEM)
    return fail(p, "%s", "field 'participants': element is not a string");
  return fail(p, "%s", "unexpected value");
}

static void field_done(parser_t *p) {
  p->seen |= 1u << p->field;
  p->pending = P_NONE;
}

static int on_null(void *ctx) {
  parser_t *p = ctx;
  if (skipped_scalar(p))
    return 1;
  if (p->pending != P_FIELD)
    return non_field(p);
  switch (fields[p->field].kind) {
  case K_TIME_NULL:
  case K_STR_NULL:
  case K_FORWARD:
    field_done(p);
    return 1;
  default:
    return fail_type(p);
  }
}

static int on_bool(void *ctx, int v) {
  (void)v;
  parser_t *p = ctx;
  if (skipped_scalar(p))
    return 1;
  return p->pending == P_FIELD ? fail_type(p) : non_field(p);
}

static int on_number(void *ctx, const char *s, size_t n) {
  parser_t *p = ctx;
  if (skipped_scalar(p))
    return 1;
  if (p->pending != P_FIELD)
    return non_field(p);
  if (fields[p->field].kind != K_DURATION)
    return fail_type(p);
  int64_t v;
  if (quo_json_integer(s, n, &v) != 0)
    return fail(p, "field '%s': not an integer", "duration");
  if (v < 0)
    return fail(p, "field '%s': negative", "duration");
  p->out->duration = v;
  field_done(p);
  return 1;
}

static int on_time(parser_t *p, const char *s, size_t n, double *dst,
                   bool *has) {
  if (quo_timestamp_parse(s, n, dst) != 0)
    return fail(p, "field '%s': not an ISO 8601 timestamp",
                fields[p->field].name);
  if (has != NULL)
    *has = true;
  field_done(p);
  return 1;
}

static int on_string(void *ctx, const unsigned char *us, size_t n) {
  parser_t *p = ctx;
  const char *s = (const char *)us;
  if (skipped_scalar(p))
    return 1;
  if (p->pending == P_ELEM) {
    if (++p->participants > 2)
      return fail(p, "field '%s': more than 2 items", "participants");
    if (!quo_json_is_e164(s, n))
      return fail(p, "field '%s': not an E.164 number", "participants");
    return 1;
  }
  if (p->pending != P_FIELD)
    return non_field(p);

  quo_call_t *c = p->out;
  switch (fields[p->field].kind) {
  case K_TIME:
    return on_time(p, s, n, &c->created_at, NULL);
  case K_TIME_NULL:
    if (p->field == F_ANSWERED_AT)
      return on_time(p, s, n, &c->answered_at, &c->has_answered_at);
    if (p->field == F_COMPLETED_AT)
      return on_time(p, s, n, &c->completed_at, &c->has_completed_at);
    {
      double ignored;
      return on_time(p, s, n, &ignored, NULL);
    }
  case K_STR_NULL:
    field_done(p);
    return 1;
  case K_DIRECTION:
    if (quo_json_equals(s, n, "incoming"))
      c->direction = QUO_DIR_INCOMING;
    else if (quo_json_equals(s, n, "outgoing"))
      c->direction = QUO_DIR_OUTGOING;
    else
      return fail(p, "field '%s': unknown value", "direction");
    field_done(p);
    return 1;
  case K_STATUS:
    for (int i = 0; i < QUO_STATUS_COUNT; i++) {
      if (statuses[i].len == n && memcmp(s, statuses[i].name, n) == 0) {
        c->status = (quo_status_t)i;
        field_done(p);
        return 1;
      }
    }
    return fail(p, "field '%s': unknown value", "status");
  case K_FORWARD:
    if (!quo_json_is_e164(s, n) && !quo_json_has_prefix(s, n, "US"))
      return fail(p, "field '%s': neither E.164 nor a user ID",
                  fields[p->field].name);
    field_done(p);
    return 1;
  case K_PREFIX:
    if (!quo_json_has_prefix(s, n, fields[p->field].prefix))
      return fail(p, "field '%s': wrong prefix", fields[p->field].name);
    if (p->field == F_ID) {
      if (n > QUO_CALLID_MAX || memchr(s, '\0', n) != NULL)
        return fail(p, "field '%s': not a call ID", "id");
      memcpy(c->id, s, n);
      c->id[n] = '\0';
    }
    field_done(p);
    return 1;
  case K_DURATION:
  case K_PARTICIPANTS:
    return fail_type(p);
  }
  return fail_type(p);
}

static int on_start_map(void *ctx) {
  parser_t *p = ctx;
  if (skipped_open(p))
    return p->skip <= MAX_SKIP_DEPTH ? 1 : fail(p, "%s", "nesting too deep");
  if (p->pending == P_ROOT) {
    p->level = 1;
  } else if (p->pending == P_DATA) {
    p->level = 2;
    p->seen = 0;
    p->participants = 0;
    p->data_done = false;
    memset(p->out, 0, sizeof(*p->out));
  } else if (p->pending == P_FIELD) {
    return fail_type(p);
  } else {
    return non_field(p);
  }
  p->pending = P_NONE;
  return 1;
}

static int on_key(void *ctx, const unsigned char *us, size_t n) {
  parser_t *p = ctx;
  const char *k = (const char *)us;
  if (p->skip > 0)
    return 1;
  p->pending = P_IGNORE;
  if (p->level == 1 && quo_json_equals(k, n, "data")) {
    p->pending = P_DATA;
  } else if (p->level == 2) {
    int i = find_field(k, n, p->hint);
    if (i >= 0) {
      p->pending = P_FIELD;
      p->field = (field_t)i;
      p->hint = i + 1;
    }
  }
  return 1;
}

static int on_end_map(void *ctx) {
  parser_t *p = ctx;
  if (p->skip > 0) {
    p->skip--;
    return 1;
  }
  if (p->level == 2)
    p->data_done = true;
  p->level--;
  p->pending = P_NONE;
  return 1;
}

static int on_start_array(void *ctx) {
  parser_t *p = ctx;
  if (skipped_open(p))
    return p->skip <= MAX_SKIP_DEPTH ? 1 : fail(p, "%s", "nesting too deep");
  if (p->pending == P_FIELD && fields[p->field].kind == K_PARTICIPANTS) {
    p->level = 3;
    p->participants = 0;
    p->pending = P_ELEM;
    return 1;
  }
  return p->pending == P_FIELD ? fail_type(p) : non_field(p);
}

static int on_end_array(void *ctx) {
  parser_t *p = ctx;
  if (p->skip > 0) {
    p->skip--;
    return 1;
  }
  /* Only participants is ever entered as an array. */
  p->level = 2;
  p->field = F_PARTICIPANTS;
  field_done(p);
  return 1;
}

static const yajl_callbacks callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_bool,
    .yajl_number = on_number,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_key,
    .yajl_end_map = on_end_map,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end_array,
};

int quo_call_parse(const char *body, size_t len, quo_call_t *out, char *err,
                   size_t errlen) {
  char scratch[8];
  if (err == NULL || errlen == 0) {
    err = scratch;
    errlen = sizeof(scratch);
  }
  err[0] = '\0';
  parser_t p = {.out = out, .err = err, .errlen = errlen, .pending = P_ROOT};
  memset(out, 0, sizeof(*out));

  if (quo_json_run(&callbacks, &p, body, len, err, errlen) != 0)
    return -1;
  if (!p.data_done) {
    snprintf(err, errlen, "no 'data' object");
    return -1;
  }
  for (int i = 0; i < F_COUNT; i++) {
    if (!(p.seen & (1u << i))) {
      snprintf(err, errlen, "missing field '%s'", fields[i].name);
      return -1;
    }
  }
  return 0;
}
