/* The call record: the validated "data" object of GET /v1/calls/{callId}. */
#ifndef QUO_CALL_H
#define QUO_CALL_H

#include "callid.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The 13 documented statuses, in the reference's order. */
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
  QUO_STATUS_COUNT
} quo_status_t;

typedef enum { QUO_DIR_INCOMING, QUO_DIR_OUTGOING } quo_direction_t;

/* Only what the front ends use is kept; every other field is validated and
 * dropped, so a tracked call stays small. */
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
} quo_call_t;

/* The documented name of a status ("in-progress"), NULL when out of range. */
const char *quo_status_name(quo_status_t s);

/* Parses a 200 body `{"data": {...}}`. Returns 0 and fills *out when every
 * required field is present with its documented type and pattern (unknown
 * fields are tolerated); returns -1 and writes a short reason to err
 * ("field 'status': unknown value") otherwise. */
int quo_call_parse(const char *body, size_t len, quo_call_t *out, char *err,
                   size_t errlen);

#endif
