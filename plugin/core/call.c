/* Streams a 200 body through yajl's callbacks straight into a quo_call_t:
 * no document tree is built, unknown members are skipped as they pass.
 * The rules (what is required, what only may be present) are in call.h. */
#include "call.h"
#include "jsonutil.h"
#include "text.h"
#include "timestamp.h"

#include <stdio.h>
#include <stdlib.h>
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
    {NAME("abandoned")},   {NAME("other")}};

const char *quo_status_name(quo_status_t s) {
  return (s >= 0 && s < QUO_STATUS_COUNT) ? statuses[s].name : NULL;
}

bool quo_status_alarming(quo_status_t s) {
  /* OTHER alarms too: a status nobody has seen before deserves a look. */
  return s == QUO_STATUS_MISSED || s == QUO_STATUS_NO_ANSWER ||
         s == QUO_STATUS_ABANDONED || s == QUO_STATUS_FAILED ||
         s == QUO_STATUS_BUSY || s == QUO_STATUS_OTHER;
}

double quo_call_answer_latency(const quo_call_t *c) {
  return c->answered_at - c->created_at;
}

/* How each known member is checked. The K_REQ_* and K_TIME_NULL kinds make
 * the body invalid when mistyped; the K_OPT_* kinds only record drift. */
typedef enum {
  K_REQ_ID,       /* "AC..." */
  K_REQ_STATUS,   /* any string; unknown values become OTHER */
  K_REQ_TIME,     /* ISO 8601 string */
  K_REQ_DURATION, /* non-negative number with a whole value */
  K_TIME_NULL,    /* ISO 8601 string or null: answeredAt, completedAt */
  K_OPT_TIME,     /* ISO 8601 string or null */
  K_OPT_STR,      /* any string or null */
  K_OPT_DIRECTION,
  K_OPT_PARTY, /* phone, US..., SYU... or null: forwardedFrom/To */
  K_OPT_PN,    /* "PN..." or null (null in dated versions) */
  K_OPT_USER,  /* "US..." */
  K_OPT_ACTOR, /* "US..." or "SYU..." */
  K_OPT_PARTICIPANTS
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
  F_ACTOR_ID,
  F_COUNT
} field_t;

/* In the order v1 sends them (the reference's), then the dated version's
 * additions: see find_field. */
static const struct {
  const char *name;
  size_t len;
  kind_t kind;
} fields[F_COUNT] = {
    [F_ANSWERED_AT] = {NAME("answeredAt"), K_TIME_NULL},
    [F_ANSWERED_BY] = {NAME("answeredBy"), K_OPT_STR},
    [F_INITIATED_BY] = {NAME("initiatedBy"), K_OPT_STR},
    [F_DIRECTION] = {NAME("direction"), K_OPT_DIRECTION},
    [F_STATUS] = {NAME("status"), K_REQ_STATUS},
    [F_COMPLETED_AT] = {NAME("completedAt"), K_TIME_NULL},
    [F_CREATED_AT] = {NAME("createdAt"), K_REQ_TIME},
    [F_CALL_ROUTE] = {NAME("callRoute"), K_OPT_STR},
    [F_DURATION] = {NAME("duration"), K_REQ_DURATION},
    [F_FORWARDED_FROM] = {NAME("forwardedFrom"), K_OPT_PARTY},
    [F_FORWARDED_TO] = {NAME("forwardedTo"), K_OPT_PARTY},
    [F_AI_HANDLED] = {NAME("aiHandled"), K_OPT_STR},
    [F_ID] = {NAME("id"), K_REQ_ID},
    [F_PHONE_NUMBER_ID] = {NAME("phoneNumberId"), K_OPT_PN},
    [F_PARTICIPANTS] = {NAME("participants"), K_OPT_PARTICIPANTS},
    [F_UPDATED_AT] = {NAME("updatedAt"), K_OPT_TIME},
    [F_USER_ID] = {NAME("userId"), K_OPT_USER},
    [F_ACTOR_ID] = {NAME("actorId"), K_OPT_ACTOR},
};

/* The members a body must have, in the order a missing one is reported. */
static const field_t required[] = {F_ID, F_STATUS, F_CREATED_AT, F_DURATION};

