/* Parsing and formatting for quo-notify-nagios; see notify_nagios.h. */
#include "notify_nagios.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void set_err(char *err, size_t errlen, const char *msg) {
  if (err != NULL && errlen > 0)
    snprintf(err, errlen, "%s", msg);
}

/* Copies len bytes of src into a field of QNN_NAME_MAX bytes. */
static int copy_field(char *dst, const char *src, size_t len) {
  if (len >= QNN_NAME_MAX)
    return -1;
  memcpy(dst, src, len);
  dst[len] = '\0';
  return 0;
}

static int parse_severity(const char *v, size_t len) {
  static const struct {
    const char *name;
    int state;
  } map[] = {{"FAILURE", 2}, {"WARNING", 1}, {"OKAY", 0}};
  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
    if (strlen(map[i].name) == len && strncasecmp(v, map[i].name, len) == 0)
      return map[i].state;
  }
  return -1;
}

/* collectd 5.12 writes "Time: %.3f"; older releases wrote whole seconds. */
static long long parse_time(const char *v, size_t len) {
  char tmp[64];
  if (len == 0 || len >= sizeof(tmp))
    return -1;
  memcpy(tmp, v, len);
  tmp[len] = '\0';
  char *end = NULL;
  errno = 0;
  double t = strtod(tmp, &end);
  if (errno != 0 || end == tmp || *end != '\0' || t < 0 || t > 1e15)
    return -1;
  return (long long)t;
}

/* One header "name: v" into n. Anything but the identifier, Severity and
 * Time is notification meta data: not ours to forward. */
static int apply_header(qnn_notification_t *n, const char *name, size_t nlen,
                        const char *v, size_t vlen, char *err, size_t errlen) {
  static const struct {
    const char *name;
    size_t off;
  } fields[] = {
      {"Host", offsetof(qnn_notification_t, host)},
      {"Plugin", offsetof(qnn_notification_t, plugin)},
      {"PluginInstance", offsetof(qnn_notification_t, plugin_instance)},
      {"Type", offsetof(qnn_notification_t, type)},
      {"TypeInstance", offsetof(qnn_notification_t, type_instance)},
  };
  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
    if (strlen(fields[i].name) != nlen ||
        strncasecmp(name, fields[i].name, nlen) != 0)
      continue;
    if (copy_field((char *)n + fields[i].off, v, vlen) == 0)
      return 0;
    set_err(err, errlen, "a Host, Plugin or Type header is too long");
    return -1;
  }
  if (nlen == 8 && strncasecmp(name, "Severity", 8) == 0) {
    n->state = parse_severity(v, vlen);
    if (n->state < 0) {
      set_err(err, errlen, "Severity is not FAILURE, WARNING or OKAY");
      return -1;
    }
  } else if (nlen == 4 && strncasecmp(name, "Time", 4) == 0) {
    n->time = parse_time(v, vlen);
    if (n->time < 0) {
      set_err(err, errlen, "Time is not a number of seconds");
      return -1;
    }
  }
  return 0;
}

int qnn_parse(const char *buf, size_t len, qnn_notification_t *n, char *err,
              size_t errlen) {
  memset(n, 0, sizeof(*n));
  n->state = -1;
  n->time = -1;
  size_t pos = 0;
  bool blank = false;
  while (pos < len) {
    const char *line = buf + pos;
    const char *nl = memchr(line, '\n', len - pos);
    size_t llen = nl != NULL ? (size_t)(nl - line) : len - pos;
    pos += llen + (nl != NULL ? 1 : 0);
    if (llen > 0 && line[llen - 1] == '\r')
      llen--;
    if (llen == 0) {
      blank = true;
      break;
    }
    const char *colon = memchr(line, ':', llen);
    if (colon == NULL || colon == line) {
      set_err(err, errlen, "a header line without \"Name:\"");
      return -1;
    }
    size_t nlen = (size_t)(colon - line);
    const char *v = colon + 1;
    size_t vlen = llen - nlen - 1;
    while (vlen > 0 && (*v == ' ' || *v == '\t')) {
      v++;
      vlen--;
    }
    while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
      vlen--;
    if (apply_header(n, line, nlen, v, vlen, err, errlen) != 0)
      return -1;
  }
  if (n->state < 0) {
    set_err(err, errlen, "no Severity header");
    return -1;
  }
  if (!blank) {
    set_err(err, errlen, "no blank line between the headers and the message");
    return -1;
  }
  /* The message is the rest; collectd ends it with one newline. */
  size_t mlen = len - pos;
  while (mlen > 0 &&
         (buf[pos + mlen - 1] == '\n' || buf[pos + mlen - 1] == '\r'))
    mlen--;
  if (mlen >= QNN_MESSAGE_MAX)
    mlen = QNN_MESSAGE_MAX - 1;
  memcpy(n->message, buf + pos, mlen);
  n->message[mlen] = '\0';
  return 0;
}

int qnn_service(const qnn_notification_t *n, char *out, size_t outlen) {
  int w = snprintf(out, outlen, "%s%s%s/%s%s%s", n->plugin,
                   n->plugin_instance[0] != '\0' ? "-" : "", n->plugin_instance,
                   n->type, n->type_instance[0] != '\0' ? "-" : "",
                   n->type_instance);
  return w < 0 || (size_t)w >= outlen ? -1 : 0;
}

void qnn_sanitize_text(const char *src, char *dst, size_t dstlen) {
  if (dstlen == 0)
    return;
  size_t j = 0;
  for (size_t i = 0; src[i] != '\0' && j + 1 < dstlen; i++) {
    unsigned char c = (unsigned char)src[i];
    if (c == '|')
      c = '/';
    else if (c < 0x20 || c == 0x7f)
      c = ' ';
    dst[j++] = (char)c;
  }
  dst[j] = '\0';
}

bool qnn_name_ok(const char *name) {
  if (name[0] == '\0')
    return false;
  for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
    if (*p == ';' || *p < 0x20 || *p == 0x7f)
      return false;
  }
  return true;
}

int qnn_format(const qnn_notification_t *n, const char *host, long long now,
               char *out, size_t outlen, char *err, size_t errlen) {
  char service[2 * QNN_NAME_MAX + 4];
  const char *h = host != NULL ? host : n->host;
  if (!qnn_name_ok(h)) {
    set_err(err, errlen,
            "no usable host name (no Host header, or one with ';' or "
            "control characters): give one with -H");
    return -1;
  }
  if (n->plugin[0] == '\0' || n->type[0] == '\0' ||
      qnn_service(n, service, sizeof(service)) != 0 || !qnn_name_ok(service)) {
    set_err(err, errlen,
            "no usable service name (Plugin and Type headers, no ';' or "
            "control characters)");
    return -1;
  }
  int head =
      snprintf(out, outlen, "[%lld] PROCESS_SERVICE_CHECK_RESULT;%s;%s;%d;",
               n->time >= 0 ? n->time : now, h, service, n->state);
  /* The line ends with "\n"; the text needs at least one character. */
  if (head < 0 || (size_t)head + 3 > outlen) {
    set_err(err, errlen, "host and service names too long for one line");
    return -1;
  }
  const char *text =
      n->message[0] != '\0' ? n->message : "collectd notification";
  qnn_sanitize_text(text, out + head, outlen - (size_t)head - 1);
  size_t len = strlen(out);
  out[len++] = '\n';
  out[len] = '\0';
  return (int)len;
}
