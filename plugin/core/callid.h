/* Call ID validation: no call ID reaches a URL unchecked. */
#ifndef QUO_CALLID_H
#define QUO_CALLID_H

#include <stdbool.h>

/* Longest accepted call ID: "AC" plus 62 alphanumerics. */
#define QUO_CALLID_MAX 64

/* True when s matches ^AC[A-Za-z0-9]{1,62}$. */
bool quo_callid_valid(const char *s);

#endif
