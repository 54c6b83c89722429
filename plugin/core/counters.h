/* Cumulative counters keyed by a short label ("200", "0100401"). The
 * labels come from the network, so the table is bounded: past
 * QUO_COUNTERS_MAX - 1 distinct labels, new ones count under "other". */
#ifndef QUO_COUNTERS_H
#define QUO_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#define QUO_COUNTERS_MAX 32

typedef struct {
  struct {
    char label[16];
    uint64_t count;
  } v[QUO_COUNTERS_MAX];
  size_t n;
} quo_counters_t;

/* Adds one to label (cut to 15 characters). */
void quo_counters_add(quo_counters_t *c, const char *label);

#endif
