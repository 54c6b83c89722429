/**
 * quo.c: collectd plugin for the Quo (formerly OpenPhone) phone API.
 *
 * The core's poller fetches the watched calls in a thread of its own (as
 * collectd's ping plugin does its network work); this file translates
 * collectd configuration into the core and, every read, what the core
 * knows into values and notifications. A read never waits on the network.
 **/

#include "collectd.h"
#include "plugin.h"
#include "utils/common/common.h"

#include "core/callsfile.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/http.h"
#include "core/poller.h"
#include "core/secret.h"
#include "core/text.h"

#include <math.h>

typedef struct {
  quo_poller_t *poller;
  double interval;
  bool status_all;       /* StatusMetrics "all": every status every cycle */
  quo_severity_t health; /* last notified */
  bool shortfall_warned; /* while the budget cannot fetch every call */
  bool not_found_hinted; /* while every call answers 404 */
  bool timing_checked;   /* the first read with values was timed */
} quo_ctx_t;

static bool configured;
/* A refused configuration leaves collectd running: the error is logged
 * and init() then fails, which unregisters only this plugin. */
static bool config_failed;
/* For init and shutdown, which get no user data. */
static quo_ctx_t *the_ctx;

static void core_log(void *arg, quo_log_level_t level, const char *msg) {
  (void)arg;
  plugin_log((int)level, "quo plugin: %s", msg);
}

/* ---- values and notifications ---- */

static void submit(const char *plugin_instance, const char *type,
                   const char *type_instance, value_t value) {
  value_list_t vl = VALUE_LIST_INIT;
  vl.values = &value;
  vl.values_len = 1;
  sstrncpy(vl.plugin, "quo", sizeof(vl.plugin));
  sstrncpy(vl.plugin_instance, plugin_instance, sizeof(vl.plugin_instance));
  sstrncpy(vl.type, type, sizeof(vl.type));
  if (type_instance != NULL)
    sstrncpy(vl.type_instance, type_instance, sizeof(vl.type_instance));
  plugin_dispatch_values(&vl);
}

static void submit_gauge(const char *pi, const char *type, const char *ti,
                         gauge_t g) {
  submit(pi, type, ti, (value_t){.gauge = g});
}

static void submit_status(const char *inst, quo_status_t s, gauge_t v) {
  char ti[DATA_MAX_NAME_LEN];
  ssnprintf(ti, sizeof(ti), "status-%s", quo_status_name(s));
  submit_gauge(inst, "bool", ti, v);
}

/* A call's values. With StatusMetrics "current", its status is 1 and a
 * status it just left is 0 once; "all" adds every other status as 0. */
static void submit_call(const quo_ctx_t *ctx, const quo_tracked_t *c,
                        const quo_change_t *ch) {
  const quo_callvals_t *v = &c->vals;
  submit_gauge(c->instance, "duration", NULL, (gauge_t)v->duration);
  if (v->has_latency)
    submit_gauge(c->instance, "latency", "answer", v->latency);
  for (int s = 0; s < QUO_STATUS_COUNT; s++) {
    bool current = v->status == (quo_status_t)s;
    bool left = ch->status_changed && ch->from == (quo_status_t)s;
    if (current || left || ctx->status_all)
      submit_status(c->instance, s, current ? 1 : 0);
  }
}

static void notify(int severity, const char *plugin_instance,
                   const char *type_instance, const char *message) {
  notification_t n = {.severity = severity, .time = cdtime()};
  sstrncpy(n.host, hostname_g, sizeof(n.host));
  sstrncpy(n.plugin, "quo", sizeof(n.plugin));
  sstrncpy(n.plugin_instance, plugin_instance, sizeof(n.plugin_instance));
  sstrncpy(n.type, "bool", sizeof(n.type));
  sstrncpy(n.type_instance, type_instance, sizeof(n.type_instance));
  sstrncpy(n.message, message, sizeof(n.message));
  plugin_dispatch_notification(&n);
}

