/**
 * quo.c: collectd plugin for the Quo (formerly OpenPhone) phone API.
 *
 * Fetches the configured calls from GET /v1/calls/{callId} every interval
 * and dispatches their duration, answer latency and status, plus the API's
 * own health. The work is done by the core in plugin/core/; this file only
 * translates collectd configuration into it and its outcomes into values.
 **/

#include "collectd.h"
#include "plugin.h"
#include "utils/common/common.h"

#include "core/config.h"
#include "core/counters.h"
#include "core/http.h"
#include "core/outcome.h"
#include "core/secret.h"
#include "core/text.h"
#include "core/tracker.h"

typedef struct {
  quo_config_t cfg;
  quo_http_t *http;
  const char **urls;
  quo_tracker_t tracker;
  size_t *order; /* calls due this cycle, in the order they may start */
  quo_counters_t http_requests;
  quo_counters_t errors;
  bool healthy;
  quo_severity_t health; /* last notified */
  bool budget_warned;
  /* per read cycle */
  double seconds_sum;
  size_t responses;
  bool api_failed;
  quo_severity_t worst;
  char worst_what[200]; /* the first outcome of the worst severity */
  size_t skipped;
} quo_ctx_t;

static bool configured;
/* A refused configuration leaves collectd running: the error is logged
 * and init() then fails, which unregisters only this plugin. */
static bool config_failed;

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

