/* Untrusted text (API bodies, operator input) made safe to print. */
#ifndef QUO_TEXT_H
#define QUO_TEXT_H

#include <stddef.h>

/* Copies at most n bytes of src into dst (capacity cap, always
 * NUL-terminated), replacing anything that is not printable ASCII, and the
 * '|' that would split a Nagios status line, by '?'. Returns dst. */
char *quo_sanitize(char *dst, size_t cap, const char *src, size_t n);

#endif
