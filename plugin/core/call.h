/* The call record: the "data" object of GET /v1/calls/{callId} (v1) or
 * GET /calls/{callId} (dated versions, 2026-03-30 on), read tolerantly.
 *
 * What a call object must have (else the body is invalid):
 *   id           string, "AC" + at most QUO_CALLID_MAX - 2 more bytes (the
 *                caller compares it with the requested ID)
 *   status       string: one of the 13, else QUO_STATUS_OTHER (raw kept)
 *   createdAt    ISO 8601 timestamp
 *   duration     non-negative number with a whole value (76 or 76.0; 76.5
 *                and "76" are invalid: the API documents an integer, and a
 *                fraction would be a different contract, not a rounding)
 *   answeredAt, completedAt   timestamp or null; absent is null
 * Everything else is optional: read when present and of a shape documented
 * by either version, and otherwise recorded as schema drift (field name and
 * shape seen, never the value) without making the body invalid. Members
 * the parser does not know are ignored: new fields are not drift. */
#ifndef QUO_CALL_H
#define QUO_CALL_H

#include "callid.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The 13 documented statuses, in the reference's order, then OTHER for a
 * status this release does not know. */
typedef enum {
  QUO_STATUS_QUEUED,
  QUO_STATUS_INITIATED,
  QUO_STATUS_RINGING,
  QUO_STATUS_IN_PROGRESS,
  QUO_STATUS_COMPLETED,
  QUO_STATUS_BUSY,
  QUO_STATUS_FAILED,
  QUO_STATUS_NO_ANSWER,
  QUO_STATUS_CANCELED,
  QUO_STATUS_MISSED,
  QUO_STATUS_ANSWERED,
  QUO_STATUS_FORWARDED,
  QUO_STATUS_ABANDONED,
  QUO_STATUS_OTHER, /* raw_status holds what the API said */
  QUO_STATUS_COUNT
} quo_status_t;

/* UNKNOWN when the body has no direction, or one of no documented shape. */
typedef enum {
  QUO_DIR_INCOMING,
  QUO_DIR_OUTGOING,
  QUO_DIR_UNKNOWN
} quo_direction_t;

/* At most this many drift entries are kept per record; the rest are only
 * counted (drift_dropped). */
#define QUO_DRIFT_MAX 4
/* raw_status keeps this many bytes of the status string at most. */
#define QUO_RAW_STATUS_MAX 32

/* One optional field that was present but of no documented shape. Both
 * pointers are to static strings (the record owns no memory): field is
 * the member name ("forwardedFrom"), shape what was seen ("number",
 * "object", "string not E.164, US..., SYU..., anonymous, blocked,
 * restricted or a short code"). Never the value. */
typedef struct {
  const char *field;
  const char *shape;
} quo_drift_t;

/* Only what the front ends use is kept, so a tracked call stays small and
 * holds no heap memory: the struct can be copied and compared. */
typedef struct {
  char id[QUO_CALLID_MAX + 1];
  quo_status_t status;
  quo_direction_t direction;
  int64_t duration; /* seconds, >= 0 */
  double created_at;
  double answered_at;  /* valid when has_answered_at */
  double completed_at; /* valid when has_completed_at */
  bool has_answered_at;
  bool has_completed_at;
  /* The status as sent, reduced to printable ASCII ('?' for anything else)
   * and cut to QUO_RAW_STATUS_MAX bytes; set for every status, meant for
   * messages about QUO_STATUS_OTHER. */
  char raw_status[QUO_RAW_STATUS_MAX + 1];
  /* Schema drift, each field name at most once, in the order met. */
  quo_drift_t drift[QUO_DRIFT_MAX];
  uint8_t n_drift;       /* entries used in drift[] */
  uint8_t drift_dropped; /* further drifted fields not kept (saturates) */
} quo_call_t;

/* The documented name of a status ("in-progress"; "other" for
 * QUO_STATUS_OTHER), NULL when out of range. */
const char *quo_status_name(quo_status_t s);

/* A status that raises a WARNING when a call enters it: missed, no-answer,
 * abandoned, failed, busy and other. */
bool quo_status_alarming(quo_status_t s);

/* answeredAt - createdAt in seconds, fractions kept. Meaningful only when
 * c->has_answered_at (callers check it). */
double quo_call_answer_latency(const quo_call_t *c);

/* Parses a 200 body `{"data": {...}}`. Returns 0 and fills *out when the
 * required fields above are present with their documented types (optional
 * ones may drift: see out->drift); returns -1 and writes a short reason
 * naming the field to err ("missing field 'status'", "field 'duration':
 * not an integer") otherwise. err may be NULL. */
int quo_call_parse(const char *body, size_t len, quo_call_t *out, char *err,
                   size_t errlen);

#endif