static const char *status_word(const quo_tracked_t *c, quo_status_t s) {
  if (s == c->vals.status && c->vals.raw_status[0] != '\0')
    return c->vals.raw_status;
  return quo_status_name(s);
}

/* Logs a failure once, when it starts or changes; notifies a status
 * change once. A failing call does not repeat itself every interval. */
static void report_change(const quo_tracked_t *c, const quo_change_t *ch) {
  if (ch->recovered)
    INFO("quo plugin: call %s (%s) is answered again", c->id, c->instance);
  if (ch->failure_started && c->what != NULL)
    ERROR("quo plugin: call %s (%s): %s", c->id, c->instance, c->what);
  if (ch->status_changed) {
    char msg[NOTIF_MAX_MSG_LEN];
    ssnprintf(msg, sizeof(msg), "Quo call %s (%s) is now %s (was %s)", c->id,
              c->instance, status_word(c, ch->to), quo_status_name(ch->from));
    /* One identifier whatever the status (quo-<inst>/bool-status): an
     * alerting system maps each call to one service. */
    notify(quo_status_alarming(ch->to) ? NOTIF_WARNING : NOTIF_OKAY,
           c->instance, "status", msg);
  }
}

/* One notification per change of the API's health, not one per cycle. A
 * 429 pause is a WARNING of its own unless something worse is going on. */
static void report_health(quo_ctx_t *ctx, const quo_summary_t *s,
                          const quo_pause_t *pause) {
  quo_severity_t sev = s->worst;
  double paused_for = pause->until - quo_now();
  bool paused = paused_for > 0;
  if (paused && sev < QUO_SEV_FAILURE)
    sev = QUO_SEV_WARNING;
  /* Nothing answered and nothing wrong: the start, every call that was
   * failing left the list (a recovery), or new calls have not answered yet
   * (wait for them: a list rewritten during an outage is no recovery). */
  if (sev == ctx->health || (s->answered == 0 && s->calls > 0))
    return;
  char msg[NOTIF_MAX_MSG_LEN];
  if (paused && sev == QUO_SEV_WARNING)
    ssnprintf(msg, sizeof(msg),
              "Quo API rate limited, requests paused for %.0f s%s: %s",
              ceil(paused_for), pause->retry_after > 0 ? " (Retry-After)" : "",
              pause->cause);
  else if (sev > QUO_SEV_OKAY)
    ssnprintf(msg, sizeof(msg), "Quo API %s: call %s: %s",
              sev == QUO_SEV_FAILURE ? "failing" : "warning", s->worst_call->id,
              s->worst_call->what ? s->worst_call->what : "failed");
  else if (s->answered == 0)
    ssnprintf(msg, sizeof(msg),
              "Quo API no longer failing: the failing calls left the list");
  else
    ssnprintf(msg, sizeof(msg), "Quo API answers again (%zu calls answered)",
              s->answered);
  static const int severity[] = {NOTIF_OKAY, NOTIF_WARNING, NOTIF_FAILURE};
  notify(severity[sev], "api", "healthy", msg);
  ctx->health = sev;
}

static void submit_counters(const char *type, const quo_counters_t *c) {
  for (size_t i = 0; i < c->n; i++)
    submit("api", type, c->v[i].label,
           (value_t){.derive = (derive_t)c->v[i].count});
}

/* Warnings that hold while a condition holds, repeated when it starts
 * again after it ended. */
