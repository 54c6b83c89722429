#include "secret.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int quo_file_open_regular(const char *path, const char *what, char *err,
                          size_t errlen) {
  char shown[160];
  quo_sanitize(shown, sizeof(shown), path, strlen(path));
  const char *sp = what != NULL ? " " : "";
  what = what != NULL ? what : "";
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    snprintf(err, errlen, "cannot read %s%s\"%s\": %s", what, sp, shown,
             strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    snprintf(err, errlen, "cannot read %s%s\"%s\": %s", what, sp, shown,
             strerror(errno));
  } else if (S_ISDIR(st.st_mode)) {
    snprintf(err, errlen, "%s%s\"%s\" is a directory, not a file", what, sp,
             shown);
  } else if (!S_ISREG(st.st_mode)) {
    snprintf(err, errlen,
             "%s%s\"%s\" is not a regular file (a FIFO, socket or device)",
             what, sp, shown);
  } else {
    return fd;
  }
  close(fd);
  return -1;
}

int quo_file_check_regular(const char *path, const char *what, char *err,
                           size_t errlen) {
  int fd = quo_file_open_regular(path, what, err, errlen);
  if (fd < 0)
    return -1;
  close(fd);
  return 0;
}

/* Longest key line accepted. */
#define KEY_LINE_MAX 4096

/* Reads up to cap bytes: a regular file may still return short reads. */
static size_t read_all(int fd, char *buf, size_t cap) {
  size_t n = 0;
  while (n < cap) {
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    n += (size_t)r;
  }
  return n;
}

/* Why the first line of buf (n bytes read) is no key, or NULL when it is
 * one; *len is the key's length, trailing blanks dropped. */
static const char *key_problem(char *buf, size_t n, size_t *len, char *why,
                               size_t whylen) {
  char *nl = memchr(buf, '\n', n);
  *len = nl ? (size_t)(nl - buf) : n;
  if (n == 0)
    return "is empty";
  /* Notepad writes one; the API would answer 401 with no hint why. */
  if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
    return "starts with a UTF-8 byte order mark: save it without one";
  if (memchr(buf, '\0', *len) != NULL)
    return "contains a NUL byte";
  if (*len > KEY_LINE_MAX)
    return ": first line too long";
  while (*len > 0 && (buf[*len - 1] == '\r' || buf[*len - 1] == ' ' ||
                      buf[*len - 1] == '\t'))
    (*len)--;
  buf[*len] = '\0';
  if (*len == 0)
    return ": the first line is empty";
  if (quo_secret_check(buf, why + 2, whylen - 2) != 0) {
    memcpy(why, ": ", 2);
    return why;
  }
  return NULL;
}

char *quo_secret_read_file(const char *path, char *err, size_t errlen) {
  int fd = quo_file_open_regular(path, "API key file", err, errlen);
  if (fd < 0)
    return NULL;
  /* One fixed buffer: no copy of the key is left anywhere but in what is
   * returned, and this buffer is wiped. */
  static const size_t cap = KEY_LINE_MAX + 2;
  char *buf = malloc(cap), *key = NULL;
  if (buf == NULL) {
    close(fd);
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  size_t n = read_all(fd, buf, cap - 1), len;
  char why[80], shown[160];
  const char *problem = key_problem(buf, n, &len, why, sizeof(why));
  if (problem != NULL) {
    quo_sanitize(shown, sizeof(shown), path, strlen(path));
    snprintf(err, errlen, "API key file \"%s\"%s%s", shown,
             problem[0] == ':' ? "" : " ", problem);
  } else {
    key = strdup(buf);
    if (key == NULL)
      snprintf(err, errlen, "out of memory");
  }
  explicit_bzero(buf, cap);
  free(buf);
  close(fd);
  return key;
}

void quo_secret_free(char *key) {
  if (key == NULL)
    return;
  explicit_bzero(key, strlen(key));
  free(key);
}
