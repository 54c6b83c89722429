/* collectd notification (as the exec plugin's NotificationExec writes it on
 * stdin) to one Nagios external command line. Pure functions: no I/O, so
 * the unit tests drive them directly. */
#ifndef QUO_NOTIFY_NAGIOS_H
#define QUO_NOTIFY_NAGIOS_H

#include <stdbool.h>
#include <stddef.h>

/* collectd's identifier parts are at most DATA_MAX_NAME_LEN (128) bytes. */
#define QNN_NAME_MAX 128
/* The message can be longer; what does not fit is cut. */
#define QNN_MESSAGE_MAX 1024

typedef struct {
  int state;      /* Nagios state: 0 OK, 1 WARNING, 2 CRITICAL; -1 unset */
  long long time; /* seconds since the epoch; -1 when no Time header */
  char host[QNN_NAME_MAX];
  char plugin[QNN_NAME_MAX];
  char plugin_instance[QNN_NAME_MAX];
  char type[QNN_NAME_MAX];
  char type_instance[QNN_NAME_MAX];
  char message[QNN_MESSAGE_MAX];
} qnn_notification_t;

/* Parses the header lines ("Name: value"), the blank line and the message
 * of one notification in buf (len bytes, need not be NUL-terminated).
 * Unknown headers (notification meta data) are skipped. Returns 0, or -1
 * with a reason in err when Severity is missing or unknown, a header is
 * malformed or a field does not fit. */
int qnn_parse(const char *buf, size_t len, qnn_notification_t *n, char *err,
              size_t errlen);

/* The Nagios service a notification maps to: collectd's identifier without
 * the host, "plugin[-plugin_instance]/type[-type_instance]", e.g.
 * "quo-api/bool-healthy". Returns 0, or -1 when it does not fit. */
int qnn_service(const qnn_notification_t *n, char *out, size_t outlen);

/* Copies src into dst as plugin output Nagios reads back unchanged: '|'
 * (which would start perfdata) becomes '/', line breaks and other control
 * characters become spaces, and the text is cut to fit dstlen. */
void qnn_sanitize_text(const char *src, char *dst, size_t dstlen);

/* Whether a host or service name can go into an external command as is:
 * not empty, no ';' (the field separator) and no control characters. */
bool qnn_name_ok(const char *name);

/* Formats "[time] PROCESS_SERVICE_CHECK_RESULT;host;service;state;text\n"
 * into out (at most outlen bytes including the NUL; callers pass PIPE_BUF
 * so that one write() is atomic). host overrides n->host when not NULL.
 * The text is cut to fit. Returns the line's length, or -1 with a reason
 * in err when the names cannot be used or do not fit. */
int qnn_format(const qnn_notification_t *n, const char *host, long long now,
               char *out, size_t outlen, char *err, size_t errlen);

#endif