static void warn_conditions(quo_ctx_t *ctx, const quo_summary_t *s) {
  const quo_config_t *cfg = quo_poller_config(ctx->poller);
  double per_interval = quo_poller_budget_per_interval(ctx->poller);
  bool short_now = per_interval > 0 && (double)s->live > per_interval;
  if (short_now && !ctx->shortfall_warned)
    WARNING("quo plugin: %zu calls are due every interval, but "
            "MaxRequestsPerSecond %d allows about %.0f requests per %.3g s "
            "interval: a full round takes %.0f intervals. Raise Interval or "
            "MaxRequestsPerSecond, or watch fewer calls.",
            s->live, cfg->max_per_second, per_interval, ctx->interval,
            ceil((double)s->live / per_interval));
  ctx->shortfall_warned = short_now;

  bool all_404 = s->answered > 0 && s->not_found == s->calls;
  if (all_404 && !ctx->not_found_hinted)
    WARNING("quo plugin: every call answered 404 (Not Found): is BaseURL "
            "right?");
  ctx->not_found_hinted = all_404;
}

static void submit_plugin_wide(quo_ctx_t *ctx, quo_tracker_t *t,
                               const quo_summary_t *s) {
  double mean = 0;
  if (quo_tracker_take_response_time(t, &mean))
    submit_gauge("api", "response_time", NULL, mean);
  submit_counters("http_requests", &t->http_requests);
  submit_counters("errors", &t->errors);
  submit_gauge("api", "bool", "healthy", s->api_failing ? 0 : 1);
  for (int st = 0; st < QUO_STATUS_COUNT; st++)
    submit_gauge("calls", "count", quo_status_name(st),
                 (gauge_t)s->per_status[st]);

  report_health(ctx, s, quo_poller_pause(ctx->poller));
  warn_conditions(ctx, s);
}

static int quo_read(user_data_t *ud) {
  quo_ctx_t *ctx = ud->data;
  size_t dispatched = 0;

  quo_tracker_t *t = quo_poller_lock(ctx->poller);
  /* Timed until the start-up check is done: dispatching only (a first read
   * may also log many errors). */
  bool timing = !ctx->timing_checked;
  double took = 0;
  for (size_t i = 0; i < quo_tracker_cap(t); i++) {
    quo_tracked_t *c = quo_tracker_at(t, i);
    if (c == NULL)
      continue;
    quo_change_t ch;
    quo_tracker_changes(t, c, &ch);
    report_change(c, &ch);
    if (quo_tracker_dispatchable(c)) {
      double t0 = timing ? quo_now() : 0;
      submit_call(ctx, c, &ch);
      if (timing)
        took += quo_now() - t0;
      dispatched++;
    }
  }
  quo_summary_t s;
  quo_tracker_summary(t, &s);
  submit_plugin_wide(ctx, t, &s);
  quo_poller_unlock(ctx->poller);

  /* Once, at start: whether dispatching the whole list fits the interval,
   * estimated from the calls that have answered so far. */
  if (timing && dispatched > 0) {
    ctx->timing_checked = true;
    double need = quo_tracker_dispatch_estimate(&s, dispatched, took);
    if (need > ctx->interval / 2)
      WARNING("quo plugin: dispatching the values of %zu calls takes about "
              "%.3f s of the %.3g s interval (measured on %zu): raise "
              "Interval or watch fewer calls.",
              s.calls, need, ctx->interval, dispatched);
  }
  /* Errors of the API are reported through the values above; returning an
   * error would make collectd suspend this callback and blind them. */
  return 0;
}

static void ctx_free(void *arg) {
  quo_ctx_t *ctx = arg;
  if (ctx == NULL)
    return;
  quo_poller_free(ctx->poller);
  if (the_ctx == ctx)
    the_ctx = NULL;
  sfree(ctx);
}

/* ---- configuration ---- */

/* Reads a string option into a freshly allocated value, naming it on
 * error. */
static int get_string(oconfig_item_t *ci, char **out) {
  if (cf_util_get_string(ci, out) != 0) {
    ERROR("quo plugin: option \"%s\" needs exactly one string argument.",
          ci->key);
    return -1;
  }
  return 0;
}

/* A whole number in [min, max], refused as written when it is not: 0.5 is
 * not 0 and 99999999999 does not wrap. */
