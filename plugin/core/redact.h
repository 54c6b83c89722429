/* Keeps the API key out of everything the server sends back: a server that
 * echoes it (in an error message, JSON-escaped or not) must not get it into
 * a log line, a notification or a check's output. */
#ifndef QUO_REDACT_H
#define QUO_REDACT_H

#include <stddef.h>

/* Overwrites every occurrence of secret (slen bytes) in buf[0..len) with
 * '*', and a trailing part of buf that is the secret's start (of at least
 * 4 bytes: a string cut short mid-key). Terminates for any secret, one
 * made of '*' included. slen 0 does nothing. */
void quo_redact(char *buf, size_t len, const char *secret, size_t slen);

/* The same over a NUL-terminated string. */
void quo_redact_str(char *s, const char *secret, size_t slen);

#endif
