#include "callid.h"

#include <ctype.h>
#include <string.h>

bool quo_callid_valid(const char *s) {
  if (s == NULL || s[0] != 'A' || s[1] != 'C')
    return false;
  size_t n = 0;
  for (const char *p = s + 2; *p != '\0'; p++, n++) {
    /* isalnum() is locale dependent; IDs are plain ASCII. */
    unsigned char c = (unsigned char)*p;
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
          (c >= 'A' && c <= 'Z')))
      return false;
    if (n >= QUO_CALLID_MAX - 2)
      return false;
  }
  return n >= 1;
}