static int get_whole(oconfig_item_t *ci, long min, long max, const char *unit,
                     long *out, char *err, size_t errlen) {
  if (ci->values_num != 1 || ci->values[0].type != OCONFIG_TYPE_NUMBER) {
    snprintf(err, errlen, "needs one number (%s)", unit);
    return -1;
  }
  double v = ci->values[0].value.number;
  if (!(v >= (double)min && v <= (double)max) || v != floor(v)) {
    snprintf(err, errlen, "%.17g is not a whole number of %s from %ld to %ld",
             v, unit, min, max);
    return -1;
  }
  *out = (long)v;
  return 0;
}

static int config_call(quo_config_t *cfg, oconfig_item_t *ci) {
  char *id = NULL, *instance = NULL;
  int status = get_string(ci, &id);
  for (int i = 0; status == 0 && i < ci->children_num; i++) {
    oconfig_item_t *child = ci->children + i;
    if (strcasecmp("Instance", child->key) == 0) {
      sfree(instance);
      status = get_string(child, &instance);
    } else {
      ERROR("quo plugin: option \"%s\" is not allowed in a <Call> block.",
            child->key);
      status = -1;
    }
  }
  char err[256];
  if (status == 0 &&
      quo_config_add_call(cfg, id, instance, err, sizeof(err)) != 0) {
    ERROR("quo plugin: option \"Call\": %s", err);
    status = -1;
  }
  sfree(id);
  sfree(instance);
  return status;
}

typedef struct {
  cdtime_t interval;
  bool key_file, key_inline;
} seen_t;

static int config_key(quo_config_t *cfg, oconfig_item_t *child, seen_t *seen,
                      char *err, size_t errlen) {
  char *s = NULL;
  if (strcasecmp("APIKey", child->key) == 0) {
    if (cf_util_get_string(child, &s) != 0) {
      snprintf(err, errlen, "needs exactly one string argument");
      return -1;
    }
    WARNING("quo plugin: option \"APIKey\" keeps the key in the collectd "
            "configuration; prefer \"APIKeyFile\" with mode 0600.");
    seen->key_inline = true;
    return quo_config_set_key(cfg, s, err, errlen);
  }
  if (get_string(child, &s) != 0)
    return -1;
  seen->key_file = true;
  char *key = quo_secret_read_file(s, err, errlen);
  int status = key ? quo_config_set_key(cfg, key, err, errlen) : -1;
  if (status == 0 && quo_secret_file_exposed(s)) {
    char shown[160];
    WARNING("quo plugin: API key file \"%s\" can be read by its group "
            "or others: chmod 600 it.",
            quo_sanitize(shown, sizeof(shown), s, strlen(s)));
  }
  sfree(s);
  return status;
}

static int config_string(quo_ctx_t *ctx, quo_config_t *cfg,
                         oconfig_item_t *child, char *err, size_t errlen) {
  const char *k = child->key;
  char *s = NULL;
  if (get_string(child, &s) != 0)
    return -1;
  int status = 0;
  if (strcasecmp("BaseURL", k) == 0) {
    status = quo_config_set_base_url(cfg, s, err, errlen);
  } else if (strcasecmp("APIVersion", k) == 0) {
    status = quo_config_set_api_version(cfg, s, err, errlen);
    if (status == 0 && quo_config_version_newer(cfg))
      WARNING("quo plugin: APIVersion \"%s\" is newer than the newest this "
              "release knows (" QUO_API_VERSION_NEWEST "); its call objects "
              "are read by the same tolerant rules.",
              cfg->api_version);
  } else if (strcasecmp("CACert", k) == 0) {
    status = quo_config_set_ca_cert(cfg, s, err, errlen);
  } else if (strcasecmp("CallsFile", k) == 0) {
    status = quo_config_set_calls_file(cfg, s, err, errlen);
  } else if (strcasecmp("Proxy", k) == 0) {
    sfree(cfg->proxy);
    cfg->proxy = s;
    s = NULL;
  } else if (strcasecmp("StatusMetrics", k) == 0) {
    if (strcasecmp(s, "current") == 0 || strcasecmp(s, "all") == 0) {
      ctx->status_all = strcasecmp(s, "all") == 0;
    } else {
      snprintf(err, errlen, "\"%s\" is not \"current\" or \"all\"", s);
      status = -1;
    }
  }
  sfree(s);
  return status;
}

