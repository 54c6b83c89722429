#include "callgen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Values go into the JSON as they are: anything that would need escaping
 * is refused rather than escaped, so a test cannot build a body it did not
 * mean. */
static int plain(const char *s) {
  for (; *s != '\0'; s++)
    if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
      return 0;
  return 1;
}

/* Letters and digits only: an ID names a file in the fixture directory,
 * so '/' or ".." must never reach a path. */
static int plain_id(const char *s) {
  if (*s == '\0')
    return 0;
  for (; *s != '\0'; s++)
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
          (*s >= '0' && *s <= '9')))
      return 0;
  return 1;
}

/* A "%s%s%s" format's arguments for t as a JSON string, or null. */
#define STRING_OR_NULL(t) (t) ? "\"" : "", (t) ? (t) : "null", (t) ? "\"" : ""

int callgen_body(const callgen_t *c, char *buf, size_t cap) {
  const char *created = c->created_at ? c->created_at : CALLGEN_CREATED_AT;
  /* The ID is checked by plain_id, which allows even less. */
  const char *vals[] = {c->status, created, c->answered_at, c->completed_at};
  for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
    if (vals[i] != NULL && !plain(vals[i]))
      return -1;
  if (c->id == NULL || !plain_id(c->id) || c->status == NULL || c->duration < 0)
    return -1;
  /* Last updated when it ended, else when it was answered. */
  const char *updated = c->completed_at ? c->completed_at : c->answered_at;
  const char *answered_by = c->answered_at ? "US123abc" : NULL;
  /* The fields in the reference's order, as the API sends them. */
  int n = snprintf(
      buf, cap,
      "{\"data\":{\"answeredAt\":%s%s%s,\"answeredBy\":%s%s%s,"
      "\"initiatedBy\":null,\"direction\":\"incoming\",\"status\":\"%s\","
      "\"completedAt\":%s%s%s,\"createdAt\":\"%s\","
      "\"callRoute\":\"phone-number\",\"duration\":%ld,"
      "\"forwardedFrom\":null,\"forwardedTo\":null,\"aiHandled\":null,"
      "\"id\":\"%s\",\"phoneNumberId\":\"PN123abc\",\"participants\":"
      "[\"+15555550100\",\"+15555550199\"],\"updatedAt\":%s%s%s,"
      "\"userId\":\"US123abc\"}}",
      STRING_OR_NULL(c->answered_at), STRING_OR_NULL(answered_by), c->status,
      STRING_OR_NULL(c->completed_at), created, c->duration, c->id,
      STRING_OR_NULL(updated));
  return n < 0 || (size_t)n >= cap ? -1 : n;
}

int callgen_write(const char *dir, const callgen_t *c) {
  char body[2048], path[4096], tmp[4100];
  int n = callgen_body(c, body, sizeof(body));
  if (n < 0 || snprintf(path, sizeof(path), "%s/%s.json", dir, c->id) >=
                   (int)sizeof(path)) {
    errno = EINVAL;
    return -1;
  }
  snprintf(tmp, sizeof(tmp), "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (f == NULL)
    return -1;
  int ok = fwrite(body, 1, (size_t)n, f) == (size_t)n;
  if (fclose(f) != 0 || !ok || rename(tmp, path) != 0) {
    unlink(tmp);
    return -1;
  }
  return 0;
}

/* A timestamp value of a spec line: "null" is NULL. */
static const char *time_value(const char *v) {
  return strcmp(v, "null") == 0 ? NULL : v;
}

int callgen_parse(char *line, callgen_t *c, char *err, size_t errlen) {
  *c = (callgen_t){0};
  char *save = NULL;
  c->id = strtok_r(line, " \t\r\n", &save);
  c->status = strtok_r(NULL, " \t\r\n", &save);
  if (c->status == NULL) {
    snprintf(err, errlen, "want \"ID STATUS [name=value ...]\"");
    return -1;
  }
  if (!plain(c->status)) {
    snprintf(err, errlen, "status: a value with '\"' or '\\'");
    return -1;
  }
  if (!plain_id(c->id)) {
    snprintf(err, errlen, "ID \"%.40s\" is not letters and digits", c->id);
    return -1;
  }
  for (char *w = strtok_r(NULL, " \t\r\n", &save); w != NULL;
       w = strtok_r(NULL, " \t\r\n", &save)) {
    char *eq = strchr(w, '=');
    if (eq == NULL) {
      snprintf(err, errlen, "\"%.40s\" is not name=value", w);
      return -1;
    }
    *eq = '\0';
    const char *v = eq + 1;
    if (!plain(v)) {
      snprintf(err, errlen, "%.40s: a value with '\"' or '\\'", w);
      return -1;
    }
    char *end;
    if (strcmp(w, "duration") == 0) {
      c->duration = strtol(v, &end, 10);
      if (end == v || *end != '\0' || c->duration < 0) {
        snprintf(err, errlen, "duration \"%.40s\" is not a number", v);
        return -1;
      }
    } else if (strcmp(w, "createdAt") == 0) {
      c->created_at = v;
    } else if (strcmp(w, "answeredAt") == 0) {
      c->answered_at = time_value(v);
    } else if (strcmp(w, "completedAt") == 0) {
      c->completed_at = time_value(v);
    } else {
      snprintf(err, errlen, "unknown field \"%.40s\"", w);
      return -1;
    }
  }
  return 0;
}
