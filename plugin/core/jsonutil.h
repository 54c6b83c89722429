/* Small helpers shared by the streaming JSON parsers (call, error). */
#ifndef QUO_JSONUTIL_H
#define QUO_JSONUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <yajl/yajl_parse.h>

/* Runs yajl over body with the given callbacks. Returns 0 when the whole
 * document was parsed; -1 otherwise, with err holding either what a callback
 * wrote before cancelling or a generic "malformed JSON at byte N". */
int quo_json_run(const yajl_callbacks *cb, void *ctx, const char *body,
                 size_t len, char *err, size_t errlen);

/* s (n bytes, not NUL terminated) equals the C string lit. Inline: with a
 * literal, the compiler folds strlen away. */
static inline bool quo_json_equals(const char *s, size_t n, const char *lit) {
  size_t ln = strlen(lit);
  return ln == n && memcmp(s, lit, n) == 0;
}

static inline bool quo_json_has_prefix(const char *s, size_t n,
                                       const char *prefix) {
  size_t pn = strlen(prefix);
  return n >= pn && memcmp(s, prefix, pn) == 0;
}

/* ^\+[1-9]\d{1,14}$ */
bool quo_json_is_e164(const char *s, size_t n);

/* A JSON number that is an integer without fraction or exponent and fits
 * int64_t. Returns 0 on success. */
int quo_json_integer(const char *s, size_t n, int64_t *out);

#endif