static void submit_call(const quo_call_spec_t *spec, const quo_call_t *c) {
  submit_gauge(spec->instance, "duration", NULL, (gauge_t)c->duration);
  if (c->has_answered_at)
    submit_gauge(spec->instance, "latency", "answer",
                 c->answered_at - c->created_at);
  for (int s = 0; s < QUO_STATUS_COUNT; s++) {
    char ti[DATA_MAX_NAME_LEN];
    ssnprintf(ti, sizeof(ti), "status-%s", quo_status_name(s));
    submit_gauge(spec->instance, "bool", ti, c->status == (quo_status_t)s);
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

/* Logs a failure once, when it starts or changes; notifies a status
 * change once. A failing call does not repeat itself every interval. */
static void report_change(const quo_call_spec_t *spec, const quo_outcome_t *o,
                          const quo_change_t *ch) {
  if (ch->recovered)
    INFO("quo plugin: call %s (%s) is answered again", spec->id,
         spec->instance);
  if (ch->failure_started) {
    char what[512];
    quo_outcome_describe(o, what, sizeof(what));
    ERROR("quo plugin: call %s (%s): %s", spec->id, spec->instance, what);
  }
  if (ch->status_changed) {
    char msg[NOTIF_MAX_MSG_LEN];
    ssnprintf(msg, sizeof(msg), "Quo call %s (%s) is now %s (was %s)", spec->id,
              spec->instance, quo_status_name(ch->to),
              quo_status_name(ch->from));
    /* One identifier whatever the status (quo-<inst>/bool-status): an
     * alerting system maps each call to one service. */
    notify(quo_status_alarming(ch->to) ? NOTIF_WARNING : NOTIF_OKAY,
           spec->instance, "status", msg);
  }
}

static void on_response(const quo_response_t *r, void *arg) {
  quo_ctx_t *ctx = arg;
  const quo_call_spec_t *spec = &ctx->cfg.calls[r->index];
  quo_outcome_t o;
  quo_change_t ch;
  quo_outcome_classify(r, spec->id, &o);
  quo_tracker_record(&ctx->tracker, r->index, &o, quo_now(), &ch);
  if (o.kind == QUO_OUT_SKIPPED) {
    ctx->skipped++;
    return;
  }

  char buf[24];
  quo_counters_add(&ctx->http_requests,
                   quo_outcome_http_label(&o, buf, sizeof(buf)));
  const char *err = quo_outcome_error_label(&o);
  if (err != NULL)
    quo_counters_add(&ctx->errors, err);
  ctx->seconds_sum += o.seconds;
  ctx->responses++;
  if (quo_outcome_api_failure(&o))
    ctx->api_failed = true;
  quo_severity_t sev = quo_outcome_severity(&o);
  if (sev > ctx->worst) {
    char what[160];
    ctx->worst = sev;
    quo_outcome_describe(&o, what, sizeof(what));
    ssnprintf(ctx->worst_what, sizeof(ctx->worst_what), "call %s: %s", spec->id,
              what);
  }

  report_change(spec, &o, &ch);
  if (o.kind == QUO_OUT_OK)
    submit_call(spec, &o.call);
}

/* One notification per change of the API's health, not one per cycle. */
static void report_health(quo_ctx_t *ctx) {
  if (ctx->responses == 0 || ctx->worst == ctx->health)
    return;
  char msg[NOTIF_MAX_MSG_LEN];
  static const int severity[] = {NOTIF_OKAY, NOTIF_WARNING, NOTIF_FAILURE};
  if (ctx->worst == QUO_SEV_OKAY)
    ssnprintf(msg, sizeof(msg),
              "Quo API answers again (%zu requests this "
              "cycle)",
              ctx->responses);
  else
    ssnprintf(msg, sizeof(msg), "Quo API %s: %s",
              ctx->worst == QUO_SEV_FAILURE ? "failing" : "warning",
              ctx->worst_what);
  notify(severity[ctx->worst], "api", "healthy", msg);
  ctx->health = ctx->worst;
}

static void submit_counters(const char *type, const quo_counters_t *c) {
  for (size_t i = 0; i < c->n; i++)
    submit("api", type, c->v[i].label,
           (value_t){.derive = (derive_t)c->v[i].count});
}

static int quo_read(user_data_t *ud) {
  quo_ctx_t *ctx = ud->data;
  ctx->seconds_sum = 0;
  ctx->responses = 0;
  ctx->skipped = 0;
  ctx->api_failed = false;
  ctx->worst = QUO_SEV_OKAY;

  /* Everything must be over well before the next read is due. */
  double interval = CDTIME_T_TO_DOUBLE(plugin_get_interval());
  double now = quo_now();
  size_t due = quo_tracker_plan(&ctx->tracker, now, ctx->order);
  quo_http_run(ctx->http, ctx->urls, ctx->order, due, now + interval * 0.95,
               on_response, ctx);

  /* Finished calls not fetched this cycle: their last values again. */
  for (size_t i = 0; i < ctx->cfg.ncalls; i++)
    if (quo_tracker_from_memory(&ctx->tracker, i))
      submit_call(&ctx->cfg.calls[i], &ctx->tracker.calls[i].record);

  if (ctx->skipped > 0 && !ctx->budget_warned) {
    WARNING("quo plugin: %zu of %zu calls due could not be fetched within "
            "one interval (%.3g s at MaxRequestsPerSecond %d, or paused "
            "after a 429); they go first next time. If this repeats, raise "
            "Interval or watch fewer calls.",
            ctx->skipped, due, interval, ctx->cfg.max_per_second);
    ctx->budget_warned = true;
  }
  if (ctx->responses > 0) {
    ctx->healthy = !ctx->api_failed;
    submit_gauge("api", "response_time", NULL,
                 ctx->seconds_sum / (double)ctx->responses);
  }
  submit_counters("http_requests", &ctx->http_requests);
  submit_counters("errors", &ctx->errors);
  submit_gauge("api", "bool", "healthy", ctx->healthy ? 1 : 0);
  report_health(ctx);

  gauge_t count[QUO_STATUS_COUNT] = {0};
  for (size_t i = 0; i < ctx->cfg.ncalls; i++)
    if (ctx->tracker.calls[i].has_record)
      count[ctx->tracker.calls[i].record.status]++;
  for (int s = 0; s < QUO_STATUS_COUNT; s++)
    submit_gauge("calls", "count", quo_status_name(s), count[s]);

  /* Errors of the API are reported through the values above; returning an
   * error would make collectd suspend this callback and blind them. */
  return 0;
}

static void ctx_free(void *arg) {
  quo_ctx_t *ctx = arg;
  if (ctx == NULL)
    return;
  quo_http_free(ctx->http);
  quo_tracker_free(&ctx->tracker);
  quo_config_free(&ctx->cfg);
  sfree(ctx->urls);
  sfree(ctx->order);
  sfree(ctx);
}

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

static int config_option(quo_ctx_t *ctx, oconfig_item_t *child,
                         cdtime_t *interval, bool *key_file, bool *key_inline) {
  quo_config_t *cfg = &ctx->cfg;
  const char *k = child->key;
  char err[256] = "";
  char *s = NULL;
  int status = 0;

  if (strcasecmp("Call", k) == 0)
    return config_call(cfg, child);
  if (strcasecmp("BaseURL", k) == 0) {
    if ((status = get_string(child, &s)) == 0)
      status = quo_config_set_base_url(cfg, s, err, sizeof(err));
  } else if (strcasecmp("APIKeyFile", k) == 0) {
    if ((status = get_string(child, &s)) == 0) {
      char *key = quo_secret_read_file(s, err, sizeof(err));
      status = key ? quo_config_set_key(cfg, key, err, sizeof(err)) : -1;
      if (status == 0 && quo_secret_file_exposed(s)) {
        char shown[160];
        WARNING("quo plugin: API key file \"%s\" can be read by its group "
                "or others: chmod 600 it.",
                quo_sanitize(shown, sizeof(shown), s, strlen(s)));
      }
      *key_file = true;
    }
  } else if (strcasecmp("APIKey", k) == 0) {
    char *key = NULL;
    if (cf_util_get_string(child, &key) != 0) {
      ERROR("quo plugin: option \"APIKey\" needs exactly one string "
            "argument.");
      return -1;
    }
    WARNING("quo plugin: option \"APIKey\" keeps the key in the collectd "
            "configuration; prefer \"APIKeyFile\" with mode 0600.");
    status = quo_config_set_key(cfg, key, err, sizeof(err));
    *key_inline = true;
  } else if (strcasecmp("Timeout", k) == 0) {
    int ms = 0;
    if ((status = cf_util_get_int(child, &ms)) != 0)
      snprintf(err, sizeof(err), "needs a number of milliseconds");
    else
      status = quo_config_set_timeout(cfg, ms, err, sizeof(err));
  } else if (strcasecmp("MaxRequestsPerSecond", k) == 0) {
    int n = 0;
    if ((status = cf_util_get_int(child, &n)) != 0)
      snprintf(err, sizeof(err), "needs a whole number");
    else
      status = quo_config_set_max_per_second(cfg, n, err, sizeof(err));
  } else if (strcasecmp("FinalRefreshInterval", k) == 0) {
    double sec = 0;
    if ((status = cf_util_get_double(child, &sec)) != 0)
      snprintf(err, sizeof(err), "needs a number of seconds");
    else
      status = quo_config_set_final_refresh(cfg, sec, err, sizeof(err));
  } else if (strcasecmp("APIVersion", k) == 0) {
    if ((status = get_string(child, &s)) == 0)
      status = quo_config_set_api_version(cfg, s, err, sizeof(err));
    if (status == 0 && quo_config_version_newer(cfg))
      WARNING("quo plugin: APIVersion \"%s\" is newer than the newest this "
              "release knows (" QUO_API_VERSION_NEWEST "); its call objects "
              "are read by the same tolerant rules.",
              cfg->api_version);
  } else if (strcasecmp("CACert", k) == 0) {
    if ((status = get_string(child, &s)) == 0)
      status = quo_config_set_ca_cert(cfg, s, err, sizeof(err));
  } else if (strcasecmp("VerifyPeer", k) == 0) {
    if ((status = cf_util_get_boolean(child, &cfg->verify_peer)) != 0)
      snprintf(err, sizeof(err), "needs true or false");
  } else if (strcasecmp("VerifyHost", k) == 0) {
    if ((status = cf_util_get_boolean(child, &cfg->verify_host)) != 0)
      snprintf(err, sizeof(err), "needs true or false");
  } else if (strcasecmp("Interval", k) == 0) {
    if ((status = cf_util_get_cdtime(child, interval)) != 0 || *interval == 0) {
      snprintf(err, sizeof(err), "needs a positive number of seconds");
      status = -1;
    }
  } else {
    snprintf(err, sizeof(err), "unknown option");
    status = -1;
  }
  sfree(s);
  if (status != 0 && err[0] != '\0')
    ERROR("quo plugin: option \"%s\": %s", k, err);
  return status;
}

static int quo_config(oconfig_item_t *ci) {
  if (configured || config_failed) {
    ERROR("quo plugin: only one <Plugin quo> block is supported.");
    config_failed = true;
    return 0;
  }
  if (quo_http_global_init() != 0) {
    ERROR("quo plugin: cannot initialise libcurl.");
    config_failed = true;
    return 0;
  }
  quo_ctx_t *ctx = calloc(1, sizeof(*ctx));
  if (ctx == NULL) {
    ERROR("quo plugin: out of memory.");
    config_failed = true;
    return 0;
  }
  quo_config_init(&ctx->cfg);
  ctx->healthy = true;

  cdtime_t interval = 0;
  bool key_file = false, key_inline = false;
  int status = 0;
  for (int i = 0; status == 0 && i < ci->children_num; i++)
    status =
        config_option(ctx, ci->children + i, &interval, &key_file, &key_inline);
  if (status == 0 && key_file && key_inline) {
    ERROR("quo plugin: options \"APIKey\" and \"APIKeyFile\" exclude each "
          "other: keep one.");
    status = -1;
  }
  if (interval == 0)
    interval = plugin_get_interval();

  char err[256];
  if (status == 0 && quo_config_finish(&ctx->cfg, CDTIME_T_TO_DOUBLE(interval),
                                       err, sizeof(err)) != 0) {
    if (ctx->cfg.api_key == NULL)
      ERROR("quo plugin: %s: set \"APIKeyFile\" (or \"APIKey\").", err);
    else if (ctx->cfg.ncalls == 0)
      ERROR("quo plugin: %s: add at least one \"Call\".", err);
    else
      ERROR("quo plugin: option \"Timeout\": %s", err);
    status = -1;
  }
  if (status == 0) {
    ctx->http = quo_http_from_config(&ctx->cfg, CDTIME_T_TO_DOUBLE(interval),
                                     err, sizeof(err));
    ctx->urls = calloc(ctx->cfg.ncalls, sizeof(*ctx->urls));
    ctx->order = calloc(ctx->cfg.ncalls, sizeof(*ctx->order));
    int tracked = quo_tracker_init(&ctx->tracker, ctx->cfg.ncalls,
                                   ctx->cfg.final_refresh);
    if (ctx->http == NULL || ctx->urls == NULL || ctx->order == NULL ||
        tracked != 0) {
      ERROR("quo plugin: %s", ctx->http ? "out of memory" : err);
      status = -1;
    }
  }
  if (status != 0) {
    ERROR("quo plugin: configuration refused; the plugin stays inactive.");
    ctx_free(ctx);
    config_failed = true;
    return 0;
  }
  for (size_t i = 0; i < ctx->cfg.ncalls; i++)
    ctx->urls[i] = ctx->cfg.calls[i].url;

  configured = true;
  return plugin_register_complex_read(
      NULL, "quo", quo_read, interval,
      &(user_data_t){.data = ctx, .free_func = ctx_free});
}

static int quo_init(void) {
  return config_failed ? -1 : 0;
}

void module_register(void) {
  plugin_register_complex_config("quo", quo_config);
  plugin_register_init("quo", quo_init);
}
