#include "outcome.h"
#include "redact.h"

#include <stdio.h>
#include <string.h>

static void classify(const quo_response_t *r, const char *call_id,
                     quo_outcome_t *o);

/* The raw body had the key blanked; a JSON-escaped echo of it ("\/",
 * "\u0051") only shows once decoded, so every kept string is blanked again. */
static void redact(quo_outcome_t *o, const char *secret, size_t slen) {
  quo_redact_str(o->error.code, secret, slen);
  quo_redact_str(o->error.title, secret, slen);
  quo_redact_str(o->error.message, secret, slen);
  quo_redact_str(o->detail, secret, slen);
  quo_redact_str(o->call.raw_status, secret, slen);
}

void quo_outcome_classify(const quo_response_t *r, const char *call_id,
                          quo_outcome_t *o) {
  classify(r, call_id, o);
  redact(o, r->secret, r->secret_len);
}

static void classify(const quo_response_t *r, const char *call_id,
                     quo_outcome_t *o) {
  memset(o, 0, sizeof(*o));
  o->http_status = r->http_status;
  o->seconds = r->seconds;

  if (r->skipped) {
    o->kind = QUO_OUT_SKIPPED;
    return;
  }
  if (r->too_large) {
    o->kind = QUO_OUT_INVALID;
    snprintf(o->detail, sizeof(o->detail), "response larger than %d bytes",
             QUO_MAX_BODY);
    return;
  }
  if (r->http_status == 0) {
    o->kind = QUO_OUT_TRANSPORT;
    quo_sanitize(o->detail, sizeof(o->detail), r->curl_error,
                 strlen(r->curl_error));
    return;
  }
  if (r->http_status != 200) {
    o->kind = QUO_OUT_HTTP;
    quo_apierror_parse(r->body, r->body_len, r->http_status, &o->error);
    return;
  }
  o->kind = QUO_OUT_INVALID;
  if (r->curl_code != 0) {
    char why[96];
    quo_sanitize(why, sizeof(why), r->curl_error, strlen(r->curl_error));
    snprintf(o->detail, sizeof(o->detail), "incomplete body: %s", why);
    return;
  }
  char err[96];
  if (quo_call_parse(r->body, r->body_len, &o->call, err, sizeof(err)) != 0) {
    snprintf(o->detail, sizeof(o->detail), "invalid call object: %s", err);
    return;
  }
  if (call_id != NULL && strcmp(o->call.id, call_id) != 0) {
    snprintf(o->detail, sizeof(o->detail), "response is for another call ID");
    return;
  }
  o->kind = QUO_OUT_OK;
}

bool quo_outcome_api_failure(const quo_outcome_t *o) {
  switch (o->kind) {
  case QUO_OUT_OK:
  case QUO_OUT_SKIPPED:
    return false;
  case QUO_OUT_HTTP:
    return o->http_status != 400 && o->http_status != 404;
  default:
    return true;
  }
}

quo_severity_t quo_outcome_severity(const quo_outcome_t *o) {
  switch (o->kind) {
  case QUO_OUT_OK:
  case QUO_OUT_SKIPPED:
    return QUO_SEV_OKAY;
  case QUO_OUT_HTTP:
    if (o->http_status == 400 || o->http_status == 404 || o->http_status == 429)
      return QUO_SEV_WARNING;
    return QUO_SEV_FAILURE;
  default:
    return QUO_SEV_FAILURE;
  }
}

const char *quo_outcome_http_label(const quo_outcome_t *o, char *buf,
                                   size_t cap) {
  if (o->kind == QUO_OUT_SKIPPED)
    return NULL;
  if (o->http_status == 0)
    return "failed";
  snprintf(buf, cap, "%ld", o->http_status);
  return buf;
}

const char *quo_outcome_error_label(const quo_outcome_t *o) {
  if (o->kind == QUO_OUT_HTTP)
    return o->error.code;
  if (o->kind == QUO_OUT_INVALID)
    return "invalid";
  return NULL;
}

void quo_outcome_describe(const quo_outcome_t *o, char *buf, size_t cap) {
  const quo_apierror_t *e = &o->error;
  switch (o->kind) {
  case QUO_OUT_OK:
    snprintf(buf, cap, "%s", "");
    break;
  case QUO_OUT_SKIPPED:
    snprintf(buf, cap, "not fetched this cycle");
    break;
  case QUO_OUT_TRANSPORT:
    snprintf(buf, cap, "request failed: %s", o->detail);
    break;
  case QUO_OUT_INVALID:
    snprintf(buf, cap, "HTTP %ld, %s", o->http_status, o->detail);
    break;
  case QUO_OUT_HTTP:
    snprintf(buf, cap, "HTTP %ld, API code %s (%s)%s%s", o->http_status,
             e->has_code ? e->code : "none", e->title,
             e->message[0] ? ": " : "", e->message);
    break;
  }
}
