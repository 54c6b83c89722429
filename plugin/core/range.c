#include "range.h"
#include "text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A finite decimal number filling exactly [s, s+n). */
static int number(const char *s, size_t n, double *out) {
  char buf[40];
  if (n == 0 || n >= sizeof(buf))
    return -1;
  memcpy(buf, s, n);
  buf[n] = '\0';
  /* strtod would also take "inf", "nan", hex and exponents; ranges are
   * plain decimals, as perfdata must be. */
  for (size_t i = 0; i < n; i++)
    if (!strchr("0123456789.-+", buf[i]))
      return -1;
  char *end;
  errno = 0;
  double v = strtod(buf, &end);
  if (*end != '\0' || errno != 0 || !isfinite(v))
    return -1;
  *out = v;
  return 0;
}

int quo_range_parse(const char *s, quo_range_t *r, char *err, size_t errlen) {
  char shown[48];
  memset(r, 0, sizeof(*r));
  r->start = 0;
  r->end = INFINITY;
  if (s == NULL || *s == '\0') {
    snprintf(err, errlen, "empty range");
    return -1;
  }
  size_t total = strlen(s);
  quo_sanitize(shown, sizeof(shown), s, total);
  if (total >= sizeof(r->text)) {
    snprintf(err, errlen, "range \"%s\" is too long", shown);
    return -1;
  }
  memcpy(r->text, s, total + 1);

  const char *p = s;
  if (*p == '@') {
    r->inside = true;
    p++;
  }
  const char *colon = strchr(p, ':');
  bool ok;
  if (colon == NULL) {
    /* "10": 0..10 */
    ok = number(p, strlen(p), &r->end) == 0;
  } else {
    size_t sn = (size_t)(colon - p);
    /* "~" opens the start; an empty start means 0, as in check_http. */
    if (sn == 1 && p[0] == '~')
      r->start = -INFINITY;
    ok = sn == 0 || (sn == 1 && p[0] == '~') || number(p, sn, &r->start) == 0;
    const char *e = colon + 1;
    if (ok && *e != '\0')
      ok = number(e, strlen(e), &r->end) == 0;
    else if (ok)
      r->end = INFINITY; /* "10:" */
  }
  if (!ok) {
    snprintf(err, errlen,
             "range \"%s\" is not N, N:, ~:N, N:M or @N:M with numbers N, M",
             shown);
    return -1;
  }
  if (r->start > r->end) {
    snprintf(err, errlen, "range \"%s\" starts above its end", shown);
    return -1;
  }
  return 0;
}

bool quo_range_alert(const quo_range_t *r, double v) {
  bool within = v >= r->start && v <= r->end;
  return r->inside ? within : !within;
}
