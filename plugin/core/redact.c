#define _GNU_SOURCE /* memmem */
#include "redact.h"

#include <string.h>

/* Shorter tails match too many ordinary words to be worth blanking. */
#define MIN_TAIL 4

void quo_redact(char *buf, size_t len, const char *secret, size_t slen) {
  if (buf == NULL || secret == NULL || slen == 0)
    return;
  size_t at = 0;
  while (at + slen <= len) {
    char *p = memmem(buf + at, len - at, secret, slen);
    if (p == NULL)
      break;
    memset(p, '*', slen);
    /* Past the blanked bytes: a secret of '*' cannot match forever. */
    at = (size_t)(p - buf) + slen;
  }
  /* A copy cut short keeps the key's start at its end. */
  size_t max_tail = slen - 1 < len ? slen - 1 : len;
  for (size_t n = max_tail; n >= MIN_TAIL; n--) {
    if (memcmp(buf + len - n, secret, n) == 0) {
      memset(buf + len - n, '*', n);
      break;
    }
  }
}

void quo_redact_str(char *s, const char *secret, size_t slen) {
  if (s != NULL)
    quo_redact(s, strlen(s), secret, slen);
}
