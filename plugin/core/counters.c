#include "counters.h"

#include <stdio.h>
#include <string.h>

void quo_counters_add(quo_counters_t *c, const char *label) {
  char key[sizeof(c->v[0].label)];
  snprintf(key, sizeof(key), "%s", label);
  for (size_t i = 0; i < c->n; i++) {
    if (strcmp(c->v[i].label, key) == 0) {
      c->v[i].count++;
      return;
    }
  }
  /* The last slot is kept for "other". */
  if (c->n >= QUO_COUNTERS_MAX - 1 && strcmp(key, "other") != 0) {
    quo_counters_add(c, "other");
    return;
  }
  if (c->n >= QUO_COUNTERS_MAX)
    return;
  memcpy(c->v[c->n].label, key, sizeof(key));
  c->v[c->n++].count = 1;
}
