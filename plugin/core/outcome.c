#include "outcome.h"
#include "redact.h"

#include <ctype.h>

#include <stdio.h>
#include <string.h>

static void classify(const quo_response_t *r, const char *call_id,
                     quo_outcome_t *o);

/* The raw body had the key blanked; a JSON-escaped echo of it ("\/",
 * "\u0051") only shows once decoded, so every kept string is blanked again. */
static void redact(quo_outcome_t *o, const char *secret, size_t slen) {
  quo_redact_str(o->error.title, secret, slen);
  quo_redact_str(o->error.message, secret, slen);
  quo_redact_str(o->detail, secret, slen);
  quo_redact_str(o->call.raw_status, secret, slen);
  /* The error code keeps only letters and digits: an echo of the key there
   * is the key without its punctuation (the whole key, when it has none). */
  char alnum[512];
  size_t n = 0;
  for (size_t i = 0; secret != NULL && i < slen && n < sizeof(alnum); i++)
    if (isalnum((unsigned char)secret[i]))
      alnum[n++] = secret[i];
  quo_redact_str(o->error.code, alnum, n);
  explicit_bzero(alnum, sizeof(alnum));
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
    o->paused = r->paused;
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
    /* Server text: printable and '|'-free before it reaches any output. */
    if (r->location != NULL)
      quo_sanitize(o->location, sizeof(o->location), r->location,
                   strlen(r->location));
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

/* The state policy, written once: the first row an outcome matches. */
enum { ANY = -1 };
static const struct {
  quo_outcome_kind_t kind;
  long status; /* QUO_OUT_HTTP: this status; ANY for every other */
  int paused;  /* QUO_OUT_SKIPPED: 1 held back by a 429, 0 not, ANY */
  quo_severity_t repeating, one_shot;
  bool api_failure, not_found;
} rules[] = {
    {QUO_OUT_OK, ANY, ANY, QUO_SEV_OKAY, QUO_SEV_OKAY, false, false},
    /* The 429 that paused the budget already counts against the API. */
    {QUO_OUT_SKIPPED, ANY, 1, QUO_SEV_WARNING, QUO_SEV_WARNING, false, false},
    /* Fetched next cycle; with no next cycle, a timeout. */
    {QUO_OUT_SKIPPED, ANY, 0, QUO_SEV_OKAY, QUO_SEV_FAILURE, false, false},
    /* 400 and 404 are about one call, not the API. */
    {QUO_OUT_HTTP, 400, ANY, QUO_SEV_WARNING, QUO_SEV_WARNING, false, false},
    {QUO_OUT_HTTP, 404, ANY, QUO_SEV_WARNING, QUO_SEV_WARNING, false, true},
    {QUO_OUT_HTTP, 429, ANY, QUO_SEV_WARNING, QUO_SEV_WARNING, true, false},
    {QUO_OUT_HTTP, ANY, ANY, QUO_SEV_FAILURE, QUO_SEV_FAILURE, true, false},
    {QUO_OUT_TRANSPORT, ANY, ANY, QUO_SEV_FAILURE, QUO_SEV_FAILURE, true,
     false},
    {QUO_OUT_INVALID, ANY, ANY, QUO_SEV_FAILURE, QUO_SEV_FAILURE, true, false},
};

quo_policy_t quo_outcome_policy(const quo_outcome_t *o, bool one_shot) {
  for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
    if (rules[i].kind != o->kind ||
        (rules[i].status != ANY && rules[i].status != o->http_status) ||
        (rules[i].paused != ANY && rules[i].paused != (int)o->paused))
      continue;
    return (quo_policy_t){.severity =
                              one_shot ? rules[i].one_shot : rules[i].repeating,
                          .api_failure = rules[i].api_failure,
                          .not_found = rules[i].not_found};
  }
  /* Not reached: the rows cover every kind. Anything new fails loudly. */
  return (quo_policy_t){.severity = QUO_SEV_FAILURE, .api_failure = true};
}

bool quo_outcome_api_failure(const quo_outcome_t *o) {
  return quo_outcome_policy(o, false).api_failure;
}

quo_severity_t quo_outcome_severity(const quo_outcome_t *o) {
  return quo_outcome_policy(o, false).severity;
}

bool quo_outcome_is_redirect(const quo_outcome_t *o) {
  if (o->kind != QUO_OUT_HTTP)
    return false;
  switch (o->http_status) {
  case 301:
  case 302:
  case 303:
  case 307:
  case 308:
    return true;
  default:
    return false;
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

/* Written once for both describe and summary. */
static bool describe_redirect(const quo_outcome_t *o, char *buf, size_t cap) {
  if (!quo_outcome_is_redirect(o))
    return false;
  if (o->location[0] != '\0')
    snprintf(buf, cap,
             "HTTP %ld, redirect to %s (redirects are not followed: check "
             "BaseURL)",
             o->http_status, o->location);
  else
    snprintf(buf, cap,
             "HTTP %ld, a redirect without a Location (redirects are not "
             "followed: check BaseURL)",
             o->http_status);
  return true;
}

static void describe(const quo_outcome_t *o, char *buf, size_t cap,
                     bool message) {
  const quo_apierror_t *e = &o->error;
  switch (o->kind) {
  case QUO_OUT_OK:
    snprintf(buf, cap, "%s", "");
    break;
  case QUO_OUT_SKIPPED:
    snprintf(buf, cap, "%s",
             o->paused ? "not started: a 429 paused the rate budget"
                       : "not fetched this cycle");
    break;
  case QUO_OUT_TRANSPORT:
    snprintf(buf, cap, "request failed: %s", o->detail);
    break;
  case QUO_OUT_INVALID:
    snprintf(buf, cap, "HTTP %ld, %s", o->http_status, o->detail);
    break;
  case QUO_OUT_HTTP:
    if (describe_redirect(o, buf, cap))
      break;
    message = message && e->message[0] != '\0';
    snprintf(buf, cap, "HTTP %ld, API code %s (%s)%s%s", o->http_status,
             e->has_code ? e->code : "none", e->title, message ? ": " : "",
             message ? e->message : "");
    break;
  }
}

void quo_outcome_describe(const quo_outcome_t *o, char *buf, size_t cap) {
  describe(o, buf, cap, true);
}

void quo_outcome_summary(const quo_outcome_t *o, char *buf, size_t cap) {
  describe(o, buf, cap, false);
}