/* What drift looks like, as static strings: a record points at them. */
static const char S_NULL[] = "null";
static const char S_BOOLEAN[] = "boolean";
static const char S_NUMBER[] = "number";
static const char S_OBJECT[] = "object";
static const char S_ARRAY[] = "array";
static const char S_TIME[] = "string not an ISO 8601 timestamp";
static const char S_DIRECTION[] = "string not incoming or outgoing";
static const char S_PN[] = "string not matching PN...";
static const char S_US[] = "string not matching US...";
static const char S_ACTOR[] = "string not matching US... or SYU...";
static const char S_PARTY[] = "string not a phone number, US... or SYU...";
static const char S_EL_NULL[] = "element null";
static const char S_EL_BOOLEAN[] = "element boolean";
static const char S_EL_NUMBER[] = "element number";
static const char S_EL_ARRAY[] = "element array";
static const char S_EL_PHONE[] = "element string not a phone number";
static const char S_EL_NO_PHONE[] = "element object without phoneNumber";
static const char S_EL_PHONE_TYPE[] = "element phoneNumber not a string";
static const char S_EL_PHONE_SHAPE[] = "element phoneNumber not a phone number";
static const char S_EL_ACTOR[] = "element actorId not US..., SYU... or null";

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

/* A party on a call as either version writes it: E.164, a withheld
 * caller ("anonymous", "blocked", "restricted"), or a short code (3 to 8
 * digits, as carriers use for SMS and service numbers). */
