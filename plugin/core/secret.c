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
  char line[1024];
  char *key = NULL;
  if (fgets(line, sizeof(line), f) == NULL) {
    snprintf(err, errlen, "API key file \"%s\" is empty", path);
    goto out;
  }
  size_t n = strlen(line);
  if (n == sizeof(line) - 1 && line[n - 1] != '\n') {
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
  explicit_bzero(line, sizeof(line));
  fclose(f);
  return key;
}

void quo_secret_free(char *key) {
  if (key == NULL)
    return;
  explicit_bzero(key, strlen(key));
  free(key);
}
