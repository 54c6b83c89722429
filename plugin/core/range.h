/* Threshold ranges in the Monitoring Plugins syntax:
 *   10      alert outside 0..10
 *   10:     alert below 10
 *   ~:10    alert above 10
 *   10:20   alert outside 10..20
 *   @10:20  alert inside 10..20 (ends included)
 *   :10     same as 0:10
 * Bounds may be negative or fractional; start must not exceed end. */
#ifndef QUO_RANGE_H
#define QUO_RANGE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  double start, end; /* -INFINITY / INFINITY when open */
  bool inside;       /* '@': alert inside instead of outside */
  char text[48];     /* as given, for perfdata */
} quo_range_t;

/* Returns 0 on success, -1 with err naming the range and the problem. */
int quo_range_parse(const char *s, quo_range_t *r, char *err, size_t errlen);

/* Whether value v raises the alert of range r. */
bool quo_range_alert(const quo_range_t *r, double v);

#endif
