/* How the core reports what an operator should read (a bad line in a calls
 * file, a 429 pause, a shortfall of the budget) without knowing who
 * listens: the front end passes a function that logs it its own way
 * (collectd's plugin_log, check_quo's -v lines). */
#ifndef QUO_LOG_H
#define QUO_LOG_H

/* syslog's numbers, which collectd's plugin_log uses too. */
typedef enum {
  QUO_LOG_ERR = 3,
  QUO_LOG_WARNING = 4,
  QUO_LOG_NOTICE = 5,
  QUO_LOG_INFO = 6
} quo_log_level_t;

/* msg is printable ASCII, without the front end's prefix, never the key. */
typedef void (*quo_log_fn)(void *arg, quo_log_level_t level, const char *msg);

/* Formats and hands a message to fn (nothing when fn is NULL). */
void quo_logf(quo_log_fn fn, void *arg, quo_log_level_t level, const char *fmt,
              ...) __attribute__((format(printf, 4, 5)));

#endif