static bool is_phone(const char *s, size_t n) {
  if (quo_json_is_e164(s, n) || quo_json_equals(s, n, "anonymous") ||
      quo_json_equals(s, n, "blocked") || quo_json_equals(s, n, "restricted"))
    return true;
  if (n < 3 || n > 8)
    return false;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

static bool is_actor(const char *s, size_t n) {
  return quo_json_has_prefix(s, n, "US") || quo_json_has_prefix(s, n, "SYU");
}

/* What the next JSON value belongs to. */
typedef enum {
  P_ROOT,   /* the document itself */
  P_NONE,   /* a key or a closing bracket comes next */
  P_IGNORE, /* an unknown member's value: skipped whole */
  P_DATA,   /* the value of the top-level "data" */
  P_FIELD,  /* the value of data.<field> */
  P_ELEM,   /* an element of data.participants */
  P_PART    /* the value of a member of a participant object */
} pending_t;

/* Which member of a participant object a P_PART value belongs to. */
typedef enum { PF_PHONE, PF_ACTOR } part_field_t;

/* Real call objects nest five deep (summary.jobs[].result.data[] in the
 * dated version); anything far deeper is not one. */
#define MAX_SKIP_DEPTH 64

/* Levels: 1 in the root object, 2 in data, 3 in data.participants, 4 in
 * one of its object elements. */
typedef struct {
  quo_call_t *out;
  char *err;
  size_t errlen;
  pending_t pending;
  field_t field;
  part_field_t pfield;
  int level;
  int skip; /* nesting inside a skipped value */
  int hint; /* the field expected next: the one after the last match */
  uint32_t seen;
  bool elem_phone; /* the current participant object had a phoneNumber */
  bool data_done;
} parser_t;

static int fail(parser_t *p, const char *fmt, const char *what) {
  snprintf(p->err, p->errlen, fmt, what);
  return 0; /* cancels the yajl parse */
}

static int fail_type(parser_t *p) {
  return fail(p, "field '%s': wrong type", fields[p->field].name);
}

static bool optional(field_t f) {
  return fields[f].kind >= K_OPT_TIME;
}

/* Records that field f was of no documented shape; each field once. */
static void drift(parser_t *p, field_t f, const char *shape) {
  quo_call_t *c = p->out;
  for (int i = 0; i < c->n_drift; i++)
    if (c->drift[i].field == fields[f].name)
      return;
  if (c->n_drift < QUO_DRIFT_MAX) {
    c->drift[c->n_drift].field = fields[f].name;
    c->drift[c->n_drift].shape = shape;
    c->n_drift++;
  } else if (c->drift_dropped < UINT8_MAX) {
    /* A field dropped here may be counted again by a duplicate member:
     * the count is a hint that more drifted, not an exact figure. */
    c->drift_dropped++;
  }
}

/* What comes after a complete value: another element inside participants,
 * a key anywhere else. */
static pending_t after_value(const parser_t *p) {
  return p->level == 3 ? P_ELEM : P_NONE;
}

static void field_done(parser_t *p) {
  p->seen |= 1u << p->field;
  p->pending = after_value(p);
}

/* A value whose members need no reading: skip it whole. */
static int skip_open(parser_t *p) {
  p->skip = 1;
  p->pending = P_NONE;
  return 1;
}

/* Common entry for every scalar: true when it is consumed by skipping. */
static bool skipped_scalar(parser_t *p) {
  if (p->skip > 0)
    return true;
  if (p->pending == P_IGNORE) {
    p->pending = after_value(p);
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
  return fail(p, "%s", "unexpected value");
}

/* A value of the wrong JSON type for the current field: invalid for a
 * required one, drift for an optional one. */
static int wrong_type(parser_t *p, const char *shape) {
  if (!optional(p->field))
    return fail_type(p);
  drift(p, p->field, shape);
  field_done(p);
  return 1;
}

/* An object or array where the current field wants something else: as
 * wrong_type, and the whole container is skipped. */
static int wrong_container(parser_t *p, const char *shape) {
  if (!optional(p->field))
    return fail_type(p);
  drift(p, p->field, shape);
  p->seen |= 1u << p->field;
  return skip_open(p);
}

/* null as a field's value: allowed where the field may be null. */
static int field_null(parser_t *p) {
  switch (fields[p->field].kind) {
  case K_TIME_NULL:
  case K_OPT_TIME:
  case K_OPT_STR:
  case K_OPT_PARTY:
  case K_OPT_PN:
    field_done(p);
    return 1;
  default:
    return wrong_type(p, S_NULL);
  }
}

/* A JSON number (as yajl validated it) with a whole, non-negative value
 * that fits int64_t. Integers are read exactly; anything else (76.0, 1e3)
 * through strtod, where only values up to 2^53 are exact. */
static int read_duration(parser_t *p, const char *s, size_t n, int64_t *out) {
  if (quo_json_integer(s, n, out) == 0)
    return *out < 0 ? fail(p, "field '%s': negative", "duration") : 1;
  char buf[64];
  if (n >= sizeof(buf))
    return fail(p, "field '%s': not an integer", "duration");
  memcpy(buf, s, n);
  buf[n] = '\0';
  double v = strtod(buf, NULL);
  if (v < 0)
    return fail(p, "field '%s': negative", "duration");
  /* Also refuses NaN and infinity (1e400): both fail the range test. */
  if (!(v >= 0 && v <= 9007199254740992.0) || v != (double)(int64_t)v)
    return fail(p, "field '%s': not an integer", "duration");
  *out = (int64_t)v;
  return 1;
}

/* A number as a field's value: only duration takes one. */
static int field_number(parser_t *p, const char *s, size_t n) {
  if (fields[p->field].kind != K_REQ_DURATION)
    return wrong_type(p, S_NUMBER);
  int64_t v = 0;
  if (!read_duration(p, s, n, &v))
    return 0;
  p->out->duration = v;
  field_done(p);
  return 1;
}

static int on_time(parser_t *p, const char *s, size_t n, double *dst,
                   bool *has) {
  double t;
  if (quo_timestamp_parse(s, n, &t) != 0) {
    if (optional(p->field))
      return wrong_type(p, S_TIME);
    return fail(p, "field '%s': not an ISO 8601 timestamp",
                fields[p->field].name);
  }
  if (dst != NULL)
    *dst = t;
  if (has != NULL)
    *has = true;
  field_done(p);
  return 1;
}

/* A participant object's member of a type it never has: drift, and the
 * member is done (skip_open skips a container's inside). */
static int wrong_member(parser_t *p) {
  drift(p, F_PARTICIPANTS,
        p->pfield == PF_PHONE ? S_EL_PHONE_TYPE : S_EL_ACTOR);
  p->pending = P_NONE;
  return 1;
}

/* A string inside participants: an element, or a member of one. */
static int on_part_string(parser_t *p, const char *s, size_t n) {
  if (p->pending == P_ELEM) {
    if (!is_phone(s, n))
      drift(p, F_PARTICIPANTS, S_EL_PHONE);
    return 1;
  }
  if (p->pfield == PF_PHONE) {
    p->elem_phone = true;
    if (!is_phone(s, n))
      drift(p, F_PARTICIPANTS, S_EL_PHONE_SHAPE);
  } else if (!is_actor(s, n)) {
    drift(p, F_PARTICIPANTS, S_EL_ACTOR);
  }
  p->pending = P_NONE;
  return 1;
}

/* A string as a field's value: checked against the field's kind. */
static int field_string(parser_t *p, const char *s, size_t n) {
  quo_call_t *c = p->out;
  switch (fields[p->field].kind) {
  case K_REQ_ID:
    if (!quo_json_has_prefix(s, n, "AC"))
      return fail(p, "field '%s': wrong prefix", "id");
    if (n > QUO_CALLID_MAX || memchr(s, '\0', n) != NULL)
      return fail(p, "field '%s': not a call ID", "id");
    memcpy(c->id, s, n);
    c->id[n] = '\0';
    break;
  case K_REQ_STATUS:
    quo_sanitize(c->raw_status, sizeof(c->raw_status), s, n);
    c->status = QUO_STATUS_OTHER;
    for (int i = 0; i < QUO_STATUS_OTHER; i++) {
      if (statuses[i].len == n && memcmp(s, statuses[i].name, n) == 0) {
        c->status = (quo_status_t)i;
        break;
      }
    }
    break;
  case K_REQ_TIME:
    return on_time(p, s, n, &c->created_at, NULL);
  case K_TIME_NULL:
    if (p->field == F_ANSWERED_AT)
      return on_time(p, s, n, &c->answered_at, &c->has_answered_at);
    return on_time(p, s, n, &c->completed_at, &c->has_completed_at);
  case K_OPT_TIME:
    return on_time(p, s, n, NULL, NULL);
  case K_OPT_STR:
    break;
  case K_OPT_DIRECTION:
    if (quo_json_equals(s, n, "incoming"))
      c->direction = QUO_DIR_INCOMING;
    else if (quo_json_equals(s, n, "outgoing"))
      c->direction = QUO_DIR_OUTGOING;
    else
      return wrong_type(p, S_DIRECTION);
    break;
  case K_OPT_PARTY:
    if (!is_phone(s, n) && !is_actor(s, n))
      return wrong_type(p, S_PARTY);
    break;
  case K_OPT_PN:
    if (!quo_json_has_prefix(s, n, "PN"))
      return wrong_type(p, S_PN);
    break;
  case K_OPT_USER:
    if (!quo_json_has_prefix(s, n, "US"))
      return wrong_type(p, S_US);
    break;
  case K_OPT_ACTOR:
    if (!is_actor(s, n))
      return wrong_type(p, S_ACTOR);
    break;
  case K_REQ_DURATION:
  case K_OPT_PARTICIPANTS:
    return wrong_type(p, "string");
  }
  field_done(p);
  return 1;
}

/* The four JSON scalar types, as yajl reports them. */
typedef enum { SC_NULL, SC_BOOLEAN, SC_NUMBER, SC_STRING } scalar_t;

/* A scalar inside participants: a bare element or a participant's member.
 * Only a string can be of a documented shape (see on_part_string). */
static int part_scalar(parser_t *p, scalar_t t, const char *s, size_t n) {
  static const char *const elem_shape[] = {[SC_NULL] = S_EL_NULL,
                                           [SC_BOOLEAN] = S_EL_BOOLEAN,
                                           [SC_NUMBER] = S_EL_NUMBER};
  if (t == SC_STRING)
    return on_part_string(p, s, n);
  if (p->pending == P_ELEM) {
    drift(p, F_PARTICIPANTS, elem_shape[t]);
    return 1;
  }
  /* A participant's member; null is a participant with no Quo actor. */
  if (t == SC_NULL && p->pfield == PF_ACTOR) {
    p->pending = P_NONE;
    return 1;
  }
  return wrong_member(p);
}

/* Every scalar enters here, so where it belongs is decided once: inside a
 * skipped value, inside participants, a field's value, or out of place. */
static int on_scalar(parser_t *p, scalar_t t, const char *s, size_t n) {
  if (skipped_scalar(p))
    return 1;
  if (p->pending == P_ELEM || p->pending == P_PART)
    return part_scalar(p, t, s, n);
  if (p->pending != P_FIELD)
    return non_field(p);
  switch (t) {
  case SC_NULL:
    return field_null(p);
  case SC_BOOLEAN:
    return wrong_type(p, S_BOOLEAN);
  case SC_NUMBER:
    return field_number(p, s, n);
  case SC_STRING:
    break;
  }
  return field_string(p, s, n);
}

static int on_null(void *ctx) {
  return on_scalar(ctx, SC_NULL, NULL, 0);
}

static int on_bool(void *ctx, int v) {
  (void)v;
  return on_scalar(ctx, SC_BOOLEAN, NULL, 0);
}

static int on_number(void *ctx, const char *s, size_t n) {
  return on_scalar(ctx, SC_NUMBER, s, n);
}

static int on_string(void *ctx, const unsigned char *s, size_t n) {
  return on_scalar(ctx, SC_STRING, (const char *)s, n);
}

static void start_data(parser_t *p) {
  p->level = 2;
  p->seen = 0;
  p->data_done = false;
  memset(p->out, 0, sizeof(*p->out));
  p->out->direction = QUO_DIR_UNKNOWN;
}

/* An array that is not skipped and not inside a participant object. */
static int open_array(parser_t *p) {
  switch (p->pending) {
  case P_FIELD:
    if (fields[p->field].kind != K_OPT_PARTICIPANTS)
      return wrong_container(p, S_ARRAY);
    p->level = 3;
    p->pending = P_ELEM;
    return 1;
  case P_ELEM:
    drift(p, F_PARTICIPANTS, S_EL_ARRAY);
    return skip_open(p);
  default:
    return non_field(p);
  }
}

/* Every object and array enters here, as every scalar enters on_scalar:
 * inside a skipped value, inside a participant object (neither kind is a
 * documented member there), else by what the value belongs to. */
static int on_open(parser_t *p, bool object) {
  if (skipped_open(p))
    return p->skip <= MAX_SKIP_DEPTH ? 1 : fail(p, "%s", "nesting too deep");
  if (p->pending == P_PART) {
    wrong_member(p);
    return skip_open(p);
  }
  if (!object)
    return open_array(p);
  switch (p->pending) {
  case P_ROOT:
    p->level = 1;
    break;
  case P_DATA:
    start_data(p);
    break;
  case P_FIELD:
    return wrong_container(p, S_OBJECT);
  case P_ELEM:
    p->level = 4;
    p->elem_phone = false;
    break;
  default:
    return non_field(p);
  }
  p->pending = P_NONE;
  return 1;
}

static int on_start_map(void *ctx) {
  return on_open(ctx, true);
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
  } else if (p->level == 4) {
    if (quo_json_equals(k, n, "phoneNumber")) {
      p->pending = P_PART;
      p->pfield = PF_PHONE;
    } else if (quo_json_equals(k, n, "actorId")) {
      p->pending = P_PART;
      p->pfield = PF_ACTOR;
    }
  }
  return 1;
}

static int end_skip(parser_t *p) {
  if (--p->skip == 0)
    p->pending = after_value(p);
  return 1;
}

static int on_end_map(void *ctx) {
  parser_t *p = ctx;
  if (p->skip > 0)
    return end_skip(p);
  if (p->level == 4) {
    if (!p->elem_phone)
      drift(p, F_PARTICIPANTS, S_EL_NO_PHONE);
    p->level = 3;
    p->pending = P_ELEM;
    return 1;
  }
  if (p->level == 2)
    p->data_done = true;
  p->level--;
  p->pending = P_NONE;
  return 1;
}

static int on_start_array(void *ctx) {
  return on_open(ctx, false);
}

static int on_end_array(void *ctx) {
  parser_t *p = ctx;
  if (p->skip > 0)
    return end_skip(p);
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
  out->direction = QUO_DIR_UNKNOWN;

  if (quo_json_run(&callbacks, &p, body, len, err, errlen) != 0)
    return -1;
  if (!p.data_done) {
    snprintf(err, errlen, "no 'data' object");
    return -1;
  }
  for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
    if (!(p.seen & (1u << required[i]))) {
      snprintf(err, errlen, "missing field '%s'", fields[required[i]].name);
      return -1;
    }
  }
  return 0;
}
