/* Call bodies for tests, benchmarks and `make demo`: one valid v1 call
 * object (the reference's 17 fields) of which only what a test varies is
 * given. The stand-in's `--generate DIR` writes them from lines on stdin,
 * the C harness calls it directly: no test writes the JSON by hand. */
#ifndef QUO_CALLGEN_H
#define QUO_CALLGEN_H

#include <stddef.h>

typedef struct {
  const char *id;
  const char *status;
  long duration;            /* seconds */
  const char *created_at;   /* NULL: CALLGEN_CREATED_AT */
  const char *answered_at;  /* NULL: null */
  const char *completed_at; /* NULL: null (a live call) */
} callgen_t;

#define CALLGEN_CREATED_AT "2026-11-27T09:00:00Z"

/* The body, NUL-terminated, in buf; its length, or -1 when it does not fit
 * or a value would need escaping (tests pass plain IDs and timestamps). */
int callgen_body(const callgen_t *c, char *buf, size_t cap);

/* Writes DIR/<id>.json through a rename, so a server reading the
 * directory never serves half a body. 0, or -1 with errno set. */
int callgen_write(const char *dir, const callgen_t *c);

/* Parses one spec line, "ID STATUS [duration=N] [createdAt=T]
 * [answeredAt=T] [completedAt=T]" (blank-separated; T is a timestamp or
 * null), into c, which points into line. 0, or -1 with err saying why. */
int callgen_parse(char *line, callgen_t *c, char *err, size_t errlen);

#endif
