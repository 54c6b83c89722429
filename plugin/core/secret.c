#include "secret.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keys are opaque tokens; a control character would break the header. */
int quo_secret_check(const char *key, char *err, size_t errlen) {
  if (key == NULL || key[0] == '\0') {
    snprintf(err, errlen, "the API key is empty");
    return -1;
  }
  for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
    if (*p < 0x20 || *p == 0x7f) {
      snprintf(err, errlen, "the API key contains a control character");
      return -1;
    }
  }
  return 0;
}

char *quo_secret_read_file(const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "re");
  if (f == NULL) {
    snprintf(err, errlen, "cannot read API key file \"%s\": %s", path,
             strerror(errno));
    return NULL;
  }
  /* stdio's own buffer would keep a copy of the key: give it ours, and
   * wipe it after fclose. */
  char iobuf[BUFSIZ];
  setvbuf(f, iobuf, _IOFBF, sizeof(iobuf));
  char *line = NULL, *key = NULL;
  size_t cap = 0;
  ssize_t n = getline(&line, &cap, f);
  if (n <= 0) {
    snprintf(err, errlen, "API key file \"%s\" is empty", path);
    goto out;
  }
  /* getline counts what it read; a NUL inside would silently cut the key. */
  if (memchr(line, '\0', (size_t)n) != NULL) {
    snprintf(err, errlen, "API key file \"%s\" contains a NUL byte", path);
    goto out;
  }
  if (n > 4096) {
    snprintf(err, errlen, "API key file \"%s\": first line too long", path);
    goto out;
  }
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
                   line[n - 1] == ' ' || line[n - 1] == '\t'))
    line[--n] = '\0';
  char why[64];
  if (quo_secret_check(line, why, sizeof(why)) != 0) {
    snprintf(err, errlen, "API key file \"%s\": %s", path,
             n == 0 ? "the first line is empty" : why);
    goto out;
  }
  key = strdup(line);
  if (key == NULL)
    snprintf(err, errlen, "out of memory");
out:
  if (line != NULL) {
    explicit_bzero(line, cap);
    free(line);
  }
  fclose(f);
  explicit_bzero(iobuf, sizeof(iobuf));
  return key;
}

void quo_secret_free(char *key) {
  if (key == NULL)
    return;
  explicit_bzero(key, strlen(key));
  free(key);
}