static int config_number(quo_config_t *cfg, oconfig_item_t *child, seen_t *seen,
                         char *err, size_t errlen) {
  const char *k = child->key;
  long n = 0;
  if (strcasecmp("Timeout", k) == 0) {
    if (get_whole(child, 1, QUO_MAX_TIMEOUT_MS, "milliseconds", &n, err,
                  errlen) != 0)
      return -1;
    return quo_config_set_timeout(cfg, n, err, errlen);
  }
  if (strcasecmp("MaxRequestsPerSecond", k) == 0) {
    if (get_whole(child, 0, QUO_MAX_PER_SECOND_LIMIT, "requests per second", &n,
                  err, errlen) != 0)
      return -1;
    return quo_config_set_max_per_second(cfg, (int)n, err, errlen);
  }
  if (strcasecmp("FinalRefreshInterval", k) == 0) {
    double sec = 0;
    if (cf_util_get_double(child, &sec) != 0) {
      snprintf(err, errlen, "needs a number of seconds");
      return -1;
    }
    return quo_config_set_final_refresh(cfg, sec, err, errlen);
  }
  /* Interval */
  if (cf_util_get_cdtime(child, &seen->interval) != 0 || seen->interval == 0) {
    snprintf(err, errlen, "needs a positive number of seconds");
    return -1;
  }
  return 0;
}

static int config_option(quo_ctx_t *ctx, quo_config_t *cfg,
                         oconfig_item_t *child, seen_t *seen) {
  const char *k = child->key;
  static const char *const strings[] = {
      "BaseURL", "APIVersion", "CACert", "CallsFile", "Proxy", "StatusMetrics"};
  static const char *const numbers[] = {"Timeout", "MaxRequestsPerSecond",
                                        "FinalRefreshInterval", "Interval"};
  char err[256] = "";
  int status = -1;
  bool known = false;

  if (strcasecmp("Call", k) == 0)
    return config_call(cfg, child);
  if (strcasecmp("APIKey", k) == 0 || strcasecmp("APIKeyFile", k) == 0) {
    known = true;
    status = config_key(cfg, child, seen, err, sizeof(err));
  }
  for (size_t i = 0; !known && i < STATIC_ARRAY_SIZE(strings); i++)
    if (strcasecmp(strings[i], k) == 0) {
      known = true;
      status = config_string(ctx, cfg, child, err, sizeof(err));
    }
  for (size_t i = 0; !known && i < STATIC_ARRAY_SIZE(numbers); i++)
    if (strcasecmp(numbers[i], k) == 0) {
      known = true;
      status = config_number(cfg, child, seen, err, sizeof(err));
    }
  if (strcasecmp("VerifyPeer", k) == 0 || strcasecmp("VerifyHost", k) == 0) {
    known = true;
    bool *b = strcasecmp("VerifyPeer", k) == 0 ? &cfg->verify_peer
                                               : &cfg->verify_host;
    status = cf_util_get_boolean(child, b);
    if (status != 0)
      snprintf(err, sizeof(err), "needs true or false");
  }
  if (!known)
    snprintf(err, sizeof(err), "unknown option");
  if (status != 0 && err[0] != '\0')
    ERROR("quo plugin: option \"%s\": %s", k, err);
  return status;
}

/* Everything that needs the whole block: a key from one place only, the
 * interval, the checks of quo_config_finish. cfg is consumed: handed to
 * the poller, or freed. */
