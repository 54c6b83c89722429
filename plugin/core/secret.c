#include "secret.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

bool quo_secret_file_exposed(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0;
}

/* Longest key line accepted. */
#define KEY_LINE_MAX 4096

char *quo_secret_read_file(const char *path, char *err, size_t errlen) {
  char shown[160];
  quo_sanitize(shown, sizeof(shown), path, strlen(path));
  FILE *f = fopen(path, "re");
  if (f == NULL) {
    snprintf(err, errlen, "cannot read API key file \"%s\": %s", shown,
             strerror(errno));
    return NULL;
  }
  /* One fixed buffer, handed to stdio too: no copy of the key is left
   * anywhere but in what is returned, and this buffer is wiped. */
  static const size_t cap = KEY_LINE_MAX + 2;
  char *buf = malloc(cap), *key = NULL;
  if (buf == NULL) {
    fclose(f);
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  setvbuf(f, NULL, _IONBF, 0);
  size_t n = fread(buf, 1, cap - 1, f);
  char *nl = memchr(buf, '\n', n);
  size_t len = nl ? (size_t)(nl - buf) : n;
  if (n == 0) {
    snprintf(err, errlen, "API key file \"%s\" is empty", shown);
    goto out;
  }
  if (memchr(buf, '\0', len) != NULL) {
    snprintf(err, errlen, "API key file \"%s\" contains a NUL byte", shown);
    goto out;
  }
  if (len > KEY_LINE_MAX) {
    snprintf(err, errlen, "API key file \"%s\": first line too long", shown);
    goto out;
  }
  while (len > 0 &&
         (buf[len - 1] == '\r' || buf[len - 1] == ' ' || buf[len - 1] == '\t'))
    len--;
  buf[len] = '\0';
  char why[64];
  if (quo_secret_check(buf, why, sizeof(why)) != 0) {
    snprintf(err, errlen, "API key file \"%s\": %s", shown,
             len == 0 ? "the first line is empty" : why);
    goto out;
  }
  key = strdup(buf);
  if (key == NULL)
    snprintf(err, errlen, "out of memory");
out:
  explicit_bzero(buf, cap);
  free(buf);
  fclose(f);
  return key;
}

void quo_secret_free(char *key) {
  if (key == NULL)
    return;
  explicit_bzero(key, strlen(key));
  free(key);
}
