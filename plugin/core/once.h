/* "Say it once per process": a bounded, thread-safe registry of (kind, key)
 * pairs already reported. Front ends use it to log each drifted field name
 * once and each distinct unknown status once, however many calls and
 * cycles show them. */
#ifndef QUO_ONCE_H
#define QUO_ONCE_H

#include <stdbool.h>

/* Pairs kept at most; past that quo_once reports nothing new (a log line
 * skipped beats memory that grows with whatever the API sends). */
#define QUO_ONCE_MAX 256
/* Bytes of kind and of key that count; longer ones are compared cut. */
#define QUO_ONCE_KIND_MAX 31
#define QUO_ONCE_KEY_MAX 63

/* True the first time (kind, key) is seen by this process, false after,
 * and false for every new pair once QUO_ONCE_MAX are kept. NULL counts as
 * "". Safe from any thread. */
bool quo_once(const char *kind, const char *key);

/* Forgets every pair: for tests only. */
void quo_once_reset(void);

#endif
