#include "text.h"

char *quo_sanitize(char *dst, size_t cap, const char *src, size_t n) {
  if (cap == 0)
    return dst;
  size_t o = 0;
  for (size_t i = 0; i < n && o + 1 < cap; i++) {
    unsigned char c = (unsigned char)src[i];
    dst[o++] = (c >= 0x20 && c < 0x7f && c != '|') ? (char)c : '?';
  }
  dst[o] = '\0';
  return dst;
}
