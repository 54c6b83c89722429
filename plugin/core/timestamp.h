/* ISO 8601 / RFC 3339 timestamps as the Quo API sends them. */
#ifndef QUO_TIMESTAMP_H
#define QUO_TIMESTAMP_H

#include <stddef.h>

/* Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)" (exactly len
 * bytes, no NUL needed) into seconds since the Unix epoch, fractions kept.
 * Returns 0 on success, -1 for anything else (out-of-range fields included:
 * month 13, February 30, hour 24, offset +24:00). */
int quo_timestamp_parse(const char *s, size_t len, double *epoch);

#endif