static int config_finish(quo_ctx_t *ctx, quo_config_t *cfg, seen_t *seen) {
  if (seen->key_file && seen->key_inline) {
    ERROR("quo plugin: options \"APIKey\" and \"APIKeyFile\" exclude each "
          "other: keep one.");
    quo_config_free(cfg);
    return -1;
  }
  if (seen->interval == 0)
    seen->interval = plugin_get_interval();
  ctx->interval = CDTIME_T_TO_DOUBLE(seen->interval);

  char err[256];
  if (quo_config_finish(cfg, ctx->interval, err, sizeof(err)) != 0) {
    const char *opt = cfg->err_option;
    if (opt == NULL)
      ERROR("quo plugin: %s", err);
    else if (strcmp(opt, "APIKeyFile") == 0)
      ERROR("quo plugin: %s: set \"APIKeyFile\" (or \"APIKey\").", err);
    else if (strcmp(opt, "Call") == 0)
      ERROR("quo plugin: %s: add at least one \"Call\".", err);
    else
      ERROR("quo plugin: option \"%s\": %s", opt, err);
    quo_config_free(cfg);
    return -1;
  }
  if (quo_config_cleartext_remote(cfg)) {
    char shown[160];
    WARNING("quo plugin: BaseURL \"%s\" is plain http:// to a host that is "
            "not this one: the API key crosses the network in clear.",
            quo_sanitize(shown, sizeof(shown), cfg->base_url,
                         strlen(cfg->base_url)));
  }
  /* The poller owns the configuration from here, key included. */
  ctx->poller =
      quo_poller_new(cfg, ctx->interval, core_log, NULL, err, sizeof(err));
  if (ctx->poller == NULL) {
    ERROR("quo plugin: %s", err);
    return -1;
  }
  return 0;
}

static int quo_config(oconfig_item_t *ci) {
  if (configured || config_failed) {
    ERROR("quo plugin: only one <Plugin quo> block is supported.");
    config_failed = true;
    return 0;
  }
  quo_ctx_t *ctx = calloc(1, sizeof(*ctx));
  if (quo_http_global_init() != 0 || ctx == NULL) {
    ERROR("quo plugin: cannot initialise libcurl or out of memory.");
    sfree(ctx);
    config_failed = true;
    return 0;
  }
  quo_config_t cfg;
  quo_config_init(&cfg);
  seen_t seen = {0};
  int status = 0;
  for (int i = 0; status == 0 && i < ci->children_num; i++)
    status = config_option(ctx, &cfg, ci->children + i, &seen);
  if (status == 0)
    status = config_finish(ctx, &cfg, &seen);
  else
    quo_config_free(&cfg);
  if (status != 0) {
    ERROR("quo plugin: configuration refused; the plugin stays inactive.");
    ctx_free(ctx);
    config_failed = true;
    return 0;
  }
  configured = true;
  the_ctx = ctx;
  return plugin_register_complex_read(
      NULL, "quo", quo_read, seen.interval,
      &(user_data_t){.data = ctx, .free_func = ctx_free});
}

/* The poller's thread starts here, after collectd has forked. */
static int quo_init(void) {
  if (config_failed)
    return -1;
  if (!configured) {
    WARNING("quo plugin: loaded without a <Plugin quo> block: no call is "
            "watched.");
    return 0;
  }
  if (the_ctx != NULL && quo_poller_start(the_ctx->poller) != 0) {
    ERROR("quo plugin: cannot start the polling thread.");
    return -1;
  }
  return 0;
}

/* Requests in flight are abandoned: collectd stops at once, whatever the
 * interval. */
static int quo_shutdown(void) {
  if (the_ctx != NULL)
    quo_poller_stop(the_ctx->poller);
  quo_callsfile_forget_logged();
  return 0;
}

void module_register(void) {
  plugin_register_complex_config("quo", quo_config);
  plugin_register_init("quo", quo_init);
  plugin_register_shutdown("quo", quo_shutdown);
}
