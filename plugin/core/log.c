#include "log.h"

#include <stdarg.h>
#include <stdio.h>

void quo_logf(quo_log_fn fn, void *arg, quo_log_level_t level, const char *fmt,
              ...) {
  if (fn == NULL)
    return;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  fn(arg, level, msg);
}
