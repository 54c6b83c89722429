#include "jsonutil.h"

#include <stdio.h>
#include <string.h>

int quo_json_run(const yajl_callbacks *cb, void *ctx, const char *body,
                 size_t len, char *err, size_t errlen) {
  yajl_handle h = yajl_alloc(cb, NULL, ctx);
  if (h == NULL) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  yajl_status st = yajl_parse(h, (const unsigned char *)body, len);
  if (st == yajl_status_ok)
    st = yajl_complete_parse(h);
  int rc = 0;
  if (st != yajl_status_ok) {
    /* A cancelling callback has already said why; yajl's own message quotes
     * the input, which may hold anything, so only the offset is reported. */
    if (st != yajl_status_client_canceled || err[0] == '\0')
      snprintf(err, errlen, "malformed JSON at byte %zu",
               yajl_get_bytes_consumed(h));
    rc = -1;
  }
  yajl_free(h);
  return rc;
}

bool quo_json_is_e164(const char *s, size_t n) {
  if (n < 3 || n > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9')
    return false;
  for (size_t i = 2; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

int quo_json_integer(const char *s, size_t n, int64_t *out) {
  size_t i = 0;
  bool neg = false;
  if (i < n && s[i] == '-') {
    neg = true;
    i++;
  }
  if (i == n)
    return -1;
  uint64_t v = 0;
  for (; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1; /* fraction or exponent */
    unsigned d = (unsigned)(s[i] - '0');
    if (v > (UINT64_C(9223372036854775808) - d) / 10)
      return -1;
    v = v * 10 + d;
  }
  if (!neg && v > INT64_MAX)
    return -1;
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return 0;
}
